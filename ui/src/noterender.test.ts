import { describe, expect, it } from "vitest";
import { renderClauseNotes, renderHistory, renderNote, renderNoteBadge } from "./noterender";
import { entryKey, lineageFor, noteView, quoteOf, sampleNotes } from "./testing/fixtures";

const NEW_PRIVACY = "heroku-spa@2023-05-05/privacy/1";
const EVIL = "<img src=x onerror=alert(1)>";

describe("renderNote", () => {
  it("shows status, tags, author, date, quote and text, with data attributes", () => {
    const li = renderNote(document, sampleNotes()[0]);
    expect(li.dataset.noteId).toBe("1");
    expect(li.dataset.status).toBe("flagged");
    expect(li.dataset.clauseId).toBe(NEW_PRIVACY);
    expect(li.classList.contains("status-flagged")).toBe(true);
    expect(li.querySelector(".note-quote")?.textContent).toBe("“Privacy Shield”");
    expect(li.querySelector(".note-text")?.textContent).toBe(
      "Privacy Shield was invalidated in July 2020 (Schrems II).\nAsk what replaced it.",
    );
    expect([...li.querySelectorAll(".note-tag")].map((t) => t.textContent)).toEqual(["gdpr", "transfers"]);
    expect(li.querySelector<HTMLSelectElement>("select.note-status")?.value).toBe("flagged");
    expect(li.querySelector(".note-author")?.textContent).toBe("ana");
    expect(li.querySelector("time.note-date")?.textContent).toBe("2024-02-01 09:30");
    expect(li.querySelector("time.note-date")?.getAttribute("datetime")).toBe("2024-02-01T09:30:00Z");
    expect(li.querySelector("button.note-edit")).not.toBeNull();
    expect(li.querySelector("button.note-delete")).not.toBeNull();
    // The reader shows the clause itself: no citation line.
    expect(li.querySelector(".note-citation")).toBeNull();
    expect(li.querySelector(".note-change")).toBeNull();
  });

  it("shows what changed prominently on a note that needs review", () => {
    const li = renderNote(document, sampleNotes()[1]);
    const change = li.querySelector(".note-change");
    expect(change?.classList.contains("needs-review")).toBe(true);
    expect(change?.textContent).toBe("Needs review: modified: “Safe Harbor” became “Privacy Shield”");
    // Markdown is shown as typed.
    expect(li.querySelector(".note-text")?.textContent).toBe("Our DPA still cites **Safe Harbor**.");
    expect(li.querySelector("strong.note-change-label")).not.toBeNull();
    expect(li.querySelectorAll("strong")).toHaveLength(1);
  });

  it("adds the citation line and entry chips for the Notes tab", () => {
    const note = noteView(5, "heroku-spa@2023-05-05/backups/1", "x");
    const li = renderNote(document, note, {
      citation: true,
      areas: new Map([[entryKey("backup-replication"), "Backup and replication"]]),
    });
    expect(li.querySelector(".note-citation")?.textContent).toBe(
      "Heroku, “Security, Privacy and Architecture” (2023-05-05), Security › Backups, heroku-spa@2023-05-05/backups/1",
    );
    expect([...li.querySelectorAll(".entry-chip")].map((c) => c.textContent)).toEqual([
      "Backup and replication",
      "encryption-at-rest",
    ]);
    const orphan = renderNote(document, { ...note, citation: null }, { citation: true });
    expect(orphan.querySelector(".note-citation")?.classList.contains("missing")).toBe(true);
    expect(orphan.querySelector(".note-citation")?.textContent).toBe("heroku-spa@2023-05-05/backups/1");
  });

  it("marks a quote that is no longer in the clause", () => {
    const quote = { ...quoteOf(NEW_PRIVACY, "Privacy Shield")!, start: null, end: null };
    const li = renderNote(document, noteView(6, NEW_PRIVACY, "x", { quote }));
    expect(li.querySelector(".note-quote")?.classList.contains("lost")).toBe(true);
  });

  it("keeps hostile note text, tags, quotes and changes as text", () => {
    const li = renderNote(
      document,
      noteView(7, NEW_PRIVACY, EVIL, {
        tags: [EVIL],
        author: EVIL,
        change: EVIL,
        status: "needs_review",
        quote: { exact: EVIL, prefix: "", suffix: "", start: 0, end: 5 },
      }),
      { citation: true },
    );
    expect(li.querySelector("img")).toBeNull();
    expect(li.querySelector(".note-text")?.textContent).toBe(EVIL);
    expect(li.querySelector(".note-tag")?.textContent).toBe(EVIL);
    expect(li.querySelector(".note-author")?.textContent).toBe(EVIL);
    expect(li.querySelector(".note-quote")?.textContent).toBe(`“${EVIL}”`);
    expect(li.querySelector(".note-change")?.textContent).toContain(EVIL);
  });
});

describe("renderClauseNotes and renderNoteBadge", () => {
  it("list a clause's notes under a count", () => {
    const section = renderClauseNotes(document, sampleNotes().slice(0, 2));
    expect(section.querySelector(".clause-notes-title")?.textContent).toBe("2 notes");
    expect(section.querySelectorAll("ul.note-list > li.note")).toHaveLength(2);
    const badge = renderNoteBadge(document, 1);
    expect(badge.textContent).toBe("1 note");
    expect(badge.dataset.count).toBe("1");
    expect(badge.type).toBe("button");
  });
});

describe("renderHistory", () => {
  it("shows each version with its date, what happened and the cards' summaries", () => {
    const ol = renderHistory(document, lineageFor(NEW_PRIVACY), NEW_PRIVACY);
    const steps = [...ol.querySelectorAll<HTMLLIElement>("li.history-step")];
    expect(steps.map((s) => s.dataset.version)).toEqual(["heroku-spa@2016-05-06", "heroku-spa@2023-05-05"]);
    expect(steps.map((s) => s.querySelector(".history-date")?.textContent)).toEqual(["2016-05-06", "2023-05-05"]);
    expect(steps.map((s) => s.querySelector(".history-status")?.textContent)).toEqual(["First appears", "Modified"]);
    expect(steps[1].querySelector(".history-cards")?.textContent).toBe(
      "EU-US Safe Harbor replaced by EU-US Privacy Shield",
    );
    // The shown version is marked; the other can be opened.
    expect(steps[1].classList.contains("current")).toBe(true);
    expect(steps[1].getAttribute("aria-current")).toBe("true");
    expect(steps[1].classList.contains("has-clause")).toBe(false);
    expect(steps[0].classList.contains("has-clause")).toBe(true);
    expect(steps[0].dataset.clauseId).toBe("heroku-spa@2016-05-06/privacy/1");
    expect(steps[0].tabIndex).toBe(0);
  });

  it("says when the clause disappeared", () => {
    const ol = renderHistory(document, lineageFor("heroku-spa@2016-05-06/legal/3"), "heroku-spa@2016-05-06/legal/3");
    const gone = ol.querySelector<HTMLLIElement>('li.history-step[data-status="removed"]');
    expect(gone?.classList.contains("gone")).toBe(true);
    expect(gone?.dataset.clauseId).toBeUndefined();
    expect(gone?.querySelector(".history-status")?.textContent).toBe("Disappeared in 2023-05-05");
  });

  it("keeps hostile card summaries as text", () => {
    const lineage = lineageFor(NEW_PRIVACY);
    lineage.steps[1].cards = [{ ...lineage.steps[1].cards[0], summary: EVIL }];
    const ol = renderHistory(document, lineage, NEW_PRIVACY);
    expect(ol.querySelector("img")).toBeNull();
    expect(ol.querySelector(".history-card")?.textContent).toBe(EVIL);
  });
});
