"""A content-keyed cache of validated exports: validate once, and every later command loads the result.

Off unless ``IMPACTKIT_CACHE`` names a folder.  ``impactkit validate``, ``analyse``, ``costs`` and
``report`` on the same export each read and validate it in full (seconds per 100,000 families);
with the cache the first command stores its :class:`~impactkit.io.ValidationReport` and the others
load it in a fraction of that.

**Key.**  SHA-256 over everything the outcome depends on: the bytes of every file in the export's
folder (or of the one file given) and of each file passed as ``families``, ``config``, ``scenario`` or
``instrument``; every other argument of :func:`~impactkit.validate` (``today`` resolved to a date, so
a cached report never outlives its day); and the impactkit version with the size and modification
time of each of its source files, so a changed impactkit never reads an old entry.  Anything it
cannot key (a DataFrame or an object passed instead of a path) is simply not cached.

**Privacy.**  An entry holds the validated records (family-level data, pseudonymised ids as in the
export): point ``IMPACTKIT_CACHE`` only at a folder where the export itself may be kept.  Entries are
written owner-only (0600, folder 0700), the newest few kept (``IMPACTKIT_CACHE_KEEP``, default 4);
delete the folder to remove them.  Entries are Python pickles: like any pickle, never load one
from a folder others can write to (the cache refuses a folder writable by group or others).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

__all__ = ["cached"]

ENV = "IMPACTKIT_CACHE"
KEEP_ENV = "IMPACTKIT_CACHE_KEEP"
_SUFFIX = ".validated.pickle"
T = TypeVar("T")


def folder() -> Path | None:
    """The cache folder from ``IMPACTKIT_CACHE`` (None: off), created owner-only."""
    value = os.environ.get(ENV, "").strip()
    if not value or value == "0":
        return None
    path = Path(value).expanduser()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.stat().st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None  # others could plant an entry: do not load pickles from here
    return path


def _code_stamp() -> str:
    import impactkit

    root = Path(impactkit.__file__).parent
    parts = [getattr(impactkit, "__version__", "")]
    for p in sorted(root.rglob("*")):
        if p.suffix in (".py", ".toml", ".yaml", ".mo") and p.is_file():
            st = p.stat()
            parts.append(f"{p.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts)


def _file_digest(h: Any, path: Path) -> None:
    h.update(f"\0file:{path.name}:{path.stat().st_size}\0".encode())
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)


def key(path: Any, options: dict[str, Any]) -> str | None:
    """The cache key of ``validate(path, **options)``, or None when it cannot be keyed."""
    if not isinstance(path, str | Path):
        return None
    h = hashlib.sha256(_code_stamp().encode())
    p = Path(path)
    if p.is_dir():
        files = sorted(q for q in p.iterdir() if q.is_file())
    elif p.is_file():
        files = sorted(q for q in p.parent.iterdir() if q.is_file()) if p.suffix.lower() == ".toml" else [p]
    else:
        return None
    h.update(f"\0path:{p.resolve()}".encode())
    for q in files:
        _file_digest(h, q)
    for name, value in sorted(options.items()):
        if name == "today":
            value = pd.Timestamp(value if value is not None else pd.Timestamp.today()).normalize().isoformat()
        if isinstance(value, str | Path) and name in ("families", "config", "scenario", "instrument"):
            q = Path(value)
            if q.is_file():
                _file_digest(h, q)
                value = str(q.resolve())
        if isinstance(value, Path):
            value = str(value)
        if isinstance(value, dict):
            value = sorted((str(k), str(v)) for k, v in value.items())
        elif isinstance(value, list | tuple | set | frozenset):
            value = (
                sorted(str(v) for v in value)
                if isinstance(value, set | frozenset)
                else [str(v) for v in value]
            )
        if value is not None and not isinstance(value, str | int | float | bool | list):
            return None  # an object (a DataFrame, an Instrument, a Scenario): not keyed
        h.update(f"\0{name}={value!r}".encode())
    return h.hexdigest()


def cached(path: Any, options: dict[str, Any], compute: Callable[[], T]) -> T:
    """``compute()``, or its result stored under the key of ``(path, options)`` when the cache is on."""
    where = folder()
    k = key(path, options) if where is not None else None
    if where is None or k is None:
        return compute()
    entry = where / f"{k}{_SUFFIX}"
    if entry.is_file():
        try:
            with entry.open("rb") as f:
                out: T = pickle.load(f)
            os.utime(entry)  # most recently used
            return out
        except Exception:  # a truncated or foreign entry: recompute and replace it
            entry.unlink(missing_ok=True)
    out = compute()
    fd, tmp = tempfile.mkstemp(dir=where, suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(out, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(tmp, 0o600)
        os.replace(tmp, entry)
    except OSError:  # a full disk must not break the command
        Path(tmp).unlink(missing_ok=True)
        return out
    _prune(where)
    return out


def _prune(where: Path) -> None:
    try:
        keep = max(1, int(os.environ.get(KEEP_ENV, "4")))
    except ValueError:
        keep = 4
    entries = sorted(where.glob(f"*{_SUFFIX}"), key=lambda q: q.stat().st_mtime_ns, reverse=True)
    for q in entries[keep:]:
        q.unlink(missing_ok=True)
