"""Shared pieces of the readers: decoding, the per-file result and its record/authorship tables.

Every reader returns a :class:`ReadResult` — one row per record read (with its record number and line), the
authorships of those records, and the records it had to reject with the reason. Nothing is dropped silently.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.errors import InputFormatError
from analysis.text import clean_space, country_of, normalize_author, normalize_doi_series

RECORD_COLUMNS = [
    "record", "line", "doi", "title", "year", "source_title", "doc_type", "language", "cited_by", "abstract",
    "author_keywords", "index_keywords",
]
AUTHOR_COLUMNS = ["record", "position", "author", "author_full", "author_id", "affiliation", "country"]
REJECTION_COLUMNS = ["record", "line", "reason"]
STRING_RECORD_COLUMNS = [c for c in RECORD_COLUMNS if c not in ("record", "line", "year", "cited_by")]
_COLLAPSE = {"doi", "title", "source_title", "doc_type", "language"}
STRING_AUTHOR_COLUMNS = ["author", "author_full", "author_id", "affiliation", "country"]


@dataclass
class ReadResult:
    """What a reader found in one file."""

    path: Path
    format: str
    encoding: str
    records: pd.DataFrame
    authorships: pd.DataFrame
    rejections: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REJECTION_COLUMNS))
    note: str = ""

    @property
    def read(self) -> int:
        """Records read = records kept by the reader + records it rejected."""
        return len(self.records) + len(self.rejections)


def load_bytes(path: Path) -> bytes:
    """File content, gunzipped when it starts with the gzip magic number."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputFormatError("file not found", path=path) from None
    except IsADirectoryError:
        raise InputFormatError("is a folder, not a file", path=path) from None
    except OSError as exc:
        raise InputFormatError(f"cannot read file ({exc.strerror})", path=path) from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputFormatError(f"damaged gzip file ({exc})", path=path) from None
    return data


def decode(data: bytes, path: Path) -> tuple[str, str, str]:
    """Text, encoding name and ledger note: UTF-8 (BOM or not) first, else cp1252, else latin-1."""
    if not data.strip():
        raise InputFormatError("empty file", path=path)
    if b"\x00" in data[:4096]:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            try:
                return data.decode("utf-16"), "utf-16", "decoded as UTF-16"
            except UnicodeDecodeError:
                pass
        raise InputFormatError("binary file (NUL bytes), not a bibliographic export", path=path)
    try:
        text = data.decode("utf-8-sig")
        return text, ("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"), ""
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        note = f"not UTF-8 (first bad byte on line {line}); decoded as "
    try:
        return data.decode("cp1252"), "cp1252", note + "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1", note + "latin-1"


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR (seen in WoS RIS exports) → LF."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def to_int(value: object) -> int | None:
    """Leading integer of a value ("2021", "2021-05", "Cited by: 8" handled by callers), else None."""
    if value is None:
        return None
    text = str(value).strip()
    digits = ""
    for ch in text:
        if ch.isdigit():
            digits += ch
        elif digits:
            break
    if not digits or len(digits) > 9:
        return None
    return int(digits)


def year_of(value: object) -> int | None:
    """Four-digit year found in a value ("2020-01-15", "NOV 2024", "2021"), plausibility-checked."""
    if value is None:
        return None
    import re

    m = re.search(r"(?<!\d)(1[5-9]\d\d|20\d\d|21\d\d)(?!\d)", str(value))
    return int(m.group(1)) if m else None


def join_keywords(values: object, sep: str = ";") -> str | None:
    """Keywords as one "; "-joined string (list, or a string separated by ``sep``), blanks dropped."""
    if values is None:
        return None
    if isinstance(values, str):
        items = values.split(sep)
    else:
        items = list(values)  # type: ignore[arg-type]
    out = [k for k in (clean_space(str(i)) for i in items if i is not None) if k]
    return "; ".join(out) if out else None


def records_frame(rows: list[dict]) -> pd.DataFrame:
    """Records table with fixed columns and dtypes from a list of dicts."""
    df = pd.DataFrame(rows, columns=RECORD_COLUMNS)
    return coerce_records(df)


def coerce_records(df: pd.DataFrame) -> pd.DataFrame:
    """Fixed column order and dtypes; DOIs normalised; blank strings → missing."""
    for col in RECORD_COLUMNS:
        if col not in df.columns:
            df[col] = None
    df = df[RECORD_COLUMNS].copy()
    df["record"] = pd.array(df["record"], dtype="Int64")
    df["line"] = pd.array(df["line"], dtype="Int64")
    df["year"] = pd.to_numeric(df["year"], errors="coerce").astype("Int64")
    df["cited_by"] = pd.to_numeric(df["cited_by"], errors="coerce").astype("Int64")
    import pyarrow as pa
    import pyarrow.compute as pc

    for col in STRING_RECORD_COLUMNS:  # Arrow kernels: these columns hold every abstract of the file
        arr = arrow_strings(df[col], combine=False)
        if col in _COLLAPSE:  # long fields (abstract, keywords) are only trimmed
            arr = pc.replace_substring_regex(arr, pattern=r"[ \t\r\n]+", replacement=" ")
        arr = pc.utf8_trim_whitespace(arr)
        arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)
        df[col] = pd.Series(pd.arrays.ArrowStringArray(arr), index=df.index, dtype="string")
    df["doi"] = normalize_doi_series(df["doi"])
    return df


def authors_frame(rows: list[dict]) -> pd.DataFrame:
    """Authorship table with fixed columns and dtypes from a list of dicts."""
    df = pd.DataFrame(rows, columns=AUTHOR_COLUMNS)
    return coerce_authors(df)


def coerce_authors(df: pd.DataFrame) -> pd.DataFrame:
    """Fixed column order and dtypes for an authorship table."""
    for col in AUTHOR_COLUMNS:
        if col not in df.columns:
            df[col] = None
    df = df[AUTHOR_COLUMNS].copy()
    df["record"] = pd.array(df["record"], dtype="Int64")
    df["position"] = pd.array(df["position"], dtype="Int64")
    for col in STRING_AUTHOR_COLUMNS:
        s = df[col].astype("string").str.strip()
        df[col] = s.mask(s == "")
    return df


def rejections_frame(rows: list[dict]) -> pd.DataFrame:
    """Rejection table (record, line, reason)."""
    df = pd.DataFrame(rows, columns=REJECTION_COLUMNS)
    df["record"] = pd.array(df["record"], dtype="Int64")
    df["line"] = pd.array(df["line"], dtype="Int64")
    df["reason"] = df["reason"].astype("string")
    return df


def author_rows(record: int, names: list[str], full: list[str] | None = None,
                affiliations: list[str | None] | None = None, ids: list[str | None] | None = None) -> list[dict]:
    """Authorship dicts for one record, position 1-based, country derived from the affiliation."""
    rows = []
    for i, name in enumerate(names):
        fullname = full[i] if full and i < len(full) else None
        aff = affiliations[i] if affiliations and i < len(affiliations) else None
        norm = normalize_author(name) or normalize_author(fullname)
        if not norm:
            continue
        rows.append({
            "record": record, "position": len(rows) + 1, "author": norm,
            "author_full": clean_space(fullname) or clean_space(name),
            "author_id": ids[i] if ids and i < len(ids) else None,
            "affiliation": clean_space(aff), "country": country_of(aff),
        })
    return rows


def json_items_result(path: Path, fmt: str, encoding: str, note: str, items, to_record) -> "ReadResult":
    """Records of a JSON export given as ``(line, item, problem)`` triples (OpenAlex, Crossref): an item that
    failed to parse or is not an object becomes a ledger rejection; ``to_record(item, record, line)`` gives
    ``(record dict, authorship dicts)`` for the others."""
    rejections: list[dict] = []
    rows, authors = [], []
    for record, (line, item, problem) in enumerate(items, start=1):
        if problem or not isinstance(item, dict):
            rejections.append({"record": record, "line": line, "reason": problem or "not a JSON object"})
            continue
        rec, auth = to_record(item, record, line)
        rows.append(rec)
        authors.extend(auth)
    return finish(path, fmt, encoding, note, records_frame(rows), authors_frame(authors), rejections)


def finish(path: Path, fmt: str, encoding: str, note: str, records: pd.DataFrame, authors: pd.DataFrame,
           rejections: list[dict]) -> ReadResult:
    """Reject records without a title (nothing to identify them by), then package the result."""
    missing = records["title"].isna()
    if missing.any():
        bad = records.loc[missing]
        rejections = rejections + [
            {"record": int(r), "line": (int(ln) if pd.notna(ln) else None), "reason": "record has no title"}
            for r, ln in zip(bad["record"], bad["line"])
        ]
        records = records.loc[~missing]
        authors = authors.loc[authors["record"].isin(records["record"])]
    rej = rejections_frame(rejections).sort_values("record", kind="stable").reset_index(drop=True)
    return ReadResult(Path(path), fmt, encoding, records.reset_index(drop=True),
                      authors.reset_index(drop=True), rej, note)


def json_documents(text: str, path: Path) -> tuple[object | None, list[tuple[int, object | None, str | None]]]:
    """A whole JSON document, or (when the text is JSON Lines) one (line, object or None, error) per line."""
    import json

    stripped = text.lstrip("\ufeff").strip()
    try:
        return json.loads(stripped), []
    except json.JSONDecodeError as exc:
        lines = stripped.split("\n")
        first_ok = False
        try:
            first_ok = isinstance(json.loads(lines[0]), dict)
        except json.JSONDecodeError:
            pass
        if len([x for x in lines if x.strip()]) < 2 or not first_ok:
            raise InputFormatError(f"invalid JSON ({exc.msg})", path=path, line=exc.lineno) from None
    out: list[tuple[int, object | None, str | None]] = []
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            out.append((lineno, json.loads(line), None))
        except json.JSONDecodeError as e:
            out.append((lineno, None, f"invalid JSON line ({e.msg}; truncated or broken record)"))
    return None, out


def arrow_strings(values: pd.Series, combine: bool = True):  # -> pyarrow.Array | pyarrow.ChunkedArray
    """A string column as pyarrow strings, without copying when the column is already Arrow-backed.

    ``combine=False`` keeps the chunks (enough for element-wise kernels; avoids copying big columns).
    """
    import pyarrow as pa

    arr = getattr(values.array, "_pa_array", None)  # Arrow-backed "str"/"string" columns (pandas >= 2)
    if arr is None or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        try:
            arr = pa.array(values.astype("string").array)
        except (TypeError, pa.ArrowInvalid):
            arr = pa.array(values.to_numpy(dtype=object, na_value=None), type=pa.string())
    if isinstance(arr, pa.ChunkedArray) and combine:
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if arr.type != pa.string():
        arr = arr.cast(pa.string())
    return arr


def explode_split(values: pd.Series, sep: str) -> pd.DataFrame:
    """Long table of a separator-joined column: ``row`` (0-based position in ``values``), ``position``
    (1-based inside the row) and ``value`` (stripped; blanks dropped), computed with Arrow kernels."""
    import numpy as np
    import pyarrow.compute as pc

    arr = arrow_strings(values)
    lists = pc.split_pattern(arr, pattern=sep)
    flat = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    parents = pc.list_parent_indices(lists).to_numpy()
    offsets = lists.offsets.to_numpy()
    pos = np.arange(len(parents)) - offsets[parents] + 1
    out = pd.DataFrame({"row": parents, "position": pos,
                        "value": pd.Series(pd.arrays.ArrowStringArray(flat), dtype="string")})
    keep = (out["value"].notna() & (out["value"] != "")).to_numpy()
    if not keep.all():
        out = out[keep].reset_index(drop=True)
        out["position"] = out.groupby("row").cumcount() + 1
    return out
