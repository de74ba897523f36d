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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    remove: Vec<String>,
    tracking_parameters: Vec<String>,
    noise: Vec<String>,
    effective_date: Vec<String>,
}

/// The rules, compiled.
pub struct Rules {
    /// CSS selectors of elements that are never the document.
    pub remove: Vec<scraper::Selector>,
    /// Query parameters that only track the visitor.
    pub tracking_parameters: Vec<String>,
    /// Text removed before two fetches are compared.
    pub noise: Vec<Regex>,
    /// Phrases giving the document's own date (capture group 1).
    pub effective_date: Vec<Regex>,
}

fn compile(pattern: &str) -> Regex {
    RegexBuilder::new(&pattern.replace("DATE", &date_pattern()))
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
        Rules {
            remove: file
                .remove
                .iter()
                .map(|s| {
                    scraper::Selector::parse(s)
                        .unwrap_or_else(|e| panic!("corpus/watch.toml: selector {s:?}: {e}"))
                })
                .collect(),
            tracking_parameters: file.tracking_parameters,
            noise: file.noise.iter().map(|p| compile(p)).collect(),
            effective_date: file.effective_date.iter().map(|p| compile(p)).collect(),
        }
    })
}

/// A date as a page writes it → `YYYY-MM-DD`, when it is a calendar date.
/// `03/01/2024` is read month first, as most vendors' pages in English do.
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
        (num(&c, 3)?, num(&c, 1)?, num(&c, 2)?)
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
            ("03/01/2024", Some("2024-03-01")),
            ("February 30, 2024", None),
            ("2024-13-01", None),
            ("soon", None),
        ] {
            assert_eq!(parse_date(text).as_deref(), want, "{text}");
        }
    }

    #[test]
    fn noise_patterns_take_stamps_and_times_only() {
        let text = "Last updated: March 1, 2024. We encrypt data at 10:30 UTC. © 2016-2024 Example";
        let mut out = text.to_string();
        for r in &rules().noise {
            out = r.replace_all(&out, "").into_owned();
        }
        assert!(out.contains("We encrypt data at"), "{out}");
        assert!(!out.contains("2024"), "{out}");
        assert!(!out.contains("10:30"), "{out}");
    }
}
