//! Markdown → blocks, through pulldown-cmark.
//!
//! The heading tree becomes section paths; paragraphs and list items become
//! clauses (a list item's own text is one clause, its nested items are
//! clauses of their own); links keep their text; front matter, HTML and
//! template tags (`{% ... %}`, `{{ ... }}`, `{# ... #}`) are dropped rather than
//! indexed as text. The walk keeps its own stack, so nesting depth is bounded
//! by memory, not by the call stack.

use std::sync::OnceLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;

use crate::clause::{Block, ClauseKind};
use crate::text::ends_sentence;

/// The one place that decides which Markdown extensions trustlens reads.
pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

fn template_tags() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?s)\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}").expect("valid regex"))
}

/// A text buffer being filled by the walk.
struct Buf {
    kind: ClauseKind,
    text: String,
}

/// Parse Markdown text into blocks.
pub fn parse(source: &str) -> Vec<Block> {
    let source = template_tags().replace_all(source, "");
    let mut walk = Walk::default();
    for event in Parser::new_ext(&source, parser_options()) {
        walk.event(event);
    }
    merge_broken_paragraphs(walk.blocks)
}

/// The walk over the parser's events: the blocks made so far and the
/// containers open at this point of the document.
#[derive(Default)]
struct Walk {
    blocks: Vec<Block>,
    /// Open text containers (list items, footnotes), innermost last.
    items: Vec<Buf>,
    heading: Option<(u8, String)>,
    para: Option<String>,
    table_row: Option<Vec<String>>,
    /// Depth inside metadata blocks and images.
    skip_depth: usize,
    /// Inside an inline <script>/<style> element, the tag that closes it: its
    /// contents are code, not document text (block-level ones come as one
    /// HTML event and are dropped).
    in_raw: Option<&'static str>,
}

impl Walk {
    /// Take in one event of the parser.
    fn event(&mut self, event: Event<'_>) {
        if self.skip_depth > 0 {
            self.skip(&event);
            return;
        }
        if let Event::InlineHtml(html) | Event::Html(html) = &event {
            self.html(html);
            return;
        }
        if self.in_raw.is_some() {
            match event {
                Event::Text(_) | Event::Code(_) => return,
                // An unclosed <script> ends with its block: the rest of the
                // document is never swallowed.
                Event::End(_) => self.in_raw = None,
                _ => {}
            }
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) => self.append(&t),
            Event::FootnoteReference(label) => self.append(&format!("[{label}]")),
            Event::SoftBreak | Event::HardBreak => self.append(" "),
            // Raw HTML (block or inline), rules, task markers: not document text.
            _ => {}
        }
    }

    /// An event inside a metadata block or an image: only nesting counts.
    fn skip(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::MetadataBlock(_) | Tag::Image { .. }) => self.skip_depth += 1,
            Event::End(TagEnd::MetadataBlock(_) | TagEnd::Image) => self.skip_depth -= 1,
            _ => {}
        }
    }

    /// Raw HTML is not text, but an inline <script> or <style> it opens
    /// makes the text up to its closing tag code.
    fn html(&mut self, html: &str) {
        let lower = html.to_ascii_lowercase();
        match self.in_raw {
            Some(close) if lower.contains(close) => self.in_raw = None,
            Some(_) => {}
            None => {
                for (open, close) in [("<script", "</script"), ("<style", "</style")] {
                    if lower.contains(open) && !lower.contains(close) {
                        self.in_raw = Some(close);
                    }
                }
            }
        }
    }

    /// A container opens (heading, paragraph, list or item, footnote, table
    /// row or cell); a metadata block or image starts being skipped.
    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::MetadataBlock(_) | Tag::Image { .. } => self.skip_depth = 1,
            Tag::Heading { level, .. } => self.heading = Some((level as u8, String::new())),
            Tag::Paragraph | Tag::CodeBlock(_) => self.start_paragraph(),
            Tag::Item => self.items.push(Buf {
                kind: ClauseKind::ListItem,
                text: String::new(),
            }),
            Tag::FootnoteDefinition(_) => self.items.push(Buf {
                kind: ClauseKind::Footnote,
                text: String::new(),
            }),
            Tag::List(_) => self.start_list(),
            Tag::TableRow | Tag::TableHead => self.table_row = Some(Vec::new()),
            Tag::TableCell => {
                if let Some(row) = self.table_row.as_mut() {
                    row.push(String::new());
                }
            }
            _ => {}
        }
    }

    /// A container closes: its text becomes a block.
    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => self.end_heading(),
            TagEnd::Paragraph | TagEnd::CodeBlock => {
                if let Some(text) = self.para.take() {
                    self.push_text(ClauseKind::Paragraph, &text);
                }
            }
            TagEnd::Item | TagEnd::FootnoteDefinition => {
                if let Some(item) = self.items.pop() {
                    self.push_text(item.kind, &item.text);
                }
            }
            TagEnd::TableRow | TagEnd::TableHead => self.end_table_row(),
            _ => {}
        }
    }

    /// A paragraph of its own outside items; inside one, the item's text
    /// goes on.
    fn start_paragraph(&mut self) {
        if self.items.is_empty() {
            self.para = Some(String::new());
        } else if let Some(item) = self.items.last_mut() {
            // A loose list item holds several paragraphs: keep them in one clause.
            if !item.text.is_empty() {
                item.text.push(' ');
            }
        }
    }

    /// A nested list: the parent item's own text comes before its children.
    fn start_list(&mut self) {
        if let Some(item) = self.items.last_mut() {
            let kind = item.kind;
            let text = std::mem::take(&mut item.text);
            self.push_text(kind, &text);
        }
    }

    /// The heading's text, whitespace collapsed, is a heading block.
    fn end_heading(&mut self) {
        if let Some((level, text)) = self.heading.take() {
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if !text.is_empty() {
                self.blocks.push(Block::Heading { level, text });
            }
        }
    }

    /// A table row is one paragraph: its non-empty cells joined by ` | `.
    fn end_table_row(&mut self) {
        if let Some(row) = self.table_row.take() {
            let cells: Vec<&str> = row
                .iter()
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect();
            self.push_text(ClauseKind::Paragraph, &cells.join(" | "));
        }
    }

    /// A text block of `kind`, whitespace collapsed; none when it is empty.
    fn push_text(&mut self, kind: ClauseKind, text: &str) {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !text.is_empty() {
            self.blocks.push(Block::Text {
                kind,
                text,
                pages: Vec::new(),
            });
        }
    }

    /// Route text to the innermost open container.
    fn append(&mut self, text: &str) {
        if let Some((_, h)) = self.heading.as_mut() {
            h.push_str(text);
        } else if let Some(cell) = self.table_row.as_mut().and_then(|r| r.last_mut()) {
            cell.push_str(text);
        } else if let Some(p) = self.para.as_mut() {
            p.push_str(text);
        } else if let Some(item) = self.items.last_mut() {
            item.text.push_str(text);
        }
    }
}

/// A paragraph cut in two by a stray blank line ("... Salesforce may" /
/// "share data about ...") is one clause: join a paragraph that does not end
/// a sentence with a following paragraph that starts in lower case.
pub(crate) fn merge_broken_paragraphs(blocks: Vec<Block>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for block in blocks {
        if let (
            Some(Block::Text {
                kind: ClauseKind::Paragraph,
                text: prev,
                pages: prev_pages,
            }),
            Block::Text {
                kind: ClauseKind::Paragraph,
                text,
                pages,
            },
        ) = (out.last_mut(), &block)
        {
            // A table row is whole ("npm Inc | …" is the next row, not the
            // rest of a sentence).
            let row = |t: &str| t.contains(" | ");
            if !ends_sentence(prev)
                && text.chars().next().is_some_and(char::is_lowercase)
                && !row(prev)
                && !row(text)
            {
                prev.push(' ');
                prev.push_str(text);
                for p in pages {
                    if !prev_pages.contains(p) {
                        prev_pages.push(*p);
                    }
                }
                continue;
            }
        }
        out.push(block);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| match b {
                Block::Heading { level, text } => format!("h{level} {text}"),
                Block::Text { kind, text, .. } => format!("{} {text}", kind.as_str()),
            })
            .collect()
    }

    #[test]
    fn headings_paragraphs_and_list_items() {
        let md = "# Title\n\nIntro [with a link](https://x.test) and <b>html</b>.\n\n## Sub\n\n- one\n- two\n  - nested\n";
        assert_eq!(
            texts(&parse(md)),
            [
                "h1 Title",
                "paragraph Intro with a link and html.",
                "h2 Sub",
                "list_item one",
                "list_item two",
                "list_item nested"
            ]
        );
    }

    #[test]
    fn front_matter_html_and_template_tags_are_dropped() {
        let md = "---\ntitle: Secret\n---\n\n{% include nav.html %}\n\n<div class=\"x\">Block html</div>\n\nBody {{ page.title }} text.\n";
        assert_eq!(texts(&parse(md)), ["paragraph Body text."]);
    }

    #[test]
    fn inline_script_and_style_contents_are_not_text() {
        let b = texts(&parse(
            "Safe <script>alert(1)</script> text <STYLE>p{color:red}</STYLE> stays.\n",
        ));
        assert_eq!(b, ["paragraph Safe text stays."]);
        let b = texts(&parse(
            "An unclosed <script> here.\n\nThe next paragraph stays.\n",
        ));
        assert_eq!(
            b,
            [
                "paragraph An unclosed",
                "paragraph The next paragraph stays."
            ]
        );
    }

    #[test]
    fn toml_front_matter_is_dropped() {
        assert_eq!(
            texts(&parse("+++\ndate = 2020-01-01\n+++\nHello.\n")),
            ["paragraph Hello."]
        );
    }

    #[test]
    fn footnotes_become_their_own_clauses() {
        let md = "Claim.[^1]\n\n[^1]: The source.\n";
        assert_eq!(
            texts(&parse(md)),
            ["paragraph Claim.[1]", "footnote The source."]
        );
    }

    #[test]
    fn a_paragraph_broken_by_a_blank_line_is_rejoined() {
        let md = "Salesforce may\n\nshare data with others.\n\nNext one.\n";
        assert_eq!(
            texts(&parse(md)),
            [
                "paragraph Salesforce may share data with others.",
                "paragraph Next one."
            ]
        );
    }

    #[test]
    fn tables_become_one_clause_per_row() {
        let md = "| Area | Owner |\n|---|---|\n| Backup | Provider |\n";
        assert_eq!(
            texts(&parse(md)),
            ["paragraph Area | Owner", "paragraph Backup | Provider"]
        );
    }

    #[test]
    fn a_row_that_starts_in_lower_case_is_a_row_of_its_own() {
        let md = "| Name | Where |\n|---|---|\n| Acme Ltd | India |\n| npm Inc | US |\n";
        assert_eq!(
            texts(&parse(md)),
            [
                "paragraph Name | Where",
                "paragraph Acme Ltd | India",
                "paragraph npm Inc | US"
            ]
        );
    }
}
