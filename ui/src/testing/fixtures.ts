// Test data shaped like the backend's answers (see ./bindings).
import type { Api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { CompareRequest } from "../bindings/CompareRequest";
import type { CompareView } from "../bindings/CompareView";
import type { CorpusStatus } from "../bindings/CorpusStatus";
import type { ReaderView } from "../bindings/ReaderView";
import type { SearchHit } from "../bindings/SearchHit";
import type { SearchRequest } from "../bindings/SearchRequest";
import type { SearchResults } from "../bindings/SearchResults";
import type { VersionInfo } from "../bindings/VersionInfo";

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
    flags: [],
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
    ...extra,
  };
}

export const STATUS: CorpusStatus = {
  source: "bundled",
  custom_dir: null,
  versions: 2,
  clauses: 20,
  index: "ready",
  warnings: [],
};

export function readerFor(clauseId: string, date: string): ReaderView {
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
      },
      {
        type: "clause",
        id: `${v.id}/privacy/fn1`,
        kind: "footnote",
        pages: [4],
        parts: [{ text: "See the framework's site.", hit: false }],
        focus: false,
      },
    ],
  };
}

/** A comparison of two fictional versions: a renamed section, a framework
 * replaced, a prohibition relaxed, an added clause and an unchanged one. */
export function comparison(oldId: string, newId: string): CompareView {
  const [oldDate, newDate] = [oldId.split("@")[1], newId.split("@")[1]];
  const old = {
    ...version(oldDate),
    flags: [
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
    ],
  };
  return {
    old,
    new: version(newDate),
    warnings: oldId === newId ? [`${oldId} is compared with itself: there are no changes`] : [],
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
            },
            {
              kind: "commitment_added",
              summary: "Provider commitment added: backups",
              severity: "medium",
              direction: "favours_customer",
              before: null,
              after: { clause_id: `${newId}/backups/1`, text: "We back up data daily.", spans: [] },
            },
          ],
    card_rows: oldId === newId ? [] : [[1], [3], [5]],
    counts: { modified: 2, added: 1, unchanged: 1 },
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
    ],
  };
}

/** A fake backend that records calls; override any method per test. */
export class FakeApi implements Api {
  calls: Array<{ command: string; args: unknown }> = [];
  hits: SearchHit[] = [hit("2023-05-05", "privacy", 1), hit("2016-05-06", "privacy", 2), hit("2023-05-05", "legal", 3)];
  status: CorpusStatus = STATUS;
  versionList: VersionInfo[] = VERSIONS;
  failSearch: ApiError | null = null;
  failCompare: ApiError | null = null;

  async versions(): Promise<VersionInfo[]> {
    this.calls.push({ command: "versions", args: undefined });
    return this.versionList;
  }

  async search(request: SearchRequest): Promise<SearchResults> {
    this.calls.push({ command: "search", args: request });
    if (this.failSearch) throw this.failSearch;
    const hits = this.hits.filter((h) => request.version === null || h.version === request.version);
    const counts = new Map<string, number>();
    for (const h of this.hits) counts.set(h.version, (counts.get(h.version) ?? 0) + 1);
    return {
      query: request.query,
      total: hits.length,
      hits,
      facets: [...counts].map(([v, count]) => ({ version: v, date: v.split("@")[1], count })),
    };
  }

  async read(request: { clause_id: string; query: string | null }): Promise<ReaderView> {
    this.calls.push({ command: "read", args: request });
    const date = request.clause_id.split("@")[1].split("/")[0];
    return readerFor(request.clause_id, date);
  }

  async compare(request: CompareRequest): Promise<CompareView> {
    this.calls.push({ command: "compare", args: request });
    if (this.failCompare) throw this.failCompare;
    return comparison(request.old, request.new);
  }

  async corpusStatus(): Promise<CorpusStatus> {
    this.calls.push({ command: "corpus_status", args: undefined });
    return this.status;
  }

  async setCorpusDir(dir: string | null): Promise<CorpusStatus> {
    this.calls.push({ command: "set_corpus_dir", args: dir });
    this.status = { ...this.status, source: dir ?? "bundled", custom_dir: dir };
    return this.status;
  }
}
