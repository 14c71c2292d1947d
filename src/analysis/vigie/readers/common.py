"""Shared pieces of the readers: decoding, the per-file result and its record/authorship tables.

Every reader returns a :class:`ReadResult` — one row per record read (with its record number and line), the
authorships of those records, and the records it had to reject with the reason. Nothing is dropped silently.
"""

from __future__ import annotations

import gzip
import json
import re
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
    "author_keywords", "index_keywords",
]
AUTHOR_COLUMNS = ["record", "position", "author", "author_full", "author_id", "affiliation", "country"]
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
    "bibtex_syntax_error": "BibTeX syntax error in entry starting {entry!r}",
    "duplicate_key": "duplicate key, entry could not be read",
}
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
    rejections: pd.DataFrame = field(default_factory=lambda: rejections_frame([]))
    note: str = ""

    @property
    def read(self) -> int:
        """Records read = records kept by the reader + records it rejected."""
        return len(self.records) + len(self.rejections)


def load_bytes(path: Path) -> bytes:
    """File content, gunzipped when it starts with the gzip magic number.

    Parameters
    ----------
    path : Path

    Returns
    -------
    bytes

    Raises
    ------
    InputFormatError
    """
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
    """Text, encoding name and ledger note: UTF-8 (BOM or not) first, else cp1252, else latin-1.

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
        arr = pc.utf8_trim_whitespace(arr)
        arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)
        if col == "doi":
            arr = normalize_doi_arrow(arr)
        out[col] = pd.arrays.ArrowStringArray(arr)
    return out


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
                affiliations: list[str | None] | None = None, ids: list[str | None] | None = None) -> list[dict]:
    """Authorship dicts for one record, position 1-based, country derived from the affiliation.

    Parameters
    ----------
    record : int
    names : list of str
    full, affiliations, ids : list, optional

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
    return finish(path, fmt, encoding, note, records_frame(rows), authors_frame(authors), rejections)


def finish(path: Path, fmt: str, encoding: str, note: str, records: pd.DataFrame, authors: pd.DataFrame,
           rejections: list[dict]) -> ReadResult:
    """Reject records without a title (nothing to identify them by), then package the result.

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
    missing = records["title"].isna()
    if missing.any():
        bad = records.loc[missing]
        rejections = rejections + [rejection(int(r), int(ln) if pd.notna(ln) else None, "no_title")
                                   for r, ln in zip(bad["record"], bad["line"])]
        records = records.loc[~missing]
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
