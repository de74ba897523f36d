import { beforeEach, describe, expect, it } from "vitest";
import { startApp, type AppHandle } from "./app";
import { renderStatement } from "./compare";
import { comparison, FakeApi, statement, VERSIONS } from "./testing/fixtures";
import { $, loadPage } from "./testing/page";

const OLD = "heroku-spa@2016-05-06";
const NEW = "heroku-spa@2023-05-05";

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

describe("compare view: topics, parties and statements", () => {
  it("labels each card with its topic and party", async () => {
    await compare();
    const cards = all("#card-list li.card");
    expect(cards.map((c) => c.querySelector(".card-topic")?.textContent ?? null)).toEqual([
      "International transfers",
      null,
      "Backup and disaster recovery",
    ]);
    expect(cards[0].querySelector<HTMLElement>(".card-topic")?.dataset.topic).toBe("international-transfers");
    expect(cards.map((c) => c.querySelector(".card-party")?.textContent ?? null)).toEqual(["provider", "customer", null]);
    expect(cards[1].querySelector(".card-party")?.classList.contains("party-customer")).toBe(true);
  });

  it("filters cards by topic, offering the topics present by name", async () => {
    await compare();
    const topic = $<HTMLSelectElement>("#filter-topic");
    expect(topic.disabled).toBe(false);
    expect(document.querySelector("label[for='filter-topic']")?.textContent).toBe("Topic");
    expect([...topic.options].map((o) => o.textContent)).toEqual([
      "All topics",
      "Backup and disaster recovery (1)",
      "International transfers (1)",
    ]);
    topic.value = "backup-recovery";
    topic.dispatchEvent(new Event("change"));
    expect(all("#card-list li.card").map((c) => c.dataset.card)).toEqual(["2"]);
    $<HTMLSelectElement>("#filter-severity").value = "high";
    $("#filter-severity").dispatchEvent(new Event("change"));
    expect($("#card-list").textContent).toContain("No change matches these filters.");
  });

  it("has no topic to offer when no card has one", async () => {
    $<HTMLButtonElement>("#mode-compare").click();
    $<HTMLSelectElement>("#compare-new").value = OLD;
    await compare();
    expect($<HTMLSelectElement>("#filter-topic").disabled).toBe(true);
    expect($<HTMLSelectElement>("#filter-topic").options).toHaveLength(1);
  });

  it("an alert clears the topic filter that hides its card", async () => {
    await compare();
    const topic = $<HTMLSelectElement>("#filter-topic");
    topic.value = "backup-recovery";
    topic.dispatchEvent(new Event("change"));
    $('#compare-notes li.alert[data-card="1"]').click();
    expect(topic.value).toBe("");
    expect($("#card-list li.card.selected").dataset.card).toBe("1");
  });

  it("shows a card's statements on request, without selecting the card", async () => {
    await compare();
    const card = $("#card-list li.card[data-card='0']");
    const toggle = card.querySelector<HTMLButtonElement>("button.statements-toggle");
    const list = card.querySelector<HTMLElement>("ul.card-statements");
    if (!toggle || !list) throw new Error("no statements toggle");
    expect(toggle.textContent).toBe("Statements (2)");
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    expect(toggle.getAttribute("aria-controls")).toBe(list.id);
    expect(list.hidden).toBe(true);
    // No toggle on a card without statements.
    expect($("#card-list li.card[data-card='1']").querySelector("button.statements-toggle")).toBeNull();

    toggle.click();
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    expect(list.hidden).toBe(false);
    expect(card.classList.contains("selected")).toBe(false);
    const lines = [...list.querySelectorAll<HTMLElement>("li.statement")];
    expect(lines.map((li) => li.dataset.side)).toEqual(["before", "after"]);
    expect(lines.map((li) => li.textContent)).toEqual([
      "Beforeprovider · practice · self-certify · framework: Safe Harborprivacy/1",
      "Afterprovider · practice · certify · framework: Privacy Shieldprivacy/1",
    ]);
    expect(lines[1].querySelector(".statement-clause")?.getAttribute("title")).toBe(`${NEW}/privacy/1`);

    // Enter on the toggle is the button's, not the card's.
    toggle.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(card.classList.contains("selected")).toBe(false);

    // Open statements stay open when the filters redraw the cards.
    const kind = $<HTMLSelectElement>("#filter-kind");
    kind.value = "framework_replaced";
    kind.dispatchEvent(new Event("change"));
    expect($("#card-list li.card[data-card='0'] ul.card-statements").hidden).toBe(false);
    $<HTMLButtonElement>("#card-list li.card[data-card='0'] button.statements-toggle").click();
    expect($("#card-list li.card[data-card='0'] ul.card-statements").hidden).toBe(true);
  });

  it("renders a statement's qualifiers and implied party as text", () => {
    const evil = "<img src=x onerror=alert(1)>";
    const li = renderStatement(
      document,
      statement(`${NEW}/incidents/1`, {
        implied_party: true,
        party_words: "",
        object: evil,
        qualifiers: [{ kind: "time", text: "within 72 hours", hours: 72 }],
      }),
      comparison(OLD, NEW),
    );
    expect(li.querySelector("img")).toBeNull();
    expect(li.querySelector(".statement-party")?.textContent).toBe("provider (implied)");
    expect(li.querySelector(".statement-action")?.textContent).toBe(`will notify ${evil}`);
    expect(li.querySelector(".statement-qualifier.time")?.textContent).toBe("time: within 72 hours");
  });
});

describe("compare view: editorial changes", () => {
  it("collapses them into one line under the cards, never one card each", async () => {
    await compare();
    const details = $<HTMLDetailsElement>("#compare-editorial");
    expect(details.tagName).toBe("DETAILS");
    expect(details.hidden).toBe(false);
    expect(details.open).toBe(false);
    expect(details.querySelector("summary")?.textContent).toBe("2 editorial changes (1 dates · 1 typography)");
    expect(all("#card-list li.card")).toHaveLength(3);
    const items = all("#compare-editorial li.editorial-item");
    expect(items.map((li) => li.dataset.reason)).toEqual(["dates", "typography"]);
    expect(items.map((li) => li.querySelector(".editorial-clauses")?.textContent)).toEqual([
      "legal/1 → legal/1",
      "legal/9 → —",
    ]);
    // Only an item whose rows the side by side shows can jump to them.
    expect(items[0].querySelector("button.editorial-jump")).not.toBeNull();
    expect(items[1].querySelector("button")).toBeNull();
  });

  it("clicking an item marks its row in place of a card's evidence", async () => {
    await compare();
    all("#card-list li.card")[1].click();
    expect(all(".row.evidence").map((r) => r.dataset.row)).toEqual(["3"]);
    $<HTMLButtonElement>("#compare-editorial button.editorial-jump").click();
    expect(all(".row.evidence").map((r) => r.dataset.row)).toEqual(["8"]);
    expect($("#compare-editorial li.editorial-item.selected").dataset.item).toBe("0");
    expect(document.querySelector("#card-list li.card.selected")).toBeNull();
    expect($("#change-position").textContent).toBe("– / 3");
    // The next change starts from the first card again.
    key("n");
    expect($("#card-list li.card.selected").dataset.card).toBe("0");
    expect(document.querySelector("#compare-editorial li.editorial-item.selected")).toBeNull();
  });

  it("is hidden when there are none", async () => {
    $<HTMLButtonElement>("#mode-compare").click();
    $<HTMLSelectElement>("#compare-new").value = OLD;
    await compare();
    expect($("#compare-editorial").hidden).toBe(true);
  });
});

describe("compare view: key terms", () => {
  async function showTerms(): Promise<void> {
    $<HTMLButtonElement>("#compare-terms-toggle").click();
    await app.idle();
  }

  it("is a toggle, disabled until a comparison is shown", async () => {
    $<HTMLButtonElement>("#mode-compare").click();
    const toggle = $<HTMLButtonElement>("#compare-terms-toggle");
    expect(toggle.textContent).toBe("Key terms");
    expect(toggle.type).toBe("button");
    expect(toggle.disabled).toBe(true);
    await compare();
    expect(toggle.disabled).toBe(false);
    expect(toggle.getAttribute("aria-pressed")).toBe("false");
    // Nothing is loaded until asked for.
    expect(api.calls.filter((c) => c.command === "terms_compared")).toHaveLength(0);
  });

  it("shows both versions' terms by topic in place of the side by side", async () => {
    await compare();
    await showTerms();
    expect(api.calls.filter((c) => c.command === "terms_compared").map((c) => c.args)).toEqual([{ old: OLD, new: NEW }]);
    expect($("#compare-terms-toggle").getAttribute("aria-pressed")).toBe("true");
    expect($("#compare-terms").hidden).toBe(false);
    expect($("section.sides").hidden).toBe(true);
    expect($("#compare-terms .terms-summary").textContent).toBe("2 topics: 1 changed · 1 added · 1 removed · 1 same");
    expect(all("#compare-terms h3.terms-topic-name").map((h) => h.textContent)).toEqual([
      "International transfers",
      "Backup and disaster recovery",
    ]);
    const rows = all("#compare-terms li.term-row");
    expect(rows.map((r) => r.dataset.change)).toEqual(["changed", "same", "added", "removed"]);
    // The change is said in words, not by colour alone.
    expect(rows.map((r) => r.querySelector(".term-change")?.textContent)).toEqual(["changed", "same", "added", "removed"]);
    expect(rows[0].classList.contains("change-changed")).toBe(true);
    const [old, neu] = [rows[0].querySelector(".term-side.old"), rows[0].querySelector(".term-side.new")];
    expect(old?.querySelector(".term-text")?.textContent).toBe("the provider self-certifies to ‘Safe Harbor’");
    expect(neu?.querySelector(".term-text")?.textContent).toBe("the provider certifies to ‘Privacy Shield’");
    expect(old?.querySelector(".term-place")?.textContent).toBe("§ Privacy");
    expect(neu?.querySelector(".term-place")?.textContent).toBe("§ Privacy, p. 2");
    expect(neu?.querySelector("button.term-clause")?.textContent).toBe("privacy/1");
    expect(rows[2].querySelector(".term-side.old")?.classList.contains("empty")).toBe(true);
    expect(rows[3].querySelector(".term-side.new")?.classList.contains("empty")).toBe(true);
    // Term text is text, never markup.
    expect(document.querySelector("#compare-terms img")).toBeNull();
    expect(rows[1].querySelector(".term-side.new .term-text")?.textContent).toContain("<img src=x onerror=alert(1)>");
  });

  it("toggles back, and loads a pair's terms once", async () => {
    await compare();
    await showTerms();
    await showTerms();
    expect($("#compare-terms").hidden).toBe(true);
    expect($("section.sides").hidden).toBe(false);
    expect($("#compare-terms-toggle").getAttribute("aria-pressed")).toBe("false");
    await showTerms();
    expect(api.calls.filter((c) => c.command === "terms_compared")).toHaveLength(1);
  });

  it("a term's clause, or a card, brings the side by side back on its row", async () => {
    await compare();
    await showTerms();
    $<HTMLButtonElement>("#compare-terms li.term-row .term-side.new button.term-clause").click();
    expect($("#compare-terms").hidden).toBe(true);
    expect($("section.sides").hidden).toBe(false);
    expect(all(".row.evidence").map((r) => r.dataset.row)).toEqual(["1"]);

    await showTerms();
    all("#card-list li.card")[2].click();
    expect($("#compare-terms").hidden).toBe(true);
    expect(all(".row.evidence").map((r) => r.dataset.row)).toEqual(["5"]);
  });

  it("follows a new comparison while shown", async () => {
    await compare();
    await showTerms();
    api.versionList = [...VERSIONS, { ...VERSIONS[1], id: "heroku-spa@2024-01-01", date: "2024-01-01" }];
    await app.refresh();
    $<HTMLSelectElement>("#compare-new").value = "heroku-spa@2024-01-01";
    await compare();
    expect(api.calls.filter((c) => c.command === "terms_compared").map((c) => c.args)).toEqual([
      { old: OLD, new: NEW },
      { old: OLD, new: "heroku-spa@2024-01-01" },
    ]);
    expect($("#compare-terms").hidden).toBe(false);
  });

  it("says so when the terms cannot be loaded", async () => {
    api.failTerms = { code: "corpus", message: "the statements taxonomy is unreadable" };
    await compare();
    await showTerms();
    expect($("#error").hidden).toBe(false);
    expect($("#error-message").textContent).toContain("Could not load the key terms");
    expect($("#compare-terms").textContent).toContain("Could not load the key terms");
    // It is asked for again next time.
    api.failTerms = null;
    await showTerms();
    await showTerms();
    expect(all("#compare-terms li.term-row")).toHaveLength(4);
  });
});
