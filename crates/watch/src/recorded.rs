//! What the corpus records of each source, so that the state catches up
//! with it.
//!
//! A check writes in this order: the fetched body, then the version
//! (through the corpus's atomic add), then the snapshot's description and
//! the source's state. A process killed after the version but before the
//! state leaves a state one version behind. The next run finds the
//! version by its note (`watched (ID): …`) and brings the state up to it,
//! so that the same page neither records the version again nor waits
//! forever for a date that is taken.

use std::collections::HashMap;
use std::path::Path;

use time::OffsetDateTime;
use trustlens_core::corpus::add::recorded_versions;
use trustlens_core::corpus::manifest::ManifestVersion;

use crate::extract::{extract, text_key};
use crate::sources::{Source, SourceState, Watchlist};
use crate::{snapshot, WatchError};

/// The note a recorded version carries: which source, when, from where,
/// and the snapshot body it was taken from.
pub fn note(source: &str, fetched: &str, final_url: &str, body_sha256: &str) -> String {
    format!("watched ({source}): fetched {fetched} from {final_url}, snapshot sha256 {body_sha256}")
}

/// The fetch time and body hash of a note written by [`note`] for `source`.
fn parse_note<'a>(text: &'a str, source: &str) -> Option<(&'a str, &'a str)> {
    let rest = text.strip_prefix(&format!("watched ({source}): fetched "))?;
    let (fetched, rest) = rest.split_once(" from ")?;
    let (_, sha) = rest.rsplit_once(", snapshot sha256 ")?;
    Some((fetched, sha))
}

/// Bring the states of `chosen` up to the versions their sources recorded,
/// in the state file and in `chosen`.
pub fn catch_up(corpus: &Path, chosen: &mut [(Source, SourceState)]) -> Result<(), WatchError> {
    let all = recorded_versions(corpus)?;
    let latest = latest_by_source(&all);
    let fixes: Vec<(usize, SourceState)> = chosen
        .iter()
        .enumerate()
        .filter_map(|(i, (source, state))| {
            let latest = latest.get(source.id.as_str())?;
            behind(state, latest).then(|| (i, caught_up(corpus, source, state, latest)))
        })
        .collect();
    if fixes.is_empty() {
        return Ok(());
    }
    let applied = Watchlist::update(corpus, |list| {
        let mut applied = Vec::new();
        for (i, fixed) in &fixes {
            let (source, before) = &chosen[*i];
            let listed = list.sources.iter().any(|s| s.id == source.id);
            let st = list.states.get(&source.id).cloned().unwrap_or_default();
            // Another process may have caught up (or moved on) meanwhile.
            if listed && st.version == before.version {
                list.states.insert(source.id.clone(), fixed.clone());
                applied.push((*i, fixed.clone()));
            }
        }
        Ok(applied)
    })?;
    for (i, fixed) in applied {
        chosen[i].1 = fixed;
    }
    Ok(())
}

/// The latest version each source recorded, by source ID (read from the notes).
fn latest_by_source(all: &[ManifestVersion]) -> HashMap<&str, &ManifestVersion> {
    let mut latest: HashMap<&str, &ManifestVersion> = HashMap::new();
    for v in all {
        let Some(id) = v
            .note
            .as_deref()
            .and_then(|n| n.strip_prefix("watched ("))
            .and_then(|n| n.split_once("): fetched "))
            .map(|(id, _)| id)
        else {
            continue;
        };
        let slot = latest.entry(id).or_insert(v);
        if v.date > slot.date {
            *slot = v;
        }
    }
    latest
}

fn id_of(v: &ManifestVersion) -> String {
    format!("{}@{}", v.document_id, v.date)
}

/// Whether the state has not yet taken in `latest`, a version its source
/// recorded.
fn behind(state: &SourceState, latest: &ManifestVersion) -> bool {
    crate::check::later(&id_of(latest), state.version.as_deref())
}

/// The state as the check that recorded `v` would have left it. Its
/// validators are dropped: the next fetch is a whole one.
fn caught_up(
    corpus: &Path,
    source: &Source,
    state: &SourceState,
    v: &ManifestVersion,
) -> SourceState {
    let (fetched, sha) = v
        .note
        .as_deref()
        .and_then(|n| parse_note(n, &source.id))
        .unwrap_or_default();
    let text_sha256 = snapshot::body(corpus, &source.id, sha).and_then(|body| {
        let e = extract(source, v.format, &body).ok()?;
        Some(text_key(&e, sha))
    });
    let at = OffsetDateTime::parse(fetched, &time::format_description::well_known::Rfc3339).ok();
    SourceState {
        version: Some(id_of(v)),
        last_changed: at.map(crate::check::stamp).or(state.last_changed.clone()),
        body_sha256: Some(sha.to_string()),
        text_sha256,
        etag: None,
        last_modified: None,
        pending: None,
        ..state.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_says_its_source_time_and_body() {
        let n = note(
            "acme-dpa",
            "2026-12-07T10:00:00.000Z",
            "https://x.test/a, b",
            "ab12",
        );
        assert_eq!(
            parse_note(&n, "acme-dpa"),
            Some(("2026-12-07T10:00:00.000Z", "ab12"))
        );
        assert_eq!(parse_note(&n, "acme"), None);
        assert_eq!(parse_note("imported by hand", "acme-dpa"), None);
    }
}
