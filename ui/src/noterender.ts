// DOM builders for notes and clause histories. Note text, tags, quotes and
// document text are untrusted: everything is built with createElement +
// textContent, never with HTML strings. Markdown is shown as typed (plain
// text in a pre-wrap block), not rendered.
import type { Lineage } from "./bindings/Lineage";
import type { NoteView } from "./bindings/NoteView";
import { isCurrentStep, isGone, stepLabel } from "./history";
import {
  citationLine,
  NOTE_STATUSES,
  noteCount,
  noteId,
  noteTime,
  quoteLabel,
  statusLabel,
} from "./notes";
import { el, renderEntryChips } from "./render";
import { CHANGE_KIND_LABELS } from "./bindings/Conventions";

export interface NoteOptions {
  /** Show the citation line (the Notes tab; the reader shows the clause itself). */
  citation?: boolean;
  /** Show the matrix entries of the note's clause, named by these areas. */
  areas?: ReadonlyMap<string, string>;
}

/** A `select.note-status` with every status, set to `status`. */
export function renderStatusSelect(doc: Document, status: string, label: string): HTMLSelectElement {
  const select = el(doc, "select", "note-status");
  select.setAttribute("aria-label", label);
  select.title = label;
  for (const s of NOTE_STATUSES) {
    const option = el(doc, "option", undefined, statusLabel(s));
    option.value = s;
    select.appendChild(option);
  }
  select.value = status;
  return select;
}

/** The `span.note-actions` of a note: Edit and Delete. */
export function renderNoteActions(doc: Document): HTMLSpanElement {
  const actions = el(doc, "span", "note-actions");
  const edit = el(doc, "button", "note-edit", "Edit");
  edit.type = "button";
  edit.title = "Edit this note";
  const del = el(doc, "button", "note-delete", "Delete");
  del.type = "button";
  del.title = "Delete this note";
  actions.append(edit, del);
  return actions;
}

/** The in-place confirmation that replaces a note's actions before deleting it. */
export function renderDeleteConfirm(doc: Document): HTMLSpanElement {
  const confirm = el(doc, "span", "note-actions note-confirm");
  confirm.setAttribute("role", "group");
  confirm.setAttribute("aria-label", "Confirm deletion");
  confirm.appendChild(el(doc, "span", "note-confirm-text", "Delete this note?"));
  const yes = el(doc, "button", "note-delete-confirm danger", "Delete");
  yes.type = "button";
  const no = el(doc, "button", "note-delete-cancel", "Keep");
  no.type = "button";
  confirm.append(yes, no);
  return confirm;
}

/**
 * One `li.note` (data-note-id, data-status): what changed (for a note that
 * needs review), the quote, the text, then status, tags, author, date and actions.
 */
export function renderNote(doc: Document, note: NoteView, options: NoteOptions = {}): HTMLLIElement {
  const id = noteId(note);
  const li = el(doc, "li", `note status-${note.status}`);
  li.dataset.noteId = String(id);
  li.dataset.clauseId = note.clause_id;
  li.dataset.status = note.status;

  if (options.citation) {
    const cite = el(doc, "p", "note-citation", note.citation ? citationLine(note.citation) : note.clause_id);
    if (!note.citation) {
      cite.classList.add("missing");
      cite.title = "This clause is not in the corpus now";
    } else {
      cite.title = `Open ${note.clause_id} in the reader`;
    }
    li.appendChild(cite);
  }

  if (note.change) {
    const prominent = note.status === "needs_review";
    const change = el(doc, "p", prominent ? "note-change needs-review" : "note-change");
    change.appendChild(el(doc, "strong", "note-change-label", prominent ? "Needs review:" : "Clause changed:"));
    change.appendChild(doc.createTextNode(` ${note.change}`));
    li.appendChild(change);
  }

  if (note.quote) {
    const quote = el(doc, "blockquote", "note-quote", quoteLabel(note.quote.exact, 400));
    if (note.quote.start === null) {
      quote.classList.add("lost");
      quote.title = "These words are no longer in the clause";
    }
    li.appendChild(quote);
  }

  li.appendChild(el(doc, "div", "note-text", note.text));

  const meta = el(doc, "div", "note-meta");
  meta.appendChild(renderStatusSelect(doc, note.status, `Status of note ${id}`));
  if (note.tags.length > 0) {
    const tags = el(doc, "span", "note-tags");
    for (const t of note.tags) {
      const tag = el(doc, "span", "note-tag", t);
      tag.dataset.tag = t;
      tags.appendChild(tag);
    }
    meta.appendChild(tags);
  }
  meta.appendChild(el(doc, "span", "note-author", note.author));
  const time = el(doc, "time", "note-date", noteTime(note.created));
  time.dateTime = note.created;
  time.title =
    note.updated && note.updated !== note.created
      ? `Written ${noteTime(note.created)} UTC, changed ${noteTime(note.updated)} UTC`
      : `Written ${noteTime(note.created)} UTC`;
  meta.appendChild(time);
  meta.appendChild(el(doc, "span", "note-number", `#${id}`));
  meta.appendChild(renderNoteActions(doc));
  li.appendChild(meta);

  if (options.areas && note.entries.length > 0) li.appendChild(renderEntryChips(doc, note.entries, options.areas));
  return li;
}

/** The focused clause's notes: `section.clause-notes` with a heading and `ul.note-list`. */
export function renderClauseNotes(doc: Document, notes: readonly NoteView[]): HTMLElement {
  const section = el(doc, "section", "clause-notes");
  section.setAttribute("aria-label", "Notes on this clause");
  section.appendChild(el(doc, "h3", "clause-notes-title", noteCount(notes.length)));
  const list = el(doc, "ul", "note-list");
  for (const n of notes) list.appendChild(renderNote(doc, n));
  section.appendChild(list);
  return section;
}

/** A clause's note count: `button.note-count` (data-count). */
export function renderNoteBadge(doc: Document, count: number): HTMLButtonElement {
  const badge = el(doc, "button", "note-count", noteCount(count));
  badge.type = "button";
  badge.dataset.count = String(count);
  badge.title = count === 1 ? "This clause has a note: show it" : `This clause has ${count} notes: show them`;
  return badge;
}

/**
 * A clause's history as a compact timeline: one `li.history-step` per version
 * (data-version, data-status, and data-clause-id when the clause exists there),
 * with the date, what happened in words and the change cards' summaries.
 */
export function renderHistory(doc: Document, lineage: Lineage, clauseId: string): HTMLOListElement {
  const list = el(doc, "ol", "history-steps");
  list.setAttribute("aria-label", "Versions of this clause");
  lineage.steps.forEach((step, i) => {
    const li = el(doc, "li", `history-step status-${step.status}`);
    li.dataset.version = step.version;
    li.dataset.status = step.status;
    const current = isCurrentStep(step, clauseId);
    if (current) {
      li.classList.add("current");
      li.setAttribute("aria-current", "true");
    }
    if (isGone(step)) li.classList.add("gone");
    if (step.clause_ids.length > 0) {
      li.dataset.clauseId = step.clause_ids[0];
      if (!current) {
        li.classList.add("has-clause");
        li.tabIndex = 0;
        li.title = `Open ${step.clause_ids[0]} in the reader`;
      }
    }
    const head = el(doc, "div", "history-head");
    const date = el(doc, "time", "history-date", step.date);
    date.dateTime = step.date;
    date.title = step.version;
    head.appendChild(date);
    head.appendChild(el(doc, "span", "history-status", stepLabel(step, i === 0)));
    if (current) head.appendChild(el(doc, "span", "history-here", "shown"));
    li.appendChild(head);
    if (step.cards.length > 0) {
      const cards = el(doc, "ul", "history-cards");
      for (const card of step.cards) {
        const item = el(doc, "li", `history-card severity-${card.severity}`, card.summary);
        item.title = `${card.severity} · ${CHANGE_KIND_LABELS[card.kind]}`;
        cards.appendChild(item);
      }
      li.appendChild(cards);
    }
    list.appendChild(li);
  });
  return list;
}
