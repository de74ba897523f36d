import { describe, expect, it } from "vitest";
import {
  documentTitle,
  headingTag,
  hitCount,
  pageLabel,
  sectionPath,
  shortClauseId,
  statusLine,
  versionLabel,
} from "./format";

describe("sectionPath", () => {
  it("joins with a single-angle quotation mark", () => {
    expect(sectionPath(["Security", "Audits and Certifications", "SOC 2"])).toBe(
      "Security › Audits and Certifications › SOC 2",
    );
  });
  it("skips blank parts and handles empty paths", () => {
    expect(sectionPath([" a ", "", "  ", "b"])).toBe("a › b");
    expect(sectionPath([])).toBe("");
  });
});

describe("pageLabel", () => {
  it("is empty without pages", () => expect(pageLabel([])).toBe(""));
  it("uses p. for one page", () => expect(pageLabel([3])).toBe("p. 3"));
  it("uses pp. with an en dash for a range", () => expect(pageLabel([3, 4])).toBe("pp. 3–4"));
  it("sorts and de-duplicates", () => {
    expect(pageLabel([7, 5, 5, 6])).toBe("pp. 5–7");
    expect(pageLabel([2, 2])).toBe("p. 2");
  });
});

describe("labels", () => {
  const v = { vendor: "Heroku", document: "Security, Privacy and Architecture", date: "2023-05-05" };
  it("formats titles and version options", () => {
    expect(documentTitle(v)).toBe("Heroku — Security, Privacy and Architecture");
    expect(versionLabel(v)).toBe("Heroku — Security, Privacy and Architecture (2023-05-05)");
  });
  it("pluralises hit counts", () => {
    expect(hitCount(0)).toBe("0 hits");
    expect(hitCount(1)).toBe("1 hit");
    expect(hitCount(12)).toBe("12 hits");
  });
});

describe("headingTag", () => {
  it("maps level 1 to h2 and clamps to h2–h5", () => {
    expect(headingTag(1)).toBe("h2");
    expect(headingTag(2)).toBe("h3");
    expect(headingTag(4)).toBe("h5");
    expect(headingTag(9)).toBe("h5");
    expect(headingTag(0)).toBe("h2");
    expect(headingTag(-3)).toBe("h2");
    expect(headingTag(Number.NaN)).toBe("h2");
  });
});

describe("shortClauseId", () => {
  const id = "heroku-spa@2023-05-05/audits-and-certifications/3";
  it("drops the version prefix", () => {
    expect(shortClauseId(id, "heroku-spa@2023-05-05")).toBe("audits-and-certifications/3");
    expect(shortClauseId(id)).toBe("audits-and-certifications/3");
  });
  it("leaves ids without a version prefix alone", () => {
    expect(shortClauseId("intro/1")).toBe("intro/1");
    expect(shortClauseId(id, "other@2016-05-06")).toBe("audits-and-certifications/3");
  });
});

describe("statusLine", () => {
  it("summarises the corpus", () => {
    expect(
      statusLine({ source: "bundled", versions: 3, clauses: 412, index: "ready", warnings: ["a"] }),
    ).toBe("Corpus: bundled · 3 versions · 412 clauses · index ready · 1 warning");
    expect(statusLine({ source: "/x", versions: 1, clauses: 1, index: "building", warnings: [] })).toBe(
      "Corpus: /x · 1 version · 1 clause · index building · 0 warnings",
    );
  });
});
