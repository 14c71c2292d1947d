"""Theme dictionary rules the mutants of issue 21 could break unnoticed: every check of ``load_themes`` with its
message and field, the exact regular expression of a theme, the matching text, zero counts in the shares and the
year grid, the year and ``min_total`` thresholds at their edges, and the mapping of the shipped themes to the
roadmap's societal issues and levers.

Synthetic dictionaries and works written inline (invented titles); the shipped dictionary is the real one.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.core import paths
from analysis.core.errors import ParameterError, SchemaError
from analysis.vigie.themes import (
    Theme,
    ThemeDictionary,
    compute_theme_shares,
    compute_theme_table,
    compute_theme_year_counts,
    compute_top_themes,
    compute_work_themes,
    load_themes,
    normalized_text,
    theme_pattern,
    themed_coverage,
)

FIX = Path(__file__).parent / "fixtures" / "vigie"


@pytest.fixture
def toy() -> ThemeDictionary:
    return load_themes(FIX / "themes_toy.yaml")


def _yaml(tmp_path: Path, text: str, name: str = "dict.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEAD = "issues: {a: {fr: A}, b: {fr: B}}\norientations: {o1: {fr: O1}, o2: {fr: O2}}\nthemes:\n"


# --- load_themes: what is read --------------------------------------------------------------------------------------

def test_every_field_of_a_theme_is_read(tmp_path):
    """Terms and stems are folded (accents, case, punctuation → space) and blank ones dropped; levers become ints."""
    path = _yaml(tmp_path, HEAD + (
        "  - {id: t1, label: {fr: Un, en: One}, issue: a, orientations: [o2, o1], levers: ['4', 5],\n"
        "     terms: ['Numérique', 'E-Commerce', '!!'], stems: ['Agricult', '  ']}\n"
        "  - {id: t2, label: {fr: Deux}, issue: b, stems: [platform]}\n"))
    d = load_themes(path)
    assert d.themes[0] == Theme("t1", {"fr": "Un", "en": "One"}, "a", ("o2", "o1"), (4, 5),
                                ("numerique", "e commerce"), ("agricult",))
    assert d.themes[1] == Theme("t2", {"fr": "Deux"}, "b", (), (), (), ("platform",))
    assert d.ids() == ["t1", "t2"]
    assert d.issue_of() == {"t1": "a", "t2": "b"}
    assert d.issues == {"a": {"fr": "A"}, "b": {"fr": "B"}}
    assert d.orientations == {"o1": {"fr": "O1"}, "o2": {"fr": "O2"}}


def test_a_theme_with_terms_only_is_valid(tmp_path):
    d = load_themes(_yaml(tmp_path, HEAD + "  - {id: t1, label: {fr: Un}, issue: a, terms: [coop]}\n"))
    assert d.themes[0].terms == ("coop",) and d.themes[0].stems == ()


def test_without_issue_or_orientation_lists_any_code_is_accepted(tmp_path):
    """The issue and orientation checks apply only when the file lists them."""
    d = load_themes(_yaml(tmp_path, "themes:\n  - {id: t1, label: {fr: Un}, issue: free, orientations: [any],"
                                    " terms: [x]}\n"))
    assert d.themes[0].issue == "free" and d.themes[0].orientations == ("any",)
    assert d.issues == {} and d.orientations == {}


def test_shipped_dictionary_is_the_default_and_maps_themes_to_the_roadmap():
    """data/raw/vigie/themes.yaml: 13 themes, each tied to one of the five societal issues of the CQCM roadmap and
    to its levers (1–5), read from the file itself."""
    d = load_themes()
    assert d == load_themes(paths.RAW / "vigie" / "themes.yaml")
    assert d.ids() == ["digital", "platforms", "green_circular", "energy", "food", "health_care", "housing",
                       "takeover", "territorial", "financing", "inclusion", "governance", "work_skills"]
    issue = d.issue_of()
    assert [issue[t] for t in ("digital", "platforms")] == ["innovation_digital"] * 2
    assert [issue[t] for t in ("green_circular", "energy")] == ["climate_transition"] * 2
    assert [issue[t] for t in ("food", "health_care", "housing")] == ["food_health_autonomy"] * 3
    assert [issue[t] for t in ("takeover", "territorial", "financing")] == ["territorial_development"] * 3
    assert [issue[t] for t in ("inclusion", "governance", "work_skills")] == ["talent_frontline"] * 3
    table = compute_theme_table(d).set_index("theme")
    assert table.loc["green_circular", "levers"] == "2, 4" and table.loc["territorial", "levers"] == "1, 2"
    assert table.loc["food", "orientations"] == ("food",)
    assert d.themes[0].label == {"fr": "Transformation numérique", "en": "Digital transformation"}
    assert "numerique" in d.themes[0].terms and "digitali" in d.themes[0].stems


# --- load_themes: what is refused, with message and field ------------------------------------------------------------

@pytest.mark.parametrize(("entries", "message", "field"), [
    ("  - {id: t1, label: {fr: Un}, issue: a, terms: [x]}\n  - {label: {fr: Deux}, issue: a, terms: [x]}\n",
     "theme #2 has no id", "themes.id"),
    ("  - plain text\n", "theme #1 has no id", "themes.id"),
    ("  - {id: 5, label: {fr: Un}, issue: a, terms: [x]}\n", "theme #1 has no id", "themes.id"),
    ("  - {id: '', label: {fr: Un}, issue: a, terms: [x]}\n", "theme #1 has no id", "themes.id"),
    ("  - {id: t1, label: {fr: Un}, issue: a, terms: [x]}\n  - {id: t1, label: {fr: Un}, issue: a, terms: [y]}\n",
     "theme 't1' is defined twice", "themes.t1"),
    ("  - {id: t1, label: {en: One}, issue: a, terms: [x]}\n",
     "theme 't1' needs a label with a 'fr' entry", "themes.t1.label"),
    ("  - {id: t1, label: Un, issue: a, terms: [x]}\n",
     "theme 't1' needs a label with a 'fr' entry", "themes.t1.label"),
    ("  - {id: t1, issue: a, terms: [x]}\n", "theme 't1' needs a label with a 'fr' entry", "themes.t1.label"),
    ("  - {id: t1, label: {fr: Un}, issue: zz, terms: [x]}\n",
     "theme 't1': issue 'zz' is not one of ['a', 'b']", "themes.t1.issue"),
    ("  - {id: t1, label: {fr: Un}, issue: a, orientations: [o1, q, r], terms: [x]}\n",
     "theme 't1': unknown orientation(s) ['q', 'r']", "themes.t1.orientations"),
    ("  - {id: t1, label: {fr: Un}, issue: a, terms: ['!!'], stems: []}\n",
     "theme 't1' has neither terms nor stems", "themes.t1.terms"),
    ("  - {id: t1, label: {fr: Un}, issue: a}\n", "theme 't1' has neither terms nor stems", "themes.t1.terms"),
    ("  []\n", "the theme dictionary defines no theme", "themes"),
])
def test_malformed_entries_are_named(tmp_path, entries, message, field):
    path = _yaml(tmp_path, HEAD + entries, "bad.yaml")
    with pytest.raises(SchemaError) as err:
        load_themes(path)
    assert err.value.message == message
    assert err.value.field == field
    assert err.value.path == "bad.yaml"  # outside the project: the file name (paths.relative)


def test_empty_file_and_missing_file(tmp_path):
    with pytest.raises(SchemaError, match="the theme dictionary defines no theme"):
        load_themes(_yaml(tmp_path, ""))
    with pytest.raises(SchemaError, match="theme dictionary not found") as err:
        load_themes(tmp_path / "missing.yaml")
    assert err.value.path == "missing.yaml"


def test_errors_inside_the_project_name_the_relative_path():
    with pytest.raises(SchemaError) as err:
        load_themes(paths.ROOT / "data" / "raw" / "vigie" / "no_such_themes.yaml")
    assert err.value.path == "data/raw/vigie/no_such_themes.yaml"


# --- theme_pattern and normalized_text ------------------------------------------------------------------------------

def test_pattern_text_longest_terms_first_then_stems(toy):
    """Terms (whole words) sorted by length then text, each followed by a word-end guard; then the stems."""
    assert theme_pattern(toy.themes[0]).pattern == (
        r"(?<![a-z0-9])(?:circuits\ courts(?![a-z0-9])|alimentaire(?![a-z0-9])|food(?![a-z0-9])|agricult)")
    two = Theme("x", {"fr": "X"}, "a", terms=("bb", "aa", "bb", "ccc"), stems=("zz", "yyy", "xx"))
    assert theme_pattern(two).pattern == (
        r"(?<![a-z0-9])(?:ccc(?![a-z0-9])|aa(?![a-z0-9])|bb(?![a-z0-9])|yyy|xx|zz)")


@pytest.mark.parametrize(("text", "hit"), [
    ("food", True), ("seafood", False), ("foods", False), ("food2", False), ("2food", False),
    ("agricultural", True), ("pre agricultural", True), ("preagricultural", False), ("circuits courts", True),
])
def test_pattern_word_edges(toy, text, hit):
    assert bool(theme_pattern(toy.themes[0]).search(text)) is hit


def test_normalized_text_joins_folds_and_blanks():
    df = pd.DataFrame({"title": ["Coopératives & Plateformes", None, None],
                       "abstract": ["Circuits-courts", "Numérique", None],
                       "index_keywords": [None, "AI; Data", None],
                       "other": ["ignored", "ignored", "ignored"]})
    text = normalized_text(df)
    assert text.tolist() == ["cooperatives plateformes circuits courts", "numerique ai data", ""]
    assert text.dtype == object
    assert normalized_text(df, ("abstract",)).tolist() == ["circuits courts", "numerique", ""]


def test_normalized_text_without_text_columns_or_rows():
    df = pd.DataFrame({"work_id": ["w1", "w2"]}, index=[5, 7])
    out = normalized_text(df)
    assert out.tolist() == ["", ""] and out.index.tolist() == [5, 7] and out.dtype == object
    empty = normalized_text(pd.DataFrame({"title": pd.Series([], dtype=object)}))
    assert empty.tolist() == [] and empty.dtype == object
    with pytest.raises(ParameterError) as err:
        normalized_text(["not", "a", "table"])
    assert err.value.field == "df"


# --- compute_work_themes ---------------------------------------------------------------------------------------------

def test_work_themes_order_id_column_and_fields(toy):
    """Rows in dictionary order (food before digital although 'digital' sorts first), then by id."""
    practices = pd.DataFrame({"practice_id": ["p9", "p3", "p5"],
                              "title": ["Numérique et alimentaire", "Food hub", "Digital food"],
                              "abstract": ["", "platform", None]})
    wt = compute_work_themes(practices, toy, id_col="practice_id")
    assert wt.values.tolist() == [["p3", "food"], ["p5", "food"], ["p9", "food"],
                                  ["p3", "digital"], ["p5", "digital"], ["p9", "digital"]]
    only_abstract = compute_work_themes(practices, toy, id_col="practice_id", fields=("abstract",))
    assert only_abstract.values.tolist() == [["p3", "digital"]]


def test_work_themes_with_no_theme_and_bad_arguments(toy):
    works = pd.DataFrame({"work_id": ["w1"], "title": ["food"]})
    none = compute_work_themes(works, ThemeDictionary(()))
    assert none.empty and list(none.columns) == ["work_id", "theme"]
    with pytest.raises(ParameterError) as err:
        compute_work_themes(works, [toy])
    assert err.value.field == "themes" and err.value.message.endswith(" (load it with vigie.load_themes())")
    with pytest.raises(ParameterError) as err:
        compute_work_themes(works.rename(columns={"work_id": "id"}), toy)
    assert err.value.field == "works" and "work_id" in err.value.message


# --- shares, coverage, year grid ------------------------------------------------------------------------------------

@pytest.fixture
def works() -> pd.DataFrame:
    # Synthetic: 5 works; food ← w1, w2, w3; digital ← w3 only; w4 unthemed; w5 has no year.
    return pd.DataFrame({"work_id": ["w1", "w2", "w3", "w4", "w5"],
                         "title": ["Food", "Alimentaire", "Food platform", "Other", "Agriculture"],
                         "year": pd.array([2019, 2020, 2020, 2021, None], dtype="Int64")})


def test_shares_count_distinct_works_and_zero(toy, works):
    wt = pd.DataFrame({"work_id": ["w1", "w1", "w2", "w5"], "theme": ["food", "food", "food", "food"]})
    s = compute_theme_shares(works, wt, toy)
    assert s.values.tolist() == [["food", "issue_a", 3, 3 / 5], ["digital", "issue_b", 0, 0.0]]
    empty = compute_theme_shares(works.iloc[0:0], wt.iloc[0:0], toy)
    assert empty["n_works"].tolist() == [0, 0] and empty["share"].isna().all()
    with pytest.raises(ParameterError) as err:
        compute_theme_shares(works, wt.rename(columns={"theme": "t"}), toy)
    assert err.value.field == "work_themes"


def test_coverage_ignores_themed_ids_outside_the_works(works):
    wt = pd.DataFrame({"work_id": ["w1", "w1", "w3", "zz"], "theme": ["food", "digital", "food", "food"]})
    assert themed_coverage(works, wt) == {"n_works": 5, "n_themed": 2, "share_themed": 2 / 5}
    nan = themed_coverage(works.iloc[0:0], wt)
    assert (nan["n_works"], nan["n_themed"]) == (0, 0) and nan["share_themed"] != nan["share_themed"]


def test_year_grid_keeps_zero_counts_and_year_edges(toy, works):
    """2019: 1 work (food); 2020: 2 works (food ×2, digital ×1); 2021: 1 work, unthemed; w5 has no year."""
    wt = compute_work_themes(works, toy)
    grid = compute_theme_year_counts(works, wt, toy)
    assert grid.values.tolist() == [
        ["food", 2019, 1, 1, 1.0], ["food", 2020, 2, 2, 1.0], ["food", 2021, 0, 1, 0.0],
        ["digital", 2019, 0, 1, 0.0], ["digital", 2020, 1, 2, 0.5], ["digital", 2021, 0, 1, 0.0]]
    assert grid["year"].tolist()[:3] == [2019, 2020, 2021]
    inside = compute_theme_year_counts(works, wt, toy, year_min=2020, year_max=2021)
    assert inside["year"].tolist() == [2020, 2021, 2020, 2021]
    assert compute_theme_year_counts(works, wt, toy, year_min=2019, year_max=2019)["n_theme"].tolist() == [1, 0]
    assert compute_theme_year_counts(works, wt, toy, year_min=2021)["year"].tolist() == [2021, 2021]
    assert compute_theme_year_counts(works, wt, toy, year_max=2019)["year"].tolist() == [2019, 2019]


# --- compute_top_themes ----------------------------------------------------------------------------------------------

def _counts(rows):
    return pd.DataFrame(rows, columns=["theme", "year", "n_theme", "n_total"])


def test_top_themes_min_total_edge_and_ties(toy):
    """Years with n_total ≥ min_total count. 2020 (10 works): food 2, digital 5; 2021 (9 works): food 7."""
    counts = _counts([("food", 2020, 2, 10), ("digital", 2020, 5, 10), ("food", 2021, 7, 9), ("digital", 2021, 0, 9)])
    assert compute_top_themes(counts, toy) == ["digital", "food"]  # 2021 left out: 5 > 2
    assert compute_top_themes(counts, toy, min_total=9) == ["food", "digital"]  # 9 > 5
    assert compute_top_themes(counts, toy, min_total=11) == []
    assert compute_top_themes(counts, toy, min_total=0, top=1) == ["food"]
    tie = _counts([("digital", 2020, 3, 10), ("food", 2020, 3, 10), ("other", 2020, 3, 10), ("zeta", 2020, 4, 10)])
    # ties: dictionary order (food before digital), themes outside the dictionary after them
    assert compute_top_themes(tie, toy) == ["zeta", "food", "digital", "other"]
    assert compute_top_themes(tie, toy, top=2) == ["zeta", "food"]


@pytest.mark.parametrize(("kwargs", "field"), [({"top": 0}, "top"), ({"min_total": -1}, "min_total"),
                                               ({"top": 1.5}, "top")])
def test_top_themes_refuses_bad_counts(toy, kwargs, field):
    counts = _counts([("food", 2020, 2, 10)])
    with pytest.raises(ParameterError) as err:
        compute_top_themes(counts, toy, **kwargs)
    assert err.value.field == field


def test_theme_table_and_type_checks(toy):
    t = compute_theme_table(ThemeDictionary((Theme("x", {"fr": "X"}, "a", ("o",), (1, 2, 3), ("p", "q", "r"),
                                                   ("s",)),)))
    assert t.values.tolist() == [["x", "a", ("o",), "1, 2, 3", 4]]
    assert list(compute_theme_table(ThemeDictionary(())).columns) == ["theme", "issue", "orientations", "levers",
                                                                      "n_terms"]
    for call in (lambda: compute_theme_table({"themes": []}),
                 lambda: compute_theme_shares(pd.DataFrame({"work_id": []}),
                                              pd.DataFrame({"work_id": [], "theme": []}), None),
                 lambda: compute_theme_year_counts(pd.DataFrame({"work_id": [], "year": []}),
                                                   pd.DataFrame({"work_id": [], "theme": []}), "toy"),
                 lambda: compute_top_themes(_counts([]), toy.themes)):
        with pytest.raises(ParameterError) as err:
            call()
        assert err.value.field == "themes" and err.value.message.endswith("(load it with vigie.load_themes())")


# --- argument checks of the table functions --------------------------------------------------------------------------

def test_each_table_argument_is_named(toy):
    works = pd.DataFrame({"work_id": ["w1"], "year": [2020]})
    wt = pd.DataFrame({"work_id": ["w1"], "theme": ["food"]})
    calls = {
        "shares": lambda w: compute_theme_shares(w, wt, toy),
        "coverage": lambda w: themed_coverage(w, wt),
        "years": lambda w: compute_theme_year_counts(w, wt, toy),
    }
    for name, call in calls.items():
        with pytest.raises(ParameterError) as err:
            call(wt.drop(columns=["work_id"]))
        assert err.value.field == "works" and "missing work_id" in err.value.message, name
        with pytest.raises(ParameterError) as err:
            call({"works": works})
        assert err.value.field == "works", name
    with pytest.raises(ParameterError) as err:
        compute_theme_year_counts(works.drop(columns=["year"]), wt, toy)
    assert err.value.field == "works" and "missing year" in err.value.message
    with pytest.raises(ParameterError) as err:
        compute_top_themes(works, toy)
    assert err.value.field == "counts" and "missing theme, n_theme, n_total" in err.value.message


def test_empty_results_keep_their_columns(toy):
    shares = compute_theme_shares(pd.DataFrame({"work_id": ["w1"]}), pd.DataFrame({"work_id": [], "theme": []}),
                                  ThemeDictionary(()))
    assert shares.empty and list(shares.columns) == ["theme", "issue", "n_works", "share"]
    grid = compute_theme_year_counts(pd.DataFrame({"work_id": ["w1"], "year": pd.array([None], dtype="Int64")}),
                                     pd.DataFrame({"work_id": ["w1"], "theme": ["food"]}), toy)
    assert grid.empty and list(grid.columns) == ["theme", "year", "n_theme", "n_total", "share"]


# --- bugs found while writing these tests (fixed in compute_theme_year_counts) ---------------------------------------

def test_year_grid_leaves_out_works_without_id(toy):
    """Before: a year whose only work had no id was kept with n_total = 0, and the share 0/0 raised
    ZeroDivisionError. A work without id is counted nowhere (as in the shares and the coverage)."""
    works = pd.DataFrame({"work_id": ["w1", None, None], "year": pd.array([2020, 2021, 2020], dtype="Int64")})
    wt = pd.DataFrame({"work_id": ["w1"], "theme": ["food"]})
    grid = compute_theme_year_counts(works, wt, toy)
    assert grid.values.tolist() == [["food", 2020, 1, 1, 1.0], ["digital", 2020, 0, 1, 0.0]]


def test_year_grid_ignores_extra_columns_of_the_work_themes(toy):
    """Before: a work-theme table carrying its own ``year`` column (e.g. joined by the user) made the merge suffix
    the years and the grid raised KeyError; only work_id and theme are read from it."""
    works = pd.DataFrame({"work_id": ["w1", "w2"], "year": pd.array([2020, 2021], dtype="Int64")})
    wt = pd.DataFrame({"work_id": ["w1", "w2"], "theme": ["food", "food"], "year": [1999, 1999]})
    grid = compute_theme_year_counts(works, wt, toy)
    assert grid.values.tolist() == [["food", 2020, 1, 1, 1.0], ["food", 2021, 1, 1, 1.0],
                                     ["digital", 2020, 0, 1, 0.0], ["digital", 2021, 0, 1, 0.0]]


def test_year_grid_reads_years_given_as_text(toy):
    """Years read from a text column ("2020") are made whole numbers before they are compared and counted."""
    works = pd.DataFrame({"work_id": ["w1", "w2", "w3"], "year": ["2020", "2021", "2021"]})
    wt = pd.DataFrame({"work_id": ["w1", "w3"], "theme": ["food", "food"]})
    grid = compute_theme_year_counts(works, wt, toy, year_min=2021)
    assert grid.values.tolist() == [["food", 2021, 1, 2, 0.5], ["digital", 2021, 0, 2, 0.0]]
    assert compute_theme_year_counts(works, wt, toy)["year"].tolist() == [2020, 2021, 2020, 2021]


def test_top_themes_default_keeps_six():
    """Eight themes with 10 works each in a year of 80 works: the default keeps six (ties: dictionary order)."""
    themes = ThemeDictionary(tuple(Theme(f"t{i}", {"fr": f"T{i}"}, "a", terms=(f"x{i}",)) for i in range(8)))
    counts = _counts([(f"t{i}", 2020, 10, 80) for i in range(8)])
    assert compute_top_themes(counts, themes) == ["t0", "t1", "t2", "t3", "t4", "t5"]
