"""External datasets: the pinned registry (``data/external.yml``), ``make data``, and lookups for the reports.

``fetch_all`` copies every dataset into ``data/external/`` from a mirror folder (``VIGIE_DATA_MIRROR``, default
``../shared``) or downloads it from its origin, and verifies its sha256 either way: a mismatch names the file, the
expected and the found hash. A dataset that can be neither copied nor downloaded is reported once; the reports then
render without it and say where it is missing.

Each copy is written under a unique temporary name, checked, then renamed into place (:func:`analysis.core.atomic.
write`), while holding a lock on that dataset (``data/external/.locks/``): two ``make data`` at once never share a
partial file; the second waits, then finds the dataset there. A folder that cannot be written (read-only, full) is
one line per dataset naming the path and what to do, and ``make data`` exits with status 1.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from analysis.core import atomic, paths
from analysis.core.errors import DataIntegrityError, MissingDatasetError, ParameterError, StorageError

LOCKS = ".locks"  # under data/external/: one lock file per dataset, held while it is copied


@dataclass(frozen=True)
class Dataset:
    name: str
    what: str
    kind: str
    licence: str
    attribution: str
    origin: dict
    sha256: str
    bytes: int
    mirror_path: str

    @property
    def local_path(self) -> Path:
        return paths.EXTERNAL / self.mirror_path

    def origin_text(self) -> str:
        o = self.origin
        if o.get("type") == "github":
            return f"GitHub {o['repo']} @ {o['commit']}" + (f", {o['path']}" if o.get("path") else "")
        if o.get("type") == "pypi":
            return f"PyPI {o['package']} {o['version']}, {o['member']}"
        return str(o.get("text", ""))


@cache
def registry(path: Path | None = None) -> dict[str, Dataset]:
    """The datasets of ``data/external.yml`` by name."""
    path = path or paths.EXTERNAL_REGISTRY
    with Path(path).open(encoding="utf-8") as fh:
        entries = yaml.safe_load(fh)["datasets"]
    return {e["name"]: Dataset(**e) for e in entries}


def dataset_names() -> list[str]:
    return sorted(registry())


def get(name: str) -> Dataset:
    try:
        return registry()[name]
    except KeyError:
        raise ParameterError(f"unknown external dataset {name!r}; known: {', '.join(dataset_names())}") from None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_available(name: str) -> bool:
    """True when the dataset is in ``data/external/`` (its hash was checked when ``make data`` put it there)."""
    return get(name).local_path.exists()


def require(name: str) -> Path:
    """The local path of a dataset, or :class:`MissingDatasetError` saying how to get it."""
    ds = get(name)
    if not ds.local_path.exists():
        raise MissingDatasetError(
            f"dataset {name!r} is not in data/external/: run `make data` "
            f"(mirror VIGIE_DATA_MIRROR, or download from {ds.origin_text()})",
            path=paths.relative(ds.local_path),
        )
    return ds.local_path


def require_file(path: Path | str, label: str) -> Path:
    """``path`` if it exists, else :class:`MissingDatasetError` naming the dataset and ``make data``."""
    path = Path(path)
    if not path.exists():
        raise MissingDatasetError(f"external dataset missing: {label} (run `make data`)", path=paths.relative(path))
    return path


def resolve_source(value: str) -> Path:
    """A report's data parameter: ``external:<name>`` → its local path (may be missing), else a project path."""
    if value.startswith("external:"):
        return get(value.split(":", 1)[1]).local_path
    p = Path(value)
    return p if p.is_absolute() else paths.ROOT / p


def verify(path: Path, ds: Dataset, where: Path | None = None) -> None:
    """Raise :class:`DataIntegrityError` naming the file (``where``, default ``path``), the expected and the found
    hash when they differ."""
    found = sha256_of(path)
    if found != ds.sha256:
        raise DataIntegrityError(
            f"sha256 mismatch for dataset {ds.name}: expected {ds.sha256}, found {found}", path=str(where or path)
        )


def _download(ds: Dataset, timeout: float = 30.0) -> bytes:
    o = ds.origin
    if o.get("type") == "github" and o.get("path"):
        url = f"https://raw.githubusercontent.com/{o['repo']}/{o['commit']}/{urllib.request.quote(o['path'])}"
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 (fixed https origin)
            return resp.read()
    if o.get("type") == "pypi":
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", tmp,
                   f"{o['package']}=={o['version']}"]
            subprocess.run(cmd, check=True, capture_output=True, timeout=300)
            for archive in Path(tmp).iterdir():
                if archive.suffix == ".whl":
                    with zipfile.ZipFile(archive) as zf:
                        return zf.read(o["member"])
        raise OSError(f"no wheel of {o['package']} {o['version']} holds {o['member']}")
    raise OSError("no download origin recorded (mirror only)")


def lock_path(ds: Dataset) -> Path:
    """The lock file held while ``ds`` is copied: ``data/external/.locks/<mirror path with / as __>.lock``."""
    return paths.EXTERNAL / LOCKS / (ds.mirror_path.replace("/", "__") + ".lock")


def _remove_partial_copies(target: Path) -> None:
    """Remove what a killed ``make data`` left beside ``target`` (its temporary copies); call it holding the lock."""
    if not target.parent.is_dir():
        return
    for partial in [*target.parent.glob(f".{target.name}.*.part"), target.with_name(target.name + ".part")]:
        with atomic.storage_errors(partial), contextlib.suppress(FileNotFoundError):
            partial.unlink()


def fetch(ds: Dataset, mirror: Path | None, allow_download: bool = True) -> str:
    """Put one dataset into ``data/external/``; return how ("present", "copied", "downloaded").

    Raises
    ------
    DataIntegrityError
        The copy does not have the registry's hash (nothing is left in ``data/external/``).
    MissingDatasetError
        Neither in the mirror nor downloadable.
    StorageError
        ``data/external/`` cannot be written (read-only, full), naming the path and what to do.
    """
    target = ds.local_path
    if target.exists():
        verify(target, ds)
        return "present"
    source = mirror / ds.mirror_path if mirror is not None else None
    with atomic.lock(lock_path(ds), what=f"dataset {ds.name}", names=target):
        if target.exists():  # another `make data` copied it while we waited for the lock
            verify(target, ds)
            return "present"
        _remove_partial_copies(target)
        if source is not None and source.exists():
            atomic.write(target, lambda tmp: shutil.copyfile(source, tmp), check=lambda tmp: verify(tmp, ds, source))
            return "copied"
        if not allow_download:
            raise MissingDatasetError(f"dataset {ds.name} is not in the mirror ({mirror})", path=ds.mirror_path)
        try:
            data = _download(ds)
        except (OSError, urllib.error.URLError, zipfile.BadZipFile, KeyError, Exception) as exc:  # noqa: BLE001
            raise MissingDatasetError(
                f"dataset {ds.name} is neither in the mirror ({mirror}) nor downloadable "
                f"({exc.__class__.__name__})", path=ds.mirror_path,
            ) from None
        atomic.write(target, data, check=lambda tmp: verify(tmp, ds, target))
        return "downloaded"


def fetch_all(mirror: Path | None = None, allow_download: bool = True, out=None) -> pd.DataFrame:
    """``make data``: fetch every dataset; print one line each; return a status table (hash errors raise).

    A dataset that cannot be written (read-only or full ``data/external/``) gets status ``error`` and one line
    naming the path and what to do; the others are still fetched.
    """
    mirror = mirror if mirror is not None else paths.default_mirror()
    out = out if out is not None else sys.stdout
    rows = []
    for ds in registry().values():
        try:
            how = fetch(ds, mirror, allow_download)
        except MissingDatasetError as exc:
            how = "missing"
            print(f"  [absent]  {ds.name}: {exc.one_line()}", file=out)
        except StorageError as exc:
            how = "error"
            print(f"  [error]   {ds.name}: {exc.one_line()}", file=out)
        else:
            print(f"  [{how:^9}] {ds.name} ({ds.bytes:,} bytes)".replace(",", " "), file=out)
        rows.append({"dataset": ds.name, "status": how, "path": ds.mirror_path})
    return pd.DataFrame(rows)


def attribution_table(names: list[str] | None = None) -> pd.DataFrame:
    """Dataset, what, licence, attribution, origin and whether it is available, for the provenance section."""
    rows = []
    for name in names or dataset_names():
        ds = get(name)
        rows.append(
            {
                "dataset": ds.name,
                "licence": ds.licence,
                "attribution": ds.attribution,
                "origin": ds.origin_text(),
                "sha256": ds.sha256,
                "available": ds.local_path.exists(),
            }
        )
    return pd.DataFrame(rows)


def configure(parser: argparse.ArgumentParser) -> None:
    """CLI: ``python -m analysis data [--mirror DIR] [--no-download]``."""
    parser.add_argument("--mirror", type=Path, default=None,
                        help="mirror folder (default: VIGIE_DATA_MIRROR or ../shared)")
    parser.add_argument("--no-download", action="store_true", help="copy from the mirror only, never download")


def run(args: argparse.Namespace) -> int:
    mirror = args.mirror if args.mirror is not None else paths.default_mirror()
    print(f"make data: {len(registry())} datasets into data/external/ (mirror: {mirror or 'none'})")
    status = fetch_all(mirror, allow_download=not args.no_download)
    missing = status[status["status"] == "missing"]
    if len(missing):
        print(f"make data: {len(missing)} dataset(s) missing; the reports will say where they would have been used.")
    failed = status[status["status"] == "error"]
    if len(failed):
        print(f"error: make data: {len(failed)} dataset(s) could not be written into "
              f"{paths.relative(paths.EXTERNAL)}/ (see the lines above)", file=sys.stderr)
        return 1
    return 0
