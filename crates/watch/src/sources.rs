//! The watched sources of a corpus and what is known of each.
//!
//! Both live in the corpus directory, beside the versions they produce:
//! `watch/sources.toml` (what the user asked for, readable and editable)
//! and `watch/state.json` (what the checks found: when, what changed, the
//! last error, the conditional-request validators). Every change is a
//! read-modify-write under the corpus's write lock, the same one that
//! ingest and import take, so two processes never lose each other's
//! sources or results; each file is replaced by rename, so a killed
//! process leaves the old file or the new one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use trustlens_core::corpus::add::write_atomically;
use trustlens_core::corpus::lock::WriteLock;
use ts_rs::TS;

use crate::WatchError;

/// The folder of a corpus that holds its watch list, state and snapshots.
pub fn watch_dir(corpus: &Path) -> PathBuf {
    corpus.join("watch")
}

/// One watched page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Source {
    /// Its ID in this corpus (`watch rm ID`, `watch run ID`).
    pub id: String,
    /// The address fetched.
    pub url: String,
    /// The vendor its versions are recorded under.
    pub vendor: String,
    /// The document (title or ID) its versions are recorded as.
    pub document: String,
    /// A CSS selector for the part of the page that is the document (the
    /// page's main content when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<String>,
    /// CSS selectors of parts to drop as well.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
    /// Regular expressions for text that is noise on this page.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    /// How often to check (`30m`, `6h`, `1d`, `1w`).
    pub every: String,
}

impl Source {
    /// The ignore patterns, compiled as they are used: case-insensitive.
    pub fn ignore_patterns(&self) -> Result<Vec<Regex>, String> {
        self.ignore
            .iter()
            .map(|p| {
                regex::RegexBuilder::new(p)
                    .case_insensitive(true)
                    .build()
                    .map_err(|e| format!("the ignore pattern \"{p}\" is not valid: {e}"))
            })
            .collect()
    }

    /// The remove selectors, parsed.
    pub fn remove_selectors(&self) -> Result<Vec<scraper::Selector>, String> {
        self.remove
            .iter()
            .map(|s| {
                scraper::Selector::parse(s)
                    .map_err(|e| format!("the selector \"{s}\" is not valid CSS: {e}"))
            })
            .collect()
    }

    /// Every field checked, as when the source is added: a watch list
    /// edited by hand may hold what `watch add` refuses.
    pub fn check(&self) -> Result<(), String> {
        let url = url::Url::parse(&self.url)
            .map_err(|e| format!("\"{}\" is not a web address: {e}", self.url))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!(
                "\"{}\": only http and https addresses can be watched",
                self.url
            ));
        }
        if let Some(css) = &self.select {
            scraper::Selector::parse(css)
                .map_err(|e| format!("the selector \"{css}\" is not valid CSS: {e}"))?;
        }
        self.remove_selectors()?;
        self.ignore_patterns()?;
        parse_every(&self.every)?;
        Ok(())
    }
}

/// A source to add.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewSource {
    /// The address (http or https).
    pub url: String,
    /// Vendor.
    pub vendor: String,
    /// Document title or ID.
    pub document: String,
    /// CSS selector of the document's part of the page.
    #[serde(default)]
    pub select: Option<String>,
    /// CSS selectors to drop.
    #[serde(default)]
    pub remove: Vec<String>,
    /// Noise patterns (regular expressions).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// How often to check; `1d` when absent.
    #[serde(default)]
    pub every: Option<String>,
}

/// What the checks of one source found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SourceState {
    /// When it was last fetched (RFC 3339, UTC).
    pub last_checked: Option<String>,
    /// When a check last recorded a new version.
    pub last_changed: Option<String>,
    /// The last check's error, if it failed.
    pub last_error: Option<String>,
    /// A change the last check found but could not record yet (a version
    /// of the document already has that date): a later check records it.
    #[serde(default)]
    pub pending: Option<String>,
    /// Checks failed in a row.
    pub failures: u32,
    /// When the next scheduled check is due (later after each failure).
    pub next_check: Option<String>,
    /// The last version recorded from it.
    pub version: Option<String>,
    /// Snapshots kept.
    pub snapshots: u32,
    /// The server's ETag, for a conditional request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(skip)]
    pub etag: Option<String>,
    /// The server's Last-Modified, for a conditional request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(skip)]
    pub last_modified: Option<String>,
    /// SHA-256 of the last body fetched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(skip)]
    pub body_sha256: Option<String>,
    /// Its size, to catch a page many times its usual size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(skip)]
    pub body_bytes: Option<u64>,
    /// Checks in a row that found the page many times its usual size.
    #[serde(default, skip_serializing_if = "is_zero")]
    #[ts(skip)]
    pub oversized: u32,
    /// SHA-256 of the last recorded version's text, noise removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(skip)]
    pub text_sha256: Option<String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// After this many failures in a row a source is shown as failing.
pub const FAILING_AFTER: u32 = 3;

/// A source with its state, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SourceView {
    /// The source.
    #[serde(flatten)]
    pub source: Source,
    /// What its checks found.
    #[serde(flatten)]
    pub state: SourceState,
    /// It failed [`FAILING_AFTER`] times in a row or more: checks back off.
    pub failing: bool,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    #[serde(default)]
    source: Vec<Source>,
}

/// The sources and their states, as read from a corpus directory.
#[derive(Debug, Default, Clone)]
pub struct Watchlist {
    /// The sources, in the order they were added.
    pub sources: Vec<Source>,
    /// Their states, by source ID.
    pub states: BTreeMap<String, SourceState>,
}

impl Watchlist {
    /// Read the watch list of the corpus in `corpus` (empty when there is none).
    pub fn read(corpus: &Path) -> Result<Watchlist, WatchError> {
        let dir = watch_dir(corpus);
        let sources_path = dir.join("sources.toml");
        let sources = match std::fs::read_to_string(&sources_path) {
            Ok(text) => {
                toml::from_str::<SourcesFile>(&text)
                    .map_err(|e| WatchError::bad_file(&sources_path, e.to_string()))?
                    .source
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => vec![],
            Err(e) => return Err(WatchError::io(&sources_path, e)),
        };
        let state_path = dir.join("state.json");
        let states = match std::fs::read(&state_path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| WatchError::bad_file(&state_path, e.to_string()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(WatchError::io(&state_path, e)),
        };
        Ok(Watchlist { sources, states })
    }

    fn write(&self, corpus: &Path) -> Result<(), WatchError> {
        let dir = watch_dir(corpus);
        std::fs::create_dir_all(&dir).map_err(|e| WatchError::io(&dir, e))?;
        let file = SourcesFile {
            source: self.sources.clone(),
        };
        let text = format!(
            "# Pages watched by `trustlens watch` (see `trustlens watch --help`).\n\n{}",
            toml::to_string_pretty(&file).map_err(|e| WatchError::Internal(e.to_string()))?
        );
        write_atomically(&dir.join("sources.toml"), text.as_bytes())?;
        let states = serde_json::to_vec_pretty(&self.states)
            .map_err(|e| WatchError::Internal(e.to_string()))?;
        write_atomically(&dir.join("state.json"), &states)?;
        Ok(())
    }

    /// Change the watch list under the corpus's write lock: read it afresh,
    /// apply `change`, write it back.
    pub fn update<T>(
        corpus: &Path,
        change: impl FnOnce(&mut Watchlist) -> Result<T, WatchError>,
    ) -> Result<T, WatchError> {
        std::fs::create_dir_all(corpus).map_err(|e| WatchError::io(corpus, e))?;
        let _lock = WriteLock::acquire(corpus)?;
        let mut list = Watchlist::read(corpus)?;
        let out = change(&mut list)?;
        list.write(corpus)?;
        Ok(out)
    }

    /// The source with this ID.
    pub fn source(&self, id: &str) -> Result<&Source, WatchError> {
        self.sources
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| WatchError::NotFound(id.to_string()))
    }

    /// Every source with its state.
    pub fn views(&self) -> Vec<SourceView> {
        self.sources
            .iter()
            .map(|s| {
                let state = self.states.get(&s.id).cloned().unwrap_or_default();
                SourceView {
                    failing: state.failures >= FAILING_AFTER,
                    source: s.clone(),
                    state,
                }
            })
            .collect()
    }

    /// Whether a source's next check is due at `now`.
    pub fn is_due(&self, id: &str, now: OffsetDateTime) -> bool {
        let next = self.states.get(id).and_then(|s| s.next_check.as_deref());
        match next.and_then(|n| {
            OffsetDateTime::parse(n, &time::format_description::well_known::Rfc3339).ok()
        }) {
            Some(next) => next <= now,
            None => true,
        }
    }
}

/// Add a source to the watch list of `corpus`, after checking every field.
pub fn add(corpus: &Path, new: &NewSource) -> Result<Source, WatchError> {
    let source = validate(new)?;
    Watchlist::update(corpus, |list| {
        if let Some(same) = list.sources.iter().find(|s| {
            s.url == source.url
                && trustlens_core::text::same_name(&s.document, &source.document)
                && trustlens_core::text::same_name(&s.vendor, &source.vendor)
        }) {
            return Err(WatchError::InvalidArgument(format!(
                "{} is already watched for this document, as {}",
                source.url, same.id
            )));
        }
        let mut source = source;
        source.id = unique_id(corpus, list, &source);
        list.sources.push(source.clone());
        Ok(source)
    })
}

/// Stop watching a source. Its snapshots and the versions it recorded stay.
pub fn remove(corpus: &Path, id: &str) -> Result<Source, WatchError> {
    Watchlist::update(corpus, |list| {
        let at = list
            .sources
            .iter()
            .position(|s| s.id == id)
            .ok_or_else(|| WatchError::NotFound(id.to_string()))?;
        list.states.remove(id);
        Ok(list.sources.remove(at))
    })
}

/// An ID no source has, and no source had: a removed source's snapshots
/// stay under its ID, and the versions it recorded name it in their notes.
fn unique_id(corpus: &Path, list: &Watchlist, source: &Source) -> String {
    let base = trustlens_core::text::slugify(&format!("{} {}", source.vendor, source.document));
    let base = if base.is_empty() {
        "source".to_string()
    } else {
        base
    };
    let snapshots = watch_dir(corpus).join("snapshots");
    let taken = |id: &str| list.sources.iter().any(|s| s.id == id) || snapshots.join(id).exists();
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !taken(id))
        .expect("an unused number")
}

/// Every field of a new source checked, as the source it becomes.
pub fn validate(new: &NewSource) -> Result<Source, WatchError> {
    trustlens_core::corpus::add::check_names(&new.vendor, &new.document)?;
    let url = url::Url::parse(new.url.trim()).map_err(|e| {
        WatchError::InvalidArgument(format!("\"{}\" is not a web address: {e}", new.url))
    })?;
    let source = Source {
        id: String::new(),
        url: crate::extract::clean_url(url.as_str()),
        vendor: new.vendor.trim().to_string(),
        document: new.document.trim().to_string(),
        select: new
            .select
            .as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        remove: new.remove.clone(),
        ignore: new.ignore.clone(),
        every: new.every.clone().unwrap_or_else(|| "1d".into()),
    };
    source.check().map_err(WatchError::InvalidArgument)?;
    Ok(source)
}

/// The shortest interval between scheduled checks: watching is not polling.
pub const MIN_EVERY: time::Duration = time::Duration::minutes(5);

/// `30m`, `6h`, `1d`, `2w` → a duration (at least [`MIN_EVERY`], at most a year).
pub fn parse_every(s: &str) -> Result<time::Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: i64 = n.parse().map_err(|_| {
        format!(
            "--every \"{s}\" is not an interval: write a number and a unit, like 30m, 6h, 1d or 1w"
        )
    })?;
    let d = match unit {
        "m" | "min" => time::Duration::minutes(n),
        "h" => time::Duration::hours(n),
        "d" => time::Duration::days(n),
        "w" => time::Duration::weeks(n),
        _ => {
            return Err(format!(
                "--every \"{s}\": the unit must be m, h, d or w (like 30m, 6h, 1d or 1w)"
            ))
        }
    };
    if d < MIN_EVERY || d > time::Duration::days(366) {
        return Err(format!(
            "--every \"{s}\" must be between 5 minutes and a year"
        ));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(url: &str) -> NewSource {
        NewSource {
            url: url.into(),
            vendor: "Acme".into(),
            document: "Privacy Policy".into(),
            ..NewSource::default()
        }
    }

    #[test]
    fn add_list_remove_keep_ids_unique() {
        let dir = tempfile::tempdir().unwrap();
        let a = add(dir.path(), &new("http://127.0.0.1:1/a")).unwrap();
        let b = add(dir.path(), &new("http://127.0.0.1:1/b")).unwrap();
        assert_eq!(a.id, "acme-privacy-policy");
        assert_eq!(b.id, "acme-privacy-policy-2");
        let again = add(dir.path(), &new("http://127.0.0.1:1/a")).unwrap_err();
        assert!(again.to_string().contains("already watched"), "{again}");
        remove(dir.path(), &a.id).unwrap();
        let list = Watchlist::read(dir.path()).unwrap();
        assert_eq!(list.sources, vec![b]);
        assert!(matches!(
            remove(dir.path(), "nope"),
            Err(WatchError::NotFound(_))
        ));
        // A removed source whose snapshots stay keeps its ID to itself.
        std::fs::create_dir_all(watch_dir(dir.path()).join("snapshots").join(&a.id)).unwrap();
        let c = add(dir.path(), &new("http://127.0.0.1:1/a")).unwrap();
        assert_eq!(c.id, "acme-privacy-policy-3");
    }

    #[test]
    fn a_hand_edited_source_is_checked_like_an_added_one() {
        let mut s = validate(&new("http://x.test/")).unwrap();
        s.ignore = vec!["[".into()];
        assert!(s.check().unwrap_err().contains("ignore pattern"));
        s.ignore = vec![];
        s.every = "often".into();
        assert!(s.check().unwrap_err().contains("--every"));
        // Patterns are checked as they are used: case-insensitive.
        let p = validate(&NewSource {
            ignore: vec!["Build \\d+".into()],
            ..new("http://x.test/")
        })
        .unwrap();
        assert!(p.ignore_patterns().unwrap()[0].is_match("build 7"));
    }

    #[test]
    fn bad_fields_are_refused_with_the_reason() {
        for (f, want) in [
            (
                NewSource {
                    url: "ftp://x/y".into(),
                    ..new("")
                },
                "only http and https",
            ),
            (
                NewSource {
                    url: "not a url".into(),
                    ..new("")
                },
                "not a web address",
            ),
            (
                NewSource {
                    select: Some("a[".into()),
                    ..new("http://x/")
                },
                "not valid CSS",
            ),
            (
                NewSource {
                    ignore: vec!["(".into()],
                    ..new("http://x/")
                },
                "ignore pattern \"(\" is not valid",
            ),
            (
                NewSource {
                    every: Some("1s".into()),
                    ..new("http://x/")
                },
                "unit must be",
            ),
            (
                NewSource {
                    every: Some("1m".into()),
                    ..new("http://x/")
                },
                "between 5 minutes",
            ),
            (
                NewSource {
                    vendor: " ".into(),
                    ..new("http://x/")
                },
                "--vendor",
            ),
        ] {
            let e = validate(&f).unwrap_err().to_string();
            assert!(e.contains(want), "{e} lacks {want}");
        }
    }

    #[test]
    fn tracking_parameters_leave_the_address() {
        let s = validate(&new("https://x.test/p?utm_source=a&lang=en")).unwrap();
        assert_eq!(s.url, "https://x.test/p?lang=en");
    }
}
