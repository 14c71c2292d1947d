"""Editions of the watch: immutable folders holding what one update found, and how to list and load them.

An edition (``data/processed/editions/<edition id>/``, or under ``VIGIE_EDITIONS_DIR``) holds:

- ``manifest.json``: format, ``edition_id``, ``dates`` (creation and retrieval times), ``previous_edition``,
  ``content`` (strategy hash, OpenAlex settings, per-query counts, exports read, bank counts, every file with its
  SHA-256, byte size and rows) and ``content_hash`` = SHA-256 of ``content`` as canonical JSON;
- ``strategy.yaml`` and ``themes.yaml``: the strategy and theme dictionary used, byte for byte;
- ``openalex/works-NNNN.jsonl.gz``: the OpenAlex works received, each id once (first query, page and rank that
  returned it), JSON Lines in chunks; ``openalex/records.parquet`` (file, record, openalex_id, doi, first_query) and
  ``openalex/hits.parquet`` (query_id, rank, openalex_id: every answer of every query);
- ``bank/*.parquet``: the publication bank built from those files plus the researchers' exports, through the
  same readers, ledger and deduplication as any export (:func:`analysis.vigie.bank.build_bank`);
- ``work_ids.parquet`` (work_id, openalex_id), ``queries.parquet`` (per-query counts), ``upstream.parquet`` (ids of
  the previous edition no longer returned, with what OpenAlex says of them: present, merged, deleted).

Same inputs (the cached answers, the exports, the strategy, the previous edition) give byte-identical files; only
``edition_id`` and ``dates`` in ``manifest.json`` differ, and they are kept out of ``content_hash``. An existing
edition is never overwritten.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.core import paths
from analysis.core.errors import DataIntegrityError, InputFormatError, ParameterError
from analysis.core.manifest import sha256_file
from analysis.vigie.bank import Bank, build_bank, read_parquet, write_parquet
from analysis.vigie.names import normalize_doi
from analysis.vigie.watch.openalex import short_id

EDITION_FORMAT = "vigie-watch-edition/1"
CHUNK_SIZE = 5_000
_BATCH_ROWS = 50_000
RECORDS_SCHEMA = pa.schema([("file", pa.string()), ("record", pa.int64()), ("openalex_id", pa.string()),
                            ("doi", pa.string()), ("first_query", pa.string())])
HITS_SCHEMA = pa.schema([("query_id", pa.string()), ("rank", pa.int64()), ("openalex_id", pa.string())])
UPSTREAM_COLUMNS = ["openalex_id", "http_status", "status", "merged_into"]
QUERY_COLUMNS = ["query_id", "theme", "count_reported", "pages", "works_received", "works_distinct",
                 "works_first_seen"]


def editions_dir(path: str | Path | None = None) -> Path:
    """Where editions live: ``path``, else ``VIGIE_EDITIONS_DIR``, else ``data/processed/editions``."""
    if path is not None:
        return Path(path)
    env = os.environ.get("VIGIE_EDITIONS_DIR")
    return Path(env) if env else paths.PROCESSED / "editions"


# --- writing ----------------------------------------------------------------------------------------------------------

class _BatchedParquet:
    """A Parquet file written in row groups of ``batch`` rows, so memory holds one batch at most."""

    def __init__(self, path: Path, schema: pa.Schema, batch: int = _BATCH_ROWS) -> None:
        self.path, self.schema, self.batch = path, schema, batch
        self.rows: dict[str, list] = {f.name: [] for f in schema}
        self.writer = pq.ParquetWriter(path, schema)
        self.n = 0

    def add(self, *values: Any) -> None:
        for name, v in zip(self.rows, values):
            self.rows[name].append(v)
        self.n += 1
        if len(self.rows[self.schema[0].name]) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self.rows[self.schema[0].name]:
            self.writer.write_table(pa.table(self.rows, schema=self.schema))
            self.rows = {f.name: [] for f in self.schema}

    def close(self) -> None:
        self.flush()
        self.writer.close()


class _ChunkedJsonl:
    """JSON Lines in gzip chunks of ``size`` lines, byte-reproducible (no name, no time in the gzip header)."""

    def __init__(self, folder: Path, size: int) -> None:
        self.folder, self.size = folder, size
        self.files: list[Path] = []
        self.line = 0
        self._raw = None
        self._gz: gzip.GzipFile | None = None

    def write(self, obj: object) -> tuple[str, int]:
        if self._gz is None or self.line >= self.size:
            self._close_chunk()
            path = self.folder / f"works-{len(self.files) + 1:04d}.jsonl.gz"
            self.files.append(path)
            self._raw = open(path, "wb")
            self._gz = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0, compresslevel=6)
            self.line = 0
        self.line += 1
        self._gz.write(json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8"))
        self._gz.write(b"\n")
        return self.files[-1].name, self.line

    def _close_chunk(self) -> None:
        if self._gz is not None:
            self._gz.close()
            self._raw.close()
            self._gz = None

    def close(self) -> list[Path]:
        self._close_chunk()
        return self.files


@dataclass
class OpenAlexFiles:
    """What :func:`write_openalex_files` wrote: the JSON Lines chunks, the ids seen, per-query counts."""

    chunks: list[Path]
    ids: set[str]
    queries: pd.DataFrame
    first_retrieved: str | None
    last_retrieved: str | None


def write_openalex_files(queries: Iterable[tuple[str, str | None, Iterable]], folder: Path,
                         chunk_size: int = CHUNK_SIZE) -> OpenAlexFiles:
    """Stream the answers of every query into JSON Lines chunks (each OpenAlex id once) and two Parquet tables.

    Parameters
    ----------
    queries : iterable of (query_id, theme, pages)
        In strategy order; ``pages`` yields objects with ``results()``, ``count`` and ``retrieved_at`` (cached
        pages, :class:`analysis.vigie.watch.openalex.CachedPage`), in page order.
    folder : Path
        Where ``works-NNNN.jsonl.gz``, ``records.parquet`` and ``hits.parquet`` go (created).
    chunk_size : int
        Works per JSON Lines file (bounds the memory of reading one file into the bank).

    Returns
    -------
    OpenAlexFiles
        The chunk paths, the set of ids, a per-query count table (:data:`QUERY_COLUMNS`) and the first and last
        retrieval times of the pages.
    """
    folder.mkdir(parents=True, exist_ok=True)
    jsonl = _ChunkedJsonl(folder, chunk_size)
    records = _BatchedParquet(folder / "records.parquet", RECORDS_SCHEMA)
    hits = _BatchedParquet(folder / "hits.parquet", HITS_SCHEMA)
    seen: set[str] = set()
    rows = []
    first = last = None
    try:
        for query_id, theme, pages in queries:
            n_pages = received = first_seen = 0
            count = None
            distinct: set[str] = set()
            for page in pages:
                n_pages += 1
                count = page.count if count is None else count
                first = page.retrieved_at if first is None or page.retrieved_at < first else first
                last = page.retrieved_at if last is None or page.retrieved_at > last else last
                for work in page.results():
                    received += 1
                    wid = short_id(work.get("id")) if isinstance(work, dict) else None
                    hits.add(query_id, received, wid)
                    if wid is not None:
                        if wid in distinct:
                            continue  # the same work twice in one query's answers: kept once
                        distinct.add(wid)
                        if wid in seen:
                            continue
                        seen.add(wid)
                    first_seen += 1
                    name, line = jsonl.write(work)
                    doi = work.get("doi") if isinstance(work, dict) else None
                    records.add(name, line, wid, normalize_doi(doi) if isinstance(doi, str) else None, query_id)
            rows.append({"query_id": query_id, "theme": theme, "count_reported": count, "pages": n_pages,
                         "works_received": received, "works_distinct": len(distinct), "works_first_seen": first_seen})
    finally:
        chunks = jsonl.close()
        records.close()
        hits.close()
    table = pd.DataFrame(rows, columns=QUERY_COLUMNS)
    for c in ("count_reported", "pages", "works_received", "works_distinct", "works_first_seen"):
        table[c] = pd.array(table[c], dtype="Int64")
    for c in ("query_id", "theme"):
        table[c] = table[c].astype("string")
    return OpenAlexFiles(chunks, seen, table, first, last)


def compute_work_ids(works: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """OpenAlex ids of each bank work, from its ``origins`` (``file#record``) and the OpenAlex records table.

    Parameters
    ----------
    works : DataFrame
        ``bank.works`` (``work_id``, ``origins``).
    records : DataFrame
        ``openalex/records.parquet`` (``file``, ``record``, ``openalex_id``).

    Returns
    -------
    DataFrame
        ``work_id``, ``openalex_id``: one row per OpenAlex record merged into a work (a work may have several, e.g.
        a preprint and its article merged by the bank), sorted.
    """
    o = works[["work_id", "origins"]].copy()
    o["origin"] = o["origins"].astype(object).str.split("; ")
    o = o.explode("origin")
    parts = o["origin"].astype(str).str.rsplit("#", n=1, expand=True)
    o["file"] = parts[0]
    o["record"] = pd.to_numeric(parts[1], errors="coerce").astype("Int64")
    r = records[["file", "record", "openalex_id"]].dropna(subset=["openalex_id"]).copy()
    r["record"] = r["record"].astype("Int64")
    r["file"] = r["file"].astype(object)
    o["file"] = o["file"].astype(object)
    m = o.merge(r, on=["file", "record"], how="inner")[["work_id", "openalex_id"]]
    m = m.drop_duplicates().sort_values(["work_id", "openalex_id"], kind="mergesort").reset_index(drop=True)
    return pd.DataFrame({"work_id": m["work_id"].astype("string"), "openalex_id": m["openalex_id"].astype("string")})


def _file_entry(path: Path, rows: int | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"sha256": sha256_file(path), "bytes": path.stat().st_size}
    if rows is not None:
        entry["rows"] = int(rows)
    return entry


def content_hash(content: dict) -> str:
    """SHA-256 of an edition's ``content`` block as canonical JSON."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _write_table(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_parquet(path, index=False)


def new_edition_id(folder: Path, day: dt.date, requested: str | None = None) -> str:
    """The id of a new edition: ``requested`` (refused when it exists), else the date, then ``<date>-2``, …

    Raises
    ------
    ParameterError
        ``requested`` is not a plain name, or an edition of that id exists (editions are never overwritten).
    """
    if requested is not None:
        if not requested or requested.startswith(".") or "/" in requested or "\\" in requested:
            raise ParameterError(f"edition id must be a plain folder name, got {requested!r}", field="edition")
        if (folder / requested).exists():
            raise ParameterError(f"edition {requested!r} already exists in {folder}; editions are never overwritten "
                                 "(choose another id or leave it out)", field="edition")
        return requested
    base = day.isoformat()
    if not (folder / base).exists():
        return base
    n = 2
    while (folder / f"{base}-{n}").exists():
        n += 1
    return f"{base}-{n}"


def assemble_edition(*, folder: Path, edition_id: str, strategy_path: Path, strategy_hash: str, themes_path: Path,
                     openalex_settings: dict[str, Any], openalex: OpenAlexFiles, staging: Path,
                     exports: list[tuple[str, Path, str]], upstream: pd.DataFrame,
                     previous: "Edition | None", created_at: str) -> Path:
    """Build the bank over the staged OpenAlex files and the exports, write every table and the manifest, and move
    the staging folder to ``folder/edition_id`` (never over an existing edition).

    Parameters
    ----------
    folder : Path
        The editions folder.
    edition_id : str
        The new edition's id (from :func:`new_edition_id`).
    strategy_path, themes_path : Path
        Copied byte for byte into the edition.
    strategy_hash : str
        The strategy's content hash.
    openalex_settings : dict
        Base URL, page size, select and filter used (recorded; never the key).
    openalex : OpenAlexFiles
        What :func:`write_openalex_files` wrote into ``staging/openalex``.
    staging : Path
        The staging folder (``<folder>/.staging-…``) holding ``openalex/``.
    exports : list of (export id, path, format)
        Researchers' export files, in order.
    upstream : DataFrame
        Id checks (:data:`UPSTREAM_COLUMNS`).
    previous : Edition or None
        The edition this one follows.
    created_at : str
        Creation time (ISO, UTC), kept out of the content hash.

    Returns
    -------
    Path
        The edition folder.
    """
    files = [*openalex.chunks, *(p for _, p, _ in exports)]
    if not files:
        raise InputFormatError("no work received from OpenAlex and no export file: nothing to make an edition of "
                               "(check the strategy's queries with `python -m analysis watch strategy`)",
                               path=paths.relative(strategy_path))
    formats = {str(p): "openalex_json" for p in openalex.chunks}
    formats.update({str(p): fmt for _, p, fmt in exports})
    bank = build_bank(files, formats=formats)
    write_parquet(bank, staging / "bank")
    records = pd.read_parquet(staging / "openalex" / "records.parquet")
    work_ids = compute_work_ids(bank.works, records)
    _write_table(work_ids, staging / "work_ids.parquet")
    _write_table(openalex.queries, staging / "queries.parquet")
    up = upstream[UPSTREAM_COLUMNS].copy() if len(upstream) else pd.DataFrame(columns=UPSTREAM_COLUMNS)
    up = up.sort_values("openalex_id", kind="mergesort").reset_index(drop=True)
    up = pd.DataFrame({"openalex_id": up["openalex_id"].astype("string"),
                       "http_status": pd.array(up["http_status"], dtype="Int64"),
                       "status": up["status"].astype("string"), "merged_into": up["merged_into"].astype("string")})
    _write_table(up, staging / "upstream.parquet")
    shutil.copyfile(strategy_path, staging / "strategy.yaml")
    shutil.copyfile(themes_path, staging / "themes.yaml")

    rows = {f"bank/{name}.parquet": len(getattr(bank, name)) for name in Bank.TABLES}
    rows.update({"work_ids.parquet": len(work_ids), "queries.parquet": len(openalex.queries),
                 "upstream.parquet": len(up), "openalex/records.parquet": len(records),
                 "openalex/hits.parquet": pq.ParquetFile(staging / "openalex" / "hits.parquet").metadata.num_rows})
    entries = {}
    for p in sorted(staging.rglob("*")):
        if p.is_file():
            rel = p.relative_to(staging).as_posix()
            entries[rel] = _file_entry(p, rows.get(rel))
    led = bank.ledger
    content = {
        "strategy_hash": strategy_hash,
        "themes_sha256": entries["themes.yaml"]["sha256"],
        "openalex": openalex_settings,
        "queries": json.loads(openalex.queries.astype(object).where(openalex.queries.notna(), None)
                              .to_json(orient="records")),
        "exports": [{"source": sid, "file": p.name, "format": fmt, "sha256": sha256_file(p)}
                    for sid, p, fmt in exports],
        "bank": {"works": len(bank.works), "authorships": len(bank.authorships),
                 "read": int(led["read"].sum()), "kept": int(led["kept"].sum()), "merged": int(led["merged"].sum()),
                 "rejected": int(led["rejected"].sum()), "openalex_ids": len(openalex.ids)},
        "previous_content_hash": previous.content_hash if previous is not None else None,
        "files": entries,
    }
    manifest = {
        "format": EDITION_FORMAT,
        "edition_id": edition_id,
        "dates": {"created_at": created_at, "first_page_retrieved": openalex.first_retrieved,
                  "last_page_retrieved": openalex.last_retrieved},
        "previous_edition": previous.id if previous is not None else None,
        "content_hash": content_hash(content),
        "content": content,
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                           encoding="utf-8")
    for p in staging.rglob("*"):
        if p.is_file():
            p.chmod(0o444)  # read-only: an edition is not edited
    target = folder / edition_id
    if target.exists():
        raise ParameterError(f"edition {edition_id!r} appeared in {folder} while this one was built; nothing "
                             "overwritten (rerun to get a new id)", field="edition")
    os.rename(staging, target)
    return target


# --- reading ----------------------------------------------------------------------------------------------------------

@dataclass
class Edition:
    """A loaded edition: its manifest, its bank and its watch tables.

    Attributes
    ----------
    id : str
        The edition id (folder name).
    path : Path
        The edition folder.
    manifest : dict
        ``manifest.json`` as parsed.
    bank : Bank
        The publication bank (schemas checked).
    work_ids : DataFrame
        ``work_id``, ``openalex_id``.
    queries : DataFrame
        Per-query counts (:data:`QUERY_COLUMNS`).
    upstream : DataFrame
        Id checks of the previous edition's ids no longer returned (:data:`UPSTREAM_COLUMNS`).
    """

    id: str
    path: Path
    manifest: dict
    bank: Bank
    work_ids: pd.DataFrame
    queries: pd.DataFrame
    upstream: pd.DataFrame

    @property
    def content_hash(self) -> str:
        return self.manifest["content_hash"]

    @property
    def strategy_hash(self) -> str:
        return self.manifest["content"]["strategy_hash"]

    @property
    def created_at(self) -> str:
        return self.manifest["dates"]["created_at"]

    @property
    def themes_path(self) -> Path:
        """The theme dictionary the edition was made with."""
        return self.path / "themes.yaml"

    def records(self) -> pd.DataFrame:
        """``openalex/records.parquet``: file, record, openalex_id, doi, first_query."""
        return pd.read_parquet(self.path / "openalex" / "records.parquet")

    def hits(self) -> pd.DataFrame:
        """``openalex/hits.parquet``: every answer of every query (query_id, rank, openalex_id)."""
        return pd.read_parquet(self.path / "openalex" / "hits.parquet")


def _read_manifest(folder: Path) -> dict:
    path = folder / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputFormatError("not an edition (no manifest.json)", path=folder) from None
    except ValueError as exc:
        raise InputFormatError(f"manifest.json is not valid JSON ({exc})", path=path) from None
    if not isinstance(manifest, dict) or manifest.get("format") != EDITION_FORMAT:
        raise InputFormatError(f"manifest.json is not a {EDITION_FORMAT} manifest", path=path)
    return manifest


def verify_edition(folder: str | Path) -> None:
    """Check every file of an edition against its manifest (SHA-256) and the content hash.

    Raises
    ------
    DataIntegrityError
        A file is missing or changed, or the content hash does not match; the message names the file.
    """
    folder = Path(folder)
    manifest = _read_manifest(folder)
    content = manifest["content"]
    if content_hash(content) != manifest.get("content_hash"):
        raise DataIntegrityError("content_hash does not match the manifest's content", path=folder / "manifest.json")
    for rel, entry in content["files"].items():
        p = folder / rel
        if not p.is_file():
            raise DataIntegrityError("file listed in the edition manifest is missing", path=p)
        if sha256_file(p) != entry["sha256"]:
            raise DataIntegrityError("file does not match its SHA-256 in the edition manifest", path=p)


def resolve_edition(edition: str | Path, folder: str | Path | None = None) -> Path:
    """The folder of an edition given by id (in ``folder``), or by path.

    Raises
    ------
    InputFormatError
        No such edition.
    """
    p = Path(edition)
    if p.is_dir() and (p / "manifest.json").exists():
        return p
    base = editions_dir(folder)
    candidate = base / str(edition)
    if candidate.is_dir():
        return candidate
    known = ", ".join(list_editions(base)["edition_id"]) or "none"
    raise InputFormatError(f"no edition {str(edition)!r} (editions here: {known})", path=base)


def load_edition(edition: str | Path, folder: str | Path | None = None, verify: bool = True) -> Edition:
    """Load an edition: its bank and watch tables.

    Parameters
    ----------
    edition : str or Path
        An edition id (looked up in ``folder``) or an edition folder.
    folder : str or Path, optional
        The editions folder (default :func:`editions_dir`).
    verify : bool
        Check every file's SHA-256 first (default True).

    Returns
    -------
    Edition

    Raises
    ------
    InputFormatError
        No such edition, or a folder that is not one.
    DataIntegrityError
        A file was changed or removed since the edition was written.
    """
    path = resolve_edition(edition, folder)
    if verify:
        verify_edition(path)
    manifest = _read_manifest(path)
    return Edition(id=manifest["edition_id"], path=path, manifest=manifest, bank=read_parquet(path / "bank"),
                   work_ids=pd.read_parquet(path / "work_ids.parquet"),
                   queries=pd.read_parquet(path / "queries.parquet"),
                   upstream=pd.read_parquet(path / "upstream.parquet"))


def load_edition_bank(edition: str | Path, folder: str | Path | None = None) -> Bank:
    """The publication bank of an edition (checked), for the report and the notebooks.

    Parameters
    ----------
    edition : str or Path
        An edition id or folder.
    folder : str or Path, optional
        The editions folder.
    """
    return load_edition(edition, folder).bank


def _edition_folders(base: Path) -> Iterator[Path]:
    if not base.is_dir():
        return
    for p in sorted(base.iterdir()):
        if p.is_dir() and not p.name.startswith(".") and (p / "manifest.json").exists():
            yield p


def list_editions(folder: str | Path | None = None) -> pd.DataFrame:
    """The editions of a folder, oldest first.

    Parameters
    ----------
    folder : str or Path, optional
        The editions folder (default :func:`editions_dir`).

    Returns
    -------
    DataFrame
        ``edition_id``, ``created_at``, ``previous_edition``, ``strategy_hash``, ``content_hash``, ``n_works``,
        ``n_openalex_ids``, ``n_queries``, ``path``; sorted by creation time, then id.
    """
    cols = ["edition_id", "created_at", "previous_edition", "strategy_hash", "content_hash", "n_works",
            "n_openalex_ids", "n_queries", "path"]
    rows = []
    for p in _edition_folders(editions_dir(folder)):
        try:
            m = _read_manifest(p)
        except InputFormatError:
            continue
        c = m["content"]
        rows.append({"edition_id": m["edition_id"], "created_at": m["dates"]["created_at"],
                     "previous_edition": m.get("previous_edition"), "strategy_hash": c["strategy_hash"],
                     "content_hash": m["content_hash"], "n_works": c["bank"]["works"],
                     "n_openalex_ids": c["bank"]["openalex_ids"], "n_queries": len(c["queries"]), "path": str(p)})
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["created_at", "edition_id"], kind="mergesort").reset_index(drop=True)


def latest_edition(folder: str | Path | None = None, verify: bool = True) -> Edition | None:
    """The most recent edition of a folder, or None when there is none."""
    listed = list_editions(folder)
    if listed.empty:
        return None
    return load_edition(Path(listed["path"].iloc[-1]), verify=verify)


def previous_edition(edition: Edition, folder: str | Path | None = None) -> Edition | None:
    """The edition an edition follows (as recorded when it was made), or None for the first one."""
    prev = edition.manifest.get("previous_edition")
    if not prev:
        return None
    base = Path(folder) if folder is not None else edition.path.parent
    return load_edition(prev, base)
