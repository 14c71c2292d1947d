"""The public API of the innovation watch's wing: what a researcher types in JupyterLab (``from analysis import
vigie``), on the small synthetic exports of tests/fixtures/bank (invented records)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from analysis import vigie
from analysis.core import paths
from analysis.core.errors import InputFormatError, ParameterError
from analysis.vigie.bank import WORK_COLUMNS

FIX = Path(__file__).parent / "fixtures" / "bank"
TOY_THEMES = Path(__file__).parent / "fixtures" / "vigie" / "themes_toy.yaml"


@pytest.fixture(scope="module")
def bank() -> vigie.Bank:
    # 4 Scopus + 3 WoS records, 2 WoS records merged: 5 works, 2019–2022
    return vigie.build_bank([FIX / "scopus_small.csv", FIX / "wos_small.txt"])


def test_all_names_exist_and_are_documented():
    assert len(vigie.__all__) == len(set(vigie.__all__))
    for name in vigie.__all__:
        obj = getattr(vigie, name)
        if callable(obj) and not isinstance(obj, type):
            doc = obj.__doc__ or ""
            assert doc.strip(), f"vigie.{name} has no docstring"
    for name in ("main_information", "sources", "authors", "production", "growth", "citations", "keywords",
                 "countries", "lotka", "bradford", "themes", "work_themes", "theme_years", "emerging_themes",
                 "directory", "filter", "coauthor_network", "keyword_network", "validate"):
        assert (getattr(vigie.Bank, name).__doc__ or "").strip(), f"Bank.{name} has no docstring"


def test_references_in_docstrings():
    assert "Lotka, A. J. (1926)" in vigie.compute_lotka.__doc__
    assert "Bradford, S. C. (1934)" in vigie.compute_bradford.__doc__
    assert "Benjamini, Y., & Hochberg, Y. (1995)" in vigie.compute_emerging_themes.__doc__
    assert "Benjamini, Y., & Hochberg, Y. (1995)" in vigie.bh_adjust.__doc__
    from analysis.vigie import networks

    assert "van Eck, N. J., & Waltman, L. (2009)" in networks.association_strength.__doc__
    assert "Blondel, V. D." in vigie.compute_communities.__doc__
    assert "Aria, M., & Cuccurullo, C. (2017)" in vigie.main_information.__doc__


def test_bank_methods_by_hand(bank):
    assert repr(bank) == "<Bank: 5 works from 2 files, 7 authorships, 13 keyword rows, 2 merged, 0 rejected>"
    src = bank.sources(2)
    # the synthetic journal holds W00002 (12 citations) and W00003 (3 citations)
    assert src.iloc[0].tolist() == ["Synthetic Journal of Cooperative Studies", 2, 0.4, 15]
    assert len(src) == 2
    assert bank.production()["documents"].tolist() == [1, 1, 1, 2]  # 2019, 2020, 2021, 2022
    g = bank.growth()
    assert (g["first_year"], g["last_year"], g["peak_year"], g["peak_documents"]) == (2019, 2022, 2022, 2)
    assert g["annual_growth_rate_pct"] == pytest.approx((2 ** (1 / 3) - 1) * 100)  # 1 document → 2 in 3 years
    # Bradford: 5 works; zone = 1 + ⌊3 × works before / 5⌋ → before 0, 2, 3, 4 → zones 1, 2, 2, 3
    assert bank.bradford()["zone"].tolist() == [1, 2, 2, 3]
    countries = bank.countries().set_index("country")
    assert countries.loc["Canada", ["n_works", "n_single", "n_multi"]].tolist() == [3, 2, 1]  # W00003: Korea+Canada
    authors = bank.authors(1)
    assert authors.iloc[0]["author"] == "Tremblay, M." and authors.iloc[0]["n_works"] == 2
    table, fit = bank.lotka()
    assert table["n_works"].tolist() == [1, 2] and table["n_authors"].tolist() == [5, 1]
    info = bank.main_information().set_index("key")["value"]
    assert info["documents"] == 5 and info["timespan"] == "2019:2022"
    assert list(bank.main_information().columns) == ["section", "key", "label", "value"]


def test_bank_methods_delegate_to_the_module_functions(bank):
    pd.testing.assert_frame_equal(bank.sources(10), vigie.compute_top_sources(bank.works, 10))
    pd.testing.assert_frame_equal(bank.citations(), vigie.citations_per_year(bank.works))
    pd.testing.assert_frame_equal(bank.keywords(None), vigie.compute_top_keywords(bank.work_keywords, None))
    d = vigie.load_themes(TOY_THEMES)
    wt = vigie.compute_work_themes(bank.works, d)
    pd.testing.assert_frame_equal(bank.work_themes(d), wt)
    pd.testing.assert_frame_equal(bank.themes(d), vigie.compute_theme_shares(bank.works, wt, d))
    pd.testing.assert_frame_equal(bank.emerging_themes(d), vigie.compute_emerging_themes(
        vigie.compute_theme_year_counts(bank.works, wt, d)))


def test_top_keywords_by_hand():
    kw = pd.DataFrame({"work_id": ["w1", "w2", "w2", "w3", "w3"],
                       "keyword": ["Coopérative", "coopérative", "Food", "coopérative", "food"],
                       "keyword_key": ["cooperative", "cooperative", "food", "cooperative", "food"],
                       "kind": ["author", "author", "index", "author", "author"]})
    top = vigie.compute_top_keywords(kw)
    # cooperative in 3 works (spelt "coopérative" twice), food in 2 of the 3 works with a keyword
    assert top[["keyword", "n_works"]].values.tolist() == [["coopérative", 3], ["Food", 2]]
    assert top["share"].tolist() == [1.0, pytest.approx(2 / 3)]
    assert vigie.compute_top_keywords(kw, kind="index")["keyword"].tolist() == ["Food"]


def test_filter_keeps_what_it_left_out_in_window(bank):
    sel = bank.filter(year_min=2021, languages=["English"])
    # 2021 and 2022 English: W00002, W00003 (W00004 is French, W00001 2020, W00005 2019)
    assert sel.works["work_id"].tolist() == ["W00002", "W00003"]
    assert sel.window == {"before": 5, "kept": 2, "out_of_years": 2, "other_language": 1,
                          "unknown_language_kept": 0}
    assert set(sel.authorships["work_id"]) == {"W00002", "W00003"}
    assert bank.window is None and len(bank.works) == 5  # the bank itself is unchanged


def test_empty_bank_every_method_works():
    b = vigie.empty_bank()
    b.validate()
    assert len(b.works) == 0 and list(b.works.columns) == WORK_COLUMNS
    d = vigie.load_themes(TOY_THEMES)
    assert b.production().empty and b.citations().empty and b.sources().empty and b.authors().empty
    assert b.themes(d)["n_works"].tolist() == [0, 0] and b.emerging_themes(d).empty
    assert math.isnan(b.growth()["annual_growth_rate_pct"])
    assert b.coauthor_network().graph.number_of_nodes() == 0
    assert b.keyword_network().items is None  # nothing to link
    assert b.directory(d).empty


# ---- one clear line instead of a pandas traceback ------------------------------------------------------------


def test_bank_where_a_table_is_expected(bank):
    # was: AttributeError: 'Bank' object has no attribute 'dropna'
    with pytest.raises(ParameterError) as err:
        vigie.compute_top_sources(bank)
    assert err.value.one_line() == (
        "[works] expected a DataFrame with columns work_id, source_title, got a Bank (pass bank.works)")
    with pytest.raises(ParameterError) as err:
        vigie.documents_per_year(bank)
    assert err.value.one_line() == "[works] expected a DataFrame with columns year, got a Bank (pass bank.works)"
    with pytest.raises(ParameterError) as err:
        vigie.keyword_items(bank)
    assert err.value.one_line() == ("[work_keywords] expected a DataFrame with columns work_id, keyword, "
                                    "keyword_key, kind, got a Bank (pass bank.work_keywords)")


def test_works_without_theme_column(bank):
    # was: KeyError: 'theme'
    with pytest.raises(ParameterError) as err:
        vigie.compute_emerging_themes(bank.works)
    assert err.value.one_line() == (
        "[counts] expected a DataFrame with columns theme, year, n_theme, n_total; missing theme, n_theme, "
        "n_total in a DataFrame with columns work_id, doi, title, year, source_title, doc_type, language, "
        "cited_by, …")
    d = vigie.load_themes(TOY_THEMES)
    with pytest.raises(ParameterError) as err:
        vigie.compute_theme_shares(bank.works, bank.works, d)
    assert err.value.field == "work_themes" and "missing theme" in err.value.one_line()


def test_list_instead_of_theme_dictionary(bank):
    with pytest.raises(ParameterError) as err:
        vigie.compute_work_themes(bank.works, ["food", "digital"])
    assert err.value.one_line() == "[themes] expected a ThemeDictionary, got a list (load it with vigie.load_themes())"
    with pytest.raises(ParameterError) as err:
        bank.themes("data/raw/vigie/themes.yaml")
    assert err.value.one_line() == "[themes] expected a ThemeDictionary, got a str (load it with vigie.load_themes())"


def test_table_where_the_bank_is_expected(bank):
    with pytest.raises(ParameterError) as err:
        vigie.main_information(bank.works)
    assert err.value.one_line().startswith(
        "[bank] expected a Bank (from vigie.build_bank), got a DataFrame with columns work_id, doi,")
    with pytest.raises(ParameterError) as err:
        vigie.filter_bank(bank, year_min="2010")
    assert err.value.one_line() == "[year_min] expected a whole number or None, got '2010'"


def test_other_argument_checks(bank):
    with pytest.raises(ParameterError) as err:
        bank.sources(0)
    assert err.value.one_line() == "[n] expected a whole number of at least 1 or None, got 0"
    with pytest.raises(ParameterError) as err:
        bank.keywords(kind="authors")
    assert err.value.one_line() == "[kind] expected one of 'author', 'index', None, got 'authors'"
    with pytest.raises(ParameterError) as err:
        vigie.rank_candidates(pd.DataFrame({"candidate": ["a"], "alignment": [1.0], "momentum": [0.0],
                                            "practice": [0.0], "capacity": [0.0]}), {"alignment": -1})
    assert err.value.one_line() == "[weights] weights must be non-negative with a positive sum"
    with pytest.raises(ParameterError) as err:
        vigie.build_bank(bank)
    assert err.value.field == "paths" and "got a Bank" in err.value.one_line()
    with pytest.raises(InputFormatError, match="no input file"):
        vigie.build_bank([])


# ---- paths relative to the current folder or the project root; loaders without argument ------------------------


def test_loaders_with_no_argument():
    assert len(vigie.load_themes().themes) >= 10
    assert len(vigie.load_institutions().names()) >= 20
    assert len(vigie.load_practices()) == 29  # the inventory drawn from the seeds


@pytest.mark.parametrize("where", ["notebooks", "elsewhere"])
def test_relative_paths_from_another_folder(where, tmp_path, monkeypatch):
    monkeypatch.chdir(paths.NOTEBOOKS if where == "notebooks" else tmp_path)
    # relative to the project root, as the docstrings and parameter files name them
    assert vigie.load_themes("data/raw/vigie/themes.yaml").ids() == vigie.load_themes().ids()
    assert vigie.load_institutions("data/raw/vigie/quebec_institutions.yaml").names()
    assert len(vigie.load_practices("data/raw/vigie/practices.csv")) == 29
    b = vigie.build_bank(["tests/fixtures/bank/scopus_small.csv", "tests/fixtures/bank/wos_small.txt"])
    assert len(b.works) == 5
    assert vigie.read_file("tests/fixtures/bank/small.ris").read == 2
    if where == "notebooks":  # relative to the current folder, as a researcher types it in JupyterLab
        assert vigie.load_themes("../data/raw/vigie/themes.yaml").ids() == vigie.load_themes().ids()
        assert len(vigie.build_bank(["../tests/fixtures/bank/small.ris"]).works) == 2


def test_current_folder_first(tmp_path, monkeypatch):
    (tmp_path / "data" / "raw" / "vigie").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "vigie" / "themes.yaml").write_bytes(TOY_THEMES.read_bytes())
    monkeypatch.chdir(tmp_path)
    assert vigie.load_themes("data/raw/vigie/themes.yaml").ids() == ["food", "digital"]


def test_missing_file_names_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputFormatError) as err:
        vigie.build_bank(["nowhere/export.csv"])
    assert err.value.one_line() == "export.csv: file not found"
    found, missing = vigie.find_inputs(["tests/fixtures/bank/small.ris", "nowhere/export.csv"])
    assert found == ["tests/fixtures/bank/small.ris"] and missing == ["nowhere/export.csv"]
    with pytest.raises(ParameterError, match="unknown external dataset"):
        vigie.resolve_path("external:no_such_dataset")


def test_formats_keyed_by_entry_path_or_name(tmp_path):
    copy = tmp_path / "export.dat"
    copy.write_bytes((FIX / "small.ris").read_bytes())
    for key in (str(copy), "export.dat"):
        assert vigie.build_bank([copy], {key: "ris"}).ledger["format"].tolist() == ["ris"]
