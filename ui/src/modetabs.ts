// The view tabs (`#mode-search` … `#mode-watch`) and the view each shows.
import { byIdIn } from "./dom";
import type { Mode, Navigation } from "./navigation";

const MODES: readonly Mode[] = ["search", "compare", "matrix", "notes", "watch"];

export class ModeTabs {
  private readonly tabs: Array<{ mode: Mode; tab: HTMLButtonElement; view: HTMLElement }>;

  constructor(doc: Document, nav: Navigation) {
    const byId = byIdIn(doc);
    this.tabs = MODES.map((mode) => ({
      mode,
      tab: byId<HTMLButtonElement>(`mode-${mode}`),
      view: byId<HTMLElement>(`${mode}-view`),
    }));
    for (const { mode, tab } of this.tabs) tab.addEventListener("click", () => nav.setMode(mode));
  }

  /** Show the view of `mode` and mark its tab. */
  show(mode: Mode): void {
    for (const { mode: m, tab, view } of this.tabs) {
      view.hidden = mode !== m;
      tab.setAttribute("aria-selected", String(mode === m));
      tab.classList.toggle("active", mode === m);
    }
  }
}
