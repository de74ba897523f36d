// The note editor (`dialog#note-dialog`): add a note on a clause or on
// quoted words of it, or edit a note. A failed save keeps the dialog open
// with everything the user typed, and says why.
import { toApiError } from "./api";
import type { NoteEdit } from "./bindings/NoteEdit";
import type { NoteStatus } from "./bindings/NoteStatus";
import type { NoteView } from "./bindings/NoteView";
import { closeDialog, hideMessage, openDialog, showMessage } from "./dialogs";
import { byIdIn } from "./dom";
import { citationLine, isNoteStatus, noteId, parseTags, quoteLabel, sameTags, tagsText } from "./notes";
import type { DialogServices } from "./services";

export interface NoteTarget {
  clauseId: string;
  /** The quoted words, or null for a note on the whole clause. */
  quote: string | null;
}

export interface NoteDialogContext extends DialogServices {
  /** A note was added (`added`) or changed. */
  saved(note: NoteView, added: boolean): void;
}

/** What the dialog is for: a new note on a clause, or an existing note. */
type Purpose = { kind: "add"; target: NoteTarget } | { kind: "edit"; note: NoteView };

export class NoteDialog {
  private readonly dialog: HTMLDialogElement;
  private readonly title: HTMLHeadingElement;
  private readonly target: HTMLElement;
  private readonly quote: HTMLElement;
  private readonly text: HTMLTextAreaElement;
  private readonly tags: HTMLInputElement;
  private readonly status: HTMLSelectElement;
  private readonly error: HTMLDivElement;
  private readonly saveButton: HTMLButtonElement;

  private purpose: Purpose | null = null;
  private saving = false;

  constructor(private readonly ctx: NoteDialogContext) {
    const byId = byIdIn(ctx.doc);
    this.dialog = byId<HTMLDialogElement>("note-dialog");
    this.title = byId<HTMLHeadingElement>("note-dialog-title");
    this.target = byId<HTMLElement>("note-target");
    this.quote = byId<HTMLElement>("note-quote");
    this.text = byId<HTMLTextAreaElement>("note-text");
    this.tags = byId<HTMLInputElement>("note-tags");
    this.status = byId<HTMLSelectElement>("note-status");
    this.error = byId<HTMLDivElement>("note-error");
    this.saveButton = byId<HTMLButtonElement>("note-save");
    byId<HTMLFormElement>("note-form").addEventListener("submit", (event) => {
      event.preventDefault();
      void ctx.track(this.save());
    });
    this.text.addEventListener("keydown", (event) => {
      // Ctrl+Enter (Cmd+Enter) saves from the text area.
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void ctx.track(this.save());
      }
    });
    byId<HTMLButtonElement>("note-cancel").addEventListener("click", () => this.close());
  }

  get isOpen(): boolean {
    return this.dialog.open;
  }

  openAdd(t: NoteTarget): void {
    this.purpose = { kind: "add", target: t };
    this.dialog.dataset.mode = "add";
    this.title.textContent = t.quote ? "Add a note on these words" : "Add a note on this clause";
    this.target.textContent = t.clauseId;
    this.target.title = t.clauseId;
    this.text.value = "";
    this.tags.value = "";
    this.status.value = "open";
    this.saveButton.textContent = "Save note";
    this.show(t.quote);
  }

  openEdit(note: NoteView): void {
    this.purpose = { kind: "edit", note };
    this.dialog.dataset.mode = "edit";
    this.title.textContent = `Edit note #${noteId(note)}`;
    this.target.textContent = note.citation ? citationLine(note.citation) : note.clause_id;
    this.target.title = note.clause_id;
    this.text.value = note.text;
    this.tags.value = tagsText(note.tags);
    this.status.value = note.status;
    this.saveButton.textContent = "Save changes";
    this.show(note.quote?.exact ?? null);
  }

  close(): void {
    this.purpose = null;
    closeDialog(this.dialog);
  }

  /** Save what the dialog holds (what the Save button does). */
  async save(): Promise<void> {
    if (!this.purpose || this.saving) return;
    const body = this.text.value;
    if (body.trim().length === 0) {
      showMessage(this.error, "Write the note first: the text cannot be empty.");
      this.text.focus();
      return;
    }
    const current = this.purpose;
    this.saving = true;
    this.saveButton.disabled = true;
    hideMessage(this.error);
    try {
      const sent = this.send(current, body);
      // Nothing changed: nothing to send.
      if (sent === null) {
        this.close();
        return;
      }
      const note = await sent;
      // The user may have closed the dialog meanwhile: the note is saved all the same.
      if (this.purpose === current) this.close();
      this.ctx.saved(note, current.kind === "add");
    } catch (e) {
      const err = toApiError(e);
      // Keep the dialog open with what was typed (open it again if it was closed meanwhile).
      if (!this.dialog.open) {
        this.purpose = current;
        openDialog(this.dialog);
      }
      showMessage(this.error, `Could not save the note: ${err.message}`, err.code);
      this.text.focus();
    } finally {
      this.saving = false;
      this.saveButton.disabled = false;
    }
  }

  private show(quoted: string | null): void {
    this.quote.textContent = quoted ? quoteLabel(quoted, 400) : "";
    this.quote.hidden = !quoted;
    hideMessage(this.error);
    this.saveButton.disabled = false;
    openDialog(this.dialog);
    this.text.focus();
  }

  /** Add the note, or send what changed in it; null when nothing changed. */
  private send(purpose: Purpose, body: string): Promise<NoteView> | null {
    const chosen: NoteStatus = isNoteStatus(this.status.value) ? this.status.value : "open";
    const tags = parseTags(this.tags.value);
    if (purpose.kind === "add") {
      const { clauseId, quote } = purpose.target;
      return this.ctx.api.addNote({ clause_id: clauseId, text: body, tags, quote, status: chosen });
    }
    const old = purpose.note;
    const edit: NoteEdit = {
      text: body !== old.text ? body : null,
      tags: sameTags(tags, old.tags) ? null : tags,
      status: chosen !== old.status ? chosen : null,
    };
    if (edit.text === null && edit.tags === null && edit.status === null) return null;
    return this.ctx.api.editNote(noteId(old), edit);
  }
}
