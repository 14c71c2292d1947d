"""Directory rules the mutants of issue 21 could break unnoticed: the alias file's checks and order, whole-word and
longest-alias matching at equal lengths, the province requirement, every attribution route of a shared address list,
the main institution's tie-breaks, each « à vérifier » reason at its edge, the theme limit, the researcher's works,
the review sample, labels and precision (Wilson interval computed by hand).

Synthetic data built in code: invented institutions (Alpha, Beta, Delta, Gamma) and invented people.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.core.errors import DataIntegrityError, ParameterError, SchemaError
from analysis.vigie import directory as dr

# Four invented institutions. Two aliases of equal length (alpha univ, delta univ: 10 characters) to test the tie
# rule, an alias with no key ("!!"), a second spelling of one key, and a pattern with no key ("--").
ALIASES = """\
# synthetic institutions for tests (invented names)
province_patterns: [Québec, quebec, QC, "--"]
institutions:
  - name: Delta
    aliases: [Delta Univ, "!!", DELTA UNIV]
  - name: Alpha
    aliases: [Alpha Univ]
  - name: Gamma
    aliases: [Gamma College]
    needs_province: true
  - name: Beta
    aliases: [Beta Inst]
"""

PARIS = "Univ Paris, Paris, France"
LYON = "Univ Lyon, Lyon, France"
ALPHA = "Alpha Univ, Montreal, QC"
DELTA = "Delta Univ, Quebec, Canada"
CLINIC = "Clinic, Quebec, Canada"  # a Québec address without a known institution


@pytest.fixture(scope="module")
def inst(tmp_path_factory) -> dr.Institutions:
    path = tmp_path_factory.mktemp("inst") / "aliases.yaml"
    path.write_text(ALIASES, encoding="utf-8")
    return dr.load_institutions(path)


def _write(tmp_path, text: str, name: str = "i.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _au(rows: list[tuple]) -> pd.DataFrame:
    """Authorships from (work_id, position, full name, affiliation); the short name is "Family, I."."""
    return pd.DataFrame({
        "work_id": [r[0] for r in rows],
        "position": [r[1] for r in rows],
        "author": [f"{r[2].split(', ')[0]}, {r[2].split(', ')[1][0]}." for r in rows],
        "author_full": [r[2] for r in rows],
        "author_id": [None] * len(rows),
        "affiliation": [r[3] for r in rows],
        "country": [None] * len(rows),
    })


def _works(years: dict[str, int | None]) -> pd.DataFrame:
    return pd.DataFrame({"work_id": list(years), "year": pd.array(list(years.values()), dtype="Int64"),
                         "title": [f"Synthetic title {w}" for w in years], "doi": [None] * len(years)})


NO_THEMES = pd.DataFrame({"work_id": pd.Series(dtype=str), "theme": pd.Series(dtype=str)})


# ---- the alias file ----------------------------------------------------------------------------------------------

def test_alias_table_longest_first_then_by_key(inst):
    # lengths: gamma college 13, alpha univ 10, delta univ 10, beta inst 9; "!!" has no key, DELTA UNIV is a copy
    assert inst.aliases.values.tolist() == [
        ["Gamma", "Gamma College", "gamma college", True],
        ["Alpha", "Alpha Univ", "alpha univ", False],
        ["Delta", "Delta Univ", "delta univ", False],
        ["Beta", "Beta Inst", "beta inst", False],
    ]
    assert list(inst.aliases.columns) == ["institution", "alias", "alias_key", "needs_province"]
    assert inst.aliases.index.tolist() == [0, 1, 2, 3]
    assert inst.province_patterns == ("qc", "quebec")  # Québec and quebec are one key, "--" has none
    assert inst.names() == ["Alpha", "Beta", "Delta", "Gamma"]


@pytest.mark.parametrize("text, number", [
    ("institutions:\n  - {name: X}\n", 1),
    ("institutions:\n  - {name: X, aliases: [x]}\n  - {aliases: [y]}\n", 2),
    ("institutions:\n  - {name: X, aliases: []}\n", 1),
    ("institutions:\n  - just a name\n", 1),
])
def test_alias_file_entry_errors_name_the_entry(tmp_path, text, number):
    with pytest.raises(SchemaError) as err:
        dr.load_institutions(_write(tmp_path, text))
    assert err.value.message == f"institution #{number} needs a name and at least one alias"
    assert err.value.field == "institutions" and err.value.path == "i.yaml"  # outside the project: its name


@pytest.mark.parametrize("text", ["", "institutions: []\n", "institutions:\n  - {name: X, aliases: ['!!']}\n"])
def test_alias_file_without_any_alias(tmp_path, text):
    with pytest.raises(SchemaError) as err:
        dr.load_institutions(_write(tmp_path, text))
    assert err.value.message == "no institution defined"
    assert err.value.field == "institutions" and err.value.path == "i.yaml"


def test_alias_file_missing_is_named(tmp_path):
    with pytest.raises(SchemaError) as err:
        dr.load_institutions(tmp_path / "none.yaml")
    assert err.value.message == "institution file not found" and err.value.path.endswith("none.yaml")


def test_without_province_patterns_only_institutions_that_need_none_match(tmp_path):
    inst = dr.load_institutions(_write(tmp_path, "institutions:\n  - {name: Alpha, aliases: [Alpha Univ]}\n"
                                                 "  - {name: Gamma, aliases: [Gamma College], needs_province: true}\n"))
    assert inst.province_patterns == ()
    assert dr.match_affiliation("Alpha Univ, Quebec", inst) == "Alpha"
    assert dr.match_affiliation("Gamma College, Quebec", inst) is None  # no pattern can place it in Québec
    assert dr.match_affiliation(CLINIC, inst) is None


# ---- matching ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("aff, expected", [
    ("Alpha Univ and Delta Univ, Canada", "Alpha"),     # equal lengths: the first found stays
    ("Delta Univ and Alpha Univ, Canada", "Delta"),
    ("Beta Inst at Gamma College, QC", "Gamma"),        # the longer alias wins though found later
    ("Gamma College, Paris, France", None),             # needs a Québec address
    ("Gamma College, Quebec", "Gamma"),
    ("Alpha Univ, Paris, France", "Alpha"),             # needs none: found anywhere
    ("alpha-univ", "Alpha"),                            # the alias alone, punctuation folded
    ("Clinic, QC, Canada", dr.OTHER_QUEBEC),
    ("Clinic, Paris, France", None),
    ("Xalpha Univ, Paris", None),                       # whole words only
    ("Alpha University, Paris", None),
    ("Alpha University, QC", dr.OTHER_QUEBEC),
    ("", None),
    ("!!", None),
    (float("nan"), None),
])
def test_match_affiliation_edges(inst, aff, expected):
    assert dr.match_affiliation(aff, inst) == expected


def test_only_text_is_matched(tmp_path):
    inst = dr.load_institutions(_write(tmp_path, "institutions:\n  - {name: Answer, aliases: ['42']}\n"))
    assert dr.match_affiliation("Room 42", inst) == "Answer"
    assert dr.match_affiliation(42, inst) is None  # a number is not an affiliation


def test_institutions_must_be_loaded():
    with pytest.raises(ParameterError) as err:
        dr.match_affiliation("Alpha Univ", ["Alpha"])
    assert err.value.one_line() == ("[institutions] expected a Institutions, got a list (load it with "
                                    "vigie.load_institutions())")


def test_split_addresses():
    assert dr.split_addresses(" a ; ;b;  ") == ["a", "b"]
    assert dr.split_addresses("one address") == ["one address"]
    assert dr.split_addresses(None) == [] and dr.split_addresses(float("nan")) == []


# ---- attribution ---------------------------------------------------------------------------------------------------

LIST_PA = f"{PARIS}; {ALPHA}"  # Paris first, Alpha second


@pytest.fixture
def lists() -> pd.DataFrame:
    return _au([
        ("wA", 1, "Aubé, Ana", LIST_PA),                        # one author: the list is her own
        ("wB", 1, "Bédard, Bea", LIST_PA),                      # shared list, one address each: Bédard Paris,
        ("wB", 2, "Brown, Bob", LIST_PA),                       # Brown Alpha (the last position)
        ("wC", 1, "Caron, Cy", f"{ALPHA}; {PARIS}"),            # two different lists: each their own
        ("wC", 2, "Chen, Cal", f"{PARIS}; {LYON}"),
        ("wD", 1, "Dion, Dan", DELTA),                          # one address given to both: not a list
        ("wD", 2, "Diaz, Dee", DELTA),
        ("wE", 1, "Elie, Eve", f"{CLINIC}; {DELTA}"),           # all Québec, 2 addresses for 3 authors:
        ("wE", 2, "Evans, Eli", f"{CLINIC}; {DELTA}"),          # the first known institution for all
        ("wE", 3, "Ezra, Em", f"{CLINIC}; {DELTA}"),
        ("wF", 1, "Fortin, Flo", f"{CLINIC}; Hospice, QC"),     # all Québec, none known
        ("wF", 2, "Fox, Fay", f"{CLINIC}; Hospice, QC"),
        ("wF", 3, "Fabre, Fil", f"{CLINIC}; Hospice, QC"),
        ("wG", 1, "Gill, Gus", None),                           # no affiliation
    ])


def test_each_route_of_the_own_address_rule(inst, lists):
    qa = dr.compute_quebec_authorships(lists, inst)
    assert list(qa.columns) == ["work_id", "position", "author", "author_full", "author_id", "affiliation",
                                "country", "institution", "basis", "address", "key", "shared_affiliation"]
    assert qa[["author_full", "institution", "basis", "address", "shared_affiliation"]].values.tolist() == [
        ["Aubé, Ana", "Alpha", "own_address", LIST_PA, False],
        ["Brown, Bob", "Alpha", "address_by_position", ALPHA, True],
        ["Caron, Cy", "Alpha", "own_address", f"{ALPHA}; {PARIS}", False],
        ["Dion, Dan", "Delta", "own_address", DELTA, False],
        ["Diaz, Dee", "Delta", "own_address", DELTA, False],
        ["Elie, Eve", "Delta", "all_addresses_quebec", f"{CLINIC}; {DELTA}", True],
        ["Evans, Eli", "Delta", "all_addresses_quebec", f"{CLINIC}; {DELTA}", True],
        ["Ezra, Em", "Delta", "all_addresses_quebec", f"{CLINIC}; {DELTA}", True],
        ["Fortin, Flo", "other_quebec", "all_addresses_quebec", f"{CLINIC}; Hospice, QC", True],
        ["Fox, Fay", "other_quebec", "all_addresses_quebec", f"{CLINIC}; Hospice, QC", True],
        ["Fabre, Fil", "other_quebec", "all_addresses_quebec", f"{CLINIC}; Hospice, QC", True],
    ]
    assert qa["key"].tolist()[:2] == ["aube ana", "brown bob"]
    assert qa.index.tolist() == list(range(11)) and qa["shared_affiliation"].dtype == bool


def test_each_route_of_the_record_rule(inst, lists):
    qa = dr.compute_quebec_authorships(lists, inst, rule="record")
    # a shared list counts for every author, on the match of the whole list
    assert qa[["author_full", "institution", "basis", "address"]].values.tolist() == [
        ["Aubé, Ana", "Alpha", "own_address", LIST_PA],
        ["Bédard, Bea", "Alpha", "record_list", LIST_PA],
        ["Brown, Bob", "Alpha", "record_list", LIST_PA],
        ["Caron, Cy", "Alpha", "own_address", f"{ALPHA}; {PARIS}"],
        ["Dion, Dan", "Delta", "own_address", DELTA],
        ["Diaz, Dee", "Delta", "own_address", DELTA],
        ["Elie, Eve", "Delta", "record_list", f"{CLINIC}; {DELTA}"],
        ["Evans, Eli", "Delta", "record_list", f"{CLINIC}; {DELTA}"],
        ["Ezra, Em", "Delta", "record_list", f"{CLINIC}; {DELTA}"],
        ["Fortin, Flo", "other_quebec", "record_list", f"{CLINIC}; Hospice, QC"],
        ["Fox, Fay", "other_quebec", "record_list", f"{CLINIC}; Hospice, QC"],
        ["Fabre, Fil", "other_quebec", "record_list", f"{CLINIC}; Hospice, QC"],
    ]


def test_unknown_rule_and_missing_columns(inst, lists):
    with pytest.raises(ParameterError) as err:
        dr.compute_quebec_authorships(lists, inst, rule="any")
    assert err.value.one_line() == "[rule] expected one of 'own', 'record', got 'any'"
    with pytest.raises(ParameterError) as err:
        dr.compute_quebec_authorships(lists.drop(columns="affiliation"), inst)
    assert err.value.field == "authorships" and "missing affiliation" in err.value.message
    with pytest.raises(ParameterError) as err:
        dr.compute_quebec_authorships(lists, None)
    assert err.value.field == "institutions"


def test_unattributed_lists_by_work_with_sorted_institutions(inst, lists):
    extra = _au([
        ("wH", 3, "Hunt, Hal", LIST_PA),   # three authors, two addresses, one outside: nobody (rows out of order)
        ("wH", 1, "Hugo, Hem", LIST_PA),
        ("wH", 2, "Hall, Hob", LIST_PA),
        ("wI", 1, "Ives, Ira", f"{PARIS}; {LYON}"),   # a shared list with no Québec address: nothing to report
        ("wI", 2, "Ito, Ivo", f"{PARIS}; {LYON}"),
        ("wJ", 1, "Jay, Jo", f"{DELTA}; {PARIS}; {ALPHA}"),   # four authors, three addresses
        ("wJ", 2, "Jin, Ju", f"{DELTA}; {PARIS}; {ALPHA}"),
        ("wJ", 3, "Joy, Jy", f"{DELTA}; {PARIS}; {ALPHA}"),
        ("wJ", 4, "Jung, Ja", f"{DELTA}; {PARIS}; {ALPHA}"),
    ])
    un = dr.compute_unattributed_quebec(pd.concat([lists, extra], ignore_index=True), inst)
    # wB is shared but Brown was given Alpha; wE and wF gave every author
    assert un.values.tolist() == [["wH", 3, 2, "Alpha", "Hugo, H.; Hall, H.; Hunt, H."],
                                  ["wJ", 4, 3, "Alpha; Delta", "Jay, J.; Jin, J.; Joy, J.; Jung, J."]]
    assert list(un.columns) == ["work_id", "n_authors", "n_addresses", "quebec_institutions", "authors"]
    none = dr.compute_unattributed_quebec(lists[lists["work_id"].isin(["wA", "wC", "wD"])], inst)
    assert none.empty and list(none.columns) == ["work_id", "n_authors", "n_addresses", "quebec_institutions",
                                                 "authors"]
    with pytest.raises(ParameterError) as err:
        dr.compute_unattributed_quebec(lists, "aliases.yaml")
    assert err.value.field == "institutions"


def test_position_without_a_number_is_not_an_order(inst):
    au = _au([("w1", 1, "Roy, Ann", LIST_PA), ("w1", 2, "Lee, Bo", LIST_PA)])
    au["position"] = pd.array([1, None], dtype="Int64")
    assert dr.compute_quebec_authorships(au, inst).empty  # Lee has no rank: the list order says nothing


# ---- the directory: main institution, reasons, themes -------------------------------------------------------------

def test_main_institution_tie_breaks(inst):
    works = _works({"w1": 2010, "w2": 2011, "w3": 2020, "w4": 2015, "w5": 2018, "w6": 2016, "w7": 2016,
                    "w8": 2017, "w9": 2017, "w10": None, "w11": 2000})
    au = _au([
        ("w1", 1, "Roy, Ann", ALPHA), ("w2", 1, "Roy, Ann", ALPHA), ("w3", 1, "Roy, Ann", DELTA),  # 2 works > 1
        ("w4", 1, "Lee, Bo", ALPHA), ("w5", 1, "Lee, Bo", DELTA),       # 1–1: the most recent (2018)
        ("w6", 1, "Kim, Cy", CLINIC), ("w7", 1, "Kim, Cy", ALPHA),      # 1–1, 2016–2016: a known one first
        ("w8", 1, "Diaz, Di", DELTA), ("w9", 1, "Diaz, Di", ALPHA),     # 1–1, 2017–2017: by name
        ("w10", 1, "Park, Ed", ALPHA), ("w11", 1, "Park, Ed", DELTA),   # an unknown year is older than any
    ])
    d = dr.compute_directory(au, works, NO_THEMES, inst)
    assert d.set_index("author_full")["institution"].to_dict() == {
        "Roy, Ann": "Alpha", "Lee, Bo": "Delta", "Kim, Cy": "Alpha", "Diaz, Di": "Alpha", "Park, Ed": "Delta"}
    assert d.set_index("author_full")["check_reasons"].to_dict() == {
        "Roy, Ann": "", "Lee, Bo": "", "Kim, Cy": "", "Diaz, Di": "", "Park, Ed": ""}
    counts = dr.compute_institution_counts(d)
    # Alpha: Roy (3 works), Kim (2), Diaz (2); Delta: Lee (2), Park (2)
    assert counts.values.tolist() == [["Alpha", 3, 7], ["Delta", 2, 4]]


def test_check_reasons_at_their_edges(inst):
    works = _works({"w12": 2019, "w13": 2021, "w14": 2019, "w15": 2018, "w16": 2018, "w17": 2018, "w18": None,
                    "w19": 2005, "w20": 2015, "w21": 2022, "w22": 2015, "w23": None})
    clinic_list = f"{PARIS}; {CLINIC}"
    au = _au([
        # Gagné: by position on an unknown Québec address, later her own address in Lyon: three reasons, in order
        ("w12", 1, "Faure, Fa", clinic_list), ("w12", 2, "Gagné, Gi", clinic_list), ("w13", 1, "Gagné, Gi", LYON),
        # Hébert: one link by position, one own: not every link rests on the order
        ("w14", 1, "Hébert, Hu", f"{ALPHA}; {PARIS}"), ("w14", 2, "Hale, Ho", f"{ALPHA}; {PARIS}"),
        ("w15", 1, "Hébert, Hu", ALPHA),
        # Ito: outside in the same year as in Québec: not later
        ("w16", 1, "Ito, Ik", ALPHA), ("w17", 1, "Ito, Ik", LYON),
        # Jones: Québec work of unknown year, outside in 2005: later than nothing known
        ("w18", 1, "Jones, Jo", ALPHA), ("w19", 1, "Jones, Jo", LYON),
        # Kane: a later list of two foreign addresses shared with a co-author is not her own address
        ("w20", 1, "Kane, Ka", ALPHA), ("w21", 1, "Kane, Ka", f"{PARIS}; {LYON}"),
        ("w21", 2, "Kerr, Ke", f"{PARIS}; {LYON}"),
        # Lynn: outside with no year: says nothing
        ("w22", 1, "Lynn, Ly", ALPHA), ("w23", 1, "Lynn, Ly", LYON),
    ])
    d = dr.compute_directory(au, works, NO_THEMES, inst)
    assert d.set_index("author_full")["check_reasons"].to_dict() == {
        "Gagné, Gi": "address_by_position; institution_unknown; latest_outside_quebec",
        "Hébert, Hu": "", "Ito, Ik": "", "Jones, Jo": "latest_outside_quebec", "Kane, Ka": "", "Lynn, Ly": ""}
    assert d.set_index("author_full")["to_check"].to_dict() == {
        "Gagné, Gi": True, "Hébert, Hu": False, "Ito, Ik": False, "Jones, Jo": True, "Kane, Ka": False,
        "Lynn, Ly": False}
    assert d["to_check"].dtype == bool and d["check_reasons"].dtype == object


def test_record_rule_reason_only_when_every_link_is_a_list(inst):
    works = _works({"w1": 2019, "w2": 2020})
    au = _au([("w1", 1, "Bédard, Bea", LIST_PA), ("w1", 2, "Brown, Bob", LIST_PA), ("w2", 1, "Brown, Bob", ALPHA)])
    d = dr.compute_directory(au, works, NO_THEMES, inst, rule="record")
    assert d.set_index("author_full")["check_reasons"].to_dict() == {"Bédard, Bea": "shared_address_list",
                                                                     "Brown, Bob": ""}
    # the own rule: only Brown, through w1's last address and his own w2
    own = dr.compute_directory(au, works, NO_THEMES, inst)
    assert own[["author_full", "n_works", "n_quebec_works", "check_reasons"]].values.tolist() == [
        ["Brown, Bob", 2, 2, ""]]


def test_directory_with_only_shared_lists_has_no_outside_check(inst):
    works = _works({"w1": 2019})
    au = _au([("w1", 1, "Elie, Eve", f"{CLINIC}; {DELTA}"), ("w1", 2, "Evans, Eli", f"{CLINIC}; {DELTA}")])
    d = dr.compute_directory(au, works, NO_THEMES, inst)
    assert d[["author_full", "institution", "check_reasons"]].values.tolist() == [
        ["Elie, Eve", "other_quebec", "institution_unknown"], ["Evans, Eli", "Delta", ""]]


def _theme_case():
    works = _works({"w1": 2010, "w2": 2011, "w3": 2012, "w4": 2013})
    # Roy is listed twice on w3 (two positions): it counts once
    au = _au([("w1", 1, "Roy, Ann", ALPHA), ("w2", 1, "Roy, Ann", ALPHA), ("w3", 1, "Roy, Ann", ALPHA),
              ("w3", 2, "Roy, Ann", ALPHA), ("w4", 1, "Lee, Bo", DELTA)])
    wt = pd.DataFrame({"work_id": ["w1", "w1", "w2", "w2", "w3", "w3", "w3"],
                       "theme": ["food", "coop", "food", "digital", "food", "coop", "energy"]})
    return works, au, wt


@pytest.mark.parametrize("max_themes, expected", [
    (1, "food"), (2, "food; coop"), (3, "food; coop; digital"), (4, "food; coop; digital; energy"),
    (5, "food; coop; digital; energy"),
])
def test_theme_limit_and_ties_by_id(inst, max_themes, expected):
    works, au, wt = _theme_case()
    # Roy: food 3 (w1, w2, w3), coop 2 (w1, w3), digital 1 (w2), energy 1 (w3; counted twice it would beat digital)
    d = dr.compute_directory(au, works, wt, inst, max_themes=max_themes).set_index("author_full")
    assert d.loc["Roy, Ann", "themes"] == expected
    assert d.loc["Lee, Bo", "themes"] == ""  # no theme


def test_directory_defaults_and_columns(inst):
    works, au, wt = _theme_case()
    d = dr.compute_directory(au, works, wt, inst)
    assert d.loc[0, "themes"] == "food; coop; digital"  # three themes by default
    assert list(d.columns) == ["author", "author_full", "institution", "n_works", "n_quebec_works", "themes",
                               "first_year", "last_year", "to_check", "check_reasons", "key"]
    assert d[["author", "n_works", "n_quebec_works", "first_year", "last_year"]].values.tolist() == [
        ["Roy, A.", 3, 3, 2010, 2012], ["Lee, B.", 1, 1, 2013, 2013]]
    assert str(d["first_year"].dtype) == "Int64" and str(d["last_year"].dtype) == "Int64"
    assert d["n_quebec_works"].dtype == int
    with pytest.raises(ParameterError) as err:
        dr.compute_directory(au, works, wt, inst, max_themes=0)
    assert err.value.one_line() == "[max_themes] expected a whole number of at least 1, got 0"
    with pytest.raises(ParameterError) as err:
        dr.compute_directory(au, works.drop(columns="year"), wt, inst)
    assert err.value.field == "works"
    with pytest.raises(ParameterError) as err:
        dr.compute_directory(au, works, wt.drop(columns="theme"), inst)
    assert err.value.field == "work_themes"


def test_directory_order_by_works_then_names(inst):
    works = _works({"w1": 2010, "w2": 2011, "w3": 2012})
    au = _au([("w1", 1, "Roy, Anne", ALPHA), ("w2", 1, "Roy, Alan", ALPHA), ("w3", 1, "Lee, Bo", ALPHA),
              ("w3", 2, "Zed, Zo", ALPHA), ("w2", 2, "Zed, Zo", ALPHA)])
    d = dr.compute_directory(au, works, NO_THEMES, inst)
    # Zed 2 works first; then 1 work each by short name (Lee, Roy), then full name (Alan before Anne)
    assert d["author_full"].tolist() == ["Zed, Zo", "Lee, Bo", "Roy, Alan", "Roy, Anne"]
    # without full names the two Roy, A. are one person (key "roy a"), 2 works, and come before Zed by name
    no_full = dr.compute_directory(au.drop(columns="author_full"), works, NO_THEMES, inst)
    assert no_full["author_full"].isna().all() and no_full["author"].tolist() == ["Roy, A.", "Zed, Z.", "Lee, B."]


def test_directory_of_nobody(inst):
    works = _works({"w1": 2010})
    d = dr.compute_directory(_au([("w1", 1, "Roy, Ann", PARIS)]), works, NO_THEMES, inst)
    assert d.empty and list(d.columns) == ["author", "author_full", "institution", "n_works", "n_quebec_works",
                                           "themes", "first_year", "last_year", "to_check", "check_reasons", "key"]
    counts = dr.compute_institution_counts(d)
    assert counts.empty and list(counts.columns) == ["institution", "n_researchers", "n_works"]
    rw = dr.compute_researcher_works(d, _au([("w1", 1, "Roy, Ann", PARIS)]), works, inst)
    assert rw.empty and list(rw.columns) == ["key", "work_id", "position", "year", "title", "doi", "quebec",
                                             "institution", "basis", "affiliation"]


def test_a_work_missing_from_the_works_table_still_counts(inst):
    works = _works({"w1": 2010})
    au = _au([("w1", 1, "Roy, Ann", ALPHA), ("w9", 1, "Roy, Ann", DELTA)])  # w9: not in works (no year)
    d = dr.compute_directory(au, works, NO_THEMES, inst)
    # Alpha 1 work (2010) and Delta 1 work (year unknown): the dated one is the more recent
    assert d[["n_works", "n_quebec_works", "institution", "first_year", "last_year"]].values.tolist() == [
        [2, 2, "Alpha", 2010, 2010]]
    rw = dr.compute_researcher_works(d, au, works, inst)
    assert rw["work_id"].tolist() == ["w1", "w9"] and pd.isna(rw.loc[1, "year"]) and pd.isna(rw.loc[1, "title"])


def test_institution_counts_by_researchers_then_name():
    d = pd.DataFrame({"author": ["a", "b", "c", "d"], "institution": ["Delta", "Beta", "Delta", "Alpha"],
                      "n_works": [5, 1, 2, 7]})
    assert dr.compute_institution_counts(d).values.tolist() == [["Delta", 2, 7], ["Alpha", 1, 7], ["Beta", 1, 1]]
    with pytest.raises(ParameterError) as err:
        dr.compute_institution_counts(d.drop(columns="n_works"))
    assert err.value.field == "directory"


def test_theme_capacity_counts_people_not_works(inst):
    works, au, wt = _theme_case()
    qa = dr.compute_quebec_authorships(au, inst)
    # Roy: food, coop, digital, energy; Lee: no theme
    assert dr.compute_theme_capacity(au, qa, wt).to_dict() == {"coop": 1, "digital": 1, "energy": 1, "food": 1}
    two = pd.concat([au, _au([("w1", 2, "Kim, Cy", PARIS)])], ignore_index=True)
    assert dr.compute_theme_capacity(two, dr.compute_quebec_authorships(two, inst), wt)["food"] == 1  # Kim: not QC


# ---- a researcher's works --------------------------------------------------------------------------------------------

def test_researcher_works_basis_text_and_order(inst):
    works = _works({"w1": 2019, "w2": 2021, "w3": 2015, "w4": 2022, "w5": 2015, "w6": None, "w7": 2015})
    clinic_list = f"{PARIS}; {CLINIC}"
    au = _au([
        ("w1", 1, "Faure, Fa", clinic_list), ("w1", 2, "Gagné, Gi", clinic_list), ("w2", 1, "Gagné, Gi", LYON),
        ("w3", 1, "Kane, Ka", ALPHA), ("w4", 1, "Kane, Ka", f"{PARIS}; {LYON}"),
        ("w4", 2, "Kerr, Ke", f"{PARIS}; {LYON}"),
        ("w5", 1, "Kane, Ka", ALPHA), ("w5", 3, "Kane, Ka", ALPHA),       # twice on one work: one row
        ("w6", 1, "Kane, Ka", None), ("w7", 1, "Kane, Ka", None),
    ])
    d = dr.compute_directory(au, works, NO_THEMES, inst)
    assert d["author_full"].tolist() == ["Kane, Ka", "Gagné, Gi"]
    rw = dr.compute_researcher_works(d, au, works, inst)
    assert rw[["key", "work_id", "position", "year", "quebec", "institution", "basis", "affiliation"]].astype(
        object).where(rw.notna(), None).values.tolist() == [
        # Kane: 2022, then 2015 by work id (w3, w5, w7), then the unknown year last
        ["kane ka", "w4", 1, 2022, False, None, "unknown", f"{PARIS}; {LYON}"],
        ["kane ka", "w3", 1, 2015, True, "Alpha", "own_address", ALPHA],
        ["kane ka", "w5", 1, 2015, True, "Alpha", "own_address", ALPHA],
        ["kane ka", "w7", 1, 2015, False, None, None, None],
        ["kane ka", "w6", 1, None, False, None, None, None],
        # Gagné: her own Lyon address, then the clinic by position (the address, not the list)
        ["gagne gi", "w2", 1, 2021, False, None, "outside", LYON],
        ["gagne gi", "w1", 2, 2019, True, "other_quebec", "address_by_position", CLINIC],
    ]
    assert rw["quebec"].dtype == bool and rw["title"].tolist()[0] == "Synthetic title w4"
    with pytest.raises(ParameterError) as err:
        dr.compute_researcher_works(d.drop(columns="key"), au, works, inst)
    assert err.value.field == "directory"
    with pytest.raises(ParameterError) as err:
        dr.compute_researcher_works(d, au, works.drop(columns="doi"), inst)
    assert err.value.field == "works"
    with pytest.raises(ParameterError) as err:
        dr.compute_researcher_works(d, au.drop(columns="position"), works, inst)
    assert err.value.field == "authorships"


def test_researcher_works_follow_the_record_rule(inst):
    works = _works({"w1": 2019})
    au = _au([("w1", 1, "Bédard, Bea", LIST_PA), ("w1", 2, "Brown, Bob", LIST_PA)])
    d = dr.compute_directory(au, works, NO_THEMES, inst, rule="record")
    rw = dr.compute_researcher_works(d, au, works, inst, rule="record")
    assert rw[["work_id", "quebec", "institution", "basis", "affiliation"]].values.tolist() == [
        ["w1", True, "Alpha", "record_list", LIST_PA], ["w1", True, "Alpha", "record_list", LIST_PA]]


# ---- the hand review -----------------------------------------------------------------------------------------------

REVIEW_HEAD = "work_id,position,doi,label,reason\n"


@pytest.mark.parametrize("row, column", [
    ("W1234,1,,quebec,own_address", "work_id"),        # four digits: five at least
    ("W12345,0,,quebec,own_address", "position"),      # positions start at 1
    ("W12345,1,,maybe,own_address", "label"),
    ("W12345,1,,quebec,guess", "reason"),
])
def test_review_file_values_checked(tmp_path, row, column):
    path = _write(tmp_path, REVIEW_HEAD + row + "\n", "r.csv")
    with pytest.raises(SchemaError) as err:
        dr.load_directory_review(path)
    assert column in err.value.one_line()


def test_review_file_edges_accepted_and_reason_line(tmp_path):
    ok = dr.load_directory_review(_write(tmp_path, REVIEW_HEAD + "W12345,1,,not_quebec,coauthor_address\n"
                                         "W123456,2,10.5555/x,unsure,list_mismatch\n", "r.csv"))
    assert ok.astype(object).where(ok.notna(), None).values.tolist() == [
        ["W12345", 1, None, "not_quebec", "coauthor_address"], ["W123456", 2, "10.5555/x", "unsure", "list_mismatch"]]
    bad = _write(tmp_path, REVIEW_HEAD + "W12345,1,,quebec,own_address\nW12346,1,,quebec,list_mismatch\n", "b.csv")
    with pytest.raises(SchemaError) as err:
        dr.load_directory_review(bad)
    assert (err.value.line, err.value.field) == (3, "reason") and err.value.path.endswith("b.csv")
    assert err.value.message == ("reason 'list_mismatch' does not go with label 'quebec' (allowed: own_address, "
                                 "all_addresses_quebec, list_order)")
    dup = _write(tmp_path, REVIEW_HEAD + "W12345,1,,quebec,own_address\nW12345,1,,quebec,own_address\n", "d.csv")
    with pytest.raises(SchemaError):
        dr.load_directory_review(dup)


def test_review_sample_arguments():
    d = pd.DataFrame({"key": ["b", "c", "a"], "n_works": [2, 3, 1]})
    s = dr.draw_review_sample(d, 3, seed=0)  # seed 0 is a seed
    assert list(s.columns) == ["draw", "key", "n_works"] and s["draw"].tolist() == [1, 2, 3]
    assert sorted(s["key"]) == ["a", "b", "c"] and s.index.tolist() == [0, 1, 2]
    assert dr.draw_review_sample(d, 1, seed=0)["key"].tolist() == s["key"].tolist()[:1]
    with pytest.raises(ParameterError) as err:
        dr.draw_review_sample(d, 0, seed=1)
    assert err.value.one_line() == "[size] expected a whole number of at least 1, got 0"
    with pytest.raises(ParameterError) as err:
        dr.draw_review_sample(d, 2, seed=-1)
    assert err.value.one_line() == "[seed] expected a whole number of at least 0, got -1"
    with pytest.raises(ParameterError) as err:
        dr.draw_review_sample(d.rename(columns={"key": "k"}), 2, seed=1)
    assert err.value.field == "directory"


def _review(rows):
    return pd.DataFrame(rows, columns=dr.REVIEW_COLUMNS)


def test_review_for_bank_doi_rules():
    works = pd.DataFrame({"work_id": ["W00001", "W00002", "W00003"], "doi": ["10.5555/ABC", None, "10.5555/c"]})
    same = _review([("W00009", 1, "10.5555/z", "quebec", "own_address"),     # not in this bank: says nothing
                    ("W00001", 1, "10.5555/abc", "quebec", "own_address"),    # case folded
                    ("W00002", 1, None, "quebec", "own_address")])             # both missing
    assert dr.review_for_bank(same, works) is same
    elsewhere = _review([("W00009", 1, "10.5555/z", "quebec", "own_address")])
    assert dr.review_for_bank(elsewhere, works) is None
    other_corpus = _review([("W00001", 1, "10.5555/other", "quebec", "own_address"),
                            ("W00002", 1, "10.5555/b", "quebec", "own_address")])
    assert dr.review_for_bank(other_corpus, works) is None  # no row fits: another corpus's review
    mixed = _review([("W00001", 1, "10.5555/abc", "quebec", "own_address"),
                     ("W00003", 2, "10.5555/d", "quebec", "own_address"),    # the first wrong row is named
                     ("W00002", 1, "10.5555/b", "quebec", "own_address"),    # the bank has none
                     ("W00003", 1, None, "quebec", "own_address")])          # the review has none
    with pytest.raises(DataIntegrityError) as err:
        dr.review_for_bank(mixed, works)
    assert err.value.message == ("review row W00003/2 expects DOI 10.5555/d, the bank has 10.5555/c: the bank "
                                 "numbers its works differently, redo the review")
    for wrong in (2, 3):  # each kind of mismatch alone is refused too
        with pytest.raises(DataIntegrityError):
            dr.review_for_bank(mixed.iloc[[0, wrong]], works)
    none_text = _review([("W00001", 1, "10.5555/abc", "quebec", "own_address"),
                         ("W00002", 1, "None", "quebec", "own_address")])   # the text "None" is not a missing DOI
    with pytest.raises(DataIntegrityError, match="W00002/1 expects DOI None, the bank has"):
        dr.review_for_bank(none_text, works)
    assert err.value.path == "vigie/directory_review.csv"
    with pytest.raises(ParameterError) as err:
        dr.review_for_bank(mixed.drop(columns="reason"), works)
    assert err.value.field == "review"
    with pytest.raises(ParameterError) as err:
        dr.review_for_bank(mixed, works.drop(columns="doi"))
    assert err.value.field == "works"


def test_labels_take_the_first_review_row_of_a_person():
    works = pd.DataFrame({"work_id": ["W00001", "W00002", "W00003"], "doi": [None, None, None]})
    au = _au([("W00001", 1, "Roy, Ann", ALPHA), ("W00002", 1, "Roy, Ann", ALPHA), ("W00003", 1, "Lee, Bo", ALPHA),
              ("W00003", 2, "Kim, Cy", ALPHA)])
    sample = pd.DataFrame({"draw": [1, 2, 3], "key": ["roy ann", "lee bo", "kim cy"]})
    review = _review([("W00002", 1, None, "quebec", "own_address"), ("W00001", 1, None, "quebec", "list_order"),
                      ("W00003", 1, None, "not_quebec", "coauthor_address")])
    lab = dr.label_review_sample(sample, au, works, review)
    assert lab.astype(object).where(lab.notna(), None).values.tolist() == [
        [1, "roy ann", "quebec", "list_order", "W00001", 1],     # two rows agree: the first by work id
        [2, "lee bo", "not_quebec", "coauthor_address", "W00003", 1],
        [3, "kim cy", None, None, None, None],
    ]
    clash = _review([("W00001", 1, None, "quebec", "own_address"), ("W00002", 1, None, "unsure", "list_mismatch")])
    with pytest.raises(DataIntegrityError) as err:
        dr.label_review_sample(sample, au, works, clash)
    assert err.value.message == "review rows disagree for one person (roy ann)"
    assert err.value.path == "vigie/directory_review.csv"
    elsewhere = _review([("W00009", 1, None, "quebec", "own_address")])
    unlabelled = dr.label_review_sample(sample, au, works, elsewhere)
    assert unlabelled["label"].isna().all() and len(unlabelled) == 3
    # another corpus's review whose work ids exist here with other DOIs: none of its labels is used
    other = _review([("W00001", 1, "10.5555/zzz", "quebec", "own_address"),
                     ("W00003", 1, "10.5555/yyy", "quebec", "own_address")])
    assert dr.label_review_sample(sample, au, works, other)["label"].isna().all()


def test_precision_with_its_interval_by_hand():
    labelled = pd.DataFrame({"label": ["quebec", "quebec", "quebec", "not_quebec", "unsure", None],
                             "reason": ["list_order", "own_address", "list_order", "coauthor_address",
                                        "list_mismatch", None]})
    p = dr.directory_precision(labelled)
    # 3 right of 4 decided. Wilson, z = 1.96: centre (0.75 + z²/8) / (1 + z²/4) = 1.2302 / 1.9604 = 0.62753;
    # half-width z·√(0.75·0.25/4 + z²/64) / 1.9604 = 1.96 · 0.326956 / 1.9604 = 0.32689
    assert p["precision"] == 0.75
    assert p["ci_low"] == pytest.approx(0.30064, abs=1e-4) and p["ci_high"] == pytest.approx(0.95442, abs=1e-4)
    assert {k: p[k] for k in ("sampled", "reviewed", "quebec", "not_quebec", "unsure", "unreviewed",
                              "by_list_order")} == {"sampled": 6, "reviewed": 5, "quebec": 3, "not_quebec": 1,
                                                    "unsure": 1, "unreviewed": 1, "by_list_order": 2}
    # a list_order reason on a not_quebec label is not counted (the label must be quebec)
    assert dr.directory_precision(labelled.assign(reason="list_order"))["by_list_order"] == 3


def test_precision_when_nothing_was_decided():
    p = dr.directory_precision(pd.DataFrame({"label": ["unsure", None], "reason": ["list_mismatch", None]}))
    assert (p["reviewed"], p["unsure"], p["unreviewed"], p["quebec"], p["not_quebec"]) == (1, 1, 1, 0, 0)
    assert math.isnan(p["precision"]) and math.isnan(p["ci_low"]) and math.isnan(p["ci_high"])
    # all decided wrong: precision 0, Wilson 0/2 = (0, z²/(2+z²)) = (0, 0.65763)
    p = dr.directory_precision(pd.DataFrame({"label": ["not_quebec"] * 2, "reason": ["own_address_outside"] * 2}))
    assert p["precision"] == 0.0 and p["ci_low"] == pytest.approx(0.0, abs=1e-12)
    assert p["ci_high"] == pytest.approx(0.65763, abs=1e-4)
    with pytest.raises(ParameterError) as err:
        dr.directory_precision(pd.DataFrame({"label": ["quebec"]}))
    assert err.value.field == "labelled"


@pytest.mark.parametrize("call, field, missing", [
    (lambda t, i: dr.compute_unattributed_quebec(t["au"].drop(columns="position"), i), "authorships", "position"),
    (lambda t, i: dr.compute_theme_capacity(t["au"].drop(columns="work_id"), t["qa"], t["wt"]), "authorships",
     "work_id"),
    (lambda t, i: dr.compute_theme_capacity(t["au"], t["qa"].drop(columns="key"), t["wt"]), "quebec_authorships",
     "key"),
    (lambda t, i: dr.compute_theme_capacity(t["au"], t["qa"], t["wt"].drop(columns="theme")), "work_themes", "theme"),
    (lambda t, i: dr.label_review_sample(t["sample"].drop(columns="key"), t["au"], t["works"], t["review"]),
     "sample", "key"),
    (lambda t, i: dr.label_review_sample(t["sample"], t["au"].drop(columns="author"), t["works"], t["review"]),
     "authorships", "author"),
    (lambda t, i: dr.label_review_sample(t["sample"], t["au"], t["works"].drop(columns="doi"), t["review"]),
     "works", "doi"),
    (lambda t, i: dr.label_review_sample(t["sample"], t["au"], t["works"], t["review"].drop(columns="label")),
     "review", "label"),
    (lambda t, i: dr.directory_precision(pd.DataFrame({"label": ["quebec"]})), "labelled", "reason"),
])
def test_every_table_argument_is_named(inst, call, field, missing):
    works, au, wt = _theme_case()
    tables = {"au": au, "qa": dr.compute_quebec_authorships(au, inst), "wt": wt, "works": works,
              "sample": pd.DataFrame({"draw": [1], "key": ["roy ann"]}),
              "review": _review([("w1", 1, None, "quebec", "own_address")])}
    with pytest.raises(ParameterError) as err:
        call(tables, inst)
    assert err.value.field == field and f"; missing {missing} in" in err.value.message
