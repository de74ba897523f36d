import { beforeEach, describe, expect, it } from "vitest";
import { startApp, type AppHandle } from "./app";
import { renderTermCite, renderTermSheet } from "./keyterms";
import { FakeApi, keyTerm, termSheet, version } from "./testing/fixtures";
import { $, loadPage } from "./testing/page";

const all = (sel: string) => [...document.querySelectorAll<HTMLElement>(sel)];

const NEW = "heroku-spa@2023-05-05";

function host(frag: Node): HTMLDivElement {
  const div = document.createElement("div");
  div.appendChild(frag);
  return div;
}

describe("key terms rendering", () => {
  it("lists a version's terms under each topic's heading, with citations", () => {
    const div = host(renderTermSheet(document, termSheet(version("2023-05-05"))));
    expect(div.querySelector("h2.terms-title")?.textContent).toBe("Key terms2023-05-05");
    expect(div.querySelector(".terms-summary")?.textContent).toBe("2 key terms in 2 topics");
    expect([...div.querySelectorAll("h3")].map((h) => h.textContent)).toEqual([
      "International transfers",
      "Backup and disaster recovery",
    ]);
    const terms = [...div.querySelectorAll<HTMLElement>("li.term")];
    expect(terms.map((t) => t.dataset.clauseId)).toEqual([`${NEW}/privacy/1`, `${NEW}/backups/1`]);
    expect(terms[1].querySelector(".term-text")?.textContent).toBe("the provider backs up data, ‘daily’");
    expect(terms[1].querySelector(".term-place")?.textContent).toBe("§ Backups, pp. 4–5");
    expect(terms[1].querySelector(".term-place")?.getAttribute("title")).toBe("Security › Backups");
  });

  it("says so when a version has no key terms", () => {
    const div = host(renderTermSheet(document, { version: version("2023-05-05"), topics: [] }));
    expect(div.querySelector(".terms-summary")?.textContent).toBe("0 key terms in 0 topics");
    expect(div.querySelector(".terms-empty")?.textContent).toContain("No statement of this version");
  });

  it("cites a term's clause as a labelled button, and marks OCR text", () => {
    const term = keyTerm(`${NEW}/backups/1`, "t", "Backups", [4]);
    term.citation.ocr = 57;
    const cite = renderTermCite(document, term, "Open in the document");
    const button = cite.querySelector<HTMLButtonElement>("button.term-clause");
    expect(button?.type).toBe("button");
    expect(button?.textContent).toBe("backups/1");
    expect(button?.dataset.clauseId).toBe(`${NEW}/backups/1`);
    expect(button?.getAttribute("aria-label")).toBe("Open in the document: clause backups/1");
    expect(cite.querySelector(".ocr-mark")?.getAttribute("aria-label")).toBe("read by OCR (57 % confidence)");
  });
});

describe("reader: key terms of the version shown", () => {
  let api: FakeApi;
  let app: AppHandle;

  beforeEach(async () => {
    loadPage();
    api = new FakeApi();
    app = startApp(document, api);
    await app.ready;
  });

  async function toggle(): Promise<void> {
    $<HTMLButtonElement>("#reader-terms-toggle").click();
    await app.idle();
  }

  it("is a toggle in the reader bar, disabled until a clause is open", async () => {
    const button = $<HTMLButtonElement>("#reader-terms-toggle");
    expect(button.closest(".reader-bar")).not.toBeNull();
    expect(button.textContent).toBe("Key terms");
    expect(button.disabled).toBe(true);
    await app.openClause(`${NEW}/privacy/1`);
    expect(button.disabled).toBe(false);
    expect(api.calls.filter((c) => c.command === "terms")).toHaveLength(0);
  });

  it("lists the version's terms in place of the document, and back", async () => {
    await app.openClause(`${NEW}/privacy/1`);
    await toggle();
    expect(api.calls.filter((c) => c.command === "terms").map((c) => c.args)).toEqual([NEW]);
    expect($("#reader-terms-toggle").getAttribute("aria-pressed")).toBe("true");
    expect($("#reader-terms").hidden).toBe(false);
    expect($("#reader-doc").hidden).toBe(true);
    expect(all("#reader-terms h3").map((h) => h.textContent)).toEqual([
      "International transfers",
      "Backup and disaster recovery",
    ]);
    expect(all("#reader-terms .term-place").map((p) => p.textContent)).toEqual(["§ Privacy, p. 2", "§ Backups, pp. 4–5"]);
    await toggle();
    expect($("#reader-terms").hidden).toBe(true);
    expect($("#reader-doc").hidden).toBe(false);
    // Loaded once per version.
    await toggle();
    expect(api.calls.filter((c) => c.command === "terms")).toHaveLength(1);
  });

  it("a term's clause opens in the document", async () => {
    await app.openClause(`${NEW}/privacy/1`);
    await toggle();
    $<HTMLButtonElement>(`#reader-terms button.term-clause[data-clause-id="${NEW}/backups/1"]`).click();
    await app.idle();
    expect(api.calls.at(-1)).toEqual({ command: "read", args: { clause_id: `${NEW}/backups/1`, query: null } });
    expect($("#reader-terms").hidden).toBe(true);
    expect($("#reader-doc").hidden).toBe(false);
    expect($("#reader .clause.focus").dataset.clauseId).toBe(`${NEW}/backups/1`);
    expect($("#reader-terms-toggle").getAttribute("aria-pressed")).toBe("false");
  });

  it("forgets the version when the corpus changes", async () => {
    await app.openClause(`${NEW}/privacy/1`);
    await toggle();
    await app.changeCorpus("/tmp/other");
    expect($<HTMLButtonElement>("#reader-terms-toggle").disabled).toBe(true);
    expect($("#reader-terms").hidden).toBe(true);
    expect($("#reader-doc").hidden).toBe(true);
    expect($("#reader-empty").hidden).toBe(false);
  });
});
