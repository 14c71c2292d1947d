"""How many records a bibliographic export *starts*, counted from its raw text independently of the parsers.

A reader's ledger used to define "records read" as what it kept plus what it rejected, so a record the parser lost
(or one it invented, such as a repeated header row turned into a document titled "Title") could not be seen. The
counts here look only at where records start in the raw text, with rules much simpler than a parser's:

- CSV exports (Scopus, OpenAlex web interface): rows, i.e. line breaks outside double quotes (quote parity), minus
  blank rows, the header row and every later row identical to the header (two exports joined with ``cat``);
- Web of Science tab-delimited: non-blank lines (the format has no quoting) minus header lines;
- Web of Science plain text: lines starting with the ``PT`` tag;
- RIS: lines starting with ``TY  -``;
- BibTeX / biblatex: lines starting with ``@type{`` or ``@type(`` other than ``@comment``, ``@string`` and
  ``@preamble``;
- JSON (OpenAlex, Crossref, CSL-JSON): the items the document holds or the non-blank lines of JSON Lines, counted by
  the JSON readers before any item is converted (:func:`json_lines`).

:func:`analysis.vigie.readers.read_file` compares this count with kept + rejected and raises
:class:`~analysis.core.errors.DataIntegrityError` naming the file when they differ.
"""

from __future__ import annotations

import re

import numpy as np

_BOM = b"\xef\xbb\xbf"
_SPACE = b" \t\r\n\x0b\x0c"
_SPACE_BYTES = np.frombuffer(_SPACE, dtype=np.uint8)
_WOS_START = re.compile(r"^PT(?: |$)", re.M)
_RIS_START = re.compile(r"^TY  -", re.M)
_BIB_START = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(]", re.M)
_NOT_ENTRIES = {"comment", "string", "preamble"}


def csv_rows(data: bytes | memoryview) -> tuple[int, int]:
    """Records started in a CSV export and the header rows repeated inside it.

    Rows end at line breaks outside double quotes (a quote inside a quoted value is written twice, so the parity
    of the quotes before a line break says whether it is inside a value). Blank rows are not records; the first
    non-blank row is the header; a later row equal to it (a second export joined after the first) is a header
    again, not a record.

    Parameters
    ----------
    data : bytes or memoryview
        The file's bytes (UTF-8, or any encoding where ``"`` and line feed are single bytes).

    Returns
    -------
    (int, int)
        Records started, repeated header rows.

    References
    ----------
    Shafranovich, Y. (2005). *Common Format and MIME Type for Comma-Separated Values (CSV) Files*. RFC 4180.
    """
    view = memoryview(data)
    if bytes(view[:3]) == _BOM:
        view = view[3:]  # a view: no copy of a big file
    arr = np.frombuffer(view, dtype=np.uint8)
    ends = _row_ends(arr)
    starts = np.r_[0, ends + 1]
    stops = np.r_[ends, len(arr)]
    length = stops - starts
    rows = np.nonzero(length > 0)[0]
    # a blank row (only spaces, a lone carriage return) starts with a space byte: only the rows that do are looked
    # at one by one (they are few), whatever their length
    maybe = rows[np.isin(arr[starts[rows]], _SPACE_BYTES)]
    blank = [r for r in maybe.tolist() if not bytes(view[starts[r]: stops[r]]).strip(_SPACE)]
    if blank:
        rows = rows[~np.isin(rows, blank)]
    if len(rows) == 0:
        return 0, 0
    first = int(rows[0])
    header = bytes(view[starts[first]: stops[first]]).rstrip(b"\r")
    rest = rows[1:]
    # a repeated header has the header's length, give or take a carriage return and a byte-order mark
    candidates = rest[np.isin(length[rest], [len(header) + k for k in (0, 1, 3, 4)])]
    repeats = 0
    for r in candidates.tolist():
        row = bytes(view[starts[r]: stops[r]]).rstrip(b"\r")
        repeats += (row[3:] if row.startswith(_BOM) else row) == header
    return len(rows) - 1 - repeats, repeats


_CHUNK = 1 << 25  # 32 MB: the masks of a big export are built piece by piece, not all at once


def _row_ends(arr: np.ndarray) -> np.ndarray:
    """Positions of the line feeds outside double quotes (an even number of quotes before them)."""
    parts = []
    odd = 0  # parity of the quotes seen before the current piece
    for start in range(0, len(arr), _CHUNK):
        piece = arr[start: start + _CHUNK]
        quotes = np.flatnonzero(piece == 34)
        breaks = np.flatnonzero(piece == 10)
        parts.append(breaks[((np.searchsorted(quotes, breaks) + odd) & 1) == 0] + start)
        odd = (odd + len(quotes)) & 1
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def tab_rows(text: str) -> int:
    """Records started in a Web of Science tab-delimited export: non-blank lines minus header lines.

    Parameters
    ----------
    text : str

    Returns
    -------
    int
    """
    lines = [x.rstrip(" \t\r").lstrip("\ufeff") for x in text.split("\n") if x.strip(" \t\r\ufeff")]
    if not lines:
        return 0
    return sum(1 for x in lines[1:] if x != lines[0])


def wos_records(text: str) -> int:
    """Records started in a Web of Science plain-text export: lines starting with the ``PT`` tag.

    Parameters
    ----------
    text : str

    Returns
    -------
    int
    """
    return len(_WOS_START.findall(text.lstrip("\ufeff")))


def ris_records(text: str) -> int:
    """Records started in a RIS file: lines starting with ``TY  -``.

    Parameters
    ----------
    text : str

    Returns
    -------
    int
    """
    return len(_RIS_START.findall(text.lstrip("\ufeff")))


def bibtex_starts(text: str) -> list[int]:
    """0-based line of every entry start of a BibTeX file (``@type{`` at the start of a line, ``@comment``,
    ``@string`` and ``@preamble`` excepted).

    Parameters
    ----------
    text : str

    Returns
    -------
    list of int
    """
    text = text.lstrip("\ufeff")
    out = []
    line, pos = 0, 0
    for m in _BIB_START.finditer(text):
        if m.group(1).lower() in _NOT_ENTRIES:
            continue
        line += text.count("\n", pos, m.start())
        pos = m.start()
        out.append(line)
    return out


def json_lines(text: str) -> int:
    """Non-blank lines of a JSON Lines text (each one record started, whether it parses or not).

    Parameters
    ----------
    text : str

    Returns
    -------
    int
    """
    return sum(1 for x in text.split("\n") if x.strip())


def records_started(fmt: str, text: str) -> int | None:
    """Records started in the decoded text of an export of format ``fmt``; None for the JSON formats, whose readers
    count the items themselves.

    Parameters
    ----------
    fmt : str
        One of :data:`analysis.vigie.readers.FORMATS`.
    text : str

    Returns
    -------
    int or None
    """
    if fmt in ("scopus_csv", "openalex_csv"):
        return csv_rows(text.encode("utf-8"))[0]
    if fmt == "wos_tab":
        return tab_rows(text)
    if fmt == "wos_txt":
        return wos_records(text)
    if fmt == "ris":
        return ris_records(text)
    if fmt in ("bibtex", "scopus_bib"):
        return len(bibtex_starts(text))
    return None


__all__ = ["csv_rows", "tab_rows", "wos_records", "ris_records", "bibtex_starts", "json_lines", "records_started"]
