"""Web of Science exports: plain text (``FN``/``PT`` … ``ER``, continuation lines) and tab-delimited.

Plain text: two-letter tags at the start of a line, continuation lines indented by three spaces, one record
from ``PT`` to ``ER``. A record cut short (no ``ER`` before the end of file or the next ``PT``) is rejected in
the ledger with its line; a file with no ``PT`` at all is not a WoS export (:class:`InputFormatError`).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from analysis.core.errors import InputFormatError
from analysis.core.text import clean_space
from analysis.vigie.names import author_key
from analysis.vigie.readers.common import (
    ReadResult,
    author_rows,
    authors_frame,
    finish,
    join_keywords,
    records_frame,
    rejection,
    to_int,
    wide_csv_fields,
    year_of,
)

MULTI_VALUE = {"AU", "AF", "C1", "CR", "BA", "BF", "CA", "GP"}
USED = {"PT", "AU", "AF", "TI", "SO", "LA", "DT", "DE", "ID", "AB", "C1", "TC", "PY", "EA", "DI", "OI", "UT"}


def _wos_record_fields(tags: dict[str, list[str]]) -> dict:
    """Canonical record fields from the WoS tag → lines dictionary (shared by plain text and tab-delimited)."""
    def one(tag: str) -> str | None:
        v = tags.get(tag)
        return clean_space(" ".join(v)) if v else None

    year = year_of(one("PY")) or year_of(one("EA"))
    return {
        "doi": one("DI"), "title": one("TI"), "year": year, "source_title": one("SO"), "doc_type": one("DT"),
        "language": one("LA"), "cited_by": to_int(one("TC")), "abstract": one("AB"),
        "author_keywords": join_keywords(one("DE")), "index_keywords": join_keywords(one("ID")),
        "database_id": wos_database_id(one("UT")),
    }


def wos_database_id(accession: str | None) -> str | None:
    """The bank's database id of a Web of Science accession number: ``WOS:000852249500001`` →
    ``wos:000852249500001`` (``MEDLINE:…`` and the other Web of Science databases keep their own base).

    Parameters
    ----------
    accession : str or None
        A ``UT`` value (plain text, tab-delimited), BibTeX ``unique-id`` or RIS ``AN``.

    Returns
    -------
    str or None
    """
    text = (accession or "").strip()
    if not text:
        return None
    base, sep, number = text.partition(":")
    if not sep or not base.isalpha():
        return f"wos:{text}"
    return f"{base.lower()}:{number.strip()}"


_TAG_LINE = re.compile(r"^[A-Z][A-Z0-9]( |$)")
_C1_NAMES = re.compile(r"^\[(?P<names>[^\]]*)\]\s*(?P<addr>.*)$")


def _wos_authors(record: int, tags: dict[str, list[str]]) -> list[dict]:
    """Authorships: AU (short) beside AF (full), affiliation from C1 "[Names] Address" lines (the first address
    of an author; ``countries`` from all of them), ORCID from OI."""
    au = [a for a in (clean_space(x) for x in tags.get("AU", [])) if a]
    af = [a for a in (clean_space(x) for x in tags.get("AF", [])) if a]
    if not au and af:
        au = af
    by_name: dict[str, list[str]] = {}
    first_addr: str | None = None
    for line in tags.get("C1", []):
        m = _C1_NAMES.match(line.strip())
        if m:
            addr = m.group("addr").strip().rstrip(".")
            for name in m.group("names").split(";"):
                key = author_key(name)
                if key and addr not in by_name.setdefault(key, []):
                    by_name[key].append(addr)
        elif first_addr is None and line.strip():
            first_addr = line.strip().rstrip(".")
    affs: list[str | None] = []
    every: list[list[str]] = []
    for i, name in enumerate(au):
        full = af[i] if i < len(af) else name
        found = by_name.get(author_key(full) or "") or by_name.get(author_key(name) or "") or \
            ([first_addr] if first_addr and len(au) == 1 else [])
        affs.append(found[0] if found else None)
        every.append(found)
    orcid: dict[str, str] = {}
    oi = " ".join(tags.get("OI", []))
    for part in oi.split(";"):
        if "/" in part:
            name, _, ident = part.rpartition("/")
            if author_key(name):
                orcid[author_key(name)] = ident.strip()
    ids = [orcid.get(author_key(af[i] if i < len(af) else n) or "") for i, n in enumerate(au)]
    return author_rows(record, au, af if len(af) == len(au) else None, affs, ids, every)


def read_wos_txt(path: Path, text: str, encoding: str, note: str = "") -> ReadResult:
    """Records and authorships of a WoS plain-text export.

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
    rows: list[dict] = []
    authors: list[dict] = []
    rejections: list[dict] = []
    tags: dict[str, list[str]] | None = None
    start = 0
    record = 0
    current: str | None = None
    seen_pt = False

    def close(ended: bool) -> None:
        nonlocal tags
        if tags is None:
            return
        if not ended:
            rejections.append(rejection(record, start, "unclosed_wos_record"))
        else:
            fields = _wos_record_fields(tags)
            fields.update(record=record, line=start)
            rows.append(fields)
            authors.extend(_wos_authors(record, tags))
        tags = None

    for lineno, raw in enumerate(text.split("\n"), start=1):
        if current == "--" and raw.startswith("   "):  # continuation of a field not used (cited references…)
            continue
        line = raw.rstrip("\r").lstrip("\ufeff") if lineno == 1 else raw.rstrip("\r")
        if not line.strip():
            continue
        tag = line[:2]
        if line.startswith("   ") or line.startswith("\t"):
            if current == "--":  # continuation of a field not used (cited references…): skip fast
                continue
            if tags is not None and current is not None:
                if current in MULTI_VALUE:
                    tags[current].append(line.strip())
                else:
                    tags[current][-1] += " " + line.strip()
            continue
        if tag == "PT" and (len(line) == 2 or line[2] == " "):
            close(False)
            seen_pt = True
            record += 1
            start = lineno
            tags = {"PT": [line[3:].strip()]}
            current = "PT"
            continue
        if tag == "ER" and line.strip() == "ER":
            if tags is None:
                continue
            close(True)
            current = None
            continue
        if tag in ("FN", "VR", "EF") and tags is None:
            continue
        if _TAG_LINE.match(line):
            if tags is None:
                raise InputFormatError(f"field {tag!r} outside a record (expected PT … ER)", path=path,
                                       line=lineno)
            if tag not in USED:
                current = "--"
                continue
            current = tag
            tags.setdefault(tag, []).append(line[3:].strip())
            continue
        if tags is None:
            raise InputFormatError("not a Web of Science plain-text line (expected a two-letter tag)", path=path,
                                   line=lineno)
        if current is not None and current != "--":  # unindented continuation: keep with the current field
            tags[current][-1] += " " + line.strip()
    close(False)
    if not seen_pt:
        raise InputFormatError("no record found (no line starting with 'PT ')", path=path, line=1)
    return finish(path, "wos_txt", encoding, note, records_frame(rows), authors_frame(authors), rejections)


def read_wos_tab(path: Path, text: str, encoding: str, note: str = "") -> ReadResult:
    """Records and authorships of a WoS tab-delimited export (header of two-letter tags: PT, AU, …).

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
    with wide_csv_fields():
        return _read_wos_tab(path, text, encoding, note)


def _read_wos_tab(path: Path, text: str, encoding: str, note: str) -> ReadResult:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter="\t", quoting=csv.QUOTE_NONE)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputFormatError("empty file", path=path) from None
    if "TI" not in header:
        raise InputFormatError("required WoS column 'TI' is missing from the header", path=path, line=1, field="TI")
    rows: list[dict] = []
    authors: list[dict] = []
    rejections: list[dict] = []
    record = 0
    repeats = 0
    prev = reader.line_num
    for values in reader:
        start = prev + 1
        prev = reader.line_num
        if not values or all(not v.strip() for v in values):
            continue
        if [v.strip().lstrip("\ufeff") for v in values if v.strip()] == [h for h in header if h]:
            repeats += 1  # the header of a second export joined after the first: not a record
            continue
        record += 1
        # WoS writes a trailing tab on data rows: tolerate one extra empty field
        while len(values) > len(header) and values[-1] == "":
            values = values[:-1]
        if len(values) != len(header):
            rejections.append(rejection(record, start, "broken_row", fields=len(values), expected=len(header)))
            continue
        tags: dict[str, list[str]] = {}
        for h, v in zip(header, values):
            if not v.strip():
                continue
            tags[h] = [x.strip() for x in v.split(";")] if h in MULTI_VALUE and h != "C1" else [v]
        if "C1" in tags:
            tags["C1"] = [m.group(0).strip() for m in re.finditer(r"\[[^\]]*\][^\[]*", tags["C1"][0])] or tags["C1"]
            tags["C1"] = [c.rstrip("; ") for c in tags["C1"]]
        fields = _wos_record_fields(tags)
        fields.update(record=record, line=start)
        rows.append(fields)
        authors.extend(_wos_authors(record, tags))
    if repeats:
        note = "; ".join(x for x in (note, f"{repeats} repeated header row(s) skipped (exports joined into one file)")
                         if x)
    return finish(path, "wos_tab", encoding, note, records_frame(rows), authors_frame(authors), rejections)


__all__ = ["read_wos_txt", "read_wos_tab", "wos_database_id"]
