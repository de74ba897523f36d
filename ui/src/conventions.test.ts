// The UI formats page labels and cleans tags itself (it cannot ask the
// backend for every label); the examples generated from the Rust functions
// pin it to them, so the two cannot drift apart.
import { describe, expect, it } from "vitest";
import { OCR_LABEL_EXAMPLES, PAGE_LABEL_EXAMPLES, TAG_EXAMPLES } from "./bindings/Conventions";
import { ocrLabel, pageLabel } from "./format";
import { parseTags } from "./notes";

describe("formatting agrees with the backend", () => {
  it("labels pages as citations do", () => {
    expect(PAGE_LABEL_EXAMPLES.length).toBeGreaterThan(3);
    for (const [pages, label] of PAGE_LABEL_EXAMPLES) expect(pageLabel(pages)).toBe(label);
  });

  it("marks OCR text as citations do", () => {
    expect(OCR_LABEL_EXAMPLES.length).toBeGreaterThan(2);
    for (const [confidence, label] of OCR_LABEL_EXAMPLES) expect(ocrLabel(confidence)).toBe(label);
  });

  it("cleans tags as the notes store does", () => {
    expect(TAG_EXAMPLES.length).toBeGreaterThan(3);
    for (const [typed, stored] of TAG_EXAMPLES) expect(parseTags(typed)).toEqual(stored);
  });
});
