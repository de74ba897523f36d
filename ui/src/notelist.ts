// The Notes tab's list (`#notes-list`): the notes matching the filters, each
// with its citation; a note whose clause is in the corpus opens it in the
// reader (click, Enter or Space).
import { toApiError } from "./api";
import type { NoteFilter } from "./bindings/NoteFilter";
import type { NoteView } from "./bindings/NoteView";
import type { Catalog } from "./catalog";
import { byIdIn, closestTo, isActivation, targetIs } from "./dom";
import { focusedControl, restoreFocus, type NoteActions } from "./noteactions";
import { describeNoteFilter, noteCount } from "./notes";
import { NO_NOTE_FILTER, type NoteStore } from "./notestore";
import { renderNote } from "./noterender";
import type { Services } from "./services";

const EMPTY = "No notes yet. Select words of a clause in the reader, or use “Add note” on a clause.";

export interface NoteListContext extends Services {
  catalog: Catalog;
  store: NoteStore;
  actions: NoteActions;
  /** The filter bar's current filter. */
  filter(): NoteFilter;
  /** Open a clause in the reader. */
  openClause(clauseId: string): void;
}

export class NoteList {
  private readonly summary: HTMLDivElement;
  private readonly list: HTMLUListElement;
  /** Whether the Notes tab is shown (changes elsewhere then list the notes again). */
  visible = false;
  // A listing that arrives after a newer one was asked for is dropped.
  private seq = 0;

  constructor(private readonly ctx: NoteListContext) {
    const byId = byIdIn(ctx.doc);
    this.summary = byId<HTMLDivElement>("notes-summary");
    this.list = byId<HTMLUListElement>("notes-list");
    this.list.addEventListener("click", (event) => {
      if (!ctx.actions.click(event)) this.openFromCard(event);
    });
    this.list.addEventListener("keydown", (event) => {
      if (!isActivation(event)) return;
      if (targetIs(event, "li.note-card") && this.openFromCard(event)) event.preventDefault();
    });
    this.list.addEventListener("change", (event) => ctx.actions.change(event));
  }

  /** List the notes matching the filters. */
  async reload(): Promise<void> {
    const f = this.ctx.filter();
    const mine = ++this.seq;
    this.list.setAttribute("aria-busy", "true");
    try {
      const notes = await this.ctx.api.notes(f);
      if (mine !== this.seq) return;
      this.ctx.clearError();
      this.render(notes, f);
    } catch (e) {
      if (mine !== this.seq) return;
      this.list.replaceChildren();
      this.summary.textContent = "Could not list the notes — see the message above.";
      this.ctx.showError(toApiError(e), "Could not list the notes");
    } finally {
      if (mine === this.seq) this.list.removeAttribute("aria-busy");
    }
  }

  /** Forget the notes listed (the corpus changed). */
  reset(): void {
    this.seq++;
    this.list.replaceChildren();
    this.summary.textContent = "";
  }

  private render(notes: readonly NoteView[], f: NoteFilter): void {
    const { doc } = this.ctx;
    this.ctx.store.remember(notes);
    const filtered = describeNoteFilter(f) !== describeNoteFilter(NO_NOTE_FILTER);
    if (notes.length === 0) {
      this.summary.textContent = filtered ? "No note matches these filters." : EMPTY;
    } else {
      const verb = notes.length === 1 ? "matches" : "match";
      this.summary.textContent = filtered ? `${noteCount(notes.length)} ${verb} these filters` : noteCount(notes.length);
    }
    const was = focusedControl(doc, this.list);
    this.list.replaceChildren(
      ...notes.map((n) => {
        const li = renderNote(doc, n, { citation: true, areas: this.ctx.catalog.areas });
        li.classList.add("note-card");
        if (n.citation) {
          li.classList.add("openable");
          li.tabIndex = 0;
        }
        return li;
      }),
    );
    restoreFocus(doc, this.list, was);
  }

  /** Open the clause of the note card the event is on; true when it did. */
  private openFromCard(event: Event): boolean {
    if (closestTo(event, "button, select, input, textarea, a")) return false;
    const li = closestTo(event, "li.note-card.openable");
    const clauseId = li?.dataset.clauseId;
    if (!li || !clauseId) return false;
    // Selecting words of a note to copy them is not a click on it.
    const sel = this.ctx.doc.getSelection?.() ?? null;
    if (event.type === "click" && sel && !sel.isCollapsed && li.contains(sel.anchorNode)) return false;
    this.ctx.openClause(clauseId);
    return true;
  }
}
