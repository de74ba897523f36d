//! Reading the corpus: its versions, searches, a clause in context and
//! the reader's view of a version.

use std::collections::HashSet;
use trustlens_core::matrix::links::LinkTable;
use trustlens_search::{compile, EntryCount, SearchParts, SearchRequest, SearchResults, TextPart};

use super::*;

impl Workspace {
    /// Every version, ordered by document and date.
    pub fn versions(&self) -> Vec<VersionView> {
        self.corpus
            .versions
            .iter()
            .map(|v| VersionView {
                info: v.info.clone(),
                flags: self.flags_of(&v.info.id),
            })
            .collect()
    }

    /// Search clauses; each hit carries its matrix entries, and the results
    /// count matches per version and per entry. With `entry`, only clauses
    /// linked to it.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, ApiError> {
        self.search_parts(req, SearchParts::All)
    }

    /// [`Workspace::search`] without the counts per version and entry: the
    /// hits and the number of matches, which come back several times faster
    /// on a large corpus. The app shows these first, then asks
    /// [`Workspace::search_counts`].
    pub fn search_hits(&self, req: &SearchRequest) -> Result<SearchResults, ApiError> {
        self.search_parts(req, SearchParts::Hits)
    }

    /// [`Workspace::search`] without the hits: the number of matches and the
    /// counts per version and per matrix entry.
    pub fn search_counts(&self, req: &SearchRequest) -> Result<SearchResults, ApiError> {
        self.search_parts(req, SearchParts::Counts)
    }

    pub(super) fn search_parts(
        &self,
        req: &SearchRequest,
        parts: SearchParts,
    ) -> Result<SearchResults, ApiError> {
        // Without a usable matrix, search still works (without entries).
        let matrices = self.matrices.as_ref().ok();
        // A damaged user database must not stop search: the rules' links
        // stand in for the user's (the status line reports the database).
        let links = matrices.map(|m| {
            self.links().unwrap_or_else(|e| {
                tracing::warn!(error = %e.message, "your links are unavailable; showing the rules' links");
                self.auto_links.with_overrides(m, &[])
            })
        });
        let within = self.entry_clauses(req, links.as_ref())?;
        // Grouping by lineage needs more than `limit` hits to fill `limit` groups.
        let mut wide = req.clone();
        if req.by_lineage {
            wide.limit = Some((shown_limit(req) * 10).min(trustlens_search::MAX_LIMIT));
        }
        let (mut results, counts) = trustlens_search::search_parts(
            &self.corpus,
            &self.index,
            &wide,
            within.as_ref(),
            links.as_ref(),
            parts,
        )?;
        if req.by_lineage {
            results.hits = self.group_by_lineage(std::mem::take(&mut results.hits), req)?;
        }
        if let (Some(m), Some(links)) = (matrices, links.as_ref()) {
            add_entries(&mut results, m, links, counts.unwrap_or_default());
        }
        // `limit: 0` asks for the counts alone: matches are still counted.
        if req.limit == Some(0) {
            results.hits.clear();
        }
        Ok(results)
    }

    /// The clauses of the matrix entry a search is limited to, if any.
    fn entry_clauses(
        &self,
        req: &SearchRequest,
        links: Option<&LinkTable>,
    ) -> Result<Option<HashSet<String>>, ApiError> {
        let entry_filter = req
            .entry
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty());
        Ok(match entry_filter {
            Some(name) => {
                let m = self.matrices()?;
                let entry = m.entry(name).ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::NotFound,
                        format!("no matrix entry \"{name}\" (see `trustlens matrix`)"),
                    )
                })?;
                let links = links.expect("matrices loaded, so links exist");
                Some(
                    links
                        .clauses_of(&entry.key)
                        .into_iter()
                        .map(str::to_string)
                        .collect(),
                )
            }
            None => None,
        })
    }

    /// One hit per lineage (the best), naming the other versions it is in,
    /// at most `limit` of them.
    fn group_by_lineage(
        &self,
        hits: Vec<trustlens_search::SearchHit>,
        req: &SearchRequest,
    ) -> Result<Vec<trustlens_search::SearchHit>, ApiError> {
        let lineages = self.lineages()?;
        let limit = shown_limit(req) as usize;
        let mut groups: Vec<trustlens_search::SearchHit> = Vec::new();
        for mut hit in hits {
            let lineage = lineages.of(&hit.clause_id).map(|l| l.id.clone());
            match groups
                .iter_mut()
                .find(|g| g.lineage.is_some() && g.lineage == lineage)
            {
                Some(g) => {
                    if g.version != hit.version && !g.also_in.iter().any(|v| **v == *hit.version) {
                        g.also_in.push(hit.version.to_string());
                    }
                }
                None => {
                    hit.lineage = lineage;
                    groups.push(hit);
                }
            }
        }
        groups.truncate(limit);
        Ok(groups)
    }

    /// A clause with its section context.
    pub fn show(&self, clause_id: &str) -> Result<ClauseView, ApiError> {
        let (version, i) = self.corpus.clause(clause_id.trim())?;
        let section = version
            .doc
            .section_of(i)
            .map(|s| s.clauses.clone())
            .unwrap_or(i..i + 1);
        Ok(ClauseView {
            version: version.info.clone(),
            clause: version.doc.clauses[i].clone(),
            context: version.doc.clauses[section].to_vec(),
        })
    }

    /// A whole version laid out for reading, focused on one clause.
    pub fn read(&self, req: &ReadRequest) -> Result<ReaderView, ApiError> {
        let (version, _) = self.corpus.clause(req.clause_id.trim())?;
        let compiled = req
            .query
            .as_deref()
            .filter(|q| !q.trim().is_empty())
            .and_then(|q| compile(&self.index, q).ok());
        let links = match &self.matrices {
            Ok(_) => self.links()?,
            Err(_) => LinkTable::default(),
        };
        let mut blocks = Vec::new();
        for section in &version.doc.sections {
            if !section.title.is_empty() {
                blocks.push(ReaderBlock::Heading {
                    level: section.level.max(1),
                    text: section.title.clone(),
                });
            }
            for c in &version.doc.clauses[section.clauses.clone()] {
                let parts = match &compiled {
                    Some(q) => q.highlight(&c.text),
                    None => vec![TextPart {
                        text: c.text.to_string(),
                        hit: false,
                    }],
                };
                let id = c.id();
                blocks.push(ReaderBlock::Clause {
                    focus: id == req.clause_id.trim(),
                    links: links.of(&id),
                    id,
                    kind: c.kind,
                    pages: c.pages.to_vec(),
                    ocr: c.ocr,
                    parts,
                });
            }
        }
        Ok(ReaderView {
            version: version.info.clone(),
            focus: req.clause_id.trim().to_string(),
            blocks,
        })
    }
}

/// Each hit's matrix entries, and the count of matches per entry.
fn add_entries(
    results: &mut SearchResults,
    m: &Matrices,
    links: &LinkTable,
    counts: std::collections::BTreeMap<String, u32>,
) {
    for hit in &mut results.hits {
        hit.entries = links.entries_of(&hit.clause_id);
    }
    results.entry_facets = m
        .entries()
        .filter_map(|e| {
            counts.get(&e.key).map(|&count| EntryCount {
                entry: e.key.clone(),
                area: e.area.clone(),
                count,
            })
        })
        .collect();
}

/// How many lineage groups a search shows: its limit, within bounds.
fn shown_limit(req: &SearchRequest) -> u32 {
    req.limit
        .unwrap_or(20)
        .clamp(1, trustlens_search::MAX_LIMIT)
}
