import { afterEach, describe, expect, it, vi } from "vitest";
import { Debouncer, isExportFormat, suggestedName, withExtension } from "./exporting";

afterEach(() => {
  vi.useRealTimers();
});

describe("file names", () => {
  it("suggests a name per selection and format", () => {
    expect(suggestedName("notes", "md")).toBe("trustlens-notes.md");
    expect(suggestedName("memo", "html")).toBe("trustlens-memo.html");
  });

  it("swaps an export extension for the chosen format's, and leaves other paths alone", () => {
    expect(withExtension("/tmp/out.md", "csv")).toBe("/tmp/out.csv");
    expect(withExtension("/tmp/out.JSON", "html")).toBe("/tmp/out.html");
    expect(withExtension("/tmp/out.csv", "csv")).toBe("/tmp/out.csv");
    expect(withExtension("/tmp/out.txt", "csv")).toBe("/tmp/out.txt");
    expect(withExtension("/tmp/out", "csv")).toBe("/tmp/out");
    expect(withExtension("/tmp/v1.2/notes", "md")).toBe("/tmp/v1.2/notes");
  });

  it("knows the formats", () => {
    expect(isExportFormat("json")).toBe(true);
    expect(isExportFormat("pdf")).toBe(false);
  });
});

describe("Debouncer", () => {
  it("runs once after the calls stop, and settles superseded calls at once", async () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const d = new Debouncer(fn, 100);
    const first = d.call();
    let firstDone = false;
    void first.then(() => (firstDone = true));
    vi.advanceTimersByTime(60);
    const second = d.call();
    await Promise.resolve();
    expect(firstDone).toBe(true);
    expect(fn).not.toHaveBeenCalled();
    expect(d.pending).toBe(true);
    vi.advanceTimersByTime(100);
    await second;
    expect(fn).toHaveBeenCalledTimes(1);
    expect(d.pending).toBe(false);
  });

  it("drops a pending run when cancelled", async () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const d = new Debouncer(fn, 100);
    const p = d.call();
    d.cancel();
    await p;
    vi.advanceTimersByTime(200);
    expect(fn).not.toHaveBeenCalled();
  });

  it("settles even when the run fails", async () => {
    vi.useFakeTimers();
    const d = new Debouncer(() => Promise.reject(new Error("no")), 10);
    const p = d.call();
    vi.advanceTimersByTime(10);
    await expect(p).resolves.toBeUndefined();
  });
});
