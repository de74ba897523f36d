import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startApp, type AppHandle } from "./app";
import { FakeApi, noteView } from "./testing/fixtures";
import { $, loadPage } from "./testing/page";

const OLD = "heroku-spa@2016-05-06";
const NEW = "heroku-spa@2023-05-05";
const EVIL = "<img src=x onerror=alert(1)>";

let api: FakeApi;
let app: AppHandle;

const commands = (name: string) => api.calls.filter((c) => c.command === name);
const dialogOpen = () => $<HTMLDialogElement>("#export-dialog").hasAttribute("open");

function setFormat(value: string): void {
  const select = $<HTMLSelectElement>("#export-format");
  select.value = value;
  select.dispatchEvent(new Event("change"));
}

async function save(path: string): Promise<void> {
  const input = $<HTMLInputElement>("#export-path");
  input.value = path;
  input.dispatchEvent(new Event("input"));
  $("#export-save").click();
  await app.idle();
}

async function openNotesExport(): Promise<void> {
  $("#mode-notes").click();
  await app.idle();
  $("#notes-export").click();
  await app.idle();
}

beforeEach(async () => {
  loadPage();
  api = new FakeApi();
  app = startApp(document, api);
  await app.ready;
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("exporting notes", () => {
  it("previews the notes of the current filter, and again when the format changes", async () => {
    const status = $<HTMLSelectElement>("#notes-status");
    $("#mode-notes").click();
    status.value = "flagged";
    status.dispatchEvent(new Event("change"));
    await app.idle();
    $("#notes-export").click();
    await app.idle();

    expect(dialogOpen()).toBe(true);
    expect($("#export-title").textContent).toBe("Export notes");
    expect($("#export-what").textContent).toBe("Notes flagged");
    expect(commands("export_preview").map((c) => c.args)).toEqual([
      {
        selection: {
          kind: "notes",
          filter: { tag: null, status: "flagged", version: null, entry: null, clause_id: null },
        },
        format: "md",
      },
    ]);
    const preview = $("#export-preview");
    expect(preview.tagName).toBe("PRE");
    expect(preview.textContent).toContain("## Note 1 (flagged)");
    expect(preview.textContent).not.toContain("Note 2");
    expect($<HTMLInputElement>("#export-path").placeholder).toBe("/path/to/trustlens-notes.md");
    expect($<HTMLInputElement>("#export-path").value).toBe("");
    expect($("#export-path-row").hidden).toBe(false);
    expect($("#export-save").hidden).toBe(false);

    // Quick changes of format ask for one preview, of the last format.
    setFormat("json");
    setFormat("csv");
    await app.idle();
    expect(commands("export_preview").map((c) => (c.args as { format: string }).format)).toEqual(["md", "csv"]);
    expect(preview.textContent?.split("\n")[0]).toBe("id,status,tags,text,vendor,document,date,section,pages,clause_id,sha256");
    expect($<HTMLInputElement>("#export-path").placeholder).toBe("/path/to/trustlens-notes.csv");
  });

  it("saves to the path typed and shows where", async () => {
    await openNotesExport();
    await save("  /home/ana/notes.md ");
    expect(commands("export_to_file").map((c) => c.args)).toEqual([
      {
        request: {
          selection: {
            kind: "notes",
            filter: { tag: null, status: null, version: null, entry: null, clause_id: null },
          },
          format: "md",
        },
        path: "/home/ana/notes.md",
        force: false,
      },
    ]);
    expect($("#export-done").hidden).toBe(false);
    expect($("#export-done").textContent).toBe("Saved to /home/ana/notes.md");
    expect($("#export-done").dataset.path).toBe("/home/ana/notes.md");
    expect(api.written.get("/home/ana/notes.md")).toContain("# trustlens notes");

    // Changing the format changes the extension typed.
    setFormat("html");
    expect($<HTMLInputElement>("#export-path").value).toBe("/home/ana/notes.html");
    expect($("#export-done").hidden).toBe(true);
    await app.idle();
  });

  it("asks before replacing an existing file, and replaces it when told", async () => {
    await openNotesExport();
    await save("/home/ana/exists.md");
    expect(commands("export_to_file").map((c) => (c.args as { force: boolean }).force)).toEqual([false]);
    expect(dialogOpen()).toBe(true);
    expect($("#export-confirm").hidden).toBe(false);
    expect($("#export-confirm-text").textContent).toBe("/home/ana/exists.md already exists. Replace it?");
    expect($("#export-error").hidden).toBe(true);
    expect($("#export-done").hidden).toBe(true);

    // Cancel keeps the file.
    $("#export-keep").click();
    expect($("#export-confirm").hidden).toBe(true);
    expect(commands("export_to_file")).toHaveLength(1);

    $("#export-save").click();
    await app.idle();
    $("#export-replace").click();
    await app.idle();
    expect(commands("export_to_file").map((c) => (c.args as { force: boolean }).force)).toEqual([false, false, true]);
    expect($("#export-confirm").hidden).toBe(true);
    expect($("#export-done").textContent).toBe("Saved to /home/ana/exists.md");
  });

  it("asks for a path instead of saving nowhere, and shows backend errors", async () => {
    await openNotesExport();
    await save("   ");
    expect(commands("export_to_file")).toHaveLength(0);
    expect($("#export-error").hidden).toBe(false);
    expect($("#export-error").textContent).toContain("Type the path of the file to write");

    api.failExport = { code: "invalid_argument", message: "/nope: no such directory" };
    await save("/nope/notes.md");
    expect($("#export-error").textContent).toBe("Could not save: /nope: no such directory");
    expect($("#export-error").dataset.code).toBe("invalid_argument");
    expect($("#export-done").hidden).toBe(true);
    expect(dialogOpen()).toBe(true);
  });

  it("shows an HTML export as text, never as markup", async () => {
    api.noteList = [noteView(1, `${NEW}/privacy/1`, EVIL)];
    await openNotesExport();
    setFormat("html");
    await app.idle();
    expect($("#export-preview").textContent).toContain(`<p>${EVIL}</p>`);
    expect(document.querySelector("#export-dialog img")).toBeNull();
    expect($("#export-preview").children).toHaveLength(0);
  });

  it("shows a preview failure in the dialog", async () => {
    api.failExport = { code: "io", message: "store unreadable" };
    await openNotesExport();
    expect($("#export-error").textContent).toBe("Could not render the preview: store unreadable");
    expect($("#export-preview").textContent).toBe("");
  });

  it("blocks the global keys while open, and closes", async () => {
    await openNotesExport();
    $("#export-close").focus();
    document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "/", bubbles: true }));
    expect($("#notes-view").hidden).toBe(false);
    $("#export-close").click();
    expect(dialogOpen()).toBe(false);
  });
});

describe("exporting search results", () => {
  it("exports the search on screen", async () => {
    expect($("#export-results").hidden).toBe(true);
    $<HTMLInputElement>("#query").value = "privacy";
    $<HTMLFormElement>("#search-form").requestSubmit();
    await app.idle();
    expect($("#export-results").hidden).toBe(false);
    // Typing another query does not change what is exported until it is searched.
    $<HTMLInputElement>("#query").value = "encryption";
    $("#export-results").click();
    await app.idle();
    expect($("#export-title").textContent).toBe("Export search results");
    expect($("#export-what").textContent).toBe("Clauses matching “privacy”");
    expect(commands("export_preview")[0].args).toEqual({
      selection: {
        kind: "search",
        request: {
          query: "privacy",
          version: null,
          section: null,
          limit: 200,
          entry: null,
          as_of: null,
          by_lineage: false,
        },
      },
      format: "md",
    });
    expect($("#export-preview").textContent).toContain("# Search: privacy");
    await save("/tmp/search.md");
    expect((commands("export_to_file")[0].args as { request: unknown }).request).toEqual(commands("export_preview")[0].args);
  });

  it("hides the button when no results are shown", async () => {
    api.failSearch = { code: "bad_query", message: "unbalanced quote" };
    $<HTMLInputElement>("#query").value = '"privacy';
    $<HTMLFormElement>("#search-form").requestSubmit();
    await app.idle();
    expect($("#export-results").hidden).toBe(true);
  });
});

describe("exporting a comparison", () => {
  async function compare(): Promise<void> {
    $("#mode-compare").click();
    $<HTMLFormElement>("#compare-form").requestSubmit();
    await app.idle();
  }

  it("exports the changes of the comparison shown", async () => {
    $("#mode-compare").click();
    expect($<HTMLButtonElement>("#export-changes").disabled).toBe(true);
    expect($<HTMLButtonElement>("#memo-button").disabled).toBe(true);
    await compare();
    expect($<HTMLButtonElement>("#export-changes").disabled).toBe(false);
    $("#export-changes").click();
    await app.idle();
    expect($("#export-title").textContent).toBe("Export changes");
    expect($("#export-what").textContent).toBe(
      "The change cards of Heroku — Security, Privacy and Architecture: 2016-05-06 → 2023-05-05",
    );
    expect(commands("export_preview")[0].args).toEqual({
      selection: { kind: "changes", old: OLD, new: NEW },
      format: "md",
    });
    expect($("#export-preview").textContent).toContain("EU-US Safe Harbor replaced by EU-US Privacy Shield");
    expect($<HTMLInputElement>("#export-path").placeholder).toBe("/path/to/trustlens-changes.md");
  });

  it("previews the memo in Markdown or HTML and copies it", async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    await compare();
    setFormat("csv");
    await app.idle();
    $("#memo-button").click();
    await app.idle();
    expect($("#export-title").textContent).toBe("Change memo");
    // The memo comes only as Markdown or HTML, and is copied rather than saved.
    expect($<HTMLSelectElement>("#export-format").value).toBe("md");
    const disabled = [...$<HTMLSelectElement>("#export-format").options].filter((o) => o.disabled).map((o) => o.value);
    expect(disabled).toEqual(["csv", "json"]);
    expect($("#export-path-row").hidden).toBe(true);
    expect($("#export-save").hidden).toBe(true);
    expect(commands("memo").map((c) => c.args)).toEqual([{ request: { old: OLD, new: NEW }, format: "md" }]);
    expect($("#export-preview").textContent).toContain(
      "# Change memo: Heroku — Security, Privacy and Architecture, 2016-05-06 → 2023-05-05",
    );

    setFormat("html");
    await app.idle();
    expect(commands("memo").at(-1)?.args).toEqual({ request: { old: OLD, new: NEW }, format: "html" });
    expect($("#export-preview").textContent).toContain("<h1>Change memo");

    $("#export-copy").click();
    await app.idle();
    expect(writeText).toHaveBeenCalledWith($("#export-preview").textContent);
    expect($("#export-done").textContent).toBe("Copied to the clipboard.");
    expect(commands("export_to_file")).toHaveLength(0);

    // Enter in the dialog does not try to save a memo.
    $<HTMLFormElement>("#export-form").requestSubmit();
    await app.idle();
    expect(commands("export_to_file")).toHaveLength(0);

    // The other exports offer every format again.
    $("#export-close").click();
    $("#export-changes").click();
    await app.idle();
    expect([...$<HTMLSelectElement>("#export-format").options].some((o) => o.disabled)).toBe(false);
    expect($("#export-save").hidden).toBe(false);
  });

  it("says so when the clipboard is unavailable", async () => {
    vi.stubGlobal("navigator", { ...navigator, clipboard: undefined });
    await compare();
    $("#memo-button").click();
    await app.idle();
    $("#export-copy").click();
    await app.idle();
    expect($("#export-error").textContent).toContain("Copying is not available here");
  });
});
