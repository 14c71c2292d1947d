"""The rendered reports in a real headless browser (Chromium + chromedriver from Debian, driven by selenium).

Checks, on the demo reports rendered into a temporary folder (and on the real reports/ when they exist), at a
desktop width (1280 px) and a phone's (390 px): no console error, every image loaded, every local link resolves,
data markup shown as text, the table sorter, search and filters work; no table wider than its box at 1280 px, no
column out of sight at 390 px (a table that does not fit stacks its rows), no table wider than the paper when
printed; the smallest text of every figure at least MIN_FIGURE_TEXT_PX as the page shows it. Saves full-page
screenshots per page and width in reports/screenshots/ (``<page>-1280.png``, ``<page>-390.png``).
"""

from __future__ import annotations

import base64
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


PART_HEIGHT = 10_000  # px of page per screenshot


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
          font: getComputedStyle(document.body).fontFamily,
          escapedStyle: Array.from(document.querySelectorAll('style'))
                          .some(s => /&#34;|&quot;|&#39;/.test(s.textContent)),
        };""")
    errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    assert errors == [], f"{page.name}: console errors {errors}"
    assert state["ready"] == "complete" and state["title"], page
    assert state["lang"] in ("fr-CA", "en-CA"), page
    assert all(img["ok"] for img in state["images"]), f"{page.name}: image not loaded"
    assert all(img["alt"] for img in state["images"]), f"{page.name}: image without alt text"
    # the style sheets arrive as written (an HTML-escaped one broke the font stack: the page fell back to serif)
    assert not state["escapedStyle"], f"{page.name}: a style sheet was HTML-escaped"
    assert "sans-serif" in state["font"], f"{page.name}: body font {state['font']!r} is not the reports' sans-serif"
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
    # The whole page, in parts of at most PART_HEIGHT px captured through the DevTools protocol (a window cannot be
    # taller than about 16 000 px): <page>-<width>.png, then <page>-<width>-p2.png, … so the end of a report is seen.
    for old in shots.glob(f"{name}-{width}-p*.png"):
        old.unlink()
    for part, top in enumerate(range(0, state["height"], PART_HEIGHT), start=1):
        clip = {"x": 0, "y": top, "width": width, "height": min(PART_HEIGHT, state["height"] - top), "scale": 1}
        shot = driver.execute_cdp_cmd("Page.captureScreenshot",
                                      {"format": "png", "captureBeyondViewport": True, "clip": clip})
        image = base64.b64decode(shot["data"])
        (shots / f"{name}-{width}{'' if part == 1 else f'-p{part}'}.png").write_bytes(image)
        if width == 1280 and part == 1:
            (shots / f"{name}.png").write_bytes(image)
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


# ---- « Livrables de la Vigie »: the bank page, the deliverables report and the index ----------------------------

def _bank_page(folder: Path, catalogue, lang: str = "fr") -> Path:
    """Write the bank page of ``catalogue`` into ``folder/<reports>/vigie_livrables/default/`` beside an index."""
    from analysis import vigie
    from analysis.report import deliverables as rd

    reports = folder / "reports"
    target = reports / "vigie_livrables" / "default"
    target.mkdir(parents=True, exist_ok=True)
    (reports / "index.html").write_text('<!DOCTYPE html><html lang="fr-CA"><title>i</title></html>', encoding="utf-8")
    page = rd.bank_page_html(catalogue, vigie.load_themes(), rd.Context(lang=lang, files=("a.csv", "b.txt")), "v1")
    return rd.write_bank_page(page, target)


def _set_filters(driver, **values) -> list[str]:
    """Set the bank page's filters (name → value), run the filter, return the matching work ids in order."""
    driver.execute_script("""
        const f = document.getElementById('bank-filters');
        f.reset();
        for (const [k, v] of Object.entries(arguments[0])) { f.elements[k].value = v; }
        window.vigieBank.update();""", values)
    return driver.execute_script("return window.vigieBank.matches();")


def _theme_option(theme: str) -> str:
    """The value of a theme in the page's theme filter (its rank in the project's dictionary)."""
    from analysis import vigie

    return str(vigie.load_themes().ids().index(theme))


def _python_exports(catalogue, ids: list[str]) -> dict[str, str]:
    from analysis import vigie
    from analysis.report import deliverables as rd
    from analysis.vigie import catalogue as cat

    data = rd.bank_page_data(catalogue, vigie.load_themes(), rd.Context())
    names = {tid: name for tid, name in data["themes"]}
    chosen = cat.select_works(catalogue, ids)
    note = data["labels"]["origin_note"]
    return {"csv": cat.catalogue_csv(chosen, data["csv_headers"], names),
            "bibtex": cat.catalogue_bibtex(chosen, names, note), "ris": cat.catalogue_ris(chosen, names, note)}


def test_bank_page_filters_downloads_and_escaping(browser, tmp_path):
    import time

    from _bank_fixture import PROBE, synthetic_tables

    from analysis.vigie import catalogue as cat

    catalogue = cat.compute_catalogue(*synthetic_tables())
    page = _bank_page(tmp_path, catalogue)
    state = check_page(browser, page, tmp_path / "shots")
    assert "Banque de publications" in state["title"]
    found = browser.execute_script("""
        return {pwned: typeof window.__pwned, bold: document.querySelectorAll('#bank-list b').length,
                first: document.querySelector('#bank-list .w-title').textContent,
                items: document.querySelectorAll('#bank-list li.work').length,
                href: document.querySelector('#bank-list a.w-doi').getAttribute('href')};""")
    assert found == {"pwned": "undefined", "bold": 0, "first": PROBE, "items": 4,
                     "href": "https://doi.org/10.1234/ab%7Bc%7D"}
    # filters: text, theme, years, language, origin file, source, and their combination
    assert _set_filters(browser) == ["W00001", "W00002", "W00004", "W00003"]      # newest first, no year last
    assert _set_filters(browser, q="hyperlink") == ["W00002"]
    assert _set_filters(browser, q="COTE") == ["W00003"]                          # accents and case folded
    assert _set_filters(browser, theme=_theme_option("food")) == ["W00001", "W00003"]
    assert _set_filters(browser, theme="__none__") == ["W00002", "W00004"]
    assert _set_filters(browser, **{"from": "2016"}) == ["W00001", "W00002"]
    assert _set_filters(browser, lang="__none__") == ["W00003"]
    assert _set_filters(browser, origin="1") == ["W00001", "W00003"]              # files sorted: a.csv, b.txt
    assert _set_filters(browser, source="minus") == ["W00002"]
    assert _set_filters(browser, theme=_theme_option("food"), to="2020") == []
    assert browser.execute_script("return document.getElementById('bank-status').textContent") == (
        "Aucun document ne correspond à ces filtres.")
    # the downloads of a filtered set are the bytes the Python writers give
    ids = _set_filters(browser, theme=_theme_option("food"))
    expected = _python_exports(catalogue, ids)
    for fmt_name, text in expected.items():
        assert browser.execute_script("return window.vigieBank.exportText(arguments[0]);", fmt_name) == text
    ids = _set_filters(browser)
    expected = _python_exports(catalogue, ids)
    for fmt_name, text in expected.items():
        assert browser.execute_script("return window.vigieBank.exportText(arguments[0]);", fmt_name) == text
    # a click downloads the file (CSV with a BOM for spreadsheets)
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    _set_filters(browser, q="hyperlink")
    browser.find_element("css selector", 'button[data-format="csv"]').click()
    target = downloads / "banque_publications.csv"
    for _ in range(50):
        if target.exists():
            break
        time.sleep(0.1)
    assert target.read_bytes().decode("utf-8") == _python_exports(catalogue, ["W00002"])["csv"]
    assert "\"'=HYPERLINK(" in target.read_text(encoding="utf-8")                # neutralised formula


def test_bank_page_at_phone_width_and_on_paper(browser, tmp_path):
    from _bank_fixture import synthetic_tables

    from analysis.vigie import catalogue as cat

    page = _bank_page(tmp_path, cat.compute_catalogue(*synthetic_tables()))
    browser.set_window_size(390, 844)
    try:
        browser.get(page.as_uri())
        width = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth];")
        assert width[0] <= width[1], "the bank page scrolls sideways at 390 px"
        columns = browser.execute_script(
            "return getComputedStyle(document.getElementById('bank-filters')).gridTemplateColumns.split(' ').length;")
        assert columns == 1
        browser.save_screenshot(str(tmp_path / "bank-390.png"))
    finally:
        browser.set_window_size(1280, 900)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        hidden = browser.execute_script(
            "return [getComputedStyle(document.getElementById('bank-filters')).display,"
            " getComputedStyle(document.querySelector('.downloads')).display];")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert hidden == ["none", "none"]


def test_bank_page_at_scale(browser, tmp_path):
    """The 3,735-work shared corpora: page size, load, filter time, and a filtered download equal to Python's."""
    import time
    import unicodedata

    from analysis import vigie
    from analysis.vigie import catalogue as cat

    mirror = paths.default_mirror()
    files = [mirror / "corpora" / n for n in ("scopus_ai_2025.csv", "wos_ai_2025.txt")] if mirror else []
    if not files or not all(f.exists() for f in files):
        pytest.skip("public AI corpora not available (set VIGIE_DATA_MIRROR or run make data)")
    bank = vigie.build_bank(files, cache=True)
    wt = bank.work_themes(vigie.load_themes())
    catalogue = cat.compute_catalogue(bank.works, bank.authorships, wt)
    page = _bank_page(tmp_path, catalogue)
    size = page.stat().st_size
    assert len(catalogue) == 3735 and size < 2_500_000               # measured 1.32 MB
    started = time.perf_counter()
    browser.get(page.as_uri())
    load = time.perf_counter() - started
    assert browser.execute_script("return document.querySelectorAll('#bank-list li.work').length") == 50
    assert load < 10

    def fold(text: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFD", text) if not 0x300 <= ord(c) <= 0x36F).lower()

    ids = _set_filters(browser, q="language model")
    elapsed = browser.execute_script("return window.vigieBank.lastFilterMs;")
    def text(value) -> str:
        return value if isinstance(value, str) else ""

    hay = [fold(" ".join([r.title, " ".join(r.authors), text(r.source_title), text(r.author_keywords), text(r.doi),
                          r.work_id])) for r in catalogue.itertuples()]
    expected = {w for w, h in zip(catalogue["work_id"], hay) if "language" in h and "model" in h}
    assert set(ids) == expected and len(ids) > 100
    assert elapsed < 500, f"filtering 3,735 works took {elapsed:.0f} ms"
    ids = _set_filters(browser, theme=_theme_option("food"), sort="bank")    # food: a few dozen works
    assert ids == [w for w, th in zip(catalogue["work_id"], catalogue["themes"]) if "food" in th]
    assert browser.execute_script("return window.vigieBank.exportText('ris');") == _python_exports(catalogue, ids)[
        "ris"]
    print(f"\nbank page: {size / 1e6:.2f} MB, load {load:.2f} s, text filter {elapsed:.1f} ms")


def test_real_index_and_deliverables_at_both_widths(browser):
    """The rendered index and deliverables (make reports): no sideways scroll at 1280 and 390 px, every deliverable
    linked from the index exists, and its anchor is a heading of the report."""
    from urllib.parse import urlparse

    reports = paths.REPORTS
    livrables = reports / "vigie_livrables" / "default"
    if not (reports / "index.html").exists() or not (livrables / "rapport.json").exists():
        pytest.skip("no rendered deliverables yet: run `make reports`")
    shots = reports / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    pages = [reports / "index.html", livrables / "vigie_livrables-default.html", livrables / "banque_publications.html"]
    try:
        for width in (1280, 390):
            browser.set_window_size(width, 900)
            for page in pages:
                browser.get(page.resolve().as_uri())
                sizes = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth,"
                                               " document.documentElement.scrollHeight];")
                assert sizes[0] <= sizes[1], f"{page.name} scrolls sideways at {width} px"
                browser.set_window_size(width, min(sizes[2] + 120, 8000))
                browser.save_screenshot(str(shots / f"{page.stem}-{width}.png"))
                browser.set_window_size(width, 900)
    finally:
        browser.set_window_size(1280, 900)
    browser.get((reports / "index.html").resolve().as_uri())
    links = browser.execute_script("return Array.from(document.querySelectorAll('.deliverables a'))"
                                   ".map(a => [a.textContent, a.getAttribute('href')]);")
    names = [n for n, _ in links[:5]]
    assert names == ["Banque de publications", "Pratiques innovantes", "Problèmes de recherche",
                     "Répertoire des chercheurs", "Stratégie de veille"]
    for _, href in links:
        url = urlparse(href)
        target = reports / url.path
        assert target.exists(), href
        if url.fragment:
            browser.get(target.resolve().as_uri())
            assert browser.execute_script("return document.getElementById(arguments[0]) !== null;", url.fragment), href
