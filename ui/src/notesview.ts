// Notes in the reader and in the Notes tab, and the clause history of the
// reader's focused clause.
//
// In the reader every clause gets an "Add note" action and, when it has notes,
// a count; selecting words of a clause's text offers "Add note on selection";
// the focused clause lists its notes and has a History toggle. The Notes tab
// lists the notes matching its filters. Notes are edited through the note
// dialog; status changes and deletions happen in place (deletion asks first,
// in the page: the desktop webview's window.confirm is unreliable).
//
// Rendering goes through createElement/textContent only (note text, tags and
// document text are untrusted).
import { toApiError, type Api } from "./api";
import type { ApiError } from "./bindings/ApiError";
import type { Entry } from "./bindings/Entry";
import type { Lineage } from "./bindings/Lineage";
import type { NoteFilter } from "./bindings/NoteFilter";
import type { NoteView } from "./bindings/NoteView";
import type { VersionInfo } from "./bindings/VersionInfo";
import { byIdIn } from "./dialogs";
import type { ExportTarget } from "./exportdialog";
import { Debouncer } from "./exporting";
import { versionLabel } from "./format";
import { startNoteDialog, type NoteDialogHandle } from "./notedialog";
import {
  countByClause,
  describeNoteFilter,
  isNoteStatus,
  NoteCache,
  noteCount,
  noteFilter,
  noteId,
  quoteLabel,
  selectionQuote,
} from "./notes";
import {
  renderClauseNotes,
  renderDeleteConfirm,
  renderHistory,
  renderNote,
  renderNoteActions,
  renderNoteBadge,
} from "./noterender";
import { el } from "./render";

export interface NotesContext {
  doc: Document;
  api: Api;
  showError(error: ApiError, context?: string): void;
  clearError(): void;
  /** Registers background work so the app can tell when it is idle. */
  track<T>(p: Promise<T>): Promise<T>;
  /** Open a clause in the reader. */
  openClause(clauseId: string): void;
  /** Open the export dialog. */
  openExport(target: ExportTarget): void;
}

export interface NotesHandle {
  /** Start loading a version's notes (the reader is about to show it). */
  prefetch(version: string): void;
  /** The reader shows a version with `focus` in focus: decorate its clauses. */
  readerShown(version: string, focus: HTMLElement | null): Promise<void>;
  /** Fill the Notes tab's version filter. */
  setVersions(versions: readonly VersionInfo[]): void;
  /** Fill the Notes tab's matrix entry filter (and name entries on notes). */
  setEntries(entries: readonly Entry[]): void;
  /** The Notes tab is shown: list the notes matching its filters. */
  showPanel(): Promise<void>;
  /** The Notes tab is hidden. */
  hidePanel(): void;
  /** The current filter of the Notes tab. */
  filter(): NoteFilter;
  /** Forget everything loaded (the corpus changed). */
  reset(): void;
  readonly dialog: NoteDialogHandle;
}

const NO_FILTER: NoteFilter = { tag: null, status: null, version: null, entry: null, clause_id: null };
const PANEL_EMPTY = "No notes yet. Select words of a clause in the reader, or use “Add note” on a clause.";

export function startNotes(ctx: NotesContext): NotesHandle {
  const { doc, api } = ctx;
  const byId = byIdIn(doc);
  const readerDoc = byId<HTMLElement>("reader-doc");
  const tagInput = byId<HTMLInputElement>("notes-tag");
  const tagList = byId<HTMLDataListElement>("notes-tags");
  const statusSelect = byId<HTMLSelectElement>("notes-status");
  const versionSelect = byId<HTMLSelectElement>("notes-version");
  const entrySelect = byId<HTMLSelectElement>("notes-entry");
  const exportButton = byId<HTMLButtonElement>("notes-export");
  const summary = byId<HTMLDivElement>("notes-summary");
  const list = byId<HTMLUListElement>("notes-list");
  const filterForm = byId<HTMLFormElement>("notes-filter");

  const cache = new NoteCache();
  const loading = new Map<string, Promise<void>>();
  // Every note on screen by number (the reader's and the Notes tab's).
  const known = new Map<number, NoteView>();
  const tagsSeen = new Set<string>();
  const lineages = new Map<string, Lineage>();
  let generation = 0;

  // The reader: the version shown, its focused clause, and whether the history is open.
  let readerVersion: string | null = null;
  let focus: HTMLElement | null = null;
  let renderSeq = 0;
  let historyOpen = false;
  let historySeq = 0;
  // The words selected in a clause's text, offered as a quote.
  let selection: { clauseId: string; quote: string } | null = null;

  // The Notes tab.
  let panelVisible = false;
  let panelSeq = 0;
  let versionLabels = new Map<string, string>();
  let areas = new Map<string, string>();

  const dialog = startNoteDialog({
    doc,
    api,
    track: ctx.track,
    saved: (note, added) => noteSaved(note, added),
  });

  function remember(notes: Iterable<NoteView>): void {
    for (const n of notes) {
      known.set(noteId(n), n);
      for (const t of n.tags) tagsSeen.add(t);
    }
    const tags = [...tagsSeen].sort();
    if (tagList.options.length !== tags.length) {
      tagList.replaceChildren(
        ...tags.map((t) => {
          const option = el(doc, "option");
          option.value = t;
          return option;
        }),
      );
    }
  }

  // ---- loading a version's notes ------------------------------------------------

  function load(version: string): Promise<void> {
    if (cache.has(version)) return Promise.resolve();
    const pending = loading.get(version);
    if (pending) return pending;
    const mine = generation;
    const p = api
      .notes({ ...NO_FILTER, version })
      .then(
        (notes) => {
          if (mine !== generation) return;
          cache.set(version, notes);
          remember(notes);
        },
        (e) => {
          if (mine !== generation) return;
          ctx.showError(toApiError(e), "Could not load the notes");
        },
      )
      .finally(() => {
        if (loading.get(version) === p) loading.delete(version);
      });
    loading.set(version, p);
    return p;
  }

  // ---- the reader ---------------------------------------------------------------

  function clauses(): HTMLElement[] {
    return [...readerDoc.querySelectorAll<HTMLElement>(".clause")];
  }

  function actionsOf(clause: HTMLElement): HTMLElement | null {
    return clause.querySelector<HTMLElement>(":scope > .clause-caption > .clause-actions");
  }

  /** Add the note actions to every clause and the history toggle to the focused one. */
  function decorate(): void {
    for (const clause of clauses()) {
      const caption = clause.querySelector<HTMLElement>(":scope > .clause-caption");
      if (!caption || actionsOf(clause)) continue;
      const actions = el(doc, "span", "clause-actions");
      const add = el(doc, "button", "note-add", "Add note");
      add.type = "button";
      add.title = "Add a note on this clause (select words of it to quote them)";
      actions.appendChild(add);
      if (clause === focus) {
        const history = el(doc, "button", "history-toggle", "History");
        history.type = "button";
        history.title = "Show this clause in every version of the document";
        history.setAttribute("aria-expanded", "false");
        actions.appendChild(history);
      }
      caption.appendChild(actions);
    }
  }

  /** Which note control has the keyboard focus, to give it back after a re-render. */
  function focusedControl(container: Element): { id: string; selector: string } | null {
    const active = doc.activeElement;
    if (!active || !container.contains(active)) return null;
    const li = active.closest<HTMLElement>("li.note");
    const id = li?.dataset.noteId;
    if (!id) return null;
    for (const selector of ["select.note-status", "button.note-edit", "button.note-delete"]) {
      if (active.matches(selector)) return { id, selector };
    }
    return { id, selector: "button.note-edit" };
  }

  function restoreFocus(container: Element, was: { id: string; selector: string } | null): void {
    if (!was || container.contains(doc.activeElement)) return;
    const li = container.querySelector<HTMLElement>(`li.note[data-note-id="${was.id}"]`);
    li?.querySelector<HTMLElement>(was.selector)?.focus();
  }

  /** Show the count of notes on every clause, and the focused clause's notes. */
  function updateNotes(): void {
    if (readerVersion === null) return;
    const notes = cache.get(readerVersion) ?? [];
    const counts = countByClause(notes);
    for (const clause of clauses()) {
      clause.querySelector(":scope > .clause-caption > .note-count")?.remove();
      const n = counts.get(clause.dataset.clauseId ?? "") ?? 0;
      clause.classList.toggle("has-notes", n > 0);
      if (n > 0) {
        const badge = renderNoteBadge(doc, n);
        const actions = actionsOf(clause);
        const caption = clause.querySelector(":scope > .clause-caption");
        if (actions) actions.before(badge);
        else caption?.appendChild(badge);
      }
    }
    if (!focus) return;
    const old = focus.querySelector(":scope > .clause-notes");
    const was = old ? focusedControl(old) : null;
    old?.remove();
    const mine = cache.ofClause(focus.dataset.clauseId ?? "");
    if (mine.length > 0) {
      const section = renderClauseNotes(doc, mine);
      focus.appendChild(section);
      restoreFocus(section, was);
    }
  }

  async function readerShown(version: string, focused: HTMLElement | null): Promise<void> {
    const mine = ++renderSeq;
    readerVersion = version;
    focus = focused;
    selection = null;
    decorate();
    updateNotes();
    const history = historyOpen && focus ? showHistory() : Promise.resolve();
    await load(version);
    if (mine !== renderSeq) return;
    updateNotes();
    await history;
  }

  // ---- the selection ---------------------------------------------------------------

  function elementOf(node: Node): Element | null {
    return node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
  }

  /** The clause and quote of the words selected in one clause's text, or null. */
  function selectedQuote(): { clause: HTMLElement; quote: string } | null {
    const sel = doc.getSelection?.() ?? doc.defaultView?.getSelection() ?? null;
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    const start = elementOf(range.startContainer);
    const end = elementOf(range.endContainer);
    const text = start?.closest<HTMLElement>(".clause-text") ?? end?.closest<HTMLElement>(".clause-text") ?? null;
    const clause = text?.closest<HTMLElement>(".clause") ?? null;
    if (!text || !clause || !readerDoc.contains(clause)) return null;
    // Both ends in the same clause; a triple click may end just past its text.
    if (!clause.contains(range.startContainer) || !clause.contains(range.endContainer)) return null;
    const inner = doc.createRange();
    inner.selectNodeContents(text);
    const clipped = range.cloneRange();
    if (clipped.compareBoundaryPoints(inner.START_TO_START, inner) < 0) clipped.setStart(inner.startContainer, inner.startOffset);
    if (clipped.compareBoundaryPoints(inner.END_TO_END, inner) > 0) clipped.setEnd(inner.endContainer, inner.endOffset);
    const quote = selectionQuote(text.textContent ?? "", clipped.toString());
    return quote ? { clause, quote } : null;
  }

  function updateSelection(): void {
    if (readerDoc.hidden) return;
    const found = selectedQuote();
    const clauseId = found?.clause.dataset.clauseId ?? null;
    if (found && clauseId && selection && selection.clauseId === clauseId && selection.quote === found.quote) return;
    for (const b of readerDoc.querySelectorAll("button.note-add-quote")) b.remove();
    selection = null;
    if (!found || !clauseId) return;
    selection = { clauseId, quote: found.quote };
    const button = el(doc, "button", "note-add-quote", "Add note on selection");
    button.type = "button";
    button.title = `Add a note quoting ${quoteLabel(found.quote)}`;
    button.dataset.quote = found.quote;
    const actions = actionsOf(found.clause);
    if (actions) actions.prepend(button);
    else found.clause.querySelector(":scope > .clause-caption")?.appendChild(button);
  }

  function clearSelection(): void {
    const sel = doc.getSelection?.() ?? null;
    if (sel && !sel.isCollapsed) sel.removeAllRanges();
    for (const b of readerDoc.querySelectorAll("button.note-add-quote")) b.remove();
    selection = null;
  }

  // ---- history -------------------------------------------------------------------

  function historyToggle(): HTMLButtonElement | null {
    return focus?.querySelector<HTMLButtonElement>("button.history-toggle") ?? null;
  }

  function historyBox(): HTMLElement | null {
    if (!focus) return null;
    let box = focus.querySelector<HTMLElement>(":scope > .clause-history");
    if (!box) {
      box = el(doc, "div", "clause-history");
      box.setAttribute("aria-label", "History of this clause");
      focus.querySelector(":scope > .clause-caption")?.after(box);
    }
    return box;
  }

  async function showHistory(): Promise<void> {
    const clause = focus;
    const clauseId = clause?.dataset.clauseId;
    const box = historyBox();
    if (!clause || !clauseId || !box) return;
    historyToggle()?.setAttribute("aria-expanded", "true");
    const mine = ++historySeq;
    let lineage = lineages.get(clauseId);
    if (!lineage) {
      box.replaceChildren(el(doc, "p", "history-empty", "Loading the history…"));
      box.setAttribute("aria-busy", "true");
      try {
        lineage = await api.history(clauseId);
        for (const step of lineage.steps) for (const id of step.clause_ids) lineages.set(id, lineage);
        lineages.set(clauseId, lineage);
      } catch (e) {
        if (mine !== historySeq || focus !== clause) return;
        box.removeAttribute("aria-busy");
        box.replaceChildren(el(doc, "p", "history-empty", `No history: ${toApiError(e).message}`));
        return;
      }
      if (mine !== historySeq || focus !== clause) return;
      box.removeAttribute("aria-busy");
    }
    box.replaceChildren(el(doc, "h3", "clause-history-title", "History"), renderHistory(doc, lineage, clauseId));
  }

  function hideHistory(): void {
    historySeq++;
    focus?.querySelector(":scope > .clause-history")?.remove();
    historyToggle()?.setAttribute("aria-expanded", "false");
  }

  // ---- changing notes --------------------------------------------------------------

  function noteSaved(note: NoteView, added = false): void {
    ctx.clearError();
    cache.put(note);
    remember([note]);
    updateNotes();
    // The words just quoted need no more offering.
    if (added) clearSelection();
    if (panelVisible) void ctx.track(reloadPanel());
  }

  function noteDeleted(id: number): void {
    ctx.clearError();
    cache.remove(id);
    known.delete(id);
    updateNotes();
    if (panelVisible) void ctx.track(reloadPanel());
  }

  async function setStatus(note: NoteView, select: HTMLSelectElement): Promise<void> {
    const status = select.value;
    if (!isNoteStatus(status) || status === note.status) return;
    select.disabled = true;
    try {
      const saved = await api.editNote(noteId(note), { text: null, tags: null, status });
      noteSaved(saved);
    } catch (e) {
      select.value = note.status;
      ctx.showError(toApiError(e), `Could not change the status of note #${noteId(note)}`);
    } finally {
      select.disabled = false;
    }
  }

  async function deleteNote(note: NoteView, li: HTMLElement): Promise<void> {
    const confirm = li.querySelector<HTMLElement>(".note-confirm");
    for (const b of confirm?.querySelectorAll("button") ?? []) b.disabled = true;
    try {
      await api.deleteNote(noteId(note));
      li.remove();
      noteDeleted(noteId(note));
    } catch (e) {
      confirm?.replaceWith(renderNoteActions(doc));
      ctx.showError(toApiError(e), `Could not delete note #${noteId(note)}`);
    }
  }

  /** The note of a control inside an `li.note`. */
  function noteAt(target: EventTarget | null): { li: HTMLElement; note: NoteView } | null {
    const li = (target as Element | null)?.closest?.<HTMLElement>("li.note");
    const note = li ? known.get(Number(li.dataset.noteId)) : undefined;
    return li && note ? { li, note } : null;
  }

  /** Clicks on a note's actions; true when the click was one. */
  function noteClick(event: Event): boolean {
    const button = (event.target as Element | null)?.closest?.<HTMLButtonElement>("li.note button");
    const at = button ? noteAt(button) : null;
    if (!button || !at) return false;
    const { li, note } = at;
    if (button.matches(".note-edit")) {
      dialog.openEdit(note);
    } else if (button.matches(".note-delete")) {
      const confirm = renderDeleteConfirm(doc);
      li.querySelector(".note-actions")?.replaceWith(confirm);
      confirm.querySelector<HTMLButtonElement>(".note-delete-cancel")?.focus();
    } else if (button.matches(".note-delete-cancel")) {
      const actions = renderNoteActions(doc);
      li.querySelector(".note-confirm")?.replaceWith(actions);
      actions.querySelector<HTMLButtonElement>(".note-delete")?.focus();
    } else if (button.matches(".note-delete-confirm")) {
      void ctx.track(deleteNote(note, li));
    } else {
      return false;
    }
    return true;
  }

  function noteChange(event: Event): void {
    const select = (event.target as Element | null)?.closest?.<HTMLSelectElement>("li.note select.note-status");
    const at = select ? noteAt(select) : null;
    if (select && at) void ctx.track(setStatus(at.note, select));
  }

  // ---- reader events ----------------------------------------------------------------

  readerDoc.addEventListener("mousedown", (event) => {
    // Keep the selection when the quote button is pressed.
    if ((event.target as Element | null)?.closest?.("button.note-add-quote")) event.preventDefault();
  });
  readerDoc.addEventListener("mouseup", updateSelection);
  readerDoc.addEventListener("keyup", updateSelection);
  doc.addEventListener("selectionchange", updateSelection);

  readerDoc.addEventListener("click", (event) => {
    if (noteClick(event)) return;
    const target = event.target as Element | null;
    const button = target?.closest?.<HTMLButtonElement>("button");
    const clause = target?.closest?.<HTMLElement>(".clause");
    const clauseId = clause?.dataset.clauseId;
    if (button && clause && clauseId) {
      if (button.matches(".note-add")) {
        dialog.openAdd({ clauseId, quote: null });
      } else if (button.matches(".note-add-quote")) {
        const quote = button.dataset.quote ?? selection?.quote ?? null;
        dialog.openAdd({ clauseId, quote });
      } else if (button.matches(".note-count")) {
        if (clause === focus) {
          const section = clause.querySelector<HTMLElement>(":scope > .clause-notes");
          if (section && typeof section.scrollIntoView === "function") section.scrollIntoView({ block: "nearest" });
        } else {
          ctx.openClause(clauseId);
        }
      } else if (button.matches(".history-toggle")) {
        historyOpen = button.getAttribute("aria-expanded") !== "true";
        if (historyOpen) void ctx.track(showHistory());
        else hideHistory();
      }
      return;
    }
    const step = target?.closest?.<HTMLElement>("li.history-step.has-clause");
    if (step?.dataset.clauseId) ctx.openClause(step.dataset.clauseId);
  });

  readerDoc.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    const step = (event.target as Element | null)?.closest?.<HTMLElement>("li.history-step.has-clause");
    if (step?.dataset.clauseId && event.target === step) {
      event.preventDefault();
      ctx.openClause(step.dataset.clauseId);
    }
  });

  readerDoc.addEventListener("change", noteChange);

  // ---- the Notes tab ----------------------------------------------------------------

  function filter(): NoteFilter {
    return noteFilter({
      tag: tagInput.value,
      status: statusSelect.value,
      version: versionSelect.value,
      entry: entrySelect.value,
    });
  }

  function renderPanel(notes: readonly NoteView[], f: NoteFilter): void {
    remember(notes);
    const filtered = describeNoteFilter(f) !== describeNoteFilter(NO_FILTER);
    if (notes.length === 0) {
      summary.textContent = filtered ? "No note matches these filters." : PANEL_EMPTY;
    } else {
      const verb = notes.length === 1 ? "matches" : "match";
      summary.textContent = filtered ? `${noteCount(notes.length)} ${verb} these filters` : noteCount(notes.length);
    }
    const was = focusedControl(list);
    list.replaceChildren(
      ...notes.map((n) => {
        const li = renderNote(doc, n, { citation: true, areas });
        li.classList.add("note-card");
        if (n.citation) {
          li.classList.add("openable");
          li.tabIndex = 0;
        }
        return li;
      }),
    );
    restoreFocus(list, was);
  }

  async function reloadPanel(): Promise<void> {
    const f = filter();
    const mine = ++panelSeq;
    list.setAttribute("aria-busy", "true");
    try {
      const notes = await api.notes(f);
      if (mine !== panelSeq) return;
      ctx.clearError();
      renderPanel(notes, f);
    } catch (e) {
      if (mine !== panelSeq) return;
      list.replaceChildren();
      summary.textContent = "Could not list the notes — see the message above.";
      ctx.showError(toApiError(e), "Could not list the notes");
    } finally {
      if (mine === panelSeq) list.removeAttribute("aria-busy");
    }
  }

  const tagDebounce = new Debouncer(() => reloadPanel(), 300);

  function openFromCard(event: Event): boolean {
    const target = event.target as Element | null;
    if (target?.closest?.("button, select, input, textarea, a")) return false;
    const li = target?.closest?.<HTMLElement>("li.note-card.openable");
    const clauseId = li?.dataset.clauseId;
    if (!li || !clauseId) return false;
    // Selecting words of a note to copy them is not a click on it.
    const sel = doc.getSelection?.() ?? null;
    if (event.type === "click" && sel && !sel.isCollapsed && li.contains(sel.anchorNode)) return false;
    ctx.openClause(clauseId);
    return true;
  }

  list.addEventListener("click", (event) => {
    if (!noteClick(event)) openFromCard(event);
  });
  list.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    if ((event.target as Element | null)?.matches?.("li.note-card") && openFromCard(event)) event.preventDefault();
  });
  list.addEventListener("change", noteChange);

  filterForm.addEventListener("submit", (event) => {
    event.preventDefault();
    tagDebounce.cancel();
    void ctx.track(reloadPanel());
  });
  for (const select of [statusSelect, versionSelect, entrySelect]) {
    select.addEventListener("change", () => void ctx.track(reloadPanel()));
  }
  tagInput.addEventListener("input", () => void ctx.track(tagDebounce.call()));
  tagInput.addEventListener("change", () => {
    tagDebounce.cancel();
    void ctx.track(reloadPanel());
  });

  exportButton.addEventListener("click", () => {
    const f = filter();
    ctx.openExport({
      kind: "export",
      selection: { kind: "notes", filter: f },
      title: "Export notes",
      description: describeNoteFilter(f, versionLabels, areas),
    });
  });

  function fillSelect(select: HTMLSelectElement, all: string, options: Array<{ value: string; label: string; title: string }>): void {
    const previous = select.value;
    const first = el(doc, "option", undefined, all);
    first.value = "";
    select.replaceChildren(
      first,
      ...options.map((o) => {
        const option = el(doc, "option", undefined, o.label);
        option.value = o.value;
        option.title = o.title;
        return option;
      }),
    );
    select.value = options.some((o) => o.value === previous) ? previous : "";
  }

  function setVersions(versions: readonly VersionInfo[]): void {
    versionLabels = new Map(versions.map((v) => [v.id, versionLabel(v)]));
    fillSelect(
      versionSelect,
      "All versions",
      versions.map((v) => ({ value: v.id, label: versionLabel(v), title: v.id })),
    );
  }

  function setEntries(entries: readonly Entry[]): void {
    areas = new Map(entries.map((e) => [e.key, e.area]));
    fillSelect(
      entrySelect,
      "All matrix entries",
      entries.map((e) => ({ value: e.key, label: e.area, title: e.key })),
    );
    entrySelect.disabled = entries.length === 0;
  }

  function reset(): void {
    generation++;
    cache.clear();
    loading.clear();
    known.clear();
    lineages.clear();
    readerVersion = null;
    focus = null;
    selection = null;
    panelSeq++;
    historySeq++;
    list.replaceChildren();
    summary.textContent = "";
  }

  return {
    prefetch: (version) => void ctx.track(load(version)),
    readerShown,
    setVersions,
    setEntries,
    showPanel: () => {
      panelVisible = true;
      return reloadPanel();
    },
    hidePanel: () => {
      panelVisible = false;
      tagDebounce.cancel();
    },
    filter,
    reset,
    dialog,
  };
}
