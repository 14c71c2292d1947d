"""Indicator-table rules the mutants of issue 21 could break unnoticed: every parse of a number, a year and a
true/false flag (with its line and column), the text kept as text, the duplicate key, the errors' messages, the
lookups by scope and year, source grades, and the initiatives table.

Synthetic tables written in ``tmp_path`` (invented indicator codes and values; the seed file names only satisfy the
schema's pattern). The shipped tables are read where a figure of theirs is asserted.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.core.errors import DataIntegrityError, ParameterError, SchemaError
from analysis.ecosystem import indicators as ed

DOC2, DOC3 = "002_f21945bfe187b534.txt", "003_56f2c147d3edd829.txt"


def row(indicator: str = "x_count", scope: str = "quebec", value: str = "10", unit: str = "count", year: str = "",
        qualifier: str = "exact", approximate: str = "false", source_doc: str = DOC3, section: str = "S",
        quality: str = "secondary_web_page", notes: str = "") -> str:
    """One synthetic CSV row of the indicators table."""
    return ",".join([indicator, scope, value, unit, year, qualifier, approximate, source_doc, section, quality, notes])


def write(tmp_path: Path, rows: list[str], header: list[str] = ed.COLUMNS, name: str = "ind.csv") -> Path:
    p = tmp_path / name
    p.write_text("\n".join([",".join(header)] + rows) + "\n", encoding="utf-8")
    return p


def refused(path: Path, match: str = "") -> SchemaError:
    """The SchemaError of loading ``path``, its message (without file and line) searched for ``match``."""
    with pytest.raises(SchemaError) as err:
        ed.load_indicators(path)
    assert re.search(match, err.value.message), err.value.message
    return err.value


# --- numbers, years and flags ---------------------------------------------------------------------------------------

def test_numbers_years_and_flags_are_parsed(tmp_path):
    p = write(tmp_path, [row("a", value=" 12 ", year="2021", approximate="TRUE"),
                         row("b", value="1e3", year="2020.0", approximate=" 0 "),
                         row("c", value="2.5", year=" ", approximate="1"),
                         row("d", value="0", year="1999", approximate="False")])
    df = ed.load_indicators(p)
    assert df["value"].tolist() == [12.0, 1000.0, 2.5, 0.0] and df["value"].dtype == "float64"
    assert str(df["year"].dtype) == "Int64"
    assert df["year"].tolist()[:2] == [2021, 2020] and pd.isna(df["year"].iloc[2]) and df["year"].iloc[3] == 1999
    assert df["approximate"].tolist() == [True, False, True, False] and df["approximate"].dtype == bool


@pytest.mark.parametrize("value", ["", "  ", "beaucoup", "12 $"])
def test_a_value_that_is_not_a_number_names_its_line(tmp_path, value):
    e = refused(write(tmp_path, [row("a"), row("b"), row("c", value=value)]),
                rf"^not a number: {re.escape(repr(value))}$")
    assert (e.path, e.line, e.field) == ("ind.csv", 4, "value")


def test_a_year_that_is_not_a_number_names_its_line(tmp_path):
    e = refused(write(tmp_path, [row("a"), row("b", year="vers 2020")]), r"^not a number: 'vers 2020'$")
    assert (e.line, e.field) == (3, "year")


@pytest.mark.parametrize("year, line", [("2020.5", 3), ("2021.25", 3)])
def test_a_fractional_year_is_refused(tmp_path, year, line):
    e = refused(write(tmp_path, [row("a", year="2021"), row("b", year=year)]),
                rf"^a year must be a whole number: {year!r}$")
    assert (e.path, e.line, e.field) == ("ind.csv", line, "year")


@pytest.mark.parametrize("flag", ["yes", "", "2", "vrai"])
def test_a_flag_that_is_not_true_or_false_names_its_line(tmp_path, flag):
    e = refused(write(tmp_path, [row("a", approximate="true"), row("b", approximate=flag)]),
                rf"^expected true or false, got {flag!r}$")
    assert (e.path, e.line, e.field) == ("ind.csv", 3, "approximate")


# --- text stays text ------------------------------------------------------------------------------------------------

def test_text_is_stripped_and_never_read_as_a_number_or_missing(tmp_path):
    """'null' and 'nan' are codes, '2021' and 'NA' are notes: read as written (no pandas NA guessing)."""
    p = write(tmp_path, [row(" null ", scope=" quebec ", unit=" pct ", qualifier=" about ", section=" Sec 1 ",
                             quality=" organisation_report ", notes=" 2021 "),
                         row("nan", notes="NA"), row("n_a", notes="  ")])
    df = ed.load_indicators(p)
    assert df["indicator"].tolist() == ["null", "nan", "n_a"]
    assert df.loc[0, ["scope", "unit", "qualifier", "source_section", "source_quality"]].tolist() == [
        "quebec", "pct", "about", "Sec 1", "organisation_report"]
    assert df["notes"].tolist() == ["2021", "NA", None]


def test_layout_of_the_loaded_table(tmp_path):
    p = write(tmp_path, [row("a"), row("b"), row("c")])
    df = ed.load_indicators(p)
    assert df.columns.tolist() == ["source_line", *ed.COLUMNS]
    assert df["source_line"].tolist() == [2, 3, 4] and df.index.tolist() == [0, 1, 2]
    assert df.attrs == {"path": str(p.resolve())}
    assert ed.load_indicators().attrs == {"path": "data/raw/ecosystem/indicators.csv"}


def test_columns_in_another_order_are_put_in_order(tmp_path):
    header = list(reversed(ed.COLUMNS))
    fields = row("a", value="7").split(",")
    p = write(tmp_path, [",".join(reversed(fields))], header=header)
    df = ed.load_indicators(p)
    assert df.columns.tolist() == ["source_line", *ed.COLUMNS] and df["value"].tolist() == [7.0]


# --- file errors ----------------------------------------------------------------------------------------------------

def test_file_absent_not_utf8_missing_and_extra_columns(tmp_path):
    e = refused(tmp_path / "absent.csv", r"^indicators file not found$")
    assert e.path == "absent.csv"
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"indicator\n\xe9t\xe9\n")  # Latin-1 é
    # pandas gives the offset inside its decoding buffer, not in the file (here 0 for file byte 10)
    e = refused(latin, r"^not UTF-8 \(byte \d+\)$")
    assert e.path == "latin.csv"
    e = refused(write(tmp_path, [], header=["indicator", "scope", "value", "unit", "approximate", "source_doc",
                                            "source_section", "source_quality", "notes"]),
                r"^missing columns: year, qualifier$")
    assert (e.field, e.path) == ("year", "ind.csv")
    e = refused(write(tmp_path, [row() + ",1,2"], header=[*ed.COLUMNS, "extra", "other"]),
                r"^unexpected columns: extra, other$")
    assert (e.field, e.path) == ("extra", "ind.csv")


def test_schema_refusals_name_check_value_line_and_column(tmp_path):
    e = refused(write(tmp_path, [row("a"), row("b", unit="furlongs")]), r"^value refused by the schema \(isin")
    assert e.message.endswith(": 'furlongs'") and (e.path, e.line, e.field) == ("ind.csv", 3, "unit")
    e = refused(write(tmp_path, [row("a"), row("b"), row("c", value="120", unit="pct")]),
                r"^value refused by the schema \(a percentage is above 100\): ")
    assert (e.path, e.line) == ("ind.csv", 4)  # a check of the whole row: pandera reports its first column
    e = refused(write(tmp_path, [row("a", year="1899")]),
                r"^value refused by the schema \(in_range\(1900, 2100\)\): .*1899")
    assert (e.line, e.field) == (2, "year")


def test_duplicate_key_is_indicator_scope_year_and_document(tmp_path):
    """Rows differing by scope, year or document are distinct; the third row repeats the first (line 4)."""
    ok = [row("a"), row("a", scope="monteregie"), row("a", year="2020"), row("a", source_doc=DOC2,
                                                                              quality="organisation_report")]
    assert len(ed.load_indicators(write(tmp_path, ok))) == 4
    e = refused(write(tmp_path, [row("a"), row("b"), row("a", value="11")]), r"^duplicate indicator: a / quebec$")
    assert (e.path, e.line, e.field) == ("ind.csv", 4, "indicator")


# --- lookups ----------------------------------------------------------------------------------------------------------

@pytest.fixture()
def table(tmp_path) -> pd.DataFrame:
    """Synthetic: 'jobs' in two scopes; 'sales' in quebec twice (2019: 5, 2020: 3, two documents); 'rate' and 'mix'
    from two documents that agree, 'mix' best graded in the later document."""
    return ed.load_indicators(write(tmp_path, [
        row("jobs", value="100", quality="secondary_web_page"),
        row("jobs", scope="monteregie", value="40"),
        row("sales", value="5", year="2019", source_doc=DOC3, quality="secondary_web_page"),
        row("sales", value="3", year="2020", source_doc=DOC2, quality="organisation_report"),
        row("rate", value="7", year="2020", source_doc=DOC3, quality="secondary_web_page"),
        row("rate", value="7", year="2020", source_doc=DOC2, quality="official_statistics"),
        row("mix", value="1", source_doc=DOC2, quality="secondary_web_page"),
        row("mix", value="1", source_doc=DOC3, quality="official_statistics"),
    ]))


def test_get_indicator_by_scope_and_year(table):
    assert ed.get_indicator(table, "jobs", "monteregie") == 40.0
    assert type(ed.get_indicator(table, "jobs", "quebec")) is float
    assert ed.get_indicator(table, "sales", year=2019) == 5.0 and ed.get_indicator(table, "sales", "quebec", 2020) == 3
    assert ed.get_indicator(table, "rate") == 7.0  # two sources that agree


def test_several_values_are_listed_sorted_with_the_table_path(table, tmp_path):
    with pytest.raises(DataIntegrityError, match=r"indicator 'sales' has several values \(3\.0, 5\.0\) depending "
                                                 r"on the source or the year: give scope or year$") as err:
        ed.get_indicator(table, "sales", "quebec")
    assert (err.value.path, err.value.field) == (str((tmp_path / "ind.csv").resolve()), "value")
    bare = table.copy()
    bare.attrs = {}
    with pytest.raises(DataIntegrityError) as err:
        ed.get_indicator(bare, "jobs")
    assert err.value.path == "data/raw/ecosystem/indicators.csv"
    assert "(40.0, 100.0)" in err.value.message


def test_no_matching_row_names_what_was_asked(table):
    cases = [(("nope",), r"] indicator 'nope' is not in the indicators table$"),
             (("jobs", "laurentides"), r"] indicator 'jobs' \(scope laurentides\) is not in the indicators table$"),
             (("sales", None, 2018), r"] indicator 'sales' \(year 2018\) is not in the indicators table$"),
             (("sales", "quebec", 0), r"] indicator 'sales' \(scope quebec\) \(year 0\) is not in the indicators"),
             (("jobs", ""), r"] indicator 'jobs' is not in the indicators table$")]
    for args, match in cases:
        with pytest.raises(ParameterError, match=match) as err:
            ed.get_indicator(table, *args)
        assert err.value.field == "indicator"


def test_arguments_of_the_lookups_are_checked(table):
    with pytest.raises(ParameterError, match=r"indicator, scope, year, value.*load it with "
                                             r"ecosystem\.load_indicators\(\)") as err:
        ed.get_indicator(table.drop(columns="year"), "jobs")
    assert err.value.field == "indicators"
    for call in (lambda: ed.get_indicator(table, 3), lambda: ed.indicator_quality(table, 3),
                 lambda: ed.indicator_sources(table, 3)):
        with pytest.raises(ParameterError, match="expected a str") as err:
            call()
        assert err.value.field == "name"
    with pytest.raises(ParameterError, match="source_quality.*load_indicators") as err:
        ed.indicator_quality(table.drop(columns="source_quality"), "jobs")
    assert err.value.field == "indicators"
    with pytest.raises(ParameterError, match="source_doc.*load_indicators") as err:
        ed.indicator_sources(table.drop(columns="source_doc"), "jobs")
    assert err.value.field == "indicators"
    with pytest.raises(ParameterError, match="load_indicators") as err:
        ed.scopes([1, 2])
    assert err.value.field == "indicators"


def test_quality_is_the_best_grade_of_the_matching_rows(table):
    assert ed.indicator_quality(table, "rate") == "official_statistics"
    assert ed.indicator_quality(table, "sales", year=2020) == "organisation_report"
    assert ed.indicator_quality(table, "sales", year=2019) == "secondary_web_page"
    assert ed.indicator_quality(table, "sales") == "organisation_report"
    with pytest.raises(ParameterError, match=r"\(scope gaspesie\)"):
        ed.indicator_quality(table, "jobs", "gaspesie")


def test_sources_best_grade_first_then_document(table):
    src = ed.indicator_sources(table, "rate")
    assert src.columns.tolist() == ["source_doc", "year", "source_quality", "value"]
    assert src.values.tolist() == [[DOC2, 2020, "official_statistics", 7.0], [DOC3, 2020, "secondary_web_page", 7.0]]
    src = ed.indicator_sources(table, "jobs")  # same grade: by document; both scopes without a scope
    assert src["value"].tolist() == [100.0, 40.0] and src.index.tolist() == [0, 1]
    assert ed.indicator_sources(table, "jobs", "monteregie")["value"].tolist() == [40.0]
    assert ed.indicator_sources(table, "mix")["source_doc"].tolist() == [DOC3, DOC2]  # the grade before the name


def test_scopes_sorted(table):
    assert ed.scopes(table) == ["monteregie", "quebec"] and type(ed.scopes(table)) is list
    assert ed.scopes(ed.load_indicators()) == ["monteregie", "monteregie_est", "quebec"]


# --- source grades ----------------------------------------------------------------------------------------------------

def test_require_quality_names_the_argument():
    assert ed.require_quality("organisation_report") == "organisation_report"
    with pytest.raises(ParameterError, match=r"unknown source quality 'blog'; expected one of official_statistics, "
                                             r"organisation_report, secondary_web_page$") as err:
        ed.require_quality("blog", "grade")
    assert err.value.field == "grade"
    with pytest.raises(ParameterError, match="expected a str") as err:
        ed.require_quality(3)
    assert err.value.field == "quality"


def test_weakest_quality_of_each_kind():
    assert ed.weakest_quality(["official_statistics", "organisation_report"]) == "organisation_report"
    assert ed.weakest_quality(("secondary_web_page", "official_statistics", None)) == "secondary_web_page"
    assert ed.weakest_quality(q for q in ["official_statistics"]) == "official_statistics"
    assert ed.weakest_quality([]) is None
    for bad, name in (("organisation_report", "str"), (b"x", "bytes"), (3, "int")):
        with pytest.raises(ParameterError, match=rf"expected a list of source qualities, got {name}$") as err:
            ed.weakest_quality(bad)
        assert err.value.field == "qualities"
    with pytest.raises(ParameterError, match="unknown source quality 'rumour'") as err:
        ed.weakest_quality([None, "rumour"])
    assert err.value.field == "qualities"


# --- initiatives --------------------------------------------------------------------------------------------------

def write_initiatives(tmp_path: Path, targets: list[str], extra: bool = False) -> Path:
    """Synthetic initiatives: one row per target, the last one the follow-up ('suivi')."""
    header = ed.INITIATIVE_COLUMNS + (["comment"] if extra else [])
    rows = []
    for i, t in enumerate(targets):
        initiative = "suivi" if i == len(targets) - 1 else f"1.{i}"
        rows.append(",".join([initiative, "1", "Label", f"ind_{i}", "libellé", "count", t, "Axe 1"]
                             + (["note"] if extra else [])))
    p = tmp_path / "ini.csv"
    p.write_text("\n".join([",".join(header)] + rows) + "\n", encoding="utf-8")
    return p


def test_initiatives_targets_extra_columns_and_count(tmp_path):
    ini = ed.load_initiatives(write_initiatives(tmp_path, ["10", "", " 2.5", "0"], extra=True))
    assert ini.columns.tolist() == ed.INITIATIVE_COLUMNS  # the extra column is left out
    assert ini["target"].tolist()[:1] == [10.0] and pd.isna(ini["target"].iloc[1])
    assert ini["target"].tolist()[2:] == [2.5, 0.0] and ini["target"].dtype == "float64"
    assert ini.attrs == {"path": str((tmp_path / "ini.csv").resolve())}
    assert ed.count_initiative_indicators(ini) == 3  # four rows, one of them the follow-up
    assert ed.count_initiative_indicators(ed.load_initiatives()) == 12
    assert ed.load_initiatives().attrs == {"path": "data/raw/ecosystem/procurement_initiatives.csv"}


def test_initiatives_errors(tmp_path):
    with pytest.raises(SchemaError, match=r"target is not a number: 'dix'$") as err:
        ed.load_initiatives(write_initiatives(tmp_path, ["1", "2", "dix", ""]))
    assert (err.value.path, err.value.line, err.value.field) == ("ini.csv", 4, "target")
    with pytest.raises(SchemaError, match=r"initiatives file not found$"):
        ed.load_initiatives(tmp_path / "none.csv")
    with pytest.raises(ParameterError, match=r"initiative, indicator.*load it with ecosystem\.load_initiatives\(\)") \
            as err:
        ed.count_initiative_indicators(pd.DataFrame({"initiative": ["1.1"]}))
    assert err.value.field == "initiatives"
