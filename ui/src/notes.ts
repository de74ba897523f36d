// Pure helpers for notes: labels, tags, citations, filters, the quote of a
// selection and a per-version cache. No DOM here, so all of it is unit-tested
// directly.
import type { Citation } from "./bindings/Citation";
import type { NoteFilter } from "./bindings/NoteFilter";
import type { NoteStatus } from "./bindings/NoteStatus";
import type { NoteView } from "./bindings/NoteView";
import { pageLabel, plural, sectionPath } from "./format";

/** Every status, in the order the selects list them. */
export const NOTE_STATUSES: readonly NoteStatus[] = ["open", "reviewed", "flagged", "needs_review"];

const STATUS_LABEL: Record<NoteStatus, string> = {
  open: "Open",
  reviewed: "Reviewed",
  flagged: "Flagged",
  needs_review: "Needs review",
};

/** `"needs_review"` → `"Needs review"`; an unknown status is shown as it came. */
export function statusLabel(status: string): string {
  return STATUS_LABEL[status as NoteStatus] ?? status;
}

/** Whether `value` is a note status (a select's value, say). */
export function isNoteStatus(value: string): value is NoteStatus {
  return (NOTE_STATUSES as readonly string[]).includes(value);
}

/**
 * A note's number. It is an i64, which crosses the IPC boundary as a JSON
 * number; a bigint (how an i64 may be typed on this side) is read as well.
 */
export function noteId(note: { id: NoteView["id"] | bigint }): number {
  return Number(note.id);
}

/**
 * Tags typed as `"Crypto, keys ,crypto"` → `["crypto", "keys"]`: split at
 * commas, trimmed, lower-cased, deduplicated and sorted (as the backend stores them).
 */
export function parseTags(input: string): string[] {
  const tags = input
    .split(",")
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t.length > 0);
  return [...new Set(tags)].sort();
}

/** `["crypto", "keys"]` → `"crypto, keys"` (the tags input's text). */
export function tagsText(tags: readonly string[]): string {
  return tags.join(", ");
}

/** Whether two tag lists hold the same tags. */
export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((t, i) => t === y[i]);
}

/** `1` → `"1 note"`, `2` → `"2 notes"`. */
export function noteCount(n: number): string {
  return plural(n, "note", "notes");
}

/**
 * A citation in one line:
 * `Heroku, “Security, Privacy and Architecture” (2023-05-05), Security › Privacy, pp. 3–4, heroku-spa@2023-05-05/privacy/1`.
 */
export function citationLine(c: Citation): string {
  const parts = [`${c.vendor}, “${c.document}” (${c.date})`];
  const section = sectionPath(c.section);
  if (section) parts.push(section);
  const pages = pageLabel(c.pages);
  if (pages) parts.push(pages);
  parts.push(c.clause_id);
  return parts.join(", ");
}

/**
 * An RFC 3339 time as `YYYY-MM-DD HH:MM` (UTC, as stored); anything else is
 * shown as it came.
 */
export function noteTime(rfc3339: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(rfc3339);
  return m ? `${m[1]} ${m[2]}` : rfc3339;
}

/** The version part of a clause ID: `doc@2023-05-05/privacy/1` → `doc@2023-05-05`. */
export function versionOfClause(clauseId: string): string {
  const slash = clauseId.indexOf("/");
  return slash >= 0 ? clauseId.slice(0, slash) : clauseId;
}

/** A note filter from the filter controls' values; empty values match everything. */
export function noteFilter(values: {
  tag?: string | null;
  status?: string | null;
  version?: string | null;
  entry?: string | null;
  clause_id?: string | null;
}): NoteFilter {
  const clean = (v: string | null | undefined) => {
    const t = (v ?? "").trim();
    return t.length > 0 ? t : null;
  };
  const tag = clean(values.tag);
  const status = clean(values.status);
  return {
    tag: tag === null ? null : tag.toLowerCase(),
    status: status !== null && isNoteStatus(status) ? status : null,
    version: clean(values.version),
    entry: clean(values.entry),
    clause_id: clean(values.clause_id),
  };
}

/** Every tag of these notes, sorted, once each. */
export function knownTags(notes: Iterable<Pick<NoteView, "tags">>): string[] {
  const all = new Set<string>();
  for (const n of notes) for (const t of n.tags) all.add(t);
  return [...all].sort();
}

/** How many notes each clause has. */
export function countByClause(notes: Iterable<Pick<NoteView, "clause_id">>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of notes) counts.set(n.clause_id, (counts.get(n.clause_id) ?? 0) + 1);
  return counts;
}

/**
 * The quote for a selection of `selected` in a clause whose text is
 * `clauseText`: the selection trimmed, or null when it is blank or not part of
 * the clause text (the backend rejects such a quote).
 */
export function selectionQuote(clauseText: string, selected: string): string | null {
  const quote = selected.trim();
  if (quote.length === 0 || !clauseText.includes(quote)) return null;
  return quote;
}

/** `“quoted words”`, shortened to `max` characters with an ellipsis. */
export function quoteLabel(quote: string, max = 60): string {
  const chars = [...quote];
  const text = chars.length > max ? `${chars.slice(0, max - 1).join("").trimEnd()}…` : quote;
  return `“${text}”`;
}

/**
 * The notes of each version loaded so far, kept up to date with the notes
 * the user adds, edits and deletes.
 */
export class NoteCache {
  private byVersion = new Map<string, NoteView[]>();

  has(version: string): boolean {
    return this.byVersion.has(version);
  }

  /** The notes of a loaded version (oldest first), or null when it is not loaded. */
  get(version: string): NoteView[] | null {
    return this.byVersion.get(version) ?? null;
  }

  /** The notes of one clause of a loaded version. */
  ofClause(clauseId: string): NoteView[] {
    return (this.byVersion.get(versionOfClause(clauseId)) ?? []).filter((n) => n.clause_id === clauseId);
  }

  /** Store a version's notes, as the backend listed them. */
  set(version: string, notes: readonly NoteView[]): void {
    this.byVersion.set(version, [...notes]);
  }

  /** Add or replace a note (when its version is loaded); a note that moved clause is moved too. */
  put(note: NoteView): void {
    this.remove(noteId(note));
    const list = this.byVersion.get(versionOfClause(note.clause_id));
    if (!list) return;
    list.push(note);
    list.sort((a, b) => noteId(a) - noteId(b));
  }

  remove(id: number): void {
    for (const [version, list] of this.byVersion) {
      const kept = list.filter((n) => noteId(n) !== id);
      if (kept.length !== list.length) this.byVersion.set(version, kept);
    }
  }

  /** Every loaded note. */
  all(): NoteView[] {
    return [...this.byVersion.values()].flat();
  }

  clear(): void {
    this.byVersion.clear();
  }
}

/**
 * A note filter in words, for the export dialog: `All notes`, or
 * `Notes tagged “crypto”, flagged, on 2023-05-05, linked to Physical security`.
 * `versions` and `areas` name version IDs and entry keys.
 */
export function describeNoteFilter(
  filter: NoteFilter,
  versions: ReadonlyMap<string, string> = new Map(),
  areas: ReadonlyMap<string, string> = new Map(),
): string {
  const parts: string[] = [];
  if (filter.tag) parts.push(`tagged “${filter.tag}”`);
  if (filter.status) parts.push(statusLabel(filter.status).toLowerCase());
  if (filter.version) parts.push(`on ${versions.get(filter.version) ?? filter.version}`);
  if (filter.entry) parts.push(`linked to ${areas.get(filter.entry) ?? filter.entry}`);
  if (filter.clause_id) parts.push(`on clause ${filter.clause_id}`);
  return parts.length === 0 ? "All notes" : `Notes ${parts.join(", ")}`;
}
