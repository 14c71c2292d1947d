"""An executed notebook made ready for readers: Markdown in the report's language, headings numbered, a table of
contents, the title lifted into the page header, and nothing a reader should not see (warnings, errors, bare reprs).
"""

from __future__ import annotations

import html
import re
from typing import Any

from analysis.report.display import slug
from analysis.report.labels import t

_HEADING = re.compile(r"<h([23])((?:\s[^>]*)?)>(.*?)</h\1>", re.S | re.I)
_ID = re.compile(r'\sid\s*=\s*"([^"]*)"', re.I)
_TAGS = re.compile(r"<[^>]+>")
# a Markdown heading line of a report notebook: "## Section" or "### Subsection" (h1 is the title, from code)
_MD_HEADING = re.compile(r"^(#{2,3})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
_MD_MARKS = re.compile(r"^(#{1,6})[ \t]+")
_MANUAL_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+(?=\S)")
_TITLE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_SUBTITLE = re.compile(r'<p class="vigie-subtitle">(.*?)</p>', re.S)
INJECTED = "injected-parameters"


def _plain(fragment: str) -> str:
    return html.unescape(_TAGS.sub("", fragment)).strip()


def _label_key(cell) -> str | None:
    key = cell.get("metadata", {}).get("analysis", {}).get("label")
    return key if cell.cell_type == "markdown" and key else None


def localize_markdown(nb, lang: str) -> None:
    """Put each labelled Markdown cell in ``lang``, in place.

    A report notebook's Markdown cells are written in French and carry the metadata
    ``{"analysis": {"label": "<catalogue>.<key>"}}`` naming the label catalogue entry they come from
    (:func:`markdown_label_mismatches` checks that the French text and the entry agree). Each such cell takes the
    entry's text in ``lang``; a heading keeps its ``##`` marks.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook, changed in place.
    lang : str
        ``fr`` or ``en``.
    """
    for cell in nb.cells:
        key = _label_key(cell)
        if key is None:
            continue
        text = t(key, lang)
        heading = _MD_MARKS.match(cell.source)
        cell.source = f"{heading.group(1)} {text}" if heading else text


def markdown_label_mismatches(nb) -> list[str]:
    """Labelled Markdown cells whose text differs from their catalogue's French entry (empty when all agree)."""
    problems = []
    for cell in nb.cells:
        key = _label_key(cell)
        if key is None:
            continue
        text = _MD_MARKS.sub("", cell.source.strip())
        if text != t(key, "fr").strip():
            problems.append(f"{key}: the cell says {text!r}, the catalogue {t(key, 'fr')!r}")
    return problems


class _Headings:
    """Numbers ``h2``/``h3`` headings in reading order, gives each a unique id and builds the table of contents."""

    def __init__(self) -> None:
        self.toc: list[dict[str, Any]] = []
        self.seen: set[str] = set()
        self.section = self.subsection = 0

    def number(self, match: re.Match) -> str:
        level, attrs, inner = int(match.group(1)), match.group(2) or "", match.group(3)
        inner = _MANUAL_NUMBER.sub("", inner, count=1)  # "2. Production" → "Production": numbers are added here
        text = _plain(inner)
        found = _ID.search(attrs)
        base = found.group(1) if found and found.group(1) else slug(text)
        hid, k = base, 2
        while hid in self.seen:
            hid, k = f"{base}-{k}", k + 1
        self.seen.add(hid)
        if level == 2:
            self.section, self.subsection = self.section + 1, 0
            number = f"{self.section}"
            self.toc.append({"id": hid, "number": number, "text": text, "children": []})
        else:
            self.subsection += 1
            number = f"{self.section}.{self.subsection}" if self.section else f"{self.subsection}"
            entry = {"id": hid, "number": number, "text": text}
            if self.toc:
                self.toc[-1]["children"].append(entry)
            else:
                self.toc.append({**entry, "children": []})
        return f'<h{level} id="{html.escape(hid)}"><span class="vigie-num">{number}</span>{inner}</h{level}>'

    def markdown(self, match: re.Match) -> str:
        level, text = len(match.group(1)), html.escape(match.group(2).strip(), quote=False)
        return self.number(_HEADING.match(f"<h{level}>{text}</h{level}>"))


def clean_notebook(nb) -> dict[str, Any]:
    """Prepare an executed notebook for readers, in place; return its title, subtitle, table of contents and notes.

    Removes stderr streams (warnings, logs), error outputs, printed text and bare values' reprs, takes the title
    (``h1``) and subtitle out of the body (the page header shows them), numbers every ``h2``/``h3`` (from code
    outputs and from Markdown cells alike) and gives it a unique id for the table of contents.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook, changed in place (papermill's injected-parameters cell is dropped).

    Returns
    -------
    dict
        ``title`` and ``subtitle`` (``None`` when absent), ``toc`` (sections with their ``children``) and ``notes``
        (English lines for the author: what was left out and where).
    """
    headings = _Headings()
    title = subtitle = None
    notes: list[str] = []
    position = 0  # 1-based position of the cell in the notebook as written (papermill's injected cell skipped)
    for cell in nb.cells:
        if INJECTED in cell.get("metadata", {}).get("tags", []):
            continue
        position += 1
        if cell.cell_type == "markdown":
            cell.source = _MD_HEADING.sub(headings.markdown, cell.source)
            continue
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                continue
            if kind == "stream":
                if out.get("name") == "stderr":
                    continue
                notes.append(f"cell {position}: printed text (use display.show_* instead of print)")
            data = out.get("data", {})
            if kind == "execute_result" and set(data) <= {"text/plain"}:
                notes.append(f"cell {position}: a bare value's repr was left out (end the cell with a display call "
                             "or ';')")
                continue
            if "text/html" in data:
                body = data["text/html"]
                body = "".join(body) if isinstance(body, list) else body
                if title is None and "<h1" in body:
                    m = _TITLE.search(body)
                    title = _plain(m.group(1)) if m else None
                    s = _SUBTITLE.search(body)
                    subtitle = _plain(s.group(1)) if s else None
                    body = _TITLE.sub("", body, count=1)
                    body = _SUBTITLE.sub("", body, count=1)
                    if not body.strip():
                        continue
                data["text/html"] = _HEADING.sub(headings.number, body)
            kept.append(out)
        cell.outputs = kept
    # papermill's injected-parameters cell has no output and a random cell id: drop it (the provenance lists the values)
    nb.cells = [c for c in nb.cells if INJECTED not in c.get("metadata", {}).get("tags", [])]
    return {"title": title, "subtitle": subtitle, "toc": headings.toc, "notes": notes}
