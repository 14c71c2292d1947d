"""The bank as a database: Parquet tables a researcher queries with SQL in DuckDB (embedded, no server).

:func:`save_bank` writes a bank's tables under one folder::

    <folder>/
      bank.json                 what this folder is (format, version, tables, row counts, partitioning)
      views.sql                 the views, for the DuckDB command line: ``cd <folder> && duckdb -init views.sql``
      works/year=<y>/part-0.parquet   one folder per publication year (``year=__HIVE_DEFAULT_PARTITION__``: none)
      authorships/part-0.parquet
      keywords/part-0.parquet   (the bank's ``work_keywords``)
      ledger/part-0.parquet     rejections/ duplicates/ related/ likewise

Works are partitioned by year (Hive layout, read by DuckDB, Spark and pyarrow alike), so a query on a few years
reads only their files; every table is columnar, so a query reads only the columns it names. Low-cardinality text
(sources, document types, languages, countries, keyword kinds, ledger formats) is dictionary-encoded; large text
(titles, abstracts) is stored once, compressed (zstd), without a dictionary.

Two matching keys are stored beside the text they fold, computed by the same functions as the pandas path, so
that SQL counts distinct values exactly as :func:`analysis.vigie.main_information` does: ``works.source_key``
(:func:`analysis.vigie.names.source_key_arrow`) and ``authorships.author_key``
(:func:`analysis.core.text.fold_arrow`); ``keywords.keyword_key`` is the bank's own column.

:func:`open_bank` returns a :class:`BankDatabase`: ``db.sql("select …")`` runs DuckDB over the views ``works``,
``authorships``, ``keywords``, ``ledger``, ``rejections``, ``duplicates`` and ``related`` and returns a DataFrame;
``db.main_information()`` computes bibliometrix's main information with SQL (:data:`MAIN_INFORMATION_SQL`), so it
works on banks larger than memory, and equals the pandas path on the same bank (``tests/test_store.py``).
"""

from __future__ import annotations

import json
import math
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.core import atomic, paths
from analysis.core.errors import InputFormatError, ParameterError
from analysis.core.text import arrow_strings, fold_arrow
from analysis.vigie.arguments import require_bank
from analysis.vigie.bibliometrics import MAIN_INFORMATION_ROWS, annual_growth_rate
from analysis.vigie.inputs import resolve_path
from analysis.vigie.names import source_key_arrow

if TYPE_CHECKING:  # bank.py imports this module for Bank.save: the type only, no import cycle
    from analysis.vigie.bank import Bank

FORMAT = "vigie-bank"
VERSION = 1
MARKER = "bank.json"
VIEWS_FILE = "views.sql"
PART = "part-0.parquet"
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # Hive's name for a missing partition value (DuckDB, Spark, Arrow)
CACHE_SUBFOLDER = "db"  # inside a cached bank of data/processed/banks/<key>/ (see analysis.vigie.cache)

#: view name → the bank's attribute holding that table
TABLES: dict[str, str] = {"works": "works", "authorships": "authorships", "keywords": "work_keywords",
                          "ledger": "ledger", "rejections": "rejections", "duplicates": "duplicates",
                          "related": "related"}
#: text columns with few distinct values, dictionary-encoded in Parquet (and in Arrow when read back)
DICTIONARY_COLUMNS: dict[str, tuple[str, ...]] = {
    "works": ("source_title", "source_key", "doc_type", "language"),
    "authorships": ("country",),
    "keywords": ("kind",),
    "ledger": ("format", "encoding"),
    "rejections": ("file", "code", "reason"),
    "duplicates": ("merged_file", "kept_file", "rule"),
    "related": ("file_a", "file_b", "rule"),
}
PARTITION_COLUMN = {"works": "year"}
ROW_GROUP_SIZE = 131_072


# ----------------------------------------------------------------------------------------------------- writing


def _arrow_table(frame: pd.DataFrame, dictionary: tuple[str, ...]) -> pa.Table:
    """A bank table as Arrow: text as ``string`` (dictionary-encoded for ``dictionary``), integers as int64."""
    columns, fields = [], []
    for name in frame.columns:
        series = frame[name]
        dtype = str(series.dtype)
        if dtype in ("Int64", "int64"):
            arr = _int_column(series)
        elif dtype in ("Float64", "float64"):
            arr = pa.array(series.to_numpy(dtype="float64", na_value=np.nan), pa.float64(), from_pandas=True)
        else:
            arr = arrow_strings(series) if len(series) else pa.array([], pa.string())
            if name in dictionary:
                arr = pc.dictionary_encode(arr)
        columns.append(arr)
        fields.append(pa.field(name, arr.type))
    return pa.Table.from_arrays(columns, schema=pa.schema(fields))


def _int_column(series: pd.Series) -> pa.Array:
    """A nullable whole-number column as Arrow int64 (exact: no round trip through floats)."""
    mask = series.isna().to_numpy()
    values = series.to_numpy(dtype=np.int64, na_value=0)
    return pa.array(values, pa.int64(), mask=mask if mask.any() else None)


def _frames(bank: Bank) -> dict[str, pd.DataFrame]:
    """The tables to write, with the matching keys added (``works.source_key``, ``authorships.author_key``)."""
    works = bank.works.copy(deep=False)
    works["source_key"] = pd.arrays.ArrowStringArray(source_key_arrow(arrow_strings(works["source_title"]))) \
        if len(works) else pd.array([], dtype="string")
    auth = bank.authorships.copy(deep=False)
    auth["author_key"] = pd.arrays.ArrowStringArray(fold_arrow(arrow_strings(auth["author"]))) \
        if len(auth) else pd.array([], dtype="string")
    frames = {view: getattr(bank, attribute) for view, attribute in TABLES.items()}
    frames["works"], frames["authorships"] = works, auth
    return frames


def _write_table(table: pa.Table, path: Path, dictionary: tuple[str, ...]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd", use_dictionary=list(dictionary) if dictionary else False,
                   row_group_size=ROW_GROUP_SIZE)


def _write_partitioned(table: pa.Table, folder: Path, column: str, dictionary: tuple[str, ...]) -> list[str]:
    """One ``<column>=<value>/part-0.parquet`` per distinct value (rows in their order); returns the partitions."""
    values = table.column(column).to_numpy(zero_copy_only=False)
    rest = table.drop_columns([column])
    known = ~pd.isna(values)
    keys = np.where(known, values, -1).astype(np.int64) if len(values) else np.zeros(0, np.int64)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]) if len(keys) else np.zeros(0, int)
    ends = np.r_[starts[1:], len(keys)]
    written = []
    for start, end in zip(starts, ends):
        key = int(sorted_keys[start])
        name = f"{column}={NULL_PARTITION}" if key == -1 and not known[order[start]] else f"{column}={key}"
        _write_table(rest.take(pa.array(order[start:end])), folder / name / PART, dictionary)
        written.append(name)
    if not written:  # an empty bank still has a readable works table
        _write_table(rest, folder / f"{column}={NULL_PARTITION}" / PART, dictionary)
        written.append(f"{column}={NULL_PARTITION}")
    return written


def _output_folder(path: str | Path) -> Path:
    """Where to write ``path``: absolute as given; else relative to the current folder when its parent exists
    there, else to the project root when its parent exists there, else relative to the current folder when that
    lands inside the project (``../data/private/x`` from ``notebooks/``), else to the project root."""
    if isinstance(path, bool) or not isinstance(path, (str, Path)) or str(path) == "":
        raise ParameterError(f"expected a folder path, got {path!r}", field="path")
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    here, there = (Path.cwd() / p).resolve(), (paths.ROOT / p).resolve()
    if here.parent.is_dir():
        return here
    if there.parent.is_dir():
        return there
    root = paths.ROOT.resolve()
    return here if here == root or root in here.parents else there


def save_bank(bank: Bank, path: str | Path) -> Path:
    """Write a bank as a queryable Parquet folder (see the module's docstring for the layout).

    The folder is written under a temporary name beside ``path`` and renamed into place; an existing bank folder
    at ``path`` is replaced, anything else there is refused.

    Parameters
    ----------
    bank : Bank
        A publication bank (:func:`analysis.vigie.build_bank`).
    path : str or Path
        The folder to write (relative: to the current folder, else the project root).

    Returns
    -------
    Path
        The folder written; open it with :func:`open_bank`.

    Raises
    ------
    ParameterError
        When ``bank`` is not a bank, or ``path`` exists and is not a bank folder (it is not overwritten).
    StorageError
        When the folder cannot be written (disk full, read-only), naming it.

    Examples
    --------
    >>> vigie.save_bank(bank, "../data/private/my_bank")  # doctest: +SKIP
    >>> vigie.open_bank("../data/private/my_bank").sql("select year, count(*) from works group by year")  # +SKIP
    """
    require_bank(bank)
    target = _output_folder(path)
    if target.exists() and not (target.is_dir() and (target / MARKER).is_file()):
        raise ParameterError(f"{target} exists and is not a bank folder (no {MARKER}): choose another folder",
                             field="path")
    tmp = atomic.temporary_name(target)
    try:
        with atomic.storage_errors(target):
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp.mkdir()
            manifest = _write_tables(bank, tmp)
            (tmp / VIEWS_FILE).write_text(views_sql(None), encoding="utf-8")
            (tmp / MARKER).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            atomic.sync_tree(tmp)
            old = atomic.temporary_name(target) if target.exists() else None
            with atomic.deferred_signals():
                if old is not None:
                    target.rename(old)
                tmp.rename(target)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _write_tables(bank: Bank, folder: Path) -> dict:
    """Every table into ``folder``; returns the manifest written to ``bank.json``."""
    tables = {}
    for view, frame in _frames(bank).items():
        dictionary = tuple(c for c in DICTIONARY_COLUMNS.get(view, ()) if c in frame.columns)
        table = _arrow_table(frame, dictionary)
        column = PARTITION_COLUMN.get(view)
        entry: dict[str, object] = {"rows": table.num_rows, "columns": list(frame.columns)}
        if column:
            entry["partitioned_by"] = column
            entry["partitions"] = len(_write_partitioned(table, folder / view, column, dictionary))
        else:
            _write_table(table, folder / view / PART, dictionary)
        tables[view] = entry
    return {"format": FORMAT, "version": VERSION, "tables": tables,
            "views": "views.sql (duckdb -init views.sql, from this folder)"}


# ----------------------------------------------------------------------------------------------------- views


def _source(view: str, base: str) -> str:
    """The ``read_parquet`` call of one table (``base``: the folder as SQL text, '' for relative paths)."""
    prefix = f"{base}/" if base else ""
    if view in PARTITION_COLUMN:
        return (f"read_parquet('{prefix}{view}/*/*.parquet', hive_partitioning = true, "
                f"hive_types = {{'{PARTITION_COLUMN[view]}': BIGINT}})")
    return f"read_parquet('{prefix}{view}/*.parquet')"


def view_columns(view: str) -> list[str]:
    """The columns of a view, in order (the bank's table, plus the matching key stored beside it).

    Parameters
    ----------
    view : str
        One of :data:`TABLES`.

    Returns
    -------
    list of str
    """
    from analysis.vigie import bank as bank_module  # bank.py imports this module (Bank.save): break the cycle

    columns = {"works": bank_module.WORK_COLUMNS + ["source_key"],
               "authorships": bank_module.AUTHORSHIP_COLUMNS + ["author_key"],
               "keywords": bank_module.KEYWORD_COLUMNS, "ledger": bank_module.LEDGER_COLUMNS,
               "rejections": bank_module.REJECTION_COLUMNS, "duplicates": bank_module.DUPLICATE_COLUMNS,
               "related": bank_module.RELATED_COLUMNS}
    return columns[view]


def views_sql(folder: Path | None) -> str:
    """The ``CREATE VIEW`` statements of a bank folder (relative paths when ``folder`` is None: ``views.sql``).

    Parameters
    ----------
    folder : Path or None
        The bank's folder, or None for paths relative to it (run the DuckDB command line from that folder).

    Returns
    -------
    str
        SQL text, one statement per view.
    """
    base = "" if folder is None else folder.as_posix().replace("'", "''")
    lines = ["-- The views of a vigie bank (analysis.vigie.save_bank). From this folder:  duckdb -init views.sql",
             "-- then e.g.  select year, count(*) as works from works group by year order by year;"]
    for view in TABLES:
        columns = ", ".join(view_columns(view))
        lines.append(f"CREATE OR REPLACE VIEW {view} AS SELECT {columns} FROM {_source(view, base)};")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------------------------------- reading


#: The main information's aggregates in SQL; ``{split}`` and ``{explode}`` name the dialect's functions that split
#: text into a list and turn a list into rows (DuckDB: string_split, unnest; Spark SQL: split, explode).
MAIN_INFORMATION_SQL = """
WITH per_work AS (
    SELECT work_id, count(*) AS n_auth, count(country) AS with_country
    FROM authorships GROUP BY work_id
),
work_countries AS (
    SELECT work_id, count(DISTINCT country_code) AS n_countries
    FROM (SELECT work_id, {explode}({split}(coalesce(countries, country), '; ')) AS country_code
          FROM authorships WHERE coalesce(countries, country) IS NOT NULL) AS codes
    GROUP BY work_id
),
w AS (
    SELECT count(*) AS documents, count(DISTINCT source_key) AS sources, min(year) AS year_min,
           max(year) AS year_max, sum(cited_by) AS citations, count(cited_by) AS with_citations,
           sum(CASE WHEN n_authors = 1 THEN 1 ELSE 0 END) AS single_authored_docs
    FROM works
),
a AS (
    SELECT count(*) AS author_appearances, count(DISTINCT author_key) AS authors FROM authorships
),
single AS (
    SELECT count(DISTINCT a.author_key) AS authors_of_single_authored_docs
    FROM authorships AS a JOIN per_work AS p ON a.work_id = p.work_id WHERE p.n_auth = 1
),
coverage AS (
    SELECT sum(CASE WHEN n_auth > 1 THEN 1 ELSE 0 END) AS multi_author_docs,
           sum(CASE WHEN n_auth > 1 AND with_country = n_auth THEN 1 ELSE 0 END) AS multi_author_docs_covered
    FROM per_work
),
international AS (
    SELECT sum(CASE WHEN n_countries >= 2 THEN 1 ELSE 0 END) AS international_docs FROM work_countries
),
k AS (
    SELECT count(DISTINCT CASE WHEN kind = 'index' THEN keyword_key END) AS index_keywords,
           count(DISTINCT CASE WHEN kind = 'author' THEN keyword_key END) AS author_keywords
    FROM keywords
),
l AS (
    SELECT count(*) AS files, sum(read) AS records_read, sum(merged) AS duplicates_removed,
           sum(rejected) AS records_rejected FROM ledger
),
d AS (
    SELECT sum(CASE WHEN rule = 'doi' THEN 1 ELSE 0 END) AS duplicates_by_doi,
           sum(CASE WHEN rule = 'title_year_author' THEN 1 ELSE 0 END) AS duplicates_by_title
    FROM duplicates
)
SELECT * FROM w, a, single, coverage, international, k, l, d
"""
#: documents per year (for the growth rate) and per document type, in SQL
YEARS_SQL = "SELECT year, count(*) AS documents FROM works WHERE year IS NOT NULL GROUP BY year ORDER BY year"
DOCUMENT_TYPES_SQL = ("SELECT lower(doc_type) AS doc_type, count(*) AS documents FROM works "
                      "WHERE doc_type IS NOT NULL GROUP BY lower(doc_type) ORDER BY 1")
DIALECTS = {"duckdb": {"split": "string_split", "explode": "unnest"},
            "spark": {"split": "split", "explode": "explode"}}


def main_information_sql(dialect: str = "duckdb") -> str:
    """:data:`MAIN_INFORMATION_SQL` in one engine's dialect.

    Parameters
    ----------
    dialect : {"duckdb", "spark"}

    Returns
    -------
    str

    Raises
    ------
    ParameterError
        An unknown dialect.
    """
    if dialect not in DIALECTS:
        raise ParameterError(f"expected one of {', '.join(map(repr, DIALECTS))}, got {dialect!r}", field="dialect")
    return MAIN_INFORMATION_SQL.format(**DIALECTS[dialect])


def _int(value: object) -> int:
    return 0 if value is None or (isinstance(value, float) and math.isnan(value)) else int(value)


def main_information_from_aggregates(row: dict, years: dict[int, int], doc_types: dict[str, int]) -> dict:
    """The main-information dict (as :func:`analysis.vigie.main_information_dict`) from the SQL aggregates.

    Parameters
    ----------
    row : dict
        The one row of :data:`MAIN_INFORMATION_SQL`.
    years : dict
        Documents per year (:data:`YEARS_SQL`).
    doc_types : dict
        Documents per lower-cased document type (:data:`DOCUMENT_TYPES_SQL`), in sort order.

    Returns
    -------
    dict
    """
    docs = _int(row["documents"])
    multi, covered_docs = _int(row["multi_author_docs"]), _int(row["multi_author_docs_covered"])
    covered = covered_docs / multi if multi else 1.0
    agr = annual_growth_rate(pd.Series(years, dtype="float64")) if years else float("nan")
    with_citations = _int(row["with_citations"])
    appearances = _int(row["author_appearances"])
    return {
        "documents": docs,
        "sources": _int(row["sources"]),
        "year_min": None if row["year_min"] is None else int(row["year_min"]),
        "year_max": None if row["year_max"] is None else int(row["year_max"]),
        "annual_growth_rate_pct": None if math.isnan(agr) else round(agr, 2),
        "mean_citations_per_doc": (None if with_citations == 0
                                   else round(float(_int(row["citations"]) / with_citations), 2)),
        "documents_with_citation_count": with_citations,
        "index_keywords": _int(row["index_keywords"]),
        "author_keywords": _int(row["author_keywords"]),
        "authors": _int(row["authors"]),
        "author_appearances": appearances,
        "authors_of_single_authored_docs": _int(row["authors_of_single_authored_docs"]),
        "single_authored_docs": _int(row["single_authored_docs"]),
        "coauthors_per_doc": round(appearances / docs, 2) if docs else None,
        "international_coauthorships_pct": (round(float(_int(row["international_docs"])) / docs * 100, 2)
                                            if docs and covered >= 0.5 else None),
        "country_coverage_pct": round(covered * 100, 2),
        "document_types": {str(k): int(v) for k, v in doc_types.items()},
        "files": _int(row["files"]),
        "records_read": _int(row["records_read"]),
        "duplicates_removed": _int(row["duplicates_removed"]),
        "duplicates_by_doi": _int(row["duplicates_by_doi"]),
        "duplicates_by_title": _int(row["duplicates_by_title"]),
        "records_rejected": _int(row["records_rejected"]),
    }


def main_information_frame(info: dict) -> pd.DataFrame:
    """The main-information block (as :func:`analysis.vigie.main_information`) from its dict.

    Parameters
    ----------
    info : dict
        From :func:`main_information_from_aggregates`.

    Returns
    -------
    DataFrame
        ``section``, ``key``, ``label``, ``value``.
    """
    rows = []
    for section, key, label in MAIN_INFORMATION_ROWS:
        if key == "timespan":
            value: object = f"{info['year_min']}:{info['year_max']}" if info["year_min"] is not None else None
        else:
            value = info[key]
        rows.append({"section": section, "key": key, "label": label, "value": value})
    for doc_type, n in info["document_types"].items():
        rows.append({"section": "document_types", "key": f"doc_type:{doc_type}", "label": doc_type, "value": n})
    return pd.DataFrame(rows, columns=["section", "key", "label", "value"])


@dataclass(eq=False)
class BankDatabase:
    """A bank folder opened in DuckDB (in memory, reading the Parquet files in place): views ``works``,
    ``authorships``, ``keywords``, ``ledger``, ``rejections``, ``duplicates``, ``related``.

    Attributes
    ----------
    path : Path
        The bank's folder.
    con : duckdb.DuckDBPyConnection
        The connection holding the views (for DuckDB's own API: ``db.con.sql(...).arrow()``).
    manifest : dict
        The folder's ``bank.json`` (format, version, tables with their row counts).
    """

    path: Path
    con: duckdb.DuckDBPyConnection
    manifest: dict

    def __repr__(self) -> str:
        rows = {view: entry.get("rows") for view, entry in self.manifest.get("tables", {}).items()}
        return (f"<BankDatabase {self.path.name}: {rows.get('works')} works, {rows.get('authorships')} authorships, "
                f"{rows.get('keywords')} keyword rows; views {', '.join(TABLES)}>")

    def sql(self, query: str, params: list | dict | None = None) -> pd.DataFrame:
        """Run a SQL query (DuckDB dialect) over the bank's views and return the result as a DataFrame.

        Parameters
        ----------
        query : str
            e.g. ``"select year, count(*) as works from works group by year order by year"``.
        params : list or dict, optional
            Values for ``?`` or ``$name`` placeholders.

        Returns
        -------
        DataFrame

        Raises
        ------
        ParameterError
            When the query is not text or DuckDB refuses it (the message is DuckDB's, naming the bank).
        """
        return self.relation(query, params).df()

    def relation(self, query: str, params: list | dict | None = None) -> duckdb.DuckDBPyRelation:
        """The query as a lazy DuckDB relation (``.arrow()``, ``.df()``, ``.fetchall()``, chain more SQL).

        Parameters
        ----------
        query : str
        params : list or dict, optional

        Returns
        -------
        duckdb.DuckDBPyRelation

        Raises
        ------
        ParameterError
            When the query is not text or DuckDB refuses it.
        """
        if not isinstance(query, str) or not query.strip():
            raise ParameterError(f"expected SQL text, got {query!r}", field="query")
        try:
            return self.con.sql(query, params=params)
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ParameterError(f"DuckDB refused the query on the bank {self.path}: {first}",
                                 field="query") from None

    def main_information_dict(self) -> dict:
        """The main information computed by SQL (:data:`MAIN_INFORMATION_SQL`), as
        :func:`analysis.vigie.main_information_dict` computes it in pandas (same keys, same values).

        Returns
        -------
        dict

        References
        ----------
        Aria, M., & Cuccurullo, C. (2017). bibliometrix: An R-tool for comprehensive science mapping analysis.
        *Journal of Informetrics*, 11(4), 959–975.
        """
        rel = self.con.sql(main_information_sql("duckdb"))
        row = dict(zip(rel.columns, rel.fetchall()[0]))
        years = dict(self.con.sql(YEARS_SQL).fetchall())
        doc_types = dict(self.con.sql(DOCUMENT_TYPES_SQL).fetchall())
        return main_information_from_aggregates(row, years, doc_types)

    def main_information(self) -> pd.DataFrame:
        """bibliometrix's main-information block computed by SQL (as :meth:`analysis.vigie.Bank.main_information`).

        Returns
        -------
        DataFrame
            ``section``, ``key``, ``label``, ``value``.

        References
        ----------
        Aria, M., & Cuccurullo, C. (2017). bibliometrix: An R-tool for comprehensive science mapping analysis.
        *Journal of Informetrics*, 11(4), 959–975.
        """
        return main_information_frame(self.main_information_dict())

    def close(self) -> None:
        """Close the DuckDB connection."""
        self.con.close()

    def __enter__(self) -> BankDatabase:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def bank_folder(path: str | Path) -> Path:
    """The bank folder ``path`` names: a folder written by :func:`save_bank`, or a cached bank of
    ``data/processed/banks/<key>/`` (its ``db/`` subfolder).

    Parameters
    ----------
    path : str or Path

    Returns
    -------
    Path

    Raises
    ------
    InputFormatError
        When ``path`` does not exist or holds no bank (naming it).
    """
    if not isinstance(path, (str, Path)):
        raise ParameterError(f"expected the path of a bank folder, got {type(path).__name__}", field="path")
    folder = resolve_path(path)
    if not folder.exists():
        raise InputFormatError("no such bank folder (write one with vigie.save_bank(bank, path))", path=folder)
    if folder.is_dir() and not (folder / MARKER).is_file() and (folder / CACHE_SUBFOLDER / MARKER).is_file():
        folder = folder / CACHE_SUBFOLDER
    if not folder.is_dir() or not (folder / MARKER).is_file():
        raise InputFormatError(f"not a bank folder: no {MARKER} (write one with vigie.save_bank(bank, path))",
                               path=folder)
    return folder


def open_bank(path: str | Path) -> BankDatabase:
    """Open a bank folder in DuckDB: views ``works``, ``authorships``, ``keywords``, ``ledger``, ``rejections``,
    ``duplicates``, ``related`` over its Parquet files (nothing is loaded until a query runs).

    Parameters
    ----------
    path : str or Path
        A folder written by :func:`save_bank`, or a cached bank of ``data/processed/banks/<key>/`` (``make
        processed``); relative: to the current folder, else the project root.

    Returns
    -------
    BankDatabase
        ``.sql(query)`` → DataFrame, ``.relation(query)``, ``.con``, ``.main_information()``.

    Raises
    ------
    InputFormatError
        When ``path`` does not exist, is not a bank folder, was written by a newer version, or a table is missing
        or unreadable (naming the folder).

    Examples
    --------
    >>> db = vigie.open_bank("../data/private/my_bank")  # doctest: +SKIP
    >>> db.sql("select source_title, count(*) as n from works group by 1 order by n desc limit 5")  # +SKIP
    """
    folder = bank_folder(path)
    try:
        manifest = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputFormatError(f"{MARKER} cannot be read: {exc}", path=folder) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputFormatError(f"not a bank folder: {MARKER} does not say format {FORMAT!r}", path=folder)
    if int(manifest.get("version", 0)) > VERSION:
        raise InputFormatError(f"bank written by a newer version (format version {manifest.get('version')}, "
                               f"this code reads up to {VERSION}): update the project", path=folder)
    for view in TABLES:
        if not any((folder / view).glob("**/*.parquet")):
            raise InputFormatError(f"bank table {view}/ is missing or empty", path=folder)
    con = duckdb.connect(":memory:")
    try:
        con.execute(views_sql(folder.resolve()))
        for view in TABLES:  # open each file's footer now: a damaged table fails here, naming the bank
            con.sql(f"SELECT * FROM {view} LIMIT 0").fetchall()
    except duckdb.Error as exc:
        con.close()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputFormatError(f"bank tables cannot be read: {first}", path=folder) from None
    return BankDatabase(folder, con, manifest)


def database_size(folder: str | Path) -> int:
    """Bytes of the Parquet files of a bank folder.

    Parameters
    ----------
    folder : str or Path

    Returns
    -------
    int
    """
    return sum(p.stat().st_size for p in Path(folder).glob("**/*.parquet"))


__all__ = ["save_bank", "open_bank", "BankDatabase", "bank_folder", "views_sql", "main_information_sql",
           "main_information_from_aggregates", "main_information_frame", "MAIN_INFORMATION_SQL", "TABLES",
           "YEARS_SQL", "DOCUMENT_TYPES_SQL", "view_columns", "PARTITION_COLUMN",
           "DICTIONARY_COLUMNS", "FORMAT", "VERSION", "database_size"]
