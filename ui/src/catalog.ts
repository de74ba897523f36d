// What the corpus holds, as several views need it: its versions (and their
// labels), the responsibility matrix's entries (and their areas) and the
// corpus status. It loads them and tells its listeners; it draws nothing.
import { toApiError } from "./api";
import type { CorpusStatus } from "./bindings/CorpusStatus";
import type { Entry } from "./bindings/Entry";
import type { MatrixGrid } from "./bindings/MatrixGrid";
import type { VersionInfo } from "./bindings/VersionInfo";
import { versionLabel } from "./format";
import type { Services } from "./services";

const NO_GRID: MatrixGrid = { matrices: [], entries: [], versions: [], counts: [] };

/** `unavailable` is the reason when the matrix could not be loaded (the grid is then empty). */
export type GridListener = (grid: MatrixGrid, unavailable: string | null) => void;
/** `status` is null when it could not be read. */
export type StatusListener = (status: CorpusStatus | null) => void;

export class Catalog {
  /** Version labels by id. */
  labels: ReadonlyMap<string, string> = new Map();
  /** Matrix entries; empty when the matrix is unavailable. */
  entries: readonly Entry[] = [];
  /** Entry areas by key. */
  areas: ReadonlyMap<string, string> = new Map();
  status: CorpusStatus | null = null;
  /** Links or versions changed since the grid was loaded: reload it before showing it. */
  gridStale = false;
  /** The first load (see `loadFirst`); searches wait for it, as their hits are labelled from it. */
  loaded: Promise<unknown> = Promise.resolve();

  private readonly versionListeners: Array<(versions: readonly VersionInfo[]) => void> = [];
  private readonly gridListeners: GridListener[] = [];
  private readonly statusListeners: StatusListener[] = [];

  constructor(private readonly services: Services) {}

  onVersions(listener: (versions: readonly VersionInfo[]) => void): void {
    this.versionListeners.push(listener);
  }

  onGrid(listener: GridListener): void {
    this.gridListeners.push(listener);
  }

  onStatus(listener: StatusListener): void {
    this.statusListeners.push(listener);
  }

  /** A version's label, or its id when it is not (or no longer) listed. */
  label(version: string): string {
    return this.labels.get(version) ?? version;
  }

  /** An entry's area, or its key when it is not (or no longer) in the matrix. */
  area(entry: string): string {
    return this.areas.get(entry) ?? entry;
  }

  /** Versions, status and matrix, asked for at once. */
  loadFirst(): Promise<void> {
    const first = Promise.all([this.loadVersions(), this.loadStatus(), this.loadGrid()]).then(() => {
      // The start-up benchmark (bench/app.mjs) reads when the corpus was open.
      performance.mark?.("trustlens:corpus-ready");
    });
    this.loaded = first;
    return first;
  }

  async loadVersions(): Promise<void> {
    try {
      this.setVersions(await this.services.api.versions());
    } catch (e) {
      this.services.showError(toApiError(e), "Could not list versions");
    }
  }

  async loadStatus(): Promise<void> {
    try {
      this.setStatus(await this.services.api.corpusStatus());
    } catch (e) {
      for (const listener of this.statusListeners) listener(null);
      this.services.showError(toApiError(e), "Could not read corpus status");
    }
  }

  async loadGrid(): Promise<void> {
    this.gridStale = false;
    try {
      this.setGrid(await this.services.api.matrixGrid(), null);
    } catch (e) {
      const error = toApiError(e);
      this.setGrid(NO_GRID, error.message);
      this.services.showError(error, "Could not load the responsibility matrix");
    }
  }

  /**
   * List the versions again and, when another process changed them, show
   * the new list and status. False when the backend did not answer.
   */
  async refresh(): Promise<boolean> {
    let versions: VersionInfo[];
    try {
      versions = await this.services.api.versions();
    } catch {
      return false; // the next action reports it
    }
    const same = versions.length === this.labels.size && versions.every((v) => this.labels.has(v.id));
    if (!same) {
      this.setVersions(versions);
      this.gridStale = true;
      await this.loadStatus();
    }
    return true;
  }

  setStatus(status: CorpusStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }

  private setVersions(versions: readonly VersionInfo[]): void {
    this.labels = new Map(versions.map((v) => [v.id, versionLabel(v)]));
    for (const listener of this.versionListeners) listener(versions);
  }

  private setGrid(grid: MatrixGrid, unavailable: string | null): void {
    this.entries = grid.entries;
    this.areas = new Map(grid.entries.map((e) => [e.key, e.area]));
    for (const listener of this.gridListeners) listener(grid, unavailable);
  }
}
