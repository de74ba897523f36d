import { describe, expect, it } from "vitest";
import {
  citationLine,
  countByClause,
  describeNoteFilter,
  isNoteStatus,
  knownTags,
  NoteCache,
  noteCount,
  noteFilter,
  noteId,
  noteTime,
  parseTags,
  quoteLabel,
  sameTags,
  selectionQuote,
  statusLabel,
  tagsText,
  versionOfClause,
} from "./notes";
import { asNoteId, noteView, sampleNotes } from "./testing/fixtures";

const NEW = "heroku-spa@2023-05-05";

describe("statuses", () => {
  it("names every status in words", () => {
    expect(statusLabel("open")).toBe("Open");
    expect(statusLabel("needs_review")).toBe("Needs review");
    expect(statusLabel("something_else")).toBe("something_else");
    expect(isNoteStatus("flagged")).toBe(true);
    expect(isNoteStatus("")).toBe(false);
    expect(isNoteStatus("closed")).toBe(false);
  });
});

describe("noteId", () => {
  it("reads the number whether it arrives as a number or a bigint", () => {
    expect(noteId({ id: asNoteId(7) })).toBe(7);
    expect(noteId({ id: BigInt(8) })).toBe(8);
  });
});

describe("tags", () => {
  it("splits at commas, trims, lower-cases, deduplicates and sorts", () => {
    expect(parseTags(" Crypto, keys ,crypto,, GDPR ")).toEqual(["crypto", "gdpr", "keys"]);
    expect(parseTags("   ")).toEqual([]);
    expect(tagsText(["crypto", "keys"])).toBe("crypto, keys");
    expect(parseTags(tagsText(["a b", "c"]))).toEqual(["a b", "c"]);
  });

  it("compares tag lists as sets", () => {
    expect(sameTags(["b", "a"], ["a", "b"])).toBe(true);
    expect(sameTags(["a"], ["a", "b"])).toBe(false);
    expect(sameTags([], [])).toBe(true);
  });

  it("lists the tags known from notes", () => {
    expect(knownTags(sampleNotes())).toEqual(["backups", "gdpr", "transfers"]);
  });
});

describe("text", () => {
  it("counts notes", () => {
    expect(noteCount(1)).toBe("1 note");
    expect(noteCount(0)).toBe("0 notes");
    expect(noteCount(3)).toBe("3 notes");
  });

  it("writes a citation in one line", () => {
    const note = noteView(1, `${NEW}/privacy/1`, "x");
    expect(citationLine(note.citation!)).toBe(
      "Heroku, “Security, Privacy and Architecture” (2023-05-05), Security › Privacy, pp. 3–4, heroku-spa@2023-05-05/privacy/1",
    );
    const bare = { ...note.citation!, section: [], pages: [] };
    expect(citationLine(bare)).toBe(
      "Heroku, “Security, Privacy and Architecture” (2023-05-05), heroku-spa@2023-05-05/privacy/1",
    );
  });

  it("shows times to the minute", () => {
    expect(noteTime("2024-02-01T09:30:12Z")).toBe("2024-02-01 09:30");
    expect(noteTime("2024-02-01T09:30:12.123+00:00")).toBe("2024-02-01 09:30");
    expect(noteTime("yesterday")).toBe("yesterday");
  });

  it("labels and shortens quotes", () => {
    expect(quoteLabel("Privacy Shield")).toBe("“Privacy Shield”");
    expect(quoteLabel("abcdefghij", 5)).toBe("“abcd…”");
  });

  it("takes the version out of a clause ID", () => {
    expect(versionOfClause(`${NEW}/privacy/1`)).toBe(NEW);
    expect(versionOfClause("plain")).toBe("plain");
  });
});

describe("noteFilter", () => {
  it("turns empty values into nulls and drops unknown statuses", () => {
    expect(noteFilter({ tag: "  ", status: "", version: "", entry: "" })).toEqual({
      tag: null,
      status: null,
      version: null,
      entry: null,
      clause_id: null,
    });
    expect(noteFilter({ tag: " GDPR ", status: "flagged", version: NEW, entry: "m/e" })).toEqual({
      tag: "gdpr",
      status: "flagged",
      version: NEW,
      entry: "m/e",
      clause_id: null,
    });
    expect(noteFilter({ status: "bogus" }).status).toBeNull();
  });

  it("describes a filter in words", () => {
    const empty = noteFilter({});
    expect(describeNoteFilter(empty)).toBe("All notes");
    const f = noteFilter({ tag: "gdpr", status: "needs_review", version: NEW, entry: "m/e" });
    expect(describeNoteFilter(f, new Map([[NEW, "Heroku (2023-05-05)"]]), new Map([["m/e", "Encryption"]]))).toBe(
      "Notes tagged “gdpr”, needs review, on Heroku (2023-05-05), linked to Encryption",
    );
  });
});

describe("selectionQuote", () => {
  const text = "We comply with the Privacy Shield principles.";

  it("trims the selection", () => {
    expect(selectionQuote(text, "  Privacy Shield ")).toBe("Privacy Shield");
  });

  it("refuses a blank selection or one that is not in the clause", () => {
    expect(selectionQuote(text, " \n ")).toBeNull();
    expect(selectionQuote(text, "Safe Harbor")).toBeNull();
  });
});

describe("countByClause", () => {
  it("counts notes per clause", () => {
    const counts = countByClause(sampleNotes());
    expect(counts.get(`${NEW}/privacy/1`)).toBe(2);
    expect(counts.get("heroku-spa@2016-05-06/backups/2")).toBe(1);
  });
});

describe("NoteCache", () => {
  it("keeps each version's notes, and follows additions, edits and deletions", () => {
    const cache = new NoteCache();
    const notes = sampleNotes();
    expect(cache.has(NEW)).toBe(false);
    expect(cache.get(NEW)).toBeNull();
    cache.set(NEW, notes.slice(0, 2));
    expect(cache.ofClause(`${NEW}/privacy/1`).map(noteId)).toEqual([1, 2]);

    cache.put({ ...notes[0], text: "changed" });
    expect(cache.get(NEW)?.map((n) => [noteId(n), n.text])).toEqual([
      [1, "changed"],
      [2, notes[1].text],
    ]);

    // A note on a version that is not loaded is not kept.
    cache.put(notes[2]);
    expect(cache.all()).toHaveLength(2);

    cache.put(noteView(9, `${NEW}/intro/1`, "new"));
    expect(cache.ofClause(`${NEW}/intro/1`).map(noteId)).toEqual([9]);

    cache.remove(1);
    expect(cache.get(NEW)?.map(noteId)).toEqual([2, 9]);
    cache.clear();
    expect(cache.has(NEW)).toBe(false);
  });
});
