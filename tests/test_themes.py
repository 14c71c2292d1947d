"""Theme dictionary and matching, checked by hand on a synthetic toy corpus (tests/fixtures/vigie)."""

from pathlib import Path

import pandas as pd
import pytest

from analysis.core import paths
from analysis.core.errors import SchemaError
from analysis.vigie.themes import (
    compute_theme_shares,
    compute_theme_table,
    compute_theme_year_counts,
    compute_work_themes,
    load_themes,
)

FIX = Path(__file__).parent / "fixtures" / "vigie"


@pytest.fixture
def toy():
    return load_themes(FIX / "themes_toy.yaml")


@pytest.fixture
def works():
    # Synthetic works (invented titles).
    return pd.DataFrame({
        "work_id": ["w1", "w2", "w3", "w4", "w5", "w6"],
        "title": ["Short food supply chains", "Plateforme numérique coopérative", "Circuits courts et NUMÉRIQUE",
                  "Aid for fairness", "AI in rural areas", "Foodservice workers"],
        "abstract": ["Agricultural cooperatives", None, None, None, "agriculture", None],
        "author_keywords": [None, None, None, None, None, None],
        "year": pd.array([2020, 2020, 2021, 2021, 2022, None], dtype="Int64"),
    })


def test_matching_whole_words_and_stems(toy, works):
    wt = compute_work_themes(works, toy)
    got = {t: sorted(g["work_id"]) for t, g in wt.groupby("theme")}
    # "ai" must not match "Aid"/"fairness"; "food" must not match "Foodservice"; accents and case folded.
    assert got == {"food": ["w1", "w3", "w5"], "digital": ["w2", "w3", "w5"]}
    assert list(wt.columns) == ["work_id", "theme"]
    assert wt["theme"].tolist()[:3] == ["food", "food", "food"]  # dictionary order


def test_shares_and_year_grid(toy, works):
    wt = compute_work_themes(works, toy)
    shares = compute_theme_shares(works, wt, toy)
    from analysis.vigie.themes import themed_coverage

    assert themed_coverage(works, wt) == {"n_works": 6, "n_themed": 4, "share_themed": 4 / 6}
    assert shares["n_works"].tolist() == [3, 3]
    assert shares["share"].tolist() == [0.5, 0.5]
    grid = compute_theme_year_counts(works, wt, toy)
    food = grid[grid["theme"] == "food"]
    assert food["year"].tolist() == [2020, 2021, 2022]
    assert food["n_theme"].tolist() == [1, 1, 1]
    assert food["n_total"].tolist() == [2, 2, 1]
    assert food["share"].tolist() == [0.5, 0.5, 1.0]
    only_2021 = compute_theme_year_counts(works, wt, toy, year_min=2021, year_max=2021)
    assert only_2021["n_theme"].tolist() == [1, 1]


def test_theme_table(toy):
    t = compute_theme_table(toy)
    assert t["issue"].tolist() == ["issue_a", "issue_b"]  # codes: the report names them
    assert t["orientations"].tolist() == [("food",), ("digital_transformation",)]
    from analysis.report.figures.vigie import issue_labels

    assert t["issue"].map(issue_labels(toy)).tolist() == ["Enjeu A", "Enjeu B"]
    assert t["issue"].map(issue_labels(toy, "en")).tolist() == ["Issue A", "Issue B"]
    assert t["levers"].tolist() == ["2", "4, 5"]
    assert t["n_terms"].tolist() == [4, 4]


def test_bad_dictionary_names_theme(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("issues: {a: {fr: A}}\nthemes:\n  - {id: x, label: {fr: X}, issue: zz, terms: [t]}\n",
                   encoding="utf-8")
    with pytest.raises(SchemaError) as err:
        load_themes(bad)
    assert err.value.field == "themes.x.issue"
    dup = tmp_path / "dup.yaml"
    dup.write_text("themes:\n  - {id: x, label: {fr: X}, issue: a, terms: [t]}\n"
                   "  - {id: x, label: {fr: X}, issue: a, terms: [t]}\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="defined twice"):
        load_themes(dup)


def test_shipped_dictionary_is_valid():
    d = load_themes(paths.RAW / "vigie" / "themes.yaml")
    assert len(d.themes) >= 10
    assert set(d.issues) == {"innovation_digital", "food_health_autonomy", "territorial_development",
                             "climate_transition", "talent_frontline"}
    assert {t.issue for t in d.themes} == set(d.issues)  # every issue has at least one theme


def test_filter_bank_years_and_languages(works):
    import types

    w = works.assign(language=["English", "French", None, "Spanish", "English; French", "English"])
    bank = types.SimpleNamespace(works=w, authorships=pd.DataFrame({"work_id": ["w1", "w4"], "author": ["a", "b"]}),
                                 work_keywords=pd.DataFrame({"work_id": ["w4"], "keyword": ["k"]}))
    import dataclasses

    @dataclasses.dataclass
    class B:
        works: pd.DataFrame
        authorships: pd.DataFrame
        work_keywords: pd.DataFrame
        ledger: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)
        duplicates: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)

    from analysis.vigie.bank import filter_bank

    b = B(bank.works, bank.authorships, bank.work_keywords)
    sel, counts = filter_bank(b, year_min=2021, languages=["english", "FRENCH"])
    # w1, w2 before 2021, w6 has no year → out; w4 Spanish → out; w3 unknown language kept; w5 bilingual kept
    assert sel.works["work_id"].tolist() == ["w3", "w5"]
    assert counts == {"before": 6, "kept": 2, "out_of_years": 3, "other_language": 1, "unknown_language_kept": 1}
    assert sel.authorships.empty and sel.work_keywords.empty
    same, c2 = filter_bank(b)
    assert len(same.works) == 6 and c2["kept"] == 6


def test_empty_bank_gives_empty_tables(toy, works):
    empty = works.iloc[0:0]
    wt = compute_work_themes(empty, toy)
    assert wt.empty and list(wt.columns) == ["work_id", "theme"]
    assert compute_theme_year_counts(empty, wt, toy).empty


def _mirror_file(name):
    mirror = paths.default_mirror()
    path = mirror / "corpora" / name if mirror else None
    if path is None or not path.exists():
        pytest.skip(f"public corpus {name} not available (set VIGIE_DATA_MIRROR or run make data)")
    return path


def test_real_corpus_scale():
    """The shipped dictionary on the Scopus social-entrepreneurship export (2,000 records): counts stay consistent
    (its speed belongs to benchmarks/, not to a timed test)."""
    from analysis.vigie.bank import build_bank
    from analysis.vigie.emerging import compute_emerging_themes

    bank = build_bank([_mirror_file("scopus_social_entrepreneurship.bib")])
    d = load_themes(paths.RAW / "vigie" / "themes.yaml")
    wt = compute_work_themes(bank.works, d)
    shares = compute_theme_shares(bank.works, wt, d)
    assert shares["n_works"].sum() == len(wt)  # one row per (work, theme)
    assert 0.5 < wt["work_id"].nunique() / len(bank.works) < 1.0
    grid = compute_theme_year_counts(bank.works, wt, d)
    assert (grid.groupby("theme")["n_theme"].sum().reindex(d.ids()).to_numpy() == shares["n_works"].to_numpy()).all()
    e = compute_emerging_themes(grid)
    assert len(e) == len(d.themes) and e["p_adjusted"].dropna().between(0, 1).all()
