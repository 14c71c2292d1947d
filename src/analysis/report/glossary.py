"""The glossary every report ends with: the technical terms it uses, in plain words, and the first use of each in
the report's text linked to its definition.

The terms live in ``labels/glossary.yaml`` (``<key>.term``, ``<key>.match``, ``<key>.definition``, each in French
and English). The page renderer (:mod:`analysis.report.render.page`) calls :func:`used_terms` on the cleaned
notebook, shows :func:`entries` as the last section and passes the page through :func:`link_first_uses`: notebooks
need no edit.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache

import yaml

from analysis.core.text import fold_accents
from analysis.report.labels import _HERE, t

ANCHOR = "glossaire"  # id of the glossary's heading; each term's definition is #glossaire-<key>
# Text inside these elements is never linked: headings, links, code, tables, figures, the page frame, forms.
_NO_LINK = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "script", "style", "caption", "th", "td", "figure",
            "button", "select", "option", "title", "nav", "header", "footer", "label", "summary", "dt"}
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")
_VOID = {"br", "img", "meta", "input", "hr", "link", "source", "wbr", "col", "area", "base", "embed", "param", "track"}


@dataclass(frozen=True)
class Term:
    """One glossary entry in one language."""

    key: str
    term: str
    pattern: re.Pattern
    definition: str

    @property
    def anchor(self) -> str:
        """The id of the term's definition in the page."""
        return f"{ANCHOR}-{self.key.replace('_', '-')}"


@cache
def _keys() -> tuple[str, ...]:
    with (_HERE / "glossary.yaml").open(encoding="utf-8") as fh:
        entries = yaml.safe_load(fh) or {}
    return tuple(dict.fromkeys(k.rsplit(".", 1)[0] for k in entries))


def terms(lang: str = "fr") -> list[Term]:
    """Every glossary term in ``lang``, in alphabetical order of its name (accents folded).

    Parameters
    ----------
    lang : str
        ``fr`` or ``en``.

    Returns
    -------
    list of Term
    """
    out = []
    for key in _keys():
        match = t(f"glossary.{key}.match", lang)
        flags = re.IGNORECASE if match[:1].islower() else 0  # "médiane" also at a sentence's start; "OER" as is
        out.append(Term(key, t(f"glossary.{key}.term", lang), re.compile(rf"(?<![\w-])(?:{match})(?![\w-])", flags),
                        t(f"glossary.{key}.definition", lang)))
    return sorted(out, key=lambda x: (fold_accents(x.term) or "").lower())


def _text_segments(page: str):
    """(is_linkable_text, piece) for every piece of ``page``: tags, and text inside or outside the elements of
    :data:`_NO_LINK`."""
    depth = 0
    for piece in _TAG.split(page):
        if piece.startswith("<"):
            m = _TAG_NAME.match(piece)
            if m and m.group(2).lower() in _NO_LINK and m.group(2).lower() not in _VOID \
                    and not piece.rstrip(">").endswith("/"):
                depth += -1 if m.group(1) else 1
                depth = max(depth, 0)
            yield False, piece
        else:
            yield depth == 0, piece


def used_terms(texts: list[str], lang: str = "fr") -> list[Term]:
    """The glossary terms found in ``texts`` (HTML or Markdown of a report), outside headings, tables and code.

    Parameters
    ----------
    texts : list of str
        The report's text, in pieces (cell outputs, Markdown cells).
    lang : str
        ``fr`` or ``en``.

    Returns
    -------
    list of Term
        In glossary order.
    """
    plain = " ".join(piece for text in texts for ok, piece in _text_segments(text) if ok)
    plain = html.unescape(plain)
    return [term for term in terms(lang) if term.pattern.search(plain)]


def link_first_uses(page: str, used: list[Term]) -> str:
    """``page`` with the first use of each term (in running text: not in a heading, a table, a link or code) made a
    link to its definition.

    Parameters
    ----------
    page : str
        HTML (the report's ``<main>``).
    used : list of Term
        The terms to link (:func:`used_terms`).

    Returns
    -------
    str
        The HTML, otherwise unchanged.
    """
    pending = list(used)
    out = []
    for linkable, piece in _text_segments(page):
        out.append(_link_piece(piece, pending) if linkable and pending else piece)
    return "".join(out)


def _link_piece(piece: str, pending: list[Term]) -> str:
    """Link, in one piece of text, the first use of each pending term (removed from ``pending`` once linked)."""
    done, rest = [], piece
    while pending:
        found = [(m.start(), i, m) for i, term in enumerate(pending) if (m := term.pattern.search(rest))]
        if not found:
            break
        _, i, m = min(found, key=lambda f: (f[0], f[1]))
        term = pending.pop(i)
        done.append(f'{rest[:m.start()]}<a class="vigie-term" href="#{term.anchor}">{m.group(0)}</a>')
        rest = rest[m.end():]
    return "".join(done) + rest


def entries(used: list[Term]) -> list[dict[str, str]]:
    """What the page template shows for each term: ``id``, ``term`` and ``definition``."""
    return [{"id": x.anchor, "term": x.term, "definition": x.definition} for x in used]
