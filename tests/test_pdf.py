"""Every report prints whole: the PDF of ``make pdf`` (headless Chromium, the page's print styles) holds the last
section's heading and the provenance block, and tables do not break words letter by letter.

Before issue 16 the vigie PDF stopped at §6.2 and the viability PDF in §5: the page's script shrank wide tables with
CSS zoom when printing, and Chromium then dropped the rest of the document.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from _render_demo import rendered
from pypdf import PdfReader

from analysis.core import paths
from analysis.report.labels import t
from analysis.report.render import pdf

pytestmark = pytest.mark.skipif(pdf.chromium_path() is None, reason="Chromium not installed (make browser)")


def pdf_text(html_page: Path, out: Path) -> tuple[str, int]:
    """Print ``html_page`` to ``out`` and return (its text, its page count)."""
    pdf.print_pdf(html_page, out)
    reader = PdfReader(str(out))
    return "\n".join(page.extract_text() or "" for page in reader.pages), len(reader.pages)


def squash(text: str) -> str:
    """Text without line breaks and with one kind of space (PDF extraction cuts lines and words anywhere)."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def last_heading(html_page: Path) -> str:
    """The last h2 heading of the page's body (the glossary, or the report's last section)."""
    page = html_page.read_text(encoding="utf-8")
    headings = re.findall(r'<h2 id="[^"]*"><span class="vigie-num">[^<]*</span>(.*?)</h2>', page, re.S)
    return re.sub(r"<[^>]+>", "", headings[-1]).strip()


def check_whole(html_page: Path, lang: str, out: Path) -> int:
    text, pages = pdf_text(html_page, out)
    flat = squash(text)
    assert squash(last_heading(html_page)) in flat, f"{html_page.name}: last section missing from the PDF"
    assert squash(t("common.provenance_intro", lang)) in flat, f"{html_page.name}: provenance block missing"
    assert squash(t("render.footer", lang, notebook="", set="")).split("(")[0].strip()[:30] in flat
    return pages


def test_demo_report_prints_whole(tmp_path):
    page = rendered().reports / "demo" / "default" / "demo-default.html"
    assert check_whole(page, "fr", tmp_path / "demo.pdf") >= 1


def real_reports() -> list[tuple[Path, str]]:
    found = []
    for meta in sorted(paths.REPORTS.glob("*/*/rapport.json")):
        info = json.loads(meta.read_text(encoding="utf-8"))
        found.append((meta.parent / info["html"], info.get("lang", "fr")))
    return found


@pytest.mark.parametrize(("page", "lang"), real_reports() or [(None, None)],
                         ids=lambda x: x.stem if isinstance(x, Path) else str(x))
def test_real_report_prints_whole(page, lang, tmp_path):
    if page is None:
        pytest.skip("no report rendered: run `make reports`")
    check_whole(page, lang, tmp_path / "report.pdf")
