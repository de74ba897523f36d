// Pure helpers for the statements a change card compares: who holds one,
// its force, what it does and what limits it, each in words. No DOM here.
import type { Party } from "./bindings/Party";
import type { Qualifier } from "./bindings/Qualifier";
import type { Statement } from "./bindings/Statement";
import { words } from "./format";

/** How each party is named. */
export const PARTY_LABELS: Record<Party, string> = {
  provider: "provider",
  customer: "customer",
  third_party: "third party",
  unknown: "party unknown",
};

/** A card's party as a label, or null when there is nothing to say (none, or unknown). */
export function cardPartyLabel(party: Party | null): string | null {
  return party === null || party === "unknown" ? null : PARTY_LABELS[party];
}

/** `"provider"`, or `"provider (implied)"` when no words name it. */
export function statementParty(s: Pick<Statement, "party" | "implied_party">): string {
  const label = PARTY_LABELS[s.party];
  return s.implied_party && s.party !== "unknown" ? `${label} (implied)` : label;
}

/** What the statement does, as written: modal, action and object (`"will notify the customer"`). */
export function statementAction(s: Pick<Statement, "modal" | "action" | "object">): string {
  return [s.modal, s.action, s.object]
    .map((w) => w.trim())
    .filter((w) => w.length > 0)
    .join(" ");
}

/** `"time: within 72 hours"`. */
export function qualifierLabel(q: Pick<Qualifier, "kind" | "text">): string {
  return `${words(q.kind)}: ${q.text}`;
}

/** Which side of a comparison a statement is on, by its clause's version; null when neither. */
export function statementSide(
  s: Pick<Statement, "clause_id">,
  oldVersion: string,
  newVersion: string,
): "before" | "after" | null {
  if (s.clause_id.startsWith(`${oldVersion}/`)) return "before";
  if (s.clause_id.startsWith(`${newVersion}/`)) return "after";
  return null;
}
