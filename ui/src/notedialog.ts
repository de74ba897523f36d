// The note editor (`dialog#note-dialog`): add a note on a clause or on
// quoted words of it, or edit a note. A failed save keeps the dialog open
// with everything the user typed, and says why.
import { toApiError, type Api } from "./api";
import type { NoteEdit } from "./bindings/NoteEdit";
import type { NoteStatus } from "./bindings/NoteStatus";
import type { NoteView } from "./bindings/NoteView";
import { byIdIn, closeDialog, hideMessage, openDialog, showMessage } from "./dialogs";
import { citationLine, isNoteStatus, noteId, parseTags, quoteLabel, sameTags, tagsText } from "./notes";

export interface NoteDialogContext {
  doc: Document;
  api: Api;
  /** Registers background work so the app can tell when it is idle. */
  track<T>(p: Promise<T>): Promise<T>;
  /** A note was added (`added`) or changed. */
  saved(note: NoteView, added: boolean): void;
}

export interface NoteTarget {
  clauseId: string;
  /** The quoted words, or null for a note on the whole clause. */
  quote: string | null;
}

export interface NoteDialogHandle {
  openAdd(target: NoteTarget): void;
  openEdit(note: NoteView): void;
  /** Save what the dialog holds (what the Save button does). */
  save(): Promise<void>;
  close(): void;
  readonly isOpen: boolean;
}

export function startNoteDialog(ctx: NoteDialogContext): NoteDialogHandle {
  const { doc, api } = ctx;
  const byId = byIdIn(doc);
  const dialog = byId<HTMLDialogElement>("note-dialog");
  const form = byId<HTMLFormElement>("note-form");
  const title = byId<HTMLHeadingElement>("note-dialog-title");
  const target = byId<HTMLElement>("note-target");
  const quote = byId<HTMLElement>("note-quote");
  const text = byId<HTMLTextAreaElement>("note-text");
  const tags = byId<HTMLInputElement>("note-tags");
  const status = byId<HTMLSelectElement>("note-status");
  const error = byId<HTMLDivElement>("note-error");
  const cancel = byId<HTMLButtonElement>("note-cancel");
  const saveButton = byId<HTMLButtonElement>("note-save");

  // What the dialog is for: a new note on a clause, or an existing note.
  let mode: { kind: "add"; target: NoteTarget } | { kind: "edit"; note: NoteView } | null = null;
  let saving = false;

  const clearMessage = () => hideMessage(error);
  const showError = (message: string, code?: string) => showMessage(error, message, code);

  function show(quoted: string | null): void {
    quote.textContent = quoted ? quoteLabel(quoted, 400) : "";
    quote.hidden = !quoted;
    clearMessage();
    saveButton.disabled = false;
    openDialog(dialog);
    text.focus();
  }

  function openAdd(t: NoteTarget): void {
    mode = { kind: "add", target: t };
    dialog.dataset.mode = "add";
    title.textContent = t.quote ? "Add a note on these words" : "Add a note on this clause";
    target.textContent = t.clauseId;
    target.title = t.clauseId;
    text.value = "";
    tags.value = "";
    status.value = "open";
    saveButton.textContent = "Save note";
    show(t.quote);
  }

  function openEdit(note: NoteView): void {
    mode = { kind: "edit", note };
    dialog.dataset.mode = "edit";
    title.textContent = `Edit note #${noteId(note)}`;
    target.textContent = note.citation ? citationLine(note.citation) : note.clause_id;
    target.title = note.clause_id;
    text.value = note.text;
    tags.value = tagsText(note.tags);
    status.value = note.status;
    saveButton.textContent = "Save changes";
    show(note.quote?.exact ?? null);
  }

  function close(): void {
    mode = null;
    closeDialog(dialog);
  }

  async function save(): Promise<void> {
    if (!mode || saving) return;
    const body = text.value;
    if (body.trim().length === 0) {
      showError("Write the note first: the text cannot be empty.");
      text.focus();
      return;
    }
    const chosen: NoteStatus = isNoteStatus(status.value) ? status.value : "open";
    const current = mode;
    saving = true;
    saveButton.disabled = true;
    clearMessage();
    try {
      let note: NoteView;
      if (current.kind === "add") {
        note = await api.addNote({
          clause_id: current.target.clauseId,
          text: body,
          tags: parseTags(tags.value),
          quote: current.target.quote,
          status: chosen,
        });
      } else {
        const old = current.note;
        const newTags = parseTags(tags.value);
        const edit: NoteEdit = {
          text: body !== old.text ? body : null,
          tags: sameTags(newTags, old.tags) ? null : newTags,
          status: chosen !== old.status ? chosen : null,
        };
        if (edit.text === null && edit.tags === null && edit.status === null) {
          close();
          return;
        }
        note = await api.editNote(noteId(old), edit);
      }
      // The user may have closed the dialog meanwhile: the note is saved all the same.
      if (mode === current) close();
      ctx.saved(note, current.kind === "add");
    } catch (e) {
      const err = toApiError(e);
      // Keep the dialog open with what was typed (open it again if it was closed meanwhile).
      if (!dialog.open) {
        mode = current;
        openDialog(dialog);
      }
      showError(`Could not save the note: ${err.message}`, err.code);
      text.focus();
    } finally {
      saving = false;
      saveButton.disabled = false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void ctx.track(save());
  });
  text.addEventListener("keydown", (event) => {
    // Ctrl+Enter (Cmd+Enter) saves from the text area.
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void ctx.track(save());
    }
  });
  cancel.addEventListener("click", close);

  return {
    openAdd,
    openEdit,
    save: () => ctx.track(save()),
    close,
    get isOpen() {
      return dialog.open;
    },
  };
}
