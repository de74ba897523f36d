// The matrix view: entries × versions with the number of linked clauses, and
// for a picked cell the entry's duties and the clauses of that version that
// support it. Rendering goes through createElement/textContent only (entry
// and document text are untrusted).
import { toApiError, type Api } from "./api";
import type { ApiError } from "./bindings/ApiError";
import type { Coverage } from "./bindings/Coverage";
import type { EntryCoverage } from "./bindings/EntryCoverage";
import type { LinkedClause } from "./bindings/LinkedClause";
import type { MatrixGrid } from "./bindings/MatrixGrid";
import type { VersionInfo } from "./bindings/VersionInfo";
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
import { el } from "./render";

export interface MatrixContext {
  doc: Document;
  api: Api;
  showError(error: ApiError, context?: string): void;
  clearError(): void;
  /** Registers background work so the app can tell when it is idle. */
  track<T>(p: Promise<T>): Promise<T>;
  /** Open a clause in the reader. */
  openClause(clauseId: string): void;
}

export interface MatrixHandle {
  /** Show a (new) grid; a picked cell that still exists is shown again. */
  setGrid(grid: MatrixGrid): void;
  /** The matrix could not be loaded: say so instead of a grid. */
  setUnavailable(message: string): void;
  /** Pick the cell of this entry and version: show its linked clauses. */
  select(entry: string, version: string): Promise<void>;
  /** Links changed: forget the coverage loaded so far. */
  invalidate(): void;
  /** Forget everything (the corpus changed). */
  reset(): void;
}

const EMPTY_DETAIL = "Click a count to see the clauses of that version linked to the area.";

function owner(doc: Document, value: string): HTMLSpanElement {
  const badge = el(doc, "span", ownerClass(value), ownerLabel(value));
  badge.title = ownerTitle(value);
  return badge;
}

function dateBadge(doc: Document, version: VersionInfo): HTMLTimeElement {
  const time = el(doc, "time", "version-badge", version.date);
  time.dateTime = version.date;
  time.title = versionLabel(version);
  return time;
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
  meta.appendChild(dateBadge(doc, version));
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

export function startMatrix(ctx: MatrixContext): MatrixHandle {
  const { doc, api } = ctx;
  const byId = <T extends HTMLElement>(id: string): T => {
    const found = doc.getElementById(id);
    if (!found) throw new Error(`trustlens: #${id} is missing from index.html`);
    return found as T;
  };
  const summary = byId<HTMLDivElement>("matrix-summary");
  const head = byId<HTMLTableSectionElement>("matrix-head");
  const body = byId<HTMLTableSectionElement>("matrix-body");
  const detail = byId<HTMLElement>("matrix-detail");
  const detailEmpty = byId<HTMLDivElement>("matrix-detail-empty");
  const detailBody = byId<HTMLDivElement>("matrix-detail-body");

  let grid: MatrixGrid | null = null;
  let picked: { entry: string; version: string } | null = null;
  const cache = new Map<string, Coverage>();
  let seq = 0;

  function showEmpty(message: string): void {
    detailBody.replaceChildren();
    detailBody.hidden = true;
    detailEmpty.textContent = message;
    detailEmpty.hidden = false;
  }

  function markPicked(): void {
    for (const b of body.querySelectorAll<HTMLButtonElement>("button.matrix-cell")) {
      const on = picked !== null && b.dataset.entry === picked.entry && b.dataset.version === picked.version;
      b.classList.toggle("selected", on);
      b.setAttribute("aria-pressed", String(on));
    }
    for (const tr of body.querySelectorAll<HTMLElement>("tr.matrix-row")) {
      tr.classList.toggle("picked", picked !== null && tr.dataset.entry === picked.entry);
    }
  }

  async function select(entry: string, version: string): Promise<void> {
    if (!grid) return;
    const v = grid.versions.find((x) => x.id === version);
    if (!v || !grid.entries.some((e) => e.key === entry)) return;
    picked = { entry, version };
    markPicked();
    const mine = ++seq;
    let coverage = cache.get(version);
    if (!coverage) {
      detail.setAttribute("aria-busy", "true");
      try {
        coverage = await api.matrixCoverage(version);
        if (mine !== seq) return;
        cache.set(version, coverage);
      } catch (e) {
        if (mine !== seq) return;
        showEmpty("Could not load the clauses — see the message above.");
        ctx.showError(toApiError(e), "Could not load the matrix coverage");
        return;
      } finally {
        if (mine === seq) detail.removeAttribute("aria-busy");
      }
    }
    ctx.clearError();
    const covered = coverage.entries.find((c) => c.entry.key === entry);
    if (!covered) {
      showEmpty(`${v.date} has no coverage for this entry.`);
      return;
    }
    detailBody.replaceChildren(renderDetail(doc, covered, coverage.version));
    detailEmpty.hidden = true;
    detailBody.hidden = false;
    detailBody.scrollTop = 0;
  }

  function setGrid(next: MatrixGrid): void {
    grid = next;
    summary.textContent = matrixSummary(next);
    summary.title = next.matrices.map((m) => `${m.title}: ${m.description}`).join("\n");
    head.replaceChildren(renderGridHead(doc, next));
    body.replaceChildren(...renderGridRows(doc, next));
    const still =
      picked !== null &&
      next.entries.some((e) => e.key === picked?.entry) &&
      next.versions.some((v) => v.id === picked?.version);
    if (still && picked) {
      void ctx.track(select(picked.entry, picked.version));
    } else {
      picked = null;
      showEmpty(next.entries.length > 0 ? EMPTY_DETAIL : "There is nothing to show without a matrix.");
    }
  }

  function setUnavailable(message: string): void {
    grid = null;
    picked = null;
    seq++;
    cache.clear();
    summary.textContent = `The responsibility matrix is unavailable: ${message}`;
    summary.removeAttribute("title");
    head.replaceChildren();
    body.replaceChildren();
    showEmpty("There is nothing to show without a matrix.");
  }

  function invalidate(): void {
    cache.clear();
  }

  function reset(): void {
    grid = null;
    picked = null;
    seq++;
    cache.clear();
    summary.textContent = "Loading the matrix…";
    summary.removeAttribute("title");
    head.replaceChildren();
    body.replaceChildren();
    showEmpty(EMPTY_DETAIL);
  }

  body.addEventListener("click", (event) => {
    const button = (event.target as Element | null)?.closest?.<HTMLButtonElement>("button.matrix-cell");
    const { entry, version } = button?.dataset ?? {};
    if (entry && version) void ctx.track(select(entry, version));
  });

  // Arrow keys move between the counts like in a spreadsheet.
  body.addEventListener("keydown", (event) => {
    const button = (event.target as Element | null)?.closest?.<HTMLButtonElement>("button.matrix-cell");
    if (!button) return;
    const step: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    };
    const move = step[event.key];
    if (!move) return;
    const row = Number(button.dataset.row) + move[0];
    const col = Number(button.dataset.col) + move[1];
    const target = body.querySelector<HTMLButtonElement>(`button.matrix-cell[data-row="${row}"][data-col="${col}"]`);
    if (target) {
      event.preventDefault();
      target.focus();
    }
  });

  const openFrom = (event: Event): boolean => {
    const li = (event.target as Element | null)?.closest?.<HTMLLIElement>("li.linked-clause");
    const id = li?.dataset.clauseId;
    if (!id) return false;
    ctx.openClause(id);
    return true;
  };
  detailBody.addEventListener("click", openFrom);
  detailBody.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    if ((event.target as Element | null)?.matches?.("li.linked-clause") && openFrom(event)) event.preventDefault();
  });

  reset();
  return { setGrid, setUnavailable, select, invalidate, reset };
}
