// The composition root: creates the shared services and one view per part of
// index.html's static layout, and wires the views together. Views never hold
// each other: what crosses views goes through the callbacks given here, the
// catalog's listeners (corpus data) and the navigation object (which view is
// shown, which clause to open). Rendering of backend data goes through
// render.ts and its kin (createElement/textContent only).
import type { Api } from "./api";
import type { WatchOutcome } from "./bindings/WatchOutcome";
import { Catalog } from "./catalog";
import { ComparePane } from "./compare";
import { ErrorBanner } from "./errorbanner";
import { ExportDialog, type ExportTarget } from "./exportdialog";
import { ImportDialog } from "./importdialog";
import { shortcutFor } from "./keys";
import { MatrixPane } from "./matrixview";
import { ModeTabs } from "./modetabs";
import { Navigation, type Mode } from "./navigation";
import { Notes } from "./notesview";
import { ReaderPane, type ReaderContext } from "./readerview";
import { SearchPane } from "./searchview";
import { Tasks, type Services } from "./services";
import { SettingsDialog } from "./settingsdialog";
import { StatusBar } from "./statusbar";
import { WatchNotices } from "./watchnotices";
import { WatchPane } from "./watchview";

export type { Mode } from "./navigation";

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
  /** Switch between the search, compare, matrix, notes and watch views. */
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


/** Every view of the page, and what they share. */
interface App {
  services: Services;
  tasks: Tasks;
  nav: Navigation;
  catalog: Catalog;
  errors: ErrorBanner;
  status: StatusBar;
  tabs: ModeTabs;
  exporter: ExportDialog;
  importer: ImportDialog;
  settings: SettingsDialog;
  search: SearchPane;
  reader: ReaderPane;
  compare: ComparePane;
  matrix: MatrixPane;
  notes: Notes;
  watch: WatchPane;
  notices: WatchNotices;
}

export function startApp(doc: Document, api: Api): AppHandle {
  const app = createApp(doc, api);
  wireCorpus(app);
  wireModes(app);
  wireWatch(app);
  listenForShortcuts(app);
  app.nav.setMode("search");
  const firstCalls = app.catalog.loadFirst();
  // Started with a search (`trustlens-app --search QUERY`): ask for it
  // alongside the first calls rather than after them.
  const launch = api.launch();
  if (launch.search !== null) void app.tasks.track(app.search.searchFor(launch.search));
  const ready = app.tasks.track(firstCalls);
  // Back from the terminal where a version was imported: show it.
  doc.defaultView?.addEventListener("focus", () => void app.tasks.track(firstCalls.then(() => refresh(app))));
  return handleOf(app, ready);
}

/** The services, then the views; each view gets the services and collaborators it uses. */
function createApp(doc: Document, api: Api): App {
  const tasks = new Tasks();
  const errors = new ErrorBanner(doc);
  const services: Services = {
    doc,
    api,
    track: (p) => tasks.track(p),
    showError: (error, context) => errors.show(error, context),
    clearError: () => errors.clear(),
  };
  const nav = new Navigation();
  const catalog = new Catalog(services);
  const openClause = (clauseId: string) => void tasks.track(nav.openClause(clauseId));
  const exporter = new ExportDialog(services);
  const openExport = (target: ExportTarget) => exporter.open(target);
  // The callbacks below reach `app` and `search`, created after them: they
  // run on user actions only, once everything exists.
  const corpusChanged = () => reloadCorpus(app);
  const importer = new ImportDialog({ ...services, onImported: corpusChanged });
  const compare = new ComparePane({ ...services, openExport });
  const notes = new Notes({ ...services, catalog, openClause, openExport });
  const matrix = new MatrixPane({ ...services, openClause });
  const linksChanged: ReaderContext["linksChanged"] = (clauseId, links) => {
    search.showLinks(clauseId, links);
    catalog.gridStale = true;
    matrix.invalidate();
  };
  const reader = new ReaderPane({ ...services, catalog, notes, linksChanged, openClause });
  const search = new SearchPane({ ...services, catalog, nav, reader, openExport });
  nav.setClauseOpener((clauseId) => search.openClause(clauseId));
  const settings = new SettingsDialog({ ...services, catalog, errorShown: () => errors.shown, corpusChanged });
  const status = new StatusBar(doc);
  const tabs = new ModeTabs(doc, nav);
  const notices = new WatchNotices({ doc, openCompare: (old, neu) => void tasks.track(openCompare(app, old, neu)) });
  const watch = new WatchPane({ ...services, checked: (outcomes) => watchChecked(app, outcomes) });
  const app: App = { services, tasks, nav, catalog, errors, status, tabs, exporter, importer, settings, search, reader, compare, matrix, notes, watch, notices };
  return app;
}

/** The corpus's versions, matrix and status go to every view that shows them. */
function wireCorpus({ catalog, errors, status, settings, search, compare, matrix, notes }: App): void {
  catalog.onVersions((versions) => {
    search.setVersions(versions);
    compare.setVersions(versions);
    notes.setVersions(versions);
  });
  catalog.onGrid((grid, unavailable) => {
    search.setEntries(grid.entries);
    notes.setEntries(grid.entries);
    matrix.setGrid(grid);
    if (unavailable !== null) matrix.setUnavailable(unavailable);
  });
  catalog.onStatus((s) => {
    if (!s) {
      status.unavailable();
      return;
    }
    status.show(s);
    settings.showStatus(s);
  });
  errors.onChange((error) => settings.mirrorError(error));
}

/** Switching views: the tabs, the search form, and what a view reloads when it is shown. */
function wireModes({ nav, tabs, search, catalog, notes, watch, tasks }: App): void {
  nav.onModeChange((next: Mode, previous: Mode) => {
    tabs.show(next);
    search.showForm(next === "search");
    if (next === "matrix" && catalog.gridStale) void tasks.track(catalog.loadGrid());
    if (next === "notes" && previous !== "notes") void tasks.track(notes.showPanel());
    if (next !== "notes" && previous === "notes") notes.hidePanel();
    if (next === "watch" && previous !== "watch") void tasks.track(watch.reload());
  });
}

/** The app's scheduler checked the sources that were due: the same as a Check now, and the list shows it. */
function wireWatch(app: App): void {
  app.services.api.onWatchChecked((outcomes) => {
    watchChecked(app, outcomes);
    if (app.nav.mode === "watch") void app.tasks.track(app.watch.reload());
  });
}

/** A check came back: a notice per new version, and the new versions in every view that lists versions. */
function watchChecked(app: App, outcomes: readonly WatchOutcome[]): void {
  app.notices.show(outcomes);
  if (outcomes.some((o) => o.result === "new_version")) void app.tasks.track(versionsAdded(app));
}

/**
 * A check recorded versions (the backend has reopened the corpus): list them
 * like versions another process added, without resetting the views as a
 * corpus change does, since a scheduled check must not throw away what the
 * user is reading.
 */
async function versionsAdded(app: App): Promise<void> {
  await refresh(app);
  if (app.nav.mode === "matrix" && app.catalog.gridStale) await app.catalog.loadGrid();
}

/** What a watch notice opens: the compare view on the previous and the new version. */
async function openCompare({ catalog, nav, compare }: App, old: string, neu: string): Promise<void> {
  // The notice may be clicked before the versions it names are listed (they are reloaded in the background).
  if (!catalog.labels.has(old) || !catalog.labels.has(neu)) await catalog.refresh();
  nav.setMode("compare");
  await compare.compareVersions(old, neu);
}

/** `/` goes to the search box; n/j and p/k step through the hits, or the changes in the compare view. */
function listenForShortcuts({ services, nav, settings, notes, exporter, search, compare, tasks }: App): void {
  services.doc.addEventListener("keydown", (event) => {
    // A dialog is open: its keys are its own.
    if (settings.isOpen || notes.dialog.isOpen || exporter.isOpen || event.defaultPrevented) return;
    const shortcut = shortcutFor(event);
    if (!shortcut) return;
    // The matrix, the notes and the watched pages have nothing to step through.
    if ((nav.mode === "matrix" || nav.mode === "notes" || nav.mode === "watch") && shortcut !== "focus-search") return;
    event.preventDefault();
    if (shortcut === "focus-search") search.focusSearch();
    else if (nav.mode === "compare") shortcut === "next" ? compare.next() : compare.prev();
    else void tasks.track(shortcut === "next" ? search.next() : search.prev());
  });
}

/** The corpus changed (another one chosen, or versions imported): reload everything that shows it. */
async function reloadCorpus({ services, catalog, nav, search, reader, notes, compare, matrix, watch }: App): Promise<void> {
  services.clearError();
  search.clear();
  reader.reset();
  notes.reset();
  compare.reset();
  matrix.reset();
  // Each corpus has its own watched pages.
  watch.reset();
  await catalog.loadGrid();
  await catalog.loadVersions();
  await catalog.loadStatus();
  if (nav.mode === "notes") await notes.showPanel();
  if (nav.mode === "watch") await watch.reload();
}

/** Show what another process added since: new versions (and status), the notes view's notes. */
async function refresh({ catalog, nav, notes }: App): Promise<void> {
  if ((await catalog.refresh()) && nav.mode === "notes") await notes.showPanel();
}

function handleOf(app: App, ready: Promise<void>): AppHandle {
  const { tasks, nav, search, settings, compare, matrix, importer } = app;
  const track = <T>(p: Promise<T>) => tasks.track(p);
  return {
    ready,
    idle: () => tasks.idle(),
    search: () => track(search.search()),
    open: (index) => track(search.open(index)),
    openClause: (clauseId) => track(search.openClause(clauseId)),
    next: () => track(search.next()),
    prev: () => track(search.prev()),
    changeCorpus: (dir) => track(settings.changeCorpus(dir)),
    refresh: () => track(refresh(app)),
    setMode: (mode) => nav.setMode(mode),
    compare: () => track(compare.run()),
    selectChange: (position) => compare.select(position),
    selectMatrixCell: (entry, version) => track(matrix.select(entry, version)),
    openImport: (paths) => importer.open(paths),
  };
}
