// Next/previous navigation over the hit list. Clamps at both ends (no
// wrap-around); the UI disables the buttons where a move is impossible.

export class HitCursor {
  private count = 0;
  private current = -1;

  /** Start over with a new list of `count` hits; nothing selected. */
  reset(count: number): void {
    this.count = Math.max(0, Math.floor(count));
    this.current = -1;
  }

  get length(): number {
    return this.count;
  }

  /** Selected index, or -1 when nothing is selected. */
  get index(): number {
    return this.current;
  }

  get canPrev(): boolean {
    return this.current > 0;
  }

  get canNext(): boolean {
    return this.current < this.count - 1;
  }

  /** Select `i` if it is in range; returns the selected index or null. */
  select(i: number): number | null {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) return null;
    this.current = i;
    return i;
  }

  /** Move forward; with nothing selected, selects the first hit. Null at the end. */
  next(): number | null {
    return this.canNext ? this.select(this.current + 1) : null;
  }

  /** Move back; null at the start or with nothing selected. */
  prev(): number | null {
    return this.canPrev ? this.select(this.current - 1) : null;
  }
}
