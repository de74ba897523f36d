import { describe, expect, it } from "vitest";
import {
  countsLine,
  defaultPair,
  directionLabel,
  facetValues,
  filterCards,
  markSpans,
  NO_FILTER,
  shownPosition,
} from "./changes";
import { words } from "./format";
import { comparison, version } from "./testing/fixtures";

const cards = comparison("heroku-spa@2016-05-06", "heroku-spa@2023-05-05").changes;

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
