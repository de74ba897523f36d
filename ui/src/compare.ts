// The compare view: pick two versions, read the change cards, see each
// card's evidence in the side-by-side redline. Rendering goes through
// createElement/textContent only (document text is untrusted).
import { toApiError } from "./api";
import type { ChangeCard } from "./bindings/ChangeCard";
import type { CompareRequest } from "./bindings/CompareRequest";
import type { CompareRow } from "./bindings/CompareRow";
import type { CompareView } from "./bindings/CompareView";
import type { EditorialItem } from "./bindings/EditorialItem";
import type { Evidence } from "./bindings/Evidence";
import type { RedlinePart } from "./bindings/RedlinePart";
import type { ShiftAlert } from "./bindings/ShiftAlert";
import type { Statement } from "./bindings/Statement";
import type { TermsCompared } from "./bindings/TermsCompared";
import type { VersionInfo } from "./bindings/VersionInfo";
import {
  countsLine,
  defaultPair,
  directionLabel,
  EDITORIAL_REASON_LABELS,
  editorialClauses,
  editorialSummary,
  facetValues,
  filterCards,
  markSpans,
  rowsOfClauses,
  shownPosition,
  topicFacets,
  topicName,
} from "./changes";
import { byIdIn, closestTo, ensureElement, isActivation, markSelected, scrollToView, targetIs } from "./dom";
import type { ExportTarget } from "./exportdialog";
import { documentTitle, pageLabel, plural, shortClauseId, versionLabel, words } from "./format";
import { HitCursor } from "./hits";
import { KeyTermsPanel, renderTermsCompared } from "./keyterms";
import { shiftLabel } from "./matrix";
import { el, renderOption, renderParts, renderVersionBadge } from "./render";
import type { Services } from "./services";
import { cardPartyLabel, qualifierLabel, statementAction, statementParty, statementSide } from "./statements";
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

/**
 * One statement of a card in one line, `li.statement` (data-side): its side,
 * then party, force, what it does, each qualifier and its clause.
 */
export function renderStatement(doc: Document, s: Statement, view: Pick<CompareView, "old" | "new">): HTMLLIElement {
  const li = el(doc, "li", "statement");
  const side = statementSide(s, view.old.id, view.new.id);
  if (side) {
    li.dataset.side = side;
    li.appendChild(el(doc, "span", "statement-side", side === "before" ? "Before" : "After"));
  }
  const party = el(doc, "span", `statement-party party-${s.party}`, statementParty(s));
  if (s.party_words) party.title = `“${s.party_words}”`;
  const parts: HTMLElement[] = [party, el(doc, "span", "statement-force", words(s.force))];
  const action = statementAction(s);
  if (action) parts.push(el(doc, "span", "statement-action", action));
  for (const q of s.qualifiers) parts.push(el(doc, "span", `statement-qualifier ${q.kind}`, qualifierLabel(q)));
  parts.forEach((part, i) => {
    if (i > 0) li.appendChild(doc.createTextNode(" · "));
    li.appendChild(part);
  });
  const clause = el(doc, "span", "statement-clause", shortClauseId(s.clause_id));
  clause.title = s.clause_id;
  li.appendChild(clause);
  return li;
}

/** A card's topic and party as small labels (none when the card has neither). */
function renderCardLabels(doc: Document, card: ChangeCard, topicNames: CompareView["topic_names"]): HTMLElement[] {
  const labels: HTMLElement[] = [];
  if (card.topic !== null) {
    const topic = el(doc, "span", "card-topic", topicName(topicNames, card.topic));
    topic.dataset.topic = card.topic;
    topic.title = `Topic: ${topicName(topicNames, card.topic)}`;
    labels.push(topic);
  }
  const party = cardPartyLabel(card.party);
  if (party !== null && card.party !== null) {
    const span = el(doc, "span", `card-party party-${card.party}`, party);
    span.title = `Whose statement changed: the ${party}`;
    labels.push(span);
  }
  return labels;
}

/** A card's "Statements" toggle and the list it shows (collapsed unless `expanded`). */
function renderCardStatements(
  doc: Document,
  card: ChangeCard,
  index: number,
  view: Pick<CompareView, "old" | "new">,
  expanded: boolean,
): [HTMLButtonElement, HTMLUListElement] {
  const listId = `card-${index}-statements`;
  const toggle = el(doc, "button", "statements-toggle", `Statements (${card.statements.length})`);
  toggle.type = "button";
  toggle.title = "Show the statements this change compares";
  toggle.setAttribute("aria-expanded", String(expanded));
  toggle.setAttribute("aria-controls", listId);
  const list = el(doc, "ul", "card-statements");
  list.id = listId;
  list.setAttribute("aria-label", "Statements compared");
  list.hidden = !expanded;
  for (const s of card.statements) list.appendChild(renderStatement(doc, s, view));
  return [toggle, list];
}

/** One `li.card` of the change list; `expanded` opens its statements. */
export function renderCard(
  doc: Document,
  card: ChangeCard,
  index: number,
  view: Pick<CompareView, "old" | "new" | "topic_names">,
  expanded = false,
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
  meta.append(...renderCardLabels(doc, card, view.topic_names));
  li.appendChild(meta);
  li.appendChild(el(doc, "p", "card-summary", card.summary));
  if (card.before) li.appendChild(renderEvidence(doc, "Before", card.before, view.old.id));
  if (card.after) li.appendChild(renderEvidence(doc, "After", card.after, view.new.id));
  if (card.statements.length > 0) li.append(...renderCardStatements(doc, card, index, view, expanded));
  return li;
}

/**
 * One `li.editorial-item` (data-item, data-reason): why the change is
 * editorial and its clauses, old → new. When the side by side has its rows,
 * a `button.editorial-jump` shows them.
 */
export function renderEditorialItem(
  doc: Document,
  item: EditorialItem,
  index: number,
  view: Pick<CompareView, "old" | "new">,
  hasRows: boolean,
): HTMLLIElement {
  const li = el(doc, "li", `editorial-item reason-${item.reason}`);
  li.dataset.item = String(index);
  li.dataset.reason = item.reason;
  const reason = el(doc, "span", "editorial-reason", EDITORIAL_REASON_LABELS[item.reason]);
  const clauses = el(doc, "span", "editorial-clauses", editorialClauses(item, view.old.id, view.new.id));
  clauses.title = [...item.old, ...item.new].join("\n");
  if (!hasRows) {
    const span = el(doc, "span", "editorial-static");
    span.append(reason, clauses);
    li.appendChild(span);
    return li;
  }
  const button = el(doc, "button", "editorial-jump");
  button.type = "button";
  button.dataset.item = String(index);
  button.title = "Show this change in the side by side";
  button.append(reason, clauses);
  li.appendChild(button);
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

interface Facet {
  value: string;
  label: string;
  count: number;
}

/** Each value of the cards' `field`, named, with its count. */
function facetsOf(cards: readonly ChangeCard[], field: "kind" | "severity" | "direction"): Facet[] {
  // The values are the cards' own fields, so a direction facet holds directions.
  const label = field === "direction" ? (v: string) => directionLabel(v as Direction) : words;
  return facetValues(cards, field).map(({ value, count }) => ({ value, label: label(value), count }));
}

/** A facet select's options: `all`, then each facet with its count. */
function fillFacet(doc: Document, select: HTMLSelectElement, all: string, facets: readonly Facet[]): void {
  select.replaceChildren(
    renderOption(doc, { value: "", label: all }),
    ...facets.map(({ value, label, count }) => renderOption(doc, { value, label: `${label} (${count})` })),
  );
}

// What index.html does not hold yet is put in the page when the view starts.

/** The topic filter, after the direction filter. */
function mountTopicFilter(doc: Document, after: HTMLElement): HTMLSelectElement {
  return ensureElement(
    doc,
    "filter-topic",
    (d) => {
      const select = el(d, "select");
      select.title = "Show only changes on this topic";
      select.appendChild(renderOption(d, { value: "", label: "All topics" }));
      return select;
    },
    (select) => {
      const label = el(doc, "label", "visually-hidden", "Topic");
      label.htmlFor = select.id;
      after.after(label, select);
    },
  );
}

/** The collapsed editorial changes, under the cards. */
function mountEditorial(doc: Document, cardList: HTMLElement): HTMLDetailsElement {
  return ensureElement(
    doc,
    "compare-editorial",
    (d) => {
      const details = el(d, "details", "editorial");
      details.hidden = true;
      details.appendChild(el(d, "summary", "editorial-summary"));
      const list = el(d, "ol", "editorial-list");
      list.setAttribute("aria-label", "Editorial changes");
      details.appendChild(list);
      return details;
    },
    (details) => cardList.after(details),
  );
}

/** The "Key terms" toggle, before the export buttons. */
function mountTermsToggle(doc: Document, before: HTMLElement): HTMLButtonElement {
  return ensureElement(
    doc,
    "compare-terms-toggle",
    (d) => {
      const button = el(d, "button", "terms-toggle", "Key terms");
      button.type = "button";
      button.title = "The key terms of both versions side by side, by topic";
      button.setAttribute("aria-pressed", "false");
      button.setAttribute("aria-controls", "compare-terms");
      return button;
    },
    (button) => before.before(button),
  );
}

/** The key terms panel, which takes the place of the side by side. */
function mountTermsPanel(doc: Document, sides: HTMLElement): HTMLElement {
  return ensureElement(
    doc,
    "compare-terms",
    (d) => {
      const section = el(d, "section", "key-terms compare-terms");
      section.setAttribute("aria-label", "Key terms");
      section.hidden = true;
      return section;
    },
    (section) => sides.after(section),
  );
}

export class ComparePane {
  private readonly byId: <T extends HTMLElement>(id: string) => T;
  private readonly oldSelect: HTMLSelectElement;
  private readonly newSelect: HTMLSelectElement;
  private readonly filterKind: HTMLSelectElement;
  private readonly filterSeverity: HTMLSelectElement;
  private readonly filterDirection: HTMLSelectElement;
  private readonly filterTopic: HTMLSelectElement;
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
  private readonly editorial: HTMLDetailsElement;
  private readonly terms: KeyTermsPanel<TermsCompared>;

  private view: CompareView | null = null;
  // The cards the filters let through, as indices into `view.changes`.
  private shown: number[] = [];
  // The cards whose statements are shown, as indices into `view.changes`.
  private readonly expanded = new Set<number>();
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
    const { doc } = ctx;
    this.filterTopic = mountTopicFilter(doc, this.filterDirection);
    this.editorial = mountEditorial(doc, this.cardList);
    const sides = this.rows.closest<HTMLElement>("section.sides") ?? this.rows;
    this.terms = new KeyTermsPanel<TermsCompared>(ctx, {
      button: mountTermsToggle(doc, this.exportButton),
      panel: mountTermsPanel(doc, sides),
      covers: sides,
      render: renderTermsCompared,
      openClause: (clauseId) => this.showRowsOf([clauseId]),
    });
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
    this.markEditorial(null);
    // The backend lists first the row that holds both sides of the change.
    this.markRows(this.view.card_rows[k] ?? []);
    this.updateNav();
  }

  /** Show the rows of editorial change `item` (an index into `view.editorial.items`). */
  showEditorial(item: number): void {
    const it = this.view?.editorial.items[item];
    if (it && this.showRowsOf([...it.old, ...it.new])) this.markEditorial(item);
  }

  /**
   * Mark the rows that hold these clauses, in place of a card's evidence (no
   * card is selected then); false when the side by side has none of them.
   */
  private showRowsOf(clauseIds: readonly string[]): boolean {
    if (!this.view) return false;
    const rows = rowsOfClauses(this.view.rows, clauseIds);
    if (rows.length === 0) return false;
    this.cursor.reset(this.shown.length);
    markSelected(this.cardList.querySelectorAll<HTMLLIElement>("li.card"), () => false);
    this.markEditorial(null);
    this.markRows(rows);
    this.updateNav();
    return true;
  }

  /** Mark these rows as the evidence shown (the side by side comes back) and scroll to the first. */
  private markRows(rows: readonly number[]): void {
    this.terms.hide();
    const targets = new Set(rows.map(String));
    let first: HTMLElement | null = null;
    for (const r of this.rows.querySelectorAll<HTMLElement>(".row")) {
      const on = targets.has(r.dataset.row ?? "");
      r.classList.toggle("evidence", on);
      if (on && r.dataset.row === String(rows[0])) first = r;
    }
    scrollToView(first, "center");
  }

  /** Mark editorial change `item` as the one shown (null: none). */
  private markEditorial(item: number | null): void {
    for (const li of this.editorial.querySelectorAll<HTMLLIElement>("li.editorial-item")) {
      li.classList.toggle("selected", item !== null && Number(li.dataset.item) === item);
    }
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
    this.expanded.clear();
    this.cursor.reset(0);
    this.summary.replaceChildren(this.ctx.doc.createTextNode("Pick two versions and press Compare."));
    this.notes.replaceChildren();
    this.notes.hidden = true;
    this.cardList.replaceChildren();
    this.renderEditorial(null);
    this.terms.reset();
    this.sidesHead.replaceChildren();
    this.rows.replaceChildren();
    fillFacet(this.ctx.doc, this.filterTopic, "All topics", []);
    this.filterTopic.disabled = true;
    this.updateNav();
  }

  private filters(): HTMLSelectElement[] {
    return [this.filterKind, this.filterSeverity, this.filterDirection, this.filterTopic];
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
    const filter = {
      kind: this.filterKind.value,
      severity: this.filterSeverity.value,
      direction: this.filterDirection.value,
      topic: this.filterTopic.value,
    };
    this.shown = filterCards(v.changes, filter);
    this.cursor.reset(this.shown.length);
    this.cardList.replaceChildren(...this.shown.map((k) => renderCard(doc, v.changes[k], k, v, this.expanded.has(k))));
    if (v.changes.length === 0) {
      this.cardList.appendChild(el(doc, "li", "no-cards", "No changes: the two versions say the same thing."));
    } else if (this.shown.length === 0) {
      this.cardList.appendChild(el(doc, "li", "no-cards", "No change matches these filters."));
    }
    for (const r of this.rows.querySelectorAll(".row.evidence")) r.classList.remove("evidence");
    this.markEditorial(null);
    this.updateNav();
  }

  /** The editorial changes of `v`, collapsed under the cards; hidden when there are none. */
  private renderEditorial(v: CompareView | null): void {
    const { doc } = this.ctx;
    const items = v?.editorial.items ?? [];
    this.editorial.open = false;
    this.editorial.hidden = items.length === 0;
    this.editorial.querySelector("summary")?.replaceChildren(doc.createTextNode(editorialSummary(items)));
    const list = this.editorial.querySelector("ol");
    if (!v || !list) {
      list?.replaceChildren();
      return;
    }
    list.replaceChildren(
      ...items.map((item, i) =>
        renderEditorialItem(doc, item, i, v, rowsOfClauses(v.rows, [...item.old, ...item.new]).length > 0),
      ),
    );
  }

  /** Open or close a card's statements (its toggle was pressed). */
  private toggleStatements(toggle: HTMLButtonElement): void {
    const li = toggle.closest<HTMLLIElement>("li.card");
    const list = li?.querySelector<HTMLElement>(":scope > .card-statements");
    if (!li || !list) return;
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    list.hidden = !open;
    const k = Number(li.dataset.card);
    if (open) this.expanded.add(k);
    else this.expanded.delete(k);
  }

  private renderView(v: CompareView): void {
    const { doc } = this.ctx;
    this.view = v;
    this.expanded.clear();
    this.exportButton.disabled = false;
    this.memoButton.disabled = false;
    this.summary.replaceChildren(
      el(doc, "span", "summary-count", plural(v.changes.length, "change", "changes")),
      el(doc, "span", "summary-counts", `Clauses: ${countsLine(v.counts)}`),
    );
    const items = renderNotes(doc, v);
    this.notes.replaceChildren(...items);
    this.notes.hidden = items.length === 0;
    fillFacet(doc, this.filterKind, "All kinds", facetsOf(v.changes, "kind"));
    fillFacet(doc, this.filterSeverity, "All severities", facetsOf(v.changes, "severity"));
    fillFacet(doc, this.filterDirection, "All directions", facetsOf(v.changes, "direction"));
    const topics = topicFacets(v.changes, v.topic_names);
    fillFacet(doc, this.filterTopic, "All topics", topics);
    this.filterTopic.disabled = topics.length === 0;
    this.sidesHead.replaceChildren(renderSideHead(doc, v.old), renderSideHead(doc, v.new));
    this.rows.replaceChildren(renderRows(doc, v));
    this.rows.scrollTop = 0;
    this.renderCards();
    this.renderEditorial(v);
    const request: CompareRequest = { old: v.old.id, new: v.new.id };
    void this.ctx.track(
      this.terms.setSubject({ key: `${request.old}\n${request.new}`, load: () => this.ctx.api.termsCompared(request) }),
    );
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
      const toggle = closestTo<HTMLButtonElement>(event, "button.statements-toggle");
      if (toggle) {
        this.toggleStatements(toggle);
        return;
      }
      const li = closestTo<HTMLLIElement>(event, "li.card");
      if (li) selectCard(li);
    });
    this.cardList.addEventListener("keydown", (event) => {
      // A card's own buttons take Enter and Space themselves.
      if (targetIs(event, "button")) return;
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
    this.editorial.addEventListener("click", (event) => {
      const item = closestTo<HTMLButtonElement>(event, "button.editorial-jump")?.dataset.item;
      if (item !== undefined) this.showEditorial(Number(item));
    });
    this.prevButton.addEventListener("click", () => this.prev());
    this.nextButton.addEventListener("click", () => this.next());
    this.exportButton.addEventListener("click", () => this.exportShown("export"));
    this.memoButton.addEventListener("click", () => this.exportShown("memo"));
  }
}
