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

/** Show `message` in a dialog's message box, with the backend's error code (if any) as `data-code`. */
export function showMessage(box: HTMLElement, message: string, code?: string): void {
  box.textContent = message;
  if (code) box.dataset.code = code;
  else delete box.dataset.code;
  box.hidden = false;
}

/** Empty and hide a dialog's message box. */
export function hideMessage(box: HTMLElement): void {
  box.hidden = true;
  box.textContent = "";
  delete box.dataset.code;
}
