//! Statement extraction on hand-written sentences: each force, party and
//! qualifier, negation, passive voice, exceptions and lists.

use super::*;

fn read(vendor: &str, text: &str) -> Vec<Statement> {
    read_sentence(Lexicon::bundled(), vendor, "", text)
}

fn one(vendor: &str, text: &str) -> Statement {
    let all = read(vendor, text);
    assert_eq!(all.len(), 1, "{text}: {all:#?}");
    all.into_iter().next().unwrap()
}

fn kinds(s: &Statement, kind: QualifierKind) -> Vec<String> {
    s.of_kind(kind).map(|q| q.text.clone()).collect()
}

#[test]
fn each_force() {
    let cases = [
        (
            "We will notify affected customers immediately.",
            Force::Obligation,
        ),
        (
            "Acme shall encrypt Customer Data at rest.",
            Force::Obligation,
        ),
        (
            "You must not upload protected health information.",
            Force::Prohibition,
        ),
        ("We will never sell your personal data.", Force::Prohibition),
        ("We may share usage data with partners.", Force::Permission),
        ("We encrypt all backups with AES-256.", Force::Practice),
        (
            "We do not scan uploaded files for viruses.",
            Force::Disclaimer,
        ),
        (
            "We do not sell your personal information.",
            Force::Prohibition,
        ),
        (
            "Acme reserves the right to suspend accounts.",
            Force::Permission,
        ),
    ];
    for (text, force) in cases {
        assert_eq!(one("Acme", text).force, force, "{text}");
    }
}

#[test]
fn parties_from_pronouns_names_and_defined_terms() {
    assert_eq!(
        one("Acme", "You must keep your password secret.").party,
        Party::Customer
    );
    assert_eq!(
        one("Acme", "Acme will promptly notify Customer of a breach.").party,
        Party::Provider
    );
    let s = read(
        "Lattice Freight",
        r#"Lattice Freight Ltd ("Carrier") shall notify the Client. The Client shall pay invoices."#,
    );
    assert_eq!(
        s.iter().map(|s| s.party).collect::<Vec<_>>(),
        [Party::Provider, Party::Customer]
    );
    assert_eq!(
        one("Acme", "Subprocessors must comply with this addendum.").party,
        Party::ThirdParty
    );
}

#[test]
fn customer_data_is_a_thing_not_the_customer() {
    let s = one(
        "Acme",
        "Customer Data will be deleted within 30 days of termination.",
    );
    assert_eq!(s.party, Party::Provider);
    assert!(s.implied_party && s.passive);
    assert_eq!(s.action_stem, "delet");
    assert_eq!(s.object, "Customer Data");
}

#[test]
fn actions_and_objects() {
    let s = one(
        "Acme",
        "We will notify all affected customers without undue delay.",
    );
    assert_eq!(
        (s.action.as_str(), s.object.as_str()),
        ("notify", "all affected customers")
    );
    let s = one("Acme", "Backups are encrypted at rest.");
    assert_eq!(
        (s.force, s.action.as_str(), s.object.as_str()),
        (Force::Practice, "encrypted at rest", "Backups")
    );
}

#[test]
fn times_with_numbers_words_and_end_points() {
    let s = one("Acme", "We will notify you within seventy-two hours.");
    assert!(
        kinds(&s, QualifierKind::Time).is_empty()
            || s.qualifiers.iter().all(|q| q.kind == QualifierKind::Time)
    );
    let s = one(
        "Acme",
        "Acme shall give thirty (30) days' prior written notice of a new subprocessor.",
    );
    let t: Vec<&Qualifier> = s.of_kind(QualifierKind::Time).collect();
    assert_eq!(t.len(), 1, "{t:?}");
    assert_eq!(t[0].hours, Some(720.0));
    assert_eq!(t[0].text, "thirty (30) days");
    let s = one(
        "Acme",
        "We keep sign-up IP addresses until the account is deleted.",
    );
    assert_eq!(
        kinds(&s, QualifierKind::Time),
        ["until the account is deleted"]
    );
    let s = one("Acme", "We keep sign-up IP addresses forever.");
    assert_eq!(kinds(&s, QualifierKind::Time), ["forever"]);
    let s = one("Acme", "Backups are tested annually.");
    assert_eq!(kinds(&s, QualifierKind::Time), ["annually"]);
}

#[test]
fn conditions_exceptions_and_places() {
    let s = one(
        "Acme",
        "We may share your data with partners only if you consent.",
    );
    assert_eq!(kinds(&s, QualifierKind::Condition), ["only if you consent"]);
    let s = one(
        "Acme",
        "We encrypt data in transit, except for traffic inside our private networks.",
    );
    assert_eq!(
        kinds(&s, QualifierKind::Exception),
        ["except for traffic inside our private networks"]
    );
    let s = one(
        "Acme",
        "Within our firewalled private networks, data may be transferred unencrypted.",
    );
    assert_eq!(s.force, Force::Permission);
    assert_eq!(
        kinds(&s, QualifierKind::Location),
        ["Within our firewalled private networks"]
    );
    assert_eq!(s.topic.as_deref(), Some("encryption-in-transit"));
    let s = one(
        "Acme",
        "Customer data is stored in the United States and Germany.",
    );
    assert_eq!(
        kinds(&s, QualifierKind::Location),
        ["United States", "Germany"]
    );
}

#[test]
fn a_modal_inside_a_condition_is_no_statement() {
    let s = read(
        "Acme",
        "We will disclose data to authorities where we are required to by law.",
    );
    assert_eq!(s.len(), 1, "{s:#?}");
    assert_eq!(s[0].action, "disclose");
}

#[test]
fn list_items_inherit_the_lead_in() {
    let lex = Lexicon::bundled();
    let vocab = Vocab::bundled();
    let parties = Parties::resolve(lex, vocab, "Acme", std::iter::empty());
    let reader = extract::Reader {
        lexicon: lex,
        vocab,
        parties: &parties,
    };
    let mut lead = None;
    assert!(
        reader
            .read(
                "In the event of a security incident, Acme will:",
                "",
                &mut lead
            )
            .len()
            <= 1
    );
    let item = reader.read("notify affected customers within 72 hours;", "", &mut lead);
    assert_eq!(item.len(), 1);
    assert_eq!(
        (item[0].party, item[0].force, item[0].action.as_str()),
        (Party::Provider, Force::Obligation, "notify")
    );
    assert_eq!(item[0].topic.as_deref(), Some("breach-notification"));
}

#[test]
fn inline_lists_split_on_semicolons() {
    let s = read("Acme", "Acme will (a) encrypt data at rest; (b) log access to production; and (c) review logs weekly.");
    assert_eq!(s.len(), 3, "{s:#?}");
    assert!(
        s.iter()
            .all(|s| s.party == Party::Provider && s.force == Force::Obligation),
        "{s:#?}"
    );
}

#[test]
fn topics_from_words_and_frameworks() {
    assert_eq!(
        one("Acme", "We will notify you of any personal data breach.")
            .topic
            .as_deref(),
        Some("breach-notification")
    );
    assert_eq!(
        one(
            "Acme",
            "Transfers rely on the Standard Contractual Clauses."
        )
        .topic
        .as_deref(),
        Some("international-transfers")
    );
    assert_eq!(
        one("Acme", "We undergo an annual SOC 2 audit.")
            .topic
            .as_deref(),
        Some("certifications-audits")
    );
    assert_eq!(
        one(
            "Acme",
            "Administrators must enable multi-factor authentication."
        )
        .topic
        .as_deref(),
        Some("access-control")
    );
}

#[test]
fn a_passive_verbs_means_is_a_qualifier() {
    let s = one(
        "Acme",
        "Any dispute will be resolved by binding arbitration in London.",
    );
    assert_eq!(
        kinds(&s, QualifierKind::Means),
        ["by binding arbitration in London"]
    );
    let s = one(
        "Acme",
        "Penetration tests are performed annually by an independent third party.",
    );
    assert_eq!(s.party, Party::ThirdParty);
    assert!(kinds(&s, QualifierKind::Means).is_empty());
    let s = one("Acme", "We will abide by the requirements of the GDPR.");
    assert!(kinds(&s, QualifierKind::Means).is_empty(), "{s:#?}");
}

#[test]
fn odd_letters_and_number_phrases_are_read() {
    // Lower-casing "İ" changes its length: offsets must come from the text itself.
    let s = read(
        "Acme",
        "Customer data is processed in İzmir by Ünal Hosting.",
    );
    assert!(!s.is_empty());
    let s = one("Acme", "We keep invoices for one hundred eighty days.");
    let t: Vec<&Qualifier> = s.of_kind(QualifierKind::Time).collect();
    assert_eq!(t[0].hours, Some(180.0 * 24.0), "{t:?}");
    let s = read("Acme", "A firewall protects the production network.");
    assert_eq!(s.len(), 1, "{s:#?}");
}
