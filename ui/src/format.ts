// Pure text formatting helpers.
import type { VersionInfo } from "./bindings/VersionInfo";

/** `["a", "b", "c"]` → `"a › b › c"`. */
export function sectionPath(section: readonly string[]): string {
  return section
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .join(" › ");
}

/** `[]` → `""`, `[3]` → `"p. 3"`, `[3, 4]` → `"pp. 3–4"` (first–last page). */
export function pageLabel(pages: readonly number[]): string {
  const unique = [...new Set(pages)].sort((a, b) => a - b);
  if (unique.length === 0) return "";
  if (unique.length === 1) return `p. ${unique[0]}`;
  return `pp. ${unique[0]}–${unique[unique.length - 1]}`;
}

/** `91` → `"read by OCR (91 % confidence)"`: how a citation marks OCR text. */
export function ocrLabel(confidence: number): string {
  return `read by OCR (${confidence} % confidence)`;
}

/** `plural(1, "hit", "hits")` → `"1 hit"`, `plural(2, "hit", "hits")` → `"2 hits"`. */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `"framework_replaced"` → `"framework replaced"`. */
export function words(value: string): string {
  return value.replace(/_/g, " ");
}

/** `1` → `"1 hit"`, `2` → `"2 hits"`. */
export function hitCount(n: number): string {
  return plural(n, "hit", "hits");
}

/** `vendor — document`. */
export function documentTitle(v: Pick<VersionInfo, "vendor" | "document">): string {
  return `${v.vendor} — ${v.document}`;
}

/** `vendor — document (date)`, the version filter's option label. */
export function versionLabel(v: Pick<VersionInfo, "vendor" | "document" | "date">): string {
  return `${documentTitle(v)} (${v.date})`;
}

/** HTML heading tag for a document heading level: level 1 → h2 … clamped to h2–h5. */
export function headingTag(level: number): "h2" | "h3" | "h4" | "h5" {
  const n = Number.isFinite(level) ? Math.round(level) + 1 : 2;
  const clamped = Math.min(5, Math.max(2, n));
  return `h${clamped}` as "h2" | "h3" | "h4" | "h5";
}

/**
 * The part of a clause id after its version, for a compact caption:
 * `heroku-spa@2023-05-05/audits-and-certifications/3` → `audits-and-certifications/3`.
 */
export function shortClauseId(clauseId: string, versionId?: string): string {
  if (versionId && clauseId.startsWith(`${versionId}/`)) return clauseId.slice(versionId.length + 1);
  const slash = clauseId.indexOf("/");
  return slash >= 0 && clauseId.slice(0, slash).includes("@") ? clauseId.slice(slash + 1) : clauseId;
}

/** One-line corpus status for the footer. */
export function statusLine(s: {
  source: string;
  versions: number;
  clauses: number;
  index: string;
  warnings: readonly string[];
}): string {
  return [
    `Corpus: ${s.source}`,
    plural(s.versions, "version", "versions"),
    plural(s.clauses, "clause", "clauses"),
    `index ${s.index}`,
    plural(s.warnings.length, "warning", "warnings"),
  ].join(" · ");
}
