// The matrix view: entries × versions with the number of linked clauses, and
// for a picked cell the entry's duties and the clauses of that version that
// support it. Rendering goes through createElement/textContent only (entry
// and document text are untrusted).
import { toApiError } from "./api";
import type { Coverage } from "./bindings/Coverage";
import type { EntryCoverage } from "./bindings/EntryCoverage";
import type { LinkedClause } from "./bindings/LinkedClause";
import type { MatrixGrid } from "./bindings/MatrixGrid";
import type { VersionInfo } from "./bindings/VersionInfo";
import { byIdIn, closestTo, isActivation, targetIs } from "./dom";
import { pageLabel, sectionPath, versionLabel } from "./format";
import {
  cellClass,
  cellLabel,
  clauseCount,
  entryTooltip,
  linkSourceLabel,
  linkTooltip,
  matrixSummary,
  modelNotes,
  ownerClass,
  ownerLabel,
  ownerTitle,
} from "./matrix";
import { el, renderVersionBadge } from "./render";
import type { Services } from "./services";

export interface MatrixContext extends Services {
  /** Open a clause in the reader. */
  openClause(clauseId: string): void;
}

const EMPTY_DETAIL = "Click a count to see the clauses of that version linked to the area.";
const NO_MATRIX = "There is nothing to show without a matrix.";

// Arrow keys move between the counts like in a spreadsheet: [rows, columns].
const STEPS: Record<string, [number, number]> = {
  ArrowUp: [-1, 0],
  ArrowDown: [1, 0],
  ArrowLeft: [0, -1],
  ArrowRight: [0, 1],
};

function owner(doc: Document, value: string): HTMLSpanElement {
  const badge = el(doc, "span", ownerClass(value), ownerLabel(value));
  badge.title = ownerTitle(value);
  return badge;
}

/** The header row: area, owner, then one column per version (date; label in the tooltip). */
export function renderGridHead(doc: Document, grid: MatrixGrid): HTMLTableRowElement {
  const tr = el(doc, "tr");
  for (const name of ["Area", "Owner"]) {
    const th = el(doc, "th", `matrix-head-${name.toLowerCase()}`, name);
    th.scope = "col";
    tr.appendChild(th);
  }
  // Dates alone tell versions apart unless the corpus holds several documents.
  const several = new Set(grid.versions.map((v) => v.document_id)).size > 1;
  for (const v of grid.versions) {
    const th = el(doc, "th", "matrix-col");
    th.scope = "col";
    th.dataset.version = v.id;
    th.title = versionLabel(v);
    const time = el(doc, "time", "matrix-col-date", v.date);
    time.dateTime = v.date;
    th.appendChild(time);
    if (several) th.appendChild(el(doc, "span", "matrix-col-doc", v.document_id));
    tr.appendChild(th);
  }
  return tr;
}

/** One `tr.matrix-row` per entry, each count a `button.matrix-cell` with data-entry and data-version. */
export function renderGridRows(doc: Document, grid: MatrixGrid): HTMLTableRowElement[] {
  return grid.entries.map((entry, r) => {
    const tr = el(doc, "tr", "matrix-row");
    tr.dataset.entry = entry.key;
    tr.title = entryTooltip(entry);
    const area = el(doc, "th", "matrix-area", entry.area);
    area.scope = "row";
    tr.appendChild(area);
    const ownerCell = el(doc, "td", "matrix-owner");
    ownerCell.appendChild(owner(doc, entry.owner));
    tr.appendChild(ownerCell);
    grid.versions.forEach((v, c) => {
      const count = grid.counts[r]?.[c] ?? 0;
      const td = el(doc, "td", "matrix-count");
      const button = el(doc, "button", cellClass(count), String(count));
      button.type = "button";
      button.dataset.entry = entry.key;
      button.dataset.version = v.id;
      button.dataset.row = String(r);
      button.dataset.col = String(c);
      button.setAttribute("aria-label", cellLabel(count, entry.area, v.date));
      button.setAttribute("aria-pressed", "false");
      td.appendChild(button);
      tr.appendChild(td);
    });
    return tr;
  });
}

/** One `li.linked-clause` (data-clause-id): badge, section, pages, clamped text, reason. */
export function renderLinkedClause(doc: Document, clause: LinkedClause): HTMLLIElement {
  const li = el(doc, "li", "linked-clause");
  li.tabIndex = 0;
  li.dataset.clauseId = clause.clause_id;
  li.title = `Open ${clause.clause_id} in the reader`;
  const meta = el(doc, "div", "linked-meta");
  const source = clause.source === "manual" ? "manual" : "auto";
  const badge = el(doc, "span", `link-source ${source}`, linkSourceLabel(clause));
  badge.title = linkTooltip(clause);
  meta.appendChild(badge);
  const section = sectionPath(clause.section);
  const sectionEl = el(doc, "span", "linked-section", section || "(no section)");
  if (!section) sectionEl.classList.add("linked-section-empty");
  meta.appendChild(sectionEl);
  const pages = pageLabel(clause.pages);
  if (pages) meta.appendChild(el(doc, "span", "linked-pages", pages));
  li.appendChild(meta);
  li.appendChild(el(doc, "p", "linked-text", clause.text));
  li.appendChild(el(doc, "p", "linked-reason", clause.reason));
  return li;
}

/** The detail panel for one entry and one version. */
export function renderDetail(doc: Document, covered: EntryCoverage, version: VersionInfo): DocumentFragment {
  const { entry, clauses } = covered;
  const frag = doc.createDocumentFragment();

  const head = el(doc, "header", "detail-head");
  head.appendChild(el(doc, "h2", "detail-area", entry.area));
  const meta = el(doc, "div", "detail-meta");
  meta.appendChild(owner(doc, entry.owner));
  meta.appendChild(renderVersionBadge(doc, version, versionLabel(version)));
  meta.appendChild(el(doc, "span", "detail-key", entry.key));
  head.appendChild(meta);
  frag.appendChild(head);

  const duties = el(doc, "dl", "detail-duties");
  duties.append(
    el(doc, "dt", undefined, "The provider"),
    el(doc, "dd", "detail-provider", entry.provider),
    el(doc, "dt", undefined, "The customer"),
    el(doc, "dd", "detail-customer", entry.customer),
  );
  frag.appendChild(duties);

  const notes = modelNotes(entry.models);
  if (notes.length > 0) {
    frag.appendChild(el(doc, "h3", "detail-heading", "By service model"));
    const dl = el(doc, "dl", "detail-models");
    for (const { model, note } of notes) dl.append(el(doc, "dt", undefined, model), el(doc, "dd", undefined, note));
    frag.appendChild(dl);
  }

  if (entry.references.length > 0) {
    frag.appendChild(el(doc, "h3", "detail-heading", "References"));
    const ul = el(doc, "ul", "detail-refs");
    for (const ref of entry.references) ul.appendChild(el(doc, "li", undefined, ref));
    frag.appendChild(ul);
  }

  frag.appendChild(el(doc, "h3", "detail-heading", `Clauses of ${version.date}: ${clauseCount(clauses.length)}`));
  const list = el(doc, "ol", "linked-clauses");
  list.setAttribute("aria-label", `Clauses of ${version.date} linked to ${entry.area}`);
  for (const clause of clauses) list.appendChild(renderLinkedClause(doc, clause));
  if (clauses.length === 0) {
    list.appendChild(el(doc, "li", "no-clauses", "No clause of this version is linked to this area."));
  }
  frag.appendChild(list);
  return frag;
}

export class MatrixPane {
  private readonly summary: HTMLDivElement;
  private readonly head: HTMLTableSectionElement;
  private readonly body: HTMLTableSectionElement;
  private readonly detail: HTMLElement;
  private readonly detailEmpty: HTMLDivElement;
  private readonly detailBody: HTMLDivElement;

  private grid: MatrixGrid | null = null;
  private picked: { entry: string; version: string } | null = null;
  // The coverage of each version loaded so far.
  private readonly cache = new Map<string, Coverage>();
  // A response that arrives after a newer cell was picked is dropped.
  private seq = 0;

  constructor(private readonly ctx: MatrixContext) {
    const byId = byIdIn(ctx.doc);
    this.summary = byId<HTMLDivElement>("matrix-summary");
    this.head = byId<HTMLTableSectionElement>("matrix-head");
    this.body = byId<HTMLTableSectionElement>("matrix-body");
    this.detail = byId<HTMLElement>("matrix-detail");
    this.detailEmpty = byId<HTMLDivElement>("matrix-detail-empty");
    this.detailBody = byId<HTMLDivElement>("matrix-detail-body");
    this.listen();
    this.reset();
  }

  /** Show a (new) grid; a picked cell that still exists is shown again. */
  setGrid(next: MatrixGrid): void {
    this.grid = next;
    this.summary.textContent = matrixSummary(next);
    this.summary.title = next.matrices.map((m) => `${m.title}: ${m.description}`).join("\n");
    this.head.replaceChildren(renderGridHead(this.ctx.doc, next));
    this.body.replaceChildren(...renderGridRows(this.ctx.doc, next));
    const picked = this.picked;
    const still =
      picked !== null &&
      next.entries.some((e) => e.key === picked.entry) &&
      next.versions.some((v) => v.id === picked.version);
    if (still) {
      void this.ctx.track(this.select(picked.entry, picked.version));
    } else {
      this.picked = null;
      this.showEmpty(next.entries.length > 0 ? EMPTY_DETAIL : NO_MATRIX);
    }
  }

  /** The matrix could not be loaded: say so instead of a grid. */
  setUnavailable(message: string): void {
    this.clear(`The responsibility matrix is unavailable: ${message}`, NO_MATRIX);
  }

  /** Pick the cell of this entry and version: show its linked clauses. */
  async select(entry: string, version: string): Promise<void> {
    const v = this.grid?.versions.find((x) => x.id === version);
    if (!v || !this.grid?.entries.some((e) => e.key === entry)) return;
    this.picked = { entry, version };
    this.markPicked();
    const mine = ++this.seq;
    const coverage = this.cache.get(version) ?? (await this.loadCoverage(version, mine));
    if (!coverage || mine !== this.seq) return;
    this.ctx.clearError();
    const covered = coverage.entries.find((c) => c.entry.key === entry);
    if (!covered) {
      this.showEmpty(`${v.date} has no coverage for this entry.`);
      return;
    }
    this.detailBody.replaceChildren(renderDetail(this.ctx.doc, covered, coverage.version));
    this.detailEmpty.hidden = true;
    this.detailBody.hidden = false;
    this.detailBody.scrollTop = 0;
  }

  /** Links changed: forget the coverage loaded so far. */
  invalidate(): void {
    this.cache.clear();
  }

  /** Forget everything (the corpus changed). */
  reset(): void {
    this.clear("Loading the matrix…", EMPTY_DETAIL);
  }

  /** A version's coverage from the backend, or null when it failed (and said so) or was superseded. */
  private async loadCoverage(version: string, mine: number): Promise<Coverage | null> {
    this.detail.setAttribute("aria-busy", "true");
    try {
      const coverage = await this.ctx.api.matrixCoverage(version);
      if (mine !== this.seq) return null;
      this.cache.set(version, coverage);
      return coverage;
    } catch (e) {
      if (mine !== this.seq) return null;
      this.showEmpty("Could not load the clauses — see the message above.");
      this.ctx.showError(toApiError(e), "Could not load the matrix coverage");
      return null;
    } finally {
      if (mine === this.seq) this.detail.removeAttribute("aria-busy");
    }
  }

  /** No grid: `summary` above it, `detail` in the detail pane. */
  private clear(summary: string, detail: string): void {
    this.grid = null;
    this.picked = null;
    this.seq++;
    this.cache.clear();
    this.summary.textContent = summary;
    this.summary.removeAttribute("title");
    this.head.replaceChildren();
    this.body.replaceChildren();
    this.showEmpty(detail);
  }

  private showEmpty(message: string): void {
    this.detailBody.replaceChildren();
    this.detailBody.hidden = true;
    this.detailEmpty.textContent = message;
    this.detailEmpty.hidden = false;
  }

  private markPicked(): void {
    const picked = this.picked;
    for (const b of this.body.querySelectorAll<HTMLButtonElement>("button.matrix-cell")) {
      const on = picked !== null && b.dataset.entry === picked.entry && b.dataset.version === picked.version;
      b.classList.toggle("selected", on);
      b.setAttribute("aria-pressed", String(on));
    }
    for (const tr of this.body.querySelectorAll<HTMLElement>("tr.matrix-row")) {
      tr.classList.toggle("picked", picked !== null && tr.dataset.entry === picked.entry);
    }
  }

  private listen(): void {
    this.body.addEventListener("click", (event) => {
      const { entry, version } = closestTo<HTMLButtonElement>(event, "button.matrix-cell")?.dataset ?? {};
      if (entry && version) void this.ctx.track(this.select(entry, version));
    });
    this.body.addEventListener("keydown", (event) => {
      const button = closestTo<HTMLButtonElement>(event, "button.matrix-cell");
      const move = STEPS[event.key];
      if (!button || !move) return;
      const row = Number(button.dataset.row) + move[0];
      const col = Number(button.dataset.col) + move[1];
      const target = this.body.querySelector<HTMLButtonElement>(`button.matrix-cell[data-row="${row}"][data-col="${col}"]`);
      if (target) {
        event.preventDefault();
        target.focus();
      }
    });
    const openFrom = (event: Event): boolean => {
      const id = closestTo<HTMLLIElement>(event, "li.linked-clause")?.dataset.clauseId;
      if (!id) return false;
      this.ctx.openClause(id);
      return true;
    };
    this.detailBody.addEventListener("click", openFrom);
    this.detailBody.addEventListener("keydown", (event) => {
      if (!isActivation(event)) return;
      if (targetIs(event, "li.linked-clause") && openFrom(event)) event.preventDefault();
    });
  }
}
