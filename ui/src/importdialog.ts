// The import dialog (`dialog#import-dialog`): files and folders (typed,
// chosen with the system dialog, or dropped on the window) or one file's git
// history; vendor, document and date; a preview of what was detected about
// each file; then the import itself with a progress bar and a Stop button.
// Nothing is written before Import is pressed, and each version is added
// atomically, so stopping keeps what was imported and nothing half-written.
import { toApiError } from "./api";
import type { Candidate } from "./bindings/Candidate";
import type { ImportInput } from "./bindings/ImportInput";
import type { ImportReport } from "./bindings/ImportReport";
import type { Progress } from "./bindings/Progress";
import { closeDialog, hideMessage, openDialog, showMessage } from "./dialogs";
import { byIdIn } from "./dom";
import type { DialogServices } from "./services";

const DATE_SOURCE: Record<Candidate["date_source"], string> = {
  given: "as given",
  file_name: "file name",
  front_matter: "front matter",
  commit: "commit",
  missing: "—",
};

/** The file's name, for the preview table (the full path is its title). */
function baseName(label: string): string {
  const parts = label.split(/[\\/]/);
  return parts[parts.length - 1] || label;
}

function cell(doc: Document, text: string, className?: string, title?: string): HTMLTableCellElement {
  const td = doc.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  if (title) td.title = title;
  return td;
}

/** What is missing before an import can start, or null. */
function needsNames(request: ImportInput): string | null {
  if (request.paths.length === 0 && !request.git_file) return "Name files or folders to import, or a file in git.";
  if (!request.vendor) return "Enter the vendor.";
  if (!request.document) return "Enter the document's title.";
  return null;
}

export interface ImportDialogContext extends DialogServices {
  /** Called after an import that added versions, to reload the views. */
  onImported(report: ImportReport): Promise<void>;
}

export class ImportDialog {
  private readonly dialog: HTMLDialogElement;
  private readonly paths: HTMLTextAreaElement;
  private readonly git: HTMLInputElement;
  private readonly vendor: HTMLInputElement;
  private readonly documentName: HTMLInputElement;
  private readonly date: HTMLInputElement;
  private readonly plan: HTMLTableElement;
  private readonly rows: HTMLTableSectionElement;
  private readonly progressRow: HTMLElement;
  private readonly progress: HTMLProgressElement;
  private readonly current: HTMLElement;
  private readonly error: HTMLDivElement;
  private readonly done: HTMLElement;
  private readonly closeButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly previewButton: HTMLButtonElement;
  private readonly runButton: HTMLButtonElement;
  private readonly pickFiles: HTMLButtonElement;
  private readonly pickFolder: HTMLButtonElement;

  private running = false;
  // A preview that arrives after a newer one (or an import) was started is dropped.
  private seq = 0;
  // What the last preview detected, by label, to keep in the report's rows.
  private detected = new Map<string, Candidate>();

  constructor(private readonly ctx: ImportDialogContext) {
    const byId = byIdIn(ctx.doc);
    this.dialog = byId<HTMLDialogElement>("import-dialog");
    this.paths = byId<HTMLTextAreaElement>("import-paths");
    this.git = byId<HTMLInputElement>("import-git");
    this.vendor = byId<HTMLInputElement>("import-vendor");
    this.documentName = byId<HTMLInputElement>("import-document");
    this.date = byId<HTMLInputElement>("import-date");
    this.plan = byId<HTMLTableElement>("import-plan");
    this.rows = byId<HTMLTableSectionElement>("import-plan-rows");
    this.progressRow = byId<HTMLElement>("import-progress-row");
    this.progress = byId<HTMLProgressElement>("import-progress");
    this.current = byId<HTMLElement>("import-current");
    this.error = byId<HTMLDivElement>("import-error");
    this.done = byId<HTMLElement>("import-done");
    this.closeButton = byId<HTMLButtonElement>("import-close");
    this.cancelButton = byId<HTMLButtonElement>("import-cancel");
    this.previewButton = byId<HTMLButtonElement>("import-preview");
    this.runButton = byId<HTMLButtonElement>("import-run");
    this.pickFiles = byId<HTMLButtonElement>("import-pick-files");
    this.pickFolder = byId<HTMLButtonElement>("import-pick-folder");
    this.listen(byId<HTMLFormElement>("import-form"), byId<HTMLButtonElement>("import-button"));
  }

  get isOpen(): boolean {
    return this.dialog.open || this.dialog.hasAttribute("open");
  }

  /** Open the dialog, with these paths filled in when given (a drop). */
  open(dropped?: string[]): void {
    const fill = dropped !== undefined && dropped.length > 0 && !this.running;
    if (fill) {
      this.paths.value = dropped.join("\n");
      this.git.value = "";
      this.plan.hidden = true;
      this.rows.replaceChildren();
    }
    this.clearMessages();
    openDialog(this.dialog);
    if (fill) void this.ctx.track(this.preview());
    else this.paths.focus();
  }

  close(): void {
    if (this.running) return;
    closeDialog(this.dialog);
  }

  /** What Preview does: show what would be imported, writing nothing. */
  async preview(): Promise<void> {
    if (this.running) return;
    this.clearMessages();
    const request = this.input();
    if (request.paths.length === 0 && !request.git_file) {
      this.showError("Name files or folders to import, or a file in git.");
      return;
    }
    const mine = ++this.seq;
    this.previewButton.disabled = true;
    try {
      const candidates = await this.ctx.track(this.ctx.api.importPlan(request));
      if (mine !== this.seq) return;
      this.renderPlan(candidates);
      // Suggest the document's title from the first file that has one.
      if (!this.documentName.value.trim()) {
        const title = candidates.find((c) => c.title)?.title;
        if (title) this.documentName.value = title;
      }
      const ready = candidates.filter((c) => !c.skip).length;
      this.done.textContent = `${ready} of ${candidates.length} ready to import. Nothing has been written yet.`;
      this.done.hidden = false;
    } catch (e) {
      if (mine !== this.seq) return;
      const err = toApiError(e);
      this.plan.hidden = true;
      this.showError(err.message, err.code);
    } finally {
      this.previewButton.disabled = this.running;
    }
  }

  /** What Import does. */
  async run(): Promise<void> {
    if (this.running) return;
    this.clearMessages();
    const request = this.input();
    const missing = needsNames(request);
    if (missing) {
      this.showError(missing);
      return;
    }
    this.seq++;
    this.progress.value = 0;
    this.current.textContent = "Starting…";
    this.setRunning(true);
    this.progressRow.hidden = false;
    try {
      const report = await this.ctx.track(this.ctx.api.importRun(request, (p) => this.onProgress(p)));
      this.renderReport(report);
      if (report.added > 0) await this.ctx.onImported(report);
    } catch (e) {
      const err = toApiError(e);
      this.showError(err.message, err.code);
    } finally {
      this.setRunning(false);
    }
  }

  private input(): ImportInput {
    const list = this.paths.value
      .split("\n")
      .map((p) => p.trim())
      .filter((p) => p.length > 0);
    const gitFile = this.git.value.trim();
    const day = this.date.value.trim();
    return {
      paths: gitFile ? [] : list,
      git_file: gitFile || undefined,
      vendor: this.vendor.value.trim(),
      document: this.documentName.value.trim(),
      date: day || undefined,
    };
  }

  private showError(message: string, code?: string): void {
    showMessage(this.error, message, code);
  }

  private clearMessages(): void {
    hideMessage(this.error);
    hideMessage(this.done);
  }

  private setRunning(on: boolean): void {
    this.running = on;
    this.cancelButton.hidden = !on;
    this.cancelButton.disabled = false;
    for (const b of [this.previewButton, this.runButton, this.closeButton, this.pickFiles, this.pickFolder]) b.disabled = on;
    for (const f of [this.paths, this.git, this.vendor, this.documentName, this.date]) f.readOnly = on;
    this.progressRow.hidden = !on && this.progress.value === 0;
  }

  private renderPlan(candidates: Candidate[]): void {
    const { doc } = this.ctx;
    this.detected = new Map(candidates.map((c) => [c.label, c]));
    this.rows.replaceChildren(
      ...candidates.map((c) => {
        const tr = doc.createElement("tr");
        if (c.skip) tr.className = "skip";
        tr.append(
          cell(doc, c.date ?? "no date"),
          cell(doc, DATE_SOURCE[c.date_source]),
          cell(doc, c.format),
          cell(doc, baseName(c.label), "file", c.label),
          cell(doc, c.skip ? `will be skipped: ${c.skip}` : "ready"),
        );
        return tr;
      }),
    );
    this.plan.hidden = candidates.length === 0;
  }

  private renderReport(report: ImportReport): void {
    const { doc } = this.ctx;
    this.rows.replaceChildren(
      ...report.outcomes.map((o) => {
        const tr = doc.createElement("tr");
        if (o.status === "skipped") tr.className = "skip";
        const ocr = o.ocr_pages ? `, ${o.ocr_pages} pages read by OCR` : "";
        const warned = o.warnings.length > 0 ? ` — ${o.warnings.join("; ")}` : "";
        const what = o.version_id
          ? `${o.status}: ${o.version_id} (${o.clauses ?? 0} clauses${ocr})${warned}`
          : `${o.status}: ${o.message ?? ""}`;
        const seen = this.detected.get(o.label);
        tr.append(
          cell(doc, o.date ?? "no date"),
          cell(doc, seen ? DATE_SOURCE[seen.date_source] : ""),
          cell(doc, seen?.format ?? ""),
          cell(doc, baseName(o.label), "file", o.label),
          cell(doc, what, o.status === "failed" ? "failed" : warned ? "warned" : undefined),
        );
        return tr;
      }),
    );
    this.plan.hidden = report.outcomes.length === 0;
    const parts = [`${report.added} added`, `${report.unchanged} unchanged`, `${report.skipped} skipped`, `${report.failed} failed`];
    this.done.textContent = report.cancelled
      ? `Stopped: ${parts.join(", ")}. The versions added are in the corpus; the rest were not started.`
      : `Import finished: ${parts.join(", ")}.`;
    this.done.hidden = false;
  }

  private onProgress(p: Progress): void {
    this.progress.max = Math.max(p.total, 1);
    this.progress.value = p.done;
    this.current.textContent = p.current ? `${p.done + 1} of ${p.total}: ${baseName(p.current)}` : `${p.done} of ${p.total}`;
  }

  private async pick(folder: boolean): Promise<void> {
    try {
      const chosen = await this.ctx.track(this.ctx.api.pickPaths(folder));
      if (chosen.length === 0) return;
      const existing = this.paths.value.trim();
      this.paths.value = (existing ? `${existing}\n` : "") + chosen.join("\n");
      this.git.value = "";
      await this.preview();
    } catch (e) {
      const err = toApiError(e);
      this.showError(err.message, err.code);
    }
  }

  private listen(form: HTMLFormElement, importButton: HTMLButtonElement): void {
    const track = <T>(p: Promise<T>) => this.ctx.track(p);
    // The whole action is tracked (not only its backend call), so that the
    // app is idle only once the dialog shows the outcome.
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void track(this.run());
    });
    this.previewButton.addEventListener("click", () => void track(this.preview()));
    this.closeButton.addEventListener("click", () => this.close());
    this.cancelButton.addEventListener("click", () => {
      this.cancelButton.disabled = true;
      this.current.textContent = "Stopping after this version…";
      void this.ctx.api.importCancel();
    });
    this.pickFiles.addEventListener("click", () => void track(this.pick(false)));
    this.pickFolder.addEventListener("click", () => void track(this.pick(true)));
    // Escape must not close the dialog in the middle of an import.
    this.dialog.addEventListener("cancel", (event) => {
      if (this.running) event.preventDefault();
    });
    importButton.addEventListener("click", () => this.open());
    // Files dropped on the window open the dialog with them.
    this.ctx.api.onFileDrop(
      (paths) => this.open(paths),
      (over) => this.ctx.doc.body.classList.toggle("drop-target", over),
    );
  }
}
