//! Search over the bundled corpus: the query language an analyst uses.

use trustlens::corpus::Corpus;
use trustlens::index::ClauseIndex;
use trustlens::search::{search, SearchError, SearchRequest, SearchResults};

fn run(
    query: &str,
    version: Option<&str>,
    section: Option<&str>,
) -> Result<SearchResults, SearchError> {
    let corpus = Corpus::bundled().unwrap();
    let index = ClauseIndex::in_memory(&corpus).unwrap();
    search(
        &corpus,
        &index,
        &SearchRequest {
            query: query.into(),
            version: version.map(Into::into),
            section: section.map(Into::into),
            limit: Some(50),
            entry: None,
            as_of: None,
            by_lineage: false,
        },
    )
}

fn hit_words(r: &SearchResults) -> Vec<String> {
    r.hits
        .iter()
        .flat_map(|h| {
            h.snippet
                .iter()
                .filter(|p| p.hit)
                .map(|p| p.text.to_lowercase())
        })
        .collect()
}

#[test]
fn a_phrase_finds_privacy_shield_only_in_2023_with_highlights_and_pages() {
    let r = run("\"Privacy Shield\"", None, None).unwrap();
    assert!(r.total >= 2);
    assert!(r.hits.iter().all(|h| &*h.date == "2023-05-05"));
    let first = &r.hits[0];
    assert!(first.text.contains("Privacy Shield"));
    assert!(!first.pages.is_empty());
    assert_eq!(
        first.section.last().map(String::as_str),
        Some("Audits and Certifications")
    );
    assert!(hit_words(&r).iter().any(|w| w == "privacy shield"));
    assert_eq!(r.facets.len(), 1);
    assert_eq!(r.facets[0].version, "heroku-spa@2023-05-05");
}

#[test]
fn phrase_words_are_highlighted_only_where_the_phrase_is() {
    let r = run("\"Privacy Shield\"", None, None).unwrap();
    let corpus = Corpus::bundled().unwrap();
    let index = ClauseIndex::in_memory(&corpus).unwrap();
    let q = trustlens::search::compile(&index, "\"Privacy Shield\" dynos").unwrap();
    let parts = q.highlight("Shield Dynos, Shield Privacy and the Privacy Shield Framework");
    let hits: Vec<&str> = parts
        .iter()
        .filter(|p| p.hit)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(hits, ["Dynos", "Privacy Shield"]);
    assert!(r.hits.iter().all(|h| h
        .snippet
        .iter()
        .filter(|p| p.hit)
        .all(|p| p.text == "Privacy Shield")));
}

/// Highlighting looks words up as written, each spelling analysed once
/// for every query of the process: it must mark exactly the words the
/// index's own analyzer would match, whatever their case, accents or
/// length, and a phrase only where the index would find it (a dropped
/// word between two of its words breaks it, as the word's position does
/// in the index). The queries run one after the other over the same
/// texts, so marks left over from one query would show in the next.
#[test]
fn highlighting_marks_what_the_index_analyzer_matches_in_any_spelling() {
    use tantivy::tokenizer::TokenStream;
    let corpus = Corpus::bundled().unwrap();
    let index = ClauseIndex::in_memory(&corpus).unwrap();
    let long = "encrypt".repeat(6); // 42 bytes: the analyzer drops it
    let texts = [
        "ENCRYPTED data, Encrypts keys and encryption: données chiffrées".to_string(),
        "Le café encrypts; CAFÉ Encrypting — naïve ENCRYPT42 encrypt_keys".to_string(),
        format!("{long} encrypt {long}encrypt data DATA Data"),
        "Encrypt data at rest; the data encrypted and DATA ENCRYPTED".to_string(),
    ];
    for query in ["encrypt", "café", "\"encrypt data\"", "data -encrypt"] {
        let q = trustlens::search::compile(&index, query).unwrap();
        // The same query's words through the index's analyzer.
        let terms: Vec<String> = query
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| !w.is_empty() && !w.starts_with('-'))
            .flat_map(analysed)
            .collect();
        let phrase = query.starts_with('"');
        for text in &texts {
            let marked: Vec<String> = q
                .highlight(text)
                .into_iter()
                .filter(|p| p.hit)
                .map(|p| p.text)
                .collect();
            // Every word of `text` as the index sees it, with where it is.
            let mut analyzer = trustlens::index::analyzer();
            let mut stream = analyzer.token_stream(text);
            let mut words = Vec::new();
            while let Some(t) = stream.next() {
                words.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
            }
            let expected: Vec<String> = if phrase {
                words
                    .windows(terms.len())
                    .filter(|w| w.iter().zip(&terms).all(|(a, t)| &a.0 == t))
                    .filter(|w| w.windows(2).all(|p| p[1].3 == p[0].3 + 1))
                    .map(|w| text[w[0].1..w[terms.len() - 1].2].to_string())
                    .collect()
            } else {
                words
                    .iter()
                    .filter(|w| terms.contains(&w.0))
                    .map(|w| text[w.1..w.2].to_string())
                    .collect()
            };
            assert_eq!(marked, expected, "{query} in {text:?}");
        }
    }
}

fn analysed(word: &str) -> Vec<String> {
    use tantivy::tokenizer::TokenStream;
    let mut analyzer = trustlens::index::analyzer();
    let mut stream = analyzer.token_stream(word);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

#[test]
fn excluded_words_are_not_highlighted_and_snippets_are_cut_at_words() {
    let corpus = Corpus::bundled().unwrap();
    let index = ClauseIndex::in_memory(&corpus).unwrap();
    let q = trustlens::search::compile(&index, "encryption -rest").unwrap();
    let hits: Vec<String> = q
        .highlight("encryption at rest")
        .into_iter()
        .filter(|p| p.hit)
        .map(|p| p.text)
        .collect();
    assert_eq!(hits, ["encryption"]);
    let long = format!("{} encryption {}", "word ".repeat(100), "tail ".repeat(100));
    let snippet = q.snippet(&long);
    let joined: String = snippet.iter().map(|p| p.text.as_str()).collect();
    assert!(joined.starts_with('…') && joined.ends_with('…'), "{joined}");
    assert!(
        joined.contains("encryption") && joined.chars().count() < 240,
        "{joined}"
    );
    assert!(
        !joined.contains("wor…") && !joined.contains("…ord"),
        "cut at word boundaries: {joined}"
    );
}

#[test]
fn stemming_matches_word_forms() {
    // "encrypted" and "encryption" share the stem "encrypt".
    let r = run("encrypting", None, None).unwrap();
    let words = hit_words(&r);
    assert!(
        words.iter().any(|w| w == "encrypted") && words.iter().any(|w| w == "encryption"),
        "{words:?}"
    );
}

#[test]
fn fuzzy_terms_find_misspellings_and_highlight_the_real_word() {
    let r = run("harber~1", None, None).unwrap();
    assert!(r.total >= 1, "harber~1 should find Safe Harbor");
    assert!(r.hits.iter().all(|h| &*h.date == "2016-05-06"));
    assert!(hit_words(&r).iter().any(|w| w == "harbor"));
    // Without the tilde the misspelling finds nothing.
    assert_eq!(run("harber", None, None).unwrap().total, 0);
}

#[test]
fn boolean_operators_and_default_conjunction() {
    let both = run("encryption rest", None, None).unwrap().total;
    let either = run("encryption OR rest", None, None).unwrap().total;
    let without = run("encryption -rest", None, None).unwrap().total;
    assert!(both >= 1 && either > both && without >= 1);
    assert_eq!(without + both, run("encryption", None, None).unwrap().total);
}

#[test]
fn version_filter_by_id_or_date_and_facets_count_every_version() {
    let all = run("Customer Data", None, None).unwrap();
    let only_2016 = run("Customer Data", Some("heroku-spa@2016-05-06"), None).unwrap();
    let by_date = run("Customer Data", Some("2016-05-06"), None).unwrap();
    assert_eq!(only_2016.total, by_date.total);
    assert!(only_2016
        .hits
        .iter()
        .all(|h| &*h.version == "heroku-spa@2016-05-06"));
    // Facets ignore the version filter: they tell what the other version would give.
    assert_eq!(only_2016.facets, all.facets);
    assert_eq!(all.facets.iter().map(|f| f.count).sum::<u32>(), all.total);
    assert_eq!(all.facets.len(), 2);
}

#[test]
fn field_filters_in_the_query_and_as_a_flag() {
    let in_query = run("connections section:encryption", None, None).unwrap();
    let as_flag = run("connections", None, Some("encryption")).unwrap();
    assert!(in_query.total >= 2);
    assert_eq!(in_query.total, as_flag.total);
    assert!(in_query
        .hits
        .iter()
        .all(|h| h.section.iter().any(|s| s.contains("Encryption"))));
    let by_version_field = run("harbor version:2016-05-06", None, None).unwrap();
    assert!(by_version_field.total >= 1);
}

#[test]
fn malformed_queries_are_bad_query_errors() {
    for q in ["\"unclosed phrase", "", "   ", "colour:blue", "(a OR"] {
        match run(q, None, None) {
            Err(SearchError::BadQuery(msg)) => assert!(!msg.is_empty(), "{q}"),
            other => panic!("{q:?} should be a bad query, got {other:?}"),
        }
    }
    let long = "a ".repeat(2000);
    assert!(matches!(
        run(&long, None, None),
        Err(SearchError::BadQuery(_))
    ));
}

#[test]
fn an_unknown_version_filter_names_the_known_ones() {
    let e = run("data", Some("1999-01-01"), None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("no version \"1999-01-01\"") && e.contains("heroku-spa@2016-05-06"),
        "{e}"
    );
}

#[test]
fn hostile_queries_do_not_panic() {
    for q in [
        "*",
        "-",
        "+",
        "~",
        "\"\"",
        "^2",
        "a~9",
        "text:",
        ":",
        "()",
        "a AND",
        "<script>alert(1)</script>",
        "\u{0}",
        "🙂~1",
        "section:\"",
        "[a TO",
        "version:*",
    ] {
        let _ = run(q, None, None); // any Ok or Err is fine; a panic is not
    }
}

/// Found by the `query` fuzz target: excluding a phrase (`data -"heroku
/// dynos"`, or a word the analyzer splits in two) tripped a debug assertion
/// in tantivy's phrase scorer once the excluded phrase ran out of documents,
/// so debug builds of the app and CLI failed on an ordinary query. (Release
/// builds were right all along; tantivy's debug assertions are now off in
/// every profile.) The exclusion must also be right.
#[test]
fn regression_fuzz_excluding_a_phrase() {
    let q = "-\u{0}\u{0}v\u{0}\u{0}\u{18}06\u{0}\u{0}\u{0}\u{0}\u{18}0\u{18}06\u{0}aw\u{0}6\u{0},w\u{0}~2 -6\u{0}0\u{0}\u{1}\u{0}";
    let _ = run(q, None, None);
    let total = |q: &str| run(q, None, None).unwrap().total;
    let all = total("data");
    let with_phrase = total("data \"customer data\"");
    assert!(
        with_phrase > 0 && with_phrase < all,
        "{with_phrase} of {all}"
    );
    assert_eq!(total("data -\"customer data\""), all - with_phrase);
}

/// Counts per version and per matrix entry are read from fast fields, not
/// from facets or stored IDs: on a generated corpus of many versions they
/// must agree with what version-filtered searches and the link table say.
#[test]
fn counts_per_version_and_entry_agree_with_filtered_searches_on_a_generated_corpus() {
    use trustlens::matrix::links::LinkTable;
    use trustlens::matrix::Matrices;
    let (_tmp, corpus) = crate::common::generated_corpus(11, 3, 2, 3, 2);
    let index = ClauseIndex::in_memory(&corpus).unwrap();
    let matrices = Matrices::load(None, None).unwrap();
    let links = LinkTable::build(&matrices, corpus.clauses().map(|(_, c)| c), &[]);
    let req = |version: Option<&str>| SearchRequest {
        query: "encrypt OR audit".into(),
        version: version.map(Into::into),
        limit: Some(1000),
        ..SearchRequest::default()
    };
    let all = search(&corpus, &index, &req(None)).unwrap();
    assert!(
        all.total > 0 && all.facets.len() > 1,
        "{}",
        all.facets.len()
    );
    assert_eq!(all.facets.iter().map(|f| f.count).sum::<u32>(), all.total);
    let mut linked = 0;
    for v in &corpus.versions {
        let one = search(&corpus, &index, &req(Some(&v.info.id))).unwrap();
        let facet = all.facets.iter().find(|f| f.version == v.info.id);
        assert_eq!(facet.map_or(0, |f| f.count), one.total, "{}", v.info.id);
        assert!(
            one.hits.len() as u32 == one.total,
            "all hits fit in the limit"
        );
        let expected = links.counts(one.hits.iter().map(|h| h.clause_id.as_str()));
        let (_, counted) = trustlens::search::search_counted(
            &corpus,
            &index,
            &req(Some(&v.info.id)),
            None,
            Some(&links),
        )
        .unwrap();
        let counted = counted.expect("counts asked for");
        assert_eq!(counted, expected, "{}", v.info.id);
        linked += counted.len();
    }
    assert!(linked > 0, "the generated clauses link to some entries");
}

/// Counts per matrix entry come from bits worked out once per index
/// segment; the user's decisions are applied on top of them. With links
/// added and removed by hand, the counts of a search over all versions must
/// still be exactly what the link table says of the matching clauses.
#[test]
fn entry_counts_follow_the_users_decisions_on_a_generated_corpus() {
    use trustlens::matrix::links::{LinkSource, LinkTable};
    use trustlens::matrix::Matrices;
    use trustlens::store::{LinkAction, LinkOverride};
    let (_tmp, corpus) = crate::common::generated_corpus(12, 3, 2, 3, 2);
    let index = ClauseIndex::in_memory(&corpus).unwrap();
    let matrices = Matrices::load(None, None).unwrap();
    let rules = LinkTable::auto(&matrices, corpus.clauses().map(|(_, c)| c));
    let req = SearchRequest {
        query: "encrypt OR audit OR data".into(),
        limit: Some(1000),
        ..SearchRequest::default()
    };
    let hits = search(&corpus, &index, &req).unwrap().hits;
    assert!(hits.len() > 10, "{}", hits.len());
    // Unlink the rules' first link of one matching clause, and link two
    // other matching clauses to an entry by hand.
    let linked = hits
        .iter()
        .find_map(|h| {
            Some((
                h.clause_id.clone(),
                rules.of(&h.clause_id).first()?.entry.clone(),
            ))
        })
        .expect("some matching clause has a rule link");
    let entry = matrices.entries().last().unwrap().key.clone();
    let decision = |clause_id: &str, entry: &str, action| LinkOverride {
        clause_id: clause_id.into(),
        entry: entry.into(),
        action,
        author: "tester".into(),
        updated: "2026-12-01T00:00:00Z".into(),
    };
    let overrides = vec![
        decision(&linked.0, &linked.1, LinkAction::Unlink),
        decision(&hits[3].clause_id, &entry, LinkAction::Link),
        decision(&hits[7].clause_id, &entry, LinkAction::Link),
    ];
    let links = rules.with_overrides(&matrices, &overrides);
    assert!(links.has_changes());
    assert!(links
        .of(&hits[3].clause_id)
        .iter()
        .any(|l| l.entry == entry && l.source == LinkSource::Manual));

    let (results, counted) =
        trustlens::search::search_counted(&corpus, &index, &req, None, Some(&links)).unwrap();
    assert_eq!(
        results.total as usize,
        results.hits.len(),
        "all hits fit in the limit"
    );
    let expected = links.counts(results.hits.iter().map(|h| h.clause_id.as_str()));
    assert_eq!(counted.expect("counts asked for"), expected);
    // And the rules alone give other counts (the decisions were counted).
    let (_, by_rules) =
        trustlens::search::search_counted(&corpus, &index, &req, None, Some(&rules)).unwrap();
    assert_ne!(by_rules.unwrap(), expected);
}

/// A corpus of thousands of versions made the list of counts per version
/// most of a megabyte in every search reply; it is capped, keeps the
/// versions with the most matches and the filtered one, and says how many
/// it left out.
#[test]
fn regression_the_counts_per_version_are_capped_in_a_corpus_of_many_versions() {
    use trustlens::search::MAX_FACETS;
    let (_tmp, corpus) = crate::common::generated_corpus(5, 12, 5, 2, 1);
    assert!(corpus.versions.len() > MAX_FACETS);
    let index = ClauseIndex::in_memory(&corpus).unwrap();
    let req = |version: Option<&str>| SearchRequest {
        query: "data".into(),
        version: version.map(Into::into),
        ..SearchRequest::default()
    };
    let all = search(&corpus, &index, &req(None)).unwrap();
    assert_eq!(all.facets.len(), MAX_FACETS);
    let omitted = all.facets_omitted.expect("some versions are left out") as usize;
    assert_eq!(omitted + MAX_FACETS, corpus.versions.len());
    assert!(
        all.facets.windows(2).all(|w| w[0].date <= w[1].date),
        "by date"
    );
    let least_listed = all.facets.iter().map(|f| f.count).min().unwrap();
    let listed: Vec<&str> = all.facets.iter().map(|f| f.version.as_str()).collect();
    let left_out = corpus
        .versions
        .iter()
        .find(|v| !listed.contains(&v.info.id.as_str()))
        .unwrap();
    let its_count = search(&corpus, &index, &req(Some(&left_out.info.id)))
        .unwrap()
        .total;
    assert!(its_count <= least_listed, "{its_count} > {least_listed}");
    // Filtering by a version that would be left out still lists it.
    let filtered = search(&corpus, &index, &req(Some(&left_out.info.id))).unwrap();
    assert!(filtered
        .facets
        .iter()
        .any(|f| f.version == left_out.info.id));
    assert_eq!(filtered.facets.len(), MAX_FACETS);
}

/// Unchanged clauses score the same in every version, and which of them
/// made the list, in which order, followed the order of documents in the
/// index, which depends on how it was built (several indexing threads,
/// merges). An export made twice must not differ.
#[test]
fn regression_hits_with_equal_scores_come_in_the_same_order_however_the_index_was_built() {
    let (_tmp, forward) = crate::common::generated_corpus(21, 2, 2, 6, 2);
    let mut backward = forward.clone();
    backward.versions.reverse();
    // A phrase, and a union of terms: block-max WAND added up a union's
    // term scores in an order that depended on the segments, so that two
    // builds scored the same clause an ulp apart and an export of the
    // bundled corpus listed two near-identical clauses the other way round.
    for query in ["\"customer data\"", "data OR security OR customer OR audit"] {
        let req = SearchRequest {
            query: query.into(),
            limit: Some(15),
            ..SearchRequest::default()
        };
        let run = |corpus: &Corpus| {
            let index = ClauseIndex::in_memory(corpus).unwrap();
            let r = search(corpus, &index, &req).unwrap();
            r.hits
                .iter()
                .map(|h| (h.clause_id.clone(), h.score))
                .collect::<Vec<_>>()
        };
        let (a, b) = (run(&forward), run(&backward));
        assert!(
            a.windows(2).any(|w| w[0].1 == w[1].1),
            "{query}: the test needs tied scores: {a:?}"
        );
        assert_eq!(a, b, "{query}");
    }
}

fn ranked_request(query: &str, limit: u32) -> SearchRequest {
    SearchRequest {
        query: query.into(),
        limit: Some(limit),
        ..SearchRequest::default()
    }
}

fn ids(r: &SearchResults) -> Vec<(String, f32)> {
    r.hits
        .iter()
        .map(|h| (h.clause_id.clone(), h.score))
        .collect()
}

/// An index of all but the last version, then brought up to date: the
/// last version is a segment of its own.
fn index_of_several_segments(corpus: &Corpus) -> (tempfile::TempDir, ClauseIndex) {
    let cache = tempfile::tempdir().unwrap();
    let mut fewer = corpus.clone();
    fewer.versions.pop();
    ClauseIndex::open_or_build(&fewer, cache.path()).unwrap();
    let index = ClauseIndex::open_or_build(corpus, cache.path()).unwrap();
    (cache, index)
}

/// Ranking skips the blocks of matches that cannot make the cut, and each
/// index segment starts from the cut of the segments before it. The best k
/// hits must still be exactly the first k of all the matches ranked in
/// full (by score, then clause key), on an index of several segments.
#[test]
fn the_best_hits_are_the_first_of_all_matches_ranked_in_full_on_an_index_of_several_segments() {
    use trustlens::clause::clause_key;
    let (_tmp, corpus) = crate::common::generated_corpus(31, 2, 2, 4, 2);
    let (_cache, index) = index_of_several_segments(&corpus);
    assert!(
        index.reader.searcher().segment_readers().len() > 1,
        "{:?}",
        index.state
    );
    for query in [
        "data",
        "encrypt OR audit",
        "customer data",
        "\"customer data\"",
        "\"restrict access to\"",
        "snapshtos~1",
        "encrypt -audit",
        // Conjunctions of terms (ranked without skipping; see prunes()).
        "customer data",
        "data access customer",
        "encrypt data key",
    ] {
        let all = search(&corpus, &index, &ranked_request(query, 1000)).unwrap();
        assert!(all.total > 0, "{query}: the test needs matches");
        assert_eq!(
            all.hits.len() as u32,
            all.total,
            "{query}: every match fits"
        );
        for w in all.hits.windows(2) {
            assert!(
                w[0].score > w[1].score
                    || (w[0].score == w[1].score
                        && clause_key(&w[0].clause_id) <= clause_key(&w[1].clause_id)),
                "{query}: {} ({}) before {} ({})",
                w[0].clause_id,
                w[0].score,
                w[1].clause_id,
                w[1].score
            );
        }
        let all = ids(&all);
        for k in [1usize, 5, 20] {
            let top = search(&corpus, &index, &ranked_request(query, k as u32)).unwrap();
            assert_eq!(ids(&top), all[..k.min(all.len())], "{query}, best {k}");
        }
    }
}

/// A misspelling within reach of one word only is searched as that word:
/// the same hits, scores and order as the word itself, at every cut.
#[test]
fn a_fuzzy_term_that_reaches_one_word_ranks_as_that_word() {
    let (_tmp, corpus) = crate::common::generated_corpus(33, 2, 2, 4, 2);
    let (_cache, index) = index_of_several_segments(&corpus);
    for (fuzzy, word) in [("snapshtos~1", "snapshots"), ("encrypte~1", "encrypt")] {
        let all = search(&corpus, &index, &ranked_request(word, 1000)).unwrap();
        assert!(
            all.total > 20,
            "{word}: the test needs matches past the cut"
        );
        for k in [1u32, 5, 20, 1000] {
            let plain = search(&corpus, &index, &ranked_request(word, k)).unwrap();
            let misspelt = search(&corpus, &index, &ranked_request(fuzzy, k)).unwrap();
            let scored = |r: &SearchResults| -> Vec<(String, u32)> {
                r.hits
                    .iter()
                    .map(|h| (h.clause_id.clone(), h.score.to_bits()))
                    .collect()
            };
            assert_eq!(misspelt.total, plain.total, "{fuzzy}");
            assert_eq!(scored(&misspelt), scored(&plain), "{fuzzy}, best {k}");
        }
    }
}

/// A term in a section is ranked as the term alone within the filters,
/// skipping blocks of postings (or, with a filter of few documents, walking
/// the filter): the hits must be exactly the term's own ranking, in full,
/// narrowed to the clauses the filters let through, on an index of several
/// segments.
#[test]
fn a_term_in_a_section_ranks_as_the_term_alone_narrowed_to_the_section() {
    let (_tmp, corpus) = crate::common::generated_corpus(35, 3, 2, 4, 3);
    let (_cache, index) = index_of_several_segments(&corpus);
    assert!(index.reader.searcher().segment_readers().len() > 1);
    let one_version = corpus.versions[1].info.id.clone();
    let date = corpus.versions[2].info.date.clone();
    let mut checked = 0;
    for (term, section) in [
        ("data", "access"),
        ("encrypt", "data"),
        ("customer", "security"),
    ] {
        // The term's ranking in full, unfiltered.
        let plain = ids(&search(&corpus, &index, &ranked_request(term, 1000)).unwrap());
        for (version, as_of) in [
            (None, None),
            (Some(&one_version), None),
            (None, Some(&date)),
        ] {
            let req = |limit| SearchRequest {
                section: Some(section.into()),
                version: version.cloned(),
                as_of: as_of.cloned(),
                ..ranked_request(term, limit)
            };
            // Which clauses the filters let through, found another way: the
            // section as part of the query (which adds to the scores, so
            // only the set is used).
            let through: std::collections::HashSet<String> = search(
                &corpus,
                &index,
                &SearchRequest {
                    query: format!("{term} AND section:{section}"),
                    section: None,
                    ..req(1000)
                },
            )
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.clause_id)
            .collect();
            let expected: Vec<(String, f32)> = plain
                .iter()
                .filter(|(id, _)| through.contains(id))
                .cloned()
                .collect();
            let all = search(&corpus, &index, &req(1000)).unwrap();
            assert_eq!(all.total as usize, expected.len(), "{term} in {section}");
            for k in [1usize, 5, 20, 1000] {
                let top = search(&corpus, &index, &req(k as u32)).unwrap();
                assert_eq!(
                    ids(&top),
                    expected[..k.min(expected.len())],
                    "{term} in {section}, {version:?}, as of {as_of:?}, best {k}"
                );
            }
            if expected.len() > 20 {
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 3,
        "the test needs filters with more matches than hits"
    );
}

/// Phrases are searched by their word pairs (index::pairs); the matches
/// must be exactly the clauses whose analysed words hold the phrase's
/// words one after the other, worked out here word by word.
#[test]
fn phrases_match_exactly_the_clauses_holding_their_words_in_a_row() {
    let (_tmp, corpus) = crate::common::generated_corpus(32, 2, 2, 3, 2);
    let index = ClauseIndex::in_memory(&corpus).unwrap();
    let words = |text: &str| -> Vec<(usize, String)> {
        let mut a = trustlens::index::analyzer();
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = s.next() {
            out.push((t.position, t.text.clone()));
        }
        out
    };
    let mut checked = 0;
    for phrase in [
        "customer data",
        "restrict access to",
        "payment card data",
        "data is",
        "the the",
    ] {
        let want: Vec<String> = words(phrase).into_iter().map(|(_, w)| w).collect();
        let mut expected: Vec<String> = corpus
            .clauses()
            .filter(|(_, c)| {
                let have = words(&c.text);
                have.windows(want.len()).any(|w| {
                    w.iter().zip(&want).all(|((_, a), b)| a == b)
                        && w.windows(2).all(|p| p[1].0 == p[0].0 + 1)
                })
            })
            .map(|(_, c)| c.id())
            .collect();
        expected.sort();
        let r = search(
            &corpus,
            &index,
            &ranked_request(&format!("\"{phrase}\""), 1000),
        )
        .unwrap();
        let mut found: Vec<String> = r.hits.iter().map(|h| h.clause_id.clone()).collect();
        found.sort();
        assert_eq!(r.total as usize, expected.len(), "\"{phrase}\"");
        assert_eq!(found, expected, "\"{phrase}\"");
        checked += expected.len();
    }
    assert!(
        checked > 0,
        "the generated corpus holds some of the phrases"
    );
}

/// A snippet is worked out once per search for each text that several
/// hits share (a clause unchanged across versions): every hit must still
/// carry its own text's snippet.
#[test]
fn hits_that_share_a_text_each_carry_that_texts_snippet() {
    let (_tmp, corpus) = crate::common::generated_corpus(34, 2, 2, 4, 2);
    let index = ClauseIndex::in_memory(&corpus).unwrap();
    let mut shared = 0;
    for query in [
        "data",
        "\"restrict access to\"",
        "encrypt OR audit",
        "snapshtos~1",
    ] {
        let r = search(&corpus, &index, &ranked_request(query, 200)).unwrap();
        assert!(r.hits.len() > 10, "{query}: the test needs hits");
        let compiled = trustlens::search::compile(&index, query).unwrap();
        let mut texts = std::collections::HashSet::new();
        for hit in &r.hits {
            assert_eq!(
                &*hit.snippet,
                &*compiled.snippet(&hit.text),
                "{query}: {}",
                hit.clause_id
            );
            shared += usize::from(!texts.insert(hit.text.clone()));
        }
    }
    assert!(shared > 0, "the test needs hits that share a text");
}

/// Hand-written clauses where a phrase occurs once, twice, overlapping
/// itself, with its word pairs apart, and in clauses of many lengths; two
/// versions, so that the index has two segments.
fn phrase_corpus() -> (tempfile::TempDir, Corpus) {
    use trustlens::text::sha256_hex;
    let tmp = tempfile::tempdir().unwrap();
    let first = "# Handbook\n\n## Access\n\n\
        We restrict access to data.\n\n\
        We restrict access to data and we restrict access to logs.\n\n\
        Staff restrict access; access to data is logged and reviewed.\n\n\
        Alpha beta alpha beta alpha.\n\n\
        Alpha beta alpha, then gamma.\n\n\
        Alpha beta; alpha beta gamma.\n\n\
        ## Logs\n\n\
        Operators restrict access to audit logs, keep them for a year and review them every month.\n\n\
        Backups restrict access to the keys.\n";
    let second = format!(
        "{first}\n## Keys\n\n\
         Keys: we restrict access to them, rotate them, and restrict access to their backups.\n\n\
         Alpha beta alpha beta alpha beta alpha, said the test.\n\n\
         We restrict access to data.\n"
    );
    let mut manifest = String::from(
        "[[document]]\nid = \"acme-handbook\"\nvendor = \"ACME\"\ntitle = \"Handbook\"\n",
    );
    for (date, text) in [("2024-01-01", first.to_string()), ("2024-06-01", second)] {
        std::fs::write(tmp.path().join(format!("{date}.md")), &text).unwrap();
        manifest.push_str(&format!(
            "\n[[document.version]]\ndate = \"{date}\"\nfile = \"{date}.md\"\nformat = \"markdown\"\nsha256 = \"{}\"\nsource = \"test\"\ncaptured = \"{date}\"\n",
            sha256_hex(text.as_bytes())
        ));
    }
    std::fs::write(tmp.path().join("manifest.toml"), manifest).unwrap();
    let corpus = Corpus::open_dir(tmp.path()).unwrap();
    (tmp, corpus)
}

/// A phrase of three words or more, asked for its hits alone (what the app
/// shows first), is ranked without reading the positions of the matches
/// that cannot make the cut (search/phrase.rs). Its hits must be exactly
/// the first of all its matches ranked in full — scores to the bit, ties
/// by clause key — at every cut, on an index of several segments; its
/// number of matches is exact when every match fits, and otherwise a lower
/// bound that says so (the counts call gives the exact number).
#[test]
fn a_phrase_asked_for_its_hits_alone_ranks_as_in_the_whole_search() {
    use trustlens::search::{search_parts, SearchParts};
    let scored = |r: &SearchResults| -> Vec<(String, u32)> {
        r.hits
            .iter()
            .map(|h| (h.clause_id.clone(), h.score.to_bits()))
            .collect()
    };
    let (_t1, generated) = crate::common::generated_corpus(31, 2, 2, 4, 2);
    let (_t2, written) = phrase_corpus();
    let cases: [(&Corpus, &[&str]); 2] = [
        (
            &generated,
            &["\"restrict access to\"", "\"payment card data\""],
        ),
        (
            &written,
            &[
                "\"restrict access to\"",
                "\"we restrict access to data\"",
                "\"alpha beta alpha\"",
                "\"alpha beta alpha beta\"",
            ],
        ),
    ];
    let mut repeated = 0;
    for (corpus, queries) in cases {
        let (_cache, index) = index_of_several_segments(corpus);
        assert!(index.reader.searcher().segment_readers().len() > 1);
        for query in queries {
            let whole = search(corpus, &index, &ranked_request(query, 1000)).unwrap();
            assert!(whole.total > 1, "{query}: the test needs matches");
            assert_eq!(whole.hits.len() as u32, whole.total, "{query}: all fit");
            assert!(whole.total_exact);
            let all = scored(&whole);
            // Occurring twice scores above once in a clause of the same
            // length: the occurrences are counted, not just found.
            let distinct: std::collections::BTreeSet<u32> = all.iter().map(|h| h.1).collect();
            repeated += usize::from(distinct.len() > 1);
            for k in [1u32, 2, 3, 5, 20, whole.total, whole.total + 1] {
                let req = ranked_request(query, k);
                let (hits, _) =
                    search_parts(corpus, &index, &req, None, None, SearchParts::Hits).unwrap();
                assert_eq!(
                    scored(&hits),
                    all[..(k as usize).min(all.len())],
                    "{query}, best {k}"
                );
                check_hits_alone_count(&hits, whole.total, k, query);
                // The counts call answers the exact number.
                let (counts, _) =
                    search_parts(corpus, &index, &req, None, None, SearchParts::Counts).unwrap();
                assert!(counts.total_exact);
                assert_eq!(counts.total, whole.total, "{query}");
            }
        }
    }
    assert!(
        repeated > 0,
        "the test needs phrases scored apart by how often they occur"
    );
}

/// The number of matches the hits alone give, against the whole search's
/// `total`: with every match ranked (more room than matches; or fewer
/// passages than room, each holding several) it is exact; otherwise a
/// lower bound.
fn check_hits_alone_count(hits: &SearchResults, total: u32, k: u32, what: &str) {
    if k > total {
        assert!(hits.total_exact, "{what}, best {k}");
    }
    if hits.total_exact {
        assert_eq!(hits.total, total, "{what}, best {k}");
    } else {
        assert!(
            hits.hits.len() as u32 <= hits.total && hits.total <= total,
            "{what}, best {k}: {} matches",
            hits.total
        );
    }
}

/// The same ranking within a section (the section filter's documents
/// walked, or the phrase's matches checked against them).
#[test]
fn a_phrase_in_a_section_asked_for_its_hits_alone_ranks_as_in_the_whole_search() {
    use trustlens::search::{search_parts, SearchParts};
    let (_t, corpus) = phrase_corpus();
    let (_cache, index) = index_of_several_segments(&corpus);
    for (query, section) in [
        ("\"restrict access to\"", "logs"),
        ("\"restrict access to\"", "keys"),
        ("\"alpha beta alpha\"", "access"),
    ] {
        let req = |limit| SearchRequest {
            section: Some(section.into()),
            ..ranked_request(query, limit)
        };
        let whole = search(&corpus, &index, &req(1000)).unwrap();
        assert!(
            whole.total > 1,
            "{query} in {section}: the test needs matches"
        );
        let all = ids(&whole);
        for k in [1u32, 2, whole.total, whole.total + 1] {
            let (hits, _) =
                search_parts(&corpus, &index, &req(k), None, None, SearchParts::Hits).unwrap();
            assert_eq!(
                ids(&hits),
                all[..(k as usize).min(all.len())],
                "{query} in {section}, best {k}"
            );
            check_hits_alone_count(&hits, whole.total, k, &format!("{query} in {section}"));
        }
    }
}

/// The app asks for the hits, then for the counts: together they must be
/// what one whole search answers.
#[test]
fn hits_and_counts_asked_apart_are_the_whole_search() {
    use trustlens::matrix::links::LinkTable;
    use trustlens::matrix::Matrices;
    use trustlens::search::{search_parts, SearchParts};
    let (_tmp, corpus) = crate::common::generated_corpus(33, 3, 2, 3, 2);
    let index = ClauseIndex::in_memory(&corpus).unwrap();
    let links = LinkTable::auto(
        &Matrices::load(None, None).unwrap(),
        corpus.clauses().map(|(_, c)| c),
    );
    for req in [
        ranked_request("data", 30),
        ranked_request("\"customer data\"", 30),
        ranked_request("\"restrict access to\"", 30),
        ranked_request("\"restrict access to\"", 1000),
        SearchRequest {
            section: Some("access".into()),
            ..ranked_request("encrypt OR audit", 30)
        },
        SearchRequest {
            version: Some(corpus.versions[1].info.id.clone()),
            ..ranked_request("data", 30)
        },
    ] {
        let part = |parts| search_parts(&corpus, &index, &req, None, Some(&links), parts).unwrap();
        let (whole, whole_entries) = part(SearchParts::All);
        let (hits, hits_entries) = part(SearchParts::Hits);
        let (counts, counts_entries) = part(SearchParts::Counts);
        assert!(whole.counted && counts.counted && !hits.counted);
        assert_eq!(hits.hits, whole.hits, "{}", req.query);
        assert_eq!(counts.total, whole.total, "{}", req.query);
        assert!(whole.total_exact && counts.total_exact);
        // The hits alone of a phrase of three words or more are not counted
        // past the hits: the number is then a lower bound, and says so.
        if hits.total_exact {
            assert_eq!(hits.total, whole.total, "{}", req.query);
        } else {
            assert!(req.query.starts_with("\"restrict"), "{}", req.query);
            assert!(hits.hits.len() as u32 <= hits.total && hits.total <= whole.total);
        }
        assert!(hits.facets.is_empty() && hits_entries.is_none());
        assert!(counts.hits.is_empty());
        assert_eq!(counts.facets, whole.facets, "{}", req.query);
        assert_eq!(counts_entries, whole_entries, "{}", req.query);
        assert!(!whole.facets.is_empty(), "{}", req.query);
    }
}

/// Regression: a filter used to add its own score to each hit (a section
/// An "as of" search keeps the last date's filter (bits per index segment):
/// going back and forth between dates, each search finds exactly the
/// matches of the versions current on its date.
#[test]
fn as_of_filters_kept_between_searches_answer_each_date() {
    let (_tmp, corpus) = crate::common::generated_corpus(35, 3, 2, 4, 2);
    let index = ClauseIndex::in_memory(&corpus).unwrap();
    let all = search(&corpus, &index, &ranked_request("data OR encrypt", 1000)).unwrap();
    let mut dates: Vec<String> = corpus
        .versions
        .iter()
        .map(|v| v.info.date.clone())
        .collect();
    dates.sort();
    dates.dedup();
    let (first, last) = (dates[0].clone(), dates[dates.len() - 1].clone());
    for date in [&first, &last, &first, &dates[dates.len() / 2], &last] {
        let current: Vec<String> = trustlens::lineage::current_on(&corpus, date)
            .iter()
            .map(|v| v.info.id.clone())
            .collect();
        let mut expected: Vec<String> = all
            .hits
            .iter()
            .filter(|h| current.iter().any(|v| **v == *h.version))
            .map(|h| h.clause_id.clone())
            .collect();
        let req = SearchRequest {
            as_of: Some(date.clone()),
            ..ranked_request("data OR encrypt", 1000)
        };
        let found = search(&corpus, &index, &req).unwrap();
        let mut got: Vec<String> = found.hits.iter().map(|h| h.clause_id.clone()).collect();
        got.sort();
        expected.sort();
        assert_eq!(got, expected, "as of {date}");
        assert_eq!(found.total as usize, expected.len(), "as of {date}");
    }
}

/// A section filter's documents are kept for the next search with the same
/// section: searches going back and forth between sections must each find
/// what an index that never kept one finds.
#[test]
fn section_filters_kept_between_searches_answer_each_section() {
    let (_tmp, corpus) = crate::common::generated_corpus(36, 3, 2, 4, 2);
    let kept = ClauseIndex::in_memory(&corpus).unwrap();
    let mut checked = 0;
    for section in ["access", "data", "access", "key management", "data"] {
        for query in ["encrypt", "data OR audit", "\"customer data\""] {
            let req = SearchRequest {
                section: Some(section.into()),
                ..ranked_request(query, 1000)
            };
            let fresh = ClauseIndex::in_memory(&corpus).unwrap();
            let want = search(&corpus, &fresh, &req).unwrap();
            let got = search(&corpus, &kept, &req).unwrap();
            assert_eq!(ids(&got), ids(&want), "{query} in {section}");
            assert_eq!(got.total, want.total, "{query} in {section}");
            if want.total > 0 {
                checked += 1;
            }
        }
    }
    assert!(checked >= 8, "the test needs matches: {checked}");
}

/// filter ranked clauses by how well their heading matched it, an "as of"
/// date by the size of their version). A filter only narrows: each hit
/// scores what it scores without it.
#[test]
fn regression_filters_narrow_the_hits_without_changing_their_scores() {
    let (_tmp, corpus) = crate::common::generated_corpus(34, 2, 2, 3, 2);
    let index = ClauseIndex::in_memory(&corpus).unwrap();
    let plain = search(&corpus, &index, &ranked_request("data OR encrypt", 1000)).unwrap();
    let score_of = |id: &str| {
        plain
            .hits
            .iter()
            .find(|h| h.clause_id == id)
            .map(|h| h.score)
    };
    let date = corpus.versions[1].info.date.clone();
    for req in [
        SearchRequest {
            section: Some("access".into()),
            ..ranked_request("data OR encrypt", 1000)
        },
        SearchRequest {
            as_of: Some(date.clone()),
            ..ranked_request("data OR encrypt", 1000)
        },
        SearchRequest {
            version: Some(corpus.versions[0].info.id.clone()),
            ..ranked_request("data OR encrypt", 1000)
        },
    ] {
        let filtered = search(&corpus, &index, &req).unwrap();
        assert!(
            filtered.total > 0 && filtered.total < plain.total,
            "{req:?}"
        );
        for h in &filtered.hits {
            assert_eq!(Some(h.score), score_of(&h.clause_id), "{}", h.clause_id);
        }
    }
}

/// A search among given clauses (a matrix entry's) finds exactly the
/// matching clauses of the set: the filter is worked out from each
/// document's key and kept for the next search with the same clauses, so
/// searches alternate between sets to catch one left over.
#[test]
fn a_search_within_clauses_finds_the_matching_clauses_of_the_set_and_no_others() {
    use std::collections::HashSet;
    let corpus = Corpus::bundled().unwrap();
    let index = ClauseIndex::in_memory(&corpus).unwrap();
    let req = SearchRequest {
        query: "data".into(),
        limit: Some(500),
        ..SearchRequest::default()
    };
    let all: Vec<String> = search(&corpus, &index, &req)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.clause_id)
        .collect();
    assert!(all.len() > 20, "{}", all.len());
    let every_third: HashSet<String> = all.iter().step_by(3).cloned().collect();
    let mut odd: HashSet<String> = all.iter().skip(1).step_by(2).cloned().collect();
    // A clause that does not match, and an ID that is no clause at all.
    let other = corpus
        .clauses()
        .map(|(_, c)| c.id())
        .find(|id| !all.contains(id))
        .unwrap();
    odd.insert(other);
    odd.insert("nobody@2020-01-01/nothing/1".into());
    for set in [&every_third, &odd, &every_third, &HashSet::new(), &odd] {
        let found: Vec<String> = trustlens::search::search_within(&corpus, &index, &req, Some(set))
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.clause_id)
            .collect();
        let expected: Vec<String> = all.iter().filter(|id| set.contains(*id)).cloned().collect();
        assert_eq!(found, expected);
    }
}

/// The index holds one document per passage (index::passages): a clause
/// that several versions share is indexed once. Brought up to date as
/// versions go and come back, the index must hold each passage of the
/// corpus exactly once, and a search must find every copy: its matches
/// and its counts per version are those worked out here clause by clause.
#[test]
fn an_index_brought_up_to_date_holds_each_passage_once_and_finds_every_copy() {
    use std::collections::BTreeMap;
    use trustlens::index::passages::Passages;
    let (_tmp, full) = crate::common::generated_corpus(41, 1, 2, 5, 2);
    let mut fewer = full.clone();
    let gone = fewer.versions.remove(2).info.id;
    let cache = tempfile::tempdir().unwrap();
    let stems = analysed;
    let mut shared = 0;
    for (corpus, state) in [
        (&full, "built".to_string()),
        (&fewer, format!("updated (removed {gone})")),
        (&full, format!("updated (indexed {gone})")),
    ] {
        let index = ClauseIndex::open_or_build(corpus, cache.path()).unwrap();
        assert_eq!(index.state.describe(), state);
        let passages = Passages::of(corpus);
        assert_eq!(index.reader.searcher().num_docs(), passages.len() as u64);
        shared += usize::from(passages.len() < passages.occurrence_count());
        for word in ["data", "encrypt", "access", "customer"] {
            let stem = stems(word).pop().unwrap();
            let mut expected: BTreeMap<String, u32> = BTreeMap::new();
            for (v, c) in corpus.clauses() {
                if stems(&c.text).contains(&stem) {
                    *expected.entry(v.info.id.clone()).or_default() += 1;
                }
            }
            let r = search(corpus, &index, &ranked_request(word, 1000)).unwrap();
            assert_eq!(r.total, expected.values().sum::<u32>(), "{word}");
            let facets: BTreeMap<String, u32> = r
                .facets
                .iter()
                .map(|f| (f.version.clone(), f.count))
                .collect();
            assert_eq!(facets, expected, "{word}: counts per version");
            let mut found: BTreeMap<String, u32> = BTreeMap::new();
            for h in &r.hits {
                *found.entry(h.version.to_string()).or_default() += 1;
            }
            if r.total <= 1000 {
                assert_eq!(found, expected, "{word}: hits per version");
            }
        }
    }
    assert!(shared > 0, "the test needs clauses shared by versions");
}

/// `version:` in a query filters the clauses' versions (a passage has no
/// version of its own): required, excluded, or alone; never inside OR.
#[test]
fn version_terms_in_a_query_filter_by_version() {
    let corpus = Corpus::bundled().unwrap();
    let old = &corpus.versions[0];
    let alone = run(&format!("version:{}", old.info.date), None, None).unwrap();
    assert_eq!(alone.total as usize, old.doc.clauses.len());
    assert!(alone.hits.iter().all(|h| *h.version == old.info.id));

    let all = run("data", None, None).unwrap();
    let new_only = run("data", Some(&corpus.versions[1].info.id), None).unwrap();
    let excluded = run(&format!("data -version:{}", old.info.id), None, None).unwrap();
    assert_eq!(excluded.total, new_only.total);
    assert!(excluded.total < all.total);
    assert!(excluded.hits.iter().all(|h| *h.version != old.info.id));
    let both = run(
        &format!("data version:{} -version:{}", old.info.date, old.info.id),
        None,
        None,
    )
    .unwrap();
    assert_eq!(both.total, 0);

    // `AND NOT` is `AND (NOT …)`: the same as `-`.
    let and_not = run(&format!("data AND NOT version:{}", old.info.id), None, None).unwrap();
    assert_eq!(and_not.total, excluded.total);
    // Beside optional words the version alone is required, as any
    // required word would be: every clause of the version, the words
    // ranking their clauses first.
    let optional = run(
        &format!("shield OR harbor version:{}", old.info.date),
        None,
        None,
    )
    .unwrap();
    let optional_word = run("shield OR harbor customer", None, None).unwrap();
    let customer = run("customer", None, None).unwrap();
    assert_eq!(
        optional_word.total, customer.total,
        "the grammar: `a OR b c` requires c alone"
    );
    assert_eq!(optional.total, alone.total);
    assert!(optional.hits[0].text.to_lowercase().contains("harbor"));

    for q in [
        "data OR version:2016-05-06",
        "data (harbor version:2016-05-06)",
        "data version:2016-05-06^2",
        "version:[2016-01-01 TO 2017-01-01]",
    ] {
        match run(q, None, None) {
            Err(SearchError::BadQuery(m)) => assert!(m.contains("version:"), "{q}: {m}"),
            other => panic!("{q}: {other:?}"),
        }
    }
    match run("id:heroku-spa@2016-05-06", None, None) {
        Err(SearchError::BadQuery(m)) => assert!(m.contains("\"id\" cannot be searched"), "{m}"),
        other => panic!("{other:?}"),
    }
    for internal in ["pairs:\"data at\"", "key:12"] {
        assert!(matches!(
            run(internal, None, None),
            Err(SearchError::BadQuery(_))
        ));
    }
}

/// Filters of versions and clauses pick among a passage's occurrences
/// (index::passages): ranked with a filter, the best k hits must be the
/// first k of the unfiltered ranking narrowed to what the filter lets
/// through, at every cut, where the passages at the cut also have copies
/// the filter leaves out.
#[test]
fn filtered_hits_are_the_unfiltered_ranking_narrowed_at_every_cut() {
    use std::collections::HashSet;
    let (_tmp, corpus) = crate::common::generated_corpus(43, 2, 2, 5, 2);
    let (_cache, index) = index_of_several_segments(&corpus);
    let version = corpus.versions[3].info.id.clone();
    let date = corpus.versions[2].info.date.clone();
    let mut checked = 0;
    for query in ["data", "customer", "encrypt OR access", "data -customer"] {
        let plain = search(&corpus, &index, &ranked_request(query, 1000)).unwrap();
        assert!(plain.total <= 1000, "{query}: the test needs every match");
        let every: Vec<(String, f32)> = ids(&plain);
        // Every other matching clause: a set that splits passages.
        let within: HashSet<String> = every.iter().step_by(2).map(|(id, _)| id.clone()).collect();
        let cases: [(SearchRequest, Option<&HashSet<String>>); 3] = [
            (
                SearchRequest {
                    version: Some(version.clone()),
                    ..ranked_request(query, 1000)
                },
                None,
            ),
            (
                SearchRequest {
                    as_of: Some(date.clone()),
                    ..ranked_request(query, 1000)
                },
                None,
            ),
            (ranked_request(query, 1000), Some(&within)),
        ];
        for (req, within) in cases {
            let all = trustlens::search::search_within(&corpus, &index, &req, within).unwrap();
            let through: HashSet<String> = all.hits.iter().map(|h| h.clause_id.clone()).collect();
            let expected: Vec<(String, f32)> = every
                .iter()
                .filter(|(id, _)| through.contains(id))
                .cloned()
                .collect();
            assert_eq!(
                ids(&all),
                expected,
                "{query} {req:?}: scores unchanged by filters"
            );
            assert_eq!(all.total as usize, expected.len());
            if let Some(w) = within {
                assert!(through.is_subset(w));
            }
            for k in [1usize, 2, 3, 5, 8, 13, 40] {
                let top = trustlens::search::search_within(
                    &corpus,
                    &index,
                    &SearchRequest {
                        limit: Some(k as u32),
                        ..req.clone()
                    },
                    within,
                )
                .unwrap();
                assert_eq!(
                    ids(&top),
                    expected[..k.min(expected.len())],
                    "{query} {req:?}, best {k}"
                );
                assert_eq!(top.total as usize, expected.len());
            }
            checked += usize::from(expected.len() > 13);
        }
    }
    assert!(
        checked >= 6,
        "the test needs filters with matches past the cuts"
    );
}
