// The export dialog (`dialog#export-dialog`): pick a format, see a live
// preview, write the export to a file (asking before replacing one), or, for
// the change memo, copy it. The preview is shown as text in a <pre>: an HTML
// export is never rendered here.
import { toApiError, type Api, type MemoFormat } from "./api";
import type { CompareRequest } from "./bindings/CompareRequest";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { ExportRequest } from "./bindings/ExportRequest";
import type { ExportSelection } from "./bindings/ExportSelection";
import { byIdIn, closeDialog, hideMessage, openDialog, showMessage } from "./dialogs";
import { Debouncer, isExportFormat, MEMO_FORMATS, suggestedName, withExtension } from "./exporting";

export type ExportTarget =
  | { kind: "export"; selection: ExportSelection; title: string; description: string }
  | { kind: "memo"; request: CompareRequest; title: string; description: string };

export interface ExportDialogContext {
  doc: Document;
  api: Api;
  /** Registers background work so the app can tell when it is idle. */
  track<T>(p: Promise<T>): Promise<T>;
  /** Milliseconds to wait after a format change before asking for a new preview. */
  debounceMs?: number;
}

export interface ExportDialogHandle {
  open(target: ExportTarget): void;
  close(): void;
  /** Write the export to the path typed (what Save does). */
  save(): Promise<void>;
  readonly isOpen: boolean;
}

export function startExportDialog(ctx: ExportDialogContext): ExportDialogHandle {
  const { doc, api } = ctx;
  const byId = byIdIn(doc);
  const dialog = byId<HTMLDialogElement>("export-dialog");
  const form = byId<HTMLFormElement>("export-form");
  const title = byId<HTMLHeadingElement>("export-title");
  const what = byId<HTMLElement>("export-what");
  const format = byId<HTMLSelectElement>("export-format");
  const preview = byId<HTMLPreElement>("export-preview");
  const previewState = byId<HTMLElement>("export-preview-state");
  const pathRow = byId<HTMLElement>("export-path-row");
  const path = byId<HTMLInputElement>("export-path");
  const error = byId<HTMLDivElement>("export-error");
  const confirm = byId<HTMLDivElement>("export-confirm");
  const confirmText = byId<HTMLElement>("export-confirm-text");
  const replace = byId<HTMLButtonElement>("export-replace");
  const keep = byId<HTMLButtonElement>("export-keep");
  const done = byId<HTMLElement>("export-done");
  const closeButton = byId<HTMLButtonElement>("export-close");
  const copy = byId<HTMLButtonElement>("export-copy");
  const saveButton = byId<HTMLButtonElement>("export-save");

  let target: ExportTarget | null = null;
  let seq = 0;
  // The preview on screen: its text and the format it is in.
  let shown: { text: string; format: ExportFormat } | null = null;
  let busy = false;
  const debouncer = new Debouncer(() => loadPreview(), ctx.debounceMs ?? 250);

  function chosenFormat(): ExportFormat {
    return isExportFormat(format.value) ? format.value : "md";
  }

  function request(): ExportRequest | null {
    return target?.kind === "export" ? { selection: target.selection, format: chosenFormat() } : null;
  }

  const showError = (message: string, code?: string) => showMessage(error, message, code);

  function clearMessages(): void {
    hideMessage(error);
    hideMessage(done);
    confirm.hidden = true;
    confirmText.textContent = "";
  }

  function setBusy(on: boolean): void {
    busy = on;
    saveButton.disabled = on;
    replace.disabled = on;
  }

  async function loadPreview(): Promise<void> {
    const t = target;
    if (!t) return;
    const f = chosenFormat();
    const mine = ++seq;
    shown = null;
    preview.setAttribute("aria-busy", "true");
    previewState.textContent = "Rendering the preview…";
    try {
      const text =
        t.kind === "memo" ? await api.memo(t.request, f as MemoFormat) : await api.exportPreview({ selection: t.selection, format: f });
      if (mine !== seq) return;
      shown = { text, format: f };
      preview.textContent = text;
      previewState.textContent = text.length === 0 ? "The export is empty." : "";
      error.hidden = true;
    } catch (e) {
      if (mine !== seq) return;
      const err = toApiError(e);
      preview.textContent = "";
      previewState.textContent = "No preview.";
      showError(`Could not render the preview: ${err.message}`, err.code);
    } finally {
      if (mine === seq) preview.removeAttribute("aria-busy");
    }
  }

  function updatePath(): void {
    if (!target) return;
    const f = chosenFormat();
    const kind = target.kind === "memo" ? "memo" : target.selection.kind;
    path.placeholder = `/path/to/${suggestedName(kind, f)}`;
    if (path.value.trim().length > 0) path.value = withExtension(path.value, f);
  }

  function open(t: ExportTarget): void {
    target = t;
    seq++;
    debouncer.cancel();
    dialog.dataset.kind = t.kind === "memo" ? "memo" : t.selection.kind;
    title.textContent = t.title;
    what.textContent = t.description;
    const memo = t.kind === "memo";
    for (const option of format.options) option.disabled = memo && !MEMO_FORMATS.includes(option.value as ExportFormat);
    if (memo && !MEMO_FORMATS.includes(chosenFormat())) format.value = "md";
    pathRow.hidden = memo;
    saveButton.hidden = memo;
    copy.classList.toggle("primary", memo);
    clearMessages();
    setBusy(false);
    preview.textContent = "";
    updatePath();
    openDialog(dialog);
    format.focus();
    void ctx.track(loadPreview());
  }

  function close(): void {
    debouncer.cancel();
    seq++;
    target = null;
    closeDialog(dialog);
  }

  async function write(force: boolean): Promise<void> {
    const req = request();
    if (!req || busy) return;
    const file = path.value.trim();
    clearMessages();
    if (file.length === 0) {
      showError("Type the path of the file to write, for example /home/you/Documents/" + path.placeholder.split("/").pop());
      path.focus();
      return;
    }
    setBusy(true);
    try {
      const written = await api.exportToFile(req, file, force);
      path.value = file;
      done.textContent = `Saved to ${written}`;
      done.dataset.path = written;
      done.hidden = false;
    } catch (e) {
      const err = toApiError(e);
      if (err.code === "exists" && !force) {
        confirmText.textContent = `${file} already exists. Replace it?`;
        confirm.hidden = false;
        replace.focus();
      } else {
        showError(`Could not save: ${err.message}`, err.code);
      }
    } finally {
      setBusy(false);
    }
  }

  async function copyText(): Promise<void> {
    if (!target) return;
    clearMessages();
    if (!shown || shown.format !== chosenFormat()) {
      debouncer.cancel();
      await loadPreview();
    }
    if (!shown) return;
    const clipboard = typeof navigator !== "undefined" ? navigator.clipboard : undefined;
    if (!clipboard || typeof clipboard.writeText !== "function") {
      showError("Copying is not available here: select the preview's text and copy it with the keyboard.");
      return;
    }
    try {
      await clipboard.writeText(shown.text);
      done.textContent = "Copied to the clipboard.";
      delete done.dataset.path;
      done.hidden = false;
    } catch (e) {
      showError(`Could not copy: ${toApiError(e).message}`);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (target?.kind === "export") void ctx.track(write(false));
  });
  format.addEventListener("change", () => {
    clearMessages();
    updatePath();
    previewState.textContent = "Rendering the preview…";
    void ctx.track(debouncer.call());
  });
  replace.addEventListener("click", () => void ctx.track(write(true)));
  keep.addEventListener("click", () => {
    confirm.hidden = true;
    path.focus();
    path.select();
  });
  path.addEventListener("input", () => {
    done.hidden = true;
    confirm.hidden = true;
  });
  copy.addEventListener("click", () => void ctx.track(copyText()));
  closeButton.addEventListener("click", close);
  dialog.addEventListener("close", () => {
    debouncer.cancel();
  });

  return {
    open,
    close,
    save: () => ctx.track(write(false)),
    get isOpen() {
      return dialog.open;
    },
  };
}
