// Pure helpers for a clause's history (its lineage across versions). No DOM.
import type { Step } from "./bindings/Step";
import { words } from "./format";

/** Whether the clause is gone in this step (removed, or merged into another clause). */
export function isGone(step: Pick<Step, "clause_ids">): boolean {
  return step.clause_ids.length === 0;
}

/**
 * What happened to the clause in one step, in words. `first` is true for the
 * lineage's first step.
 */
export function stepLabel(step: Pick<Step, "status" | "date" | "clause_ids">, first = false): string {
  const n = step.clause_ids.length;
  switch (step.status) {
    case "added":
      return first ? "First appears" : "Appears";
    case "removed":
      return `Disappeared in ${step.date}`;
    case "merged":
      return n === 0 ? `Disappeared in ${step.date} (merged into another clause)` : "Merged with other clauses";
    case "unchanged":
      return "Unchanged";
    case "editorial":
      return "Editorial changes only";
    case "modified":
      return "Modified";
    case "moved":
      return "Moved";
    case "split":
      return n > 1 ? `Split into ${n} clauses` : "Split";
    default:
      return words(String(step.status));
  }
}

/** Whether the step holds this clause (the one the reader shows). */
export function isCurrentStep(step: Pick<Step, "clause_ids">, clauseId: string): boolean {
  return step.clause_ids.includes(clauseId);
}
