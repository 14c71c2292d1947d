"""Readers of bibliographic exports: one module per source, all returning a :class:`ReadResult`.

``read_file(path, fmt=None)`` decodes the file (UTF-8, a few bad bytes repaired value by value, else cp1252 noted in
the ledger), detects the format from its content unless one is given, dispatches to the reader, and checks that the
records the raw text starts (counted apart from the parser, :mod:`analysis.vigie.readers.count`) are all either kept
or rejected.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Callable

import pyarrow as pa

from analysis.core.errors import DataIntegrityError, InputFormatError
from analysis.vigie.inputs import resolve_path
from analysis.vigie.readers import bibtex, count, crossref, csl_json, openalex, ris, scopus, wos
from analysis.vigie.readers.common import ReadResult, decode_text, load_bytes, normalize_newlines
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
        ``encoding``, a ``note`` (e.g. the file was not UTF-8), ``started`` (records the raw text starts) and
        ``repaired`` (field values whose bytes were not UTF-8).

    Raises
    ------
    InputFormatError
        When the file is missing, empty, binary, too large, of an unknown format, or cannot be read as its format;
        the message names the file (and the line when known).
    DataIntegrityError
        When the records the file starts are not all kept or rejected (a reader lost or invented a record).
    """
    path = resolve_path(path)
    if fmt is not None and fmt not in FORMATS:
        raise InputFormatError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", path=path)
    data = load_bytes(path)
    detected = fmt
    try:
        if fmt in (None, "scopus_csv") and len(data) > 1_000_000:
            # big exports: detect on the head, then let pyarrow parse the UTF-8 bytes directly
            cut = data[:65536]
            head = decode_text(cut[: cut.rfind(b"\n") + 1] or cut, path).text
            detected = fmt or detect_format(normalize_newlines(head), path)
            if detected == "scopus_csv":
                parsed = scopus.parse_scopus_csv_bytes(path, data)
                if parsed is not None:
                    started = count.csv_rows(data)[0]
                    del data, cut  # the raw bytes go before the records are built: never both in memory
                    return _reconciled(scopus.from_parsed(parsed), started)
        decoded = decode_text(data, path)
        text = normalize_newlines(decoded.text)
        detected = fmt or detect_format(text, path)
        result = READERS[detected](path, text, decoded.encoding, decoded.note)
        result.repaired = decoded.repaired
        started = result.started if result.started is not None else count.records_started(detected, text)
    except InputFormatError:
        raise
    except (ValueError, KeyError, IndexError, TypeError, AttributeError, csv.Error, RecursionError,
            pa.ArrowException) as exc:
        # a reader met input it does not expect: say which file, never a bare traceback
        raise InputFormatError(f"cannot be read as {detected or 'a bibliographic export'} "
                               f"({type(exc).__name__}: {exc})", path=path) from None
    return _reconciled(result, started)


def _reconciled(result: ReadResult, started: int | None) -> ReadResult:
    """``result`` with its independent count of records started, once checked against kept + rejected."""
    kept, rejected = len(result.records), len(result.rejections)
    if started is not None and started != kept + rejected:
        what = "lost" if started > kept + rejected else "invented"
        raise DataIntegrityError(
            f"the file starts {started} records but the {result.format} reader accounts for {kept + rejected} "
            f"({kept} kept, {rejected} rejected): records would be {what}; please report this file",
            path=result.path)
    result.started = started
    return result


__all__ = ["FORMATS", "ReadResult", "detect_format", "read_file"]
