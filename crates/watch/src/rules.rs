//! The noise rules (`corpus/watch.toml`): what to drop from a page before
//! its text is compared with the last version, and how a page states its
//! own effective date.

use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};
use serde::Deserialize;

static BUNDLED: &str = include_str!("../../../corpus/watch.toml");

/// A month name or abbreviation, as pages write dates.
const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

/// Any date as pages write them (what `DATE` stands for in the rules).
fn date_pattern() -> String {
    format!(
        r"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}\.?,?\s+\d{{4}}|{MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{4}})"
    )
}

/// A time of day (what `TIME` stands for in the rules).
const TIME: &str = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*(?:utc|gmt|z)\b)?";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    remove: Vec<String>,
    banner_max_chars: usize,
    tracking_parameters: Vec<String>,
    stamp_label: String,
    stamps: String,
    noise: Vec<String>,
    effective_date: Vec<String>,
}

/// The rules, compiled.
pub struct Rules {
    /// CSS selectors of elements that are never the document.
    pub remove: Vec<scraper::Selector>,
    /// An element `remove` matches is kept when it holds more text than this.
    pub banner_max_chars: usize,
    /// Query parameters that only track the visitor.
    pub tracking_parameters: Vec<String>,
    /// The page's own stamps that end a paragraph (group `keep` precedes them).
    pub stamps: Regex,
    /// Text removed before two fetches are compared (group `keep` stays).
    pub noise: Vec<Regex>,
    /// Phrases giving the document's own date (capture group 1).
    pub effective_date: Vec<Regex>,
}

fn compile(pattern: &str, label: &str) -> Regex {
    let full = pattern
        .replace("LABEL", label)
        .replace("DATE", &date_pattern())
        .replace("TIME", TIME);
    RegexBuilder::new(&full)
        .case_insensitive(true)
        .build()
        .unwrap_or_else(|e| panic!("corpus/watch.toml: the pattern {pattern:?} is invalid: {e}"))
}

/// The shipped rules. They are part of the program (checked by its tests),
/// so a broken rule is a bug, not bad input.
pub fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        let file: RulesFile =
            toml::from_str(BUNDLED).unwrap_or_else(|e| panic!("corpus/watch.toml: {e}"));
        let label = &file.stamp_label;
        Rules {
            remove: file
                .remove
                .iter()
                .map(|s| {
                    scraper::Selector::parse(s)
                        .unwrap_or_else(|e| panic!("corpus/watch.toml: selector {s:?}: {e}"))
                })
                .collect(),
            banner_max_chars: file.banner_max_chars,
            tracking_parameters: file.tracking_parameters,
            stamps: compile(&file.stamps, label),
            noise: file.noise.iter().map(|p| compile(p, label)).collect(),
            effective_date: file
                .effective_date
                .iter()
                .map(|p| compile(p, label))
                .collect(),
        }
    })
}

/// A date as a page writes it → `YYYY-MM-DD`, when it is a calendar date
/// that reads one way only: `03/01/2024` may be March or January and gives
/// none; `13/01/2024` and `01/13/2024` are both 13 January.
pub fn parse_date(s: &str) -> Option<String> {
    static FORMS: OnceLock<[Regex; 4]> = OnceLock::new();
    let [iso, day_first, month_first, slashed] = FORMS.get_or_init(|| {
        let r = |p: String| {
            RegexBuilder::new(&p)
                .case_insensitive(true)
                .build()
                .unwrap()
        };
        [
            r(r"^(\d{4})-(\d{1,2})-(\d{1,2})$".into()),
            r(format!(
                r"^(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH})\.?,?\s+(\d{{4}})$"
            )),
            r(format!(
                r"^({MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})$"
            )),
            r(r"^(\d{1,2})/(\d{1,2})/(\d{4})$".into()),
        ]
    });
    let s = s.trim();
    let num = |c: &regex::Captures, i: usize| c[i].parse::<u32>().ok();
    let (y, m, d) = if let Some(c) = iso.captures(s) {
        (num(&c, 1)?, num(&c, 2)?, num(&c, 3)?)
    } else if let Some(c) = day_first.captures(s) {
        (num(&c, 3)?, month_number(&c[2])?, num(&c, 1)?)
    } else if let Some(c) = month_first.captures(s) {
        (num(&c, 3)?, month_number(&c[1])?, num(&c, 2)?)
    } else if let Some(c) = slashed.captures(s) {
        let (a, b) = (num(&c, 1)?, num(&c, 2)?);
        match (a <= 12, b <= 12) {
            (true, true) if a != b => return None,
            (true, _) => (num(&c, 3)?, a, b),
            (false, _) => (num(&c, 3)?, b, a),
        }
    } else {
        return None;
    };
    let month = time::Month::try_from(u8::try_from(m).ok()?).ok()?;
    let date = time::Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?)
        .ok()?;
    Some(format!("{:04}-{:02}-{:02}", date.year(), m, d))
}

fn month_number(name: &str) -> Option<u32> {
    let name = name.to_ascii_lowercase();
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    NAMES
        .iter()
        .position(|m| name.starts_with(m))
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rules_compile() {
        let r = rules();
        assert!(!r.remove.is_empty() && !r.noise.is_empty() && !r.effective_date.is_empty());
    }

    #[test]
    fn dates_in_the_forms_pages_use() {
        for (text, want) in [
            ("2024-03-01", Some("2024-03-01")),
            ("1 March 2024", Some("2024-03-01")),
            ("March 1st, 2024", Some("2024-03-01")),
            ("Mar. 1, 2024", Some("2024-03-01")),
            ("03/01/2024", None),
            ("13/01/2024", Some("2024-01-13")),
            ("01/13/2024", Some("2024-01-13")),
            ("04/04/2024", Some("2024-04-04")),
            ("February 30, 2024", None),
            ("2024-13-01", None),
            ("soon", None),
        ] {
            assert_eq!(parse_date(text).as_deref(), want, "{text}");
        }
    }

    fn strip(text: &str) -> String {
        let r = rules();
        let mut out = r.stamps.replace_all(text, "${keep} ").into_owned();
        for n in &r.noise {
            out = n.replace_all(&out, "${keep} ").into_owned();
        }
        out
    }

    #[test]
    fn stamps_and_timestamps_are_noise() {
        for (text, left) in [
            ("Last updated: March 1, 2024", ""),
            ("Effective date 2024-03-01 | Revised 1 March 2024.", ""),
            (
                "Privacy Policy — last updated March 1, 2024",
                "Privacy Policy —",
            ),
            (
                "We keep logs for 30 days. Revised 2024-03-01",
                "We keep logs for 30 days.",
            ),
            ("Generated at 14:03:59 UTC", ""),
            ("Rendered at 10:42:07 UTC.", ""),
            ("Build 2024-03-01T14:03:59Z", "Build"),
            ("© 2016–2024 Example Inc.", "Example Inc."),
            ("Copyright 2024 Example", "Example"),
        ] {
            assert_eq!(strip(text).trim(), left, "{text}");
        }
    }

    #[test]
    fn dates_and_times_in_sentences_are_text() {
        for text in [
            "Effective January 1, 2025, we will notify customers within 24 hours.",
            "We will begin encrypting backups as of March 1, 2025 in every region.",
            "We will begin encrypting backups as of March 1, 2025",
            "Backups run daily at 02:00 UTC.",
            "(c) 2024 customers may ask for deletion.",
            "Requests must be made within 30 days of 1 March 2024 or later.",
        ] {
            assert_eq!(strip(text), text, "{text}");
        }
    }
}
