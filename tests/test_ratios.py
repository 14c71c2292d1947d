"""Statements template, loader errors, viability ratios and Tuckman–Chang flags, checked against hand computations.

Fixtures in tests/fixtures/viabilite/ are fictitious, hand-made statements (see their README).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.core.errors import MissingDatasetError, SchemaError
from analysis.food import ratios

FIX = Path(__file__).parent / "fixtures" / "viabilite"


@pytest.fixture(scope="module")
def statements() -> pd.DataFrame:
    return ratios.load_statements(FIX / "statements_ok.csv")


@pytest.fixture(scope="module")
def computed(statements) -> pd.DataFrame:
    return ratios.compute_ratios(statements).set_index(["enterprise", "year"])


def test_herfindahl_by_hand():
    assert ratios.herfindahl([0.5, 0.3, 0.2]) == pytest.approx(0.38)
    assert ratios.herfindahl([500_000, 300_000, 200_000, 0, 0]) == pytest.approx(0.38)
    assert ratios.herfindahl([1, 0, 0]) == pytest.approx(1.0)
    assert np.isnan(ratios.herfindahl([0, 0]))


def test_template_file_matches_columns():
    header = ratios.TEMPLATE_PATH.read_text(encoding="utf-8").splitlines()
    assert header == [",".join(ratios.TEMPLATE_COLUMNS)]
    doc = ratios.template_documentation()
    assert list(doc["column"]) == list(ratios.TEMPLATE_COLUMNS)
    assert doc["meaning"].str.len().min() > 5


def test_empty_template_loads_as_empty_table():
    df = ratios.load_statements(ratios.TEMPLATE_PATH)
    assert len(df) == 0
    assert list(df.columns) == list(ratios.TEMPLATE_COLUMNS)


def test_ratios_by_hand(computed):
    a = computed.loc[("fictive_a", 2021)]
    # revenues 500 000 + 300 000 + 200 000 = 1 000 000; expenses 300 000 + 500 000 + 100 000 + 100 000 = 1 000 000
    assert a["total_revenue"] == 1_000_000
    assert a["operating_margin"] == pytest.approx(0.0)
    assert a["current_ratio"] == pytest.approx(3.0)  # 300 000 / 100 000
    assert a["debt_ratio"] == pytest.approx(0.6)  # 600 000 / 1 000 000
    assert a["equity_ratio"] == pytest.approx(0.4)
    assert a["revenue_concentration"] == pytest.approx(0.38)  # shares 0.5, 0.3, 0.2
    assert a["admin_cost_ratio"] == pytest.approx(0.1)
    assert a["months_reserve"] == pytest.approx(2.4)  # 200 000 / (1 000 000 / 12)
    assert a["grant_dependence"] == pytest.approx(0.3)
    assert a["growth_3y"] == pytest.approx(1.0)  # 1 000 000 / 500 000 (2019) - 1
    b = computed.loc[("fictive_b", 2021)]
    assert b["operating_margin"] == pytest.approx(0.05)  # (100 000 - 95 000) / 100 000
    assert b["current_ratio"] == pytest.approx(0.5)
    assert b["equity_ratio"] == pytest.approx(0.05)
    assert b["revenue_concentration"] == pytest.approx(1.0)
    assert b["admin_cost_ratio"] == pytest.approx(2000 / 95000)
    assert b["months_reserve"] == pytest.approx(-10_000 / (95_000 / 12))
    assert np.isnan(b["growth_3y"])  # no 2019 statement
    assert np.isnan(computed.loc[("fictive_a", 2020), "growth_3y"])  # no 2018 statement


def test_tuckman_chang_flags_by_hand(computed):
    flags = ratios.tuckman_chang_flags(computed.reset_index()).set_index(["enterprise", "year"])
    b = flags.loc[("fictive_b", 2021)]
    # equity 0.05 < 0.10, concentration 1.0 > 0.60, admin 0.021 < 0.05; margin 0.05 is not < 0
    assert (b["flag_equity_ratio"], b["flag_revenue_concentration"], b["flag_admin_cost_ratio"],
            b["flag_operating_margin"]) == (True, True, True, False)
    assert b["n_flags"] == 3
    assert flags.loc[("fictive_a", 2021), "n_flags"] == 0  # margin exactly 0 is not below 0
    stricter = ratios.tuckman_chang_flags(computed.reset_index(), {"operating_margin_min": 0.01})
    assert stricter.set_index(["enterprise", "year"]).loc[("fictive_a", 2021), "flag_operating_margin"]


def test_quintile_thresholds():
    df = pd.DataFrame({
        "equity_ratio": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5],
        "revenue_concentration": [0.2, 0.3, 0.4, 0.5, 0.6, 0.7],
        "admin_cost_ratio": [0.01, 0.02, 0.03, 0.04, 0.05, 0.06],
        "operating_margin": [-0.1, 0.0, 0.1, 0.2, 0.3, 0.4],
    })
    th = ratios.quintile_thresholds(df)
    assert th["equity_ratio_min"] == pytest.approx(0.1)  # 20th percentile, linear interpolation
    assert th["revenue_concentration_max"] == pytest.approx(0.6)
    assert set(th) == {"equity_ratio_min", "revenue_concentration_max", "admin_cost_ratio_min", "operating_margin_min"}


def test_latest_year(computed):
    last = ratios.latest_year(computed.reset_index())
    assert list(zip(last["enterprise"], last["year"])) == [("fictive_a", 2021), ("fictive_b", 2021)]


def test_error_names_file_line_column_for_text():
    with pytest.raises(SchemaError) as err:
        ratios.load_statements(FIX / "statements_text_in_number.csv")
    assert err.value.line == 2 and err.value.field == "revenue_public_grants"
    assert "statements_text_in_number.csv:2" in err.value.one_line()


def test_error_names_row_for_balance_identity():
    with pytest.raises(SchemaError) as err:
        ratios.load_statements(FIX / "statements_bad_balance.csv")
    assert (err.value.line, err.value.field) == (3, "net_assets")


def test_error_for_missing_column_and_duplicate(tmp_path):
    ok = pd.read_csv(FIX / "statements_ok.csv", dtype=str, keep_default_na=False)
    bad = tmp_path / "no_col.csv"
    ok.drop(columns=["net_assets"]).to_csv(bad, index=False)
    with pytest.raises(SchemaError) as err:
        ratios.load_statements(bad)
    assert (err.value.line, err.value.field) == (1, "net_assets")
    dup = tmp_path / "dup.csv"
    pd.concat([ok, ok.iloc[[3]]]).to_csv(dup, index=False)
    with pytest.raises(SchemaError) as err:
        ratios.load_statements(dup)
    assert (err.value.line, err.value.field) == (6, "year")
    neg = tmp_path / "neg.csv"
    ok.assign(expense_other=["-1", "0", "0", "0"]).to_csv(neg, index=False)
    with pytest.raises(SchemaError) as err:
        ratios.load_statements(neg)
    assert (err.value.line, err.value.field) == (2, "expense_other")
    assert "negative" in err.value.message


def test_missing_file_is_a_missing_dataset(tmp_path):
    with pytest.raises(MissingDatasetError):
        ratios.load_statements(tmp_path / "absent.csv")


def test_synthetic_statements_are_valid_marked_and_seeded(tmp_path):
    s1 = ratios.generate_synthetic_statements(7)
    s2 = ratios.generate_synthetic_statements(7)
    pd.testing.assert_frame_equal(s1, s2)
    assert not s1.equals(ratios.generate_synthetic_statements(8))
    assert s1["is_synthetic"].all()
    assert s1["enterprise"].str.startswith("synthetique_").all()
    assert len(s1) == 60
    path = tmp_path / "synth.csv"
    s1.to_csv(path, index=False)
    back = ratios.load_statements(path)  # round trip through the validated loader
    assert back["is_synthetic"].all() and len(back) == 60
    r = ratios.compute_ratios(back)
    assert r["growth_3y"].notna().sum() == 20  # one three-year window per enterprise
    assert r["revenue_concentration"].between(0.2, 1.0).all()


def test_summarize_latest(computed):
    latest = ratios.latest_year(computed.reset_index())
    flags = ratios.tuckman_chang_flags(latest)
    s = ratios.summarize_latest(latest, flags)
    assert s["n_enterprises"] == 2
    assert s["median_operating_margin"] == pytest.approx(0.025)  # median of 0 and 0.05
    assert s["median_current_ratio"] == pytest.approx(1.75)  # median of 3 and 0.5
    assert (s["n_any_flag"], s["n_all_flags"]) == (1, 0)
