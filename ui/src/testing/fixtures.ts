// Test data shaped like the backend's answers (see ./bindings).
import type { Api, Launch, MemoFormat, Note, WatchedSource } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { CompareRequest } from "../bindings/CompareRequest";
import type { CompareView } from "../bindings/CompareView";
import type { CorpusStatus } from "../bindings/CorpusStatus";
import type { OcrMode } from "../bindings/OcrMode";
import type { Settings } from "../bindings/Settings";
import type { Coverage } from "../bindings/Coverage";
import type { Entry } from "../bindings/Entry";
import type { ExportRequest } from "../bindings/ExportRequest";
import type { Candidate } from "../bindings/Candidate";
import type { ImportInput } from "../bindings/ImportInput";
import type { ImportReport } from "../bindings/ImportReport";
import type { Progress } from "../bindings/Progress";
import type { Lineage } from "../bindings/Lineage";
import type { Link } from "../bindings/Link";
import type { LinkRequest } from "../bindings/LinkRequest";
import type { MatrixDiff } from "../bindings/MatrixDiff";
import type { MatrixGrid } from "../bindings/MatrixGrid";
import type { MatrixInfo } from "../bindings/MatrixInfo";
import type { NewNote } from "../bindings/NewNote";
import type { NoteEdit } from "../bindings/NoteEdit";
import type { NoteFilter } from "../bindings/NoteFilter";
import type { NoteView } from "../bindings/NoteView";
import type { Owner } from "../bindings/Owner";
import type { ReaderView } from "../bindings/ReaderView";
import type { SearchHit } from "../bindings/SearchHit";
import type { SearchRequest } from "../bindings/SearchRequest";
import type { SearchResults } from "../bindings/SearchResults";
import type { VersionInfo } from "../bindings/VersionInfo";
import type { NewSource } from "../bindings/NewSource";
import type { SourceView } from "../bindings/SourceView";
import type { Citation } from "../bindings/Citation";
import type { KeyTerm } from "../bindings/KeyTerm";
import type { Statement } from "../bindings/Statement";
import type { TermSheet } from "../bindings/TermSheet";
import type { TermsCompared } from "../bindings/TermsCompared";
import type { WatchOutcome } from "../bindings/WatchOutcome";
import type { WatchRunRequest } from "../bindings/WatchRunRequest";

export function version(date: string, clauseCount = 10): VersionInfo {
  return {
    id: `heroku-spa@${date}`,
    document_id: "heroku-spa",
    vendor: "Heroku",
    document: "Security, Privacy and Architecture",
    date,
    format: "markdown",
    file: `heroku-spa/${date}.md`,
    sha256: "0".repeat(64),
    clause_count: clauseCount,
    provenance: { source: "https://example.invalid/spa", captured: "2024-01-01", note: null },
  };
}

export const VERSIONS: VersionInfo[] = [version("2016-05-06"), version("2023-05-05")];

export function hit(date: string, section: string, n: number, extra: Partial<SearchHit> = {}): SearchHit {
  return {
    clause_id: `heroku-spa@${date}/${section}/${n}`,
    version: `heroku-spa@${date}`,
    vendor: "Heroku",
    document: "Security, Privacy and Architecture",
    date,
    section: ["Security", section],
    pages: [],
    kind: "paragraph",
    text: "Heroku participates in the EU-U.S. Privacy Shield framework.",
    snippet: [
      { text: "Heroku participates in the EU-U.S. ", hit: false },
      { text: "Privacy Shield", hit: true },
      { text: " framework.", hit: false },
    ],
    score: 1,
    entries: [],
    lineage: null,
    also_in: [],
    ...extra,
  };
}

// ---- the responsibility matrix ------------------------------------------------

export const MATRIX_ID = "cloud-shared-responsibility";

export const MATRIX: MatrixInfo = {
  id: MATRIX_ID,
  title: "Shared responsibility for cloud platforms",
  description: "Who secures what when an organisation runs on a cloud platform: the provider, the customer, or both.",
  sources: ["Blog article on how security duties are divided on a PaaS offering"],
  file: "matrix.toml",
};

/** `physical-security` → `cloud-shared-responsibility/physical-security`. */
export function entryKey(id: string): string {
  return `${MATRIX_ID}/${id}`;
}

export function entry(id: string, area: string, owner: Owner, extra: Partial<Entry> = {}): Entry {
  return {
    key: entryKey(id),
    id,
    matrix: MATRIX_ID,
    area,
    owner,
    provider: `The provider's part of ${area.toLowerCase()}.`,
    customer: `The customer's part of ${area.toLowerCase()}.`,
    models: { iaas: null, paas: null, saas: null },
    references: [],
    ...extra,
  };
}

export const ENTRIES: Entry[] = [
  entry("physical-security", "Physical security", "provider", {
    provider: "Runs the data centres behind the service: decides who may enter the buildings and secure rooms.",
    customer: "Nothing to do for the provider's facilities.",
    references: ["ISO/IEC 27001:2022 A.7.1", "PCI DSS v4.0 Req. 9"],
  }),
  entry("network-security", "Network security", "shared", {
    models: {
      iaas: "The customer designs and secures its virtual networks, subnets, routing and firewall rules.",
      paas: "The provider secures the network layer of the platform.",
      saas: null,
    },
  }),
  entry("encryption-at-rest", "Encryption at rest and key management", "shared", {
    references: ["ISO/IEC 27001:2022 A.8.24"],
  }),
  entry("sensitive-regulated-data", "Sensitive and regulated data", "customer", {
    customer: "Keeps such data out of the service unless the chosen tier accepts it.",
  }),
  entry("customer-compliance", "Compliance of the customer's own use", "customer"),
  entry("backup-replication", "Backup and replication", "shared"),
];

function auto(clauseId: string, id: string, words: string, confidence = 0.9): Link {
  const reason = `rule 1 matched “${words}”`;
  return { clause_id: clauseId, entry: entryKey(id), source: "auto", reason, confidence };
}

/** The links the rules (and one earlier decision of the user) make in the fixture clauses. */
export const LINKS: Link[] = [
  auto("heroku-spa@2016-05-06/intro/1", "physical-security", "data centers"),
  auto("heroku-spa@2016-05-06/privacy/2", "customer-compliance", "comply with", 0.55),
  auto("heroku-spa@2016-05-06/sensitive/1", "sensitive-regulated-data", "health data"),
  auto("heroku-spa@2016-05-06/backups/2", "backup-replication", "backups"),
  auto("heroku-spa@2023-05-05/privacy/1", "customer-compliance", "comply with", 0.55),
  auto("heroku-spa@2023-05-05/sensitive/1", "sensitive-regulated-data", "health data"),
  auto("heroku-spa@2023-05-05/backups/1", "backup-replication", "back up"),
  {
    clause_id: "heroku-spa@2023-05-05/backups/1",
    entry: entryKey("encryption-at-rest"),
    source: "manual",
    reason: "linked by ana on 2024-01-02",
    confidence: 1,
  },
];

const SECTION_TEXT: Record<string, string> = {
  intro: "Introductory text.",
  privacy: "We comply with the Privacy Shield principles.",
  sensitive: "You may submit health data only to Shield spaces.",
  backups: "We back up data daily.",
};

/** The text of a fixture clause, by its section slug. */
export function clauseText(clauseId: string): string {
  const section = clauseId.split("/")[1] ?? "";
  return SECTION_TEXT[section] ?? `Text of ${clauseId}.`;
}

function linkedTo(links: readonly Link[], clauseId: string): Link[] {
  return links.filter((l) => l.clause_id === clauseId);
}

export function matrixGrid(
  versions: readonly VersionInfo[],
  links: readonly Link[] = LINKS,
  entries = ENTRIES,
): MatrixGrid {
  return {
    matrices: [MATRIX],
    entries: [...entries],
    versions: [...versions],
    counts: entries.map((e) =>
      versions.map((v) => links.filter((l) => l.entry === e.key && l.clause_id.startsWith(`${v.id}/`)).length),
    ),
  };
}

export function coverage(
  v: VersionInfo,
  links: readonly Link[] = LINKS,
  entries = ENTRIES,
  text: (clauseId: string) => string = clauseText,
): Coverage {
  const mine = links.filter((l) => l.clause_id.startsWith(`${v.id}/`));
  const covered = entries.map((e) => ({
    entry: e,
    clauses: mine
      .filter((l) => l.entry === e.key)
      .map((l) => {
        const section = l.clause_id.split("/")[1];
        return {
          ...l,
          section: ["Security", section.charAt(0).toUpperCase() + section.slice(1)],
          pages: section === "backups" ? [4] : [],
          text: text(l.clause_id),
          sha256: "1".repeat(64),
        };
      }),
  }));
  return {
    version: v,
    matrices: [MATRIX],
    entries: covered,
    uncovered: covered.filter((c) => c.clauses.length === 0).map((c) => c.entry.key),
    unlinked_clauses: [`${v.id}/legal/3`],
  };
}

/** The matrix between two versions: the fixture comparison's cards, and two alerts. */
export function matrixDiff(
  oldId: string,
  newId: string,
  links: readonly Link[] = LINKS,
  entries = ENTRIES,
): MatrixDiff {
  const view = comparison(oldId, newId);
  const same = oldId === newId;
  const alerts: MatrixDiff["alerts"] = same
    ? []
    : [
        {
          entry: entryKey("physical-security"),
          area: "Physical security",
          kind: "removed",
          message: `Physical security: no clause of ${view.new.date} supports it any more (${view.old.date} had 1)`,
          card: null,
        },
        {
          entry: entryKey("sensitive-regulated-data"),
          area: "Sensitive and regulated data",
          kind: "made_conditional",
          message: "Sensitive and regulated data: A flat prohibition now has conditions",
          card: 1,
        },
      ];
  const ids = (prefix: string, key: string) =>
    links.filter((l) => l.entry === key && l.clause_id.startsWith(`${prefix}/`)).map((l) => l.clause_id);
  return {
    old: view.old,
    new: view.new,
    changes: view.changes,
    entries: entries.map((e) => ({
      entry: e,
      old_clauses: ids(oldId, e.key),
      new_clauses: ids(newId, e.key),
      cards: alerts.filter((a) => a.entry === e.key && a.card !== null).map((a) => a.card as number),
      alerts: alerts.filter((a) => a.entry === e.key),
    })),
    alerts,
  };
}

export const STATUS: CorpusStatus = {
  source: "bundled",
  custom_dir: null,
  versions: 2,
  clauses: 20,
  index: "ready",
  ocr_pages: 0,
  unreadable_pages: 0,
  warnings: [],
};

export function readerFor(
  clauseId: string,
  date: string,
  linksOf: (clauseId: string) => Link[] = (id) => linkedTo(LINKS, id),
): ReaderView {
  const v = version(date);
  return {
    version: v,
    focus: clauseId,
    blocks: [
      { type: "heading", level: 1, text: "Security" },
      {
        type: "clause",
        id: `${v.id}/intro/1`,
        kind: "paragraph",
        pages: [1],
        parts: [{ text: "Introductory text.", hit: false }],
        focus: clauseId === `${v.id}/intro/1`,
        links: linksOf(`${v.id}/intro/1`),
      },
      { type: "heading", level: 2, text: "Privacy" },
      {
        type: "clause",
        id: clauseId,
        kind: "paragraph",
        pages: [3, 4],
        parts: [
          { text: "We comply with the ", hit: false },
          { text: "Privacy Shield", hit: true },
          { text: " principles.", hit: false },
        ],
        focus: true,
        links: linksOf(clauseId),
      },
      {
        type: "clause",
        id: `${v.id}/privacy/fn1`,
        kind: "footnote",
        pages: [4],
        parts: [{ text: "See the framework's site.", hit: false }],
        focus: false,
        links: linksOf(`${v.id}/privacy/fn1`),
      },
    ],
  };
}

/** A statement of a clause: the provider's obligation unless told otherwise. */
export function statement(clauseId: string, extra: Partial<Statement> = {}): Statement {
  return {
    clause_id: clauseId,
    start: 0,
    end: 10,
    topic: null,
    party: "provider",
    party_words: "We",
    implied_party: false,
    force: "obligation",
    strength: 2,
    modal: "will",
    action: "notify",
    lemma: "notify",
    action_stem: "notifi",
    object: "the customer",
    passive: false,
    qualifiers: [],
    ...extra,
  };
}

/** The topics of the fixture's cards and key terms, by ID. */
export const TOPIC_NAMES: Record<string, string> = {
  "international-transfers": "International transfers",
  "backup-recovery": "Backup and disaster recovery",
  "sensitive-data": "Sensitive data",
};

/** A comparison of two fictional versions: a renamed section, a framework
 * replaced, a prohibition relaxed, an added clause, an unchanged one and an
 * editorial change (a date). */
export function comparison(oldId: string, newId: string): CompareView {
  const [oldDate, newDate] = [oldId.split("@")[1], newId.split("@")[1]];
  const old = version(oldDate);
  const oldFlags = [
      {
        framework: "EU-US Safe Harbor",
        status: "invalid_at_version_date" as const,
        event: {
          date: "2015-10-06",
          framework: "EU-US Safe Harbor",
          effect: "invalidated" as const,
          title: "Safe Harbor invalidated",
          source: "https://example.invalid/schrems",
        },
        clause_ids: [`${oldId}/privacy/1`],
        message: "relies on EU-US Safe Harbor (1 clause), already invalid on this version's date",
      },
  ];
  return {
    old,
    new: version(newDate),
    warnings: oldId === newId ? [`${oldId} is compared with itself: there are no changes`] : [],
    flags: [
      { version: oldId, date: oldDate, flags: oldFlags },
      ...(oldId === newId ? [] : [{ version: newId, date: newDate, flags: [] }]),
    ],
    changes:
      oldId === newId
        ? []
        : [
            {
              kind: "framework_replaced",
              summary: "EU-US Safe Harbor replaced by EU-US Privacy Shield",
              severity: "high",
              direction: "neutral",
              before: {
                clause_id: `${oldId}/privacy/1`,
                text: "We self-certify to Safe Harbor.",
                spans: [{ start: 18, end: 29, text: "Safe Harbor" }],
              },
              after: {
                clause_id: `${newId}/privacy/1`,
                text: "We certify to Privacy Shield.",
                spans: [{ start: 14, end: 28, text: "Privacy Shield" }],
              },
              topic: "international-transfers",
              party: "provider",
              statements: [
                statement(`${oldId}/privacy/1`, {
                  topic: "international-transfers",
                  force: "practice",
                  modal: "",
                  action: "self-certify",
                  object: "",
                  qualifiers: [{ kind: "framework", text: "Safe Harbor" }],
                }),
                statement(`${newId}/privacy/1`, {
                  topic: "international-transfers",
                  force: "practice",
                  modal: "",
                  action: "certify",
                  object: "",
                  qualifiers: [{ kind: "framework", text: "Privacy Shield" }],
                }),
              ],
            },
            {
              kind: "restriction_relaxed",
              summary: "A flat prohibition now has conditions",
              severity: "high",
              direction: "favours_customer",
              before: { clause_id: `${oldId}/sensitive/1`, text: "You may not submit health data.", spans: [] },
              after: {
                clause_id: `${newId}/sensitive/1`,
                text: "You may submit health data only to Shield spaces.",
                spans: [{ start: 25, end: 29, text: "only" }],
              },
              topic: null,
              party: "customer",
              statements: [],
            },
            {
              kind: "commitment_added",
              summary: "Provider commitment added: backups",
              severity: "medium",
              direction: "favours_customer",
              before: null,
              after: { clause_id: `${newId}/backups/1`, text: "We back up data daily.", spans: [] },
              topic: "backup-recovery",
              party: null,
              statements: [
                statement(`${newId}/backups/1`, {
                  topic: "backup-recovery",
                  force: "practice",
                  modal: "",
                  action: "back up",
                  object: "data",
                  qualifiers: [{ kind: "time", text: "daily", hours: 24 }],
                }),
              ],
            },
          ],
    card_rows: oldId === newId ? [] : [[1], [3], [5]],
    editorial: {
      items:
        oldId === newId
          ? []
          : [
              { old: [`${oldId}/legal/1`], new: [`${newId}/legal/1`], reason: "dates" },
              // A clause the side by side does not show: listed, not linked.
              { old: [`${oldId}/legal/9`], new: [], reason: "typography" },
            ],
    },
    topic_names: oldId === newId ? {} : { ...TOPIC_NAMES },
    counts: { modified: 3, added: 1, unchanged: 1 },
    rows: [
      { type: "section", status: "same", old: "Privacy", new: "Privacy", level: 1 },
      {
        type: "pair",
        index: 0,
        status: "modified",
        old_ids: [`${oldId}/privacy/1`],
        new_ids: [`${newId}/privacy/1`],
        old: [
          { text: "We ", edit: "same" },
          { text: "self-certify ", edit: "deleted" },
          { text: "to ", edit: "same" },
          { text: "Safe Harbor.", edit: "deleted" },
        ],
        new: [
          { text: "We ", edit: "same" },
          { text: "certify ", edit: "inserted" },
          { text: "to ", edit: "same" },
          { text: "Privacy Shield.", edit: "inserted" },
        ],
        old_pages: [],
        new_pages: [2],
        cards: [0],
      },
      { type: "section", status: "renamed", old: "Sensitive Personal Data", new: "Sensitive Data", level: 1 },
      {
        type: "pair",
        index: 1,
        status: "modified",
        old_ids: [`${oldId}/sensitive/1`],
        new_ids: [`${newId}/sensitive/1`],
        old: [{ text: "You may not submit health data.", edit: "same" }],
        new: [{ text: "You may submit health data only to Shield spaces.", edit: "same" }],
        old_pages: [],
        new_pages: [3],
        cards: [1],
      },
      { type: "section", status: "added", old: null, new: "Backups", level: 1 },
      {
        type: "pair",
        index: 2,
        status: "added",
        old_ids: [],
        new_ids: [`${newId}/backups/1`],
        old: [],
        new: [{ text: "We back up data daily.", edit: "same" }],
        old_pages: [],
        new_pages: [4],
        cards: [2],
      },
      {
        type: "pair",
        index: 3,
        status: "unchanged",
        old_ids: [`${oldId}/backups/2`],
        new_ids: [`${newId}/backups/2`],
        old: [{ text: "<img src=x onerror=alert(1)> is text.", edit: "same" }],
        new: [{ text: "<img src=x onerror=alert(1)> is text.", edit: "same" }],
        old_pages: [],
        new_pages: [4],
        cards: [],
      },
      { type: "section", status: "same", old: "Legal", new: "Legal", level: 1 },
      {
        type: "pair",
        index: 4,
        status: "modified",
        old_ids: [`${oldId}/legal/1`],
        new_ids: [`${newId}/legal/1`],
        old: [
          { text: "Last updated ", edit: "same" },
          { text: oldDate, edit: "deleted" },
        ],
        new: [
          { text: "Last updated ", edit: "same" },
          { text: newDate, edit: "inserted" },
        ],
        old_pages: [],
        new_pages: [5],
        cards: [],
      },
    ],
  };
}

// ---- key terms ------------------------------------------------------------------

/** A key term of a fixture clause, cited in section `section` (on `pages`). */
export function keyTerm(clauseId: string, text: string, section: string, pages: number[] = [], extra: Partial<Statement> = {}): KeyTerm {
  const versionId = clauseId.split("/")[0];
  const citation: Citation = {
    vendor: "Heroku",
    document: "Security, Privacy and Architecture",
    version: versionId,
    date: versionId.split("@")[1],
    section: ["Security", section],
    pages,
    clause_id: clauseId,
    sha256: "1".repeat(64),
  };
  return { text, statement: statement(clauseId, extra), citation };
}

/** The key terms of a fixture version: transfers (its framework) and, from 2023, backups. */
export function termSheet(v: VersionInfo): TermSheet {
  const newer = v.date >= "2023-01-01";
  const transfers = keyTerm(
    `${v.id}/privacy/1`,
    newer ? "the provider certifies to ‘Privacy Shield’" : "the provider self-certifies to ‘Safe Harbor’",
    "Privacy",
    newer ? [2] : [],
  );
  const topics: TermSheet["topics"] = [
    { topic: "international-transfers", name: TOPIC_NAMES["international-transfers"], terms: [transfers] },
  ];
  if (newer) {
    topics.push({
      topic: "backup-recovery",
      name: TOPIC_NAMES["backup-recovery"],
      terms: [keyTerm(`${v.id}/backups/1`, "the provider backs up data, ‘daily’", "Backups", [4, 5])],
    });
  }
  return { version: v, topics };
}

/** Two fixture versions' key terms side by side: one changed, one added, one removed, one the same. */
export function termsCompared(oldId: string, newId: string): TermsCompared {
  const [old, neu] = [version(oldId.split("@")[1]), version(newId.split("@")[1])];
  const same = "the customer complies with ‘<img src=x onerror=alert(1)>’";
  return {
    old,
    new: neu,
    topics: [
      {
        topic: "international-transfers",
        name: TOPIC_NAMES["international-transfers"],
        rows: [
          {
            old: keyTerm(`${oldId}/privacy/1`, "the provider self-certifies to ‘Safe Harbor’", "Privacy"),
            new: keyTerm(`${newId}/privacy/1`, "the provider certifies to ‘Privacy Shield’", "Privacy", [2]),
            change: "changed",
          },
          {
            old: keyTerm(`${oldId}/privacy/2`, same, "Privacy", [3]),
            new: keyTerm(`${newId}/privacy/2`, same, "Privacy", [3]),
            change: "same",
          },
        ],
      },
      {
        topic: "backup-recovery",
        name: TOPIC_NAMES["backup-recovery"],
        rows: [
          { old: null, new: keyTerm(`${newId}/backups/1`, "the provider backs up data, ‘daily’", "Backups", [4]), change: "added" },
          { old: keyTerm(`${oldId}/backups/3`, "the provider keeps backups for 30 days", "Backups"), new: null, change: "removed" },
        ],
      },
    ],
  };
}

// ---- notes, history, exports ------------------------------------------------------

/** The text the reader shows for a clause (what a quote must be part of). */
export function readerText(clauseId: string): string {
  const date = clauseId.split("@")[1]?.split("/")[0] ?? "";
  const block = readerFor(clauseId, date).blocks.find((b) => b.type === "clause" && b.id === clauseId);
  return block && block.type === "clause" ? block.parts.map((p) => p.text).join("") : clauseText(clauseId);
}

/** A note number as the backend sends it (an i64, as a JSON number). */
export function asNoteId(n: number): NoteView["id"] {
  return n;
}

function titleCase(slug: string): string {
  return slug.charAt(0).toUpperCase() + slug.slice(1);
}

/** A note as the backend shows it, with its citation. */
export function noteView(
  id: number,
  clauseId: string,
  text: string,
  extra: Partial<Omit<NoteView, "id">> = {},
  links: readonly Link[] = LINKS,
): NoteView {
  const [versionId, section] = clauseId.split("/");
  const date = versionId.split("@")[1];
  const quote = extra.quote ?? null;
  return {
    citation: {
      vendor: "Heroku",
      document: "Security, Privacy and Architecture",
      version: versionId,
      date,
      section: ["Security", titleCase(section ?? "")],
      pages: section === "privacy" ? [3, 4] : [],
      clause_id: clauseId,
      sha256: "1".repeat(64),
    },
    clause_text: readerText(clauseId),
    entries: linkedTo(links, clauseId).map((l) => l.entry),
    id: asNoteId(id),
    clause_id: clauseId,
    origin_clause_id: clauseId,
    clause_sha256: "1".repeat(64),
    quote,
    text,
    tags: [],
    status: "open",
    author: "ana",
    created: "2024-02-01T09:30:00Z",
    updated: "2024-02-01T09:30:00Z",
    change: null,
    ...extra,
  };
}

/** A text-quote selector for `exact` in the clause's reader text. */
export function quoteOf(clauseId: string, exact: string): NoteView["quote"] {
  const text = readerText(clauseId);
  const start = text.indexOf(exact);
  if (start < 0) return null;
  const end = start + exact.length;
  return { exact, prefix: text.slice(Math.max(0, start - 32), start), suffix: text.slice(end, end + 32), start, end };
}

const NEW_PRIVACY = "heroku-spa@2023-05-05/privacy/1";

/** Three notes: two on the 2023 privacy clause (one re-anchored, needing review), one on a 2016 clause. */
export function sampleNotes(): NoteView[] {
  return [
    noteView(1, NEW_PRIVACY, "Privacy Shield was invalidated in July 2020 (Schrems II).\nAsk what replaced it.", {
      quote: quoteOf(NEW_PRIVACY, "Privacy Shield"),
      tags: ["gdpr", "transfers"],
      status: "flagged",
    }),
    noteView(2, NEW_PRIVACY, "Our DPA still cites **Safe Harbor**.", {
      origin_clause_id: "heroku-spa@2016-05-06/privacy/1",
      status: "needs_review",
      change: "modified: “Safe Harbor” became “Privacy Shield”",
      author: "ben",
      created: "2024-01-15T08:00:00Z",
      updated: "2024-02-02T10:00:00Z",
    }),
    noteView(3, "heroku-spa@2016-05-06/backups/2", "Backups checked against the SOC 2 report.", {
      tags: ["backups"],
      status: "reviewed",
    }),
  ];
}

/** A clause's history: privacy/1 modified, legal/3 removed, anything else unchanged. */
export function lineageFor(clauseId: string): Lineage {
  const [versionId, section, n] = clauseId.split("/");
  const oldId = `heroku-spa@2016-05-06/${section}/${n}`;
  const newId = `heroku-spa@2023-05-05/${section}/${n}`;
  const added = {
    version: "heroku-spa@2016-05-06",
    date: "2016-05-06",
    clause_ids: [oldId],
    status: "added" as const,
    text: readerText(oldId),
    cards: [],
  };
  if (section === "privacy") {
    const view = comparison("heroku-spa@2016-05-06", "heroku-spa@2023-05-05");
    return {
      id: oldId,
      document_id: "heroku-spa",
      steps: [
        { ...added, text: "We self-certify to Safe Harbor." },
        {
          version: "heroku-spa@2023-05-05",
          date: "2023-05-05",
          clause_ids: [newId],
          status: "modified",
          text: "We certify to Privacy Shield.",
          cards: [view.changes[0]],
        },
      ],
    };
  }
  if (section === "legal") {
    return {
      id: oldId,
      document_id: "heroku-spa",
      steps: [
        added,
        { version: "heroku-spa@2023-05-05", date: "2023-05-05", clause_ids: [], status: "removed", text: "", cards: [] },
      ],
    };
  }
  return {
    id: versionId.endsWith("2016-05-06") ? clauseId : oldId,
    document_id: "heroku-spa",
    steps: [
      added,
      {
        version: "heroku-spa@2023-05-05",
        date: "2023-05-05",
        clause_ids: [newId],
        status: "unchanged",
        text: readerText(newId),
        cards: [],
      },
    ],
  };
}

/** The export of some notes, roughly as the backend renders it. Note text is not escaped in md. */
export function renderNotesExport(notes: readonly NoteView[], format: string): string {
  switch (format) {
    case "json":
      return JSON.stringify(
        notes.map((n) => ({ ...n, id: Number(n.id) })),
        null,
        2,
      );
    case "csv":
      return [
        "id,status,tags,text,vendor,document,date,section,pages,clause_id,sha256",
        ...notes.map((n) =>
          [
            Number(n.id),
            n.status,
            n.tags.join(";"),
            `"${n.text.replace(/"/g, '""')}"`,
            n.citation?.vendor ?? "",
            n.citation?.document ?? "",
            n.citation?.date ?? "",
            n.citation?.section.join(" > ") ?? "",
            n.citation?.pages.join(" ") ?? "",
            n.clause_id,
            n.clause_sha256,
          ].join(","),
        ),
      ].join("\n");
    case "html":
      return [
        "<!doctype html>",
        "<title>trustlens notes</title>",
        ...notes.map((n) => `<article><p>${n.text}</p><cite>${n.clause_id}</cite></article>`),
      ].join("\n");
    default:
      return [
        "# trustlens notes",
        "",
        ...notes.flatMap((n) => [
          `## Note ${Number(n.id)} (${n.status})`,
          "",
          n.text,
          "",
          `— ${n.citation?.vendor}, “${n.citation?.document}” (${n.citation?.date}), ${n.clause_id}`,
          "",
        ]),
      ].join("\n");
  }
}

// ---- watched pages ---------------------------------------------------------------

/** A watched page as listed: checked once, unchanged, due tomorrow. */
export function sourceView(id: string, extra: Partial<SourceView> = {}): SourceView {
  return {
    id,
    url: `https://${id}.example/trust/security`,
    vendor: "Acme",
    document: "Security Overview",
    select: null,
    remove: [],
    ignore: [],
    every: "1d",
    last_checked: "2024-05-01T09:30:12Z",
    last_changed: "2024-04-20T08:00:00Z",
    last_error: null,
    pending: null,
    failures: 0,
    failing: false,
    next_check: "2024-05-02T09:30:12Z",
    version: `${id}@2024-04-20`,
    snapshots: 2,
    ...extra,
  };
}

/** What a check of `source` came to; a new version names `version` and, unless given null, a previous one. */
export function watchOutcome(source: SourceView, result: WatchOutcome["result"], extra: Partial<WatchOutcome> = {}): WatchOutcome {
  const { id, vendor, document, url } = source;
  const added = result === "new_version";
  return {
    source: id,
    vendor,
    document,
    url,
    result,
    changes: added ? { changes: 3, high: 1 } : null,
    version: added ? `${id}@2024-05-02` : result === "unchanged" ? source.version : null,
    previous: added ? source.version : null,
    message: result === "error" ? "fetching the page failed: connection refused" : null,
    snapshot: null,
    failing: false,
    next_check: "2024-05-03T09:30:12Z",
    ...extra,
  };
}

/** A fake backend that records calls; override any method per test. */
export class FakeApi implements Api {
  calls: Array<{ command: string; args: unknown }> = [];
  /** How the app was started (set by a test before `startApp`). */
  launchOptions: Launch = { search: null };
  hits: SearchHit[] = [hit("2023-05-05", "privacy", 1), hit("2016-05-06", "privacy", 2), hit("2023-05-05", "legal", 3)];
  status: CorpusStatus = STATUS;
  versionList: VersionInfo[] = VERSIONS;
  entries: Entry[] = [...ENTRIES];
  /** Every clause's current links (the rules' links with the user's decisions applied). */
  links: Link[] = [...LINKS];
  /** Clause texts by ID, over the fixture's defaults. */
  texts: Record<string, string> = {};
  failSearch: ApiError | null = null;
  /** Set by a test to make the second call of a search, the counts, fail. */
  failCounts: ApiError | null = null;
  /**
   * Set by a test to make the hits call answer as it does for a long phrase
   * with more matches than hits: a lower bound, counted by the second call.
   */
  hitsNotCounted = false;
  failCompare: ApiError | null = null;
  failMatrix: ApiError | null = null;
  failMatrixDiff: ApiError | null = null;
  failLink: ApiError | null = null;
  failNotes: ApiError | null = null;
  failAddNote: ApiError | null = null;
  failHistory: ApiError | null = null;
  failExport: ApiError | null = null;
  failTerms: ApiError | null = null;
  /** The notes stored. */
  noteList: NoteView[] = sampleNotes();
  private nextNoteId = 4;
  /** Files that exist (export_to_file refuses to replace them without force). */
  files = new Set<string>(["/home/ana/exists.md"]);
  /** Files written by export_to_file, with their text. */
  written = new Map<string, string>();
  /** What the system's open dialog answers (pickPaths). */
  picked: string[] = [];
  failImport: ApiError | null = null;
  /** Set by importCancel; the fake import stops before its next version. */
  importCancelled = false;
  /** Resolved by a test to let the fake import go on after its first version. */
  importGate: Promise<void> | null = null;
  private dropHandlers: Array<{ drop: (paths: string[]) => void; over: (over: boolean) => void }> = [];
  /** The watched pages. */
  sourceList: SourceView[] = [];
  /** What a check answers (by default: each source asked for, unchanged). */
  checkOutcomes: (request: WatchRunRequest) => WatchOutcome[] = (request) =>
    this.sourceList.filter((s) => request.source === null || s.id === request.source).map((s) => watchOutcome(s, "unchanged"));
  failWatchList: ApiError | null = null;
  failWatchRun: ApiError | null = null;
  /** Resolved by a test to let the fake check answer. */
  checkGate: Promise<void> | null = null;
  private watchListeners: Array<(outcomes: WatchOutcome[]) => void> = [];

  linksOf(clauseId: string): Link[] {
    return linkedTo(this.links, clauseId);
  }

  private entryFor(name: string): Entry | undefined {
    return this.entries.find((e) => e.key === name || e.id === name);
  }

  async versions(): Promise<VersionInfo[]> {
    this.calls.push({ command: "versions", args: undefined });
    return this.versionList;
  }

  async searchHits(request: SearchRequest): Promise<SearchResults> {
    this.calls.push({ command: "search_hits", args: request });
    if (this.failSearch) throw this.failSearch;
    const { facets: _facets, facets_omitted: _omitted, entry_facets: _entries, ...rest } = this.results(request);
    if (this.hitsNotCounted) {
      const hits = rest.hits.slice(0, 1);
      return { ...rest, hits, total: hits.length, total_exact: false, facets: [], entry_facets: [], counted: false };
    }
    return { ...rest, facets: [], entry_facets: [], counted: false };
  }

  async searchCounts(request: SearchRequest): Promise<SearchResults> {
    this.calls.push({ command: "search_counts", args: request });
    if (this.failSearch) throw this.failSearch;
    if (this.failCounts) throw this.failCounts;
    return { ...this.results(request), hits: [] };
  }

  /** What a whole search would answer. */
  private results(request: SearchRequest): SearchResults {
    const withEntries = this.hits.map((h) => ({ ...h, entries: this.linksOf(h.clause_id).map((l) => l.entry) }));
    const inVersion = withEntries.filter((h) => request.version === null || h.version === request.version);
    const wanted = request.entry === null ? null : (this.entryFor(request.entry)?.key ?? request.entry);
    const hits = inVersion.filter((h) => wanted === null || h.entries.includes(wanted));
    const counts = new Map<string, number>();
    for (const h of this.hits) counts.set(h.version, (counts.get(h.version) ?? 0) + 1);
    const entryCounts = new Map<string, number>();
    for (const h of inVersion) for (const e of h.entries) entryCounts.set(e, (entryCounts.get(e) ?? 0) + 1);
    return {
      query: request.query,
      total: hits.length,
      total_exact: true,
      hits,
      facets: [...counts].map(([v, count]) => ({ version: v, date: v.split("@")[1], count })),
      entry_facets: this.entries
        .filter((e) => entryCounts.has(e.key))
        .map((e) => ({ entry: e.key, area: e.area, count: entryCounts.get(e.key) ?? 0 })),
      counted: true,
    };
  }

  async read(request: { clause_id: string; query: string | null }): Promise<ReaderView> {
    this.calls.push({ command: "read", args: request });
    const date = request.clause_id.split("@")[1].split("/")[0];
    return readerFor(request.clause_id, date, (id) => this.linksOf(id));
  }

  async compare(request: CompareRequest): Promise<CompareView> {
    this.calls.push({ command: "compare", args: request });
    if (this.failCompare) throw this.failCompare;
    return comparison(request.old, request.new);
  }

  async matrixGrid(): Promise<MatrixGrid> {
    this.calls.push({ command: "matrix_grid", args: undefined });
    if (this.failMatrix) throw this.failMatrix;
    return matrixGrid(this.versionList, this.links, this.entries);
  }

  async matrixCoverage(versionId: string): Promise<Coverage> {
    this.calls.push({ command: "matrix_coverage", args: versionId });
    if (this.failMatrix) throw this.failMatrix;
    const v = this.versionList.find((x) => x.id === versionId);
    if (!v) throw { code: "not_found", message: `no version "${versionId}"` };
    return coverage(v, this.links, this.entries, (id) => this.texts[id] ?? clauseText(id));
  }

  async matrixDiff(request: CompareRequest): Promise<MatrixDiff> {
    this.calls.push({ command: "matrix_diff", args: request });
    if (this.failMatrixDiff) throw this.failMatrixDiff;
    return matrixDiff(request.old, request.new, this.links, this.entries);
  }

  async setLink(request: LinkRequest): Promise<Link[]> {
    this.calls.push({ command: "set_link", args: request });
    if (this.failLink) throw this.failLink;
    const e = this.entryFor(request.entry);
    if (!e) throw { code: "not_found", message: `no matrix entry "${request.entry}" (see \`trustlens matrix\`)` };
    const other = (l: Link) => !(l.clause_id === request.clause_id && l.entry === e.key);
    this.links = this.links.filter(other);
    if (request.action === "link") {
      this.links.push({
        clause_id: request.clause_id,
        entry: e.key,
        source: "manual",
        reason: "linked by analyst on 2024-02-01",
        confidence: 1,
      });
    } else if (request.action === null) {
      this.links.push(...LINKS.filter((l) => !other(l) && l.source === "auto"));
    }
    return this.linksOf(request.clause_id);
  }

  private noteFilterMatches(filter: NoteFilter, n: NoteView): boolean {
    const version = filter.version
      ? (this.versionList.find((v) => v.id === filter.version || v.date === filter.version)?.id ?? filter.version)
      : null;
    const entry = filter.entry ? (this.entryFor(filter.entry)?.key ?? filter.entry) : null;
    const tag = filter.tag?.trim().toLowerCase();
    return (
      (!tag || n.tags.includes(tag)) &&
      (filter.status === null || n.status === filter.status) &&
      (version === null || n.clause_id.startsWith(`${version}/`)) &&
      (entry === null || this.linksOf(n.clause_id).some((l) => l.entry === entry)) &&
      (filter.clause_id === null || n.clause_id === filter.clause_id)
    );
  }

  private withEntries(n: NoteView): NoteView {
    return { ...n, entries: this.linksOf(n.clause_id).map((l) => l.entry) };
  }

  async history(clauseId: string): Promise<Lineage> {
    this.calls.push({ command: "history", args: clauseId });
    if (this.failHistory) throw this.failHistory;
    return lineageFor(clauseId);
  }

  async addNote(note: NewNote): Promise<NoteView> {
    this.calls.push({ command: "add_note", args: note });
    if (this.failAddNote) throw this.failAddNote;
    if (note.text.trim().length === 0) throw { code: "invalid_argument", message: "the note text is empty" };
    const quote = note.quote?.trim() || null;
    const anchored = quote === null ? null : quoteOf(note.clause_id, quote);
    if (quote !== null && anchored === null) {
      throw { code: "invalid_argument", message: `the quote "${quote}" is not in the text of ${note.clause_id}` };
    }
    const tags = [...new Set(note.tags.flatMap((t) => t.split(",")).map((t) => t.trim().toLowerCase()))]
      .filter((t) => t.length > 0)
      .sort();
    const view = noteView(
      this.nextNoteId++,
      note.clause_id,
      note.text.trim(),
      {
        quote: anchored,
        tags,
        status: note.status ?? "open",
        author: "analyst",
        created: "2024-03-01T12:00:00Z",
        updated: "2024-03-01T12:00:00Z",
      },
      this.links,
    );
    this.noteList.push(view);
    return view;
  }

  async notes(filter: NoteFilter): Promise<NoteView[]> {
    this.calls.push({ command: "notes", args: filter });
    if (this.failNotes) throw this.failNotes;
    return this.noteList.filter((n) => this.noteFilterMatches(filter, n)).map((n) => this.withEntries(n));
  }

  async editNote(id: number, edit: NoteEdit): Promise<NoteView> {
    this.calls.push({ command: "edit_note", args: { id, edit } });
    const i = this.noteList.findIndex((n) => Number(n.id) === id);
    if (i < 0) throw { code: "not_found", message: `no note ${id}` };
    if (edit.text !== null && edit.text.trim().length === 0) {
      throw { code: "invalid_argument", message: "the note text is empty" };
    }
    const old = this.noteList[i];
    const next: NoteView = {
      ...old,
      text: edit.text?.trim() ?? old.text,
      tags: edit.tags ? [...new Set(edit.tags.map((t) => t.trim().toLowerCase()))].filter(Boolean).sort() : old.tags,
      status: edit.status ?? old.status,
      updated: "2024-03-02T12:00:00Z",
    };
    this.noteList[i] = next;
    return this.withEntries(next);
  }

  async deleteNote(id: number): Promise<Note> {
    this.calls.push({ command: "delete_note", args: id });
    const found = this.noteList.find((n) => Number(n.id) === id);
    if (!found) throw { code: "not_found", message: `no note ${id}` };
    this.noteList = this.noteList.filter((n) => n !== found);
    const { citation: _c, clause_text: _t, entries: _e, ...note } = found;
    return note;
  }

  private async renderExport(request: ExportRequest): Promise<string> {
    const sel = request.selection;
    if (sel.kind === "notes") {
      return renderNotesExport(
        this.noteList.filter((n) => this.noteFilterMatches(sel.filter, n)),
        request.format,
      );
    }
    if (sel.kind === "search") {
      return `# Search: ${sel.request.query} (${request.format})\n\n${this.hits.map((h) => `- ${h.clause_id}: ${h.text}`).join("\n")}`;
    }
    const view = comparison(sel.old, sel.new);
    return `# Changes ${view.old.date} → ${view.new.date} (${request.format})\n\n${view.changes.map((c) => `- ${c.summary}`).join("\n")}`;
  }

  async exportPreview(request: ExportRequest): Promise<string> {
    this.calls.push({ command: "export_preview", args: request });
    if (this.failExport) throw this.failExport;
    return this.renderExport(request);
  }

  async exportToFile(request: ExportRequest, path: string, force: boolean): Promise<string> {
    this.calls.push({ command: "export_to_file", args: { request, path, force } });
    if (this.failExport) throw this.failExport;
    const file = path.trim();
    if (file.length === 0) throw { code: "invalid_argument", message: "the output path is empty" };
    if (this.files.has(file) && !force) throw { code: "exists", message: `${file} exists: use --force to replace it` };
    this.files.add(file);
    this.written.set(file, await this.renderExport(request));
    return file;
  }

  async memo(request: CompareRequest, format: MemoFormat): Promise<string> {
    this.calls.push({ command: "memo", args: { request, format } });
    if (format !== "md" && format !== "html") {
      throw { code: "invalid_argument", message: `the memo comes as md or html, not ${format}` };
    }
    const view = comparison(request.old, request.new);
    const title = `Change memo: ${view.new.vendor} — ${view.new.document}, ${view.old.date} → ${view.new.date}`;
    if (format === "html") {
      return `<!doctype html>\n<h1>${title}</h1>\n${view.changes.map((c) => `<h2>${c.summary}</h2>`).join("\n")}`;
    }
    return `# ${title}\n\n${view.changes.map((c) => `## ${c.summary}\n\nSeverity: ${c.severity}`).join("\n\n")}`;
  }

  async terms(versionId: string): Promise<TermSheet> {
    this.calls.push({ command: "terms", args: versionId });
    if (this.failTerms) throw this.failTerms;
    const v = this.versionList.find((x) => x.id === versionId);
    if (!v) throw { code: "not_found", message: `no version "${versionId}"` };
    return termSheet(v);
  }

  async termsCompared(request: CompareRequest): Promise<TermsCompared> {
    this.calls.push({ command: "terms_compared", args: request });
    if (this.failTerms) throw this.failTerms;
    return termsCompared(request.old, request.new);
  }

  async corpusStatus(): Promise<CorpusStatus> {
    this.calls.push({ command: "corpus_status", args: undefined });
    return this.status;
  }

  /** What the fake detects: the date from a name like `acme-2024-03-01.md`. */
  candidates(request: ImportInput): Candidate[] {
    return request.paths.map((label) => {
      const m = /(\d{4}-\d{2}-\d{2})/.exec(label);
      const format = label.endsWith(".pdf") ? "pdf" : label.endsWith(".md") ? "markdown" : "pdf-text";
      return {
        label,
        date: m ? m[1] : (request.date ?? null),
        date_source: m ? "file_name" : request.date ? "given" : "missing",
        format,
        bytes: 100,
        title: label.endsWith(".md") ? "Security Overview" : null,
        skip: m || request.date ? null : "no date in the file name or front matter",
      };
    });
  }

  async importPlan(request: ImportInput): Promise<Candidate[]> {
    this.calls.push({ command: "import_plan", args: request });
    if (this.failImport) throw this.failImport;
    return this.candidates(request);
  }

  async importRun(request: ImportInput, onProgress: (p: Progress) => void): Promise<ImportReport> {
    this.calls.push({ command: "import_run", args: request });
    this.importCancelled = false;
    if (this.failImport) throw this.failImport;
    const candidates = this.candidates(request);
    const outcomes: ImportReport["outcomes"] = [];
    let cancelled = false;
    for (const [i, c] of candidates.entries()) {
      if (this.importCancelled) {
        cancelled = true;
        break;
      }
      onProgress({ done: i, total: candidates.length, current: c.label });
      if (i === 0 && this.importGate) await this.importGate;
      const id = `acme@${c.date}`;
      outcomes.push(
        c.skip
          ? { label: c.label, date: c.date, status: "skipped", version_id: null, clauses: null, message: c.skip, warnings: [] }
          : { label: c.label, date: c.date, status: "added", version_id: id, clauses: 12, message: null, warnings: [] },
      );
      if (!c.skip) this.versionList = [...this.versionList, { ...version(c.date ?? "2024-01-01"), id, document_id: "acme" }];
    }
    if (!cancelled) onProgress({ done: candidates.length, total: candidates.length, current: "" });
    const count = (s: string) => outcomes.filter((o) => o.status === s).length;
    return {
      outcomes,
      cancelled,
      added: count("added"),
      unchanged: count("unchanged"),
      skipped: count("skipped"),
      failed: count("failed"),
    };
  }

  async importCancel(): Promise<void> {
    this.calls.push({ command: "import_cancel", args: undefined });
    this.importCancelled = true;
  }

  async pickPaths(folder: boolean): Promise<string[]> {
    this.calls.push({ command: "pick_paths", args: folder });
    return this.picked;
  }

  launch(): Launch {
    return this.launchOptions;
  }

  onFileDrop(drop: (paths: string[]) => void, over: (over: boolean) => void): void {
    this.dropHandlers.push({ drop, over });
  }

  /** What the window does when files are dragged over it and dropped. */
  dropFiles(paths: string[]): void {
    for (const h of this.dropHandlers) h.over(true);
    for (const h of this.dropHandlers) {
      h.over(false);
      h.drop(paths);
    }
  }

  async watchList(): Promise<SourceView[]> {
    this.calls.push({ command: "watch_list", args: undefined });
    if (this.failWatchList) throw this.failWatchList;
    return this.sourceList;
  }

  /** Refuses what the backend refuses most often: an address that is not http(s), a bad interval. */
  async watchAdd(source: NewSource): Promise<WatchedSource> {
    this.calls.push({ command: "watch_add", args: source });
    if (!/^https?:\/\//.test(source.url)) {
      throw { code: "invalid_argument", message: `"${source.url}" is not an http or https address` };
    }
    if (source.every !== null && !/^\d+[mhdw]$/.test(source.every)) {
      throw { code: "invalid_argument", message: `"${source.every}" is not an interval (30m, 6h, 1d, 1w)` };
    }
    const id = `${source.vendor}-${source.document}`.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const added = { id, url: source.url, vendor: source.vendor, document: source.document, every: source.every ?? "1d" };
    const view = sourceView(id, { ...added, select: source.select, last_checked: null, last_changed: null });
    this.sourceList = [...this.sourceList, { ...view, next_check: null, version: null, snapshots: 0 }];
    return added;
  }

  async watchRemove(id: string): Promise<WatchedSource> {
    this.calls.push({ command: "watch_remove", args: id });
    const found = this.sourceList.find((s) => s.id === id);
    if (!found) throw { code: "not_found", message: `no watched source "${id}" (see \`trustlens watch list\`)` };
    this.sourceList = this.sourceList.filter((s) => s !== found);
    return { id, url: found.url, vendor: found.vendor, document: found.document, every: found.every };
  }

  async watchRun(request: WatchRunRequest): Promise<WatchOutcome[]> {
    this.calls.push({ command: "watch_run", args: request });
    if (this.checkGate) await this.checkGate;
    if (this.failWatchRun) throw this.failWatchRun;
    return this.checkOutcomes(request);
  }

  onWatchChecked(listener: (outcomes: WatchOutcome[]) => void): void {
    this.watchListeners.push(listener);
  }

  /** What the app's scheduler does after checking the sources that were due. */
  emitWatchChecked(outcomes: WatchOutcome[]): void {
    for (const listener of this.watchListeners) listener(outcomes);
  }

  async setCorpusDir(dir: string | null): Promise<CorpusStatus> {
    this.calls.push({ command: "set_corpus_dir", args: dir });
    this.status = { ...this.status, source: dir ?? "bundled", custom_dir: dir };
    return this.status;
  }

  savedSettings: Settings = { corpus_dir: null, ocr: "auto" };

  async settings(): Promise<Settings> {
    this.calls.push({ command: "settings", args: null });
    return this.savedSettings;
  }

  async setOcrMode(ocr: OcrMode): Promise<Settings> {
    this.calls.push({ command: "set_ocr_mode", args: ocr });
    this.savedSettings = { ...this.savedSettings, ocr };
    return this.savedSettings;
  }
}
