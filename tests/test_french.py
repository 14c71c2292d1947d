"""The French reports speak French: no code, no English left, numbers in one format.

Reads the rendered French reports of ``reports/`` (``make reports``; skipped when absent) as a reader sees them:
visible text without scripts and styles, without identifiers a reader types as they are (``<code>``) and without
the technical Provenance section and the page's footer (file names, parameter names, package versions). Fails on a
word of LEFTOVERS, on a snake_case code, on a decimal point inside a number, and on a count written with decimals.
The codes' catalogue is checked by hand-picked entries too.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analysis.core import paths
from analysis.report import fmt
from analysis.report.codes import code_label
from analysis.report.labels import t

# Words and codes that must not reach a French reader (each seen in a report before issue 16, or its kin).
LEFTOVERS = ("United States", "United Kingdom", "book chapter", "conference paper", "early access", "review",
             "oer_extreme", "duplicate_hub_year", "revenue_sales", "shared_corpora", "synthetic_statements",
             "tests and benchmarks only", "regional pole", "open data", "cross-format test", "flag:",
             "Sports and Recreation", "Health and Social Care", "Membership associations", "obnl-a-volet-marchand")
SNAKE = re.compile(r"(?<![\w/.-])[a-z]+(?:_[a-z0-9]+)+(?![\w/.-])")  # not inside a path or a file name
# Identifiers a reader types as they are, named in the text: external datasets (`make data`, the attribution table)
# and the column of the statements template a sentence points to.
IDENTIFIERS = {"case_id", "scopus_social_entrepreneurship", "scopus_ai_2025", "wos_ai_2025", "seed_references"}
DECIMAL_POINT = re.compile(r"(?<![\w.])\d+\.\d+(?![\w.])")  # 0.2 (not 2.3.0, a version; not a DOI)
# a count of thousands written with decimals (2 219,0) alone in a cell; ratios such as 250,0 members per employee
# keep their decimal (their column's format)
COUNT_WITH_DECIMALS = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f]\d{3})+,0+$")  # the reader folds spaces


class _Reader(HTMLParser):
    """Visible text by block, skipping scripts, styles, code, the footer and the Provenance section."""

    SKIP = {"script", "style", "code", "footer", "title", "nav",  # nav: the table of contents (numbers 1.1, 2.3…)
            "cite"}  # a work's title, as published (data, in its own language)
    DATA_CLASSES = {"vigie-affiliation"}  # affiliation strings as the exports wrote them (data)

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.stack: list[bool] = []  # per open element: does it hide its text (void elements never close)
        self.provenance = False
        self.blocks: list[str] = [""]

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag in self.VOID:
            if tag == "img" and not self.provenance:
                self.blocks.append(found.get("alt") or "")
            return
        self.stack.append(tag in self.SKIP or bool(self.DATA_CLASSES & set((found.get("class") or "").split())))
        if self.stack[-1]:
            self.skip += 1
        if tag in ("h2",):
            self.provenance = found.get("id") == "provenance"
        if tag in ("p", "td", "th", "li", "dd", "dt", "h2", "h3", "caption", "div", "option", "figure"):
            self.blocks.append("")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.stack and self.stack.pop():
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and not self.provenance:
            self.blocks[-1] += data


def french_reports() -> list[Path]:
    pages = []
    for meta in sorted(paths.REPORTS.glob("*/*/rapport.json")):
        info = json.loads(meta.read_text(encoding="utf-8"))
        if info.get("lang") == "fr" and (meta.parent / info["html"]).exists():
            pages.append(meta.parent / info["html"])
    return pages


def reader_text(page: Path) -> list[str]:
    reader = _Reader()
    reader.feed(page.read_text(encoding="utf-8"))
    return [" ".join(b.split()) for b in reader.blocks if b.strip()]


def test_codes_are_named_in_french():
    assert code_label("United States", "country") == "États-Unis"
    assert code_label("Book Chapter", "doc_type") == "chapitre de livre"
    assert code_label("article; early access", "doc_type") == "article; accès anticipé"
    assert code_label("oer_extreme", "hub_flag") == "ratio dépenses/revenus extrême"
    assert code_label("shared_corpora", "param_set", "en") == "Scopus and Web of Science corpora together"
    assert code_label("Food service, Accommodation and Pubs", "uk_sector") == "restauration, hébergement et pubs"
    assert code_label("mrc-mekinac", "pole_type", "en").startswith("MRC de Mékinac (a territory entered as a type")
    assert code_label("Atlantis", "country") == "Atlantis"  # unknown: as written (and caught below if shown)
    assert code_label(None, "country") == fmt.MISSING


def test_one_format_for_counts_and_intervals():
    assert fmt.count(373.0) == "373" and fmt.count(20.0) == "20"
    assert fmt.interval(0.2, 5.0) == "[0,2\u00a0; 5,0]" and fmt.interval(0.2, 5.0, lang="en") == "[0.2, 5.0]"
    assert fmt.interval(0.021, 0.35, 1, kind="share") == "[2,1\u00a0%\u00a0; 35,0\u00a0%]"


@pytest.mark.parametrize("page", french_reports() or [None], ids=lambda p: p.stem if p else "none")
def test_french_report_has_no_code_or_english_left(page):
    if page is None:
        pytest.skip("no French report rendered: run `make reports`")
    blocks = reader_text(page)
    text = "\n".join(blocks)
    found = sorted({w for w in LEFTOVERS if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)})
    assert found == [], f"{page.name}: English or codes left: {found}"
    codes = sorted({m.group(0) for b in blocks for m in SNAKE.finditer(b)
                    if not re.fullmatch(r"synthetique_\d+", m.group(0))} - IDENTIFIERS)  # fictitious enterprises' ids
    assert codes == [], f"{page.name}: codes shown to readers: {codes}"
    see = t("common.brief_see", "fr")  # « Voir la section : 2.3 … »: a section number, not a decimal
    points = sorted({m.group(0) for b in blocks if see not in b and not re.fullmatch(r"\d+(\.\d+)*", b)
                     for m in DECIMAL_POINT.finditer(b)})  # a block that is only a section number is one
    assert points == [], f"{page.name}: numbers with a decimal point: {points}"
    counts = sorted({b for b in blocks if COUNT_WITH_DECIMALS.match(b)})
    assert counts == [], f"{page.name}: whole numbers written with decimals: {counts}"
