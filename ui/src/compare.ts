// The compare view: pick two versions, read the change cards, see each
// card's evidence in the side-by-side redline. Rendering goes through
// createElement/textContent only (document text is untrusted).
import { toApiError, type Api } from "./api";
import type { ApiError } from "./bindings/ApiError";
import type { ChangeCard } from "./bindings/ChangeCard";
import type { CompareRequest } from "./bindings/CompareRequest";
import type { CompareRow } from "./bindings/CompareRow";
import type { CompareView } from "./bindings/CompareView";
import type { Evidence } from "./bindings/Evidence";
import type { RedlinePart } from "./bindings/RedlinePart";
import type { ShiftAlert } from "./bindings/ShiftAlert";
import type { VersionInfo } from "./bindings/VersionInfo";
import {
  countsLine,
  defaultPair,
  directionLabel,
  facetValues,
  filterCards,
  markSpans,
  shownPosition,
  words,
  type CardFilter,
} from "./changes";
import { documentTitle, pageLabel, shortClauseId, versionLabel } from "./format";
import { HitCursor } from "./hits";
import { shiftLabel } from "./matrix";
import { el, renderParts } from "./render";

export interface CompareContext {
  doc: Document;
  api: Api;
  showError(error: ApiError, context?: string): void;
  clearError(): void;
  /** Registers background work so the app can tell when it is idle. */
  track<T>(p: Promise<T>): Promise<T>;
  /** Export the change cards of the comparison shown (`label` names the two versions). */
  exportChanges?(request: CompareRequest, label: string): void;
  /** Show the change memo of the comparison shown. */
  memo?(request: CompareRequest, label: string): void;
}

export interface CompareHandle {
  /** Fill the version pickers (keeps the current choice when it still exists). */
  setVersions(versions: readonly VersionInfo[]): void;
  /** Compare the versions picked. */
  run(): Promise<void>;
  /** Select the card at this position of the filtered list. */
  select(position: number): void;
  /** Select card `card` (an index into the unfiltered list), clearing filters that hide it. */
  showCard(card: number): void;
  next(): void;
  prev(): void;
  /** Forget the current comparison (the corpus changed). */
  reset(): void;
}

/** One side of a redline: deleted words in `<del>`, inserted in `<ins>`. */
export function renderRedline(doc: Document, parts: readonly RedlinePart[]): DocumentFragment {
  const frag = doc.createDocumentFragment();
  for (const part of parts) {
    if (part.text.length === 0) continue;
    if (part.edit === "deleted") frag.appendChild(el(doc, "del", undefined, part.text));
    else if (part.edit === "inserted") frag.appendChild(el(doc, "ins", undefined, part.text));
    else frag.appendChild(doc.createTextNode(part.text));
  }
  return frag;
}

function renderEvidence(doc: Document, side: string, ev: Evidence, versionId: string): HTMLElement {
  const p = el(doc, "p", "card-evidence");
  const label = el(doc, "span", "evidence-side", side);
  label.title = ev.clause_id;
  p.appendChild(label);
  p.appendChild(el(doc, "span", "evidence-id", shortClauseId(ev.clause_id, versionId)));
  const text = el(doc, "span", "evidence-text");
  text.appendChild(renderParts(doc, markSpans(ev.text, ev.spans)));
  p.appendChild(text);
  return p;
}

/**
 * One responsibility-shift alert of the notes band: `li.alert` with the kind
 * in words, then the message; clickable (data-card) when a card is behind it.
 */
export function renderAlert(doc: Document, alert: ShiftAlert): HTMLLIElement {
  const li = el(doc, "li", `alert ${alert.kind}`);
  li.dataset.kind = alert.kind;
  li.dataset.entry = alert.entry;
  li.appendChild(el(doc, "span", "alert-kind", shiftLabel(alert.kind)));
  li.appendChild(doc.createTextNode(` ${alert.message}`));
  if (alert.card !== null) {
    li.dataset.card = String(alert.card);
    li.classList.add("has-card");
    li.tabIndex = 0;
    li.title = "Show the change behind this alert";
  }
  return li;
}

/** One `li.card` of the change list. */
export function renderCard(
  doc: Document,
  card: ChangeCard,
  index: number,
  view: Pick<CompareView, "old" | "new">,
): HTMLLIElement {
  const li = el(doc, "li", `card severity-${card.severity}`);
  li.tabIndex = 0;
  li.dataset.card = String(index);
  li.dataset.kind = card.kind;
  li.setAttribute("role", "option");
  li.setAttribute("aria-selected", "false");
  const meta = el(doc, "div", "card-meta");
  meta.appendChild(el(doc, "span", "card-severity", card.severity));
  meta.appendChild(el(doc, "span", "card-kind", words(card.kind)));
  meta.appendChild(el(doc, "span", `card-direction ${card.direction}`, directionLabel(card.direction)));
  li.appendChild(meta);
  li.appendChild(el(doc, "p", "card-summary", card.summary));
  if (card.before) li.appendChild(renderEvidence(doc, "Before", card.before, view.old.id));
  if (card.after) li.appendChild(renderEvidence(doc, "After", card.after, view.new.id));
  return li;
}

function sideCaption(doc: Document, ids: readonly string[], pages: readonly number[], versionId: string): HTMLElement {
  const caption = el(doc, "div", "clause-caption");
  const id = el(doc, "span", "clause-id", ids.map((i) => shortClauseId(i, versionId)).join(" + "));
  id.title = ids.join("\n");
  caption.appendChild(id);
  const p = pageLabel(pages);
  if (p) caption.appendChild(el(doc, "span", "clause-pages", p));
  return caption;
}

/** The side-by-side rows: section headings and clause pairs. */
export function renderRows(doc: Document, view: CompareView): DocumentFragment {
  const frag = doc.createDocumentFragment();
  view.rows.forEach((row: CompareRow, i: number) => {
    if (row.type === "section") {
      const div = el(doc, "div", `row section-row ${row.status}`);
      div.dataset.row = String(i);
      div.appendChild(el(doc, "div", "side old", row.old ?? ""));
      const right = el(doc, "div", "side new", row.new ?? "");
      if (row.status !== "same") right.appendChild(el(doc, "span", "row-status", row.status));
      div.appendChild(right);
      div.dataset.level = String(row.level);
      frag.appendChild(div);
      return;
    }
    const div = el(doc, "div", `row pair-row ${row.status}`);
    div.dataset.row = String(i);
    div.dataset.status = row.status;
    if (row.cards.length > 0) div.dataset.cards = row.cards.join(" ");
    const old = el(doc, "div", "side old");
    if (row.old_ids.length > 0) {
      const text = el(doc, "p", "clause-text");
      text.appendChild(renderRedline(doc, row.old));
      old.appendChild(text);
      old.appendChild(sideCaption(doc, row.old_ids, row.old_pages, view.old.id));
    } else {
      old.classList.add("empty");
    }
    const neu = el(doc, "div", "side new");
    if (row.new_ids.length > 0) {
      const text = el(doc, "p", "clause-text");
      text.appendChild(renderRedline(doc, row.new));
      neu.appendChild(text);
      neu.appendChild(sideCaption(doc, row.new_ids, row.new_pages, view.new.id));
    } else {
      neu.classList.add("empty");
    }
    if (row.status !== "unchanged") neu.appendChild(el(doc, "span", "row-status", words(row.status)));
    div.append(old, neu);
    frag.appendChild(div);
  });
  return frag;
}

export function startCompare(ctx: CompareContext): CompareHandle {
  const { doc, api } = ctx;
  const byId = <T extends HTMLElement>(id: string): T => {
    const found = doc.getElementById(id);
    if (!found) throw new Error(`trustlens: #${id} is missing from index.html`);
    return found as T;
  };
  const form = byId<HTMLFormElement>("compare-form");
  const oldSelect = byId<HTMLSelectElement>("compare-old");
  const newSelect = byId<HTMLSelectElement>("compare-new");
  const filterKind = byId<HTMLSelectElement>("filter-kind");
  const filterSeverity = byId<HTMLSelectElement>("filter-severity");
  const filterDirection = byId<HTMLSelectElement>("filter-direction");
  const summary = byId<HTMLDivElement>("compare-summary");
  const notes = byId<HTMLUListElement>("compare-notes");
  const cardList = byId<HTMLOListElement>("card-list");
  const sidesHead = byId<HTMLDivElement>("sides-head");
  const rows = byId<HTMLDivElement>("compare-rows");
  const prevButton = byId<HTMLButtonElement>("prev-change");
  const nextButton = byId<HTMLButtonElement>("next-change");
  const position = byId<HTMLSpanElement>("change-position");
  const exportButton = byId<HTMLButtonElement>("export-changes");
  const memoButton = byId<HTMLButtonElement>("memo-button");

  let view: CompareView | null = null;
  let shown: number[] = [];
  const cursor = new HitCursor();
  let seq = 0;

  function updateNav(): void {
    prevButton.disabled = !cursor.canPrev;
    nextButton.disabled = cursor.length === 0 || !cursor.canNext;
    position.textContent = cursor.length === 0 ? "" : `${cursor.index + 1 > 0 ? cursor.index + 1 : "–"} / ${cursor.length}`;
  }

  function options(select: HTMLSelectElement, all: string, field: keyof CardFilter, cards: readonly ChangeCard[]): void {
    const first = el(doc, "option", undefined, all);
    first.value = "";
    const label = field === "direction" ? directionLabel : words;
    const opts = [first];
    for (const { value, count } of facetValues(cards, field)) {
      const o = el(doc, "option", undefined, `${label(value)} (${count})`);
      o.value = value;
      opts.push(o);
    }
    select.replaceChildren(...opts);
  }

  function filter(): CardFilter {
    return { kind: filterKind.value, severity: filterSeverity.value, direction: filterDirection.value };
  }

  function renderCards(): void {
    if (!view) return;
    const v = view;
    shown = filterCards(v.changes, filter());
    cursor.reset(shown.length);
    cardList.replaceChildren(...shown.map((k) => renderCard(doc, v.changes[k], k, v)));
    if (v.changes.length === 0) {
      cardList.appendChild(el(doc, "li", "no-cards", "No changes: the two versions say the same thing."));
    } else if (shown.length === 0) {
      cardList.appendChild(el(doc, "li", "no-cards", "No change matches these filters."));
    }
    for (const r of rows.querySelectorAll(".row.evidence")) r.classList.remove("evidence");
    updateNav();
  }

  function renderView(v: CompareView): void {
    view = v;
    exportButton.disabled = false;
    memoButton.disabled = false;
    const total = v.changes.length;
    summary.replaceChildren(
      el(doc, "span", "summary-count", `${total} ${total === 1 ? "change" : "changes"}`),
      el(doc, "span", "summary-counts", `Clauses: ${countsLine(v.counts)}`),
    );
    const items: HTMLLIElement[] = [];
    for (const w of v.warnings) items.push(el(doc, "li", "compare-warning", w));
    for (const side of [v.old, v.new]) {
      if (side === v.new && v.new.id === v.old.id) break;
      for (const f of side.flags) {
        const li = el(doc, "li", `flag ${f.status}`);
        li.appendChild(el(doc, "span", "flag-version", side.date));
        li.appendChild(doc.createTextNode(` ${f.message}`));
        if (f.event.source) li.title = f.event.source;
        items.push(li);
      }
    }
    notes.replaceChildren(...items);
    notes.hidden = items.length === 0;
    options(filterKind, "All kinds", "kind", v.changes);
    options(filterSeverity, "All severities", "severity", v.changes);
    options(filterDirection, "All directions", "direction", v.changes);
    const head = (version: VersionInfo) => {
      const div = el(doc, "div", "side");
      div.appendChild(el(doc, "span", "side-title", documentTitle(version)));
      const badge = el(doc, "time", "version-badge", version.date);
      badge.dateTime = version.date;
      badge.title = version.id;
      div.appendChild(badge);
      return div;
    };
    sidesHead.replaceChildren(head(v.old), head(v.new));
    rows.replaceChildren(renderRows(doc, v));
    rows.scrollTop = 0;
    renderCards();
  }

  /** Add the matrix diff's alerts to the notes band. */
  function renderAlerts(alerts: readonly ShiftAlert[]): void {
    notes.append(...alerts.map((a) => renderAlert(doc, a)));
    notes.hidden = notes.children.length === 0;
  }

  function showCard(card: number): void {
    if (!view || !Number.isInteger(card) || card < 0 || card >= view.changes.length) return;
    let pos = shownPosition(shown, card);
    if (pos === null) {
      // The filters hide it: show all cards again.
      for (const s of [filterKind, filterSeverity, filterDirection]) s.value = "";
      renderCards();
      pos = shownPosition(shown, card);
    }
    if (pos !== null) select(pos);
  }

  function select(pos: number): void {
    if (!view || cursor.select(pos) === null) return;
    const k = shown[pos];
    let selected: HTMLLIElement | null = null;
    for (const li of cardList.querySelectorAll<HTMLLIElement>("li.card")) {
      const on = Number(li.dataset.card) === k;
      li.classList.toggle("selected", on);
      li.setAttribute("aria-selected", String(on));
      if (on) selected = li;
    }
    if (selected && typeof selected.scrollIntoView === "function") selected.scrollIntoView({ block: "nearest" });
    // The backend lists first the row that holds both sides of the change.
    const evidence = (view.card_rows[k] ?? []).map(String);
    const targets = new Set(evidence);
    let first: HTMLElement | null = null;
    for (const r of rows.querySelectorAll<HTMLElement>(".row")) {
      const on = targets.has(r.dataset.row ?? "");
      r.classList.toggle("evidence", on);
      if (on && r.dataset.row === evidence[0]) first = r;
    }
    if (first && typeof first.scrollIntoView === "function") first.scrollIntoView({ block: "center" });
    updateNav();
  }

  async function run(): Promise<void> {
    const request = { old: oldSelect.value, new: newSelect.value };
    if (!request.old || !request.new) return;
    const mine = ++seq;
    summary.replaceChildren(doc.createTextNode("Comparing…"));
    cardList.setAttribute("aria-busy", "true");
    try {
      const v = await api.compare(request);
      if (mine !== seq) return;
      ctx.clearError();
      renderView(v);
    } catch (e) {
      if (mine !== seq) return;
      summary.replaceChildren(doc.createTextNode("Compare failed — see the message above."));
      ctx.showError(toApiError(e), "Could not compare");
      return;
    } finally {
      if (mine === seq) cardList.removeAttribute("aria-busy");
    }
    // The cards are on screen; the responsibility-shift alerts come after them.
    try {
      const diff = await api.matrixDiff(request);
      if (mine !== seq) return;
      renderAlerts(diff.alerts);
    } catch (e) {
      if (mine !== seq) return;
      ctx.showError(toApiError(e), "Could not list responsibility shifts");
    }
  }

  function setVersions(versions: readonly VersionInfo[]): void {
    const keep = [oldSelect.value, newSelect.value];
    const fill = (select: HTMLSelectElement) =>
      select.replaceChildren(
        ...versions.map((v) => {
          // Date first: the pickers are narrow, and the date is what tells versions apart.
          const o = el(doc, "option", undefined, `${v.date} · ${documentTitle(v)}`);
          o.value = v.id;
          o.title = versionLabel(v);
          return o;
        }),
      );
    fill(oldSelect);
    fill(newSelect);
    const ids = new Set(versions.map((v) => v.id));
    const pair = defaultPair(versions);
    oldSelect.value = ids.has(keep[0]) ? keep[0] : (pair?.old ?? versions[0]?.id ?? "");
    newSelect.value = ids.has(keep[1]) ? keep[1] : (pair?.new ?? versions[versions.length - 1]?.id ?? "");
  }

  function reset(): void {
    seq++;
    view = null;
    exportButton.disabled = true;
    memoButton.disabled = true;
    shown = [];
    cursor.reset(0);
    summary.replaceChildren(doc.createTextNode("Pick two versions and press Compare."));
    notes.replaceChildren();
    notes.hidden = true;
    cardList.replaceChildren();
    sidesHead.replaceChildren();
    rows.replaceChildren();
    updateNav();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void ctx.track(run());
  });
  for (const s of [filterKind, filterSeverity, filterDirection]) s.addEventListener("change", renderCards);
  cardList.addEventListener("click", (event) => {
    const li = (event.target as Element | null)?.closest?.<HTMLLIElement>("li.card");
    if (li) select(shown.indexOf(Number(li.dataset.card)));
  });
  const alertOf = (event: Event): HTMLLIElement | null =>
    (event.target as Element | null)?.closest?.<HTMLLIElement>("li.alert.has-card") ?? null;
  notes.addEventListener("click", (event) => {
    const li = alertOf(event);
    if (li) showCard(Number(li.dataset.card));
  });
  notes.addEventListener("keydown", (event) => {
    const li = alertOf(event);
    if (li && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      showCard(Number(li.dataset.card));
    }
  });
  cardList.addEventListener("keydown", (event) => {
    const li = (event.target as Element | null)?.closest?.<HTMLLIElement>("li.card");
    if (li && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(shown.indexOf(Number(li.dataset.card)));
    }
  });
  const next = () => {
    const i = cursor.next();
    if (i !== null) select(i);
  };
  const prev = () => {
    const i = cursor.prev();
    if (i !== null) select(i);
  };
  prevButton.addEventListener("click", prev);
  nextButton.addEventListener("click", next);
  /** The comparison on screen and its two versions in words. */
  const current = (): { request: CompareRequest; label: string } | null =>
    view
      ? {
          request: { old: view.old.id, new: view.new.id },
          label: `${documentTitle(view.new)}: ${view.old.date} → ${view.new.date}`,
        }
      : null;
  exportButton.addEventListener("click", () => {
    const s = current();
    if (s) ctx.exportChanges?.(s.request, s.label);
  });
  memoButton.addEventListener("click", () => {
    const s = current();
    if (s) ctx.memo?.(s.request, s.label);
  });
  reset();

  return { setVersions, run, select, showCard, next, prev, reset };
}
