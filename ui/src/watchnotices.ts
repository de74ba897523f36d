// The watch notices (`#watch-notices`, fixed in a corner over every view):
// one per new version a check recorded, whether the check was asked for
// (Check now) or came from the app's scheduler. A notice of a changed page
// opens the compare of its previous and new versions; every notice can be
// dismissed. In-page rather than system notifications: the webview's
// Notification API needs a permission prompt and a plugin.
import type { WatchOutcome } from "./bindings/WatchOutcome";
import { byIdIn, closestTo } from "./dom";
import { el } from "./render";
import { noticeFor, type Notice } from "./watch";

export interface NoticesContext {
  doc: Document;
  /** Open the compare view on these two versions. */
  openCompare(old: string, neu: string): void;
}

/** One `div.watch-notice-item` (data-version): `button.watch-notice` and `button.watch-notice-dismiss`. */
export function renderNotice(doc: Document, notice: Notice): HTMLDivElement {
  const item = el(doc, "div", `watch-notice-item ${notice.kind}`);
  item.dataset.version = notice.version;
  const open = el(doc, "button", `watch-notice ${notice.kind}`, notice.text);
  open.type = "button";
  open.dataset.kind = notice.kind;
  open.dataset.version = notice.version;
  if (notice.kind === "changed") {
    open.dataset.previous = notice.previous;
    open.title = "Compare the previous version with this one";
  } else {
    // Nothing to compare a first version with: the click only acknowledges it.
    open.title = "Dismiss";
  }
  const dismiss = el(doc, "button", "watch-notice-dismiss", "×");
  dismiss.type = "button";
  dismiss.setAttribute("aria-label", "Dismiss");
  item.append(open, dismiss);
  return item;
}

export class WatchNotices {
  private readonly box: HTMLElement;

  constructor(private readonly ctx: NoticesContext) {
    this.box = byIdIn(ctx.doc)<HTMLElement>("watch-notices");
    this.box.addEventListener("click", (event) => this.click(event));
  }

  /** The notices the outcomes call for, newest on top; a version already noticed is not noticed twice. */
  show(outcomes: readonly WatchOutcome[]): void {
    for (const o of outcomes) {
      const notice = noticeFor(o);
      if (notice === null || this.has(notice.version)) continue;
      this.box.prepend(renderNotice(this.ctx.doc, notice));
    }
  }

  private has(version: string): boolean {
    return [...this.box.querySelectorAll<HTMLElement>(".watch-notice-item")].some((i) => i.dataset.version === version);
  }

  private click(event: Event): void {
    const item = closestTo<HTMLElement>(event, ".watch-notice-item");
    const button = closestTo<HTMLButtonElement>(event, "button");
    if (!item || !button) return;
    // Acted on or dismissed, a notice has done its job.
    item.remove();
    const { kind, previous, version } = button.dataset;
    if (button.matches(".watch-notice") && kind === "changed" && previous && version) this.ctx.openCompare(previous, version);
  }
}
