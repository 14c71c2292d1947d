"""Tests of the seed indicators table loader (data/raw/ecosystem/indicators.csv)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.core.errors import DataIntegrityError, ParameterError, SchemaError
from analysis.ecosystem import indicators as ed


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return ed.load_indicators()


def test_shipped_table_loads_and_has_key_figures(df):
    assert len(df) >= 70
    assert ed.get_indicator(df, "se_enterprises", "quebec") == 11200
    assert ed.get_indicator(df, "se_jobs", "monteregie_est") == 3226
    assert ed.get_indicator(df, "se_revenue", "monteregie_est") == 139_900_000
    assert ed.get_indicator(df, "se_payroll", "monteregie_est") == 59_900_000
    assert ed.get_indicator(df, "coop_mutual_revenue", "quebec", 2011) == 25e9
    assert ed.get_indicator(df, "coop_mutual_jobs", "quebec", 2019) == 120_000


def test_survival_indicators_named_for_the_survival_notebook(df):
    got = {n: ed.get_indicator(df, n, "quebec") for n in
           ["coop_survival_5y", "other_survival_5y", "coop_survival_10y", "other_survival_10y"]}
    assert got == {"coop_survival_5y": 64, "other_survival_5y": 35, "coop_survival_10y": 44,
                   "other_survival_10y": 20}
    assert set(df.loc[df["indicator"].str.contains("survival"), "unit"]) == {"pct"}


def test_every_row_has_a_seed_source(df):
    assert df["source_doc"].str.match(r"^00[0-4]_[0-9a-f]+\.txt$").all()
    assert df["source_section"].str.len().gt(0).all()


def test_ambiguous_indicator_needs_year(df):
    with pytest.raises(DataIntegrityError, match="several values"):
        ed.get_indicator(df, "coop_mutual_revenue", "quebec")


def test_unknown_indicator(df):
    with pytest.raises(ParameterError, match="not in the indicators table"):
        ed.get_indicator(df, "nope", "quebec")


def _write(tmp_path, rows: list[str]) -> str:
    p = tmp_path / "ind.csv"
    p.write_text("\n".join([",".join(ed.COLUMNS)] + rows) + "\n", encoding="utf-8")
    return p


GOOD = "se_jobs,quebec,220000,count,,exact,false,003_56f2c147d3edd829.txt,S,"


def test_text_in_value_names_line_and_column(tmp_path):
    p = _write(tmp_path, [GOOD, "se_jobs,monteregie_est,beaucoup,count,,exact,false,003_56f2c147d3edd829.txt,S,"])
    with pytest.raises(SchemaError) as e:
        ed.load_indicators(p)
    assert e.value.line == 3 and e.value.field == "value"
    assert "ind.csv:3: [value]" in e.value.one_line()


def test_bad_unit_is_a_schema_error(tmp_path):
    p = _write(tmp_path, [GOOD, "x,quebec,1,furlongs,,exact,false,003_56f2c147d3edd829.txt,S,"])
    with pytest.raises(SchemaError) as e:
        ed.load_indicators(p)
    assert e.value.line == 3 and e.value.field == "unit"


def test_percentage_above_100_refused(tmp_path):
    p = _write(tmp_path, ["x,quebec,120,pct,,exact,false,003_56f2c147d3edd829.txt,S,"])
    with pytest.raises(SchemaError):
        ed.load_indicators(p)


def test_duplicate_key_refused(tmp_path):
    p = _write(tmp_path, [GOOD, GOOD])
    with pytest.raises(SchemaError, match="duplicate") as e:
        ed.load_indicators(p)
    assert e.value.line == 3


def test_missing_column(tmp_path):
    p = tmp_path / "ind.csv"
    p.write_text("indicator,scope\nx,quebec\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="missing columns"):
        ed.load_indicators(p)


def test_initiatives_table():
    ini = ed.load_initiatives()
    assert set(ini["initiative"]) == {"1.1", "1.2", "2.1", "2.2", "2.3", "suivi"}
    assert ini.loc[ini["indicator"] == "largest_cities_approached", "target"].item() == 10
