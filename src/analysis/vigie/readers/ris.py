"""RIS exports (Scopus, Web of Science, Zotero, EndNote) read with rispy, one record at a time.

The file is cut into records at ``ER  -`` lines first so that each record keeps its line number and one bad
record becomes a ledger rejection instead of failing the whole file. Web of Science separates some RIS lines
with a lone carriage return; newlines are normalised before parsing.
"""

from __future__ import annotations

import re
from pathlib import Path

import rispy

from analysis.core.errors import InputFormatError
from analysis.core.text import clean_space
from analysis.vigie.readers.bibtex import scopus_eid
from analysis.vigie.readers.common import (
    ReadResult,
    author_rows,
    authors_frame,
    finish,
    join_keywords,
    normalize_newlines,
    records_frame,
    rejection,
    year_of,
)
from analysis.vigie.readers.wos import wos_database_id

_TAG = re.compile(r"^[A-Z][A-Z0-9]  -( |$)")
_CITED = re.compile(r"(?:Times Cited in Web of Science Core Collection|Cited By(?: \(since \d+\))?)\s*:\s*(\d+)",
                    re.IGNORECASE)


RIS_TYPES = {"JOUR": "Article", "JFULL": "Article", "MGZN": "Article", "INPR": "Article", "EJOUR": "Article",
             "CHAP": "Book chapter", "ECHAP": "Book chapter", "BOOK": "Book", "EBOOK": "Book", "EDBOOK": "Book",
             "CONF": "Conference paper", "CPAPER": "Conference paper", "RPRT": "Report", "THES": "Thesis",
             "ELEC": "Web page", "DATA": "Dataset", "NEWS": "Newspaper article", "UNPB": "Unpublished",
             "GEN": "Document"}


def _first(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return clean_space(value) if isinstance(value, str) else None


def _database_id(entry: dict) -> str | None:
    """Web of Science accession number (``AN  - WOS:…``) or Scopus EID (in the ``UR`` link), as a bank id."""
    accession = _first(entry.get("accession_number"))
    if accession and ":" in accession:
        return wos_database_id(accession)
    for url in entry.get("urls") or []:
        eid = scopus_eid(url) if isinstance(url, str) else None
        if eid:
            return eid
    return None


def _record(entry: dict, record: int, line: int) -> tuple[dict, list[dict]]:
    notes = entry.get("notes") or []
    if isinstance(notes, str):
        notes = [notes]
    cited = None
    for n in notes:
        m = _CITED.search(n)
        if m:
            cited = int(m.group(1))
            break
    title = _first(entry.get("title")) or _first(entry.get("primary_title"))
    source = (_first(entry.get("secondary_title")) or _first(entry.get("journal_name"))
              or _first(entry.get("alternate_title3")) or _first(entry.get("alternate_title2")))
    year = (year_of(entry.get("year")) or year_of(entry.get("publication_year")) or year_of(entry.get("date"))
            or year_of(entry.get("custom6")))
    rec = {
        "record": record, "line": line, "doi": _first(entry.get("doi")), "title": title, "year": year,
        "source_title": source,
        "doc_type": RIS_TYPES.get(_first(entry.get("type_of_reference")) or "", _first(entry.get("type_of_reference"))),
        "language": _first(entry.get("language")), "cited_by": cited,
        "abstract": _first(entry.get("abstract")) or _first(entry.get("notes_abstract")),
        "author_keywords": join_keywords(entry.get("keywords") or None), "index_keywords": None,
        "database_id": _database_id(entry),
    }
    names = [n for n in (entry.get("authors") or entry.get("first_authors") or []) if isinstance(n, str)]
    address = _first(entry.get("author_address"))
    affs = [address] * len(names) if address and len(names) == 1 else None
    return rec, author_rows(record, names, None, affs, None)


def read_ris(path: Path, text: str, encoding: str, note: str = "") -> ReadResult:
    """Records and authorships of a RIS file.

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
    text = normalize_newlines(text).lstrip("\ufeff")
    lines = text.split("\n")
    chunks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for i, line in enumerate(lines, start=1):
        if line.startswith("TY  -"):
            if current:
                chunks.append((start, current))
            current, start = [line], i
        elif line.startswith("ER  -") or line.strip() == "ER  -" or line.rstrip() == "ER  -":
            if current:
                current.append("ER  - ")
                chunks.append((start, current))
                current = []
        elif current:
            current.append(line)
        elif line.strip() and _TAG.match(line) is None and not chunks:
            raise InputFormatError("not a RIS line (expected 'TY  - ' to start a record)", path=path, line=i)
    if current:
        chunks.append((start, current))  # unterminated: rejected below
    if not chunks:
        raise InputFormatError("no RIS record found (no line starting with 'TY  - ')", path=path, line=1)
    rows, authors, rejections = [], [], []
    for record, (start, chunk) in enumerate(chunks, start=1):
        if chunk[-1] != "ER  - ":
            rejections.append(rejection(record, start, "unclosed_ris_record"))
            continue
        try:
            parsed = rispy.loads("\n".join(chunk) + "\n", skip_unknown_tags=False)
        except Exception as exc:  # noqa: BLE001 - rispy raises IOError/KeyError/ValueError on odd input
            rejections.append(rejection(record, start, "ris_parse_error", error=str(exc)))
            continue
        if len(parsed) != 1:
            rejections.append(rejection(record, start, "ris_not_one_record"))
            continue
        rec, auth = _record(parsed[0], record, start)
        rows.append(rec)
        authors.extend(auth)
    return finish(path, "ris", encoding, note, records_frame(rows), authors_frame(authors), rejections)
