//! Tables of entities (subprocessors, certifications, data categories,
//! locations) compared row by row, keyed on the entity: added, removed,
//! renamed, attribute changed. A row that moved to another table of the
//! document, unchanged, is no change.
//!
//! A table is a run of clauses in one section whose text is cells joined
//! by ` | ` (how every ingest writes a table row); its first row is its
//! header.

use rustc_hash::{FxHashMap, FxHashSet};

use super::cards::{ChangeCard, ChangeKind, Direction, Evidence, Span};
use crate::clause::{Clause, ClauseKind};
use crate::lexicon::{Lexicon, Severity};
use crate::statements::Vocab;

/// One row of a table.
#[derive(Debug, Clone)]
struct Row<'a> {
    clause: &'a Clause,
    /// The entity's key: its first cell, lower-cased, without corporate
    /// suffixes or parentheses.
    key: String,
    /// The key without the name's parenthesis.
    base: String,
    cells: Vec<String>,
    /// The table's header cells.
    header: std::rc::Rc<Vec<String>>,
    /// The table's topic.
    topic: Option<String>,
}

/// The rows of every table of a version (headers left out), and the
/// headers' clause IDs.
fn rows<'a>(lexicon: &Lexicon, clauses: &'a [Clause]) -> (Vec<Row<'a>>, Vec<String>) {
    let vocab = &*lexicon.statements;
    let mut out = Vec::new();
    let mut headers = Vec::new();
    let mut k = 0;
    while k < clauses.len() {
        let Some(cells) = cells_of(&clauses[k]) else {
            k += 1;
            continue;
        };
        let section = &clauses[k].section_slug;
        headers.push(clauses[k].id());
        let header = std::rc::Rc::new(cells);
        let heading = clauses[k].section.join(" ");
        let topic = table_topic(vocab, &header, &heading);
        k += 1;
        while k < clauses.len() && &clauses[k].section_slug == section {
            let Some(cells) = cells_of(&clauses[k]) else {
                break;
            };
            let (key, base) = entity_key(lexicon, &cells[0]);
            out.push(Row {
                clause: &clauses[k],
                key,
                base,
                cells,
                header: std::rc::Rc::clone(&header),
                topic: topic.clone(),
            });
            k += 1;
        }
    }
    // An entity listed twice (for two purposes) is told apart by its
    // purpose.
    let mut count: FxHashMap<String, usize> = FxHashMap::default();
    for r in &out {
        *count.entry(r.key.clone()).or_default() += 1;
    }
    for r in &mut out {
        if count[&r.key] > 1 {
            let purpose = r.cells.get(1).map_or(String::new(), |c| c.to_lowercase());
            r.key = format!("{} | {purpose}", r.key);
        }
    }
    (out, headers)
}

fn cells_of(c: &Clause) -> Option<Vec<String>> {
    if c.kind != ClauseKind::Paragraph || !c.text.contains(" | ") {
        return None;
    }
    let cells: Vec<String> = c.text.split(" | ").map(|s| s.trim().to_string()).collect();
    // A table of entities names them in short cells; a table whose cells
    // are paragraphs ("Area | Measures") is prose, read as statements.
    let short = cells[0].split_whitespace().count() <= MAX_NAME_WORDS
        && cells
            .iter()
            .all(|c| c.split_whitespace().count() <= MAX_CELL_WORDS);
    (cells.len() >= 2 && short).then_some(cells)
}

/// The most words an entity's name has.
const MAX_NAME_WORDS: usize = 8;
/// The most words a cell of a table of entities has.
const MAX_CELL_WORDS: usize = 25;

/// The topic of a table from its header and its section heading; a table
/// of entities with no topic of its own is about subprocessors when its
/// heading says so, else about whatever the heading names.
fn table_topic(vocab: &Vocab, header: &[String], heading: &str) -> Option<String> {
    let score = |text: &str| {
        vocab
            .topics
            .iter()
            .map(|t| {
                (
                    t.patterns
                        .iter()
                        .flat_map(|p| p.regex().find_iter(text))
                        .map(|m| m.len())
                        .sum::<usize>(),
                    &t.id,
                )
            })
            .filter(|(s, _)| *s > 0)
            .max_by_key(|(s, _)| *s)
            .map(|(_, id)| id.clone())
    };
    // The heading, then the entity column's name ("Company name"),
    // then the whole header.
    score(heading)
        .or_else(|| header.first().and_then(|h| score(h)))
        .or_else(|| score(&header.join(" ")))
}

/// An entity's key and base key: "Acme Cloud, Inc." and "Acme Cloud Inc"
/// are one ("acme cloud"); "Globex (Mail)" is "globex (mail)" with
/// base "globex"; a framework the lexicon knows is one entity however
/// it is spelled ("ISO 27001", "ISO/IEC 27001").
fn entity_key(lexicon: &Lexicon, name: &str) -> (String, String) {
    if let Some(f) = lexicon.frameworks.iter().find(|f| {
        f.patterns.iter().any(|p| {
            p.regex()
                .find(name)
                .is_some_and(|m| m.len() * 2 >= name.trim().len())
        })
    }) {
        let key = format!("framework: {}", f.name);
        return (key.clone(), key);
    }
    let (mut outside, mut inside) = (String::new(), String::new());
    let mut depth = 0;
    for c in name.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth > 0 => inside.push(c),
            _ => outside.push(c),
        }
        if matches!(c, '(' | ')') {
            outside.push(' ');
        }
    }
    let (base, paren) = (normal_name(&outside), normal_name(&inside));
    match paren.is_empty() {
        true => (base.clone(), base),
        false => (format!("{base} ({paren})"), base),
    }
}

/// A name's words, lower-cased, without corporate suffixes.
fn normal_name(name: &str) -> String {
    const SUFFIXES: [&str; 16] = [
        "inc",
        "llc",
        "ltd",
        "limited",
        "corp",
        "corporation",
        "co",
        "gmbh",
        "sa",
        "plc",
        "bv",
        "ag",
        "pty",
        "pbc",
        "sas",
        "srl",
    ];
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !SUFFIXES.contains(&w.as_str()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The items of a cell: "United States, Iceland and Germany" → three.
fn items(cell: &str) -> Vec<String> {
    cell.split([',', ';', '/'])
        .flat_map(|p| p.split(" and "))
        .map(|s| s.trim().trim_end_matches('.').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn same_items(a: &str, b: &str) -> bool {
    let norm = |c: &str| {
        let mut v: Vec<String> = items(c).iter().map(|s| s.to_lowercase()).collect();
        v.sort();
        v
    };
    norm(a) == norm(b)
}

/// What a table comparison found: cards, and the clause IDs it explains
/// (every table row of either side: a row's changes are told here).
pub struct TableChanges {
    /// Entity cards.
    pub cards: Vec<ChangeCard>,
    /// Old and new table-row clause IDs.
    pub rows: FxHashSet<String>,
    /// Rows whose entity moved or was re-padded, unchanged (old, new).
    pub unchanged_moves: Vec<(String, String)>,
}

/// Compare the tables of two versions.
pub fn compare(lexicon: &Lexicon, old: &[Clause], new: &[Clause]) -> TableChanges {
    let vocab = &*lexicon.statements;
    let ((a, ha), (b, hb)) = (rows(lexicon, old), rows(lexicon, new));
    let rows: FxHashSet<String> = a
        .iter()
        .chain(&b)
        .map(|r| r.clause.id())
        .chain(ha)
        .chain(hb)
        .collect();
    // "Globex" and "Globex (Mail)" are one entity only when
    // neither list names the other too.
    let (a, b) = (with_base_keys(a, &b), with_base_keys(b, &[]));
    let by_key = |rs: &[Row<'_>]| -> FxHashMap<String, usize> {
        rs.iter()
            .enumerate()
            .map(|(k, r)| (r.key.clone(), k))
            .collect()
    };
    let (ka, kb) = (by_key(&a), by_key(&b));
    let mut removed: Vec<&Row<'_>> = a.iter().filter(|r| !kb.contains_key(&r.key)).collect();
    let mut added: Vec<&Row<'_>> = b.iter().filter(|r| !ka.contains_key(&r.key)).collect();
    let mut cards = Vec::new();
    let mut unchanged_moves = Vec::new();
    for (r, ra) in renames(&mut removed, &mut added) {
        cards.push(renamed_card(vocab, r, ra));
    }
    for rb in &b {
        let Some(&i) = ka.get(&rb.key) else { continue };
        let ra = &a[i];
        match changed_card(vocab, ra, rb) {
            Some(card) => cards.push(card),
            None if ra.clause.text != rb.clause.text
                || ra.clause.section_slug != rb.clause.section_slug =>
            {
                unchanged_moves.push((ra.clause.id(), rb.clause.id()))
            }
            None => {}
        }
    }
    cards.extend(grouped_cards(vocab, &added, true));
    cards.extend(grouped_cards(vocab, &removed, false));
    TableChanges {
        cards,
        rows,
        unchanged_moves,
    }
}

/// Rows whose full key ("globex (mail)") the other list lacks but whose
/// base key (without the parenthesis, "globex") names exactly one row
/// of it take that row's key.
fn with_base_keys<'a>(mut rows: Vec<Row<'a>>, other: &[Row<'_>]) -> Vec<Row<'a>> {
    if other.is_empty() {
        return rows;
    }
    let own: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
    for r in &mut rows {
        if other.iter().any(|o| o.key == r.key) {
            continue;
        }
        let matches: Vec<&Row<'_>> = other
            .iter()
            .filter(|o| o.base == r.base && !own.contains(&o.key))
            .collect();
        if let [one] = matches.as_slice() {
            if rows_with_base(&own, &r.base) == 1 {
                r.key = one.key.clone();
            }
        }
    }
    rows
}

fn rows_with_base(keys: &[String], base: &str) -> usize {
    keys.iter()
        .filter(|k| k.split(" (").next() == Some(base))
        .count()
}

/// A removed row and an added row with the same other cells are one
/// entity under a new name (taken out of both lists).
fn renames<'r, 'a>(
    removed: &mut Vec<&'r Row<'a>>,
    added: &mut Vec<&'r Row<'a>>,
) -> Vec<(&'r Row<'a>, &'r Row<'a>)> {
    let mut out = Vec::new();
    let rest = |r: &Row<'_>| {
        r.cells[1..]
            .iter()
            .map(|c| c.to_lowercase())
            .collect::<Vec<_>>()
    };
    let mut k = 0;
    while k < removed.len() {
        let r = removed[k];
        let same: Vec<usize> = (0..added.len())
            .filter(|&j| rest(added[j]) == rest(r) && r.cells.len() > 1)
            .collect();
        let shares_word = |j: usize| {
            r.base
                .split(' ')
                .any(|w| w.len() > 2 && added[j].key.split([' ', '(', ')']).any(|x| x == w))
        };
        // The same other cells are not enough: "Alpha Hosting" and "Zeta
        // Hosting" with one purpose and place are two entities; a rename
        // keeps a word of the name.
        let pick = same.iter().copied().find(|&j| shares_word(j));
        match pick {
            Some(j) => {
                out.push((r, added.remove(j)));
                removed.remove(k);
            }
            None => k += 1,
        }
    }
    out
}

fn table_name(vocab: &Vocab, r: &Row<'_>) -> String {
    r.topic.as_deref().and_then(|t| vocab.topic(t)).map_or_else(
        || r.header.first().cloned().unwrap_or_default(),
        |t| t.name.clone(),
    )
}

fn severity(vocab: &Vocab, r: &Row<'_>) -> Severity {
    r.topic
        .as_deref()
        .and_then(|t| vocab.topic(t))
        .map_or(Severity::Medium, |t| t.severity)
}

fn evidence(r: &Row<'_>) -> Evidence {
    let name = &r.cells[0];
    Evidence {
        clause_id: r.clause.id(),
        text: r.clause.text.to_string(),
        spans: vec![Span {
            start: 0,
            end: name.len() as u32,
            text: name.clone(),
        }],
    }
}

fn entity_card(
    kind: ChangeKind,
    vocab: &Vocab,
    summary: String,
    r: &Row<'_>,
    before: Option<Evidence>,
    after: Option<Evidence>,
) -> ChangeCard {
    let severity = severity(vocab, r);
    let mut card = super::cards::card(kind, summary, severity, Direction::Unclear, before, after);
    card.topic = r.topic.clone();
    card
}

fn renamed_card(vocab: &Vocab, a: &Row<'_>, b: &Row<'_>) -> ChangeCard {
    let summary = words_max(&format!(
        "{}: {} is now listed as {} (same {})",
        table_name(vocab, b),
        a.cells[0],
        b.cells[0],
        b.header
            .get(1..)
            .map_or_else(String::new, |h| h.join(", ").to_lowercase())
    ));
    entity_card(
        ChangeKind::EntityRenamed,
        vocab,
        summary,
        b,
        Some(evidence(a)),
        Some(evidence(b)),
    )
}

/// The card for an entity whose other cells changed (items added to or
/// dropped from a list cell count; a change of case or spacing does not).
fn changed_card(vocab: &Vocab, a: &Row<'_>, b: &Row<'_>) -> Option<ChangeCard> {
    let mut parts = Vec::new();
    for (col, cell) in b.cells.iter().enumerate().skip(1) {
        let name = b
            .header
            .get(col)
            .cloned()
            .unwrap_or_else(|| format!("column {}", col + 1));
        // The column of the same name; by position only when both tables
        // have the same columns in number (an inserted column is no change
        // of the others).
        let by_name = a.header.iter().position(|h| h.eq_ignore_ascii_case(&name));
        let by_place = (a.header.len() == b.header.len()).then_some(col);
        let old = by_name.or(by_place).and_then(|k| a.cells.get(k));
        let Some(old) = old else { continue };
        if same_items(old, cell) {
            continue;
        }
        let (oi, ni) = (items(old), items(cell));
        let plus: Vec<&String> = ni
            .iter()
            .filter(|x| !oi.iter().any(|y| y.eq_ignore_ascii_case(x)))
            .collect();
        let minus: Vec<&String> = oi
            .iter()
            .filter(|x| !ni.iter().any(|y| y.eq_ignore_ascii_case(x)))
            .collect();
        let list = |v: &[&String]| v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
        let name = name.to_lowercase();
        parts.push(match (plus.is_empty(), minus.is_empty()) {
            (false, true) => format!("{name} now also {}", list(&plus)),
            (true, false) => format!("{name} no longer {}", list(&minus)),
            _ => format!("{name} {} → {}", self::cell(old), self::cell(cell)),
        });
    }
    if parts.is_empty() {
        return None;
    }
    let summary = words_max(&format!(
        "{}: {} — {}",
        table_name(vocab, b),
        b.cells[0],
        parts.join("; ")
    ));
    Some(entity_card(
        ChangeKind::EntityChanged,
        vocab,
        summary,
        b,
        Some(evidence(a)),
        Some(evidence(b)),
    ))
}

/// One card per table and purpose for the entities added (or removed):
/// "Subprocessors: 3 added for AI inference: A, B, C."
fn grouped_cards(vocab: &Vocab, rows: &[&Row<'_>], added: bool) -> Vec<ChangeCard> {
    let mut groups: Vec<(String, String, Vec<&Row<'_>>)> = Vec::new();
    for r in rows {
        let table = table_name(vocab, r);
        let purpose = r.cells.get(1).cloned().unwrap_or_default();
        match groups
            .iter_mut()
            .find(|(t, p, _)| *t == table && p.eq_ignore_ascii_case(&purpose))
        {
            Some(g) => g.2.push(r),
            None => groups.push((table, purpose, vec![r])),
        }
    }
    groups
        .into_iter()
        .map(|(table, purpose, rs)| {
            let verb = if added { "added" } else { "removed" };
            let names = rs
                .iter()
                .map(|r| r.cells[0].as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let places = rs[0]
                .cells
                .get(2)
                .filter(|_| rs.len() == 1)
                .map(|p| format!(" ({})", cell(p)))
                .unwrap_or_default();
            let summary = words_max(&format!(
                "{table}: {} {verb} for {}{places}: {names}",
                rs.len(),
                cell(&purpose)
            ));
            let (kind, before, after) = match added {
                true => (ChangeKind::EntityAdded, None, Some(evidence(rs[0]))),
                false => (ChangeKind::EntityRemoved, Some(evidence(rs[0])), None),
            };
            entity_card(kind, vocab, summary, rs[0], before, after)
        })
        .collect()
}

/// A cell's value as a summary names it: quoted when it is more than a
/// few words.
fn cell(value: &str) -> String {
    match value.split_whitespace().count() {
        0..=1 => value.to_string(),
        _ => super::summary::quoted(value),
    }
}

/// A summary within the word limit: names past it are left to the
/// evidence and counted ("and 3 more").
fn words_max(s: &str) -> String {
    let max = super::summary::MAX_WORDS;
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() <= max {
        return format!("{}.", s.trim_end_matches('.'));
    }
    let kept = words[..max - 3].join(" ");
    let kept = kept.trim_end_matches([',', ';']);
    format!("{kept} and more.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::Version;
    use crate::ingest::Format;

    fn version(date: &str, rows: &str) -> Version {
        let text =
            format!("# Subprocessors\n\n| Name | Purpose | Location |\n|---|---|---|\n{rows}");
        Version::from_text(
            "acme-sub",
            "Acme",
            "Subprocessors",
            date,
            Format::Markdown,
            &text,
        )
    }

    #[test]
    fn rows_are_compared_by_entity() {
        let old = version(
            "2024-01-01",
            "| Alpha Cloud, Inc. | Hosting | United States |\n| Beta Mail Ltd | Email delivery | Ireland |\n| Gamma DB | Database monitoring | Germany |\n",
        );
        let new = version(
            "2025-01-01",
            "| Alpha Cloud Inc | Hosting, AI inference | United States, Belgium |\n| Beta Group Mail Ltd | Email delivery | Ireland |\n| Delta AI | AI inference | Iceland |\n",
        );
        let t = compare(Lexicon::bundled(), &old.doc.clauses, &new.doc.clauses);
        let s: Vec<(ChangeKind, &str)> = t
            .cards
            .iter()
            .map(|c| (c.kind, c.summary.as_str()))
            .collect();
        assert!(
            s.iter().any(|(k, s)| *k == ChangeKind::EntityRenamed
                && s.contains("Beta Mail Ltd is now listed as Beta Group Mail Ltd")),
            "{s:#?}"
        );
        assert!(
            s.iter().any(|(k, s)| *k == ChangeKind::EntityChanged
                && s.contains("Alpha Cloud Inc")
                && s.contains("AI inference")
                && s.contains("Belgium")),
            "{s:#?}"
        );
        assert!(
            s.iter()
                .any(|(k, s)| *k == ChangeKind::EntityAdded && s.contains("Delta AI")),
            "{s:#?}"
        );
        assert!(
            s.iter()
                .any(|(k, s)| *k == ChangeKind::EntityRemoved && s.contains("Gamma DB")),
            "{s:#?}"
        );
        assert_eq!(t.cards.len(), 4, "{s:#?}");
        assert!(t
            .cards
            .iter()
            .all(|c| c.topic.as_deref() == Some("subprocessors")));
    }

    #[test]
    fn another_entity_with_the_same_purpose_is_no_rename() {
        let old = version("2024-01-01", "| Alpha Cloud | Hosting | United States |\n");
        let new = version(
            "2025-01-01",
            "| Zeta Hosting Co | Hosting | United States |\n",
        );
        let t = compare(Lexicon::bundled(), &old.doc.clauses, &new.doc.clauses);
        let kinds: Vec<ChangeKind> = t.cards.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [ChangeKind::EntityAdded, ChangeKind::EntityRemoved],
            "{:#?}",
            t.cards
        );
    }

    #[test]
    fn an_entity_listed_twice_is_compared_purpose_by_purpose() {
        let rows = "| Globex | Hosting | US |\n| Globex | Support | US |\n";
        let (old, new) = (version("2024-01-01", rows), version("2025-01-01", rows));
        let t = compare(Lexicon::bundled(), &old.doc.clauses, &new.doc.clauses);
        assert!(t.cards.is_empty(), "{:#?}", t.cards);
    }

    #[test]
    fn case_and_order_are_no_change() {
        let old = version(
            "2024-01-01",
            "| Alpha | Email delivery | US |\n| Beta | Hosting | EU |\n",
        );
        let new = version(
            "2025-01-01",
            "| Beta | hosting | EU |\n| Alpha | Email Delivery | US |\n",
        );
        let t = compare(Lexicon::bundled(), &old.doc.clauses, &new.doc.clauses);
        assert!(t.cards.is_empty(), "{:#?}", t.cards);
    }
}
