"""Scopus CSV export ("all fields"; comma or semicolon separated, UTF-8 with or without BOM).

Read with pyarrow's CSV parser (fast); when that parser refuses the file, the standard csv module reads it row by
row to name the bad lines: a row with the wrong number of fields is rejected in the ledger, a file that cannot be
split into rows at all raises :class:`InputFormatError` with the line. A row identical to the header (two exports
joined with ``cat``) is a header again, skipped and noted, never a document titled "Title". Scopus writes "&" as
"& amp;" inside affiliations, which would split an affiliation list in the wrong place: it is read as "&". The
``EID`` is kept as ``database_id`` (``scopus:2-s2.0-…``); an author with several affiliations gets the country of
each in ``countries``.
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
import pyarrow.csv as pacsv

from analysis.core.errors import InputFormatError
from analysis.vigie.names import country_arrow, country_of, normalize_author
from analysis.vigie.readers.common import (
    ReadResult,
    authors_from_arrow,
    coerce_authors,
    finish,
    records_from_arrow,
    rejection,
    wide_csv_fields,
)

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
    """"," or ";" — whichever splits the header line (outside quotes) into more fields.

    Parameters
    ----------
    header_line : str

    Returns
    -------
    str
    """
    outside = re.sub(r'"[^"]*"', "", header_line)
    return ";" if outside.count(";") > outside.count(",") else ","


def _header(text: str) -> tuple[str, list[str]]:
    first = text.split("\n", 1)[0].lstrip("\ufeff").rstrip("\r")
    delim = sniff_delimiter(first)
    cols = next(csv.reader([first], delimiter=delim))
    return delim, [c.strip().lstrip("\ufeff") for c in cols]


def _read_strict(text: str, path: Path, delim: str, ncols: int) -> tuple[pd.DataFrame, list[dict], list[int], int]:
    """Row-by-row fallback: (good rows, rejections, start line of each good row, repeated header rows)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    rows: list[list[str]] = []
    lines: list[int] = []
    rejections: list[dict] = []
    record = 0
    prev_end = 0
    repeats = 0
    try:
        with wide_csv_fields():
            header = next(reader)
            clean_header = [c.strip().lstrip("\ufeff") for c in header]
            prev_end = reader.line_num
            for row in reader:
                start = prev_end + 1
                prev_end = reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):  # a blank line is no record
                    continue
                if [c.strip().lstrip("\ufeff") for c in row] == clean_header:  # a second export's header
                    repeats += 1
                    continue
                record += 1
                if len(row) != ncols:
                    code = "truncated_record" if len(row) < ncols else "extra_fields"
                    rejections.append(rejection(record, start, code, fields=len(row), expected=ncols))
                    continue
                rows.append(row)
                lines.append(start)
    except csv.Error as exc:
        raise InputFormatError(f"CSV cannot be split into rows ({exc}); check quotes", path=path,
                               line=prev_end + 1) from None
    df = pd.DataFrame(rows, columns=clean_header) if rows else pd.DataFrame(columns=clean_header)
    rejected = {x["record"] for x in rejections}
    df.insert(0, "__record", [r for r in range(1, record + 1) if r not in rejected])
    return df, rejections, lines, repeats


def _row_lines(text: str, delim: str) -> list[int]:
    """Start line of every data row (only computed when a value holds a line break)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    out = []
    with wide_csv_fields():
        next(reader, None)
        prev = reader.line_num
        for row in reader:
            if row and any(c.strip() for c in row):
                out.append(prev + 1)
            prev = reader.line_num
    return out


def read_scopus_csv(path: Path, text: str, encoding: str, note: str = "") -> ReadResult:
    """Records and authorships of a Scopus CSV export.

    Parameters
    ----------
    path : Path
        The file (for messages and the result).
    text : str
        Its decoded text.
    encoding : str
    note : str
        Ledger note of the decoding.

    Returns
    -------
    ReadResult
    """
    delim, cols = _header(text)
    _check_columns(cols, path)
    rejections: list[dict] = []
    lines: list[int] | None = None
    repeats = 0
    try:
        table = _parse(text.encode("utf-8"), delim, cols, text.rstrip("\n").count("\n"))
        records = np.arange(1, table.num_rows + 1)
        columns = {c: table.column(i) for i, c in enumerate(table.column_names)}
    except pa.ArrowException:  # pyarrow refuses the file: locate the bad lines with the csv module
        df, rejections, lines, repeats = _read_strict(text, path, delim, len(cols))
        records = df["__record"].to_numpy()
        columns = {c: pa.array(df[c].to_numpy(dtype=object), pa.string()) for c in _USED if c in df.columns}
    if lines is None:
        # one physical line per row unless quoted fields contain newlines
        n = len(records)
        lines = list(range(2, n + 2)) if text.rstrip("\n").count("\n") == n else _row_lines(text, delim)
        columns, records, lines, repeats = _without_headers(columns, records, lines)
    return _from_columns(path, columns, records, lines, encoding, _header_note(note, repeats), rejections)


def _without_headers(columns: dict, records: np.ndarray, lines: list[int]) -> tuple[dict, np.ndarray, list[int], int]:
    """The parsed rows without those that repeat the header (every used column holds its own name), records
    numbered again; and how many there were."""
    if "Title" not in columns or len(records) == 0:
        return columns, records, lines, 0
    title = pc.utf8_trim(columns["Title"], characters=" \ufeff")
    if not pc.any(pc.fill_null(pc.equal(title, "Title"), False)).as_py():  # the usual case: one look at one column
        return columns, records, lines, 0
    is_header = None
    for name, values in columns.items():
        same = pc.fill_null(pc.equal(pc.utf8_trim(values, characters=" \ufeff"), name), False)
        is_header = same if is_header is None else pc.and_(is_header, same)
    repeats = int(pc.sum(is_header).as_py() or 0)
    if not repeats:
        return columns, records, lines, 0
    keep = pc.invert(is_header)
    kept = keep.to_numpy(zero_copy_only=False) if not isinstance(keep, pa.ChunkedArray) else \
        keep.combine_chunks().to_numpy(zero_copy_only=False)
    columns = {c: pc.filter(v, keep) for c, v in columns.items()}
    lines = [ln for ln, k in zip(lines, kept) if k] if len(lines) == len(kept) else lines
    return columns, np.arange(1, int(kept.sum()) + 1), lines, repeats


def _header_note(note: str, repeats: int) -> str:
    if not repeats:
        return note
    extra = f"{repeats} repeated header row{'s' if repeats > 1 else ''} skipped (exports joined into one file)"
    return "; ".join(x for x in (note, extra) if x)


def read_scopus_csv_bytes(path: Path, data: bytes) -> ReadResult | None:
    """Fast path for large UTF-8 exports: pyarrow parses the bytes directly (no decode/encode round trip).

    Returns None when the file needs the general path (not UTF-8, bad rows, missing columns…).

    Parameters
    ----------
    path : Path
    data : bytes
        The file's UTF-8 bytes.

    Returns
    -------
    ReadResult or None
        None when the fast path cannot read it (the caller decodes and retries).
    """
    parsed = parse_scopus_csv_bytes(path, data)
    return None if parsed is None else from_parsed(parsed)


def from_parsed(parsed: tuple) -> ReadResult:
    """Records and authorships of an export parsed by :func:`parse_scopus_csv_bytes` (the raw bytes are not
    needed any more: the caller frees them first, so a big file and its records are never in memory together).

    Parameters
    ----------
    parsed : tuple
        What :func:`parse_scopus_csv_bytes` returned.

    Returns
    -------
    ReadResult
    """
    return _from_columns(*parsed)


def parse_scopus_csv_bytes(path: Path, data: bytes) -> tuple | None:
    """The used columns of a UTF-8 Scopus CSV export, parsed by pyarrow from its bytes (first half of
    :func:`read_scopus_csv_bytes`); None when the file needs the general path.

    Parameters
    ----------
    path : Path
    data : bytes
        The file's UTF-8 bytes.

    Returns
    -------
    tuple or None
        The arguments of the second half (:func:`from_parsed`).
    """
    bom = data.startswith(b"\xef\xbb\xbf")
    body = memoryview(data)[3:] if bom else memoryview(data)  # no copy of a big buffer
    end = data.find(b"\n", 3 if bom else 0) - (3 if bom else 0)
    try:
        first = bytes(body[:end] if end >= 0 else body).decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return None
    delim = sniff_delimiter(first)
    try:
        cols = [c.strip().lstrip("\ufeff") for c in next(csv.reader([first], delimiter=delim))]
    except (csv.Error, StopIteration):
        return None
    if any(c not in cols for c in REQUIRED):
        return None
    newlines = data.count(b"\n") - (1 if data.endswith(b"\n") else 0)
    try:
        table = _parse(body, delim, cols, newlines)
    except pa.ArrowException:  # invalid UTF-8 or a bad row: the general path explains it
        return None
    n = table.num_rows
    columns = {c: table.column(i) for i, c in enumerate(table.column_names)}
    if newlines == n:
        lines: list[int] = list(range(2, n + 2))
    else:
        lines = _row_lines(bytes(body).decode("utf-8"), delim)
    columns, records, lines, repeats = _without_headers(columns, np.arange(1, n + 1), lines)
    return (path, columns, records, lines, "utf-8-sig" if bom else "utf-8", _header_note("", repeats), [])


# the columns the bank uses; the others (references, links, ISSN…) are not converted at all
_AUTHOR_SOURCES = ["Authors", "Author full names", "Author(s) ID", "Authors with affiliations", "Affiliations"]
_USED = [*COLUMN_MAP, *_AUTHOR_SOURCES, "EID"]


def _parse(body: bytes | memoryview, delim: str, cols: list[str], data_lines: int) -> pa.Table:
    """The used columns of a CSV body (header line included) as Arrow strings, empty fields as ''.

    pyarrow first reads assuming no value holds a line break (faster, multi-threaded); unless that gives one
    record per data line (``data_lines``), it reads again allowing them. Raises ``pyarrow.ArrowInvalid`` on a
    row with the wrong number of fields or invalid UTF-8."""
    try:
        table = _parse_once(body, delim, cols, newlines_in_values=False)
        if table.num_rows == data_lines:
            return table
    except pa.ArrowInvalid:
        pass
    return _parse_once(body, delim, cols, newlines_in_values=True)


def _parse_once(body: bytes | memoryview, delim: str, cols: list[str], newlines_in_values: bool) -> pa.Table:
    # positional names: a header may repeat a name, and the first matching column is the one used
    positional = [f"c{i}" for i in range(len(cols))]
    wanted = {}
    for i, c in enumerate(cols):
        if c in _USED and c not in wanted:
            wanted[c] = positional[i]
    table = pacsv.read_csv(
        pa.BufferReader(pa.py_buffer(body)),
        read_options=pacsv.ReadOptions(column_names=positional, skip_rows=1),
        parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=newlines_in_values),
        convert_options=pacsv.ConvertOptions(include_columns=list(wanted.values()),
                                             column_types={v: pa.string() for v in wanted.values()},
                                             strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    return table.rename_columns(list(wanted))


def _check_columns(cols: list[str], path: Path) -> None:
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise InputFormatError(f"required Scopus column {missing[0]!r} is missing from the header", path=path,
                               line=1, field=missing[0])


def _from_columns(path: Path, columns: dict, records: np.ndarray, lines: list[int], encoding: str, note: str,
                  rejections: list[dict]) -> ReadResult:
    """Records and authorships from the export's columns (Arrow string arrays, one value per record)."""
    fields = {dst: columns.get(src) for src, dst in COLUMN_MAP.items()}
    eid = columns.get("EID")
    if eid is not None:
        eid = pc.utf8_trim_whitespace(eid)
        fields["database_id"] = pc.if_else(pc.equal(eid, ""), pa.scalar(None, pa.string()),
                                           pc.binary_join_element_wise("scopus:", eid, ""))
    for name in ("Authors with affiliations", "Affiliations"):  # "&" exported as "& amp;" (HTML escape cut in two)
        if columns.get(name) is not None:  # chunk by chunk: a chunk without it is kept as it is, not copied
            column = columns[name]
            chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
            columns = {**columns, name: pa.chunked_array(
                [pc.replace_substring(c, pattern="& amp;", replacement="&")
                 if pc.any(pc.match_substring(c, "& amp;")).as_py() else c for c in chunks], pa.string())}
    table = records_from_arrow(records, lines, fields)
    authors = _authorships(columns, records)
    return finish(path, "scopus_csv", encoding, note, table, authors, rejections)


def _split(arr, sep: str) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """(row, 1-based position, value) of every item of a separator-joined column; values trimmed, blanks
    dropped before positions are counted."""
    lists = pc.split_pattern(arr, pattern=sep)
    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks()
    values = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    rows = pc.list_parent_indices(lists).to_numpy()
    nonblank = pc.fill_null(pc.not_equal(values, ""), False)
    if not pc.all(nonblank).as_py():
        keep = nonblank.to_numpy(zero_copy_only=False)
        rows, values = rows[keep], pc.filter(values, nonblank)
    return rows, _positions(rows), values


def _positions(rows: np.ndarray) -> np.ndarray:
    """1-based rank of each item inside its row (``rows`` sorted)."""
    return np.arange(len(rows)) - np.searchsorted(rows, rows, side="left") + 1


def _nth(parts, k: int):  # pyarrow list array -> its k-th elements (null where the list is shorter)
    sliced = pc.list_slice(parts, k, k + 1)
    flat = pc.list_flatten(sliced)
    parents = pc.list_parent_indices(sliced).to_numpy()
    idx = np.full(len(parts), -1, dtype=np.int64)
    idx[parents] = np.arange(len(flat))
    return pc.take(flat, pa.array(idx, mask=idx < 0))


def _aligned(base_rows: np.ndarray, rows: np.ndarray, values: pa.Array, n: int) -> pa.Array:
    """``values`` placed on the base authorships, by position, for the records whose item counts agree with
    the author list (otherwise unknown rather than wrong); both inputs are ordered by (row, position)."""
    ok_row = np.bincount(rows, minlength=n) == np.bincount(base_rows, minlength=n)
    idx = np.full(len(base_rows), -1, dtype=np.int64)
    idx[ok_row[base_rows]] = np.nonzero(ok_row[rows])[0]
    return pc.take(values, pa.array(idx, mask=idx < 0))


def _authorships(columns: dict, records: np.ndarray) -> pd.DataFrame:
    """Vectorised authorships: Authors, Author full names, Author(s) ID, Authors with affiliations by position."""
    n = len(records)
    authors = columns.get("Authors")
    if authors is None or n == 0:
        return coerce_authors(pd.DataFrame())
    sep = "; "
    if not pc.any(pc.match_substring(authors, ";")).as_py() and pc.any(pc.match_substring(authors, ".,")).as_py():
        sep = ", "  # older Scopus exports separate authors with commas
    rows, position, names = _split(authors, sep)
    real = pc.invert(pc.match_substring_regex(names, _NO_AUTHOR.pattern))
    if not pc.all(real).as_py():
        keep = real.to_numpy(zero_copy_only=False)
        rows, position, names = rows[keep], position[keep], pc.filter(names, real)
    if len(rows) == 0:
        return coerce_authors(pd.DataFrame())
    null = pa.scalar(None, pa.string())
    author_full, id_from_full, author_id, aff = (pa.nulls(len(rows), pa.string()) for _ in range(4))
    if columns.get("Author full names") is not None:
        f_rows, _, full = _split(columns["Author full names"], "; ")
        # "Parise, Orlando (6603398373)": split at the last " (" (no regex: this runs on every authorship)
        parts = pc.split_pattern(full, pattern=" (", max_splits=1, reverse=True)
        has_id = pc.equal(pc.list_value_length(parts), 2)
        author_full = _aligned(rows, f_rows, pc.if_else(has_id, _nth(parts, 0), full), n)
        id_from_full = _aligned(rows, f_rows, pc.if_else(has_id, pc.utf8_rtrim(_nth(parts, 1), characters=") "),
                                                         null), n)
    if columns.get("Author(s) ID") is not None:
        i_rows, _, ids = _split(columns["Author(s) ID"], ";")
        author_id = _aligned(rows, i_rows, ids, n)
    if columns.get("Authors with affiliations") is not None:
        a_rows, _, affs = _split(columns["Authors with affiliations"], "; ")
        aff = _aligned(rows, a_rows, affs, n)
    # Scopus writes "de Asmundis C." / "Li X.-Y.": insert the comma vectorised, normalise the rest one by one
    fast = pc.replace_substring_regex(names, pattern=r"\s+((?:\p{Lu}[a-z]?\.-?)+)$", replacement=r", \1")
    slow = pc.equal(fast, names)
    if pc.any(slow).as_py():
        distinct = pc.unique(pc.filter(names, slow))
        normalized = pa.array([normalize_author(v) for v in distinct.to_pylist()], pa.string())
        fast = pc.if_else(slow, pc.take(normalized, pc.index_in(names, distinct)), fast)
    author_id = pc.coalesce(author_id, id_from_full)
    author_full = pc.coalesce(author_full, names)
    # "Parise O., Department …, Belgium" → drop the leading author name; an entry that is just the name has
    # no affiliation
    parts = pc.split_pattern(aff, pattern=", ", max_splits=1)
    two = pc.equal(pc.list_value_length(parts), 2)
    starts_with_name = pc.fill_null(pc.and_(two, pc.equal(_nth(parts, 0), names)), False)
    affiliation = pc.if_else(starts_with_name, _nth(parts, 1), aff)
    affiliation = pc.if_else(pc.fill_null(pc.equal(affiliation, names), False), null, affiliation)
    country = country_arrow(affiliation)
    countries = _every_country(affiliation, rows, columns.get("Affiliations"), country)
    return authors_from_arrow(records[rows], position, {
        "author": fast, "author_full": author_full, "author_id": author_id, "affiliation": affiliation,
        "country": country, "countries": countries})


def _every_country(affiliation: pa.Array, rows: np.ndarray, affiliations, country: pa.Array) -> pa.Array:
    """Every country of each author: Scopus joins an author's affiliations with ", " in one text, so a part of it
    equal to the last part (the country) of one of the record's own ``Affiliations`` items is one of the author's
    countries; authors with one affiliation, or matching none, keep ``country``.

    Only a text whose length is none of the record's affiliations' lengths can hold two of them: only those texts
    are split (Arrow kernels)."""
    if affiliations is None or len(rows) == 0:
        return country
    if isinstance(affiliation, pa.ChunkedArray):
        affiliation = affiliation.combine_chunks()
    if isinstance(affiliations, pa.ChunkedArray):
        affiliations = affiliations.combine_chunks()
    # an author's text is one of the record's affiliations (the usual case) or joins several: it then has a length
    # that none of them has (a cheap test on lengths, no string compared)
    i_rows, _, items = _split(affiliations, "; ")
    stride = 1 << 32
    item_keys = np.sort(i_rows.astype(np.int64) * stride + pc.binary_length(items).to_numpy())
    length = pc.fill_null(pc.binary_length(affiliation), 0).to_numpy()
    text_keys = rows.astype(np.int64) * stride + length
    at = np.minimum(np.searchsorted(item_keys, text_keys), max(len(item_keys) - 1, 0))
    one = (item_keys[at] == text_keys) if len(item_keys) else np.zeros(len(text_keys), dtype=bool)
    where = np.nonzero(~one & (length > 0))[0]
    if len(where) == 0:
        return country
    # the record's own affiliations: (record row, last part) -> country, for the records of those authors only
    keep = np.isin(i_rows, rows[where])
    records, items = i_rows[keep], pc.filter(items, pa.array(keep))
    parts = pc.split_pattern(items, pattern=", ", max_splits=1, reverse=True)
    last = pc.take(pc.list_flatten(parts), pa.array(parts.offsets.to_numpy()[1:] - 1, pa.int64()))
    last = pc.utf8_rtrim(pc.utf8_trim_whitespace(last), characters=". ")
    distinct = pc.dictionary_encode(last)  # a few hundred distinct countries as written
    names = pa.array([country_of(f"x, {v}") for v in distinct.dictionary.to_pylist()], pa.string())
    last_code = distinct.indices.to_numpy().astype(np.int64)
    known = pc.is_valid(names).to_numpy(zero_copy_only=False)[last_code]
    n_names = len(names) + 1
    item_keys = np.unique(records[known].astype(np.int64) * n_names + last_code[known])
    # every part of those authors' texts, coded like the countries as written (-1: not one of them)
    lists = pc.split_pattern(pc.take(affiliation, pa.array(where)), pattern=", ")
    owner = pc.list_parent_indices(lists).to_numpy()
    part = pc.utf8_rtrim(pc.utf8_trim_whitespace(pc.list_flatten(lists)), characters=". ")
    part_code = pc.fill_null(pc.index_in(part, value_set=distinct.dictionary), -1).to_numpy().astype(np.int64)
    part_keys = rows[where][owner].astype(np.int64) * n_names + part_code
    at = np.minimum(np.searchsorted(item_keys, part_keys), max(len(item_keys) - 1, 0))
    hit = (part_code >= 0) & (item_keys[at] == part_keys) if len(item_keys) else np.zeros(len(part_keys), bool)
    if not hit.any():
        return country
    owners = where[owner[hit]]
    codes = pc.dictionary_encode(pc.take(names, pa.array(part_code[hit])))
    code = codes.indices.to_numpy()
    # distinct countries per authorship, in order of first appearance
    first = np.sort(np.unique(owners.astype(np.int64) * (len(codes.dictionary) + 1) + code, return_index=True)[1])
    owners, code = owners[first], code[first]
    starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    joined = pc.binary_join(pa.ListArray.from_arrays(pa.array(np.r_[starts, len(owners)], pa.int32()),
                                                     pc.take(codes.dictionary, pa.array(code))), "; ")
    idx = np.full(len(affiliation), -1, dtype=np.int64)
    idx[owners[starts]] = np.arange(len(starts))
    return pc.coalesce(pc.take(joined, pa.array(idx, mask=idx < 0)), country)


def scopus_bib_cited_by(note: str | None) -> int | None:
    """"Cited by: 8" (note field of newer Scopus BibTeX) → 8.

    Parameters
    ----------
    note : str or None
        A Scopus BibTeX ``note`` field.

    Returns
    -------
    int or None
    """
    if not note:
        return None
    m = re.search(r"Cited by:?\s*(\d+)", note, re.IGNORECASE)
    return int(m.group(1)) if m else None


__all__ = ["read_scopus_csv", "read_scopus_csv_bytes", "sniff_delimiter", "SIGNATURE", "scopus_bib_cited_by"]
