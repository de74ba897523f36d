import { describe, expect, it } from "vitest";
import {
  areaOf,
  cellClass,
  cellLabel,
  clauseCount,
  confidenceText,
  entryTooltip,
  linkSourceLabel,
  linkTooltip,
  matrixSummary,
  modelNotes,
  ownerClass,
  ownerLabel,
  ownerTitle,
  shiftLabel,
} from "./matrix";
import { ENTRIES, MATRIX, matrixGrid, VERSIONS } from "./testing/fixtures";

describe("owner", () => {
  it("labels and classes the three owners distinctly", () => {
    expect(["provider", "customer", "shared"].map(ownerLabel)).toEqual(["Provider", "Customer", "Shared"]);
    expect(ownerClass("provider")).toBe("owner-badge owner-provider");
    expect(ownerClass("customer")).toBe("owner-badge owner-customer");
    expect(ownerClass("shared")).toBe("owner-badge owner-shared");
    expect(ownerTitle("shared")).toBe("Provider and customer share this area");
  });

  it("shows an unknown owner as it came, without inventing a class from it", () => {
    expect(ownerLabel("auditor")).toBe("auditor");
    expect(ownerClass("x onerror")).toBe("owner-badge owner-unknown");
    expect(ownerTitle("auditor")).toBe("Owner: auditor");
  });
});

describe("grid cells", () => {
  it("mutes zero and grades the rest", () => {
    expect(cellClass(0)).toBe("matrix-cell zero");
    expect(cellClass(1)).toBe("matrix-cell some");
    expect(cellClass(2)).toBe("matrix-cell some");
    expect(cellClass(3)).toBe("matrix-cell many");
    expect(cellClass(Number.NaN)).toBe("matrix-cell zero");
  });

  it("names a cell for screen readers", () => {
    expect(clauseCount(1)).toBe("1 clause");
    expect(clauseCount(0)).toBe("0 clauses");
    expect(cellLabel(2, "Physical security", "2023-05-05")).toBe("2 clauses of 2023-05-05 linked to Physical security");
  });

  it("puts both sides' duties in the row tooltip", () => {
    expect(entryTooltip({ provider: "Runs the data centres.", customer: "Nothing to do." })).toBe(
      "Provider: Runs the data centres.\nCustomer: Nothing to do.",
    );
  });
});

describe("links", () => {
  it("badges a rule's link with its confidence and a user's link as manual", () => {
    expect(linkSourceLabel({ source: "auto", confidence: 0.9 })).toBe("auto 0.90");
    expect(linkSourceLabel({ source: "auto", confidence: 0.555 })).toBe("auto 0.56");
    expect(linkSourceLabel({ source: "manual", confidence: 1 })).toBe("manual");
    expect(confidenceText(Number.NaN)).toBe("?");
  });

  it("explains a link in its tooltip", () => {
    expect(linkTooltip({ reason: "rule 1 matched “backups”", confidence: 0.9 })).toBe(
      "rule 1 matched “backups” (confidence 0.90)",
    );
  });

  it("names an entry by area, falling back to the key's last part", () => {
    const areas = new Map([["m/backup-replication", "Backup and replication"]]);
    expect(areaOf("m/backup-replication", areas)).toBe("Backup and replication");
    expect(areaOf("m/gone", areas)).toBe("gone");
    expect(areaOf("bare", areas)).toBe("bare");
  });

  it("turns shift kinds into words", () => {
    expect(shiftLabel("moved_to_customer")).toBe("moved to customer");
    expect(shiftLabel("made_conditional")).toBe("made conditional");
    expect(shiftLabel("removed")).toBe("removed");
  });
});

describe("modelNotes", () => {
  it("lists only the models with a note, in IaaS, PaaS, SaaS order", () => {
    expect(modelNotes({ iaas: null, paas: null, saas: null })).toEqual([]);
    expect(modelNotes({ saas: "S.", iaas: "I.", paas: "  " })).toEqual([
      { model: "IaaS", note: "I." },
      { model: "SaaS", note: "S." },
    ]);
  });
});

describe("matrixSummary", () => {
  it("names the matrix and its size", () => {
    expect(matrixSummary(matrixGrid(VERSIONS))).toBe(
      `Shared responsibility for cloud platforms · ${ENTRIES.length} entries × 2 versions`,
    );
    const two = { ...matrixGrid(VERSIONS.slice(0, 1)), matrices: [MATRIX, { ...MATRIX, id: "other" }] };
    expect(matrixSummary(two)).toBe(
      `Shared responsibility for cloud platforms (and 1 more matrix) · ${ENTRIES.length} entries × 1 version`,
    );
  });

  it("says when there is no matrix", () => {
    const none = { matrices: [], entries: [], versions: VERSIONS };
    expect(matrixSummary(none)).toBe("No responsibility matrix is loaded.");
  });
});
