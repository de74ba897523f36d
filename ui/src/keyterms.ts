// Key terms: a version's statements by topic, each in plain words with its
// citation, or two versions' side by side with what became of each. The
// renderers build with createElement/textContent only (the terms quote
// document text); KeyTermsPanel is the "Key terms" toggle of a view and the
// panel it shows in place of the view's main pane.
import { toApiError } from "./api";
import type { KeyTerm } from "./bindings/KeyTerm";
import type { TermRow } from "./bindings/TermRow";
import type { TermSheet } from "./bindings/TermSheet";
import type { TermsCompared } from "./bindings/TermsCompared";
import type { VersionInfo } from "./bindings/VersionInfo";
import { closestTo } from "./dom";
import { sectionPath, shortClauseId } from "./format";
import { el, ocrMark, renderVersionBadge } from "./render";
import type { Services } from "./services";
import { comparedSummary, sheetSummary, TERM_CHANGE_LABELS, termPlace } from "./terms";

/**
 * Where a term is: `div.term-cite` with the section and pages, an OCR mark
 * when read by OCR, and the clause as a `button.term-clause` (data-clause-id)
 * that `action` names ("Show in the side by side").
 */
export function renderTermCite(doc: Document, term: KeyTerm, action: string): HTMLDivElement {
  const { citation } = term;
  const cite = el(doc, "div", "term-cite");
  const place = termPlace(citation);
  if (place) {
    const span = el(doc, "span", "term-place", place);
    span.title = sectionPath(citation.section);
    cite.appendChild(span);
  }
  if (citation.ocr !== undefined) cite.appendChild(ocrMark(doc, citation.ocr));
  const short = shortClauseId(citation.clause_id, citation.version);
  const button = el(doc, "button", "term-clause", short);
  button.type = "button";
  button.dataset.clauseId = citation.clause_id;
  button.title = `${action}: ${citation.clause_id}`;
  button.setAttribute("aria-label", `${action}: clause ${short}`);
  cite.appendChild(button);
  return cite;
}

/** A term's words and citation, in `parent`. */
function appendTerm(doc: Document, parent: HTMLElement, term: KeyTerm, action: string): void {
  parent.appendChild(el(doc, "p", "term-text", term.text));
  parent.appendChild(renderTermCite(doc, term, action));
}

/** The panel's heading and its one-line summary. */
function renderTermsHead(doc: Document, title: string, summary: string, versions: readonly VersionInfo[]): HTMLElement {
  const head = el(doc, "header", "terms-head");
  const h2 = el(doc, "h2", "terms-title", title);
  for (const v of versions) h2.appendChild(renderVersionBadge(doc, v));
  head.appendChild(h2);
  head.appendChild(el(doc, "p", "terms-summary", summary));
  return head;
}

/** One topic: `section.terms-topic` (data-topic) headed by the topic's name. */
function renderTopic(doc: Document, topic: string, name: string): HTMLElement {
  const section = el(doc, "section", "terms-topic");
  section.dataset.topic = topic;
  const heading = el(doc, "h3", "terms-topic-name", name);
  heading.title = topic;
  section.appendChild(heading);
  return section;
}

const SHOW_ROW = "Show in the side by side";
const OPEN_CLAUSE = "Open in the document";

/**
 * One `li.term-row.change-…` (data-change) of a side-by-side sheet: the
 * change in words, then the old and the new term (`div.term-side`, `.empty`
 * when the term is not on that side).
 */
export function renderTermRow(doc: Document, row: TermRow, compared: Pick<TermsCompared, "old" | "new">): HTMLLIElement {
  const li = el(doc, "li", `term-row change-${row.change}`);
  li.dataset.change = row.change;
  li.appendChild(el(doc, "span", "term-change", TERM_CHANGE_LABELS[row.change]));
  const sides: Array<["old" | "new", KeyTerm | null, VersionInfo]> = [
    ["old", row.old, compared.old],
    ["new", row.new, compared.new],
  ];
  for (const [side, term, version] of sides) {
    const div = el(doc, "div", `term-side ${side}`);
    if (term) {
      div.appendChild(el(doc, "span", "visually-hidden", `${side === "old" ? "Old" : "New"} (${version.date}): `));
      appendTerm(doc, div, term, SHOW_ROW);
    } else {
      div.classList.add("empty");
    }
    li.appendChild(div);
  }
  return li;
}

/** Two versions' key terms side by side, by topic. */
export function renderTermsCompared(doc: Document, compared: TermsCompared): DocumentFragment {
  const frag = doc.createDocumentFragment();
  frag.appendChild(renderTermsHead(doc, "Key terms", comparedSummary(compared), [compared.old, compared.new]));
  if (compared.topics.length === 0) {
    frag.appendChild(el(doc, "p", "terms-empty", "Neither version has a statement on a topic of the taxonomy."));
    return frag;
  }
  const columns = el(doc, "div", "terms-columns");
  columns.setAttribute("aria-hidden", "true");
  columns.append(el(doc, "span"), renderVersionBadge(doc, compared.old), renderVersionBadge(doc, compared.new));
  frag.appendChild(columns);
  for (const topic of compared.topics) {
    const section = renderTopic(doc, topic.topic, topic.name);
    const list = el(doc, "ol", "term-rows");
    for (const row of topic.rows) list.appendChild(renderTermRow(doc, row, compared));
    section.appendChild(list);
    frag.appendChild(section);
  }
  return frag;
}

/** A version's key terms by topic: `ul.term-list` of `li.term` under each topic's heading. */
export function renderTermSheet(doc: Document, sheet: TermSheet): DocumentFragment {
  const frag = doc.createDocumentFragment();
  frag.appendChild(renderTermsHead(doc, "Key terms", sheetSummary(sheet), [sheet.version]));
  if (sheet.topics.length === 0) {
    frag.appendChild(el(doc, "p", "terms-empty", "No statement of this version is on a topic of the taxonomy."));
    return frag;
  }
  for (const topic of sheet.topics) {
    const section = renderTopic(doc, topic.topic, topic.name);
    const list = el(doc, "ul", "term-list");
    for (const term of topic.terms) {
      const li = el(doc, "li", "term");
      li.dataset.clauseId = term.citation.clause_id;
      appendTerm(doc, li, term, OPEN_CLAUSE);
      list.appendChild(li);
    }
    section.appendChild(list);
    frag.appendChild(section);
  }
  return frag;
}

/** What a key-terms panel shows: the version or pair on screen, and how to load its terms. */
export interface TermsSubject<T> {
  /** Tells subjects apart (terms are loaded once per key). */
  key: string;
  load(): Promise<T>;
}

export interface TermsPanelParts<T> {
  /** The toggle (aria-pressed). */
  button: HTMLButtonElement;
  /** Where the terms go. */
  panel: HTMLElement;
  /** What the panel takes the place of while it is shown. */
  covers: HTMLElement;
  render(doc: Document, terms: T): Node;
  /** A term's clause button was pressed. */
  openClause(clauseId: string): void;
}

/**
 * A view's "Key terms" toggle and panel. The panel loads the terms of the
 * subject on screen when shown (and again when the subject changes while it
 * is shown); an answer that comes after the subject changed is dropped.
 */
export class KeyTermsPanel<T> {
  private subject: TermsSubject<T> | null = null;
  private readonly loaded = new Map<string, T>();
  private seq = 0;

  constructor(
    private readonly services: Pick<Services, "doc" | "track" | "showError" | "clearError">,
    private readonly parts: TermsPanelParts<T>,
  ) {
    parts.button.addEventListener("click", () => void services.track(this.toggle()));
    parts.panel.addEventListener("click", (event) => {
      const clauseId = closestTo<HTMLButtonElement>(event, "button.term-clause")?.dataset.clauseId;
      if (clauseId) parts.openClause(clauseId);
    });
    void this.setSubject(null);
  }

  get shown(): boolean {
    return !this.parts.panel.hidden;
  }

  /** The version or pair now on screen (null: none, the toggle is disabled); an open panel shows its terms. */
  setSubject(subject: TermsSubject<T> | null): Promise<void> {
    this.subject = subject;
    this.parts.button.disabled = subject === null;
    if (subject === null) {
      this.hide();
      return Promise.resolve();
    }
    return this.shown ? this.load(subject) : Promise.resolve();
  }

  toggle(): Promise<void> {
    if (this.shown) {
      this.hide();
      return Promise.resolve();
    }
    return this.show();
  }

  /** Show the panel in place of what it covers, with the subject's terms. */
  async show(): Promise<void> {
    const subject = this.subject;
    if (!subject) return;
    this.parts.panel.hidden = false;
    this.parts.covers.hidden = true;
    this.parts.button.setAttribute("aria-pressed", "true");
    await this.load(subject);
  }

  /** Show what the panel covers again (when the panel was shown). */
  hide(): void {
    const { panel, covers, button } = this.parts;
    this.seq++;
    if (!panel.hidden) covers.hidden = false;
    panel.hidden = true;
    panel.removeAttribute("aria-busy");
    button.setAttribute("aria-pressed", "false");
  }

  /** Forget the terms loaded and the subject (the corpus changed). */
  reset(): void {
    this.loaded.clear();
    void this.setSubject(null);
  }

  private async load(subject: TermsSubject<T>): Promise<void> {
    const { doc } = this.services;
    const { panel } = this.parts;
    const mine = ++this.seq;
    const known = this.loaded.get(subject.key);
    if (known !== undefined) {
      this.showTerms(known);
      return;
    }
    panel.replaceChildren(el(doc, "p", "terms-empty", "Loading the key terms…"));
    panel.setAttribute("aria-busy", "true");
    try {
      const terms = await subject.load();
      if (mine !== this.seq) return;
      this.loaded.set(subject.key, terms);
      this.services.clearError();
      this.showTerms(terms);
    } catch (e) {
      if (mine !== this.seq) return;
      panel.replaceChildren(el(doc, "p", "terms-empty", "Could not load the key terms — see the message above."));
      this.services.showError(toApiError(e), "Could not load the key terms");
    } finally {
      if (mine === this.seq) panel.removeAttribute("aria-busy");
    }
  }

  private showTerms(terms: T): void {
    this.parts.panel.replaceChildren(this.parts.render(this.services.doc, terms));
    this.parts.panel.scrollTop = 0;
  }
}
