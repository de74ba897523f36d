// DOM builders. Document text is untrusted: everything here is built with
// createElement + textContent, never with HTML strings.
import type { Entry } from "./bindings/Entry";
import type { Link } from "./bindings/Link";
import type { ReaderBlock } from "./bindings/ReaderBlock";
import type { SearchHit } from "./bindings/SearchHit";
import type { SearchResults } from "./bindings/SearchResults";
import type { TextPart } from "./bindings/TextPart";
import type { VersionInfo } from "./bindings/VersionInfo";
import {
  documentTitle,
  headingTag,
  hitCount,
  ocrLabel,
  pageLabel,
  sectionPath,
  shortClauseId,
  versionLabel,
} from "./format";
import { areaOf, linkTooltip } from "./matrix";

const NO_AREAS: ReadonlyMap<string, string> = new Map();

/** createElement with an optional class list and text content. */
export function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Text parts as text nodes, with hit parts wrapped in `<mark>`. */
export function renderParts(doc: Document, parts: readonly TextPart[]): DocumentFragment {
  const frag = doc.createDocumentFragment();
  for (const part of parts) {
    if (part.text.length === 0) continue;
    if (part.hit) {
      frag.appendChild(el(doc, "mark", undefined, part.text));
    } else {
      frag.appendChild(doc.createTextNode(part.text));
    }
  }
  return frag;
}

/** The matrix entries of a search hit: `div.hit-entries` of `span.entry-chip`s. */
export function renderEntryChips(
  doc: Document,
  keys: readonly string[],
  areas: ReadonlyMap<string, string> = NO_AREAS,
): HTMLDivElement {
  const div = el(doc, "div", "hit-entries");
  for (const key of keys) {
    const chip = el(doc, "span", "entry-chip", areaOf(key, areas));
    chip.dataset.entry = key;
    chip.title = key;
    div.appendChild(chip);
  }
  return div;
}

/** One `li.hit` of the results list; `areas` maps entry keys to area names. */
export function renderHit(
  doc: Document,
  hit: SearchHit,
  index: number,
  areas: ReadonlyMap<string, string> = NO_AREAS,
): HTMLLIElement {
  const li = el(doc, "li", "hit");
  li.tabIndex = 0;
  li.dataset.index = String(index);
  li.dataset.clauseId = hit.clause_id;
  li.setAttribute("role", "option");
  li.setAttribute("aria-selected", "false");

  const meta = el(doc, "div", "hit-meta");
  const badge = el(doc, "span", "version-badge", hit.date);
  badge.title = hit.version;
  meta.appendChild(badge);
  const pages = pageLabel(hit.pages);
  if (pages) meta.appendChild(el(doc, "span", "hit-pages", pages));
  if (hit.ocr !== undefined) meta.appendChild(ocrMark(doc, hit.ocr));
  const title = documentTitle(hit);
  const docName = el(doc, "span", "hit-doc", title);
  docName.title = title;
  meta.appendChild(docName);
  li.appendChild(meta);

  const section = sectionPath(hit.section);
  const sectionEl = el(doc, "div", "hit-section", section || "(no section)");
  if (!section) sectionEl.classList.add("hit-section-empty");
  li.appendChild(sectionEl);

  const snippet = el(doc, "p", "hit-snippet");
  snippet.appendChild(renderParts(doc, hit.snippet.length > 0 ? hit.snippet : [{ text: hit.text, hit: false }]));
  li.appendChild(snippet);
  if (hit.entries.length > 0) li.appendChild(renderEntryChips(doc, hit.entries, areas));
  return li;
}

/**
 * One link of a reader clause: `span.link-chip.auto` (or `.manual`) with the
 * entry's area and a `button.link-remove` to unlink it.
 */
export function renderLinkChip(
  doc: Document,
  link: Link,
  areas: ReadonlyMap<string, string> = NO_AREAS,
): HTMLSpanElement {
  const area = areaOf(link.entry, areas);
  const chip = el(doc, "span", `link-chip ${link.source === "manual" ? "manual" : "auto"}`);
  chip.dataset.entry = link.entry;
  chip.title = linkTooltip(link);
  chip.appendChild(el(doc, "span", "link-chip-label", area));
  const remove = el(doc, "button", "link-remove", "×");
  remove.type = "button";
  remove.setAttribute("aria-label", `Unlink ${area}`);
  remove.title = `Unlink ${area}`;
  chip.appendChild(remove);
  return chip;
}

/** The chips of a clause's links, in the order given. */
export function renderLinkChips(
  doc: Document,
  links: readonly Link[],
  areas: ReadonlyMap<string, string> = NO_AREAS,
): HTMLSpanElement[] {
  return links.map((link) => renderLinkChip(doc, link, areas));
}

/** One choice of a select: its value, what it shows, and its tooltip. */
export interface Choice {
  value: string;
  label: string;
  title?: string;
}

export function renderOption(doc: Document, choice: Choice): HTMLOptionElement {
  const option = el(doc, "option", undefined, choice.label);
  option.value = choice.value;
  if (choice.title !== undefined) option.title = choice.title;
  return option;
}

/** Versions as choices: by label, with the id in the tooltip. */
export function versionChoices(versions: readonly VersionInfo[]): Choice[] {
  return versions.map((v) => ({ value: v.id, label: versionLabel(v), title: v.id }));
}

/** Matrix entries as choices: by area, with the key in the tooltip. */
export function entryChoices(entries: readonly Entry[]): Choice[] {
  return entries.map((e) => ({ value: e.key, label: e.area, title: e.key }));
}

/**
 * Fill a filter select: `all` (value "") first, then the choices. The value
 * chosen stays when it is still offered, else the filter goes back to `all`.
 */
export function fillSelect(doc: Document, select: HTMLSelectElement, all: string, choices: readonly Choice[]): void {
  const previous = select.value;
  select.replaceChildren(renderOption(doc, { value: "", label: all }), ...choices.map((c) => renderOption(doc, c)));
  select.value = choices.some((c) => c.value === previous) ? previous : "";
}

/** A version filter (the search form's, the Notes tab's). */
export function fillVersionFilter(doc: Document, select: HTMLSelectElement, versions: readonly VersionInfo[]): void {
  fillSelect(doc, select, "All versions", versionChoices(versions));
}

/** A matrix entry filter (the search form's, the Notes tab's); disabled without a matrix. */
export function fillEntryFilter(doc: Document, select: HTMLSelectElement, entries: readonly Entry[]): void {
  fillSelect(doc, select, "All matrix entries", entryChoices(entries));
  select.disabled = entries.length === 0;
}

/** The focused clause's `select.link-add`: a prompt, then every entry by area. */
export function renderLinkAdd(doc: Document, entries: readonly Entry[]): HTMLSelectElement {
  const select = el(doc, "select", "link-add");
  select.setAttribute("aria-label", "Link this clause to a matrix entry");
  select.title = "Link this clause to a matrix entry";
  select.appendChild(renderOption(doc, { value: "", label: "Link to a matrix entry…" }));
  for (const choice of entryChoices(entries)) select.appendChild(renderOption(doc, choice));
  select.value = "";
  return select;
}

/**
 * The summary line: "N hits" and one facet button per version. `labels` maps
 * version ids to a readable label for tooltips.
 */
export function renderSummary(
  doc: Document,
  results: SearchResults,
  activeVersion: string | null,
  labels: ReadonlyMap<string, string>,
): DocumentFragment {
  const frag = doc.createDocumentFragment();
  // The hits alone of a long phrase are not counted past the hits: the
  // number is a lower bound until the counts follow.
  let text = results.total_exact ? hitCount(results.total) : `at least ${hitCount(results.total)}`;
  if (results.total_exact && results.hits.length < results.total) text += ` (showing ${results.hits.length})`;
  frag.appendChild(el(doc, "span", "summary-count", text));
  if (results.facets.length > 0) {
    const facets = el(doc, "span", "facets");
    for (const facet of results.facets) {
      const button = el(doc, "button", "facet", `${facet.date} (${facet.count})`);
      button.type = "button";
      button.dataset.version = facet.version;
      const active = facet.version === activeVersion;
      if (active) button.classList.add("active");
      button.setAttribute("aria-pressed", String(active));
      const label = labels.get(facet.version) ?? facet.version;
      button.title = active ? `${label} — click to show all versions` : `Only ${label}`;
      facets.appendChild(button);
    }
    if (results.facets_omitted) {
      const more = el(doc, "span", "facets-omitted", `+${results.facets_omitted} more versions`);
      more.title = "Versions with fewer matches; filter by version to search one of them";
      facets.appendChild(more);
    }
    frag.appendChild(facets);
  } else if (!results.counted && results.total > 0) {
    // The hits come first; the counts per version follow in a second call.
    frag.appendChild(el(doc, "span", "facets-pending", "counting per version…"));
  }
  return frag;
}

/** A version's date as `time.version-badge`; the tooltip is the version id unless told otherwise. */
export function renderVersionBadge(doc: Document, version: VersionInfo, title: string = version.id): HTMLTimeElement {
  const badge = el(doc, "time", "version-badge", version.date);
  badge.dateTime = version.date;
  badge.title = title;
  return badge;
}

/** The reader header content: `vendor — document` and the date (id in tooltip). */
export function renderReaderTitle(doc: Document, version: VersionInfo): DocumentFragment {
  const frag = doc.createDocumentFragment();
  frag.appendChild(el(doc, "span", "reader-title", documentTitle(version)));
  frag.appendChild(renderVersionBadge(doc, version));
  return frag;
}

const KIND_CLASS: Record<string, string> = {
  paragraph: "paragraph",
  list_item: "list-item",
  footnote: "footnote",
};

/**
 * A whole document's blocks: headings and `div.clause` blocks, each clause
 * with a `div.clause-links` of its matrix links (`areas` names their entries).
 */
export function renderBlocks(
  doc: Document,
  blocks: readonly ReaderBlock[],
  versionId?: string,
  areas: ReadonlyMap<string, string> = NO_AREAS,
): DocumentFragment {
  const frag = doc.createDocumentFragment();
  for (const block of blocks) {
    if (block.type === "heading") {
      const heading = el(doc, headingTag(block.level), "doc-heading", block.text);
      heading.dataset.level = String(block.level);
      frag.appendChild(heading);
      continue;
    }
    const div = el(doc, "div", `clause ${KIND_CLASS[block.kind] ?? "paragraph"}`);
    div.dataset.clauseId = block.id;
    if (block.focus) div.classList.add("focus");
    const text = el(doc, "p", "clause-text");
    text.appendChild(renderParts(doc, block.parts));
    div.appendChild(text);
    const caption = el(doc, "div", "clause-caption");
    const id = el(doc, "span", "clause-id", shortClauseId(block.id, versionId));
    id.title = block.id;
    caption.appendChild(id);
    const pages = pageLabel(block.pages);
    if (pages) caption.appendChild(el(doc, "span", "clause-pages", pages));
    if (block.ocr !== undefined) caption.appendChild(ocrMark(doc, block.ocr));
    div.appendChild(caption);
    const links = el(doc, "div", "clause-links");
    links.replaceChildren(...renderLinkChips(doc, block.links ?? [], areas));
    div.appendChild(links);
    frag.appendChild(div);
  }
  return frag;
}

/** The "OCR" mark of a clause read from a page image; its confidence on hover. */
export function ocrMark(doc: Document, confidence: number): HTMLElement {
  const mark = el(doc, "span", "ocr-mark", "OCR");
  const label = ocrLabel(confidence);
  mark.title = `${label[0].toUpperCase()}${label.slice(1)}: check the wording against the page`;
  mark.setAttribute("aria-label", label);
  return mark;
}
