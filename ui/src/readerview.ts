// The reader (`#reader`): a clause in its whole document, focused and
// scrolled to, with every clause's matrix links as chips (× unlinks) and a
// select on the focused clause to link it to more entries. The notes module
// adds the note actions, counts and history to the clauses shown. "Key
// terms" shows the version's key terms by topic in place of the document.
import { toApiError } from "./api";
import type { Link } from "./bindings/Link";
import type { LinkAction } from "./bindings/LinkAction";
import type { ReadRequest } from "./bindings/ReadRequest";
import type { ReaderView } from "./bindings/ReaderView";
import type { TermSheet } from "./bindings/TermSheet";
import type { Catalog } from "./catalog";
import { byIdIn, closestTo, ensureElement, scrollToView } from "./dom";
import { KeyTermsPanel, renderTermSheet } from "./keyterms";
import { versionOfClause } from "./notes";
import type { Notes } from "./notesview";
import { el, renderBlocks, renderLinkAdd, renderLinkChips, renderReaderTitle } from "./render";
import type { Services } from "./services";

export interface ReaderContext extends Services {
  catalog: Catalog;
  notes: Pick<Notes, "prefetch" | "readerShown">;
  /** A clause's links changed (the reader shows them already). */
  linksChanged(clauseId: string, links: readonly Link[]): void;
  /** Open a clause in the reader (a key term's). */
  openClause(clauseId: string): void;
}

/** The "Key terms" toggle of the reader bar, after the title (index.html does not hold it). */
function mountTermsToggle(doc: Document, title: HTMLElement): HTMLButtonElement {
  return ensureElement(
    doc,
    "reader-terms-toggle",
    (d) => {
      const button = el(d, "button", "terms-toggle", "Key terms");
      button.type = "button";
      button.title = "This version's key terms by topic, with their citations";
      button.setAttribute("aria-pressed", "false");
      button.setAttribute("aria-controls", "reader-terms");
      return button;
    },
    (button) => title.after(button),
  );
}

/** The key terms panel, which takes the place of the document. */
function mountTermsPanel(doc: Document, article: HTMLElement): HTMLElement {
  return ensureElement(
    doc,
    "reader-terms",
    (d) => {
      const section = el(d, "section", "key-terms reader-terms");
      section.setAttribute("aria-label", "Key terms of this version");
      section.hidden = true;
      return section;
    },
    (section) => article.after(section),
  );
}

export class ReaderPane {
  private readonly title: HTMLHeadingElement;
  private readonly body: HTMLDivElement;
  private readonly empty: HTMLDivElement;
  private readonly article: HTMLElement;
  private readonly terms: KeyTermsPanel<TermSheet>;
  // A response that arrives after a newer request was made is dropped.
  private seq = 0;

  constructor(private readonly ctx: ReaderContext) {
    const byId = byIdIn(ctx.doc);
    this.title = byId<HTMLHeadingElement>("reader-version");
    this.body = byId<HTMLDivElement>("reader-body");
    this.empty = byId<HTMLDivElement>("reader-empty");
    this.article = byId<HTMLElement>("reader-doc");
    this.terms = new KeyTermsPanel<TermSheet>(ctx, {
      button: mountTermsToggle(ctx.doc, this.title),
      panel: mountTermsPanel(ctx.doc, this.article),
      covers: this.article,
      render: renderTermSheet,
      openClause: (clauseId) => ctx.openClause(clauseId),
    });
    this.article.addEventListener("click", (event) => {
      const button = closestTo<HTMLButtonElement>(event, "button.link-remove");
      const entry = button?.closest<HTMLElement>(".link-chip")?.dataset.entry;
      const clauseId = button?.closest<HTMLElement>(".clause")?.dataset.clauseId;
      if (button && entry && clauseId) void ctx.track(this.changeLink(clauseId, entry, "unlink", button));
    });
    this.article.addEventListener("change", (event) => {
      const select = closestTo<HTMLSelectElement>(event, "select.link-add");
      const clauseId = select?.closest<HTMLElement>(".clause")?.dataset.clauseId;
      if (!select || !clauseId || !select.value) return;
      const entry = select.value;
      select.value = "";
      void ctx.track(this.changeLink(clauseId, entry, "link", select));
    });
  }

  async read(request: ReadRequest): Promise<void> {
    const seq = ++this.seq;
    // The version's notes load alongside the clause (once per version).
    this.ctx.notes.prefetch(versionOfClause(request.clause_id));
    try {
      const view = await this.ctx.api.read(request);
      if (seq !== this.seq) return;
      this.ctx.clearError();
      this.render(view);
    } catch (e) {
      if (seq !== this.seq) return;
      this.ctx.showError(toApiError(e), "Could not open the clause");
    }
  }

  /** Drop the answer of a read still on its way. */
  cancel(): void {
    this.seq++;
  }

  /** Show no clause. */
  reset(): void {
    this.terms.reset();
    this.title.replaceChildren(this.ctx.doc.createTextNode("No clause open"));
    this.article.replaceChildren();
    this.article.hidden = true;
    this.empty.hidden = false;
  }

  private render(view: ReaderView): void {
    const { doc, catalog, api } = this.ctx;
    // The clause asked for is what shows, in its document.
    this.terms.hide();
    this.title.replaceChildren(renderReaderTitle(doc, view.version));
    this.article.replaceChildren(renderBlocks(doc, view.blocks, view.version.id, catalog.areas));
    this.empty.hidden = true;
    this.article.hidden = false;
    let focus: HTMLElement | null = null;
    for (const clause of this.article.querySelectorAll<HTMLElement>(".clause")) {
      const isFocus = clause.dataset.clauseId === view.focus;
      // The backend marks the focus block; fall back to the view's focus id.
      if (isFocus) clause.classList.add("focus");
      if (clause.classList.contains("focus") && (!focus || isFocus)) focus = clause;
    }
    // The focused clause can be linked to more entries.
    if (focus && catalog.entries.length > 0) {
      focus.querySelector(".clause-links")?.appendChild(renderLinkAdd(doc, catalog.entries));
    }
    // Note actions and counts on every clause; the focused clause's notes and history.
    void this.ctx.track(this.ctx.notes.readerShown(view.version.id, focus));
    if (focus) scrollToView(focus, "center");
    else this.body.scrollTop = 0;
    const version = view.version.id;
    void this.ctx.track(this.terms.setSubject({ key: version, load: () => api.terms(version) }));
  }

  private async changeLink(
    clauseId: string,
    entry: string,
    action: LinkAction,
    control: HTMLButtonElement | HTMLSelectElement,
  ): Promise<void> {
    control.disabled = true;
    try {
      const links = await this.ctx.api.setLink({ clause_id: clauseId, entry, action });
      this.ctx.clearError();
      this.showLinks(clauseId, links);
      this.ctx.linksChanged(clauseId, links);
    } catch (e) {
      const area = this.ctx.catalog.area(entry);
      this.ctx.showError(toApiError(e), action === "unlink" ? `Could not unlink ${area}` : `Could not link ${area}`);
    } finally {
      control.disabled = false;
    }
  }

  /** Redraw a clause's chips, keeping the link select and the keyboard focus among them. */
  private showLinks(clauseId: string, links: readonly Link[]): void {
    const block = [...this.article.querySelectorAll<HTMLElement>(".clause")].find((div) => div.dataset.clauseId === clauseId);
    const container = block?.querySelector<HTMLElement>(".clause-links");
    if (!container) return;
    const { doc } = this.ctx;
    const active = doc.activeElement;
    const hadFocus = active !== null && container.contains(active);
    const select = container.querySelector<HTMLSelectElement>("select.link-add");
    container.replaceChildren(...renderLinkChips(doc, links, this.ctx.catalog.areas), ...(select ? [select] : []));
    if (hadFocus && !container.contains(doc.activeElement)) {
      container.querySelector<HTMLElement>("button.link-remove, select.link-add")?.focus();
    }
  }
}
