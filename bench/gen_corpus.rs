//! Write a seeded synthetic corpus for the scale benchmarks.
//!
//!     cargo run --release --example gen_corpus -- OUT_DIR [--seed N] [--vendors N]
//!         [--documents N] [--versions N] [--min-pages N] [--max-pages N]
//!
//! The defaults give about 10 000 versions and a million clauses: 100
//! vendors × 10 documents × 10 versions of 2–8 pages (450 words a page),
//! half in Markdown and half in PDF-text form. Same arguments, same bytes.

use std::path::PathBuf;
use std::process::ExitCode;

use trustlens_synth::{write_corpus, CorpusSpec};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut out: Option<PathBuf> = None;
    let mut spec = CorpusSpec {
        seed: 1,
        vendors: 100,
        documents: 10,
        versions: 10,
        min_pages: 2,
        max_pages: 8,
    };
    while let Some(a) = args.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            args.next()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{name} needs a number"))
        };
        let r = match a.as_str() {
            "--seed" => number("--seed").map(|n| spec.seed = n),
            "--vendors" => number("--vendors").map(|n| spec.vendors = n as usize),
            "--documents" => number("--documents").map(|n| spec.documents = n as usize),
            "--versions" => number("--versions").map(|n| spec.versions = n as usize),
            "--min-pages" => number("--min-pages").map(|n| spec.min_pages = n as usize),
            "--max-pages" => number("--max-pages").map(|n| spec.max_pages = n as usize),
            _ if out.is_none() && !a.starts_with("--") => {
                out = Some(PathBuf::from(&a));
                Ok(())
            }
            _ => Err(format!("unknown argument {a}")),
        };
        if let Err(e) = r {
            eprintln!("gen_corpus: {e}");
            return ExitCode::from(2);
        }
    }
    let Some(out) = out else {
        eprintln!("gen_corpus: name the output directory");
        return ExitCode::from(2);
    };
    match write_corpus(&out, &spec) {
        Ok(s) => {
            println!(
                "{} versions, {:.1} MB of documents in {}",
                s.versions,
                s.bytes as f64 / 1e6,
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_corpus: {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}
