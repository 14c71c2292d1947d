"""The viability-diagnostic workbook: written reproducibly, locked and validated, read back with one line per bad cell.

Every workbook read here is written at test time by the project's code from synthetic values (the hand-made
tests/fixtures/diagnostic/small_example.yaml or analysis.food.workbook.synthetic_values(seed)) and marked as
fictitious; no real enterprise is involved.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from analysis.cli import main
from analysis.core.errors import InputFormatError, ParameterError
from analysis.food import ratios
from analysis.food import workbook as layout
from analysis.report import workbook as writer
from analysis.report.labels import t

FIX = Path(__file__).parent / "fixtures" / "diagnostic"


def example_values() -> dict[tuple[str, str], object]:
    """The hand-made example as writer values ``{(sheet code, line code): value}`` (synthetic)."""
    data = yaml.safe_load((FIX / "small_example.yaml").read_text(encoding="utf-8"))
    return {(sheet, code): value for sheet, lines in data.items() for code, value in lines.items()}


@pytest.fixture()
def example(tmp_path) -> Path:
    return writer.write_workbook(tmp_path / "exemple.xlsx", "fr", example_values(), synthetic=True)


def edit(path: Path, sheet: str, cell: str, value: object) -> Path:
    """Change one cell the way a user would (openpyxl keeps validations, protection and properties)."""
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)
    return path


def only_issue(path: Path) -> layout.Issue:
    issues, _ = layout.check_workbook(path)
    assert len(issues) == 1, [i.where() + " " + i.message for i in issues]
    return issues[0]


# --------------------------------------------------------------------------------------------------- writing


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_committed_workbook_is_current(lang):
    committed = writer.committed_path(lang)
    assert committed.read_bytes() == writer.workbook_bytes(lang), (
        f"{committed.name} is stale: rewrite it with analysis.report.workbook.write_workbook(committed_path("
        f"'{lang}'), '{lang}', overwrite=True) and run `python -m analysis manifest --update`")


def test_bytes_are_reproducible_and_dates_fixed():
    first, second = writer.workbook_bytes("fr", example_values(), True), writer.workbook_bytes("fr", example_values(),
                                                                                                True)
    assert first == second
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {i.date_time for i in archive.infolist()} == {writer.ZIP_TIME}
    core = archive.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core and core.count("2000-01-01T00:00:00Z") == 2


def test_sheets_markers_and_titles():
    wb = openpyxl.load_workbook(writer.committed_path("fr"))
    assert wb.sheetnames == ["Mode d'emploi", "Profil", "Année 1", "Année 2", "Année 3"]
    assert [ws["A1"].value for ws in wb.worksheets] == [layout.marker(c) for c in writer.SHEET_CODES]
    en = openpyxl.load_workbook(writer.committed_path("en"))
    assert en.sheetnames == ["Instructions", "Profile", "Year 1", "Year 2", "Year 3"]
    assert wb.security.lockStructure


def test_inputs_unlocked_and_validated_labels_and_formulas_locked():
    wb = openpyxl.load_workbook(writer.committed_path("fr"))
    for code in (layout.PROFILE_SHEET, *layout.YEAR_SHEETS):
        ws = wb[writer.sheet_title(code, "fr")]
        assert ws.protection.sheet
        validated = {}
        for dv in ws.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                validated[rng.coord] = dv
        for item in layout.SHEET_LINES[code]:
            row = layout.row_of(code, item.code)
            assert ws[f"A{row}"].value == item.code
            assert ws[f"B{row}"].value == t(f"diagnostic.wb_line_{item.code}", "fr")
            assert ws[f"E{row}"].value == t(f"diagnostic.wb_def_{item.code}", "fr")
            assert ws[f"B{row}"].protection.locked
            value = ws[f"C{row}"]
            if item.kind == "formula":
                assert value.protection.locked and str(value.value).startswith("=")
                assert f"C{row}" not in validated
                continue
            assert not value.protection.locked, f"{code}!C{row} should be an unlocked input"
            dv = validated[f"C{row}"]
            assert dv.showErrorMessage and dv.error and len(dv.prompt) <= writer.PROMPT_MAX
            assert dv.allow_blank == (not item.required)
            if item.kind == "money":
                assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0")
            if item.kind == "money_signed":
                assert dv.type == "decimal" and float(dv.formula1) < 0
            if item.kind == "year":
                assert (dv.type, dv.formula1, dv.formula2) == ("whole", "1900", "2100")
            if item.kind == "integer":
                assert (dv.type, dv.formula1) == ("whole", "0")
            if item.kind == "choice":
                assert dv.type == "list" and dv.formula1.count(",") == len(layout.CHOICES[item.code]) - 1


def test_formulas_sum_the_right_cells():
    ws = openpyxl.load_workbook(writer.committed_path("fr"))["Année 1"]
    rows = {item.code: layout.row_of("year_1", item.code) for item in layout.YEAR_LINES}
    revenue = "+".join(f"C{rows[c]}" for c in layout.REVENUE_LINES)
    assert ws[f"C{rows['total_revenue']}"].value == "=" + revenue
    assert ws[f"C{rows['balance_gap']}"].value == (f"=C{rows['total_assets']}-C{rows['total_liabilities']}"
                                                   f"-C{rows['net_assets']}")


def test_instructions_define_every_line():
    ws = openpyxl.load_workbook(writer.committed_path("fr"))["Mode d'emploi"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    for code in {item.code for lines in layout.SHEET_LINES.values() for item in lines}:
        assert t(f"diagnostic.wb_def_{code}", "fr") in texts, code
    assert any("python -m analysis diagnostic" in x for x in texts)


def test_write_refuses_to_overwrite_and_bad_suffix(tmp_path):
    path = writer.write_workbook(tmp_path / "a.xlsx")
    with pytest.raises(ParameterError, match="already exists"):
        writer.write_workbook(path)
    with pytest.raises(ParameterError, match=r"\.xlsx"):
        writer.write_workbook(tmp_path / "a.xls")


# --------------------------------------------------------------------------------------------------- reading


def test_round_trip_synthetic_values(tmp_path):
    values = layout.synthetic_values(3)
    path = writer.write_workbook(tmp_path / "s.xlsx", "fr", values, synthetic=True)
    filled = layout.read_workbook(path)
    assert filled.is_synthetic and filled.profile.name.startswith("Fictitious co-operative")
    s = filled.statements.set_index("year")
    for k, sheet in enumerate(layout.YEAR_SHEETS):
        year = values[(sheet, "year")]
        assert s.loc[year, "revenue_sales"] == values[(sheet, "revenue_sales")]
        assert s.loc[year, "revenue_public_grants"] == values[(sheet, "grants_mission")] + values[
            (sheet, "grants_project")]
        assert s.loc[year, "net_assets"] == values[(sheet, "net_assets")]
    assert list(filled.statements.columns) == list(ratios.TEMPLATE_COLUMNS)
    assert filled.cells[("year_2", "revenue_sales")] == f"Année 2!C{layout.row_of('year_2', 'revenue_sales')}"


def test_english_workbook_reads_the_same(tmp_path):
    fr = layout.read_workbook(writer.write_workbook(tmp_path / "fr.xlsx", "fr", example_values(), True))
    en = layout.read_workbook(writer.write_workbook(tmp_path / "en.xlsx", "en", example_values(), True))
    assert fr.profile == en.profile == layout.Profile("Exemple fictif (données synthétiques)", 2015, "cooperative",
                                                      "hybrid")
    assert fr.statements.equals(en.statements) and fr.details.equals(en.details)


def test_example_reads_with_blank_optional_cells(example):
    filled = layout.read_workbook(example)
    d = filled.details.set_index("year")
    assert d.loc[2023, "volunteers"] != d.loc[2023, "volunteers"]  # blank optional → NaN, never 0
    assert d.loc[2022, "employees"] == 5.5 and d.loc[2023, "customer_1"] == 150_000
    assert filled.years == [2021, 2022, 2023]


def test_blank_workbook_lists_every_empty_required_cell():
    issues, _ = layout.check_workbook(writer.committed_path("fr"))
    required = sum(1 for lines in layout.SHEET_LINES.values() for i in lines if i.kind != "formula" and i.required)
    assert len(issues) == required
    assert issues[0].where() == "Profil!C5" and "empty" in issues[0].message


# one line each, naming the sheet and the cell (and what to do)


def test_text_in_a_number_cell(example):
    row = layout.row_of("year_2", "revenue_sales")
    issue = only_issue(edit(example, "Année 2", f"C{row}", "12 500 $"))
    assert issue.where() == f"Année 2!C{row}" and issue.problem == "text"
    assert "'12 500 $'" in issue.message and "type the number alone" in issue.message


def test_empty_required_cell(example):
    row = layout.row_of("year_1", "expense_salaries")
    issue = only_issue(edit(example, "Année 1", f"C{row}", None))
    assert issue.where() == f"Année 1!C{row}" and "enter the amount (0 if none)" in issue.message


def test_negative_revenue(example):
    row = layout.row_of("year_3", "revenue_donations")
    issue = only_issue(edit(example, "Année 3", f"C{row}", -500))
    assert issue.where() == f"Année 3!C{row}" and issue.problem == "negative_revenue"
    assert "positive amounts" in issue.message


def test_balance_sheet_that_does_not_balance(example):
    row = layout.row_of("year_2", "total_assets")
    # 330 000 ≠ 190 000 + 130 000: a gap of 10 000, more than max(1 $, 1 % × 330 000 = 3 300)
    issue = only_issue(edit(example, "Année 2", f"C{row}", 330_000))
    assert issue.where() == f"Année 2!C{row}" and issue.problem == "unbalanced"
    assert "gap of 10,000" in issue.message and "3,300" in issue.message
    # within the tolerance (gap 3 000 ≤ 3 230): accepted
    edit(example, "Année 2", f"C{row}", 323_000)
    assert layout.check_workbook(example)[0] == []


def test_year_out_of_order(example):
    row = layout.row_of("year_3", "year")
    issue = only_issue(edit(example, "Année 3", f"C{row}", 2021))
    assert issue.where() == f"Année 3!C{row}" and issue.problem == "year_order"
    assert "does not follow 2022" in issue.message and "consecutive" in issue.message


def test_missing_sheet(example):
    wb = openpyxl.load_workbook(example)
    del wb["Année 2"]
    wb.save(example)
    issue = only_issue(example)
    assert issue.problem == "missing_sheet" and issue.sheet == "year_2" and "fresh copy" in issue.message


def test_missing_line(example):
    row = layout.row_of("year_1", "expense_other")
    issue = only_issue(edit(example, "Année 1", f"A{row}", None))
    assert issue.where() == "Année 1" and issue.code == "expense_other" and issue.problem == "missing_line"


@pytest.mark.parametrize("sheet, code, value, problem", [
    ("Profil", "legal_status", "Mutuelle", "choice"),
    ("Profil", "founded_year", 2022, "founded_after"),
    ("Année 1", "current_assets", 400_000, "part_above_total"),
    ("Année 3", "customer_1", 600_000, "customers_above_sales"),
    ("Année 2", "members", 12.5, "not_integer"),
    ("Année 2", "year", 19999, "year_range"),
    ("Année 1", "revenue_other", "=B1*2", "formula_uncached"),
])
def test_other_checks_name_the_cell(example, sheet, code, value, problem):
    sheet_code = {"Profil": "profile", "Année 1": "year_1", "Année 2": "year_2", "Année 3": "year_3"}[sheet]
    row = layout.row_of(sheet_code, code)
    issue = only_issue(edit(example, sheet, f"C{row}", value))
    assert (issue.where(), issue.problem) == (f"{sheet}!C{row}", problem)


def test_choice_accepts_a_bare_number(example):
    row = layout.row_of("profile", "legal_status")
    filled = layout.read_workbook(edit(example, "Profil", f"C{row}", 2))
    assert filled.profile.legal_status == "nonprofit"
    assert layout.parse_choice("3 – Mixte", layout.BUSINESS_MODEL_CHOICES) == "hybrid"
    assert layout.parse_choice("5", layout.BUSINESS_MODEL_CHOICES) is None


def test_read_raises_with_every_issue(example):
    edit(example, "Année 1", f"C{layout.row_of('year_1', 'revenue_sales')}", "abc")
    edit(example, "Année 3", f"C{layout.row_of('year_3', 'revenue_other')}", -1)
    with pytest.raises(layout.WorkbookError) as info:
        layout.read_workbook(example)
    lines = info.value.lines()
    assert len(lines) == 2 and lines[0].startswith("exemple.xlsx: [Année 1!C")
    assert "(+1 other problem(s))" in info.value.one_line()


def test_unreadable_files(tmp_path):
    with pytest.raises(InputFormatError, match="not found"):
        layout.read_workbook(tmp_path / "absent.xlsx")
    (tmp_path / "x.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match=r"\.xlsx"):
        layout.read_workbook(tmp_path / "x.csv")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(InputFormatError, match="cannot read"):
        layout.read_workbook(tmp_path / "broken.xlsx")
    with pytest.raises(ParameterError):
        layout.check_workbook(tmp_path / "broken.xlsx", balance_tolerance=0.5)


# --------------------------------------------------------------------------------------------------- command line


def test_cli_one_line_per_problem_exit_2(example, capsys):
    edit(example, "Année 2", f"C{layout.row_of('year_2', 'revenue_sales')}", "beaucoup")
    edit(example, "Année 3", f"C{layout.row_of('year_3', 'year')}", 2030)
    rc = main(["diagnostic", str(example), "--out", str(example.parent / "out"), "--no-pdf"])
    err = capsys.readouterr().err
    assert rc == 2
    lines = err.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in err
    assert lines[0].startswith(f"error: exemple.xlsx: [Année 2!C{layout.row_of('year_2', 'revenue_sales')}] text")
    assert "[Année 3!C5]" in lines[1] and "does not follow" in lines[1]
    assert not (example.parent / "out").exists()


def test_cli_unreadable_file_exit_2(tmp_path, capsys):
    (tmp_path / "broken.xlsx").write_bytes(b"PK")
    rc = main(["diagnostic", str(tmp_path / "broken.xlsx"), "--no-pdf"])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and err.startswith("error: broken.xlsx: cannot read")


def test_cli_new_blank_workbook(tmp_path, capsys):
    rc = main(["diagnostic", "--new", str(tmp_path / "vierge.xlsx"), "--lang", "en"])
    assert rc == 0 and capsys.readouterr().out.strip().endswith("vierge.xlsx")
    assert (tmp_path / "vierge.xlsx").read_bytes() == writer.workbook_bytes("en")
    assert main(["diagnostic", "--new", str(tmp_path / "vierge.xlsx")]) == 2
