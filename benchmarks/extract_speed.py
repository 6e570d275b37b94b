"""Extraction throughput: MB/s of the whole pipeline over at least 5 MB of news text, next to a plain regex scan
for numbers over the same text. Prints figures; asserts nothing.

    python benchmarks/extract_speed.py [--mb 5] [--articles-only] [--profile 25] [--against REF [--rounds 5]]

The corpus is the seed articles' paragraphs and the golden cases, shuffled into documents of about 6 KB (a typical
article) until the size is reached; `--articles-only` uses the seed articles alone. Each document is extracted on
its own, as `claimdb add` does. The golden cases are written to be dense in figures and quotes, so the default
corpus is a worst case: the run prints its claim density. The first document is extracted once before the timed
run, which compiles the lexicon's patterns (a one-time cost per process, printed on its own), so the run measures
throughput. `--profile N` then extracts the corpus again under cProfile and prints the N extractor functions with
the most time of their own, to show where the time goes.

`--against REF` measures this checkout and the commit REF (checked out in a temporary git worktree) side by side in
one run: the same corpus (built once, from this checkout's files), each extracted in its own process, the two
alternating for `--rounds` rounds, and prints each one's best CPU time — on a shared machine the best of several
rounds is the figure least disturbed by others.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.extract.pipeline import default_catalogue, extract_claims

ROOT = Path(__file__).resolve().parent.parent


def corpus(megabytes: float, seed: int = 7, *, articles_only: bool = False) -> list[str]:
    paragraphs: list[str] = []
    for doc in sorted((ROOT / "fixtures" / "documents").glob("*.txt")):
        paragraphs += [p for p in doc.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    for folder in () if articles_only else ("golden", "golden_holdout"):
        for file in sorted((ROOT / "tests" / folder).glob("*.json")):
            paragraphs += [case["text"] for case in json.loads(file.read_text(encoding="utf-8"))["cases"]]
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    docs, size = [], 0
    while size < target:
        parts, length = [], 0
        while length < 6000:
            p = rng.choice(paragraphs)
            parts.append(p)
            length += len(p) + 2
        text = "\n\n".join(parts)
        docs.append(text)
        size += len(text.encode("utf-8"))
    return docs


_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from app.extract.pipeline import default_catalogue, extract_claims
docs = json.loads(open(sys.argv[2], encoding="utf-8").read())
catalogue = default_catalogue()
extract_claims(docs[0], catalogue=catalogue)
start = time.process_time()
for d in docs:
    extract_claims(d, catalogue=catalogue)
print(json.dumps({"seconds": time.process_time() - start, "mb": sum(len(d.encode()) for d in docs) / 1e6}))
"""


def against(ref: str, *, megabytes: float, articles_only: bool, rounds: int) -> None:
    """This checkout and `ref`, side by side: best CPU seconds of `rounds` alternating runs each."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "ref"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), ref], check=True, capture_output=True
        )
        try:
            label = subprocess.run(
                ["git", "-C", str(tree), "log", "-1", "--format=%h %s"], check=True, text=True, capture_output=True
            ).stdout.strip()[:60]
            best: dict[str, float] = {}
            size = 0.0
            docs = Path(tmp) / "corpus.json"  # one corpus for both: this checkout's, not each commit's own golden cases
            docs.write_text(json.dumps(corpus(megabytes, articles_only=articles_only)), encoding="utf-8")
            for _ in range(rounds):
                for name, path in (("this checkout", ROOT), (label, tree)):
                    out = subprocess.run(
                        [sys.executable, "-c", _CHILD, str(path), str(docs)],
                        check=True,
                        text=True,
                        capture_output=True,
                        cwd=path,
                        env={**os.environ, "PYTHONPATH": str(path)},
                    )
                    figures = json.loads(out.stdout.strip().splitlines()[-1])
                    size = figures["mb"]
                    best[name] = min(best.get(name, float("inf")), figures["seconds"])
            print(f"corpus: {size:.2f} MB, best of {rounds} alternating runs, CPU time")
            for name, seconds in best.items():
                print(f"  {name:<60} {seconds:7.3f} s  {size / seconds:5.2f} MB/s")
            mine, theirs = best["this checkout"], best[label]
            print(f"  this checkout / {ref}: {theirs / mine:.2f}x the speed")
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False, capture_output=True
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=5.0, help="corpus size in MB (default 5)")
    parser.add_argument(
        "--articles-only", action="store_true", help="only the seed articles' paragraphs, not the golden cases"
    )
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="then print the N costliest functions")
    parser.add_argument("--against", metavar="REF", help="measure side by side with this commit instead")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds with --against (default 5)")
    args = parser.parse_args()
    if args.against:
        against(args.against, megabytes=args.mb, articles_only=args.articles_only, rounds=args.rounds)
        return
    docs = corpus(args.mb, articles_only=args.articles_only)
    megabytes = sum(len(d.encode("utf-8")) for d in docs) / 1_000_000
    catalogue = default_catalogue()

    number = re.compile(r"\d[\d,.]*")
    start = time.perf_counter()
    plain = sum(len(number.findall(d)) for d in docs)
    regex_s = time.perf_counter() - start

    start = time.perf_counter()
    extract_claims(docs[0], catalogue=catalogue)  # compiles the lexicon's patterns: once per process
    setup_s = time.perf_counter() - start

    start = time.perf_counter()
    figures = quotes = 0
    for d in docs:
        for c in extract_claims(d, catalogue=catalogue).claims:
            if c.kind == "quote":
                quotes += 1
            else:
                figures += 1
    extract_s = time.perf_counter() - start

    print(f"corpus: {len(docs)} documents, {megabytes:.2f} MB")
    print(f"plain regex scan for numbers: {regex_s:.3f} s, {megabytes / regex_s:.1f} MB/s, {plain} matches")
    print(
        f"claimdb extraction:           {extract_s:.3f} s, {megabytes / extract_s:.2f} MB/s, "
        f"{figures} figures, {quotes} quotes"
    )
    print(f"extraction / regex time ratio: {extract_s / regex_s:.1f}x")
    print(f"one-time setup before the run (patterns compiled on the first document): {setup_s:.3f} s")
    print(f"claim density: {(figures + quotes) / megabytes:,.0f} claims per MB")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for d in docs:
            extract_claims(d, catalogue=catalogue)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(r"app/extract|re\.Pattern", args.profile)


if __name__ == "__main__":
    main()
