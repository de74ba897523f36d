// Search state: what is typed, the version and matrix entry filters, and the
// query whose results are on screen (used to highlight hits when opening a clause).
import type { ReadRequest } from "./bindings/ReadRequest";
import type { SearchRequest } from "./bindings/SearchRequest";

export const DEFAULT_LIMIT = 200;

export class QueryState {
  query = "";
  version: string | null = null;
  /** Matrix entry key to filter by; null for all clauses. */
  entry: string | null = null;
  /** The query of the results currently shown; null before any search. */
  shown: string | null = null;

  setQuery(text: string): void {
    this.query = text;
  }

  /** Empty string or null means all versions. */
  setVersion(version: string | null): void {
    this.version = version && version.length > 0 ? version : null;
  }

  /** Empty string or null means clauses of any (or no) matrix entry. */
  setEntry(entry: string | null): void {
    this.entry = entry && entry.length > 0 ? entry : null;
  }

  /** Toggle a facet: filter by `version`, or back to all if it is already the filter. */
  toggleVersion(version: string): void {
    this.setVersion(this.version === version ? null : version);
  }

  /** The search to send, or null when the query is blank. */
  searchRequest(limit: number = DEFAULT_LIMIT): SearchRequest | null {
    const query = this.query.trim();
    if (query.length === 0) return null;
    return { query, version: this.version, section: null, limit, entry: this.entry, as_of: null, by_lineage: false };
  }

  /** Record that results for `query` are now on screen. */
  markShown(query: string | null): void {
    this.shown = query;
  }

  readRequest(clauseId: string): ReadRequest {
    return { clause_id: clauseId, query: this.shown };
  }

  /** Forget results (after the corpus changed); keeps the typed query. */
  clearResults(): void {
    this.shown = null;
  }
}
