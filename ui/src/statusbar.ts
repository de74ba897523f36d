// The status bar (`#status`): the corpus in one line, and its warnings on
// demand (`#warnings-toggle`, or a click on the line).
import type { CorpusStatus } from "./bindings/CorpusStatus";
import { byIdIn } from "./dom";
import { statusLine } from "./format";
import { el } from "./render";

export class StatusBar {
  private readonly status: HTMLSpanElement;
  private readonly toggle: HTMLButtonElement;
  private readonly list: HTMLUListElement;
  private hasWarnings = false;

  constructor(private readonly doc: Document) {
    const byId = byIdIn(doc);
    this.status = byId<HTMLSpanElement>("status");
    this.toggle = byId<HTMLButtonElement>("warnings-toggle");
    this.list = byId<HTMLUListElement>("warnings-list");
    const toggleWarnings = () => {
      if (this.hasWarnings) this.setOpen(this.list.hasAttribute("hidden"));
    };
    this.toggle.addEventListener("click", toggleWarnings);
    this.status.addEventListener("click", toggleWarnings);
  }

  show(s: CorpusStatus): void {
    this.hasWarnings = s.warnings.length > 0;
    this.status.textContent = statusLine(s);
    this.status.title = this.hasWarnings ? s.warnings.join("\n") : "No warnings";
    this.status.classList.toggle("has-warnings", this.hasWarnings);
    this.list.replaceChildren(...s.warnings.map((w) => el(this.doc, "li", undefined, w)));
    this.toggle.hidden = !this.hasWarnings;
    if (!this.hasWarnings) this.setOpen(false);
  }

  /** The status could not be read; the warnings of the last status read stay. */
  unavailable(): void {
    this.status.textContent = "Corpus status unavailable";
  }

  private setOpen(open: boolean): void {
    this.list.hidden = !open;
    this.toggle.setAttribute("aria-expanded", String(open));
    this.toggle.textContent = open ? "Hide warnings" : "Show warnings";
  }
}
