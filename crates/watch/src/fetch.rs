//! Fetching a page: one HTTP client with rustls, timeouts, a redirect limit,
//! a size limit, gzip and conditional requests; every failure worded as
//! the reason a user can act on ("404 Not Found", "timed out").

use std::time::Duration;

use reqwest::header::{
    HeaderMap, CONTENT_LENGTH, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};

/// At most this many redirects are followed.
pub const MAX_REDIRECTS: usize = 10;
/// No page or PDF is read past this size.
pub const MAX_BYTES: u64 = 50 * 1024 * 1024;
/// An error page is kept up to this size in its snapshot.
const MAX_ERROR_BYTES: u64 = 1024 * 1024;

/// What trustlens says it is.
pub fn user_agent() -> String {
    format!(
        "trustlens/{} (watching published trust documents for changes)",
        env!("CARGO_PKG_VERSION")
    )
}

/// The HTTP client every check shares.
pub fn client(timeout: Duration) -> Result<reqwest::Client, String> {
    // reqwest is built without a default crypto provider: ring is installed
    // here, not aws-lc, which would add a large C build to every CI run.
    // rustls deprecates ring for lacking post-quantum key exchange, which
    // guards secrets against later decryption; these pages are public.
    #[allow(deprecated)]
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(user_agent())
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
        // Pages are fetched directly: a proxy set for other programs in
        // HTTP_PROXY/HTTPS_PROXY is not read.
        .no_proxy()
        .gzip(true)
        .build()
        .map_err(|e| format!("the HTTP client could not start: {}", reason(&e)))
}

/// What the last fetch told, for a conditional request.
#[derive(Debug, Clone, Default)]
pub struct Validators {
    /// ETag.
    pub etag: Option<String>,
    /// Last-Modified.
    pub last_modified: Option<String>,
}

/// One response.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// HTTP status code.
    pub status: u16,
    /// The address after redirects.
    pub final_url: String,
    /// The response headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body (decompressed).
    pub body: Vec<u8>,
    /// Its SHA-256, computed once: a check compares it, records it in the
    /// version's note, the snapshot and the state.
    pub sha256: String,
}

impl Fetched {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The status as a reason: `404 Not Found`.
    pub fn status_line(&self) -> String {
        let reason = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("");
        format!("{} {reason}", self.status).trim().to_string()
    }

    /// The validators this response gives for the next request.
    pub fn validators(&self) -> Validators {
        Validators {
            etag: self.header(ETAG.as_str()).map(str::to_string),
            last_modified: self.header(LAST_MODIFIED.as_str()).map(str::to_string),
        }
    }
}

/// Why no response could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    /// The reason, as a user reads it.
    pub message: String,
    /// The body was over the size limit.
    pub too_big: bool,
}

impl From<String> for FetchError {
    fn from(message: String) -> Self {
        FetchError {
            message,
            too_big: false,
        }
    }
}

/// Fetch `url`, reading at most `limit` bytes of body (`too_big` words the
/// refusal). A response of any status is `Ok`; only a failure to get one
/// (connection, TLS, timeout, redirects, a body too large or cut short) is
/// `Err`.
pub async fn fetch(
    client: &reqwest::Client,
    url: &str,
    validators: &Validators,
    limit: u64,
    too_big: &(dyn Fn(u64) -> String + Sync),
) -> Result<Fetched, FetchError> {
    let refuse = |n: u64| FetchError {
        message: too_big(n),
        too_big: true,
    };
    let mut req = client.get(url);
    if let Some(etag) = &validators.etag {
        req = req.header(IF_NONE_MATCH, etag);
    }
    if let Some(lm) = &validators.last_modified {
        req = req.header(IF_MODIFIED_SINCE, lm);
    }
    let mut resp = req.send().await.map_err(|e| reason(&e))?;
    let status = resp.status().as_u16();
    let limit = if resp.status().is_success() {
        limit
    } else {
        MAX_ERROR_BYTES.min(limit)
    };
    let declared = declared_length(resp.headers());
    if resp.status().is_success() && declared.is_some_and(|n| n > limit) {
        return Err(refuse(declared.unwrap_or(0)));
    }
    let final_url = resp.url().to_string();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| reason(&e))? {
        if body.len() as u64 + chunk.len() as u64 > limit {
            if !resp.status().is_success() {
                break;
            }
            return Err(refuse(body.len() as u64 + chunk.len() as u64));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Fetched {
        status,
        final_url,
        headers,
        sha256: trustlens_core::text::sha256_hex(&body),
        body,
    })
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

/// A client error as the reason a user reads: what kind of failure, then
/// the innermost cause (which names the TLS or socket problem).
pub fn reason(e: &reqwest::Error) -> String {
    let mut cause = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    let chain = format!("{e:?}").to_ascii_lowercase();
    if e.is_timeout() {
        "timed out (no complete answer in time)".into()
    } else if e.is_redirect() {
        format!("too many redirects (more than {MAX_REDIRECTS}: a redirect loop?)")
    } else if chain.contains("rustls") || chain.contains("certificate") || chain.contains("tls") {
        format!("TLS error: {cause}")
    } else if e.is_connect() {
        format!("could not connect: {cause}")
    } else if e.is_body() || e.is_decode() {
        format!("the download broke off: {cause}")
    } else {
        cause
    }
}
