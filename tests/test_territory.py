"""Tests of the territorial portrait: region shares (seed 003) and the REQ register / pole directory."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.core import external
from analysis.core.errors import MissingDatasetError, ParameterError, SchemaError
from analysis.core.paths import default_mirror
from analysis.ecosystem import review, territory
from analysis.ecosystem.indicators import load_indicators

FIX = Path(__file__).parent / "fixtures" / "territory"


@pytest.fixture(scope="module")
def df():
    return load_indicators()


def test_pole_share_of_jobs_by_hand(df):
    shares = territory.region_shares(df, "monteregie_est")
    assert set(shares["region_quality"]) == {"secondary_web_page"}          # seed 003 only
    assert set(shares["province_quality"]) == {"organisation_report"}       # seed 002 also gives them
    s = shares.set_index("indicator")["share_pct"]
    assert s["se_jobs"] == pytest.approx(100 * 3226 / 220_000)          # 1.466 %
    assert s["se_enterprises"] == pytest.approx(100 * 234 / 11_200)      # 2.089 %
    assert s["se_revenue"] == pytest.approx(100 * 139.9e6 / 47.8e9)      # 0.293 %


def test_ratios_by_hand(df):
    r = territory.region_ratios(df, "monteregie_est").set_index("ratio")
    assert r.loc["revenue_per_job", "region"] == pytest.approx(139.9e6 / 3226)
    assert r.loc["payroll_per_job", "region"] == pytest.approx(59.9e6 / 3226)
    assert r.loc["revenue_per_job", "province"] == pytest.approx(47.8e9 / 220_000)
    assert r["province"].isna().sum() == 1  # provincial payroll not in the seeds


def test_unknown_region_names_the_regions_that_have_shares(df):
    assert territory.regions_with_shares(df) == ["monteregie_est"]   # « monteregie » lacks revenue and jobs
    with pytest.raises(ParameterError) as e:
        territory.region_shares(df, "mauricie")
    assert e.value.field == "region" and "mauricie" in e.value.message and "monteregie_est" in e.value.message
    with pytest.raises(ParameterError, match="no enterprises, revenue and jobs"):
        territory.region_ratios(df, "monteregie")


def test_register_fixture_counts():
    reg = territory.load_register(FIX / "register_small.csv")
    assert len(reg) == 5 and reg.attrs["duplicate_neq"] == 1 and reg.attrs["duplicate_lines"] == [6]
    counts = territory.counts_by_form(reg).set_index("legal_form")["count"].to_dict()
    assert counts == {"APE": 3, "ASS": 1, "COP": 1}
    muni = territory.counts_by_municipality(reg).set_index("municipality_key")
    assert muni.loc["ville-fictive", "total"] == 3        # « Ville-Fictive » and « VILLE-FICTIVE » are one
    assert muni.loc["saint-exemple", "total"] == 2        # « St- » folded to « Saint- »
    assert muni.loc["ville-fictive", "municipality"] == "Ville-Fictive"


def test_register_bad_rows_name_line_and_field():
    with pytest.raises(SchemaError) as e:
        territory.load_register(FIX / "register_bad_lat.csv")
    assert (e.value.line, e.value.field) == (3, "lat")
    with pytest.raises(SchemaError) as e:
        territory.load_register(FIX / "register_bad_form.csv")
    assert (e.value.line, e.value.field) == (3, "legal_form")


def test_missing_dataset(tmp_path):
    with pytest.raises(MissingDatasetError):
        territory.load_register(tmp_path / "absent.csv")


@pytest.mark.parametrize("raw, key", [
    ("Coopérative de solidarité St-Rémi inc.", "coop solidarite saint remi"),
    ("COOP DE SOLIDARITÉ SAINT-RÉMI", "coop solidarite saint remi"),
    ("C.P.E. Les Soleils", "centre petite enfance soleils"),
    ("Club de chasse & pêche X ltée", "club chasse peche x"),
])
def test_normalize_name(raw, key):
    assert territory.normalize_name(raw) == key


def test_match_fixture():
    reg = territory.load_register(FIX / "register_small.csv")
    d = territory.load_pole_directory(FIX / "directory_small.csv")
    m = territory.match_directory(reg, d, threshold=90).set_index("directory_name")
    assert m.loc["Coop de solidarité Fictive du Lac", "neq"] == "1100000011"
    assert m.loc["Coop de solidarité Fictive du Lac", "same_municipality"]
    assert m.loc["CPE Les Fictifs", "neq"] == "1100000012"
    assert not m.loc["Théâtre Imaginaire", "matched"]
    cov = territory.directory_coverage(m.reset_index(), reg).set_index("measure")["value"]
    assert cov["directory_matched"] == 2 and cov["register_covered_pct"] == pytest.approx(40.0)
    with pytest.raises(ParameterError):
        territory.match_directory(reg, d, threshold=120)


def _mirror(name: str) -> Path:
    mirror = default_mirror()
    path = mirror / external.get(name).mirror_path if mirror else None
    if path is None or not path.exists():
        pytest.skip(f"mirror of {name} absent (set VIGIE_DATA_MIRROR or run make data)")
    return path


def test_real_register_counts_by_form():
    reg = territory.load_register(_mirror("req_mauricie"))
    assert reg.attrs["rows_read"] == 2220 and reg.attrs["duplicate_neq"] == 1
    counts = territory.counts_by_form(reg).set_index("legal_form")["count"].to_dict()
    assert counts == {"APE": 2014, "ASS": 104, "COP": 101}
    muni = territory.counts_by_municipality(reg, top=1)
    assert muni["municipality"].item() == "Trois-Rivières"


def test_real_directory_coverage():
    reg = territory.load_register(_mirror("req_mauricie"))
    d = territory.load_pole_directory(_mirror("pole_mauricie_directory"))
    assert len(d) == 373
    m = territory.match_directory(reg, d, threshold=90)
    assert m.attrs["pairs_scored"] < m.attrs["pairs_total"] / 10   # blocking
    assert 250 <= int(m["matched"].sum()) <= 320
    members = territory.load_pole_members(_mirror("pole_mauricie_members"))
    assert len(members) == 81


def test_coop_growth_2011_2019_by_hand(df):
    g = territory.indicator_growth(df, "coop_mutual_revenue", 2011, 2019)
    assert g["change_pct"] == pytest.approx(100 * (47 / 25 - 1))          # +88 %
    assert g["cagr_pct"] == pytest.approx(100 * ((47 / 25) ** (1 / 8) - 1))
    j = territory.indicator_growth(df, "coop_mutual_jobs", 2011, 2019)
    assert j["change_pct"] == pytest.approx(100 * 28_000 / 92_000)


def test_survival_comparison(df):
    s = territory.survival_comparison(df).set_index("horizon_years")
    assert s.loc[5, "gap_points"] == 29 and s.loc[10, "gap_points"] == 24
    assert s.loc[10, "ratio"] == pytest.approx(2.2)


def test_members_and_review_fixture():
    reg = territory.load_register(FIX / "register_small.csv")
    d = territory.load_pole_directory(FIX / "directory_small.csv")
    m = territory.match_directory(reg, d, threshold=90)
    review = territory.matches_for_review(m, n=5)
    assert review["matched"].tolist()[:2] == [True, True]


# ---- word rule and hand review of the matching (synthetic names, made up for these tests)

SYN_REGISTER = pd.DataFrame({
    "neq": ["1100000021", "1100000022", "1100000023"],
    "name": ["CENTRE DE LA PETITE ENFANCE SOLEIL LEVANT", "COOPÉRATIVE DE SOLIDARITÉ FICTIVE",
             "CLUB DE SKI FICTIF DU NORD"],
    "legal_form": ["APE", "COP", "APE"], "municipality": ["Ville-A", "Ville-A", "Ville-B"],
    "municipality_key": ["ville-a", "ville-a", "ville-b"]})
SYN_DIRECTORY = pd.DataFrame({
    "source_line": [2, 3, 4, 5],
    "name": ["CPE Soleil Levant", "CPE Lune Levant", "Café Fictive, coopérative de solidarité", "Club de ski Fictif"],
    "municipality": ["Ville-A", "Ville-A", "Ville-A", "Ville-C"],
    "municipality_key": ["ville-a", "ville-a", "ville-a", "ville-c"]})


@pytest.mark.parametrize("a, b, conflict", [
    ("centre petite enfance lune levant", "centre petite enfance soleil levant", True),   # a word put for another
    ("cafe fictive coop solidarite", "coop solidarite fictive", False),                   # one word added
    ("association fictivex", "association fictivez", False),                              # ratio 87.5: a variant
    ("cooperation habitation nord", "coop habitation nord", False),                       # « coop » starts the word
    ("bc centre petite enfance", "centre petite enfance", False),                         # short added word
])
def test_word_conflict(a, b, conflict):
    assert territory.word_conflict(a, b) is conflict


@pytest.fixture(scope="module")
def syn_matches():
    return territory.match_directory(SYN_REGISTER, SYN_DIRECTORY, threshold=80).set_index("directory_line")


def test_word_rule_refuses_a_substituted_word(syn_matches):
    m = syn_matches
    assert m.loc[2, "score"] == 100.0 and m.loc[2, "matched"]
    # « club ski fictif » vs « club ski fictif nord »: token sort 2 × 15 / (15 + 20) = 85.71, token set 100
    assert m.loc[5, "score"] == pytest.approx((100 * 30 / 35 + 100) / 2) and m.loc[5, "matched"]
    assert not m.loc[5, "same_municipality"]
    assert m.loc[3, "neq"] == "1100000021" and m.loc[3, "word_conflict"] and not m.loc[3, "matched"]
    assert 80 <= m.loc[3, "score"] < 90
    assert m.loc[4, "neq"] == "1100000022" and m.loc[4, "matched"]
    alone = territory.match_directory(SYN_REGISTER, SYN_DIRECTORY, threshold=80, word_rule=False)
    assert alone["matched"].all()
    same_muni = territory.accept_matches(m.reset_index(), 80, word_rule=False, same_municipality_below=100)
    assert same_muni.tolist() == [True, True, False, True]          # lines 2, 4, 5, 3 (sorted by score)


def _syn_review(tmp_path, rows: list[str]):
    p = tmp_path / "review.csv"
    p.write_text("neq,directory_line,score,label,reason\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return review.load_match_review(p)


SYN_LABELS = ["1100000021,2,100,match,same_name", "1100000022,4,95.1,match,words_added",
              "1100000023,5,92.86,different,word_substituted", "1100000021,3,87.08,different,word_substituted"]


def test_review_sample_every_pair_near_the_threshold(syn_matches):
    sample = review.review_sample(syn_matches.reset_index(), low=70, exact=1, seed=1)
    assert sample["directory_line"].tolist() == [2, 4, 5, 3]
    assert sample["band"].tolist() == ["100", "95-100", "90-95", "85-90"]


def test_precision_by_band_with_wilson_intervals(syn_matches, tmp_path):
    labelled = review.label_matches(syn_matches.reset_index(), _syn_review(tmp_path, SYN_LABELS))
    assert labelled.attrs["review_not_found"] == 0
    p = review.match_precision(labelled).set_index("band")
    assert p.index.tolist() == ["100", "95-100", "90-95", "all"]
    assert p.loc["90-95", ["accepted", "right", "wrong"]].tolist() == [1, 0, 1]
    # Wilson 95 % for 1 of 1: centre (1 + z²/2) / (1 + z²) = 0.6033, half-width z √(z²/4) / (1 + z²) = 0.3967
    assert p.loc["100", "ci_low"] == pytest.approx(0.2065, abs=1e-4) and p.loc["100", "ci_high"] == 1.0
    assert p.loc["90-95", "ci_high"] == pytest.approx(1 - 0.2065, abs=1e-4)
    # the whole: the bands weighted by their accepted pairs (1 each): precision (1 + 1 + 0) / 3
    assert p.loc["all", "precision"] == pytest.approx(2 / 3)
    assert p.loc["all", "ci_low"] == pytest.approx(2 * 0.2065 / 3, abs=1e-4)
    missed = review.missed_matches(labelled).set_index("band")
    assert missed.loc["85-90", ["refused", "labelled", "right", "wrong"]].tolist() == [1, 1, 0, 1]
    rules = review.compare_match_rules(labelled, [("score_only", {"threshold": 80.0, "word_rule": False}),
                                                  ("word_rule", {"threshold": 80.0, "word_rule": True})])
    assert rules[["accepted", "right", "wrong", "right_refused", "wrong_refused"]].values.tolist() == [
        [4, 2, 2, 0, 0], [3, 2, 1, 0, 1]]


def test_wilson_interval_by_hand():
    # p = 0.9, n = 10, z = 1.96: centre (0.9 + z²/20) / (1 + z²/10) = 0.7890, half z √(0.009 + z²/400) / 1.3841
    low, high = review.wilson_interval(9, 10)
    assert (low, high) == (pytest.approx(0.5958, abs=1e-4), pytest.approx(0.9821, abs=1e-4))
    assert all(v != v for v in review.wilson_interval(0, 0))
    with pytest.raises(ParameterError):
        review.wilson_interval(3, 2)


def test_a_stale_review_pair_is_not_applied(syn_matches, tmp_path):
    labelled = review.label_matches(syn_matches.reset_index(),
                                    _syn_review(tmp_path, ["1100000022,4,90.0,match,words_added"]))  # other score
    assert labelled.attrs["review_not_found"] == 1 and labelled["label"].isna().all()


@pytest.mark.parametrize("row, field", [
    ("110000002,2,100,match,same_name", "neq"),
    ("1100000021,1,100,match,same_name", "directory_line"),
    ("1100000021,2,101,match,same_name", "score"),
    ("1100000021,2,100,maybe,same_name", "label"),
    ("1100000021,2,100,different,same_name", "reason"),
])
def test_review_file_errors_name_line_and_column(tmp_path, row, field):
    with pytest.raises(SchemaError) as e:
        _syn_review(tmp_path, [SYN_LABELS[1], row])
    assert (e.value.line, e.value.field) == (3, field)


def test_real_review_labels_apply_to_the_real_lists():
    reg = territory.load_register(_mirror("req_mauricie"))
    d = territory.load_pole_directory(_mirror("pole_mauricie_directory"))
    labels = review.load_match_review()
    assert len(labels) == 97 and labels["label"].value_counts().to_dict() == {"match": 65, "different": 31,
                                                                              "unsure": 1}
    labelled = review.label_matches(territory.match_directory(reg, d, threshold=80), labels)
    assert labelled.attrs["review_not_found"] == 0
    by_line = labelled.set_index("directory_line")
    # the wrong pair (directory line 336 ↔ NEQ 1142315507): scored 93.75, refused by the word rule
    assert by_line.loc[336, "neq"] == "1142315507" and by_line.loc[336, "label"] == "different"
    assert by_line.loc[336, "word_conflict"] and not by_line.loc[336, "matched"]
    total = review.match_precision(labelled).set_index("band").loc["all"]
    assert (total["accepted"], total["right"], total["wrong"]) == (296, 57, 0)
    rules = review.compare_match_rules(labelled).set_index(["rule", "threshold"])
    assert rules.loc[("score_only", 90.0), ["accepted", "wrong", "right_refused"]].tolist() == [288, 2, 18]
    assert rules.loc[("word_rule", 80.0), ["accepted", "wrong", "right_refused"]].tolist() == [296, 0, 8]
