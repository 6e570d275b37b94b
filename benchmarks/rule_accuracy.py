"""How often each extractor rule is right on the development half of the real corpus: for the figures found,
the rule that set the kind (right when kind and interval match the annotation) and the rule that set the
asserter (right when the annotated source matches). Prints the table; `--write` stores the rates as the rules'
confidences (app/extract/data/confidence.json), smoothed towards the overall rate so that a rule seen a few times
does not claim certainty.

    python benchmarks/rule_accuracy.py [--write]

Only the development half is read (tests/real, tests/real_extra), never the test half.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from app.extract.evaluate import NameMatcher, overlap, real_corpus
from app.extract.pipeline import CONFIDENCE_FILE, default_catalogue, extract_claims, rule_key

ROOT = Path(__file__).resolve().parent.parent
PRIOR = 5
"""Smoothing: a rule's rate counts as if it had been seen PRIOR more times at the field's overall rate."""


def measure() -> dict[str, dict[str, list[int]]]:
    catalogue, matcher = default_catalogue(), NameMatcher.from_fixtures()
    tally: dict[str, dict[str, list[int]]] = {
        "kind": defaultdict(lambda: [0, 0]),
        "asserter": defaultdict(lambda: [0, 0]),
    }
    for folder in ("real", "real_extra"):
        for document in real_corpus(ROOT / "tests" / folder):
            case = document.case
            gold = [g for g in case.gold if g.kind != "quote"]
            for p in extract_claims(case.text, published=case.published, catalogue=catalogue).claims:
                if p.kind == "quote" or p.explanation is None:
                    continue
                g = next((g for g in gold if overlap((p.start, p.end), (g.start, g.end))), None)
                right = g is not None and (g.kind, g.low, g.high) == (p.kind, p.low, p.high)
                kind = tally["kind"][rule_key(p.explanation["kind"]["rule"])]
                kind[0] += right
                kind[1] += 1
                if g is not None:
                    said = next((a.source for a in p.attributions if a.role == "asserter"), None)
                    asserter = tally["asserter"][rule_key(p.explanation["asserter"]["rule"])]
                    asserter[0] += matcher.same(said, g.asserter)
                    asserter[1] += 1
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"store the rates in {CONFIDENCE_FILE.name}")
    args = parser.parse_args()
    tally = measure()
    table: dict[str, dict[str, float]] = {}
    for field, rules in tally.items():
        right = sum(r for r, _ in rules.values())
        seen = sum(n for _, n in rules.values())
        overall = right / seen if seen else 0.5
        table[field] = {"*": round(overall, 3)}
        print(f"{field}: {right}/{seen} = {overall:.2f} overall")
        for rule, (r, n) in sorted(rules.items(), key=lambda kv: -kv[1][1]):
            smoothed = (r + PRIOR * overall) / (n + PRIOR)
            table[field][rule] = round(smoothed, 3)
            print(f"  {rule:<60} {r:>4}/{n:<4} {r / n:5.2f}  -> {smoothed:.2f}")
    if args.write:
        CONFIDENCE_FILE.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
        print(f"written: {CONFIDENCE_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
