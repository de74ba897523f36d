// Pure helpers for key terms: where a term is, what became of it, and the
// one-line summaries of a sheet. No DOM here.
import type { Citation } from "./bindings/Citation";
import type { TermChange } from "./bindings/TermChange";
import type { TermSheet } from "./bindings/TermSheet";
import type { TermsCompared } from "./bindings/TermsCompared";
import { pageLabel, plural } from "./format";

/** How each fate of a key term is named (the text marker, beside its class). */
export const TERM_CHANGE_LABELS: Record<TermChange, string> = {
  same: "same",
  changed: "changed",
  added: "added",
  removed: "removed",
};

const CHANGE_ORDER: readonly TermChange[] = ["changed", "added", "removed", "same"];

/**
 * Where a term is, as the backend's `terms::place` writes it: the innermost
 * section, then the pages (`"§ Security Incident Notification, p. 4"`).
 * Without a section, the pages alone.
 */
export function termPlace(c: Pick<Citation, "section" | "pages">): string {
  const section = c.section.length > 0 ? c.section[c.section.length - 1].trim() : "";
  return [section ? `§ ${section}` : "", pageLabel(c.pages)].filter((s) => s.length > 0).join(", ");
}

/** How many rows of each kind two versions' key terms have. */
export function termChangeCounts(compared: Pick<TermsCompared, "topics">): Record<TermChange, number> {
  const counts: Record<TermChange, number> = { same: 0, changed: 0, added: 0, removed: 0 };
  for (const topic of compared.topics) for (const row of topic.rows) counts[row.change]++;
  return counts;
}

/** `"3 topics: 1 changed · 1 added · 2 same"` (kinds with no row left out). */
export function comparedSummary(compared: Pick<TermsCompared, "topics">): string {
  const counts = termChangeCounts(compared);
  const parts = CHANGE_ORDER.filter((c) => counts[c] > 0).map((c) => `${counts[c]} ${TERM_CHANGE_LABELS[c]}`);
  const topics = plural(compared.topics.length, "topic", "topics");
  return parts.length > 0 ? `${topics}: ${parts.join(" · ")}` : topics;
}

/** `"5 key terms in 3 topics"`. */
export function sheetSummary(sheet: Pick<TermSheet, "topics">): string {
  const terms = sheet.topics.reduce((n, t) => n + t.terms.length, 0);
  return `${plural(terms, "key term", "key terms")} in ${plural(sheet.topics.length, "topic", "topics")}`;
}
