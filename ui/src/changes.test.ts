import { describe, expect, it } from "vitest";
import {
  countsLine,
  defaultPair,
  directionLabel,
  editorialClauses,
  editorialSummary,
  facetValues,
  filterCards,
  markSpans,
  NO_FILTER,
  rowsOfClauses,
  shownPosition,
  topicFacets,
  topicName,
} from "./changes";
import { words } from "./format";
import { comparison, TOPIC_NAMES, version } from "./testing/fixtures";

const OLD = "heroku-spa@2016-05-06";
const NEW = "heroku-spa@2023-05-05";
const view = comparison(OLD, NEW);
const cards = view.changes;

describe("labels", () => {
  it("turns snake_case values into words", () => {
    expect(words("framework_replaced")).toBe("framework replaced");
    expect(directionLabel("favours_provider")).toBe("favours provider");
    expect(directionLabel("unclear")).toBe("direction unclear");
  });

  it("summarises pair counts, most frequent first, zeros dropped", () => {
    expect(countsLine({ added: 1, modified: 3, unchanged: 0, moved: 1 })).toBe("3 modified · 1 added · 1 moved");
    expect(countsLine({})).toBe("");
  });
});

describe("filterCards", () => {
  it("passes everything with no filter", () => {
    expect(filterCards(cards, NO_FILTER)).toEqual([0, 1, 2]);
  });

  it("combines kind, severity and direction", () => {
    expect(filterCards(cards, { ...NO_FILTER, severity: "high" })).toEqual([0, 1]);
    expect(filterCards(cards, { ...NO_FILTER, severity: "high", direction: "favours_customer" })).toEqual([1]);
    expect(filterCards(cards, { ...NO_FILTER, kind: "commitment_added" })).toEqual([2]);
    expect(filterCards(cards, { ...NO_FILTER, kind: "deadline_changed" })).toEqual([]);
  });

  it("filters by topic; a card without a topic passes only when no topic is asked for", () => {
    expect(filterCards(cards, { ...NO_FILTER, topic: "backup-recovery" })).toEqual([2]);
    expect(filterCards(cards, { ...NO_FILTER, topic: "international-transfers", severity: "high" })).toEqual([0]);
    expect(filterCards(cards, { ...NO_FILTER, topic: "international-transfers", severity: "medium" })).toEqual([]);
    expect(filterCards(cards, { ...NO_FILTER, topic: "retention" })).toEqual([]);
  });

  it("finds a card's position among the filtered cards", () => {
    expect(shownPosition([0, 2], 2)).toBe(1);
    expect(shownPosition([0, 2], 1)).toBeNull();
  });

  it("lists facet values with counts, severities from high to low", () => {
    expect(facetValues(cards, "severity")).toEqual([
      { value: "high", count: 2 },
      { value: "medium", count: 1 },
    ]);
    expect(facetValues(cards, "direction").map((f) => f.value)).toEqual(["favours_customer", "neutral"]);
  });

  it("counts only the cards that have a topic, and names topics (by name, then ID)", () => {
    expect(facetValues(cards, "topic")).toEqual([
      { value: "backup-recovery", count: 1 },
      { value: "international-transfers", count: 1 },
    ]);
    const names = { ...TOPIC_NAMES, "backup-recovery": "Zz backups" };
    expect(topicFacets(cards, names)).toEqual([
      { value: "international-transfers", label: "International transfers", count: 1 },
      { value: "backup-recovery", label: "Zz backups", count: 1 },
    ]);
    // A topic the comparison has no name for goes by its ID.
    expect(topicFacets(cards, {}).map((f) => f.label)).toEqual(["backup-recovery", "international-transfers"]);
    expect(topicName(TOPIC_NAMES, "sensitive-data")).toBe("Sensitive data");
    expect(topicName({}, "sensitive-data")).toBe("sensitive-data");
  });
});

describe("editorial changes", () => {
  it("summarises the count and the reasons, most frequent first", () => {
    expect(editorialSummary(view.editorial.items)).toBe("2 editorial changes (1 dates · 1 typography)");
    const items = [
      { old: ["a"], new: ["b"], reason: "reworded" as const },
      { old: ["c"], new: ["d"], reason: "table_row" as const },
      { old: ["e"], new: ["f"], reason: "table_row" as const },
    ];
    expect(editorialSummary(items)).toBe("3 editorial changes (2 table row · 1 rewording)");
    expect(editorialSummary(items.slice(0, 1))).toBe("1 editorial change (1 rewording)");
    expect(editorialSummary([])).toBe("0 editorial changes");
  });

  it("names an item's clauses old → new, in short IDs, — for a side it has none on", () => {
    const [dates, typography] = view.editorial.items;
    expect(editorialClauses(dates, OLD, NEW)).toBe("legal/1 → legal/1");
    expect(editorialClauses(typography, OLD, NEW)).toBe("legal/9 → —");
    expect(editorialClauses({ old: [], new: [`${NEW}/a/1`, `${NEW}/a/2`], reason: "table_row" }, OLD, NEW)).toBe("— → a/1 + a/2");
  });

  it("finds the side-by-side rows that hold clauses, on either side", () => {
    expect(rowsOfClauses(view.rows, [`${OLD}/legal/1`])).toEqual([8]);
    expect(rowsOfClauses(view.rows, [`${NEW}/backups/1`, `${OLD}/privacy/1`])).toEqual([1, 5]);
    expect(rowsOfClauses(view.rows, [`${OLD}/legal/9`])).toEqual([]);
    expect(rowsOfClauses(view.rows, [])).toEqual([]);
  });
});

describe("defaultPair", () => {
  it("picks the two latest versions of the most recently updated document", () => {
    const other = { ...version("2024-01-01"), id: "acme@2024-01-01", document_id: "acme" };
    const versions = [version("2016-05-06"), version("2020-01-01"), version("2023-05-05"), other];
    expect(defaultPair(versions)).toEqual({ old: "heroku-spa@2020-01-01", new: "heroku-spa@2023-05-05" });
  });

  it("is null when no document has two versions", () => {
    expect(defaultPair([version("2016-05-06")])).toBeNull();
    expect(defaultPair([])).toBeNull();
  });
});

describe("markSpans", () => {
  it("marks span texts in order, whatever their byte offsets", () => {
    expect(markSpans("Données: Safe Harbor et Safe Harbor", [{ text: "Safe Harbor" }, { text: "Safe Harbor" }])).toEqual([
      { text: "Données: ", hit: false },
      { text: "Safe Harbor", hit: true },
      { text: " et ", hit: false },
      { text: "Safe Harbor", hit: true },
    ]);
  });

  it("skips spans it cannot find and empty spans", () => {
    expect(markSpans("abc", [{ text: "zz" }, { text: "" }])).toEqual([{ text: "abc", hit: false }]);
  });
});
