"""``python -m analysis process`` (``make processed``): the publication bank of every innovation-watch parameter set,
built once into the content-addressed cache ``data/processed/banks/<key>/`` that the report notebook reads.

Each set's corpus files that are missing are skipped with a note (``make data`` brings them); a set whose bank is
already cached under the same key (same input bytes, same forced formats, same code) is not built again. Cached
banks built by older code are pruned. See :mod:`analysis.vigie.cache` for the key.

Each cached bank also gets its queryable layout in ``banks/<key>/db/`` (:func:`analysis.vigie.save_bank`: Parquet
partitioned by year, DuckDB views), so a researcher can query the notebooks' banks with SQL:
``vigie.open_bank(processed.bank_database("shared_corpora")).sql("select …")``.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from analysis.core import atomic, params, paths
from analysis.core.errors import InputFormatError, ParameterError
from analysis.vigie import build_bank, find_inputs, store
from analysis.vigie import cache as bank_cache
from analysis.vigie.bank import bank_inputs
from analysis.vigie.inputs import entry_name

NOTEBOOK = "vigie_innovation"
# what earlier versions wrote into data/processed/ and nothing reads: removed by `make processed`
LEGACY = ("food_cases.parquet", "food_statements.parquet", "food_published_counts.parquet", "vigie_practices.parquet",
          "ecosystem_indicators.parquet", "procurement_initiatives.parquet", "bank")


@dataclass(frozen=True)
class BankEntry:
    """The cached bank of one parameter set: its key, folder, and whether this run built it."""

    set_name: str
    key: str | None
    folder: Path | None
    built: bool
    missing: tuple[str, ...] = ()
    works: int = 0


def build_banks(out: Path | None = None, params_dir: Path | None = None, log=print) -> list[BankEntry]:
    """Build (or find) the cached bank of every parameter set of the innovation-watch report.

    Parameters
    ----------
    out : Path, optional
        Cache folder (default ``data/processed/banks``).
    params_dir : Path, optional
        Folder of the parameter sets (default ``params/``).
    log : callable
        Where progress lines go.

    Returns
    -------
    list of BankEntry
        One per parameter set, in name order (a set whose parameters are bad is skipped with one line and has no
        key: its report fails with the same line).

    Raises
    ------
    StorageError
        The cache folder cannot be written (disk full, read-only), naming it and what to do.
    """
    root = Path(out) if out is not None else bank_cache.default_root()
    entries = []
    for param_file in params.parameter_sets(NOTEBOOK, params_dir):
        try:
            values = params.validate_file(NOTEBOOK, param_file, params_dir)
        except ParameterError as exc:  # `make reports` stops that report with the same line; the others go on
            log(f"  skipped {param_file.stem}: {exc.one_line()}")
            entries.append(BankEntry(param_file.stem, None, None, False))
            continue
        found, missing = find_inputs(values["corpus"])
        for entry in missing:
            log(f"  note: {entry_name(entry)} is missing (run `make data`); the bank of {param_file.stem} is built "
                "without it")
        if not found:
            entries.append(BankEntry(param_file.stem, None, None, False, tuple(map(str, missing))))
            continue
        files = bank_inputs(list(found), values.get("formats"))
        parts = bank_cache.key_parts(files)
        key = bank_cache.key_of(parts)
        cached = bank_cache.lookup(root, key, parts) is not None
        started = time.perf_counter()
        bank = build_bank(list(found), values.get("formats"), cache=root)
        if not (root / key / store.CACHE_SUBFOLDER / store.MARKER).is_file():  # the SQL layout beside the tables
            store.save_bank(bank, root / key / store.CACHE_SUBFOLDER)
        entries.append(BankEntry(param_file.stem, key, root / key, not cached, tuple(map(str, missing)),
                                 len(bank.works)))
        state = "cached" if cached else f"built in {time.perf_counter() - started:.1f} s"
        log(f"  {param_file.stem}: {len(bank.works)} works, banks/{key[:12]}… ({state})")
    removed = bank_cache.prune(root, keep={e.key for e in entries if e.key})
    if removed:
        log(f"  removed {len(removed)} stale cached bank(s)")
    return entries


def bank_database(set_name: str = "default", out: Path | None = None, params_dir: Path | None = None) -> Path:
    """The queryable layout of a parameter set's cached bank (``banks/<key>/db``), for :func:`vigie.open_bank`.

    Parameters
    ----------
    set_name : str
        A parameter set of the innovation-watch report (``default``, ``shared_corpora``, …).
    out, params_dir : Path, optional
        As for :func:`build_banks`.

    Returns
    -------
    Path
        The folder (it exists after ``make processed``).

    Raises
    ------
    ParameterError
        When the set does not exist or its parameters are bad.
    InputFormatError
        When none of its corpus files is there (run ``make data``), or its bank is not built (run ``make
        processed``), naming the folder.
    """
    sets = {p.stem: p for p in params.parameter_sets(NOTEBOOK, params_dir)}
    if set_name not in sets:
        raise ParameterError(f"no parameter set {set_name!r} for {NOTEBOOK} (sets: {', '.join(sorted(sets))})",
                             field="set_name")
    values = params.validate_file(NOTEBOOK, sets[set_name], params_dir)
    found, _ = find_inputs(values["corpus"])
    if not found:
        raise InputFormatError(f"no corpus file of {set_name} is there (run `make data`)", path=sets[set_name])
    root = Path(out) if out is not None else bank_cache.default_root()
    folder = root / bank_cache.key_of(bank_cache.key_parts(bank_inputs(list(found), values.get("formats"))))
    if not (folder / store.CACHE_SUBFOLDER / store.MARKER).is_file():
        raise InputFormatError(f"the bank of {set_name} is not built (run `make processed`)", path=folder)
    return folder / store.CACHE_SUBFOLDER


def remove_legacy(folder: Path | None = None) -> list[Path]:
    """Remove the raw-table Parquet copies and the single ``bank/`` folder that earlier versions wrote.

    Parameters
    ----------
    folder : Path, optional
        Default ``data/processed``.

    Returns
    -------
    list of Path
        What was removed.
    """
    folder = Path(folder) if folder is not None else paths.PROCESSED
    removed = []
    for name in LEGACY:
        target = folder / name
        if not (target.is_dir() or target.is_file()):
            continue
        with atomic.storage_errors(target), contextlib.suppress(FileNotFoundError):  # another run may remove it too
            if target.is_dir():
                shutil.rmtree(target, onerror=_skip_missing)
            else:
                target.unlink()
        removed.append(target)
    return removed


def _skip_missing(_function, _path, exc_info) -> None:
    """``shutil.rmtree`` error handler: what another process removed meanwhile is fine; anything else is raised."""
    if not isinstance(exc_info[1], FileNotFoundError):
        raise exc_info[1]


def configure(parser: argparse.ArgumentParser) -> None:
    """Arguments of the process command.

    Parameters
    ----------
    parser : argparse.ArgumentParser
    """
    parser.add_argument("--out", type=Path, default=None, help="dossier du cache (défaut : data/processed/banks)")


def run(args: argparse.Namespace) -> int:
    """Build the banks of every parameter set into the cache.

    Parameters
    ----------
    args : argparse.Namespace

    Returns
    -------
    int
        Exit status.
    """
    if args.out is None:
        remove_legacy()
    entries = build_banks(args.out)
    root = args.out or bank_cache.default_root()
    print(f"{paths.relative(root)}: {sum(e.key is not None for e in entries)} bank(s) for {len(entries)} "
          f"parameter set(s) of {NOTEBOOK}")
    return 0
