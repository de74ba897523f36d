// Notes in the reader. Every clause gets an "Add note" action and, when it
// has notes, a count; selecting words of a clause's text offers "Add note on
// selection"; the focused clause lists its notes and has a History toggle.
import type { ClauseHistory } from "./clausehistory";
import { byIdIn, closestTo, isActivation, scrollToView } from "./dom";
import { focusedControl, restoreFocus, type NoteActions } from "./noteactions";
import type { NoteDialog } from "./notedialog";
import { countByClause, quoteLabel, selectionQuote } from "./notes";
import type { NoteStore } from "./notestore";
import { renderClauseNotes, renderNoteBadge } from "./noterender";
import { el } from "./render";
import type { Services } from "./services";

export interface ReaderNotesContext extends Services {
  store: NoteStore;
  actions: NoteActions;
  dialog: NoteDialog;
  history: ClauseHistory;
  /** Open a clause in the reader. */
  openClause(clauseId: string): void;
}

function elementOf(node: Node): Element | null {
  return node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
}

function actionsOf(clause: HTMLElement): HTMLElement | null {
  return clause.querySelector<HTMLElement>(":scope > .clause-caption > .clause-actions");
}

export class ReaderNotes {
  private readonly article: HTMLElement;
  // The version shown and its focused clause.
  private version: string | null = null;
  private focus: HTMLElement | null = null;
  // A load that finishes after the reader moved on does not redraw.
  private seq = 0;
  // The words selected in a clause's text, offered as a quote.
  private selection: { clauseId: string; quote: string } | null = null;

  constructor(private readonly ctx: ReaderNotesContext) {
    this.article = byIdIn(ctx.doc)<HTMLElement>("reader-doc");
    this.listen();
  }

  /** The reader shows `version` with `focus` in focus: decorate its clauses. */
  async shown(version: string, focus: HTMLElement | null): Promise<void> {
    const mine = ++this.seq;
    this.version = version;
    this.focus = focus;
    this.selection = null;
    this.decorate();
    this.update();
    const history = this.ctx.history.attach(focus);
    await this.ctx.store.load(version);
    if (mine !== this.seq) return;
    this.update();
    await history;
  }

  /** Show the count of notes on every clause, and the focused clause's notes. */
  update(): void {
    if (this.version === null) return;
    const { doc, store } = this.ctx;
    const counts = countByClause(store.ofVersion(this.version));
    for (const clause of this.clauses()) {
      clause.querySelector(":scope > .clause-caption > .note-count")?.remove();
      const n = counts.get(clause.dataset.clauseId ?? "") ?? 0;
      clause.classList.toggle("has-notes", n > 0);
      if (n > 0) {
        const badge = renderNoteBadge(doc, n);
        const actions = actionsOf(clause);
        if (actions) actions.before(badge);
        else clause.querySelector(":scope > .clause-caption")?.appendChild(badge);
      }
    }
    if (!this.focus) return;
    const old = this.focus.querySelector(":scope > .clause-notes");
    const was = old ? focusedControl(doc, old) : null;
    old?.remove();
    const mine = store.ofClause(this.focus.dataset.clauseId ?? "");
    if (mine.length > 0) {
      const section = renderClauseNotes(doc, mine);
      this.focus.appendChild(section);
      restoreFocus(doc, section, was);
    }
  }

  /** Drop the selection and its quote button (the words were just quoted). */
  clearSelection(): void {
    const sel = this.ctx.doc.getSelection?.() ?? null;
    if (sel && !sel.isCollapsed) sel.removeAllRanges();
    this.removeQuoteButtons();
  }

  /** Forget the clauses shown (the corpus changed). */
  reset(): void {
    this.version = null;
    this.focus = null;
    this.selection = null;
  }

  private clauses(): HTMLElement[] {
    return [...this.article.querySelectorAll<HTMLElement>(".clause")];
  }

  /** Add the note actions to every clause and the history toggle to the focused one. */
  private decorate(): void {
    const { doc } = this.ctx;
    for (const clause of this.clauses()) {
      const caption = clause.querySelector<HTMLElement>(":scope > .clause-caption");
      if (!caption || actionsOf(clause)) continue;
      const actions = el(doc, "span", "clause-actions");
      const add = el(doc, "button", "note-add", "Add note");
      add.type = "button";
      add.title = "Add a note on this clause (select words of it to quote them)";
      actions.appendChild(add);
      if (clause === this.focus) {
        const history = el(doc, "button", "history-toggle", "History");
        history.type = "button";
        history.title = "Show this clause in every version of the document";
        history.setAttribute("aria-expanded", "false");
        actions.appendChild(history);
      }
      caption.appendChild(actions);
    }
  }

  /** The clause and quote of the words selected in one clause's text, or null. */
  private selectedQuote(): { clause: HTMLElement; quote: string } | null {
    const { doc } = this.ctx;
    const sel = doc.getSelection?.() ?? doc.defaultView?.getSelection() ?? null;
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    const start = elementOf(range.startContainer);
    const end = elementOf(range.endContainer);
    const text = start?.closest<HTMLElement>(".clause-text") ?? end?.closest<HTMLElement>(".clause-text") ?? null;
    const clause = text?.closest<HTMLElement>(".clause") ?? null;
    if (!text || !clause || !this.article.contains(clause)) return null;
    // Both ends in the same clause; a triple click may end just past its text.
    if (!clause.contains(range.startContainer) || !clause.contains(range.endContainer)) return null;
    const inner = doc.createRange();
    inner.selectNodeContents(text);
    const clipped = range.cloneRange();
    if (clipped.compareBoundaryPoints(inner.START_TO_START, inner) < 0) clipped.setStart(inner.startContainer, inner.startOffset);
    if (clipped.compareBoundaryPoints(inner.END_TO_END, inner) > 0) clipped.setEnd(inner.endContainer, inner.endOffset);
    const quote = selectionQuote(text.textContent ?? "", clipped.toString());
    return quote ? { clause, quote } : null;
  }

  private updateSelection(): void {
    if (this.article.hidden) return;
    const found = this.selectedQuote();
    const clauseId = found?.clause.dataset.clauseId ?? null;
    const same = this.selection !== null && this.selection.clauseId === clauseId && this.selection.quote === found?.quote;
    if (found && clauseId && same) return;
    this.removeQuoteButtons();
    if (!found || !clauseId) return;
    this.selection = { clauseId, quote: found.quote };
    const button = el(this.ctx.doc, "button", "note-add-quote", "Add note on selection");
    button.type = "button";
    button.title = `Add a note quoting ${quoteLabel(found.quote)}`;
    button.dataset.quote = found.quote;
    const actions = actionsOf(found.clause);
    if (actions) actions.prepend(button);
    else found.clause.querySelector(":scope > .clause-caption")?.appendChild(button);
  }

  private removeQuoteButtons(): void {
    for (const b of this.article.querySelectorAll("button.note-add-quote")) b.remove();
    this.selection = null;
  }

  /** A click on a clause's own buttons (not a note's): true when it was one. */
  private clauseClick(event: Event): boolean {
    const button = closestTo<HTMLButtonElement>(event, "button");
    const clause = closestTo<HTMLElement>(event, ".clause");
    const clauseId = clause?.dataset.clauseId;
    if (!button || !clause || !clauseId) return false;
    if (button.matches(".note-add")) {
      this.ctx.dialog.openAdd({ clauseId, quote: null });
    } else if (button.matches(".note-add-quote")) {
      this.ctx.dialog.openAdd({ clauseId, quote: button.dataset.quote ?? this.selection?.quote ?? null });
    } else if (button.matches(".note-count")) {
      if (clause === this.focus) scrollToView(clause.querySelector(":scope > .clause-notes"), "nearest");
      else this.ctx.openClause(clauseId);
    } else if (button.matches(".history-toggle")) {
      void this.ctx.track(this.ctx.history.toggle(button));
    }
    return true;
  }

  private listen(): void {
    this.article.addEventListener("mousedown", (event) => {
      // Keep the selection when the quote button is pressed.
      if (closestTo(event, "button.note-add-quote")) event.preventDefault();
    });
    const updateSelection = () => this.updateSelection();
    this.article.addEventListener("mouseup", updateSelection);
    this.article.addEventListener("keyup", updateSelection);
    this.ctx.doc.addEventListener("selectionchange", updateSelection);
    this.article.addEventListener("click", (event) => {
      if (this.ctx.actions.click(event) || this.clauseClick(event)) return;
      const step = closestTo(event, "li.history-step.has-clause");
      if (step?.dataset.clauseId) this.ctx.openClause(step.dataset.clauseId);
    });
    this.article.addEventListener("keydown", (event) => {
      if (!isActivation(event)) return;
      const step = closestTo(event, "li.history-step.has-clause");
      if (step?.dataset.clauseId && event.target === step) {
        event.preventDefault();
        this.ctx.openClause(step.dataset.clauseId);
      }
    });
    this.article.addEventListener("change", (event) => this.ctx.actions.change(event));
  }
}
