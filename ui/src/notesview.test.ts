import { beforeEach, describe, expect, it } from "vitest";
import { startApp, type AppHandle } from "./app";
import { asNoteId, entryKey, FakeApi, noteView } from "./testing/fixtures";
import { $, loadPage } from "./testing/page";

const all = <T extends HTMLElement = HTMLElement>(sel: string) => [...document.querySelectorAll<T>(sel)];

const OLD = "heroku-spa@2016-05-06";
const NEW = "heroku-spa@2023-05-05";
const PRIVACY = `${NEW}/privacy/1`;
const INTRO = `${NEW}/intro/1`;
const EVIL = "<img src=x onerror=alert(1)>";

let api: FakeApi;
let app: AppHandle;

const commands = (name: string) => api.calls.filter((c) => c.command === name);
const dialogOpen = (id: string) => $<HTMLDialogElement>(`#${id}`).hasAttribute("open");

function key(k: string): void {
  // Not cancelable: the listeners of earlier tests' apps share this document.
  document.body.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
}

/** Select `[from, to)` of the focused clause's text, as a user dragging the mouse would. */
function selectInFocus(from: number, to: number): void {
  const text = $("#reader .clause.focus .clause-text");
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  while (walker.nextNode()) nodes.push(walker.currentNode as Text);
  const at = (offset: number): [Text, number] => {
    let left = offset;
    for (const node of nodes) {
      if (left <= node.data.length) return [node, left];
      left -= node.data.length;
    }
    throw new Error(`offset ${offset} is past the text`);
  };
  const range = document.createRange();
  range.setStart(...at(from));
  range.setEnd(...at(to));
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  text.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
}

async function fillAndSave(text: string, tags = "", status = "open"): Promise<void> {
  $<HTMLTextAreaElement>("#note-text").value = text;
  $<HTMLInputElement>("#note-tags").value = tags;
  $<HTMLSelectElement>("#note-status").value = status;
  $("#note-save").click();
  await app.idle();
}

beforeEach(async () => {
  loadPage();
  window.getSelection()?.removeAllRanges();
  api = new FakeApi();
  app = startApp(document, api);
  await app.ready;
});

describe("notes in the reader", () => {
  beforeEach(async () => {
    await app.openClause(PRIVACY);
  });

  it("loads the version's notes once, before the clause, and shows counts and the focused clause's notes", async () => {
    expect(api.calls.slice(-2).map((c) => c.command)).toEqual(["notes", "read"]);
    expect(commands("notes")[0].args).toEqual({ tag: null, status: null, version: NEW, entry: null, clause_id: null });
    const focus = $("#reader .clause.focus");
    expect(focus.querySelector(".note-count")?.textContent).toBe("2 notes");
    expect($(`#reader .clause[data-clause-id="${INTRO}"]`).querySelector(".note-count")).toBeNull();
    const items = all<HTMLLIElement>("#reader .clause.focus .clause-notes li.note");
    expect(items.map((li) => li.dataset.noteId)).toEqual(["1", "2"]);
    expect(items[1].querySelector(".note-change.needs-review")?.textContent).toContain("“Safe Harbor” became");
    // Every clause can take a note; only the focused one has the history toggle.
    expect(all("#reader .clause button.note-add")).toHaveLength(3);
    expect(all("#reader .clause button.history-toggle")).toHaveLength(1);
    expect($("#reader .clause.focus button.history-toggle").getAttribute("aria-expanded")).toBe("false");

    // Opening another clause of the same version reuses the notes.
    await app.openClause(INTRO);
    expect(commands("notes")).toHaveLength(1);
    expect($("#reader .clause.focus").dataset.clauseId).toBe(INTRO);
    expect(document.querySelector("#reader .clause.focus .clause-notes")).toBeNull();
    expect(document.querySelector("#reader .clause.focus .note-count")).toBeNull();
  });

  it("adds a note on the whole clause", async () => {
    $(`#reader .clause[data-clause-id="${INTRO}"] button.note-add`).click();
    expect(dialogOpen("note-dialog")).toBe(true);
    expect($("#note-dialog-title").textContent).toBe("Add a note on this clause");
    expect($("#note-target").textContent).toBe(INTRO);
    expect($("#note-quote").hidden).toBe(true);
    expect(document.activeElement?.id).toBe("note-text");

    await fillAndSave("Check the **sub-processors** list.", "Vendors, DPA", "flagged");
    expect(commands("add_note").map((c) => c.args)).toEqual([
      {
        clause_id: INTRO,
        text: "Check the **sub-processors** list.",
        tags: ["dpa", "vendors"],
        quote: null,
        status: "flagged",
      },
    ]);
    expect(dialogOpen("note-dialog")).toBe(false);
    // No reload: the backend's answer is shown.
    expect(commands("notes")).toHaveLength(1);
    expect($(`#reader .clause[data-clause-id="${INTRO}"] .note-count`).textContent).toBe("1 note");
  });

  it("adds a note on the words selected in a clause", async () => {
    // "We comply with the Privacy Shield principles." — select "comply with the Privacy Shield ".
    selectInFocus(3, 34);
    const button = $<HTMLButtonElement>("#reader .clause.focus button.note-add-quote");
    expect(button.dataset.quote).toBe("comply with the Privacy Shield");
    expect(all("#reader button.note-add-quote")).toHaveLength(1);
    // Pressing the button keeps the selection.
    const down = new MouseEvent("mousedown", { bubbles: true, cancelable: true });
    button.dispatchEvent(down);
    expect(down.defaultPrevented).toBe(true);
    button.click();
    expect(dialogOpen("note-dialog")).toBe(true);
    expect($("#note-dialog-title").textContent).toBe("Add a note on these words");
    expect($("#note-quote").hidden).toBe(false);
    expect($("#note-quote").textContent).toBe("“comply with the Privacy Shield”");

    await fillAndSave("Only as long as the framework stands.");
    expect(commands("add_note")[0].args).toMatchObject({ clause_id: PRIVACY, quote: "comply with the Privacy Shield" });
    expect($("#reader .clause.focus .note-count").textContent).toBe("3 notes");
    const added = $<HTMLLIElement>('#reader .clause.focus li.note[data-note-id="4"]');
    expect(added.querySelector(".note-quote")?.textContent).toBe("“comply with the Privacy Shield”");
    expect(added.querySelector(".note-text")?.textContent).toBe("Only as long as the framework stands.");
    // The selection and its button are gone.
    expect(document.querySelector("#reader button.note-add-quote")).toBeNull();
  });

  it("offers no quote for a selection outside one clause's text", async () => {
    const texts = all("#reader .clause-text");
    const range = document.createRange();
    range.setStart(texts[0].firstChild as Text, 2);
    range.setEnd(texts[1].firstChild as Text, 4);
    window.getSelection()?.addRange(range);
    texts[1].dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
    expect(document.querySelector("#reader button.note-add-quote")).toBeNull();

    // A selection of blanks only is no quote either; a collapsed one removes the button.
    selectInFocus(2, 3);
    expect(document.querySelector("#reader button.note-add-quote")).toBeNull();
    selectInFocus(3, 9);
    expect($("#reader button.note-add-quote").dataset.quote).toBe("comply");
    selectInFocus(3, 3);
    expect(document.querySelector("#reader button.note-add-quote")).toBeNull();
  });

  it("keeps the dialog open with what was typed when saving fails", async () => {
    selectInFocus(3, 9);
    $("#reader button.note-add-quote").click();
    // The clause changed meanwhile: the backend no longer finds the quote.
    const realAdd = api.addNote.bind(api);
    api.addNote = async (note) => {
      api.calls.push({ command: "add_note", args: note });
      throw { code: "invalid_argument", message: `the quote "${note.quote}" is not in the text of ${note.clause_id}` };
    };
    await fillAndSave("My careful analysis", "crypto");
    expect(dialogOpen("note-dialog")).toBe(true);
    expect($("#note-error").hidden).toBe(false);
    expect($("#note-error").dataset.code).toBe("invalid_argument");
    expect($("#note-error").textContent).toContain("is not in the text of");
    expect($<HTMLTextAreaElement>("#note-text").value).toBe("My careful analysis");
    expect($<HTMLInputElement>("#note-tags").value).toBe("crypto");
    expect($<HTMLButtonElement>("#note-save").disabled).toBe(false);

    // Trying again once the backend agrees saves it.
    api.addNote = realAdd;
    $("#note-save").click();
    await app.idle();
    expect(dialogOpen("note-dialog")).toBe(false);
    expect($('#reader .clause.focus li.note[data-note-id="4"] .note-text').textContent).toBe("My careful analysis");
  });

  it("asks for text before saving an empty note", async () => {
    $("#reader .clause.focus button.note-add").click();
    await fillAndSave("   ");
    expect(commands("add_note")).toHaveLength(0);
    expect(dialogOpen("note-dialog")).toBe(true);
    expect($("#note-error").textContent).toContain("cannot be empty");
    $("#note-cancel").click();
    expect(dialogOpen("note-dialog")).toBe(false);
  });

  it("edits a note with the dialog, sending only what changed", async () => {
    $('#reader .clause.focus li.note[data-note-id="1"] button.note-edit').click();
    expect(dialogOpen("note-dialog")).toBe(true);
    expect($("#note-dialog-title").textContent).toBe("Edit note #1");
    expect($<HTMLTextAreaElement>("#note-text").value).toContain("Schrems II");
    expect($<HTMLInputElement>("#note-tags").value).toBe("gdpr, transfers");
    expect($<HTMLSelectElement>("#note-status").value).toBe("flagged");
    expect($("#note-quote").textContent).toBe("“Privacy Shield”");

    $<HTMLInputElement>("#note-tags").value = "transfers, GDPR, schrems";
    $("#note-save").click();
    await app.idle();
    expect(commands("edit_note").map((c) => c.args)).toEqual([
      { id: 1, edit: { text: null, tags: ["gdpr", "schrems", "transfers"], status: null } },
    ]);
    expect(dialogOpen("note-dialog")).toBe(false);
    const tags = all('#reader .clause.focus li.note[data-note-id="1"] .note-tag').map((t) => t.textContent);
    expect(tags).toEqual(["gdpr", "schrems", "transfers"]);

    // Saving with nothing changed just closes.
    $('#reader .clause.focus li.note[data-note-id="1"] button.note-edit').click();
    $("#note-save").click();
    await app.idle();
    expect(commands("edit_note")).toHaveLength(1);
    expect(dialogOpen("note-dialog")).toBe(false);
  });

  it("changes a note's status in place", async () => {
    const select = $<HTMLSelectElement>('#reader .clause.focus li.note[data-note-id="2"] select.note-status');
    select.value = "reviewed";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await app.idle();
    expect(commands("edit_note").map((c) => c.args)).toEqual([
      { id: 2, edit: { text: null, tags: null, status: "reviewed" } },
    ]);
    const li = $<HTMLLIElement>('#reader .clause.focus li.note[data-note-id="2"]');
    expect(li.dataset.status).toBe("reviewed");
    expect(li.querySelector(".note-change.needs-review")).toBeNull();
  });

  it("deletes a note after an in-page confirmation", async () => {
    const li = () => document.querySelector<HTMLLIElement>('#reader .clause.focus li.note[data-note-id="1"]');
    li()?.querySelector<HTMLButtonElement>("button.note-delete")?.click();
    expect(commands("delete_note")).toHaveLength(0);
    expect(li()?.querySelector(".note-confirm")).not.toBeNull();
    // Keep goes back.
    li()?.querySelector<HTMLButtonElement>("button.note-delete-cancel")?.click();
    expect(li()?.querySelector(".note-confirm")).toBeNull();

    li()?.querySelector<HTMLButtonElement>("button.note-delete")?.click();
    li()?.querySelector<HTMLButtonElement>("button.note-delete-confirm")?.click();
    await app.idle();
    expect(commands("delete_note").map((c) => c.args)).toEqual([1]);
    expect(li()).toBeNull();
    expect($("#reader .clause.focus .note-count").textContent).toBe("1 note");
    expect(api.noteList.map((n) => Number(n.id))).toEqual([2, 3]);
  });

  it("shows a failed deletion and keeps the note", async () => {
    api.deleteNote = async () => {
      throw { code: "io", message: "the notes store is read-only" };
    };
    $('#reader .clause.focus li.note[data-note-id="1"] button.note-delete').click();
    $('#reader .clause.focus li.note[data-note-id="1"] button.note-delete-confirm').click();
    await app.idle();
    expect($("#error").hidden).toBe(false);
    expect($("#error-message").textContent).toContain("Could not delete note #1");
    expect($('#reader .clause.focus li.note[data-note-id="1"] button.note-delete')).not.toBeNull();
  });

  it("keeps hostile note text inert", async () => {
    $("#reader .clause.focus button.note-add").click();
    await fillAndSave(EVIL, EVIL);
    expect(document.querySelector("#reader img")).toBeNull();
    const li = $('#reader .clause.focus li.note[data-note-id="4"]');
    expect(li.querySelector(".note-text")?.textContent).toBe(EVIL);
    expect(li.querySelector(".note-tag")?.textContent).toBe(EVIL.toLowerCase());
  });

  it("blocks the global keys while the note dialog is open", async () => {
    $<HTMLInputElement>("#query").value = "privacy";
    $<HTMLFormElement>("#search-form").requestSubmit();
    await app.idle();
    await app.openClause(PRIVACY);
    $("#reader .clause.focus button.note-add").click();
    const reads = commands("read").length;
    $("#note-save").focus();
    key("n");
    key("/");
    await app.idle();
    expect(commands("read")).toHaveLength(reads);
    expect(document.activeElement?.id).not.toBe("query");
    $("#note-cancel").click();
    key("n");
    await app.idle();
    expect(commands("read")).toHaveLength(reads + 1);
  });

  it("shows a clause's history and opens another version from it", async () => {
    const toggle = $<HTMLButtonElement>("#reader .clause.focus button.history-toggle");
    toggle.click();
    await app.idle();
    expect(commands("history").map((c) => c.args)).toEqual([PRIVACY]);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    const steps = all<HTMLLIElement>("#reader .clause.focus .clause-history li.history-step");
    expect(steps.map((s) => s.querySelector(".history-status")?.textContent)).toEqual(["First appears", "Modified"]);
    expect(steps[1].textContent).toContain("EU-US Safe Harbor replaced by EU-US Privacy Shield");

    steps[0].click();
    await app.idle();
    expect($("#reader .clause.focus").dataset.clauseId).toBe(`${OLD}/privacy/1`);
    expect($("#reader-version").textContent).toContain("2016-05-06");
    // The history stays open and comes from what was loaded.
    expect(commands("history")).toHaveLength(1);
    const now = all<HTMLLIElement>("#reader .clause.focus li.history-step");
    expect(now[0].classList.contains("current")).toBe(true);
    expect(now[1].classList.contains("has-clause")).toBe(true);

    $("#reader .clause.focus button.history-toggle").click();
    expect(document.querySelector("#reader .clause-history")).toBeNull();
  });

  it("says when a clause disappeared, and shows a history failure in place", async () => {
    await app.openClause(`${OLD}/legal/3`);
    $("#reader .clause.focus button.history-toggle").click();
    await app.idle();
    expect($('#reader .clause.focus li.history-step[data-status="removed"]').textContent).toContain(
      "Disappeared in 2023-05-05",
    );

    api.failHistory = { code: "not_found", message: "no history for x" };
    await app.openClause(`${OLD}/intro/1`);
    expect($("#reader .clause.focus .clause-history .history-empty").textContent).toBe("No history: no history for x");
  });
});

describe("the Notes tab", () => {
  beforeEach(async () => {
    $("#mode-notes").click();
    await app.idle();
  });

  it("is a fourth tab that lists every note with its citation", () => {
    expect($("#notes-view").hidden).toBe(false);
    expect($("#search-view").hidden).toBe(true);
    expect($("#search-form").hidden).toBe(true);
    expect($("#mode-notes").getAttribute("aria-selected")).toBe("true");
    expect(commands("notes").at(-1)?.args).toEqual({ tag: null, status: null, version: null, entry: null, clause_id: null });
    expect($("#notes-summary").textContent).toBe("3 notes");
    const items = all<HTMLLIElement>("#notes-list li.note");
    expect(items.map((li) => li.dataset.noteId)).toEqual(["1", "2", "3"]);
    expect(items[0].querySelector(".note-citation")?.textContent).toBe(
      "Heroku, “Security, Privacy and Architecture” (2023-05-05), Security › Privacy, pp. 3–4, heroku-spa@2023-05-05/privacy/1",
    );
    expect(items[0].querySelector(".note-text")?.textContent).toContain("Schrems II");
    // Tags known so far are offered in the tag filter.
    expect(all<HTMLOptionElement>("#notes-tags option").map((o) => o.value)).toEqual(["backups", "gdpr", "transfers"]);
  });

  it("filters by tag, status, version and matrix entry", async () => {
    const status = $<HTMLSelectElement>("#notes-status");
    status.value = "needs_review";
    status.dispatchEvent(new Event("change"));
    await app.idle();
    expect(all("#notes-list li.note").map((li) => li.dataset.noteId)).toEqual(["2"]);
    expect($("#notes-summary").textContent).toBe("1 note matches these filters");
    status.value = "";
    status.dispatchEvent(new Event("change"));

    const version = $<HTMLSelectElement>("#notes-version");
    expect([...version.options].map((o) => o.value)).toEqual(["", OLD, NEW]);
    version.value = OLD;
    version.dispatchEvent(new Event("change"));
    await app.idle();
    expect(all("#notes-list li.note").map((li) => li.dataset.noteId)).toEqual(["3"]);
    version.value = "";
    version.dispatchEvent(new Event("change"));

    const entry = $<HTMLSelectElement>("#notes-entry");
    entry.value = entryKey("customer-compliance");
    entry.dispatchEvent(new Event("change"));
    await app.idle();
    expect(commands("notes").at(-1)?.args).toMatchObject({ entry: entryKey("customer-compliance") });
    expect(all("#notes-list li.note").map((li) => li.dataset.noteId)).toEqual(["1", "2"]);
    entry.value = "";
    entry.dispatchEvent(new Event("change"));

    const tag = $<HTMLInputElement>("#notes-tag");
    tag.value = "GDPR";
    tag.dispatchEvent(new Event("change"));
    await app.idle();
    expect(commands("notes").at(-1)?.args).toEqual({
      tag: "gdpr",
      status: null,
      version: null,
      entry: null,
      clause_id: null,
    });
    expect(all("#notes-list li.note").map((li) => li.dataset.noteId)).toEqual(["1"]);

    tag.value = "nothing";
    tag.dispatchEvent(new Event("input"));
    await app.idle();
    expect($("#notes-summary").textContent).toBe("No note matches these filters.");
    expect(all("#notes-list li.note")).toHaveLength(0);
  });

  it("says how to add a note when there are none", async () => {
    api.noteList = [];
    $("#mode-search").click();
    $("#mode-notes").click();
    await app.idle();
    expect($("#notes-summary").textContent).toContain("No notes yet");
  });

  it("opens a note's clause in the reader", async () => {
    $('#notes-list li.note[data-note-id="3"] .note-text').click();
    await app.idle();
    expect($("#search-view").hidden).toBe(false);
    expect($("#notes-view").hidden).toBe(true);
    expect($("#reader .clause.focus").dataset.clauseId).toBe(`${OLD}/backups/2`);
    expect($('#reader .clause.focus li.note[data-note-id="3"]')).not.toBeNull();
  });

  it("opens with Enter, and not from a note's controls", async () => {
    const reads = commands("read").length;
    $('#notes-list li.note[data-note-id="1"] button.note-delete').click();
    expect(commands("read")).toHaveLength(reads);
    $('#notes-list li.note[data-note-id="1"]').dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    await app.idle();
    expect($("#reader .clause.focus").dataset.clauseId).toBe(PRIVACY);
  });

  it("edits, re-statuses and deletes notes in the list", async () => {
    $('#notes-list li.note[data-note-id="3"] button.note-edit').click();
    expect(dialogOpen("note-dialog")).toBe(true);
    $<HTMLTextAreaElement>("#note-text").value = "Backups checked against the 2024 SOC 2 report.";
    $("#note-save").click();
    await app.idle();
    expect(commands("edit_note").at(-1)?.args).toEqual({
      id: 3,
      edit: { text: "Backups checked against the 2024 SOC 2 report.", tags: null, status: null },
    });
    expect($('#notes-list li.note[data-note-id="3"] .note-text').textContent).toBe(
      "Backups checked against the 2024 SOC 2 report.",
    );

    const select = $<HTMLSelectElement>('#notes-list li.note[data-note-id="1"] select.note-status');
    select.value = "reviewed";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await app.idle();
    expect($('#notes-list li.note[data-note-id="1"]').dataset.status).toBe("reviewed");

    $('#notes-list li.note[data-note-id="2"] button.note-delete').click();
    $('#notes-list li.note[data-note-id="2"] button.note-delete-confirm').click();
    await app.idle();
    expect(all("#notes-list li.note").map((li) => li.dataset.noteId)).toEqual(["1", "3"]);
    expect($("#notes-summary").textContent).toBe("2 notes");
  });

  it("shows notes added in the reader", async () => {
    await app.openClause(INTRO);
    $("#reader .clause.focus button.note-add").click();
    await fillAndSave("Intro note");
    $("#mode-notes").click();
    await app.idle();
    expect(all("#notes-list li.note").map((li) => li.dataset.noteId)).toEqual(["1", "2", "3", "4"]);
  });

  it("shows a listing failure in the error banner", async () => {
    api.failNotes = { code: "io", message: "notes.sqlite is locked" };
    const status = $<HTMLSelectElement>("#notes-status");
    status.value = "open";
    status.dispatchEvent(new Event("change"));
    await app.idle();
    expect($("#error").hidden).toBe(false);
    expect($("#error-message").textContent).toContain("notes.sqlite is locked");
    expect(all("#notes-list li.note")).toHaveLength(0);
  });

  it("keeps hostile note text inert", async () => {
    api.noteList = [noteView(9, PRIVACY, EVIL, { tags: [EVIL], change: EVIL, status: "needs_review" })];
    api.noteList[0].id = asNoteId(9);
    $("#mode-search").click();
    $("#mode-notes").click();
    await app.idle();
    expect(document.querySelector("#notes-view img")).toBeNull();
    expect($('#notes-list li.note[data-note-id="9"] .note-text').textContent).toBe(EVIL);
  });

  it("n and p do nothing here; / goes to search", async () => {
    const before = api.calls.length;
    key("n");
    key("p");
    await app.idle();
    expect(api.calls).toHaveLength(before);
    key("/");
    expect($("#search-view").hidden).toBe(false);
    expect(document.activeElement?.id).toBe("query");
  });
});
