// The Notes tab's filter bar (`#notes-filter`): tag (with the tags seen
// offered), status, version and matrix entry, and "Export…" for the notes
// they match.
import type { Entry } from "./bindings/Entry";
import type { NoteFilter } from "./bindings/NoteFilter";
import type { VersionInfo } from "./bindings/VersionInfo";
import type { Catalog } from "./catalog";
import { byIdIn } from "./dom";
import type { ExportTarget } from "./exportdialog";
import { Debouncer } from "./exporting";
import { describeNoteFilter, noteFilter } from "./notes";
import { el, fillEntryFilter, fillVersionFilter } from "./render";
import type { Services } from "./services";

export interface NoteFiltersContext extends Services {
  catalog: Catalog;
  /** The filters changed: list the notes again. */
  changed(): Promise<void>;
  openExport(target: ExportTarget): void;
}

export class NoteFilters {
  private readonly tagInput: HTMLInputElement;
  private readonly tagList: HTMLDataListElement;
  private readonly statusSelect: HTMLSelectElement;
  private readonly versionSelect: HTMLSelectElement;
  private readonly entrySelect: HTMLSelectElement;
  // Typing a tag lists the notes once the typing pauses.
  private readonly tagDebounce: Debouncer;

  constructor(private readonly ctx: NoteFiltersContext) {
    const byId = byIdIn(ctx.doc);
    this.tagInput = byId<HTMLInputElement>("notes-tag");
    this.tagList = byId<HTMLDataListElement>("notes-tags");
    this.statusSelect = byId<HTMLSelectElement>("notes-status");
    this.versionSelect = byId<HTMLSelectElement>("notes-version");
    this.entrySelect = byId<HTMLSelectElement>("notes-entry");
    this.tagDebounce = new Debouncer(() => ctx.changed(), 300);
    this.listen(byId<HTMLFormElement>("notes-filter"), byId<HTMLButtonElement>("notes-export"));
  }

  /** The filter the controls make now. */
  filter(): NoteFilter {
    return noteFilter({
      tag: this.tagInput.value,
      status: this.statusSelect.value,
      version: this.versionSelect.value,
      entry: this.entrySelect.value,
    });
  }

  setVersions(versions: readonly VersionInfo[]): void {
    fillVersionFilter(this.ctx.doc, this.versionSelect, versions);
  }

  setEntries(entries: readonly Entry[]): void {
    fillEntryFilter(this.ctx.doc, this.entrySelect, entries);
  }

  /** Offer these tags in the tag input (the tags only ever grow). */
  showTags(tags: readonly string[]): void {
    if (this.tagList.options.length === tags.length) return;
    this.tagList.replaceChildren(
      ...tags.map((t) => {
        const option = el(this.ctx.doc, "option");
        option.value = t;
        return option;
      }),
    );
  }

  /** Drop a listing the tag typed is still waiting for. */
  cancel(): void {
    this.tagDebounce.cancel();
  }

  private listen(form: HTMLFormElement, exportButton: HTMLButtonElement): void {
    const reload = () => void this.ctx.track(this.ctx.changed());
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.tagDebounce.cancel();
      reload();
    });
    for (const select of [this.statusSelect, this.versionSelect, this.entrySelect]) {
      select.addEventListener("change", reload);
    }
    this.tagInput.addEventListener("input", () => void this.ctx.track(this.tagDebounce.call()));
    this.tagInput.addEventListener("change", () => {
      this.tagDebounce.cancel();
      reload();
    });
    exportButton.addEventListener("click", () => {
      const f = this.filter();
      this.ctx.openExport({
        kind: "export",
        selection: { kind: "notes", filter: f },
        title: "Export notes",
        description: describeNoteFilter(f, this.ctx.catalog.labels, this.ctx.catalog.areas),
      });
    });
  }
}
