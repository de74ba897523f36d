import { describe, expect, it } from "vitest";
import { isTypingTarget, shortcutFor } from "./keys";

describe("shortcutFor", () => {
  const body = () => document.body;

  it("maps n/j, p/k and /", () => {
    expect(shortcutFor({ key: "n", target: body() })).toBe("next");
    expect(shortcutFor({ key: "j", target: body() })).toBe("next");
    expect(shortcutFor({ key: "p", target: body() })).toBe("prev");
    expect(shortcutFor({ key: "k", target: body() })).toBe("prev");
    expect(shortcutFor({ key: "/", target: body() })).toBe("focus-search");
    expect(shortcutFor({ key: "x", target: body() })).toBeNull();
  });

  it("ignores keys typed into inputs, selects and textareas", () => {
    const input = document.createElement("input");
    const search = document.createElement("input");
    search.type = "search";
    expect(shortcutFor({ key: "n", target: input })).toBeNull();
    expect(shortcutFor({ key: "/", target: search })).toBeNull();
    expect(shortcutFor({ key: "j", target: document.createElement("textarea") })).toBeNull();
    expect(shortcutFor({ key: "k", target: document.createElement("select") })).toBeNull();
  });

  it("does not treat buttons and checkboxes as typing", () => {
    const checkbox = document.createElement("input");
    checkbox.type = "checkbox";
    expect(isTypingTarget(checkbox)).toBe(false);
    expect(shortcutFor({ key: "n", target: document.createElement("button") })).toBe("next");
  });

  it("ignores chords with modifiers", () => {
    expect(shortcutFor({ key: "n", ctrlKey: true, target: body() })).toBeNull();
    expect(shortcutFor({ key: "p", metaKey: true, target: body() })).toBeNull();
    expect(shortcutFor({ key: "j", altKey: true, target: body() })).toBeNull();
  });
});
