//! Checking sources: fetch each, keep the snapshot, and record a new
//! version only when the document's text really changed.
//!
//! Sources are fetched side by side (a few at a time: vendors' servers and
//! the user's link are shared), each on its own deadline. What is decided
//! from a response — extract, compare, record — runs on a blocking thread,
//! and every write goes through the corpus's write lock: the version by
//! [`add_bytes`], the same path as import, and the state by
//! [`Watchlist::update`].

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use time::OffsetDateTime;
use trustlens_core::corpus::add::{add_bytes, AddVersion, Added};
use trustlens_core::corpus::CorpusError;
use trustlens_core::ingest::ocr::OcrMode;
use trustlens_core::text::sha256_hex;
use ts_rs::TS;

use crate::extract::{extract, format_of};
use crate::fetch::{self, Fetched, Validators};
use crate::snapshot::{self, Snapshot};
use crate::sources::{parse_every, Source, SourceState, Watchlist, FAILING_AFTER};
use crate::WatchError;

/// What a check of one source came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckResult {
    /// Nothing changed but noise (or the server said Not Modified).
    Unchanged,
    /// The text changed: a new version was recorded.
    NewVersion,
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
/// another kind, or a page that swallowed an archive).
pub const SIZE_FACTOR: u64 = 100;

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
/// `on_outcome` of each as it completes; returns every outcome.
pub fn run(
    corpus: &Path,
    opts: &RunOptions,
    on_outcome: &mut dyn FnMut(&CheckOutcome),
) -> Result<Vec<CheckOutcome>, WatchError> {
    let list = Watchlist::read(corpus)?;
    let now = OffsetDateTime::now_utc();
    let chosen: Vec<(Source, SourceState)> = match &opts.only {
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
    runtime.block_on(check_all(ctx, chosen, opts.concurrency.max(1), on_outcome))
}

fn state_of(list: &Watchlist, id: &str) -> SourceState {
    list.states.get(id).cloned().unwrap_or_default()
}

async fn check_all(
    ctx: Arc<Ctx>,
    chosen: Vec<(Source, SourceState)>,
    concurrency: usize,
    on_outcome: &mut dyn FnMut(&CheckOutcome),
) -> Result<Vec<CheckOutcome>, WatchError> {
    let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let mut tasks = tokio::task::JoinSet::new();
    for (source, state) in chosen {
        let (ctx, permits) = (ctx.clone(), permits.clone());
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            check_one(ctx, source, state).await
        });
    }
    let mut outcomes = Vec::new();
    while let Some(done) = tasks.join_next().await {
        let outcome =
            done.map_err(|e| WatchError::Internal(format!("a check stopped unexpectedly: {e}")))??;
        on_outcome(&outcome);
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

async fn check_one(
    ctx: Arc<Ctx>,
    source: Source,
    state: SourceState,
) -> Result<CheckOutcome, WatchError> {
    let at = OffsetDateTime::now_utc();
    let validators = match state.version {
        // Without a version recorded, a 304 would leave nothing to compare with.
        Some(_) => Validators {
            etag: state.etag.clone(),
            last_modified: state.last_modified.clone(),
        },
        None => Validators::default(),
    };
    let usual = state.body_bytes.filter(|&n| n > 0);
    let limit = usual.map_or(fetch::MAX_BYTES, |n| {
        (n * SIZE_FACTOR).min(fetch::MAX_BYTES)
    });
    let too_big = move |n: u64| {
        match usual {
        Some(u) if u * SIZE_FACTOR < fetch::MAX_BYTES => format!(
            "the page is over {} times its usual size ({} bytes or more, usually {u}): not recorded",
            SIZE_FACTOR, n
        ),
        _ => format!("the page is larger than {} MB: not recorded", fetch::MAX_BYTES >> 20),
    }
    };
    let got = fetch::fetch(&ctx.client, &source.url, &validators, limit, &too_big).await;
    tokio::task::spawn_blocking(move || {
        // A write that fails (a full disk) is this source's error: the
        // other sources' checks go on and are reported.
        settle(&ctx, &source, state, at, got).or_else(|e| match e {
            WatchError::Io { .. } | WatchError::Corpus(_) => Ok(outcome(
                &source,
                CheckResult::Error,
                Some(format!("could not save what the check found: {e}")),
            )),
            other => Err(other),
        })
    })
    .await
    .map_err(|e| WatchError::Internal(format!("a check stopped unexpectedly: {e}")))?
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
            Verdict::Failed(m) | Verdict::Deferred(m) => {
                (CheckResult::Error, Some(m.clone()), None)
            }
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

fn settle(
    ctx: &Ctx,
    source: &Source,
    state: SourceState,
    at: OffsetDateTime,
    got: Result<Fetched, String>,
) -> Result<CheckOutcome, WatchError> {
    let verdict = match &got {
        Ok(f) => judge(ctx, source, &state, at, f),
        Err(reason) => Verdict::Failed(reason.clone()),
    };
    let _writing = ctx.writes.lock().unwrap_or_else(|e| e.into_inner());
    let snap = snapshot_of(source, &state, at, &got, &verdict);
    let kept = snapshot::keep(
        &ctx.corpus,
        &snap,
        got.as_ref()
            .ok()
            .map(|f| f.body.as_slice())
            .filter(|_| snap.status != Some(304)),
    )?;
    let next = Watchlist::update(&ctx.corpus, |list| {
        let st = list.states.entry(source.id.clone()).or_default();
        apply(st, source, at, got.as_ref().ok(), &verdict);
        Ok(st.clone())
    })?;
    let (result, message, version) = verdict.parts();
    Ok(CheckOutcome {
        previous: version.as_ref().and(state.version.clone()),
        version,
        snapshot: Some(kept),
        failing: next.failures >= FAILING_AFTER,
        next_check: next.next_check,
        ..outcome(source, result, message)
    })
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
    let text_sha256 = if extracted.text.is_empty() {
        f.sha256.clone()
    } else {
        sha256_hex(extracted.text.as_bytes())
    };
    if state.version.is_some() && state.text_sha256.as_deref() == Some(text_sha256.as_str()) {
        return Verdict::Unchanged("only noise changed (dates, times, tracking or ignored text)");
    }
    let date = version_date(
        extracted.stated_date.as_deref(),
        at,
        state.version.as_deref(),
    );
    let req = AddVersion {
        file: PathBuf::from(format!("{}.{}", source.id, extension(format))),
        vendor: source.vendor.clone(),
        document: source.document.clone(),
        date: date.clone(),
        format: Some(format),
        source: Some(fetch_url(f)),
        captured: day(at),
        note: Some(format!(
            "watched ({}): fetched {} from {}, snapshot sha256 {}",
            source.id,
            stamp(at),
            f.final_url,
            f.sha256
        )),
        document_id: None,
        ocr: ctx.ocr,
        on_ocr_page: None,
    };
    record(ctx, req, &extracted.bytes, text_sha256)
}

fn record(ctx: &Ctx, mut req: AddVersion, bytes: &[u8], text_sha256: String) -> Verdict {
    if let Some(prepare) = &ctx.prepare {
        if let Err(e) = prepare(&mut req) {
            return Verdict::Failed(e.to_string());
        }
    }
    let added = {
        let _writing = ctx.writes.lock().unwrap_or_else(|e| e.into_inner());
        add_bytes(&ctx.corpus, &req, bytes)
    };
    match added {
        Ok(Added::New(info)) | Ok(Added::AlreadyPresent(info)) => Verdict::New {
            version: info.id,
            text_sha256,
        },
        Err(CorpusError::InvalidArgument(m)) if m.contains("already has a version dated") => {
            Verdict::Deferred(format!(
                "the page changed, but a version dated {} is already recorded: the change is kept in its snapshot and recorded at the next check on a later day",
                req.date
            ))
        }
        Err(e) => Verdict::Failed(e.to_string()),
    }
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
/// one later than the last version's (an unchanged stamp on changed text
/// says nothing), else the day of the fetch.
pub fn version_date(stated: Option<&str>, at: OffsetDateTime, previous: Option<&str>) -> String {
    let fetched = day(at);
    let previous_date = previous.and_then(|id| id.rsplit_once('@')).map(|(_, d)| d);
    match stated {
        Some(s) if s <= fetched.as_str() && previous_date.is_none_or(|p| s > p) => s.to_string(),
        _ => fetched,
    }
}

fn apply(
    st: &mut SourceState,
    source: &Source,
    at: OffsetDateTime,
    response: Option<&Fetched>,
    verdict: &Verdict,
) {
    let every = parse_every(&source.every).unwrap_or(time::Duration::days(1));
    st.last_checked = Some(stamp(at));
    st.snapshots += 1;
    match verdict {
        Verdict::Failed(m) => {
            st.failures += 1;
            st.last_error = Some(m.clone());
            st.next_check = Some(stamp(at + backoff(every, st.failures)));
            return;
        }
        Verdict::Deferred(m) => st.last_error = Some(m.clone()),
        _ => st.last_error = None,
    }
    st.failures = 0;
    st.next_check = Some(stamp(at + every));
    if let Some(f) = response.filter(|f| (200..300).contains(&f.status)) {
        let v = f.validators();
        st.etag = v.etag;
        st.last_modified = v.last_modified;
        if !matches!(verdict, Verdict::Deferred(_)) {
            st.body_sha256 = Some(f.sha256.clone());
        }
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
    got: &Result<Fetched, String>,
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
        let at = time::macros::datetime!(2026-12-07 10:00 UTC);
        assert_eq!(version_date(Some("2026-03-01"), at, None), "2026-03-01");
        assert_eq!(
            version_date(Some("2026-03-01"), at, Some("d@2026-03-01")),
            "2026-12-07"
        );
        assert_eq!(
            version_date(Some("2026-04-01"), at, Some("d@2026-03-01")),
            "2026-04-01"
        );
        // A date ahead of the fetch is a typo or an announcement.
        assert_eq!(version_date(Some("2027-01-01"), at, None), "2026-12-07");
        assert_eq!(version_date(None, at, None), "2026-12-07");
    }
}
