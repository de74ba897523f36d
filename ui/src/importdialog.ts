// The import dialog (`dialog#import-dialog`): files and folders (typed,
// chosen with the system dialog, or dropped on the window) or one file's git
// history; vendor, document and date; a preview of what was detected about
// each file; then the import itself with a progress bar and a Stop button.
// Nothing is written before Import is pressed, and each version is added
// atomically, so stopping keeps what was imported and nothing half-written.
import { toApiError, type Api } from "./api";
import type { Candidate } from "./bindings/Candidate";
import type { ImportInput } from "./bindings/ImportInput";
import type { ImportReport } from "./bindings/ImportReport";
import type { Progress } from "./bindings/Progress";
import { byIdIn, closeDialog, hideMessage, openDialog, showMessage } from "./dialogs";

export interface ImportDialogContext {
  doc: Document;
  api: Api;
  /** Registers background work so the app can tell when it is idle. */
  track<T>(p: Promise<T>): Promise<T>;
  /** Called after an import that added versions, to reload the views. */
  onImported(report: ImportReport): Promise<void>;
}

export interface ImportDialogHandle {
  /** Open the dialog, with these paths filled in when given (a drop). */
  open(paths?: string[]): void;
  close(): void;
  /** What Preview does. */
  preview(): Promise<void>;
  /** What Import does. */
  run(): Promise<void>;
  readonly isOpen: boolean;
}

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

export function startImportDialog(ctx: ImportDialogContext): ImportDialogHandle {
  const { doc, api } = ctx;
  const byId = byIdIn(doc);
  const dialog = byId<HTMLDialogElement>("import-dialog");
  const form = byId<HTMLFormElement>("import-form");
  const paths = byId<HTMLTextAreaElement>("import-paths");
  const git = byId<HTMLInputElement>("import-git");
  const vendor = byId<HTMLInputElement>("import-vendor");
  const documentName = byId<HTMLInputElement>("import-document");
  const date = byId<HTMLInputElement>("import-date");
  const plan = byId<HTMLTableElement>("import-plan");
  const rows = byId<HTMLTableSectionElement>("import-plan-rows");
  const progressRow = byId<HTMLElement>("import-progress-row");
  const progress = byId<HTMLProgressElement>("import-progress");
  const current = byId<HTMLElement>("import-current");
  const error = byId<HTMLDivElement>("import-error");
  const done = byId<HTMLElement>("import-done");
  const closeButton = byId<HTMLButtonElement>("import-close");
  const cancelButton = byId<HTMLButtonElement>("import-cancel");
  const previewButton = byId<HTMLButtonElement>("import-preview");
  const runButton = byId<HTMLButtonElement>("import-run");
  const pickFiles = byId<HTMLButtonElement>("import-pick-files");
  const pickFolder = byId<HTMLButtonElement>("import-pick-folder");

  let running = false;
  let seq = 0;
  // What the last preview detected, by label, to keep in the report's rows.
  let detected = new Map<string, Candidate>();

  function input(): ImportInput {
    const list = paths.value
      .split("\n")
      .map((p) => p.trim())
      .filter((p) => p.length > 0);
    const gitFile = git.value.trim();
    const day = date.value.trim();
    return {
      paths: gitFile ? [] : list,
      git_file: gitFile || undefined,
      vendor: vendor.value.trim(),
      document: documentName.value.trim(),
      date: day || undefined,
    };
  }

  const showError = (message: string, code?: string) => showMessage(error, message, code);

  function clearMessages(): void {
    hideMessage(error);
    hideMessage(done);
  }

  function setRunning(on: boolean): void {
    running = on;
    cancelButton.hidden = !on;
    cancelButton.disabled = false;
    for (const b of [previewButton, runButton, closeButton, pickFiles, pickFolder]) b.disabled = on;
    for (const f of [paths, git, vendor, documentName, date]) f.readOnly = on;
    progressRow.hidden = !on && progress.value === 0;
  }

  function cell(text: string, className?: string, title?: string): HTMLTableCellElement {
    const td = doc.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    if (title) td.title = title;
    return td;
  }

  function renderPlan(candidates: Candidate[]): void {
    detected = new Map(candidates.map((c) => [c.label, c]));
    rows.replaceChildren(
      ...candidates.map((c) => {
        const tr = doc.createElement("tr");
        if (c.skip) tr.className = "skip";
        tr.append(
          cell(c.date ?? "no date"),
          cell(DATE_SOURCE[c.date_source]),
          cell(c.format),
          cell(baseName(c.label), "file", c.label),
          cell(c.skip ? `will be skipped: ${c.skip}` : "ready"),
        );
        return tr;
      }),
    );
    plan.hidden = candidates.length === 0;
  }

  function renderReport(report: ImportReport): void {
    rows.replaceChildren(
      ...report.outcomes.map((o) => {
        const tr = doc.createElement("tr");
        if (o.status === "skipped") tr.className = "skip";
        const what = o.version_id ? `${o.status}: ${o.version_id} (${o.clauses ?? 0} clauses)` : `${o.status}: ${o.message ?? ""}`;
        const seen = detected.get(o.label);
        tr.append(
          cell(o.date ?? "no date"),
          cell(seen ? DATE_SOURCE[seen.date_source] : ""),
          cell(seen?.format ?? ""),
          cell(baseName(o.label), "file", o.label),
          cell(what, o.status === "failed" ? "failed" : undefined),
        );
        return tr;
      }),
    );
    plan.hidden = report.outcomes.length === 0;
    const parts = [`${report.added} added`, `${report.unchanged} unchanged`, `${report.skipped} skipped`, `${report.failed} failed`];
    done.textContent = report.cancelled
      ? `Stopped: ${parts.join(", ")}. The versions added are in the corpus; the rest were not started.`
      : `Import finished: ${parts.join(", ")}.`;
    done.hidden = false;
  }

  function onProgress(p: Progress): void {
    progress.max = Math.max(p.total, 1);
    progress.value = p.done;
    current.textContent = p.current ? `${p.done + 1} of ${p.total}: ${baseName(p.current)}` : `${p.done} of ${p.total}`;
  }

  function needsNames(request: ImportInput): string | null {
    if (request.paths.length === 0 && !request.git_file) return "Name files or folders to import, or a file in git.";
    if (!request.vendor) return "Enter the vendor.";
    if (!request.document) return "Enter the document's title.";
    return null;
  }

  async function preview(): Promise<void> {
    if (running) return;
    clearMessages();
    const request = input();
    if (request.paths.length === 0 && !request.git_file) {
      showError("Name files or folders to import, or a file in git.");
      return;
    }
    const mine = ++seq;
    previewButton.disabled = true;
    try {
      const candidates = await ctx.track(api.importPlan(request));
      if (mine !== seq) return;
      renderPlan(candidates);
      // Suggest the document's title from the first file that has one.
      if (!documentName.value.trim()) {
        const title = candidates.find((c) => c.title)?.title;
        if (title) documentName.value = title;
      }
      const ready = candidates.filter((c) => !c.skip).length;
      done.textContent = `${ready} of ${candidates.length} ready to import. Nothing has been written yet.`;
      done.hidden = false;
    } catch (e) {
      if (mine !== seq) return;
      const err = toApiError(e);
      plan.hidden = true;
      showError(err.message, err.code);
    } finally {
      previewButton.disabled = running;
    }
  }

  async function run(): Promise<void> {
    if (running) return;
    clearMessages();
    const request = input();
    const missing = needsNames(request);
    if (missing) {
      showError(missing);
      return;
    }
    seq++;
    progress.value = 0;
    current.textContent = "Starting…";
    setRunning(true);
    progressRow.hidden = false;
    try {
      const report = await ctx.track(api.importRun(request, onProgress));
      renderReport(report);
      if (report.added > 0) await ctx.onImported(report);
    } catch (e) {
      const err = toApiError(e);
      showError(err.message, err.code);
    } finally {
      setRunning(false);
    }
  }

  async function pick(folder: boolean): Promise<void> {
    try {
      const chosen = await ctx.track(api.pickPaths(folder));
      if (chosen.length === 0) return;
      const existing = paths.value.trim();
      paths.value = (existing ? `${existing}\n` : "") + chosen.join("\n");
      git.value = "";
      await preview();
    } catch (e) {
      const err = toApiError(e);
      showError(err.message, err.code);
    }
  }

  function open(dropped?: string[]): void {
    if (dropped && dropped.length > 0 && !running) {
      paths.value = dropped.join("\n");
      git.value = "";
      plan.hidden = true;
      rows.replaceChildren();
    }
    clearMessages();
    openDialog(dialog);
    if (dropped && dropped.length > 0 && !running) void ctx.track(preview());
    else paths.focus();
  }

  function close(): void {
    if (running) return;
    closeDialog(dialog);
  }

  // The whole action is tracked (not only its backend call), so that the
  // app is idle only once the dialog shows the outcome.
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void ctx.track(run());
  });
  previewButton.addEventListener("click", () => void ctx.track(preview()));
  closeButton.addEventListener("click", close);
  cancelButton.addEventListener("click", () => {
    cancelButton.disabled = true;
    current.textContent = "Stopping after this version…";
    void api.importCancel();
  });
  pickFiles.addEventListener("click", () => void ctx.track(pick(false)));
  pickFolder.addEventListener("click", () => void ctx.track(pick(true)));
  // Escape must not close the dialog in the middle of an import.
  dialog.addEventListener("cancel", (event) => {
    if (running) event.preventDefault();
  });

  return {
    open,
    close,
    preview,
    run,
    get isOpen() {
      return dialog.open || dialog.hasAttribute("open");
    },
  };
}
