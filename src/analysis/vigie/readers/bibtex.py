"""BibTeX / biblatex exports (Scopus, Web of Science, Zotero, JabRef) read with bibtexparser v2.

Field names differ by producer; one mapping covers them (``author_keywords`` vs ``keywords`` vs
``keywords-plus``, ``note = {Cited by: 8}`` vs ``times-cited``, ``journal`` vs ``journaltitle``, ``date`` vs
``year``). Entry types (``@inbook``, ``@incollection``, ``@techreport``, ``@phdthesis``, biblatex's ``@report`` with
``type = {resreport}``…) are normalised to the bank's document types (:data:`BIBTEX_TYPES`).

Every entry the text starts (``@type{`` at the start of a line, :func:`analysis.vigie.readers.count.bibtex_starts`)
is accounted for. Entries bibtexparser cannot parse become ledger rejections with their line, unless a repair gives
back every field the entry writes: a key holding commas (Scopus), a stray ``}`` that ended the entry early and left
its later fields outside it (the brace is dropped), a missing final ``}``. Repairs are named in the ledger note; a
repair that would lose a field is not made and the entry is rejected. Entries sharing a key are still read (the
deduplication decides). The Web of Science ``unique-id`` and the Scopus EID (in the ``url``) are kept as
``database_id``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path

import bibtexparser
from bibtexparser import model

from analysis.core.errors import InputFormatError
from analysis.core.text import clean_space
from analysis.vigie.names import author_key, format_author, normalize_author
from analysis.vigie.readers.common import (
    ReadResult,
    author_rows,
    authors_frame,
    finish,
    join_keywords,
    records_frame,
    rejection,
    to_int,
    year_of,
)
from analysis.vigie.readers.count import bibtex_starts
from analysis.vigie.readers.wos import wos_database_id

_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304", ".": "\u0307",
    "c": "\u0327", "u": "\u0306", "v": "\u030c", "H": "\u030b", "k": "\u0328", "r": "\u030a",
}
_SYMBOLS = {
    r"\&": "&", r"\%": "%", r"\$": "$", r"\#": "#", r"\_": "_", r"\textquotesingle": "'", r"\textendash": "–",
    r"\textemdash": "—", r"\textquotedbl": '"', r"\ss": "ß", r"\o": "ø", r"\O": "Ø", r"\ae": "æ", r"\oe": "œ",
    r"\l": "ł", r"\L": "Ł", r"\i": "ı", r"\aa": "å", r"\AA": "Å", "~": " ", "--": "–",
}
_ACCENT_RE = re.compile(r"\\([`'^\"~=.cuvHkr])\s*\{?\\?([A-Za-z])\}?")

#: BibTeX and biblatex entry types (and biblatex ``type`` field values such as ``resreport`` or ``phdthesis``) →
#: the bank's document types, as the RIS and CSL-JSON readers write them. Other values are kept as written.
BIBTEX_TYPES: dict[str, str] = {
    "article": "Article", "inbook": "Book chapter", "incollection": "Book chapter", "bookinbook": "Book chapter",
    "suppbook": "Book chapter", "suppcollection": "Book chapter", "inreference": "Book chapter",
    "book": "Book", "mvbook": "Book", "collection": "Book", "mvcollection": "Book", "booklet": "Book",
    "reference": "Book", "mvreference": "Book", "proceedings": "Book", "mvproceedings": "Book",
    "inproceedings": "Conference paper", "conference": "Conference paper",
    "report": "Report", "techreport": "Report", "resreport": "Report",
    "thesis": "Thesis", "phdthesis": "Thesis", "mastersthesis": "Thesis", "mathesis": "Thesis",
    "online": "Web page", "electronic": "Web page", "www": "Web page", "dataset": "Dataset",
    "unpublished": "Unpublished", "manual": "Document", "misc": "Document", "patent": "Patent",
    "software": "Software",
}


def bibtex_doc_type(entry_type: str, type_field: str | None = None) -> str:
    """The bank's document type of a BibTeX entry: its ``document_type``/``type`` field when it names a type the
    bank knows as written by a database (WoS "Article; Early Access", Scopus "Conference paper"), a biblatex
    ``type`` code (``resreport``, ``phdthesis``…) mapped by :data:`BIBTEX_TYPES`, else the entry type mapped.

    Parameters
    ----------
    entry_type : str
        ``article``, ``inbook``, ``phdthesis``…
    type_field : str, optional
        The entry's ``document_type`` or ``type`` field.

    Returns
    -------
    str

    References
    ----------
    Kime, P., Wemheuer, M., & Lehman, P. (2024). *The biblatex Package*, §2.1 (entry types) and §2.2.2 (``type``).
    """
    if type_field:
        return BIBTEX_TYPES.get(type_field.strip().lower(), type_field.strip())
    return BIBTEX_TYPES.get(entry_type.strip().lower(), entry_type.strip().lower())


_EID = re.compile(r"eid=(2-s2\.0-\d+)")


def scopus_eid(text: str | None) -> str | None:
    """The bank's database id (``scopus:2-s2.0-…``) of a Scopus link or EID, else None.

    Parameters
    ----------
    text : str or None
        A Scopus record URL (``…record.uri?eid=2-s2.0-…``) or an EID.

    Returns
    -------
    str or None
    """
    if not text:
        return None
    m = _EID.search(text) or re.fullmatch(r"\s*(2-s2\.0-\d+)\s*", text)
    return f"scopus:{m.group(1)}" if m else None


def delatex(text: str | None) -> str | None:
    """Common LaTeX accents and escapes to Unicode, braces removed, whitespace collapsed.

    Parameters
    ----------
    text : str or None

    Returns
    -------
    str or None
    """
    if text is None:
        return None
    if "\\" in text:
        text = _ACCENT_RE.sub(lambda m: (("i" if m.group(2) == "i" else m.group(2)) + _ACCENTS[m.group(1)]), text)
        for k, v in sorted(_SYMBOLS.items(), key=lambda kv: -len(kv[0])):
            if k.startswith("\\"):
                text = text.replace(k + "{}", v).replace(k, v)
        text = unicodedata.normalize("NFC", text)
    text = text.replace("{", "").replace("}", "")
    return clean_space(text)


def split_names(value: str) -> list[str]:
    """Split a BibTeX name list on " and " outside braces (line breaks count as spaces).

    Parameters
    ----------
    value : str or None
        A BibTeX ``author`` field.

    Returns
    -------
    list of str
    """
    value = re.sub(r"\s+", " ", value)
    out, depth, cur, i = [], 0, [], 0
    while i < len(value):
        ch = value[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if depth == 0 and value[i:i + 5].lower() == " and ":
            out.append("".join(cur))
            cur = []
            i += 5
            continue
        cur.append(ch)
        i += 1
    out.append("".join(cur))
    return [x.strip() for x in out if x.strip()]


def bib_name(raw: str) -> tuple[str, str]:
    """(normalised "Last, F.", full display name) of one BibTeX name; braced names are corporate.

    Parameters
    ----------
    raw : str
        One BibTeX name.

    Returns
    -------
    (str, str)
        ``Last, F.`` and the full name.
    """
    raw = raw.strip()
    if raw.startswith("{") and raw.endswith("}") and raw.count("{") == 1:
        name = delatex(raw) or raw
        return name, name
    if re.search(r"\b(family|given)=", raw):
        parts = dict(
            (k.strip(), v.strip()) for k, _, v in (p.partition("=") for p in re.split(r",\s*(?=\w+=)", raw))
        )
        family = delatex(" ".join(x for x in (parts.get("prefix"), parts.get("family")) if x)) or ""
        given = delatex(parts.get("given")) or ""
        full = f"{family}, {given}" if given else family
        return format_author(family, given) or full, full
    name = delatex(raw) or raw
    return normalize_author(name) or name, name


def _field(entry: model.Entry, fields: dict[str, str], *names: str) -> str | None:
    for n in names:
        v = fields.get(n)
        if v is not None and str(v).strip():
            return str(v)
    return None


def _entry_record(entry: model.Entry, record: int, line: int) -> tuple[dict, list[dict]]:
    fields = {f.key.lower(): f.value for f in entry.fields if isinstance(f.value, str)}
    title = delatex(_field(entry, fields, "title"))
    year = year_of(_field(entry, fields, "year", "date", "earlyaccessdate"))
    note = _field(entry, fields, "note")
    cited = to_int(_field(entry, fields, "times-cited", "cited-by", "citations"))
    if cited is None and note:
        m = re.search(r"Cited by:?\s*(\d+)", note, re.IGNORECASE)
        cited = int(m.group(1)) if m else None

    def kw(value: str | None) -> str | None:
        if value is None:
            return None
        value = delatex(value) or ""
        return join_keywords(value, ";" if ";" in value else ",")

    if "author_keywords" in fields:
        ak, ik = kw(fields.get("author_keywords")), kw(fields.get("keywords"))
    else:
        ak, ik = kw(fields.get("keywords")), kw(fields.get("keywords-plus"))
    rec = {
        "record": record, "line": line, "doi": _field(entry, fields, "doi"), "title": title, "year": year,
        "source_title": delatex(_field(entry, fields, "journal", "journaltitle", "booktitle", "series")),
        "doc_type": bibtex_doc_type(entry.entry_type, delatex(_field(entry, fields, "document_type", "type"))),
        "language": delatex(_field(entry, fields, "language", "langid")),
        "cited_by": cited, "abstract": delatex(_field(entry, fields, "abstract")),
        "author_keywords": ak, "index_keywords": ik,
        "database_id": _database_id(fields),
    }
    names_raw = split_names(_field(entry, fields, "author") or "")
    pairs = [bib_name(n) for n in names_raw]
    norm = [p[0] for p in pairs]
    full = [p[1] for p in pairs]
    affs: list[str | None] = [None] * len(norm)
    every: list[list[str]] = [[] for _ in norm]
    aff_text = _field(entry, fields, "affiliation", "affiliations")
    if aff_text and norm:
        lines = [clean_space(x) for x in re.split(r"\n(?!\s{3})|\.\n", aff_text)]
        lines = [x for x in lines if x and "(Corresponding Author)" not in x]
        wos_style = any(x and "," in x and author_key(x.split(",")[0]) for x in lines) and "\n" in aff_text
        if wos_style:  # "Last, First, Address." once per author and address
            for i, f in enumerate(full):
                every[i] = [x[len(f) + 1:].strip().rstrip(".") for x in lines if x.startswith(f + ",")]
                affs[i] = every[i][0] if every[i] else None
        ambiguous = False
        if not any(affs):
            parts = [clean_space(p) for p in aff_text.split(";") if clean_space(p)]
            if len(parts) == 1 or len(norm) == 1:
                # one affiliation (or one author): every address belongs to every author
                affs = ["; ".join(parts)] * len(norm) if parts else affs
            elif parts:
                # several addresses, several authors, no mapping in the export (Scopus BibTeX): each author keeps
                # the record's whole address list, and no country, since which one is theirs is unknown
                affs = ["; ".join(parts)] * len(norm)
                ambiguous = True
    else:
        ambiguous = False
    rows = author_rows(record, norm, full, affs, None, every)
    for r, n in zip(rows, norm):
        r["author"] = n
        if ambiguous or (r["affiliation"] and ";" in r["affiliation"]):
            r["country"] = r["countries"] = None
    return rec, rows


def _database_id(fields: dict[str, str]) -> str | None:
    """Web of Science ``unique-id`` (``WOS:…``) or Scopus EID (``eid`` field or the ``url``), as a bank id."""
    unique = (fields.get("unique-id") or "").strip().strip("{}")
    if unique and ":" in unique:
        return wos_database_id(unique)
    return scopus_eid(fields.get("eid")) or scopus_eid(fields.get("url"))


def read_bibtex(path: Path, text: str, encoding: str, note: str = "", fmt: str = "bibtex") -> ReadResult:
    """Records and authorships of a BibTeX or biblatex file.

    Parameters
    ----------
    path : Path
        The file (for messages and the result).
    text : str
        Its decoded text.
    encoding : str
    note : str
        Ledger note of the decoding.
    fmt : str
        The format name the result carries (``bibtex`` or ``scopus_bib``).

    Returns
    -------
    ReadResult
        With ``started``: the entries the text starts, each kept or rejected.

    Raises
    ------
    InputFormatError
        When the file holds no entry at all.
    """
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # its syntax warnings become ledger rejections instead of stderr noise
    try:
        library = bibtexparser.parse_string(text)
    except Exception as exc:  # noqa: BLE001 - bibtexparser raises several internal types
        raise InputFormatError(f"BibTeX cannot be parsed ({exc})", path=path) from None
    finally:
        logger.setLevel(level)
    starts = bibtex_starts(text)
    lines = text.lstrip("\ufeff").split("\n")
    parsed: dict[int, model.Block] = {}  # entry-like blocks by start line
    cut: set[int] = set()  # entries followed by text that still holds fields (a stray "}" ended them early)
    previous: model.Block | None = None
    for block in library.blocks:
        if isinstance(block, model.DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, model.String):
            pass  # a @string macro defined again (two exports joined): not a record; bibtexparser keeps the first
        elif isinstance(block, (model.Entry, model.ParsingFailedBlock)):
            parsed.setdefault(block.start_line, block)
        elif isinstance(block, model.ImplicitComment) and isinstance(previous, model.Entry) \
                and _FIELD_START.search(block.raw or ""):
            cut.add(previous.start_line)
        previous = block
    if not starts and not parsed:
        raise InputFormatError("no BibTeX entry found (expected lines like '@article{key,')", path=path, line=1)
    ends = {s: e for s, e in zip(starts, [*starts[1:], len(lines)])}
    blocks: list[tuple[int, model.Entry | None, tuple[str, dict] | None]] = []
    repairs: dict[str, int] = {}
    for start in sorted(set(starts) | set(parsed)):  # a block at no counted start is kept: the ledger check names it
        block = parsed.get(start)
        chunk = "\n".join(lines[start: ends.get(start, start + 1)])
        entry, problem, how = _settle(block, chunk, start in cut, text, start)
        if how:
            repairs[how] = repairs.get(how, 0) + 1
        blocks.append((start, entry, problem))
    rows, authors, rejections = [], [], []
    for record, (start, entry, problem) in enumerate(blocks, start=1):
        line = start + 1
        if entry is None:
            code, detail = problem or ("bibtex_unread_entry", {})
            rejections.append(rejection(record, line, code, **detail))
            continue
        rec, auth = _entry_record(entry, record, line)
        rows.append(rec)
        authors.extend(auth)
    notes = [note] if note else []
    notes += [f"{n} {_REPAIRS[how]} repaired" for how, n in sorted(repairs.items())]
    result = finish(path, fmt, encoding, "; ".join(notes), records_frame(rows), authors_frame(authors), rejections)
    result.started = len(starts)
    return result


_REPAIRS = {"key": "entry key(s) with commas", "brace": "entry(ies) with a stray or missing brace"}
_FIELD_START = re.compile(r"^\s*,?\s*[A-Za-z][\w-]*\s*=\s*[{\"\d]", re.M)
_FIELD_LINE = re.compile(r"(?:^|,)\s*[A-Za-z][\w-]*\s*=\s*[{\"\w]", re.M)


def _settle(block: model.Block | None, chunk: str, cut: bool, text: str, start: int
            ) -> tuple[model.Entry | None, tuple[str, dict] | None, str]:
    """(entry read or None, rejection code and detail, repair made) for the entry starting at line ``start``."""
    if isinstance(block, model.Entry) and not cut:
        return block, None, ""
    if isinstance(block, model.DuplicateBlockKeyBlock):
        inner = getattr(block, "ignore_error_block", None)
        return (inner, None, "") if isinstance(inner, model.Entry) else (None, ("duplicate_key", {}), "")
    if isinstance(block, model.ParsingFailedBlock):
        repaired = _repair_key(text, start)
        if repaired is not None:
            return repaired, None, "key"
    repaired = _repair_braces(chunk)
    if repaired is not None:
        return repaired, None, "brace"
    if cut:
        return None, ("bibtex_stray_brace", {}), ""
    if isinstance(block, model.ParsingFailedBlock):
        head = (block.raw or "").strip().split("\n", 1)[0][:80]
        return None, ("bibtex_syntax_error", {"entry": head}), ""
    return None, ("bibtex_unread_entry", {}), ""


def _repair_braces(chunk: str) -> model.Entry | None:
    """The entry of ``chunk`` read again without the ``}`` that closed it before its last field (and with the
    entry's final ``}`` added when only that one is missing); None unless that gives one entry holding every field
    the chunk writes."""
    out: list[str] = []
    depth = 0
    changed = False
    i = 0
    while i < len(chunk):
        ch = chunk[i]
        if ch == "\\" and i + 1 < len(chunk):
            out.append(chunk[i: i + 2])
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0 or (depth == 1 and _MORE_FIELDS.match(chunk, i + 1)):
                changed = True  # closes nothing, or closes the entry while fields follow: the stray brace
                i += 1
                continue
            depth -= 1
        out.append(ch)
        i += 1
    fixed = "".join(out).rstrip()
    if depth > 1:  # cut inside a value (the next "@" line belongs to it): nothing to repair safely
        return None
    if depth == 1:  # only the entry's own closing brace is missing
        fixed += "\n}"
        changed = True
    if not changed:
        return None
    try:
        lib = bibtexparser.parse_string(fixed)
    except Exception:  # noqa: BLE001 - bibtexparser raises several internal types
        return None
    if len(lib.entries) != 1 or lib.failed_blocks:
        return None
    entry = lib.entries[0]
    keys = {f.key.lower() for f in entry.fields}
    if "title" not in keys or len(keys) < len(_FIELD_LINE.findall(chunk.split("\n", 1)[-1])):
        return None  # a field would be lost inside another one: no repair
    return entry


_MORE_FIELDS = re.compile(r"\s*,\s*[A-Za-z][\w-]*\s*=")


_BAD_KEY = re.compile(r"^(\s*@\w+\s*\{)([^\n=]*),\s*$")


def _repair_key(text: str, start_line: int) -> model.Entry | None:
    """Re-read an entry whose key contains commas (seen in Scopus exports: "@ARTICLE{Lenssen,Mollie…2013467,").

    The key's inner commas become underscores; the entry runs to the next line starting with "@". Returns
    None when that does not give exactly one entry with a title (then the record is rejected).
    """
    lines = text.split("\n")
    if not 0 <= start_line < len(lines):
        return None
    m = _BAD_KEY.match(lines[start_line])
    if not m or "," not in m.group(2):
        return None
    end = start_line + 1
    while end < len(lines) and not lines[end].lstrip().startswith("@"):
        end += 1
    fixed = m.group(1) + m.group(2).replace(",", "_") + ",\n" + "\n".join(lines[start_line + 1:end])
    try:
        lib = bibtexparser.parse_string(fixed)
    except Exception:  # noqa: BLE001
        return None
    if len(lib.entries) != 1 or lib.failed_blocks or "title" not in {f.key.lower() for f in lib.entries[0].fields}:
        return None
    return lib.entries[0]


def read_scopus_bib(path: Path, text: str, encoding: str, note: str = "") -> ReadResult:
    """Scopus BibTeX export (old ``affiliation``/``document_type`` and newer ``affiliations``/``type`` layouts).

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
    return read_bibtex(path, text, encoding, note, fmt="scopus_bib")
