"""Outputs kept between runs, each under a key of its inputs: what makes ``derive reproduce``
incremental.

A run is made of *stages* (the check, the LaTeX source, the PDF, each figure, the cross-check),
each writing files into one output directory.  :class:`Stages` records, in
``.derive-stages.json`` there, each stage's key (a hash of everything its files depend on), the
SHA-256 of every file it wrote, the seconds it took and the little data the report needs from it.
On the next run a stage whose key is unchanged and whose files are all still as it wrote them is
*kept*: nothing is recomputed or rewritten.  Any other stage runs again: a changed input, a file
deleted or edited, or ``force``.

What goes into the keys (:func:`key` hashes any JSON-able parts):

- the check: every step's content hash (:func:`derive.check.cache.step_keys`: statement, rule,
  conditions, simulation, premises, and derive's own source);
- the LaTeX: those, with everything else the document prints (:func:`document_key`) and the
  check results;
- the PDF: the LaTeX's key;
- a figure, the cross-check: the code they run (:func:`code_key`: derive's source, the source of
  the packages of the paper, its figure functions and its model, the versions of Python, sympy,
  mpmath and numpy) and their options (quick, seed, sizes, trials, protocol, ...).

So installing pdflatex after a run builds only the PDF, and a new seed recomputes the figures
and the cross-check but not the check.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from pathlib import Path

from .output import replace_text

#: The file, in the output directory, that records the stages.
RECORD = ".derive-stages.json"


def key(*parts):
    """SHA-256 of ``parts`` (JSON-able; anything else by its ``repr``)."""
    text = json.dumps(parts, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()


def _digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class Stages:
    """The stages an output directory holds from earlier runs (module docstring)."""

    def __init__(self, directory, force=False):
        self.path = Path(directory)
        self.force = force
        from .cachefiles import read

        raw = read(self.path / RECORD, trusted=False)  # never blocks on a FIFO
        try:
            self.recorded = json.loads(raw.decode("utf-8")) if raw is not None else {}
        except (ValueError, RecursionError):  # not UTF-8, not JSON
            self.recorded = {}
        if not isinstance(self.recorded, dict):
            self.recorded = {}

    def kept(self, name, stage_key):
        """The data recorded for stage ``name`` when it can be kept: same key, every file still
        as written; else None (the stage must run)."""
        entry = self.recorded.get(name)
        if self.force or not isinstance(entry, dict) or entry.get("key") != stage_key or "data" not in entry:
            return None
        for relative, digest in entry.get("files", {}).items():
            file = self.path / relative
            if not file.is_file() or _digest(file) != digest:
                return None
        return entry

    def record(self, name, stage_key, files=(), data=None, seconds=0.0):
        """Stage ``name`` ran under ``stage_key`` and wrote ``files`` (paths inside the directory)."""
        self.recorded[name] = {
            "key": stage_key, "seconds": round(seconds, 2), "data": data,
            "files": {str(Path(f).resolve().relative_to(self.path.resolve())): _digest(f) for f in files},
        }
        replace_text(self.path / RECORD, json.dumps(self.recorded, indent=1, sort_keys=True, default=str))

    def forget(self, name):
        """Drop stage ``name`` (it ran and left no output to keep, such as a PDF without pdflatex)."""
        if self.recorded.pop(name, None) is not None:
            replace_text(self.path / RECORD, json.dumps(self.recorded, indent=1, sort_keys=True, default=str))


def code_key(paper):
    """A hash of the code a paper's figures and simulations run: derive's source and the versions
    (:func:`derive.prebuilt.source_key`), the packages of the paper's module, of its figure
    functions and of its model's sampler, the source file of each (a user's file is in no
    package), and every local module they reach (:func:`derive.fingerprint.dependency_fingerprint`)."""
    from .fingerprint import dependency_fingerprint
    from .prebuilt import source_key

    functions = [paper.build, *paper.figures.values()]
    if paper.model is not None:
        functions.append(paper.model.sample)
    modules, sources = set(), []
    for function in functions:
        target = function if inspect.isfunction(function) or inspect.ismethod(function) else type(function)
        modules.add(getattr(target, "__module__", "") or "")
        try:
            sources.append(Path(inspect.getsourcefile(target)).read_text())
        except (OSError, TypeError):
            sources.append(repr(target))
    return source_key(sorted(m for m in modules if m), *sorted(set(sources)), dependency_fingerprint(*functions))


def check_key(derivation):
    """A hash of what the check of ``derivation`` depends on: its steps' content hashes."""
    from .check.cache import step_keys

    return key(derivation.name, list(step_keys(derivation).items()))


def document_key(derivation, results):
    """A hash of what the LaTeX document of ``derivation`` prints: the steps (their content
    hashes, explanations and references), the title, citation, description, parameters and
    notation, and each step's check status and method."""
    steps = [(s.label, s.explanation, s.ref) for s in derivation.ordered()]
    return key(check_key(derivation), steps, derivation.title, derivation.cite, derivation.description,
               sorted((str(k), v) for k, v in derivation.parameters.items()), derivation.latex_names,
               derivation.latex_subscripts, [(r.label, r.status, r.method) for r in results])
