import { beforeEach, describe, expect, it } from "vitest";
import indexHtml from "../index.html?raw";
import { startApp, type AppHandle } from "./app";
import { FakeApi } from "./testing/fixtures";

function loadPage(): void {
  const parsed = new DOMParser().parseFromString(indexHtml, "text/html");
  document.body.replaceWith(document.importNode(parsed.body, true));
}

const $ = <T extends HTMLElement = HTMLElement>(sel: string): T => {
  const found = document.querySelector<T>(sel);
  if (!found) throw new Error(`no ${sel}`);
  return found;
};
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

  it("/ goes back to search", async () => {
    await compare();
    key("/");
    expect($("#search-view").hidden).toBe(false);
    expect(document.activeElement?.id).toBe("query");
  });
});
