"""The references the roadmap cites (``data/raw/vigie/seed_references.bib``): authors and year, as printed.

The CQCM roadmap (seed ``000_c0319b767be08c98.txt``, section « Vigie de l'innovation scientifique ») cites eight
works by author and year only, without title, venue or DOI. The file records exactly that, so the bank's readers
reject each entry (``no_title``): they are not publications of the bank. The report presents them as what they
are, references cited by the roadmap, while the reading ledger keeps counting them as rejected records.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import bibtexparser
import pandas as pd
from bibtexparser import model

from analysis.core import paths
from analysis.core.errors import InputFormatError
from analysis.vigie.arguments import require_table
from analysis.vigie.inputs import resolve_path
from analysis.vigie.readers.bibtex import delatex, split_names

ROADMAP_REFERENCES = paths.RAW / "vigie" / "seed_references.bib"
_CITED_AS = re.compile(r'Cited as "([^"]+)"')


def _authors(value: str) -> tuple[str, bool]:
    names = [delatex(n.strip().strip("{}")) or n for n in split_names(value)]
    others = any(n.casefold() == "others" for n in names)
    return "; ".join(n for n in names if n and n.casefold() != "others"), others


def load_roadmap_references(path: str | Path | None = None) -> pd.DataFrame:
    """The roadmap's references: key, authors and year as printed, and how the roadmap cites them.

    Parameters
    ----------
    path : str or Path, optional
        A BibTeX file; relative to the current folder or to the project root. Default:
        ``data/raw/vigie/seed_references.bib``.

    Returns
    -------
    DataFrame
        ``key``, ``authors`` (surnames as printed, separated by "; "), ``et_al`` (the entry ends with ``and
        others``: co-authors not named), ``year`` (Int64), ``cited_as``
        (the citation as the roadmap prints it, from the entry's note; missing when the note does not say),
        ``line`` (of the entry in the file); file order.

    Raises
    ------
    InputFormatError
        When the file cannot be read or parsed as BibTeX, naming it.
    """
    path = resolve_path(ROADMAP_REFERENCES if path is None else path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFormatError(f"cannot read the roadmap's references ({exc})", path=path) from None
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        library = bibtexparser.parse_string(text)
    except Exception as exc:  # noqa: BLE001 - bibtexparser raises several internal types
        raise InputFormatError(f"BibTeX cannot be parsed ({exc})", path=path) from None
    finally:
        logger.setLevel(level)
    rows = []
    for entry in library.blocks:
        if not isinstance(entry, model.Entry):
            continue
        fields = {f.key.lower(): f.value for f in entry.fields if isinstance(f.value, str)}
        year = re.search(r"\d{4}", fields.get("year", ""))
        cited = _CITED_AS.search(fields.get("note", ""))
        authors, et_al = _authors(fields.get("author", ""))
        rows.append({"key": entry.key, "authors": authors, "et_al": et_al,
                     "year": int(year.group(0)) if year else None,
                     "cited_as": cited.group(1) if cited else None, "line": (entry.start_line or 0) + 1})
    out = pd.DataFrame(rows, columns=["key", "authors", "et_al", "year", "cited_as", "line"])
    out["year"] = pd.array(out["year"], dtype="Int64")
    out["line"] = out["line"].astype(int)
    return out


def roadmap_rejections(rejections: pd.DataFrame, path: str | Path | None = None) -> pd.Series:
    """Which of the bank's rejected records are the roadmap's references (the file's entries without title).

    Parameters
    ----------
    rejections : DataFrame
        ``bank.rejections`` (``file``, ``code``).
    path : str or Path, optional
        The references file (default ``data/raw/vigie/seed_references.bib``).

    Returns
    -------
    Series of bool
        Indexed as ``rejections``.
    """
    require_table(rejections, "rejections", ("file", "code"))
    name = Path(ROADMAP_REFERENCES if path is None else path).name
    return (rejections["file"].astype(str) == name) & (rejections["code"].astype(str) == "no_title")


__all__ = ["ROADMAP_REFERENCES", "load_roadmap_references", "roadmap_rejections"]
