"""Writing output files without ever overwriting what a user has, unless asked (``--force``).

Single files (``derive latex -o FILE``) are refused when they exist.  Output directories
(``derive reproduce``, ``derive figure``) keep a manifest, ``.derive-manifest.json``, of the
files derive wrote there with their SHA-256: a re-run may replace a file that is unchanged since
derive wrote it, but a file that was edited, or that derive did not write, is refused without
``--force``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .errors import UsageError

MANIFEST = ".derive-manifest.json"


def writable(path, force=False):
    """``path`` as a Path, after making sure writing it loses nothing the user did not give up."""
    path = Path(path)
    if path.exists() and path.is_dir():
        raise UsageError(f"{path} is a directory")
    if path.exists() and not force:
        raise UsageError(f"{path} exists; pass --force to overwrite it")
    if not path.parent.exists():
        raise UsageError(f"directory {path.parent} does not exist")
    return path


def write_text(path, text, force=False):
    path = writable(path, force)
    path.write_text(text)
    return path


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
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            self.manifest = json.loads((self.path / MANIFEST).read_text())
        except (OSError, ValueError):
            self.manifest = {}

    def target(self, name):
        """The path for ``name``, once it is safe to (over)write; call :meth:`record` after."""
        path = self.path / name
        if path.exists() and not self.force:
            if self.manifest.get(name) != _digest(path):
                raise UsageError(f"{path} was not written by derive or has been edited since; "
                                 "pass --force to overwrite it")
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def record(self, name):
        self.manifest[name] = _digest(self.path / name)
        (self.path / MANIFEST).write_text(json.dumps(self.manifest, indent=1, sort_keys=True))

    def write_text(self, name, text):
        path = self.target(name)
        path.write_text(text)
        self.record(name)
        return path
