// The notes loaded so far: each version's notes (loaded once, for the
// reader), every note on screen by number (the reader's and the Notes
// tab's, for their controls), and the tags seen (offered by the tag filter).
import { toApiError } from "./api";
import type { NoteFilter } from "./bindings/NoteFilter";
import type { NoteView } from "./bindings/NoteView";
import { NoteCache, noteId } from "./notes";
import type { Services } from "./services";

export const NO_NOTE_FILTER: NoteFilter = { tag: null, status: null, version: null, entry: null, clause_id: null };

export class NoteStore {
  private readonly cache = new NoteCache();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly known = new Map<number, NoteView>();
  // Kept across a corpus change: the tags typed before are still worth offering.
  private readonly tagsSeen = new Set<string>();
  // Bumped when everything is forgotten: loads started before are dropped.
  private generation = 0;

  constructor(
    private readonly services: Pick<Services, "api" | "showError">,
    /** Every tag seen so far, sorted; called whenever notes are remembered. */
    private readonly tagsChanged: (tags: string[]) => void,
  ) {}

  /** Load a version's notes, once (a load under way is shared). */
  load(version: string): Promise<void> {
    if (this.cache.has(version)) return Promise.resolve();
    const pending = this.loading.get(version);
    if (pending) return pending;
    const mine = this.generation;
    const p = this.services.api
      .notes({ ...NO_NOTE_FILTER, version })
      .then(
        (notes) => {
          if (mine !== this.generation) return;
          this.cache.set(version, notes);
          this.remember(notes);
        },
        (e) => {
          if (mine !== this.generation) return;
          this.services.showError(toApiError(e), "Could not load the notes");
        },
      )
      .finally(() => {
        if (this.loading.get(version) === p) this.loading.delete(version);
      });
    this.loading.set(version, p);
    return p;
  }

  /** Notes now on screen (listed by the Notes tab, or just saved). */
  remember(notes: Iterable<NoteView>): void {
    for (const n of notes) {
      this.known.set(noteId(n), n);
      for (const t of n.tags) this.tagsSeen.add(t);
    }
    this.tagsChanged([...this.tagsSeen].sort());
  }

  /** A note on screen, by number. */
  note(id: number): NoteView | undefined {
    return this.known.get(id);
  }

  /** A loaded version's notes; none when it is not loaded. */
  ofVersion(version: string): NoteView[] {
    return this.cache.get(version) ?? [];
  }

  ofClause(clauseId: string): NoteView[] {
    return this.cache.ofClause(clauseId);
  }

  /** A note was added or changed. */
  put(note: NoteView): void {
    this.cache.put(note);
    this.remember([note]);
  }

  /** A note was deleted. */
  remove(id: number): void {
    this.cache.remove(id);
    this.known.delete(id);
  }

  /** Forget every note (the corpus changed). */
  reset(): void {
    this.generation++;
    this.cache.clear();
    this.loading.clear();
    this.known.clear();
  }
}
