"""What changed between two editions, on two tiny hand-made editions built through the local OpenAlex server.

Every work below is invented (titles say "Synthetic", DOIs use the 10.5555 test prefix). Expected values are
worked out by hand from the lists in this file:

edition A (previous): W1 food (cited 5), W2 digital (10), W3 none (0), W4 food (2), W5 none (1), W6 none (3),
  plus one CSL-JSON export work on "digital commons" (digital, no DOI);
edition B (current): W1 (cited 9), W2 (25), W3 (0), W50 = W5 merged upstream (same DOI, cited 4), and the new
  W7 (food + digital), W8 (none), W9 (food). Upstream: W4 answers 404, W5 redirects to W50, W6 is still there.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from _watch_server import FakeOpenAlex, State

from analysis.core.errors import ParameterError
from analysis.vigie.directory import load_institutions
from analysis.vigie.themes import load_themes
from analysis.vigie.watch.changes import changes, compute_trend_changes, work_keys
from analysis.vigie.watch.editions import load_edition, previous_edition
from analysis.vigie.watch.update import run_update

HERE = Path(__file__).parent
SMALL = HERE / "fixtures" / "watch" / "strategy_small.yaml"
THEMES = load_themes(HERE / "fixtures" / "vigie" / "themes_toy.yaml")
INSTITUTIONS = load_institutions(HERE / "fixtures" / "vigie" / "institutions_toy.yaml")
UQAM = "Université du Québec à Montréal, Montréal, QC, Canada"
LAVAL = "Université Laval, Québec, QC, Canada"
LYON = "Synthetic University of Elsewhere, Lyon, France"


def work(n: int, title: str, year: int, doi: str | None, cited: int, authors: list[tuple[str, int, str]]) -> dict:
    """A synthetic OpenAlex work (recorded shape, invented content)."""
    return {
        "id": f"https://openalex.org/W{n}", "doi": f"https://doi.org/10.5555/{doi}" if doi else None,
        "title": title, "display_name": title, "publication_year": year, "type": "article", "language": "en",
        "cited_by_count": cited, "primary_location": {"source": {"display_name": "Synthetic Journal"}},
        "abstract_inverted_index": None, "keywords": [],
        "authorships": [{"author_position": "first" if i == 0 else "middle",
                         "author": {"id": f"https://openalex.org/A{aid}", "display_name": name},
                         "institutions": [], "countries": [], "raw_affiliation_strings": [aff]}
                        for i, (name, aid, aff) in enumerate(authors)],
    }


TREMBLAY, ROY, SMITH = ("Synthetic Tremblay", 1, UQAM), ("Synthetic Roy", 2, LAVAL), ("Synthetic Smith", 3, LYON)
GAGNON, COTE = ("Synthetic Gagnon", 4, UQAM), ("Synthetic Côté", 5, LAVAL)
W1a = work(1, "Synthetic study of food cooperatives in rural areas", 2019, "w1", 5, [TREMBLAY])
W1b = work(1, "Synthetic study of food cooperatives in rural areas", 2019, "w1", 9, [TREMBLAY])
W2a = work(2, "Synthetic platform cooperatives and labour", 2020, "w2", 10, [ROY])
W2b = work(2, "Synthetic platform cooperatives and labour", 2020, "w2", 25, [ROY])
W3 = work(3, "Synthetic survey of member governance practices", 2021, None, 0, [SMITH])
W4 = work(4, "Synthetic note on agricultural credit unions", 2018, "w4", 2, [SMITH])
W5 = work(5, "Synthetic case of a housing cooperative", 2020, "w5", 1, [SMITH])
W50 = work(50, "Synthetic case of a housing cooperative", 2020, "w5", 4, [SMITH])
W6 = work(6, "Synthetic essay on cooperative schools", 2017, None, 3, [SMITH])
W7 = work(7, "Synthetic digital tools for food hubs", 2023, "w7", 1, [GAGNON, TREMBLAY])
W8 = work(8, "Synthetic cooperative bakery accounts", 2022, None, 0, [SMITH])
W9 = work(9, "Synthetic food sovereignty and cooperatives", 2024, "w9", 0, [COTE])

EXPORT = [{"id": "synthetic-export-1", "type": "article-journal",
           "title": "Synthetic export-only essay on digital commons",
           "author": [{"family": "Export", "given": "Synthetic"}], "issued": {"date-parts": [["2016"]]}}]


@pytest.fixture(scope="module")
def two_editions(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("changes")
    lib = tmp / "root-a" / "exports" / "group_library"
    lib.mkdir(parents=True)
    (lib / "library.json").write_text(json.dumps(EXPORT, indent="\t"), encoding="utf-8")
    state = State(routes=[("(innovation", [W3, W5, W6, W1a]), ("(alimentation", [W1a, W4]), ("(numérique", [W2a])])
    common = dict(cache=tmp / "cache", editions=tmp / "editions", sleep=lambda s: None, stream=None)
    with FakeOpenAlex(state) as url:
        a = run_update(SMALL, base_url=url, exports_root=tmp / "root-a", today=lambda: dt.date(2026, 3, 1), **common)
        state.routes = [("(innovation", [W3, W50, W8]), ("(alimentation", [W1b, W7, W9]), ("(numérique", [W2b, W7])]
        state.singletons = {"W6": W6, "W50": W50}
        state.merged = {"W5": "W50"}
        state.deleted = {"W4"}
        b = run_update(SMALL, base_url=url, exports_root=tmp / "root-b", today=lambda: dt.date(2026, 6, 1), **common)
        singles = sorted(p.split("/")[-1] for p, _ in state.log if p.startswith("/works/"))
    folder = tmp / "editions"
    prev, cur = load_edition(a.edition_id, folder), load_edition(b.edition_id, folder)
    out = changes(prev, cur, themes=THEMES, institutions=INSTITUTIONS)
    return {"prev": prev, "cur": cur, "changes": out, "singles": singles, "folder": folder}


def test_editions_and_upstream_checks(two_editions):
    prev, cur = two_editions["prev"], two_editions["cur"]
    assert (prev.id, cur.id) == ("2026-03-01", "2026-06-01")
    assert cur.manifest["previous_edition"] == "2026-03-01"
    assert previous_edition(cur).id == "2026-03-01" and previous_edition(prev) is None
    q = prev.queries.set_index("query_id")
    assert q["works_received"].tolist() == [4, 2, 1] and q["works_first_seen"].tolist() == [4, 1, 1]
    assert two_editions["singles"] == ["W4", "W5", "W6"]  # only the ids A had and B lacks are checked
    assert cur.upstream[["openalex_id", "http_status", "status", "merged_into"]].astype(object).values.tolist() == [
        ["W4", 404, "deleted", pd.NA], ["W5", 301, "merged", "W50"], ["W6", 200, "present", pd.NA]]
    assert len(prev.bank.works) == 7 and len(cur.bank.works) == 7


def test_new_works_and_new_works_by_theme(two_editions):
    ch = two_editions["changes"]
    new = ch["new_works"]
    assert new[["openalex_id", "year", "themes"]].values.tolist() == [
        ["W9", 2024, "food"], ["W7", 2023, "food; digital"], ["W8", 2022, ""]]
    by = ch["new_by_theme"].set_index("theme")
    assert by.loc["food"].tolist() == [2, 2, 3]       # new W7, W9; A: W1, W4; B: W1, W7, W9
    assert by.loc["digital"].tolist() == [1, 2, 2]    # new W7; A: W2 + export; B: W2, W7
    assert by.loc["unthemed", "n_new"] == 1 and by.loc["unthemed", "n_current"] == 3  # W8; W3, W50, W8


def test_new_quebec_researchers(two_editions):
    new = two_editions["changes"]["new_researchers"]
    assert new["author_full"].tolist() == ["Synthetic Côté", "Synthetic Gagnon"]
    assert new["institution"].tolist() == ["Université Laval", "UQAM"]


def test_withdrawn_and_merged(two_editions):
    w = two_editions["changes"]["withdrawn"]
    assert w[["openalex_id", "status", "evidence", "merged_into", "merged_into_in_current"]].astype(object).values \
        .tolist() == [["W4", "deleted", "http_404", pd.NA, False], ["W5", "merged", "redirect", "W50", True],
                      ["W6", "unmatched", "present_upstream", pd.NA, False],
                      [pd.NA, "absent", "keys_absent", pd.NA, False]]
    assert w["title"].iloc[3] == "Synthetic export-only essay on digital commons"


def test_citation_counts_that_moved_most(two_editions):
    c = two_editions["changes"]["citations"]
    assert c[["openalex_id", "previous_cited_by", "current_cited_by", "delta"]].astype(object).values.tolist() == [
        ["W2", 10, 25, 15], ["W1", 5, 9, 4], ["W50", 1, 4, 3]]  # W50 matched to A's W5 by DOI; W3 did not move


def test_summary(two_editions):
    s = two_editions["changes"]["summary"].set_index("metric")
    assert s.loc["works"].tolist() == [7, 7] and s.loc["openalex_ids"].tolist() == [6, 7]
    assert s.loc["new_works", "current"] == 3 and s.loc["new_quebec_researchers", "current"] == 2
    assert s.loc["quebec_researchers"].tolist() == [2, 4]
    assert s.loc["withdrawn_or_merged", "current"] == 3 and s.loc["no_longer_matched", "current"] == 1


def test_changes_by_edition_ids(two_editions):
    out = changes("2026-03-01", "2026-06-01", folder=two_editions["folder"], themes=THEMES,
                  institutions=INSTITUTIONS)
    assert out["new_works"]["openalex_id"].tolist() == ["W9", "W7", "W8"]
    with pytest.raises(ParameterError):
        changes(two_editions["prev"], two_editions["cur"], themes="themes.yaml", institutions=INSTITUTIONS)


def test_trend_changes_codes():
    prev = pd.DataFrame({"theme": ["food", "digital"], "rate_ratio": [1.10, 0.97], "emerging": [False, False],
                         "declining": [False, False]})
    cur = pd.DataFrame({"theme": ["food", "digital"], "rate_ratio": [1.12, 0.94], "emerging": [True, False],
                        "declining": [False, False]})
    t = compute_trend_changes(prev, cur, THEMES, min_rate_change=0.02)
    assert t[["theme", "change", "changed"]].values.tolist() == [["food", "became_emerging", True],
                                                                  ["digital", "rate_ratio_down", True]]
    assert np.isclose(t.loc[1, "rate_ratio_change"], -0.03)
    t2 = compute_trend_changes(prev, cur.assign(emerging=False), THEMES, min_rate_change=0.05)
    assert t2["change"].tolist() == ["unchanged", "unchanged"] and not t2["changed"].any()
    t3 = compute_trend_changes(prev.assign(rate_ratio=np.nan), cur.assign(emerging=False), THEMES)
    assert t3["change"].tolist() == ["not_estimable", "not_estimable"]
    t4 = compute_trend_changes(prev.assign(declining=[False, True]), cur.assign(emerging=False), THEMES)
    assert t4.set_index("theme").loc["digital", "change"] == "no_longer_declining"


def test_work_keys_ignore_short_titles():
    works = pd.DataFrame({"work_id": ["W00001", "W00002"], "doi": ["10.5555/X", None],
                          "title": ["Editorial", "Synthetic long enough title"], "year": pd.array([2020, 2021],
                                                                                              dtype="Int64")})
    ids = pd.DataFrame({"work_id": ["W00001"], "openalex_id": ["W9"]})
    keys = work_keys(works, ids)
    assert sorted(keys["key"]) == ["doi:10.5555/x", "oa:W9", "title:synthetic long enough title|2021"]
