// Pure helpers for the export dialog: formats, file names and a debouncer.
import type { ExportFormat } from "./bindings/ExportFormat";
import type { ExportSelection } from "./bindings/ExportSelection";

export const EXPORT_FORMATS: readonly ExportFormat[] = ["md", "html", "csv", "json"];
/** The memo comes only as Markdown or HTML. */
export const MEMO_FORMATS: readonly ExportFormat[] = ["md", "html"];

export function isExportFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** A file name to suggest: `trustlens-notes.md`, `trustlens-search.csv`, `trustlens-memo.html`. */
export function suggestedName(kind: ExportSelection["kind"] | "memo", format: ExportFormat): string {
  return `trustlens-${kind}.${format}`;
}

/**
 * The path with its extension changed to the format's, when it ends in
 * another export format's extension (`/tmp/a.md` → `/tmp/a.csv`); any other
 * path is left as typed.
 */
export function withExtension(path: string, format: ExportFormat): string {
  const m = /\.([A-Za-z]+)(\s*)$/.exec(path);
  if (!m) return path;
  const ext = m[1].toLowerCase();
  if (!isExportFormat(ext) || ext === format) return path;
  return `${path.slice(0, m.index)}.${format}${m[2]}`;
}

/**
 * Runs `fn` once calls stop coming for `ms` milliseconds. Each call's promise
 * settles when the run it led to has finished, or at once when a later call
 * supersedes it, so callers can await it (and tests can wait for it).
 */
export class Debouncer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private release: (() => void) | null = null;

  constructor(
    private readonly fn: () => Promise<void> | void,
    private readonly ms: number,
  ) {}

  call(): Promise<void> {
    this.cancel();
    return new Promise<void>((resolve) => {
      this.release = resolve;
      this.timer = setTimeout(() => {
        this.timer = null;
        this.release = null;
        Promise.resolve()
          .then(this.fn)
          .then(
            () => resolve(),
            () => resolve(),
          );
      }, this.ms);
    });
  }

  /** Drop a pending run (its promise settles at once). */
  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const release = this.release;
    this.release = null;
    release?.();
  }

  get pending(): boolean {
    return this.timer !== null;
  }
}
