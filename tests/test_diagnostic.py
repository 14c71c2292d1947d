"""The viability diagnostic: ratios checked by hand on a small synthetic example (workbook → ratios), trends,
flags, break-even sales, peer percentiles on hand-checkable peer sets, the real peer groups' sizes, and the command
(output location, confidentiality, one page).

Every enterprise here is fictitious: the hand-made tests/fixtures/diagnostic/small_example.yaml or
analysis.food.workbook.synthetic_values(seed), written into a workbook by the project's code at test time.
Peer tables built in these tests are small synthetic frames; the real Co-operatives UK and food-hub data are used
only to measure the peer groups (skipped when `make data` has not run).
"""

from __future__ import annotations

import json
import math
import shutil
from html import unescape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis.cli import main
from analysis.core import external, paths
from analysis.core.errors import ParameterError
from analysis.food import diagnostic as dg
from analysis.food import workbook as layout
from analysis.report import diagnostic as page
from analysis.report import render
from analysis.report import workbook as writer

FIX = Path(__file__).parent / "fixtures" / "diagnostic"
REAL = all(external.is_available(n) for n in ("coops_uk_organisations", "coops_uk_economy", "food_hub_survey"))


def example_values() -> dict[tuple[str, str], object]:
    data = yaml.safe_load((FIX / "small_example.yaml").read_text(encoding="utf-8"))
    return {(sheet, code): value for sheet, lines in data.items() for code, value in lines.items()}


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> layout.FilledWorkbook:
    path = tmp_path_factory.mktemp("wb") / "exemple.xlsx"
    return layout.read_workbook(writer.write_workbook(path, "fr", example_values(), synthetic=True))


@pytest.fixture(scope="module")
def yr(filled) -> pd.DataFrame:
    return dg.compute_year_ratios(filled.statements, filled.details).set_index("year")


# --------------------------------------------------------------------------------------------------- by hand


def test_ratios_by_hand_latest_year(yr):
    r = yr.loc[2023]
    # revenue 500 000 + 60 000 + 20 000 + 10 000 + 5 000 + 5 000 = 600 000; expenses 300 000 + 170 000 + 45 000
    # + 65 000 = 580 000
    assert (r["total_revenue"], r["total_expenses"], r["surplus"]) == (600_000, 580_000, 20_000)
    assert r["operating_margin"] == pytest.approx(20_000 / 600_000)
    assert r["gross_margin"] == pytest.approx(0.4)  # (500 000 − 300 000) / 500 000
    assert r["current_ratio"] == pytest.approx(2.0)  # 150 000 / 75 000
    assert r["debt_ratio"] == pytest.approx(200_000 / 350_000)
    assert r["equity_ratio"] == pytest.approx(150_000 / 350_000)
    assert r["equity_to_revenue"] == pytest.approx(0.25)  # 150 000 / 600 000
    assert r["months_reserve"] == pytest.approx(75_000 / (580_000 / 12))  # 1.55 months
    assert r["grant_dependence"] == pytest.approx(80_000 / 600_000)  # mission 60 000 + project 20 000
    assert r["mission_grant_share"] == pytest.approx(0.75)
    # Herfindahl over sales, public grants, donations, fees, other: (500² + 80² + 10² + 5² + 5²) / 600²
    assert r["revenue_concentration"] == pytest.approx(256_550 / 360_000)
    assert r["admin_cost_ratio"] == pytest.approx(45_000 / 580_000)
    assert r["revenue_growth"] == pytest.approx(600_000 / 550_000 - 1)
    assert r["revenue_growth_annual"] == pytest.approx(math.sqrt(1.2) - 1)  # 500 000 → 600 000 in two years
    assert r["revenue_per_employee"] == pytest.approx(100_000)  # 600 000 / 6
    assert r["revenue_per_member"] == pytest.approx(2_400)  # 600 000 / 250
    assert r["customer_top1_share"] == pytest.approx(0.3)  # 150 000 / 500 000
    assert r["customer_top3_share"] == pytest.approx(0.3)  # customers 2 and 3 left blank
    assert math.isnan(r["volunteers"])


def test_break_even_by_hand(yr):
    r = yr.loc[2023]
    assert r["fixed_costs"] == 280_000  # 170 000 + 45 000 + 65 000
    assert r["break_even_sales"] == pytest.approx(700_000)  # 280 000 / 0.4
    # other revenue 100 000 pays part of the fixed costs: (280 000 − 100 000) / 0.4 = 450 000; at that sales level
    # the gross margin 180 000 + other revenue 100 000 = 280 000 of fixed costs: surplus 0
    assert r["break_even_sales_net"] == pytest.approx(450_000)
    assert r["break_even_coverage"] == pytest.approx(500_000 / 450_000)
    y1 = yr.loc[2021]  # fixed 240 000, other 100 000, margin 0.4 → (240 000 − 100 000) / 0.4 = 350 000
    assert y1["break_even_sales_net"] == pytest.approx(350_000)
    assert math.isnan(y1["revenue_growth"]) and math.isnan(y1["revenue_growth_annual"])


def test_break_even_when_other_revenue_covers_fixed_costs():
    s = pd.DataFrame([{**{c: 0.0 for c in dg.ratios.TEMPLATE_COLUMNS}, "enterprise": "x", "year": 2020,
                       "revenue_sales": 100.0, "revenue_public_grants": 500.0, "expense_cost_of_goods": 50.0,
                       "expense_salaries": 300.0, "total_assets": 10.0, "net_assets": 10.0, "is_synthetic": True}])
    d = pd.DataFrame([{c: 0.0 for c in layout.DETAIL_COLUMNS} | {"year": 2020}])
    r = dg.compute_year_ratios(s, d).iloc[0]
    assert r["break_even_sales"] == pytest.approx(600.0)  # 300 / 0.5
    assert r["break_even_sales_net"] == 0 and math.isnan(r["break_even_coverage"])
    assert math.isnan(r["revenue_per_employee"]) and math.isnan(r["revenue_per_member"])  # none: not applicable


def test_trends_by_hand(yr):
    trends = dg.compute_trends(yr.reset_index()).set_index("metric")
    assert trends.loc["total_revenue", "direction"] == "up"  # +20 %
    assert trends.loc["operating_margin", "direction"] == "stable"  # 4.0 % → 3.3 %: within one point
    assert trends.loc["debt_ratio", "direction"] == "down"  # 0.600 → 0.571
    assert trends.loc["customer_top1_share", "direction"] == "up"  # 0.25 → 0.30
    assert trends.loc["equity_to_revenue", "direction"] == "stable"  # 0.24 → 0.25: exactly the tolerance
    assert trends.loc["revenue_growth", ["first_year", "first", "last"]].tolist() == pytest.approx(
        [2022, 0.1, 600_000 / 550_000 - 1])


def test_flags_by_hand(yr):
    flags = dg.compute_flags(yr.reset_index())
    raised = flags.loc[flags["flagged"]]
    # every year: revenue concentration above 0.6 (Tuckman–Chang) and working capital under 3 months (reference)
    assert set(zip(raised["year"], raised["indicator"], raised["kind"])) == {
        (y, "revenue_concentration", "tuckman_chang") for y in (2021, 2022, 2023)} | {
        (y, "months_reserve", "reference") for y in (2021, 2022, 2023)}
    stricter = dg.compute_flags(yr.reset_index(), {"operating_margin_min": 0.035})
    hits = stricter.loc[stricter["flagged"] & (stricter["indicator"] == "operating_margin"), "year"]
    assert hits.tolist() == [2023]  # 3.33 % < 3.5 %; 2022 is 3.64 %, 2021 is 4 %


def test_points_without_peers_by_hand(filled):
    diag = dg.build_diagnostic(filled)
    # flags first; then the largest move that deserves a question (largest customer 25 % → 30 %, 5 tolerance units,
    # ahead of revenue concentration 4.6 and break-even coverage 1.6); then sales below the break-even without
    # other revenue (500 000 / 700 000)
    assert diag.points["code"].tolist() == ["tc_flags", "trend", "other_revenue_needed"]
    assert diag.points.loc[1, "metric"] == "customer_top1_share"
    assert diag.points.loc[2, "value"] == pytest.approx(5 / 7)
    assert diag.age_years == 8 and diag.missing_sources == ["uk", "us"] and diag.bench.empty


# --------------------------------------------------------------------------------------------------- peers


def test_percentile_rank_by_hand():
    assert dg.percentile_rank(3, [1, 2, 3, 4]) == 62.5  # 2 below, 1 tie counted half, of 4
    assert dg.percentile_rank(5, [1, 2, 3, 4]) == 100.0
    assert dg.percentile_rank(0, [1, 2, 3, 4]) == 0.0
    assert dg.percentile_rank(2, [2, 2, np.nan, 1]) == pytest.approx(100 * (1 + 1) / 3)
    assert math.isnan(dg.percentile_rank(np.nan, [1, 2])) and math.isnan(dg.percentile_rank(1, []))


def test_band_index_edges():
    edges = (250_000, 1_000_000, 5_000_000)
    assert [dg.band_index(v, edges) for v in (0, 249_999, 250_000, 999_999, 1_000_000, 7e6)] == [0, 0, 1, 1, 2, 3]
    ages = (5, 10)
    assert [dg.band_index(v, ages, closed="right") for v in (0, 5, 5.5, 10, 11)] == [0, 0, 1, 1, 2]
    assert dg.band_index(float("nan"), edges) is None


def synthetic_uk(n_band1: int) -> pd.DataFrame:
    """A hand-made UK peer table (synthetic): ``n_band1`` co-ops in band 1 with margins 0.00, 0.01, …, 10 in band 0."""
    rows = [{"org_id": f"b1_{i}", "fiscal_year": 2014, "size_band": 1, "total_revenue": 500_000.0,
             "operating_margin": i / 100, "equity_to_revenue": 0.5, "revenue_growth_annual": np.nan,
             "revenue_per_employee": np.nan, "revenue_per_member": 1_000.0 + i} for i in range(n_band1)]
    rows += [{"org_id": f"b0_{i}", "fiscal_year": 2012, "size_band": 0, "total_revenue": 100_000.0,
              "operating_margin": -0.05, "equity_to_revenue": 0.1, "revenue_growth_annual": 0.0,
              "revenue_per_employee": 50_000.0, "revenue_per_member": 10.0} for i in range(10)]
    return pd.DataFrame(rows)


def synthetic_hubs() -> pd.DataFrame:
    """A hand-made hub table (synthetic): 4 co-op hybrid young hubs, 30 co-op hybrid hubs in all, 40 others."""
    rows = []
    for i in range(30):
        rows.append({"survey_year": 2019, "legal_status": "cooperative", "business_model": "hybrid",
                     "age_band": 0 if i < 4 else 2, "total_revenue": 100_000.0 * (i + 1),
                     "operating_margin": (i - 10) / 100, "grant_dependence": "highly" if i < 6 else "not"})
    for i in range(40):
        rows.append({"survey_year": 2013 + (i % 2) * 12, "legal_status": "nonprofit", "business_model": "direct",
                     "age_band": 1, "total_revenue": 1e6, "operating_margin": 0.5, "grant_dependence": None})
    return pd.DataFrame(rows)


def test_peer_groups_and_benchmark_by_hand():
    profile = layout.Profile("Fictive", 2021, "cooperative", "hybrid")
    groups = dg.peer_groups(profile, total_revenue=400_000, age_years=2, uk=synthetic_uk(25), hubs=synthetic_hubs())
    sizes = {g.group_id: len(g.frame) for g in groups}
    assert sizes == {"uk1": 25, "uk2": 35, "us1": 4, "us2": 30, "us3": 30, "us4": 70}
    latest = {"operating_margin": 0.1, "total_revenue": 400_000.0, "equity_to_revenue": 0.5,
              "revenue_per_member": 1_005.0, "revenue_growth_annual": 0.02, "revenue_per_employee": 40_000.0}
    bench = dg.benchmark(latest, groups, min_peers=20).set_index(["group_id", "metric"])
    # UK band 1: margins 0.00 … 0.24; 0.10 has 10 below and 1 tie → (10 + 0.5) / 25 = 42 %
    assert bench.loc[("uk1", "operating_margin"), "percentile"] == pytest.approx(42.0)
    assert bench.loc[("uk1", "operating_margin"), "chosen"]
    # every co-op of band 1 has equity / revenue 0.5: all ties → 50 %
    assert bench.loc[("uk1", "equity_to_revenue"), "percentile"] == pytest.approx(50.0)
    # revenue per member 1 000 … 1 024: 1 005 has 5 below, 1 tie → 22 %
    assert bench.loc[("uk1", "revenue_per_member"), "percentile"] == pytest.approx(22.0)
    # growth and revenue per employee are known for the 10 co-ops of band 0 only: too few, in band and overall
    assert bench.loc[("uk1", "revenue_growth_annual"), "status"] == "below_min"
    assert bench.loc[("uk2", "revenue_per_employee"), ["n", "status"]].tolist() == [10, "below_min"]
    # all sizes: 10 co-ops at −5 % and 25 at 0 … 24 % → (10 + 10 + 0.5) / 35
    assert bench.loc[("uk2", "operating_margin"), "percentile"] == pytest.approx(100 * 20.5 / 35)
    assert not bench.loc[("uk2", "operating_margin"), "chosen"]  # the narrower group is large enough
    # hubs: the 4 young co-op hybrid hubs are too few; status + model (30) is chosen
    assert bench.loc[("us1", "operating_margin"), ["n", "status"]].tolist() == [4, "below_min"]
    assert bench.loc[("us2", "operating_margin"), "chosen"]
    # margins (i − 10) / 100 for i = 0 … 29: 0.10 has 20 below, 1 tie → 20.5 / 30
    assert bench.loc[("us2", "operating_margin"), "percentile"] == pytest.approx(100 * 20.5 / 30)
    # revenue 100 000 … 3 000 000: 400 000 has 3 below, 1 tie → 3.5 / 30
    assert bench.loc[("us2", "total_revenue"), "percentile"] == pytest.approx(100 * 3.5 / 30)
    assert bench.loc[("us2", "total_revenue"), "median"] == pytest.approx(1_550_000)
    levels = dg.grant_levels(groups[3])
    assert (levels["n"], levels["highly"], levels["not"]) == (30, pytest.approx(0.2), pytest.approx(0.8))
    summary = pd.DataFrame([g.summary() for g in groups]).set_index("group_id")
    assert summary.loc["us4", ["year_min", "year_max", "currency", "unit"]].tolist() == [2013, 2025, "USD",
                                                                                        "responses"]
    assert summary.loc["uk2", ["year_min", "year_max", "currency"]].tolist() == [2012, 2014, "GBP"]


def test_minimum_size_is_a_parameter():
    profile = layout.Profile("Fictive", 2021, "cooperative", "hybrid")
    groups = dg.peer_groups(profile, 400_000, 2, synthetic_uk(25), synthetic_hubs())
    bench = dg.benchmark({"operating_margin": 0.1}, groups, min_peers=30).set_index(["group_id", "metric"])
    assert bench.loc[("uk1", "operating_margin"), "status"] == "below_min"
    assert bench.loc[("uk2", "operating_margin"), "chosen"]
    with pytest.raises(ParameterError):
        dg.DiagnosticSettings(min_peers=0).check()
    with pytest.raises(ParameterError, match="revenue_bands_cad"):
        dg.DiagnosticSettings(revenue_bands_cad=(5e6, 1e6)).check()
    with pytest.raises(ParameterError, match="unknown threshold"):
        dg.DiagnosticSettings(thresholds={"margin": 0.1}).check()


def test_uk_peer_table_by_hand():
    """Tiny synthetic Co-operatives UK frames: latest accounts in the years, growth, conversion to CAD."""
    orgs = pd.DataFrame({"org_id": ["A", "B", "C"], "sic_code": ["4711", "4711", "6419"],
                         "sector": ["Retail", "Retail", "Finance"]})
    economy = pd.DataFrame({
        "org_id": ["A", "A", "A", "B", "C"],
        "year_end": pd.to_datetime(["2010-12-31", "2012-12-31", "2014-12-31", "2013-06-30", "2013-12-31"]),
        "fiscal_year": [2010, 2012, 2014, 2013, 2013],
        "turnover": [50.0, 100.0, 121.0, 200.0, 1e6], "profit_before_tax": [0.0, 5.0, 12.1, -10.0, 0.0],
        "member_funds": [0.0, 10.0, 60.5, 20.0, 0.0], "memberships": [0.0, 10.0, 11.0, 0.0, 0.0],
        "employees": [0.0, 1.0, 2.0, np.nan, 0.0]})
    uk = dg.uk_peer_table(economy, orgs, dg.DiagnosticSettings(cad_per_gbp=2.0)).set_index("org_id")
    assert list(uk.index) == ["A", "B"]  # C is not a food co-op; A's 2010 accounts are outside 2011–2016
    a = uk.loc["A"]
    assert a["fiscal_year"] == 2014 and a["total_revenue"] == 242.0  # £121 × 2
    assert a["operating_margin"] == pytest.approx(0.1) and a["equity_to_revenue"] == pytest.approx(0.5)
    assert a["revenue_per_employee"] == pytest.approx(121.0) and a["revenue_per_member"] == pytest.approx(22.0)
    assert a["revenue_growth_annual"] == pytest.approx(1.21 ** (1 / (730 / 365.25)) - 1)  # 100 → 121 in 2 years
    b = uk.loc["B"]
    assert math.isnan(b["revenue_growth_annual"])  # one set of accounts: no growth (not 0)
    assert math.isnan(b["revenue_per_employee"]) and math.isnan(b["revenue_per_member"])
    assert uk.attrs["coops_with_turnover"] == 2


def test_hub_peer_table_by_hand():
    hubs = pd.DataFrame({
        "source_line": [2, 3, 4], "survey_year": [2013, 2015, 2017],
        "legal_status": ["cooperative", "nonprofit", "for_profit"],
        "business_model": ["Hybrid", "Primarily wholesale", ""], "years_in_operation": [3.0, 8.0, np.nan],
        "revenue": [100.0, 200.0, 300.0], "oer": [0.9, 1.2, 0.1], "grant_dependence": ["not", None, "highly"],
        "flags": ["", "", "oer_extreme"]})
    table = dg.hub_peer_table(hubs, dg.DiagnosticSettings(cad_per_usd=1.5))
    assert table["source_line"].tolist() == [2, 3]  # the implausible expense ratio is left out
    assert table["operating_margin"].tolist() == pytest.approx([0.1, -0.2])
    assert table["business_model"].tolist() == ["hybrid", "wholesale"]
    assert table["age_band"].tolist() == [0, 1] and table["total_revenue"].tolist() == [150.0, 300.0]
    assert table.attrs == {"responses": 3, "responses_kept": 2, "responses_excluded": 1}


@pytest.mark.skipif(not REAL, reason="Co-operatives UK and food-hub data absent (make data)")
def test_real_peer_group_sizes():
    """What the diagnostic compares with (measured on the real data; the report's counts)."""
    settings = dg.DiagnosticSettings()
    uk, hubs, used = page.load_peers(settings)
    assert len(used) == 3
    assert uk.attrs == {"food_accounts": 2097, "food_coops": 792, "accounts_in_years": 1394, "coops_in_years": 661,
                        "coops_with_turnover": 609}
    assert uk.groupby("size_band").size().to_dict() == {0: 290, 1: 123, 2: 80, 3: 116}
    assert int(uk["revenue_growth_annual"].notna().sum()) == 324
    assert int(uk["revenue_per_employee"].notna().sum()) == 102  # employees are rarely reported
    assert hubs.attrs == {"responses": 707, "responses_kept": 671, "responses_excluded": 36}
    assert hubs.groupby("legal_status").size().to_dict() == {"cooperative": 93, "for_profit": 256,
                                                             "nonprofit": 289, "other": 33}
    assert int(hubs["operating_margin"].notna().sum()) == 386


# --------------------------------------------------------------------------------------------------- command


def tree_state() -> tuple[set[str], dict[str, float]]:
    """Files under the project (outside .venv, caches, data/external) with their modification times."""
    skip = {".venv", ".git", "__pycache__", "external", ".pytest_cache", ".hypothesis"}
    scratch = "benchmarks/mutation/work/"  # a mutation run (make mutation) writes there while the suite runs
    state = {}
    for p in paths.ROOT.rglob("*"):
        parts = set(p.relative_to(paths.ROOT).parts)
        if p.is_file() and not parts & skip and not p.relative_to(paths.ROOT).as_posix().startswith(scratch):
            state[p.relative_to(paths.ROOT).as_posix()] = p.stat().st_mtime
    return set(state), state


def test_cli_writes_only_into_out(tmp_path, capsys):
    workbook = writer.write_workbook(tmp_path / "coop fictive.xlsx", "fr", layout.synthetic_values(5), True)
    before = tree_state()
    rc = main(["diagnostic", str(workbook), "--out", str(tmp_path / "out"), "--no-pdf"])
    out = capsys.readouterr().out.split()
    assert rc == 0
    assert tree_state() == before  # nothing written inside the project
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["diagnostic.html", "pairs.csv", "provenance.json", "ratios.csv"]
    assert len(out) == 4
    text = (tmp_path / "out" / "diagnostic.html").read_text(encoding="utf-8")
    prov = (tmp_path / "out" / "provenance.json").read_text(encoding="utf-8")
    for body in (text, prov):
        assert str(tmp_path) not in body and "/work/" not in body  # provenance without absolute paths
    assert json.loads(prov)["inputs"][0]["file"] == "coop fictive.xlsx"
    assert "Données fictives" in text and '<html lang="fr-CA">' in text
    assert "Diagnostic de viabilité — Fictitious co-operative (synthetic data)" in text


def test_cli_default_output_under_data_private(tmp_path, capsys):
    name = "zz_test_diagnostic_sortie"
    workbook = writer.write_workbook(tmp_path / f"{name}.xlsx", "en", layout.synthetic_values(8), True)
    target = paths.PRIVATE / "diagnostics" / name
    shutil.rmtree(target, ignore_errors=True)
    try:
        rc = main(["diagnostic", str(workbook), "--no-pdf", "--lang", "en"])
        lines = capsys.readouterr().out.split()
        assert rc == 0 and lines[0] == f"data/private/diagnostics/{name}/diagnostic.html"
        text = (target / "diagnostic.html").read_text(encoding="utf-8")
        assert '<html lang="en-CA">' in text and "Viability diagnostic" in text and "Fictitious data" in text
    finally:
        shutil.rmtree(target, ignore_errors=True)
    assert not target.exists()


def test_cli_refuses_confidential_places(tmp_path, capsys):
    workbook = writer.write_workbook(tmp_path / "c.xlsx", "fr", layout.synthetic_values(5), True)
    rc = main(["diagnostic", str(workbook), "--out", str(paths.REPORTS / "fuite"), "--no-pdf"])
    err = capsys.readouterr().err
    assert rc == 2 and "[--out]" in err and "data/private/" in err and err.count("\n") == 1
    assert not (paths.REPORTS / "fuite").exists()
    inside = paths.ROOT / "tests" / "fixtures" / "diagnostic" / "zz_rempli.xlsx"
    try:
        shutil.copy(workbook, inside)
        rc = main(["diagnostic", str(inside), "--no-pdf", "--out", str(tmp_path / "o")])
        err = capsys.readouterr().err
        assert rc == 2 and "[workbook]" in err and "confidential" in err
    finally:
        inside.unlink(missing_ok=True)


def test_page_without_peer_data(filled, monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "EXTERNAL", tmp_path / "none")
    uk, hubs, used = page.load_peers(dg.DiagnosticSettings())
    assert (uk, hubs, used) == (None, None, [])
    diag = dg.build_diagnostic(filled, uk, hubs)
    html = page.page_html(diag, {"inputs": [{"file": "exemple.xlsx", "sha256": "0" * 64}], "commit": "abc"}, "fr")
    assert html.count("données absentes") == 8  # 6 UK metrics + 2 hub metrics
    assert "make data" in html and "<img" not in html


def test_page_text_by_hand(filled):
    uk, hubs = synthetic_uk(25), synthetic_hubs()
    diag = dg.build_diagnostic(filled, uk, hubs, dg.DiagnosticSettings())
    html = unescape(page.page_html(diag, {"inputs": [{"file": "exemple.xlsx", "sha256": "ab" * 32}],
                                          "commit": "c0ffee"}, "fr"))
    # the small example (latest revenue 600 000 $, 8 years old) against the synthetic peers of the test above
    assert "Signaux de vulnérabilité de Tuckman et Chang (1991) présents en 2023 (1 sur 4)" in html
    assert "concentration des revenus 0,71 (seuil 0,60)" in html
    assert "l'excédent est nul à 450\u202f000\u00a0$ de ventes" in html
    assert "il faudrait 700\u202f000\u00a0$ de ventes" in html
    # the enterprise is 8 years old: no co-op hybrid hub of 6 to 10 years among the synthetic peers
    assert "Groupe plus proche trop petit : carrefours alimentaires des États-Unis (coopératives, modèle mixte, " \
           "plus de 5 à 10 ans), 0 valeurs, sous le minimum de 20." in html
    assert ("(a) coopératives alimentaires du Royaume-Uni de 250\u00a0k$ à 1\u00a0M$ de revenus : 25 coopératives, "
            "chacune avec ses derniers comptes des exercices 2014 ") in html
    assert "100 (a)" in html  # 600 000 $ is above every co-op of the band (all at 500 000 $)
    assert "30 réponses aux enquêtes 2019 " in html
    assert ("Parmi les carrefours alimentaires des États-Unis (coopératives, modèle mixte) qui ont répondu (30), "
            "80\u00a0% se disent non dépendants des subventions, 0\u00a0% assez dépendants et 20\u00a0% très") in html
    assert "1 £ = 1,8179 $" in html and "1 $ US = 1,3211 $" in html
    assert 'alt="Centile de l' in html and "<img" in html
    assert "Document confidentiel" in html


@pytest.mark.skipif(render.chromium_path() is None, reason="Chromium is not installed (make browser)")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pdf_is_one_page(tmp_path, lang):
    import pypdf  # pinned in the lock; only this test reads PDFs

    workbook = writer.write_workbook(tmp_path / "c.xlsx", "fr", layout.synthetic_values(2), True)
    written = page.write_diagnostic(workbook, tmp_path / "out", lang=lang, pdf=True)
    assert len(pypdf.PdfReader(written["pdf"]).pages) == 1
