// The error banner under the header (`#error`): the backend's error code and
// message, until the next action that goes through or the user dismisses it.
import type { ApiError } from "./bindings/ApiError";
import { byIdIn } from "./dom";

/** Called with the error shown, or null when the banner is cleared. */
export type ErrorListener = (error: ApiError | null) => void;

export class ErrorBanner {
  private readonly banner: HTMLDivElement;
  private readonly code: HTMLSpanElement;
  private readonly message: HTMLSpanElement;
  private readonly listeners: ErrorListener[] = [];

  constructor(doc: Document) {
    const byId = byIdIn(doc);
    this.banner = byId<HTMLDivElement>("error");
    this.code = byId<HTMLSpanElement>("error-code");
    this.message = byId<HTMLSpanElement>("error-message");
    byId<HTMLButtonElement>("error-dismiss").addEventListener("click", () => this.clear());
  }

  /** Whether an error is on screen. */
  get shown(): boolean {
    return !this.banner.hasAttribute("hidden");
  }

  show(error: ApiError, context?: string): void {
    this.code.textContent = error.code;
    this.message.textContent = context ? `${context}: ${error.message}` : error.message;
    this.banner.dataset.code = error.code;
    this.banner.hidden = false;
    for (const listener of this.listeners) listener(error);
  }

  clear(): void {
    this.banner.hidden = true;
    this.code.textContent = "";
    this.message.textContent = "";
    delete this.banner.dataset.code;
    for (const listener of this.listeners) listener(null);
  }

  /** Another place that repeats the error (the settings dialog, which covers the banner). */
  onChange(listener: ErrorListener): void {
    this.listeners.push(listener);
  }
}
