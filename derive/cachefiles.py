"""The files of derive's caches: read without blocking or trusting, written whole, kept private.

What a cache holds is reused as if derive had computed it, so a cache is only as trustworthy as
the folder it is in.  The rules (docs/checking.md, "The cache"):

- **The folder must be the user's.**  The cache directory, and every folder above it, is owned by
  the user (or root) and writable by no one else, unless it is sticky (``/tmp``): there others
  may add files but not rename or delete ours, and every entry is then checked to be ours.  A
  cache directory that fails is not used at all (nothing read, nothing written; one note says why).
- **An entry must be a regular file of the user's**, writable by no one else: a FIFO (which would
  block a plain ``read``), a directory, a device, a symbolic link or another user's file is a miss.
  It is opened non-blocking and checked on the open descriptor (no race between check and read).
- **Executable entries are signed.**  A pickle can run any code when loaded, so the prebuilt
  cache (:mod:`derive.prebuilt`), the one place pickles remain (a built derivation and a lowered
  quantity hold sympy objects and generated code that have no data-only format), signs each entry
  with HMAC-SHA256 under a per-user key, 32 random bytes in ``signing-key`` (mode 0600) in the
  cache directory; an entry that is unsigned, signed under another key, or altered is never
  unpickled.  A key file that is not the user's own 0600 file turns signing off (nothing
  unpickled, nothing stored).
- **Writes are whole or nothing**: a private (0600) temporary file in the same folder, renamed into
  place; on any failure it is removed, so no ``*.tmp`` is left behind.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
import sys
from pathlib import Path

#: What a signed entry starts with.
MAGIC = b"derive-signed-1\n"
#: The name of the per-user key file in the cache directory.
KEY_FILE = "signing-key"
#: Entries larger than this are not read (no cache entry of derive's is near it).
LIMIT = 1 << 30

_noted = set()


def note(message):
    """One line on stderr, once per process for each message."""
    if message not in _noted:
        _noted.add(message)
        print(f"derive: note: {message}", file=sys.stderr)


def _posix():
    return hasattr(os, "geteuid")


def directory_problem(directory):
    """Why ``directory`` (and the folders above it) cannot hold a trusted cache, or None.

    A folder is safe when it is owned by the user or root and not writable by group or others,
    or when it is sticky (others may add files there, never replace ours: each entry is then
    checked to be ours).  A folder that does not exist yet is judged by its nearest existing
    ancestor (it will be created private)."""
    if not _posix():
        return None
    uid = os.geteuid()
    path = Path(os.path.abspath(directory))
    for folder in (path, *path.parents):
        try:
            info = os.stat(folder)
        except FileNotFoundError:
            continue
        except OSError as exc:
            return f"{folder} cannot be examined ({exc.strerror})"
        if not stat.S_ISDIR(info.st_mode):
            return f"{folder} is not a directory"
        if info.st_uid not in (uid, 0):
            return f"{folder} belongs to another user (uid {info.st_uid})"
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not info.st_mode & stat.S_ISVTX:
            return (f"{folder} is writable by others (mode {stat.filemode(info.st_mode)}); "
                    f"make it private: chmod go-w {folder}")
    return None


def trusted_directory(directory):
    """Whether the cache may use ``directory``; if not, a note (once) says why."""
    problem = directory_problem(directory)
    if problem is not None:
        note(f"the cache in {directory} is not used: {problem}")
        return False
    return True


def read(path, trusted=True, private=False):
    """The bytes of the regular file ``path``, or None: missing, not a regular file (a FIFO, a
    directory, a device, a symbolic link), unreadable, too large, or with ``trusted``, not the
    user's own file or writable by others (with ``private``, accessible to others at all).
    Never blocks (opened non-blocking)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > LIMIT:
            return None
        if trusted and _posix():
            shared = 0o077 if private else stat.S_IWGRP | stat.S_IWOTH
            if info.st_uid != os.geteuid() or info.st_mode & shared:
                return None
        chunks = []
        while True:
            chunk = os.read(descriptor, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def write(path, data):
    """Write ``data`` (bytes) to ``path`` whole, private (0600), or not at all; True if written.
    The folder is created private (0700) if missing.  No temporary file survives a failure."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view):]
        finally:
            os.close(descriptor)
        os.replace(temporary, path)
        return True
    except BaseException as exc:
        # A full disk, a read-only home, a directory where the entry goes: not cached.  Ctrl-C
        # or a budget's expiry mid-write: the temporary file goes all the same, then it goes on.
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if not isinstance(exc, Exception):
            raise
        return False


def signing_key(directory, create=True):
    """The per-user key of the cache in ``directory`` (32 bytes), made on first use; None when
    the key file is not the user's own 0600 regular file or cannot be made."""
    path = Path(directory) / KEY_FILE
    key = _own_key(path)
    if key is None and create and not os.path.lexists(path):
        candidate = secrets.token_bytes(32)
        temporary = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        if write(temporary, candidate):
            try:
                os.link(temporary, path)  # never replaces a key another process made meanwhile
            except OSError:
                pass
            finally:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
        key = _own_key(path)
    if key is None and os.path.lexists(path):
        note(f"the cache's key {path} is not this user's private file (mode 0600); "
             "prebuilt entries are neither read nor stored")
    return key


def _own_key(path):
    data = read(path, private=True)  # readable by others, anyone could sign
    return data if data is not None and len(data) == 32 else None


def seal(key, header, payload):
    """A signed entry: MAGIC, HMAC-SHA256 of the rest, the header's length, header (JSON), payload."""
    head = json.dumps(header, sort_keys=True).encode()
    body = len(head).to_bytes(4, "big") + head + payload
    return MAGIC + hmac.new(key, body, hashlib.sha256).digest() + body


def unseal(key, data):
    """``(header, payload)`` of a signed entry whose signature is ``key``'s, else None."""
    if data is None or not data.startswith(MAGIC) or len(data) < len(MAGIC) + 36:
        return None
    mac, body = data[len(MAGIC):len(MAGIC) + 32], data[len(MAGIC) + 32:]
    if not hmac.compare_digest(mac, hmac.new(key, body, hashlib.sha256).digest()):
        return None
    size = int.from_bytes(body[:4], "big")
    try:
        header = json.loads(body[4:4 + size])
    except ValueError:
        return None
    return (header, body[4 + size:]) if isinstance(header, dict) else None
