import { beforeEach, describe, expect, it } from "vitest";
import { launchFrom } from "./api";
import { startApp, type AppHandle } from "./app";
import { asNoteId, FakeApi, version } from "./testing/fixtures";
import { $, loadPage } from "./testing/page";

let api: FakeApi;
let app: AppHandle;

async function search(text: string): Promise<void> {
  $<HTMLInputElement>("#query").value = text;
  $<HTMLFormElement>("#search-form").requestSubmit();
  await app.idle();
}

/**
 * Hold back the answer to the second call of every search (the counts)
 * until the returned function is called.
 */
function holdCounts(): () => void {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const counts = api.searchCounts.bind(api);
  api.searchCounts = async (request) => {
    await gate;
    return counts(request);
  };
  return () => release();
}

/** Submit a search and let its first answer (the hits) come, not the counts. */
async function searchHitsOnly(text: string): Promise<void> {
  $<HTMLInputElement>("#query").value = text;
  $<HTMLFormElement>("#search-form").requestSubmit();
  await new Promise((r) => setTimeout(r, 0));
}

beforeEach(async () => {
  loadPage();
  performance.clearMarks();
  api = new FakeApi();
  app = startApp(document, api);
  await app.ready;
});

describe("app", () => {
  it("regression: the search box cannot submit the page as a form before the app has taken it over", async () => {
    // Enter in the search box before the script ran reloaded the page (the
    // start-up benchmark did it): the page comes with the box disabled...
    loadPage();
    expect($<HTMLInputElement>("#query").disabled).toBe(true);
    expect($<HTMLButtonElement>("#search-button").disabled).toBe(true);
    // ...and the app enables it once its submit handler is in place.
    performance.clearMarks();
    const started = startApp(document, new FakeApi());
    expect($<HTMLInputElement>("#query").disabled).toBe(false);
    expect($<HTMLButtonElement>("#search-button").disabled).toBe(false);
    // The start-up benchmark (bench/app.mjs) times the app by these marks.
    expect(performance.getEntriesByName("trustlens:search-ready")).toHaveLength(1);
    await started.ready;
    expect(performance.getEntriesByName("trustlens:corpus-ready")).toHaveLength(1);
  });

  it("started with a search (trustlens-app --search), runs it with its first calls and shows the hits", async () => {
    loadPage();
    performance.clearMarks();
    const launched = new FakeApi();
    launched.launchOptions = { search: '"Privacy Shield"' };
    const started = startApp(document, launched);
    // Sent at once, not after the versions, status and matrix have come.
    expect(launched.calls.map((c) => c.command)).toEqual(["versions", "corpus_status", "matrix_grid", "search_hits"]);
    expect(launched.calls[3].args).toMatchObject({ query: '"Privacy Shield"' });
    await started.ready;
    await started.idle();
    expect($<HTMLInputElement>("#query").value).toBe('"Privacy Shield"');
    expect(document.querySelectorAll("li.hit")).toHaveLength(3);
    // The start-up benchmark (bench/app.mjs) reads when they were shown.
    expect(performance.getEntriesByName("trustlens:first-results")).toHaveLength(1);
  });

  it("started without a search, sends none", () => {
    expect(api.calls.map((c) => c.command)).toEqual(["versions", "corpus_status", "matrix_grid"]);
    expect(document.querySelectorAll("li.hit")).toHaveLength(0);
    expect(performance.getEntriesByName("trustlens:first-results")).toHaveLength(0);
  });

  it("regression: hits that answer before the matrix show its area names, not bare keys", async () => {
    // A search sent at launch can answer before the matrix does; its hits
    // were drawn with entry keys where the area names belong.
    loadPage();
    const launched = new FakeApi();
    launched.launchOptions = { search: "privacy" };
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const grid = launched.matrixGrid.bind(launched);
    launched.matrixGrid = async () => {
      await gate;
      return grid();
    };
    const started = startApp(document, launched);
    await new Promise((r) => setTimeout(r, 0));
    expect(launched.calls.map((c) => c.command)).toContain("search_hits");
    expect(document.querySelectorAll("li.hit")).toHaveLength(0);
    release();
    await started.ready;
    await started.idle();
    const chips = [...document.querySelectorAll<HTMLElement>("li.hit .hit-entries .entry-chip")];
    expect(chips.map((c) => c.textContent)).toContain("Compliance of the customer's own use");
  });

  it("reads launch options only when the app handed over a non-empty search", () => {
    expect(launchFrom(undefined)).toEqual({ search: null });
    expect(launchFrom(null)).toEqual({ search: null });
    expect(launchFrom({ search: 42 })).toEqual({ search: null });
    expect(launchFrom({ search: "   " })).toEqual({ search: null });
    expect(launchFrom({ search: '"Privacy Shield"' })).toEqual({ search: '"Privacy Shield"' });
  });

  it("shows versions and notes that another process added when the window gets the focus back", async () => {
    api.versionList = [...api.versionList, version("2024-09-01")];
    api.status = { ...api.status, versions: 3 };
    window.dispatchEvent(new Event("focus"));
    await app.idle();
    const options = [...$<HTMLSelectElement>("#version-filter").options].map((o) => o.value);
    expect(options).toEqual(["", "heroku-spa@2016-05-06", "heroku-spa@2023-05-05", "heroku-spa@2024-09-01"]);
    expect($("#status").textContent).toContain("3 versions");
    // Nothing new: nothing is reloaded but the list itself.
    const before = api.calls.filter((c) => c.command === "corpus_status").length;
    await app.refresh();
    expect(api.calls.filter((c) => c.command === "corpus_status").length).toBe(before);
    // In the notes view, its notes are listed again.
    app.setMode("notes");
    await app.idle();
    api.noteList = [...api.noteList, { ...api.noteList[0], id: asNoteId(99), text: "from the CLI" }];
    await app.refresh();
    expect($("#notes-summary").textContent).toBe("4 notes");
  });

  it("loads versions into the filter and the corpus status into the footer", () => {
    const options = [...$<HTMLSelectElement>("#version-filter").options];
    expect(options.map((o) => o.textContent)).toEqual([
      "All versions",
      "Heroku — Security, Privacy and Architecture (2016-05-06)",
      "Heroku — Security, Privacy and Architecture (2023-05-05)",
    ]);
    expect(options[2].value).toBe("heroku-spa@2023-05-05");
    expect($("#status").textContent).toBe("Corpus: bundled · 2 versions · 20 clauses · index ready · 0 warnings");
    expect($("#error").hidden).toBe(true);
    expect($("#reader-empty").hidden).toBe(false);
  });

  it("shows the hits before the counts per version, which follow", async () => {
    const release = holdCounts();
    await searchHitsOnly("privacy");
    expect(document.querySelectorAll("li.hit").length).toBeGreaterThan(0);
    expect($("#results-summary .facets-pending")).not.toBeNull();
    expect(document.querySelectorAll("#results-summary button.facet")).toHaveLength(0);
    release();
    await app.idle();
    expect(document.querySelector("#results-summary .facets-pending")).toBeNull();
    expect(document.querySelectorAll("#results-summary button.facet").length).toBeGreaterThan(0);
  });

  it("regression: a search without hits in the chosen version still shows which versions match", async () => {
    // The counts used to come only with hits: filtered to a version without
    // any, the other versions' counts (and the way back) were gone.
    api.hits = api.hits.filter((h) => h.version !== "heroku-spa@2016-05-06");
    $<HTMLSelectElement>("#version-filter").value = "heroku-spa@2016-05-06";
    await search("privacy");
    expect(document.querySelectorAll("li.hit")).toHaveLength(0);
    const facets = [...document.querySelectorAll<HTMLButtonElement>("#results-summary button.facet")];
    expect(facets.map((b) => b.dataset.version)).toEqual(["heroku-spa@2023-05-05"]);
  });

  it("shows a lower bound of the matches until the counts give their number", async () => {
    api.hitsNotCounted = true;
    const release = holdCounts();
    await searchHitsOnly('"privacy shield data"');
    expect($("#results-summary .summary-count").textContent).toBe("at least 1 hit");
    release();
    await app.idle();
    expect($("#results-summary .summary-count").textContent).toBe("3 hits (showing 1)");
  });

  it("keeps a lower bound of the matches when counting them fails", async () => {
    api.hitsNotCounted = true;
    api.failCounts = { code: "index", message: "index damaged" };
    await search('"privacy shield data"');
    expect($("#results-summary .summary-count").textContent).toBe("at least 1 hit");
  });

  it("keeps the hits when counting them per version fails", async () => {
    api.failCounts = { code: "index", message: "index damaged" };
    await search("privacy");
    expect(document.querySelectorAll("li.hit").length).toBeGreaterThan(0);
    expect($("#error").hidden).toBe(false);
    expect($("#error").textContent).toContain("index damaged");
    expect(document.querySelector("#results-summary .facets-pending")).toBeNull();
  });

  it("searches, lists hits with facets, and opens a hit in the reader", async () => {
    await search('"Privacy Shield"');
    const request = {
      query: '"Privacy Shield"',
      version: null,
      section: null,
      limit: 200,
      entry: null,
      as_of: null,
      by_lineage: false,
    };
    // The hits first, then the counts for the same request.
    expect(api.calls.filter((c) => c.command.startsWith("search"))).toEqual([
      { command: "search_hits", args: request },
      { command: "search_counts", args: request },
    ]);
    const items = document.querySelectorAll<HTMLLIElement>("li.hit");
    expect(items).toHaveLength(3);
    expect($("#results-summary .summary-count").textContent).toBe("3 hits");
    expect(document.querySelectorAll("#results-summary button.facet")).toHaveLength(2);
    expect($("#prev-hit").matches(":disabled")).toBe(true);
    expect($("#next-hit").matches(":disabled")).toBe(false);

    items[0].click();
    await app.idle();
    expect(items[0].classList.contains("selected")).toBe(true);
    expect(api.calls.at(-1)).toEqual({
      command: "read",
      args: { clause_id: "heroku-spa@2023-05-05/privacy/1", query: '"Privacy Shield"' },
    });
    const focus = $("#reader .clause.focus");
    expect(focus.dataset.clauseId).toBe("heroku-spa@2023-05-05/privacy/1");
    expect(focus.textContent).toContain("Privacy Shield");
    expect(focus.querySelector("mark")).not.toBeNull();
    expect($("#reader-version").textContent).toContain("2023-05-05");
    expect($("#reader-empty").hidden).toBe(true);
    expect($("#hit-position").textContent).toBe("1 / 3");
  });

  it("moves through hits with the buttons and keys, clamping at the ends", async () => {
    await search("privacy");
    $("#next-hit").click();
    await app.idle();
    expect($("#reader .clause.focus").dataset.clauseId).toBe("heroku-spa@2023-05-05/privacy/1");

    document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "n", bubbles: true }));
    await app.idle();
    expect($("#reader .clause.focus").dataset.clauseId).toBe("heroku-spa@2016-05-06/privacy/2");
    expect($("#reader-version").textContent).toContain("2016-05-06");

    $("#next-hit").click();
    await app.idle();
    expect($("li.hit.selected").dataset.index).toBe("2");
    expect($("#next-hit").matches(":disabled")).toBe(true);
    const reads = api.calls.filter((c) => c.command === "read").length;
    document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "j", bubbles: true }));
    await app.idle();
    expect(api.calls.filter((c) => c.command === "read")).toHaveLength(reads);

    document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "k", bubbles: true }));
    await app.idle();
    expect($("li.hit.selected").dataset.index).toBe("1");
  });

  it("does not navigate while typing, and / focuses the search box", async () => {
    await search("privacy");
    const query = $<HTMLInputElement>("#query");
    query.dispatchEvent(new KeyboardEvent("keydown", { key: "n", bubbles: true }));
    await app.idle();
    expect(document.querySelector("li.hit.selected")).toBeNull();
    $<HTMLButtonElement>("#search-button").focus();
    document.activeElement?.dispatchEvent(new KeyboardEvent("keydown", { key: "/", bubbles: true }));
    expect(document.activeElement).toBe(query);
  });

  it("opens a focused hit with Enter", async () => {
    await search("privacy");
    const second = document.querySelectorAll<HTMLLIElement>("li.hit")[1];
    second.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    await app.idle();
    expect(second.classList.contains("selected")).toBe(true);
    expect($("#reader .clause.focus").dataset.clauseId).toBe("heroku-spa@2016-05-06/privacy/2");
  });

  it("filters by version from a facet and from the select", async () => {
    await search("privacy");
    $<HTMLButtonElement>('#results-summary button.facet[data-version="heroku-spa@2016-05-06"]').click();
    await app.idle();
    expect($<HTMLSelectElement>("#version-filter").value).toBe("heroku-spa@2016-05-06");
    expect(document.querySelectorAll("li.hit")).toHaveLength(1);
    expect((api.calls.at(-1)?.args as { version: string }).version).toBe("heroku-spa@2016-05-06");

    // Clicking the active facet goes back to all versions.
    $<HTMLButtonElement>('#results-summary button.facet[data-version="heroku-spa@2016-05-06"]').click();
    await app.idle();
    expect($<HTMLSelectElement>("#version-filter").value).toBe("");
    expect(document.querySelectorAll("li.hit")).toHaveLength(3);

    const select = $<HTMLSelectElement>("#version-filter");
    select.value = "heroku-spa@2023-05-05";
    select.dispatchEvent(new Event("change"));
    await app.idle();
    expect(document.querySelectorAll("li.hit")).toHaveLength(2);
  });

  it("shows each hit's matrix entries as chips", async () => {
    await search("privacy");
    const items = document.querySelectorAll<HTMLLIElement>("li.hit");
    const chips = [...items[0].querySelectorAll<HTMLElement>(".hit-entries .entry-chip")];
    expect(chips.map((c) => c.textContent)).toEqual(["Compliance of the customer's own use"]);
    expect(chips[0].dataset.entry).toBe("cloud-shared-responsibility/customer-compliance");
    // A hit linked to no entry has no chip row.
    expect(items[2].querySelector(".hit-entries")).toBeNull();
  });

  it("filters by matrix entry from the select", async () => {
    const select = $<HTMLSelectElement>("#entry-filter");
    expect([...select.options].map((o) => o.textContent)).toEqual([
      "All matrix entries",
      "Physical security",
      "Network security",
      "Encryption at rest and key management",
      "Sensitive and regulated data",
      "Compliance of the customer's own use",
      "Backup and replication",
    ]);
    // Before any search, changing the filter does not search.
    select.value = "cloud-shared-responsibility/customer-compliance";
    select.dispatchEvent(new Event("change"));
    await app.idle();
    expect(api.calls.some((c) => c.command.startsWith("search"))).toBe(false);

    await search("privacy");
    expect((api.calls.at(-1)?.args as { entry: string | null }).entry).toBe(
      "cloud-shared-responsibility/customer-compliance",
    );
    expect(document.querySelectorAll("li.hit")).toHaveLength(2);

    select.value = "cloud-shared-responsibility/physical-security";
    select.dispatchEvent(new Event("change"));
    await app.idle();
    expect(api.calls.at(-1)?.args).toEqual({
      query: "privacy",
      version: null,
      section: null,
      limit: 200,
      entry: "cloud-shared-responsibility/physical-security",
      as_of: null,
      by_lineage: false,
    });
    expect(document.querySelectorAll("li.hit")).toHaveLength(0);

    select.value = "";
    select.dispatchEvent(new Event("change"));
    await app.idle();
    expect((api.calls.at(-1)?.args as { entry: string | null }).entry).toBeNull();
    expect(document.querySelectorAll("li.hit")).toHaveLength(3);
  });

  it("keeps the entry filter across a reload of the matrix, dropping an entry that is gone", async () => {
    const select = $<HTMLSelectElement>("#entry-filter");
    select.value = "cloud-shared-responsibility/backup-replication";
    select.dispatchEvent(new Event("change"));
    await app.changeCorpus("/data/corpus");
    expect(select.value).toBe("cloud-shared-responsibility/backup-replication");
    api.entries = api.entries.filter((e) => e.id !== "backup-replication");
    await app.changeCorpus(null);
    expect(select.value).toBe("");
    await search("privacy");
    expect((api.calls.at(-1)?.args as { entry: string | null }).entry).toBeNull();
  });

  it("shows backend errors in the alert banner, with the bad query's message", async () => {
    api.failSearch = { code: "bad_query", message: "unbalanced quote in query" };
    await search('"Privacy');
    const banner = $("#error");
    expect(banner.hidden).toBe(false);
    expect(banner.getAttribute("role")).toBe("alert");
    expect($("#error-code").textContent).toBe("bad_query");
    expect($("#error-message").textContent).toBe("unbalanced quote in query");
    expect(document.querySelectorAll("li.hit")).toHaveLength(0);

    api.failSearch = null;
    await search("privacy");
    expect(banner.hidden).toBe(true);
  });

  it("shows a load failure instead of swallowing it", async () => {
    loadPage();
    const failing = new FakeApi();
    failing.corpusStatus = async () => {
      throw { code: "corpus", message: "corpus directory is unreadable" };
    };
    const other = startApp(document, failing);
    await other.ready;
    expect($("#error").hidden).toBe(false);
    expect($("#error-message").textContent).toContain("corpus directory is unreadable");
  });

  it("lists corpus warnings on demand", async () => {
    loadPage();
    const warned = new FakeApi();
    warned.status = { ...warned.status, warnings: ["clause without text in x.md", "unknown front matter key"] };
    const other = startApp(document, warned);
    await other.ready;
    expect($("#status").textContent).toContain("2 warnings");
    expect($("#status").title).toContain("unknown front matter key");
    const toggle = $<HTMLButtonElement>("#warnings-toggle");
    expect(toggle.hidden).toBe(false);
    toggle.click();
    expect($("#warnings-list").hidden).toBe(false);
    expect(document.querySelectorAll("#warnings-list li")).toHaveLength(2);
  });

  it("changes and resets the corpus directory, reloading and clearing results", async () => {
    await search("privacy");
    document.querySelectorAll<HTMLLIElement>("li.hit")[0].click();
    await app.idle();

    $("#settings-button").click();
    $<HTMLInputElement>("#corpus-dir").value = "  /data/corpus  ";
    $("#corpus-apply").click();
    await app.idle();
    expect(api.calls.filter((c) => c.command === "set_corpus_dir").map((c) => c.args)).toEqual(["/data/corpus"]);
    expect(document.querySelectorAll("li.hit")).toHaveLength(0);
    expect($("#reader-empty").hidden).toBe(false);
    expect($("#status").textContent).toContain("Corpus: /data/corpus");
    expect(api.calls.slice(-2).map((c) => c.command)).toEqual(["versions", "corpus_status"]);

    $("#corpus-reset").click();
    await app.idle();
    expect(api.calls.filter((c) => c.command === "set_corpus_dir").map((c) => c.args)).toEqual([
      "/data/corpus",
      null,
    ]);
    expect($("#status").textContent).toContain("Corpus: bundled");
  });

  it("asks for a path instead of applying an empty corpus directory", async () => {
    $("#settings-button").click();
    $<HTMLInputElement>("#corpus-dir").value = "   ";
    $("#corpus-apply").click();
    await app.idle();
    expect(api.calls.some((c) => c.command === "set_corpus_dir")).toBe(false);
    expect($("#settings-error").hidden).toBe(false);
  });

  it("shows and saves when imports read PDF pages with OCR", async () => {
    api.savedSettings = { corpus_dir: null, ocr: "always" };
    $("#settings-button").click();
    await app.idle();
    const select = $<HTMLSelectElement>("#ocr-mode");
    expect(select.value).toBe("always");
    select.value = "never";
    select.dispatchEvent(new Event("change"));
    await app.idle();
    expect(api.calls.filter((c) => c.command === "set_ocr_mode").map((c) => c.args)).toEqual(["never"]);
    expect(api.savedSettings.ocr).toBe("never");
  });

  it("marks a hit read by OCR, with its confidence", async () => {
    api.hits = [{ ...api.hits[0], ocr: 87 }, api.hits[1]];
    await search("privacy");
    const marks = document.querySelectorAll<HTMLElement>("li.hit .ocr-mark");
    expect(marks).toHaveLength(1);
    expect(marks[0].textContent).toBe("OCR");
    expect(marks[0].title).toContain("Read by OCR (87 % confidence)");
  });

  it("keeps hostile document text inert end to end", async () => {
    api.hits = [
      {
        ...api.hits[0],
        section: ["<img src=x onerror=alert(1)>"],
        snippet: [{ text: "<img src=x onerror=alert(1)>", hit: true }],
      },
    ];
    await search("img");
    expect(document.querySelector("#results img")).toBeNull();
    expect($("li.hit .hit-snippet mark").textContent).toBe("<img src=x onerror=alert(1)>");
    expect($("li.hit .hit-section").textContent).toBe("<img src=x onerror=alert(1)>");
  });
});
