//! What the matrix says about versions: coverage (which entries each version
//! supports, with which clauses), the grid of entries × versions, changes
//! between two versions with responsibility-shift alerts, and exports (CSV,
//! OSCAL component definition).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::links::{Link, LinkTable};
use super::{Entry, Matrices, MatrixInfo, Owner};
use crate::compare::cards::{ChangeCard, ChangeKind, Direction};
use crate::compare::Comparison;
use crate::corpus::{Version, VersionInfo};

/// A clause linked to an entry, with what a reader needs to cite it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LinkedClause {
    /// The link (clause ID, entry, source, reason, confidence).
    #[serde(flatten)]
    pub link: Link,
    /// The clause's section path.
    pub section: Vec<String>,
    /// Its pages, when known.
    pub pages: Vec<u32>,
    /// Its text.
    pub text: String,
    /// SHA-256 of its normalised text.
    pub sha256: String,
}

/// One entry and the clauses of one version that support it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EntryCoverage {
    /// The entry.
    pub entry: Entry,
    /// Linked clauses, in document order.
    pub clauses: Vec<LinkedClause>,
}

/// Coverage of the matrix by one version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Coverage {
    /// The version.
    pub version: VersionInfo,
    /// The matrices.
    pub matrices: Vec<MatrixInfo>,
    /// Every entry with its clauses (empty when none supports it).
    pub entries: Vec<EntryCoverage>,
    /// Keys of the entries no clause supports.
    pub uncovered: Vec<String>,
    /// IDs of the clauses linked to no entry.
    pub unlinked_clauses: Vec<String>,
}

/// The coverage of `version`.
pub fn coverage(matrices: &Matrices, version: &Version, links: &LinkTable) -> Coverage {
    let mut entries: Vec<EntryCoverage> = matrices
        .entries()
        .map(|e| EntryCoverage {
            entry: e.clone(),
            clauses: Vec::new(),
        })
        .collect();
    let mut unlinked_clauses = Vec::new();
    for c in &version.doc.clauses {
        let id = c.id();
        let ls = links.of(&id);
        if ls.is_empty() {
            unlinked_clauses.push(id);
        }
        for l in ls {
            if let Some(ec) = entries.iter_mut().find(|ec| ec.entry.key == l.entry) {
                ec.clauses.push(LinkedClause {
                    link: l.clone(),
                    section: c.section.to_vec(),
                    pages: c.pages.to_vec(),
                    text: c.text.to_string(),
                    sha256: c.sha256().to_string(),
                });
            }
        }
    }
    Coverage {
        version: version.info.clone(),
        matrices: matrices.matrices.iter().map(|m| m.info()).collect(),
        uncovered: entries
            .iter()
            .filter(|e| e.clauses.is_empty())
            .map(|e| e.entry.key.clone())
            .collect(),
        entries,
        unlinked_clauses,
    }
}

/// Entries × versions: how many clauses of each version support each entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MatrixGrid {
    /// The matrices.
    pub matrices: Vec<MatrixInfo>,
    /// Rows.
    pub entries: Vec<Entry>,
    /// Columns, by document and date.
    pub versions: Vec<VersionInfo>,
    /// `counts[row][column]`.
    pub counts: Vec<Vec<u32>>,
}

/// The grid over `versions`.
pub fn grid(matrices: &Matrices, versions: &[Version], links: &LinkTable) -> MatrixGrid {
    let per_version: Vec<_> = versions
        .iter()
        .map(|v| links.counts_by_key(v.doc.clauses.iter().map(crate::clause::Clause::key)))
        .collect();
    let entries: Vec<Entry> = matrices.entries().cloned().collect();
    MatrixGrid {
        matrices: matrices.matrices.iter().map(|m| m.info()).collect(),
        counts: entries
            .iter()
            .map(|e| {
                per_version
                    .iter()
                    .map(|c| c.get(&e.key).copied().unwrap_or(0))
                    .collect()
            })
            .collect(),
        entries,
        versions: versions.iter().map(|v| v.info.clone()).collect(),
    }
}

/// What kind of responsibility shift an alert reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ShiftKind {
    /// A duty moved from the provider to the customer (or a new customer duty).
    MovedToCustomer,
    /// A provider duty was weakened, narrowed or made conditional.
    MadeConditional,
    /// A provider duty or commitment was removed, or nothing supports the entry any more.
    Removed,
}

/// A responsibility-shift alert on one entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ShiftAlert {
    /// Entry key.
    pub entry: String,
    /// The entry's area.
    pub area: String,
    /// What kind of shift.
    pub kind: ShiftKind,
    /// One sentence for the user.
    pub message: String,
    /// The change card behind it (index into the comparison's changes), if any.
    pub card: Option<u32>,
}

/// One entry between two versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EntryChange {
    /// The entry.
    pub entry: Entry,
    /// Old clauses linked to it.
    pub old_clauses: Vec<String>,
    /// New clauses linked to it.
    pub new_clauses: Vec<String>,
    /// Indices into `changes` of the cards that touch it.
    pub cards: Vec<u32>,
    /// Shift alerts on it.
    pub alerts: Vec<ShiftAlert>,
}

/// The matrix between two versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MatrixDiff {
    /// The older version.
    pub old: VersionInfo,
    /// The newer version.
    pub new: VersionInfo,
    /// The comparison's change cards (entries refer to them by index).
    pub changes: Vec<ChangeCard>,
    /// Every entry, in matrix order.
    pub entries: Vec<EntryChange>,
    /// All alerts, most serious kind first.
    pub alerts: Vec<ShiftAlert>,
}

/// The alert a card raises on an entry, if it moves responsibility away
/// from the provider.
fn alert_kind(card: &ChangeCard) -> Option<ShiftKind> {
    if card.direction != Direction::FavoursProvider {
        return None;
    }
    match card.kind {
        ChangeKind::ResponsibilityShifted
        | ChangeKind::ObligationAdded
        | ChangeKind::RestrictionTightened => Some(ShiftKind::MovedToCustomer),
        ChangeKind::ObligationWeakened
        | ChangeKind::ScopeNarrowed
        | ChangeKind::DeadlineChanged => Some(ShiftKind::MadeConditional),
        ChangeKind::DisclaimerAdded | ChangeKind::RestrictionRelaxed => {
            Some(ShiftKind::MadeConditional)
        }
        ChangeKind::CommitmentRemoved
        | ChangeKind::ObligationRemoved
        | ChangeKind::PracticeRemoved
        | ChangeKind::StatementsRemoved
        | ChangeKind::FrameworkRemoved => Some(ShiftKind::Removed),
        _ => None,
    }
}

/// "Area: summary", the area once when the summary already opens with it
/// (a card's topic is often named like the matrix area it belongs to).
fn alert_message(area: &str, summary: &str) -> String {
    match summary
        .strip_prefix(area)
        .and_then(|rest| rest.strip_prefix(": "))
    {
        Some(_) => summary.to_string(),
        None => format!("{area}: {summary}"),
    }
}

/// The matrix between the two versions of `comparison`.
pub fn diff(matrices: &Matrices, comparison: &Comparison, links: &LinkTable) -> MatrixDiff {
    let mut entries = Vec::new();
    let mut alerts = Vec::new();
    let side = |ids: Vec<&str>, prefix: &str| -> Vec<String> {
        ids.into_iter()
            .filter(|id| id.starts_with(prefix))
            .map(str::to_string)
            .collect()
    };
    let (old_prefix, new_prefix) = (
        format!("{}/", comparison.old.id),
        format!("{}/", comparison.new.id),
    );
    for e in matrices.entries() {
        let all = links.clauses_of(&e.key);
        let old_clauses = side(all.clone(), &old_prefix);
        let new_clauses = side(all, &new_prefix);
        let mut cards = Vec::new();
        let mut entry_alerts = Vec::new();
        for (k, card) in comparison.changes.iter().enumerate() {
            let touches = card
                .before
                .as_ref()
                .is_some_and(|b| old_clauses.contains(&b.clause_id))
                || card
                    .after
                    .as_ref()
                    .is_some_and(|a| new_clauses.contains(&a.clause_id));
            if !touches {
                continue;
            }
            cards.push(k as u32);
            if let Some(kind) = alert_kind(card) {
                entry_alerts.push(ShiftAlert {
                    entry: e.key.clone(),
                    area: e.area.clone(),
                    kind,
                    message: alert_message(&e.area, &card.summary),
                    card: Some(k as u32),
                });
            }
        }
        if !old_clauses.is_empty() && new_clauses.is_empty() && e.owner != Owner::Customer {
            entry_alerts.push(ShiftAlert {
                entry: e.key.clone(),
                area: e.area.clone(),
                kind: ShiftKind::Removed,
                message: format!(
                    "{}: no clause of {} supports it any more ({} had {})",
                    e.area,
                    comparison.new.date,
                    comparison.old.date,
                    old_clauses.len()
                ),
                card: None,
            });
        }
        alerts.extend(entry_alerts.iter().cloned());
        entries.push(EntryChange {
            entry: e.clone(),
            old_clauses,
            new_clauses,
            cards,
            alerts: entry_alerts,
        });
    }
    let rank = |k: ShiftKind| match k {
        ShiftKind::MovedToCustomer => 0,
        ShiftKind::Removed => 1,
        ShiftKind::MadeConditional => 2,
    };
    alerts.sort_by_key(|a| rank(a.kind));
    MatrixDiff {
        old: comparison.old.clone(),
        new: comparison.new.clone(),
        changes: comparison.changes.clone(),
        entries,
        alerts,
    }
}

fn owner_name(o: Owner) -> &'static str {
    match o {
        Owner::Provider => "provider",
        Owner::Customer => "customer",
        Owner::Shared => "shared",
    }
}

/// The coverage as CSV: one row per entry and linked clause (an entry no
/// clause supports gets one row with empty clause columns).
pub fn to_csv(cov: &Coverage) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "matrix",
        "entry",
        "area",
        "owner",
        "provider",
        "customer",
        "iaas",
        "paas",
        "saas",
        "references",
        "vendor",
        "document",
        "version",
        "clause_id",
        "section",
        "pages",
        "link_source",
        "confidence",
        "reason",
        "clause_sha256",
    ])?;
    let v = &cov.version;
    for ec in &cov.entries {
        let e = &ec.entry;
        let base = [
            e.matrix.clone(),
            e.id.clone(),
            e.area.clone(),
            owner_name(e.owner).to_string(),
            e.provider.clone(),
            e.customer.clone(),
            e.models.iaas.clone().unwrap_or_default(),
            e.models.paas.clone().unwrap_or_default(),
            e.models.saas.clone().unwrap_or_default(),
            e.references.join("; "),
            v.vendor.clone(),
            v.document.clone(),
            v.id.clone(),
        ];
        if ec.clauses.is_empty() {
            let mut row = base.to_vec();
            row.extend(std::iter::repeat_n(String::new(), 7));
            w.write_record(&row)?;
        }
        for c in &ec.clauses {
            let mut row = base.to_vec();
            row.extend([
                c.link.clause_id.clone(),
                c.section.join(" > "),
                c.pages
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(" "),
                match c.link.source {
                    super::links::LinkSource::Auto => "auto".into(),
                    super::links::LinkSource::Manual => "manual".into(),
                },
                format!("{:.2}", c.link.confidence),
                c.link.reason.clone(),
                c.sha256.clone(),
            ]);
            w.write_record(&row)?;
        }
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn uuid(name: &str) -> String {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("trustlens:{name}").as_bytes(),
    )
    .to_string()
}

/// The OSCAL version the export follows.
pub const OSCAL_VERSION: &str = "1.1.2";

/// The coverage as an OSCAL component definition: one component (the
/// vendor's service, as of this version), one control implementation per
/// matrix (its source is the matrix, described in back-matter), and one
/// implemented requirement per entry carrying the provider's statement, the
/// customer's responsibility (as statements with responsible roles) and the
/// clauses that support it. UUIDs are derived from names, so the same input
/// gives the same document; `generated` is the `last-modified` time.
pub fn to_oscal(cov: &Coverage, generated: &str) -> serde_json::Value {
    use serde_json::json;
    let v = &cov.version;
    let mut implementations = Vec::new();
    let mut resources = Vec::new();
    for m in &cov.matrices {
        let resource = uuid(&format!("matrix/{}", m.id));
        resources.push(json!({
            "uuid": resource,
            "title": m.title,
            "description": m.description,
            "props": [{"name": "type", "value": "catalog"}],
            "remarks": format!("trustlens shared-responsibility matrix \"{}\" ({}); written from: {}", m.id, m.file, m.sources.join("; ")),
        }));
        let requirements: Vec<_> = cov
            .entries
            .iter()
            .filter(|ec| ec.entry.matrix == m.id)
            .map(|ec| implemented_requirement(v, m, ec))
            .collect();
        implementations.push(json!({
            "uuid": uuid(&format!("{}/{}/implementation", v.id, m.id)),
            "source": format!("#{resource}"),
            "description": format!("How {} meets \"{}\", per {} of {}.", v.vendor, m.title, v.date, v.document),
            "implemented-requirements": requirements,
        }));
    }
    json!({
        "component-definition": {
            "uuid": uuid(&format!("{}/component-definition", v.id)),
            "metadata": {
                "title": format!("{} — {} ({}): shared responsibilities", v.vendor, v.document, v.date),
                "last-modified": generated,
                "version": v.date,
                "oscal-version": OSCAL_VERSION,
                "roles": [
                    {"id": "provider", "title": "Service provider"},
                    {"id": "customer", "title": "Customer"}
                ],
                "remarks": format!("Generated by trustlens from {} (sha256 {}).", v.file, v.sha256),
            },
            "components": [{
                "uuid": uuid(&format!("{}/component", v.id)),
                "type": "service",
                "title": format!("{} — {}", v.vendor, v.document),
                "description": format!("{} as described by \"{}\" of {}.", v.vendor, v.document, v.date),
                "control-implementations": implementations,
            }],
            "back-matter": {"resources": resources},
        }
    })
}

/// One matrix entry of a version as an OSCAL implemented requirement: its
/// provider and customer statements, references, service-model notes and
/// the clauses that support it.
fn implemented_requirement(
    v: &VersionInfo,
    m: &MatrixInfo,
    ec: &EntryCoverage,
) -> serde_json::Value {
    use serde_json::json;
    let e = &ec.entry;
    let mut props = vec![
        json!({"name": "responsibility", "ns": "https://trustlens.invalid/ns/oscal", "value": owner_name(e.owner)}),
    ];
    for r in &e.references {
        props.push(json!({"name": "control-reference", "ns": "https://trustlens.invalid/ns/oscal", "value": r}));
    }
    let mut statements = vec![json!({
        "statement-id": format!("{}_smt.provider", e.id),
        "uuid": uuid(&format!("{}/{}/{}/provider", v.id, m.id, e.id)),
        "description": e.provider,
        "responsible-roles": [{"role-id": "provider"}],
    })];
    statements.push(json!({
        "statement-id": format!("{}_smt.customer", e.id),
        "uuid": uuid(&format!("{}/{}/{}/customer", v.id, m.id, e.id)),
        "description": e.customer,
        "responsible-roles": [{"role-id": "customer"}],
    }));
    let evidence: Vec<String> = ec
        .clauses
        .iter()
        .map(|c| {
            format!(
                "{} (sha256 {}): {}",
                c.link.clause_id, c.sha256, c.link.reason
            )
        })
        .collect();
    let mut req = json!({
        "uuid": uuid(&format!("{}/{}/{}", v.id, m.id, e.id)),
        "control-id": e.id,
        "description": format!("{}. Provider: {}", e.area, e.provider),
        "props": props,
        "statements": statements,
        "remarks": if evidence.is_empty() {
            format!("No clause of {} supports this entry.", v.id)
        } else {
            format!("Supported by: {}", evidence.join("; "))
        },
    });
    let models: Vec<(&str, &Option<String>)> = vec![
        ("iaas", &e.models.iaas),
        ("paas", &e.models.paas),
        ("saas", &e.models.saas),
    ];
    let notes: Vec<String> = models
        .into_iter()
        .filter_map(|(k, t)| t.as_ref().map(|t| format!("{}: {t}", k.to_uppercase())))
        .collect();
    if !notes.is_empty() {
        req["props"]
            .as_array_mut()
            .expect("props is an array")
            .push(json!({"name": "service-models", "ns": "https://trustlens.invalid/ns/oscal", "value": notes.join(" | ")}));
    }
    req
}

#[cfg(test)]
mod tests {
    use super::alert_message;

    #[test]
    fn an_alert_names_its_area_once() {
        assert_eq!(
            alert_message(
                "Encryption in transit",
                "Encryption in transit: new customer duty to use TLS 1.2."
            ),
            "Encryption in transit: new customer duty to use TLS 1.2."
        );
        assert_eq!(
            alert_message(
                "Sensitive and regulated data",
                "Sensitive data: new prohibition."
            ),
            "Sensitive and regulated data: Sensitive data: new prohibition."
        );
    }
}
