"""Finding derivations: the papers registered under the entry-point group ``derive.papers``, or a
user's file that defines ``paper`` or ``derivation``.

A package ships a paper by naming a :class:`Paper` in its own ``pyproject.toml``::

    [project.entry-points."derive.papers"]
    mypaper = "mypackage.mypaper:paper"

A :class:`Paper` is the unit a package ships: its title, its derivation's build function, its
model at finite size, its figures and its parameter :class:`Domain`.  It knows all but the
derivation without building anything; the derivation is built the first time a command asks
for it, and once per process (a paper that includes another's derivation
includes the one already built).  This module imports no paper: papers are found through the
installed packages' metadata.
"""

from __future__ import annotations

import contextlib
import runpy
import sys
import threading
import types
from pathlib import Path

from .derivation import Derivation
from .errors import DerivationError, DeriveError, UsageError, did_you_mean

#: The entry-point group that papers register under.
GROUP = "derive.papers"


class Domain:
    """The values a paper's parameters may take on the command line (``derive eval``, ``derive mc``).

    defaults : dict
        Parameter -> its value when left out: a number, or another parameter whose values it
        takes (``alpha_test`` is ``alpha`` unless given).
    infinite : iterable
        Parameters that may be given as ``inf``.
    forbidden : iterable
        Functions ``f(values)`` raising :class:`UsageError` for combinations of values no
        formula covers (``tau = 1`` with ``lam = 0``); run in order, after the bounds.
    bounds : dict
        Parameter -> ``(lower, open)``, for a parameter whose lower bound is not the one its
        symbol's assumptions give (positive: > 0, nonnegative: >= 0).
    """

    def __init__(self, defaults=None, infinite=(), forbidden=(), bounds=None):
        self.defaults = dict(defaults or {})
        self.infinite = frozenset(infinite)
        self.forbidden = tuple(forbidden)
        self.bounds = dict(bounds or {})

    def values(self, assignments, parameters):
        """Parse ``name=value`` words for ``parameters`` and check them against the domain;
        returns the values and the parameters tied to another by default (see
        :func:`derive.grid.parse_assignments`)."""
        from .grid import check_domain, parse_assignments

        values, tied = parse_assignments(assignments, parameters, self.defaults)
        for symbol, array in values.items():
            lower, lower_open = self.bounds.get(symbol, (None, None))
            check_domain(symbol, array, allow_infinite=symbol in self.infinite, lower=lower, lower_open=lower_open)
        for validate in self.forbidden:
            validate(values)
        return values, tied

    def __repr__(self):
        return (f"Domain(defaults={self.defaults!r}, infinite={sorted(map(str, self.infinite))}, "
                f"forbidden={list(self.forbidden)!r})")


class Paper:
    """A shipped paper as one unit: its title, the function that builds its :class:`Derivation`,
    and what the commands need besides the derivation.

    model : derive.crosscheck.Simulator or None
        The model at finite size, for ``derive mc``, the figures and the cross-check of
        ``derive reproduce`` (at its ``points``).
    figures : dict
        Figure name -> function ``(paper, quick=False, seed=0) -> derive.figures.Figure``, for
        ``derive figure`` and ``derive reproduce``.
    domain : Domain
        The parameter domain (defaults, infinity allowed, bounds, forbidden combinations).
    paper_size : str or None
        What ``derive reproduce NAME --paper-size`` simulates at the paper's own size, in a
        line (None: the paper declares no such run).  The figure functions then get
        ``paper_size=True``; and ``protocol=NAME`` when another simulation protocol than the
        default is asked for (:attr:`derive.crosscheck.Simulator.protocols`).

    Nothing is built when a paper is made: ``build()`` runs at most once per process, on the
    first call of :meth:`derivation`, and not at all when the code is unchanged since a
    derivation was kept in the prebuilt cache.
    """

    def __init__(self, build, title, *, model=None, figures=None, domain=None, paper_size=None):
        self.build = build
        self.title = title
        self.model = model
        self.figures = dict(figures or {})
        self.domain = domain if domain is not None else Domain()
        self.paper_size = paper_size
        self._derivation = None
        self._lock = threading.RLock()  # threads of a sweep asking at once still build once

    def derivation(self):
        """The built derivation: on the first call, from the prebuilt cache when the code is
        unchanged (:func:`derive.prebuilt.derivation`), else built now."""
        if self._derivation is None:
            from .prebuilt import derivation

            with self._lock:
                if self._derivation is None:
                    self._derivation = derivation(self)
        return self._derivation

    def built(self):
        """Build the derivation now (no cache)."""
        found = _run(self.build, f"paper {self.module}: {self.build.__name__}()")
        if not isinstance(found, Derivation):
            raise DerivationError(f"{self.module}.{self.build.__name__} returned "
                                  f"{type(found).__name__}, not a derive.Derivation")
        return found

    @property
    def module(self):
        """The module that defines the paper (its source is part of every cache key)."""
        return self.build.__module__

    @classmethod
    def of(cls, derivation):
        """A paper holding an already built ``derivation`` (no model, figures or domain)."""
        paper = cls(lambda: derivation, derivation.title)
        paper._derivation = derivation
        return paper

    def __repr__(self):
        return f"Paper({self.module}, {self.title!r})"


def _entry_points():
    from importlib.metadata import entry_points

    found = {}
    for point in entry_points(group=GROUP):
        found.setdefault(point.name, point)
    return found


def shipped():
    """Name -> ``module:attribute`` of every registered paper (nothing is imported)."""
    return {name: point.value for name, point in _entry_points().items()}


def modules():
    """The modules of every registered paper (nothing is imported)."""
    return sorted({point.module for point in _entry_points().values()})


def paper(name):
    """The :class:`Paper` registered as ``name`` (its module is imported; nothing is built)."""
    points = _entry_points()
    if name not in points:
        known = ", ".join(sorted(points)) or "none"
        raise UsageError(f"unknown derivation '{name}'{did_you_mean(name, points)} (known: {known})")
    try:
        found = points[name].load()
    except DeriveError:
        raise
    except Exception as exc:  # a broken third-party package: one line, naming it
        raise DerivationError(f"paper '{name}' ({points[name].value}) cannot be loaded: "
                              f"{type(exc).__name__}: {exc}")
    if isinstance(found, types.ModuleType):  # a module: its `paper`, else its `derivation`
        found = getattr(found, "paper", None) or getattr(found, "derivation", None)
    if isinstance(found, Paper):
        return found
    if isinstance(found, Derivation):
        return Paper.of(found)
    if callable(found):  # a function returning the derivation
        return _papers.setdefault(name, Paper(found, name))
    raise DerivationError(f"paper '{name}' ({points[name].value}) is a {type(found).__name__}, "
                          "not a derive.registry.Paper")


#: Papers registered as a bare build function, kept so that each is built once.
_papers = {}


def is_file(target):
    """Whether ``target`` names a user's file rather than a registered paper."""
    return target.endswith(".py") or "/" in target


def load(target):
    """The :class:`Derivation` named ``target``, or defined by the file ``target`` (``*.py``)."""
    return load_paper(target).derivation()


def load_paper(target):
    """The :class:`Paper` named ``target``, or defined by the file ``target`` (``*.py``), with its
    derivation built."""
    if is_file(target):
        return load_file_paper(target)
    return paper(target)


def load_file(path):
    """Run a user's derivation file (read only, never written) and return its derivation."""
    return load_file_paper(path).derivation()


def load_file_paper(path):
    """Run a user's file (read only, never written) and return its ``paper`` (a :class:`Paper`,
    built now, never from a cache), or a paper holding the derivation it defines as
    ``derivation``."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    try:
        source = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        # Bytes, so that Python's own rules decide the encoding (UTF-8 unless a coding line
        # says otherwise).
        compile(source, str(path), "exec")
    except SyntaxError as exc:
        if "codec can't decode" in str(exc.msg) or "unicode error" in str(exc.msg):
            raise UsageError(f"{path}: not UTF-8 text (and no coding line says what else): {exc.msg}") from None
        where = f"{path}:{exc.lineno}" if exc.lineno else str(path)
        raise UsageError(f"{where}: syntax error: {exc.msg}") from None
    except (ValueError, UnicodeDecodeError) as exc:  # null bytes, a coding line naming no codec
        raise UsageError(f"{path}: not a Python source file: {exc}") from None
    namespace = _run(lambda: runpy.run_path(str(path), run_name="__derive__"), f"{path}: running the file")
    found = namespace.get("paper")
    if isinstance(found, Paper):
        if found._derivation is None:
            found._derivation = found.built()  # a file's module has no source to key a cache on
        return found
    return Paper.of(_derivation_in(namespace, str(path)))


def _run(function, what):
    """``function()``; whatever the user's code raises, or a ``sys.exit`` or ``os._exit`` in it,
    becomes one :class:`DerivationError` line (exit 1): a file that exits has defined no
    derivation."""
    try:
        with _exits_refused():
            return function()
    except DeriveError:
        raise
    except SystemExit as exc:
        exit_call = "os._exit" if isinstance(exc, _HardExit) else "sys.exit"
        raise DerivationError(f"{what} called {exit_call}({exc.code!r}): a derivation file must define "
                              "`derivation`, not exit") from None
    except Exception as exc:  # the user's code: report it in one line, never a traceback
        raise DerivationError(f"{what} raised {type(exc).__name__}: {exc}") from None


class _HardExit(SystemExit):
    """``os._exit`` called by a user's code while it is loaded (:func:`_exits_refused`)."""


@contextlib.contextmanager
def _exits_refused():
    """``os._exit`` raises :class:`_HardExit` in this process while the block runs: it would
    otherwise end the process with the user's exit code, 0 a success, before derive says a word.
    A process the user's code forks exits as it asks."""
    import os

    real, pid = os._exit, os.getpid()
    modules = [module for module in (os, sys.modules.get("posix"), sys.modules.get("nt"))
               if getattr(module, "_exit", None) is real]

    def _exit(code):
        if os.getpid() != pid:
            real(code)
        raise _HardExit(code)

    for module in modules:
        module._exit = _exit
    try:
        yield
    finally:
        for module in modules:
            module._exit = real


def _derivation_in(namespace, where):
    found = namespace.get("derivation")
    if callable(found) and not isinstance(found, Derivation):
        found = _run(found, f"{where}: derivation()")
    if not isinstance(found, Derivation):
        raise UsageError(f"{where} defines no `derivation` (a derive.Derivation, or a function "
                         "returning one)")
    return found
