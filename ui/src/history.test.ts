import { describe, expect, it } from "vitest";
import { isCurrentStep, isGone, stepLabel } from "./history";

const step = (status: string, ids: string[] = ["v@1/a/1"], date = "2023-05-05") =>
  ({ status, date, clause_ids: ids }) as Parameters<typeof stepLabel>[0];

describe("stepLabel", () => {
  it("says what happened in words", () => {
    expect(stepLabel(step("added"), true)).toBe("First appears");
    expect(stepLabel(step("added"))).toBe("Appears");
    expect(stepLabel(step("unchanged"))).toBe("Unchanged");
    expect(stepLabel(step("editorial"))).toBe("Editorial changes only");
    expect(stepLabel(step("modified"))).toBe("Modified");
    expect(stepLabel(step("moved"))).toBe("Moved");
    expect(stepLabel(step("split", ["a", "b"]))).toBe("Split into 2 clauses");
    expect(stepLabel(step("merged", ["a"]))).toBe("Merged with other clauses");
  });

  it("says when the clause disappeared", () => {
    expect(stepLabel(step("removed", []))).toBe("Disappeared in 2023-05-05");
    expect(stepLabel(step("merged", []))).toBe("Disappeared in 2023-05-05 (merged into another clause)");
  });
});

describe("steps", () => {
  it("tell whether the clause is gone or is the one shown", () => {
    expect(isGone(step("removed", []))).toBe(true);
    expect(isGone(step("modified"))).toBe(false);
    expect(isCurrentStep(step("modified", ["x", "y"]), "y")).toBe(true);
    expect(isCurrentStep(step("modified", ["x"]), "y")).toBe(false);
  });
});
