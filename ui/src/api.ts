// Typed wrappers over the Tauri commands. Every command rejects with an
// ApiError `{ code, message }`; anything else that rejects (a missing Tauri
// runtime, a serialisation problem) is normalised to the same shape so the UI
// can always show it.
import { Channel, invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open as openFileDialog } from "@tauri-apps/plugin-dialog";
import type { ApiError } from "./bindings/ApiError";
import type { Commands } from "./bindings/Commands";
import { ERROR_CODES } from "./bindings/Conventions";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { CompareRequest } from "./bindings/CompareRequest";
import type { CompareView } from "./bindings/CompareView";
import type { CorpusStatus } from "./bindings/CorpusStatus";
import type { Coverage } from "./bindings/Coverage";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { ExportRequest } from "./bindings/ExportRequest";
import type { Candidate } from "./bindings/Candidate";
import type { ImportInput } from "./bindings/ImportInput";
import type { ImportReport } from "./bindings/ImportReport";
import type { Progress } from "./bindings/Progress";
import type { Lineage } from "./bindings/Lineage";
import type { Link } from "./bindings/Link";
import type { LinkRequest } from "./bindings/LinkRequest";
import type { MatrixDiff } from "./bindings/MatrixDiff";
import type { MatrixGrid } from "./bindings/MatrixGrid";
import type { NewNote } from "./bindings/NewNote";
import type { NoteEdit } from "./bindings/NoteEdit";
import type { NoteFilter } from "./bindings/NoteFilter";
import type { NoteView } from "./bindings/NoteView";
import type { ReadRequest } from "./bindings/ReadRequest";
import type { ReaderView } from "./bindings/ReaderView";
import type { SearchRequest } from "./bindings/SearchRequest";
import type { SearchResults } from "./bindings/SearchResults";
import type { OcrMode } from "./bindings/OcrMode";
import type { Settings } from "./bindings/Settings";
import type { TermSheet } from "./bindings/TermSheet";
import type { TermsCompared } from "./bindings/TermsCompared";
import type { VersionInfo } from "./bindings/VersionInfo";
import type { NewSource } from "./bindings/NewSource";
import type { SourceView } from "./bindings/SourceView";
import type { WatchOutcome } from "./bindings/WatchOutcome";
import type { WatchRunRequest } from "./bindings/WatchRunRequest";

/** A stored note, as `delete_note` returns it (a NoteView without what is looked up in the corpus). */
import type { Note } from "./bindings/Note";
export type { Note };

/** A watched page as stored (what watch_add and watch_remove answer). */
export type WatchedSource = Commands["watch_add"]["result"];

/** The event the app's scheduler sends after checking the sources that were due. */
export const WATCH_CHECKED_EVENT = "watch-checked";

/** The formats the change memo comes in. */
export type MemoFormat = Extract<ExportFormat, "md" | "html">;

/**
 * How the app was started: `trustlens-app --search QUERY` (src-tauri's
 * `Launch`, handed to the page as `window.__TRUSTLENS_LAUNCH__` before its
 * scripts run).
 */
export interface Launch {
  /** A search to run as soon as the page is up. */
  search: string | null;
}

/** The launch options in `value` (what the app handed over); anything else reads as none. */
export function launchFrom(value: unknown): Launch {
  const search = typeof value === "object" && value !== null ? (value as { search?: unknown }).search : null;
  return { search: typeof search === "string" && search.trim() !== "" ? search : null };
}

/** The backend as the UI sees it; tests substitute a fake. */
export interface Api {
  /** How the app was started (no call to the backend: the options are already in the page). */
  launch(): Launch;
  versions(): Promise<VersionInfo[]>;
  /** The best hits and the number of matches (`counted` is false: no counts per version or entry). */
  searchHits(request: SearchRequest): Promise<SearchResults>;
  /** The number of matches and the counts per version and matrix entry (no hits). */
  searchCounts(request: SearchRequest): Promise<SearchResults>;
  read(request: ReadRequest): Promise<ReaderView>;
  compare(request: CompareRequest): Promise<CompareView>;
  /** Matrix entries × versions with the number of linked clauses. */
  matrixGrid(): Promise<MatrixGrid>;
  /** One version's clauses per matrix entry. */
  matrixCoverage(version: string): Promise<Coverage>;
  /** The matrix between two versions, with responsibility-shift alerts. */
  matrixDiff(request: CompareRequest): Promise<MatrixDiff>;
  /** Link, unlink or reset a clause and an entry; resolves with the clause's links. */
  setLink(request: LinkRequest): Promise<Link[]>;
  /** A clause's life across the versions of its document. */
  history(clauseId: string): Promise<Lineage>;
  /** Add a note on a clause (on a quoted span when `quote` is set). */
  addNote(note: NewNote): Promise<NoteView>;
  /** Notes matching a filter, oldest first. */
  notes(filter: NoteFilter): Promise<NoteView[]>;
  /** Change a note; null fields stay as they are. */
  editNote(id: number, edit: NoteEdit): Promise<NoteView>;
  deleteNote(id: number): Promise<Note>;
  /** The export as text (the export dialog's preview). */
  exportPreview(request: ExportRequest): Promise<string>;
  /**
   * Write the export to `path`; resolves with the path written. Rejects with
   * code `exists` when the file exists and `force` is false.
   */
  exportToFile(request: ExportRequest, path: string, force: boolean): Promise<string>;
  /** The change memo for two versions, as Markdown or HTML. */
  memo(request: CompareRequest, format: MemoFormat): Promise<string>;
  /** A version's key terms: its statements by topic, with citations. */
  terms(version: string): Promise<TermSheet>;
  /** Two versions' key terms side by side, each marked same, changed, added or removed. */
  termsCompared(request: CompareRequest): Promise<TermsCompared>;
  corpusStatus(): Promise<CorpusStatus>;
  setCorpusDir(dir: string | null): Promise<CorpusStatus>;
  /** The saved settings. */
  settings(): Promise<Settings>;
  /** Remember when imports read PDF pages with OCR. */
  setOcrMode(ocr: OcrMode): Promise<Settings>;
  /** What an import would bring in, and what was detected about each file; writes nothing. */
  importPlan(request: ImportInput): Promise<Candidate[]>;
  /** Import, calling `onProgress` before each version; the corpus is reopened when done. */
  importRun(request: ImportInput, onProgress: (p: Progress) => void): Promise<ImportReport>;
  /** Stop the running import before its next version. */
  importCancel(): Promise<void>;
  /** The system's open dialog: files, or one folder; resolves with [] when dismissed. */
  pickPaths(folder: boolean): Promise<string[]>;
  /** Calls `onOver(true/false)` while files are dragged over the window and `onDrop` with their paths. */
  onFileDrop(onDrop: (paths: string[]) => void, onOver: (over: boolean) => void): void;
  /** The watched pages, with the state of their checks. */
  watchList(): Promise<SourceView[]>;
  /** Watch a page; rejects with code `invalid_argument` on a bad address, selector, pattern or interval. */
  watchAdd(source: NewSource): Promise<WatchedSource>;
  /** Stop watching a page (its versions stay in the corpus). */
  watchRemove(id: string): Promise<WatchedSource>;
  /** Check one source, or all; new versions are recorded (and the corpus reopened) before it resolves. */
  watchRun(request: WatchRunRequest): Promise<WatchOutcome[]>;
  /** Calls `listener` with what each scheduled check (every minute, in the background) came to. */
  onWatchChecked(listener: (outcomes: WatchOutcome[]) => void): void;
}

/** An Error that carries the backend's ApiError fields. */
export class ApiFailure extends Error implements ApiError {
  readonly code: ErrorCode;
  constructor(error: ApiError) {
    super(error.message);
    this.name = "ApiFailure";
    this.code = error.code;
  }
}

/** Whether `value` is one of the backend's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === "object" &&
    value !== null &&
    isErrorCode((value as { code?: unknown }).code) &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/** Turns whatever a rejected promise carried into an ApiError. */
export function toApiError(reason: unknown): ApiError {
  if (reason instanceof ApiFailure) return { code: reason.code, message: reason.message };
  if (isApiError(reason)) return { code: reason.code, message: reason.message };
  if (reason instanceof Error) return { code: "internal", message: reason.message || String(reason) };
  if (typeof reason === "string") return { code: "internal", message: reason };
  let text: string;
  try {
    text = JSON.stringify(reason);
  } catch {
    text = String(reason);
  }
  return { code: "internal", message: text ?? String(reason) };
}

/** A command's arguments as `invoke` takes them: none, or its object. */
type ArgsOf<K extends keyof Commands> = Commands[K]["args"] extends Record<string, never>
  ? []
  : [Commands[K]["args"]];

/**
 * Invoke a command of the app. Its name, arguments and result are checked
 * against `Commands`, generated from the Rust command table (the app's tests
 * check its commands against the same table).
 */
async function call<K extends keyof Commands>(
  command: K,
  ...args: ArgsOf<K>
): Promise<Commands[K]["result"]> {
  try {
    return await invoke<Commands[K]["result"]>(command, args[0]);
  } catch (reason) {
    throw new ApiFailure(toApiError(reason));
  }
}

export const tauriApi: Api = {
  launch: () => launchFrom((window as { __TRUSTLENS_LAUNCH__?: unknown }).__TRUSTLENS_LAUNCH__),
  versions: () => call("versions"),
  searchHits: (request) => call("search_hits", { request }),
  searchCounts: (request) => call("search_counts", { request }),
  read: (request) => call("read", { request }),
  compare: (request) => call("compare", { request }),
  matrixGrid: () => call("matrix_grid"),
  matrixCoverage: (version) => call("matrix_coverage", { version }),
  matrixDiff: (request) => call("matrix_diff", { request }),
  setLink: (request) => call("set_link", { request }),
  // Tauri matches command arguments in camelCase: the Rust `clause_id` is `clauseId` here.
  history: (clauseId) => call("history", { clauseId }),
  addNote: (note) => call("add_note", { note }),
  notes: (filter) => call("notes", { filter }),
  editNote: (id, edit) => call("edit_note", { id, edit }),
  deleteNote: (id) => call("delete_note", { id }),
  exportPreview: (request) => call("export_preview", { request }),
  exportToFile: (request, path, force) => call("export_to_file", { request, path, force }),
  memo: (request, format) => call("memo", { request, format }),
  terms: (version) => call("terms", { version }),
  termsCompared: (request) => call("terms_compared", { request }),
  corpusStatus: () => call("corpus_status"),
  setCorpusDir: (dir) => call("set_corpus_dir", { dir }),
  settings: () => call("settings"),
  setOcrMode: (ocr) => call("set_ocr_mode", { ocr }),
  importPlan: (request) => call("import_plan", { request }),
  importRun: (request, onProgress) => {
    const channel = new Channel<Progress>();
    channel.onmessage = onProgress;
    return call("import_run", { request, onProgress: channel });
  },
  importCancel: () => call("import_cancel"),
  pickPaths: async (folder) => {
    try {
      const chosen = await openFileDialog({
        multiple: !folder,
        directory: folder,
        title: folder ? "Import a folder" : "Import files",
        filters: folder
          ? undefined
          : [{ name: "Documents", extensions: ["md", "markdown", "txt", "pdf", "html", "htm"] }],
      });
      if (chosen === null) return [];
      return Array.isArray(chosen) ? chosen : [chosen];
    } catch (reason) {
      throw new ApiFailure(toApiError(reason));
    }
  },
  watchList: () => call("watch_list"),
  watchAdd: (source) => call("watch_add", { source }),
  watchRemove: (id) => call("watch_remove", { id }),
  watchRun: (request) => call("watch_run", { request }),
  onWatchChecked: (listener) => {
    void listen<WatchOutcome[]>(WATCH_CHECKED_EVENT, (event) => listener(event.payload));
  },
  onFileDrop: (onDrop, onOver) => {
    void getCurrentWebview().onDragDropEvent((event) => {
      const p = event.payload;
      if (p.type === "enter" || p.type === "over") onOver(true);
      else if (p.type === "leave") onOver(false);
      else {
        onOver(false);
        if (p.paths.length > 0) onDrop(p.paths);
      }
    });
  },
};
