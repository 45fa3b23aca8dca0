"""Writing output files without ever overwriting what a user has, unless asked (``--force``).

Single files (``derive latex -o FILE``) are refused when they exist.  Output directories
(``derive reproduce``, ``derive figure``) keep a manifest, ``.derive-manifest.json``, of the
files derive wrote there with their SHA-256: a re-run may replace a file that is unchanged since
derive wrote it, but a file that was edited, or that derive did not write, is refused without
``--force``.

Every failure to write (a file where a directory is needed, no permission, a read-only or full
file system) is a one-line :class:`~derive.errors.UsageError` naming the path (:func:`failure`);
files are written whole, to a temporary name renamed into place, so a full disk never leaves a
truncated file behind.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .errors import UsageError

MANIFEST = ".derive-manifest.json"


def finite_json(value):
    """``value`` with every float that is not finite written as a string (``"inf"``,
    ``"-inf"``, ``"nan"``), so that the document is valid JSON (RFC 8259 has no Infinity or
    NaN; Python's ``json`` writes them, and other parsers refuse them).

    >>> finite_json({"a": [1.5, float("inf")], "b": float("nan")})
    {'a': [1.5, 'inf'], 'b': 'nan'}
    """
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else repr(value)
    if isinstance(value, dict):
        return {key: finite_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite_json(item) for item in value]
    return value


def json_text(value, indent=2):
    """One valid JSON document for ``value`` (:func:`finite_json`; anything else that JSON has no
    type for, as its ``str``), ending in a newline."""
    return json.dumps(finite_json(value), indent=indent, default=str, allow_nan=False) + "\n"


def failure(path, exc):
    """The one-line error for an OSError met writing ``path``."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return UsageError(f"cannot write {path}: {reason}")


def writable(path, force=False):
    """``path`` as a Path, after making sure writing it loses nothing the user did not give up."""
    path = Path(path)
    try:
        if path.exists() and path.is_dir():
            raise UsageError(f"{path} is a directory")
        if path.exists() and not force:
            raise UsageError(f"{path} exists; pass --force to overwrite it")
        parent = path.parent
        for above in [parent, *parent.parents]:
            if above.exists() and not above.is_dir():
                raise UsageError(f"cannot write {path}: {above} is a file, not a directory")
        if not parent.exists():
            raise UsageError(f"directory {parent} does not exist")
        if not os.access(parent, os.W_OK):
            raise UsageError(f"cannot write {path}: directory {parent} is not writable")
    except OSError as exc:  # a path that cannot even be looked at (permissions, a name too long)
        raise failure(path, exc) from None
    return path


def replace_text(path, text):
    """Write ``text`` to ``path`` whole (a temporary file renamed into place), or raise the
    one-line :func:`failure`; on failure nothing is left behind and an old ``path`` is intact."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException as exc:  # also Ctrl-C mid-write: no temporary file survives
        try:
            temporary.unlink()
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise failure(path, exc) from None
        raise
    return path


def write_text(path, text, force=False):
    return replace_text(writable(path, force), text)


def _digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class OutputDirectory:
    """A directory derive writes into, re-runnable without clobbering anything else.

    >>> import tempfile
    >>> out = OutputDirectory(tempfile.mkdtemp())
    >>> _ = out.write_text("report.md", "# one")
    >>> _ = out.write_text("report.md", "# two")   # derive's own, unchanged file: replaced
    """

    def __init__(self, path, force=False):
        self.path = Path(path)
        self.force = force
        if self.path.exists() and not self.path.is_dir():
            raise UsageError(f"{self.path} exists and is not a directory")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create the directory {self.path}: {exc.strerror or exc}") from None
        if not os.access(self.path, os.W_OK):
            raise UsageError(f"cannot write into {self.path}: the directory is not writable")
        from .cachefiles import read

        raw = read(self.path / MANIFEST, trusted=False)  # a FIFO there would block a plain read
        try:
            self.manifest = json.loads(raw.decode("utf-8")) if raw is not None else {}
        except (ValueError, RecursionError):  # not UTF-8, not JSON
            self.manifest = {}
        if not isinstance(self.manifest, dict):
            self.manifest = {}

    def target(self, name):
        """The path for ``name``, once it is safe to (over)write; call :meth:`record` after."""
        path = self.path / name
        if path.exists() and not self.force:
            if self.manifest.get(name) != _digest(path):
                raise UsageError(f"{path} was not written by derive or has been edited since; "
                                 "pass --force to overwrite it")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise failure(path, exc) from None
        return path

    def record(self, name):
        self.manifest[name] = _digest(self.path / name)
        replace_text(self.path / MANIFEST, json.dumps(self.manifest, indent=1, sort_keys=True))

    def write_text(self, name, text):
        path = self.target(name)
        replace_text(path, text)
        self.record(name)
        return path


def float_texts(values):
    """``[repr(float(x)) for x in values]`` for a real array, computed once per distinct value.

    ``repr`` is the shortest text that reads back as the same double (David Gay's dtoa, about a
    microsecond for a value of 17 digits) and is what ``derive eval`` has always written. A
    product grid repeats each parameter value many times, so each distinct bit pattern is
    formatted once and the texts are gathered by index (numpy, no Python loop per value).
    Distinct by bits, not by value: ``-0.0`` and ``0.0`` compare equal but print differently.

    >>> float_texts([0.1, -0.0, 0.0, 0.1, float("nan"), 1e16])
    ['0.1', '-0.0', '0.0', '0.1', 'nan', '1e+16']
    """
    import numpy as np

    values = np.ascontiguousarray(values, dtype=np.float64).ravel()
    if len(values) < 64:  # sorting costs more than it saves
        return list(map(repr, values.tolist()))
    bits, inverse = np.unique(values.view(np.int64), return_inverse=True)
    if 2 * len(bits) > len(values):  # mostly distinct (a computed column): format each
        return list(map(repr, values.tolist()))
    texts = np.array(list(map(repr, bits.view(np.float64).tolist())), dtype=object)
    return texts[inverse.ravel()].tolist()


def csv_text(names, columns):
    """The CSV document of ``columns`` (arrays of one length, real or complex) headed by
    ``names``: a complex column is two, ``re_NAME`` and ``im_NAME``; every number as
    :func:`float_texts` writes it (``repr``, faithful to the double). This is the one formatter
    of ``derive eval``'s output.

    >>> print(csv_text(["x", "m"], [[1.0, 2.0], [complex(0.5, 1), complex(-0.0, 0)]]), end="")
    x,re_m,im_m
    1.0,0.5,1.0
    2.0,-0.0,0.0
    """
    import numpy as np

    header, texts = [], []
    for name, column in zip(names, columns):
        column = np.asarray(column)
        if np.iscomplexobj(column):
            header += [f"re_{name}", f"im_{name}"]
            texts += [float_texts(column.real), float_texts(column.imag)]
        else:
            header.append(str(name))
            texts.append(float_texts(column))
    rows = "\n".join(map(",".join, zip(*texts)))
    return ",".join(header) + "\n" + (rows + "\n" if rows else "")
