"""The raw-data manifest: ``data/raw/MANIFEST.csv`` lists every shipped raw file with its SHA-256 and its source.

``check_manifest`` is how the project proves that code never modifies raw data; ``update_hashes`` is a developer
tool (after a deliberate, reviewed edit of a raw file) and is never called by report code.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import sys
from pathlib import Path

import pandas as pd

from analysis.core import atomic, paths
from analysis.core.errors import SchemaError

COLUMNS = ["path", "sha256", "source", "licence_notes"]
# Files under data/raw/ that are not data and are not listed (the manifest cannot hash itself).
EXCLUDED = {"MANIFEST.csv", "README.md"}


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(manifest: Path | str | None = None) -> pd.DataFrame:
    """Read MANIFEST.csv as strings (empty cells as ""), checking its header."""
    manifest = Path(manifest) if manifest is not None else paths.MANIFEST
    if not manifest.exists():
        raise SchemaError("manifest not found", path=manifest)
    table = pd.read_csv(manifest, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise SchemaError(f"missing column(s) {', '.join(missing)}", path=manifest, line=1, field=missing[0])
    duplicated = table["path"].duplicated(keep="first")
    if duplicated.any():
        row = int(duplicated.to_numpy().nonzero()[0][0])
        raise SchemaError("path listed twice", path=manifest, line=row + 2, field="path")
    return table


def _listed_files(raw: Path) -> list[str]:
    """Relative POSIX paths of the data files under ``raw`` (hidden files and the excluded top-level files aside)."""
    found = []
    for p in sorted(raw.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(raw).as_posix()
        if rel in EXCLUDED or any(part.startswith(".") for part in p.relative_to(raw).parts):
            continue
        found.append(rel)
    return found


def check_manifest(manifest: Path | str | None = None, raw: Path | str | None = None) -> list[str]:
    """Problems with the raw data, one sentence each: missing file, hash mismatch, unlisted file, empty source."""
    manifest = Path(manifest) if manifest is not None else paths.MANIFEST
    raw = Path(raw) if raw is not None else manifest.parent
    table = read_manifest(manifest)
    problems: list[str] = []
    for i, row in enumerate(table.itertuples(index=False), start=2):
        where = f"{manifest.name}:{i}"
        target = raw / row.path
        if not row.path:
            problems.append(f"{where}: empty path")
            continue
        if not target.is_file():
            problems.append(f"{where}: {row.path}: file missing")
        elif sha256_file(target) != row.sha256.strip().lower():
            problems.append(f"{where}: {row.path}: hash mismatch (file changed since it was recorded)")
        if not row.source.strip():
            problems.append(f"{where}: {row.path}: empty source")
    listed = set(table["path"])
    for rel in _listed_files(raw):
        if rel not in listed:
            problems.append(f"{manifest.name}: {rel}: file under data/raw not listed in the manifest")
    return problems


def update_hashes(manifest: Path | str | None = None, raw: Path | str | None = None) -> int:
    """Rewrite only the sha256 column for listed files that exist; return how many hashes changed.

    For developers after a deliberate edit of a raw file — report code must never call this.
    """
    manifest = Path(manifest) if manifest is not None else paths.MANIFEST
    raw = Path(raw) if raw is not None else manifest.parent
    read_manifest(manifest)  # header check
    with open(manifest, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    i_path, i_hash = header.index("path"), header.index("sha256")
    changed = 0
    for row in body:
        if len(row) <= max(i_path, i_hash):
            continue
        target = raw / row[i_path]
        if row[i_path] and target.is_file():
            digest = sha256_file(target)
            if row[i_hash] != digest:
                row[i_hash] = digest
                changed += 1
    if changed:
        text = io.StringIO(newline="")
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(body)
        atomic.write(manifest, text.getvalue())
    return changed


def configure(parser: argparse.ArgumentParser) -> None:
    """CLI: ``python -m analysis manifest [--update]``."""
    parser.add_argument("--manifest", type=Path, default=None, help="manifest file (default data/raw/MANIFEST.csv)")
    parser.add_argument(
        "--update", action="store_true", help="rewrite the sha256 column from the files (developers only)"
    )


def run(args: argparse.Namespace) -> int:
    """Check the manifest (after updating hashes with ``--update``); exit 1 when there are problems."""
    manifest = args.manifest if args.manifest is not None else paths.MANIFEST
    if args.update:
        changed = update_hashes(manifest)
        print(f"{changed} hash(es) updated")
    problems = check_manifest(manifest)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"{paths.relative(manifest)}: {len(read_manifest(manifest))} files, all hashes match")
    return 0
