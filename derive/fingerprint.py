"""The dependency fingerprint: one hash of every local source file some code can reach.

A cached verdict is honest only if everything it was computed from is unchanged.  For a step that
is the derivation file and the local modules it imports; for a fact it is also the code its
sampler runs, which may be a helper two calls below it in another module.  So the fingerprint is
not the source of one function but a closure over imports:

- start from the *roots* (a file, a module, a function, a class, an object: its class, and the
  functions, classes and modules among its public attributes);
- from every local source file reached, follow each ``import`` / ``from ... import`` it contains
  (anywhere in the file, also inside functions), and the modules, functions and classes its
  namespace holds when it is loaded (an ``importlib.import_module`` done at run time);
- hash the bytes of every file reached, by its module name (or its file name for a file run as a
  script), in sorted order; a function with no source file (a notebook cell) by its compiled code.

*Local* means a file on disk that is neither in the standard library nor in an installed
distribution (``site-packages`` / ``dist-packages``) nor in derive itself, whose own source is
:func:`derive.check.cache.checker_fingerprint`.  An installed package is identified by its version
where it matters (:func:`derive.prebuilt.source_key`), a user's code by its content.  Imports are
resolved without executing anything: a module already loaded by its ``__file__``, any other by the
import system's finders (``find_spec``), which do not run the module; a name that resolves to no
file (a C extension, a missing module, an attribute) adds nothing.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.machinery
import importlib.util
import inspect
import marshal
import os
import sys
import sysconfig
import types
from pathlib import Path

#: Bump when what is hashed changes: every key that includes the fingerprint changes with it.
VERSION = "1"


def dependency_fingerprint(*roots):
    """SHA-256 (hex) of the local source files reachable from ``roots`` (module docstring).

    A root is a :class:`pathlib.Path` (a source file), a ``str`` (a dotted module name), a module,
    a function or method, a class, or any other object (its class, and the callables and modules
    among its public attributes)."""
    try:
        held = _memo.get(roots)
    except TypeError:  # an unhashable root: no memo
        roots_key, held = None, None
    else:
        roots_key = roots
    if held is not None and all(_content_digest(path) == known for path, known in held[0].items()):
        return held[1]
    files = {path: (name, hashlib.sha256(content).digest()) for path, (name, content) in local_sources(roots).items()}
    digest = hashlib.sha256(f"derive-dependencies-{VERSION}".encode())
    for name, content_digest in sorted(files.values()):
        digest.update(name.encode() + b"\x1e" + content_digest + b"\x1f")
    if roots_key is not None and not any(isinstance(path, _Code) for path in files):
        # (code without a file is found through a namespace that may be rebound: not memoised)
        if len(_memo) > 256:
            _memo.clear()
        _memo[roots_key] = ({path: known for path, (_, known) in files.items()}, digest.hexdigest())
    return digest.hexdigest()


#: roots -> ({file: SHA-256 of its bytes}, fingerprint): within a process the walk over imports
#: is done once per roots, and redone when any file it reached has other bytes (read again on
#: every call: content, not modification times, decides).
_memo = {}


def _content_digest(path):
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return None


class _Code:
    """The code of a function that has no source file (a notebook cell, ``exec``'d text): it is
    hashed by its compiled code instead, and its globals are followed as a module's are."""

    def __init__(self, function):
        self.function = function
        self.name = f"<code {function.__module__}.{function.__qualname__}>"

    def __eq__(self, other):
        return isinstance(other, _Code) and other.function is self.function

    def __hash__(self):
        return id(self.function)

    def read_bytes(self):
        return marshal.dumps(self.function.__code__)


def local_sources(roots):
    """``{resolved path: (name, bytes)}`` of every local source file reachable from ``roots``."""
    found = {}
    queue = []
    for root in roots:
        queue.extend(_starts(root))
    while queue:
        path, name, namespace = queue.pop()
        path = path if isinstance(path, _Code) else _local(path)
        if path is None or path in found:
            continue
        try:
            content = path.read_bytes()
        except (OSError, ValueError):  # ValueError: code marshal cannot write
            continue
        found[path] = (name or path.name, content)
        if not isinstance(path, _Code):  # compiled code: its imports are names in its globals
            for module in _imported_names(content, _package_of(name, path)):
                queue.extend(_module_entries(module))
        if namespace is not None:
            for value in list(namespace.values()):
                queue.extend(_value_entries(value))
    return found


def _starts(root):
    """Entries ``(path, module name or None, namespace or None)`` for a root."""
    if isinstance(root, Path):
        return [(root, None, None)]
    if isinstance(root, str):
        return _module_entries(root)
    if isinstance(root, (types.ModuleType, type, types.FunctionType, types.MethodType, functools.partial)):
        return _value_entries(root)
    return _object_entries(root)


def _object_entries(value):
    """An object's class, and the functions, classes and modules it holds in its public
    attributes (a model keeping the function it simulates), directly or in a list or tuple."""
    entries = _value_entries(type(value))
    try:
        attributes = [v for k, v in vars(value).items() if not k.startswith("_")]
    except TypeError:  # no __dict__
        return entries
    for attribute in attributes:
        for item in attribute if isinstance(attribute, (list, tuple)) else (attribute,):
            if isinstance(item, (types.ModuleType, type, types.FunctionType, types.MethodType, functools.partial)):
                entries += _value_entries(item)
    return entries


def _value_entries(value):
    """Entries for a value found in a namespace: a module, a function (its code's file and its
    globals, its closure), a class (its module and bases' modules); anything else: none."""
    if isinstance(value, types.ModuleType):
        return _loaded_module(value)
    if isinstance(value, functools.partial):
        return [*_value_entries(value.func), *(e for a in value.args for e in _value_entries(a))]
    if isinstance(value, types.MethodType):
        return [*_value_entries(value.__func__), *_object_entries(value.__self__)]
    if isinstance(value, types.FunctionType):
        value = inspect.unwrap(value)
        file = value.__code__.co_filename
        if _local(file) is None and (file.startswith("<") and not file.startswith("<frozen")
                                     or _candidate(file) is not None):
            where = _Code(value)  # no source file to read (a notebook cell): its code instead
            entries = [(where, where.name, value.__globals__)]
        else:
            entries = [(Path(file), _module_name_of(value), value.__globals__)]
        for cell in value.__closure__ or ():
            try:
                contents = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if isinstance(contents, (types.ModuleType, types.FunctionType, type)):
                entries += _value_entries(contents)
        return entries
    if isinstance(value, type):
        entries = []
        for klass in value.__mro__:
            module = sys.modules.get(getattr(klass, "__module__", "") or "")
            if module is not None:
                entries += _loaded_module(module)
        return entries
    return []


def _module_name_of(function):
    """The module name of ``function`` if that module is the one its code is from (a file run
    as a script, ``__derive__`` or ``__main__``, is named by its file instead)."""
    name = getattr(function, "__module__", None)
    module = sys.modules.get(name or "")
    file = getattr(module, "__file__", None)
    if file and os.path.realpath(file) == os.path.realpath(function.__code__.co_filename):
        return name
    return None


def _loaded_module(module):
    file = getattr(module, "__file__", None)
    if not file:
        return []
    return [(Path(file), module.__name__, vars(module))]


def _module_entries(name):
    """Entries for the dotted module ``name`` and its parent packages (whose ``__init__`` runs
    when it is imported), found without running anything."""
    entries = []
    parts = name.split(".")
    search = None
    for i in range(1, len(parts) + 1):
        prefix = ".".join(parts[:i])
        loaded = sys.modules.get(prefix)
        if loaded is not None:
            entries += _loaded_module(loaded)
            search = getattr(loaded, "__path__", None)
            if search is None:
                break
            continue
        spec = _find_spec(prefix, search)
        if spec is None:
            break
        if spec.origin and spec.has_location:
            entries.append((Path(spec.origin), prefix, None))
        search = spec.submodule_search_locations
        if search is None:
            break
    return entries


def _find_spec(name, search):
    """The spec of ``name`` without importing it: the path finder over ``search`` (a package's
    locations), or the import system's finders for a top-level name (an editable install's)."""
    try:
        if search is not None:
            return importlib.machinery.PathFinder.find_spec(name, list(search))
        if "." not in name:
            return importlib.util.find_spec(name)
    except (ImportError, ValueError, AttributeError):
        return None
    return None


def _package_of(name, path):
    """The package relative imports in the module ``name`` (file ``path``) are resolved against."""
    if not name:
        return None
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


@functools.lru_cache(maxsize=1024)
def _imported_names(content, package):
    """Dotted module names that the source ``content`` imports, anywhere in it; for
    ``from a import b`` both ``a`` and ``a.b`` (``b`` may be a submodule)."""
    try:
        tree = ast.parse(content)
    except (SyntaxError, ValueError):
        return ()
    names = []
    for node in _statements(tree.body):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                if not package:
                    continue  # a relative import in a script: nothing to resolve against
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)] if node.level > 1 else anchor
                if not anchor:
                    continue
                base = ".".join(anchor + ([base] if base else []))
            if base:
                names.append(base)
                names += [f"{base}.{alias.name}" for alias in node.names if alias.name != "*"]
    return tuple(dict.fromkeys(names))


def _statements(body):
    """Every statement in ``body`` and in the blocks nested in it (imports are statements: the
    expressions, most of a file, need not be visited)."""
    for node in body:
        yield node
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            inner = getattr(node, field, None)
            if isinstance(inner, list):
                yield from _statements(inner)


def _local(path):
    """``path`` resolved if it is a local source file (module docstring), else None."""
    resolved = _candidate(str(path))
    return resolved if resolved is not None and resolved.is_file() else None


@functools.lru_cache(maxsize=4096)
def _candidate(text):
    """``text`` resolved, unless it names no file or one in the standard library, an installed
    distribution or derive (whether it exists is asked on every call)."""
    if not text or text.startswith("<"):
        return None  # <string>, <stdin>, a notebook cell: no file
    try:
        resolved = Path(text).resolve()
    except (OSError, RuntimeError):
        return None
    if {"site-packages", "dist-packages"} & set(resolved.parts):
        return None
    if any(resolved.is_relative_to(root) for root in _excluded_roots()):
        return None
    return resolved


@functools.cache
def _excluded_roots():
    """The standard library, the interpreter's prefixes' libraries, and derive itself."""
    roots = {Path(__file__).resolve().parent}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            roots.add(Path(path).resolve())
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}:
        roots.add((Path(prefix) / "lib").resolve())
    return tuple(roots)
