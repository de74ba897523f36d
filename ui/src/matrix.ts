// Pure helpers for the responsibility matrix: labels, cell classes, link
// badges and tooltips. No DOM here, so all of it is unit-tested directly.
import type { Entry } from "./bindings/Entry";
import type { Link } from "./bindings/Link";
import type { MatrixGrid } from "./bindings/MatrixGrid";
import type { Owner } from "./bindings/Owner";
import type { ServiceModels } from "./bindings/ServiceModels";
import { plural } from "./format";
import { SHIFT_LABELS } from "./bindings/Conventions";
import type { ShiftKind } from "./bindings/ShiftKind";

const OWNER_LABEL: Record<Owner, string> = {
  provider: "Provider",
  customer: "Customer",
  shared: "Shared",
};

const OWNER_TITLE: Record<Owner, string> = {
  provider: "The provider carries this area",
  customer: "The customer carries this area",
  shared: "Provider and customer share this area",
};

/** `"provider"` → `"Provider"`; an unknown owner is shown as it came. */
export function ownerLabel(owner: string): string {
  return OWNER_LABEL[owner as Owner] ?? owner;
}

/** A sentence for the owner badge's tooltip. */
export function ownerTitle(owner: string): string {
  return OWNER_TITLE[owner as Owner] ?? `Owner: ${owner}`;
}

/** Class list of the owner badge: `owner-badge owner-shared`. */
export function ownerClass(owner: string): string {
  const known = owner in OWNER_LABEL ? owner : "unknown";
  return `owner-badge owner-${known}`;
}

/** Class list of a grid cell's button: muted for 0, stronger with more clauses. */
export function cellClass(count: number): string {
  if (!(count > 0)) return "matrix-cell zero";
  return count >= 3 ? "matrix-cell many" : "matrix-cell some";
}

/** `1` → `"1 clause"`, `2` → `"2 clauses"`. */
export function clauseCount(n: number): string {
  return plural(n, "clause", "clauses");
}

/** The accessible name of a grid cell. */
export function cellLabel(count: number, area: string, date: string): string {
  return `${clauseCount(count)} of ${date} linked to ${area}`;
}

/** The row tooltip: what each side does. */
export function entryTooltip(entry: Pick<Entry, "provider" | "customer">): string {
  return `Provider: ${entry.provider}\nCustomer: ${entry.customer}`;
}

/** `0.9` → `"0.90"`; anything that is not a number is shown as `"?"`. */
export function confidenceText(confidence: number): string {
  return Number.isFinite(confidence) ? confidence.toFixed(2) : "?";
}

/** The link-source badge: `"auto 0.90"` for a rule's link, `"manual"` for the user's. */
export function linkSourceLabel(link: Pick<Link, "source" | "confidence">): string {
  return link.source === "manual" ? "manual" : `auto ${confidenceText(link.confidence)}`;
}

/** A link chip's tooltip: why it exists and how sure it is. */
export function linkTooltip(link: Pick<Link, "reason" | "confidence">): string {
  return `${link.reason} (confidence ${confidenceText(link.confidence)})`;
}

/** `"moved_to_customer"` → `"moved to customer"`. */
export function shiftLabel(kind: ShiftKind): string {
  return SHIFT_LABELS[kind];
}

/**
 * An entry's display name from its key: the area when the entry is known,
 * else the key's last part (`"m/backup-replication"` → `"backup-replication"`).
 */
export function areaOf(key: string, areas: ReadonlyMap<string, string>): string {
  const area = areas.get(key);
  if (area) return area;
  const slash = key.lastIndexOf("/");
  return slash >= 0 ? key.slice(slash + 1) : key;
}

const MODEL_NAMES: Array<[keyof ServiceModels, string]> = [
  ["iaas", "IaaS"],
  ["paas", "PaaS"],
  ["saas", "SaaS"],
];

/** The per-model notes an entry has, in IaaS, PaaS, SaaS order. */
export function modelNotes(models: ServiceModels): Array<{ model: string; note: string }> {
  const out: Array<{ model: string; note: string }> = [];
  for (const [field, model] of MODEL_NAMES) {
    const note = models[field]?.trim();
    if (note) out.push({ model, note });
  }
  return out;
}

/** The one-line summary above the grid. */
export function matrixSummary(grid: Pick<MatrixGrid, "matrices" | "entries" | "versions">): string {
  if (grid.matrices.length === 0 || grid.entries.length === 0) return "No responsibility matrix is loaded.";
  const title = grid.matrices[0].title;
  const more = grid.matrices.length - 1;
  const head = more > 0 ? `${title} (and ${more} more ${more === 1 ? "matrix" : "matrices"})` : title;
  return `${head} · ${plural(grid.entries.length, "entry", "entries")} × ${plural(grid.versions.length, "version", "versions")}`;
}

