"""Check results cached by content hash, so an unchanged step is not proved again.

A step's key hashes its kind, statement, side conditions, rule data, the simulation of a fact,
the keys of its premises (so editing a premise invalidates everything below it), and
:func:`checker_fingerprint` (the toolkit's own source).  Results live as one JSON file per key under ``$DERIVE_CACHE_DIR``,
else ``$XDG_CACHE_HOME/derive``, else ``~/.cache/derive``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

import sympy as sp

from .result import CheckResult

#: Bump when a checker changes what it accepts: old results are then ignored.
CHECKER_VERSION = "2"


@functools.cache
def checker_fingerprint():
    """A hash of the toolkit's own source: a result proved by other code is not reused.

    All of ``derive/`` rather than ``derive/check/`` alone, since what a step's check does
    depends on the sampling, bindings, branch and free-probability code it calls.
    """
    digest = hashlib.sha256(CHECKER_VERSION.encode())
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_dir():
    if os.environ.get("DERIVE_CACHE_DIR"):
        return Path(os.environ["DERIVE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "derive"


def step_keys(derivation):
    """Content hash of every step, premises included (a Merkle hash over the graph)."""
    keys = {}
    for step in derivation.ordered():
        parts = [checker_fingerprint(), step.kind, sp.srepr(step.statement),
                 repr([sp.srepr(c) for c in step.conditions]),
                 repr(sorted((k, _stable(v)) for k, v in step.rule.items())),
                 step.check.fingerprint() if step.check is not None else ""]
        parts += [keys[p] for p in step.uses]
        keys[step.label] = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return keys


def _stable(value):
    if isinstance(value, (tuple, list)):
        return repr([_stable(v) for v in value])
    if isinstance(value, sp.Basic):
        return sp.srepr(value)
    return repr(value)


def load(key):
    """The cached result of ``key``, or None.  An entry that is not a result (unreadable, not
    JSON, valid JSON of another shape: a field missing or of the wrong type, an unknown status)
    is ignored, with a note on stderr, and the step is checked again (its new result replaces it)."""
    path = cache_dir() / f"{key}.json"
    try:
        text = path.read_text()
    except OSError:
        return None  # no entry (or none readable): the ordinary case, no note
    try:
        data = json.loads(text)
        fields = {"label": str, "kind": str, "status": str, "method": str, "evidence": str,
                  "seconds": (int, float), "cached": bool, "details": dict}
        if not isinstance(data, dict):
            raise ValueError(f"a JSON {type(data).__name__}, not an object")
        unknown = sorted(set(data) - set(fields))
        missing = [name for name in ("label", "kind", "status") if name not in data]
        wrong = [name for name, kind in fields.items() if name in data and (
            not isinstance(data[name], kind) or (kind != bool and isinstance(data[name], bool)))]
        problems = [f"{what}: {', '.join(names)}" for what, names in
                    (("unknown field", unknown), ("missing", missing), ("wrong type", wrong)) if names]
        if problems:
            raise ValueError("; ".join(problems))
        if data["status"] not in ("verified", "failed", "unverified", "definition"):
            raise ValueError(f"status {data['status']!r}")
        result = CheckResult.from_dict(data)
    except (ValueError, TypeError) as exc:
        import sys

        print(f"derive: note: cache entry {path} is damaged ({exc}); ignored, the step is checked again",
              file=sys.stderr)
        return None
    result.cached = True
    return result


def store(key, result):
    directory = cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / f"{key}.json.tmp"
        data = result.to_dict()
        data["cached"] = False
        tmp.write_text(json.dumps(data, default=str))
        tmp.replace(directory / f"{key}.json")
    except OSError:
        # A read-only home must not stop a check; the result is simply not cached.
        pass
