// The Watch tab: the vendors' pages trustlens checks for new versions, each
// with the state of its checks (`#watch-list`), a Check now and a Stop
// watching per page, Check all now (`#watch-check-all`), and the form that
// adds a page (`#watch-form`). What a check brings (notices, new versions in
// the other views) is the composition root's business: this view hands the
// outcomes on through `checked`. Rendering goes through
// createElement/textContent only (addresses, names and errors are untrusted).
import { toApiError } from "./api";
import type { NewSource } from "./bindings/NewSource";
import type { SourceView } from "./bindings/SourceView";
import type { WatchOutcome } from "./bindings/WatchOutcome";
import { hideMessage, showMessage } from "./dialogs";
import { byIdIn, closestTo } from "./dom";
import { plural } from "./format";
import { el } from "./render";
import type { Services } from "./services";
import { checkSummary, failureLine, missingField, pendingLine, sourceTitle, watchTime } from "./watch";

export interface WatchContext extends Services {
  /** A check asked for here came back (the scheduler's checks reach the app directly). */
  checked(outcomes: WatchOutcome[]): void;
}

/** The add form's inputs, `#watch-url` … `#watch-every`. */
type Field = "url" | "vendor" | "document" | "select" | "every";

/** Which check is running: one source's (its id), all of them, or none. */
type Checking = { source: string | null } | null;

function button(doc: Document, className: string, text: string, title: string): HTMLButtonElement {
  const b = el(doc, "button", className, text);
  b.type = "button";
  b.title = title;
  return b;
}

/** A row's buttons: `span.watch-actions` with `.watch-check` and `.watch-remove`. */
export function renderSourceActions(doc: Document): HTMLSpanElement {
  const actions = el(doc, "span", "watch-actions");
  actions.append(
    button(doc, "watch-check", "Check now", "Fetch this page now, due or not"),
    button(doc, "watch-remove", "Stop watching", "Stop checking this page (its versions stay in the corpus)"),
  );
  return actions;
}

/**
 * The in-place confirmation that replaces a row's buttons before it stops
 * watching (like a note's Delete: the desktop webview's window.confirm is unreliable).
 */
export function renderRemoveConfirm(doc: Document): HTMLSpanElement {
  const confirm = el(doc, "span", "watch-actions watch-confirm");
  confirm.setAttribute("role", "group");
  confirm.setAttribute("aria-label", "Confirm");
  confirm.appendChild(el(doc, "span", "watch-confirm-text", "Stop watching this page? Its versions stay."));
  confirm.append(
    button(doc, "watch-remove-confirm danger", "Stop watching", "Stop checking this page"),
    button(doc, "watch-remove-cancel", "Keep", "Keep watching this page"),
  );
  return confirm;
}

/** One name and value of a row's facts, grouped in a `div` so the grid lays out pairs. */
function fact(doc: Document, dl: HTMLDListElement, name: string, value: string, className: string): void {
  const pair = el(doc, "div", "watch-fact");
  pair.append(el(doc, "dt", undefined, name), el(doc, "dd", className, value));
  dl.appendChild(pair);
}

/** One `li.watch-source` (data-id, data-failing): title, address, the state of its checks, its last error, buttons. */
export function renderSource(doc: Document, s: SourceView): HTMLLIElement {
  const li = el(doc, "li", "watch-source");
  li.dataset.id = s.id;
  li.dataset.failing = String(s.failing);
  const head = el(doc, "div", "watch-source-head");
  head.appendChild(el(doc, "span", "watch-title", sourceTitle(s)));
  if (s.failing) {
    const badge = el(doc, "span", "watch-failing", "failing");
    badge.title = `${plural(s.failures, "failure", "failures")} in a row: checked less often until it works again`;
    head.appendChild(badge);
  }
  head.appendChild(renderSourceActions(doc));
  li.appendChild(head);
  const url = el(doc, "p", "watch-url", s.url);
  url.title = s.select ? `${s.url}\nPart of the page: ${s.select}` : s.url;
  li.appendChild(url);
  const facts = el(doc, "dl", "watch-facts");
  fact(doc, facts, "Every", s.every, "watch-every");
  fact(doc, facts, "Last checked", watchTime(s.last_checked), "watch-last-checked");
  fact(doc, facts, "Last changed", watchTime(s.last_changed), "watch-last-changed");
  fact(doc, facts, "Last version", s.version ?? "none yet", "watch-version");
  fact(doc, facts, "Next check", s.next_check === null ? "when the app next looks" : watchTime(s.next_check), "watch-next");
  li.appendChild(facts);
  const failed = failureLine(s);
  if (failed !== null) li.appendChild(el(doc, "p", "watch-error", failed));
  const pending = pendingLine(s);
  if (pending !== null) li.appendChild(el(doc, "p", "watch-pending", pending));
  return li;
}

export class WatchPane {
  private readonly list: HTMLUListElement;
  private readonly summary: HTMLElement;
  private readonly status: HTMLElement;
  private readonly checkAll: HTMLButtonElement;
  private readonly form: HTMLFormElement;
  private readonly fields: Record<Field, HTMLInputElement>;
  private readonly addButton: HTMLButtonElement;
  private readonly addError: HTMLElement;

  private sources: SourceView[] = [];
  private checking: Checking = null;
  // A list that arrives after a newer one was asked for is dropped.
  private seq = 0;

  constructor(private readonly ctx: WatchContext) {
    const byId = byIdIn(ctx.doc);
    this.list = byId<HTMLUListElement>("watch-list");
    this.summary = byId<HTMLElement>("watch-summary");
    this.status = byId<HTMLElement>("watch-status");
    this.checkAll = byId<HTMLButtonElement>("watch-check-all");
    this.form = byId<HTMLFormElement>("watch-form");
    const input = (name: Field) => byId<HTMLInputElement>(`watch-${name}`);
    this.fields = { url: input("url"), vendor: input("vendor"), document: input("document"), select: input("select"), every: input("every") };
    this.addButton = byId<HTMLButtonElement>("watch-add");
    this.addError = byId<HTMLElement>("watch-add-error");
    this.listen();
    this.updateButtons();
  }

  /** List the sources again (the tab is shown, an action went through, a scheduled check came). */
  async reload(): Promise<void> {
    const mine = ++this.seq;
    this.list.setAttribute("aria-busy", "true");
    try {
      const sources = await this.ctx.api.watchList();
      if (mine !== this.seq) return;
      this.sources = sources;
      this.render();
    } catch (e) {
      if (mine !== this.seq) return;
      this.summary.textContent = "Could not list the watched pages — see the message above.";
      this.ctx.showError(toApiError(e), "Could not list the watched pages");
    } finally {
      if (mine === this.seq) this.list.removeAttribute("aria-busy");
    }
  }

  /** Check one source (by id) or all of them now, due or not; one check at a time. */
  async check(source: string | null): Promise<void> {
    if (this.checking !== null) return;
    this.checking = { source };
    this.status.textContent = "Checking…";
    this.updateButtons();
    try {
      const outcomes = await this.ctx.api.watchRun({ source, due_only: false });
      this.ctx.clearError();
      this.status.textContent = checkSummary(outcomes);
      this.ctx.checked(outcomes);
    } catch (e) {
      this.status.textContent = "The check failed — see the message above.";
      this.ctx.showError(toApiError(e), "Could not check the watched pages");
    } finally {
      this.checking = null;
      this.updateButtons();
    }
    await this.reload();
  }

  /** What the form's Add source does: watch the page, or say inline why not. */
  async add(): Promise<void> {
    hideMessage(this.addError);
    const source = this.newSource();
    const missing = missingField(source);
    if (missing !== null) {
      showMessage(this.addError, missing);
      return;
    }
    this.addButton.disabled = true;
    try {
      const added = await this.ctx.api.watchAdd(source);
      this.form.reset();
      this.status.textContent = `Watching ${sourceTitle(added)} every ${added.every}. Check it now to record its first version.`;
      await this.reload();
    } catch (e) {
      const err = toApiError(e);
      showMessage(this.addError, err.message, err.code);
    } finally {
      this.addButton.disabled = false;
    }
  }

  /** Forget the list (the corpus changed: its sources are another corpus's). */
  reset(): void {
    this.seq++;
    this.sources = [];
    this.list.replaceChildren();
    this.summary.textContent = "Loading the watched pages…";
    this.status.textContent = "";
    this.updateButtons();
  }

  private newSource(): NewSource {
    const value = (name: Field) => this.fields[name].value.trim();
    return {
      url: value("url"),
      vendor: value("vendor"),
      document: value("document"),
      select: value("select") || null,
      remove: [],
      ignore: [],
      every: value("every") || null,
    };
  }

  private async remove(id: string, row: HTMLElement): Promise<void> {
    const confirm = row.querySelector<HTMLElement>(".watch-confirm");
    for (const b of confirm?.querySelectorAll("button") ?? []) b.disabled = true;
    try {
      const gone = await this.ctx.api.watchRemove(id);
      this.ctx.clearError();
      this.status.textContent = `Stopped watching ${sourceTitle(gone)}. Its versions stay in the corpus.`;
    } catch (e) {
      confirm?.replaceWith(renderSourceActions(this.ctx.doc));
      this.updateButtons();
      this.ctx.showError(toApiError(e), `Could not stop watching ${id}`);
      return;
    }
    await this.reload();
  }

  private render(): void {
    const { doc } = this.ctx;
    const n = this.sources.length;
    const failing = this.sources.filter((s) => s.failing).length;
    this.summary.textContent =
      n === 0 ? "No page is watched yet." : `${plural(n, "page", "pages")} watched${failing > 0 ? `, ${failing} failing` : ""}`;
    this.list.replaceChildren(...this.sources.map((s) => renderSource(doc, s)));
    const empty = "Add a vendor's page with the form: trustlens records a new version each time its text changes.";
    if (n === 0) this.list.appendChild(el(doc, "li", "watch-empty", empty));
    this.updateButtons();
  }

  /** No check or removal while a check runs; the row being checked says so. */
  private updateButtons(): void {
    const busy = this.checking !== null;
    this.checkAll.disabled = busy || this.sources.length === 0;
    for (const b of this.list.querySelectorAll<HTMLButtonElement>(".watch-actions button")) b.disabled = busy;
    for (const row of this.list.querySelectorAll<HTMLElement>("li.watch-source")) {
      const mine = busy && (this.checking?.source === null || this.checking?.source === row.dataset.id);
      row.classList.toggle("checking", mine);
      row.setAttribute("aria-busy", String(mine));
    }
  }

  private click(event: Event): void {
    const b = closestTo<HTMLButtonElement>(event, "li.watch-source button");
    const row = b?.closest<HTMLElement>("li.watch-source");
    const id = row?.dataset.id;
    if (!b || !row || !id || b.disabled) return;
    if (b.matches(".watch-check")) void this.ctx.track(this.check(id));
    else if (b.matches(".watch-remove")) {
      const confirm = renderRemoveConfirm(this.ctx.doc);
      row.querySelector(".watch-actions")?.replaceWith(confirm);
      confirm.querySelector<HTMLButtonElement>(".watch-remove-cancel")?.focus();
    } else if (b.matches(".watch-remove-cancel")) {
      const actions = renderSourceActions(this.ctx.doc);
      row.querySelector(".watch-confirm")?.replaceWith(actions);
      actions.querySelector<HTMLButtonElement>(".watch-remove")?.focus();
    } else if (b.matches(".watch-remove-confirm")) void this.ctx.track(this.remove(id, row));
  }

  private listen(): void {
    // The whole action is tracked, so that the app is idle only once the view shows its outcome.
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.ctx.track(this.add());
    });
    this.checkAll.addEventListener("click", () => void this.ctx.track(this.check(null)));
    this.list.addEventListener("click", (event) => this.click(event));
  }
}
