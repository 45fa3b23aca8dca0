"""A resumable store for sweeps: one JSON file per finished trial.

Layout, under a root directory (``out/NAME/sweeps`` for ``derive mc NAME``)::

    ROOT/KEY/sweep.json                  what the sweep is: sample function, points, seed
    ROOT/KEY/p003-d32-t0007.json         one finished trial: point 3, size 32, trial 7

``KEY`` is the first 16 hex digits of the SHA-256 of ``sweep.json``'s content: the sample
function's name, a hash of the code it reaches (:func:`derive.fingerprint.dependency_fingerprint`:
its module and every local module imported from there, transitively, so a change to the model or
a helper it calls starts a new sweep), the points (parameter name -> value, in
order) and the sweep seed.  Sizes
and trial counts are not part of it, so asking for more trials or another size reuses every
trial already done.  A trial file holds::

    {"point": 3, "d": 32, "trial": 7, "seed": [SEED, 3, 32, 7],
     "values": {"e_icl": 0.8731, ...}, "seconds": 0.41}

where ``seed`` is what its generator was derived from (:func:`derive.montecarlo.seeds`).  Files
are written whole (to a temporary name, then renamed), so an interrupted sweep leaves only
complete trials behind; the next run with the same definition loads them and runs the rest.

Every trial file is validated on read: a JSON object whose point, size and trial match its
name, and whose values are finite numbers under the same names as the other trials'.  A file
that fails (unreadable, nan, a missing or non-numeric value) is never averaged in: it is moved
to ``ROOT/KEY/damaged/``, a note on stderr says so, and the trial runs again.  A store that
cannot be written (a full disk, no permission) stops the sweep with one line naming it; the
trials already written stay, and the next run resumes from them.  Nothing outside ``ROOT/KEY``
is written.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sys
from pathlib import Path

from . import cachefiles
from .errors import UsageError


class Store:
    """The finished trials of one sweep definition, on disk."""

    def __init__(self, root, sample, points, seed):
        self.definition = {"sample": f"{getattr(sample, '__module__', '?')}.{getattr(sample, '__qualname__', sample)}",
                           "source": _package_source_hash(sample), "points": [dict(p) for p in points],
                           "seed": seed}
        text = json.dumps(self.definition, sort_keys=True, indent=1)
        self.key = hashlib.sha256(text.encode()).hexdigest()[:16]
        self.path = Path(root) / self.key
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create the sweep store {self.path}: {exc.strerror}") from None
        manifest = self.path / "sweep.json"
        if not manifest.exists():
            _write(manifest, text)

    def load(self):
        """``{(point, d, trial): values}`` of every valid trial file; the damaged ones are set
        aside (see the module docstring), so that their trials run again."""
        found, damaged = {}, []
        for file in sorted(self.path.glob("p*-d*-t*.json")):
            try:
                raw = cachefiles.read(file, trusted=False)  # a FIFO would block a plain read
                if raw is None:
                    raise ValueError("not a readable regular file")
                record = json.loads(raw.decode("utf-8"))
                found[file] = _validated(record, file.name)
            except (OSError, ValueError, RecursionError) as exc:
                damaged.append((file, str(exc)))
        # Every trial of a sweep gives the same observables: a file that lacks one is damaged.
        names = set().union(*(values for _, values in found.values()))
        done = {}
        for file, (task, values) in found.items():
            if set(values) != names:
                damaged.append((file, f"{', '.join(sorted(names - set(values)))} missing"))
            else:
                done[task] = values
        if damaged:
            self._set_aside(damaged)
        return done

    def _set_aside(self, damaged):
        aside = self.path / "damaged"
        moved = True
        try:
            aside.mkdir(exist_ok=True)
            for file, _ in damaged:
                os.replace(file, aside / file.name)
        except OSError:
            moved = False  # a read-only store: the files stay, and are ignored all the same
        where = f"set aside in {aside}" if moved else "ignored"
        first, reason = damaged[0]
        print(f"derive: note: {len(damaged)} damaged trial file(s) in {self.path} ({first.name}: {reason}) "
              f"{where}; their trials run again", file=sys.stderr)

    def save(self, task, values, seed, seconds):
        point, d, trial = task
        record = {"point": point, "d": d, "trial": trial, "seed": [seed, point, d, trial],
                  "values": {k: float(v) for k, v in values.items()}, "seconds": round(seconds, 4)}
        _write(self.path / _name(point, d, trial), json.dumps(record))


def _name(point, d, trial):
    return f"p{point:03d}-d{d}-t{trial:04d}.json"


def _validated(record, name):
    """``((point, d, trial), values)`` of a trial file's record; ValueError saying what is wrong."""
    if not isinstance(record, dict):
        raise ValueError(f"a JSON {type(record).__name__}, not an object")
    task = tuple(record.get(key) for key in ("point", "d", "trial"))
    if not all(isinstance(k, int) and not isinstance(k, bool) and k >= 0 for k in task):
        raise ValueError(f"point, d and trial are not whole numbers: {task}")
    if _name(*task) != name:
        raise ValueError(f"it holds the trial of {_name(*task)}")
    values = record.get("values")
    if not isinstance(values, dict) or not values:
        raise ValueError("no values")
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{key} = {value!r} is not a number")
        if not math.isfinite(value):
            raise ValueError(f"{key} = {value} is not finite")
    return task, {key: float(value) for key, value in values.items()}


def _package_source_hash(function):
    """The code ``function`` reaches: its module and the local modules imported from there,
    transitively (:func:`derive.fingerprint.dependency_fingerprint`)."""
    from .fingerprint import dependency_fingerprint

    return dependency_fingerprint(function)


def _write(path, text):
    """Write ``path`` whole, or not at all (:func:`derive.output.replace_text`); a failure is one
    line naming the store."""
    from .output import replace_text

    try:
        replace_text(path, text)
    except UsageError as exc:
        raise UsageError(f"cannot write the sweep store {path.parent} ({exc}); "
                         "the trials written so far are kept and a rerun resumes from them") from None
