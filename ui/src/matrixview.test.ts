import { beforeEach, describe, expect, it } from "vitest";
import { startApp, type AppHandle } from "./app";
import { ENTRIES, entryKey, FakeApi } from "./testing/fixtures";
import { $, loadPage } from "./testing/page";

const all = <T extends HTMLElement = HTMLElement>(sel: string) => [...document.querySelectorAll<T>(sel)];

const OLD = "heroku-spa@2016-05-06";
const NEW = "heroku-spa@2023-05-05";
const BACKUPS = entryKey("backup-replication");

let api: FakeApi;
let app: AppHandle;

function cell(entry: string, version: string): HTMLButtonElement {
  return $<HTMLButtonElement>(`#matrix-grid button.matrix-cell[data-entry="${entry}"][data-version="${version}"]`);
}

async function pick(entry: string, version: string): Promise<void> {
  cell(entry, version).click();
  await app.idle();
}

function key(k: string): void {
  // Not cancelable: the listeners of earlier tests' apps share this document.
  document.body.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
}

const counts = (entry: string) =>
  all<HTMLButtonElement>(`#matrix-body tr[data-entry="${entry}"] button.matrix-cell`).map((b) => b.textContent);

beforeEach(async () => {
  loadPage();
  api = new FakeApi();
  app = startApp(document, api);
  await app.ready;
  $<HTMLButtonElement>("#mode-matrix").click();
});

describe("matrix view", () => {
  it("is a third tab that hides the search form", () => {
    expect($("#matrix-view").hidden).toBe(false);
    expect($("#search-view").hidden).toBe(true);
    expect($("#compare-view").hidden).toBe(true);
    expect($("#search-form").hidden).toBe(true);
    expect($("#mode-matrix").getAttribute("aria-selected")).toBe("true");
    expect($("#mode-search").getAttribute("aria-selected")).toBe("false");
    expect($("#mode-matrix").classList.contains("active")).toBe(true);
    $<HTMLButtonElement>("#mode-compare").click();
    expect($("#matrix-view").hidden).toBe(true);
    expect($("#mode-matrix").getAttribute("aria-selected")).toBe("false");
  });

  it("renders one row per entry and one column per version, with counts", () => {
    expect(api.calls.filter((c) => c.command === "matrix_grid")).toHaveLength(1);
    expect($("#matrix-summary").textContent).toBe(
      `Shared responsibility for cloud platforms · ${ENTRIES.length} entries × 2 versions`,
    );
    const rows = all("#matrix-body tr.matrix-row");
    expect(rows.map((r) => r.dataset.entry)).toEqual(ENTRIES.map((e) => e.key));
    expect(rows.map((r) => r.querySelector(".matrix-area")?.textContent)).toEqual(ENTRIES.map((e) => e.area));
    expect(all("#matrix-head th.matrix-col").map((th) => th.textContent)).toEqual(["2016-05-06", "2023-05-05"]);
    expect($("#matrix-head th.matrix-col").title).toBe("Heroku — Security, Privacy and Architecture (2016-05-06)");
    expect(all("#matrix-body button.matrix-cell")).toHaveLength(ENTRIES.length * 2);

    expect(counts(entryKey("physical-security"))).toEqual(["1", "0"]);
    expect(counts(entryKey("network-security"))).toEqual(["0", "0"]);
    expect(counts(entryKey("encryption-at-rest"))).toEqual(["0", "1"]);
    expect(counts(BACKUPS)).toEqual(["1", "1"]);
    expect(cell(entryKey("network-security"), NEW).classList.contains("zero")).toBe(true);
    expect(cell(BACKUPS, NEW).classList.contains("zero")).toBe(false);
    expect(cell(BACKUPS, NEW).getAttribute("aria-label")).toBe(
      "1 clause of 2023-05-05 linked to Backup and replication",
    );

    const physical = $(`#matrix-body tr[data-entry="${entryKey("physical-security")}"]`);
    expect(physical.querySelector(".owner-badge")?.className).toBe("owner-badge owner-provider");
    expect(physical.querySelector(".owner-badge")?.textContent).toBe("Provider");
    expect(physical.title).toContain("Provider: Runs the data centres");
    expect(physical.title).toContain("Customer: Nothing to do for the provider's facilities.");
    expect($(`#matrix-body tr[data-entry="${BACKUPS}"] .owner-badge`).classList.contains("owner-shared")).toBe(true);
  });

  it("shows a picked cell's entry and the linked clauses of that version", async () => {
    expect($("#matrix-detail-empty").hidden).toBe(false);
    await pick(BACKUPS, NEW);
    expect(api.calls.filter((c) => c.command === "matrix_coverage").map((c) => c.args)).toEqual([NEW]);
    expect(cell(BACKUPS, NEW).classList.contains("selected")).toBe(true);
    expect(cell(BACKUPS, NEW).getAttribute("aria-pressed")).toBe("true");
    expect($("#matrix-detail-empty").hidden).toBe(true);
    expect($("#matrix-detail .detail-area").textContent).toBe("Backup and replication");
    expect($("#matrix-detail .owner-badge").textContent).toBe("Shared");
    expect($("#matrix-detail .detail-provider").textContent).toBe("The provider's part of backup and replication.");
    expect($("#matrix-detail .detail-customer").textContent).toBe("The customer's part of backup and replication.");
    expect($("#matrix-detail .version-badge").textContent).toBe("2023-05-05");

    const items = all("#matrix-detail li.linked-clause");
    expect(items.map((li) => li.dataset.clauseId)).toEqual([`${NEW}/backups/1`]);
    const item = items[0];
    expect(item.querySelector(".link-source")?.textContent).toBe("auto 0.90");
    expect(item.querySelector(".link-source")?.classList.contains("auto")).toBe(true);
    expect(item.querySelector(".linked-section")?.textContent).toBe("Security › Backups");
    expect(item.querySelector(".linked-pages")?.textContent).toBe("p. 4");
    expect(item.querySelector(".linked-text")?.textContent).toBe("We back up data daily.");
    expect(item.querySelector(".linked-reason")?.textContent).toBe("rule 1 matched “back up”");

    // Another entry of the same version: the coverage is not fetched again.
    await pick(entryKey("encryption-at-rest"), NEW);
    expect(api.calls.filter((c) => c.command === "matrix_coverage")).toHaveLength(1);
    expect(cell(BACKUPS, NEW).classList.contains("selected")).toBe(false);
    expect($("#matrix-detail li.linked-clause .link-source").textContent).toBe("manual");
    expect($("#matrix-detail .detail-refs").textContent).toBe("ISO/IEC 27001:2022 A.8.24");
  });

  it("shows per-model notes, and says so when no clause supports the entry", async () => {
    await pick(entryKey("network-security"), OLD);
    expect(all("#matrix-detail .detail-models dt").map((d) => d.textContent)).toEqual(["IaaS", "PaaS"]);
    expect($("#matrix-detail .detail-models").textContent).toContain("virtual networks");
    expect(all("#matrix-detail li.linked-clause")).toHaveLength(0);
    expect($("#matrix-detail li.no-clauses").textContent).toBe("No clause of this version is linked to this area.");
    await pick(entryKey("physical-security"), OLD);
    expect(document.querySelector("#matrix-detail .detail-models")).toBeNull();
    expect(all("#matrix-detail .detail-refs li").map((li) => li.textContent)).toEqual([
      "ISO/IEC 27001:2022 A.7.1",
      "PCI DSS v4.0 Req. 9",
    ]);
  });

  it("opens a linked clause in the reader", async () => {
    await pick(BACKUPS, NEW);
    $("#matrix-detail li.linked-clause").click();
    await app.idle();
    expect($("#search-view").hidden).toBe(false);
    expect($("#matrix-view").hidden).toBe(true);
    expect($("#mode-search").getAttribute("aria-selected")).toBe("true");
    expect(api.calls.at(-1)).toEqual({ command: "read", args: { clause_id: `${NEW}/backups/1`, query: null } });
    expect($("#reader .clause.focus").dataset.clauseId).toBe(`${NEW}/backups/1`);
    expect($("#reader-version").textContent).toContain("2023-05-05");
  });

  it("opens a linked clause with Enter, and deselects any hit", async () => {
    $<HTMLButtonElement>("#mode-search").click();
    $<HTMLInputElement>("#query").value = "privacy";
    $<HTMLFormElement>("#search-form").requestSubmit();
    await app.idle();
    all("li.hit")[0].click();
    await app.idle();
    expect(document.querySelector("li.hit.selected")).not.toBeNull();

    $<HTMLButtonElement>("#mode-matrix").click();
    await pick(entryKey("sensitive-regulated-data"), OLD);
    $("#matrix-detail li.linked-clause").dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    await app.idle();
    expect($("#reader .clause.focus").dataset.clauseId).toBe(`${OLD}/sensitive/1`);
    expect(document.querySelector("li.hit.selected")).toBeNull();
    expect($("#hit-position").textContent).toBe("");
    // n starts again from the first hit.
    key("n");
    await app.idle();
    expect($("li.hit.selected").dataset.index).toBe("0");
  });

  it("moves between counts with the arrow keys", () => {
    const first = cell(ENTRIES[0].key, OLD);
    first.focus();
    first.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
    expect(document.activeElement).toBe(cell(ENTRIES[0].key, NEW));
    document.activeElement?.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    expect(document.activeElement).toBe(cell(ENTRIES[1].key, NEW));
  });

  it("n and p do nothing here; / goes to search", async () => {
    await pick(BACKUPS, NEW);
    const before = api.calls.length;
    key("n");
    key("p");
    await app.idle();
    expect(api.calls).toHaveLength(before);
    expect($("#matrix-view").hidden).toBe(false);
    key("/");
    expect($("#search-view").hidden).toBe(false);
    expect(document.activeElement?.id).toBe("query");
  });

  it("shows a coverage failure in the error banner", async () => {
    api.failMatrix = { code: "not_found", message: 'no version "heroku-spa@2023-05-05"' };
    await pick(BACKUPS, NEW);
    expect($("#error").hidden).toBe(false);
    expect($("#error-message").textContent).toContain("Could not load the matrix coverage");
    expect($("#matrix-detail-empty").textContent).toContain("Could not load the clauses");
  });

  it("says when the matrix is unavailable, and search still works", async () => {
    loadPage();
    const broken = new FakeApi();
    broken.failMatrix = { code: "corpus", message: "matrix.toml line 3: unknown owner \"both\"" };
    const other = startApp(document, broken);
    await other.ready;
    expect($("#error").hidden).toBe(false);
    expect($("#error-message").textContent).toContain('unknown owner "both"');
    expect($("#matrix-summary").textContent).toContain("The responsibility matrix is unavailable");
    expect(all("#matrix-body tr")).toHaveLength(0);
    expect($<HTMLSelectElement>("#entry-filter").disabled).toBe(true);
    await other.openClause(`${NEW}/privacy/1`);
    expect(document.querySelector("#reader .clause.focus select.link-add")).toBeNull();
  });

  it("keeps hostile entry and document text inert", async () => {
    const evil = "<img src=x onerror=alert(1)>";
    api.entries = api.entries.map((e) =>
      e.key === BACKUPS ? { ...e, area: evil, provider: evil, references: [evil] } : e,
    );
    api.links = api.links.map((l) => (l.entry === BACKUPS ? { ...l, reason: evil } : l));
    api.texts[`${NEW}/backups/1`] = evil;
    await app.changeCorpus(null);
    $<HTMLButtonElement>("#mode-matrix").click();
    await pick(BACKUPS, NEW);
    expect($(`#matrix-body tr[data-entry="${BACKUPS}"] .matrix-area`).textContent).toBe(evil);
    expect($("#matrix-detail .detail-area").textContent).toBe(evil);
    expect($("#matrix-detail .linked-text").textContent).toBe(evil);
    expect($("#matrix-detail .linked-reason").textContent).toBe(evil);
    expect(document.querySelector("#matrix-view img")).toBeNull();

    $("#matrix-detail li.linked-clause").click();
    await app.idle();
    const chip = $(`#reader .clause.focus .link-chip[data-entry="${BACKUPS}"]`);
    expect(chip.querySelector(".link-chip-label")?.textContent).toBe(evil);
    expect(chip.title).toBe(`${evil} (confidence 0.90)`);
    expect(chip.querySelector("button")?.getAttribute("aria-label")).toBe(`Unlink ${evil}`);
    const options = [...$<HTMLSelectElement>("#reader .clause.focus select.link-add").options];
    expect(options.map((o) => o.textContent)).toContain(evil);
    expect(document.querySelector("#reader img")).toBeNull();
  });
});

describe("reader links", () => {
  const CLAUSE = `${NEW}/backups/1`;

  async function read(clauseId = CLAUSE): Promise<HTMLElement> {
    await app.openClause(clauseId);
    return $("#reader .clause.focus");
  }

  const chips = (clause: Element) =>
    [...clause.querySelectorAll<HTMLElement>(".link-chip")].map((c) => [c.dataset.entry, c.className]);

  it("shows each clause's links as chips, and a link select on the focused clause only", async () => {
    const focus = await read();
    expect(focus.dataset.clauseId).toBe(CLAUSE);
    expect(chips(focus)).toEqual([
      [BACKUPS, "link-chip auto"],
      [entryKey("encryption-at-rest"), "link-chip manual"],
    ]);
    const auto = focus.querySelector<HTMLElement>(".link-chip.auto");
    expect(auto?.querySelector(".link-chip-label")?.textContent).toBe("Backup and replication");
    expect(auto?.title).toBe("rule 1 matched “back up” (confidence 0.90)");
    expect(focus.querySelector<HTMLElement>(".link-chip.manual")?.title).toBe(
      "linked by ana on 2024-01-02 (confidence 1.00)",
    );
    expect(auto?.querySelector("button.link-remove")?.getAttribute("aria-label")).toBe("Unlink Backup and replication");

    // The intro clause has its own chip but no select.
    const intro = $(`#reader .clause[data-clause-id="${NEW}/intro/1"]`);
    expect(chips(intro)).toEqual([]);
    expect(all("#reader select.link-add")).toHaveLength(1);
    const options = [...$<HTMLSelectElement>("#reader .clause.focus select.link-add").options];
    expect(options.map((o) => o.textContent)).toEqual(["Link to a matrix entry…", ...ENTRIES.map((e) => e.area)]);
    expect(options.map((o) => o.value)).toEqual(["", ...ENTRIES.map((e) => e.key)]);
  });

  it("unlinks with the chip's × and re-renders from the backend's answer", async () => {
    const focus = await read();
    focus.querySelector<HTMLButtonElement>(`.link-chip[data-entry="${BACKUPS}"] button.link-remove`)?.click();
    await app.idle();
    expect(api.calls.at(-1)).toEqual({
      command: "set_link",
      args: { clause_id: CLAUSE, entry: BACKUPS, action: "unlink" },
    });
    expect(chips($("#reader .clause.focus"))).toEqual([[entryKey("encryption-at-rest"), "link-chip manual"]]);
    // The select stays after the chips.
    expect($("#reader .clause.focus .clause-links").lastElementChild?.matches("select.link-add")).toBe(true);
    expect($("#error").hidden).toBe(true);
  });

  it("links with the select and shows the new manual chip", async () => {
    await read();
    const select = $<HTMLSelectElement>("#reader .clause.focus select.link-add");
    select.value = entryKey("physical-security");
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await app.idle();
    expect(api.calls.at(-1)).toEqual({
      command: "set_link",
      args: { clause_id: CLAUSE, entry: entryKey("physical-security"), action: "link" },
    });
    const added = $(`#reader .clause.focus .link-chip[data-entry="${entryKey("physical-security")}"]`);
    expect(added.className).toBe("link-chip manual");
    expect(added.textContent).toContain("Physical security");
    expect(all("#reader .clause.focus .link-chip")).toHaveLength(3);
    expect($<HTMLSelectElement>("#reader .clause.focus select.link-add").value).toBe("");
    expect($<HTMLSelectElement>("#reader .clause.focus select.link-add").disabled).toBe(false);
  });

  it("unlinks chips of other clauses than the focused one", async () => {
    await read(`${OLD}/privacy/2`);
    const intro = $(`#reader .clause[data-clause-id="${OLD}/intro/1"]`);
    expect(chips(intro)).toEqual([[entryKey("physical-security"), "link-chip auto"]]);
    intro.querySelector<HTMLButtonElement>("button.link-remove")?.click();
    await app.idle();
    expect(api.calls.at(-1)?.args).toEqual({
      clause_id: `${OLD}/intro/1`,
      entry: entryKey("physical-security"),
      action: "unlink",
    });
    expect(chips($(`#reader .clause[data-clause-id="${OLD}/intro/1"]`))).toEqual([]);
  });

  it("shows a failed link in the error banner and keeps the chips", async () => {
    const focus = await read();
    api.failLink = { code: "store", message: "the link store is read-only" };
    focus.querySelector<HTMLButtonElement>("button.link-remove")?.click();
    await app.idle();
    expect($("#error").hidden).toBe(false);
    expect($("#error-code").textContent).toBe("store");
    expect($("#error-message").textContent).toBe(
      "Could not unlink Backup and replication: the link store is read-only",
    );
    expect(all("#reader .clause.focus .link-chip")).toHaveLength(2);
    expect(all<HTMLButtonElement>("#reader .clause.focus button.link-remove").every((b) => !b.disabled)).toBe(true);
  });

  it("updates the matrix counts and the hits' chips after a change", async () => {
    $<HTMLButtonElement>("#mode-search").click();
    $<HTMLInputElement>("#query").value = "privacy";
    $<HTMLFormElement>("#search-form").requestSubmit();
    await app.idle();
    const first = all("li.hit")[0];
    expect(first.dataset.clauseId).toBe(`${NEW}/privacy/1`);
    expect([...first.querySelectorAll(".entry-chip")].map((c) => c.textContent)).toEqual([
      "Compliance of the customer's own use",
    ]);
    first.click();
    await app.idle();
    const select = $<HTMLSelectElement>("#reader .clause.focus select.link-add");
    select.value = BACKUPS;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await app.idle();
    expect([...all("li.hit")[0].querySelectorAll(".entry-chip")].map((c) => c.textContent)).toEqual([
      "Compliance of the customer's own use",
      "Backup and replication",
    ]);

    const grids = api.calls.filter((c) => c.command === "matrix_grid").length;
    $<HTMLButtonElement>("#mode-matrix").click();
    await app.idle();
    expect(api.calls.filter((c) => c.command === "matrix_grid")).toHaveLength(grids + 1);
    expect(counts(BACKUPS)).toEqual(["1", "2"]);
  });

  it("reloads a picked cell's clauses after a change", async () => {
    await pick(BACKUPS, NEW);
    expect(all("#matrix-detail li.linked-clause")).toHaveLength(1);
    await read(`${NEW}/privacy/1`);
    const select = $<HTMLSelectElement>("#reader .clause.focus select.link-add");
    select.value = BACKUPS;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await app.idle();
    $<HTMLButtonElement>("#mode-matrix").click();
    await app.idle();
    expect(cell(BACKUPS, NEW).classList.contains("selected")).toBe(true);
    const ids = all("#matrix-detail li.linked-clause").map((li) => li.dataset.clauseId);
    expect(ids.sort()).toEqual([`${NEW}/backups/1`, `${NEW}/privacy/1`]);
  });
});
