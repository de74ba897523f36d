import { describe, expect, it } from "vitest";
import { sourceView, watchOutcome } from "./testing/fixtures";
import { checkSummary, failureLine, missingField, noticeFor, pendingLine, sourceTitle, watchTime } from "./watch";

const ACME = sourceView("acme-security");

describe("watch texts", () => {
  it("names a source by vendor and document", () => {
    expect(sourceTitle(ACME)).toBe("Acme — Security Overview");
  });

  it("shows check times in UTC, as the backend writes them", () => {
    expect(watchTime("2024-05-01T09:30:12Z")).toBe("2024-05-01 09:30 UTC");
    expect(watchTime("2024-05-01T09:30:12.123456Z")).toBe("2024-05-01 09:30 UTC");
    expect(watchTime("2024-05-01T09:30:12+00:00")).toBe("2024-05-01 09:30 UTC");
    expect(watchTime(null)).toBe("never");
    // Anything else is shown as it came rather than guessed at.
    expect(watchTime("2024-05-01T11:30:12+02:00")).toBe("2024-05-01T11:30:12+02:00");
  });

  it("sums a check up by what came of it", () => {
    const other = sourceView("other");
    const third = sourceView("third");
    expect(
      checkSummary([watchOutcome(ACME, "new_version"), watchOutcome(other, "error"), watchOutcome(third, "unchanged")]),
    ).toBe("3 checked: 1 new version, 1 error");
    expect(checkSummary([watchOutcome(ACME, "new_version"), watchOutcome(other, "new_version")])).toBe(
      "2 checked: 2 new versions",
    );
    expect(checkSummary([watchOutcome(ACME, "error"), watchOutcome(other, "error")])).toBe("2 checked: 2 errors");
    expect(checkSummary([watchOutcome(ACME, "unchanged")])).toBe("1 checked: nothing new");
    expect(checkSummary([watchOutcome(ACME, "deferred"), watchOutcome(other, "error")])).toBe(
      "2 checked: 1 change to record on a later day, 1 error",
    );
    expect(noticeFor(watchOutcome(ACME, "deferred"))).toBeNull();
    expect(checkSummary([])).toBe("Nothing to check: no page is watched.");
  });

  it("notices a new version with what changed, and a first version quietly", () => {
    expect(noticeFor(watchOutcome(ACME, "new_version"))).toEqual({
      kind: "changed",
      text: "Acme — Security Overview changed: 3 changes, 1 high",
      previous: "acme-security@2024-04-20",
      version: "acme-security@2024-05-02",
    });
    expect(noticeFor(watchOutcome(ACME, "new_version", { changes: { changes: 1, high: 0 } }))?.text).toBe(
      "Acme — Security Overview changed: 1 change, 0 high",
    );
    expect(noticeFor(watchOutcome(ACME, "new_version", { changes: null }))?.text).toBe("Acme — Security Overview changed");
    expect(noticeFor(watchOutcome(ACME, "new_version", { previous: null, changes: null }))).toEqual({
      kind: "first",
      text: "Acme — Security Overview: first version recorded",
      version: "acme-security@2024-05-02",
    });
    expect(noticeFor(watchOutcome(ACME, "unchanged"))).toBeNull();
    expect(noticeFor(watchOutcome(ACME, "error"))).toBeNull();
  });

  it("says why the last check failed, and how often in a row", () => {
    expect(failureLine(ACME)).toBeNull();
    expect(pendingLine(ACME)).toBeNull();
    expect(pendingLine({ pending: "a version dated 2026-12-07 exists" })).toBe(
      "Changed, not recorded yet: a version dated 2026-12-07 exists",
    );
    expect(failureLine({ last_error: "HTTP 503", failures: 1 })).toBe("Last check failed: HTTP 503");
    expect(failureLine({ last_error: "HTTP 503", failures: 4 })).toBe("Last check failed (4 failures in a row): HTTP 503");
  });

  it("asks for the address, vendor and document before adding", () => {
    expect(missingField({ url: "", vendor: "Acme", document: "Security" })).toMatch(/address/);
    expect(missingField({ url: "https://a.example", vendor: "", document: "Security" })).toBe("Enter the vendor.");
    expect(missingField({ url: "https://a.example", vendor: "Acme", document: "" })).toBe("Enter the document's title.");
    expect(missingField({ url: "https://a.example", vendor: "Acme", document: "Security" })).toBeNull();
  });
});
