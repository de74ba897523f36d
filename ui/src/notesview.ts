// Notes: in the reader (notereader.ts, with the clause history of
// clausehistory.ts) and in the Notes tab (its filters in notefilters.ts, its
// list in notelist.ts). Notes are edited through the note dialog
// (notedialog.ts); their status and deletion happen in place
// (noteactions.ts). This module puts the parts together and keeps them in
// step when a note changes.
//
// Rendering goes through createElement/textContent only (note text, tags and
// document text are untrusted).
import type { Entry } from "./bindings/Entry";
import type { NoteView } from "./bindings/NoteView";
import type { VersionInfo } from "./bindings/VersionInfo";
import type { Catalog } from "./catalog";
import { ClauseHistory } from "./clausehistory";
import type { ExportTarget } from "./exportdialog";
import { NoteActions } from "./noteactions";
import { NoteDialog } from "./notedialog";
import { NoteFilters } from "./notefilters";
import { NoteList } from "./notelist";
import { ReaderNotes } from "./notereader";
import { NoteStore } from "./notestore";
import type { Services } from "./services";

export interface NotesContext extends Services {
  catalog: Catalog;
  /** Open a clause in the reader. */
  openClause(clauseId: string): void;
  openExport(target: ExportTarget): void;
}

export class Notes {
  readonly dialog: NoteDialog;
  private readonly store: NoteStore;
  private readonly history: ClauseHistory;
  private readonly reader: ReaderNotes;
  private readonly filters: NoteFilters;
  private readonly list: NoteList;

  constructor(private readonly ctx: NotesContext) {
    const store = (this.store = new NoteStore(ctx, (tags) => this.filters.showTags(tags)));
    const dialog = (this.dialog = new NoteDialog({ ...ctx, saved: (note, added) => this.saved(note, added) }));
    const actions = new NoteActions({ ...ctx, store, dialog, saved: (note) => this.saved(note), deleted: (id) => this.deleted(id) });
    const history = (this.history = new ClauseHistory(ctx));
    this.reader = new ReaderNotes({ ...ctx, store, actions, dialog, history });
    this.filters = new NoteFilters({ ...ctx, changed: () => this.list.reload() });
    this.list = new NoteList({ ...ctx, store, actions, filter: () => this.filters.filter() });
  }

  /** Start loading a version's notes (the reader is about to show it). */
  prefetch(version: string): void {
    void this.ctx.track(this.store.load(version));
  }

  /** The reader shows a version with `focus` in focus: decorate its clauses. */
  readerShown(version: string, focus: HTMLElement | null): Promise<void> {
    return this.reader.shown(version, focus);
  }

  /** Fill the Notes tab's version filter. */
  setVersions(versions: readonly VersionInfo[]): void {
    this.filters.setVersions(versions);
  }

  /** Fill the Notes tab's matrix entry filter. */
  setEntries(entries: readonly Entry[]): void {
    this.filters.setEntries(entries);
  }

  /** The Notes tab is shown: list the notes matching its filters. */
  showPanel(): Promise<void> {
    this.list.visible = true;
    return this.list.reload();
  }

  /** The Notes tab is hidden. */
  hidePanel(): void {
    this.list.visible = false;
    this.filters.cancel();
  }

  /** Forget everything loaded (the corpus changed). */
  reset(): void {
    this.store.reset();
    this.history.reset();
    this.reader.reset();
    this.list.reset();
  }

  private saved(note: NoteView, added = false): void {
    this.ctx.clearError();
    this.store.put(note);
    this.reader.update();
    // The words just quoted need no more offering.
    if (added) this.reader.clearSelection();
    if (this.list.visible) void this.ctx.track(this.list.reload());
  }

  private deleted(id: number): void {
    this.ctx.clearError();
    this.store.remove(id);
    this.reader.update();
    if (this.list.visible) void this.ctx.track(this.list.reload());
  }
}
