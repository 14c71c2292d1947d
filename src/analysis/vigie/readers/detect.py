"""Detect a bibliographic export's format from its content (never from its file name alone).

Export layouts change (new Scopus headers, OpenAlex "Work ID"), so detection looks for signature fields in the
first few kilobytes: WoS tags, RIS tags, BibTeX ``@type{``, JSON keys, CSV header columns.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from analysis.core.errors import InputFormatError

FORMATS = ("scopus_csv", "scopus_bib", "wos_txt", "wos_tab", "openalex_json", "openalex_csv", "crossref_json",
           "ris", "bibtex", "csl_json")

_SCOPUS_CSV = {"Authors", "Author full names", "Author(s) ID", "Source title", "Cited by", "EID", "Link",
               "Document Type", "Authors with affiliations", "Index Keywords", "Abbreviated Source Title",
               "Language of Original Document"}
_OPENALEX_CSV = {"id", "display_name", "publication_year", "cited_by_count", "authorships.author.display_name",
                 "Work ID", "Work Title", "Year", "Cited By Count", "Authors", "primary_location.source.display_name"}


def _csv_header(head: str) -> list[str]:
    first = head.split("\n", 1)[0].rstrip("\r")
    outside = re.sub(r'"[^"]*"', "", first)
    delim = ";" if outside.count(";") > outside.count(",") else ","
    if outside.count("\t") > max(outside.count(","), outside.count(";")):
        delim = "\t"
    try:
        return [c.strip() for c in next(csv.reader([first], delimiter=delim))]
    except (csv.Error, StopIteration):
        return []


def detect_format(text: str, path: Path | str = "") -> str:
    """Format name (one of :data:`FORMATS`) from the decoded text of an export.

    Parameters
    ----------
    text : str
        The decoded text.
    path : Path or str
        For messages.

    Returns
    -------
    str
        One of :data:`FORMATS`.

    Raises
    ------
    InputFormatError
    """
    head = text[:20000].lstrip("\ufeff").lstrip()
    if not head:
        raise InputFormatError("empty file", path=path or None)
    first = head.split("\n", 1)[0].rstrip("\r")
    if re.match(r"^(FN |VR |PT [A-Z]\b)", first) or re.search(r"^PT [JBSP]\s*$", head[:2000], re.M):
        return "wos_txt"
    if re.match(r"^PT\tAU\t", first) or (first.startswith("PT\t") and "\tTI\t" in first):
        return "wos_tab"
    if re.match(r"^TY  - ", first):
        return "ris"
    if re.match(r"^(\{\s*\"|\[\s*[\{\]])", head):
        return _detect_json(head, path)
    if re.search(r"^\s*@[A-Za-z]+\s*[{(]", head, re.M):
        if re.search(r"source\s*=\s*\{Scopus\}", head, re.I) or re.search(r"scopus\.com/inward", head) \
                or first.strip() == "Scopus":
            return "scopus_bib"
        return "bibtex"
    header = _csv_header(head)
    cols = set(header)
    if len(cols & _SCOPUS_CSV) >= 3 and "Title" in cols:
        return "scopus_csv"
    if len(cols & _OPENALEX_CSV) >= 2 and ("id" in cols or "Work ID" in cols):
        return "openalex_csv"
    if len(cols & _SCOPUS_CSV) >= 3:
        return "scopus_csv"  # the reader will name the missing required column
    raise InputFormatError(
        "format not recognised (expected a Scopus CSV/BibTeX, WoS, OpenAlex, Crossref, RIS or BibTeX export); "
        "give --format to force one", path=path or None, line=1)


def _is_csl_json(head: str) -> bool:
    """CSL-JSON (Zotero "Export → CSL JSON"): items whose ``title`` is a string (Crossref writes a list), with a
    CSL ``type`` and no Crossref-only field."""
    if re.search(r'"(message-type|is-referenced-by-count|reference-count|member)"', head):
        return False
    return bool(re.search(r'"title"\s*:\s*"', head) and re.search(r'"type"\s*:\s*"', head)
                and re.search(r'"(issued|author|container-title|DOI|id)"\s*:', head))


def _detect_json(head: str, path: Path | str) -> str:
    if "openalex.org/W" in head or '"abstract_inverted_index"' in head or '"publication_year"' in head:
        return "openalex_json"
    if _is_csl_json(head):
        return "csl_json"
    if '"message-type"' in head or '"is-referenced-by-count"' in head or '"container-title"' in head:
        return "crossref_json"
    try:
        obj = json.loads(head)
    except ValueError:
        obj = None
    if isinstance(obj, dict) and "results" in obj:
        return "openalex_json"
    if isinstance(obj, dict) and "message" in obj:
        return "crossref_json"
    raise InputFormatError("JSON file that is neither OpenAlex works nor Crossref works", path=path or None,
                           line=1)
