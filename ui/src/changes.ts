// Pure helpers for the compare view: labels, card filters, the default pair
// of versions. No DOM here, so all of it is unit-tested directly.
import type { ChangeCard } from "./bindings/ChangeCard";
import type { CompareRow } from "./bindings/CompareRow";
import type { EditorialItem } from "./bindings/EditorialItem";
import type { EditorialReason } from "./bindings/EditorialReason";
import type { VersionInfo } from "./bindings/VersionInfo";
import { plural, shortClauseId, words } from "./format";
import { DIRECTION_LABELS } from "./bindings/Conventions";
import type { Direction } from "./bindings/Direction";

/** `"favours_customer"` → `"favours customer"`, `"unclear"` → `"direction unclear"`. */
export function directionLabel(direction: Direction): string {
  if (direction === "unclear") return "direction unclear";
  return DIRECTION_LABELS[direction];
}

export interface CardFilter {
  kind: string;
  severity: string;
  direction: string;
  /** A topic ID of the taxonomy. */
  topic: string;
}

export const NO_FILTER: CardFilter = { kind: "", severity: "", direction: "", topic: "" };

/** Indices of the cards that pass the filter (an empty field passes all), in card order. */
export function filterCards(cards: readonly ChangeCard[], filter: CardFilter): number[] {
  const out: number[] = [];
  cards.forEach((card, i) => {
    if (filter.kind && card.kind !== filter.kind) return;
    if (filter.severity && card.severity !== filter.severity) return;
    if (filter.direction && card.direction !== filter.direction) return;
    if (filter.topic && card.topic !== filter.topic) return;
    out.push(i);
  });
  return out;
}

/**
 * The position of card `card` (an index into the unfiltered list) among the
 * cards `shown` now, or null when the filters hide it.
 */
export function shownPosition(shown: readonly number[], card: number): number | null {
  const i = shown.indexOf(card);
  return i >= 0 ? i : null;
}

const SEVERITY_ORDER = ["high", "medium", "low"];

/**
 * The distinct values of one card field with their counts, in a stable order.
 * Cards without a value (no topic) are not counted.
 */
export function facetValues(
  cards: readonly ChangeCard[],
  field: keyof CardFilter,
): Array<{ value: string; count: number }> {
  const counts = new Map<string, number>();
  for (const card of cards) {
    const value = card[field];
    if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  const values = [...counts.keys()];
  if (field === "severity") {
    values.sort((a, b) => SEVERITY_ORDER.indexOf(a) - SEVERITY_ORDER.indexOf(b));
  } else {
    values.sort();
  }
  return values.map((value) => ({ value, count: counts.get(value) ?? 0 }));
}

/** A topic's name from the comparison's `topic_names`, or its ID when it has none. */
export function topicName(names: Partial<Record<string, string>>, topic: string): string {
  return names[topic] ?? topic;
}

/** The topic facet: each topic of the cards with its name and count, by name. */
export function topicFacets(
  cards: readonly ChangeCard[],
  names: Partial<Record<string, string>>,
): Array<{ value: string; label: string; count: number }> {
  return facetValues(cards, "topic")
    .map(({ value, count }) => ({ value, label: topicName(names, value), count }))
    .sort((a, b) => a.label.localeCompare(b.label) || a.value.localeCompare(b.value));
}

/** How each reason for an editorial change is named. */
export const EDITORIAL_REASON_LABELS: Record<EditorialReason, string> = {
  dates: "dates",
  links: "links",
  typography: "typography",
  capitalisation: "capitalisation",
  reflow: "reflow",
  reworded: "rewording",
  table_row: "table row",
  boilerplate: "copyright notice",
};

/** `"5 editorial changes (3 dates · 2 typography)"`: the count, then each reason's, most frequent first. */
export function editorialSummary(items: readonly EditorialItem[]): string {
  const counts = new Map<EditorialReason, number>();
  for (const item of items) counts.set(item.reason, (counts.get(item.reason) ?? 0) + 1);
  const reasons = [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => `${n} ${EDITORIAL_REASON_LABELS[reason]}`);
  const count = plural(items.length, "editorial change", "editorial changes");
  return reasons.length > 0 ? `${count} (${reasons.join(" · ")})` : count;
}

/** An editorial change's clauses, `"old → new"` in short IDs; a missing side is `—`. */
export function editorialClauses(item: EditorialItem, oldVersion: string, newVersion: string): string {
  const side = (ids: readonly string[], version: string) =>
    ids.length > 0 ? ids.map((id) => shortClauseId(id, version)).join(" + ") : "—";
  return `${side(item.old, oldVersion)} → ${side(item.new, newVersion)}`;
}

/** Indices of the side-by-side rows that hold any of these clauses (either side), in row order. */
export function rowsOfClauses(rows: readonly CompareRow[], clauseIds: readonly string[]): number[] {
  const wanted = new Set(clauseIds);
  const out: number[] = [];
  rows.forEach((row, i) => {
    if (row.type === "pair" && [...row.old_ids, ...row.new_ids].some((id) => wanted.has(id))) out.push(i);
  });
  return out;
}

/**
 * The pair to compare when the view opens: the two latest versions of the
 * document with the most recent version that has an earlier one. Null when no
 * document has two versions.
 */
export function defaultPair(versions: readonly VersionInfo[]): { old: string; new: string } | null {
  const byDoc = new Map<string, VersionInfo[]>();
  for (const v of versions) {
    const list = byDoc.get(v.document_id) ?? [];
    list.push(v);
    byDoc.set(v.document_id, list);
  }
  let best: { old: VersionInfo; new: VersionInfo } | null = null;
  for (const list of byDoc.values()) {
    if (list.length < 2) continue;
    const sorted = [...list].sort((a, b) => a.date.localeCompare(b.date));
    const pair = { old: sorted[sorted.length - 2], new: sorted[sorted.length - 1] };
    if (!best || pair.new.date > best.new.date) best = pair;
  }
  return best ? { old: best.old.id, new: best.new.id } : null;
}

/** `{modified: 3, added: 1}` → `"3 modified · 1 added"`, most frequent first. */
export function countsLine(counts: Partial<Record<string, number>>): string {
  return Object.entries(counts)
    .filter((e): e is [string, number] => typeof e[1] === "number" && e[1] > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, v]) => `${v} ${words(k)}`)
    .join(" · ");
}

/**
 * Split `text` into plain and marked parts at the spans' texts. The backend's
 * span offsets count UTF-8 bytes, so the parts are found by their text, in
 * order, rather than by offset; a span whose text is not found is skipped.
 */
export function markSpans(
  text: string,
  spans: ReadonlyArray<{ text: string }>,
): Array<{ text: string; hit: boolean }> {
  const parts: Array<{ text: string; hit: boolean }> = [];
  let pos = 0;
  for (const span of spans) {
    if (!span.text) continue;
    const at = text.indexOf(span.text, pos);
    if (at < 0) continue;
    if (at > pos) parts.push({ text: text.slice(pos, at), hit: false });
    parts.push({ text: span.text, hit: true });
    pos = at + span.text.length;
  }
  if (pos < text.length) parts.push({ text: text.slice(pos), hit: false });
  return parts;
}
