#!/usr/bin/env python3
"""Evaluate trustlens change cards against hand-read gold changes.

Usage:
    python3 bench/eval_cards.py BIN [--fixtures tests/fixtures/eval] [--json] [--check] [--show]
                                    [--only NAME]

BIN is the trustlens CLI (e.g. target/debug/trustlens). Each folder of the
fixtures directory that holds a ``pairs.json`` is one vendor: for every pair it
names, both files are ingested into a fresh temporary corpus
(``BIN ingest FILE --vendor V --document D --date DATE --corpus TMP --json``),
then compared (``BIN diff OLD_ID NEW_ID --json --corpus TMP``). A *bundled*
pair names two versions of trustlens's bundled corpus instead of files: nothing
is ingested, and the pair is compared with ``BIN diff OLD_ID NEW_ID --json``
(no ``--corpus``: the bundled corpus, plus an empty data directory). Then the
cards are scored:

- a card is *typed and in its own words* when its kind is not ``other``, its
  summary has at most 30 (whitespace-separated) words, and the summary shares
  no run of 6 consecutive words (lowercased letter/digit tokens) with its
  before or after evidence text — a value the summary quotes as a value,
  in single quotes and at most 12 words ('until the account is deleted'),
  is left out of that test: quoting a deadline or a condition is naming it;
  quoting a clause's opening words is not;
- a gold change is *found* when some typed, own-words card has a ``topic`` in
  the change's ``expect.topics`` and a summary that, for every group of
  ``expect.words``, contains (case-insensitively) one of the group's strings;
  when ``expect.party`` is given, one such card's ``party`` must equal it, or
  the change counts as found with a *party error*;
- a ``no_card`` change (a trap: a re-wording with the same meaning, an
  editorial edit) is *contradicted* when any card at all (of any kind) matches
  its expect block; a trap without ``expect.topics`` matches whatever the
  card's topic (or none). A trap may also list ``expect.evidence``: strings of
  its own clause; a card whose before or after text contains one of them (and
  whose topic fits) contradicts it too, whatever its summary says. Traps that
  some card hits but whose topic test fails are listed as "not counted"; a
  trap with ``expect.party`` is about that party's statement only: a card
  about another party's does not hit it
  (``trap_words_only``), for information: they are neither contradictions nor
  part of ``--check``.

pairs.json (one per folder; file paths relative to it):

    {"vendor": "Orbitly", "document": "Security Overview",
     "documents": {"other-pair": "Another Document"},   # optional, per pair
     "pairs": {"main": ["old.md", "new.md"]},
     "dates": {"old.md": "2023-01-10", "new.md": "2024-06-01"},
     "changes": [{"pair": "main", "id": "...", "what": "...", "no_card": false,
                  "expect": {"topics": ["breach-notification"],
                             "words": [["notify"], ["72", "immediately"]],
                             "party": "provider"}}]}

A folder may instead (or as well) list ``"bundled": {"main": ["heroku-spa@2016-05-06",
"heroku-spa@2023-05-05"]}``: pairs of version IDs of the bundled corpus (see
``BIN versions``), with no files and no dates; ``pairs`` and ``dates`` may then
be left out, and a change's ``pair`` names a pair of either kind (a name may not
be in both). ``vendor`` and ``document`` are still required, for documentation:
the bundled corpus has its own.

Output: per pair the number of cards, editorial items (``editorial.items`` of
the comparison, 0 when absent), typed+own-words cards and their share, gold
found/missed (a missed change lists the cards that have its words and why
they do not count; "more but for the topic" counts those that would be found
if the topic were right), contradictions and party errors; then totals. ``--show`` lists
every card (kind, topic, party, summary, and why it is not typed+own words);
``--json`` prints everything as JSON; ``--check`` exits 1 unless the typed+own
share is at least 0.8, every gold change is found, nothing is contradicted,
there is no party error and every pair ran. ``--only NAME`` keeps the folders
(or ``folder/pair``) whose name contains NAME.

Only the Python 3.11 standard library is used. The binary runs with
TRUSTLENS_DATA_DIR and TRUSTLENS_CACHE_DIR pointed into the temporary
directory, so your own corpus, notes and index are never touched.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

MAX_SUMMARY_WORDS = 30
QUOTE_RUN = 6
# A value quoted as a value: 'until the account is deleted' (at most 12 words).
QUOTED_VALUE = re.compile(r"(?:(?<=\s)|^)['\u2018]((?:[^'\u2019\s]|['\u2019](?=\w))+(?:\s+(?:[^'\u2019\s]|['\u2019](?=\w))+){0,11})['\u2019](?=[\s.,;:)]|$)")
SHARE_THRESHOLD = 0.8
TIMEOUT_S = 600

TOPICS = frozenset(
    """encryption-in-transit encryption-at-rest key-management breach-notification
    retention deletion data-location international-transfers subprocessors
    certifications-audits access-control logging-monitoring backup-recovery
    vulnerability-management personnel sale-sharing disclosure-authorities
    tracking-analytics dispute-resolution roles-entities sensitive-data liability
    security-program""".split()
)
PARTIES = frozenset({"provider", "customer", "third_party"})

TOKEN = re.compile(r"[^\W_]+")


# ---------------------------------------------------------------- scoring


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def runs(toks: list[str], n: int = QUOTE_RUN) -> set[tuple[str, ...]]:
    return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)}


def evidence_text(card: dict, side: str) -> str:
    ev = card.get(side)
    if isinstance(ev, dict):
        return ev.get("text") or ""
    return ""


def quoted_run(card: dict) -> str | None:
    """The first run of QUOTE_RUN summary words that the evidence also has, or None."""
    summary = tokens(QUOTED_VALUE.sub(" ", card.get("summary") or ""))
    if len(summary) < QUOTE_RUN:
        return None
    evidence = runs(tokens(evidence_text(card, "before"))) | runs(tokens(evidence_text(card, "after")))
    for i in range(len(summary) - QUOTE_RUN + 1):
        run = tuple(summary[i : i + QUOTE_RUN])
        if run in evidence:
            return " ".join(run)
    return None


def why_not_typed_own(card: dict) -> list[str]:
    """The reasons a card is not typed and in its own words (empty when it is)."""
    reasons = []
    if card.get("kind", "other") == "other":
        reasons.append("kind other")
    n = len((card.get("summary") or "").split())
    if n > MAX_SUMMARY_WORDS:
        reasons.append(f"{n} words")
    run = quoted_run(card)
    if run is not None:
        reasons.append(f'quotes "{run}"')
    return reasons


def words_match(summary: str, groups: list[list[str]]) -> bool:
    s = summary.lower()
    return all(any(w.lower() in s for w in group) for group in groups)


def topic_ok(card: dict, topics: list[str] | None) -> bool:
    if topics is None:  # only traps may leave topics out: any topic, or none
        return True
    return card.get("topic") in topics


def card_matches(card: dict, expect: dict) -> bool:
    return topic_ok(card, expect.get("topics")) and words_match(
        card.get("summary") or "", expect.get("words") or []
    )


def evidence_match(card: dict, needles: list[str] | None) -> bool:
    """Some needle occurs (case-insensitively) in the card's before or after text."""
    if not needles:
        return False
    texts = (evidence_text(card, "before").lower(), evidence_text(card, "after").lower())
    return any(n.lower() in t for n in needles for t in texts)


def trap_hit(card: dict, expect: dict, with_topic: bool = True) -> bool:
    """A card claims a trap changed: its topic fits (unless with_topic is off) and
    its summary has the trap's words, or its evidence the trap's clause."""
    if with_topic and not topic_ok(card, expect.get("topics")):
        return False
    # A trap about one party's statement is not hit by a card about another's.
    if expect.get("party") and card.get("party") not in (None, expect["party"]):
        return False
    return words_match(card.get("summary") or "", expect.get("words") or []) or evidence_match(
        card, expect.get("evidence")
    )


def editorial_items(comparison: dict) -> int:
    ed = comparison.get("editorial")
    if isinstance(ed, dict):
        items = ed.get("items")
        return len(items) if isinstance(items, list) else 0
    if isinstance(ed, list):
        return len(ed)
    return 0


def share(num: int, den: int) -> float | None:
    return num / den if den else None


def score_pair(comparison: dict, changes: list[dict]) -> dict:
    cards = comparison.get("changes") or []
    shown = []
    typed_own = []
    for i, card in enumerate(cards):
        reasons = why_not_typed_own(card)
        if not reasons:
            typed_own.append(i)
        shown.append(
            {
                "index": i,
                "kind": card.get("kind"),
                "topic": card.get("topic"),
                "party": card.get("party"),
                "severity": card.get("severity"),
                "direction": card.get("direction"),
                "summary": card.get("summary"),
                "typed_own_words": not reasons,
                "not_typed_own_because": reasons,
            }
        )
    found, missed, contradictions, party_errors, by_words = [], [], [], [], []
    for ch in changes:
        expect = ch.get("expect") or {}
        if ch.get("no_card"):
            hits = [i for i, c in enumerate(cards) if trap_hit(c, expect)]
            if hits:
                contradictions.append({"id": ch["id"], "cards": hits})
            else:
                # Informational only (not a contradiction, not in --check):
                # cards that hit the trap although their topic does not fit.
                loose = [i for i, c in enumerate(cards) if trap_hit(c, expect, with_topic=False)]
                if loose:
                    by_words.append({"id": ch["id"], "cards": loose})
            continue
        hits = [i for i in typed_own if card_matches(cards[i], expect)]
        if not hits:
            # Cards that say the right words but fail the other tests: a hint
            # for whoever works on the engine.
            near = [
                {
                    "card": i,
                    "why": why_not_typed_own(c)
                    + ([] if topic_ok(c, expect.get("topics")) else [f"topic {c.get('topic')!r}"]),
                }
                for i, c in enumerate(cards)
                if words_match(c.get("summary") or "", expect.get("words") or [])
            ]
            missed.append({"id": ch["id"], "near": near})
            continue
        found.append({"id": ch["id"], "cards": hits})
        want = expect.get("party")
        if want is not None and not any(cards[i].get("party") == want for i in hits):
            party_errors.append(
                {"id": ch["id"], "expected": want, "got": [cards[i].get("party") for i in hits]}
            )
    n_cards, n_typed, n_ed = len(cards), len(typed_own), editorial_items(comparison)
    return {
        "cards": n_cards,
        "editorial_items": n_ed,
        "typed_own": n_typed,
        "typed_own_share": share(n_typed, n_cards),
        "typed_own_or_editorial_share": share(n_typed + n_ed, n_cards + n_ed),
        "gold": sum(1 for c in changes if not c.get("no_card")),
        "traps": sum(1 for c in changes if c.get("no_card")),
        "found": found,
        "missed": missed,
        # missed only because of the topic test: some typed, own-words card has the words
        "missed_only_topic": [
            m["id"] for m in missed
            if any(all(w.startswith("topic ") for w in n["why"]) for n in m["near"])
        ],
        "contradictions": contradictions,
        "trap_words_only": by_words,
        "party_errors": party_errors,
        "clause_counts": comparison.get("counts"),
        "warnings": comparison.get("warnings") or [],
        "card_list": shown,
    }


# ---------------------------------------------------------------- fixtures


def pair_names(spec: dict) -> list[str]:
    """The pairs of a fixture: its file pairs, then its bundled pairs."""
    return list(spec.get("pairs") or {}) + [n for n in (spec.get("bundled") or {}) if n not in (spec.get("pairs") or {})]


def pair_versions(spec: dict, pair: str) -> tuple[str, str]:
    """A pair's old and new: file names, or bundled version IDs."""
    old, new = (spec.get("pairs") or {}).get(pair) or spec["bundled"][pair]
    return old, new


def load_fixture(folder: Path) -> tuple[dict | None, list[str]]:
    """pairs.json of a folder and the problems found in it."""
    path = folder / "pairs.json"
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return None, [f"{path}: {e}"]
    problems = []
    required = ("vendor", "document", "changes") + (() if "bundled" in spec else ("pairs", "dates"))
    for key in required:
        if key not in spec:
            problems.append(f"{path}: missing {key!r}")
    if problems:
        return None, problems
    spec.setdefault("pairs", {})
    spec.setdefault("dates", {})
    if not isinstance(spec.get("bundled", {}), dict):
        return None, [f"{path}: bundled must map pair names to [old version id, new version id]"]
    for name, ids in (spec.get("bundled") or {}).items():
        if not (isinstance(ids, list) and len(ids) == 2 and all(isinstance(v, str) and v for v in ids)):
            problems.append(f"{path}: bundled pair {name!r} must list [old version id, new version id]")
        if name in spec["pairs"]:
            problems.append(f"{path}: pair {name!r} is both in pairs and in bundled")
    for name, files in spec["pairs"].items():
        if not (isinstance(files, list) and len(files) == 2):
            problems.append(f"{path}: pair {name!r} must list [old, new]")
            continue
        for f in files:
            if not (folder / f).is_file():
                problems.append(f"{path}: pair {name!r}: no file {f}")
            if f not in spec["dates"]:
                problems.append(f"{path}: no date for {f}")
    seen = set()
    for ch in spec["changes"]:
        cid = ch.get("id")
        where = f"{path}: change {cid!r}"
        if not cid or cid in seen:
            problems.append(f"{where}: missing or repeated id")
        seen.add(cid)
        if ch.get("pair") not in pair_names(spec):
            problems.append(f"{where}: unknown pair {ch.get('pair')!r}")
        expect = ch.get("expect")
        if not isinstance(expect, dict):
            problems.append(f"{where}: no expect block")
            continue
        topics = expect.get("topics")
        if topics is None and not ch.get("no_card"):
            problems.append(f"{where}: a gold change needs expect.topics")
        for t in topics or []:
            if t not in TOPICS:
                problems.append(f"{where}: unknown topic {t!r}")
        ev = expect.get("evidence")
        if ev is not None:
            if not ch.get("no_card"):
                problems.append(f"{where}: expect.evidence is for no_card changes only")
            if not (isinstance(ev, list) and ev and all(isinstance(e, str) and e for e in ev)):
                problems.append(f"{where}: expect.evidence must be a non-empty list of strings")
        words = expect.get("words")
        if not (isinstance(words, list) and words and all(isinstance(g, list) and g for g in words)):
            problems.append(f"{where}: expect.words must be a non-empty list of non-empty lists")
        party = expect.get("party")
        if party is not None and party not in PARTIES:
            problems.append(f"{where}: unknown party {party!r}")
    return spec, problems


# ---------------------------------------------------------------- running the binary


class RunError(Exception):
    pass


def run_json(cmd: list[str], env: dict) -> dict:
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise RunError(f"$ {shlex.join(cmd)}\n{e}") from e
    if p.returncode != 0:
        raise RunError(f"$ {shlex.join(cmd)}\nexit {p.returncode}\n{p.stderr.strip()}")
    try:
        return json.loads(p.stdout)
    except ValueError as e:
        raise RunError(f"$ {shlex.join(cmd)}\nnot JSON ({e}): {p.stdout[:300]!r}\n{p.stderr.strip()}") from e


def version_id(out: dict) -> str:
    for obj in (out.get("version"), out):
        if isinstance(obj, dict) and isinstance(obj.get("id"), str):
            return obj["id"]
    raise RunError(f"ingest printed no version id: {json.dumps(out)[:300]}")


def compare_pair(binary: str, folder: Path, spec: dict, pair: str) -> dict:
    old, new = pair_versions(spec, pair)
    document = (spec.get("documents") or {}).get(pair, spec["document"])
    with tempfile.TemporaryDirectory(prefix="trustlens-eval-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        env = dict(os.environ)
        env["TRUSTLENS_DATA_DIR"] = str(Path(tmp) / "data")
        env["TRUSTLENS_CACHE_DIR"] = str(Path(tmp) / "cache")
        if pair not in (spec.get("pairs") or {}):  # bundled: both versions are in the bundled corpus
            return run_json([binary, "diff", old, new, "--json"], env)
        ids = []
        for f in (old, new):
            out = run_json(
                [binary, "ingest", str(folder / f), "--vendor", spec["vendor"], "--document", document,
                 "--date", spec["dates"][f], "--corpus", str(corpus), "--json"],
                env,
            )
            ids.append(version_id(out))
        return run_json([binary, "diff", ids[0], ids[1], "--json", "--corpus", str(corpus)], env)


# ---------------------------------------------------------------- report


def pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.0f}%"


def print_pair(r: dict, show: bool) -> None:
    print(f"\n== {r['name']}  ({r['old']} → {r['new']})")
    if r.get("error"):
        print("  FAILED:\n    " + r["error"].replace("\n", "\n    "))
        print(f"  gold found 0/{r['gold']} (the pair did not run)")
        return
    for w in r["warnings"]:
        print(f"  note: {w}")
    print(
        f"  cards {r['cards']}, editorial items {r['editorial_items']}, "
        f"typed+own words {r['typed_own']} ({pct(r['typed_own_share'])}), "
        f"with editorial {pct(r['typed_own_or_editorial_share'])}"
    )
    only_topic = f" ({len(r['missed_only_topic'])} more but for the topic)" if r["missed_only_topic"] else ""
    print(f"  gold found {len(r['found'])}/{r['gold']}{only_topic}"
          + (": " + ", ".join(f["id"] for f in r["found"]) if r["found"] else ""))
    for m in r["missed"]:
        hint = ""
        if m["near"]:
            hint = "  (words in " + "; ".join(
                f"#{n['card']}: {', '.join(n['why']) or '?'}" for n in m["near"][:3]
            ) + ")"
        print(f"    missed {m['id']}{hint}")
    print(f"  traps {r['traps']}, contradictions {len(r['contradictions'])}")
    for c in r["contradictions"]:
        print(f"    contradicted {c['id']} by card " + ", ".join(f"#{i}" for i in c["cards"]))
    for c in r["trap_words_only"]:
        print(f"    (not counted: {c['id']} is hit by card "
              + ", ".join(f"#{i}" for i in c["cards"]) + ", whose topic does not fit)")
    print(f"  party errors {len(r['party_errors'])}")
    for p in r["party_errors"]:
        print(f"    {p['id']}: expected {p['expected']}, cards have {p['got']}")
    if show:
        for c in r["card_list"]:
            mark = "ok" if c["typed_own_words"] else "--"
            print(
                f"    #{c['index']} {mark} [{c['kind']}] topic={c['topic']} party={c['party']}: {c['summary']}"
            )
            if c["not_typed_own_because"]:
                print(f"         not typed+own: {'; '.join(c['not_typed_own_because'])}")


def totals(results: list[dict], problems: list[str]) -> dict:
    ran = [r for r in results if not r.get("error")]
    cards = sum(r["cards"] for r in ran)
    typed = sum(r["typed_own"] for r in ran)
    ed = sum(r["editorial_items"] for r in ran)
    gold = sum(r["gold"] for r in results)
    found = sum(len(r["found"]) for r in ran)
    return {
        "pairs": len(results),
        "pairs_failed": len(results) - len(ran),
        "fixture_problems": len(problems),
        "cards": cards,
        "editorial_items": ed,
        "typed_own": typed,
        "typed_own_share": share(typed, cards),
        "typed_own_or_editorial_share": share(typed + ed, cards + ed),
        "gold": gold,
        "found": found,
        "missed_only_topic": sum(len(r.get("missed_only_topic", [])) for r in ran),
        "traps": sum(r["traps"] for r in results),
        "contradictions": sum(len(r["contradictions"]) for r in ran),
        "trap_words_only": sum(len(r["trap_words_only"]) for r in ran),
        "party_errors": sum(len(r["party_errors"]) for r in ran),
    }


def check_passes(t: dict) -> list[str]:
    failures = []
    if t["typed_own_share"] is not None and t["typed_own_share"] < SHARE_THRESHOLD:
        failures.append(f"typed+own share {pct(t['typed_own_share'])} < {pct(SHARE_THRESHOLD)}")
    if t["found"] < t["gold"]:
        failures.append(f"{t['gold'] - t['found']} gold changes missed")
    if t["contradictions"]:
        failures.append(f"{t['contradictions']} contradictions")
    if t["party_errors"]:
        failures.append(f"{t['party_errors']} party errors")
    if t["pairs_failed"]:
        failures.append(f"{t['pairs_failed']} pairs failed to run")
    if t["fixture_problems"]:
        failures.append(f"{t['fixture_problems']} fixture problems")
    if t["pairs"] == 0:
        failures.append("no pairs")
    return failures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Score trustlens change cards against gold changes.")
    ap.add_argument("bin", help="the trustlens CLI binary")
    ap.add_argument("--fixtures", default="tests/fixtures/eval", help="folder of vendor folders (default: %(default)s)")
    ap.add_argument("--json", action="store_true", help="print everything as JSON")
    ap.add_argument("--check", action="store_true", help="exit 1 unless the targets are met")
    ap.add_argument("--show", action="store_true", help="list every card under its pair")
    ap.add_argument("--only", metavar="NAME", help="only folders (or folder/pair) whose name contains NAME")
    args = ap.parse_args(argv)

    binary = args.bin if os.sep in args.bin else (shutil.which(args.bin) or args.bin)
    root = Path(args.fixtures)
    folders = sorted(p.parent for p in root.glob("*/pairs.json"))
    if not folders:
        print(f"eval_cards: no */pairs.json under {root}", file=sys.stderr)
        return 2

    results, problems = [], []
    for folder in folders:
        spec, probs = load_fixture(folder)
        problems += probs
        for p in probs:
            print(f"fixture problem: {p}", file=sys.stderr)
        if spec is None:
            continue
        for pair in pair_names(spec):
            name = f"{folder.name}/{pair}"
            if args.only and args.only not in name:
                continue
            changes = [c for c in spec["changes"] if c.get("pair") == pair]
            old, new = pair_versions(spec, pair)
            base = {"name": name, "old": old, "new": new}
            try:
                comparison = compare_pair(binary, folder, spec, pair)
            except RunError as e:
                if args.json:  # otherwise the pair's block below says it
                    print(f"eval_cards: {name} failed:\n{e}", file=sys.stderr)
                r = {**base, "error": str(e), "gold": sum(1 for c in changes if not c.get("no_card")),
                     "traps": sum(1 for c in changes if c.get("no_card")),
                     "missed": [{"id": c["id"], "near": []} for c in changes if not c.get("no_card")]}
            else:
                r = {**base, **score_pair(comparison, changes)}
            results.append(r)
            if not args.json:
                print_pair(r, args.show)

    t = totals(results, problems)
    failures = check_passes(t)
    if args.json:
        json.dump({"pairs": results, "totals": t, "fixture_problems": problems, "check_failures": failures},
                  sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print("\n== totals")
        print(f"  pairs {t['pairs']} ({t['pairs_failed']} failed), cards {t['cards']}, editorial items {t['editorial_items']}")
        print(f"  typed+own words {t['typed_own']}/{t['cards']} ({pct(t['typed_own_share'])}); "
              f"with editorial items {pct(t['typed_own_or_editorial_share'])}")
        print(f"  gold found {t['found']}/{t['gold']} ({t['missed_only_topic']} more but for the topic); traps {t['traps']}, contradictions {t['contradictions']} "
              f"(+{t['trap_words_only']} traps hit by cards of another topic, not counted); party errors {t['party_errors']}")
        if args.check:
            print("  check: " + ("PASS" if not failures else "FAIL: " + "; ".join(failures)))
    if args.check and failures:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
