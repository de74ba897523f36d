// The search view: the search form in the header (query, version and matrix
// entry filters), the results (summary with a facet per version, the hit
// list, "Export results…") and the hit navigation above the reader. Opening
// a hit shows its clause in the reader with the query's matches highlighted.
import { toApiError } from "./api";
import type { Entry } from "./bindings/Entry";
import type { Link } from "./bindings/Link";
import type { SearchHit } from "./bindings/SearchHit";
import type { SearchRequest } from "./bindings/SearchRequest";
import type { SearchResults } from "./bindings/SearchResults";
import type { VersionInfo } from "./bindings/VersionInfo";
import type { Catalog } from "./catalog";
import { byIdIn, closestTo, isActivation, markSelected, scrollToView } from "./dom";
import type { ExportTarget } from "./exportdialog";
import { HitCursor } from "./hits";
import type { Navigation } from "./navigation";
import { QueryState } from "./query";
import type { ReaderPane } from "./readerview";
import { el, fillEntryFilter, fillVersionFilter, renderEntryChips, renderHit, renderSummary } from "./render";
import type { Services } from "./services";

const IDLE_SUMMARY = "Type a query and press Enter.";

export interface SearchContext extends Services {
  catalog: Catalog;
  nav: Navigation;
  reader: Pick<ReaderPane, "read" | "cancel">;
  openExport(target: ExportTarget): void;
}

export class SearchPane {
  private readonly byId: <T extends HTMLElement>(id: string) => T;
  private readonly form: HTMLFormElement;
  private readonly query: HTMLInputElement;
  private readonly versionFilter: HTMLSelectElement;
  private readonly entryFilter: HTMLSelectElement;
  private readonly summary: HTMLDivElement;
  private readonly exportButton: HTMLButtonElement;
  private readonly hitList: HTMLUListElement;
  private readonly prevButton: HTMLButtonElement;
  private readonly nextButton: HTMLButtonElement;
  private readonly position: HTMLSpanElement;

  private readonly state = new QueryState();
  private readonly cursor = new HitCursor();
  private hits: SearchHit[] = [];
  // The search whose results are on screen (what "Export results…" exports).
  private shown: SearchRequest | null = null;
  // A response that arrives after a newer search was made is dropped.
  private seq = 0;
  // Whether any search has shown its results yet (see "trustlens:first-results").
  private firstShown = false;

  constructor(private readonly ctx: SearchContext) {
    const byId = (this.byId = byIdIn(ctx.doc));
    this.form = byId<HTMLFormElement>("search-form");
    this.query = byId<HTMLInputElement>("query");
    this.versionFilter = byId<HTMLSelectElement>("version-filter");
    this.entryFilter = byId<HTMLSelectElement>("entry-filter");
    this.summary = byId<HTMLDivElement>("results-summary");
    this.exportButton = byId<HTMLButtonElement>("export-results");
    this.hitList = byId<HTMLUListElement>("hit-list");
    this.prevButton = byId<HTMLButtonElement>("prev-hit");
    this.nextButton = byId<HTMLButtonElement>("next-hit");
    this.position = byId<HTMLSpanElement>("hit-position");
    this.listenToForm();
    this.listenToResults();
    this.updateNav();
  }

  /** Fill the version filter (keeps the version chosen while it is listed). */
  setVersions(versions: readonly VersionInfo[]): void {
    fillVersionFilter(this.ctx.doc, this.versionFilter, versions);
    this.state.setVersion(this.versionFilter.value);
  }

  /** Fill the matrix entry filter (keeps the entry chosen while it is in the matrix). */
  setEntries(entries: readonly Entry[]): void {
    fillEntryFilter(this.ctx.doc, this.entryFilter, entries);
    this.state.setEntry(this.entryFilter.value);
  }

  /** The search form is in the header, and only for this view. */
  showForm(shown: boolean): void {
    this.form.hidden = !shown;
  }

  /** Switch to this view and put the cursor in the search box. */
  focusSearch(): void {
    this.ctx.nav.setMode("search");
    this.query.focus();
    this.query.select();
  }

  /** Search for `text` as if it had been typed. */
  searchFor(text: string): Promise<void> {
    this.query.value = text;
    return this.search();
  }

  async search(): Promise<void> {
    const { doc, api } = this.ctx;
    this.state.setQuery(this.query.value);
    this.state.setVersion(this.versionFilter.value);
    this.state.setEntry(this.entryFilter.value);
    const request = this.state.searchRequest();
    if (!request) {
      this.clear("Type a query to search.");
      return;
    }
    const seq = ++this.seq;
    this.ctx.reader.cancel();
    this.summary.replaceChildren(doc.createTextNode("Searching…"));
    this.hitList.setAttribute("aria-busy", "true");
    try {
      // Hits first; the counts per version need every match read, and come
      // in a second call once the hits are on screen.
      const results = await api.searchHits(request);
      // The hits name versions and matrix entries by the labels the first
      // calls bring: a search sent before those answered (at launch, or
      // typed very fast) waits for them before it shows.
      await this.ctx.catalog.loaded;
      if (seq !== this.seq) return;
      this.ctx.clearError();
      this.showHits(request, results);
      // Even without hits: filtered to one version, the counts show which
      // other versions match (and the button that clears the filter).
      void this.ctx.track(this.showCounts(seq, request, results));
    } catch (e) {
      if (seq !== this.seq) return;
      this.forget("Search failed — see the message above.");
      this.ctx.showError(toApiError(e));
    } finally {
      if (seq === this.seq) this.hitList.removeAttribute("aria-busy");
      this.updateNav();
    }
  }

  /** Forget the results (the corpus changed); the query typed stays. */
  clear(message = IDLE_SUMMARY): void {
    this.seq++;
    this.ctx.reader.cancel();
    this.forget(message);
    this.updateNav();
  }

  /** Open the hit at `index` in the reader. */
  async open(index: number): Promise<void> {
    if (this.cursor.select(index) === null) return;
    const hit = this.hits[index];
    scrollToView(this.markSelected(index), "nearest");
    this.updateNav();
    await this.ctx.reader.read(this.state.readRequest(hit.clause_id));
  }

  /** Open a clause that is not (necessarily) a hit: no hit is selected, nothing highlighted. */
  async openClause(clauseId: string): Promise<void> {
    this.ctx.nav.setMode("search");
    this.cursor.reset(this.hits.length);
    this.markSelected(-1);
    this.updateNav();
    await this.ctx.reader.read({ clause_id: clauseId, query: null });
  }

  async next(): Promise<void> {
    if (this.cursor.canNext) await this.open(this.cursor.index + 1);
  }

  async prev(): Promise<void> {
    if (this.cursor.canPrev) await this.open(this.cursor.index - 1);
  }

  /** A clause's links changed: show its hits' new entry chips. */
  showLinks(clauseId: string, links: readonly Link[]): void {
    const keys = links.map((l) => l.entry);
    this.hits = this.hits.map((h) => (h.clause_id === clauseId ? { ...h, entries: keys } : h));
    for (const li of this.hitList.querySelectorAll<HTMLLIElement>("li.hit")) {
      if (li.dataset.clauseId !== clauseId) continue;
      li.querySelector(".hit-entries")?.remove();
      if (keys.length > 0) li.appendChild(renderEntryChips(this.ctx.doc, keys, this.ctx.catalog.areas));
    }
  }

  private showHits(request: SearchRequest, results: SearchResults): void {
    const { doc, catalog } = this.ctx;
    this.hits = results.hits;
    this.shown = request;
    this.exportButton.hidden = false;
    this.cursor.reset(this.hits.length);
    this.state.markShown(request.query);
    this.summary.replaceChildren(renderSummary(doc, results, this.state.version, catalog.labels));
    this.hitList.replaceChildren(...this.hits.map((hit, i) => renderHit(doc, hit, i, catalog.areas)));
    if (this.hits.length === 0) {
      this.hitList.appendChild(el(doc, "li", "no-hits", "No clause matches this query."));
    }
    if (!this.firstShown) {
      // The start-up benchmark (bench/app.mjs) reads when the first
      // results were in the page, and the next frame, that paints them.
      this.firstShown = true;
      performance.mark?.("trustlens:first-results");
      globalThis.requestAnimationFrame?.(() => performance.mark?.("trustlens:first-results-frame"));
    }
  }

  /** The counts per version under the hits shown by search `seq`. */
  private async showCounts(seq: number, request: SearchRequest, shown: SearchResults): Promise<void> {
    const { doc, catalog } = this.ctx;
    try {
      const counts = await this.ctx.api.searchCounts(request);
      if (seq !== this.seq) return;
      this.summary.replaceChildren(renderSummary(doc, { ...counts, hits: shown.hits }, this.state.version, catalog.labels));
    } catch (e) {
      if (seq !== this.seq) return;
      // The hits stand; only the counts are missing.
      this.summary.replaceChildren(renderSummary(doc, { ...shown, counted: true }, this.state.version, catalog.labels));
      this.ctx.showError(toApiError(e), "Could not count the matches per version");
    }
  }

  /** No results on screen; `message` in their place. */
  private forget(message: string): void {
    this.hits = [];
    this.shown = null;
    this.exportButton.hidden = true;
    this.cursor.reset(0);
    this.state.clearResults();
    this.hitList.replaceChildren();
    this.summary.replaceChildren(this.ctx.doc.createTextNode(message));
  }

  private markSelected(index: number): HTMLLIElement | null {
    const items = this.hitList.querySelectorAll<HTMLLIElement>("li.hit");
    return markSelected(items, (li) => Number(li.dataset.index) === index);
  }

  private updateNav(): void {
    this.prevButton.disabled = !this.cursor.canPrev;
    this.nextButton.disabled = this.cursor.length === 0 || !this.cursor.canNext;
    this.position.textContent = this.cursor.index >= 0 ? `${this.cursor.index + 1} / ${this.cursor.length}` : "";
  }

  /** What "Export results…" exports: the search on screen, not what is typed now. */
  private exportShown(): void {
    if (!this.shown) return;
    const request = this.shown;
    const { catalog } = this.ctx;
    const where = [
      request.version ? `in ${catalog.label(request.version)}` : "",
      request.entry ? `linked to ${catalog.area(request.entry)}` : "",
    ].filter((s) => s.length > 0);
    this.ctx.openExport({
      kind: "export",
      selection: { kind: "search", request },
      title: "Export search results",
      description: `Clauses matching “${request.query}”${where.length > 0 ? ` ${where.join(", ")}` : ""}`,
    });
  }

  private listenToForm(): void {
    const track = <T>(p: Promise<T>) => this.ctx.track(p);
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void track(this.search());
    });
    // index.html ships the search box disabled, so that nothing can submit the
    // form as a plain page load before this handler exists.
    this.query.disabled = false;
    this.byId<HTMLButtonElement>("search-button").disabled = false;
    // When the search box became usable, on the page's clock: the start-up
    // benchmark (bench/app.mjs) reads it, since a WebDriver script only runs
    // some time after the page is ready.
    performance.mark?.("trustlens:search-ready");
    this.versionFilter.addEventListener("change", () => {
      this.state.setVersion(this.versionFilter.value);
      if (this.state.shown !== null) void track(this.search());
    });
    this.entryFilter.addEventListener("change", () => {
      this.state.setEntry(this.entryFilter.value);
      if (this.state.shown !== null) void track(this.search());
    });
  }

  private listenToResults(): void {
    const track = <T>(p: Promise<T>) => this.ctx.track(p);
    this.summary.addEventListener("click", (event) => {
      const version = closestTo<HTMLButtonElement>(event, "button.facet")?.dataset.version;
      if (!version) return;
      this.state.toggleVersion(version);
      this.versionFilter.value = this.state.version ?? "";
      void track(this.search());
    });
    this.hitList.addEventListener("click", (event) => {
      const li = closestTo<HTMLLIElement>(event, "li.hit");
      if (li) void track(this.open(Number(li.dataset.index)));
    });
    this.hitList.addEventListener("keydown", (event) => {
      const li = closestTo<HTMLLIElement>(event, "li.hit");
      if (!li) return;
      if (isActivation(event)) {
        event.preventDefault();
        void track(this.open(Number(li.dataset.index)));
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const sibling = event.key === "ArrowDown" ? li.nextElementSibling : li.previousElementSibling;
        if (sibling instanceof HTMLElement && sibling.classList.contains("hit")) sibling.focus();
      }
    });
    this.prevButton.addEventListener("click", () => void track(this.prev()));
    this.nextButton.addEventListener("click", () => void track(this.next()));
    this.exportButton.addEventListener("click", () => this.exportShown());
  }
}
