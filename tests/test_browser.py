"""The rendered reports in a real headless browser (Chromium + chromedriver from Debian, driven by selenium).

Checks, on the demo reports rendered into a temporary folder (and on the real reports/ when they exist): no console
error, every image loaded, every local link resolves, data markup shown as text, the table sorter works, print
styles apply; saves one full-page screenshot per page.
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


def check_page(driver, page: Path, shots: Path) -> dict:
    """Open ``page``; assert no console error, images loaded, local links resolve; save a screenshot."""
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
        };""")
    errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    assert errors == [], f"{page.name}: console errors {errors}"
    assert state["ready"] == "complete" and state["title"], page
    assert state["lang"] in ("fr-CA", "en-CA"), page
    assert all(img["ok"] for img in state["images"]), f"{page.name}: image not loaded"
    assert all(img["alt"] for img in state["images"]), f"{page.name}: image without alt text"
    for href in state["links"]:
        url = urlparse(href)
        if url.scheme in ("http", "https", "mailto"):
            continue
        if href.startswith("#"):
            assert href[1:] in state["ids"], f"{page.name}: broken anchor {href}"
            continue
        target = (page.parent / unquote(url.path)).resolve()
        assert target.exists(), f"{page.name}: broken link {href}"
    shots.mkdir(parents=True, exist_ok=True)
    name = "index" if page.name == "index.html" else page.stem
    driver.set_window_size(1280, min(state["height"] + 120, 8000))  # long reports: the first 8000 px
    driver.save_screenshot(str(shots / f"{name}.png"))
    driver.set_window_size(1280, 900)
    return state


def test_demo_pages_in_chromium(demo, browser):
    pages = _pages(demo.reports)
    assert [p.relative_to(demo.reports).as_posix() for p in pages] == [
        "index.html", "demo/default/demo-default.html"]
    for page in pages:
        check_page(browser, page, demo.reports / "screenshots")
    assert (demo.reports / "screenshots" / "demo-default.png").stat().st_size > 10_000
    if os.environ.get("VIGIE_KEEP_SCREENSHOTS"):
        import shutil

        shutil.copytree(demo.reports / "screenshots", Path(os.environ["VIGIE_KEEP_SCREENSHOTS"]), dirs_exist_ok=True)


def test_injected_markup_is_text_not_html(browser, demo):
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
        check_page(browser, page, reports / "screenshots")
