// The export dialog (`dialog#export-dialog`): pick a format, see a live
// preview, write the export to a file (asking before replacing one), or, for
// the change memo, copy it. The preview is shown as text in a <pre>: an HTML
// export is never rendered here.
import { toApiError, type MemoFormat } from "./api";
import type { CompareRequest } from "./bindings/CompareRequest";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { ExportRequest } from "./bindings/ExportRequest";
import type { ExportSelection } from "./bindings/ExportSelection";
import { closeDialog, hideMessage, openDialog, showMessage } from "./dialogs";
import { byIdIn } from "./dom";
import { Debouncer, isExportFormat, MEMO_FORMATS, suggestedName, withExtension } from "./exporting";
import type { DialogServices } from "./services";

export type ExportTarget =
  | { kind: "export"; selection: ExportSelection; title: string; description: string }
  | { kind: "memo"; request: CompareRequest; title: string; description: string };

export interface ExportDialogContext extends DialogServices {
  /** Milliseconds to wait after a format change before asking for a new preview. */
  debounceMs?: number;
}

export class ExportDialog {
  private readonly dialog: HTMLDialogElement;
  private readonly title: HTMLHeadingElement;
  private readonly what: HTMLElement;
  private readonly format: HTMLSelectElement;
  private readonly preview: HTMLPreElement;
  private readonly previewState: HTMLElement;
  private readonly pathRow: HTMLElement;
  private readonly path: HTMLInputElement;
  private readonly error: HTMLDivElement;
  private readonly confirm: HTMLDivElement;
  private readonly confirmText: HTMLElement;
  private readonly replace: HTMLButtonElement;
  private readonly done: HTMLElement;
  private readonly copy: HTMLButtonElement;
  private readonly saveButton: HTMLButtonElement;

  private target: ExportTarget | null = null;
  // A preview that arrives after a newer one was asked for is dropped.
  private seq = 0;
  // The preview on screen: its text and the format it is in.
  private shown: { text: string; format: ExportFormat } | null = null;
  private busy = false;
  private readonly debouncer: Debouncer;

  constructor(private readonly ctx: ExportDialogContext) {
    const byId = byIdIn(ctx.doc);
    this.dialog = byId<HTMLDialogElement>("export-dialog");
    this.title = byId<HTMLHeadingElement>("export-title");
    this.what = byId<HTMLElement>("export-what");
    this.format = byId<HTMLSelectElement>("export-format");
    this.preview = byId<HTMLPreElement>("export-preview");
    this.previewState = byId<HTMLElement>("export-preview-state");
    this.pathRow = byId<HTMLElement>("export-path-row");
    this.path = byId<HTMLInputElement>("export-path");
    this.error = byId<HTMLDivElement>("export-error");
    this.confirm = byId<HTMLDivElement>("export-confirm");
    this.confirmText = byId<HTMLElement>("export-confirm-text");
    this.replace = byId<HTMLButtonElement>("export-replace");
    this.done = byId<HTMLElement>("export-done");
    this.copy = byId<HTMLButtonElement>("export-copy");
    this.saveButton = byId<HTMLButtonElement>("export-save");
    this.debouncer = new Debouncer(() => this.loadPreview(), ctx.debounceMs ?? 250);
    this.listen(byId<HTMLFormElement>("export-form"), byId<HTMLButtonElement>("export-keep"), byId<HTMLButtonElement>("export-close"));
  }

  get isOpen(): boolean {
    return this.dialog.open;
  }

  open(t: ExportTarget): void {
    this.target = t;
    this.seq++;
    this.debouncer.cancel();
    const memo = t.kind === "memo";
    this.dialog.dataset.kind = memo ? "memo" : t.selection.kind;
    this.title.textContent = t.title;
    this.what.textContent = t.description;
    for (const option of this.format.options) option.disabled = memo && !MEMO_FORMATS.includes(option.value as ExportFormat);
    if (memo && !MEMO_FORMATS.includes(this.chosenFormat())) this.format.value = "md";
    this.pathRow.hidden = memo;
    this.saveButton.hidden = memo;
    this.copy.classList.toggle("primary", memo);
    this.clearMessages();
    this.setBusy(false);
    this.preview.textContent = "";
    this.updatePath();
    openDialog(this.dialog);
    this.format.focus();
    void this.ctx.track(this.loadPreview());
  }

  close(): void {
    this.debouncer.cancel();
    this.seq++;
    this.target = null;
    closeDialog(this.dialog);
  }

  /** Write the export to the path typed (what Save does). */
  save(): Promise<void> {
    return this.ctx.track(this.write(false));
  }

  private chosenFormat(): ExportFormat {
    return isExportFormat(this.format.value) ? this.format.value : "md";
  }

  private request(): ExportRequest | null {
    const t = this.target;
    return t?.kind === "export" ? { selection: t.selection, format: this.chosenFormat() } : null;
  }

  private showError(message: string, code?: string): void {
    showMessage(this.error, message, code);
  }

  private clearMessages(): void {
    hideMessage(this.error);
    hideMessage(this.done);
    this.confirm.hidden = true;
    this.confirmText.textContent = "";
  }

  private setBusy(on: boolean): void {
    this.busy = on;
    this.saveButton.disabled = on;
    this.replace.disabled = on;
  }

  private async loadPreview(): Promise<void> {
    const t = this.target;
    if (!t) return;
    const f = this.chosenFormat();
    const mine = ++this.seq;
    this.shown = null;
    this.preview.setAttribute("aria-busy", "true");
    this.previewState.textContent = "Rendering the preview…";
    try {
      const { api } = this.ctx;
      const text =
        t.kind === "memo" ? await api.memo(t.request, f as MemoFormat) : await api.exportPreview({ selection: t.selection, format: f });
      if (mine !== this.seq) return;
      this.shown = { text, format: f };
      this.preview.textContent = text;
      this.previewState.textContent = text.length === 0 ? "The export is empty." : "";
      this.error.hidden = true;
    } catch (e) {
      if (mine !== this.seq) return;
      const err = toApiError(e);
      this.preview.textContent = "";
      this.previewState.textContent = "No preview.";
      this.showError(`Could not render the preview: ${err.message}`, err.code);
    } finally {
      if (mine === this.seq) this.preview.removeAttribute("aria-busy");
    }
  }

  private updatePath(): void {
    if (!this.target) return;
    const f = this.chosenFormat();
    const kind = this.target.kind === "memo" ? "memo" : this.target.selection.kind;
    this.path.placeholder = `/path/to/${suggestedName(kind, f)}`;
    if (this.path.value.trim().length > 0) this.path.value = withExtension(this.path.value, f);
  }

  private async write(force: boolean): Promise<void> {
    const req = this.request();
    if (!req || this.busy) return;
    const file = this.path.value.trim();
    this.clearMessages();
    if (file.length === 0) {
      this.showError("Type the path of the file to write, for example /home/you/Documents/" + this.path.placeholder.split("/").pop());
      this.path.focus();
      return;
    }
    this.setBusy(true);
    try {
      const written = await this.ctx.api.exportToFile(req, file, force);
      this.path.value = file;
      this.done.textContent = `Saved to ${written}`;
      this.done.dataset.path = written;
      this.done.hidden = false;
    } catch (e) {
      const err = toApiError(e);
      if (err.code === "exists" && !force) {
        this.confirmText.textContent = `${file} already exists. Replace it?`;
        this.confirm.hidden = false;
        this.replace.focus();
      } else {
        this.showError(`Could not save: ${err.message}`, err.code);
      }
    } finally {
      this.setBusy(false);
    }
  }

  private async copyText(): Promise<void> {
    if (!this.target) return;
    this.clearMessages();
    if (!this.shown || this.shown.format !== this.chosenFormat()) {
      this.debouncer.cancel();
      await this.loadPreview();
    }
    if (!this.shown) return;
    const clipboard = typeof navigator !== "undefined" ? navigator.clipboard : undefined;
    if (!clipboard || typeof clipboard.writeText !== "function") {
      this.showError("Copying is not available here: select the preview's text and copy it with the keyboard.");
      return;
    }
    try {
      await clipboard.writeText(this.shown.text);
      this.done.textContent = "Copied to the clipboard.";
      delete this.done.dataset.path;
      this.done.hidden = false;
    } catch (e) {
      this.showError(`Could not copy: ${toApiError(e).message}`);
    }
  }

  private listen(form: HTMLFormElement, keep: HTMLButtonElement, closeButton: HTMLButtonElement): void {
    const track = <T>(p: Promise<T>) => this.ctx.track(p);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (this.target?.kind === "export") void track(this.write(false));
    });
    this.format.addEventListener("change", () => {
      this.clearMessages();
      this.updatePath();
      this.previewState.textContent = "Rendering the preview…";
      void track(this.debouncer.call());
    });
    this.replace.addEventListener("click", () => void track(this.write(true)));
    keep.addEventListener("click", () => {
      this.confirm.hidden = true;
      this.path.focus();
      this.path.select();
    });
    this.path.addEventListener("input", () => {
      this.done.hidden = true;
      this.confirm.hidden = true;
    });
    this.copy.addEventListener("click", () => void track(this.copyText()));
    closeButton.addEventListener("click", () => this.close());
    this.dialog.addEventListener("close", () => this.debouncer.cancel());
  }
}
