"""The publication bank: read exports, deduplicate across files and sources, keep a ledger, write Parquet.

``build_bank(paths)`` returns a :class:`Bank` with the canonical tables ``works``, ``authorships``,
``keywords``, the per-file ``ledger`` (read == kept + merged + rejected, checked), every ``rejection`` with its
file, record, line and reason, and every merged ``duplicate`` with the rule that matched it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.core.errors import DataIntegrityError, InputFormatError, SchemaError
from analysis.core.text import arrow_strings, fold_arrow
from analysis.vigie import dedupe
from analysis.vigie.names import family_key_arrow
from analysis.vigie.readers import read_file
from analysis.vigie.readers.common import AUTHOR_COLUMNS, RECORD_COLUMNS

WORK_COLUMNS = ["work_id", "doi", "title", "year", "source_title", "doc_type", "language", "cited_by", "abstract",
                "author_keywords", "index_keywords", "origins", "n_authors"]
AUTHORSHIP_COLUMNS = ["work_id", "position", "author", "author_full", "author_id", "affiliation", "country"]
KEYWORD_COLUMNS = ["work_id", "keyword", "keyword_key", "kind"]
LEDGER_COLUMNS = ["file", "format", "encoding", "read", "kept", "merged", "rejected", "note"]
REJECTION_COLUMNS = ["file", "record", "line", "reason"]
DUPLICATE_COLUMNS = ["kept_work_id", "merged_file", "merged_record", "rule", "score"]

def _text(*checks: pa.Check, nullable: bool = False, unique: bool = False) -> pa.Column:
    """A pandas ``string`` column (its dtype is checked by the table, see :func:`_table`)."""
    return pa.Column(None, list(checks), nullable=nullable, unique=unique, metadata={"dtype": "string"})


def _table(name: str, columns: dict[str, pa.Column], **options) -> pa.DataFrameSchema:
    """A strict, ordered table schema whose text columns must have the pandas ``string`` dtype.

    The dtype test is one table-level check: pandera's own ``string`` dtype check tests every value, and even
    a column check costs about 0.3 ms, which made validation a tenth of building a 3,658-record bank."""
    text = [c for c, col in columns.items() if (col.metadata or {}).get("dtype") == "string"]

    def strings(df: pd.DataFrame) -> bool:
        return all(isinstance(df[c].dtype, pd.StringDtype) for c in text if c in df.columns)

    check = pa.Check(strings, name=f"string dtype of {', '.join(text)}",
                     error=f"columns {', '.join(text)} must have the pandas 'string' dtype")
    return pa.DataFrameSchema(columns, checks=[check], strict=True, ordered=True, name=name, **options)


WORKS_SCHEMA = _table("works", {
    "work_id": _text(pa.Check.str_matches(r"^W\d{5,}$"), unique=True),
    "doi": _text(pa.Check.str_startswith("10."), nullable=True),
    "title": _text(),
    "year": pa.Column("Int64", pa.Check.in_range(1500, 2200), nullable=True),
    "source_title": _text(nullable=True),
    "doc_type": _text(nullable=True),
    "language": _text(nullable=True),
    "cited_by": pa.Column("Int64", pa.Check.ge(0), nullable=True),
    "abstract": _text(nullable=True),
    "author_keywords": _text(nullable=True),
    "index_keywords": _text(nullable=True),
    "origins": _text(),
    "n_authors": pa.Column("Int64", pa.Check.ge(0)),
})
AUTHORSHIPS_SCHEMA = _table("authorships", {
    "work_id": _text(),
    "position": pa.Column("Int64", pa.Check.ge(1)),
    "author": _text(),
    "author_full": _text(nullable=True),
    "author_id": _text(nullable=True),
    "affiliation": _text(nullable=True),
    "country": _text(nullable=True),
}, unique=["work_id", "position"])
KEYWORDS_SCHEMA = _table("keywords", {
    "work_id": _text(),
    "keyword": _text(),
    "keyword_key": _text(),
    "kind": _text(pa.Check.isin(["author", "index"])),
})
LEDGER_SCHEMA = _table("ledger", {
    "file": _text(), "format": _text(), "encoding": _text(),
    "read": pa.Column("Int64", pa.Check.ge(0)), "kept": pa.Column("Int64", pa.Check.ge(0)),
    "merged": pa.Column("Int64", pa.Check.ge(0)), "rejected": pa.Column("Int64", pa.Check.ge(0)),
    "note": _text(),
})
SCHEMAS = {"works": WORKS_SCHEMA, "authorships": AUTHORSHIPS_SCHEMA, "keywords": KEYWORDS_SCHEMA,
           "ledger": LEDGER_SCHEMA}


@dataclass
class Bank:
    """Canonical tables of a deduplicated publication corpus, with its ledger."""

    works: pd.DataFrame
    authorships: pd.DataFrame
    keywords: pd.DataFrame
    ledger: pd.DataFrame
    rejections: pd.DataFrame
    duplicates: pd.DataFrame

    TABLES = ("works", "authorships", "keywords", "ledger", "rejections", "duplicates")

    def validate(self) -> None:
        """Check schemas and the ledger identity (read == kept + merged + rejected) for every file."""
        for name, schema in SCHEMAS.items():
            try:
                schema.validate(getattr(self, name), lazy=False)
            except (pa.errors.SchemaError, pa.errors.SchemaErrors) as exc:
                raise SchemaError(f"table {name!r} breaks its schema: {str(exc).splitlines()[0]}") from None
        led = self.ledger
        bad = led[led["read"] != led["kept"] + led["merged"] + led["rejected"]]
        if len(bad):
            row = bad.iloc[0]
            raise DataIntegrityError(
                f"ledger does not balance: read {row['read']} != kept {row['kept']} + merged {row['merged']} "
                f"+ rejected {row['rejected']}", path=str(row["file"]))
        if int(led["kept"].sum()) != len(self.works):
            raise DataIntegrityError(f"ledger keeps {int(led['kept'].sum())} records but works has "
                                     f"{len(self.works)} rows")


def _strings(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    for c in cols:
        df[c] = df[c].astype("string")
    return df


def _rows_of_records(record_numbers: pd.Series, wanted: pd.Series) -> np.ndarray:
    """Position of each wanted record number in ``record_numbers`` (a reader's records, in file order),
    -1 when absent (a record rejected after its authors were read)."""
    have = record_numbers.to_numpy(dtype=np.int64, na_value=-1)
    want = wanted.to_numpy(dtype=np.int64, na_value=-1)
    if len(have) == 0:
        return np.full(len(want), -1, dtype=np.int64)
    if not np.all(np.diff(have) > 0):  # not in increasing order: look each one up
        lookup = pd.Series(np.arange(len(have)), index=have)
        return lookup.reindex(want).fillna(-1).to_numpy(dtype=np.int64)
    pos = np.minimum(np.searchsorted(have, want), len(have) - 1)
    return np.where(have[pos] == want, pos, -1).astype(np.int64)


def _first_author_surnames(records: pd.DataFrame, authors: pd.DataFrame) -> pd.Series:
    """Blocking key of each record: last word of the folded family name of its first author ("do Lago e
    Pretti" and WoS "Pretti" agree); missing when the record lists no author."""
    import pyarrow as pa
    import pyarrow.compute as pc

    is_first = (authors["position"] == 1).to_numpy(dtype=bool, na_value=False)
    rows = authors["row"].to_numpy(dtype=np.int64)[is_first]
    rows, first = np.unique(rows, return_index=True)  # one first author per record (the first listed)
    names = pc.take(arrow_strings(authors["author"]), pa.array(np.nonzero(is_first)[0][first]))
    last_word = pc.struct_field(pc.extract_regex(family_key_arrow(names), pattern=r"(?P<word>[^ ]*)$"), [0])
    keys = np.full(len(records), None, dtype=object)
    keys[rows] = last_word.to_numpy(zero_copy_only=False)
    return pd.Series(keys, index=records.index, dtype="string")


def _work_ids(count: int):  # -> pyarrow string Array
    """W00001, W00002, … (at least five digits, more when the bank is larger)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    width = max(5, len(str(count)))
    digits = pc.utf8_lpad(pa.array(np.arange(1, count + 1)).cast(pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise("W", digits, "")


def pa_take(values, positions: np.ndarray):
    """Arrow ``take`` with numpy positions."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.take(values, pa.array(positions, pa.int64()))


def build_bank(paths: list[str | Path] | tuple[str | Path, ...], formats: dict[str, str] | None = None) -> Bank:
    """Read every file (format detected unless ``formats`` maps a path or file name to one), deduplicate
    across all of them together, and return the bank (validated)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    if not paths:
        raise InputFormatError("no input file given")
    formats = formats or {}
    names: list[str] = []
    results = []
    for p in paths:
        p = Path(p)
        fmt = formats.get(str(p)) or formats.get(p.name)
        res = read_file(p, fmt)
        name = p.name
        if name in names:  # same file name in two folders: keep origins unambiguous
            name = f"{p.parent.name}/{p.name}"
        names.append(name)
        results.append(res)

    rec_parts, auth_parts, rej_parts = [], [], []
    offset = 0
    for i, (name, res) in enumerate(zip(names, results)):
        r = res.records.copy()
        r.insert(0, "file", name)
        r.insert(0, "file_idx", i)
        rec_parts.append(r)
        a = res.authorships.copy()
        a["row"] = _rows_of_records(r["record"], a["record"]) + offset  # row of its record, -1 when none
        a.loc[a["row"] < offset, "row"] = -1
        auth_parts.append(a)
        rj = res.rejections.copy()
        rj.insert(0, "file", name)
        rej_parts.append(rj)
        offset += len(r)
    records = pd.concat(rec_parts, ignore_index=True) if rec_parts else pd.DataFrame(columns=RECORD_COLUMNS)
    authors = pd.concat(auth_parts, ignore_index=True)
    ok = ((authors["row"] >= 0) & authors["author"].notna()).to_numpy()
    authors = authors if ok.all() else authors[ok]

    clusters = dedupe.find_clusters(records, _first_author_surnames(records, authors))
    merged = dedupe.merge_clusters(records, clusters)

    # work ids: clusters in order of their representative (input order) → W00001, W00002, …
    roots = np.sort(merged.index.to_numpy())
    work_ids = _work_ids(len(roots))
    works = merged  # already one row per cluster, in representative order
    works.insert(0, "work_id", pd.arrays.ArrowStringArray(work_ids))

    auth = dedupe.merge_authorships(records, clusters, authors)
    work_of = np.searchsorted(roots, auth["cluster"].to_numpy())  # cluster id -> position of its work
    order = np.lexsort((auth["position"].to_numpy(dtype=np.int64), work_of))  # by work, then position
    work_of = work_of[order]
    auth = auth.iloc[order]
    authorships = pd.DataFrame({
        "work_id": pd.arrays.ArrowStringArray(pa_take(work_ids, work_of)),
        "position": pd.array(np.arange(len(work_of)) - np.searchsorted(work_of, work_of) + 1, dtype="Int64"),
        **{c: auth[c].astype("string").array for c in ("author", "author_full", "author_id", "affiliation",
                                                       "country")},
    })[AUTHORSHIP_COLUMNS]
    works["n_authors"] = pd.array(np.bincount(work_of, minlength=len(roots)), dtype="Int64")
    works = works[WORK_COLUMNS].reset_index(drop=True)
    works = _strings(works, ["work_id", "doi", "title", "source_title", "doc_type", "language", "abstract",
                             "author_keywords", "index_keywords", "origins"])
    works["year"] = works["year"].astype("Int64")
    works["cited_by"] = works["cited_by"].astype("Int64")

    keywords = compute_keywords(works)

    # duplicates and ledger
    is_member = clusters["cluster"].to_numpy() != np.arange(len(records))
    members = np.nonzero(is_member)[0]
    duplicates = pd.DataFrame({
        "kept_work_id": pd.arrays.ArrowStringArray(
            pa_take(work_ids, np.searchsorted(roots, clusters["cluster"].to_numpy()[members]))),
        "merged_file": pd.array(records["file"].to_numpy(dtype=object)[members], dtype="string"),
        "merged_record": pd.array(records["record"].to_numpy()[members], dtype="Int64"),
        "rule": pd.array(clusters["rule"].to_numpy(dtype=object)[members], dtype="string"),
        "score": pd.array(clusters["score"].to_numpy()[members], dtype="Float64"),
    })
    file_idx = records["file_idx"].to_numpy(dtype=np.int64)
    kept_by_file = np.bincount(file_idx[~is_member], minlength=len(results))
    merged_by_file = np.bincount(file_idx[is_member], minlength=len(results))
    ledger = pd.DataFrame({
        "file": pd.array(names, dtype="string"),
        "format": pd.array([r.format for r in results], dtype="string"),
        "encoding": pd.array([r.encoding for r in results], dtype="string"),
        "read": pd.array([r.read for r in results], dtype="Int64"),
        "kept": pd.array(kept_by_file, dtype="Int64"),
        "merged": pd.array(merged_by_file, dtype="Int64"),
        "rejected": pd.array([len(r.rejections) for r in results], dtype="Int64"),
        "note": pd.array([r.note for r in results], dtype="string"),
    })
    rejections = pd.concat(rej_parts, ignore_index=True) if rej_parts else pd.DataFrame(columns=REJECTION_COLUMNS)
    rejections = pd.DataFrame({
        "file": pd.array(rejections["file"].to_numpy(dtype=object), dtype="string"),
        "record": pd.array(rejections["record"], dtype="Int64"),
        "line": pd.array(rejections["line"], dtype="Int64"),
        "reason": pd.array(rejections["reason"].to_numpy(dtype=object), dtype="string"),
    })

    bank = Bank(works, authorships, keywords, ledger, rejections, duplicates)
    bank.validate()
    return bank


def compute_keywords(works: pd.DataFrame) -> pd.DataFrame:
    """Long keyword table: one row per (work, keyword, kind), display spelling kept, folded key for matching
    (the first spelling of a key in a work is kept)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    rows, values, kinds = [], [], []
    for code, col in enumerate(("author_keywords", "index_keywords")):
        lists = pc.split_pattern(arrow_strings(works[col]), pattern="; ")
        flat = pc.utf8_trim_whitespace(pc.list_flatten(lists))
        rows.append(pc.list_parent_indices(lists).to_numpy())
        values.append(flat)
        kinds.append(np.full(len(flat), code, dtype=np.int64))
    keyword = pa.concat_arrays(values)
    row, kind = np.concatenate(rows), np.concatenate(kinds)
    key = fold_arrow(keyword)  # blank and punctuation-only keywords have no key
    key_codes = pc.fill_null(pc.dictionary_encode(key).indices, -1).to_numpy().astype(np.int64)
    first = np.unique(((kind * len(works) + row) << 32) + key_codes, return_index=True)[1] if len(row) else row
    keep = np.sort(first[key_codes[first] >= 0])
    taken = pa.array(keep, pa.int64())
    kw = pd.DataFrame({
        "work_id": pd.arrays.ArrowStringArray(pc.take(arrow_strings(works["work_id"]), pa.array(row[keep]))),
        "keyword": pd.arrays.ArrowStringArray(pc.take(keyword, taken)),
        "keyword_key": pd.arrays.ArrowStringArray(pc.take(key, taken)),
        "kind": pd.arrays.ArrowStringArray(pc.take(pa.array(["author", "index"]), pa.array(kind[keep]))),
    })
    return kw[KEYWORD_COLUMNS]


def write_parquet(bank: Bank, directory: str | Path) -> dict[str, Path]:
    """Write each table as ``<directory>/<table>.parquet``; returns the paths written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    out = {}
    for name in Bank.TABLES:
        path = directory / f"{name}.parquet"
        getattr(bank, name).to_parquet(path, index=False)
        out[name] = path
    return out


def read_parquet(directory: str | Path) -> Bank:
    """Read a bank written by :func:`write_parquet` (schemas checked again)."""
    directory = Path(directory)
    tables = {}
    for name in Bank.TABLES:
        path = directory / f"{name}.parquet"
        if not path.exists():
            raise InputFormatError(f"bank table {name}.parquet is missing", path=directory)
        tables[name] = pd.read_parquet(path)
    bank = Bank(**tables)
    bank.validate()
    return bank


__all__ = ["Bank", "build_bank", "write_parquet", "read_parquet", "compute_keywords", "WORK_COLUMNS",
           "AUTHORSHIP_COLUMNS", "KEYWORD_COLUMNS", "LEDGER_COLUMNS", "REJECTION_COLUMNS", "DUPLICATE_COLUMNS",
           "AUTHOR_COLUMNS"]


_REASONS_FR: list[tuple[str, str]] = [
    (r"^record has no title$", "notice sans titre"),
    (r"^(\d+) fields instead of (\d+) \(record cut short: truncated file or broken quotes\)$",
     r"\1 champs au lieu de \2 (notice tronquée : fichier coupé ou guillemets non fermés)"),
    (r"^(\d+) fields instead of (\d+) \(stray separator or broken quotes\)$",
     r"\1 champs au lieu de \2 (séparateur en trop ou guillemets mal fermés)"),
    (r"^(\d+) fields instead of (\d+) \(truncated or broken row\)$", r"\1 champs au lieu de \2 (ligne tronquée ou abîmée)"),
    (r"^record not closed by ER \(truncated file or missing line\)$",
     "notice non terminée par ER (fichier tronqué ou ligne manquante)"),
    (r"^record not closed by 'ER  -' \(truncated file\)$", "notice non terminée par « ER  - » (fichier tronqué)"),
    (r"^RIS record cannot be parsed(.*)$", r"notice RIS illisible\1"),
    (r"^not a JSON object$", "pas un objet JSON"),
    (r"^BibTeX syntax error in entry starting (.*)$", r"erreur de syntaxe BibTeX dans l'entrée commençant par \1"),
    (r"^duplicate key, entry could not be read$", "clé en double : entrée illisible"),
]


def translate_reason(reason: str, lang: str = "fr") -> str:
    """A rejection reason in the report's language (the ledger keeps the English original); unknown ones unchanged."""
    import re

    if lang != "fr" or not isinstance(reason, str):
        return reason
    for pattern, replacement in _REASONS_FR:
        if re.match(pattern, reason):
            return re.sub(pattern, replacement, reason)
    return reason
