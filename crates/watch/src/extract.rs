//! From a fetched page to what a version records: the selected part of an
//! HTML page (or the PDF as it is), its text with the noise taken out for
//! comparing fetches, and the date the document states for itself.

use regex::Regex;
use scraper::{Html, Selector};
use trustlens_core::ingest::{self, Format};

use crate::rules::{parse_date, rules};
use crate::Source;

/// What one fetch holds, ready to compare and record.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// The format the version is recorded in.
    pub format: Format,
    /// The bytes to record: the selected HTML as a page of its own, or the PDF.
    pub bytes: Vec<u8>,
    /// The text with noise removed, whitespace collapsed: equal texts mean
    /// an unchanged document. Empty for a PDF without a text layer (its
    /// bytes are compared instead).
    pub text: String,
    /// The document's own effective date, when it states one (`YYYY-MM-DD`).
    pub stated_date: Option<String>,
}

/// What two fetches are compared by: the SHA-256 of the text without noise,
/// or of the body (`body_sha256`) when it has no text (a scanned PDF).
pub fn text_key(extracted: &Extracted, body_sha256: &str) -> String {
    if extracted.text.is_empty() {
        body_sha256.to_string()
    } else {
        trustlens_core::text::sha256_hex(extracted.text.as_bytes())
    }
}

/// Why a fetched page cannot be a version. Each reads as the reason after
/// the source's name.
pub type Problem = String;

/// The kinds of content a document can be served as.
pub fn format_of(content_type: Option<&str>, body: &[u8]) -> Result<Format, Problem> {
    let mime = content_type
        .map(|c| {
            c.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    match mime.as_str() {
        "text/html" | "application/xhtml+xml" => Ok(Format::Html),
        "application/pdf" | "application/x-pdf" => Ok(Format::Pdf),
        "text/markdown" | "text/x-markdown" | "text/plain" => Ok(Format::Markdown),
        // Servers that do not say: the bytes do.
        "" | "application/octet-stream" if body.starts_with(b"%PDF-") => Ok(Format::Pdf),
        "" if looks_like_html(body) => Ok(Format::Html),
        "" => Err("the server did not say what the page is (no Content-Type)".into()),
        other => Err(format!(
            "the page is {other}, not HTML, PDF or text (a wrong address, or a login or download page?)"
        )),
    }
}

fn looks_like_html(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
    head.contains("<html") || head.contains("<!doctype html")
}

/// Read a fetched body as `format` for `source`.
pub fn extract(source: &Source, format: Format, body: &[u8]) -> Result<Extracted, Problem> {
    match format {
        Format::Html => extract_html(source, body),
        Format::Pdf => extract_pdf(source, body),
        _ => {
            let text = ingest::decode(&source.url, body).map_err(|e| e.to_string())?;
            let plain = ingest::parse_blocks(Format::Markdown, &text);
            let joined = block_text(&plain);
            if joined.trim().is_empty() {
                return Err("the page has no text".into());
            }
            finish(source, Format::Markdown, text.into_bytes(), &joined)
        }
    }
}

fn extract_html(source: &Source, body: &[u8]) -> Result<Extracted, Problem> {
    let text = ingest::decode(&source.url, body).map_err(|e| e.to_string())?;
    let depth = ingest::html::nesting_depth(&text);
    if depth > ingest::html::MAX_NESTING {
        return Err(format!(
            "the page nests elements {depth} deep (more than {})",
            ingest::html::MAX_NESTING
        ));
    }
    let page = select(source, &text)?;
    let blocks = ingest::html::parse(&page);
    let joined = block_text(&blocks);
    if joined.trim().is_empty() {
        return Err(match &source.select {
            Some(s) => format!("the part selected by \"{s}\" has no text (an error page?)"),
            None => "the page has no text (an error page, or one that needs JavaScript?)".into(),
        });
    }
    finish(source, Format::Html, page.into_bytes(), &joined)
}

fn extract_pdf(source: &Source, body: &[u8]) -> Result<Extracted, Problem> {
    if !body.starts_with(b"%PDF-") {
        return Err("served as a PDF, but it is not one".into());
    }
    // A PDF ends with %%EOF (possibly followed by a newline or a little
    // padding): a download cut short lacks it.
    let tail = &body[body.len().saturating_sub(1024)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(format!(
            "the PDF is truncated ({} bytes, no end-of-file marker)",
            body.len()
        ));
    }
    // The text layer only, to compare: OCR runs when the version is recorded.
    let pages =
        ingest::pdf::read_pages(&source.url, body, ingest::ocr::OcrMode::Never, &mut |_| {})
            .map_err(|e| e.to_string())?;
    let joined = pages.text();
    finish(source, Format::Pdf, body.to_vec(), &joined)
}

fn block_text(blocks: &[trustlens_core::clause::Block]) -> String {
    use trustlens_core::clause::Block;
    let mut out = String::new();
    for b in blocks {
        let (Block::Heading { text, .. } | Block::Text { text, .. }) = b;
        out.push_str(text);
        out.push('\n');
    }
    out
}

fn finish(
    source: &Source,
    format: Format,
    bytes: Vec<u8>,
    text: &str,
) -> Result<Extracted, Problem> {
    Ok(Extracted {
        format,
        bytes,
        stated_date: stated_date(text),
        text: normalize(text, &source.ignore_patterns()?),
    })
}

/// Paragraphs this near the top of a page hold its header: a stamp there
/// is the document's own, before one in a footer or a change history.
const HEADER_PARAGRAPHS: usize = 15;

/// The date the document gives itself ("Effective date: 1 March 2024"),
/// read from the stamps that end a paragraph (`text` has a paragraph per
/// line). A stamp in the header comes before one further down (a footer, a
/// change history), and in each, the rules' order says which stamp wins.
pub fn stated_date(text: &str) -> Option<String> {
    let r = rules();
    let stamps_of = |line: &str| -> Option<String> {
        let stamp = r.stamps.captures(line)?;
        let keep = stamp.name("keep").map_or(0, |k| k.end());
        Some(line[keep..].to_string())
    };
    let lines: Vec<&str> = text.lines().collect();
    let (head, rest) = lines.split_at(lines.len().min(HEADER_PARAGRAPHS));
    let found = [head, rest].into_iter().find_map(|part| {
        let stamps: Vec<String> = part.iter().filter_map(|l| stamps_of(l)).collect();
        r.effective_date.iter().find_map(|rule| {
            stamps
                .iter()
                .filter_map(|s| rule.captures(s))
                .find_map(|c| parse_date(c.get(1)?.as_str()))
        })
    });
    found
}

/// The text with noise taken out: the shipped rules, the source's own
/// ignore patterns, tracking parameters in addresses, and whitespace.
pub fn normalize(text: &str, ignore: &[Regex]) -> String {
    let r = rules();
    let mut out = strip_tracking(text);
    for rule in std::iter::once(&r.stamps).chain(&r.noise).chain(ignore) {
        out = rule.replace_all(&out, "${keep} ").into_owned();
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Tracking parameters removed from every address in `text` (plain text,
/// not HTML: a recorded page has its links cleaned in the document tree).
pub fn strip_tracking(text: &str) -> String {
    static URL: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let url = URL.get_or_init(|| Regex::new(r#"https?://[^\s"'<>]+"#).unwrap());
    url.replace_all(text, |c: &regex::Captures| clean_url(&c[0]))
        .into_owned()
}

/// One address (absolute or relative) without its tracking parameters. The
/// rest is kept as written, byte for byte: an address without tracking
/// parameters comes back unchanged.
pub fn clean_url(raw: &str) -> String {
    let (before_fragment, fragment) = match raw.find('#') {
        Some(at) => raw.split_at(at),
        None => (raw, ""),
    };
    let Some((base, query)) = before_fragment.split_once('?') else {
        return raw.to_string();
    };
    let tracking = &rules().tracking_parameters;
    let is_tracking = |pair: &&str| {
        url::form_urlencoded::parse(pair.as_bytes())
            .next()
            .is_some_and(|(k, _)| tracking.iter().any(|t| t.eq_ignore_ascii_case(&k)))
    };
    if !query.split('&').any(|p| is_tracking(&p)) {
        return raw.to_string();
    }
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !is_tracking(p))
        .collect();
    let query = if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    };
    format!("{base}{query}{fragment}")
}

/// The part of the page that is the document, as an HTML page of its own:
/// the source's selection (or the page's main content), without scripts,
/// navigation, cookie banners and what the source asks to remove, its
/// links without tracking parameters.
fn select(source: &Source, page: &str) -> Result<String, Problem> {
    let mut html = Html::parse_document(page);
    drop_never_document(source, &mut html)?;
    clean_links(&mut html);
    let title = Selector::parse("title").expect("a valid selector");
    let title = html
        .select(&title)
        .next()
        .map(|t| t.text().collect::<String>())
        .unwrap_or_default();
    let parts: Vec<String> = match &source.select {
        Some(css) => {
            let sel = Selector::parse(css)
                .map_err(|e| format!("the selector \"{css}\" is not valid CSS: {e}"))?;
            let parts: Vec<String> = html.select(&sel).map(|e| e.html()).collect();
            if parts.is_empty() {
                return Err(format!(
                    "the selector \"{css}\" matches nothing on the page (an error page, or did the page change its layout?)"
                ));
            }
            parts
        }
        None => vec![main_content(&html)],
    };
    Ok(format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head><body><main>\n{}\n</main></body></html>\n",
        trustlens_core::text::html_escape(title.trim()),
        parts.join("\n")
    ))
}

/// Elements that are never part of a document's text. Forms and buttons
/// stay: some pages wrap their whole body in a form, and accordions put
/// their section titles in buttons.
const NEVER_DOCUMENT: &str =
    "script, style, noscript, template, nav, iframe, object, embed, dialog";

/// Take out what is never the document: [`NEVER_DOCUMENT`], the source's
/// own `--remove` selectors, and what the shipped rules match when it is
/// no longer than a banner.
fn drop_never_document(source: &Source, html: &mut Html) -> Result<(), Problem> {
    let never = Selector::parse(NEVER_DOCUMENT).expect("a valid selector");
    let own = source.remove_selectors()?;
    let r = rules();
    let mut doomed = Vec::new();
    for sel in std::iter::once(&never).chain(&own) {
        doomed.extend(html.select(sel).map(|e| e.id()));
    }
    let short = |e: &scraper::ElementRef| {
        e.text().map(|t| t.chars().count()).sum::<usize>() <= r.banner_max_chars
    };
    for sel in &r.remove {
        doomed.extend(html.select(sel).filter(short).map(|e| e.id()));
    }
    for id in doomed {
        if let Some(mut node) = html.tree.get_mut(id) {
            node.detach();
        }
    }
    Ok(())
}

/// Tracking parameters taken out of every link and image address, in the
/// document tree (so an escaped `&amp;` stays one).
fn clean_links(html: &mut Html) {
    let elements: Vec<_> = html
        .tree
        .nodes()
        .filter(|n| n.value().is_element())
        .map(|n| n.id())
        .collect();
    for id in elements {
        let Some(mut node) = html.tree.get_mut(id) else {
            continue;
        };
        if let scraper::Node::Element(e) = node.value() {
            for (name, value) in e.attrs.iter_mut() {
                if matches!(&*name.local, "href" | "src") {
                    let cleaned = clean_url(value);
                    if cleaned != **value {
                        *value = cleaned.into();
                    }
                }
            }
        }
    }
}

/// The page's main content, chosen as the HTML reader chooses it.
fn main_content(html: &Html) -> String {
    ["main", "article", "[role=main]", "body"]
        .iter()
        .filter_map(|css| {
            let sel = Selector::parse(css).expect("a valid selector");
            html.select(&sel).next().map(|e| e.inner_html())
        })
        .next()
        .unwrap_or_else(|| html.root_element().html())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(select: Option<&str>, remove: &[&str]) -> Source {
        Source {
            id: "s".into(),
            url: "http://127.0.0.1/p".into(),
            vendor: "V".into(),
            document: "D".into(),
            select: select.map(str::to_string),
            remove: remove.iter().map(|s| s.to_string()).collect(),
            ignore: vec![],
            every: "1d".into(),
        }
    }

    const PAGE: &str = r#"<html><head><title>Privacy</title><script>var x=1</script></head><body>
        <nav>Home | Pricing</nav>
        <div id="cookie-banner">We use cookies. Accept?</div>
        <main><h1>Privacy</h1><p>Last updated: March 1, 2024</p>
        <p>We keep logs for 30 days. See <a href="https://x.test/a?utm_source=n&amp;id=2&amp;q=a%20b">our logs page</a></p>
        <div class="promo">Try our new plan!</div></main></body></html>"#;

    #[test]
    fn the_main_content_without_banners_scripts_or_tracking() {
        let e = extract(&source(None, &[".promo"]), Format::Html, PAGE.as_bytes()).unwrap();
        let recorded = String::from_utf8(e.bytes).unwrap();
        assert!(recorded.contains("We keep logs for 30 days"));
        for gone in [
            "cookies",
            "Pricing",
            "var x",
            "utm_source",
            "Try our new plan",
        ] {
            assert!(!recorded.contains(gone), "{gone} in {recorded}");
        }
        // The rest of the link is kept as written, its `&` still escaped.
        assert!(
            recorded.contains(r#"href="https://x.test/a?id=2&amp;q=a%20b""#),
            "{recorded}"
        );
        assert_eq!(e.stated_date.as_deref(), Some("2024-03-01"));
        assert!(!e.text.contains("2024"), "{}", e.text);
    }

    #[test]
    fn a_date_only_change_leaves_the_same_text() {
        let s = source(None, &[]);
        let a = extract(&s, Format::Html, PAGE.as_bytes()).unwrap();
        let later = PAGE.replace("March 1, 2024", "2024-06-30");
        let b = extract(&s, Format::Html, later.as_bytes()).unwrap();
        assert_eq!(a.text, b.text);
        assert_eq!(b.stated_date.as_deref(), Some("2024-06-30"));
        let changed = PAGE.replace("30 days", "90 days");
        assert_ne!(
            a.text,
            extract(&s, Format::Html, changed.as_bytes()).unwrap().text
        );
    }

    #[test]
    fn a_selector_that_matches_nothing_is_a_problem() {
        let e = extract(
            &source(Some("article.policy"), &[]),
            Format::Html,
            PAGE.as_bytes(),
        );
        assert!(e.unwrap_err().contains("matches nothing"));
        let e = extract(&source(Some("main"), &[]), Format::Html, PAGE.as_bytes()).unwrap();
        assert!(String::from_utf8(e.bytes).unwrap().contains("30 days"));
    }

    #[test]
    fn content_types() {
        assert_eq!(
            format_of(Some("text/html; charset=utf-8"), b"").unwrap(),
            Format::Html
        );
        assert_eq!(format_of(None, b"%PDF-1.4").unwrap(), Format::Pdf);
        assert!(format_of(Some("image/png"), b"")
            .unwrap_err()
            .contains("image/png"));
    }

    #[test]
    fn a_truncated_pdf_is_a_problem() {
        let e = extract(&source(None, &[]), Format::Pdf, b"%PDF-1.4\n1 0 obj").unwrap_err();
        assert!(e.contains("truncated"), "{e}");
    }

    #[test]
    fn addresses_lose_tracking_parameters_only() {
        for (raw, want) in [
            (
                "https://x.test/p?utm_source=a&lang=en#s2",
                "https://x.test/p?lang=en#s2",
            ),
            ("https://x.test/p?utm_source=a", "https://x.test/p"),
            ("/p?q=a+b&gclid=1&x=%2F", "/p?q=a+b&x=%2F"),
            (
                "https://x.test/p?q=a%20b&Utm_Medium=x",
                "https://x.test/p?q=a%20b",
            ),
            ("https://x.test/p?q=a+b", "https://x.test/p?q=a+b"),
            ("mailto:privacy@x.test", "mailto:privacy@x.test"),
        ] {
            assert_eq!(clean_url(raw), want, "{raw}");
        }
    }

    fn text_of(page: &str) -> String {
        let e = extract(&source(None, &[]), Format::Html, page.as_bytes()).unwrap();
        String::from_utf8(e.bytes).unwrap()
    }

    #[test]
    fn a_policys_own_sections_stay() {
        let cookies = "We use cookies to keep you signed in. ".repeat(80);
        let page = format!(
            r#"<html><body><main><h1>Privacy</h1>
            <section id="cookies"><h2>Cookies</h2><p>We use strictly necessary cookies.</p></section>
            <div class="cookie-consent-banner">Accept all cookies?</div>
            <div role="dialog" aria-label="Cookie policy"><p>{cookies}</p></div>
            <div class="accordion"><h3><button>Data retention</button></h3>
              <div hidden><p>Logs are kept for 30 days.</p></div>
              <span aria-hidden="true">Kept 30 days</span></div>
            </main></body></html>"#
        );
        let compared = extract(&source(None, &[]), Format::Html, page.as_bytes())
            .unwrap()
            .text;
        assert!(compared.contains("Logs are kept for 30 days"), "{compared}");
        assert!(compared.contains("Data retention"), "{compared}");
        let recorded = text_of(&page);
        for kept in [
            "strictly necessary cookies",
            "Data retention",
            "Logs are kept for 30 days",
            "Kept 30 days",
            "keep you signed in",
        ] {
            assert!(recorded.contains(kept), "{kept} lost from {recorded}");
        }
        assert!(!recorded.contains("Accept all cookies"), "{recorded}");
    }

    #[test]
    fn a_page_in_one_form_keeps_its_text() {
        let page = r#"<html><body><form id="aspnetForm" action="/policy.aspx"><div id="content">
            <h1>Security</h1><p>We encrypt backups.</p></div></form></body></html>"#;
        assert!(text_of(page).contains("We encrypt backups"));
    }

    #[test]
    fn the_stated_date_is_the_headers_stamp() {
        let text = "Security Policy\nEffective date: 1 March 2024\nWe encrypt data.\nChanges as of March 1, 2025 we add regions\nLast updated 2023-01-01";
        assert_eq!(stated_date(text).as_deref(), Some("2024-03-01"));
        // A date in a sentence is not a stamp.
        assert_eq!(
            stated_date("Effective January 1, 2025, we will notify you within 24 hours."),
            None
        );
        // A date that reads two ways is not used.
        assert_eq!(stated_date("Last updated: 04/05/2024"), None);
        assert_eq!(
            stated_date("Last updated: 25/05/2024").as_deref(),
            Some("2024-05-25")
        );
        let far = format!("{}Effective date: 2024-06-01", "A clause.\n".repeat(40));
        assert_eq!(stated_date(&far).as_deref(), Some("2024-06-01"));
    }
}
