//! Synthetic security documents for benchmarks and scale tests: a seeded
//! generator of realistic-looking Markdown documents of any length, and a
//! reviser that makes the edits vendors make between versions (reworded,
//! added, removed and moved clauses, renamed sections, changed numbers and
//! modal verbs).
//!
//! [`write_corpus`] writes a whole corpus directory of them — many vendors,
//! documents and versions, in Markdown and PDF-text form, with a manifest —
//! for the scale benchmarks (`bench/`).
//!
//! Same seed, same bytes: the generator uses its own small PRNG so that its
//! output does not change with a dependency's version.

/// A small, fast, seedable PRNG (xorshift64*): good enough to vary text.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed` (any value, zero included).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with probability `p` (0..=1).
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const TOPICS: &[&str] = &[
    "Access Control",
    "Audit Logging",
    "Backup and Recovery",
    "Business Continuity",
    "Change Management",
    "Customer Data Deletion",
    "Data Classification",
    "Data Encryption",
    "Data Residency",
    "Employee Screening",
    "Incident Response",
    "Key Management",
    "Malware Protection",
    "Network Security",
    "Penetration Testing",
    "Physical Security",
    "Privacy Requests",
    "Secure Development",
    "Service Availability",
    "Subprocessors",
    "Tenant Isolation",
    "Vulnerability Management",
];

const ACTORS: &[&str] = &[
    "The provider",
    "Our operations team",
    "The security team",
    "Each customer",
    "The customer administrator",
    "Authorised personnel",
    "The data protection officer",
    "Our infrastructure provider",
];

const MODALS: &[&str] = &["will", "must", "shall", "may", "should", "is required to"];

const VERBS: &[&str] = &[
    "encrypt",
    "review",
    "retain",
    "delete",
    "monitor",
    "restrict access to",
    "back up",
    "rotate",
    "audit",
    "isolate",
    "report",
    "patch",
    "replicate",
    "classify",
    "log",
];

const OBJECTS: &[&str] = &[
    "customer data",
    "production systems",
    "access logs",
    "encryption keys",
    "database snapshots",
    "administrative credentials",
    "personal data",
    "support tickets",
    "network traffic",
    "container images",
    "payment card data",
    "health information",
    "audit evidence",
    "configuration changes",
    "user sessions",
];

const QUALIFIERS: &[&str] = &[
    "at least",
    "within",
    "no later than",
    "after",
    "every",
    "promptly and within",
];

const UNITS: &[&str] = &["hours", "days", "business days", "weeks", "months"];

const CLOSERS: &[&str] = &[
    "using industry-standard controls",
    "in accordance with the applicable agreement",
    "unless the customer requests otherwise",
    "subject to legal holds",
    "as described in the documentation",
    "in every region where the service runs",
    "with multi-factor authentication",
    "using AES-256 and TLS 1.2 or later",
    "and records the outcome for auditors",
    "except where prohibited by law",
];

const FRAMEWORKS: &[&str] = &[
    "ISO 27001",
    "SOC 2",
    "PCI DSS",
    "Standard Contractual Clauses",
    "the EU-U.S. Data Privacy Framework",
    "HIPAA",
];

/// One clause-like sentence or two.
fn sentence(rng: &mut Rng) -> String {
    let mut s = format!(
        "{} {} {} {} {} {} {} {}.",
        rng.pick(ACTORS),
        rng.pick(MODALS),
        rng.pick(VERBS),
        rng.pick(OBJECTS),
        rng.pick(QUALIFIERS),
        1 + rng.below(90),
        rng.pick(UNITS),
        rng.pick(CLOSERS)
    );
    if rng.chance(0.5) {
        s.push_str(&format!(
            " This control covers {} and {} and is assessed against {} by an independent auditor {} year.",
            rng.pick(OBJECTS),
            rng.pick(OBJECTS),
            rng.pick(FRAMEWORKS),
            if rng.chance(0.5) { "every" } else { "once a" }
        ));
    }
    s
}

/// A version of a generated document, dated `date`, built straight from
/// `text` (no file behind it): for the compare benchmarks.
pub fn version(date: &str, text: &str) -> trustlens_core::corpus::Version {
    trustlens_core::corpus::Version::from_text(
        "synthetic",
        "Synthetic Vendor",
        "Security and Privacy Overview",
        date,
        trustlens_core::ingest::Format::Markdown,
        text,
    )
}

/// About this many words make a printed page.
pub const WORDS_PER_PAGE: usize = 450;

/// A Markdown document of about `pages` pages: a title, numbered sections
/// on security topics, each with a few paragraphs and list items.
pub fn document(seed: u64, pages: usize) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::from("# Security and Privacy Overview\n\n");
    let target = pages.max(1) * WORDS_PER_PAGE;
    let mut words = 0;
    let mut n = 0;
    while words < target {
        n += 1;
        out.push_str(&format!("## {} {n}\n\n", rng.pick(TOPICS)));
        for _ in 0..(2 + rng.below(4)) {
            let p = if rng.chance(0.3) {
                format!("- {}", sentence(&mut rng))
            } else {
                sentence(&mut rng)
            };
            words += p.split_whitespace().count();
            out.push_str(&p);
            out.push_str("\n\n");
        }
    }
    out
}

/// A later version of `text` (a document from [`document`]): about `rate`
/// of its clauses reworded, and a smaller share removed, added, moved or
/// renamed, as vendors do between versions.
pub fn revise(seed: u64, text: &str, rate: f64) -> String {
    let mut rng = Rng::new(seed ^ 0x5EED);
    // Split into sections: (heading, blocks).
    let mut title = String::new();
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    for block in text.split("\n\n").filter(|b| !b.trim().is_empty()) {
        if let Some(h) = block.strip_prefix("## ") {
            sections.push((h.to_string(), Vec::new()));
        } else if let Some(last) = sections.last_mut() {
            last.1.push(block.to_string());
        } else {
            title = block.to_string();
        }
    }
    let swaps: &[(&str, &str)] = &[
        (" will ", " may "),
        (" must ", " should "),
        (" within ", " no later than "),
        (" at least ", " up to "),
        (" days", " business days"),
        ("customer data", "customer content"),
        (" every ", " periodically, and at least every "),
    ];
    for (heading, blocks) in &mut sections {
        if rng.chance(rate / 2.0) {
            heading.insert_str(0, "Managing ");
        }
        let mut revised = Vec::with_capacity(blocks.len());
        for b in blocks.iter() {
            if rng.chance(rate / 3.0) {
                continue; // removed
            }
            let mut b = b.clone();
            if rng.chance(rate) {
                let (from, to) = *rng.pick(swaps);
                b = b.replacen(from, to, 1);
                if rng.chance(0.3) {
                    b.push_str(" Exceptions require written approval.");
                }
            }
            revised.push(b);
            if rng.chance(rate / 3.0) {
                revised.push(sentence(&mut rng)); // added
            }
        }
        *blocks = revised;
    }
    // Move a few sections.
    for _ in 0..((sections.len() as f64 * rate / 4.0) as usize) {
        let (a, b) = (rng.below(sections.len()), rng.below(sections.len()));
        sections.swap(a, b);
    }
    let mut out = format!("{title}\n\n");
    for (h, blocks) in sections {
        out.push_str(&format!("## {h}\n\n"));
        for b in blocks {
            out.push_str(&b);
            out.push_str("\n\n");
        }
    }
    out
}

/// The shape of a generated corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusSpec {
    /// Seed: the same spec gives the same bytes.
    pub seed: u64,
    /// How many vendors.
    pub vendors: usize,
    /// Documents per vendor.
    pub documents: usize,
    /// Versions per document.
    pub versions: usize,
    /// Pages of a document's first version, at least...
    pub min_pages: usize,
    /// ...and at most (a page is [`WORDS_PER_PAGE`] words).
    pub max_pages: usize,
}

/// What [`write_corpus`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorpusSummary {
    /// Versions written.
    pub versions: usize,
    /// Bytes of document files written (the manifest aside).
    pub bytes: u64,
}

const VENDOR_NAMES: &[&str] = &[
    "Acme", "Borealis", "Cirrus", "Dynamo", "Everest", "Fathom", "Granite", "Helix", "Ion",
    "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orbital", "Pioneer",
];
const TITLES: &[&str] = &[
    "Security Overview",
    "Data Processing Addendum",
    "Trust and Compliance Whitepaper",
    "Privacy Policy",
    "Shared Responsibility Guide",
    "Subprocessor Disclosure",
];

/// A Markdown document from [`document`] as a PDF-to-text tool would give
/// it: lines wrapped at 90 columns, `•` bullets, pages of 50 lines with a
/// running header and a page number.
pub fn as_pdf_text(markdown: &str, header: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for block in markdown.split("\n\n").filter(|b| !b.trim().is_empty()) {
        let (text, indent) = if let Some(h) = block.strip_prefix("## ") {
            (h.to_string(), "")
        } else if let Some(h) = block.strip_prefix("# ") {
            (h.to_string(), "")
        } else if let Some(item) = block.strip_prefix("- ") {
            (format!("• {item}"), "  ")
        } else {
            (block.to_string(), "")
        };
        let mut line = String::new();
        for word in text.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + word.len() > 90 {
                lines.push(std::mem::take(&mut line));
                line.push_str(indent);
            }
            if !line.trim().is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
        lines.push(String::new());
    }
    let mut out = String::new();
    for (n, page) in lines.chunks(50).enumerate() {
        if n > 0 {
            out.push('\u{c}');
        }
        out.push_str(header);
        out.push_str("\n\n");
        for l in page {
            out.push_str(l);
            out.push('\n');
        }
        out.push_str(&format!("\nPage {}\n", n + 1));
    }
    out
}

/// Write a generated corpus into `dir` (which must not hold a manifest yet):
/// for each vendor and document, a first version of `min_pages..=max_pages`
/// pages and revisions of it a month apart; every other document in PDF-text
/// form. The manifest lists each version with its SHA-256.
pub fn write_corpus(dir: &std::path::Path, spec: &CorpusSpec) -> std::io::Result<CorpusSummary> {
    use std::fmt::Write as _;
    let manifest_path = dir.join("manifest.toml");
    if manifest_path.exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!(
                "{} exists: generate into an empty directory",
                manifest_path.display()
            ),
        ));
    }
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::new(spec.seed);
    let mut manifest = String::from(
        "# A corpus generated by trustlens::synth::write_corpus (seeded; not real documents).\n",
    );
    let mut summary = CorpusSummary::default();
    let span = spec.max_pages.max(spec.min_pages) - spec.min_pages + 1;
    for v in 0..spec.vendors {
        let vendor = format!("{} {}", VENDOR_NAMES[v % VENDOR_NAMES.len()], v + 1);
        for d in 0..spec.documents {
            let title = TITLES[d % TITLES.len()];
            let id = format!("vendor-{:04}-doc-{:02}", v + 1, d + 1);
            let pdf_text = (v + d) % 2 == 1;
            let _ = write!(
                manifest,
                "\n[[document]]\nid = \"{id}\"\nvendor = \"{vendor}\"\ntitle = \"{title}\"\n"
            );
            std::fs::create_dir_all(dir.join(&id))?;
            let pages = spec.min_pages + rng.below(span);
            let mut text = document(rng.next_u64(), pages);
            for k in 0..spec.versions {
                if k > 0 {
                    text = revise(rng.next_u64(), &text, 0.08);
                }
                // A month apart from 2012-01: ten years hold 120 versions.
                let (year, month) = (2012 + k / 12, k % 12 + 1);
                let date = format!("{year:04}-{month:02}-01");
                let (file, bytes, format) = if pdf_text {
                    let t = as_pdf_text(&text, &format!("{vendor} — {title}"));
                    (format!("{id}/{date}.txt"), t.into_bytes(), "pdf-text")
                } else {
                    (
                        format!("{id}/{date}.md"),
                        text.clone().into_bytes(),
                        "markdown",
                    )
                };
                std::fs::write(dir.join(&file), &bytes)?;
                summary.versions += 1;
                summary.bytes += bytes.len() as u64;
                let _ = write!(
                    manifest,
                    "\n[[document.version]]\ndate = \"{date}\"\nfile = \"{file}\"\nformat = \"{format}\"\nsha256 = \"{}\"\nsource = \"trustlens::synth seed {}\"\ncaptured = \"2026-01-01\"\n",
                    trustlens_core::text::sha256_hex(&bytes),
                    spec.seed
                );
            }
        }
    }
    std::fs::write(&manifest_path, manifest)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes_and_about_the_asked_length() {
        let a = document(7, 10);
        assert_eq!(a, document(7, 10));
        assert_ne!(a, document(8, 10));
        let words = a.split_whitespace().count();
        assert!(
            (10 * WORDS_PER_PAGE..12 * WORDS_PER_PAGE).contains(&words),
            "{words}"
        );
        assert_eq!(revise(1, &a, 0.1), revise(1, &a, 0.1));
    }

    #[test]
    fn a_revision_differs_but_keeps_most_clauses() {
        let a = document(3, 20);
        let b = revise(3, &a, 0.1);
        assert_ne!(a, b);
        let old: std::collections::HashSet<&str> = a.split("\n\n").collect();
        let kept = b.split("\n\n").filter(|x| old.contains(x)).count();
        let total = b.split("\n\n").count();
        assert!(kept * 10 >= total * 7, "{kept} of {total} kept");
    }

    #[test]
    fn pdf_text_form_has_pages_headers_and_page_numbers() {
        let t = as_pdf_text(&document(5, 4), "Acme — Overview");
        let pages: Vec<&str> = t.split('\u{c}').collect();
        assert!(pages.len() >= 2, "{}", pages.len());
        for (i, p) in pages.iter().enumerate() {
            assert!(p.starts_with("Acme — Overview\n"));
            assert!(p.trim_end().ends_with(&format!("Page {}", i + 1)));
        }
        assert!(t.lines().all(|l| l.chars().count() <= 92), "wrapped at 90");
    }
}
