"""A resumable store for sweeps: one JSON file per finished trial.

Layout, under a root directory (``out/NAME/sweeps`` for ``derive mc NAME``)::

    ROOT/KEY/sweep.json                  what the sweep is: sample function, points, seed
    ROOT/KEY/p003-d32-t0007.json         one finished trial: point 3, size 32, trial 7

``KEY`` is the first 16 hex digits of the SHA-256 of ``sweep.json``'s content: the sample
function's name, a hash of the source of every loaded module of its package (a change to the
model anywhere in ``derivations`` starts a new sweep), the points (parameter name -> value, in
order) and the sweep seed.  Sizes
and trial counts are not part of it, so asking for more trials or another size reuses every
trial already done.  A trial file holds::

    {"point": 3, "d": 32, "trial": 7, "seed": [SEED, 3, 32, 7],
     "values": {"e_icl": 0.8731, ...}, "seconds": 0.41}

where ``seed`` is what its generator was derived from (:func:`derive.montecarlo.seeds`).  Files
are written whole (to a temporary name, then renamed), so an interrupted sweep leaves only
complete trials behind; the next run with the same definition loads them and runs the rest.
A file that cannot be read is run again and replaced.  Nothing outside ``ROOT/KEY`` is written.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import sys
from pathlib import Path

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
        """``{(point, d, trial): values}`` of every readable trial file."""
        done = {}
        for file in self.path.glob("p*-d*-t*.json"):
            try:
                record = json.loads(file.read_text())
                done[record["point"], record["d"], record["trial"]] = record["values"]
            except (OSError, ValueError, KeyError, TypeError):
                continue  # a damaged file: the trial runs again and replaces it
        return done

    def save(self, task, values, seed, seconds):
        point, d, trial = task
        record = {"point": point, "d": d, "trial": trial, "seed": [seed, point, d, trial],
                  "values": {k: float(v) for k, v in values.items()}, "seconds": round(seconds, 4)}
        _write(self.path / f"p{point:03d}-d{d}-t{trial:04d}.json", json.dumps(record))


def _package_source_hash(function):
    """SHA-256 of the sources of the loaded modules of ``function``'s top-level package."""
    package = (getattr(function, "__module__", "") or "").split(".")[0]
    digest = hashlib.sha256()
    for name in sorted(n for n in sys.modules if n == package or n.startswith(package + ".")):
        try:
            digest.update(inspect.getsource(sys.modules[name]).encode())
        except (OSError, TypeError):
            digest.update(name.encode())
    if not package:
        digest.update(repr(function).encode())
    return digest.hexdigest()


def _write(path, text):
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text)
    os.replace(temporary, path)
