"""The rendered reports in a real headless browser (Chromium + chromedriver from Debian, driven by selenium).

Checks, on the demo reports rendered into a temporary folder (and on the real reports/ when they exist), at a
desktop width (1280 px) and a phone's (390 px): no console error, every image loaded, every local link resolves,
data markup shown as text, the table sorter, search and filters work; no table wider than its box at 1280 px, no
column out of sight at 390 px (a table that does not fit stacks its rows), no table wider than the paper when
printed; the smallest text of every figure at least MIN_FIGURE_TEXT_PX as the page shows it. Saves full-page
screenshots per page and width in reports/screenshots/ (``<page>-1280.png``, ``<page>-390.png``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from _render_demo import rendered

from analysis.core import paths

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PROBE = "<script>alert(1)</script> <b>bold</b>"
WIDTHS = (1280, 390)
MIN_FIGURE_TEXT_PX = 8.5  # CSS px: the smallest text of a figure, at the width the page shows the figure
PRINT_WIDTH = 700  # CSS px: letter paper less the @page margins (216 mm − 28 mm)

FIT = """
    const out = [];
    document.querySelectorAll('.vigie-table-wrap').forEach((wrap, i) => {
      const table = wrap.querySelector('table');
      const box = wrap.getBoundingClientRect();
      const cells = Array.from(table.querySelectorAll('td, th')).filter(
          c => c.offsetParent !== null && c.getBoundingClientRect().width > 1
               && !(wrap.classList.contains('vigie-stack') && c.closest('thead')));  // stacked: headers read aloud only
      const outside = cells.filter(c => c.getBoundingClientRect().right > box.right + 1).length;
      out.push({i: i, caption: table.caption ? table.caption.textContent : '', width: table.scrollWidth,
                box: wrap.clientWidth, stacked: wrap.classList.contains('vigie-stack'), outside: outside});
    });
    return out;"""
FIGURES = """
    return Array.from(document.querySelectorAll('img[data-min-text-px]')).map(img => ({
      alt: img.alt.slice(0, 60), shown: img.getBoundingClientRect().width, natural: img.naturalWidth,
      px: Number(img.dataset.minTextPx)}));"""

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="Chromium not installed: apt-get install -y chromium chromium-driver (Debian) to run the browser tests",
)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="vigie-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # The driver path is given explicitly: selenium-manager never downloads anything.
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def demo():
    return rendered()


def _pages(reports: Path) -> list[Path]:
    return [reports / "index.html"] + sorted(p for p in reports.glob("*/*/*.html") if not p.parts[-3].startswith("."))


def check_page(driver, page: Path, shots: Path, width: int = 1280) -> dict:
    """Open ``page`` at ``width``; assert no console error, images loaded, local links resolve; save a screenshot
    (``<page>-<width>.png``; ``<page>.png`` too at 1280 px)."""
    driver.set_window_size(width, 900)
    driver.get(page.resolve().as_uri())
    driver.get_log("browser")  # the log is per page load: read it after the load only
    state = driver.execute_script("""
        return {
          ready: document.readyState,
          lang: document.documentElement.lang,
          title: document.title,
          images: Array.from(document.images).map(i => ({alt: i.alt, ok: i.complete && i.naturalWidth > 0})),
          links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
          ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id),
          text: document.body.innerText,
          height: document.documentElement.scrollHeight,
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        };""")
    errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    assert errors == [], f"{page.name}: console errors {errors}"
    assert state["ready"] == "complete" and state["title"], page
    assert state["lang"] in ("fr-CA", "en-CA"), page
    assert all(img["ok"] for img in state["images"]), f"{page.name}: image not loaded"
    assert all(img["alt"] for img in state["images"]), f"{page.name}: image without alt text"
    assert state["overflow"] <= 1, f"{page.name} at {width} px: the page scrolls sideways by {state['overflow']} px"
    for href in state["links"]:
        url = urlparse(href)
        if url.scheme in ("http", "https", "mailto"):
            continue
        assert url.scheme in ("", "file"), f"{page.name}: link with scheme {url.scheme!r}: {href}"
        if href.startswith("#"):
            assert href[1:] in state["ids"], f"{page.name}: broken anchor {href}"
            continue
        target = (page.parent / unquote(url.path)).resolve()
        assert target.exists(), f"{page.name}: broken link {href}"
    shots.mkdir(parents=True, exist_ok=True)
    name = "index" if page.name == "index.html" else page.stem
    driver.set_window_size(width, min(state["height"] + 120, 16000))  # long reports: the first 16 000 px
    driver.save_screenshot(str(shots / f"{name}-{width}.png"))
    if width == 1280:
        driver.save_screenshot(str(shots / f"{name}.png"))
    driver.set_window_size(width, 900)
    return state


def check_layout(driver, page: Path, width: int, strict: bool = True) -> None:
    """At ``width`` (the page open): every table fits its box at a desktop width (1280 px) — with ``strict=False``
    (a parameter set other than the default) a table may scroll instead, its first column kept in view; on a phone
    (390 px) no cell lies outside its table's box (a table that does not fit stacks its rows); every figure's
    smallest text is at least MIN_FIGURE_TEXT_PX as shown (its size in the image × shown width / image width)."""
    tables = driver.execute_script(FIT)
    scrolling: set[int] = set()  # tables allowed to scroll sideways (their first column stays in view)
    if width >= 1000:
        wide = [t for t in tables if t["width"] > t["box"] + 1]
        if not strict:
            sticky = driver.execute_script("""return Array.from(document.querySelectorAll('.vigie-table-wrap'))
                .map(w => w.classList.contains('vigie-scroll')
                     && getComputedStyle(w.querySelector('tbody td')).position === 'sticky');""")
            scrolling = {t["i"] for t in wide if sticky[t["i"]]}
            wide = [t for t in wide if t["i"] not in scrolling]
        assert wide == [], f"{page.name} at {width} px: tables wider than their column {wide}"
        small = [f for f in driver.execute_script(FIGURES) if f["px"] * f["shown"] / f["natural"] < MIN_FIGURE_TEXT_PX]
        assert small == [], f"{page.name}: figure text below {MIN_FIGURE_TEXT_PX} px as shown {small}"
    hidden = [t for t in tables if t["outside"] and t["i"] not in scrolling]
    assert hidden == [], f"{page.name} at {width} px: columns out of sight {hidden}"


def check_print(driver, page: Path) -> None:
    """Printed (print media, the paper's width): no table wider than the paper, the page's script tools hidden."""
    driver.set_window_size(PRINT_WIDTH + 16, 900)
    driver.get(page.resolve().as_uri())
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        tables = driver.execute_script(FIT)
        tools = driver.execute_script(
            "return Array.from(document.querySelectorAll('.vigie-table-tools')).filter(t => t.offsetParent).length")
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        driver.set_window_size(1280, 900)
    wide = [t for t in tables if t["width"] > t["box"] + 1]
    assert wide == [], f"{page.name} printed: tables wider than the paper {wide}"
    assert tools == 0


def test_demo_pages_in_chromium(demo, browser):
    pages = _pages(demo.reports)
    assert [p.relative_to(demo.reports).as_posix() for p in pages] == [
        "index.html", "demo/default/demo-default.html"]
    for page in pages:
        for width in WIDTHS:
            check_page(browser, page, demo.reports / "screenshots", width)
            check_layout(browser, page, width)
    assert (demo.reports / "screenshots" / "demo-default.png").stat().st_size > 10_000
    assert (demo.reports / "screenshots" / "demo-default-390.png").stat().st_size > 10_000
    if os.environ.get("VIGIE_KEEP_SCREENSHOTS"):
        import shutil

        shutil.copytree(demo.reports / "screenshots", Path(os.environ["VIGIE_KEEP_SCREENSHOTS"]), dirs_exist_ok=True)


def test_injected_markup_is_text_not_html(browser, demo):
    browser.set_window_size(1280, 900)
    browser.get((demo.reports / "demo" / "default" / "demo-default.html").as_uri())
    found = browser.execute_script("""
        return {
          scripts: Array.from(document.scripts).filter(s => s.textContent.includes('alert(1)')).length,
          bold: Array.from(document.querySelectorAll('main b')).filter(b => b.textContent === 'bold').length,
          cell: document.querySelector('table.vigie-table tbody td').textContent,
          paragraphs: Array.from(document.querySelectorAll('main p')).filter(
              p => p.textContent.includes(arguments[0])).length,
        };""", PROBE)
    assert found == {"scripts": 0, "bold": 0, "cell": PROBE, "paragraphs": 1}


def test_table_sorter_and_print_styles(browser, demo):
    browser.set_window_size(1280, 900)
    browser.get((demo.reports / "demo" / "default" / "demo-default.html").as_uri())
    column = """
        const t = document.querySelector('table.sortable');
        return Array.from(t.tBodies[0].rows).map(r => Number(r.cells[1].dataset.sort));"""
    before = browser.execute_script(column)
    button = browser.execute_script("return document.querySelectorAll('table.sortable thead th button')[1]")
    button.click()
    ascending = browser.execute_script(column)
    assert ascending == sorted(before)
    assert browser.execute_script(
        "return document.querySelectorAll('table.sortable thead th')[1].getAttribute('aria-sort')") == "ascending"
    button.click()
    assert browser.execute_script(column) == sorted(before, reverse=True)
    # on paper: table headers are not sticky and the page header has no dark background
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        styles = browser.execute_script("""
            return [getComputedStyle(document.querySelector('table.sortable thead th')).position,
                    getComputedStyle(document.querySelector('.vigie-header')).backgroundImage];""")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert styles == ["static", "none"]


def test_real_reports_if_rendered(browser):
    reports = paths.REPORTS
    if not (reports / "index.html").exists():
        pytest.skip("no reports/index.html yet: run `make reports` to check the real reports in the browser")
    import json

    from analysis.report import render

    stale = [m.parent.name for m in reports.glob("*/*/" + render.META_FILE)
             if json.loads(m.read_text(encoding="utf-8")).get("template") != render.TEMPLATE_VERSION]
    if stale:
        pytest.skip(f"reports/ was rendered with an older page frame: run `make reports` again ({stale[0]}…)")
    for page in _pages(reports):
        for width in WIDTHS:
            check_page(browser, page, reports / "screenshots", width)
            if page.name != "index.html":
                check_layout(browser, page, width, strict=page.parent.name == "default")
        if page.name != "index.html":
            check_print(browser, page)


def test_long_tables_search_filter_and_csv_of_rows_shown(browser, demo):
    browser.set_window_size(1280, 900)
    browser.get((demo.reports / "demo" / "default" / "demo-default.html").as_uri())
    rows = "return Array.from(document.querySelector('table.sortable').tBodies[0].rows).filter(r => !r.hidden).length"
    total = browser.execute_script(rows)
    assert total == 11
    box = browser.execute_script("return document.querySelector('.vigie-table-tools input[type=search]')")
    first = browser.execute_script(
        "return document.querySelector('table.sortable').tBodies[0].rows[0].cells[0].textContent.trim()")
    box.send_keys(first)
    shown = browser.execute_script(rows)
    assert 1 <= shown < total
    count = browser.execute_script("return document.querySelector('.vigie-table-tools output').textContent")
    assert count.replace("\u00a0", " ").startswith(f"{shown} ligne(s) sur {total}")
    assert browser.execute_script("return document.querySelector('.vigie-table-tools button.vigie-csv').textContent") \
        == "Télécharger les lignes affichées (CSV)"


def test_a_table_too_wide_for_a_phone_stacks_its_rows(browser, tmp_path):
    from analysis.report import display
    from analysis.report.render.page import asset

    # nine columns of unbreakable 30-character values: about 2 400 px wide, wider than any screen's column
    wide = {f"Colonne numéro {i}": [f"valeur_longue_sans_espace_{i}-{r}" for r in range(3)] for i in range(9)}
    import pandas as pd

    page = tmp_path / "wide.html"
    page.write_text(f"""<!DOCTYPE html><html lang="fr-CA"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>t</title>
<style>{asset("vigie.css")}</style></head><body class="vigie-report"><main class="jp-Notebook">
{display.table_html(pd.DataFrame(wide), caption="Large")}</main><script>{asset("vigie.js")}</script></body></html>""",
                    encoding="utf-8")
    for width, expected in ((1280, "vigie-scroll"), (390, "vigie-stack")):
        browser.set_window_size(width, 900)
        browser.get(page.as_uri())
        classes = browser.execute_script("return document.querySelector('.vigie-table-wrap').className")
        assert expected in classes, (width, classes)
        if width == 390:
            layout = browser.execute_script(FIT)[0]
            assert layout["stacked"] and layout["outside"] == 0
            label = browser.execute_script(
                "return getComputedStyle(document.querySelector('td'), '::before').content")
            assert label == '"Colonne numéro 0"'
    browser.set_window_size(1280, 900)
