//! Saved HTML pages (trust centers, policy pages) → blocks.
//!
//! Only the main content is kept: `<main>`, else `<article>`, else
//! `[role=main]`, else `<body>`; navigation, headers, footers, asides,
//! scripts and styles are dropped (forms, buttons and hidden panels are
//! read: pages wrap their body in a form, accordions hide sections). Headings become headings,
//! paragraphs, list items, table rows and block quotes become clauses, and
//! text is taken as text (markup in it never survives).

use scraper::{ElementRef, Html, Node, Selector};

use crate::clause::{Block, ClauseKind};

/// Elements whose text is never the document's. Forms, buttons and hidden
/// elements are read: some pages wrap their whole body in a form, and
/// accordions put section titles in buttons and collapsed sections in
/// hidden panels.
const SKIP: &[&str] = &[
    "script", "style", "nav", "header", "footer", "aside", "noscript", "template", "svg", "select",
    "iframe", "object", "canvas", "head",
];

fn text_of(e: ElementRef<'_>) -> String {
    // An explicit stack, skipping dropped elements (a <script> inside a
    // <p>): linear in the subtree, and no recursion on deep input.
    let mut out = String::new();
    let mut stack: Vec<_> = e.children().collect();
    stack.reverse();
    while let Some(node) = stack.pop() {
        match node.value() {
            Node::Text(t) => {
                out.push_str(t);
                out.push(' ');
            }
            Node::Element(el) if !SKIP.contains(&el.name()) => {
                let mut kids: Vec<_> = node.children().collect();
                kids.reverse();
                stack.extend(kids);
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Pages nesting elements deeper than this are refused before parsing.
pub const MAX_NESTING: usize = 1000;

/// Elements that never hold content, and elements whose end tag may be left
/// out (`<p>`, `<li>`, `<td>`...): neither makes a page deeper when counted
/// from the tags alone.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead",
    "tbody", "tfoot", "colgroup", "rb", "rt", "rp", "html", "head", "body", "!doctype",
];

/// How deep the page's elements nest, counted from its tags in one linear
/// pass (comments, `<script>` and `<style>` contents skipped): an upper
/// bound good enough to refuse pathological input before the parser sees it.
pub fn nesting_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let lower = |i: usize, n: usize| -> String {
        html.get(i..(i + n).min(html.len()))
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    let (mut depth, mut max, mut i) = (0usize, 0usize, 0usize);
    while let Some(off) = bytes[i..].iter().position(|&b| b == b'<') {
        i += off + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(html.len(), |e| i + e + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let name_len = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'!' || **b == b'-')
            .count();
        if name_len == 0 {
            continue;
        }
        let name = lower(start, name_len);
        let end = html[start..].find('>').map_or(html.len(), |e| start + e);
        let self_closing = html[..end].ends_with('/');
        if closing {
            if !NOT_NESTING.contains(&name.as_str()) {
                depth = depth.saturating_sub(1);
            }
        } else if !NOT_NESTING.contains(&name.as_str()) && !self_closing {
            depth += 1;
            max = max.max(depth);
            if name == "script" || name == "style" {
                // Their contents are not markup.
                let close = format!("</{name}");
                let mut j = end.min(html.len());
                i = loop {
                    match html[j..].find("</") {
                        None => break html.len(),
                        Some(k) => {
                            let p = j + k;
                            if html
                                .get(p..p + close.len())
                                .is_some_and(|t| t.eq_ignore_ascii_case(&close))
                            {
                                break p;
                            }
                            j = p + 2;
                        }
                    }
                };
                continue;
            }
        }
        i = end.min(html.len());
    }
    max
}

/// Deeper nesting than this is flattened into one paragraph: real pages are
/// far shallower, and recursion must stay bounded on hostile input.
const MAX_DEPTH: usize = 64;

/// The blocks of the content whose root is `e`.
fn walk(e: ElementRef<'_>, out: &mut Vec<Block>) {
    walk_at(e, out, 0)
}

/// The blocks of element `e`, `depth` elements below the content's root.
fn walk_at(e: ElementRef<'_>, out: &mut Vec<Block>, depth: usize) {
    if depth > MAX_DEPTH {
        push_text(out, ClauseKind::Paragraph, text_of(e));
        return;
    }
    let name = e.value().name();
    if SKIP.contains(&name) {
        return;
    }
    match name {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            let text = text_of(e);
            if !text.is_empty() {
                out.push(Block::Heading {
                    level: name[1..].parse().unwrap_or(1),
                    text,
                });
            }
        }
        "p" | "blockquote" | "dd" | "dt" | "figcaption" | "pre" => {
            push_text(out, ClauseKind::Paragraph, text_of(e))
        }
        "li" => list_item(e, out, depth),
        "tr" => push_text(out, ClauseKind::Paragraph, row_text(e)),
        _ => container(e, out, depth),
    }
}

/// A text block of `kind`; none when the text is empty.
fn push_text(out: &mut Vec<Block>, kind: ClauseKind, text: String) {
    if !text.is_empty() {
        out.push(Block::Text {
            kind,
            text,
            pages: Vec::new(),
        });
    }
}

/// `text` with its whitespace collapsed to single spaces, trimmed.
fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a list is nested in an item (it makes items of its own).
fn is_list(e: ElementRef<'_>) -> bool {
    matches!(e.value().name(), "ul" | "ol")
}

/// A list item is a clause of its own text, followed by the items of the
/// lists nested in it.
fn list_item(e: ElementRef<'_>, out: &mut Vec<Block>, depth: usize) {
    push_text(out, ClauseKind::ListItem, item_own_text(e));
    for child in e.children().filter_map(ElementRef::wrap) {
        if is_list(child) {
            walk_at(child, out, depth + 1);
        }
    }
}

/// A list item's text without its nested lists.
fn item_own_text(e: ElementRef<'_>) -> String {
    let mut s = String::new();
    for child in e.children() {
        match ElementRef::wrap(child) {
            Some(c) if is_list(c) => {}
            Some(c) => {
                s.push_str(&text_of(c));
                s.push(' ');
            }
            None => {
                if let Node::Text(t) = child.value() {
                    s.push_str(t);
                    s.push(' ');
                }
            }
        }
    }
    collapsed(&s)
}

/// A table row's text: its non-empty cells joined by ` | `.
fn row_text(e: ElementRef<'_>) -> String {
    let cells: Vec<String> = e
        .children()
        .filter_map(ElementRef::wrap)
        .map(text_of)
        .filter(|t| !t.is_empty())
        .collect();
    cells.join(" | ")
}

/// Whether an element is inline markup, part of the text around it.
fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "span"
            | "b"
            | "strong"
            | "i"
            | "em"
            | "code"
            | "small"
            | "sup"
            | "sub"
            | "abbr"
            | "br"
    )
}

/// Any other element is a container: loose text directly in it (a <div>
/// with text), with its inline elements, is a paragraph up to each block
/// element, which is walked in turn.
fn container(e: ElementRef<'_>, out: &mut Vec<Block>, depth: usize) {
    let mut loose = String::new();
    for child in e.children() {
        match ElementRef::wrap(child) {
            Some(c) if is_inline(c.value().name()) => {
                loose.push_str(&text_of(c));
                loose.push(' ');
            }
            Some(c) => {
                push_text(out, ClauseKind::Paragraph, collapsed(&loose));
                loose.clear();
                walk_at(c, out, depth + 1);
            }
            None => {
                if let Node::Text(t) = child.value() {
                    loose.push_str(t);
                    loose.push(' ');
                }
            }
        }
    }
    push_text(out, ClauseKind::Paragraph, collapsed(&loose));
}

/// Blocks of an HTML page's main content.
pub fn parse(html: &str) -> Vec<Block> {
    let doc = Html::parse_document(html);
    let root = ["main", "article", "[role=main]", "body"]
        .iter()
        .filter_map(|s| Selector::parse(s).ok())
        .find_map(|s| doc.select(&s).next());
    let mut out = Vec::new();
    if let Some(root) = root {
        walk(root, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_counted_from_tags_and_optional_end_tags_do_not_count() {
        assert_eq!(
            nesting_depth("<html><body><main><div><p>x</div></main></body></html>"),
            2
        );
        assert_eq!(nesting_depth(&"<li>item".repeat(5000)), 0);
        assert_eq!(nesting_depth(&"<div>".repeat(3000)), 3000);
        assert_eq!(
            nesting_depth("<div><br/><img src=x><!-- <div><div> --></div>"),
            1
        );
        assert_eq!(
            nesting_depth("<script>if (a<b) { x = '<div><div>'; }</script><p>t"),
            1
        );
        assert_eq!(nesting_depth("<<<>>> < a"), 0);
        assert_eq!(nesting_depth("<div"), 1);
    }

    #[test]
    fn main_content_only_as_text() {
        let html = r#"<!doctype html><html><head><title>x</title><script>var a=1</script></head>
<body><nav><a href="/">Home</a> <a href="/trust">Trust</a></nav>
<header><h1>Site header</h1></header>
<main><h1>Security Overview</h1><p>Data is <b>encrypted</b> at rest.<script>alert(1)</script></p>
<h2>Access</h2><ul><li>MFA for admins<ul><li>hardware keys</li></ul></li><li>SSO via SAML</li></ul>
<p><img src=x onerror=alert(1)>Text &lt;script&gt; stays text. <a href="javascript:alert(1)">link text</a></p>
<table><tr><th>Control</th><th>Owner</th></tr><tr><td>Backups</td><td>Provider</td></tr></table>
</main><footer>Copyright</footer></body></html>"#;
        let blocks = parse(html);
        let texts: Vec<String> = blocks
            .iter()
            .map(|b| match b {
                Block::Heading { level, text } => format!("h{level} {text}"),
                Block::Text { kind, text, .. } => format!("{kind:?} {text}"),
            })
            .collect();
        assert_eq!(
            texts,
            [
                "h1 Security Overview",
                "Paragraph Data is encrypted at rest.",
                "h2 Access",
                "ListItem MFA for admins",
                "ListItem hardware keys",
                "ListItem SSO via SAML",
                "Paragraph Text <script> stays text. link text",
                "Paragraph Control | Owner",
                "Paragraph Backups | Provider",
            ]
        );
    }

    #[test]
    fn hostile_html_never_panics() {
        for html in [
            "",
            "<",
            "<<<>>>",
            &"<div>".repeat(2_000),
            "<p>\u{0}</p>",
            "<main></main>",
        ] {
            let _ = parse(html);
        }
    }
}
