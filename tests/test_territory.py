"""Tests of the territorial portrait: region shares (seed 003) and the REQ register / pole directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.core import external
from analysis.core.errors import MissingDatasetError, ParameterError, SchemaError
from analysis.core.paths import default_mirror
from analysis.ecosystem import territory
from analysis.ecosystem.indicators import load_indicators

FIX = Path(__file__).parent / "fixtures" / "territory"


@pytest.fixture(scope="module")
def df():
    return load_indicators()


def test_pole_share_of_jobs_by_hand(df):
    s = territory.region_shares(df, "monteregie_est").set_index("indicator")["share_pct"]
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
