import { emit } from "@tauri-apps/api/event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { ApiFailure, tauriApi, toApiError } from "./api";
import type { WatchOutcome } from "./bindings/WatchOutcome";
import {
  coverage,
  lineageFor,
  matrixDiff,
  matrixGrid,
  sampleNotes,
  sourceView,
  STATUS,
  termsCompared,
  termSheet,
  VERSIONS,
  watchOutcome,
} from "./testing/fixtures";

afterEach(() => clearMocks());

describe("tauriApi", () => {
  it("calls the commands by name with named arguments", async () => {
    const seen: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      switch (cmd) {
        case "versions":
          return VERSIONS;
        case "corpus_status":
        case "set_corpus_dir":
          return STATUS;
        case "search_hits":
        case "search_counts":
          return {
            query: "q",
            total: 0,
            total_exact: true,
            hits: [],
            facets: [],
            entry_facets: [],
            counted: cmd === "search_counts",
          };
        case "read":
          return { version: VERSIONS[0], focus: "x", blocks: [] };
        case "matrix_grid":
          return matrixGrid(VERSIONS);
        case "matrix_coverage":
          return coverage(VERSIONS[1]);
        case "matrix_diff":
          return matrixDiff(VERSIONS[0].id, VERSIONS[1].id);
        case "set_link":
          return [];
      }
      throw { code: "unknown_command", message: cmd };
    });

    expect(await tauriApi.versions()).toEqual(VERSIONS);
    const request = {
      query: "q",
      version: null,
      section: null,
      limit: 5,
      entry: "physical-security",
      as_of: null,
      by_lineage: false,
    };
    await tauriApi.searchHits(request);
    await tauriApi.searchCounts(request);
    await tauriApi.read({ clause_id: "a@1/b/2", query: "q" });
    await tauriApi.corpusStatus();
    await tauriApi.setCorpusDir("/tmp/corpus");
    await tauriApi.setCorpusDir(null);

    expect(seen.map(([cmd]) => cmd)).toEqual([
      "versions",
      "search_hits",
      "search_counts",
      "read",
      "corpus_status",
      "set_corpus_dir",
      "set_corpus_dir",
    ]);
    expect(seen[2][1]).toEqual(seen[1][1]);
    expect(seen[1][1]).toEqual({
      request: {
        query: "q",
        version: null,
        section: null,
        limit: 5,
        entry: "physical-security",
        as_of: null,
        by_lineage: false,
      },
    });
    expect(seen[3][1]).toEqual({ request: { clause_id: "a@1/b/2", query: "q" } });
    expect(seen[5][1]).toEqual({ dir: "/tmp/corpus" });
    expect(seen[6][1]).toEqual({ dir: null });
  });

  it("calls the matrix and link commands with the backend's argument names", async () => {
    const seen: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      switch (cmd) {
        case "matrix_grid":
          return matrixGrid(VERSIONS);
        case "matrix_coverage":
          return coverage(VERSIONS[1]);
        case "matrix_diff":
          return matrixDiff(VERSIONS[0].id, VERSIONS[1].id);
        case "set_link":
          return [];
      }
      throw { code: "unknown_command", message: cmd };
    });
    const grid = await tauriApi.matrixGrid();
    expect(grid.counts).toHaveLength(grid.entries.length);
    expect((await tauriApi.matrixCoverage("heroku-spa@2023-05-05")).version.id).toBe("heroku-spa@2023-05-05");
    await tauriApi.matrixDiff({ old: "a@1", new: "a@2" });
    await tauriApi.setLink({ clause_id: "a@2/b/1", entry: "m/e", action: "unlink" });
    await tauriApi.setLink({ clause_id: "a@2/b/1", entry: "m/e", action: null });
    expect(seen).toEqual([
      ["matrix_grid", {}],
      ["matrix_coverage", { version: "heroku-spa@2023-05-05" }],
      ["matrix_diff", { request: { old: "a@1", new: "a@2" } }],
      ["set_link", { request: { clause_id: "a@2/b/1", entry: "m/e", action: "unlink" } }],
      ["set_link", { request: { clause_id: "a@2/b/1", entry: "m/e", action: null } }],
    ]);
  });

  it("calls the key terms commands with the backend's argument names", async () => {
    const seen: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      switch (cmd) {
        case "terms":
          return termSheet(VERSIONS[1]);
        case "terms_compared":
          return termsCompared(VERSIONS[0].id, VERSIONS[1].id);
      }
      throw { code: "unknown_command", message: cmd };
    });
    expect((await tauriApi.terms(VERSIONS[1].id)).topics).toHaveLength(2);
    expect((await tauriApi.termsCompared({ old: "a@1", new: "a@2" })).topics).toHaveLength(2);
    expect(seen).toEqual([
      ["terms", { version: VERSIONS[1].id }],
      ["terms_compared", { request: { old: "a@1", new: "a@2" } }],
    ]);
  });

  it("calls the notes, export, memo and history commands with the backend's argument names", async () => {
    const seen: Array<[string, unknown]> = [];
    const notes = sampleNotes();
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      switch (cmd) {
        case "add_note":
        case "edit_note":
          return notes[0];
        case "notes":
          return notes;
        case "delete_note": {
          const { citation: _c, clause_text: _t, entries: _e, ...note } = notes[0];
          return note;
        }
        case "export_preview":
        case "memo":
          return "# text";
        case "export_to_file":
          return "/tmp/out.md";
        case "history":
          return lineageFor("heroku-spa@2023-05-05/privacy/1");
      }
      throw { code: "unknown_command", message: cmd };
    });
    const filter = { tag: "gdpr", status: null, version: null, entry: null, clause_id: null };
    const request = { selection: { kind: "notes" as const, filter }, format: "csv" as const };
    const note = { clause_id: "a@1/b/1", text: "t", tags: ["x"], quote: "b", status: null };
    expect(Number((await tauriApi.addNote(note)).id)).toBe(1);
    expect(await tauriApi.notes(filter)).toHaveLength(3);
    await tauriApi.editNote(1, { text: null, tags: null, status: "reviewed" });
    await tauriApi.deleteNote(1);
    expect(await tauriApi.exportPreview(request)).toBe("# text");
    expect(await tauriApi.exportToFile(request, "/tmp/out.md", true)).toBe("/tmp/out.md");
    await tauriApi.memo({ old: "a@1", new: "a@2" }, "html");
    expect((await tauriApi.history("heroku-spa@2023-05-05/privacy/1")).steps).toHaveLength(2);
    expect(seen).toEqual([
      ["add_note", { note }],
      ["notes", { filter }],
      ["edit_note", { id: 1, edit: { text: null, tags: null, status: "reviewed" } }],
      ["delete_note", { id: 1 }],
      ["export_preview", { request }],
      ["export_to_file", { request, path: "/tmp/out.md", force: true }],
      ["memo", { request: { old: "a@1", new: "a@2" }, format: "html" }],
      // Tauri matches arguments in camelCase: the Rust parameter is `clause_id`.
      ["history", { clauseId: "heroku-spa@2023-05-05/privacy/1" }],
    ]);
  });

  it("calls the watch commands with the backend's argument names", async () => {
    const seen: Array<[string, unknown]> = [];
    const source = sourceView("acme");
    const stored = { id: "acme", url: source.url, vendor: source.vendor, document: source.document, every: "1d" };
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      switch (cmd) {
        case "watch_list":
          return [source];
        case "watch_add":
        case "watch_remove":
          return stored;
        case "watch_run":
          return [watchOutcome(source, "unchanged")];
      }
      throw { code: "unknown_command", message: cmd };
    });
    const added = { url: source.url, vendor: "Acme", document: "Security Overview", select: null, remove: [], ignore: [], every: null };
    expect(await tauriApi.watchList()).toEqual([source]);
    expect(await tauriApi.watchAdd(added)).toEqual(stored);
    await tauriApi.watchRun({ source: "acme", due_only: false });
    await tauriApi.watchRun({ source: null, due_only: false });
    expect((await tauriApi.watchRemove("acme")).id).toBe("acme");
    expect(seen).toEqual([
      ["watch_list", {}],
      ["watch_add", { source: added }],
      ["watch_run", { request: { source: "acme", due_only: false } }],
      ["watch_run", { request: { source: null, due_only: false } }],
      ["watch_remove", { id: "acme" }],
    ]);
  });

  it("hands on the outcomes of the scheduler's checks (the watch-checked event)", async () => {
    mockIPC(() => undefined, { shouldMockEvents: true });
    const heard: WatchOutcome[][] = [];
    tauriApi.onWatchChecked((outcomes) => heard.push(outcomes));
    // listen() registers through IPC: let it settle before the event comes.
    await new Promise((r) => setTimeout(r, 0));
    const outcomes = [watchOutcome(sourceView("acme"), "new_version")];
    await emit("watch-checked", outcomes);
    expect(heard).toEqual([outcomes]);
  });

  it("rejects an existing export file with code exists", async () => {
    mockIPC(() => {
      throw { code: "exists", message: "/tmp/out.md exists: use --force to replace it" };
    });
    const request = { selection: { kind: "changes" as const, old: "a@1", new: "a@2" }, format: "md" as const };
    const failure = await tauriApi.exportToFile(request, "/tmp/out.md", false).catch((e) => e);
    expect(toApiError(failure)).toEqual({ code: "exists", message: "/tmp/out.md exists: use --force to replace it" });
  });

  it("rejects with the backend's ApiError fields", async () => {
    mockIPC(() => {
      throw { code: "bad_query", message: "unbalanced quote at 1" };
    });
    const failure = await tauriApi
      .searchHits({ query: '"x', version: null, section: null, limit: null, entry: null, as_of: null, by_lineage: false })
      .catch((e) => e);
    expect(failure).toBeInstanceOf(ApiFailure);
    expect(failure.code).toBe("bad_query");
    expect(failure.message).toBe("unbalanced quote at 1");
  });
});

describe("toApiError", () => {
  it("keeps ApiError objects and normalises everything else", () => {
    expect(toApiError({ code: "not_found", message: "no clause" })).toEqual({ code: "not_found", message: "no clause" });
    expect(toApiError(new ApiFailure({ code: "corpus", message: "bad dir" }))).toEqual({
      code: "corpus",
      message: "bad dir",
    });
    expect(toApiError("plain string")).toEqual({ code: "internal", message: "plain string" });
    expect(toApiError(new TypeError("boom"))).toEqual({ code: "internal", message: "boom" });
    expect(toApiError({ code: 3 })).toEqual({ code: "internal", message: '{"code":3}' });
    expect(toApiError(undefined).code).toBe("internal");
  });
});
