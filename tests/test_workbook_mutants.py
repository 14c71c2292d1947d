"""Workbook-reading rules the mutants of issue 21 could break unnoticed: the layout's rows, each kind of cell and
each problem with its exact message, every cross-check at its threshold (n - 1, n, n + 1 dollars), the markers and
codes found in a sheet, the file errors, the statements and details built, and the seeded synthetic enterprise's
rules.

Everything is synthetic: the hand-made example of ``tests/fixtures/diagnostic/small_example.yaml`` (no real
enterprise), written here with openpyxl alone (markers, codes and values; no formatting), or values built in code.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import openpyxl
import pytest
import yaml
from openpyxl.packaging.custom import StringProperty

from analysis.core.errors import InputFormatError, ParameterError
from analysis.food import workbook as W

FIX = Path(__file__).parent / "fixtures" / "diagnostic"
TITLES = {"profile": "Profil", "year_1": "Année 1", "year_2": "Année 2", "year_3": "Année 3"}


def example_values() -> dict[str, dict[str, object]]:
    """The hand-made synthetic example: sheet code → line code → value (blank optional cells absent)."""
    return yaml.safe_load((FIX / "small_example.yaml").read_text(encoding="utf-8"))


def write_minimal(path: Path, values: dict[str, dict[str, object]], synthetic: str | None = None,
                  skip: tuple[str, ...] = ()) -> Path:
    """A bare workbook in the reader's layout: marker in A1, codes in A, values in C (rows of ``row_of``)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for code, title in TITLES.items():
        if code in skip:
            continue
        ws = wb.create_sheet(title)
        ws["A1"] = W.marker(code)
        for item in W.SHEET_LINES[code]:
            row = W.row_of(code, item.code)
            ws[f"A{row}"] = item.code
            if item.kind != "formula":
                ws[f"C{row}"] = values.get(code, {}).get(item.code)
    if synthetic is not None:
        wb.custom_doc_props.append(StringProperty(name=W.SYNTHETIC_PROPERTY, value=synthetic))
    wb.save(path)
    return path


def read_values(values: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    """The values as the reader returns them: every input line, NaN for a blank optional cell."""
    out = {}
    for sheet, lines in W.SHEET_LINES.items():
        out[sheet] = {i.code: values[sheet].get(i.code, math.nan) for i in lines if i.kind != "formula"}
    out["profile"]["legal_status"], out["profile"]["business_model"] = "cooperative", "hybrid"
    return out


def cells_of() -> dict[tuple[str, str], str]:
    return {(s, i.code): f"{TITLES[s]}!C{W.row_of(s, i.code)}" for s, lines in W.SHEET_LINES.items() for i in lines
            if i.kind != "formula"}


def cross(values: dict[str, dict[str, object]], tolerance: float = 0.01, cells: dict | None = None) -> list[W.Issue]:
    issues: list[W.Issue] = []
    W._cross_checks(TITLES, values, cells_of() if cells is None else cells, tolerance, issues)
    return issues


# --- layout -----------------------------------------------------------------------------------------------------------

def test_lines_markers_and_rows():
    assert W.line("net_assets").kind == "money_signed" and W.line("volunteers", "year_3").required is False
    assert W.line("name", "profile").kind == "text"
    with pytest.raises(KeyError, match="no line 'name' on sheet 'year_1'"):
        W.line("name")
    assert W.marker("year_2") == "vigie-diagnostic:year_2"
    # a heading row before each section: profile heading 4, lines 5-8; fiscal heading 4, year 5; income heading 6,
    # revenues 7-12, total 13; expenses heading 14, 15-18, totals 19-20; balance heading 21, 22-27; people heading
    # 28, 29-31; customers heading 32, 33-35
    assert [W.row_of("profile", c) for c in ("name", "founded_year", "legal_status", "business_model")] == [5, 6, 7, 8]
    assert [W.row_of("year_2", c) for c in ("year", "revenue_sales", "revenue_other", "total_revenue",
                                            "expense_cost_of_goods", "surplus", "current_assets", "balance_gap",
                                            "members", "customer_1", "customer_3")] == [
        5, 7, 12, 13, 15, 20, 22, 27, 29, 33, 35]
    with pytest.raises(KeyError, match="no line 'year' on sheet 'profile'"):
        W.row_of("profile", "year")


@pytest.mark.parametrize("value, expected", [
    (1, "wholesale"), (2.0, "direct"), (4, "other"), (5, None), (0, None), (-1, None), (True, None), (None, None),
    ("3 – Mixte", "hybrid"), (" 2", "direct"), ("1)", "wholesale"), ("1: gros", "wholesale"), ("2-x", "direct"),
    ("2—x", "direct"), ("2.5", "direct"), (2.5, "direct"), ("4 ", "other"), ("12", None), ("x1", None),
    ("1 x", None), ("", None), ("05", None),
])
def test_parse_choice(value, expected):
    assert W.parse_choice(value, W.BUSINESS_MODEL_CHOICES) == expected


# --- one cell ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, formula, kind, expected", [
    (None, "=A1", "money", (None, "formula_uncached")), (5, "=A1", "money", (5.0, None)),
    (None, None, "money", (None, "empty")), ("  ", None, "money", (None, "empty")),
    (None, 7, "money", (None, "empty")), (True, None, "integer", (None, "text")),
    (dt.datetime(2021, 1, 1), None, "year", (None, "date")), (dt.date(2021, 1, 1), None, "money", (None, "date")),
    (dt.time(12), None, "money", (None, "date")), (math.inf, None, "money", (None, "text")),
    (math.nan, None, "decimal", (None, "text")), (2.5, None, "integer", (None, "not_integer")),
    (2020.5, None, "year", (None, "not_integer")), (2.5, None, "decimal", (2.5, None)),
    (2.5, None, "money", (2.5, None)), (2020.0, None, "year", (2020.0, None)), ("12", None, "money", (None, "text")),
    (3, None, "integer", (3.0, None)), (0, None, "money", (0.0, None)),
])
def test_number_of_each_kind(raw, formula, kind, expected):
    assert W._number(raw, formula, kind) == expected


def read_cell(code: str, raw: object, sheet: str = "year_1", formula: object = None) -> tuple[object, list[W.Issue]]:
    issues: list[W.Issue] = []
    value = W._read_cell(W.line(code, sheet), raw, formula, "Feuille", "C9", issues)
    return value, issues


@pytest.mark.parametrize("code, raw, problem, message", [
    ("revenue_sales", None, "empty", "this cell is empty: enter the amount (0 if none)"),
    ("year", None, "empty_year", "this cell is empty: enter the year (four digits)"),
    ("members", None, "empty_count", "this cell is empty: enter the number (0 if none)"),
    ("employees", "", "empty_count", "this cell is empty: enter the number (0 if none)"),
    ("revenue_sales", "12 $", "text", "text '12 $' in a number cell: type the number alone (digits, no spaces, units "
                                      "or currency sign)"),
    ("expense_other", dt.date(2021, 5, 1), "date", "a date in a number cell: type the number alone"),
    ("members", 2.5, "not_integer", "2.5 is not a whole number: enter a whole number"),
    ("revenue_donations", -5, "negative_revenue", "negative revenue (-5): enter revenues as positive amounts (a loss "
                                                  "shows in the surplus line, not in revenues)"),
    ("expense_salaries", -5.5, "negative", "negative amount (-5.5): enter it as a positive amount"),
    ("members", -1, "negative", "negative amount (-1): enter it as a positive amount"),
    ("customer_1", -2, "negative", "negative amount (-2): enter it as a positive amount"),
    ("year", 1899, "year_range", "year 1899 is out of range: enter a four-digit year between 1900 and 2100"),
    ("year", 2101.0, "year_range", "year 2101 is out of range: enter a four-digit year between 1900 and 2100"),
])
def test_a_bad_cell_gives_one_issue_with_its_message(code, raw, problem, message):
    value, issues = read_cell(code, raw)
    assert value is None
    assert [(i.sheet, i.cell, i.code, i.problem, i.message) for i in issues] == [("Feuille", "C9", code, problem,
                                                                                   message)]


def test_the_formula_problem_message():
    value, issues = read_cell("revenue_other", None, formula="=B1*2")
    assert value is None and issues[0].problem == "formula_uncached"
    assert issues[0].message == ("this cell holds a formula whose result was never computed: open the workbook in "
                                 "your spreadsheet software and save it, or type the number")


@pytest.mark.parametrize("code, raw, expected, kind", [
    ("year", 1900, 1900, int), ("year", 2100.0, 2100, int), ("members", 7.0, 7, int), ("employees", 5.5, 5.5, float),
    ("revenue_sales", 0, 0.0, float), ("net_assets", -300, -300.0, float), ("volunteers", 3, 3, int),
])
def test_a_good_cell_and_its_type(code, raw, expected, kind):
    value, issues = read_cell(code, raw)
    assert issues == [] and value == expected and type(value) is kind


@pytest.mark.parametrize("code", ["volunteers", "customer_1", "customer_3"])
def test_a_blank_optional_cell_is_nan_without_issue(code):
    value, issues = read_cell(code, None)
    assert issues == [] and math.isnan(value)
    assert read_cell(code, "  ")[1] == []


def test_text_and_choice_cells():
    assert read_cell("name", "  Coop X ", "profile") == ("Coop X", [])
    assert read_cell("name", 12, "profile") == ("12", [])
    value, issues = read_cell("name", " ", "profile")
    assert value is None and [(i.problem, i.message) for i in issues] == [
        ("text_empty", "this cell is empty: enter the enterprise's name")]
    assert read_cell("legal_status", "2 – OBNL", "profile") == ("nonprofit", [])
    assert read_cell("business_model", 3, "profile") == ("hybrid", [])
    for raw in (None, "  "):
        value, issues = read_cell("legal_status", raw, "profile")
        assert value is None and [(i.cell, i.code, i.problem, i.message) for i in issues] == [
            ("C9", "legal_status", "empty", "this cell is empty: pick an answer from the drop-down list")]
    value, issues = read_cell("legal_status", "Mutuelle", "profile")
    assert value is None and [(i.code, i.problem, i.message) for i in issues] == [
        ("legal_status", "choice", "'Mutuelle' is not one of the list's answers: pick one from the drop-down list")]


# --- cross-checks -----------------------------------------------------------------------------------------------------

def test_the_hand_made_example_passes_every_cross_check():
    assert cross(read_values(example_values())) == []


def test_years_must_follow_each_other():
    v = read_values(example_values())
    v["year_3"]["year"] = 2024
    [issue] = cross(v)
    assert (issue.sheet, issue.cell, issue.code, issue.problem) == ("Année 3", "C5", "year", "year_order")
    assert issue.message == ("fiscal year 2024 does not follow 2022 (Année 2!C5): the three year sheets hold three "
                             "consecutive fiscal years, oldest first")
    v["year_3"]["year"] = 2022  # the same year again
    assert [i.problem for i in cross(v)] == ["year_order"]
    v["year_2"]["year"] = None  # unknown middle year: nothing to compare the third with
    assert cross(v) == []
    v = read_values(example_values())
    v["year_1"]["year"], v["year_2"]["year"], v["year_3"]["year"] = 2020, 2019, 2020
    # 2019 does not follow 2020; 2020 follows 2019 (each year is compared with the one before it)
    assert [(i.sheet, i.problem) for i in cross(v)] == [("Année 2", "year_order")]


def test_where_falls_back_to_the_sheet_title_then_its_code():
    v = read_values(example_values())
    v["year_3"]["year"] = 2024
    [issue] = cross(v, cells={})
    assert (issue.sheet, issue.cell) == ("Année 3", "") and "(Année 2!)" in issue.message
    issues: list[W.Issue] = []
    W._cross_checks({}, v, {}, 0.01, issues)
    assert (issues[0].sheet, issues[0].cell) == ("year_3", "") and "(year_2!)" in issues[0].message


def test_checks_skip_figures_that_were_not_read():
    """A founding year, a net assets figure or a first year left unread (None: its cell had a problem, already
    reported) is not compared with anything."""
    for sheet, code in (("profile", "founded_year"), ("year_1", "net_assets"), ("year_1", "total_liabilities"),
                        ("year_1", "year")):
        v = read_values(example_values())
        v[sheet][code] = None
        assert cross(v) == [], code


@pytest.mark.parametrize("founded, issues", [(2020, 0), (2021, 0), (2022, 1)])
def test_founded_after_the_first_year(founded, issues):
    v = read_values(example_values())
    v["profile"]["founded_year"] = founded
    found = cross(v)
    assert len(found) == issues
    if issues:
        assert (found[0].sheet, found[0].cell, found[0].code, found[0].problem) == ("Profil", "C6", "founded_year",
                                                                                   "founded_after")
        assert found[0].message == ("founded in 2022, after the first fiscal year (2021): check the founding year or "
                                    "the years of the statements")


def test_a_year_without_revenue():
    v = read_values(example_values())
    for code in W.REVENUE_LINES:
        v["year_2"][code] = 0.0
    for code in W.CUSTOMER_LINES:
        v["year_2"][code] = math.nan  # no sales: no main customer either
    [issue] = cross(v)
    assert (issue.sheet, issue.cell, issue.code, issue.problem) == ("Année 2", "C7", "revenue_sales", "no_revenue")
    assert issue.message == "total revenue of the year is zero: enter the year's revenues"
    v["year_2"]["revenue_other"] = 1.0  # one dollar of revenue is revenue
    assert cross(v) == []
    v["year_2"]["revenue_other"] = None  # a revenue line unread: no total to check
    assert cross(v) == []


def test_a_balance_sheet_without_assets():
    """Total assets 0: no assets, and the current assets (120 000) exceed it; the balance is not checked."""
    v = read_values(example_values())
    v["year_1"]["total_assets"] = 0.0
    issues = cross(v)
    assert [(i.cell, i.problem) for i in issues] == [("C23", "no_assets"), ("C22", "part_above_total")]
    assert issues[0].message == "total assets are zero: enter the total of the balance sheet"


@pytest.mark.parametrize("net_assets, tolerance, problem", [
    (117_000.0, 0.01, None), (116_999.0, 0.01, "3,001 (more than 3,000"), (123_001.0, 0.01, "-3,001 (more than 3,000"),
    (119_999.0, 0.0, None), (119_998.0, 0.0, "2 (more than 1"), (119_000.0, 0.005, None),
    (118_499.0, 0.005, "1,501 (more than 1,500"),
])
def test_balance_tolerance_at_its_limits(net_assets, tolerance, problem):
    """Year 1: assets 300 000 = liabilities 180 000 + equity 120 000; allowed gap max(1 $, tolerance × 300 000)."""
    v = read_values(example_values())
    v["year_1"]["net_assets"] = net_assets
    issues = cross(v, tolerance)
    if problem is None:
        assert issues == []
        return
    [issue] = issues
    assert (issue.sheet, issue.cell, issue.code, issue.problem) == ("Année 1", "C23", "total_assets", "unbalanced")
    assert issue.message == (f"the balance sheet does not balance: total assets (C23) 300,000 ≠ liabilities (C25) "
                             f"180,000 + equity (C26) {net_assets:,.0f}, a gap of {problem} allowed): copy the three "
                             "totals from the same balance sheet")


@pytest.mark.parametrize("part, whole_cell, total", [("current_assets", "C23", 300_000.0),
                                                     ("current_liabilities", "C25", 180_000.0)])
def test_a_current_part_above_its_total(part, whole_cell, total):
    v = read_values(example_values())
    v["year_1"][part] = total + 1  # one dollar over: rounding, accepted
    assert cross(v) == []
    v["year_1"][part] = total + 2
    [issue] = cross(v)
    words = part.replace("_", " ")
    assert (issue.sheet, issue.cell, issue.code, issue.problem) == (
        "Année 1", f"C{W.row_of('year_1', part)}", part, "part_above_total")
    assert issue.message == (f"{words} ({total + 2:,.0f}) exceed total {words.split()[1]} ({whole_cell}, "
                             f"{total:,.0f}): the current part is included in the total")


def test_main_customers_above_the_sales():
    """Year 1 sales 400 000; customer 3 blank: customers 1 and 2 may sum to 400 001 (rounding), not 400 002."""
    v = read_values(example_values())
    v["year_1"]["customer_3"] = math.nan
    v["year_1"]["customer_2"] = 60_000.0
    v["year_1"]["customer_1"] = 340_001.0
    assert cross(v) == []
    v["year_1"]["customer_1"] = 340_002.0
    [issue] = cross(v)
    assert (issue.sheet, issue.cell, issue.code, issue.problem) == ("Année 1", "C34", "customer_2",
                                                                   "customers_above_sales")
    assert issue.message == ("sales to the main customers (400,002) exceed the year's sales (C7, 400,000): enter "
                             "each customer's sales of that year")
    v["year_1"]["revenue_sales"] = None  # sales unread: nothing to compare with
    assert cross(v) == []


# --- sheets -----------------------------------------------------------------------------------------------------------

def test_sheets_are_found_by_their_first_marker():
    wb = openpyxl.Workbook()
    wb.active.title = "A"
    wb["A"]["A1"] = W.marker("profile")
    for title, mark in (("B", W.marker("profile")), ("C", 5), ("D", "other:year_1"), ("E", W.marker("year_1"))):
        wb.create_sheet(title)["A1"] = mark
    assert W._find_sheets(wb) == {"profile": "A", "year_1": "E"}


def test_a_sheet_read_by_its_codes():
    """Codes with spaces are found, the first row of a repeated code wins, formula lines are never required."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A5"], ws["C5"] = " name ", "Coop"
    ws["A9"], ws["C9"] = "name", "Other"
    ws["A7"], ws["C7"] = "legal_status", "2 – OBNL"
    ws["A8"], ws["C8"] = "business_model", 4
    ws["A10"] = "   "
    issues: list[W.Issue] = []
    cells: dict = {}
    out = W._read_sheet("profile", "Profil", ws, ws, issues, cells)
    assert out == {"name": "Coop", "founded_year": None, "legal_status": "nonprofit", "business_model": "other"}
    assert cells == {("profile", "name"): "Profil!C5", ("profile", "legal_status"): "Profil!C7",
                     ("profile", "business_model"): "Profil!C8"}
    assert [(i.sheet, i.cell, i.code, i.problem, i.message) for i in issues] == [
        ("Profil", "", "founded_year", "missing_line",
         "line 'founded_year' is missing from this sheet (no such code in column A): start again from a fresh copy of "
         "the blank workbook (data/raw/food_cases/) and copy your figures into it")]


def test_a_year_sheet_reads_values_and_formulas_from_their_own_books():
    values_wb, formulas_wb = openpyxl.Workbook(), openpyxl.Workbook()
    for item in W.YEAR_LINES:
        if item.kind == "formula":
            continue  # formula codes absent: not a missing line
        row = W.row_of("year_1", item.code)
        for ws in (values_wb.active, formulas_wb.active):
            ws[f"A{row}"] = item.code
        values_wb.active[f"C{row}"] = 2021 if item.code == "year" else 1
    formulas_wb.active["C7"] = "=C8"
    values_wb.active["C7"] = None  # revenue_sales: a formula never computed
    issues: list[W.Issue] = []
    out = W._read_sheet("year_1", "Année 1", formulas_wb.active, values_wb.active, issues, {})
    assert [(i.cell, i.problem) for i in issues] == [("C7", "formula_uncached")]
    assert out["year"] == 2021 and out["revenue_sales"] is None and out["employees"] == 1.0


# --- whole files ------------------------------------------------------------------------------------------------------

def test_a_minimal_workbook_reads_into_statements_and_details(tmp_path):
    """Hand computation: public grants are mission + project grants (60 000 + 20 000 each year)."""
    path = write_minimal(tmp_path / "mini.xlsx", example_values())
    issues, raw = W.check_workbook(path)
    assert issues == [] and raw["is_synthetic"] is False
    assert raw["sheets"] == {"profile": "Profil", "year_1": "Année 1", "year_2": "Année 2", "year_3": "Année 3"}
    assert sorted(raw) == ["cells", "is_synthetic", "sheets", "values"]
    filled = W.read_workbook(path)
    assert filled.profile == W.Profile("Exemple fictif (données synthétiques)", 2015, "cooperative", "hybrid")
    assert filled.years == [2021, 2022, 2023] and filled.source == "mini.xlsx" and filled.is_synthetic is False
    s = filled.statements
    assert s["revenue_public_grants"].tolist() == [80_000.0] * 3
    assert s["revenue_sales"].tolist() == [400_000.0, 450_000.0, 500_000.0]
    assert s["enterprise"].tolist() == ["Exemple fictif (données synthétiques)"] * 3
    assert s["net_assets"].tolist() == [120_000.0, 130_000.0, 150_000.0]
    assert s["expense_other"].tolist() == [50_000.0, 60_000.0, 65_000.0]
    d = filled.details
    assert d.columns.tolist() == list(W.DETAIL_COLUMNS) and d.index.tolist() == [0, 1, 2]
    assert d["year"].tolist() == [2021, 2022, 2023] and d["year"].dtype.kind == "i"
    assert d["grants_mission"].tolist() == [60_000.0] * 3 and d["grants_project"].tolist() == [20_000.0] * 3
    assert d["employees"].tolist() == [5.0, 5.5, 6.0] and d["employees"].dtype == float
    assert d["volunteers"].tolist()[:2] == [10.0, 12.0] and math.isnan(d["volunteers"].iloc[2])
    assert d["customer_1"].tolist() == [100_000.0, 90_000.0, 150_000.0]
    assert filled.cells[("year_1", "revenue_sales")] == "Année 1!C7"
    assert filled.cells[("profile", "name")] == "Profil!C5"


@pytest.mark.parametrize("value, synthetic", [("true", True), ("TRUE", True), ("false", False), ("yes", False)])
def test_the_synthetic_property(tmp_path, value, synthetic):
    path = write_minimal(tmp_path / "mini.xlsx", example_values(), synthetic=value)
    assert W.check_workbook(path)[1]["is_synthetic"] is synthetic
    filled = W.read_workbook(path)
    assert filled.is_synthetic is synthetic and filled.statements["is_synthetic"].tolist() == [synthetic] * 3


def test_a_missing_sheet_stops_the_cross_checks(tmp_path):
    values = example_values()
    values["year_3"]["year"] = 2030  # would be out of order, but the checks across sheets are not run
    path = write_minimal(tmp_path / "mini.xlsx", values, skip=("year_2",))
    issues, raw = W.check_workbook(path)
    assert [(i.sheet, i.cell, i.code, i.problem, i.message) for i in issues] == [
        ("year_2", "", "", "missing_sheet", "the sheet 'year_2' is missing (no sheet has 'vigie-diagnostic:year_2' in "
                                            "A1): start again from a fresh copy of the blank workbook "
                                            "(data/raw/food_cases/)")]
    assert raw["values"]["year_2"] == {} and raw["values"]["year_3"]["year"] == 2030
    with pytest.raises(W.WorkbookError) as err:
        W.read_workbook(path)
    assert err.value.path == "mini.xlsx" and err.value.field == "year_2"


def test_cross_checks_run_with_the_given_tolerance(tmp_path):
    values = example_values()
    values["year_1"]["net_assets"] = 118_500  # gap 1 500: within 1 % (3 000), beyond 0.4 % (1 200)
    path = write_minimal(tmp_path / "mini.xlsx", values)
    assert W.check_workbook(path)[0] == [] and W.check_workbook(path, 0.01)[0] == []
    assert [i.problem for i in W.check_workbook(path, 0.004)[0]] == ["unbalanced"]
    with pytest.raises(W.WorkbookError):
        W.read_workbook(path, balance_tolerance=0.004)


def test_file_errors(tmp_path):
    with pytest.raises(InputFormatError) as err:
        W.check_workbook(tmp_path / "absent.xlsx")
    assert err.value.message == ("file not found: copy the blank workbook (data/raw/food_cases/diagnostic_workbook_fr"
                                 ".xlsx) and fill it in") and err.value.path == "absent.xlsx"
    for name, got in (("old.xls", "a .xls"), ("bare", "a file without extension")):
        (tmp_path / name).write_bytes(b"x")
        with pytest.raises(InputFormatError) as err:
            W.check_workbook(tmp_path / name)
        assert err.value.message == (f"expected an .xlsx workbook, got {got}: save it as an Excel workbook (.xlsx) in "
                                     "your spreadsheet software")
    (tmp_path / "upper.XLSX").write_bytes(b"not a zip")
    with pytest.raises(InputFormatError) as err:
        W.check_workbook(str(tmp_path / "upper.XLSX"))
    assert err.value.message == "cannot read the workbook (BadZipFile): save it again as .xlsx"
    assert err.value.path == "upper.XLSX"


@pytest.mark.parametrize("tolerance, match", [(0.02, r"expected at most 0\.01 \(the statements schema's tolerance\), "
                                                     r"got 0\.02"),
                                              (0.0101, "got 0.0101"), (-0.001, "zero or more"), ("1", "finite")])
def test_balance_tolerance_checked_before_the_file(tmp_path, tolerance, match):
    with pytest.raises(ParameterError, match=match) as err:
        W.check_workbook(tmp_path / "absent.xlsx", balance_tolerance=tolerance)
    assert err.value.field == "balance_tolerance"


# --- errors -----------------------------------------------------------------------------------------------------------

def test_workbook_error_names_the_first_issue_and_counts_the_others():
    one = W.Issue("Année 1", "C7", "revenue_sales", "text", "m1")
    two = W.Issue("year_2", "", "", "missing_sheet", "m2")
    e = W.WorkbookError([one], "f.xlsx")
    assert (e.message, e.field, e.path, e.issues) == ("m1", "Année 1!C7", "f.xlsx", [one])
    e = W.WorkbookError([one, two, two], "f.xlsx")
    assert e.message == "m1 (+2 other problem(s))"
    assert e.lines() == ["f.xlsx: [Année 1!C7] m1", "f.xlsx: [year_2] m2", "f.xlsx: [year_2] m2"]
    assert two.where() == "year_2" and one.where() == "Année 1!C7"


# --- the synthetic enterprise -----------------------------------------------------------------------------------------

SEEDS = range(20)


def test_synthetic_values_are_seeded_and_follow_their_rules():
    """The rules of the generator's code, checked on 20 seeds (fictitious enterprises)."""
    assert W.synthetic_values(3) == W.synthetic_values(3) and W.synthetic_values(3) != W.synthetic_values(4)
    founded = [W.synthetic_values(seed, first_year=2010)[("profile", "founded_year")] for seed in range(100)]
    assert 2010 - 24 <= min(founded) and max(founded) <= 2010 - 2
    for seed in SEEDS:
        v = W.synthetic_values(seed, first_year=2010)
        assert v[("profile", "name")] == "Fictitious co-operative (synthetic data)"
        assert v[("profile", "legal_status")] == 1 and v[("profile", "business_model")] in (1, 2, 3)
        assert len(v) == 4 + 3 * sum(1 for i in W.YEAR_LINES if i.kind != "formula")
        for k, sheet in enumerate(W.YEAR_SHEETS):
            y = {code: value for (s, code), value in v.items() if s == sheet}
            assert y["year"] == 2010 + k
            assert y["members"] == v[("year_1", "members")] + 20 * k and 50 <= v[("year_1", "members")] < 3000
            assert y["employees"] == v[("year_1", "employees")] + k and 2 <= v[("year_1", "employees")] < 30
            assert 0 <= y["volunteers"] < 60 and isinstance(y["volunteers"], int)
            assert y["total_liabilities"] + y["net_assets"] == y["total_assets"]
            revenue = sum(y[c] for c in W.REVENUE_LINES)
            assert 0.4 * revenue - 1 <= y["total_assets"] <= 0.9 * revenue + 1
            assert 0.4 * y["total_assets"] - 1 <= y["current_assets"] <= 0.8 * y["total_assets"] + 1
            assert 0.4 * y["total_liabilities"] - 1 <= y["current_liabilities"] <= 0.9 * y["total_liabilities"] + 1
            assert 0.1 * y["total_assets"] - 1 <= y["net_assets"] <= 0.6 * y["total_assets"] + 1
            assert 0.55 * y["revenue_sales"] - 1 <= y["expense_cost_of_goods"] <= 0.75 * y["revenue_sales"] + 1
            expenses = sum(y[c] for c in W.EXPENSE_LINES)
            assert 0.05 * expenses - 2 <= y["expense_administration"] <= 0.15 * expenses + 2
            rest = expenses - y["expense_cost_of_goods"] - y["expense_administration"]
            assert abs(y["expense_salaries"] - 0.8 * rest) <= 2
            customers = [y[c] for c in W.CUSTOMER_LINES]
            assert customers == sorted(customers, reverse=True) and sum(customers) <= y["revenue_sales"]
            assert all(isinstance(y[c], float) for c in (*W.REVENUE_LINES, *W.EXPENSE_LINES, "total_assets"))
        values = {"profile": {}, **{s: {} for s in W.YEAR_SHEETS}}
        for (s, code), value in v.items():
            values[s][code] = value
        assert cross(read_values(values)) == []


def test_synthetic_values_scale_growth_and_mix():
    """Over 20 seeds: revenue of year 1 near e^13 ≈ 442 000 $ (median between 250 000 and 800 000), growth near 5 %
    a year (mean between 0 and 10 %), sales the largest revenue line (mean share 6 / 9.8 ≈ 61 %), a surplus near 1 %
    of revenue (mean between -3 and 5 %); over 200 seeds the three main customers buy 6 / 10 of the sales on average
    (Dirichlet weights 3, 2, 1 of 10; mean between 58 and 62 %)."""
    first, growth, share, surplus, customers = [], [], [], [], []
    for seed in range(200):
        v = W.synthetic_values(seed)
        totals = [sum(v[(s, c)] for c in W.REVENUE_LINES) for s in W.YEAR_SHEETS]
        customers += [sum(v[(s, c)] for c in W.CUSTOMER_LINES) / v[(s, "revenue_sales")] for s in W.YEAR_SHEETS]
        if seed >= len(SEEDS):
            continue
        first.append(totals[0])
        growth.append(totals[1] / totals[0] - 1)
        share.append(v[("year_1", "revenue_sales")] / totals[0])
        surplus += [1 - sum(v[(s, c)] for c in W.EXPENSE_LINES) / t for s, t in zip(W.YEAR_SHEETS, totals, strict=True)]
    assert 250_000 <= np.median(first) <= 800_000
    assert 0.0 <= np.mean(growth) <= 0.10
    assert 0.50 <= np.mean(share) <= 0.72
    assert -0.03 <= np.mean(surplus) <= 0.05
    assert 0.58 <= np.mean(customers) <= 0.62
