"""Scopus CSV export ("all fields"; comma or semicolon separated, UTF-8 with or without BOM).

Read with pandas' pyarrow engine (fast); when that parser refuses the file, the standard csv module reads it
row by row to name the bad lines: a row with the wrong number of fields is rejected in the ledger, a file that
cannot be split into rows at all raises :class:`InputFormatError` with the line.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.errors import InputFormatError
from analysis.readers.common import (
    ReadResult, arrow_strings, coerce_authors, coerce_records, explode_split, finish,
)
from analysis.text import country_series, normalize_author

SIGNATURE = {"Authors", "Author full names", "Author(s) ID", "Source title", "Cited by", "EID", "Link",
             "Document Type", "Authors with affiliations", "Index Keywords", "Abbreviated Source Title"}
REQUIRED = ["Title"]
COLUMN_MAP = {
    "DOI": "doi", "Title": "title", "Year": "year", "Source title": "source_title", "Document Type": "doc_type",
    "Language of Original Document": "language", "Cited by": "cited_by", "Abstract": "abstract",
    "Author Keywords": "author_keywords", "Index Keywords": "index_keywords",
}
_NO_AUTHOR = re.compile(r"^\[No author", re.IGNORECASE)


def sniff_delimiter(header_line: str) -> str:
    """"," or ";" — whichever splits the header line (outside quotes) into more fields."""
    outside = re.sub(r'"[^"]*"', "", header_line)
    return ";" if outside.count(";") > outside.count(",") else ","


def _header(text: str) -> tuple[str, list[str]]:
    first = text.split("\n", 1)[0].lstrip("\ufeff").rstrip("\r")
    delim = sniff_delimiter(first)
    cols = next(csv.reader([first], delimiter=delim))
    return delim, [c.strip().lstrip("\ufeff") for c in cols]


def _read_strict(text: str, path: Path, delim: str, ncols: int) -> tuple[pd.DataFrame, list[dict], list[int]]:
    """Row-by-row fallback: (good rows, rejections, start line of each good row)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    rejections: list[dict] = []
    record = 0
    prev_end = 0
    try:
        header = next(reader)
        prev_end = reader.line_num
        for row in reader:
            start = prev_end + 1
            prev_end = reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            record += 1
            if len(row) != ncols:
                reason = (f"{len(row)} fields instead of {ncols}"
                          + (" (record cut short: truncated file or broken quotes)" if len(row) < ncols else
                             " (stray separator or broken quotes)"))
                rejections.append({"record": record, "line": start, "reason": reason})
                continue
            rows.append(row)
            lines.append(start)
    except csv.Error as exc:
        raise InputFormatError(f"CSV cannot be split into rows ({exc}); check quotes", path=path,
                               line=prev_end + 1) from None
    df = pd.DataFrame(rows, columns=[c.strip().lstrip("\ufeff") for c in header]) if rows else \
        pd.DataFrame(columns=[c.strip().lstrip("\ufeff") for c in header])
    rejected = {x["record"] for x in rejections}
    df.insert(0, "__record", [r for r in range(1, record + 1) if r not in rejected])
    return df, rejections, lines


def _row_lines(text: str, delim: str) -> list[int]:
    """Start line of every data row (only computed when a rejection needs it)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    next(reader, None)
    out = []
    prev = reader.line_num
    for row in reader:
        if row and any(c.strip() for c in row):
            out.append(prev + 1)
        prev = reader.line_num
    return out


def read_scopus_csv(path: Path, text: str, encoding: str, note: str = "") -> ReadResult:
    """Records and authorships of a Scopus CSV export."""
    delim, cols = _header(text)
    _check_columns(cols, path)
    rejections: list[dict] = []
    lines: list[int] | None = None
    try:
        df = pd.read_csv(io.BytesIO(text.encode("utf-8")), engine="pyarrow", dtype=str, sep=delim,
                         keep_default_na=False)
        df.columns = cols
        df.insert(0, "__record", range(1, len(df) + 1))
    except Exception:  # noqa: BLE001 - pyarrow refuses: locate the bad lines with the csv module
        df, rejections, lines = _read_strict(text, path, delim, len(cols))
    if lines is None:
        # one physical line per row unless quoted fields contain newlines
        lines = list(range(2, len(df) + 2)) if text.rstrip("\n").count("\n") == len(df) else _row_lines(text, delim)
    return _from_frame(path, df, lines, encoding, note, rejections)


def read_scopus_csv_bytes(path: Path, data: bytes) -> ReadResult | None:
    """Fast path for large UTF-8 exports: pyarrow parses the bytes directly (no decode/encode round trip).

    Returns None when the file needs the general path (not UTF-8, bad rows, missing columns…).
    """
    bom = data.startswith(b"\xef\xbb\xbf")
    body = data[3:] if bom else data
    end = body.find(b"\n")
    try:
        first = (body[:end] if end >= 0 else body).decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return None
    delim = sniff_delimiter(first)
    try:
        cols = [c.strip().lstrip("\ufeff") for c in next(csv.reader([first], delimiter=delim))]
    except (csv.Error, StopIteration):
        return None
    if any(c not in cols for c in REQUIRED):
        return None
    try:
        df = pd.read_csv(io.BytesIO(body), engine="pyarrow", dtype=str, sep=delim, keep_default_na=False)
    except Exception:  # noqa: BLE001 - invalid UTF-8 or a bad row: the general path explains it
        return None
    if len(df.columns) != len(cols):
        return None
    df.columns = cols
    df.insert(0, "__record", range(1, len(df) + 1))
    n = len(df)
    newlines = body.count(b"\n") - (1 if body.endswith(b"\n") else 0)  # no copy of a big buffer
    if newlines == n:
        lines: list[int] = list(range(2, n + 2))
    else:
        lines = _row_lines(body.decode("utf-8"), delim)
    return _from_frame(path, df, lines, "utf-8-sig" if bom else "utf-8", "", [])


def _check_columns(cols: list[str], path: Path) -> None:
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise InputFormatError(f"required Scopus column {missing[0]!r} is missing from the header", path=path,
                               line=1, field=missing[0])


def _from_frame(path: Path, df: pd.DataFrame, lines: list[int], encoding: str, note: str,
                rejections: list[dict]) -> ReadResult:
    n = len(df)
    present = {k: v for k, v in COLUMN_MAP.items() if k in df.columns}
    out = df[["__record", *present]].rename(columns={"__record": "record", **present}).reset_index(drop=True)
    out["line"] = lines if len(lines) == n else None
    out["year"] = pd.to_numeric(out["year"], errors="coerce")
    out["cited_by"] = pd.to_numeric(out["cited_by"], errors="coerce")
    records = coerce_records(out)
    authors = _authorships(df)
    return finish(path, "scopus_csv", encoding, note, records, authors, rejections)


def _split_long(df: pd.DataFrame, column: str, sep: str, name: str) -> pd.DataFrame:
    """Long table (record, position, name) of a separator-joined column."""
    if column not in df.columns:
        return pd.DataFrame(columns=["record", "position", name])
    long = explode_split(df[column], sep)
    rec = df["__record"].to_numpy()
    return pd.DataFrame({"record": rec[long["row"].to_numpy()], "position": long["position"].to_numpy(),
                         name: long["value"].to_numpy()})


def _nth(parts, k: int):  # pyarrow list array -> its k-th elements (null where the list is shorter)
    import numpy as np
    import pyarrow as pa

    sliced = pc.list_slice(parts, k, k + 1)
    flat = pc.list_flatten(sliced)
    parents = pc.list_parent_indices(sliced).to_numpy()
    idx = np.full(len(parts), -1, dtype=np.int64)
    idx[parents] = np.arange(len(flat))
    return pc.take(flat, pa.array(idx, mask=idx < 0))


def _authorships(df: pd.DataFrame) -> pd.DataFrame:
    """Vectorised authorships: Authors, Author full names, Author(s) ID, Authors with affiliations by position."""
    sep = "; "
    if "Authors" in df.columns and not df["Authors"].str.contains(";", regex=False).any() \
            and df["Authors"].str.contains(".,", regex=False).any():
        sep = ", "  # older Scopus exports separate authors with commas
    base = _split_long(df, "Authors", sep, "name")
    base = base[~base["name"].str.match(_NO_AUTHOR.pattern) & (base["name"] != "")]
    if base.empty:
        return coerce_authors(pd.DataFrame())
    full = _split_long(df, "Author full names", "; ", "full")
    if not full.empty:

        # "Parise, Orlando (6603398373)": split at the last " (" (no regex: this runs on every authorship)
        parts = pc.split_pattern(arrow_strings(full["full"]), pattern=" (", max_splits=1, reverse=True)
        has_id = pc.equal(pc.list_value_length(parts), 2)
        name = pc.if_else(has_id, _nth(parts, 0), arrow_strings(full["full"]))
        ident = pc.if_else(has_id, pc.utf8_rtrim(_nth(parts, 1), characters=") "), None)
        full["author_full"] = pd.Series(pd.arrays.ArrowStringArray(name), index=full.index, dtype="string")
        full["id_from_full"] = pd.Series(pd.arrays.ArrowStringArray(ident), index=full.index, dtype="string")
    ids = _split_long(df, "Author(s) ID", ";", "author_id")
    if not ids.empty:
        ids = ids[ids["author_id"] != ""]
        ids["position"] = ids.groupby("record").cumcount() + 1
    aff = _split_long(df, "Authors with affiliations", "; ", "aff")
    # align by position inside each record, only where the counts agree (otherwise unknown rather than wrong);
    # every long table is ordered by (record, position), so aligned rows are taken in order (no merge)
    out = base.reset_index(drop=True)
    size = int(max(out["record"].max(), *(p["record"].max() for p in (full, ids, aff) if not p.empty))) + 1
    base_counts = np.bincount(out["record"].to_numpy(dtype=np.int64), minlength=size)
    for part, cols in ((full, ["author_full", "id_from_full"]), (ids, ["author_id"]), (aff, ["aff"])):
        if part.empty:
            continue
        prec = part["record"].to_numpy(dtype=np.int64)
        ok_rec = np.bincount(prec, minlength=size) == base_counts
        p_ok = ok_rec[prec]
        b_ok = ok_rec[out["record"].to_numpy(dtype=np.int64)]
        idx = np.full(len(out), -1, dtype=np.int64)
        idx[b_ok] = np.nonzero(p_ok)[0]
        take = pa.array(idx, mask=idx < 0)
        for c in cols:
            out[c] = pd.Series(pd.arrays.ArrowStringArray(pc.take(arrow_strings(part[c]), take)), dtype="string")
    names = out["name"].astype("string")
    # Scopus writes "de Asmundis C." / "Li X.-Y.": insert the comma vectorised, normalise the rest one by one

    fast = pd.Series(pd.arrays.ArrowStringArray(pc.replace_substring_regex(
        arrow_strings(names), pattern=r"\s+((?:\p{Lu}[a-z]?\.-?)+)$", replacement=r", \1")),
        index=names.index, dtype="string")
    done = fast != names
    uniq = {v: normalize_author(v) for v in names[~done].dropna().unique()}
    out["author"] = fast.where(done, names.map(uniq))
    if "author_id" not in out.columns:
        out["author_id"] = out.get("id_from_full")
    elif "id_from_full" in out.columns:
        out["author_id"] = out["author_id"].fillna(out["id_from_full"])
    if "author_full" not in out.columns:
        out["author_full"] = out["name"]
    else:
        out["author_full"] = out["author_full"].fillna(out["name"])
    if "aff" in out.columns:
        # "Parise O., Department …, Belgium" → drop the leading author name
        parts = pc.split_pattern(arrow_strings(out["aff"]), pattern=", ", max_splits=1)
        two = pc.equal(pc.list_value_length(parts), 2)
        head = pd.Series(pd.arrays.ArrowStringArray(pc.if_else(two, _nth(parts, 0), None)),
                         index=out.index, dtype="string")
        rest = pd.Series(pd.arrays.ArrowStringArray(pc.if_else(two, _nth(parts, 1), None)),
                         index=out.index, dtype="string")
        a = out["aff"].astype("string")
        a = rest.where((head == out["name"].astype("string")).fillna(False), a)
        a = a.mask((a == out["name"].astype("string")).fillna(False))  # entry is just the name: no affiliation
        out["affiliation"] = a
        out["country"] = country_series(a)
    return coerce_authors(out)


def scopus_bib_cited_by(note: str | None) -> int | None:
    """"Cited by: 8" (note field of newer Scopus BibTeX) → 8."""
    if not note:
        return None
    m = re.search(r"Cited by:?\s*(\d+)", note, re.IGNORECASE)
    return int(m.group(1)) if m else None


__all__ = ["read_scopus_csv", "read_scopus_csv_bytes", "sniff_delimiter", "SIGNATURE", "scopus_bib_cited_by"]
