import { beforeEach, describe, expect, it } from "vitest";
import { startApp, type AppHandle } from "./app";
import { FakeApi } from "./testing/fixtures";
import { $, loadPage } from "./testing/page";

let api: FakeApi;
let app: AppHandle;

const commands = (name: string) => api.calls.filter((c) => c.command === name);
const dialogOpen = () => $<HTMLDialogElement>("#import-dialog").hasAttribute("open");
const rows = () => [...document.querySelectorAll("#import-plan-rows tr")].map((tr) => tr.textContent ?? "");

function type(sel: string, value: string): void {
  const input = $<HTMLInputElement | HTMLTextAreaElement>(sel);
  input.value = value;
  input.dispatchEvent(new Event("input"));
}

beforeEach(async () => {
  loadPage();
  api = new FakeApi();
  app = startApp(document, api);
  await app.ready;
});

describe("the import dialog", () => {
  it("opens from the header and previews what was detected, writing nothing", async () => {
    $("#import-button").click();
    expect(dialogOpen()).toBe(true);
    type("#import-paths", "/docs/acme-2024-01-05.md\n/docs/acme-notes.md\n");
    $("#import-preview").click();
    await app.idle();
    expect(commands("import_plan")).toHaveLength(1);
    expect(commands("import_run")).toHaveLength(0);
    const shown = rows();
    expect(shown[0]).toContain("2024-01-05");
    expect(shown[0]).toContain("file name");
    expect(shown[0]).toContain("acme-2024-01-05.md");
    expect(shown[1]).toContain("will be skipped");
    // The document's title is suggested from the file.
    expect($<HTMLInputElement>("#import-document").value).toBe("Security Overview");
    expect($("#import-done").textContent).toContain("1 of 2 ready");
  });

  it("asks for vendor and document before importing", async () => {
    $("#import-button").click();
    type("#import-paths", "/docs/acme-2024-01-05.md");
    $("#import-run").click();
    await app.idle();
    expect(commands("import_run")).toHaveLength(0);
    expect($("#import-error").textContent).toContain("vendor");
  });

  it("imports with progress, reports each file and reloads the versions", async () => {
    $("#import-button").click();
    type("#import-paths", "/docs/acme-2024-01-05.md\n/docs/acme-2024-02-01.md");
    type("#import-vendor", "Acme");
    type("#import-document", "Security Overview");
    const versionsBefore = commands("versions").length;
    $("#import-run").click();
    await app.idle();
    const run = commands("import_run")[0].args as { paths: string[]; vendor: string; document: string };
    expect(run).toMatchObject({ vendor: "Acme", document: "Security Overview" });
    expect(run.paths).toEqual(["/docs/acme-2024-01-05.md", "/docs/acme-2024-02-01.md"]);
    expect(rows().join("\n")).toContain("added: acme@2024-02-01 (12 clauses)");
    expect($("#import-done").textContent).toContain("2 added");
    expect($<HTMLProgressElement>("#import-progress").value).toBe(2);
    expect(commands("versions").length).toBeGreaterThan(versionsBefore);
    const options = [...$<HTMLSelectElement>("#compare-old").options].map((o) => o.value);
    expect(options).toContain("acme@2024-02-01");
  });

  it("stops between versions when asked, and says what was kept", async () => {
    let release: () => void = () => {};
    api.importGate = new Promise((r) => (release = r));
    $("#import-button").click();
    type("#import-paths", "/docs/acme-2024-01-05.md\n/docs/acme-2024-02-01.md\n/docs/acme-2024-03-01.md");
    type("#import-vendor", "Acme");
    type("#import-document", "Overview");
    $("#import-run").click();
    await Promise.resolve();
    const stop = $<HTMLButtonElement>("#import-cancel");
    expect(stop.hidden).toBe(false);
    expect($<HTMLButtonElement>("#import-close").disabled).toBe(true);
    stop.click();
    release();
    await app.idle();
    expect(commands("import_cancel")).toHaveLength(1);
    expect($("#import-done").textContent).toContain("Stopped: 1 added");
    expect(stop.hidden).toBe(true);
    expect($<HTMLButtonElement>("#import-close").disabled).toBe(false);
  });

  it("shows the backend's error and keeps the dialog usable", async () => {
    api.failImport = { code: "invalid_argument", message: "/nope: No such file or directory" };
    $("#import-button").click();
    type("#import-paths", "/nope");
    $("#import-preview").click();
    await app.idle();
    expect($("#import-error").textContent).toContain("/nope");
    expect($("#import-error").dataset.code).toBe("invalid_argument");
    expect($<HTMLButtonElement>("#import-preview").disabled).toBe(false);
  });

  it("fills in files chosen with the system dialog and previews them", async () => {
    api.picked = ["/docs/acme-2024-01-05.pdf"];
    $("#import-button").click();
    $("#import-pick-files").click();
    await app.idle();
    expect($<HTMLTextAreaElement>("#import-paths").value).toBe("/docs/acme-2024-01-05.pdf");
    expect(commands("pick_paths")[0].args).toBe(false);
    expect(rows()[0]).toContain("pdf");
  });

  it("opens with the files dropped on the window", async () => {
    api.dropFiles(["/downloads/acme-2024-06-30.pdf", "/downloads/acme-2023-06-30.pdf"]);
    await app.idle();
    expect(dialogOpen()).toBe(true);
    expect($<HTMLTextAreaElement>("#import-paths").value.split("\n")).toHaveLength(2);
    expect(commands("import_plan")).toHaveLength(1);
    expect(document.body.classList.contains("drop-target")).toBe(false);
  });

  it("shows file names as text, never as markup", async () => {
    $("#import-button").click();
    type("#import-paths", "/docs/<img src=x onerror=alert(1)>-2024-01-05.md");
    $("#import-preview").click();
    await app.idle();
    expect(document.querySelector("#import-plan-rows img")).toBeNull();
    expect(rows()[0]).toContain("<img src=x onerror=alert(1)>-2024-01-05.md");
  });
});
