"""Start-up time of the commands, as ratios against a bare ``import sympy, numpy``.

    python bench/startup.py [--repeat 5] [--check-repeat 2] [--no-check]

Each command runs once first (that run fills the caches: ``derive check lu2025`` proves every
step cold, about 3 minutes; ``derive list`` and ``derive eval`` build and keep what they need),
then ``--repeat`` more times (the check ``--check-repeat`` times), interleaved so that a change in the machine's load hits every
command alike.  The table gives the first run and the median of the others, in seconds, and the
median's ratio to the bare import's.  The targets (issue 12): eval within 3x, list within 2x, a
warm check of lu2025 under 5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time


def derive_command():
    script = os.path.join(os.path.dirname(sys.executable), "derive")
    return [script] if os.path.exists(script) else [sys.executable, "-m", "derive"]


def commands(check):
    derive = derive_command()
    rows = [("bare: python -c 'import sympy, numpy'", [sys.executable, "-c", "import sympy, numpy"]),
            ("derive list", derive + ["list"]),
            ("derive eval lu2025 e_icl (one point)",
             derive + ["eval", "lu2025", "e_icl", "alpha=1", "kappa=0.5", "tau=2", "rho=0.01", "lam=1"])]
    if check:
        rows.append(("derive check lu2025", derive + ["check", "lu2025"]))
    return rows


def timed(argv):
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):  # 1: a step not verified, still a timing
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs after the first (default 5)")
    parser.add_argument("--check-repeat", type=int, default=2, help="timed runs of the check (default 2)")
    parser.add_argument("--no-check", action="store_true", help="leave out derive check lu2025")
    args = parser.parse_args(argv)
    if shutil.which(derive_command()[0]) is None and not os.path.exists(derive_command()[0]):
        raise SystemExit("derive is not installed (pip install -e .)")
    rows = commands(not args.no_check)
    first = {}
    for label, command in rows:
        print(f"first run: {label} ...", file=sys.stderr, flush=True)
        first[label] = timed(command)
    runs = {label: [] for label, _ in rows}
    for index in range(max(args.repeat, args.check_repeat)):
        for label, command in rows:
            limit = args.check_repeat if "check" in command else args.repeat
            if index < limit:
                runs[label].append(timed(command))
    bare = statistics.median(runs[rows[0][0]])
    width = max(len(label) for label, _ in rows)
    print(f"{'command':{width}s}  {'first s':>8s}  {'median s':>8s}  {'ratio':>6s}")
    for label, _ in rows:
        median = statistics.median(runs[label])
        print(f"{label:{width}s}  {first[label]:8.2f}  {median:8.2f}  {median / bare:5.1f}x")
    print(f"({args.repeat} runs each after the first, the check {args.check_repeat}; "
          "ratio = median / median of the bare import)")


if __name__ == "__main__":
    main()
