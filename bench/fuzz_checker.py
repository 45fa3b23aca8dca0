"""Run the checker's fuzzer (tests/soundness/fuzz.py) at many examples and print the table per family.

    python bench/fuzz_checker.py                      # 20 examples per family
    python bench/fuzz_checker.py --examples 200       # a long run
    python bench/fuzz_checker.py --family periodic --list   # one line per case

Each example of a family is a true identity and its perturbations (false by construction on a
small set). The table counts the verdicts by truth; a *false verified* or a *true failed* is a
soundness bug, listed after the table with the shortest statements first (the minimal examples);
*true unverified* counts against completeness only (its rate is the last column).
"""

import argparse
import collections
import sys
import time
from pathlib import Path

# This checkout's derive and corpus, not whichever derive the environment has installed.
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from soundness import fuzz  # noqa: E402

COLUMNS = [("true", "verified"), ("true", "unverified"), ("true", "refused"), ("true", "failed"),
           ("false", "failed"), ("false", "unverified"), ("false", "refused"), ("false", "verified")]


def explore(family, examples, seed, on_result):
    """Draw ``examples`` examples of the family (derandomized from ``seed``) and check every case."""

    @settings(max_examples=examples, derandomize=seed is None, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(family.strategy())
    def each(cases):
        for case in cases:
            start = time.perf_counter()
            result = fuzz.run(case)
            on_result(case, result, time.perf_counter() - start)

    if seed is not None:
        each = __import__("hypothesis").seed(seed)(each)
    each()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20, help="examples per family (default 20)")
    parser.add_argument("--family", action="append", help="only this family (repeatable)")
    parser.add_argument("--seed", type=int, help="a random seed (default: derandomized, as in CI)")
    parser.add_argument("--list", action="store_true", help="one line per case checked")
    args = parser.parse_args()
    families = [f for f in fuzz.FAMILIES if not args.family or f.name in args.family]
    counts = collections.defaultdict(collections.Counter)
    seen = set()
    wrong = []
    start = time.perf_counter()

    def on_result(case, result, seconds):
        # hypothesis may draw the same example twice: count each statement once
        key = (case.family, case.perturbation, case.true, case.sets)
        if key in seen:
            return
        seen.add(key)
        truth = "true" if case.true else "false"
        counts[case.family][truth, result.status] += 1
        bad = fuzz.wrong(case, result)
        if bad:
            wrong.append((case, result, bad))
        if args.list:
            print(f"{case.family:11} {case.perturbation:10} {truth:5} {result.status:10} {seconds:6.2f}s "
                  f"{case.sets[:110]}: {result.method}: {result.evidence[:90]}{'  WRONG: ' + bad if bad else ''}",
                  flush=True)

    for family in families:
        explore(family, args.examples, args.seed, on_result)
    elapsed = time.perf_counter() - start

    print()
    print("| family | " + " | ".join(f"{tr}: {st}" for tr, st in COLUMNS) + " | true unverified |")
    print("|---" * (len(COLUMNS) + 2) + "|")
    total = collections.Counter()
    for family in families:
        c = counts[family.name]
        total.update(c)
        print(f"| {family.name} | " + " | ".join(str(c[col]) for col in COLUMNS) + f" | {_rate(c)} |")
    print("| **all** | " + " | ".join(str(total[col]) for col in COLUMNS) + f" | {_rate(total)} |")
    import derive
    print(f"\n{len(seen)} statements, {args.examples} examples per family, in {elapsed:.0f} s "
          f"(derive from {Path(derive.__file__).parent})")
    if wrong:
        print(f"\n{len(wrong)} wrong verdicts (shortest first per family and kind):")
        wrong.sort(key=lambda w: (w[0].family, w[2], w[0].perturbation, len(w[0].sets)))
        for case, result, bad in wrong:
            print(f"  {case.family:11} {bad:14} [{case.perturbation}] {case.sets}: {result.method}: {result.evidence[:140]}")
    return 1 if wrong else 0


def _rate(c):
    true = sum(v for (tr, _), v in c.items() if tr == "true")
    unverified = c["true", "unverified"] + c["true", "refused"]
    return f"{unverified}/{true} ({100 * unverified / true:.0f}%)" if true else "-"


if __name__ == "__main__":
    sys.exit(main())
