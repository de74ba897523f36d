//! The regulatory timeline (`corpus/timeline.toml`): dated events that make a
//! framework valid or invalid — a transfer mechanism struck down by a court,
//! a new one adopted — and the flags they raise on versions that rely on it.
//!
//! A version "relies on" a framework when one of its clauses names it (the
//! lexicon's patterns decide). It is flagged when the framework was already
//! invalid at the version's own date, or has become invalid since. The flag
//! carries the event and the clauses, so the analyst can judge the wording
//! ("we relied on X until ..." still gets flagged: better to look once).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clause::Clause;
use crate::lexicon::Lexicon;
use crate::located::DataFileError;
use crate::text::line_of;

/// File name of a timeline inside a corpus directory.
pub const TIMELINE_FILE: &str = "timeline.toml";

static BUNDLED: &str = include_str!("../../../corpus/timeline.toml");

/// What an event does to its framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// The framework becomes usable from this date.
    Adopted,
    /// The framework can no longer be relied on from this date.
    Invalidated,
    /// The framework changed but stays usable (informational).
    Amended,
}

/// One dated event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Event {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The lexicon framework it concerns (by name).
    pub framework: String,
    /// What it does to the framework.
    pub effect: Effect,
    /// What happened, in one line.
    pub title: String,
    /// Where to read about it.
    pub source: Option<String>,
}

/// The loaded timeline, events in date order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    /// Events, oldest first.
    pub events: Vec<Event>,
}

/// Why a version is flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FlagStatus {
    /// The framework was already invalid on the version's own date.
    InvalidAtVersionDate,
    /// The framework became invalid after the version's date, on or before today.
    InvalidNow,
}

/// One version's regulatory flags, as a comparison or memo lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VersionFlags {
    /// The version's ID.
    pub version: String,
    /// Its date.
    pub date: String,
    /// Its flags.
    pub flags: Vec<RegulatoryFlag>,
}

/// A version relies on a framework that an event invalidated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RegulatoryFlag {
    /// The framework.
    pub framework: String,
    /// Invalid already at the version's date, or since.
    pub status: FlagStatus,
    /// The event that invalidated it.
    pub event: Event,
    /// The clauses that name it.
    pub clause_ids: Vec<String>,
    /// One sentence for the user.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    event: Vec<RawEvent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    date: toml::Spanned<String>,
    framework: toml::Spanned<String>,
    effect: Effect,
    title: String,
    #[serde(default)]
    source: Option<String>,
}

/// True for a real calendar date written `YYYY-MM-DD`.
fn is_date(s: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    s.len() == 10 && time::Date::parse(s, &format).is_ok()
}

impl Timeline {
    /// The timeline shipped with trustlens.
    pub fn bundled() -> &'static Timeline {
        static TIMELINE: OnceLock<Timeline> = OnceLock::new();
        TIMELINE.get_or_init(|| {
            Timeline::parse("corpus/timeline.toml", BUNDLED, Lexicon::bundled())
                .expect("the bundled timeline is valid (tested)")
        })
    }

    /// The timeline of a corpus directory if it has one, else the bundled one.
    pub fn for_dir(
        dir: Option<&std::path::Path>,
        lexicon: &Lexicon,
    ) -> Result<Timeline, DataFileError> {
        if let Some(path) = dir.map(|d| d.join(TIMELINE_FILE)).filter(|p| p.exists()) {
            let bytes = std::fs::read(&path).map_err(|e| DataFileError::io(&path, e))?;
            let text = String::from_utf8(bytes).map_err(|_| DataFileError::At {
                file: path.display().to_string(),
                line: 1,
                message: "the file is not UTF-8 text".into(),
            })?;
            return Timeline::parse(&path.display().to_string(), &text, lexicon);
        }
        Ok(Timeline::bundled().clone())
    }

    /// Parse timeline text; every framework must be one the lexicon knows, so
    /// that a typo cannot silently switch a flag off. `file` is for messages.
    pub fn parse(file: &str, text: &str, lexicon: &Lexicon) -> Result<Timeline, DataFileError> {
        let err = |line: usize, message: String| DataFileError::At {
            file: file.into(),
            line,
            message,
        };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            err(
                e.span().map_or(1, |s| line_of(text, s.start)),
                e.message().trim().to_string(),
            )
        })?;
        let mut events = Vec::with_capacity(raw.event.len());
        for e in raw.event {
            let line = |s: &toml::Spanned<String>| line_of(text, s.span().start);
            if !is_date(e.date.get_ref()) {
                return Err(err(
                    line(&e.date),
                    format!(
                        "date \"{}\" is not a calendar date written YYYY-MM-DD",
                        e.date.get_ref()
                    ),
                ));
            }
            let name = e.framework.get_ref();
            if !lexicon.frameworks.iter().any(|f| &f.name == name) {
                return Err(err(
                    line(&e.framework),
                    format!(
                        "framework \"{name}\" is not in the lexicon (names are matched exactly; see lexicon.toml)"
                    ),
                ));
            }
            if e.title.trim().is_empty() {
                return Err(err(line(&e.date), "an event needs a title".into()));
            }
            events.push(Event {
                date: e.date.into_inner(),
                framework: e.framework.into_inner(),
                effect: e.effect,
                title: e.title.trim().to_string(),
                source: e.source.filter(|s| !s.trim().is_empty()),
            });
        }
        events.sort_by(|a, b| a.date.cmp(&b.date));
        Ok(Timeline { events })
    }

    /// The invalidating event in force for `framework` on `date`, if any: the
    /// latest adopting or invalidating event on or before that date, when it
    /// invalidates. (`Amended` events leave the state as it was.)
    pub fn invalidated_on(&self, framework: &str, date: &str) -> Option<&Event> {
        self.events
            .iter()
            .rfind(|e| {
                e.framework == framework && e.date.as_str() <= date && e.effect != Effect::Amended
            })
            .filter(|e| e.effect == Effect::Invalidated)
    }

    /// Flags for a version dated `date` with `clauses`, judged on its date and
    /// on `today` (`YYYY-MM-DD`).
    pub fn flags(
        &self,
        lexicon: &Lexicon,
        date: &str,
        clauses: &[Clause],
        today: &str,
    ) -> Vec<RegulatoryFlag> {
        let mut out = Vec::new();
        // The clauses naming each framework, from one scan per clause.
        let mut naming: Vec<Vec<String>> = vec![Vec::new(); lexicon.frameworks.len()];
        for c in clauses {
            for f in lexicon.frameworks_in(&c.text) {
                naming[f].push(c.id());
            }
        }
        for (f, clause_ids) in lexicon.frameworks.iter().zip(naming) {
            if clause_ids.is_empty() || !self.events.iter().any(|e| e.framework == f.name) {
                continue;
            }
            let (status, event) = if let Some(e) = self.invalidated_on(&f.name, date) {
                (FlagStatus::InvalidAtVersionDate, e)
            } else if let Some(e) = self.invalidated_on(&f.name, today) {
                (FlagStatus::InvalidNow, e)
            } else {
                continue;
            };
            let when = match status {
                FlagStatus::InvalidAtVersionDate => {
                    format!("already invalid on this version's date ({date})")
                }
                FlagStatus::InvalidNow => {
                    format!("invalid since {}, after this version", event.date)
                }
            };
            let n = clause_ids.len();
            out.push(RegulatoryFlag {
                message: format!(
                    "relies on {} ({} clause{}), {when}: {} ({})",
                    f.name,
                    n,
                    if n == 1 { "" } else { "s" },
                    event.title,
                    event.date
                ),
                framework: f.name.clone(),
                status,
                event: event.clone(),
                clause_ids,
            });
        }
        out
    }
}

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    let d = time::OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(id: &str, text: &str) -> Clause {
        let (version, slug, ordinal) = crate::clause::split_id(id).expect("a clause ID");
        Clause {
            version: version.into(),
            section_slug: slug.into(),
            ordinal,
            section: vec!["A".into()].into(),
            pages: Box::default(),
            kind: crate::clause::ClauseKind::Paragraph,
            text: text.into(),
            ocr: None,
        }
    }

    const TOML: &str = r#"
[[event]]
date = "2015-10-06"
framework = "EU-US Safe Harbor"
effect = "invalidated"
title = "Court invalidates Safe Harbor"

[[event]]
date = "2000-07-26"
framework = "EU-US Safe Harbor"
effect = "adopted"
title = "Safe Harbor adopted"
"#;

    #[test]
    fn events_are_sorted_and_state_follows_the_latest() {
        let t = Timeline::parse("t.toml", TOML, Lexicon::bundled()).unwrap();
        assert_eq!(t.events[0].date, "2000-07-26");
        assert!(t
            .invalidated_on("EU-US Safe Harbor", "2010-01-01")
            .is_none());
        assert!(t
            .invalidated_on("EU-US Safe Harbor", "2015-10-06")
            .is_some());
        assert!(t
            .invalidated_on("EU-US Privacy Shield", "2030-01-01")
            .is_none());
    }

    #[test]
    fn flags_at_version_date_and_now() {
        let t = Timeline::parse("t.toml", TOML, Lexicon::bundled()).unwrap();
        let cs = [
            clause("d@1/a/1", "We self-certify to the Safe Harbour framework."),
            clause("d@1/a/2", "Nothing here."),
        ];
        let at = t.flags(Lexicon::bundled(), "2016-01-01", &cs, "2026-01-01");
        assert_eq!(at.len(), 1);
        assert_eq!(at[0].status, FlagStatus::InvalidAtVersionDate);
        assert_eq!(at[0].clause_ids, ["d@1/a/1"]);
        let now = t.flags(Lexicon::bundled(), "2014-01-01", &cs, "2026-01-01");
        assert_eq!(now[0].status, FlagStatus::InvalidNow);
        assert!(t
            .flags(Lexicon::bundled(), "2014-01-01", &cs, "2015-01-01")
            .is_empty());
        assert!(t
            .flags(Lexicon::bundled(), "2016-01-01", &cs[1..], "2026-01-01")
            .is_empty());
    }

    #[test]
    fn a_framework_the_lexicon_does_not_know_is_an_error_with_its_line() {
        let bad = TOML.replace(
            "framework = \"EU-US Safe Harbor\"\neffect = \"adopted\"",
            "framework = \"Safe Harbour\"\neffect = \"adopted\"",
        );
        let e = Timeline::parse("t.toml", &bad, Lexicon::bundled()).unwrap_err();
        assert_eq!(e.to_string(), "t.toml:10: framework \"Safe Harbour\" is not in the lexicon (names are matched exactly; see lexicon.toml)");
    }

    #[test]
    fn bad_dates_effects_and_fields_are_errors_with_lines() {
        for (bad, line, needle) in [
            (
                TOML.replace("2015-10-06", "2015-13-06"),
                3,
                "not a calendar date",
            ),
            (
                TOML.replace("\"invalidated\"", "\"struck\""),
                5,
                "unknown variant",
            ),
            (
                TOML.replace("title = \"Safe Harbor adopted\"", "titel = \"x\""),
                12,
                "unknown field",
            ),
            (
                "[[event]]\ndate = 2015-10-06\n".to_string(),
                2,
                "invalid type",
            ),
        ] {
            let e = Timeline::parse("t.toml", &bad, Lexicon::bundled())
                .unwrap_err()
                .to_string();
            assert!(e.starts_with(&format!("t.toml:{line}:")), "{e}");
            assert!(e.contains(needle), "{e}");
        }
    }

    #[test]
    fn hostile_timeline_files_are_errors_or_empty_never_panics() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(TIMELINE_FILE);
        let load = |bytes: &[u8]| {
            std::fs::write(&path, bytes).unwrap();
            Timeline::for_dir(Some(dir.path()), Lexicon::bundled())
        };
        assert_eq!(load(b"").unwrap(), Timeline::default());
        let e = load(b"\xff\xfe[[event]]").unwrap_err().to_string();
        assert!(
            e.contains("timeline.toml:1: the file is not UTF-8 text"),
            "{e}"
        );
        let e = load(b"\0\0\0binary").unwrap_err().to_string();
        assert!(e.contains("timeline.toml:1:"), "{e}");
        let deep = "[[event]]\ntitle = ".to_string() + &"[".repeat(10_000);
        assert!(load(deep.as_bytes()).is_err());
        let e = load(b"[[event]]\ndate = \"2015-10-06\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing field"), "{e}");
    }

    #[test]
    fn the_bundled_timeline_loads() {
        assert!(Timeline::bundled().events.len() >= 5);
    }

    #[test]
    fn today_is_a_date() {
        assert!(is_date(&today()));
    }
}
