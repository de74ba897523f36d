import { describe, expect, it } from "vitest";
import {
  renderBlocks,
  renderEntryChips,
  renderHit,
  renderLinkAdd,
  renderLinkChip,
  renderParts,
  renderReaderTitle,
  renderSummary,
} from "./render";
import { ENTRIES, entryKey, hit, readerFor, version } from "./testing/fixtures";
import type { SearchResults } from "./bindings/SearchResults";

function host(frag: Node): HTMLDivElement {
  const div = document.createElement("div");
  div.appendChild(frag);
  return div;
}

describe("renderParts", () => {
  it("wraps hit parts in <mark> and keeps the rest as text", () => {
    const div = host(
      renderParts(document, [
        { text: "We use ", hit: false },
        { text: "encryption", hit: true },
        { text: " at ", hit: false },
        { text: "rest", hit: true },
      ]),
    );
    expect(div.textContent).toBe("We use encryption at rest");
    expect([...div.querySelectorAll("mark")].map((m) => m.textContent)).toEqual(["encryption", "rest"]);
    expect(div.childNodes).toHaveLength(4);
  });

  it("renders markup in document text as literal text", () => {
    const evil = "<img src=x onerror=alert(1)>";
    const div = host(
      renderParts(document, [
        { text: evil, hit: false },
        { text: "<script>alert(2)</script>", hit: true },
      ]),
    );
    expect(div.querySelector("img")).toBeNull();
    expect(div.querySelector("script")).toBeNull();
    expect(div.textContent).toBe(evil + "<script>alert(2)</script>");
    expect(div.querySelector("mark")?.textContent).toBe("<script>alert(2)</script>");
    // Serialised, the markup is escaped, i.e. it is text, not elements.
    expect(div.innerHTML).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("drops empty parts", () => {
    const div = host(renderParts(document, [{ text: "", hit: true }, { text: "a", hit: false }]));
    expect(div.querySelector("mark")).toBeNull();
    expect(div.textContent).toBe("a");
  });
});

describe("renderHit", () => {
  it("shows the version date, section path, pages and marked snippet", () => {
    const li = renderHit(document, hit("2023-05-05", "privacy", 1, { pages: [3, 4] }), 7);
    expect(li.classList.contains("hit")).toBe(true);
    expect(li.dataset.index).toBe("7");
    expect(li.tabIndex).toBe(0);
    expect(li.querySelector(".version-badge")?.textContent).toBe("2023-05-05");
    expect(li.querySelector<HTMLElement>(".version-badge")?.title).toBe("heroku-spa@2023-05-05");
    expect(li.querySelector(".hit-section")?.textContent).toBe("Security › privacy");
    expect(li.querySelector(".hit-pages")?.textContent).toBe("pp. 3–4");
    expect(li.querySelector(".hit-snippet mark")?.textContent).toBe("Privacy Shield");
  });

  it("falls back to the clause text when the snippet is empty and escapes it", () => {
    const li = renderHit(document, hit("2016-05-06", "x", 1, { snippet: [], text: "<b>bold</b>", pages: [] }), 0);
    expect(li.querySelector(".hit-snippet")?.textContent).toBe("<b>bold</b>");
    expect(li.querySelector("b")).toBeNull();
    expect(li.querySelector(".hit-pages")).toBeNull();
  });
});

describe("matrix chips", () => {
  const areas = new Map(ENTRIES.map((e) => [e.key, e.area]));

  it("shows a hit's entries by area, with the key in data-entry", () => {
    const entries = [entryKey("physical-security"), "m/gone"];
    const li = renderHit(document, hit("2023-05-05", "x", 1, { entries }), 0, areas);
    const chips = [...li.querySelectorAll<HTMLElement>(".hit-entries .entry-chip")];
    expect(chips.map((c) => c.textContent)).toEqual(["Physical security", "gone"]);
    expect(chips.map((c) => c.dataset.entry)).toEqual([entryKey("physical-security"), "m/gone"]);
    expect(renderHit(document, hit("2023-05-05", "x", 1), 0, areas).querySelector(".hit-entries")).toBeNull();
    expect(renderEntryChips(document, []).children).toHaveLength(0);
  });

  it("renders a link chip with its source, tooltip and unlink button", () => {
    const chip = renderLinkChip(
      document,
      {
        clause_id: "a@1/b/1",
        entry: entryKey("backup-replication"),
        source: "auto",
        reason: "rule 2 matched “restore”",
        confidence: 0.55,
      },
      areas,
    );
    expect(chip.className).toBe("link-chip auto");
    expect(chip.dataset.entry).toBe(entryKey("backup-replication"));
    expect(chip.title).toBe("rule 2 matched “restore” (confidence 0.55)");
    expect(chip.querySelector(".link-chip-label")?.textContent).toBe("Backup and replication");
    const button = chip.querySelector("button.link-remove");
    expect(button?.textContent).toBe("×");
    expect(button?.getAttribute("type")).toBe("button");
    expect(button?.getAttribute("aria-label")).toBe("Unlink Backup and replication");
  });

  it("renders the link select with a prompt and every entry", () => {
    const select = renderLinkAdd(document, ENTRIES);
    expect(select.className).toBe("link-add");
    expect(select.value).toBe("");
    expect(select.options[0].textContent).toBe("Link to a matrix entry…");
    expect(select.options).toHaveLength(ENTRIES.length + 1);
    expect(select.options[1].value).toBe(entryKey("physical-security"));
  });

  it("gives every reader clause a links row", () => {
    const view = readerFor("heroku-spa@2016-05-06/privacy/2", "2016-05-06");
    const div = host(renderBlocks(document, view.blocks, view.version.id, areas));
    expect(div.querySelectorAll(".clause .clause-links")).toHaveLength(3);
    const intro = div.querySelector<HTMLElement>('.clause[data-clause-id="heroku-spa@2016-05-06/intro/1"]');
    expect(intro?.querySelector(".link-chip")?.textContent).toContain("Physical security");
  });
});

describe("renderSummary", () => {
  /** The summary of results with no hits and these counts. */
  function summary(
    results: Pick<SearchResults, "total" | "facets" | "facets_omitted"> & { counted?: boolean; total_exact?: boolean },
    active: string | null = null,
    labels = new Map<string, string>(),
  ): HTMLDivElement {
    return host(
      renderSummary(
        document,
        { query: "q", hits: [], entry_facets: [], counted: true, total_exact: true, ...results },
        active,
        labels,
      ),
    );
  }

  it("says the counts per version are coming while they are worked out", () => {
    const pending = summary({ total: 3, facets: [], counted: false });
    expect(pending.querySelector(".facets-pending")?.textContent).toBe("counting per version…");
    expect(summary({ total: 3, facets: [] }).querySelector(".facets-pending")).toBeNull();
    expect(summary({ total: 0, facets: [], counted: false }).querySelector(".facets-pending")).toBeNull();
  });

  it("says the number of matches is a lower bound until it is counted", () => {
    const pending = summary({ total: 200, facets: [], counted: false, total_exact: false });
    expect(pending.querySelector(".summary-count")?.textContent).toBe("at least 200 hits");
    expect(pending.querySelector(".facets-pending")?.textContent).toBe("counting per version…");
    expect(summary({ total: 1, facets: [], total_exact: false }).querySelector(".summary-count")?.textContent).toBe(
      "at least 1 hit",
    );
  });

  it("shows the total and one facet button per version, marking the active one", () => {
    const div = summary(
      {
        total: 5,
        facets: [
          { version: "a@2016-05-06", date: "2016-05-06", count: 2 },
          { version: "a@2023-05-05", date: "2023-05-05", count: 3 },
        ],
      },
      "a@2023-05-05",
      new Map([["a@2023-05-05", "A — Doc (2023-05-05)"]]),
    );
    expect(div.querySelector(".summary-count")?.textContent).toBe("5 hits (showing 0)");
    const buttons = [...div.querySelectorAll<HTMLButtonElement>("button.facet")];
    expect(buttons.map((b) => b.textContent)).toEqual(["2016-05-06 (2)", "2023-05-05 (3)"]);
    expect(buttons.map((b) => b.dataset.version)).toEqual(["a@2016-05-06", "a@2023-05-05"]);
    expect(buttons[1].classList.contains("active")).toBe(true);
    expect(buttons[0].classList.contains("active")).toBe(false);
    expect(div.querySelector(".facets-omitted")).toBeNull();
  });

  it("says how many versions the capped list left out", () => {
    const div = summary({
      total: 9,
      facets: [{ version: "a@2016-05-06", date: "2016-05-06", count: 2 }],
      facets_omitted: 412,
    });
    expect(div.querySelectorAll("button.facet").length).toBe(1);
    expect(div.querySelector(".facets-omitted")?.textContent).toBe("+412 more versions");
  });
});

describe("reader", () => {
  it("renders the title with the date and the version id as tooltip", () => {
    const div = host(renderReaderTitle(document, version("2023-05-05")));
    expect(div.textContent).toContain("Heroku — Security, Privacy and Architecture");
    const time = div.querySelector("time");
    expect(time?.textContent).toBe("2023-05-05");
    expect(time?.title).toBe("heroku-spa@2023-05-05");
  });

  it("renders headings by level and clauses with focus, marks, captions and footnotes", () => {
    const id = "heroku-spa@2023-05-05/privacy/2";
    const view = readerFor(id, "2023-05-05");
    const div = host(renderBlocks(document, view.blocks, view.version.id));
    expect(div.querySelector("h2")?.textContent).toBe("Security");
    expect(div.querySelector("h3")?.textContent).toBe("Privacy");
    const clauses = div.querySelectorAll<HTMLElement>("div.clause");
    expect(clauses).toHaveLength(3);
    const focus = div.querySelector<HTMLElement>(".clause.focus");
    expect(focus?.dataset.clauseId).toBe(id);
    expect(focus?.querySelector("mark")?.textContent).toBe("Privacy Shield");
    expect(focus?.querySelector(".clause-id")?.textContent).toBe("privacy/2");
    expect(focus?.querySelector(".clause-pages")?.textContent).toBe("pp. 3–4");
    expect(div.querySelectorAll(".clause.footnote")).toHaveLength(1);
  });
});
