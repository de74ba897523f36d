// Test data shaped like the backend's answers (see ./bindings).
import type { Api } from "../api";
import type { ApiError } from "../bindings/ApiError";
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

/** A fake backend that records calls; override any method per test. */
export class FakeApi implements Api {
  calls: Array<{ command: string; args: unknown }> = [];
  hits: SearchHit[] = [hit("2023-05-05", "privacy", 1), hit("2016-05-06", "privacy", 2), hit("2023-05-05", "legal", 3)];
  status: CorpusStatus = STATUS;
  versionList: VersionInfo[] = VERSIONS;
  failSearch: ApiError | null = null;

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
