import { describe, expect, it } from "vitest";
import { HitCursor } from "./hits";

describe("HitCursor", () => {
  it("starts with nothing selected; next selects the first hit", () => {
    const c = new HitCursor();
    c.reset(3);
    expect(c.index).toBe(-1);
    expect(c.canPrev).toBe(false);
    expect(c.canNext).toBe(true);
    expect(c.next()).toBe(0);
    expect(c.index).toBe(0);
  });

  it("clamps at the end instead of wrapping", () => {
    const c = new HitCursor();
    c.reset(2);
    c.select(1);
    expect(c.canNext).toBe(false);
    expect(c.next()).toBeNull();
    expect(c.index).toBe(1);
    expect(c.prev()).toBe(0);
    expect(c.canPrev).toBe(false);
    expect(c.prev()).toBeNull();
    expect(c.index).toBe(0);
  });

  it("ignores out-of-range selections", () => {
    const c = new HitCursor();
    c.reset(2);
    expect(c.select(2)).toBeNull();
    expect(c.select(-1)).toBeNull();
    expect(c.select(0.5)).toBeNull();
    expect(c.index).toBe(-1);
  });

  it("cannot move in an empty list", () => {
    const c = new HitCursor();
    c.reset(0);
    expect(c.canNext).toBe(false);
    expect(c.canPrev).toBe(false);
    expect(c.next()).toBeNull();
    expect(c.prev()).toBeNull();
  });

  it("reset forgets the selection", () => {
    const c = new HitCursor();
    c.reset(5);
    c.select(3);
    c.reset(5);
    expect(c.index).toBe(-1);
    expect(c.length).toBe(5);
  });
});
