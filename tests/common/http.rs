//! A real HTTP/1.1 server on 127.0.0.1, inside the test process, for the
//! watch tests: pages set (and changed) by the test, every bad response a
//! vendor's server can give, and a count of the requests each path got.
//! It never reaches beyond the loopback address; dropping it stops it.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a path answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering (a server that hangs).
    pub delay: Duration,
    /// Declare this many bytes but send `body` and close (a body cut short).
    pub declared_length: Option<usize>,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
            declared_length: None,
        }
    }

    pub fn html(body: &str) -> Reply {
        Reply::new(200, "text/html; charset=utf-8", body)
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }
}

type Pages = Arc<Mutex<HashMap<String, Reply>>>;
/// Each request's path and headers, in arrival order.
type Hits = Arc<Mutex<Vec<(String, Vec<(String, String)>)>>>;

pub struct Server {
    port: u16,
    pages: Pages,
    hits: Hits,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let pages: Pages = Arc::default();
        let hits: Hits = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (p, h, s) = (pages.clone(), hits.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (p, h) = (p.clone(), h.clone());
                std::thread::spawn(move || serve(conn, &p, &h));
            }
        });
        Server {
            port,
            pages,
            hits,
            stop,
            thread: Some(thread),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn set(&self, path: &str, reply: Reply) {
        self.pages.lock().unwrap().insert(path.into(), reply);
    }

    /// How many requests `path` got.
    pub fn hits(&self, path: &str) -> usize {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == path)
            .count()
    }

    /// The headers of the last request to `path`.
    pub fn last_request(&self, path: &str) -> Vec<(String, String)> {
        let hits = self.hits.lock().unwrap();
        hits.iter()
            .rev()
            .find(|(p, _)| p == path)
            .map(|(_, h)| h.clone())
            .unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn read_head(conn: &mut TcpStream) -> Option<(String, Vec<(String, String)>)> {
    conn.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if conn.read(&mut byte).ok()? == 0 || head.len() > 64 * 1024 {
            return None;
        }
        // A TLS ClientHello to this plain-HTTP server: answer in plain
        // text, as a misconfigured server would, so the client's TLS fails.
        if head.is_empty() && byte[0] == 0x16 {
            let _ = conn.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
            return None;
        }
        head.push(byte[0]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.lines();
    let path = lines.next()?.split(' ').nth(1)?.to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some((path, headers))
}

fn serve(mut conn: TcpStream, pages: &Pages, hits: &Hits) {
    let Some((path, headers)) = read_head(&mut conn) else {
        return;
    };
    hits.lock().unwrap().push((path.clone(), headers.clone()));
    let reply = pages
        .lock()
        .unwrap()
        .get(&path)
        .cloned()
        .unwrap_or_else(|| {
            Reply::new(
                404,
                "text/html",
                "<html><body><h1>Not found</h1></body></html>",
            )
        });
    std::thread::sleep(reply.delay);
    let etag = reply
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("etag"));
    let asked = headers.iter().find(|(k, _)| k == "if-none-match");
    let not_modified = matches!((etag, asked), (Some((_, e)), Some((_, a))) if e == a);
    let (status, body) = if not_modified {
        (304, &[][..])
    } else {
        (reply.status, reply.body.as_slice())
    };
    let mut out = format!(
        "HTTP/1.1 {status} {}\r\nConnection: close\r\n",
        reason(status)
    );
    for (k, v) in &reply.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    if status != 304 {
        let declared = reply.declared_length.unwrap_or(body.len());
        out.push_str(&format!("Content-Length: {declared}\r\n"));
    }
    out.push_str("\r\n");
    let _ = conn.write_all(out.as_bytes());
    let _ = conn.write_all(body);
    let _ = conn.flush();
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        410 => "Gone",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
