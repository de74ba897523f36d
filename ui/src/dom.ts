// Small DOM helpers shared by the views: finding the page's elements, and
// reading what an event was aimed at.

/** A lookup of the page's elements by id that fails loudly, naming the id. */
export function byIdIn(doc: Document): <T extends HTMLElement>(id: string) => T {
  return <T extends HTMLElement>(id: string): T => {
    const found = doc.getElementById(id);
    if (!found) throw new Error(`trustlens: #${id} is missing from index.html`);
    return found as T;
  };
}

/**
 * The closest element matching `selector` from the event's target up, or
 * null. The target may be a node without `closest` (a text node, the document).
 */
export function closestTo<T extends Element = HTMLElement>(event: Event, selector: string): T | null {
  return (event.target as Element | null)?.closest?.<T>(selector) ?? null;
}

/** Whether the event's target itself (not something inside it) matches `selector`. */
export function targetIs(event: Event, selector: string): boolean {
  return (event.target as Element | null)?.matches?.(selector) ?? false;
}

/** Enter and Space activate list items that act like buttons. */
export function isActivation(event: KeyboardEvent): boolean {
  return event.key === "Enter" || event.key === " ";
}

/** Scroll `element` into view where the environment can (jsdom cannot). */
export function scrollToView(element: Element | null | undefined, block: ScrollLogicalPosition): void {
  if (element && typeof element.scrollIntoView === "function") element.scrollIntoView({ block });
}

/**
 * Mark the items for which `isOn` holds as selected (class and aria-selected),
 * the others as not; returns the last item marked.
 */
export function markSelected<T extends HTMLElement>(items: Iterable<T>, isOn: (item: T) => boolean): T | null {
  let selected: T | null = null;
  for (const item of items) {
    const on = isOn(item);
    item.classList.toggle("selected", on);
    item.setAttribute("aria-selected", String(on));
    if (on) selected = item;
  }
  return selected;
}

/**
 * The page's element `id`, or one made by `create` and put in the page by
 * `place` (for the parts of a view that index.html does not hold).
 */
export function ensureElement<T extends HTMLElement>(
  doc: Document,
  id: string,
  create: (doc: Document) => T,
  place: (node: T) => void,
): T {
  const found = doc.getElementById(id);
  if (found) return found as T;
  const node = create(doc);
  node.id = id;
  place(node);
  return node;
}
