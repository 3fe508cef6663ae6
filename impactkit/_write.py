"""Writing output files safely: never onto an input, never half a file.

Two rules hold for every file impactkit writes (reports, spreadsheets, PDFs, pseudonymised copies,
the sample):

* **Outputs never overwrite inputs.**  :func:`check_outputs` refuses, before anything is computed or
  written, when an output path equals an input file, lies inside an input folder, or is a folder
  that holds an input; and when two outputs coincide.  Paths are compared after resolving ``..``
  and symbolic links, and existing files also by device and inode (hard links).
* **Every write is atomic.**  :func:`atomic_write` and :func:`atomic_open` write to a temporary file
  in the same folder, flush it and ``fsync`` it, then ``os.replace`` it over the target (atomic on
  POSIX and Windows) and ``fsync`` the folder.  A full disk, a crash or a signal during writing
  leaves the previous file exactly as it was (and no temporary file behind, except after a
  ``SIGKILL``, which can leave a hidden ``.NAME.*.part`` next to the target).

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write(d / "report.html", "<p>hello</p>").read_text()
'<p>hello</p>'
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from impactkit.errors import OutputError

__all__ = ["atomic_folder", "atomic_open", "atomic_write", "check_outputs"]

PathLike = str | os.PathLike[str]


# ------------------------------------------------------------------------------ overlap check
def _resolved(p: PathLike) -> Path:
    return Path(p).expanduser().resolve(strict=False)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:  # pragma: no cover - a race between exists() and stat()
        return False


def _inside(child: Path, parent: Path) -> bool:
    return child != parent and child.is_relative_to(parent)


def check_outputs(
    outputs: Iterable[tuple[str, PathLike | None]],
    inputs: Iterable[tuple[str, PathLike | None]],
    *,
    func: str = "impactkit",
) -> None:
    """Refuse outputs that would overwrite an input or each other; report every conflict at once.

    Parameters
    ----------
    outputs, inputs : iterable of (name, path)
        A name for the message (``"--out"``, ``"assessments"``) and the path; ``None`` paths are
        skipped.  An input may be a file or a folder (every file in a folder counts as an input).
    func : str
        The function or command named in the message.

    Raises
    ------
    OutputError
        Listing each conflict: the output, the input it would overwrite, and what to do.
    """
    outs = [(name, Path(p), _resolved(p)) for name, p in outputs if p is not None]
    ins = [(name, Path(p), _resolved(p)) for name, p in inputs if p is not None]
    problems: list[str] = []
    for oname, opath, o in outs:
        for iname, ipath, i in ins:
            if o == i or _same_file(o, i):
                problems.append(f"{oname} {str(opath)!r} is the input {iname} {str(ipath)!r}")
            elif _inside(o, i):
                problems.append(f"{oname} {str(opath)!r} lies inside the input {iname} {str(ipath)!r}")
            elif _inside(i, o):
                problems.append(f"{oname} {str(opath)!r} holds the input {iname} {str(ipath)!r}")
    for a in range(len(outs)):
        for b in range(a + 1, len(outs)):
            (na, pa, ra), (nb, pb, rb) = outs[a], outs[b]
            if ra == rb or _same_file(ra, rb):
                problems.append(f"{na} {str(pa)!r} and {nb} {str(pb)!r} are the same file")
    if problems:
        raise OutputError(
            f"{func} refuses to write: " + "; ".join(problems) + ". Nothing was written. "
            "Choose an output path outside the input files and folders (e.g. a folder 'out/')."
        )


# ------------------------------------------------------------------------------ atomic writes
def _mode_for(target: Path) -> int:
    """Permissions of the new file: the old file's, else the usual 0666 minus the umask."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows, where folders cannot be opened
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems do not support it
        pass
    finally:
        os.close(fd)


def _clear_error(path: Path, err: OSError) -> OutputError:
    why = {
        errno.ENOSPC: "no space left on the device",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.EACCES: "permission denied",
        errno.EROFS: "the file system is read-only",
    }.get(err.errno or 0, err.strerror or str(err))
    return OutputError(
        f"Could not write {str(path)!r}: {why}. The previous file (if any) is unchanged; "
        "no partial file was left."
    )


def atomic_open(path: PathLike, mode: str = "wb", **kw: Any) -> contextlib.AbstractContextManager[IO[Any]]:
    """A context manager giving a file to write; on success it atomically replaces ``path``.

    ``mode`` is ``"wb"`` or ``"w"`` (text; pass ``encoding=`` and ``newline=`` as for :func:`open`).
    Missing parent folders are created.  On any exception the temporary file is removed, the
    target is untouched and the exception propagates (an ``OSError`` as :class:`OutputError`).
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_open writes with mode 'wb' or 'w'. Got {mode!r} instead.")
    return _atomic(Path(path), mode, kw)


@contextlib.contextmanager
def _atomic(target: Path, mode: str, kw: dict[str, Any]) -> Iterator[IO[Any]]:
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as err:
        raise _clear_error(target, err) from err
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, mode, **kw) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException as err:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        if isinstance(err, OSError) and not isinstance(err, OutputError):
            raise _clear_error(target, err) from err
        raise
    _fsync_dir(folder)


def atomic_write(path: PathLike, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` (text as UTF-8 by default, or bytes) to ``path`` atomically; return the path."""
    p = Path(path)
    raw = data.encode(encoding) if isinstance(data, str) else bytes(data)
    with atomic_open(p, "wb") as fh:
        fh.write(raw)
    return p


@contextlib.contextmanager
def atomic_folder(path: PathLike, *, replace: bool = False) -> Iterator[Path]:
    """Write a whole folder at once: yield an empty hidden folder next to ``path``; on success it
    takes the place of ``path`` (a previous folder there is moved aside, then removed).

    A failure or a signal while the folder is being filled leaves ``path`` as it was and removes
    the partial folder.  Between the two renames that swap the folders in, ``path`` is missing
    for an instant, never half written.  An existing non-empty ``path`` is replaced only with
    ``replace=True``.

    Raises
    ------
    OutputError
        ``path`` exists and is not a folder, or is a non-empty folder and ``replace`` is False,
        or the folder could not be written.
    """
    target = Path(path)
    parent = target.parent if str(target.parent) else Path(".")
    if target.exists() and not target.is_dir():
        raise OutputError(f"{str(target)!r} exists and is not a folder; choose another output folder.")
    if target.is_dir() and any(target.iterdir()) and not replace:
        raise OutputError(
            f"The folder {str(target)!r} is not empty; nothing was written. Choose a new folder, or "
            "allow replacing it."
        )
    try:
        parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=parent))
    except OSError as err:
        raise _clear_error(target, err) from err
    old: Path | None = None
    try:
        yield stage
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
            os.replace(target, old / target.name)
        os.replace(stage, target)
        _fsync_dir(parent)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException as err:
        shutil.rmtree(stage, ignore_errors=True)
        if old is not None and not target.exists() and (old / target.name).exists():
            os.replace(old / target.name, target)  # put the previous folder back
            shutil.rmtree(old, ignore_errors=True)
        if isinstance(err, OSError) and not isinstance(err, OutputError):
            raise _clear_error(target, err) from err
        raise
