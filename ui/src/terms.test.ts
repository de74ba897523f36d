import { describe, expect, it } from "vitest";
import { comparedSummary, sheetSummary, termChangeCounts, termPlace } from "./terms";
import { termsCompared, termSheet, version } from "./testing/fixtures";

describe("key terms in words", () => {
  it("cites the innermost section and the pages, as the backend's place does", () => {
    expect(termPlace({ section: ["Security", " Security Incident Notification "], pages: [4] })).toBe(
      "§ Security Incident Notification, p. 4",
    );
    expect(termPlace({ section: ["Backups"], pages: [5, 4] })).toBe("§ Backups, pp. 4–5");
    expect(termPlace({ section: ["Privacy"], pages: [] })).toBe("§ Privacy");
    expect(termPlace({ section: [], pages: [2] })).toBe("p. 2");
    expect(termPlace({ section: [], pages: [] })).toBe("");
  });

  it("counts and summarises two versions' terms by change", () => {
    const compared = termsCompared("heroku-spa@2016-05-06", "heroku-spa@2023-05-05");
    expect(termChangeCounts(compared)).toEqual({ same: 1, changed: 1, added: 1, removed: 1 });
    expect(comparedSummary(compared)).toBe("2 topics: 1 changed · 1 added · 1 removed · 1 same");
    expect(comparedSummary({ topics: [] })).toBe("0 topics");
  });

  it("summarises a version's terms", () => {
    expect(sheetSummary(termSheet(version("2023-05-05")))).toBe("2 key terms in 2 topics");
    expect(sheetSummary(termSheet(version("2016-05-06")))).toBe("1 key term in 1 topic");
  });
});
