import { beforeEach, describe, expect, it } from "vitest";
import { startApp, type AppHandle } from "./app";
import { comparison, FakeApi, VERSIONS } from "./testing/fixtures";
import { $, loadPage } from "./testing/page";

const all = (sel: string) => [...document.querySelectorAll<HTMLElement>(sel)];

let api: FakeApi;
let app: AppHandle;

async function compare(): Promise<void> {
  $<HTMLButtonElement>("#mode-compare").click();
  $<HTMLFormElement>("#compare-form").requestSubmit();
  await app.idle();
}

function key(k: string): void {
  // Not cancelable: the listeners of earlier tests' apps share this document.
  document.body.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
}

beforeEach(async () => {
  loadPage();
  api = new FakeApi();
  app = startApp(document, api);
  await app.ready;
});

describe("compare view", () => {
  it("switches views with the tabs and preselects the two latest versions", () => {
    expect($("#compare-view").hidden).toBe(true);
    $<HTMLButtonElement>("#mode-compare").click();
    expect($("#compare-view").hidden).toBe(false);
    expect($("#search-view").hidden).toBe(true);
    expect($("#search-form").hidden).toBe(true);
    expect($("#mode-compare").getAttribute("aria-selected")).toBe("true");
    expect($<HTMLSelectElement>("#compare-old").value).toBe("heroku-spa@2016-05-06");
    expect($<HTMLSelectElement>("#compare-new").value).toBe("heroku-spa@2023-05-05");
    expect($<HTMLSelectElement>("#compare-old").selectedOptions[0].textContent).toBe(
      "2016-05-06 · Heroku — Security, Privacy and Architecture",
    );
    $<HTMLButtonElement>("#mode-search").click();
    expect($("#search-view").hidden).toBe(false);
  });

  it("shows cards, flags and the side-by-side redline", async () => {
    await compare();
    expect(api.calls.find((c) => c.command === "compare")?.args).toEqual({
      old: "heroku-spa@2016-05-06",
      new: "heroku-spa@2023-05-05",
    });
    expect($("#compare-summary .summary-count").textContent).toBe("3 changes");
    const cards = all("#card-list li.card");
    expect(cards.map((c) => c.dataset.kind)).toEqual(["framework_replaced", "restriction_relaxed", "commitment_added"]);
    expect(cards[0].querySelector(".card-summary")?.textContent).toBe("EU-US Safe Harbor replaced by EU-US Privacy Shield");
    expect([...cards[0].querySelectorAll("mark")].map((m) => m.textContent)).toEqual(["Safe Harbor", "Privacy Shield"]);
    expect($("#compare-notes").hidden).toBe(false);
    expect($("#compare-notes li.flag").textContent).toContain("EU-US Safe Harbor");
    // Redline: deletions on the old side, insertions on the new side.
    const first = $(".row.pair-row[data-row='1']");
    expect([...first.querySelectorAll(".side.old del")].map((d) => d.textContent)).toEqual(["self-certify ", "Safe Harbor."]);
    expect([...first.querySelectorAll(".side.new ins")].map((d) => d.textContent)).toEqual(["certify ", "Privacy Shield."]);
    expect($(".row.section-row.renamed .side.new").textContent).toContain("Sensitive Data");
    expect($(".row.pair-row.added .side.old").classList.contains("empty")).toBe(true);
    // Document text is text, never markup.
    expect(document.querySelector("#compare-rows img")).toBeNull();
    expect($(".row.pair-row.unchanged .side.new").textContent).toContain("<img src=x onerror=alert(1)>");
  });

  it("clicking a card marks its evidence rows; n and p step through the changes", async () => {
    await compare();
    all("#card-list li.card")[1].click();
    expect(all(".row.evidence").map((r) => r.dataset.row)).toEqual(["3"]);
    expect($("#change-position").textContent).toBe("2 / 3");
    key("n");
    expect(all(".row.evidence").map((r) => r.dataset.row)).toEqual(["5"]);
    expect($("#card-list li.card.selected").dataset.card).toBe("2");
    expect($<HTMLButtonElement>("#next-change").disabled).toBe(true);
    key("p");
    key("p");
    expect($("#card-list li.card.selected").dataset.card).toBe("0");
    expect($<HTMLButtonElement>("#prev-change").disabled).toBe(true);
  });

  it("filters cards by severity and direction", async () => {
    await compare();
    const severity = $<HTMLSelectElement>("#filter-severity");
    expect([...severity.options].map((o) => o.textContent)).toEqual(["All severities", "high (2)", "medium (1)"]);
    severity.value = "high";
    severity.dispatchEvent(new Event("change"));
    expect(all("#card-list li.card")).toHaveLength(2);
    const direction = $<HTMLSelectElement>("#filter-direction");
    direction.value = "neutral";
    direction.dispatchEvent(new Event("change"));
    expect(all("#card-list li.card").map((c) => c.dataset.kind)).toEqual(["framework_replaced"]);
    severity.value = "medium";
    severity.dispatchEvent(new Event("change"));
    expect($("#card-list").textContent).toContain("No change matches these filters.");
  });

  it("says so when a version is compared with itself", async () => {
    $<HTMLButtonElement>("#mode-compare").click();
    $<HTMLSelectElement>("#compare-new").value = "heroku-spa@2016-05-06";
    await compare();
    expect($("#compare-summary .summary-count").textContent).toBe("0 changes");
    expect($("#card-list").textContent).toContain("No changes");
    expect($("#compare-notes").textContent).toContain("compared with itself");
  });

  it("shows a backend error and keeps running", async () => {
    api.failCompare = { code: "not_found", message: 'no version "x"' };
    await compare();
    expect($("#error").hidden).toBe(false);
    expect($("#error-code").textContent).toBe("not_found");
    expect($("#compare-summary").textContent).toContain("Compare failed");
  });

  it("adds the matrix diff's responsibility-shift alerts to the notes", async () => {
    await compare();
    expect(api.calls.filter((c) => c.command === "matrix_diff").map((c) => c.args)).toEqual([
      { old: "heroku-spa@2016-05-06", new: "heroku-spa@2023-05-05" },
    ]);
    const alerts = all("#compare-notes li.alert");
    expect(alerts.map((a) => a.dataset.kind)).toEqual(["removed", "made_conditional"]);
    expect(alerts.map((a) => a.querySelector(".alert-kind")?.textContent)).toEqual(["removed", "made conditional"]);
    expect(alerts[1].textContent).toBe(
      "made conditional Sensitive and regulated data: A flat prohibition now has conditions",
    );
    expect(alerts[0].textContent).toContain("no clause of 2023-05-05 supports it any more");
    // The flags stay, the alerts come after them.
    expect(all("#compare-notes li").map((li) => li.className)).toEqual([
      "flag invalid_at_version_date",
      "alert removed",
      "alert made_conditional has-card",
    ]);
    expect(alerts[0].classList.contains("has-card")).toBe(false);
    expect(alerts[0].dataset.card).toBeUndefined();
    expect(alerts[1].dataset.card).toBe("1");
  });

  it("clicking an alert selects its card, clearing filters that hide it", async () => {
    await compare();
    const alert = $('#compare-notes li.alert[data-card="1"]');
    alert.click();
    expect($("#card-list li.card.selected").dataset.card).toBe("1");
    expect(all(".row.evidence").map((r) => r.dataset.row)).toEqual(["3"]);

    const direction = $<HTMLSelectElement>("#filter-direction");
    direction.value = "neutral";
    direction.dispatchEvent(new Event("change"));
    expect(all("#card-list li.card").map((c) => c.dataset.card)).toEqual(["0"]);
    alert.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(direction.value).toBe("");
    expect(all("#card-list li.card")).toHaveLength(3);
    expect($("#card-list li.card.selected").dataset.card).toBe("1");
    expect($("#change-position").textContent).toBe("2 / 3");

    // An alert without a card does nothing.
    $("#compare-notes li.alert:not(.has-card)").click();
    expect($("#card-list li.card.selected").dataset.card).toBe("1");
  });

  it("keeps the cards when the matrix diff fails", async () => {
    api.failMatrixDiff = { code: "corpus", message: "the responsibility matrix is unavailable" };
    await compare();
    expect($("#error").hidden).toBe(false);
    expect($("#error-code").textContent).toBe("corpus");
    expect($("#error-message").textContent).toContain("Could not list responsibility shifts");
    expect(all("#card-list li.card")).toHaveLength(3);
    expect(all("#compare-notes li.alert")).toHaveLength(0);
    expect($("#compare-notes li.flag").textContent).toContain("EU-US Safe Harbor");
  });

  it("keeps hostile alert text inert", async () => {
    const evil = "<img src=x onerror=alert(1)>";
    api.matrixDiff = async (request) => ({
      old: VERSIONS[0],
      new: VERSIONS[1],
      changes: comparison(request.old, request.new).changes,
      entries: [],
      alerts: [{ entry: evil, area: evil, kind: "moved_to_customer", message: evil, card: 0 }],
    });
    await compare();
    expect(document.querySelector("#compare-notes img")).toBeNull();
    expect($("#compare-notes li.alert").textContent).toBe(`moved to customer ${evil}`);
  });

  it("/ goes back to search", async () => {
    await compare();
    key("/");
    expect($("#search-view").hidden).toBe(false);
    expect(document.activeElement?.id).toBe("query");
  });
});
