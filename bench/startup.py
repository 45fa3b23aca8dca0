"""Start-up time of the commands, as ratios against a bare ``import sympy, numpy``.

    python bench/startup.py [--repeat 5] [--check-repeat 2] [--no-check]

Each command runs once first (that run fills the caches: ``derive check lu2025`` proves every
step cold, about 3 minutes; ``derive list`` and ``derive eval`` build and keep what they need),
then ``--repeat`` more times (the check ``--check-repeat`` times), interleaved so that a change in the machine's load hits every
command alike.  The table gives the first run and the median of the others, in seconds, and the
median's ratio to the bare import's.  The targets (issue 12): eval within 3x, list within 2x, a
warm check of lu2025 under 5 s; and (issue 25) a first ``derive list``, every run with an empty
cache directory of its own, within 2x.

``derive`` runs as ``python -m derive`` with this checkout first on ``PYTHONPATH``, so that a
worktree measures its own code, not the one an editable install points to.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: Marks a command run with a fresh, empty DERIVE_CACHE_DIR each time.
COLD = "cold"


def derive_command():
    return [sys.executable, "-m", "derive"]


def commands(check):
    derive = derive_command()
    rows = [("bare: python -c 'import sympy, numpy'", [sys.executable, "-c", "import sympy, numpy"]),
            ("derive list", derive + ["list"]),
            ("derive list (first: empty cache)", derive + ["list", COLD]),
            ("derive eval lu2025 e_icl (one point)",
             derive + ["eval", "lu2025", "e_icl", "alpha=1", "kappa=0.5", "tau=2", "rho=0.01", "lam=1"])]
    if check:
        rows.append(("derive check lu2025", derive + ["check", "lu2025"]))
    return rows


def timed(argv):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT, *filter(None, [os.environ.get("PYTHONPATH")])]))
    with tempfile.TemporaryDirectory() as empty:
        if argv[-1] == COLD:
            argv, env["DERIVE_CACHE_DIR"] = argv[:-1], empty
        start = time.perf_counter()
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
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
