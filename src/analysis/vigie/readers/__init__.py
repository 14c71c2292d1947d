"""Readers of bibliographic exports: one module per source, all returning a :class:`ReadResult`.

``read_file(path, fmt=None)`` decodes the file (UTF-8, else cp1252 noted in the ledger), detects the format
from its content unless one is given, and dispatches to the reader.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Callable

import pyarrow as pa

from analysis.core.errors import InputFormatError
from analysis.vigie.inputs import resolve_path
from analysis.vigie.readers import bibtex, crossref, csl_json, openalex, ris, scopus, wos
from analysis.vigie.readers.common import ReadResult, decode, load_bytes, normalize_newlines
from analysis.vigie.readers.detect import FORMATS, detect_format

Reader = Callable[[Path, str, str, str], ReadResult]

#: The reader of each format.
READERS: dict[str, Reader] = {
    "scopus_csv": scopus.read_scopus_csv, "scopus_bib": bibtex.read_scopus_bib, "wos_txt": wos.read_wos_txt,
    "wos_tab": wos.read_wos_tab, "openalex_json": openalex.read_openalex_json,
    "openalex_csv": openalex.read_openalex_csv, "crossref_json": crossref.read_crossref_json,
    "ris": ris.read_ris, "bibtex": bibtex.read_bibtex, "csl_json": csl_json.read_csl_json,
}


def read_file(path: str | Path, fmt: str | None = None) -> ReadResult:
    """Read one bibliographic export (gzipped or not) into records, authorships and rejections.

    Parameters
    ----------
    path : str or Path
        The file; relative to the current folder or to the project root, or ``external:<name>``.
    fmt : str, optional
        One of :data:`FORMATS` to force a format; by default it is detected from the content.

    Returns
    -------
    ReadResult
        ``records``, ``authorships``, ``rejections`` (record, line, code, reason, detail), ``format``,
        ``encoding`` and a ``note`` (e.g. the file was not UTF-8).

    Raises
    ------
    InputFormatError
        When the file is missing, empty, binary, of an unknown format, or cannot be read as its format; the
        message names the file (and the line when known).
    """
    path = resolve_path(path)
    if fmt is not None and fmt not in FORMATS:
        raise InputFormatError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", path=path)
    data = load_bytes(path)
    try:
        if fmt in (None, "scopus_csv") and len(data) > 1_000_000:
            # big exports: detect on the head, then let pyarrow parse the UTF-8 bytes directly
            cut = data[:65536]
            head, _, _ = decode(cut[: cut.rfind(b"\n") + 1] or cut, path)
            if (fmt or detect_format(normalize_newlines(head), path)) == "scopus_csv":
                fast = scopus.read_scopus_csv_bytes(path, data)
                if fast is not None:
                    return fast
        text, encoding, note = decode(data, path)
        text = normalize_newlines(text)
        fmt = fmt or detect_format(text, path)
        return READERS[fmt](path, text, encoding, note)
    except InputFormatError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, csv.Error, RecursionError,
            pa.ArrowException) as exc:
        # a reader met input it does not expect: say which file, never a bare traceback
        raise InputFormatError(f"cannot be read as {fmt} ({type(exc).__name__}: {exc})", path=path) from None


__all__ = ["FORMATS", "ReadResult", "detect_format", "read_file"]
