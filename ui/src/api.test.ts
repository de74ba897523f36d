import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { ApiFailure, tauriApi, toApiError } from "./api";
import { STATUS, VERSIONS } from "./testing/fixtures";

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
        case "search":
          return { query: "q", total: 0, hits: [], facets: [] };
        case "read":
          return { version: VERSIONS[0], focus: "x", blocks: [] };
      }
      throw { code: "unknown_command", message: cmd };
    });

    expect(await tauriApi.versions()).toEqual(VERSIONS);
    await tauriApi.search({ query: "q", version: null, section: null, limit: 5 });
    await tauriApi.read({ clause_id: "a@1/b/2", query: "q" });
    await tauriApi.corpusStatus();
    await tauriApi.setCorpusDir("/tmp/corpus");
    await tauriApi.setCorpusDir(null);

    expect(seen.map(([cmd]) => cmd)).toEqual([
      "versions",
      "search",
      "read",
      "corpus_status",
      "set_corpus_dir",
      "set_corpus_dir",
    ]);
    expect(seen[1][1]).toEqual({ request: { query: "q", version: null, section: null, limit: 5 } });
    expect(seen[2][1]).toEqual({ request: { clause_id: "a@1/b/2", query: "q" } });
    expect(seen[4][1]).toEqual({ dir: "/tmp/corpus" });
    expect(seen[5][1]).toEqual({ dir: null });
  });

  it("rejects with the backend's ApiError fields", async () => {
    mockIPC(() => {
      throw { code: "bad_query", message: "unbalanced quote at 1" };
    });
    const failure = await tauriApi.search({ query: '"x', version: null, section: null, limit: null }).catch((e) => e);
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
