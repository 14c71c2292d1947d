"""The publication bank as a catalogue: one row per work with its authors, themes and origins, and the catalogue
written as CSV, BibTeX or RIS.

The bank browser of the deliverables report (in the report layer) embeds this catalogue and writes
the same three formats in the browser for the works a reader has filtered; the functions here are the reference
those downloads are tested against, byte for byte. Every format is safe for what it is opened with:

- CSV (RFC 4180, UTF-8 with a byte-order mark for spreadsheets, CRLF): a text cell starting with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` so that a spreadsheet never runs it as a formula
  (OWASP, *CSV Injection*); every non-empty text cell is quoted, quotes doubled;
- BibTeX: ``\\ { } % & $ # _ ~ ^`` written as LaTeX commands whose braces balance (``\\textbraceleft{}``…), so a
  title can never close its field; DOIs and URLs keep their characters, braces and backslashes percent-encoded;
- RIS: one value per line, every line break and tab inside a value turned into a space, so a value can never start
  a new tag (``ER  -``).

References
----------
OWASP Foundation, *CSV Injection*, https://owasp.org/www-community/attacks/CSV_Injection.
Shafranovich, Y. (2005). *Common Format and MIME Type for Comma-Separated Values (CSV) Files*, RFC 4180.
Research Information Systems, *RIS Format Specifications* (tags TY, AU, PY, TI, T2, DO, UR, LA, KW, N1, ER).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.core.checks import require_type
from analysis.vigie.arguments import require_table

#: Columns of the CSV download, in order (the caller gives their headers).
CSV_COLUMNS = ("work_id", "title", "authors", "year", "source_title", "doc_type", "language", "doi", "url", "themes",
               "origins", "cited_by")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DOI_URL = "https://doi.org/"
# white space as the browser's JavaScript sees it, plus what Python's \s adds: both sides fold the same characters
_SPACES = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\x1c-\x1f\x85\ufeff]+")
_BIBTEX = {"\\": "\\textbackslash{}", "{": "\\textbraceleft{}", "}": "\\textbraceright{}", "%": "\\%", "&": "\\&",
           "$": "\\$", "#": "\\#", "_": "\\_", "~": "\\textasciitilde{}", "^": "\\textasciicircum{}"}
_BIBTEX_RE = re.compile(r"[\\{}%&$#_~^]")
_RIS_TYPES = {"article": "JOUR", "incollection": "CHAP", "inproceedings": "CPAPER", "book": "BOOK", "misc": "GEN"}


def compute_catalogue(works: pd.DataFrame, authorships: pd.DataFrame, work_themes: pd.DataFrame) -> pd.DataFrame:
    """One row per work of the bank with its authors in order, its themes and the records it was merged from.

    Parameters
    ----------
    works : DataFrame
        The bank's works (``bank.works``).
    authorships : DataFrame
        The bank's authorships (``bank.authorships``).
    work_themes : DataFrame
        :func:`analysis.vigie.compute_work_themes` of the bank.

    Returns
    -------
    DataFrame
        ``work_id``, ``title``, ``year``, ``doi``, ``source_title``, ``doc_type``, ``language``, ``cited_by``,
        ``author_keywords``, ``authors`` (list of "Last, F."), ``themes`` (list of theme ids, dictionary order as
        given by ``work_themes``), ``origins`` (list of ``file#record``), ``files`` (the distinct files); in the
        bank's order.
    """
    require_table(works, "works", ("work_id", "title", "year", "doi", "source_title", "doc_type", "language",
                                   "cited_by", "author_keywords", "origins"))
    require_table(authorships, "authorships", ("work_id", "position", "author"))
    require_table(work_themes, "work_themes", ("work_id", "theme"))
    out = works[["work_id", "title", "year", "doi", "source_title", "doc_type", "language", "cited_by",
                 "author_keywords"]].copy().reset_index(drop=True)
    a = authorships.dropna(subset=["author"]).sort_values(["work_id", "position"], kind="mergesort")
    authors = a.groupby("work_id", sort=False)["author"].agg(list)
    themes = work_themes.drop_duplicates(["work_id", "theme"]).groupby("work_id", sort=False)["theme"].agg(list)
    out["authors"] = [list(authors.get(w, [])) for w in out["work_id"]]
    out["themes"] = [list(themes.get(w, [])) for w in out["work_id"]]
    origins = [[o.strip() for o in str(v).split(";") if o.strip()] if isinstance(v, str) else []
               for v in works["origins"]]
    out["origins"] = origins
    out["files"] = [list(dict.fromkeys(o.rsplit("#", 1)[0] for o in row)) for row in origins]
    return out


def _fold(text: str) -> str:
    """Accents removed (NFD, combining marks U+0300–U+036F dropped) and lower case, as the browser page folds."""
    return re.sub("[\u0300-\u036f]", "", unicodedata.normalize("NFD", text)).lower()


def doi_url(doi: object) -> str:
    """``https://doi.org/<doi>`` with spaces, quotes, angle brackets, braces, backslashes, ``#``, ``?`` and ``%``
    percent-encoded (empty for no DOI).

    Parameters
    ----------
    doi : str or None

    Returns
    -------
    str
    """
    if not isinstance(doi, str) or not doi.strip():
        return ""
    return DOI_URL + "".join(_URL_ESCAPES.get(c, c) for c in doi.strip())


_URL_ESCAPES = {c: f"%{ord(c):02X}" for c in ' "<>{}\\#?%|^`'}


def neutralize_cell(text: str) -> str:
    """A spreadsheet cell that cannot run as a formula: ``'`` before a leading ``= + - @``, tab or CR.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return ""
    text = neutralize_cell(str(value))
    return '"' + text.replace('"', '""') + '"'


def _csv_number(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(int(value))


def catalogue_rows(catalogue: pd.DataFrame, theme_names: Mapping[str, str]) -> list[dict[str, object]]:
    """The catalogue's rows as plain values, in :data:`CSV_COLUMNS` (lists joined by ``"; "``, themes named).

    Parameters
    ----------
    catalogue : DataFrame
        From :func:`compute_catalogue`.
    theme_names : mapping
        Theme id → name (ids without a name are kept).

    Returns
    -------
    list of dict
    """
    rows = []
    for r in catalogue.itertuples(index=False):
        rows.append({"work_id": r.work_id, "title": r.title, "authors": "; ".join(r.authors), "year": r.year,
                     "source_title": r.source_title, "doc_type": r.doc_type, "language": r.language, "doi": r.doi,
                     "url": doi_url(r.doi), "themes": "; ".join(theme_names.get(t, t) for t in r.themes),
                     "origins": "; ".join(r.origins), "cited_by": r.cited_by})
    return rows


def catalogue_csv(catalogue: pd.DataFrame, headers: Mapping[str, str], theme_names: Mapping[str, str]) -> str:
    """The catalogue as CSV text for a spreadsheet (BOM, CRLF, every text cell quoted and neutralised).

    Parameters
    ----------
    catalogue : DataFrame
        From :func:`compute_catalogue` (or some of its rows).
    headers : mapping
        Column of :data:`CSV_COLUMNS` → header.
    theme_names : mapping
        Theme id → name.

    Returns
    -------
    str
    """
    require_table(catalogue, "catalogue", ("work_id", "authors", "themes", "origins"))
    require_type(headers, Mapping, "headers", hint="a mapping of CSV_COLUMNS to headers")
    lines = [",".join(_csv_text(headers[c]) for c in CSV_COLUMNS)]
    for row in catalogue_rows(catalogue, theme_names):
        lines.append(",".join(_csv_number(row[c]) if c in ("year", "cited_by") else _csv_text(row[c])
                              for c in CSV_COLUMNS))
    return "\ufeff" + "\r\n".join(lines) + "\r\n"


def one_line(value: object) -> str:
    """A value on one line: every run of white space (line breaks and tabs included) one space, trimmed."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return _SPACES.sub(" ", str(value)).strip(" ")


def bibtex_escape(value: object) -> str:
    """Text safe inside a braced BibTeX field: LaTeX's special characters as commands with balanced braces.

    Parameters
    ----------
    value : object

    Returns
    -------
    str
    """
    return _BIBTEX_RE.sub(lambda m: _BIBTEX[m.group(0)], one_line(value))


def bibtex_type(doc_type: object) -> str:
    """The BibTeX entry type of a document type: ``article``, ``incollection``, ``inproceedings``, ``book`` or
    ``misc``.

    Parameters
    ----------
    doc_type : str or None
        As the export writes it (``Article``, ``Book Chapter``, ``Conference Paper``, ``Proceedings Paper``…).

    Returns
    -------
    str
    """
    t = _fold(one_line(doc_type))
    if "chapter" in t:
        return "incollection"
    if "conference" in t or "proceeding" in t:
        return "inproceedings"
    if t.startswith("book"):
        return "book"
    if any(w in t for w in ("article", "review", "letter", "editorial", "note", "erratum", "survey")):
        return "article"
    return "misc"


_SOURCE_FIELD = {"article": "journal", "incollection": "booktitle", "inproceedings": "booktitle",
                 "misc": "howpublished"}


def _verbatim(text: str) -> str:
    return text.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def catalogue_bibtex(catalogue: pd.DataFrame, theme_names: Mapping[str, str], origin_label: str) -> str:
    """The catalogue as BibTeX entries (key = bank work id), UTF-8, LF line ends.

    Fields: title, author (`` and ``-joined; a name holding " and " braced), year, journal / booktitle /
    howpublished (the source, by entry type; none for a book), doi, url, language, keywords (theme names),
    note (``<origin_label> file#record; …``).

    Parameters
    ----------
    catalogue : DataFrame
        From :func:`compute_catalogue`.
    theme_names : mapping
        Theme id → name.
    origin_label : str
        Words before the origins in ``note`` (e.g. ``Origines :``).

    Returns
    -------
    str
    """
    require_table(catalogue, "catalogue", ("work_id", "authors", "themes", "origins"))
    entries = []
    for r in catalogue.itertuples(index=False):
        kind = bibtex_type(r.doc_type)
        fields: list[tuple[str, str]] = [("title", bibtex_escape(r.title))]
        names = [bibtex_escape(a) for a in r.authors]
        if names:
            fields.append(("author", " and ".join(f"{{{n}}}" if " and " in n.lower() else n for n in names)))
        if pd.notna(r.year):
            fields.append(("year", str(int(r.year))))
        if kind in _SOURCE_FIELD and one_line(r.source_title):
            fields.append((_SOURCE_FIELD[kind], bibtex_escape(r.source_title)))
        if isinstance(r.doi, str) and r.doi.strip():
            fields.append(("doi", _verbatim(one_line(r.doi))))
            fields.append(("url", _verbatim(doi_url(r.doi))))
        if one_line(r.language):
            fields.append(("language", bibtex_escape(r.language)))
        if r.themes:
            fields.append(("keywords", bibtex_escape(", ".join(theme_names.get(t, t) for t in r.themes))))
        if r.origins:
            fields.append(("note", bibtex_escape(f"{origin_label} {'; '.join(r.origins)}")))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@{kind}{{{r.work_id},\n{body}\n}}\n")
    return "\n".join(entries)


def catalogue_ris(catalogue: pd.DataFrame, theme_names: Mapping[str, str], origin_label: str) -> str:
    """The catalogue as RIS records (CRLF line ends; each value on one line).

    Tags: TY (JOUR, CHAP, CPAPER, BOOK or GEN by :func:`bibtex_type`), ID (bank work id), TI, AU (one per
    author), PY, T2 (the source), DO, UR, LA, KW (one per theme), N1 (``<origin_label> file#record; …``), ER.

    Parameters
    ----------
    catalogue : DataFrame
        From :func:`compute_catalogue`.
    theme_names : mapping
        Theme id → name.
    origin_label : str
        Words before the origins in N1.

    Returns
    -------
    str
    """
    require_table(catalogue, "catalogue", ("work_id", "authors", "themes", "origins"))
    lines: list[str] = []

    def tag(name: str, value: object) -> None:
        text = one_line(value)
        if text:
            lines.append(f"{name}  - {text}")

    for r in catalogue.itertuples(index=False):
        tag("TY", _RIS_TYPES[bibtex_type(r.doc_type)])
        tag("ID", r.work_id)
        tag("TI", r.title)
        for a in r.authors:
            tag("AU", a)
        if pd.notna(r.year):
            tag("PY", int(r.year))
        tag("T2", r.source_title)
        tag("DO", r.doi)
        tag("UR", doi_url(r.doi))
        tag("LA", r.language)
        for t in r.themes:
            tag("KW", theme_names.get(t, t))
        if r.origins:
            tag("N1", f"{origin_label} {'; '.join(r.origins)}")
        lines.append("ER  - ")
        lines.append("")
    return "\r\n".join(lines)


def select_works(catalogue: pd.DataFrame, work_ids: Sequence[str]) -> pd.DataFrame:
    """The catalogue's rows of ``work_ids``, in that order.

    Parameters
    ----------
    catalogue : DataFrame
    work_ids : sequence of str

    Returns
    -------
    DataFrame
    """
    require_table(catalogue, "catalogue", ("work_id",))
    return catalogue.set_index("work_id", drop=False).loc[list(work_ids)].reset_index(drop=True)


__all__ = ["CSV_COLUMNS", "FORMULA_STARTS", "compute_catalogue", "doi_url", "neutralize_cell", "catalogue_rows",
           "catalogue_csv", "one_line", "bibtex_escape", "bibtex_type", "catalogue_bibtex", "catalogue_ris",
           "select_works"]
