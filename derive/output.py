"""Writing output files without ever overwriting what a user has, unless asked (``--force``)."""

from __future__ import annotations

from pathlib import Path

from .errors import UsageError


def writable(path, force=False):
    """``path`` as a Path, after making sure writing it loses nothing the user did not give up."""
    path = Path(path)
    if path.exists() and not force:
        raise UsageError(f"{path} exists; pass --force to overwrite it")
    if path.exists() and path.is_dir():
        raise UsageError(f"{path} is a directory")
    if not path.parent.exists():
        raise UsageError(f"directory {path.parent} does not exist")
    return path


def write_text(path, text, force=False):
    path = writable(path, force)
    path.write_text(text)
    return path
