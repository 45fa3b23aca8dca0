"""Check results cached by content hash, so an unchanged step is not proved again.

A step's key hashes its kind, statement, side conditions, rule data, the simulation of a fact,
the keys of its premises (so editing a premise invalidates everything below it),
:func:`checker_fingerprint` (the checker's own source), and the derivation's own code: its file
and every local module imported from it, transitively
(:func:`derive.fingerprint.dependency_fingerprint`; a fact's simulation adds what its sampler
reaches).  Results live as one JSON file per key, holding its key, under ``$DERIVE_CACHE_DIR``,
else ``$XDG_CACHE_HOME/derive``, else ``~/.cache/derive``; read and written through
:mod:`derive.cachefiles` (a directory others can write is not used, an entry that is not the
user's regular file is a miss, writes are whole or nothing).

Which of derive's own files are in the key (:func:`checker_sources`): **every** ``.py`` file under
``derive/`` except the presentation modules listed in :data:`PRESENTATION` (the command line,
figures, LaTeX and its line breaking, the reproduce pipeline, the figures' incremental cache,
the graph export, mutation testing).  Those only call the checker or print what a derivation
states; no check runs their code (``tests/test_cache_key.py`` checks a derivation under a
profiler and asserts that no function of theirs runs, and that none is imported at the top of a
module in the key).  Where one of them shapes a statement (``derive.rmt.steps`` writes a law's
name through :mod:`derive.latex`), the statement itself is in the key.  The rule is
conservative: a module that is not listed, a new one or one moved to another folder, is in the
key.  Editing ``cli.py`` therefore leaves every cached verdict valid; editing anything under
``check/``, ``rules/``, ``rmt/``, the numerics, the simulation or the loading code re-checks.
The prebuilt cache (:mod:`derive.prebuilt`) keeps the whole toolkit in its key
(:func:`toolkit_fingerprint`): a pickled derivation is rebuilt after any edit, and its steps'
verdicts are then found here.
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


#: derive's modules (paths inside the package) that no check runs: they call the checker or
#: present what a derivation states.  Not in :func:`checker_fingerprint`; everything else is.
PRESENTATION = frozenset({
    "__main__.py", "cli.py",  # the command line: it calls check_derivation(use_cache, only)
    "figures.py", "incremental.py", "reproduce.py",  # figures and the paper's PDF
    "latex.py", "layout.py", "graph.py",  # LaTeX, its line breaking, the DOT/JSON export
    "mutate.py",  # mutation testing: it calls the checker on mutants
})


def _package():
    return Path(__file__).resolve().parents[1]


def _relative(path):
    return path.relative_to(_package()).as_posix()


def checker_sources():
    """The ``.py`` files under ``derive/`` a verdict may depend on: all but :data:`PRESENTATION`."""
    return [path for path in sorted(_package().rglob("*.py")) if _relative(path) not in PRESENTATION]


def _source(path):
    """The bytes of ``path`` as hashed (one function, so that a test can stand in an edit)."""
    return path.read_bytes()


def _fingerprint(paths):
    digest = hashlib.sha256(CHECKER_VERSION.encode())
    for path in paths:
        digest.update(_relative(path).encode())
        digest.update(_source(path))
    return digest.hexdigest()


@functools.cache
def checker_fingerprint():
    """A hash of the checker's source (:func:`checker_sources`): a result proved by other code
    is not reused.

    Not ``derive/check/`` alone, since what a step's check does depends on the sampling,
    bindings, branch, simulation and free-probability code it calls; but not the presentation
    modules either (module docstring), so that editing the command line re-checks nothing.
    """
    return _fingerprint(checker_sources())


@functools.cache
def toolkit_fingerprint():
    """A hash of every ``.py`` file under ``derive/`` (the prebuilt cache's key: a pickled
    derivation may hold objects of any of derive's modules)."""
    return _fingerprint(sorted(_package().rglob("*.py")))


def cache_dir():
    if os.environ.get("DERIVE_CACHE_DIR"):
        return Path(os.environ["DERIVE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "derive"


def step_keys(derivation):
    """Content hash of every step, premises included (a Merkle hash over the graph).

    Each covers, besides the step itself, the code it was stated by: the derivation's source
    files and every local module they import, transitively
    (:func:`derive.fingerprint.dependency_fingerprint`), since a step's check may run code the
    statement only names (a sampler, a function's numeric implementation)."""
    from ..fingerprint import dependency_fingerprint

    code = dependency_fingerprint(*map(Path, derivation.sources))
    keys = {}
    for step in derivation.ordered():
        parts = [checker_fingerprint(), code, step.kind, sp.srepr(step.statement),
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


def usable():
    """The cache directory, if the cache may use it (:func:`derive.cachefiles.trusted_directory`:
    the user's, writable by no one else or sticky), else None."""
    from .. import cachefiles

    directory = cache_dir()
    return directory if cachefiles.trusted_directory(directory) else None


def load(key):
    """The cached result of ``key``, or None.

    A miss, silently: no entry, or one that is not a regular file of the user's (a FIFO is never
    read: it would block; a directory, another user's file), or a cache directory others can
    write.  A miss with a note on stderr: an entry that is not a result of this key (not UTF-8,
    not JSON, valid JSON of another shape: a field missing or of the wrong type, an unknown
    status, the result stored under another key: a copied or swapped file).  The step is then
    checked again, and its new result replaces the entry."""
    from .. import cachefiles

    directory = usable()
    if directory is None:
        return None
    path = directory / f"{key}.json"
    raw = cachefiles.read(path)
    if raw is None:
        return None  # no entry (or none of ours): the ordinary case, no note
    try:
        data = json.loads(raw.decode("utf-8"))
        fields = {"label": str, "kind": str, "status": str, "method": str, "evidence": str,
                  "seconds": (int, float), "cached": bool, "details": dict}
        if not isinstance(data, dict):
            raise ValueError(f"a JSON {type(data).__name__}, not an object")
        if data.pop("key", None) != key:
            raise ValueError("it is not the result of this step (its key differs)")
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
    except (ValueError, TypeError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        import sys

        print(f"derive: note: cache entry {path} is damaged ({str(exc)[:200]}); ignored, the step is checked again",
              file=sys.stderr)
        return None
    result.cached = True
    return result


def store(key, result):
    """Keep ``result`` under ``key`` (with the key inside, so a file copied to another key is
    refused); a cache that cannot be written (a read-only home, a full disk) keeps nothing."""
    from .. import cachefiles

    directory = usable()
    if directory is None:
        return
    data = result.to_dict()
    data["cached"] = False
    data["key"] = key
    try:
        text = json.dumps(data, default=str)
    except (TypeError, ValueError):  # details no JSON can hold: not cached
        return
    cachefiles.write(directory / f"{key}.json", text.encode())
