// Guards for the strict CSP and for untrusted document text.
import { describe, expect, it } from "vitest";
import indexHtml from "../index.html?raw";

const sources = import.meta.glob<string>(["./**/*.ts", "!./**/*.test.ts", "!./testing/**"], {
  query: "?raw",
  import: "default",
  eager: true,
});

describe("index.html", () => {
  const parsed = new DOMParser().parseFromString(indexHtml, "text/html");

  it("has no inline scripts", () => {
    const scripts = [...parsed.querySelectorAll("script")];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      expect(script.getAttribute("src")).toBeTruthy();
      expect(script.textContent?.trim()).toBe("");
    }
  });

  it("has no inline styles or event handler attributes", () => {
    expect(parsed.querySelectorAll("style, [style]")).toHaveLength(0);
    for (const element of parsed.querySelectorAll("*")) {
      for (const attr of element.getAttributeNames()) {
        expect(attr.startsWith("on"), `${element.tagName} has ${attr}`).toBe(false);
      }
    }
  });

  it("has every element the app and the e2e test rely on", () => {
    for (const id of [
      "query",
      "version-filter",
      "search-button",
      "settings-button",
      "results",
      "results-summary",
      "reader",
      "reader-version",
      "prev-hit",
      "next-hit",
      "error",
      "status",
      "settings",
      "corpus-dir",
      "corpus-apply",
      "corpus-reset",
      "mode-search",
      "mode-compare",
      "mode-matrix",
      "entry-filter",
      "compare-notes",
      "card-list",
      "matrix-view",
      "matrix-summary",
      "matrix-grid",
      "matrix-head",
      "matrix-body",
      "matrix-detail",
      "matrix-detail-empty",
      "matrix-detail-body",
      "mode-notes",
      "notes-view",
      "notes-tag",
      "notes-status",
      "notes-version",
      "notes-entry",
      "notes-export",
      "notes-summary",
      "notes-list",
      "note-dialog",
      "note-form",
      "note-text",
      "note-tags",
      "note-status",
      "note-error",
      "note-save",
      "note-cancel",
      "export-results",
      "export-changes",
      "memo-button",
      "export-dialog",
      "export-format",
      "export-preview",
      "export-path",
      "export-save",
      "export-copy",
      "export-close",
      "export-error",
      "export-confirm",
      "export-replace",
      "export-keep",
      "export-done",
      "mode-watch",
      "watch-view",
      "watch-list",
      "watch-summary",
      "watch-status",
      "watch-check-all",
      "watch-form",
      "watch-url",
      "watch-vendor",
      "watch-document",
      "watch-select",
      "watch-every",
      "watch-add",
      "watch-add-error",
      "watch-notices",
    ]) {
      expect(parsed.getElementById(id), `#${id}`).not.toBeNull();
    }
    expect(parsed.getElementById("error")?.getAttribute("role")).toBe("alert");
    expect(parsed.getElementById("export-done")?.getAttribute("role")).toBe("status");
    expect(parsed.getElementById("export-preview")?.tagName).toBe("PRE");
    expect(parsed.getElementById("note-dialog")?.tagName).toBe("DIALOG");
    expect(parsed.getElementById("export-dialog")?.tagName).toBe("DIALOG");
  });
});

describe("sources", () => {
  it("were found", () => {
    expect(Object.keys(sources)).toContain("./render.ts");
  });

  it("never parse HTML strings", () => {
    for (const [path, text] of Object.entries(sources)) {
      for (const sink of ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "DOMParser", ".style."]) {
        expect(text.includes(sink), `${path} uses ${sink}`).toBe(false);
      }
    }
  });
});
