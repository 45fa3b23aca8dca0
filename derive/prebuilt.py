"""What a command can use without building a derivation, cached by content hash.

Building a shipped derivation states every step, computes free-probability curves and chooses
roots with sympy: seconds.  ``derive eval`` needs only the lowered quantity (the parameter
domain is the paper's, made without building), and ``derive list`` only each paper's title (read
from its source), number of steps and quantity names (recorded whenever the paper is built, keyed
on its package's source alone: :func:`catalogue`); the other commands need the derivation, and get
it unpickled when it was built by the same code before.  All three are kept here, one file per
key under the check cache's directory (:func:`derive.check.cache.cache_dir`), in ``prebuilt/``.

A key hashes the toolkit's own source (:func:`derive.check.cache.toolkit_fingerprint`: all of
``derive/``), the source
of every package that registers a paper (so a paper that includes another's derivation is
covered), the versions of Python, sympy, mpmath and numpy, and what is asked for.  Editing any of that code
makes a new key.  Not in the key: other installed packages, and files a
build reads (the shipped papers read none); after changing those, delete ``prebuilt/``.
Anything that cannot be stored or read back (an unpicklable object, a read-only home, a corrupt
file) is simply built, as without the cache.  The catalogue is JSON.  A derivation and a lowered
quantity hold sympy objects and generated code that no data-only format keeps, so they are
pickles, and a pickle runs code when loaded: each is signed with HMAC-SHA256 under the user's own
key and names its kind, key and identity (paper, quantity), and nothing is unpickled that is not
the user's own file, signed under that key, for exactly what is asked, from a cache directory no
one else can write (:mod:`derive.cachefiles`).  What comes out is checked again for its type
(a :class:`~derive.derivation.Derivation`, a :class:`~derive.lower.Lowered` of that name).

A lowered quantity is pickled with the functions ``lambdify`` generated in it: those are saved
as their code object and the names their code looks up (numpy and mpmath functions by
reference), and rebuilt without sympy printing or common-subexpression elimination.
"""

from __future__ import annotations

import builtins
import hashlib
import importlib
import importlib.util
import io
import marshal
import pickle
import sys
import types
from pathlib import Path

#: Bump when what is stored here changes shape.
FORMAT = "3"

_LAMBDIFIED = "<lambdifygenerated-"


def directory():
    from .check.cache import cache_dir

    return cache_dir() / "prebuilt"


def _package_files(modules):
    """``(name, path)`` of the ``.py`` files of the top-level packages of ``modules``, found
    without importing them; ``name`` is the path inside the package."""
    files = {}
    for package in sorted({m.split(".")[0] for m in modules}):
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            continue
        if spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                root = Path(location).resolve()
                for path in root.rglob("*.py"):
                    files[f"{package}/{path.relative_to(root)}"] = path
        elif spec.origin and spec.origin.endswith(".py"):
            files[f"{package}.py"] = Path(spec.origin)
    return sorted(files.items())


def source_key(modules, *what):
    """A hash of the toolkit's source, of the packages of ``modules``, the versions, and ``what``."""
    import mpmath
    import numpy
    import sympy

    from .check.cache import toolkit_fingerprint

    digest = hashlib.sha256(FORMAT.encode())
    versions = (sys.version, sympy.__version__, mpmath.__version__, numpy.__version__)
    for part in (toolkit_fingerprint(), *versions, *map(str, what)):
        digest.update(part.encode() + b"\x1f")
    for name, path in _package_files(modules):
        digest.update(name.encode() + b"\x1e")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _folder():
    """The prebuilt folder and the user's signing key, or (None, None) when the folder (or one
    above it) is writable by others or the key is not usable (:mod:`derive.cachefiles`)."""
    from . import cachefiles

    folder = directory()
    if not cachefiles.trusted_directory(folder):
        return None, None
    key = cachefiles.signing_key(folder.parent)
    return (folder, key) if key is not None else (None, None)


def load(key, kind=None, identity=()):
    """The object stored under ``key`` as ``kind`` for ``identity``, or None.

    Nothing is unpickled unless the entry is the user's own regular file, signed under the
    user's key (:func:`derive.cachefiles.unseal`), and its header names this key, this kind and
    this identity (so a file copied or swapped from another key is refused).  A refused entry
    gets a note on stderr and is built again; any other miss is silent."""
    from . import cachefiles

    folder, secret = _folder()
    if folder is None:
        return None
    path = folder / f"{key}.pickle"
    raw = cachefiles.read(path)
    if raw is None:
        return None
    opened = cachefiles.unseal(secret, raw)
    expected = {"format": FORMAT, "key": key, "kind": kind, "identity": [str(i) for i in identity]}
    if opened is None or opened[0] != expected:
        why = "not signed with this user's key" if opened is None else "made for something else"
        cachefiles.note(f"prebuilt entry {path} is {why}; ignored, built again")
        return None
    try:
        return pickle.loads(opened[1])
    except Exception:  # signed by us, but pickled by other code (a class since renamed): build instead
        return None


def store(key, value, kind=None, identity=()):
    """Keep ``value`` under ``key``, signed, with its kind and identity; returns False (and keeps
    nothing) when it cannot be pickled or written, or the cache is not the user's alone."""
    from . import cachefiles

    buffer = io.BytesIO()
    try:
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    except Exception:
        return False
    folder, secret = _folder()
    if folder is None:
        return False
    header = {"format": FORMAT, "key": key, "kind": kind, "identity": [str(i) for i in identity]}
    return cachefiles.write(folder / f"{key}.pickle", cachefiles.seal(secret, header, buffer.getvalue()))


def lowered_quantity(name, quantity, load_paper):
    """The lowered ``quantity`` of the derivation ``name`` and its paper's
    :class:`~derive.registry.Domain` (also set as the lowered quantity's ``domain``, so that
    calling it checks its parameters as ``derive eval`` does).

    For a registered paper the lowered quantity comes from the cache when the code is unchanged
    (the domain is the paper's own, made without building anything); otherwise
    ``load_paper(name)`` gives the paper, its derivation is built (and validated), the quantity
    is lowered and kept for the next time.  An unknown quantity is a usage error naming the
    known ones.  The statuses of the steps it rests on are never kept here
    (:attr:`~derive.lower.Lowered.lineage` reads them from the check cache when asked).
    """
    from . import registry
    from .errors import UsageError, did_you_mean
    from .lower import Lowered, lower_quantity

    key = None
    if not registry.is_file(name) and name in registry.shipped():
        key = source_key(registry.modules(), "lowered", name, quantity)
        found = load(key, "lowered", (name, quantity))
        if isinstance(found, Lowered) and found.name == quantity:
            found.domain = registry.paper(name).domain
            # its lineage needs the derivation: built (or unpickled) only when asked for
            found.source = lambda: load_paper(name).derivation()
            return found, found.domain
    paper = load_paper(name)
    derivation = paper.derivation()
    if quantity not in derivation.quantities:
        known = ", ".join(sorted(derivation.quantities)) or "none"
        raise UsageError(f"unknown quantity '{quantity}' for {derivation.name}"
                         f"{did_you_mean(quantity, derivation.quantities)} (known: {known})")
    found = lower_quantity(derivation, quantity)
    if key is not None:
        store(key, found, "lowered", (name, quantity))  # kept without the domain: the paper's own is attached on every load
    found.domain = paper.domain
    return found, paper.domain


def derivation(paper):
    """The derivation of ``paper`` (a :class:`derive.registry.Paper`): unpickled when the code is
    unchanged since it was built, else built now (:meth:`~derive.registry.Paper.built`) and kept.

    Unpickling rebuilds the same steps (the same statements, so the same check-cache keys) in a
    fraction of the time building takes: building computes free-probability curves and chooses
    roots with sympy.
    """
    from . import registry
    from .derivation import Derivation

    identity = (paper.module, getattr(paper.build, "__qualname__", ""))
    key = source_key([*registry.modules(), paper.module], "derivation", *identity)
    found = load(key, "derivation", identity)
    if not isinstance(found, Derivation):
        found = paper.built()
        store(key, found, "derivation", identity)
    record(paper, found)
    return found


def catalogue():
    """Name -> :class:`Entry` (title; number of steps and quantity names, or None) of every
    registered paper, for ``derive list``. Nothing is built, and no paper is imported unless its
    title cannot be read from its source.

    The title is read from the paper module's source (:func:`static_title`). The step count and
    the quantities are known once the paper's derivation has been built or unpickled by this
    source (:func:`record`, called by :func:`derivation`): a small JSON file keyed on the content
    hash of the paper's package (:func:`paper_key`). Until then they are None: counting steps
    means building the paper, seconds to a minute, which a listing must not cost.
    """
    from . import registry

    found = {}
    for name, value in sorted(registry.shipped().items()):
        module = value.partition(":")[0]
        meta = _entry_load(module)
        title = static_title(module)
        if title is None:  # a paper written so that its title is not a literal: import it
            title = meta["title"] if meta is not None else registry.paper(name).title
        if meta is None:
            found[name] = Entry(title, None, None)
        else:
            found[name] = Entry(title, meta["steps"], tuple(meta["quantities"]))
    return found


class Entry(tuple):
    """``(title, steps, quantities)`` of a paper in :func:`catalogue`."""

    __slots__ = ()

    def __new__(cls, title, steps, quantities):
        return super().__new__(cls, (title, steps, quantities))

    title = property(lambda self: self[0])
    steps = property(lambda self: self[1])
    quantities = property(lambda self: self[2])


def paper_key(module):
    """The content hash the metadata of the paper in ``module`` is kept under: the source of every
    ``.py`` file of the module's top-level package (a paper that includes another, or shares a
    model module, is covered), the toolkit's version string and :data:`FORMAT`. Not the
    toolkit's source: editing ``derive/`` does not hide every count (a verb that changes how many
    steps it makes shows on the next build of each paper)."""
    from . import __version__

    digest = hashlib.sha256(f"catalogue\x1f{FORMAT}\x1f{__version__}\x1f{module}".encode())
    for name, path in _package_files([module]):
        digest.update(name.encode() + b"\x1e")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _entry_path(module):
    return directory() / f"catalogue-{hashlib.sha256(module.encode()).hexdigest()[:16]}.json"


def record(paper, derivation):
    """Keep the title, step count and quantity names of ``paper``'s built ``derivation`` for
    :func:`catalogue` (JSON, data only), unless kept already for this source."""
    import json

    from . import cachefiles

    from . import registry

    module = paper.module
    try:
        if module not in registry.modules() or not cachefiles.trusted_directory(directory()):
            return
        key = paper_key(module)
        if _entry_load(module, key) is not None:
            return
        text = json.dumps({"key": key, "module": module, "title": derivation.title, "steps": len(derivation),
                           "quantities": sorted(derivation.quantities)})
        cachefiles.write(_entry_path(module), text.encode())
    except OSError:  # a read-only cache: the listing shows no count, as before any build
        pass


def _entry_load(module, key=None):
    """The metadata kept for ``module`` under its current :func:`paper_key`, or None."""
    import json

    from . import cachefiles

    folder = directory()
    if not cachefiles.trusted_directory(folder):
        return None
    raw = cachefiles.read(_entry_path(module))
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
        return None
    if not (isinstance(data, dict) and data.get("module") == module and type(data.get("steps")) is int
            and isinstance(data.get("title"), str) and isinstance(data.get("quantities"), list)
            and all(isinstance(q, str) for q in data["quantities"])):
        return None
    return data if data.get("key") == (key or paper_key(module)) else None


def static_title(module):
    """The title of the :class:`~derive.registry.Paper` made in ``module``, read from its source
    without importing it: the second argument (or ``title=``) of the module-level ``Paper(...)``
    call, a string literal or a module-level name bound to one. None when the source is not
    found or the title is computed."""
    import ast

    try:
        spec = importlib.util.find_spec(module)
        tree = ast.parse(Path(spec.origin).read_text())
    except (ImportError, ValueError, AttributeError, TypeError, OSError, SyntaxError):
        return None
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    constants[target.id] = node.value.value
    for node in tree.body:
        call = node.value if isinstance(node, (ast.Assign, ast.Expr)) else None
        if not (isinstance(call, ast.Call) and getattr(call.func, "id", getattr(call.func, "attr", None)) == "Paper"):
            continue
        title = call.args[1] if len(call.args) > 1 else next(
            (k.value for k in call.keywords if k.arg == "title"), None)
        if isinstance(title, ast.Constant) and isinstance(title.value, str):
            return title.value
        if isinstance(title, ast.Name):
            return constants.get(title.id)
    return None


class _Pickler(pickle.Pickler):
    """Pickles the functions ``sympy.lambdify`` generates (by code and looked-up names)."""

    def reducer_override(self, obj):
        if isinstance(obj, types.FunctionType) and obj.__code__.co_filename.startswith(_LAMBDIFIED):
            return _lambdified, _lambdified_parts(obj)
        return NotImplemented


def _names(code):
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


def _lambdified_parts(function):
    if function.__closure__ or function.__defaults__ or function.__kwdefaults__:
        raise pickle.PicklingError("a generated function with a closure or defaults")
    references, values = {}, {}
    for name in sorted(_names(function.__code__)):
        if name not in function.__globals__:
            continue
        value = function.__globals__[name]
        if isinstance(value, types.ModuleType):
            references[name] = (value.__name__, None)
            continue
        owner = _owner(name, value)
        if owner is not None:
            references[name] = (owner, name)
        else:
            values[name] = value
    return function.__name__, marshal.dumps(function.__code__), references, values, function.__doc__


def _owner(name, value):
    """A module that has ``value`` as its attribute ``name`` (numpy's, mpmath's functions)."""
    for module in ("numpy", "mpmath", "math", "cmath", "builtins", getattr(value, "__module__", None)):
        found = sys.modules.get(module) if module else None
        if found is not None and getattr(found, name, None) is value:
            return module
    return None


def _lambdified(name, code, references, values, doc):
    namespace = {"builtins": builtins, "range": range}
    for key, (module, attribute) in references.items():
        found = importlib.import_module(module)
        namespace[key] = found if attribute is None else getattr(found, attribute)
    namespace.update(values)
    function = types.FunctionType(marshal.loads(code), namespace, name)
    function.__doc__ = doc
    return function
