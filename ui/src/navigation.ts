// Which view is shown, and the one request that crosses views: "open this
// clause in the reader". Views hear of mode changes through listeners, so a
// view that asks for another view does not need to hold it.

export type Mode = "search" | "compare" | "matrix" | "notes" | "watch";

/** Called after the mode changed (also when set to the mode it already was). */
export type ModeListener = (next: Mode, previous: Mode) => void;

export class Navigation {
  private current: Mode = "search";
  private readonly listeners: ModeListener[] = [];
  private opener: (clauseId: string) => Promise<void> = async () => {};

  get mode(): Mode {
    return this.current;
  }

  setMode(next: Mode): void {
    const previous = this.current;
    this.current = next;
    for (const listener of this.listeners) listener(next, previous);
  }

  /** Listeners run in the order they were added. */
  onModeChange(listener: ModeListener): void {
    this.listeners.push(listener);
  }

  /** Open any clause in the reader (the search view's). */
  openClause(clauseId: string): Promise<void> {
    return this.opener(clauseId);
  }

  /** Who opens clauses: set once by the composition root. */
  setClauseOpener(opener: (clauseId: string) => Promise<void>): void {
    this.opener = opener;
  }
}
