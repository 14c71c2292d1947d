"""End to end, without the network: the local OpenAlex server (tests/_watch_server.py) → ``python -m analysis watch
update`` twice, new works appearing between the runs → the innovation-watch notebook rendered with ``edition`` set
(the render functions on a temporary parameter set, as tests/test_render.py does) → the page opens with
« Nouveautés depuis l'édition précédente » and lists the new works.

Every work is invented (titles say "Synthetic", DOIs use the 10.5555 test prefix); the strategy and the theme
dictionary are the tests' tiny ones (tests/fixtures/watch/strategy_small.yaml, tests/fixtures/vigie/themes_toy.yaml).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from _watch_server import FakeOpenAlex, State
from bs4 import BeautifulSoup

from analysis.core import paths
from analysis.report import render

HERE = Path(__file__).parent
SMALL = HERE / "fixtures" / "watch" / "strategy_small.yaml"
UQAM = "Université du Québec à Montréal, Montréal, QC, Canada"
LYON = "Synthetic University of Elsewhere, Lyon, France"


def work(n: int, title: str, year: int, cited: int, author: tuple[str, int, str]) -> dict:
    """A synthetic OpenAlex work (recorded shape, invented content)."""
    name, aid, aff = author
    return {"id": f"https://openalex.org/W{n}", "doi": f"https://doi.org/10.5555/edition.{n}", "title": title,
            "display_name": title, "publication_year": year, "type": "article", "language": "en",
            "cited_by_count": cited, "primary_location": {"source": {"display_name": "Synthetic Journal"}},
            "abstract_inverted_index": None, "keywords": [],
            "authorships": [{"author_position": "first", "author": {"id": f"https://openalex.org/A{aid}",
                                                                    "display_name": name},
                             "institutions": [], "countries": [], "raw_affiliation_strings": [aff]}]}


ROY, SMITH, GAGNON = ("Synthetic Roy", 1, LYON), ("Synthetic Smith", 2, LYON), ("Synthetic Gagnon", 3, UQAM)
W1 = work(1, "Synthetic food cooperatives in rural areas", 2019, 5, ROY)
W2 = work(2, "Synthetic digital tools of housing cooperatives", 2020, 3, SMITH)
W3 = work(3, "Synthetic social economy and farmers' markets", 2021, 0, SMITH)
W1_LATER = work(1, "Synthetic food cooperatives in rural areas", 2019, 12, ROY)  # cited 7 more times
W7 = work(7, "Synthetic food hubs run by cooperatives", 2024, 0, GAGNON)           # new, by a Québec author
W8 = work(8, "Synthetic digital commons and the social economy", 2025, 1, SMITH)  # new


def update(url: str, tmp: Path, edition: str) -> str:
    env = {**os.environ, "VIGIE_OPENALEX_URL": url, "OPENALEX_API_KEY": "synthetic-test-key"}
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "watch", "update", "--strategy", str(SMALL), "--cache", str(tmp / "cache"),
         "--editions", str(tmp / "editions"), "--edition", edition, "--exports-root", str(tmp / "root"), "--quiet"],
        env=env, cwd=paths.ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("edition-report")
    state = State(routes=[("(innovation", [W1, W2]), ("(alimentation", [W1, W3]), ("(numérique", [W2])])
    with FakeOpenAlex(state) as url:
        first = update(url, tmp, "2026-03-01")
        state.routes = [("(innovation", [W1_LATER, W2, W8]), ("(alimentation", [W1_LATER, W7]),
                        ("(numérique", [W2, W8])]
        state.deleted = {"W3"}
        second = update(url, tmp, "2026-06-01")
    assert (first, second) == ("2026-03-01", "2026-06-01")
    notebooks, params, reports = tmp / "notebooks", tmp / "params" / "vigie_innovation", tmp / "reports"
    notebooks.mkdir()
    params.mkdir(parents=True)
    shutil.copy(paths.ROOT / "notebooks" / "vigie_innovation.ipynb", notebooks)
    shutil.copy(paths.ROOT / "params" / "vigie_innovation" / "_schema.yaml", params)
    (params / "edition.yaml").write_text(yaml.safe_dump({
        "edition": str(tmp / "editions" / "2026-06-01"), "themes": "tests/fixtures/vigie/themes_toy.yaml",
        "institutions": "tests/fixtures/vigie/institutions_toy.yaml", "n_resamples": 100}), encoding="utf-8")
    log: list[str] = []
    results = render.render_all(notebooks, params.parent, reports, only="vigie_innovation", jobs=1, echo=log.append)
    assert [r.ok for r in results] == [True], log
    return (reports / "vigie_innovation" / "edition" / "vigie_innovation-edition.html").read_text(encoding="utf-8")


def test_the_report_opens_with_what_is_new(page):
    soup = BeautifulSoup(page, "html.parser")
    headings = [" ".join(h.get_text(" ", strip=True).split()) for h in soup.find_all("h2")]
    headings = [h for h in headings if h[:1].isdigit()]  # the numbered sections (not the table of contents)
    assert headings[:3] == ["1 En bref", "2 Nouveautés depuis l'édition précédente",
                            "3 Pertinence du corpus pour la vigie"]
    text = " ".join(soup.get_text(" ").split())
    assert ("Édition 2026-06-01 comparée à l'édition 2026-03-01 : 2 nouveaux documents, 1 nouveaux chercheurs au "
            "Québec") in text
    # the new works, newest first, with their themes; the work that disappeared upstream; the citation move
    new = text.index("Nouveaux documents, les plus récents d'abord")
    assert text.index("Synthetic digital commons and the social economy", new) < text.index(
        "Synthetic food hubs run by cooperatives", new)
    assert "Synthetic Gagnon" in text and "supprimé d'OpenAlex (réponse 404)" in text
    assert re.search(r"Synthetic food cooperatives in rural areas 2019 5 12 7", text)


def test_the_brief_summarises_the_changes(page):
    soup = BeautifulSoup(page, "html.parser")
    brief = " ".join(soup.find(class_="vigie-brief").get_text(" ").split())
    assert "Qu'est-ce qui a changé depuis l'édition précédente (2026-03-01) ?" in brief
    assert "2 nouveaux documents (surtout Alimentation : 1; Numérique : 1)" in brief
    assert 'href="#nouveautes-depuis-l-edition-precedente"' in page
    # every number of the brief's answer on the changes is shown by the « Nouveautés » section
    finding = next(li for li in soup.find_all("li", class_="vigie-brief-finding") if "changé" in li.get_text())
    answer = finding.find(class_="vigie-brief-answer").get_text(" ")
    text = " ".join(soup.get_text(" ").split())
    section = text[text.rindex("2 Nouveautés depuis"):text.rindex("3 Pertinence du corpus")]  # not the contents
    numbers = re.findall(r"\d+(?:-\d+)*", answer)
    assert numbers == ["2", "1", "1", "1", "0", "1"]
    assert all(re.search(rf"(?<![\d-]){n}(?![\d-])", section) for n in numbers)
    assert "banque de l'édition 2026-06-01 de la veille" in page
