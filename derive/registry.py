"""Finding derivations: the shipped ones by name, or a user's file that defines ``derivation``."""

from __future__ import annotations

import importlib
import runpy
from pathlib import Path

from .derivation import Derivation
from .errors import DerivationError, DeriveError, UsageError


def shipped():
    """Name -> module path of the derivations in the ``derivations`` package."""
    from derivations import REGISTRY

    return dict(REGISTRY)


def load(target):
    """The :class:`Derivation` named ``target``, or defined by the file ``target`` (``*.py``)."""
    if target.endswith(".py") or "/" in target:
        return load_file(target)
    registry = shipped()
    if target not in registry:
        known = ", ".join(sorted(registry))
        raise UsageError(f"unknown derivation '{target}' (known: {known})")
    module = importlib.import_module(registry[target])
    return _derivation_in(vars(module), registry[target])


def load_file(path):
    """Run a user's derivation file (read only, never written) and return its ``derivation``."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    source = path.read_text()
    try:
        compile(source, str(path), "exec")
    except SyntaxError as exc:
        raise UsageError(f"{path}:{exc.lineno}: syntax error: {exc.msg}")
    try:
        namespace = runpy.run_path(str(path), run_name="__derive__")
    except DeriveError:
        raise
    except Exception as exc:  # the user's code: report it in one line, never a traceback
        raise DerivationError(f"{path}: running the file raised {type(exc).__name__}: {exc}")
    return _derivation_in(namespace, str(path))


def _derivation_in(namespace, where):
    found = namespace.get("derivation")
    if callable(found) and not isinstance(found, Derivation):
        found = found()
    if not isinstance(found, Derivation):
        raise UsageError(f"{where} defines no `derivation` (a derive.Derivation, or a function "
                         "returning one)")
    return found
