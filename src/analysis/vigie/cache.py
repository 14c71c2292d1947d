"""A content-addressed cache of publication banks: ``data/processed/banks/<key>/``.

Building the bank of a large export takes seconds; a report, a notebook re-run and ``make reports`` read the same
files again and again. :func:`analysis.vigie.build_bank` with ``cache=True`` stores each bank it builds as Parquet
tables under a key that names everything the tables depend on, and reads them back when the key matches:

- every input file, by its name (the ledger and the works' origins carry it), its sha256 and its forced format;
- a fingerprint of the code that builds the bank: every source file of ``analysis.vigie`` and ``analysis.core``.

Change one byte of an input or of that code and the key changes, so a stale bank is never read. A folder is
written under a unique temporary name, synced to disk and renamed into place (:mod:`analysis.core.atomic`), so
readers never see half a bank; a full disk or a read-only cache folder is one line naming it
(:class:`~analysis.core.errors.StorageError`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from functools import cache
from pathlib import Path

from analysis.core import atomic, paths

VERSION = 1
KEY_FILE = "key.json"
_CODE_DIRS = ("vigie", "core")  # packages whose code shapes a bank


def default_root() -> Path:
    """The project's bank cache: ``data/processed/banks``."""
    return paths.PROCESSED / "banks"


def file_sha256(path: Path) -> str:
    """sha256 of a file's bytes.

    Parameters
    ----------
    path : Path

    Returns
    -------
    str
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@cache
def code_fingerprint() -> str:
    """sha256 over the source files of the packages that build a bank (paths and bytes, sorted)."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for folder in _CODE_DIRS:
        for path in sorted((package / folder).rglob("*.py")):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def key_parts(files: list[tuple[str, Path, str | None]]) -> dict:
    """What a bank depends on: each input ``(name, path, forced format)`` and the code fingerprint.

    Parameters
    ----------
    files : list of (name, path, format)

    Returns
    -------
    dict
    """
    return {
        "version": VERSION,
        "files": [{"name": name, "sha256": file_sha256(path), "format": fmt} for name, path, fmt in files],
        "code": code_fingerprint(),
    }


def key_of(parts: dict) -> str:
    """The cache key: sha256 of the key parts as canonical JSON.

    Parameters
    ----------
    parts : dict

    Returns
    -------
    str
    """
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def lookup(root: Path, key: str, parts: dict) -> Path | None:
    """The folder of a cached bank whose recorded key parts equal ``parts``, else None.

    Parameters
    ----------
    root : Path
    key : str
    parts : dict

    Returns
    -------
    Path or None
    """
    folder = root / key
    try:
        recorded = json.loads((folder / KEY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return folder if recorded.get("parts") == parts else None


def store(root: Path, key: str, parts: dict, write: Callable[[Path], object], replace: bool = False) -> Path:
    """Write a bank with ``write(folder)`` under a temporary name, then rename it to ``root/key`` (atomic).

    When another process stored the same key meanwhile, its folder is kept and ours discarded; with ``replace``
    (an entry found damaged) the existing folder is removed first.

    Parameters
    ----------
    root : Path
    key : str
    parts : dict
        Recorded in ``key.json``.
    write : callable
        Writes the bank's tables into the folder it is given.
    replace : bool

    Returns
    -------
    Path
        ``root/key``.

    Raises
    ------
    StorageError
        The cache folder cannot be written (disk full, read-only), naming it and what to do.
    """
    target = root / key
    tmp = root / f".{key}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        with atomic.storage_errors(root):
            root.mkdir(parents=True, exist_ok=True)
            tmp.mkdir()
        with atomic.storage_errors(target):
            write(tmp)
        atomic.write(tmp / KEY_FILE, json.dumps({"key": key, "parts": parts}, indent=1, sort_keys=True) + "\n")
        with atomic.storage_errors(target):
            atomic.sync_tree(tmp)
            if target.exists() and (replace or lookup(root, key, parts) is None):
                shutil.rmtree(target, ignore_errors=True)  # a damaged entry: replace it
            try:
                tmp.rename(target)
            except OSError:
                if lookup(root, key, parts) is None:
                    raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def prune(root: Path, keep: set[str] | None = None) -> list[Path]:
    """Remove cached banks built by other code than this one (they can never match again), and leftovers of
    interrupted writes; keys in ``keep`` stay. Returns the folders removed.

    Parameters
    ----------
    root : Path
    keep : set of str, optional

    Returns
    -------
    list of Path
    """
    removed = []
    if not root.is_dir():
        return removed
    current = code_fingerprint()
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or (keep and folder.name in keep):
            continue
        if folder.name.startswith("."):  # an interrupted write (an hour old: not one in progress)
            stale = time.time() - folder.stat().st_mtime > 3600
        else:
            try:
                parts = json.loads((folder / KEY_FILE).read_text(encoding="utf-8")).get("parts", {})
                stale = parts.get("code") != current or parts.get("version") != VERSION
            except (OSError, ValueError):
                stale = True
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


__all__ = ["default_root", "file_sha256", "code_fingerprint", "key_parts", "key_of", "lookup", "store", "prune"]
