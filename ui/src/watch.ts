// What the Watch tab and its notices say, decided without touching the DOM.
import type { SourceView } from "./bindings/SourceView";
import type { WatchOutcome } from "./bindings/WatchOutcome";
import { plural } from "./format";

/** `vendor — document`, how a watched page is named everywhere. */
export function sourceTitle(s: Pick<SourceView, "vendor" | "document">): string {
  return `${s.vendor} — ${s.document}`;
}

/**
 * An RFC 3339 time as the list shows it: `2024-05-01T09:30:12Z` →
 * `2024-05-01 09:30 UTC`; null → `never`. Kept in UTC, as the backend
 * writes it, so that the list reads the same as `trustlens watch list`.
 */
export function watchTime(iso: string | null): string {
  if (iso === null) return "never";
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]00:00)$/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** `3 checked: 1 new version, 1 error`; `2 checked: nothing new` when nothing changed. */
export function checkSummary(outcomes: readonly WatchOutcome[]): string {
  if (outcomes.length === 0) return "Nothing to check: no page is watched.";
  const count = (result: WatchOutcome["result"]) => outcomes.filter((o) => o.result === result).length;
  const parts = [];
  const added = count("new_version");
  const waiting = count("deferred");
  const failed = count("error");
  if (added > 0) parts.push(plural(added, "new version", "new versions"));
  if (waiting > 0) parts.push(`${plural(waiting, "change", "changes")} to record on a later day`);
  if (failed > 0) parts.push(plural(failed, "error", "errors"));
  return `${outcomes.length} checked: ${parts.length > 0 ? parts.join(", ") : "nothing new"}`;
}

/** A notice to show for one outcome: a new version after an earlier one (compare them), or the first one. */
export type Notice =
  | { kind: "changed"; text: string; previous: string; version: string }
  | { kind: "first"; text: string; version: string };

/** The notice an outcome calls for, or null (unchanged, failed, or no version named). */
export function noticeFor(o: WatchOutcome): Notice | null {
  if (o.result !== "new_version" || o.version === null) return null;
  const title = sourceTitle(o);
  if (o.previous === null) return { kind: "first", text: `${title}: first version recorded`, version: o.version };
  const counts = o.changes ? `: ${plural(o.changes.changes, "change", "changes")}, ${o.changes.high} high` : "";
  return { kind: "changed", text: `${title} changed${counts}`, previous: o.previous, version: o.version };
}

/** The failures line of a source: its last error, and how often it failed in a row. */
export function failureLine(s: Pick<SourceView, "last_error" | "failures">): string | null {
  if (s.last_error === null) return null;
  const times = s.failures > 1 ? ` (${s.failures} failures in a row)` : "";
  return `Last check failed${times}: ${s.last_error}`;
}

/** The pending line of a source: a change found that a check on a later day records, or null. */
export function pendingLine(s: Pick<SourceView, "pending">): string | null {
  return s.pending === null ? null : `Changed, not recorded yet: ${s.pending}`;
}

/** What is missing before a page can be watched, or null (the backend checks the rest). */
export function missingField(s: Pick<SourceView, "url" | "vendor" | "document">): string | null {
  if (!s.url) return "Enter the page's address (http or https).";
  if (!s.vendor) return "Enter the vendor.";
  if (!s.document) return "Enter the document's title.";
  return null;
}
