//! Checking sources: fetch each, keep the snapshot, and record a new
//! version only when the document's text really changed.
//!
//! Sources are fetched side by side (a few at a time: vendors' servers and
//! the user's link are shared), each on its own deadline. What is decided
//! from a response — extract, compare, record — runs on a blocking thread,
//! and every write goes through the corpus's write lock: the version by
//! [`add_bytes`], the same path as import, and the state by
//! [`Watchlist::update`].
//!
//! Writes come in an order that a killed process cannot turn into a lost
//! or doubled version: the body first, then the version, then the
//! snapshot's description and the state (which the next run brings up to
//! the version, see [`crate::recorded`]). A check that finds the state
//! changed under it by another process's check only moves it forward.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use time::OffsetDateTime;
use trustlens_core::corpus::add::{add_bytes, family_versions, AddVersion, Added};
use trustlens_core::corpus::CorpusError;
use trustlens_core::ingest::ocr::OcrMode;
use trustlens_core::text::sha256_hex;
use ts_rs::TS;

use crate::extract::{extract, format_of, text_key};
use crate::fetch::{self, FetchError, Fetched, Validators};
use crate::snapshot::{self, Snapshot};
use crate::sources::{parse_every, watch_dir, Source, SourceState, Watchlist, FAILING_AFTER};
use crate::WatchError;

/// What a check of one source came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckResult {
    /// Nothing changed but noise (or the server said Not Modified).
    Unchanged,
    /// The text changed: a new version was recorded.
    NewVersion,
    /// The text changed, but the document already has a version of the
    /// date it would take: a check on a later day records it.
    Deferred,
    /// The check failed; nothing was recorded.
    Error,
}

/// One source's check, as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CheckOutcome {
    /// Source ID.
    pub source: String,
    /// Vendor.
    pub vendor: String,
    /// Document.
    pub document: String,
    /// The address fetched.
    pub url: String,
    /// What came of it.
    pub result: CheckResult,
    /// The version recorded.
    pub version: Option<String>,
    /// The version before it, from this source.
    pub previous: Option<String>,
    /// Why it failed, or what was found.
    pub message: Option<String>,
    /// The snapshot kept, relative to the corpus.
    pub snapshot: Option<String>,
    /// The source has failed too often in a row: it is checked less often.
    pub failing: bool,
    /// When the source is due again.
    pub next_check: Option<String>,
}

/// Called before a version is added (to join a family of another corpus).
pub type Prepare = Arc<dyn Fn(&mut AddVersion) -> Result<(), CorpusError> + Send + Sync>;

/// How to check.
#[derive(Clone)]
pub struct RunOptions {
    /// Only this source (by ID).
    pub only: Option<String>,
    /// Only the sources whose next check is due.
    pub due_only: bool,
    /// Fetches at once.
    pub concurrency: usize,
    /// Each fetch's deadline.
    pub timeout: Duration,
    /// When recorded PDFs are read with OCR.
    pub ocr: OcrMode,
    /// Applied to each version before it is added.
    pub prepare: Option<Prepare>,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            only: None,
            due_only: false,
            concurrency: 8,
            timeout: Duration::from_secs(30),
            ocr: OcrMode::Auto,
            prepare: None,
        }
    }
}

/// A page this many times its usual size is refused (an error page of
/// another kind, or a page that swallowed an archive)…
pub const SIZE_FACTOR: u64 = 100;
/// …this many checks in a row; the next takes it as the page's new size.
pub const OVERSIZE_REFUSALS: u32 = 2;

struct Ctx {
    corpus: PathBuf,
    /// Checks of this run write one at a time: the corpus lock is for
    /// other processes (waiting on it is announced as such).
    writes: std::sync::Mutex<()>,
    client: reqwest::Client,
    ocr: OcrMode,
    prepare: Option<Prepare>,
}

/// Check the sources of the corpus in `corpus` as `opts` says, telling
/// `on_outcome` of each as it completes; returns every outcome. Only a
/// watch list that cannot be read (or a fetcher that cannot start) is an
/// error: whatever goes wrong with one source is that source's outcome.
pub fn run(
    corpus: &Path,
    opts: &RunOptions,
    on_outcome: &mut dyn FnMut(&CheckOutcome),
) -> Result<Vec<CheckOutcome>, WatchError> {
    let list = Watchlist::read(corpus)?;
    let now = OffsetDateTime::now_utc();
    let mut chosen: Vec<(Source, SourceState)> = match &opts.only {
        Some(id) => vec![(list.source(id)?.clone(), state_of(&list, id))],
        None => list
            .sources
            .iter()
            .filter(|s| !opts.due_only || list.is_due(&s.id, now))
            .map(|s| (s.clone(), state_of(&list, &s.id)))
            .collect(),
    };
    if chosen.is_empty() {
        return Ok(vec![]);
    }
    crate::recorded::catch_up(corpus, &mut chosen)?;
    let ctx = Arc::new(Ctx {
        corpus: corpus.to_path_buf(),
        writes: std::sync::Mutex::new(()),
        client: fetch::client(opts.timeout).map_err(WatchError::Internal)?,
        ocr: opts.ocr,
        prepare: opts.prepare.clone(),
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| WatchError::Internal(format!("could not start the fetcher: {e}")))?;
    Ok(runtime.block_on(check_all(ctx, chosen, opts.concurrency.max(1), on_outcome)))
}

fn state_of(list: &Watchlist, id: &str) -> SourceState {
    list.states.get(id).cloned().unwrap_or_default()
}

async fn check_all(
    ctx: Arc<Ctx>,
    chosen: Vec<(Source, SourceState)>,
    concurrency: usize,
    on_outcome: &mut dyn FnMut(&CheckOutcome),
) -> Vec<CheckOutcome> {
    let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let mut tasks = tokio::task::JoinSet::new();
    let mut sources = std::collections::HashMap::new();
    for (source, state) in chosen {
        let (ctx, permits) = (ctx.clone(), permits.clone());
        let reported = source.clone();
        let task = tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            check_one(ctx, source, state).await
        });
        sources.insert(task.id(), reported);
    }
    let mut outcomes = Vec::new();
    while let Some(done) = tasks.join_next_with_id().await {
        // A check that stopped (a bug) is still its source's outcome.
        let outcome = match done {
            Ok((_, outcome)) => outcome,
            Err(e) => match sources.get(&e.id()) {
                Some(source) => outcome(
                    source,
                    CheckResult::Error,
                    Some(format!("the check stopped unexpectedly: {e}")),
                ),
                None => continue,
            },
        };
        on_outcome(&outcome);
        outcomes.push(outcome);
    }
    outcomes
}

async fn check_one(ctx: Arc<Ctx>, source: Source, state: SourceState) -> CheckOutcome {
    let at = OffsetDateTime::now_utc();
    let got = match source.check() {
        Ok(()) => {
            let (limit, too_big) = size_limit(&state);
            let validators = match state.version {
                // Without a version recorded, a 304 would leave nothing to compare with.
                Some(_) => Validators {
                    etag: state.etag.clone(),
                    last_modified: state.last_modified.clone(),
                },
                None => Validators::default(),
            };
            fetch::fetch(&ctx.client, &source.url, &validators, limit, &too_big).await
        }
        Err(problem) => Err(FetchError::from(format!(
            "{}: source \"{}\": {problem}",
            watch_dir(&ctx.corpus).join("sources.toml").display(),
            source.id
        ))),
    };
    let failed = outcome(&source, CheckResult::Error, None);
    tokio::task::spawn_blocking(move || settle(&ctx, &source, state, at, got))
        .await
        .unwrap_or_else(|e| CheckOutcome {
            message: Some(format!("the check stopped unexpectedly: {e}")),
            ..failed
        })
}

/// How much of a body is read, and how a refusal is worded: a page many
/// times its usual size is refused [`OVERSIZE_REFUSALS`] times in a row
/// before it is taken as its new usual size.
fn size_limit(state: &SourceState) -> (u64, impl Fn(u64) -> String + Sync) {
    let usual = state
        .body_bytes
        .filter(|&n| n > 0 && state.oversized < OVERSIZE_REFUSALS);
    let limit = usual.map_or(fetch::MAX_BYTES, |n| {
        n.saturating_mul(SIZE_FACTOR).min(fetch::MAX_BYTES)
    });
    let too_big = move |n: u64| {
        match usual {
        Some(u) if u.saturating_mul(SIZE_FACTOR) < fetch::MAX_BYTES => format!(
            "the page is over {SIZE_FACTOR} times its usual size ({n} bytes or more, usually {u}): not recorded (if it stays this large, the check after the next takes it as its new size)"
        ),
        _ => format!(
            "the page is larger than {} MB: not recorded",
            fetch::MAX_BYTES >> 20
        ),
    }
    };
    (limit, too_big)
}

/// What a response means for the corpus.
enum Verdict {
    Unchanged(&'static str),
    New {
        version: String,
        text_sha256: String,
    },
    Failed(String),
    /// Changed, but cannot be recorded yet (not the source's fault).
    Deferred(String),
}

impl Verdict {
    /// What is reported of it: the result, its message and the version recorded.
    fn parts(&self) -> (CheckResult, Option<String>, Option<String>) {
        match self {
            Verdict::Unchanged(why) => (CheckResult::Unchanged, Some(why.to_string()), None),
            Verdict::New { version, .. } => (CheckResult::NewVersion, None, Some(version.clone())),
            Verdict::Failed(m) => (CheckResult::Error, Some(m.clone()), None),
            Verdict::Deferred(m) => (CheckResult::Deferred, Some(m.clone()), None),
        }
    }
}

/// A source's outcome with nothing recorded and no snapshot.
fn outcome(source: &Source, result: CheckResult, message: Option<String>) -> CheckOutcome {
    CheckOutcome {
        source: source.id.clone(),
        vendor: source.vendor.clone(),
        document: source.document.clone(),
        url: source.url.clone(),
        result,
        version: None,
        previous: None,
        message,
        snapshot: None,
        failing: false,
        next_check: None,
    }
}

/// Decide what a response means, record it, keep its snapshot and save
/// the source's state — in that order (see the module's docs).
fn settle(
    ctx: &Ctx,
    source: &Source,
    base: SourceState,
    at: OffsetDateTime,
    got: Result<Fetched, FetchError>,
) -> CheckOutcome {
    let kept_body = match &got {
        Ok(f) if f.status != 304 => {
            let _writing = ctx.writes.lock().unwrap_or_else(|e| e.into_inner());
            snapshot::keep_body(&ctx.corpus, &source.id, &f.body, &f.sha256)
        }
        _ => Ok(()),
    };
    let verdict = match (&got, kept_body) {
        (_, Err(e)) => Verdict::Failed(format!("could not keep the page: {e}")),
        (Ok(f), Ok(())) => judge(ctx, source, &base, at, f),
        (Err(e), Ok(())) => Verdict::Failed(e.message.clone()),
    };
    let (result, message, version) = verdict.parts();
    let previous = version.as_ref().and(base.version.clone());
    match save(ctx, source, &base, at, &got, &verdict) {
        Ok((kept, next)) => CheckOutcome {
            previous,
            version,
            snapshot: Some(kept),
            failing: next.as_ref().is_some_and(|n| n.failures >= FAILING_AFTER),
            next_check: next.and_then(|n| n.next_check),
            ..outcome(source, result, message)
        },
        // The version (if any) is recorded; the next run's catch-up brings
        // the state up to it.
        Err(e) => CheckOutcome {
            previous,
            version,
            ..outcome(
                source,
                result,
                Some(match message {
                    Some(m) => format!("{m}; and what the check found could not be saved: {e}"),
                    None => format!("recorded, but what the check found could not be saved: {e}"),
                }),
            )
        },
    }
}

/// Keep the snapshot's description and save the source's state; the state
/// saved, or none when the source was removed meanwhile.
fn save(
    ctx: &Ctx,
    source: &Source,
    base: &SourceState,
    at: OffsetDateTime,
    got: &Result<Fetched, FetchError>,
    verdict: &Verdict,
) -> Result<(String, Option<SourceState>), WatchError> {
    let _writing = ctx.writes.lock().unwrap_or_else(|e| e.into_inner());
    let kept = snapshot::keep(&ctx.corpus, &snapshot_of(source, base, at, got, verdict))?;
    let next = Watchlist::update(&ctx.corpus, |list| {
        if list.source(&source.id).is_err() {
            return Ok(None);
        }
        let st = list.states.entry(source.id.clone()).or_default();
        apply(st, base, source, at, got, verdict);
        Ok(Some(st.clone()))
    })?;
    Ok((kept, next))
}

fn judge(
    ctx: &Ctx,
    source: &Source,
    state: &SourceState,
    at: OffsetDateTime,
    f: &Fetched,
) -> Verdict {
    if f.status == 304 && state.version.is_some() {
        return Verdict::Unchanged("not modified");
    }
    if !(200..300).contains(&f.status) {
        return Verdict::Failed(f.status_line());
    }
    if state.version.is_some() && state.body_sha256.as_deref() == Some(f.sha256.as_str()) {
        return Verdict::Unchanged("the same bytes as last time");
    }
    let format = match format_of(f.header("content-type"), &f.body) {
        Ok(format) => format,
        Err(problem) => return Verdict::Failed(problem),
    };
    let extracted = match extract(source, format, &f.body) {
        Ok(e) => e,
        Err(problem) => return Verdict::Failed(problem),
    };
    let text_sha256 = text_key(&extracted, &f.sha256);
    if state.version.is_some() && state.text_sha256.as_deref() == Some(text_sha256.as_str()) {
        return Verdict::Unchanged("only noise changed (dates, times, tracking or ignored text)");
    }
    let req = AddVersion {
        file: PathBuf::from(format!("{}.{}", source.id, extension(format))),
        vendor: source.vendor.clone(),
        document: source.document.clone(),
        date: day(at),
        format: Some(format),
        source: Some(fetch_url(f)),
        captured: day(at),
        note: Some(crate::recorded::note(
            &source.id,
            &stamp(at),
            &f.final_url,
            &f.sha256,
        )),
        document_id: None,
        ocr: ctx.ocr,
        on_ocr_page: None,
    };
    let stated = extracted.stated_date.as_deref();
    record(ctx, req, stated, &extracted.bytes, text_sha256)
}

/// Add the version under the first date it can take: the one it states
/// (when later than the document's latest), else the day of the fetch.
fn record(
    ctx: &Ctx,
    req: AddVersion,
    stated: Option<&str>,
    bytes: &[u8],
    text_sha256: String,
) -> Verdict {
    let dates = match dates_to_try(ctx, &req, stated, bytes) {
        Ok(Dates::Recorded(version)) => {
            return Verdict::New {
                version,
                text_sha256,
            }
        }
        Ok(Dates::Try(dates)) => dates,
        Err(e) => return Verdict::Failed(e.to_string()),
    };
    for date in &dates {
        let mut req = AddVersion {
            date: date.clone(),
            ..req.clone()
        };
        let added = match &ctx.prepare {
            Some(prepare) => prepare(&mut req),
            None => Ok(()),
        }
        .and_then(|()| {
            let _writing = ctx.writes.lock().unwrap_or_else(|e| e.into_inner());
            add_bytes(&ctx.corpus, &req, bytes)
        });
        match added {
            Ok(Added::New(info)) | Ok(Added::AlreadyPresent(info)) => {
                return Verdict::New {
                    version: info.id,
                    text_sha256,
                }
            }
            Err(CorpusError::DateTaken(_)) => continue,
            Err(e) => return Verdict::Failed(e.to_string()),
        }
    }
    Verdict::Deferred(format!(
        "the page changed, but the document already has a version dated {}: the change is kept in its snapshot and recorded by a check on a later day",
        dates.join(" and ")
    ))
}

/// Where a new version goes.
enum Dates {
    /// The document's latest version has these very bytes (another check,
    /// or an import, recorded them): it is this check's version.
    Recorded(String),
    /// The dates to try, in order.
    Try(Vec<String>),
}

/// The dates a new version may take, in order: the stated one (if it is
/// later than every version of the document), then the fetch's day.
fn dates_to_try(
    ctx: &Ctx,
    req: &AddVersion,
    stated: Option<&str>,
    bytes: &[u8],
) -> Result<Dates, CorpusError> {
    let mut probe = req.clone();
    if let Some(prepare) = &ctx.prepare {
        // Only to find the document's family; a refusal is met again, and
        // reported, when the version is added.
        let _ = prepare(&mut probe);
    }
    let family = family_versions(&ctx.corpus, &probe)?;
    let latest = family.iter().max_by(|a, b| a.date.cmp(&b.date));
    if let Some(v) = latest.filter(|v| v.sha256 == sha256_hex(bytes)) {
        return Ok(Dates::Recorded(format!("{}@{}", v.document_id, v.date)));
    }
    let first = version_date(stated, &req.date, latest.map(|v| v.date.as_str()));
    let mut dates = vec![first];
    if dates[0] != req.date {
        dates.push(req.date.clone());
    }
    Ok(Dates::Try(dates))
}

/// The page's own address, without tracking parameters.
fn fetch_url(f: &Fetched) -> String {
    crate::extract::clean_url(&f.final_url)
}

fn extension(format: trustlens_core::ingest::Format) -> &'static str {
    match format {
        trustlens_core::ingest::Format::Pdf => "pdf",
        trustlens_core::ingest::Format::Markdown => "md",
        _ => "html",
    }
}

/// The version's date: the document's own effective date when it states
/// one later than the document's latest version (an unchanged stamp on
/// changed text says nothing; an older one would put the version in the
/// middle of the history), else `fetched`, the day of the fetch.
pub fn version_date(stated: Option<&str>, fetched: &str, latest: Option<&str>) -> String {
    match stated {
        Some(s) if s <= fetched && latest.is_none_or(|p| s > p) => s.to_string(),
        _ => fetched.to_string(),
    }
}

/// The state after a check. A state that another check changed since this
/// one began (another process, or the app's schedule and a click at once)
/// is only moved forward: to this check's version, when it is the later.
fn apply(
    st: &mut SourceState,
    base: &SourceState,
    source: &Source,
    at: OffsetDateTime,
    got: &Result<Fetched, FetchError>,
    verdict: &Verdict,
) {
    st.snapshots += 1;
    let now = stamp(at);
    let moved_on =
        st.version != base.version || st.last_checked.as_deref().is_some_and(|c| c > now.as_str());
    if moved_on {
        if let Verdict::New {
            version,
            text_sha256,
        } = verdict
        {
            if later(version, st.version.as_deref()) {
                st.version = Some(version.clone());
                st.text_sha256 = Some(text_sha256.clone());
                st.last_changed = Some(now);
                (st.body_sha256, st.etag, st.last_modified) = (None, None, None);
            }
        }
        return;
    }
    let every = parse_every(&source.every).unwrap_or(time::Duration::days(1));
    st.last_checked = Some(now);
    match verdict {
        Verdict::Failed(m) => {
            st.failures += 1;
            st.last_error = Some(m.clone());
            st.next_check = Some(stamp(at + backoff(every, st.failures)));
            st.oversized = match got {
                Err(e) if e.too_big => st.oversized + 1,
                _ => 0,
            };
            return;
        }
        // The validators and hashes stay the last recorded version's: the
        // next check fetches the whole page again and records the change.
        Verdict::Deferred(m) => {
            (st.failures, st.oversized, st.last_error) = (0, 0, None);
            st.pending = Some(m.clone());
            st.next_check = Some(stamp((at + every).min(next_day(at))));
            return;
        }
        _ => (st.failures, st.oversized, st.last_error, st.pending) = (0, 0, None, None),
    }
    st.next_check = Some(stamp(at + every));
    if let Some(f) = got.as_ref().ok().filter(|f| (200..300).contains(&f.status)) {
        let v = f.validators();
        (st.etag, st.last_modified) = (v.etag, v.last_modified);
        st.body_sha256 = Some(f.sha256.clone());
        st.body_bytes = Some(f.body.len() as u64);
    }
    if let Verdict::New {
        version,
        text_sha256,
    } = verdict
    {
        st.last_changed = Some(stamp(at));
        st.version = Some(version.clone());
        st.text_sha256 = Some(text_sha256.clone());
    }
}

/// Whether version `a` is dated after `b` (IDs are `document@date`; an ID
/// without a date is before every dated one).
pub(crate) fn later(a: &str, b: Option<&str>) -> bool {
    let date = |id: &str| id.rsplit_once('@').map(|(_, d)| d.to_string());
    b.is_none_or(|b| date(a) > date(b))
}

/// The start of the day after `at` (UTC): when a version of a new date can
/// be recorded.
fn next_day(at: OffsetDateTime) -> OffsetDateTime {
    let today = at.to_offset(time::UtcOffset::UTC).date();
    today
        .next_day()
        .map_or(at + time::Duration::days(1), |d| d.midnight().assume_utc())
}

/// After `failures` failures in a row, wait `every` × 2^(failures−1), at
/// most a week (and never less than `every`): a dead page is not hammered.
pub fn backoff(every: time::Duration, failures: u32) -> time::Duration {
    let factor = 1i32 << failures.saturating_sub(1).min(10);
    (every * factor).min(time::Duration::weeks(1)).max(every)
}

fn snapshot_of(
    source: &Source,
    state: &SourceState,
    at: OffsetDateTime,
    got: &Result<Fetched, FetchError>,
    verdict: &Verdict,
) -> Snapshot {
    let (result, message, version) = verdict.parts();
    let response = got.as_ref().ok();
    let not_modified = response.is_some_and(|f| f.status == 304);
    Snapshot {
        source: source.id.clone(),
        url: source.url.clone(),
        fetched_at: stamp(at),
        final_url: response.map(|f| f.final_url.clone()),
        status: response.map(|f| f.status),
        headers: response.map(|f| f.headers.clone()).unwrap_or_default(),
        sha256: match response {
            Some(_) if not_modified => state.body_sha256.clone(),
            Some(f) => Some(f.sha256.clone()),
            None => None,
        },
        bytes: response.map_or(0, |f| f.body.len() as u64),
        result,
        message,
        version,
    }
}

/// A moment as recorded: RFC 3339 in UTC, to the millisecond (fixed width,
/// so that names made from it sort in time order).
pub fn stamp(at: OffsetDateTime) -> String {
    let f = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    at.to_offset(time::UtcOffset::UTC)
        .format(&f)
        .unwrap_or_default()
}

fn day(at: OffsetDateTime) -> String {
    stamp(at)[..10].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_a_week() {
        let d = time::Duration::days(1);
        assert_eq!(backoff(d, 1), d);
        assert_eq!(backoff(d, 2), d * 2);
        assert_eq!(backoff(d, 3), d * 4);
        assert_eq!(backoff(d, 30), time::Duration::weeks(1));
        assert_eq!(
            backoff(time::Duration::weeks(2), 5),
            time::Duration::weeks(2)
        );
    }

    #[test]
    fn a_stated_date_counts_when_it_moved_on() {
        let at = "2026-12-07";
        assert_eq!(version_date(Some("2026-03-01"), at, None), "2026-03-01");
        assert_eq!(
            version_date(Some("2026-03-01"), at, Some("2026-03-01")),
            "2026-12-07"
        );
        assert_eq!(
            version_date(Some("2026-04-01"), at, Some("2026-03-01")),
            "2026-04-01"
        );
        // Older than the document's latest version (from an import, say).
        assert_eq!(
            version_date(Some("2026-04-01"), at, Some("2026-06-01")),
            "2026-12-07"
        );
        // A date ahead of the fetch is a typo or an announcement.
        assert_eq!(version_date(Some("2027-01-01"), at, None), "2026-12-07");
        assert_eq!(version_date(None, at, None), "2026-12-07");
    }

    #[test]
    fn versions_move_forward_only() {
        assert!(later("d@2026-12-08", Some("d@2026-12-07")));
        assert!(!later("d@2026-12-07", Some("d@2026-12-07")));
        assert!(later("d@2026-12-07", None));
        let at = time::macros::datetime!(2026-12-07 23:59 UTC);
        assert_eq!(next_day(at), time::macros::datetime!(2026-12-08 0:00 UTC));
    }

    fn source() -> Source {
        Source {
            id: "s".into(),
            url: "http://127.0.0.1:1/p".into(),
            vendor: "V".into(),
            document: "D".into(),
            select: None,
            remove: vec![],
            ignore: vec![],
            every: "1d".into(),
        }
    }

    fn new(version: &str) -> Verdict {
        Verdict::New {
            version: version.into(),
            text_sha256: format!("text of {version}"),
        }
    }

    #[test]
    fn a_state_another_check_moved_on_only_moves_forward() {
        let at = time::macros::datetime!(2026-12-07 10:00 UTC);
        let base = SourceState {
            version: Some("d@2026-12-01".into()),
            ..SourceState::default()
        };
        // Another process recorded a later version meanwhile.
        let theirs = SourceState {
            version: Some("d@2026-12-07".into()),
            etag: Some("\"theirs\"".into()),
            last_checked: Some(stamp(at + time::Duration::seconds(1))),
            ..base.clone()
        };
        let none = Err(FetchError::from("down".to_string()));
        for verdict in [
            Verdict::Failed("down".into()),
            Verdict::Unchanged("not modified"),
            new("d@2026-12-06"),
        ] {
            let mut st = theirs.clone();
            apply(&mut st, &base, &source(), at, &none, &verdict);
            assert_eq!(st.version, theirs.version);
            assert_eq!(st.etag, theirs.etag);
            assert_eq!(st.failures, 0);
            assert_eq!(st.snapshots, 1);
        }
        let mut st = theirs.clone();
        apply(&mut st, &base, &source(), at, &none, &new("d@2026-12-08"));
        assert_eq!(st.version.as_deref(), Some("d@2026-12-08"));
        assert_eq!(st.etag, None, "the next fetch is a whole one");
    }

    #[test]
    fn a_refused_size_counts_and_other_failures_reset_it() {
        let at = time::macros::datetime!(2026-12-07 10:00 UTC);
        let base = SourceState::default();
        let mut st = base.clone();
        let big = Err(FetchError {
            message: "too big".into(),
            too_big: true,
        });
        apply(
            &mut st,
            &base,
            &source(),
            at,
            &big,
            &Verdict::Failed("too big".into()),
        );
        assert_eq!((st.oversized, st.failures), (1, 1));
        let base = st.clone();
        let later = at + time::Duration::hours(1);
        let down = Err(FetchError::from("down".to_string()));
        apply(
            &mut st,
            &base,
            &source(),
            later,
            &down,
            &Verdict::Failed("down".into()),
        );
        assert_eq!((st.oversized, st.failures), (0, 2));
    }

    #[test]
    fn a_source_removed_during_its_check_gets_no_state_back() {
        let dir = tempfile::tempdir().unwrap();
        let added = crate::sources::add(
            dir.path(),
            &crate::NewSource {
                url: "http://127.0.0.1:1/p".into(),
                vendor: "V".into(),
                document: "D".into(),
                ..Default::default()
            },
        )
        .unwrap();
        crate::sources::remove(dir.path(), &added.id).unwrap();
        let ctx = Ctx {
            corpus: dir.path().to_path_buf(),
            writes: std::sync::Mutex::new(()),
            client: fetch::client(Duration::from_secs(1)).unwrap(),
            ocr: OcrMode::Never,
            prepare: None,
        };
        let at = OffsetDateTime::now_utc();
        let got = Err(FetchError::from("down".to_string()));
        let out = settle(&ctx, &added, SourceState::default(), at, got);
        assert_eq!(out.result, CheckResult::Error);
        assert!(out.snapshot.is_some(), "the fetch is still kept");
        assert!(Watchlist::read(dir.path()).unwrap().states.is_empty());
    }
}
