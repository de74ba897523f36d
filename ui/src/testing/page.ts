// The real page (index.html) in jsdom, for tests that drive the app through it.
import indexHtml from "../../index.html?raw";

/** Replace the document's body with index.html's. */
export function loadPage(): void {
  const parsed = new DOMParser().parseFromString(indexHtml, "text/html");
  document.body.replaceWith(document.importNode(parsed.body, true));
}

/** The element matching `sel`, or an error naming the selector. */
export const $ = <T extends HTMLElement = HTMLElement>(sel: string): T => {
  const found = document.querySelector<T>(sel);
  if (!found) throw new Error(`no ${sel}`);
  return found;
};
