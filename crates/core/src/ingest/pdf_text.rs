//! PDF-extracted plain text → blocks.
//!
//! Text pulled out of a PDF has lost its structure: every printed line is a
//! line, page furniture (running headers, footers, page numbers) is mixed into
//! the body, words are hyphenated across lines, and footnotes sit in the
//! middle of sentences that continue on the next page. This module rebuilds
//! the structure with layout evidence only — nothing here knows any vendor:
//!
//! 1. **Pages**: form feeds if present, else the longest run of standalone
//!    numbers counting up by one (`3`, `Page 3`, `3 of 9`, `- 3 -`). Whether a
//!    number opens or closes its page is decided by where the body text is.
//! 2. **Furniture**: a line (digits ignored) repeated on at least half the
//!    pages is a running header or footer and is dropped.
//! 3. **Footnotes**: a line starting with `N ` or `*` whose marker was glued
//!    to a word earlier (`certification1:`, `services*`) is a footnote; it is
//!    lifted out of the flow so the sentence it interrupted joins up again.
//! 4. **Re-flow**: a line break inside a sentence, or after a line too full to
//!    have taken the next word, is a wrap; other breaks end the paragraph.
//!    Hyphens at line ends are kept for compounds and removed for split words,
//!    judged by the document's own vocabulary.
//! 5. **Headings and bullets**: short title-like lines between paragraphs are
//!    headings; `●`, `•`, `-`, `1.`, `(a)` start list items — except that a
//!    numbered title-like line with body text under it (`4. Incident
//!    Response`, `4.1 Notification`) is a numbered heading, nested by its
//!    number's depth.
//! 6. **Debris**: a lone line of at most three words with no sentence
//!    punctuation (a stray text box) is not a clause.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;

use crate::clause::{Block, ClauseKind};
use crate::ingest::markdown::merge_broken_paragraphs;
use crate::text::ends_sentence;

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid regex"))
}

fn page_number(line: &str) -> Option<u32> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &RE,
        r"^\s*(?:(?i:page)\s+)?[-–]?\s*(\d{1,4})\s*[-–]?(?:\s*(?:/|(?i:of))\s*\d{1,4})?\s*$",
    );
    r.captures(line).and_then(|c| c[1].parse().ok())
}

fn bullet(line: &str) -> Option<&str> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &RE,
        r"^\s*(?:[●•▪◦■□➢►‣∙·○]|[-–]\s|\(?\d{1,2}[.)]\s|\(?[a-z][.)]\s|\([ivx]{1,4}\)\s)\s*",
    );
    r.find(line)
        .map(|m| &line[m.end()..])
        .filter(|rest| !rest.trim().is_empty())
}

/// `4. Incident Response` / `4.1 Notification`: the section number's depth
/// and the title, when the line is a numbered title.
fn numbered_title(line: &str) -> Option<(usize, &str)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = re(&RE, r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(\S.*)$");
    let c = r.captures(line)?;
    let depth = c[1].split('.').count();
    let title = c.get(2)?.as_str();
    title_like(title).then_some((depth, title))
}

/// A line of the body with the page it was printed on.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    page: u32,
    /// A blank line or page-structure break precedes this line.
    after_gap: bool,
}

struct Footnote {
    marker: String,
    text: String,
    page: u32,
    /// Index in the flow of the first line after the footnote was lifted out.
    flow_pos: usize,
}

/// Parse PDF-extracted text into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let lines = paginate(text);
    let (flow, footnotes) = lift_footnotes(lines);
    // Only a line ending in a hyphen needs the vocabulary: gathered then.
    let vocabulary = std::cell::OnceCell::new();
    let blocks = segment(&flow, &vocabulary, footnotes);
    merge_broken_paragraphs(blocks)
}

/// Steps 1–2: split into pages, drop page numbers and running furniture.
fn paginate(text: &str) -> Vec<Line> {
    let raw = raw_lines(text);
    let page_count = raw.iter().map(|(p, _)| *p).collect::<HashSet<_>>().len();
    let furniture = furniture(&raw, page_count);
    let mut out = Vec::new();
    let mut gap = true;
    let mut last_page = None;
    for (i, &(page, l)) in raw.iter().enumerate() {
        let t = l.trim();
        if last_page != Some(page) {
            gap = true;
            last_page = Some(page);
        }
        if t.is_empty() {
            gap = true;
            continue;
        }
        if furniture[i] || (page_count >= 2 && page_number(t).is_some()) {
            continue;
        }
        out.push(Line {
            text: t.to_string(),
            page: page.max(1),
            after_gap: gap,
        });
        gap = false;
    }
    // A page break is not a paragraph break by itself: the first line of a
    // page continues the last one unless the layout says otherwise.
    for w in 1..out.len() {
        if out[w].page != out[w - 1].page {
            out[w].after_gap = false;
        }
    }
    out
}

/// Every line with its page: form feeds are the extractor telling us the
/// pages outright; without them, printed page numbers tell.
fn raw_lines(text: &str) -> Vec<(u32, &str)> {
    if text.contains('\u{c}') {
        return text
            .split('\u{c}')
            .enumerate()
            .flat_map(|(i, page)| page.lines().map(move |l| (i as u32 + 1, l)))
            .collect();
    }
    let lines: Vec<&str> = text.lines().collect();
    let pages = number_pages(&lines);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| (pages.as_ref().map_or(0, |p| p[i]), l))
        .collect()
}

/// Which raw lines are running furniture: the same line (numbers ignored)
/// on many pages. None with a single page.
fn furniture(raw: &[(u32, &str)], page_count: usize) -> Vec<bool> {
    if page_count < 2 {
        return vec![false; raw.len()];
    }
    let keys: Vec<String> = raw.iter().map(|(_, l)| furniture_key(l)).collect();
    let mut pages_of: HashMap<&str, HashSet<u32>> = HashMap::new();
    for ((page, _), k) in raw.iter().zip(&keys) {
        if !k.is_empty() {
            pages_of.entry(k).or_default().insert(*page);
        }
    }
    let threshold = 2.max(page_count.div_ceil(2));
    keys.iter()
        .map(|k| {
            pages_of
                .get(k.as_str())
                .is_some_and(|p| p.len() >= threshold)
        })
        .collect()
}

/// A line's furniture key: its words, lower-cased, with digits as `#`.
fn furniture_key(l: &str) -> String {
    let mut k = String::with_capacity(l.len());
    for w in l.split_whitespace() {
        if !k.is_empty() {
            k.push(' ');
        }
        k.extend(w.chars().map(|c| {
            if c.is_ascii_digit() {
                '#'
            } else {
                c.to_ascii_lowercase()
            }
        }));
    }
    k
}

/// Find page numbers printed as standalone lines: the longest run counting
/// up by one. Returns the page of every line, or `None` when there is no run.
fn number_pages(lines: &[&str]) -> Option<Vec<u32>> {
    let markers: Vec<(usize, u32)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| page_number(l).map(|n| (i, n)))
        .take(5000)
        .collect();
    if markers.len() < 2 {
        return None;
    }
    // Longest chain with values n, n+1, n+2... in line order (O(k²), k small).
    let mut best_len = vec![1usize; markers.len()];
    let mut prev = vec![usize::MAX; markers.len()];
    for j in 0..markers.len() {
        for i in 0..j {
            if markers[j].1 == markers[i].1 + 1 && best_len[i] + 1 > best_len[j] {
                best_len[j] = best_len[i] + 1;
                prev[j] = i;
            }
        }
    }
    let (mut end, &len) = best_len.iter().enumerate().max_by_key(|(_, l)| **l)?;
    if len < 2 {
        return None;
    }
    let mut chain = Vec::with_capacity(len);
    loop {
        chain.push(markers[end]);
        if prev[end] == usize::MAX {
            break;
        }
        end = prev[end];
    }
    chain.reverse();

    // Numbers at the top of pages leave little text before the first one;
    // numbers at the bottom leave little after the last.
    let body = |r: std::ops::Range<usize>| lines[r].iter().filter(|l| !l.trim().is_empty()).count();
    let before = body(0..chain[0].0);
    let after = body(chain[chain.len() - 1].0 + 1..lines.len());
    let at_top = before < after;

    let mut pages = vec![0u32; lines.len()];
    for (i, page) in pages.iter_mut().enumerate() {
        *page = if at_top {
            match chain.iter().rev().find(|(at, _)| *at <= i) {
                Some((_, n)) => *n,
                None => chain[0].1.saturating_sub(1).max(1),
            }
        } else {
            match chain.iter().find(|(at, _)| *at >= i) {
                Some((_, n)) => *n,
                None => chain[chain.len() - 1].1 + 1,
            }
        };
    }
    Some(pages)
}

fn footnote_start(line: &str) -> Option<(String, &str)> {
    // Most lines start with a letter: no regex for those.
    if !line
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || matches!(c, '*' | '†' | '‡'))
    {
        return None;
    }
    static RE: OnceLock<Regex> = OnceLock::new();
    let r = re(&RE, r"^(\d{1,2}|\*{1,3}|†|‡)\s*(\p{Lu}.*)$");
    let c = r.captures(line)?;
    let marker = c.get(1)?.as_str();
    // "1 Services ..." needs the space; "*Heroku ..." may be glued.
    if marker.chars().all(|ch| ch.is_ascii_digit()) && !line[marker.len()..].starts_with(' ') {
        return None;
    }
    Some((marker.to_string(), c.get(2)?.as_str()))
}

/// A footnote reference glued to a word: `certification1:`, `services*`.
fn reference_regex(marker: &str) -> Regex {
    Regex::new(&format!(
        r"(\p{{Ll}}{{2}}[)\]]?){}([\s:;,.)]|$)",
        regex::escape(marker)
    ))
    .expect("valid regex")
}

/// Step 3: lift footnotes out of the flow.
fn lift_footnotes(lines: Vec<Line>) -> (Vec<Line>, Vec<Footnote>) {
    let mut flow: Vec<Line> = Vec::with_capacity(lines.len());
    let mut notes = Vec::new();
    let mut references: HashMap<String, Regex> = HashMap::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if let Some((marker, first)) = footnote_start(&line.text) {
            let numeric = marker.chars().all(|c| c.is_ascii_digit());
            let r = references
                .entry(marker.clone())
                .or_insert_with(|| reference_regex(&marker));
            let referenced = flow.iter().rev().take(120).any(|l| r.is_match(&l.text));
            // Extent: until a sentence ends, a gap, or the page ends.
            let mut end = i + 1;
            let mut text = first.to_string();
            while end < lines.len()
                && !ends_sentence(&text)
                && lines[end].page == line.page
                && !lines[end].after_gap
                && footnote_start(&lines[end].text).is_none()
                && end - i < 8
            {
                text.push(' ');
                text.push_str(&lines[end].text);
                end += 1;
            }
            // A numbered footnote sits at the foot of its page.
            let at_page_foot = end >= lines.len() || lines[end].page != line.page || !numeric;
            if referenced && at_page_foot {
                notes.push(Footnote {
                    marker,
                    text,
                    page: line.page,
                    flow_pos: flow.len(),
                });
                i = end;
                continue;
            }
        }
        flow.push(lines[i].clone());
        i += 1;
    }
    (flow, notes)
}

/// Every word of the body, lower-cased: evidence for hyphenation decisions.
fn vocabulary(flow: &[Line]) -> HashSet<String> {
    let mut words = HashSet::new();
    for l in flow {
        for w in l.text.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
            if !w.is_empty() {
                words.insert(w.to_lowercase());
            }
        }
    }
    words
}

/// Join `next` onto `text`, undoing the line wrap (and a split word).
fn join_wrapped(
    text: &mut String,
    next: &str,
    flow: &[Line],
    vocabulary: &std::cell::OnceCell<HashSet<String>>,
) {
    let ends_with_hyphen = text.ends_with('-')
        && text[..text.len() - 1]
            .chars()
            .last()
            .is_some_and(char::is_alphabetic);
    if ends_with_hyphen && next.chars().next().is_some_and(char::is_lowercase) {
        let head: String = text[..text.len() - 1]
            .chars()
            .rev()
            .take_while(|c| c.is_alphabetic())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let tail: String = next.chars().take_while(|c| c.is_alphabetic()).collect();
        let joined = format!("{head}{tail}").to_lowercase();
        let hyphenated = format!("{head}-{tail}").to_lowercase();
        const SUFFIXES: [&str; 24] = [
            "tion", "tions", "sion", "sions", "ment", "ments", "ing", "ings", "ness", "ity",
            "ities", "ance", "ence", "able", "ible", "ally", "ical", "ive", "ture", "ed", "er",
            "ers", "ly", "ize",
        ];
        let vocabulary = vocabulary.get_or_init(|| self::vocabulary(flow));
        let split_word = vocabulary.contains(&joined)
            || (!vocabulary.contains(&hyphenated)
                && SUFFIXES.contains(&tail.to_lowercase().as_str()));
        if split_word {
            text.pop();
        }
        text.push_str(next);
    } else {
        text.push(' ');
        text.push_str(next);
    }
}

const SMALL_WORDS: [&str; 16] = [
    "a", "an", "and", "or", "of", "the", "in", "on", "for", "to", "with", "by", "at", "from",
    "via", "per",
];

/// Step 5: does this line look like a heading?
fn title_like(line: &str) -> bool {
    // The cheap tests first: most lines are body text and fail one of them.
    if line.len() > 72 * 4
        || line.chars().count() > 72
        || !line.chars().next().is_some_and(char::is_uppercase)
        || ends_sentence(line)
        || line.ends_with(',')
    {
        return false;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty() || words.len() > 10 {
        return false;
    }
    if words
        .iter()
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
        .count()
        > 1
    {
        return false;
    }
    let parts: Vec<&str> = words
        .iter()
        .flat_map(|w| w.split(['-', '/']))
        .map(|p| p.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|p| {
            // (No character outside ASCII lower-cases into one of these words.)
            p.chars().any(char::is_alphabetic)
                && !SMALL_WORDS.iter().any(|s| p.eq_ignore_ascii_case(s))
        })
        .collect();
    if parts.is_empty() {
        return false;
    }
    let capitalised = parts
        .iter()
        .filter(|p| p.chars().next().is_some_and(char::is_uppercase))
        .count();
    capitalised * 2 > parts.len()
}

/// Step 4–6: group lines into headings, paragraphs and list items.
fn segment(
    flow: &[Line],
    vocabulary: &std::cell::OnceCell<HashSet<String>>,
    footnotes: Vec<Footnote>,
) -> Vec<Block> {
    let mut s = Segmenter::new(flow, vocabulary);
    for i in 0..flow.len() {
        s.line(i);
    }
    s.close();
    let mut blocks = s.blocks;
    // A heading with no text after it before the end is a stray label.
    while matches!(blocks.last(), Some((Block::Heading { .. }, _))) {
        blocks.pop();
    }
    title_level(&mut blocks, s.numbered_headings);
    place_footnotes(blocks, footnotes)
}

/// Typical full line length: a line this long was wrapped by the layout.
fn line_width(flow: &[Line]) -> usize {
    let mut lengths: Vec<usize> = flow
        .iter()
        .map(|l| l.text.chars().count())
        .filter(|&n| n > 20)
        .collect();
    lengths.sort_unstable();
    lengths
        .get(lengths.len().saturating_mul(95) / 100)
        .or(lengths.last())
        .copied()
        .unwrap_or(80)
        .max(30)
}

/// The first heading before any text is the document title: level 1, and
/// every later heading nests under it. A numbered heading is never the
/// title: a numbered document's sections are its top level.
fn title_level(blocks: &mut [(Block, usize)], numbered_headings: usize) {
    let Some(pos) = blocks
        .iter()
        .position(|(b, _)| matches!(b, Block::Heading { .. }))
    else {
        return;
    };
    if blocks[..pos]
        .iter()
        .all(|(b, _)| !matches!(b, Block::Text { .. }))
    {
        if let (Block::Heading { level, text }, _) = &mut blocks[pos] {
            if numbered_title(text).is_none() || numbered_headings == 0 {
                *level = 1;
            }
        }
    }
}

/// A paragraph or list item still taking lines.
struct Open {
    kind: ClauseKind,
    text: String,
    pages: Vec<u32>,
    lines: usize,
    /// Index into the flow of the first line, to place footnotes.
    first_flow: usize,
}

/// The grouping of lines into blocks, one line at a time.
struct Segmenter<'a> {
    flow: &'a [Line],
    vocabulary: &'a std::cell::OnceCell<HashSet<String>>,
    width: usize,
    /// Each line's numbered-title depth and bullet, worked out once: each
    /// is asked about as the line, as the next line and as the previous one.
    numbered: Vec<Option<usize>>,
    bullets: Vec<Option<&'a str>>,
    /// Blocks with the flow index where each starts.
    blocks: Vec<(Block, usize)>,
    open: Option<Open>,
    numbered_headings: usize,
}

impl<'a> Segmenter<'a> {
    fn new(flow: &'a [Line], vocabulary: &'a std::cell::OnceCell<HashSet<String>>) -> Self {
        Segmenter {
            flow,
            vocabulary,
            width: line_width(flow),
            numbered: flow
                .iter()
                .map(|l| numbered_title(&l.text).map(|(depth, _)| depth))
                .collect(),
            bullets: flow.iter().map(|l| bullet(&l.text)).collect(),
            blocks: Vec::new(),
            open: None,
            numbered_headings: 0,
        }
    }

    /// Take line `i`: a heading, a new item or paragraph, or more of the open one.
    fn line(&mut self, i: usize) {
        let line = &self.flow[i];
        if let Some(depth) = self.numbered_heading(i) {
            self.heading(i, (depth + 1).min(6) as u8, line.text.trim());
            self.numbered_headings += 1;
        } else if let Some(rest) = self.bullets[i] {
            self.start(i, ClauseKind::ListItem, rest.trim());
        } else if self.title_heading(i) {
            self.heading(i, 2, &line.text);
        } else if self.continues(i) {
            let o = self.open.as_mut().expect("continues only an open block");
            join_wrapped(&mut o.text, &line.text, self.flow, self.vocabulary);
            if !o.pages.contains(&line.page) {
                o.pages.push(line.page);
            }
            o.lines += 1;
        } else {
            self.start(i, ClauseKind::Paragraph, &line.text);
        }
    }

    /// Whether line `i` goes on the open block: no gap before it, and the
    /// line before was wrapped mid-sentence or too full for its first word.
    fn continues(&self, i: usize) -> bool {
        let (line, Some(prev)) = (&self.flow[i], i.checked_sub(1).map(|p| &self.flow[p])) else {
            return false;
        };
        let first_word = line
            .text
            .split_whitespace()
            .next()
            .map_or(0, |w| w.chars().count());
        !line.after_gap
            && self.open.is_some()
            && (!ends_sentence(&prev.text)
                || prev.text.chars().count() + 1 + first_word > self.width)
    }

    /// A numbered title with body text under it is a heading, not the first
    /// item of a numbered list — unless it is one of a run of numbered
    /// titles (a list of short items). Its depth, when it is one.
    fn numbered_heading(&self, i: usize) -> Option<usize> {
        let depth = self.numbered[i]?;
        let in_a_run =
            |j: Option<usize>| j.is_some_and(|j| self.numbered.get(j).copied().flatten().is_some());
        let body_follows = i + 1 < self.flow.len() && self.bullets[i + 1].is_none();
        (body_follows && !in_a_run(i.checked_sub(1)) && !in_a_run(Some(i + 1))).then_some(depth)
    }

    /// A title-like line right after a finished sentence (or a gap, or a
    /// short line) with body text under it is a heading, even when the
    /// sentence before filled its line.
    fn title_heading(&self, i: usize) -> bool {
        let line = &self.flow[i];
        let is_full = |s: &str| s.chars().count() * 10 >= self.width * 7;
        title_like(&line.text)
            && i.checked_sub(1).map(|p| &self.flow[p]).is_none_or(|p| {
                line.after_gap || ends_sentence(&p.text) || !is_full(&p.text) || self.open.is_none()
            })
            && self.flow.get(i + 1).is_some_and(|n| {
                // Something must follow that starts afresh: a capitalised
                // line, a bullet or a number — not the rest of a sentence.
                n.text
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                    || self.bullets[i + 1].is_some()
            })
    }

    fn heading(&mut self, i: usize, level: u8, text: &str) {
        self.close();
        let text = text.to_string();
        self.blocks.push((Block::Heading { level, text }, i));
    }

    fn start(&mut self, i: usize, kind: ClauseKind, text: &str) {
        self.close();
        self.open = Some(Open {
            kind,
            text: text.to_string(),
            pages: vec![self.flow[i].page],
            lines: 1,
            first_flow: i,
        });
    }

    /// Finish the open block; a lone line of at most three words with no
    /// sentence punctuation is debris (a stray text box), not a clause.
    fn close(&mut self) {
        let Some(o) = self.open.take() else { return };
        let debris = o.lines == 1
            && o.kind == ClauseKind::Paragraph
            && o.text.split_whitespace().count() <= 3
            && !ends_sentence(&o.text);
        if !debris {
            let block = Block::Text {
                kind: o.kind,
                text: o.text,
                pages: o.pages,
            };
            self.blocks.push((block, o.first_flow));
        }
    }
}

/// Put each footnote right after the clause that refers to it, turning the
/// glued marker (`certification1:`) into a visible one (`certification[1]:`).
fn place_footnotes(mut blocks: Vec<(Block, usize)>, footnotes: Vec<Footnote>) -> Vec<Block> {
    for note in footnotes.into_iter().rev() {
        let r = reference_regex(&note.marker);
        let referring = blocks.iter().rposition(|(b, start)| {
            *start < note.flow_pos && matches!(b, Block::Text { text, .. } if r.is_match(text))
        });
        let at = match referring {
            Some(idx) => {
                if let (Block::Text { text, .. }, _) = &mut blocks[idx] {
                    let marker = note.marker.clone();
                    *text = r
                        .replace(text, |c: &regex::Captures| {
                            format!("{}[{}]{}", &c[1], marker, &c[2])
                        })
                        .into_owned();
                }
                idx + 1
            }
            None => blocks
                .iter()
                .position(|(_, start)| *start >= note.flow_pos)
                .unwrap_or(blocks.len()),
        };
        blocks.insert(
            at,
            (
                Block::Text {
                    kind: ClauseKind::Footnote,
                    text: format!("[{}] {}", note.marker, note.text),
                    pages: vec![note.page],
                },
                note.flow_pos,
            ),
        );
    }
    blocks.into_iter().map(|(b, _)| b).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| match b {
                Block::Heading { level, text } => format!("h{level} {text}"),
                Block::Text { kind, text, pages } => format!("{} {text} {pages:?}", kind.as_str()),
            })
            .collect()
    }

    const W: &str = "filler words that make this line as long as a justified line in a PDF page";

    #[test]
    fn page_numbers_at_page_tops_and_running_footers_are_dropped() {
        let doc = format!(
            "1\nACME Ltd. Confidential\nData Handling\nWe keep data safe and {W}\nand so on.\n2\nACME Ltd. Confidential\nMore text {W}.\n3\nACME Ltd. Confidential\nLast page text.\n"
        );
        let b = texts(&parse(&doc));
        assert_eq!(b[0], "h1 Data Handling");
        assert!(
            b[1].starts_with("paragraph We keep data safe") && b[1].ends_with("and so on. [1]"),
            "{b:?}"
        );
        assert!(b[2].ends_with("[2]"), "{b:?}");
        assert!(b.iter().all(|l| !l.contains("Confidential")), "{b:?}");
    }

    #[test]
    fn page_numbers_at_page_feet_count_the_page_before() {
        let doc =
            format!("Intro text {W}\nends here.\nPage 1 of 2\nSecond page {W}.\nPage 2 of 2\n");
        let b = texts(&parse(&doc));
        assert!(b[0].ends_with("[1]") && b[1].ends_with("[2]"), "{b:?}");
    }

    #[test]
    fn form_feeds_are_page_breaks() {
        let b = texts(&parse("First page text.\u{c}Second page text.\n"));
        assert_eq!(
            b,
            [
                "paragraph First page text. [1]",
                "paragraph Second page text. [2]"
            ]
        );
    }

    #[test]
    fn wrapped_lines_reflow_and_sentences_continue_across_pages() {
        let doc = format!("1\nThe provider keeps logs of {W}\n2\nall access for one year.\n");
        let b = texts(&parse(&doc));
        assert_eq!(b.len(), 1, "{b:?}");
        assert!(
            b[0].contains(" PDF page all access for one year. [1, 2]"),
            "{b:?}"
        );
    }

    #[test]
    fn hyphenation_keeps_compounds_and_joins_split_words() {
        let vocab = std::cell::OnceCell::from(
            ["information".to_string()]
                .into_iter()
                .collect::<HashSet<String>>(),
        );
        let mut s = "the third-".to_string();
        join_wrapped(&mut s, "party auditor", &[], &vocab);
        assert_eq!(s, "the third-party auditor");
        let mut s = "security infor-".to_string();
        join_wrapped(&mut s, "mation is", &[], &vocab);
        assert_eq!(s, "security information is");
        let mut s = "data protec-".to_string();
        join_wrapped(&mut s, "tion rules", &[], &std::cell::OnceCell::new());
        assert_eq!(s, "data protection rules");
        // The vocabulary is gathered from the flow only when a line ends in
        // a hyphen.
        let flow = [Line {
            text: "the agreed information".into(),
            page: 1,
            after_gap: false,
        }];
        let lazy = std::cell::OnceCell::new();
        let mut s = "no hyphen".to_string();
        join_wrapped(&mut s, "here", &flow, &lazy);
        assert!(lazy.get().is_none());
        let mut s = "agreed infor-".to_string();
        join_wrapped(&mut s, "mation", &flow, &lazy);
        assert_eq!(s, "agreed information");
        assert!(lazy.get().is_some_and(|v| v.contains("information")));
    }

    #[test]
    fn bullets_and_numbers_start_list_items() {
        let doc = format!("Controls include:\n● First control {W}\ncontinues here.\n• Second.\n1. Third.\n(a) Fourth.\n");
        let b = texts(&parse(&doc));
        assert_eq!(b.len(), 5, "{b:?}");
        assert!(b[1].starts_with("list_item First control") && b[1].contains("continues here."));
        assert!(b[4].starts_with("list_item Fourth."));
    }

    #[test]
    fn numbered_titles_with_text_under_them_are_headings_and_runs_of_them_a_list() {
        let doc = format!(
            "Security Overview\n\n1. Overview\nWe run a service {W}.\n\n2. Data Encryption\nData is encrypted.\n2.1 Keys\nKeys rotate.\n\nOur controls:\n1. Encryption\n2. Access Control\n3. Logging\nThat is all.\n"
        );
        let blocks = parse(&doc);
        let headings: Vec<(u8, String)> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, text } => Some((*level, text.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(
            headings,
            [
                (1, "Security Overview".to_string()),
                (2, "1. Overview".to_string()),
                (2, "2. Data Encryption".to_string()),
                (3, "2.1 Keys".to_string()),
            ]
        );
        let b = texts(&blocks);
        assert!(
            b.iter().any(|t| t.starts_with("list_item Access Control")),
            "{b:?}"
        );
        assert!(
            b.iter().any(|t| t.starts_with("list_item Logging")),
            "{b:?}"
        );
    }

    #[test]
    fn footnotes_are_lifted_out_and_the_sentence_joins_up() {
        let doc = format!(
            "1\nFooter line\nWe hold the certification1: customer data is within its scope {W}\n1 Valid until 2020.\n2\nFooter line\nas further described.\n"
        );
        let b = texts(&parse(&doc));
        assert_eq!(b.len(), 2, "{b:?}");
        assert!(
            b[0].contains("certification[1]: customer data")
                && b[0].contains("as further described. [1, 2]"),
            "{b:?}"
        );
        assert_eq!(b[1], "footnote [1] Valid until 2020. [1]");
    }

    #[test]
    fn asterisk_footnotes() {
        let doc = format!("Shield services* have plans {W}.\n*Shield services include: A and B.\nNext Heading\nBody text {W}.\n");
        let b = texts(&parse(&doc));
        assert!(b[0].contains("services[*] have"), "{b:?}");
        assert!(
            b[1].starts_with("footnote [*] Shield services include: A and B."),
            "{b:?}"
        );
        assert_eq!(b[2], "h2 Next Heading");
    }

    #[test]
    fn stray_labels_are_not_clauses() {
        let doc = format!("ICT-world\n\nTitle Of Doc\nBody text {W}.\n\nNieuwe bijzaak\n");
        let b = texts(&parse(&doc));
        assert_eq!(b[0], "h1 Title Of Doc");
        assert_eq!(b.len(), 2, "{b:?}");
    }

    #[test]
    fn a_file_of_only_footers_gives_nothing() {
        let doc = "1\nCopyright ACME\nConfidential\n2\nCopyright ACME\nConfidential\n3\nCopyright ACME\nConfidential\n";
        assert!(parse(doc).is_empty());
    }
}
