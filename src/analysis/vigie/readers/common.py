"""Shared pieces of the readers: decoding, the per-file result and its record/authorship tables.

Every reader returns a :class:`ReadResult` — one row per record read (with its record number and line), the
authorships of those records, and the records it had to reject with the reason. Nothing is dropped silently.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import io
import json
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.core.errors import InputFormatError
from analysis.core.text import arrow_strings, clean_space
from analysis.vigie.names import country_of, normalize_author, normalize_doi_arrow

RECORD_COLUMNS = [
    "record", "line", "doi", "title", "year", "source_title", "doc_type", "language", "cited_by", "abstract",
    "author_keywords", "index_keywords", "database_id",
]
AUTHOR_COLUMNS = ["record", "position", "author", "author_full", "author_id", "affiliation", "country", "countries"]

#: Plausible publication years; a record outside them is rejected with its line (the works table's schema uses them).
YEAR_MIN, YEAR_MAX = 1500, 2200
#: The most text a reader accepts from one file, in bytes (after gunzip): larger inputs are refused, not swapped in.
MAX_INPUT_BYTES = 2 * 1024 ** 3
#: A gzip file that expands more than this many times its own size, beyond :data:`GZIP_RATIO_FLOOR` bytes, is refused
#: as a decompression bomb (bibliographic text compresses about 4 to 10 times).
MAX_GZIP_RATIO = 100
GZIP_RATIO_FLOOR = 64 * 1024 ** 2
REJECTION_COLUMNS = ["record", "line", "code", "reason", "detail"]

#: Why a reader rejects a record: a stable code (what the report translates) → its English wording, whose fields
#: come from the rejection's ``detail``.
REJECTION_REASONS: dict[str, str] = {
    "no_title": "record has no title",
    "truncated_record": "{fields} fields instead of {expected} (record cut short: truncated file or broken quotes)",
    "extra_fields": "{fields} fields instead of {expected} (stray separator or broken quotes)",
    "broken_row": "{fields} fields instead of {expected} (truncated or broken row)",
    "unclosed_wos_record": "record not closed by ER (truncated file or missing line)",
    "unclosed_ris_record": "record not closed by 'ER  -' (truncated file)",
    "ris_parse_error": "RIS record cannot be parsed ({error})",
    "ris_not_one_record": "RIS record cannot be parsed",
    "not_json_object": "not a JSON object",
    "invalid_json_line": "invalid JSON line ({error}; truncated or broken record)",
    "invalid_json_item": "JSON item cannot be read: {error}",
    "bibtex_syntax_error": "BibTeX syntax error in entry starting {entry!r}",
    "duplicate_key": "duplicate key, entry could not be read",
    "year_out_of_range": "publication year {value} outside {low}–{high}",
    "negative_citations": "negative citation count ({value})",
    "bibtex_stray_brace": "a stray '}}' ends the entry early and the fields after it could not be recovered",
    "bibtex_unread_entry": "entry started here but the BibTeX parser read nothing of it (unbalanced braces?)",
}
STRING_RECORD_COLUMNS = [c for c in RECORD_COLUMNS if c not in ("record", "line", "year", "cited_by")]
_COLLAPSE = {"doi", "title", "source_title", "doc_type", "language", "database_id"}
STRING_AUTHOR_COLUMNS = ["author", "author_full", "author_id", "affiliation", "country", "countries"]


@dataclass
class ReadResult:
    """What a reader found in one file.

    ``started`` is the number of records the raw text starts, counted independently of the parser
    (:mod:`analysis.vigie.readers.count`); :func:`analysis.vigie.readers.read_file` checks that it equals kept +
    rejected. ``repaired`` counts the field values whose bytes were not UTF-8 and were decoded on their own.
    """

    path: Path
    format: str
    encoding: str
    records: pd.DataFrame
    authorships: pd.DataFrame
    rejections: pd.DataFrame = field(default_factory=lambda: rejections_frame([]))
    note: str = ""
    started: int | None = None
    repaired: int = 0

    @property
    def read(self) -> int:
        """Records read: the records the file starts (the independent count), else kept + rejected."""
        return self.started if self.started is not None else len(self.records) + len(self.rejections)


def load_bytes(path: Path) -> bytes:
    """File content, gunzipped when it starts with the gzip magic number, within :data:`MAX_INPUT_BYTES`.

    A gzip file is expanded piece by piece and refused as soon as it exceeds :data:`MAX_INPUT_BYTES`, or
    :data:`MAX_GZIP_RATIO` times its own size beyond :data:`GZIP_RATIO_FLOOR` bytes (a decompression bomb), before
    it can exhaust memory.

    Parameters
    ----------
    path : Path

    Returns
    -------
    bytes

    Raises
    ------
    InputFormatError
        When the file is missing, a folder, unreadable, damaged gzip, or too large once expanded.
    """
    try:
        size = Path(path).stat().st_size
        if size > MAX_INPUT_BYTES and Path(path).is_file():
            raise InputFormatError(f"file of {size / 1024 ** 2:,.0f} MB is larger than the "
                                   f"{MAX_INPUT_BYTES / 1024 ** 2:,.0f} MB a reader accepts; split the export",
                                   path=path)
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputFormatError("file not found", path=path) from None
    except IsADirectoryError:
        raise InputFormatError("is a folder, not a file", path=path) from None
    except OSError as exc:
        raise InputFormatError(f"cannot read file ({exc.strerror})", path=path) from None
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, path)
    return data


def _gunzip(data: bytes, path: Path) -> bytes:
    """The expanded content of gzip bytes (several members allowed), refused beyond the size and ratio limits."""
    limit = min(MAX_INPUT_BYTES, max(GZIP_RATIO_FLOOR, MAX_GZIP_RATIO * len(data)))
    parts: list[bytes] = []
    total = 0
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while True:
                part = stream.read(1 << 24)
                if not part:
                    break
                total += len(part)
                if total > limit:
                    why = (f"more than {MAX_GZIP_RATIO} times its compressed size" if limit < MAX_INPUT_BYTES
                           else f"more than the {MAX_INPUT_BYTES / 1024 ** 2:,.0f} MB a reader accepts")
                    raise InputFormatError(
                        f"gzip file of {len(data) / 1024 ** 2:,.1f} MB expands to {why} (over "
                        f"{limit / 1024 ** 2:,.0f} MB): refused as a possible decompression bomb; if the export is "
                        "genuine, unzip it and split it", path=path)
                parts.append(part)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputFormatError(f"damaged gzip file ({exc})", path=path) from None
    return b"".join(parts)


@dataclass
class Decoded:
    """A file's text, its encoding, the ledger note and the number of field values repaired byte by byte."""

    text: str
    encoding: str
    note: str = ""
    repaired: int = 0


def decode(data: bytes, path: Path) -> tuple[str, str, str]:
    """Text, encoding name and ledger note (see :func:`decode_text`).

    Parameters
    ----------
    data : bytes
    path : Path

    Returns
    -------
    (str, str, str)

    Raises
    ------
    InputFormatError
    """
    d = decode_text(data, path)
    return d.text, d.encoding, d.note


_FIELD_BOUNDARY = re.compile(rb'[",;\t\n{}]')
_errors = threading.local()


def _cp1252_fallback(exc: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: the bytes that are not UTF-8 are decoded as cp1252 (latin-1 for the five bytes cp1252
    leaves undefined) and their position is remembered."""
    bad = exc.object[exc.start: exc.end]
    _errors.runs.append((exc.start, exc.end))
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad), exc.end


codecs.register_error("vigie-cp1252-fallback", _cp1252_fallback)


def decode_text(data: bytes, path: Path) -> Decoded:
    """Decode an export: UTF-8 (BOM or not); a UTF-8 file with a few bad bytes is repaired value by value; a file
    that is not UTF-8 at all is read as cp1252 (French Excel), else latin-1.

    One non-UTF-8 byte in one title must not turn the whole file into mojibake: when the file holds more valid
    UTF-8 multi-byte characters than invalid bytes, it is decoded as UTF-8 and each invalid byte run alone is
    decoded as cp1252. The encoding stays ``utf-8`` and the repaired field values are counted (runs separated by a
    field boundary — quote, comma, semicolon, tab, line break or brace — count as distinct values) and named by
    line in the note.

    Parameters
    ----------
    data : bytes
    path : Path

    Returns
    -------
    Decoded

    Raises
    ------
    InputFormatError
        When the file is empty or binary.
    """
    if not data.strip():
        raise InputFormatError("empty file", path=path)
    if b"\x00" in data[:4096]:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            try:
                return Decoded(data.decode("utf-16"), "utf-16", "decoded as UTF-16")
            except UnicodeDecodeError:
                pass
        raise InputFormatError("binary file (NUL bytes), not a bibliographic export", path=path)
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as exc:
        first_line = data[: exc.start].count(b"\n") + 1
    _errors.runs = []
    try:
        text = data.decode("utf-8-sig", errors="vigie-cp1252-fallback")
        runs = _errors.runs
    finally:
        _errors.runs = []
    bad_bytes = sum(end - start for start, end in runs)
    non_ascii = len(data) - len(data.decode("ascii", errors="ignore"))
    if non_ascii - bad_bytes > bad_bytes:  # mostly valid UTF-8: repair the bad values, not the file
        values = [runs[0]]
        for start, end in runs[1:]:
            if _FIELD_BOUNDARY.search(data, values[-1][1], start):
                values.append((start, end))
        lines = sorted({data.count(b"\n", 0, start) + 1 for start, _ in values})
        shown = ", ".join(str(x) for x in lines[:5]) + (", …" if len(lines) > 5 else "")
        note = (f"{len(values)} field value(s) held bytes that are not UTF-8, decoded as cp1252 "
                f"(line{'s' if len(lines) > 1 else ''} {shown})")
        return Decoded(text, "utf-8-sig" if bom else "utf-8", note, len(values))
    note = f"not UTF-8 (first bad byte on line {first_line}); decoded as "
    try:
        return Decoded(data.decode("cp1252"), "cp1252", note + "cp1252")
    except UnicodeDecodeError:
        return Decoded(data.decode("latin-1"), "latin-1", note + "latin-1")


@contextlib.contextmanager
def wide_csv_fields() -> Iterator[None]:
    """Lift the csv module's 128 KB field limit for the duration (a record listing 2,900 authors and their
    affiliations has fields far larger), then restore it."""
    previous = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2 ** 31 - 1))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR (seen in WoS RIS exports) → LF.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def to_int(value: object) -> int | None:
    """Leading integer of a value ("2021", "2021-05", "Cited by: 8" handled by callers), else None.

    Parameters
    ----------
    value : object

    Returns
    -------
    int or None
    """
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
    """Four-digit year found in a value ("2020-01-15", "NOV 2024", "2021"), plausibility-checked.

    Parameters
    ----------
    value : object

    Returns
    -------
    int or None
    """
    if value is None:
        return None
    m = re.search(r"(?<!\d)(1[5-9]\d\d|20\d\d|21\d\d)(?!\d)", str(value))
    return int(m.group(1)) if m else None


def join_keywords(values: object, sep: str = ";") -> str | None:
    """Keywords as one "; "-joined string (list, or a string separated by ``sep``), blanks dropped.

    Parameters
    ----------
    values : str, list or None
    sep : str

    Returns
    -------
    str or None
    """
    if values is None:
        return None
    if isinstance(values, str):
        items = values.split(sep)
    else:
        items = list(values)  # type: ignore[arg-type]
    out = [k for k in (clean_space(str(i)) for i in items if i is not None) if k]
    return "; ".join(out) if out else None


def records_frame(rows: list[dict]) -> pd.DataFrame:
    """Records table with fixed columns and dtypes from a list of dicts.

    Parameters
    ----------
    rows : list of dict

    Returns
    -------
    DataFrame
    """
    df = pd.DataFrame(rows, columns=RECORD_COLUMNS)
    return coerce_records(df)


def coerce_records(df: pd.DataFrame) -> pd.DataFrame:
    """Fixed column order and dtypes; DOIs normalised; blank strings → missing.

    Parameters
    ----------
    df : DataFrame

    Returns
    -------
    DataFrame
    """
    n = len(df)
    data: dict[str, object] = {
        "record": pd.array(df["record"], dtype="Int64") if "record" in df else pd.array([None] * n, dtype="Int64"),
        "line": pd.array(df["line"], dtype="Int64") if "line" in df else pd.array([None] * n, dtype="Int64"),
    }
    for col in ("year", "cited_by"):
        data[col] = (pd.to_numeric(df[col], errors="coerce").astype("Int64").array if col in df
                     else pd.array([None] * n, dtype="Int64"))
    data.update(clean_text_columns({c: arrow_strings(df[c], combine=False) for c in STRING_RECORD_COLUMNS
                                    if c in df}, n))
    return pd.DataFrame(data, index=df.index)[RECORD_COLUMNS]


def records_from_arrow(record: np.ndarray, lines: list[int] | None, fields: dict) -> pd.DataFrame:
    """Records table (fixed columns and dtypes) from Arrow string columns holding one value per record, as a
    CSV export gives them: text cleaned as in :func:`coerce_records`, year and citation count read as
    integers (anything else → missing).

    Parameters
    ----------
    record : ndarray
    lines : list of int or None
    fields : dict
        Column → pyarrow string array.

    Returns
    -------
    DataFrame
    """
    n = len(record)
    data: dict[str, object] = {
        "record": pd.array(record, dtype="Int64"),
        "line": pd.array(lines if lines is not None and len(lines) == n else [None] * n, dtype="Int64"),
        "year": _integers(fields.get("year"), n),
        "cited_by": _integers(fields.get("cited_by"), n),
    }
    data.update(clean_text_columns({c: fields[c] for c in STRING_RECORD_COLUMNS if fields.get(c) is not None}, n))
    return pd.DataFrame({c: data[c] for c in RECORD_COLUMNS})


def clean_text_columns(fields: dict, n: int) -> dict[str, pd.arrays.ArrowStringArray]:
    """Every text column of the records table: trimmed, inner whitespace collapsed in the short fields
    (:data:`_COLLAPSE`), blanks → missing, DOI normalised; absent columns all missing.

    Parameters
    ----------
    fields : dict
    n : int
        Records.

    Returns
    -------
    dict
    """
    out = {}
    for col in STRING_RECORD_COLUMNS:
        arr = fields.get(col)
        if arr is None:
            out[col] = pd.arrays.ArrowStringArray(pa.nulls(n, pa.string()))
            continue
        if col in _COLLAPSE:  # long fields (abstract, keywords) are only trimmed
            if isinstance(arr, pa.ChunkedArray):
                arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
            # only values holding a tab, a line break or a double space change: rewrite those alone
            needs = pc.fill_null(pc.match_substring_regex(arr, r"[\t\r\n]|  "), False)
            if pc.any(needs).as_py():
                arr = pc.replace_with_mask(arr, needs, pc.replace_substring_regex(
                    pc.filter(arr, needs), pattern=r"[ \t\r\n]+", replacement=" "))
        if col in _COLLAPSE:
            arr = _blank_to_null(_trim_whitespace(arr))
        else:  # long text (abstracts, keywords): chunk by chunk, so unchanged chunks are shared, never copied
            chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
            arr = pa.chunked_array([_blank_to_null(_trim_whitespace(c)) for c in chunks], pa.string())
        if col == "doi":
            arr = normalize_doi_arrow(arr)
        out[col] = pd.arrays.ArrowStringArray(arr)
    return out


def _string_parts(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, data bytes) of an Arrow ``string`` array, as numpy views (no copy)."""
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset: arr.offset + len(arr) + 1]
    data = arr.buffers()[2]
    return offsets, np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)


def _trim_whitespace(arr) -> pa.Array:
    """``utf8_trim_whitespace``, computed only for the values that can change: a value whose first and last bytes
    are printable ASCII (neither a control, a space nor part of a multi-byte character) keeps its bytes, and a
    column where every value is such (the usual case for abstracts and titles) is returned as it is, not copied."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if arr.type != pa.string() or len(arr) == 0:
        return pc.utf8_trim_whitespace(arr)
    offsets, data = _string_parts(arr)
    start, end = offsets[:-1], offsets[1:]
    filled = end > start
    first = np.zeros(len(arr), dtype=np.uint8)
    last = np.zeros(len(arr), dtype=np.uint8)
    first[filled], last[filled] = data[start[filled]], data[end[filled] - 1]
    maybe = filled & ((first <= 0x20) | (first >= 0x7F) | (last <= 0x20) | (last >= 0x7F))
    if not maybe.any():
        return arr
    mask = pa.array(maybe)
    picked = pc.filter(arr, mask)
    trimmed = pc.utf8_trim_whitespace(picked)  # non-ASCII ends ("©", "é") are mostly not spaces: nothing changes
    if pc.all(pc.equal(pc.binary_length(picked), pc.binary_length(trimmed))).as_py():
        return arr
    return pc.replace_with_mask(arr, mask, trimmed)


def _blank_to_null(arr: pa.Array) -> pa.Array:
    """Empty strings → missing, by a new validity bitmap over the same offsets and bytes (no copy of the text)."""
    if arr.type != pa.string() or arr.offset != 0 or len(arr) == 0:
        return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)
    offsets, _ = _string_parts(arr)
    blank = offsets[1:] == offsets[:-1]
    if not blank.any():
        return arr
    valid = ~blank
    if arr.null_count:
        valid &= pc.is_valid(arr).to_numpy(zero_copy_only=False)
    bitmap = pa.py_buffer(np.packbits(valid, bitorder="little").tobytes())
    buffers = arr.buffers()
    return pa.Array.from_buffers(pa.string(), len(arr), [bitmap, buffers[1], buffers[2]],
                                 null_count=int(len(arr) - valid.sum()))


def _integers(arr, n: int) -> pd.arrays.IntegerArray:
    """Whole numbers from text ("2021", " 8 "); blanks and anything else → missing (as ``pd.to_numeric``)."""
    if arr is None:
        return pd.array([None] * n, dtype="Int64")
    trimmed = pc.utf8_trim_whitespace(arr)
    digits = pc.fill_null(pc.match_substring_regex(trimmed, r"^[0-9]{1,18}$"), False)
    blank = pc.fill_null(pc.equal(trimmed, ""), True)
    if not pc.all(pc.or_(digits, blank)).as_py():  # decimals, signs, words: pandas decides
        series = pd.Series(pd.arrays.ArrowStringArray(arr.cast(pa.string())))
        return pd.to_numeric(series, errors="coerce").astype("Int64").array
    values = pc.cast(pc.if_else(digits, trimmed, "0"), pa.int64()).to_numpy()
    return pd.arrays.IntegerArray(values, ~digits.to_numpy(zero_copy_only=False))


def authors_frame(rows: list[dict]) -> pd.DataFrame:
    """Authorship table with fixed columns and dtypes from a list of dicts.

    Parameters
    ----------
    rows : list of dict

    Returns
    -------
    DataFrame
    """
    df = pd.DataFrame(rows, columns=AUTHOR_COLUMNS)
    return coerce_authors(df)


def coerce_authors(df: pd.DataFrame) -> pd.DataFrame:
    """Fixed column order and dtypes for an authorship table.

    Parameters
    ----------
    df : DataFrame

    Returns
    -------
    DataFrame
    """
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


def authors_from_arrow(record: np.ndarray, position: np.ndarray, fields: dict) -> pd.DataFrame:
    """Authorship table (fixed columns and dtypes) from Arrow string columns, one value per authorship:
    text trimmed, blanks → missing (as :func:`coerce_authors`, without going through pandas strings).

    Parameters
    ----------
    record, position : ndarray
    fields : dict

    Returns
    -------
    DataFrame
    """
    n = len(record)
    data: dict[str, object] = {"record": pd.array(record, dtype="Int64"),
                               "position": pd.array(position, dtype="Int64")}
    for col in STRING_AUTHOR_COLUMNS:
        arr = fields.get(col)
        if arr is None:
            arr = pa.nulls(n, pa.string())
        else:
            arr = pc.utf8_trim_whitespace(arr)
            arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)
        data[col] = pd.arrays.ArrowStringArray(arr)
    return pd.DataFrame(data)  # columns already in AUTHOR_COLUMNS order


def rejection(record: int | None, line: int | None, code: str, **detail: object) -> dict:
    """One rejected record: its number and line, a stable ``code`` (a key of :data:`REJECTION_REASONS`), the
    English ``reason`` and the ``detail`` that fills it (JSON text, missing when the reason has no field).

    Parameters
    ----------
    record, line : int or None
    code : str
        A key of :data:`REJECTION_REASONS`.
    **detail
        The fields of its reason.

    Returns
    -------
    dict
    """
    template = REJECTION_REASONS[code]
    return {"record": record, "line": line, "code": code, "reason": template.format(**detail),
            "detail": json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None}


def rejection_detail(detail: object) -> dict[str, object]:
    """The fields of a rejection's ``detail`` (JSON text) as a dict; empty when it has none.

    Parameters
    ----------
    detail : str or None

    Returns
    -------
    dict
    """
    if not isinstance(detail, str) or not detail:
        return {}
    value = json.loads(detail)
    return value if isinstance(value, dict) else {}


def rejections_frame(rows: list[dict]) -> pd.DataFrame:
    """Rejection table (record, line, code, reason, detail) from :func:`rejection` dicts.

    Parameters
    ----------
    rows : list of dict

    Returns
    -------
    DataFrame
    """
    return pd.DataFrame({
        "record": pd.array([r.get("record") for r in rows], dtype="Int64"),
        "line": pd.array([r.get("line") for r in rows], dtype="Int64"),
        "code": pd.array([r.get("code") for r in rows], dtype="string"),
        "reason": pd.array([r.get("reason") for r in rows], dtype="string"),
        "detail": pd.array([r.get("detail") for r in rows], dtype="string"),
    })


def author_rows(record: int, names: list[str], full: list[str] | None = None,
                affiliations: list[str | None] | None = None, ids: list[str | None] | None = None,
                all_affiliations: list[list[str]] | None = None) -> list[dict]:
    """Authorship dicts for one record, position 1-based, country derived from the affiliation, and ``countries``
    from every affiliation of the author (``all_affiliations``; the one affiliation when not given).

    Parameters
    ----------
    record : int
    names : list of str
    full, affiliations, ids : list, optional
    all_affiliations : list of list of str, optional
        Every affiliation of each author (Web of Science lists an author once per address).

    Returns
    -------
    list of dict
    """
    rows = []
    for i, name in enumerate(names):
        fullname = full[i] if full and i < len(full) else None
        aff = affiliations[i] if affiliations and i < len(affiliations) else None
        norm = normalize_author(name) or normalize_author(fullname)
        if not norm:
            continue
        every = all_affiliations[i] if all_affiliations and i < len(all_affiliations) and all_affiliations[i] \
            else [aff]
        rows.append({
            "record": record, "position": len(rows) + 1, "author": norm,
            "author_full": clean_space(fullname) or clean_space(name),
            "author_id": ids[i] if ids and i < len(ids) else None,
            "affiliation": clean_space(aff), "country": country_of(aff),
            "countries": join_countries(country_of(a) for a in every),
        })
    return rows


def join_countries(countries) -> str | None:
    """Distinct countries in order of first appearance, ``"; "``-joined (None when there is none).

    Parameters
    ----------
    countries : iterable of str or None

    Returns
    -------
    str or None
    """
    out: list[str] = []
    for c in countries:
        if isinstance(c, str) and c and c not in out:
            out.append(c)
    return "; ".join(out) if out else None


def json_items_result(path: Path, fmt: str, encoding: str, note: str, items, to_record) -> "ReadResult":
    """Records of a JSON export given as ``(line, item, problem)`` triples (OpenAlex, Crossref): an item that
    failed to parse or is not an object becomes a ledger rejection; ``to_record(item, record, line)`` gives
    ``(record dict, authorship dicts)`` for the others. A ``problem`` is the JSON parser's message.

    Parameters
    ----------
    path : Path
    fmt, encoding, note : str
    items : iterable of (line, item, problem)
    to_record : callable

    Returns
    -------
    ReadResult
    """
    rejections: list[dict] = []
    rows, authors = [], []
    items = list(items)
    for record, (line, item, problem) in enumerate(items, start=1):
        if problem:
            rejections.append(rejection(record, line, "invalid_json_line", error=problem))
            continue
        if not isinstance(item, dict):
            rejections.append(rejection(record, line, "not_json_object"))
            continue
        rec, auth = to_record(item, record, line)
        rows.append(rec)
        authors.extend(auth)
    result = finish(path, fmt, encoding, note, records_frame(rows), authors_frame(authors), rejections)
    result.started = len(items)  # the items of the document, or the non-blank lines of JSON Lines
    return result


def finish(path: Path, fmt: str, encoding: str, note: str, records: pd.DataFrame, authors: pd.DataFrame,
           rejections: list[dict]) -> ReadResult:
    """Reject records without a title (nothing to identify them by), with a publication year outside
    :data:`YEAR_MIN`–:data:`YEAR_MAX` or a negative citation count (each with its record and line; the rest of the
    file is kept), then package the result.

    Parameters
    ----------
    path : Path
    fmt, encoding, note : str
    records, authors : DataFrame
    rejections : list of dict

    Returns
    -------
    ReadResult
    """
    missing = records["title"].isna().to_numpy()
    year = records["year"].to_numpy(dtype="float64", na_value=np.nan)
    cited = records["cited_by"].to_numpy(dtype="float64", na_value=np.nan)
    bad_year = ~missing & ((year < YEAR_MIN) | (year > YEAR_MAX))
    bad_cited = ~missing & ~bad_year & (cited < 0)
    drop = missing | bad_year | bad_cited
    if drop.any():
        def where(mask: np.ndarray) -> list[tuple[int, int | None]]:
            return [(int(r), int(ln) if pd.notna(ln) else None)
                    for r, ln in zip(records["record"].to_numpy()[mask], records["line"].to_numpy()[mask])]

        rejections = list(rejections)
        rejections += [rejection(r, ln, "no_title") for r, ln in where(missing)]
        rejections += [rejection(r, ln, "year_out_of_range", value=int(v), low=YEAR_MIN, high=YEAR_MAX)
                       for (r, ln), v in zip(where(bad_year), year[bad_year])]
        rejections += [rejection(r, ln, "negative_citations", value=int(v))
                       for (r, ln), v in zip(where(bad_cited), cited[bad_cited])]
        records = records.loc[~drop]
        authors = authors.loc[authors["record"].isin(records["record"])]
    rej = rejections_frame(rejections)
    if len(rej) > 1:
        rej = rej.sort_values("record", kind="stable").reset_index(drop=True)
    return ReadResult(Path(path), fmt, encoding, records.reset_index(drop=True),
                      authors.reset_index(drop=True), rej, note)


def json_documents(text: str, path: Path) -> tuple[object | None, list[tuple[int, object | None, str | None]]]:
    """A whole JSON document, or (when the text is JSON Lines) one (line, object or None, error) per line.

    Parameters
    ----------
    text : str
    path : Path

    Returns
    -------
    (object or None, list)

    Raises
    ------
    InputFormatError
    """
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
            out.append((lineno, None, e.msg))
    return None, out
