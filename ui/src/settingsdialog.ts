// The corpus settings (`dialog#settings`, opened by `#settings-button`):
// another corpus directory, or back to the bundled corpus.
import { toApiError } from "./api";
import type { ApiError } from "./bindings/ApiError";
import type { CorpusStatus } from "./bindings/CorpusStatus";
import type { OcrMode } from "./bindings/OcrMode";
import type { Catalog } from "./catalog";
import { closeDialog, hideMessage, openDialog, showMessage } from "./dialogs";
import { byIdIn } from "./dom";
import type { Services } from "./services";

export interface SettingsContext extends Services {
  catalog: Catalog;
  /** Whether the error banner shows an error (the dialog stays open then). */
  errorShown(): boolean;
  /** The corpus changed: reload everything that shows it. */
  corpusChanged(): Promise<void>;
}

export class SettingsDialog {
  private readonly dialog: HTMLDialogElement;
  private readonly source: HTMLElement;
  private readonly dir: HTMLInputElement;
  private readonly apply: HTMLButtonElement;
  private readonly reset: HTMLButtonElement;
  private readonly ocr: HTMLSelectElement;
  private readonly error: HTMLDivElement;

  constructor(private readonly ctx: SettingsContext) {
    const byId = byIdIn(ctx.doc);
    this.dialog = byId<HTMLDialogElement>("settings");
    this.source = byId<HTMLElement>("settings-source");
    this.dir = byId<HTMLInputElement>("corpus-dir");
    this.apply = byId<HTMLButtonElement>("corpus-apply");
    this.reset = byId<HTMLButtonElement>("corpus-reset");
    this.error = byId<HTMLDivElement>("settings-error");
    this.ocr = byId<HTMLSelectElement>("ocr-mode");
    this.ocr.addEventListener("change", () => void ctx.track(this.saveOcr(this.ocr.value as OcrMode)));
    byId<HTMLButtonElement>("settings-button").addEventListener("click", () => this.open());
    byId<HTMLButtonElement>("settings-close").addEventListener("click", () => this.close());
    this.apply.addEventListener("click", () => this.applyDir());
    this.reset.addEventListener("click", () => void ctx.track(this.changeCorpus(null)));
    this.dir.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        this.applyDir();
      }
    });
  }

  get isOpen(): boolean {
    return this.dialog.open;
  }

  /** Name the corpus in use. */
  showStatus(status: CorpusStatus): void {
    this.source.textContent = status.custom_dir ? `${status.source} (${status.custom_dir})` : status.source;
  }

  /** Repeat the banner's error inside the dialog while it is open (it covers the banner). */
  mirrorError(error: ApiError | null): void {
    if (error === null) hideMessage(this.error);
    else if (this.isOpen) showMessage(this.error, error.message);
  }

  async changeCorpus(dir: string | null): Promise<void> {
    this.apply.disabled = true;
    this.reset.disabled = true;
    try {
      this.ctx.catalog.setStatus(await this.ctx.api.setCorpusDir(dir));
      await this.ctx.corpusChanged();
      if (!this.ctx.errorShown()) this.close();
    } catch (e) {
      this.ctx.showError(toApiError(e), "Could not change the corpus");
    } finally {
      this.apply.disabled = false;
      this.reset.disabled = false;
    }
  }

  async saveOcr(ocr: OcrMode): Promise<void> {
    try {
      this.ocr.value = (await this.ctx.api.setOcrMode(ocr)).ocr;
    } catch (e) {
      this.ctx.showError(toApiError(e), "Could not save the OCR setting");
    }
  }

  private async showSettings(): Promise<void> {
    try {
      this.ocr.value = (await this.ctx.api.settings()).ocr;
    } catch (e) {
      this.ctx.showError(toApiError(e), "Could not read the settings");
    }
  }

  private open(): void {
    hideMessage(this.error);
    this.dir.value = this.ctx.catalog.status?.custom_dir ?? "";
    void this.ctx.track(this.showSettings());
    openDialog(this.dialog);
    this.dir.focus();
  }

  private close(): void {
    closeDialog(this.dialog);
  }

  private applyDir(): void {
    const dir = this.dir.value.trim();
    if (dir.length === 0) {
      showMessage(this.error, "Enter a corpus directory path, or use the bundled corpus.");
      return;
    }
    void this.ctx.track(this.changeCorpus(dir));
  }
}
