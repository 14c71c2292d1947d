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


GOOD = "se_jobs,quebec,220000,count,,exact,false,003_56f2c147d3edd829.txt,S,secondary_web_page,"


def test_text_in_value_names_line_and_column(tmp_path):
    bad = "se_jobs,monteregie_est,beaucoup,count,,exact,false,003_56f2c147d3edd829.txt,S,secondary_web_page,"
    p = _write(tmp_path, [GOOD, bad])
    with pytest.raises(SchemaError) as e:
        ed.load_indicators(p)
    assert e.value.line == 3 and e.value.field == "value"
    assert "ind.csv:3: [value]" in e.value.one_line()


def test_bad_unit_is_a_schema_error(tmp_path):
    p = _write(tmp_path, [GOOD, "x,quebec,1,furlongs,,exact,false,003_56f2c147d3edd829.txt,S,secondary_web_page,"])
    with pytest.raises(SchemaError) as e:
        ed.load_indicators(p)
    assert e.value.line == 3 and e.value.field == "unit"


def test_percentage_above_100_refused(tmp_path):
    p = _write(tmp_path, ["x,quebec,120,pct,,exact,false,003_56f2c147d3edd829.txt,S,secondary_web_page,"])
    with pytest.raises(SchemaError):
        ed.load_indicators(p)


def test_unknown_source_quality_names_line_and_column(tmp_path):
    p = _write(tmp_path, [GOOD, "x,quebec,1,count,,exact,false,002_f21945bfe187b534.txt,S,blog,"])
    with pytest.raises(SchemaError) as e:
        ed.load_indicators(p)
    assert (e.value.line, e.value.field) == (3, "source_quality") and "'blog'" in e.value.message


def test_every_row_is_graded_by_the_rule_of_the_readme(df):
    # the README's rule: seed 003 (an unsigned promotional page) is a secondary web page; 002 (government press
    # release), 004 (ministry document) and 000 (CQCM roadmap) are organisation reports, except the three figures
    # 000 attributes to MAPAQ's 2016 portrait of the next generation of farmers
    counts = df["source_quality"].value_counts().to_dict()
    assert counts == {"organisation_report": 45, "secondary_web_page": 28, "official_statistics": 3}
    assert set(df.loc[df["source_doc"].str.startswith("003"), "source_quality"]) == {"secondary_web_page"}
    assert set(df.loc[df["source_doc"].str.match("00[24]"), "source_quality"]) == {"organisation_report"}
    official = df[df["source_quality"] == "official_statistics"]
    assert official["source_section"].str.contains("MAPAQ").all()
    assert sorted(official["indicator"]) == ["farmer_mean_age", "farmer_mean_age", "farms_identified_successor_share"]


def test_quality_of_a_figure_is_its_best_source_and_of_a_computation_its_weakest(df):
    assert ed.indicator_quality(df, "se_enterprises", "monteregie_est") == "secondary_web_page"   # seed 003 only
    assert ed.indicator_quality(df, "se_enterprises", "quebec") == "organisation_report"          # 002 and 003
    assert ed.weakest_quality(["organisation_report", None, "official_statistics"]) == "organisation_report"
    assert ed.weakest_quality([None]) is None
    with pytest.raises(ParameterError):
        ed.weakest_quality(["rumour"])
    src = ed.indicator_sources(df, "se_enterprises", "quebec")
    assert src["source_doc"].str[:3].tolist() == ["002", "003"]
    assert src["year"].tolist()[0] == 2021 and pd.isna(src["year"].tolist()[1])


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
