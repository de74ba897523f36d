// Modal dialogs, with a fallback for environments without showModal (jsdom).

export function openDialog(dialog: HTMLDialogElement): void {
  if (dialog.open) return;
  if (typeof dialog.showModal === "function") dialog.showModal();
  else dialog.setAttribute("open", "");
}

export function closeDialog(dialog: HTMLDialogElement): void {
  if (typeof dialog.close === "function") dialog.close();
  else dialog.removeAttribute("open");
}

/** The element with this id, or an error naming it. */
export function byIdIn(doc: Document): <T extends HTMLElement>(id: string) => T {
  return <T extends HTMLElement>(id: string): T => {
    const found = doc.getElementById(id);
    if (!found) throw new Error(`trustlens: #${id} is missing from index.html`);
    return found as T;
  };
}
