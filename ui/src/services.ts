// What every view is given by the composition root (app.ts): the page, the
// backend, and the services shared by all views. Views get these passed in
// explicitly rather than reaching for globals, so tests can drive them
// through a fake backend.
import type { Api } from "./api";
import type { ApiError } from "./bindings/ApiError";

export interface Services {
  doc: Document;
  api: Api;
  /** Registers background work so the app can tell when it is idle. */
  track<T>(p: Promise<T>): Promise<T>;
  /** Show a backend error in the banner, after `context` when given. */
  showError(error: ApiError, context?: string): void;
  /** Hide the banner (the last action went through). */
  clearError(): void;
}

/** What a dialog needs: dialogs show their errors inside themselves, not in the banner. */
export type DialogServices = Pick<Services, "doc" | "api" | "track">;

/**
 * The work started and not settled yet. Tests (and `AppHandle.idle`) wait
 * for it rather than for timers.
 */
export class Tasks {
  private readonly pending = new Set<Promise<unknown>>();

  track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    const done = () => this.pending.delete(p);
    p.then(done, done);
    return p;
  }

  /** Resolves once every piece of work started so far, and any it started, has settled. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
