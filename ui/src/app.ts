// Wires the static layout of index.html to the backend. All rendering of
// backend data goes through render.ts (createElement/textContent only).
import { toApiError, type Api } from "./api";
import type { ApiError } from "./bindings/ApiError";
import type { CorpusStatus } from "./bindings/CorpusStatus";
import type { Entry } from "./bindings/Entry";
import type { Link } from "./bindings/Link";
import type { LinkAction } from "./bindings/LinkAction";
import type { MatrixGrid } from "./bindings/MatrixGrid";
import type { ReadRequest } from "./bindings/ReadRequest";
import type { ReaderView } from "./bindings/ReaderView";
import type { SearchHit } from "./bindings/SearchHit";
import type { SearchRequest } from "./bindings/SearchRequest";
import type { SearchResults } from "./bindings/SearchResults";
import type { VersionInfo } from "./bindings/VersionInfo";
import { startCompare } from "./compare";
import { startExportDialog } from "./exportdialog";
import { startImportDialog } from "./importdialog";
import { statusLine, versionLabel } from "./format";
import { HitCursor } from "./hits";
import { shortcutFor } from "./keys";
import { startMatrix } from "./matrixview";
import { versionOfClause } from "./notes";
import { startNotes } from "./notesview";
import { QueryState } from "./query";
import {
  el,
  renderBlocks,
  renderEntryChips,
  renderHit,
  renderLinkAdd,
  renderLinkChips,
  renderReaderTitle,
  renderSummary,
} from "./render";

export interface AppHandle {
  /** Resolves once the first load of versions and status has settled. */
  ready: Promise<void>;
  /** Resolves once every action started so far has settled. */
  idle(): Promise<void>;
  search(): Promise<void>;
  open(index: number): Promise<void>;
  /** Open any clause in the reader (switches to the search view; no query highlight). */
  openClause(clauseId: string): Promise<void>;
  next(): Promise<void>;
  prev(): Promise<void>;
  changeCorpus(dir: string | null): Promise<void>;
  /**
   * Show what another process (the CLI, another window) added since: new
   * versions in the menus and the status line, the notes view's notes.
   * Runs whenever the window gets the focus back.
   */
  refresh(): Promise<void>;
  /** Switch between the search, compare, matrix and notes views. */
  setMode(mode: Mode): void;
  /** Compare the versions picked in the compare view. */
  compare(): Promise<void>;
  /** Select the change card at this position of the (filtered) list. */
  selectChange(position: number): void;
  /** Show the clauses of `version` linked to matrix entry `entry`. */
  selectMatrixCell(entry: string, version: string): Promise<void>;
  /** Open the import dialog, with these paths when given (what a drop does). */
  openImport(paths?: string[]): void;
}

export type Mode = "search" | "compare" | "matrix" | "notes";

const IDLE_SUMMARY = "Type a query and press Enter.";

export function startApp(doc: Document, api: Api): AppHandle {
  const byId = <T extends HTMLElement>(id: string): T => {
    const found = doc.getElementById(id);
    if (!found) throw new Error(`trustlens: #${id} is missing from index.html`);
    return found as T;
  };

  const form = byId<HTMLFormElement>("search-form");
  const queryInput = byId<HTMLInputElement>("query");
  const versionFilter = byId<HTMLSelectElement>("version-filter");
  const entryFilter = byId<HTMLSelectElement>("entry-filter");
  const settingsButton = byId<HTMLButtonElement>("settings-button");
  const importButton = byId<HTMLButtonElement>("import-button");
  const errorBanner = byId<HTMLDivElement>("error");
  const errorCode = byId<HTMLSpanElement>("error-code");
  const errorMessage = byId<HTMLSpanElement>("error-message");
  const errorDismiss = byId<HTMLButtonElement>("error-dismiss");
  const summary = byId<HTMLDivElement>("results-summary");
  const exportResults = byId<HTMLButtonElement>("export-results");
  const hitList = byId<HTMLUListElement>("hit-list");
  const readerVersion = byId<HTMLHeadingElement>("reader-version");
  const prevButton = byId<HTMLButtonElement>("prev-hit");
  const nextButton = byId<HTMLButtonElement>("next-hit");
  const hitPosition = byId<HTMLSpanElement>("hit-position");
  const readerBody = byId<HTMLDivElement>("reader-body");
  const readerEmpty = byId<HTMLDivElement>("reader-empty");
  const readerDoc = byId<HTMLElement>("reader-doc");
  const status = byId<HTMLSpanElement>("status");
  const warningsToggle = byId<HTMLButtonElement>("warnings-toggle");
  const warningsList = byId<HTMLUListElement>("warnings-list");
  const settings = byId<HTMLDialogElement>("settings");
  const settingsSource = byId<HTMLElement>("settings-source");
  const corpusDir = byId<HTMLInputElement>("corpus-dir");
  const corpusApply = byId<HTMLButtonElement>("corpus-apply");
  const corpusReset = byId<HTMLButtonElement>("corpus-reset");
  const settingsClose = byId<HTMLButtonElement>("settings-close");
  const settingsError = byId<HTMLDivElement>("settings-error");
  const modeSearch = byId<HTMLButtonElement>("mode-search");
  const modeCompare = byId<HTMLButtonElement>("mode-compare");
  const modeMatrix = byId<HTMLButtonElement>("mode-matrix");
  const modeNotes = byId<HTMLButtonElement>("mode-notes");
  const searchView = byId<HTMLElement>("search-view");
  const compareView = byId<HTMLElement>("compare-view");
  const matrixView = byId<HTMLElement>("matrix-view");
  const notesView = byId<HTMLElement>("notes-view");

  const state = new QueryState();
  const cursor = new HitCursor();
  let hits: SearchHit[] = [];
  // The search whose results are on screen (what "Export results…" exports).
  let shownSearch: SearchRequest | null = null;
  let labels = new Map<string, string>();
  // Matrix entries (for the entry filter, the reader's link select and chip
  // labels) and their areas by key; empty when the matrix is unavailable.
  let entries: Entry[] = [];
  let areas = new Map<string, string>();
  // Links changed since the grid was loaded: reload it when the matrix is shown.
  let matrixStale = false;
  let corpus: CorpusStatus | null = null;
  // Sequence numbers: a response that arrives after a newer request was made is dropped.
  let searchSeq = 0;
  let readSeq = 0;
  /** The first calls (versions, status, matrix) done: set once they are sent. */
  let loaded: Promise<unknown> = Promise.resolve();
  /** Whether any search has shown its results yet (see "trustlens:first-results"). */
  let firstShown = false;
  const pending = new Set<Promise<unknown>>();

  function track<T>(p: Promise<T>): Promise<T> {
    pending.add(p);
    const done = () => pending.delete(p);
    p.then(done, done);
    return p;
  }

  // ---- errors -------------------------------------------------------------

  function showError(error: ApiError, context?: string): void {
    errorCode.textContent = error.code;
    errorMessage.textContent = context ? `${context}: ${error.message}` : error.message;
    errorBanner.dataset.code = error.code;
    errorBanner.hidden = false;
    if (settings.open) {
      settingsError.textContent = error.message;
      settingsError.hidden = false;
    }
  }

  function clearError(): void {
    errorBanner.hidden = true;
    errorCode.textContent = "";
    errorMessage.textContent = "";
    delete errorBanner.dataset.code;
    settingsError.hidden = true;
    settingsError.textContent = "";
  }

  const exporter = startExportDialog({ doc, api, track });
  const importer = startImportDialog({ doc, api, track, onImported: () => reloadCorpus() });
  const comparer = startCompare({
    doc,
    api,
    showError,
    clearError,
    track,
    exportChanges: (request, label) =>
      exporter.open({
        kind: "export",
        selection: { kind: "changes", old: request.old, new: request.new },
        title: "Export changes",
        description: `The change cards of ${label}`,
      }),
    memo: (request, label) =>
      exporter.open({ kind: "memo", request, title: "Change memo", description: `What changed in ${label}` }),
  });
  const notes = startNotes({
    doc,
    api,
    showError,
    clearError,
    track,
    openClause: (clauseId) => void track(openClause(clauseId)),
    openExport: (target) => exporter.open(target),
  });
  const matrix = startMatrix({
    doc,
    api,
    showError,
    clearError,
    track,
    openClause: (clauseId) => void track(openClause(clauseId)),
  });
  let mode: Mode = "search";

  function setMode(next: Mode): void {
    const previous = mode;
    mode = next;
    const views: Array<[Mode, HTMLButtonElement, HTMLElement]> = [
      ["search", modeSearch, searchView],
      ["compare", modeCompare, compareView],
      ["matrix", modeMatrix, matrixView],
      ["notes", modeNotes, notesView],
    ];
    for (const [m, tab, view] of views) {
      view.hidden = next !== m;
      tab.setAttribute("aria-selected", String(next === m));
      tab.classList.toggle("active", next === m);
    }
    form.hidden = next !== "search";
    if (next === "matrix" && matrixStale) void track(loadMatrix());
    if (next === "notes" && previous !== "notes") void track(notes.showPanel());
    if (next !== "notes" && previous === "notes") notes.hidePanel();
  }

  // ---- corpus: versions and status ------------------------------------------

  function renderVersions(versions: readonly VersionInfo[]): void {
    const previous = versionFilter.value;
    labels = new Map(versions.map((v) => [v.id, versionLabel(v)]));
    const all = el(doc, "option", undefined, "All versions");
    all.value = "";
    const options = [all];
    for (const v of versions) {
      const option = el(doc, "option", undefined, versionLabel(v));
      option.value = v.id;
      option.title = v.id;
      options.push(option);
    }
    versionFilter.replaceChildren(...options);
    versionFilter.value = labels.has(previous) ? previous : "";
    state.setVersion(versionFilter.value);
    comparer.setVersions(versions);
    notes.setVersions(versions);
  }

  function renderStatus(s: CorpusStatus): void {
    corpus = s;
    status.textContent = statusLine(s);
    status.title = s.warnings.length > 0 ? s.warnings.join("\n") : "No warnings";
    status.classList.toggle("has-warnings", s.warnings.length > 0);
    warningsList.replaceChildren(...s.warnings.map((w) => el(doc, "li", undefined, w)));
    warningsToggle.hidden = s.warnings.length === 0;
    if (s.warnings.length === 0) setWarningsOpen(false);
    settingsSource.textContent = s.custom_dir ? `${s.source} (${s.custom_dir})` : s.source;
  }

  function setWarningsOpen(open: boolean): void {
    warningsList.hidden = !open;
    warningsToggle.setAttribute("aria-expanded", String(open));
    warningsToggle.textContent = open ? "Hide warnings" : "Show warnings";
  }

  async function loadVersions(): Promise<void> {
    try {
      renderVersions(await api.versions());
    } catch (e) {
      showError(toApiError(e), "Could not list versions");
    }
  }

  function renderMatrix(grid: MatrixGrid): void {
    entries = grid.entries;
    areas = new Map(grid.entries.map((e) => [e.key, e.area]));
    const previous = entryFilter.value;
    const all = el(doc, "option", undefined, "All matrix entries");
    all.value = "";
    const options = [all];
    for (const e of grid.entries) {
      const option = el(doc, "option", undefined, e.area);
      option.value = e.key;
      option.title = e.key;
      options.push(option);
    }
    entryFilter.replaceChildren(...options);
    entryFilter.value = areas.has(previous) ? previous : "";
    entryFilter.disabled = grid.entries.length === 0;
    state.setEntry(entryFilter.value);
    notes.setEntries(grid.entries);
    matrix.setGrid(grid);
  }

  async function loadMatrix(): Promise<void> {
    matrixStale = false;
    try {
      renderMatrix(await api.matrixGrid());
    } catch (e) {
      const error = toApiError(e);
      renderMatrix({ matrices: [], entries: [], versions: [], counts: [] });
      matrix.setUnavailable(error.message);
      showError(error, "Could not load the responsibility matrix");
    }
  }

  async function loadStatus(): Promise<void> {
    try {
      renderStatus(await api.corpusStatus());
    } catch (e) {
      status.textContent = "Corpus status unavailable";
      showError(toApiError(e), "Could not read corpus status");
    }
  }

  // ---- results --------------------------------------------------------------

  function updateNav(): void {
    prevButton.disabled = !cursor.canPrev;
    nextButton.disabled = cursor.length === 0 || !cursor.canNext;
    hitPosition.textContent = cursor.index >= 0 ? `${cursor.index + 1} / ${cursor.length}` : "";
  }

  function clearResults(message = IDLE_SUMMARY): void {
    searchSeq++;
    readSeq++;
    hits = [];
    shownSearch = null;
    exportResults.hidden = true;
    cursor.reset(0);
    state.clearResults();
    hitList.replaceChildren();
    summary.replaceChildren(doc.createTextNode(message));
    updateNav();
  }

  function resetReader(): void {
    readerVersion.replaceChildren(doc.createTextNode("No clause open"));
    readerDoc.replaceChildren();
    readerDoc.hidden = true;
    readerEmpty.hidden = false;
  }

  async function search(): Promise<void> {
    state.setQuery(queryInput.value);
    state.setVersion(versionFilter.value);
    state.setEntry(entryFilter.value);
    const request = state.searchRequest();
    if (!request) {
      clearResults("Type a query to search.");
      return;
    }
    const seq = ++searchSeq;
    readSeq++;
    summary.replaceChildren(doc.createTextNode("Searching…"));
    hitList.setAttribute("aria-busy", "true");
    try {
      // Hits first; the counts per version need every match read, and come
      // in a second call once the hits are on screen.
      const results = await api.searchHits(request);
      // The hits name versions and matrix entries by the labels the first
      // calls bring: a search sent before those answered (at launch, or
      // typed very fast) waits for them before it shows.
      await loaded;
      if (seq !== searchSeq) return;
      clearError();
      hits = results.hits;
      shownSearch = request;
      exportResults.hidden = false;
      cursor.reset(hits.length);
      state.markShown(request.query);
      summary.replaceChildren(renderSummary(doc, results, state.version, labels));
      hitList.replaceChildren(...hits.map((hit, i) => renderHit(doc, hit, i, areas)));
      if (hits.length === 0) {
        hitList.appendChild(el(doc, "li", "no-hits", "No clause matches this query."));
      }
      if (!firstShown) {
        // The start-up benchmark (bench/app.mjs) reads when the first
        // results were in the page, and the next frame, that paints them.
        firstShown = true;
        performance.mark?.("trustlens:first-results");
        globalThis.requestAnimationFrame?.(() => performance.mark?.("trustlens:first-results-frame"));
      }
      // Even without hits: filtered to one version, the counts show which
      // other versions match (and the button that clears the filter).
      void track(showCounts(seq, request, results));
    } catch (e) {
      if (seq !== searchSeq) return;
      hits = [];
      shownSearch = null;
      exportResults.hidden = true;
      cursor.reset(0);
      state.markShown(null);
      hitList.replaceChildren();
      summary.replaceChildren(doc.createTextNode("Search failed — see the message above."));
      showError(toApiError(e));
    } finally {
      if (seq === searchSeq) hitList.removeAttribute("aria-busy");
      updateNav();
    }
  }

  /** The counts per version under the hits shown by search `seq`. */
  async function showCounts(seq: number, request: SearchRequest, shown: SearchResults): Promise<void> {
    try {
      const counts = await api.searchCounts(request);
      if (seq !== searchSeq) return;
      summary.replaceChildren(renderSummary(doc, { ...counts, hits: shown.hits }, state.version, labels));
    } catch (e) {
      if (seq !== searchSeq) return;
      // The hits stand; only the counts are missing.
      summary.replaceChildren(renderSummary(doc, { ...shown, counted: true }, state.version, labels));
      showError(toApiError(e), "Could not count the matches per version");
    }
  }

  function markSelected(index: number): HTMLLIElement | null {
    let selected: HTMLLIElement | null = null;
    for (const li of hitList.querySelectorAll<HTMLLIElement>("li.hit")) {
      const on = Number(li.dataset.index) === index;
      li.classList.toggle("selected", on);
      li.setAttribute("aria-selected", String(on));
      if (on) selected = li;
    }
    return selected;
  }

  // ---- reader ---------------------------------------------------------------

  function renderReader(view: ReaderView): void {
    readerVersion.replaceChildren(renderReaderTitle(doc, view.version));
    readerDoc.replaceChildren(renderBlocks(doc, view.blocks, view.version.id, areas));
    readerEmpty.hidden = true;
    readerDoc.hidden = false;
    let focus: HTMLElement | null = null;
    for (const clause of readerDoc.querySelectorAll<HTMLElement>(".clause")) {
      const isFocus = clause.dataset.clauseId === view.focus;
      // The backend marks the focus block; fall back to the view's focus id.
      if (isFocus) clause.classList.add("focus");
      if (clause.classList.contains("focus") && (!focus || isFocus)) focus = clause;
    }
    // The focused clause can be linked to more entries.
    if (focus && entries.length > 0) focus.querySelector(".clause-links")?.appendChild(renderLinkAdd(doc, entries));
    // Note actions and counts on every clause; the focused clause's notes and history.
    void track(notes.readerShown(view.version.id, focus));
    if (focus) {
      if (typeof focus.scrollIntoView === "function") focus.scrollIntoView({ block: "center" });
    } else {
      readerBody.scrollTop = 0;
    }
  }

  async function readClause(request: ReadRequest): Promise<void> {
    const seq = ++readSeq;
    // The version's notes load alongside the clause (once per version).
    notes.prefetch(versionOfClause(request.clause_id));
    try {
      const view = await api.read(request);
      if (seq !== readSeq) return;
      clearError();
      renderReader(view);
    } catch (e) {
      if (seq !== readSeq) return;
      showError(toApiError(e), "Could not open the clause");
    }
  }

  async function open(index: number): Promise<void> {
    if (cursor.select(index) === null) return;
    const hit = hits[index];
    const li = markSelected(index);
    if (li && typeof li.scrollIntoView === "function") li.scrollIntoView({ block: "nearest" });
    updateNav();
    await readClause(state.readRequest(hit.clause_id));
  }

  /** Open a clause that is not (necessarily) a hit: no hit is selected, nothing highlighted. */
  async function openClause(clauseId: string): Promise<void> {
    setMode("search");
    cursor.reset(hits.length);
    markSelected(-1);
    updateNav();
    await readClause({ clause_id: clauseId, query: null });
  }

  // ---- matrix links in the reader ------------------------------------------------

  function clauseBlock(clauseId: string): HTMLElement | null {
    for (const div of readerDoc.querySelectorAll<HTMLElement>(".clause")) {
      if (div.dataset.clauseId === clauseId) return div;
    }
    return null;
  }

  /** Show a clause's links after a change: its reader chips, its hits' chips, the matrix. */
  function applyLinks(clauseId: string, links: readonly Link[]): void {
    const container = clauseBlock(clauseId)?.querySelector<HTMLElement>(".clause-links");
    if (container) {
      const active = doc.activeElement;
      const hadFocus = active !== null && container.contains(active);
      const select = container.querySelector<HTMLSelectElement>("select.link-add");
      container.replaceChildren(...renderLinkChips(doc, links, areas), ...(select ? [select] : []));
      if (hadFocus && !container.contains(doc.activeElement)) {
        container.querySelector<HTMLElement>("button.link-remove, select.link-add")?.focus();
      }
    }
    const keys = links.map((l) => l.entry);
    hits = hits.map((h) => (h.clause_id === clauseId ? { ...h, entries: keys } : h));
    for (const li of hitList.querySelectorAll<HTMLLIElement>("li.hit")) {
      if (li.dataset.clauseId !== clauseId) continue;
      li.querySelector(".hit-entries")?.remove();
      if (keys.length > 0) li.appendChild(renderEntryChips(doc, keys, areas));
    }
    matrixStale = true;
    matrix.invalidate();
  }

  async function changeLink(
    clauseId: string,
    entry: string,
    action: LinkAction,
    control: HTMLButtonElement | HTMLSelectElement,
  ): Promise<void> {
    control.disabled = true;
    try {
      const links = await api.setLink({ clause_id: clauseId, entry, action });
      clearError();
      applyLinks(clauseId, links);
    } catch (e) {
      const area = areas.get(entry) ?? entry;
      showError(toApiError(e), action === "unlink" ? `Could not unlink ${area}` : `Could not link ${area}`);
    } finally {
      control.disabled = false;
    }
  }

  async function next(): Promise<void> {
    const i = cursor.canNext ? cursor.index + 1 : null;
    if (i !== null) await open(i);
  }

  async function prev(): Promise<void> {
    const i = cursor.canPrev ? cursor.index - 1 : null;
    if (i !== null) await open(i);
  }

  // ---- settings ---------------------------------------------------------------

  function openSettings(): void {
    settingsError.hidden = true;
    settingsError.textContent = "";
    corpusDir.value = corpus?.custom_dir ?? "";
    if (typeof settings.showModal === "function") settings.showModal();
    else settings.setAttribute("open", "");
    corpusDir.focus();
  }

  function closeSettings(): void {
    if (typeof settings.close === "function") settings.close();
    else settings.removeAttribute("open");
  }

  /** The corpus changed (another one chosen, or versions imported): reload everything that shows it. */
  async function reloadCorpus(): Promise<void> {
    clearError();
    clearResults();
    resetReader();
    notes.reset();
    comparer.reset();
    matrix.reset();
    await loadMatrix();
    await loadVersions();
    await loadStatus();
    if (mode === "notes") await notes.showPanel();
  }

  /** The versions as listed now; reload what shows them when they changed. */
  async function refresh(): Promise<void> {
    let versions: VersionInfo[];
    try {
      versions = await api.versions();
    } catch {
      return; // the next action reports it
    }
    const same = versions.length === labels.size && versions.every((v) => labels.has(v.id));
    if (!same) {
      renderVersions(versions);
      matrixStale = true;
      await loadStatus();
    }
    if (mode === "notes") await notes.showPanel();
  }

  async function changeCorpus(dir: string | null): Promise<void> {
    corpusApply.disabled = true;
    corpusReset.disabled = true;
    try {
      renderStatus(await api.setCorpusDir(dir));
      await reloadCorpus();
      if (errorBanner.hasAttribute("hidden")) closeSettings();
    } catch (e) {
      showError(toApiError(e), "Could not change the corpus");
    } finally {
      corpusApply.disabled = false;
      corpusReset.disabled = false;
    }
  }

  function applyCorpusDir(): void {
    const dir = corpusDir.value.trim();
    if (dir.length === 0) {
      settingsError.textContent = "Enter a corpus directory path, or use the bundled corpus.";
      settingsError.hidden = false;
      return;
    }
    void track(changeCorpus(dir));
  }

  // ---- events -----------------------------------------------------------------

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void track(search());
  });
  // index.html ships the search box disabled, so that nothing can submit the
  // form as a plain page load before this handler exists.
  queryInput.disabled = false;
  byId<HTMLButtonElement>("search-button").disabled = false;
  // When the search box became usable, on the page's clock: the start-up
  // benchmark (bench/app.mjs) reads it, since a WebDriver script only runs
  // some time after the page is ready.
  performance.mark?.("trustlens:search-ready");

  versionFilter.addEventListener("change", () => {
    state.setVersion(versionFilter.value);
    if (state.shown !== null) void track(search());
  });

  entryFilter.addEventListener("change", () => {
    state.setEntry(entryFilter.value);
    if (state.shown !== null) void track(search());
  });

  summary.addEventListener("click", (event) => {
    const button = (event.target as Element | null)?.closest?.<HTMLButtonElement>("button.facet");
    const version = button?.dataset.version;
    if (!version) return;
    state.toggleVersion(version);
    versionFilter.value = state.version ?? "";
    void track(search());
  });

  hitList.addEventListener("click", (event) => {
    const li = (event.target as Element | null)?.closest?.<HTMLLIElement>("li.hit");
    if (li) void track(open(Number(li.dataset.index)));
  });

  hitList.addEventListener("keydown", (event) => {
    const li = (event.target as Element | null)?.closest?.<HTMLLIElement>("li.hit");
    if (!li) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      void track(open(Number(li.dataset.index)));
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const sibling = event.key === "ArrowDown" ? li.nextElementSibling : li.previousElementSibling;
      if (sibling instanceof HTMLElement && sibling.classList.contains("hit")) sibling.focus();
    }
  });

  readerDoc.addEventListener("click", (event) => {
    const button = (event.target as Element | null)?.closest?.<HTMLButtonElement>("button.link-remove");
    const entry = button?.closest<HTMLElement>(".link-chip")?.dataset.entry;
    const clauseId = button?.closest<HTMLElement>(".clause")?.dataset.clauseId;
    if (button && entry && clauseId) void track(changeLink(clauseId, entry, "unlink", button));
  });

  readerDoc.addEventListener("change", (event) => {
    const select = (event.target as Element | null)?.closest?.<HTMLSelectElement>("select.link-add");
    const clauseId = select?.closest<HTMLElement>(".clause")?.dataset.clauseId;
    if (!select || !clauseId || !select.value) return;
    const entry = select.value;
    select.value = "";
    void track(changeLink(clauseId, entry, "link", select));
  });

  prevButton.addEventListener("click", () => void track(prev()));
  nextButton.addEventListener("click", () => void track(next()));
  errorDismiss.addEventListener("click", clearError);

  const toggleWarnings = () => {
    if (corpus && corpus.warnings.length > 0) setWarningsOpen(warningsList.hasAttribute("hidden"));
  };
  warningsToggle.addEventListener("click", toggleWarnings);
  status.addEventListener("click", toggleWarnings);

  settingsButton.addEventListener("click", openSettings);
  importButton.addEventListener("click", () => importer.open());
  api.onFileDrop(
    (paths) => importer.open(paths),
    (over) => doc.body.classList.toggle("drop-target", over),
  );
  settingsClose.addEventListener("click", closeSettings);
  corpusApply.addEventListener("click", applyCorpusDir);
  corpusReset.addEventListener("click", () => void track(changeCorpus(null)));
  corpusDir.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      applyCorpusDir();
    }
  });

  doc.addEventListener("keydown", (event) => {
    // A dialog is open: its keys are its own.
    if (settings.open || notes.dialog.isOpen || exporter.isOpen || event.defaultPrevented) return;
    const shortcut = shortcutFor(event);
    if (!shortcut) return;
    // The matrix and the notes have nothing to step through.
    if ((mode === "matrix" || mode === "notes") && shortcut !== "focus-search") return;
    event.preventDefault();
    if (shortcut === "focus-search") {
      setMode("search");
      queryInput.focus();
      queryInput.select();
    } else if (mode === "compare") {
      if (shortcut === "next") comparer.next();
      else comparer.prev();
    } else if (shortcut === "next") {
      void track(next());
    } else {
      void track(prev());
    }
  });

  modeSearch.addEventListener("click", () => setMode("search"));
  modeCompare.addEventListener("click", () => setMode("compare"));
  modeMatrix.addEventListener("click", () => setMode("matrix"));
  modeNotes.addEventListener("click", () => setMode("notes"));

  exportResults.addEventListener("click", () => {
    if (!shownSearch) return;
    const request = shownSearch;
    const where = [
      request.version ? `in ${labels.get(request.version) ?? request.version}` : "",
      request.entry ? `linked to ${areas.get(request.entry) ?? request.entry}` : "",
    ].filter((s) => s.length > 0);
    exporter.open({
      kind: "export",
      selection: { kind: "search", request },
      title: "Export search results",
      description: `Clauses matching “${request.query}”${where.length > 0 ? ` ${where.join(", ")}` : ""}`,
    });
  });

  updateNav();
  setMode("search");
  const firstCalls = Promise.all([loadVersions(), loadStatus(), loadMatrix()]).then(() => {
    // The corpus is open: see "trustlens:search-ready" above.
    performance.mark?.("trustlens:corpus-ready");
  });
  loaded = firstCalls;
  // Started with a search (`trustlens-app --search QUERY`): ask for it
  // alongside the first calls rather than after them.
  const launch = api.launch();
  if (launch.search !== null) {
    queryInput.value = launch.search;
    void track(search());
  }
  const ready = track(firstCalls);
  // Back from the terminal where a version was imported: show it.
  doc.defaultView?.addEventListener("focus", () => void track(firstCalls.then(refresh)));

  return {
    ready,
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    search: () => track(search()),
    open: (index) => track(open(index)),
    openClause: (clauseId) => track(openClause(clauseId)),
    next: () => track(next()),
    prev: () => track(prev()),
    changeCorpus: (dir) => track(changeCorpus(dir)),
    refresh: () => track(refresh()),
    setMode,
    compare: () => track(comparer.run()),
    selectChange: (position) => comparer.select(position),
    selectMatrixCell: (entry, version) => track(matrix.select(entry, version)),
    openImport: (paths) => importer.open(paths),
  };
}
