// The compare view: pick two versions, read the change cards, see each
// card's evidence in the side-by-side redline. Rendering goes through
// createElement/textContent only (document text is untrusted).
import { toApiError } from "./api";
import type { ChangeCard } from "./bindings/ChangeCard";
import type { CompareRequest } from "./bindings/CompareRequest";
import type { CompareRow } from "./bindings/CompareRow";
import type { CompareView } from "./bindings/CompareView";
import type { Evidence } from "./bindings/Evidence";
import type { RedlinePart } from "./bindings/RedlinePart";
import type { ShiftAlert } from "./bindings/ShiftAlert";
import type { VersionInfo } from "./bindings/VersionInfo";
import {
  countsLine,
  defaultPair,
  directionLabel,
  facetValues,
  filterCards,
  markSpans,
  shownPosition,
  type CardFilter,
} from "./changes";
import { byIdIn, closestTo, isActivation, markSelected, scrollToView } from "./dom";
import type { ExportTarget } from "./exportdialog";
import { documentTitle, pageLabel, plural, shortClauseId, versionLabel, words } from "./format";
import { HitCursor } from "./hits";
import { shiftLabel } from "./matrix";
import { el, renderOption, renderParts, renderVersionBadge } from "./render";
import type { Services } from "./services";
import { CHANGE_KIND_LABELS } from "./bindings/Conventions";
import type { Direction } from "./bindings/Direction";

export interface CompareContext extends Services {
  /** Open the export dialog ("Export changes…", "Memo…"). */
  openExport(target: ExportTarget): void;
}

/** One side of a redline: deleted words in `<del>`, inserted in `<ins>`. */
export function renderRedline(doc: Document, parts: readonly RedlinePart[]): DocumentFragment {
  const frag = doc.createDocumentFragment();
  for (const part of parts) {
    if (part.text.length === 0) continue;
    if (part.edit === "deleted") frag.appendChild(el(doc, "del", undefined, part.text));
    else if (part.edit === "inserted") frag.appendChild(el(doc, "ins", undefined, part.text));
    else frag.appendChild(doc.createTextNode(part.text));
  }
  return frag;
}

function renderEvidence(doc: Document, side: string, ev: Evidence, versionId: string): HTMLElement {
  const p = el(doc, "p", "card-evidence");
  const label = el(doc, "span", "evidence-side", side);
  label.title = ev.clause_id;
  p.appendChild(label);
  p.appendChild(el(doc, "span", "evidence-id", shortClauseId(ev.clause_id, versionId)));
  const text = el(doc, "span", "evidence-text");
  text.appendChild(renderParts(doc, markSpans(ev.text, ev.spans)));
  p.appendChild(text);
  return p;
}

/**
 * One responsibility-shift alert of the notes band: `li.alert` with the kind
 * in words, then the message; clickable (data-card) when a card is behind it.
 */
export function renderAlert(doc: Document, alert: ShiftAlert): HTMLLIElement {
  const li = el(doc, "li", `alert ${alert.kind}`);
  li.dataset.kind = alert.kind;
  li.dataset.entry = alert.entry;
  li.appendChild(el(doc, "span", "alert-kind", shiftLabel(alert.kind)));
  li.appendChild(doc.createTextNode(` ${alert.message}`));
  if (alert.card !== null) {
    li.dataset.card = String(alert.card);
    li.classList.add("has-card");
    li.tabIndex = 0;
    li.title = "Show the change behind this alert";
  }
  return li;
}

/** One `li.card` of the change list. */
export function renderCard(
  doc: Document,
  card: ChangeCard,
  index: number,
  view: Pick<CompareView, "old" | "new">,
): HTMLLIElement {
  const li = el(doc, "li", `card severity-${card.severity}`);
  li.tabIndex = 0;
  li.dataset.card = String(index);
  li.dataset.kind = card.kind;
  li.setAttribute("role", "option");
  li.setAttribute("aria-selected", "false");
  const meta = el(doc, "div", "card-meta");
  meta.appendChild(el(doc, "span", "card-severity", card.severity));
  meta.appendChild(el(doc, "span", "card-kind", CHANGE_KIND_LABELS[card.kind]));
  meta.appendChild(el(doc, "span", `card-direction ${card.direction}`, directionLabel(card.direction)));
  li.appendChild(meta);
  li.appendChild(el(doc, "p", "card-summary", card.summary));
  if (card.before) li.appendChild(renderEvidence(doc, "Before", card.before, view.old.id));
  if (card.after) li.appendChild(renderEvidence(doc, "After", card.after, view.new.id));
  return li;
}

function sideCaption(doc: Document, ids: readonly string[], pages: readonly number[], versionId: string): HTMLElement {
  const caption = el(doc, "div", "clause-caption");
  const id = el(doc, "span", "clause-id", ids.map((i) => shortClauseId(i, versionId)).join(" + "));
  id.title = ids.join("\n");
  caption.appendChild(id);
  const p = pageLabel(pages);
  if (p) caption.appendChild(el(doc, "span", "clause-pages", p));
  return caption;
}

/** The side-by-side rows: section headings and clause pairs. */
export function renderRows(doc: Document, view: CompareView): DocumentFragment {
  const frag = doc.createDocumentFragment();
  view.rows.forEach((row: CompareRow, i: number) => {
    if (row.type === "section") {
      const div = el(doc, "div", `row section-row ${row.status}`);
      div.dataset.row = String(i);
      div.appendChild(el(doc, "div", "side old", row.old ?? ""));
      const right = el(doc, "div", "side new", row.new ?? "");
      if (row.status !== "same") right.appendChild(el(doc, "span", "row-status", row.status));
      div.appendChild(right);
      div.dataset.level = String(row.level);
      frag.appendChild(div);
      return;
    }
    const div = el(doc, "div", `row pair-row ${row.status}`);
    div.dataset.row = String(i);
    div.dataset.status = row.status;
    if (row.cards.length > 0) div.dataset.cards = row.cards.join(" ");
    const old = el(doc, "div", "side old");
    if (row.old_ids.length > 0) {
      const text = el(doc, "p", "clause-text");
      text.appendChild(renderRedline(doc, row.old));
      old.appendChild(text);
      old.appendChild(sideCaption(doc, row.old_ids, row.old_pages, view.old.id));
    } else {
      old.classList.add("empty");
    }
    const neu = el(doc, "div", "side new");
    if (row.new_ids.length > 0) {
      const text = el(doc, "p", "clause-text");
      text.appendChild(renderRedline(doc, row.new));
      neu.appendChild(text);
      neu.appendChild(sideCaption(doc, row.new_ids, row.new_pages, view.new.id));
    } else {
      neu.classList.add("empty");
    }
    if (row.status !== "unchanged") neu.appendChild(el(doc, "span", "row-status", words(row.status)));
    div.append(old, neu);
    frag.appendChild(div);
  });
  return frag;
}


/** The head of one side of the side by side: the document and the version's date. */
function renderSideHead(doc: Document, version: VersionInfo): HTMLDivElement {
  const div = el(doc, "div", "side");
  div.appendChild(el(doc, "span", "side-title", documentTitle(version)));
  div.appendChild(renderVersionBadge(doc, version));
  return div;
}

/** The notes band before the alerts come: the comparison's warnings and each side's regulatory flags. */
function renderNotes(doc: Document, v: CompareView): HTMLLIElement[] {
  const items: HTMLLIElement[] = [];
  for (const w of v.warnings) items.push(el(doc, "li", "compare-warning", w));
  for (const side of v.flags) {
    for (const f of side.flags) {
      const li = el(doc, "li", `flag ${f.status}`);
      li.appendChild(el(doc, "span", "flag-version", side.date));
      li.appendChild(doc.createTextNode(` ${f.message}`));
      if (f.event.source) li.title = f.event.source;
      items.push(li);
    }
  }
  return items;
}

/** A facet select's options: `all`, then each value of the cards' `field` with its count. */
function fillFacet(doc: Document, select: HTMLSelectElement, all: string, field: keyof CardFilter, cards: readonly ChangeCard[]): void {
  // The values are the cards' own fields, so a direction facet holds directions.
  const label = field === "direction" ? (v: string) => directionLabel(v as Direction) : words;
  select.replaceChildren(
    renderOption(doc, { value: "", label: all }),
    ...facetValues(cards, field).map(({ value, count }) => renderOption(doc, { value, label: `${label(value)} (${count})` })),
  );
}

export class ComparePane {
  private readonly byId: <T extends HTMLElement>(id: string) => T;
  private readonly oldSelect: HTMLSelectElement;
  private readonly newSelect: HTMLSelectElement;
  private readonly filterKind: HTMLSelectElement;
  private readonly filterSeverity: HTMLSelectElement;
  private readonly filterDirection: HTMLSelectElement;
  private readonly summary: HTMLDivElement;
  private readonly notes: HTMLUListElement;
  private readonly cardList: HTMLOListElement;
  private readonly sidesHead: HTMLDivElement;
  private readonly rows: HTMLDivElement;
  private readonly prevButton: HTMLButtonElement;
  private readonly nextButton: HTMLButtonElement;
  private readonly position: HTMLSpanElement;
  private readonly exportButton: HTMLButtonElement;
  private readonly memoButton: HTMLButtonElement;

  private view: CompareView | null = null;
  // The cards the filters let through, as indices into `view.changes`.
  private shown: number[] = [];
  private readonly cursor = new HitCursor();
  // A response that arrives after a newer comparison was asked for is dropped.
  private seq = 0;

  constructor(private readonly ctx: CompareContext) {
    const byId = (this.byId = byIdIn(ctx.doc));
    this.oldSelect = byId<HTMLSelectElement>("compare-old");
    this.newSelect = byId<HTMLSelectElement>("compare-new");
    this.filterKind = byId<HTMLSelectElement>("filter-kind");
    this.filterSeverity = byId<HTMLSelectElement>("filter-severity");
    this.filterDirection = byId<HTMLSelectElement>("filter-direction");
    this.summary = byId<HTMLDivElement>("compare-summary");
    this.notes = byId<HTMLUListElement>("compare-notes");
    this.cardList = byId<HTMLOListElement>("card-list");
    this.sidesHead = byId<HTMLDivElement>("sides-head");
    this.rows = byId<HTMLDivElement>("compare-rows");
    this.prevButton = byId<HTMLButtonElement>("prev-change");
    this.nextButton = byId<HTMLButtonElement>("next-change");
    this.position = byId<HTMLSpanElement>("change-position");
    this.exportButton = byId<HTMLButtonElement>("export-changes");
    this.memoButton = byId<HTMLButtonElement>("memo-button");
    this.listen();
    this.reset();
  }

  /** Fill the version pickers (keeps the current choice when it still exists). */
  setVersions(versions: readonly VersionInfo[]): void {
    const keep = [this.oldSelect.value, this.newSelect.value];
    // Date first: the pickers are narrow, and the date is what tells versions apart.
    const choices = versions.map((v) => ({ value: v.id, label: `${v.date} · ${documentTitle(v)}`, title: versionLabel(v) }));
    for (const select of [this.oldSelect, this.newSelect]) {
      select.replaceChildren(...choices.map((c) => renderOption(this.ctx.doc, c)));
    }
    const ids = new Set(versions.map((v) => v.id));
    const pair = defaultPair(versions);
    this.oldSelect.value = ids.has(keep[0]) ? keep[0] : (pair?.old ?? versions[0]?.id ?? "");
    this.newSelect.value = ids.has(keep[1]) ? keep[1] : (pair?.new ?? versions[versions.length - 1]?.id ?? "");
  }

  /** Compare the versions picked. */
  async run(): Promise<void> {
    const request = { old: this.oldSelect.value, new: this.newSelect.value };
    if (!request.old || !request.new) return;
    const mine = ++this.seq;
    this.summary.replaceChildren(this.ctx.doc.createTextNode("Comparing…"));
    this.cardList.setAttribute("aria-busy", "true");
    try {
      const v = await this.ctx.api.compare(request);
      if (mine !== this.seq) return;
      this.ctx.clearError();
      this.renderView(v);
    } catch (e) {
      if (mine !== this.seq) return;
      this.summary.replaceChildren(this.ctx.doc.createTextNode("Compare failed — see the message above."));
      this.ctx.showError(toApiError(e), "Could not compare");
      return;
    } finally {
      if (mine === this.seq) this.cardList.removeAttribute("aria-busy");
    }
    // The cards are on screen; the responsibility-shift alerts come after them.
    try {
      const diff = await this.ctx.api.matrixDiff(request);
      if (mine !== this.seq) return;
      this.notes.append(...diff.alerts.map((a) => renderAlert(this.ctx.doc, a)));
      this.notes.hidden = this.notes.children.length === 0;
    } catch (e) {
      if (mine !== this.seq) return;
      this.ctx.showError(toApiError(e), "Could not list responsibility shifts");
    }
  }

  /**
   * Compare these two versions (what a watch notice asks for): pick them in
   * the pickers, so the view reads as if the user had, then compare.
   */
  async compareVersions(old: string, neu: string): Promise<void> {
    this.oldSelect.value = old;
    this.newSelect.value = neu;
    // A version the pickers do not list would leave its picker blank (or on another version).
    const missing = [old, neu].find((id, i) => [this.oldSelect, this.newSelect][i].value !== id);
    if (missing !== undefined) {
      this.reset();
      this.summary.replaceChildren(this.ctx.doc.createTextNode(`${missing} is not in the corpus.`));
      return;
    }
    await this.run();
  }

  /** Select the card at this position of the filtered list. */
  select(pos: number): void {
    if (!this.view || this.cursor.select(pos) === null) return;
    const k = this.shown[pos];
    const cards = this.cardList.querySelectorAll<HTMLLIElement>("li.card");
    scrollToView(markSelected(cards, (li) => Number(li.dataset.card) === k), "nearest");
    // The backend lists first the row that holds both sides of the change.
    const evidence = (this.view.card_rows[k] ?? []).map(String);
    const targets = new Set(evidence);
    let first: HTMLElement | null = null;
    for (const r of this.rows.querySelectorAll<HTMLElement>(".row")) {
      const on = targets.has(r.dataset.row ?? "");
      r.classList.toggle("evidence", on);
      if (on && r.dataset.row === evidence[0]) first = r;
    }
    scrollToView(first, "center");
    this.updateNav();
  }

  /** Select card `card` (an index into the unfiltered list), clearing filters that hide it. */
  showCard(card: number): void {
    if (!this.view || !Number.isInteger(card) || card < 0 || card >= this.view.changes.length) return;
    let pos = shownPosition(this.shown, card);
    if (pos === null) {
      // The filters hide it: show all cards again.
      for (const s of this.filters()) s.value = "";
      this.renderCards();
      pos = shownPosition(this.shown, card);
    }
    if (pos !== null) this.select(pos);
  }

  next(): void {
    const i = this.cursor.next();
    if (i !== null) this.select(i);
  }

  prev(): void {
    const i = this.cursor.prev();
    if (i !== null) this.select(i);
  }

  /** Forget the current comparison (the corpus changed). */
  reset(): void {
    this.seq++;
    this.view = null;
    this.exportButton.disabled = true;
    this.memoButton.disabled = true;
    this.shown = [];
    this.cursor.reset(0);
    this.summary.replaceChildren(this.ctx.doc.createTextNode("Pick two versions and press Compare."));
    this.notes.replaceChildren();
    this.notes.hidden = true;
    this.cardList.replaceChildren();
    this.sidesHead.replaceChildren();
    this.rows.replaceChildren();
    this.updateNav();
  }

  private filters(): HTMLSelectElement[] {
    return [this.filterKind, this.filterSeverity, this.filterDirection];
  }

  private updateNav(): void {
    const { index, length } = this.cursor;
    this.prevButton.disabled = !this.cursor.canPrev;
    this.nextButton.disabled = length === 0 || !this.cursor.canNext;
    this.position.textContent = length === 0 ? "" : `${index + 1 > 0 ? index + 1 : "–"} / ${length}`;
  }

  private renderCards(): void {
    const v = this.view;
    if (!v) return;
    const { doc } = this.ctx;
    const filter = { kind: this.filterKind.value, severity: this.filterSeverity.value, direction: this.filterDirection.value };
    this.shown = filterCards(v.changes, filter);
    this.cursor.reset(this.shown.length);
    this.cardList.replaceChildren(...this.shown.map((k) => renderCard(doc, v.changes[k], k, v)));
    if (v.changes.length === 0) {
      this.cardList.appendChild(el(doc, "li", "no-cards", "No changes: the two versions say the same thing."));
    } else if (this.shown.length === 0) {
      this.cardList.appendChild(el(doc, "li", "no-cards", "No change matches these filters."));
    }
    for (const r of this.rows.querySelectorAll(".row.evidence")) r.classList.remove("evidence");
    this.updateNav();
  }

  private renderView(v: CompareView): void {
    const { doc } = this.ctx;
    this.view = v;
    this.exportButton.disabled = false;
    this.memoButton.disabled = false;
    this.summary.replaceChildren(
      el(doc, "span", "summary-count", plural(v.changes.length, "change", "changes")),
      el(doc, "span", "summary-counts", `Clauses: ${countsLine(v.counts)}`),
    );
    const items = renderNotes(doc, v);
    this.notes.replaceChildren(...items);
    this.notes.hidden = items.length === 0;
    fillFacet(doc, this.filterKind, "All kinds", "kind", v.changes);
    fillFacet(doc, this.filterSeverity, "All severities", "severity", v.changes);
    fillFacet(doc, this.filterDirection, "All directions", "direction", v.changes);
    this.sidesHead.replaceChildren(renderSideHead(doc, v.old), renderSideHead(doc, v.new));
    this.rows.replaceChildren(renderRows(doc, v));
    this.rows.scrollTop = 0;
    this.renderCards();
  }

  /** Export the change cards, or the memo, of the comparison on screen. */
  private exportShown(kind: "export" | "memo"): void {
    const v = this.view;
    if (!v) return;
    const request: CompareRequest = { old: v.old.id, new: v.new.id };
    const label = `${documentTitle(v.new)}: ${v.old.date} → ${v.new.date}`;
    this.ctx.openExport(
      kind === "memo"
        ? { kind: "memo", request, title: "Change memo", description: `What changed in ${label}` }
        : {
            kind: "export",
            selection: { kind: "changes", old: request.old, new: request.new },
            title: "Export changes",
            description: `The change cards of ${label}`,
          },
    );
  }

  private listen(): void {
    this.byId<HTMLFormElement>("compare-form").addEventListener("submit", (event) => {
      event.preventDefault();
      void this.ctx.track(this.run());
    });
    for (const s of this.filters()) s.addEventListener("change", () => this.renderCards());
    const selectCard = (li: HTMLLIElement) => this.select(this.shown.indexOf(Number(li.dataset.card)));
    this.cardList.addEventListener("click", (event) => {
      const li = closestTo<HTMLLIElement>(event, "li.card");
      if (li) selectCard(li);
    });
    this.cardList.addEventListener("keydown", (event) => {
      const li = closestTo<HTMLLIElement>(event, "li.card");
      if (li && isActivation(event)) {
        event.preventDefault();
        selectCard(li);
      }
    });
    this.notes.addEventListener("click", (event) => {
      const li = closestTo<HTMLLIElement>(event, "li.alert.has-card");
      if (li) this.showCard(Number(li.dataset.card));
    });
    this.notes.addEventListener("keydown", (event) => {
      const li = closestTo<HTMLLIElement>(event, "li.alert.has-card");
      if (li && isActivation(event)) {
        event.preventDefault();
        this.showCard(Number(li.dataset.card));
      }
    });
    this.prevButton.addEventListener("click", () => this.prev());
    this.nextButton.addEventListener("click", () => this.next());
    this.exportButton.addEventListener("click", () => this.exportShown("export"));
    this.memoButton.addEventListener("click", () => this.exportShown("memo"));
  }
}
