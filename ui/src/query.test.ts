import { describe, expect, it } from "vitest";
import { DEFAULT_LIMIT, QueryState } from "./query";

describe("QueryState", () => {
  it("builds a trimmed search request with the version filter", () => {
    const s = new QueryState();
    s.setQuery('  "Privacy Shield" ');
    s.setVersion("heroku-spa@2023-05-05");
    expect(s.searchRequest()).toEqual({
      query: '"Privacy Shield"',
      version: "heroku-spa@2023-05-05",
      section: null,
      limit: DEFAULT_LIMIT,
      entry: null,
      as_of: null,
      by_lineage: false,
    });
  });

  it("filters by matrix entry, an empty entry meaning all clauses", () => {
    const s = new QueryState();
    s.setQuery("backups");
    s.setEntry("cloud-shared-responsibility/backup-replication");
    expect(s.searchRequest()?.entry).toBe("cloud-shared-responsibility/backup-replication");
    s.setEntry("");
    expect(s.entry).toBeNull();
    expect(s.searchRequest()?.entry).toBeNull();
  });

  it("sends no request for a blank query", () => {
    const s = new QueryState();
    s.setQuery("   ");
    expect(s.searchRequest()).toBeNull();
  });

  it("treats an empty version as all versions", () => {
    const s = new QueryState();
    s.setVersion("");
    expect(s.version).toBeNull();
    s.setQuery("x");
    expect(s.searchRequest()?.version).toBeNull();
  });

  it("toggles a facet on and off", () => {
    const s = new QueryState();
    s.toggleVersion("a@1");
    expect(s.version).toBe("a@1");
    s.toggleVersion("b@2");
    expect(s.version).toBe("b@2");
    s.toggleVersion("b@2");
    expect(s.version).toBeNull();
  });

  it("reads with the query whose results are shown, not what is being typed", () => {
    const s = new QueryState();
    expect(s.readRequest("c/1")).toEqual({ clause_id: "c/1", query: null });
    s.setQuery("encryption");
    s.markShown("encryption");
    s.setQuery("encryption AND rest");
    expect(s.readRequest("c/1")).toEqual({ clause_id: "c/1", query: "encryption" });
    s.clearResults();
    expect(s.readRequest("c/1").query).toBeNull();
  });
});
