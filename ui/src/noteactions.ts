// The controls of a note (`li.note`), wherever it is shown (the reader or
// the Notes tab): Edit opens the note dialog, the status select changes the
// status in place, Delete asks in the page first (the desktop webview's
// window.confirm is unreliable).
import { toApiError } from "./api";
import type { NoteView } from "./bindings/NoteView";
import { closestTo } from "./dom";
import type { NoteDialog } from "./notedialog";
import { isNoteStatus, noteId } from "./notes";
import type { NoteStore } from "./notestore";
import { renderDeleteConfirm, renderNoteActions } from "./noterender";
import type { Services } from "./services";

/** A note control that had the keyboard focus, to give it back after a re-render. */
export interface FocusedControl {
  id: string;
  selector: string;
}

export function focusedControl(doc: Document, container: Element): FocusedControl | null {
  const active = doc.activeElement;
  if (!active || !container.contains(active)) return null;
  const id = active.closest<HTMLElement>("li.note")?.dataset.noteId;
  if (!id) return null;
  for (const selector of ["select.note-status", "button.note-edit", "button.note-delete"]) {
    if (active.matches(selector)) return { id, selector };
  }
  return { id, selector: "button.note-edit" };
}

export function restoreFocus(doc: Document, container: Element, was: FocusedControl | null): void {
  if (!was || container.contains(doc.activeElement)) return;
  const li = container.querySelector<HTMLElement>(`li.note[data-note-id="${was.id}"]`);
  li?.querySelector<HTMLElement>(was.selector)?.focus();
}

export interface NoteActionsContext extends Services {
  store: NoteStore;
  dialog: NoteDialog;
  /** The backend saved a note's new status. */
  saved(note: NoteView): void;
  /** The backend deleted a note (its `li` is gone already). */
  deleted(id: number): void;
}

export class NoteActions {
  constructor(private readonly ctx: NoteActionsContext) {}

  /** A click on a note's buttons; true when it was one. */
  click(event: Event): boolean {
    const button = closestTo<HTMLButtonElement>(event, "li.note button");
    const at = button ? this.noteAt(button) : null;
    if (!button || !at) return false;
    const { doc } = this.ctx;
    const { li, note } = at;
    if (button.matches(".note-edit")) {
      this.ctx.dialog.openEdit(note);
    } else if (button.matches(".note-delete")) {
      const confirm = renderDeleteConfirm(doc);
      li.querySelector(".note-actions")?.replaceWith(confirm);
      confirm.querySelector<HTMLButtonElement>(".note-delete-cancel")?.focus();
    } else if (button.matches(".note-delete-cancel")) {
      const actions = renderNoteActions(doc);
      li.querySelector(".note-confirm")?.replaceWith(actions);
      actions.querySelector<HTMLButtonElement>(".note-delete")?.focus();
    } else if (button.matches(".note-delete-confirm")) {
      void this.ctx.track(this.delete(note, li));
    } else {
      return false;
    }
    return true;
  }

  /** A change of a note's status select. */
  change(event: Event): void {
    const select = closestTo<HTMLSelectElement>(event, "li.note select.note-status");
    const at = select ? this.noteAt(select) : null;
    if (select && at) void this.ctx.track(this.setStatus(at.note, select));
  }

  /** The note of a control inside an `li.note`. */
  private noteAt(control: Element): { li: HTMLElement; note: NoteView } | null {
    const li = control.closest<HTMLElement>("li.note");
    const note = li ? this.ctx.store.note(Number(li.dataset.noteId)) : undefined;
    return li && note ? { li, note } : null;
  }

  private async setStatus(note: NoteView, select: HTMLSelectElement): Promise<void> {
    const status = select.value;
    if (!isNoteStatus(status) || status === note.status) return;
    select.disabled = true;
    try {
      this.ctx.saved(await this.ctx.api.editNote(noteId(note), { text: null, tags: null, status }));
    } catch (e) {
      select.value = note.status;
      this.ctx.showError(toApiError(e), `Could not change the status of note #${noteId(note)}`);
    } finally {
      select.disabled = false;
    }
  }

  private async delete(note: NoteView, li: HTMLElement): Promise<void> {
    const confirm = li.querySelector<HTMLElement>(".note-confirm");
    for (const b of confirm?.querySelectorAll("button") ?? []) b.disabled = true;
    try {
      await this.ctx.api.deleteNote(noteId(note));
      li.remove();
      this.ctx.deleted(noteId(note));
    } catch (e) {
      confirm?.replaceWith(renderNoteActions(this.ctx.doc));
      this.ctx.showError(toApiError(e), `Could not delete note #${noteId(note)}`);
    }
  }
}
