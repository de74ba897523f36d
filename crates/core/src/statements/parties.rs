//! Who is who in one document: the provider's names (the vendor's words,
//! its legal entities and the terms the document defines for it, "we"),
//! the customer's ("you", "Customer" and its defined terms) and third
//! parties'. Resolved from the document's own text, never from a list of
//! vendors.

use std::sync::OnceLock;

use regex::Regex;

use super::Party;
use crate::lexicon::vocab::Vocab;
use crate::lexicon::{Lexicon, Phrase};

/// The words that name each party in one document.
#[derive(Debug, Clone, Default)]
pub struct Parties {
    /// Provider words (lexicon actors, vendor words, defined terms).
    pub provider: Vec<Phrase>,
    /// Customer words.
    pub customer: Vec<Phrase>,
    /// Third-party words.
    pub third: Vec<Phrase>,
    /// All of them numbered for one filter ([`Parties::party_at`]).
    filter: Option<crate::lexicon::PhraseSet>,
    /// The stems of every party word ([`Parties::stems`]).
    stems: std::sync::OnceLock<std::collections::BTreeSet<String>>,
}

/// Last words of a defined term that make it a thing, not a party
/// ("Customer Data", "Service Agreement").
const THING_WORDS: [&str; 22] = [
    "data",
    "information",
    "agreement",
    "service",
    "services",
    "content",
    "terms",
    "product",
    "products",
    "account",
    "accounts",
    "incident",
    "breach",
    "law",
    "laws",
    "clauses",
    "addendum",
    "policy",
    "date",
    "period",
    "purposes",
    "measures",
];

impl Parties {
    /// The parties of a document of `vendor` whose clause texts are `texts`.
    pub fn resolve<'t>(
        lexicon: &Lexicon,
        vocab: &Vocab,
        vendor: &str,
        texts: impl Iterator<Item = &'t str>,
    ) -> Parties {
        let vendor_words = crate::lexicon::vendor_words(vendor);
        let mut parties = Parties {
            provider: lexicon.provider.clone(),
            customer: lexicon.customer.clone(),
            third: vocab.third_parties.clone(),
            filter: None,
            stems: Default::default(),
        };
        parties.provider.extend(vendor_words.iter().cloned());
        // Role words name a party as a subject too ("The Company shall").
        for (list, roles) in [
            (&mut parties.provider, &vocab.provider_roles),
            (&mut parties.customer, &vocab.customer_roles),
        ] {
            for r in roles {
                if !list.iter().any(|q| q.text.eq_ignore_ascii_case(&r.text)) {
                    list.push(r.clone());
                }
            }
        }
        for text in texts {
            for (name, term) in definitions(text) {
                let side = side_of(vocab, &vendor_words, &name, &term);
                let list = match side {
                    Some(Party::Provider) => &mut parties.provider,
                    Some(Party::Customer) => &mut parties.customer,
                    _ => continue,
                };
                if let Ok(p) = crate::lexicon::phrase(&term) {
                    if !list.iter().any(|q| q.text.eq_ignore_ascii_case(&p.text)) {
                        list.push(p);
                    }
                }
            }
        }
        parties.filter = Some(crate::lexicon::PhraseSet::number(&mut [
            &mut parties.provider,
            &mut parties.customer,
            &mut parties.third,
        ]));
        parties
    }

    /// The stems of the words that name the parties ("customer", the
    /// vendor's name, its defined terms): a text's meaning words leave them
    /// out.
    pub fn stems(&self) -> &std::collections::BTreeSet<String> {
        self.stems.get_or_init(|| {
            self.provider
                .iter()
                .chain(&self.customer)
                .chain(&self.third)
                .flat_map(|p| super::content_words(&p.text))
                .collect()
        })
    }

    /// The party named last in `text`, if any: of the matches, the one that
    /// ends last (the name nearest a verb that follows), and of those ending
    /// together the longest (a defined term "Service Provider" over the role
    /// "provider").
    pub fn party_at(&self, text: &str) -> Option<(Party, usize, usize)> {
        let seen = self.filter.as_ref().map(|f| f.seen(text));
        let mut best: Option<(Party, usize, usize)> = None;
        for (party, words) in [
            (Party::Provider, &self.provider),
            (Party::Customer, &self.customer),
            (Party::ThirdParty, &self.third),
        ] {
            for p in words
                .iter()
                .filter(|p| seen.as_ref().is_none_or(|s| s.may_have(p)))
            {
                for m in p.regex().find_iter(text) {
                    let better = match best {
                        None => true,
                        Some((_, s, e)) => m.end() > e || (m.end() == e && m.start() < s),
                    };
                    if better {
                        best = Some((party, m.start(), m.end()));
                    }
                }
            }
        }
        best
    }
}

/// Which side a defined term is on: the provider's when its entity or
/// definition names the vendor or a provider role, the customer's when a
/// customer role; a thing ("Customer Data") is on none.
fn side_of(vocab: &Vocab, vendor: &[Phrase], name: &str, term: &str) -> Option<Party> {
    let last = term.split_whitespace().last()?.to_lowercase();
    if THING_WORDS.contains(&last.as_str()) {
        return None;
    }
    let names = |ps: &[Phrase], s: &str| ps.iter().any(|p| p.regex().is_match(s));
    // The term itself first ('"Customer" means the entity that signed'),
    // then what it stands for ('Acme Ltd ("Provider")').
    for s in [term, name] {
        if names(vendor, s) || names(&vocab.provider_roles, s) {
            return Some(Party::Provider);
        }
        if names(&vocab.customer_roles, s) {
            return Some(Party::Customer);
        }
    }
    None
}

/// Defined terms in a text, each with what it stands for: `Acme Ltd
/// ("Provider")` and `"Customer" means the entity ...`.
fn definitions(text: &str) -> Vec<(String, String)> {
    static NAMED: OnceLock<Regex> = OnceLock::new();
    static MEANS: OnceLock<Regex> = OnceLock::new();
    let named = NAMED.get_or_init(|| {
        Regex::new(r#"((?:[A-Z][\w&.,'’-]*\s+){0,5}[A-Z][\w&.'’-]*)\s*\(\s*(?:the\s+|each\s+a\s+|hereinafter\s+)?["“”]([A-Z][\w .'’-]{0,38}[\w.])["“”]"#)
            .expect("valid")
    });
    let means = MEANS.get_or_init(|| {
        Regex::new(r#"["“]([A-Z][\w .'’-]{0,38}[\w.])["”]\s+(?:means|refers to|shall mean|is)\s+([^.;]{0,200})"#)
            .expect("valid")
    });
    let mut out: Vec<(String, String)> = named
        .captures_iter(text)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect();
    out.extend(
        means
            .captures_iter(text)
            .map(|c| (c[2].to_string(), c[1].to_string())),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parties(vendor: &str, texts: &[&str]) -> Parties {
        Parties::resolve(
            Lexicon::bundled(),
            Vocab::bundled(),
            vendor,
            texts.iter().copied(),
        )
    }

    #[test]
    fn defined_terms_join_their_side() {
        let p = parties(
            "Lattice Freight",
            &[
                r#"This agreement is between Lattice Freight Ltd ("Carrier") and the customer."#,
                r#""Client" means the entity that signed the order form."#,
                r#""Client Data" means data the client uploads."#,
            ],
        );
        assert_eq!(
            p.party_at("Carrier shall notify").map(|x| x.0),
            Some(Party::Provider)
        );
        assert_eq!(
            p.party_at("Client shall notify").map(|x| x.0),
            Some(Party::Customer)
        );
        assert!(!p.customer.iter().any(|w| w.text == "Client Data"));
    }

    #[test]
    fn the_vendors_own_name_is_the_provider() {
        let p = parties("Orbitly", &[]);
        assert_eq!(
            p.party_at("Orbitly shall promptly notify Customer")
                .map(|x| x.0),
            Some(Party::Customer)
        );
        assert_eq!(
            p.party_at("Orbitly shall").map(|x| x.0),
            Some(Party::Provider)
        );
    }
}
