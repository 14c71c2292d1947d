"""Every write of the project in one place: a reader never sees half a file or half a folder, a crash leaves the old
version or the new one, and a full disk or a read-only folder is one line naming the path and what to do.

- :func:`write` is *the* write function: the content goes to a unique temporary name in the target's folder, is
  flushed and ``fsync``-ed, optionally checked, then renamed over the target (``os.replace``: atomic on POSIX).
  Reports, the index, data copies (``make data``), the raw manifest, notebooks re-run in place and the bank cache's
  key file go through it.
- :func:`replace_dir` swaps a finished folder in with two renames, recorded first in a small journal so that
  :func:`recover` can undo a swap interrupted between them (a killed process), and cleans what interrupted runs
  left in the scratch folder.
- :func:`lock` is an exclusive lock (``flock``) held for a block: one ``make data`` copies a dataset while another
  waits and then finds it there; one ``make reports`` renders into ``reports/`` while another waits.
- :func:`storage_error` turns an ``OSError`` into a :class:`~analysis.core.errors.StorageError`: one line naming the
  path and what to do (free space, make the folder writable).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from analysis.core import paths
from analysis.core.errors import BusyError, StorageError

try:  # POSIX; elsewhere the locks are no-ops (the project runs on Linux and macOS)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

Content = str | bytes | Callable[[Path], object]
JOURNAL_SUFFIX = ".swap.json"  # beside an ``old-<id>`` folder: where that folder came from
OLD_PREFIX = "old-"
LOCK_POLL = 0.2  # seconds between two attempts at a busy lock
_DEFERRED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _shown(path: str | Path) -> str:
    """A path for a message: relative to the project when inside it, else as given (console lines only)."""
    p = Path(path)
    try:
        return p.resolve().relative_to(paths.ROOT).as_posix()
    except (ValueError, OSError):
        return str(p)


def storage_error(exc: OSError, path: str | Path | None = None) -> StorageError:
    """The one-line error for an ``OSError`` raised while writing ``path``.

    Parameters
    ----------
    exc : OSError
        What the operating system said (``errno`` decides the advice).
    path : str or Path, optional
        The file being written (default: the one the error names).

    Returns
    -------
    StorageError
        ``<path>: <what happened> — <what to do>`` (the path relative to the project when inside it).
    """
    where = path if path is not None else exc.filename
    failed = exc.filename if exc.filename else where  # the folder to fix is the one the system call failed in
    folder = _shown(Path(failed).parent) + "/" if failed else "the output folder"
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        what = "no space left on the device" if code == errno.ENOSPC else "disk quota exceeded"
        hint = f"free some space on the disk holding {folder} (or clear reports/ and data/processed/), then run again"
    elif code in (errno.EACCES, errno.EPERM):
        what, hint = "permission denied", f"make {folder} writable (chmod u+w, or chown to you), then run again"
    elif code == errno.EROFS:
        what, hint = "read-only file system", f"{folder} cannot be written: work in a writable copy of the project"
    elif code == errno.ENOENT:
        what, hint = "no such file or folder", "check the path (a folder may have been removed while running)"
    elif code == errno.EISDIR:
        what, hint = "is a folder", "a file was expected there: move the folder away"
    else:
        what, hint = (exc.strerror or str(exc)).rstrip("."), f"check {folder} and run again"
    return StorageError(f"{what} — {hint}", path=_shown(where) if where else None)


@contextlib.contextmanager
def storage_errors(path: str | Path | None = None) -> Iterator[None]:
    """Turn an ``OSError`` raised inside the block into a :class:`StorageError` (see :func:`storage_error`)."""
    try:
        yield
    except OSError as exc:
        raise storage_error(exc, path) from None


# The three system calls that create something; tests replace them to act out a read-only folder or a full disk
# when they run as root (for whom chmod does not stop writes).
def _mkdir(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)


def _open_new(path: Path, flags: int = os.O_WRONLY | os.O_CREAT | os.O_EXCL) -> int:
    return os.open(path, flags, 0o666)


def _replace(source: Path, target: Path) -> None:
    os.replace(source, target)


def _fsync_dir(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (best effort: some file systems refuse to sync a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temporary_name(target: Path) -> Path:
    """A unique hidden name beside ``target`` (same folder, so that a rename moves it): ``.<name>.<pid>.<id>.part``."""
    return target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.part")


def write(target: str | Path, content: Content, *, encoding: str = "utf-8",
          check: Callable[[Path], object] | None = None) -> Path:
    """Write a file atomically: a unique temporary name in the same folder, flush + fsync, then rename over ``target``.

    Parameters
    ----------
    target : str or Path
        The file to write (its folder is created).
    content : str, bytes or callable
        Text (encoded with ``encoding``), bytes, or a function that writes the file at the path it is given
        (``lambda tmp: shutil.copyfile(src, tmp)``, ``lambda tmp: df.to_parquet(tmp)``, ``nbformat.write``…).
    encoding : str
        For text.
    check : callable, optional
        Called with the temporary file once written and synced; whatever it raises stops the write (the target is
        left as it was), e.g. a hash check.

    Returns
    -------
    Path
        ``target``.

    Raises
    ------
    StorageError
        The file could not be written (disk full, permission denied, read-only…), naming it and what to do.
    """
    target = Path(target)
    tmp = temporary_name(target)
    try:
        _mkdir(target.parent)
        if callable(content):
            content(tmp)
            _fsync_file(tmp)
        else:
            data = content.encode(encoding) if isinstance(content, str) else bytes(content)
            with os.fdopen(_open_new(tmp), "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        if check is not None:
            check(tmp)
        _replace(tmp, target)
        _fsync_dir(target.parent)
    except OSError as exc:
        named = exc.filename
        raise storage_error(exc, target if named is None or Path(named) == tmp else named) from None
    finally:
        with contextlib.suppress(OSError):
            if os.path.lexists(tmp):
                os.unlink(tmp)
    return target


def sync_tree(folder: Path) -> None:
    """``fsync`` every file and folder under ``folder`` (before a folder is renamed into place)."""
    for current, dirs, files in os.walk(folder):
        for name in files:
            _fsync_file(Path(current) / name)
        _fsync_dir(Path(current))


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP for the duration of the block (delivered right after it), so that a short
    sequence of renames is not cut in half by a polite signal. Only SIGKILL can still interrupt it."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _journal_target(target: Path, scratch: Path) -> str:
    try:
        return os.path.relpath(target, scratch.parent)
    except ValueError:  # pragma: no cover - another drive (Windows)
        return str(target)


def replace_dir(target: Path, new: Path | None, scratch: Path) -> None:
    """Swap the finished folder ``new`` into ``target`` (or remove ``target`` when ``new`` is None), never half-way.

    The old folder is first renamed to ``<scratch>/old-<id>`` (its origin recorded in ``old-<id>.swap.json``), then
    ``new`` is renamed to ``target``, then the old folder is deleted. Signals are held during the renames; a
    process killed between them (SIGKILL, power loss) leaves the journal, and :func:`recover` puts the old folder
    back. ``scratch`` must be on the same file system as ``target``.

    Raises
    ------
    StorageError
        A rename failed (the old folder is put back when it can be).
    """
    target, scratch = Path(target), Path(scratch)
    ident = f"{OLD_PREFIX}{uuid.uuid4().hex}"
    old, journal = scratch / ident, scratch / f"{ident}{JOURNAL_SUFFIX}"
    with storage_errors(target):
        _mkdir(scratch)
        if new is not None:
            sync_tree(new)
            _mkdir(target.parent)
        moved = False
        with deferred_signals():
            if target.exists():
                write(journal, json.dumps({"target": _journal_target(target, scratch)}) + "\n")
                target.rename(old)
                moved = True
            try:
                if new is not None:
                    new.rename(target)
            except OSError:
                if moved and not target.exists():
                    old.rename(target)
                    moved = False
                raise
            finally:
                _fsync_dir(target.parent)
        if moved:
            shutil.rmtree(old, ignore_errors=True)
        with contextlib.suppress(OSError):
            journal.unlink()


def recover(scratch: Path, older_than: float | None = None,
            infer: Callable[[Path], Path | None] | None = None) -> list[str]:
    """Undo the swaps a killed process left half-done, then remove the debris of interrupted runs.

    Parameters
    ----------
    scratch : Path
        The scratch folder of :func:`replace_dir` (``reports/.tmp``).
    older_than : float, optional
        Remove only debris last modified before this time (``time.time()`` of the run's start); default: all.
        Call it while holding the folder's lock, so that no other run is using the scratch folder.
    infer : callable, optional
        For an ``old-*`` folder without journal (left by older code): the target it came from, or None.

    Returns
    -------
    list of str
        One line per folder put back (``restored reports/x/default``), for the log.
    """
    scratch = Path(scratch)
    if not scratch.is_dir():
        return []
    restored = []
    with storage_errors(scratch):
        for journal in sorted(scratch.glob(f"{OLD_PREFIX}*{JOURNAL_SUFFIX}")):
            old = scratch / journal.name[: -len(JOURNAL_SUFFIX)]
            try:
                recorded = json.loads(journal.read_text(encoding="utf-8"))["target"]
            except (OSError, ValueError, KeyError, TypeError):
                recorded = None
            if recorded and old.is_dir():
                target = (scratch.parent / recorded).resolve() if not Path(recorded).is_absolute() else Path(recorded)
                if not target.exists():
                    _mkdir(target.parent)
                    old.rename(target)
                    restored.append(f"restored {_shown(target)}")
            journal.unlink()
        if infer is not None:
            for old in sorted(scratch.glob(f"{OLD_PREFIX}*")):
                target = infer(old) if old.is_dir() else None
                if target is not None and not target.exists():
                    _mkdir(target.parent)
                    old.rename(target)
                    restored.append(f"restored {_shown(target)}")
        for leftover in sorted(scratch.iterdir()):
            try:
                if older_than is not None and leftover.lstat().st_mtime >= older_than:
                    continue
            except FileNotFoundError:
                continue
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
    return restored


def _open_lock(path: Path) -> int:
    try:
        return _open_new(path, os.O_RDWR | os.O_CREAT)
    except OSError as exc:
        if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS) or not path.exists():
            raise
        return os.open(path, os.O_RDONLY)  # a lock can be taken on a file opened for reading


def _holder(fd: int) -> str:
    with contextlib.suppress(OSError, ValueError):
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
        return f" (pid {int(text.split()[0])})" if text else ""
    return ""


@contextlib.contextmanager
def lock(path: str | Path, *, timeout: float | None = None, what: str = "",
         on_wait: Callable[[str], None] | None = None, names: str | Path | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (a lock file, created) for the duration of the block.

    The lock is the kernel's (``flock``): it is released when the block ends or the process dies, however it dies.
    Forked children inherit it until they exit.

    Parameters
    ----------
    path : str or Path
        The lock file.
    timeout : float, optional
        Seconds to wait for a lock another process holds (default: wait as long as it takes; 0: do not wait).
    what : str
        What the lock protects, for the messages (``reports/``).
    on_wait : callable, optional
        Called once with a line saying whom we wait for, when the lock is busy.
    names : str or Path, optional
        The path an error names when the lock file cannot be created (default: the lock file), e.g. the file the
        lock protects.

    Raises
    ------
    BusyError
        The lock was still held after ``timeout`` seconds.
    StorageError
        The lock file could not be created (read-only folder…).
    """
    path = Path(path)
    if fcntl is None:  # pragma: no cover - no flock on this platform: no lock
        yield
        return
    with storage_errors(names if names is not None else path):
        _mkdir(path.parent)
        fd = _open_lock(path)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if on_wait is not None and timeout != 0:
                on_wait(f"waiting for another run{holder} to release {what or _shown(path)}…")
            deadline = None if timeout is None else time.monotonic() + timeout
            while True:
                if deadline is not None and time.monotonic() >= deadline:
                    raise BusyError(f"another run{holder} is using {what or 'this folder'}: wait for it to finish, "
                                    "then run again", path=_shown(path)) from None
                time.sleep(LOCK_POLL)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    continue
        with contextlib.suppress(OSError):  # who holds it, for the message of a waiting run (not if read-only)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {threading.current_thread().name}\n".encode(), 0)
        yield
    finally:
        os.close(fd)


__all__ = ["write", "replace_dir", "recover", "lock", "sync_tree", "deferred_signals", "storage_error",
           "storage_errors", "temporary_name", "StorageError", "BusyError"]
