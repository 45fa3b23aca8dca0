"""Print the soundness corpus's table: per class, how many true and false traps came out
verified, failed and unverified (the table in docs/checking.md).

    python bench/soundness_table.py            # markdown table
    python bench/soundness_table.py --list     # one line per trap, with the method and evidence
"""

import argparse
import collections
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import soundness  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="one line per trap")
    parser.add_argument("--klass", help="only the traps of this class")
    args = parser.parse_args()
    traps = [t for t in soundness.load() if args.klass in (None, t.klass)]
    counts = collections.defaultdict(collections.Counter)
    wrong = []
    start = time.perf_counter()
    for trap in traps:
        t0 = time.perf_counter()
        result = soundness.run(trap)
        truth = "true" if trap.true else "false"
        bad = (trap.true and result.status in ("failed", "refused")) or (not trap.true and result.status == "verified")
        counts[trap.klass][truth, result.status + (" (known)" if bad and trap.known else "")] += 1
        if bad and not trap.known:
            wrong.append((trap, result))
        if args.list:
            mark = ("KNOWN: " + trap.known) if bad and trap.known else "WRONG" if bad else ""
            print(f"{trap.klass:14} {truth:5} {result.status:10} {time.perf_counter() - t0:6.2f}s "
                  f"{trap.name}: {result.method}: {result.evidence[:120]} {mark}", flush=True)
    print()
    print("| class | true: verified | true: unverified | true: failed | false: failed | false: unverified "
          "| false: refused at build | false: verified | false: verified, known |")
    print("|---|---|---|---|---|---|---|---|---|")
    total = collections.Counter()
    for klass in sorted(counts):
        c = counts[klass]
        total.update(c)
        print(f"| {klass} | " + " | ".join(str(c[key]) for key in (
            ("true", "verified"), ("true", "unverified"), ("true", "failed"),
            ("false", "failed"), ("false", "unverified"), ("false", "refused"), ("false", "verified"),
            ("false", "verified (known)"))) + " |")
    print("| **all** | " + " | ".join(str(total[key]) for key in (
        ("true", "verified"), ("true", "unverified"), ("true", "failed"),
        ("false", "failed"), ("false", "unverified"), ("false", "refused"), ("false", "verified"),
        ("false", "verified (known)"))) + " |")
    print(f"\n{len(traps)} traps in {time.perf_counter() - start:.0f} s; "
          f"{len(wrong)} wrong: {', '.join(t.name for t, _ in wrong) or 'none'}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
