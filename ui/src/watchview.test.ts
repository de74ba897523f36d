import { beforeEach, describe, expect, it } from "vitest";
import { startApp, type AppHandle } from "./app";
import type { SourceView } from "./bindings/SourceView";
import type { WatchOutcome } from "./bindings/WatchOutcome";
import { FakeApi, sourceView, version, watchOutcome } from "./testing/fixtures";
import { $, loadPage } from "./testing/page";

const all = <T extends HTMLElement = HTMLElement>(sel: string) => [...document.querySelectorAll<T>(sel)];

// The fixture corpus's document, watched: its new version compares with the last one in the corpus.
const NEW = "heroku-spa@2023-05-05";
const NEWER = "heroku-spa@2024-09-01";
const HEROKU = sourceView("heroku-spa", {
  vendor: "Heroku",
  document: "Security, Privacy and Architecture",
  url: "https://www.heroku.com/policy/security",
  version: NEW,
});
const BROKEN = sourceView("acme-trust", {
  vendor: "Acme",
  document: "Trust Center",
  last_error: "fetching https://acme-trust.example/trust/security: HTTP 503",
  failures: 3,
  failing: true,
  next_check: "2024-05-05T09:30:12Z",
});

let api: FakeApi;
let app: AppHandle;

const commands = (name: string) => api.calls.filter((c) => c.command === name);
const row = (id: string) => $<HTMLLIElement>(`#watch-list .watch-source[data-id="${id}"]`);
const notices = () => all<HTMLButtonElement>("#watch-notices .watch-notice");

/** What the backend does when a check records a version: it is in the corpus from then on. */
function recordsNewer(): WatchOutcome[] {
  api.versionList = [...api.versionList, version("2024-09-01")];
  return [watchOutcome(HEROKU, "new_version", { version: NEWER, previous: NEW, changes: { changes: 3, high: 1 } })];
}

/** Hold back the answer to the next check until the returned function is called. */
function holdCheck(): () => void {
  let release: () => void = () => {};
  api.checkGate = new Promise<void>((resolve) => (release = resolve));
  return () => release();
}

function fill(fields: Partial<Record<"url" | "vendor" | "document" | "select" | "every", string>>): void {
  for (const [name, value] of Object.entries(fields)) $<HTMLInputElement>(`#watch-${name}`).value = value;
}

async function showWatch(sources: SourceView[]): Promise<void> {
  api.sourceList = sources;
  $<HTMLButtonElement>("#mode-watch").click();
  await app.idle();
}

beforeEach(async () => {
  loadPage();
  api = new FakeApi();
  app = startApp(document, api);
  await app.ready;
});

describe("watch view", () => {
  it("is a fifth tab that lists the sources each time it is shown", async () => {
    expect(commands("watch_list")).toHaveLength(0);
    await showWatch([HEROKU]);
    expect($("#watch-view").hidden).toBe(false);
    expect($("#search-view").hidden).toBe(true);
    expect($("#search-form").hidden).toBe(true);
    expect($("#mode-watch").getAttribute("aria-selected")).toBe("true");
    expect(commands("watch_list")).toHaveLength(1);
    app.setMode("search");
    api.sourceList = [HEROKU, BROKEN];
    app.setMode("watch");
    await app.idle();
    expect(commands("watch_list")).toHaveLength(2);
    expect(all("#watch-list .watch-source")).toHaveLength(2);
  });

  it("shows each source's state, its last error and a failing badge", async () => {
    await showWatch([HEROKU, BROKEN]);
    expect($("#watch-summary").textContent).toBe("2 pages watched, 1 failing");
    const ok = row("heroku-spa");
    expect(ok.querySelector(".watch-title")?.textContent).toBe("Heroku — Security, Privacy and Architecture");
    expect(ok.querySelector(".watch-url")?.textContent).toBe("https://www.heroku.com/policy/security");
    expect(ok.querySelector(".watch-every")?.textContent).toBe("1d");
    expect(ok.querySelector(".watch-last-checked")?.textContent).toBe("2024-05-01 09:30 UTC");
    expect(ok.querySelector(".watch-last-changed")?.textContent).toBe("2024-04-20 08:00 UTC");
    expect(ok.querySelector(".watch-version")?.textContent).toBe(NEW);
    expect(ok.querySelector(".watch-error")).toBeNull();
    expect(ok.querySelector(".watch-failing")).toBeNull();
    expect(ok.dataset.failing).toBe("false");

    const broken = row("acme-trust");
    expect(broken.dataset.failing).toBe("true");
    expect(broken.querySelector(".watch-failing")?.textContent).toBe("failing");
    expect(broken.querySelector(".watch-error")?.textContent).toBe(
      "Last check failed (3 failures in a row): fetching https://acme-trust.example/trust/security: HTTP 503",
    );
    expect(broken.querySelector(".watch-check")).not.toBeNull();
    expect(broken.querySelector(".watch-remove")).not.toBeNull();
  });

  it("says when nothing is watched, and has nothing to check then", async () => {
    await showWatch([]);
    expect($("#watch-summary").textContent).toBe("No page is watched yet.");
    expect($("#watch-list .watch-empty")).not.toBeNull();
    expect($<HTMLButtonElement>("#watch-check-all").disabled).toBe(true);
  });

  it("keeps hostile text inert", async () => {
    const evil = "<img src=x onerror=alert(1)>";
    await showWatch([{ ...BROKEN, vendor: evil, last_error: evil }]);
    expect(document.querySelector("#watch-list img")).toBeNull();
    expect(row("acme-trust").querySelector(".watch-title")?.textContent).toContain(evil);
  });

  it("adds a source from the form and lists it", async () => {
    await showWatch([HEROKU]);
    fill({ url: " https://acme.example/trust ", vendor: "Acme", document: "Trust Center", select: "main", every: "6h" });
    $("#watch-add").click();
    await app.idle();
    expect(commands("watch_add").map((c) => c.args)).toEqual([
      { url: "https://acme.example/trust", vendor: "Acme", document: "Trust Center", select: "main", remove: [], ignore: [], every: "6h" },
    ]);
    expect($("#watch-add-error").hidden).toBe(true);
    expect(row("acme-trust-center").querySelector(".watch-version")?.textContent).toBe("none yet");
    expect($("#watch-status").textContent).toBe(
      "Watching Acme — Trust Center every 6h. Check it now to record its first version.",
    );
    // The form is empty again for the next page.
    expect($<HTMLInputElement>("#watch-url").value).toBe("");
  });

  it("sends no selector or interval when they are left empty", async () => {
    await showWatch([]);
    fill({ url: "https://acme.example/trust", vendor: "Acme", document: "Trust Center" });
    $("#watch-add").click();
    await app.idle();
    expect(commands("watch_add")[0].args).toMatchObject({ select: null, every: null });
  });

  it("shows why a source could not be added in the form, and keeps what was typed", async () => {
    await showWatch([]);
    fill({ url: "ftp://acme.example", vendor: "Acme", document: "Trust Center" });
    $("#watch-add").click();
    await app.idle();
    expect($("#watch-add-error").hidden).toBe(false);
    expect($("#watch-add-error").textContent).toBe('"ftp://acme.example" is not an http or https address');
    expect($("#watch-add-error").dataset.code).toBe("invalid_argument");
    expect($<HTMLInputElement>("#watch-url").value).toBe("ftp://acme.example");
    expect($("#error").hidden).toBe(true);
    // Missing fields are asked for before the backend is.
    fill({ url: "https://acme.example", vendor: "" });
    $("#watch-add").click();
    await app.idle();
    expect($("#watch-add-error").textContent).toBe("Enter the vendor.");
    expect(commands("watch_add")).toHaveLength(1);
  });

  it("checks one source now, with the buttons disabled while it runs", async () => {
    await showWatch([HEROKU, BROKEN]);
    const release = holdCheck();
    row("acme-trust").querySelector<HTMLButtonElement>(".watch-check")?.click();
    await new Promise((r) => setTimeout(r, 0));
    expect(commands("watch_run").map((c) => c.args)).toEqual([{ source: "acme-trust", due_only: false }]);
    expect($("#watch-status").textContent).toBe("Checking…");
    expect($<HTMLButtonElement>("#watch-check-all").disabled).toBe(true);
    expect(all<HTMLButtonElement>("#watch-list .watch-check, #watch-list .watch-remove").every((b) => b.disabled)).toBe(true);
    expect(row("acme-trust").classList.contains("checking")).toBe(true);
    expect(row("heroku-spa").classList.contains("checking")).toBe(false);
    api.checkOutcomes = () => [watchOutcome(BROKEN, "error")];
    release();
    await app.idle();
    expect($("#watch-status").textContent).toBe("1 checked: 1 error");
    expect($<HTMLButtonElement>("#watch-check-all").disabled).toBe(false);
    expect(all<HTMLButtonElement>("#watch-list .watch-check").every((b) => !b.disabled)).toBe(true);
    // The list shows the state after the check.
    expect(commands("watch_list")).toHaveLength(2);
    expect(notices()).toHaveLength(0);
  });

  it("checks all now and sums it up", async () => {
    await showWatch([HEROKU, BROKEN, sourceView("third")]);
    api.checkOutcomes = () => [...recordsNewer(), watchOutcome(BROKEN, "error"), watchOutcome(sourceView("third"), "unchanged")];
    $("#watch-check-all").click();
    await app.idle();
    expect(commands("watch_run").map((c) => c.args)).toEqual([{ source: null, due_only: false }]);
    expect($("#watch-status").textContent).toBe("3 checked: 1 new version, 1 error");
  });

  it("shows a check that failed as a whole in the banner", async () => {
    await showWatch([HEROKU]);
    api.failWatchRun = { code: "io", message: "the watch state is read-only" };
    row("heroku-spa").querySelector<HTMLButtonElement>(".watch-check")?.click();
    await app.idle();
    expect($("#error").hidden).toBe(false);
    expect($("#error-message").textContent).toBe("Could not check the watched pages: the watch state is read-only");
    expect($("#watch-status").textContent).toBe("The check failed — see the message above.");
    expect($<HTMLButtonElement>("#watch-check-all").disabled).toBe(false);
  });

  it("stops watching a source after an in-page confirmation", async () => {
    await showWatch([HEROKU, BROKEN]);
    row("acme-trust").querySelector<HTMLButtonElement>(".watch-remove")?.click();
    expect(commands("watch_remove")).toHaveLength(0);
    expect(row("acme-trust").querySelector(".watch-confirm")).not.toBeNull();
    // Keep goes back.
    row("acme-trust").querySelector<HTMLButtonElement>(".watch-remove-cancel")?.click();
    expect(row("acme-trust").querySelector(".watch-confirm")).toBeNull();

    row("acme-trust").querySelector<HTMLButtonElement>(".watch-remove")?.click();
    row("acme-trust").querySelector<HTMLButtonElement>(".watch-remove-confirm")?.click();
    await app.idle();
    expect(commands("watch_remove").map((c) => c.args)).toEqual(["acme-trust"]);
    expect(all("#watch-list .watch-source").map((li) => li.dataset.id)).toEqual(["heroku-spa"]);
    expect($("#watch-status").textContent).toBe("Stopped watching Acme — Trust Center. Its versions stay in the corpus.");
  });
});

describe("watch notices", () => {
  it("notice a new version found by Check now, with its counts, and reload the versions", async () => {
    await showWatch([HEROKU]);
    api.checkOutcomes = recordsNewer;
    row("heroku-spa").querySelector<HTMLButtonElement>(".watch-check")?.click();
    await app.idle();
    expect(notices().map((n) => n.textContent)).toEqual([
      "Heroku — Security, Privacy and Architecture changed: 3 changes, 1 high",
    ]);
    // The new version is in every version menu without a corpus reload.
    expect([...$<HTMLSelectElement>("#compare-new").options].map((o) => o.value)).toContain(NEWER);
    expect([...$<HTMLSelectElement>("#version-filter").options].map((o) => o.value)).toContain(NEWER);
  });

  it("open the compare of the previous and the new version when clicked", async () => {
    await showWatch([HEROKU]);
    api.checkOutcomes = recordsNewer;
    $("#watch-check-all").click();
    await app.idle();
    notices()[0].click();
    await app.idle();
    expect($("#compare-view").hidden).toBe(false);
    expect($("#mode-compare").getAttribute("aria-selected")).toBe("true");
    expect($<HTMLSelectElement>("#compare-old").value).toBe(NEW);
    expect($<HTMLSelectElement>("#compare-new").value).toBe(NEWER);
    expect(commands("compare").map((c) => c.args)).toEqual([{ old: NEW, new: NEWER }]);
    expect(all("#card-list li.card")).toHaveLength(3);
    // Acted on, the notice is gone.
    expect(notices()).toHaveLength(0);
  });

  it("come from the scheduler's checks too, in any view", async () => {
    api.sourceList = [HEROKU];
    api.emitWatchChecked(recordsNewer());
    await app.idle();
    expect(notices().map((n) => n.textContent)).toEqual([
      "Heroku — Security, Privacy and Architecture changed: 3 changes, 1 high",
    ]);
    expect([...$<HTMLSelectElement>("#version-filter").options].map((o) => o.value)).toContain(NEWER);
    // Not in the Watch tab: its list is asked for when it is shown.
    expect(commands("watch_list")).toHaveLength(0);
    notices()[0].click();
    await app.idle();
    expect(commands("compare").map((c) => c.args)).toEqual([{ old: NEW, new: NEWER }]);
  });

  it("reload the Watch tab's list when a scheduled check comes while it is shown", async () => {
    await showWatch([HEROKU, BROKEN]);
    api.sourceList = [HEROKU, { ...BROKEN, failing: false, failures: 0, last_error: null }];
    api.emitWatchChecked([watchOutcome(BROKEN, "unchanged")]);
    await app.idle();
    expect(commands("watch_list")).toHaveLength(2);
    expect(row("acme-trust").querySelector(".watch-error")).toBeNull();
    expect(notices()).toHaveLength(0);
    // Nothing new: the versions are not asked for again.
    expect(commands("versions")).toHaveLength(1);
  });

  it("say a first version was recorded, quietly, and can be dismissed", async () => {
    const acme = sourceView("acme", { version: null });
    api.emitWatchChecked([
      watchOutcome(acme, "new_version", { previous: null, changes: null, version: "acme@2024-05-02" }),
      watchOutcome(HEROKU, "new_version", { version: NEWER, previous: NEW, changes: null }),
    ]);
    await app.idle();
    // Newest on top.
    expect(notices().map((n) => n.textContent)).toEqual([
      "Heroku — Security, Privacy and Architecture changed",
      "Acme — Security Overview: first version recorded",
    ]);
    expect(notices()[1].dataset.kind).toBe("first");
    // The same version is not noticed twice.
    api.emitWatchChecked([watchOutcome(acme, "new_version", { previous: null, changes: null, version: "acme@2024-05-02" })]);
    expect(notices()).toHaveLength(2);
    $<HTMLButtonElement>('#watch-notices .watch-notice-item[data-version="acme@2024-05-02"] .watch-notice-dismiss').click();
    $<HTMLButtonElement>(`#watch-notices .watch-notice-item[data-version="${NEWER}"] .watch-notice-dismiss`).click();
    await app.idle();
    expect(notices()).toHaveLength(0);
    expect(commands("compare")).toHaveLength(0);
  });
});
