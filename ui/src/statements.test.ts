import { describe, expect, it } from "vitest";
import {
  cardPartyLabel,
  qualifierLabel,
  statementAction,
  statementParty,
  statementSide,
} from "./statements";

const OLD = "heroku-spa@2016-05-06";
const NEW = "heroku-spa@2023-05-05";

describe("statements in words", () => {
  it("names parties, a card's only when known", () => {
    expect(cardPartyLabel("provider")).toBe("provider");
    expect(cardPartyLabel("third_party")).toBe("third party");
    expect(cardPartyLabel("unknown")).toBeNull();
    expect(cardPartyLabel(null)).toBeNull();
    expect(statementParty({ party: "customer", implied_party: false })).toBe("customer");
    expect(statementParty({ party: "provider", implied_party: true })).toBe("provider (implied)");
    expect(statementParty({ party: "unknown", implied_party: true })).toBe("party unknown");
  });

  it("says what a statement does: modal, action and object, as written", () => {
    expect(statementAction({ modal: "will", action: "notify", object: "the customer" })).toBe("will notify the customer");
    expect(statementAction({ modal: "", action: "back up", object: "data" })).toBe("back up data");
    expect(statementAction({ modal: "shall not", action: "sell", object: " " })).toBe("shall not sell");
  });

  it("writes qualifiers as kind: text", () => {
    expect(qualifierLabel({ kind: "time", text: "within 72 hours" })).toBe("time: within 72 hours");
    expect(qualifierLabel({ kind: "framework", text: "EU-US Privacy Shield" })).toBe("framework: EU-US Privacy Shield");
  });

  it("tells the side of a statement by its clause's version", () => {
    expect(statementSide({ clause_id: `${OLD}/privacy/1` }, OLD, NEW)).toBe("before");
    expect(statementSide({ clause_id: `${NEW}/privacy/1` }, OLD, NEW)).toBe("after");
    // A prefix of another version's ID is not that version.
    expect(statementSide({ clause_id: `${OLD}x/privacy/1` }, OLD, NEW)).toBeNull();
  });
});
