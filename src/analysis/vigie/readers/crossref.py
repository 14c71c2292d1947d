"""Crossref works JSON: an API list (``{"message": {"items": [...]}}``), a single work
(``{"message": {...}}``), a bare list of works, or JSON Lines of works.

Crossref gives family/given name parts, ``is-referenced-by-count`` (citations seen by Crossref) and sometimes a
JATS abstract (tags are stripped).
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis.core.errors import InputFormatError
from analysis.core.text import clean_space
from analysis.vigie.names import country_of, format_author
from analysis.vigie.readers.common import (
    ReadResult,
    join_countries,
    join_keywords,
    json_documents,
    json_items_result,
    to_int,
)


def _first(value: object) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    return value if isinstance(value, str) and value.strip() else None


def _year(item: dict) -> int | None:
    for key in ("issued", "published", "published-print", "published-online", "created"):
        parts = (item.get(key) or {}).get("date-parts") if isinstance(item.get(key), dict) else None
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            y = to_int(parts[0][0])
            if y:
                return y
    return None


def item_record(item: dict, record: int, line: int | None) -> tuple[dict, list[dict]]:
    """Canonical record + authorships of one Crossref work.

    Parameters
    ----------
    item : dict
    record, line : int

    Returns
    -------
    (dict, list of dict)
        The record and its authorships.
    """
    abstract = _first(item.get("abstract"))
    if abstract:
        abstract = clean_space(re.sub(r"<[^>]+>", " ", abstract))
    rec = {
        "record": record, "line": line, "doi": _first(item.get("DOI")), "title": _first(item.get("title")),
        "year": _year(item), "source_title": _first(item.get("container-title")),
        "doc_type": _first(item.get("type")), "language": _first(item.get("language")),
        "cited_by": to_int(item.get("is-referenced-by-count")), "abstract": abstract,
        # Crossref "subject" holds journal-level subject areas: index terms, not the authors' keywords
        "author_keywords": None,
        "index_keywords": join_keywords([s for s in (item.get("subject") or []) if isinstance(s, str)]) or None,
    }
    rows = []
    for a in item.get("author") or []:
        if not isinstance(a, dict):
            continue
        family, given = _first(a.get("family")), _first(a.get("given"))
        name = _first(a.get("name"))
        if not family and not name:
            continue
        affs = [x.get("name") for x in (a.get("affiliation") or []) if isinstance(x, dict) and x.get("name")]
        aff = affs[0] if affs else None
        full = f"{family}, {given}" if family and given else (family or name)
        orcid = _first(a.get("ORCID"))
        rows.append({
            "record": record, "position": len(rows) + 1,
            "author": format_author(family, given) if family else clean_space(name),
            "author_full": clean_space(full), "author_id": orcid.rsplit("/", 1)[-1] if orcid else None,
            "affiliation": clean_space(aff) if isinstance(aff, str) else None,
            "country": country_of(aff) if isinstance(aff, str) else None,
            "countries": join_countries(country_of(x) for x in affs if isinstance(x, str)),
        })
    return rec, rows


def read_crossref_json(path: Path, text: str, encoding: str, note: str = "") -> ReadResult:
    """Records and authorships of Crossref works JSON.

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
    obj, lines = json_documents(text, path)
    items: list[tuple[int | None, object, str | None]] = []
    msg = obj.get("message") if isinstance(obj, dict) else None
    if obj is None:
        items = list(lines)
    elif isinstance(msg, dict) and isinstance(msg.get("items"), list):
        items = [(None, x, None) for x in msg["items"]]
    elif isinstance(msg, dict):
        items = [(1, msg, None)]
    elif isinstance(obj, list):
        items = [(None, x, None) for x in obj]
    elif isinstance(obj, dict) and "DOI" in obj:
        items = [(1, obj, None)]
    else:
        raise InputFormatError("JSON is not a Crossref work or works list", path=path, line=1)
    return json_items_result(path, "crossref_json", encoding, note, items, item_record)
