//! In-process scale figures for `bench/run.sh`: open, ingest and index a
//! (generated) corpus, search it, add one version, and compare document
//! pairs. Prints one JSON object on stdout; progress goes to stderr.
//!
//!     cargo run --release --example scale -- corpus CORPUS_DIR [--rounds N] [--only QUERY]
//!     cargo run --release --example scale -- compare OUT_DIR [--rounds N]
//!
//! `--only QUERY` runs just that query of the mix and stops (for a
//! profiler); `--search-only` runs the whole mix and stops. Otherwise `corpus` adds a version to CORPUS_DIR (a revision of its first
//! document), so give it a copy you can throw away; it uses the data and
//! cache directories in TRUSTLENS_DATA_DIR / TRUSTLENS_CACHE_DIR, which
//! should be empty so the first open really builds the index.
//!
//! `compare` writes generated 10- and 100-page pairs as Markdown files into
//! OUT_DIR (for `git diff --no-index --word-diff` to read the same bytes) and
//! times trustlens's full compare (alignment, redline and change cards) on
//! them and on the bundled Heroku pair.
//!
//! Peak memory is the process's high-water mark (VmHWM), reset between
//! phases through /proc/self/clear_refs, so each phase reports its own peak.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use trustlens::api::{self, CorpusChoice, Workspace};
use trustlens::compare::compare;
use trustlens::corpus::add::AddVersion;
use trustlens::corpus::{Corpus, Version};
use trustlens::index::ClauseIndex;
use trustlens::ingest::Format;
use trustlens::lexicon::Lexicon;
use trustlens::paths::Dirs;
use trustlens::search::SearchRequest;
use trustlens_synth as synth;

/// One query of the mix.
struct Mixed {
    class: &'static str,
    query: &'static str,
    section: Option<&'static str>,
    as_of: Option<&'static str>,
}

const fn q(class: &'static str, query: &'static str) -> Mixed {
    Mixed {
        class,
        query,
        section: None,
        as_of: None,
    }
}

/// The query mix: single terms, phrases, boolean, fuzzy and filtered.
/// Terms are words of the generator's vocabulary, so each has hits;
/// `bench/report.py` has rg look for the term and phrase ones.
const MIX: &[Mixed] = &[
    q("term", "snapshots"),
    q("term", "hipaa"),
    q("phrase", "\"payment card data\""),
    q("phrase", "\"restrict access to\""),
    q("boolean", "replicate AND (tickets OR sessions) -legal"),
    q("boolean", "rotate credentials -auditors"),
    q("fuzzy", "snapshtos~1"),
    q("fuzzy", "credentails~2"),
    Mixed {
        section: Some("key management"),
        ..q("filtered", "encrypt")
    },
    Mixed {
        as_of: Some("2012-06-15"),
        ..q("filtered", "retain")
    },
];

/// Hits per search, as the app asks for them.
const APP_LIMIT: u32 = 200;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rounds = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok());
    let result = match (args.first().map(String::as_str), args.get(1)) {
        (Some("corpus"), Some(dir)) => {
            let only = args
                .iter()
                .position(|a| a == "--only")
                .and_then(|i| args.get(i + 1));
            let search_only = args.iter().any(|a| a == "--search-only");
            corpus_figures(
                Path::new(dir),
                rounds.unwrap_or(50),
                only.map(String::as_str),
                search_only,
            )
        }
        (Some("compare"), Some(dir)) => compare_figures(Path::new(dir), rounds.unwrap_or(20)),
        _ => Err("usage: scale corpus CORPUS_DIR | scale compare OUT_DIR [--rounds N]".into()),
    };
    match result {
        Ok(v) => {
            println!("{}", serde_json::to_string_pretty(&v).expect("JSON"));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("scale: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Peak resident memory since the last reset, in MB.
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Start a new peak-memory measurement.
fn reset_peak() {
    // "5" resets the high-water mark (Linux ≥ 4.0); harmless elsewhere.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The `q`-quantile (0..=1) of sorted samples, nearest rank.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Bytes of the corpus's source files: all of them, and the Markdown ones.
fn source_bytes(corpus: &Corpus, dir: &Path) -> (u64, u64) {
    corpus.versions.iter().fold((0, 0), |(all, md), v| {
        let len = std::fs::metadata(dir.join(&v.info.file)).map_or(0, |m| m.len());
        let is_md = v.info.format == Format::Markdown.name();
        (all + len, md + if is_md { len } else { 0 })
    })
}

fn corpus_figures(
    dir: &Path,
    rounds: usize,
    only: Option<&str>,
    search_only: bool,
) -> Result<Value, String> {
    let dirs = Dirs::from_env();
    let choice = CorpusChoice::Dir(dir.to_path_buf());

    eprintln!("scale: reading and parsing {}", dir.display());
    reset_peak();
    let t = Instant::now();
    let corpus = Corpus::open_dir(dir).map_err(|e| e.to_string())?;
    let parse = t.elapsed();
    let parse_peak = peak_mb();
    let (bytes, markdown_bytes) = source_bytes(&corpus, dir);
    let clauses = corpus.clauses().count();

    eprintln!("scale: building the index ({clauses} clauses)");
    let t = Instant::now();
    let built =
        ClauseIndex::open_or_build(&corpus, &dirs.index_root()).map_err(|e| e.to_string())?;
    let build = t.elapsed();
    let index_state = built.state.describe();
    let index_peak = peak_mb();
    drop(built);
    drop(corpus);

    eprintln!("scale: opening the workspace (index cached)");
    reset_peak();
    let t = Instant::now();
    let ws = Workspace::open(dirs.clone(), choice.clone()).map_err(|e| e.message)?;
    let open = t.elapsed();
    let open_peak = peak_mb();

    eprintln!(
        "scale: searching ({rounds} rounds of {} queries)",
        MIX.len()
    );
    let mut all = Vec::new();
    let (mut all_hits, mut all_counts) = (Vec::new(), Vec::new());
    // Per class: the whole search's times and the hits' times.
    let mut classes: Vec<(&str, Vec<f64>, Vec<f64>)> = Vec::new();
    let mut largest_reply = 0usize;
    let mut queries = Vec::new();
    for &Mixed {
        class,
        query,
        section,
        as_of,
    } in MIX
    {
        if only.is_some_and(|o| o != query) {
            continue;
        }
        let req = SearchRequest {
            query: query.into(),
            section: section.map(Into::into),
            as_of: as_of.map(Into::into),
            // What the app asks for (ui/src/query.ts, DEFAULT_LIMIT).
            limit: Some(APP_LIMIT),
            ..SearchRequest::default()
        };
        // The first run warms the caches (as the first keystroke would).
        let first = ws
            .search(&req)
            .map_err(|e| format!("{query}: {}", e.message))?;
        let reply = serde_json::to_vec(&first).expect("JSON").len();
        largest_reply = largest_reply.max(reply);
        // The app's two calls (hits first, then the counts) and the CLI's
        // one (both), taken in turn within each round so that the machine's
        // drifts in speed fall on all three alike.
        let (mut hits_t, mut counts_t, mut times) = (Vec::new(), Vec::new(), Vec::new());
        let hits = ws.search_hits(&req).map_err(|e| e.message)?;
        let hits_reply = serde_json::to_vec(&hits).expect("JSON").len();
        for _ in 0..rounds {
            let t = Instant::now();
            std::hint::black_box(ws.search_hits(&req).map_err(|e| e.message)?);
            hits_t.push(ms(t.elapsed()));
            let t = Instant::now();
            std::hint::black_box(ws.search_counts(&req).map_err(|e| e.message)?);
            counts_t.push(ms(t.elapsed()));
            let t = Instant::now();
            std::hint::black_box(ws.search(&req).map_err(|e| e.message)?);
            times.push(ms(t.elapsed()));
        }
        for v in [&mut hits_t, &mut counts_t, &mut times] {
            v.sort_by(f64::total_cmp);
        }
        queries.push(json!({
            "class": class, "query": query, "section": section, "as_of": as_of,
            "total": first.total, "reply_bytes": reply, "hits_reply_bytes": hits_reply,
            "p50_ms": quantile(&times, 0.5), "p99_ms": quantile(&times, 0.99),
            "hits_p50_ms": quantile(&hits_t, 0.5), "hits_p99_ms": quantile(&hits_t, 0.99),
            "counts_p50_ms": quantile(&counts_t, 0.5), "counts_p99_ms": quantile(&counts_t, 0.99),
        }));
        all.extend_from_slice(&times);
        all_hits.extend_from_slice(&hits_t);
        all_counts.extend_from_slice(&counts_t);
        match classes.iter_mut().find(|(c, _, _)| *c == class) {
            Some((_, v, h)) => {
                v.extend(times);
                h.extend(hits_t);
            }
            None => classes.push((class, times, hits_t)),
        }
    }
    for v in [&mut all, &mut all_hits, &mut all_counts] {
        v.sort_by(f64::total_cmp);
    }
    let by_class: Vec<Value> = classes
        .into_iter()
        .map(|(class, mut v, mut h)| {
            v.sort_by(f64::total_cmp);
            h.sort_by(f64::total_cmp);
            json!({"class": class, "p50_ms": quantile(&v, 0.5), "p99_ms": quantile(&v, 0.99),
                   "hits_p50_ms": quantile(&h, 0.5), "hits_p99_ms": quantile(&h, 0.99)})
        })
        .collect();

    if only.is_some() || search_only {
        return Ok(json!({ "search": { "queries": queries } }));
    }
    eprintln!("scale: adding one version");
    let first = ws
        .corpus
        .versions
        .first()
        .ok_or("the corpus has no versions")?
        .clone();
    drop(ws);
    let added = add_one_version(&dirs, dir, &first)?;

    Ok(json!({
        "corpus": dir.display().to_string(),
        "versions": added.versions_before,
        "clauses": clauses,
        "source_mb": bytes as f64 / 1e6,
        "markdown_mb": markdown_bytes as f64 / 1e6,
        "parse": {"seconds": parse.as_secs_f64(), "mb_per_s": bytes as f64 / 1e6 / parse.as_secs_f64(), "peak_mb": parse_peak},
        "index_build": {"seconds": build.as_secs_f64(), "mb_per_s": bytes as f64 / 1e6 / build.as_secs_f64(), "state": index_state},
        "ingest_and_index": {
            "seconds": (parse + build).as_secs_f64(),
            "mb_per_s": bytes as f64 / 1e6 / (parse + build).as_secs_f64(),
            "peak_mb": index_peak,
        },
        "open_workspace": {"seconds": open.as_secs_f64(), "peak_mb": open_peak},
        "search": {
            "rounds": rounds,
            "p50_ms": quantile(&all, 0.5),
            "p99_ms": quantile(&all, 0.99),
            "hits_p50_ms": quantile(&all_hits, 0.5),
            "hits_p99_ms": quantile(&all_hits, 0.99),
            "counts_p50_ms": quantile(&all_counts, 0.5),
            "counts_p99_ms": quantile(&all_counts, 0.99),
            "largest_reply_bytes": largest_reply,
            "by_class": by_class,
            "queries": queries,
        },
        "add_one_version": {
            "record_ms": added.record_ms,
            "index_update_ms": added.index_ms,
            "index_state": added.index_state,
            "reopen_seconds": added.reopen_s,
        },
    }))
}

struct AddFigures {
    versions_before: usize,
    record_ms: f64,
    index_ms: f64,
    index_state: String,
    reopen_s: f64,
}

/// Add a revision of `base` as a new version, then time bringing the index
/// up to date (the part that must be incremental) and a full reopen.
fn add_one_version(dirs: &Dirs, dir: &Path, base: &Version) -> Result<AddFigures, String> {
    let versions_before = Corpus::open_dir(dir)
        .map_err(|e| e.to_string())?
        .versions
        .len();
    let source = std::fs::read_to_string(dir.join(&base.info.file)).map_err(|e| e.to_string())?;
    let file = std::env::temp_dir().join(format!("trustlens-scale-{}.txt", std::process::id()));
    std::fs::write(&file, synth::revise(99, &source, 0.05)).map_err(|e| e.to_string())?;
    let req = AddVersion {
        file: file.clone(),
        vendor: base.info.vendor.clone(),
        document: base.info.document_id.clone(),
        date: "2025-12-01".into(),
        format: Format::ALL
            .iter()
            .find(|(_, n)| *n == base.info.format)
            .map(|(f, _)| *f),
        source: Some("bench/scale.rs".into()),
        captured: "2025-12-01".into(),
        note: None,
        document_id: None,
        ocr: Default::default(),
        on_ocr_page: None,
    };
    let t = Instant::now();
    api::ingest(dirs, Some(dir), &req).map_err(|e| e.message)?;
    let record_ms = ms(t.elapsed());
    let _ = std::fs::remove_file(&file);

    // The corpus is read again either way; what is timed is the index.
    let corpus = Corpus::open_dir(dir).map_err(|e| e.to_string())?;
    let t = Instant::now();
    let index =
        ClauseIndex::open_or_build(&corpus, &dirs.index_root()).map_err(|e| e.to_string())?;
    let index_ms = ms(t.elapsed());
    let index_state = index.state.describe();
    drop(index);
    drop(corpus);

    let t = Instant::now();
    let ws = Workspace::open(dirs.clone(), CorpusChoice::Dir(dir.to_path_buf()))
        .map_err(|e| e.message)?;
    let reopen_s = t.elapsed().as_secs_f64();
    drop(ws);
    Ok(AddFigures {
        versions_before,
        record_ms,
        index_ms,
        index_state,
        reopen_s,
    })
}

fn compare_figures(out: &Path, rounds: usize) -> Result<Value, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let lexicon = Lexicon::bundled();
    let mut pairs = Vec::new();

    let bundled = Corpus::bundled().map_err(|e| e.to_string())?;
    let (old, new) = (&bundled.versions[0], &bundled.versions[1]);
    pairs.push(time_pair("heroku", old, new, None, lexicon, rounds));

    for pages in [10usize, 100] {
        let text = synth::document(42, pages);
        let revised = synth::revise(42, &text, 0.1);
        let (a, b) = (
            out.join(format!("{pages}p-old.md")),
            out.join(format!("{pages}p-new.md")),
        );
        for (path, t) in [(&a, &text), (&b, &revised)] {
            std::fs::write(path, t).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        let (old, new) = (
            synth::version("2024-01-01", &text),
            synth::version("2025-01-01", &revised),
        );
        pairs.push(time_pair(
            &format!("{pages} pages"),
            &old,
            &new,
            Some((a, b)),
            lexicon,
            rounds,
        ));
    }
    Ok(json!({ "rounds": rounds, "pairs": pairs }))
}

fn time_pair(
    name: &str,
    old: &Version,
    new: &Version,
    files: Option<(PathBuf, PathBuf)>,
    lexicon: &Lexicon,
    rounds: usize,
) -> Value {
    eprintln!("scale: comparing {name}");
    let first = compare(lexicon, old, new);
    let reply = serde_json::to_vec(&first).expect("JSON").len();
    let mut times: Vec<f64> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(compare(lexicon, old, new));
            ms(t.elapsed())
        })
        .collect();
    times.sort_by(f64::total_cmp);
    json!({
        "pair": name,
        "clauses": [old.doc.clauses.len(), new.doc.clauses.len()],
        "bytes": [old.doc.clauses.iter().map(|c| c.text.len()).sum::<usize>(), new.doc.clauses.iter().map(|c| c.text.len()).sum::<usize>()],
        "files": files.map(|(a, b)| [a.display().to_string(), b.display().to_string()]),
        "median_ms": quantile(&times, 0.5),
        "reply_bytes": reply,
    })
}
