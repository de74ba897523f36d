//! Word-level redline of two texts, with `similar`.
//!
//! A diff gets a deadline: a pathological pair (two long texts with little in
//! common) degrades to a coarser diff instead of stalling the compare.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};
use ts_rs::TS;

/// How long one clause diff may take before `similar` settles for a coarser answer.
pub const DIFF_DEADLINE: Duration = Duration::from_millis(50);

/// Texts up to this many bytes (a long paragraph) are diffed without a
/// deadline: two such texts are diffed in well under a millisecond even
/// when they have nothing in common.
const SHORT_TEXT: usize = 1024;

/// What happened to a run of words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Edit {
    /// In both texts.
    Same,
    /// Only in the old text.
    Deleted,
    /// Only in the new text.
    Inserted,
}

/// A run of text and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RedlinePart {
    /// The words, with the whitespace that followed them.
    pub text: String,
    /// Same, deleted or inserted.
    pub edit: Edit,
}

/// The inline redline of `old` → `new`: runs of same, deleted and inserted words.
/// The side-by-side view is the same parts split by [`old_side`] and [`new_side`].
pub fn redline(old: &str, new: &str) -> Vec<RedlinePart> {
    let mut config = TextDiff::configure();
    // Clauses are short, and their diffs quick: only a long pair needs the
    // deadline (reading the clock costs more than diffing two sentences).
    if old.len().max(new.len()) > SHORT_TEXT {
        config.deadline(Instant::now() + DIFF_DEADLINE);
    }
    let diff = config.diff_words(old, new);
    let mut parts: Vec<RedlinePart> = Vec::new();
    for change in diff.iter_all_changes() {
        let edit = match change.tag() {
            ChangeTag::Equal => Edit::Same,
            ChangeTag::Delete => Edit::Deleted,
            ChangeTag::Insert => Edit::Inserted,
        };
        let text = change.value();
        match parts.last_mut() {
            Some(last) if last.edit == edit => last.text.push_str(text),
            _ => parts.push(RedlinePart {
                text: text.to_string(),
                edit,
            }),
        }
    }
    coalesce(parts)
}

/// Fold the spaces between changed words into the change, so that
/// "EU-US Privacy Shield" reads as one deleted phrase followed by its
/// replacement rather than as alternating single words. Each side still
/// rebuilds its text exactly.
fn coalesce(parts: Vec<RedlinePart>) -> Vec<RedlinePart> {
    let blank = |p: &RedlinePart| p.edit == Edit::Same && p.text.trim().is_empty();
    let mut out: Vec<RedlinePart> = Vec::with_capacity(parts.len());
    let mut i = 0;
    while i < parts.len() {
        if parts[i].edit == Edit::Same {
            out.push(parts[i].clone());
            i += 1;
            continue;
        }
        // A region: changed parts, possibly joined by blank same parts, that
        // starts and ends with a changed part.
        let mut end = i;
        let mut j = i;
        while j < parts.len() && (parts[j].edit != Edit::Same || blank(&parts[j])) {
            if parts[j].edit != Edit::Same {
                end = j;
            }
            j += 1;
        }
        let (mut deleted, mut inserted) = (String::new(), String::new());
        let (mut any_deleted, mut any_inserted) = (false, false);
        for p in &parts[i..=end] {
            match p.edit {
                Edit::Deleted => {
                    deleted.push_str(&p.text);
                    any_deleted = true;
                }
                Edit::Inserted => {
                    inserted.push_str(&p.text);
                    any_inserted = true;
                }
                Edit::Same => {
                    deleted.push_str(&p.text);
                    inserted.push_str(&p.text);
                }
            }
        }
        if any_deleted {
            out.push(RedlinePart {
                text: deleted,
                edit: Edit::Deleted,
            });
        }
        if any_inserted {
            out.push(RedlinePart {
                text: inserted,
                edit: Edit::Inserted,
            });
        }
        i = end + 1;
    }
    out
}

fn trailing_space(s: &str) -> &'static str {
    if s.ends_with(' ') {
        " "
    } else {
        ""
    }
}

/// A redline as Markdown: deletions struck through, insertions in bold,
/// document text escaped.
pub fn to_markdown(parts: &[RedlinePart]) -> String {
    use crate::text::md_escape;
    parts
        .iter()
        .map(|p| match p.edit {
            Edit::Same => md_escape(&p.text),
            Edit::Deleted => format!(
                "~~{}~~{}",
                md_escape(p.text.trim()),
                trailing_space(&p.text)
            ),
            Edit::Inserted => format!(
                "**{}**{}",
                md_escape(p.text.trim()),
                trailing_space(&p.text)
            ),
        })
        .collect()
}

/// A redline as HTML: `<del>` and `<ins>`, document text escaped.
pub fn to_html(parts: &[RedlinePart]) -> String {
    use crate::text::html_escape;
    parts
        .iter()
        .map(|p| match p.edit {
            Edit::Same => html_escape(&p.text),
            Edit::Deleted => format!("<del>{}</del>", html_escape(&p.text)),
            Edit::Inserted => format!("<ins>{}</ins>", html_escape(&p.text)),
        })
        .collect()
}

/// A redline as plain text, wdiff style: `[-deleted-]{+inserted+}`.
pub fn to_plain(parts: &[RedlinePart]) -> String {
    parts
        .iter()
        .map(|p| match p.edit {
            Edit::Same => p.text.clone(),
            Edit::Deleted => format!("[-{}-]", p.text),
            Edit::Inserted => format!("{{+{}+}}", p.text),
        })
        .collect()
}

/// The old side of a redline: same and deleted runs.
pub fn old_side(parts: &[RedlinePart]) -> Vec<RedlinePart> {
    parts
        .iter()
        .filter(|p| p.edit != Edit::Inserted)
        .cloned()
        .collect()
}

/// The new side of a redline: same and inserted runs.
pub fn new_side(parts: &[RedlinePart]) -> Vec<RedlinePart> {
    parts
        .iter()
        .filter(|p| p.edit != Edit::Deleted)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(parts: &[RedlinePart]) -> String {
        to_plain(parts)
    }

    #[test]
    fn word_changes_are_marked() {
        let r = redline("deleted after 30 days.", "deleted within 30 days.");
        assert_eq!(render(&r), "deleted [-after-]{+within+} 30 days.");
    }

    #[test]
    fn sides_rebuild_each_text() {
        let (a, b) = (
            "Customer Data is deleted after 30 days",
            "Customer Data is erased within thirty days",
        );
        let r = redline(a, b);
        let join = |parts: Vec<RedlinePart>| parts.into_iter().map(|p| p.text).collect::<String>();
        assert_eq!(join(old_side(&r)), a);
        assert_eq!(join(new_side(&r)), b);
    }

    #[test]
    fn a_replaced_phrase_is_one_deletion_and_one_insertion() {
        let (a, b) = (
            "We notify you promptly of any breach.",
            "We notify you without undue delay of any confirmed breach.",
        );
        let r = redline(a, b);
        assert_eq!(
            render(&r),
            "We notify you [-promptly-]{+without undue delay+} of any {+confirmed +}breach."
        );
        let join = |parts: Vec<RedlinePart>| parts.into_iter().map(|p| p.text).collect::<String>();
        assert_eq!(join(old_side(&r)), a);
        assert_eq!(join(new_side(&r)), b);
    }

    #[test]
    fn identical_texts_are_one_same_run() {
        assert_eq!(
            redline("a b c", "a b c"),
            vec![RedlinePart {
                text: "a b c".into(),
                edit: Edit::Same
            }]
        );
    }

    #[test]
    fn a_long_unrelated_pair_finishes() {
        let a: String = (0..20_000).map(|i| format!("w{i} ")).collect();
        let b: String = (0..20_000).map(|i| format!("v{i} ")).collect();
        let r = redline(&a, &b);
        assert!(
            r.iter().any(|p| p.edit == Edit::Deleted) && r.iter().any(|p| p.edit == Edit::Inserted)
        );
    }
}
