"""Territorial portrait: matching thresholds at their edge, blocking, shares and coverage by hand, loader errors
(issue 21). Names, registers and directories here are made up for the tests (not real enterprises)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from rapidfuzz import fuzz

from analysis.core.errors import ParameterError, SchemaError
from analysis.ecosystem import territory
from analysis.ecosystem.indicators import load_indicators

FIX = Path(__file__).parent / "fixtures" / "territory"


def register(names: list[str], forms: list[str] | None = None, keys: list[str | None] | None = None) -> pd.DataFrame:
    n = len(names)
    keys = keys or ["ville-a"] * n
    return pd.DataFrame({"neq": [f"11000000{i:02d}" for i in range(n)], "name": names,
                         "legal_form": forms or ["APE"] * n, "municipality": [k and k.title() for k in keys],
                         "municipality_key": keys})


def directory(names: list[str], keys: list[str | None] | None = None) -> pd.DataFrame:
    keys = keys or ["ville-a"] * len(names)
    return pd.DataFrame({"name": names, "municipality": [k and k.title() for k in keys], "municipality_key": keys})


# ---- scores, thresholds and the word rule ----------------------------------------------------------------------


def test_name_score_is_the_mean_of_sort_and_set_ratios():
    a, b = "club ski fictif", "club ski fictif nord"
    assert territory.name_score(a, b) == pytest.approx((fuzz.token_sort_ratio(a, b) + 100) / 2)
    assert territory.name_score("nord club", "club nord") == 100.0
    with pytest.raises(ParameterError) as err:
        territory.name_score("a", None)
    assert err.value.field == "b"
    with pytest.raises(ParameterError) as err:
        territory.word_conflict(3, "a")
    assert err.value.field == "a"


def scored(scores: list[float], conflict: list[bool] | None = None, same: list[bool] | None = None,
           neq: list[str | None] | None = None) -> pd.DataFrame:
    n = len(scores)
    return pd.DataFrame({"score": scores, "neq": neq or ["1"] * n, "word_conflict": conflict or [False] * n,
                         "same_municipality": same or [True] * n})


def test_accept_matches_at_the_threshold():
    m = scored([80.0, 79.99, 100.0, 95.0], conflict=[False, False, False, True])
    assert territory.accept_matches(m, 80).tolist() == [True, False, True, False]
    assert territory.accept_matches(m, 80, word_rule=False).tolist() == [True, False, True, True]
    assert territory.accept_matches(m, 0).tolist() == [True, True, True, False]
    assert territory.accept_matches(m, 100).tolist() == [False, False, True, False]
    # same municipality required below 95: the 80 pair of another town is refused, a 95 pair of another town kept
    other = scored([80.0, 95.0, 94.9], same=[False, False, False])
    assert territory.accept_matches(other, 80, same_municipality_below=95).tolist() == [False, True, False]
    no_candidate = scored([100.0], neq=[None])
    assert territory.accept_matches(no_candidate, 0).tolist() == [False]


@pytest.mark.parametrize("bad", [-1, 100.5, float("nan"), "80", True])
def test_thresholds_outside_0_100_are_refused(bad):
    with pytest.raises(ParameterError) as err:
        territory.accept_matches(scored([90.0]), bad)
    assert err.value.field == "threshold"
    with pytest.raises(ParameterError) as err:
        territory.accept_matches(scored([90.0]), 80, same_municipality_below=bad)
    assert err.value.field == "same_municipality_below"


def test_threshold_error_message_and_word_rule_type():
    with pytest.raises(ParameterError, match="expected a score between 0 and 100, got 101"):
        territory.accept_matches(scored([90.0]), 101)
    with pytest.raises(ParameterError) as err:
        territory.accept_matches(scored([90.0]), 80, word_rule="yes")
    assert err.value.field == "word_rule"
    with pytest.raises(ParameterError, match="match_directory"):
        territory.accept_matches(pd.DataFrame({"score": [1.0]}))


@pytest.mark.parametrize("a, b, conflict", [
    ("abcd maison", "abcdef maison", False),   # 4 letters starting the other word: a short form
    ("abc maison", "abcxyz maison", True),     # 3 letters: too short to be a short form (ratio 66.7 < 80)
    ("maison soleil", "maison lune", True),
    ("maison", "maison lune", False),          # an added word only
    ("fictivex nord", "fictivez nord", False),  # ratio 87.5: a spelling variant
])
def test_word_variants_at_their_edges(a, b, conflict):
    assert territory.word_conflict(a, b) is conflict


def test_word_variant_similarity_bound_is_inclusive():
    # « abcde » / « abcdx »: ratio 80 exactly (8 of 10 characters): a variant
    assert fuzz.ratio("abcde", "abcdx") == 80.0
    assert territory._word_variant("abcde", "abcdx")
    assert not territory._word_variant("abcdef", "abcxyz")  # ratio 50, no prefix


# ---- matching ----------------------------------------------------------------------------------------------------


def test_match_directory_blocks_scores_and_ties():
    reg = register(["MAISON SOLEIL NORD", "MAISON SOLEIL MIDI", "COOP DES ARTS", "CLUB ABC"],
                   keys=["ville-a", "ville-b", "ville-a", None])
    d = directory(["Maison Soleil", "Coop Arts", "Club ABC", "Jardin"], keys=["ville-b", "ville-a", None, "ville-a"])
    m = territory.match_directory(reg, d, threshold=80).set_index("directory_name")
    # « maison soleil » against « maison soleil nord » and « maison soleil midi »: same score; the tie goes to the
    # alphabetically first register key, « maison soleil midi » (the second row)
    assert m.loc["Maison Soleil", "register_name"] == "MAISON SOLEIL MIDI"
    assert m.loc["Maison Soleil", "same_municipality"]  # the chosen one is in ville-b, as the entry (« nord »: ville-a)
    assert m.loc["Maison Soleil", "score"] == pytest.approx(territory.name_score("maison soleil",
                                                                                 "maison soleil nord"))
    # « coop arts »: « coop » never forms a block, « arts » (4 letters) does
    assert m.loc["Coop Arts", "register_name"] == "COOP DES ARTS" and m.loc["Coop Arts", "score"] == 100.0
    assert m.loc["Coop Arts", "same_municipality"] and m.loc["Coop Arts", "matched"]
    # « club abc »: words of 4 letters or more only form blocks; « club » does
    assert m.loc["Club ABC", "neq"] == "1100000003"
    assert not m.loc["Club ABC", "same_municipality"]  # no municipality on either side: not « the same »
    # « jardin » shares no word: no candidate, score 0, never matched
    j = m.loc["Jardin"]
    assert j["score"] == 0.0 and pd.isna(j["neq"]) and not j["matched"] and not j["word_conflict"]
    # pairs scored: maison (2) + arts (1) + club (1) + nothing for jardin = 4 of 16
    assert m.attrs == {"pairs_scored": 4, "pairs_total": 16, "threshold": 80.0, "word_rule": True}
    # sorted by score (descending), then directory name
    out = territory.match_directory(reg, d)
    assert out["directory_name"].tolist() == ["Club ABC", "Coop Arts", "Maison Soleil", "Jardin"]
    assert out["directory_line"].tolist() == [4, 3, 2, 5]  # no source_line: CSV lines from 2


def test_max_block_leaves_out_common_words():
    reg = register(["CENTRE SOLEIL", "CENTRE LUNE", "CENTRE ETOILE"])
    d = directory(["Centre Soleil"]).assign(source_line=[7])
    assert territory.match_directory(reg, d, max_block=3).attrs["pairs_scored"] == 3
    # « centre » is in 3 register names: with max_block 2 it forms no block, « soleil » still does
    narrow = territory.match_directory(reg, d, max_block=2)
    assert narrow.attrs["pairs_scored"] == 1 and narrow.loc[0, "register_name"] == "CENTRE SOLEIL"
    assert narrow.loc[0, "directory_line"] == 7
    with pytest.raises(ParameterError) as err:
        territory.match_directory(reg, d, max_block=0)
    assert err.value.field == "max_block"
    with pytest.raises(ParameterError, match="load_pole_directory"):
        territory.match_directory(reg, d.drop(columns="name"))
    with pytest.raises(ParameterError, match="load_register"):
        territory.match_directory(d, d)


def test_match_threshold_edge_on_a_real_score():
    reg = register(["CLUB SKI FICTIF NORD"])
    d = directory(["Club ski Fictif"])
    score = (100 * 30 / 35 + 100) / 2  # token sort 2 × 15 / (15 + 20), token set 100: 92.857
    assert territory.match_directory(reg, d, threshold=score).loc[0, "matched"]
    assert not territory.match_directory(reg, d, threshold=score + 0.01).loc[0, "matched"]


def test_review_picks_and_orders_pairs():
    m = pd.DataFrame({
        "directory_name": ["a", "b", "c", "d", "e", "f"],
        "register_name": ["A", "B", "C", "D", None, "F"],
        "neq": ["1", "2", "3", "4", None, "6"],
        "legal_form": ["APE"] * 6,
        "score": [99.0, 85.0, 85.0, 70.0, 0.0, 75.0],
        "same_municipality": [True] * 6,
        "matched": [True, True, True, False, False, False],
    })
    r = territory.matches_for_review(m, n=2)
    # accepted, lowest score first (ties by name): b, c; refused with a candidate, highest first: f, d
    assert r["directory_name"].tolist() == ["b", "c", "f", "d"]
    assert territory.matches_for_review(m, n=1)["directory_name"].tolist() == ["b", "f"]
    for bad in (0, 1.5, True):
        with pytest.raises(ParameterError, match="expected a whole number of 1 or more") as err:
            territory.matches_for_review(m, n=bad)
        assert err.value.field == "n"


def test_directory_coverage_by_hand():
    reg = register(["A", "B", "C", "D", "E"], forms=["APE", "APE", "COP", "COP", "APE"])
    m = pd.DataFrame({
        "directory_name": ["a", "a bis", "c", "x"],
        "register_name": ["A", "A", "C", "E"],
        "neq": ["1100000000", "1100000000", "1100000002", "1100000004"],
        "legal_form": ["APE", "APE", "COP", "APE"],
        "score": [100.0, 90.0, 95.0, 60.0],
        "same_municipality": [True, False, True, True],
        "matched": [True, True, True, False],
    })
    cov = territory.directory_coverage(m, reg).set_index("measure")["value"]
    # 3 of 4 entries matched (75 %), covering 2 distinct enterprises of 5 (40 %); 2 of the 3 matched in the same town
    assert cov["directory_entries"] == 4 and cov["directory_matched"] == 3
    assert cov["directory_matched_pct"] == pytest.approx(75.0)
    assert cov["register_enterprises"] == 5 and cov["register_covered"] == 2
    assert cov["register_covered_pct"] == pytest.approx(40.0)
    assert cov["matched_same_municipality_pct"] == pytest.approx(200 / 3)
    # APE: 1 of 3 covered; COP: 1 of 2; no ASS in the register: NaN, not 0
    assert cov["register_covered_pct_APE"] == pytest.approx(100 / 3)
    assert cov["register_covered_pct_COP"] == pytest.approx(50.0)
    assert math.isnan(cov["register_covered_pct_ASS"])
    none = territory.directory_coverage(m.assign(matched=False), reg).set_index("measure")["value"]
    assert none["directory_matched_pct"] == 0.0 and math.isnan(none["matched_same_municipality_pct"])
    empty = territory.directory_coverage(m.iloc[:0], reg.iloc[:0]).set_index("measure")["value"]
    assert empty["directory_matched_pct"] == 0.0 and empty["register_covered_pct"] == 0.0


# ---- names and municipalities ------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, key", [
    (None, ""),
    (float("nan"), ""),
    ("Co-op Les Arts", "coop arts"),
    ("Co-operatives du Nord Ltd", "coop nord"),
    ("Le Centre d'Action Bénévole Ste-Anne enr.", "centre action benevole sainte anne"),
    ("CAB Fictif OBNL", "centre action benevole fictif"),
    ("Maison A & B Cie", "maison b"),
    ("Garage Inc Fictif", "garage fictif"),
    ("S.E.N.C. Fictive", "senc fictive"),
])
def test_normalize_name_edges(raw, key):
    assert territory.normalize_name(raw) == key


@pytest.mark.parametrize("raw, key", [
    (None, None),
    (float("nan"), None),
    ("", None),
    (" (Québec) ", None),
    ("St-Élie-de-Caxton (Québec)", "saint-elie-de-caxton"),
    ("STE-ANNE-DE-LA-PÉRADE (QUEBEC)", "sainte-anne-de-la-perade"),
    ("Trois-Rivières", "trois-rivieres"),
    ("Stanstead", "stanstead"),
])
def test_municipality_keys(raw, key):
    assert territory.municipality_key(raw) == key


def test_counts_by_form_and_municipality_by_hand():
    reg = territory.load_register(FIX / "register_small.csv")
    forms = territory.counts_by_form(reg)
    assert forms.values.tolist() == [["APE", 3, 60.0], ["ASS", 1, 20.0], ["COP", 1, 20.0]]
    muni = territory.counts_by_municipality(reg)
    assert muni.columns.tolist() == ["municipality_key", "municipality", "APE", "ASS", "COP", "total"]
    assert muni.values.tolist() == [["ville-fictive", "Ville-Fictive", 2, 0, 1, 3],
                                    ["saint-exemple", "Saint-Exemple", 1, 1, 0, 2]]
    assert territory.counts_by_municipality(reg, top=1)["municipality_key"].tolist() == ["ville-fictive"]
    for bad in (0, True, 1.0):
        with pytest.raises(ParameterError, match="expected a whole number of 1 or more") as err:
            territory.counts_by_municipality(reg, top=bad)
        assert err.value.field == "top"
    with pytest.raises(ParameterError, match="load_register"):
        territory.counts_by_form(reg.drop(columns="municipality_key"))


def test_register_loader_attributes_and_coordinates():
    reg = territory.load_register(FIX / "register_small.csv")
    assert reg.attrs["rows_read"] == 6 and reg["source_line"].tolist() == [2, 3, 4, 5, 7]
    assert reg.loc[0, "municipality"] == "Ville-Fictive" and reg.loc[1, "municipality"] == "VILLE-FICTIVE"
    assert reg.loc[0, "lat"] == 46.5 and np.isnan(reg.loc[2, "lat"]) and reg.loc[2, "sector"] is None
    assert reg.loc[0, "address_line3"] is None


def test_register_and_directory_errors(tmp_path):
    header = '"NEQ","NomEntreprise","Adresse","Municipalite","Adresse_Lign3","CodePostal","SecteurActivite",' \
             '"FormeJuridique","lat","long"\n'
    ok = '1100000011,"A","1 rue","Ville",NA,"G0X0A1","S","COP",46.5,-72.5\n'
    path = tmp_path / "reg.csv"
    path.write_text(header + ok + '1100000012,"",,"Ville",NA,,,"APE",46.5,-72.5\n', encoding="utf-8")
    with pytest.raises(SchemaError, match="required value missing") as err:
        territory.load_register(path)
    assert (err.value.line, err.value.field) == (3, "name")
    path.write_text(header + ok + '1100000012,"B",,"Ville",NA,,,"APE",46.5,west\n', encoding="utf-8")
    with pytest.raises(SchemaError, match="unreadable coordinate 'west'") as err:
        territory.load_register(path)
    assert (err.value.line, err.value.field) == (3, "lon")
    path.write_text(header + ok + '12,"B",,"Ville",NA,,,"APE",46.5,-72\n', encoding="utf-8")
    with pytest.raises(SchemaError, match="value refused by the schema") as err:
        territory.load_register(path)
    assert (err.value.line, err.value.field) == (3, "neq")
    path.write_bytes(header.encode() + "1100000011,\"Coopé\"".encode("latin-1"))
    with pytest.raises(SchemaError, match="not UTF-8"):
        territory.load_register(path)
    path.write_text("NEQ,NomEntreprise\n1,a\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="missing columns: Adresse") as err:
        territory.load_register(path)
    assert err.value.field == "Adresse"
    d = tmp_path / "dir.csv"
    d.write_text("NomEntreprise,Adresse,Municipalite,CodePostal,Territoire,SiteWeb\nA,,Ville (Québec),,,\n"
                 "NA,,,,,\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="enterprise name missing") as err:
        territory.load_pole_directory(d)
    assert (err.value.line, err.value.field) == (3, "NomEntreprise")
    members = tmp_path / "members.csv"
    members.write_text("CategorieMembre,NomEntreprise,Type,SecteurActivite,Adresse,Municipalite,CodePostal,SiteWeb\n"
                       "Entreprise,A,COOP,,,St-Paul (Québec),,\n,,,,,,,\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="name missing") as err:
        territory.load_pole_members(members)
    assert (err.value.line, err.value.field) == (3, "NomEntreprise")


def test_directory_and_members_loaders(tmp_path):
    d = tmp_path / "dir.csv"
    d.write_text("NomEntreprise,Adresse,Municipalite,CodePostal,Territoire,SiteWeb\n A ,,St-Paul (Québec),,T,\n"
                 "B,,,,,\n", encoding="utf-8")
    out = territory.load_pole_directory(d)
    assert out["name"].tolist() == ["A", "B"] and out.attrs["rows_read"] == 2
    assert out.loc[0, "municipality"] == "St-Paul" and pd.isna(out.loc[1, "municipality"])
    assert out.loc[0, "municipality_key"] == "saint-paul" and pd.isna(out.loc[1, "municipality_key"])
    m = tmp_path / "members.csv"
    m.write_text("CategorieMembre,NomEntreprise,Type,SecteurActivite,Adresse,Municipalite,CodePostal,SiteWeb\n"
                 "Entreprise,A,COOP,,,St-Paul (Québec),,\nEntreprise,B,OBNL,,,,,\nEntreprise,C,COOP,,,,,\n"
                 ",D,,,,,,\n", encoding="utf-8")
    members = territory.load_pole_members(m)
    assert members.loc[0, "municipality_key"] == "saint-paul" and members["municipality_key"].iloc[1:].isna().all()
    counts = territory.member_counts(members)
    assert counts.values.tolist() == [["Entreprise", "COOP", 2], ["Entreprise", "OBNL", 1],
                                      ["unspecified", "unspecified", 1]]
    with pytest.raises(ParameterError, match="load_pole_members"):
        territory.member_counts(members.drop(columns="enterprise_type"))


# ---- shares of the province (the shipped seed indicators) -------------------------------------------------------


@pytest.fixture(scope="module")
def indicators():
    return load_indicators()


def test_shares_ratios_and_their_errors(indicators):
    shares = territory.region_shares(indicators, "monteregie_est")
    assert shares["indicator"].tolist() == ["se_enterprises", "se_revenue", "se_jobs"]
    assert shares.loc[0, ["region", "province"]].tolist() == [234, 11_200]
    r = territory.region_ratios(indicators, "monteregie_est").set_index("ratio")
    assert r.loc["jobs_per_enterprise", "region"] == pytest.approx(3226 / 234)
    assert r.loc["revenue_per_enterprise", "province"] == pytest.approx(47.8e9 / 11_200)
    assert r.loc["revenue_per_job", "region_vs_province"] == pytest.approx((139.9e6 / 3226) / (47.8e9 / 220_000))
    assert pd.isna(r.loc["payroll_per_job", "province_quality"]) and np.isnan(r.loc["payroll_per_job", "province"])
    with pytest.raises(ParameterError, match="unknown scope 'mars'") as err:
        territory.region_shares(indicators, "monteregie_est", reference="mars")
    assert err.value.field == "reference"
    with pytest.raises(ParameterError, match="region 'mars' is not in the indicators table"):
        territory.region_ratios(indicators, "mars")
    with pytest.raises(ParameterError) as err:
        territory.region_shares(indicators, 3)
    assert err.value.field == "region"


def test_growth_errors_and_table(indicators):
    for start, end, field in ((2011.0, 2019, "start"), (2011, True, "end")):
        with pytest.raises(ParameterError, match="expected a year") as err:
            territory.indicator_growth(indicators, "coop_mutual_revenue", start, end)
        assert err.value.field == field
    with pytest.raises(ParameterError, match="the period must end after it starts: 2019–2019") as err:
        territory.indicator_growth(indicators, "coop_mutual_revenue", 2019, 2019)
    assert err.value.field == "end"
    g = territory.indicator_growth(indicators, "coop_mutual_revenue", 2011, 2019)
    assert g["years"] == 8.0 and (g["start"], g["end"]) == (pytest.approx(25e9), pytest.approx(47e9))
    table = territory.coop_mutual_growth(indicators, 2011, 2019).set_index("indicator")
    assert table.loc["coop_mutual_jobs", "change_pct"] == pytest.approx(100 * 28_000 / 92_000)
    assert table.loc["coop_mutual_revenue", ["start_year", "end_year"]].tolist() == [2011, 2019]
    s = territory.survival_comparison(indicators).set_index("horizon_years")
    assert s.loc[10, "coop_pct"] - s.loc[10, "other_pct"] == s.loc[10, "gap_points"]
    assert s.loc[5, "ratio"] == pytest.approx(s.loc[5, "coop_pct"] / s.loc[5, "other_pct"])


@pytest.mark.parametrize(("call", "field", "hint"), [
    (lambda bad: territory.counts_by_form(bad), "register", "load it with ecosystem.load_register()"),
    (lambda bad: territory.counts_by_municipality(bad), "register", "load it with ecosystem.load_register()"),
    (lambda bad: territory.match_directory(bad, directory(["A"])), "register",
     "load it with ecosystem.load_register()"),
    (lambda bad: territory.match_directory(register(["A"]), bad), "directory",
     "load it with ecosystem.load_pole_directory()"),
    (lambda bad: territory.directory_coverage(bad, register(["A"])), "matches",
     "compute it with ecosystem.match_directory()"),
    (lambda bad: territory.directory_coverage(scored([1.0]).assign(
        directory_name="a", register_name="A", legal_form="APE", matched=True), bad), "register",
     "load it with ecosystem.load_register()"),
    (lambda bad: territory.matches_for_review(bad), "matches", "compute it with ecosystem.match_directory()"),
    (lambda bad: territory.accept_matches(bad), "matches", "compute it with ecosystem.match_directory()"),
    (lambda bad: territory.member_counts(bad), "members", "load it with ecosystem.load_pole_members()"),
])
def test_wrong_tables_are_refused_with_their_argument_and_hint(call, field, hint):
    for bad in ([1, 2], pd.DataFrame({"zz": ["a"]})):
        with pytest.raises(ParameterError) as err:
            call(bad)
        assert err.value.field == field and err.value.message.endswith(f" ({hint})")


def test_loader_errors_name_the_file(tmp_path):
    path = tmp_path / "reg.csv"
    path.write_text("NEQ,NomEntreprise\n1,a\n", encoding="utf-8")
    with pytest.raises(SchemaError) as err:
        territory.load_register(path)
    assert err.value.path.endswith("reg.csv")
    with pytest.raises(SchemaError) as err:
        territory.load_register(FIX / "register_bad_lat.csv")
    assert err.value.path.endswith("register_bad_lat.csv")
    with pytest.raises(SchemaError) as err:
        territory.load_register(FIX / "register_bad_form.csv")
    assert err.value.path.endswith("register_bad_form.csv") and "value refused by the schema" in err.value.message
    with pytest.raises(territory.MissingDatasetError) as err:
        territory.load_pole_directory(tmp_path / "absent.csv")
    assert err.value.message == ("dataset 'pole_mauricie_directory' not found: run `make data` or give the path of "
                                 "your copy") and err.value.path.endswith("absent.csv")
    with pytest.raises(territory.MissingDatasetError, match="pole_mauricie_members"):
        territory.load_pole_members(tmp_path / "absent.csv")
    d = tmp_path / "dir.csv"
    d.write_text("NomEntreprise,Adresse,Municipalite,CodePostal,Territoire,SiteWeb\n,,,,,\n", encoding="utf-8")
    with pytest.raises(SchemaError) as err:
        territory.load_pole_directory(d)
    assert err.value.path.endswith("dir.csv")
    reg = territory.load_register(FIX / "register_small.csv")
    assert reg.attrs["path"] is not None and reg.attrs["duplicate_lines"] == [6]
    assert territory.load_pole_directory(FIX / "directory_small.csv").attrs["path"] is not None


def test_match_rows_carry_both_sides():
    reg = register(["COOP DES ARTS"], forms=["COP"], keys=["ville-a"])
    d = directory(["Coop Arts"], keys=["ville-a"]).assign(source_line=[9])
    row = territory.match_directory(reg, d).iloc[0]
    assert (row["directory_line"], row["directory_name"], row["directory_municipality"]) == (9, "Coop Arts",
                                                                                             "Ville-A")
    assert (row["register_name"], row["neq"], row["legal_form"], row["register_municipality"]) == (
        "COOP DES ARTS", "1100000000", "COP", "Ville-A")
    assert row["same_municipality"] and not row["word_conflict"] and row["matched"]
    assert territory.match_directory(reg, d)["directory_line"].dtype == "int64"
    no_word = territory.match_directory(reg, d, word_rule=False)
    assert no_word.attrs["word_rule"] is False
