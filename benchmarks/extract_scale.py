"""Extraction time and peak memory against document size: one document each of 1, 4 and 16 MB (by default) made of
real paragraphs (the seed articles and the real-article corpus, shuffled), each extracted in a fresh process.
Linear work keeps seconds per MB flat; prints figures side by side, asserts nothing. The claims are handed over in
batches and let go, as `claimdb add` writes a large document's claims (`app.ingest.STREAM_ABOVE_CHARS`).

    python benchmarks/extract_scale.py [--sizes 1 4 16] [--profile]

Columns: size, seconds, MB/s, time relative to the first size scaled by size (1.0 = linear), claims, peak resident
memory of the process, and the memory extraction took beyond the process's baseline (interpreter, lexicon,
gazetteer and the text itself, read from a file) divided by the text's size in UTF-8 bytes. Python holds a text
with any character beyond Latin-1 (a curly quote) at two bytes a character, and the extractor keeps a normalised
and a lower-cased copy of the same length: four of those ten bytes a byte.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def paragraphs() -> list[str]:
    out: list[str] = []
    files = sorted((ROOT / "fixtures" / "documents").glob("*.txt"))
    files += sorted((ROOT / "tests" / "real").glob("*/*.txt"))
    for path in files:
        out += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return out


def document(megabytes: float, seed: int = 7) -> str:
    """Real paragraphs in a shuffled order until the size is reached."""
    pool = paragraphs()
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    size = 0
    while size < target:
        rng.shuffle(pool)
        for p in pool:
            parts.append(p)
            size += len(p) + 2
            if size >= target:
                break
    return "\n\n".join(parts)


def _resident() -> int:
    """The process's resident memory now, in bytes."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def _child(path: str, profile: bool) -> None:
    """Run in a fresh process: extract the document in `path`, print a JSON line of figures."""
    from app.extract.pipeline import default_catalogue, extract_claims

    catalogue = default_catalogue()
    extract_claims("Police said 12 people were arrested in Lyon.", catalogue=catalogue)  # warm: lexicon, gazetteer
    text = Path(path).read_text(encoding="utf-8")
    baseline = _resident()  # interpreter, lexicon, gazetteer and the text itself
    batches: list[int] = []

    def written(batch: list[object]) -> None:  # as `add` does: each batch goes to the database and is let go
        batches.append(len(batch))

    start = time.perf_counter()
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(extract_claims, text, catalogue=catalogue, on_claims=written)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(15)
    else:
        extract_claims(text, catalogue=catalogue, on_claims=written)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(
        json.dumps(
            {
                "mb": len(text.encode("utf-8")) / 1e6,
                "seconds": seconds,
                "claims": sum(batches),
                "peak": peak,
                "base": baseline,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 4, 16])
    parser.add_argument("--profile", action="store_true", help="cProfile each run (on stderr)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        _child(args.child, args.profile)
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.sizes:
            path = Path(tmp) / f"{mb}.txt"
            path.write_text(document(mb), encoding="utf-8")
            cmd = [sys.executable, __file__, "--child", str(path)] + (["--profile"] if args.profile else [])
            out = subprocess.run(cmd, check=True, text=True, stdout=subprocess.PIPE)
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    first = rows[0]
    print(f"{'size MB':>8} {'seconds':>8} {'MB/s':>6} {'vs linear':>9} {'claims':>7} {'peak MB':>8} {'extra/text':>10}")
    for r in rows:
        scaled = (r["seconds"] / r["mb"]) / (first["seconds"] / first["mb"])
        extra = (r["peak"] - r["base"]) / (r["mb"] * 1e6)
        print(
            f"{r['mb']:>8.1f} {r['seconds']:>8.2f} {r['mb'] / r['seconds']:>6.2f} {scaled:>9.2f} {r['claims']:>7}"
            f" {r['peak'] / 1e6:>8.0f} {extra:>10.1f}"
        )


if __name__ == "__main__":
    main()
