"""OpenAlex works: API pages (``{"results": [...]}``), snapshot JSON Lines (gzipped or not), a JSON list or a
single work, and the web interface's CSV export (flattened columns, ``|``-separated lists).

The abstract is rebuilt from ``abstract_inverted_index`` (word → positions). OpenAlex has no author keywords;
its ``keywords`` (or, in older records, ``concepts``) go to ``index_keywords``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from analysis.core.errors import InputFormatError
from analysis.core.text import clean_space
from analysis.vigie.names import COUNTRY_CODES, country_of, normalize_author
from analysis.vigie.readers.common import (
    ReadResult,
    authors_frame,
    finish,
    join_countries,
    join_keywords,
    json_documents,
    json_items_result,
    records_frame,
    rejection,
    to_int,
    wide_csv_fields,
    year_of,
)
from analysis.vigie.readers.scopus import sniff_delimiter

ISO2 = COUNTRY_CODES  # the name it had here before it moved to analysis.vigie.names


def rebuild_abstract(index: dict | None) -> str | None:
    """Abstract text from OpenAlex's inverted index {word: [positions]}.

    Parameters
    ----------
    index : dict or None
        OpenAlex ``abstract_inverted_index``.

    Returns
    -------
    str or None
    """
    if not isinstance(index, dict) or not index:
        return None
    slots: dict[int, str] = {}
    for word, positions in index.items():
        if not isinstance(positions, list):
            continue
        for p in positions:
            if isinstance(p, int) and p >= 0:
                slots[p] = str(word)
    return " ".join(slots[k] for k in sorted(slots)) or None


def _short_id(value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    return value.rsplit("/", 1)[-1]


def _get(obj: object, *keys: str) -> object:
    for k in keys:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(k)
    return obj


def work_record(work: dict, record: int, line: int | None) -> tuple[dict, list[dict]]:
    """Canonical record + authorships of one OpenAlex work object.

    Parameters
    ----------
    work : dict
    record, line : int

    Returns
    -------
    (dict, list of dict)
        The record and its authorships.
    """
    if not isinstance(work, dict):
        raise ValueError("work is not a JSON object")
    kws = work.get("keywords") or work.get("concepts") or []
    kw_names = [k.get("display_name") for k in kws if isinstance(k, dict)] if isinstance(kws, list) else []
    source = _get(work, "primary_location", "source", "display_name") or _get(work, "host_venue", "display_name")
    rec = {
        "record": record, "line": line, "doi": work.get("doi") if isinstance(work.get("doi"), str) else None,
        "title": work.get("title") if isinstance(work.get("title"), str) else work.get("display_name"),
        "year": to_int(work.get("publication_year")) or year_of(work.get("publication_date")),
        "source_title": source if isinstance(source, str) else None,
        "doc_type": work.get("type") if isinstance(work.get("type"), str) else None,
        "language": work.get("language") if isinstance(work.get("language"), str) else None,
        "cited_by": to_int(work.get("cited_by_count")),
        "abstract": rebuild_abstract(work.get("abstract_inverted_index")),
        "author_keywords": None, "index_keywords": join_keywords([k for k in kw_names if isinstance(k, str)]),
        "database_id": _openalex_id(work.get("id")),
    }
    if not isinstance(rec["title"], str):
        rec["title"] = None
    rows: list[dict] = []
    for a in work.get("authorships") or []:
        if not isinstance(a, dict):
            continue
        display = _get(a, "author", "display_name") or a.get("raw_author_name")
        if not isinstance(display, str) or not display.strip():
            continue
        raw_affs = a.get("raw_affiliation_strings") or []
        insts = [i for i in (a.get("institutions") or []) if isinstance(i, dict)]
        aff = (raw_affs[0] if raw_affs and isinstance(raw_affs[0], str) else None) or \
            (insts[0].get("display_name") if insts else None)
        codes = a.get("countries") or [i.get("country_code") for i in insts if i.get("country_code")]
        codes = [str(c).upper() for c in codes if isinstance(c, str) and c.strip()] if isinstance(codes, list) else []
        country = ISO2.get(codes[0], codes[0]) if codes else country_of(aff)
        rows.append({
            "record": record, "position": len(rows) + 1, "author": normalize_author(display),
            "author_full": clean_space(display), "author_id": _short_id(_get(a, "author", "id")),
            "affiliation": clean_space(aff) if isinstance(aff, str) else None, "country": country,
            "countries": join_countries([ISO2.get(c, c) for c in codes] or [country]),
        })
    return rec, rows


def _openalex_id(value: object) -> str | None:
    """``https://openalex.org/W123`` → ``openalex:W123`` (the bank's database id)."""
    short = _short_id(value)
    return f"openalex:{short}" if short and short[:1] == "W" else None


def read_openalex_json(path: Path, text: str, encoding: str, note: str = "") -> ReadResult:
    """Records and authorships of OpenAlex works JSON (API page, list, single work or JSON Lines).

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
    works: list[tuple[int | None, object, str | None]] = []
    if obj is None:
        works = list(lines)
    elif isinstance(obj, dict) and "results" in obj:
        works = [(None, w, None) for w in (obj["results"] or [])]
    elif isinstance(obj, list):
        works = [(None, w, None) for w in obj]
    elif isinstance(obj, dict):
        works = [(1, obj, None)]
    else:
        raise InputFormatError("JSON is not an OpenAlex work, list or API page", path=path, line=1)
    return json_items_result(path, "openalex_json", encoding, note, works, work_record)


_CSV_ALIASES = {
    "title": ["title", "display_name", "Work Title", "Title"],
    "doi": ["doi", "DOI"],
    "year": ["publication_year", "Year", "Publication Year"],
    "source_title": ["primary_location.source.display_name", "host_venue.display_name", "Source", "Source Title"],
    "doc_type": ["type", "Type"],
    "language": ["language", "Language"],
    "cited_by": ["cited_by_count", "Cited By Count", "Cited by"],
    "keywords": ["keywords.display_name", "concepts.display_name", "Keywords"],
    "authors": ["authorships.author.display_name", "Authors", "Author Names"],
    "author_ids": ["authorships.author.id", "Author IDs"],
    "countries": ["authorships.countries"],
    "affiliations": ["authorships.raw_affiliation_strings", "authorships.institutions.display_name"],
    "abstract": ["abstract", "Abstract"],
    "id": ["id", "Work ID"],
}


def read_openalex_csv(path: Path, text: str, encoding: str, note: str = "") -> ReadResult:
    """Records and authorships of the OpenAlex web interface CSV export.

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
    delim = sniff_delimiter(text.lstrip("\ufeff").split("\n", 1)[0])
    table, rejections, repeats = _csv_rows(text.lstrip("\ufeff"), delim, path)
    header = table[0] if table else []

    def col(key: str) -> int | None:
        return next((header.index(c) for c in _CSV_ALIASES[key] if c in header), None)

    if col("title") is None:
        raise InputFormatError("required OpenAlex column 'title' (or 'display_name') is missing", path=path,
                               line=1, field="title")
    where = {key: col(key) for key in _CSV_ALIASES}
    rows, authors = [], []
    for i, line, values in table[1:]:
        def g(key: str) -> str | None:
            c = where[key]
            v = values[c] if c is not None else None
            return v if isinstance(v, str) and v.strip() else None

        kws = g("keywords")
        rows.append({
            "record": i, "line": line, "doi": g("doi"), "title": g("title"), "year": year_of(g("year")),
            "source_title": g("source_title"), "doc_type": g("doc_type"), "language": g("language"),
            "cited_by": to_int(g("cited_by")), "abstract": g("abstract"), "author_keywords": None,
            "index_keywords": join_keywords(kws, "|") if kws else None,
            "database_id": _openalex_id(g("id")),
        })
        names = (g("authors") or "").split("|") if g("authors") else []
        ids = (g("author_ids") or "").split("|")
        countries = (g("countries") or "").split("|")
        affs = (g("affiliations") or "").split("|")
        pos = 0
        for j, name in enumerate(names):
            if not name.strip():
                continue
            pos += 1
            codes = countries[j].strip() if len(countries) == len(names) else ""
            every = [c.strip().upper() for c in codes.replace(",", ";").split(";") if c.strip()]
            aff = affs[j] if len(affs) == len(names) and affs[j].strip() else None
            country = ISO2.get(every[0], every[0]) if every else country_of(aff)
            authors.append({
                "record": i, "position": pos, "author": normalize_author(name), "author_full": clean_space(name),
                "author_id": _short_id(ids[j].strip()) if len(ids) == len(names) and ids[j].strip() else None,
                "affiliation": aff, "country": country,
                "countries": join_countries([ISO2.get(c, c) for c in every] or [country]),
            })
    if repeats:
        note = "; ".join(x for x in (note, f"{repeats} repeated header row(s) skipped (exports joined into one file)")
                         if x)
    return finish(path, "openalex_csv", encoding, note, records_frame(rows), authors_frame(authors), rejections)


def _csv_rows(text: str, delim: str, path: Path) -> tuple[list, list[dict], int]:
    """The header (first item) then ``(record, line, values)`` of every data row read by the csv module (strict
    quotes); blank lines skipped, rows repeating the header skipped and counted, rows of the wrong width rejected.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    out: list = []
    rejections: list[dict] = []
    repeats, record, prev = 0, 0, 0
    try:
        with wide_csv_fields():
            header = [c.strip() for c in next(reader, [])]
            out.append(header)
            prev = reader.line_num
            for values in reader:
                start, prev = prev + 1, reader.line_num
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue
                if [v.strip() for v in values] == header:
                    repeats += 1
                    continue
                record += 1
                if len(values) != len(header):
                    rejections.append(rejection(record, start, "broken_row", fields=len(values),
                                                expected=len(header)))
                    continue
                out.append((record, start, values))
    except csv.Error as exc:
        raise InputFormatError(f"OpenAlex CSV cannot be split into rows ({exc}); check quotes", path=path,
                               line=prev + 1) from None
    return out, rejections, repeats
