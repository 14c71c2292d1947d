"""CSL-JSON (Citation Style Language data): Zotero's "Export → CSL JSON", Better BibTeX, citeproc tools.

A file is a JSON array of items (a single item object is accepted too). Zotero writes each item with ``type``,
``title``, ``author`` (``family``/``given``, or ``literal`` for an organisation), ``issued`` (``date-parts``, whose
year may be a string, or ``raw``/``literal``), ``container-title``, ``DOI``, ``language``, ``abstract`` and
sometimes ``keyword`` (one string, comma- or semicolon-separated). CSL-JSON carries no citation count and no
affiliation.

The array is decoded item by item so that every item keeps the line where it starts, and a file cut short (a
truncated download, a broken item) still yields the items before the break; the broken item becomes a ledger
rejection with its line. Nothing is dropped silently.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from analysis.core.errors import InputFormatError
from analysis.core.text import clean_space
from analysis.vigie.names import format_author
from analysis.vigie.readers.common import (
    ReadResult,
    authors_frame,
    finish,
    join_keywords,
    records_frame,
    rejection,
    year_of,
)

# CSL item types → the document-type labels the RIS reader uses (other types are kept as written). CSL's "article" is
# a manuscript such as a preprint (Zotero's "Preprint" item type exports as it), not a journal article.
CSL_TYPES = {
    "article-journal": "Article", "article-magazine": "Article", "article": "Preprint",
    "article-newspaper": "Newspaper article", "chapter": "Book chapter", "book": "Book",
    "paper-conference": "Conference paper", "report": "Report", "thesis": "Thesis", "webpage": "Web page",
    "post-weblog": "Web page", "dataset": "Dataset", "manuscript": "Document", "entry-encyclopedia": "Book chapter",
    "entry-dictionary": "Book chapter", "review": "Review", "review-book": "Review",
}

_WS = re.compile(r"[ \t\r\n]*")


def _text(value: object) -> str | None:
    """A CSL string variable (some tools write a one-element list): cleaned, or None."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return clean_space(value) if isinstance(value, str) else None


def csl_year(date: object) -> int | None:
    """Year of a CSL date variable: ``date-parts[0][0]`` (number or string), else ``raw``/``literal``/
    ``season`` text, else None."""
    if not isinstance(date, dict):
        return year_of(date) if isinstance(date, (str, int)) else None
    parts = date.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        year = year_of(parts[0][0])
        if year:
            return year
    for key in ("raw", "literal", "date-time"):
        year = year_of(date.get(key)) if isinstance(date.get(key), (str, int)) else None
        if year:
            return year
    return None


def _keywords(value: object) -> str | None:
    if isinstance(value, list):
        return join_keywords([v for v in value if isinstance(v, str)])
    if isinstance(value, str):
        return join_keywords(value, ";" if ";" in value else ",")
    return None


def _author_rows(record: int, names: object) -> list[dict]:
    rows: list[dict] = []
    for a in names if isinstance(names, list) else []:
        if not isinstance(a, dict):
            continue
        family = _text(a.get("family"))
        particle = _text(a.get("non-dropping-particle"))
        if family and particle:
            family = f"{particle} {family}"
        given = _text(a.get("given"))
        dropping = _text(a.get("dropping-particle"))
        if given and dropping:
            given = f"{given} {dropping}"
        literal = _text(a.get("literal"))
        if not family and not literal:
            continue
        rows.append({
            "record": record, "position": len(rows) + 1,
            "author": format_author(family, given) if family else literal,
            "author_full": (f"{family}, {given}" if given else family) if family else literal,
            "author_id": None, "affiliation": None, "country": None,
        })
    return rows


def item_record(item: dict, record: int, line: int | None) -> tuple[dict, list[dict]]:
    """Canonical record + authorships of one CSL-JSON item."""
    ctype = _text(item.get("type"))
    rec = {
        "record": record, "line": line, "doi": _text(item.get("DOI")), "title": _text(item.get("title")),
        "year": csl_year(item.get("issued")), "source_title": _text(item.get("container-title")),
        "doc_type": CSL_TYPES.get(ctype or "", ctype), "language": _text(item.get("language")),
        "cited_by": None, "abstract": _text(item.get("abstract")),
        "author_keywords": _keywords(item.get("keyword")), "index_keywords": None,
    }
    return rec, _author_rows(record, item.get("author"))


def csl_items(text: str, path: Path) -> tuple[list[tuple[int, object | None, str | None]], str]:
    """``(line, item or None, problem)`` for each item of a CSL-JSON array (or the one item of an object), and a
    note when the array is not closed.

    Items are decoded one after another; when an item cannot be decoded (a truncated file, a broken item), it is
    returned with the problem and decoding stops there: what follows cannot be located reliably. An array whose
    last item is complete but which never closes (a file cut between two items) keeps every item and gets a note.
    """
    decoder = json.JSONDecoder()
    text = text.lstrip("\ufeff")
    pos = _WS.match(text, 0).end()
    if pos >= len(text):
        raise InputFormatError("empty file", path=path)
    line_at = _LineCounter(text)
    if text[pos] == "{":
        try:
            obj, _ = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise InputFormatError(f"invalid JSON ({exc.msg})", path=path, line=exc.lineno) from None
        return [(line_at(pos), obj, None)], ""
    if text[pos] != "[":
        raise InputFormatError("CSL-JSON must be an array of items or one item object", path=path,
                               line=line_at(pos))
    out: list[tuple[int, object | None, str | None]] = []
    pos = _WS.match(text, pos + 1).end()
    if pos < len(text) and text[pos] == "]":
        return out, ""
    while pos < len(text):
        start = line_at(pos)
        try:
            obj, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            out.append((start, None, f"invalid JSON item ({exc.msg} at line {exc.lineno}; truncated or broken item)"))
            return out, ""
        out.append((start, obj, None))
        pos = _WS.match(text, pos).end()
        if pos < len(text) and text[pos] == ",":
            pos = _WS.match(text, pos + 1).end()
            continue
        if pos < len(text) and text[pos] == "]":
            return out, ""
        if pos < len(text):
            out.append((line_at(pos), None, f"unexpected character {text[pos]!r} after an item"))
            return out, ""
    return out, f"array not closed after item {len(out)} (the file may have been cut short)"


class _LineCounter:
    """Line number (1-based) of a character offset, for offsets given in increasing order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1

    def __call__(self, pos: int) -> int:
        if pos < self.offset:
            self.offset, self.line = 0, 1
        self.line += self.text.count("\n", self.offset, pos)
        self.offset = pos
        return self.line


def read_csl_json(path: Path, text: str, encoding: str, note: str = "") -> ReadResult:
    """Records and authorships of a CSL-JSON file (Zotero "Export → CSL JSON")."""
    items, truncated = csl_items(text, path)
    note = "; ".join(n for n in (note, truncated) if n)
    rows, authors, rejections = [], [], []
    for record, (line, item, problem) in enumerate(items, start=1):
        if problem or not isinstance(item, dict):
            rejections.append(rejection(record, line, "invalid_json_item", error=problem) if problem
                              else rejection(record, line, "not_json_object"))
            continue
        rec, auth = item_record(item, record, line)
        rows.append(rec)
        authors.extend(auth)
    result = finish(path, "csl_json", encoding, note, records_frame(rows), authors_frame(authors), rejections)
    result.started = len(items)  # the items of the array, a broken one included
    return result
