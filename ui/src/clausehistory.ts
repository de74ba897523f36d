// The History of the reader's focused clause: its life across the versions
// of its document, under the clause's caption. Once opened it stays open as
// the reader moves to other clauses, until it is closed again.
import { toApiError } from "./api";
import type { Lineage } from "./bindings/Lineage";
import { renderHistory } from "./noterender";
import { el } from "./render";
import type { Services } from "./services";

export class ClauseHistory {
  // A lineage serves every clause in it: one call per lineage.
  private readonly lineages = new Map<string, Lineage>();
  private open = false;
  // A history that arrives after the focus moved on (or it was closed) is dropped.
  private seq = 0;
  private focus: HTMLElement | null = null;

  constructor(private readonly services: Pick<Services, "doc" | "api">) {}

  /** The reader now focuses `focus` (which has its History toggle): show its history if open. */
  attach(focus: HTMLElement | null): Promise<void> {
    this.focus = focus;
    return this.open && focus ? this.show() : Promise.resolve();
  }

  /** The History toggle was pressed; resolves once an opened history is shown. */
  toggle(button: HTMLButtonElement): Promise<void> {
    this.open = button.getAttribute("aria-expanded") !== "true";
    if (this.open) return this.show();
    this.hide();
    return Promise.resolve();
  }

  /** Forget the lineages loaded (the corpus changed); whether it is open stays. */
  reset(): void {
    this.lineages.clear();
    this.seq++;
    this.focus = null;
  }

  private toggleButton(): HTMLButtonElement | null {
    return this.focus?.querySelector<HTMLButtonElement>("button.history-toggle") ?? null;
  }

  private box(focus: HTMLElement): HTMLElement {
    let box = focus.querySelector<HTMLElement>(":scope > .clause-history");
    if (!box) {
      box = el(this.services.doc, "div", "clause-history");
      box.setAttribute("aria-label", "History of this clause");
      focus.querySelector(":scope > .clause-caption")?.after(box);
    }
    return box;
  }

  private async show(): Promise<void> {
    const { doc, api } = this.services;
    const clause = this.focus;
    if (!clause) return;
    const box = this.box(clause);
    const clauseId = clause.dataset.clauseId;
    if (!clauseId) return;
    this.toggleButton()?.setAttribute("aria-expanded", "true");
    const mine = ++this.seq;
    let lineage = this.lineages.get(clauseId);
    if (!lineage) {
      box.replaceChildren(el(doc, "p", "history-empty", "Loading the history…"));
      box.setAttribute("aria-busy", "true");
      try {
        lineage = await api.history(clauseId);
        for (const step of lineage.steps) for (const id of step.clause_ids) this.lineages.set(id, lineage);
        this.lineages.set(clauseId, lineage);
      } catch (e) {
        if (mine !== this.seq || this.focus !== clause) return;
        box.removeAttribute("aria-busy");
        box.replaceChildren(el(doc, "p", "history-empty", `No history: ${toApiError(e).message}`));
        return;
      }
      if (mine !== this.seq || this.focus !== clause) return;
      box.removeAttribute("aria-busy");
    }
    box.replaceChildren(el(doc, "h3", "clause-history-title", "History"), renderHistory(doc, lineage, clauseId));
  }

  private hide(): void {
    this.seq++;
    this.focus?.querySelector(":scope > .clause-history")?.remove();
    this.toggleButton()?.setAttribute("aria-expanded", "false");
  }
}
