"""The viability-diagnostic workbook: its layout (sheets, lines, kinds of cell) and how a filled copy is read.

The TIESS case book's interview grid asks each enterprise for "the financial statements of the last three years" to
compute viability ratios. This module defines a workbook to collect them (one profile sheet, one sheet per fiscal
year) and reads a filled copy back into tidy tables, checking every input cell. The workbook itself, with its French
or English labels, definitions, data validation and locked formula cells, is written by
the report layer's workbook writer from this layout.

Layout, in language-neutral codes so that the French and the English workbook read the same way:

- each data sheet carries a marker in ``A1`` (``vigie-diagnostic:<sheet code>``), so sheets are found by their
  marker, not by their (translated) title;
- column ``A`` (hidden) holds the code of each line, column ``C`` its value: lines are found by their code, so the
  reader names the exact cell (``Année 2!C14``) of every problem;
- formula lines (totals, the balance check) are written for the user's convenience and never read back: the
  reader recomputes every total from the input cells.

Nothing is silently coerced: text in a number cell, an empty required cell, a negative revenue, a balance sheet
that does not balance, years out of order — each gives one :class:`Issue` naming sheet, cell and what to do, and
:func:`read_workbook` raises :class:`WorkbookError` listing them all.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from analysis.core import paths
from analysis.core.checks import require_positive
from analysis.core.errors import InputFormatError, ParameterError, SchemaError
from analysis.food import ratios

FORMAT_VERSION = "1"
MARKER_PREFIX = "vigie-diagnostic:"
MARKER_CELL = "A1"
CODE_COLUMN = "A"
LABEL_COLUMN = "B"
VALUE_COLUMN = "C"
UNIT_COLUMN = "D"
DEFINITION_COLUMN = "E"
FIRST_LINE_ROW = 4  # rows 1-3: marker and title, a one-line instruction, a blank row

INSTRUCTIONS_SHEET = "instructions"
PROFILE_SHEET = "profile"
YEAR_SHEETS = ("year_1", "year_2", "year_3")  # oldest fiscal year first
N_YEARS = len(YEAR_SHEETS)
SYNTHETIC_PROPERTY = "vigie_synthetic"  # custom document property: "true" on workbooks filled by seeded code
VERSION_PROPERTY = "vigie_diagnostic_format"

# Kinds of input cell: what the reader accepts and what the writer's data validation allows.
KINDS = ("money", "money_signed", "integer", "decimal", "year", "text", "choice", "formula")
MONEY_KINDS = ("money", "money_signed")
YEAR_MIN, YEAR_MAX = 1900, 2100

# Answers of the two list cells of the profile: the cell shows "<number> – <label>"; the number is the answer, so
# the French and English workbooks (and a bare number typed in the cell) read the same.
LEGAL_STATUS_CHOICES = ("cooperative", "nonprofit", "for_profit", "other")
BUSINESS_MODEL_CHOICES = ("wholesale", "direct", "hybrid", "other")
CHOICES: dict[str, tuple[str, ...]] = {"legal_status": LEGAL_STATUS_CHOICES, "business_model": BUSINESS_MODEL_CHOICES}


@dataclass(frozen=True)
class Line:
    """One line of a sheet: its code, section, kind of cell and whether it must be filled.

    ``terms`` (formula lines only) are the codes summed, a leading ``-`` subtracting one.
    """

    code: str
    section: str
    kind: str
    required: bool = True
    terms: tuple[str, ...] = ()


PROFILE_LINES: tuple[Line, ...] = (
    Line("name", "profile", "text"),
    Line("founded_year", "profile", "year"),
    Line("legal_status", "profile", "choice"),
    Line("business_model", "profile", "choice"),
)

REVENUE_LINES = ("revenue_sales", "grants_mission", "grants_project", "revenue_donations", "revenue_membership",
                 "revenue_other")
EXPENSE_LINES = ratios.EXPENSE_COLUMNS
CUSTOMER_LINES = ("customer_1", "customer_2", "customer_3")

YEAR_LINES: tuple[Line, ...] = (
    Line("year", "fiscal", "year"),
    *(Line(code, "income", "money") for code in REVENUE_LINES),
    Line("total_revenue", "income", "formula", terms=REVENUE_LINES),
    *(Line(code, "expenses", "money") for code in EXPENSE_LINES),
    Line("total_expenses", "expenses", "formula", terms=EXPENSE_LINES),
    Line("surplus", "expenses", "formula", terms=(*REVENUE_LINES, *(f"-{c}" for c in EXPENSE_LINES))),
    Line("current_assets", "balance", "money"),
    Line("total_assets", "balance", "money"),
    Line("current_liabilities", "balance", "money"),
    Line("total_liabilities", "balance", "money"),
    Line("net_assets", "balance", "money_signed"),
    Line("balance_gap", "balance", "formula", terms=("total_assets", "-total_liabilities", "-net_assets")),
    Line("members", "people", "integer"),
    Line("employees", "people", "decimal"),
    Line("volunteers", "people", "integer", required=False),
    *(Line(code, "customers", "money", required=False) for code in CUSTOMER_LINES),
)

SHEET_LINES: dict[str, tuple[Line, ...]] = {PROFILE_SHEET: PROFILE_LINES, **{s: YEAR_LINES for s in YEAR_SHEETS}}
DETAIL_COLUMNS = ("year", "grants_mission", "grants_project", "members", "employees", "volunteers", *CUSTOMER_LINES)


@dataclass(frozen=True)
class Issue:
    """One problem in a filled workbook: where (sheet title and cell), which line, what is wrong and what to do."""

    sheet: str
    cell: str
    code: str
    problem: str
    message: str

    def where(self) -> str:
        """``Année 2!C14`` (the sheet title as the user sees it), or the sheet alone when no cell applies."""
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet


class WorkbookError(SchemaError):
    """A filled workbook has one or more problems; ``issues`` lists them all, ``one_line`` shows the first."""

    def __init__(self, issues: list[Issue], path: str) -> None:
        self.issues = list(issues)
        first = self.issues[0]
        more = f" (+{len(self.issues) - 1} other problem(s))" if len(self.issues) > 1 else ""
        super().__init__(first.message + more, path=path, field=first.where())

    def lines(self) -> list[str]:
        """One line per issue, in the form the command line prints: ``file: [Sheet!C7] message``."""
        return [SchemaError(i.message, path=self.path, field=i.where()).one_line() for i in self.issues]


@dataclass(frozen=True)
class Profile:
    """What the profile sheet says about the enterprise (codes, not labels)."""

    name: str
    founded_year: int
    legal_status: str
    business_model: str


@dataclass
class FilledWorkbook:
    """A checked workbook: the profile, the statements (layout of :data:`analysis.food.ratios.TEMPLATE_COLUMNS`,
    one row per fiscal year, oldest first) and the details the statements template has no column for."""

    profile: Profile
    statements: pd.DataFrame
    details: pd.DataFrame
    source: str
    is_synthetic: bool = False
    cells: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return [int(y) for y in self.statements["year"]]


def line(code: str, sheet: str = "year_1") -> Line:
    """The :class:`Line` of ``code`` on ``sheet`` (``KeyError`` if the layout has none)."""
    for item in SHEET_LINES[sheet]:
        if item.code == code:
            return item
    raise KeyError(f"no line {code!r} on sheet {sheet!r}")


def marker(sheet_code: str) -> str:
    """The text of cell ``A1`` that identifies a sheet of the workbook."""
    return f"{MARKER_PREFIX}{sheet_code}"


def row_of(sheet_code: str, code: str) -> int:
    """The row of line ``code`` in a freshly written workbook (the writer's layout: one row per line, in order,
    with one heading row before each new section)."""
    row = FIRST_LINE_ROW
    section = None
    for item in SHEET_LINES[sheet_code]:
        if item.section != section:
            section = item.section
            row += 1  # the section heading
        if item.code == code:
            return row
        row += 1
    raise KeyError(f"no line {code!r} on sheet {sheet_code!r}")


def parse_choice(value: object, choices: tuple[str, ...]) -> str | None:
    """``"2 – OBNL"`` or ``2`` → the second code of ``choices``; ``None`` if the answer is not one of the list's."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)) and float(value).is_integer():
        number = int(value)
    else:
        match = re.match(r"^\s*(\d+)\s*(?:[–\-—.:)]|$)", str(value))
        if not match:
            return None
        number = int(match.group(1))
    return choices[number - 1] if 1 <= number <= len(choices) else None


# --------------------------------------------------------------------------------------------------- reading


def _open(path: Path) -> tuple[openpyxl.Workbook, openpyxl.Workbook]:
    """The workbook twice: with formulas (to tell a typed formula) and with the values the spreadsheet cached."""
    where = paths.relative(path)
    if not path.exists():
        raise InputFormatError("file not found: copy the blank workbook (data/raw/food_cases/diagnostic_workbook_fr"
                               ".xlsx) and fill it in", path=where)
    if path.suffix.lower() != ".xlsx":
        raise InputFormatError(f"expected an .xlsx workbook, got a {path.suffix or 'file without extension'}: save "
                               "it as an Excel workbook (.xlsx) in your spreadsheet software", path=where)
    try:
        formulas = openpyxl.load_workbook(path, data_only=False)
        values = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a corrupt file
        raise InputFormatError(f"cannot read the workbook ({type(exc).__name__}): save it again as .xlsx", path=where
                               ) from None
    return formulas, values


def _find_sheets(book: openpyxl.Workbook) -> dict[str, str]:
    """Sheet code → sheet title, from the markers in ``A1``."""
    found: dict[str, str] = {}
    for ws in book.worksheets:
        value = ws[MARKER_CELL].value
        if isinstance(value, str) and value.startswith(MARKER_PREFIX):
            found.setdefault(value[len(MARKER_PREFIX):], ws.title)
    return found


def _number(raw: object, formula: object, kind: str) -> tuple[float | None, str | None]:
    """(value, problem code) of one input cell; problem codes: empty, text, formula_uncached, not_integer, bool."""
    if isinstance(formula, str) and formula.startswith("=") and raw is None:
        return None, "formula_uncached"
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None, "empty"
    if isinstance(raw, bool):
        return None, "text"
    if isinstance(raw, (_dt.datetime, _dt.date, _dt.time)):
        return None, "date"
    if isinstance(raw, (int, float)):
        value = float(raw)
        if not np.isfinite(value):
            return None, "text"
        if kind in ("integer", "year") and not value.is_integer():
            return None, "not_integer"
        return value, None
    return None, "text"


_WHAT_TO_DO = {
    "empty": "this cell is empty: enter the amount (0 if none)",
    "empty_year": "this cell is empty: enter the year (four digits)",
    "empty_count": "this cell is empty: enter the number (0 if none)",
    "text": "text {found!r} in a number cell: type the number alone (digits, no spaces, units or currency sign)",
    "date": "a date in a number cell: type the number alone",
    "formula_uncached": "this cell holds a formula whose result was never computed: open the workbook in your "
                        "spreadsheet software and save it, or type the number",
    "not_integer": "{found} is not a whole number: enter a whole number",
    "negative_revenue": "negative revenue ({found}): enter revenues as positive amounts (a loss shows in the surplus "
                        "line, not in revenues)",
    "negative": "negative amount ({found}): enter it as a positive amount",
    "year_range": f"year {{found}} is out of range: enter a four-digit year between {YEAR_MIN} and {YEAR_MAX}",
    "text_empty": "this cell is empty: enter the enterprise's name",
    "choice": "{found!r} is not one of the list's answers: pick one from the drop-down list",
}


def _issue(sheet: str, cell: str, code: str, problem: str, **fields: object) -> Issue:
    return Issue(sheet, cell, code, problem, _WHAT_TO_DO[problem].format(**fields))


def _read_sheet(sheet_code: str, title: str, ws_f, ws_v, issues: list[Issue], cells: dict) -> dict[str, object]:
    """Values of one sheet's input lines (``None`` where a problem was recorded in ``issues``)."""
    rows: dict[str, int] = {}
    for row in range(1, ws_f.max_row + 1):
        code = ws_f[f"{CODE_COLUMN}{row}"].value
        if isinstance(code, str) and code.strip() and code.strip() not in rows:
            rows[code.strip()] = row
    out: dict[str, object] = {}
    for item in SHEET_LINES[sheet_code]:
        if item.kind == "formula":
            continue
        if item.code not in rows:
            issues.append(Issue(title, "", item.code, "missing_line",
                                f"line {item.code!r} is missing from this sheet (no such code in column "
                                f"{CODE_COLUMN}): start again from a fresh copy of "
                                "the blank workbook (data/raw/food_cases/) and copy your figures into it"))
            out[item.code] = None
            continue
        cell = f"{VALUE_COLUMN}{rows[item.code]}"
        cells[(sheet_code, item.code)] = f"{title}!{cell}"
        raw, formula = ws_v[cell].value, ws_f[cell].value
        out[item.code] = _read_cell(item, raw, formula, title, cell, issues)
    return out


def _read_cell(item: Line, raw: object, formula: object, title: str, cell: str, issues: list[Issue]) -> object:
    if item.kind == "text":
        text = "" if raw is None else str(raw).strip()
        if not text:
            issues.append(_issue(title, cell, item.code, "text_empty"))
            return None
        return text
    if item.kind == "choice":
        answer = parse_choice(raw, CHOICES[item.code])
        if answer is None:
            problem = "empty" if raw is None or str(raw).strip() == "" else "choice"
            if problem == "empty":
                issues.append(Issue(title, cell, item.code, "empty", "this cell is empty: pick an answer from the "
                                                                      "drop-down list"))
            else:
                issues.append(_issue(title, cell, item.code, "choice", found=raw))
        return answer
    value, problem = _number(raw, formula, item.kind)
    if problem == "empty" and not item.required:
        return float("nan")
    if problem == "empty" and item.kind in ("year", "integer", "decimal"):
        problem = "empty_year" if item.kind == "year" else "empty_count"
    if problem is not None:
        issues.append(_issue(title, cell, item.code, problem, found=raw))
        return None
    if item.kind == "year" and not YEAR_MIN <= value <= YEAR_MAX:
        issues.append(_issue(title, cell, item.code, "year_range", found=int(value)))
        return None
    if item.kind != "money_signed" and value < 0:
        revenue = item.code in REVENUE_LINES
        issues.append(_issue(title, cell, item.code, "negative_revenue" if revenue else "negative",
                             found=f"{value:g}"))
        return None
    return int(value) if item.kind in ("year", "integer") else value


def _cross_checks(sheet_titles: dict[str, str], values: dict[str, dict[str, object]], cells: dict,
                  balance_tolerance: float, issues: list[Issue]) -> None:
    """Checks across cells: consecutive years, founding year, totals, balance sheet, main customers."""

    def where(sheet: str, code: str) -> tuple[str, str]:
        ref = cells.get((sheet, code), f"{sheet_titles.get(sheet, sheet)}!")
        title, _, cell = ref.partition("!")
        return title, cell

    def ok(sheet: str, *codes: str) -> bool:
        return all(isinstance(values[sheet].get(c), (int, float)) and values[sheet].get(c) == values[sheet].get(c)
                   for c in codes)

    previous = None
    for k, sheet in enumerate(YEAR_SHEETS):
        if not ok(sheet, "year"):
            previous = None
            continue
        year = values[sheet]["year"]
        if previous is not None and year != previous[1] + 1:
            title, cell = where(sheet, "year")
            prev_title, prev_cell = where(previous[0], "year")
            issues.append(Issue(title, cell, "year", "year_order",
                                f"fiscal year {year} does not follow {previous[1]} ({prev_title}!{prev_cell}): the "
                                "three year sheets hold three consecutive fiscal years, oldest first"))
        previous = (sheet, year)
    first = values[YEAR_SHEETS[0]]
    if ok(PROFILE_SHEET, "founded_year") and ok(YEAR_SHEETS[0], "year") and \
            values[PROFILE_SHEET]["founded_year"] > first["year"]:
        title, cell = where(PROFILE_SHEET, "founded_year")
        issues.append(Issue(title, cell, "founded_year", "founded_after",
                            f"founded in {values[PROFILE_SHEET]['founded_year']}, after the first fiscal year "
                            f"({first['year']}): check the founding year or the years of the statements"))
    for sheet in YEAR_SHEETS:
        v = values[sheet]
        if ok(sheet, *REVENUE_LINES) and sum(v[c] for c in REVENUE_LINES) <= 0:
            title, cell = where(sheet, "revenue_sales")
            issues.append(Issue(title, cell, "revenue_sales", "no_revenue",
                                "total revenue of the year is zero: enter the year's revenues"))
        if ok(sheet, "total_assets") and v["total_assets"] <= 0:
            title, cell = where(sheet, "total_assets")
            issues.append(Issue(title, cell, "total_assets", "no_assets",
                                "total assets are zero: enter the total of the balance sheet"))
        if ok(sheet, "total_assets", "total_liabilities", "net_assets") and v["total_assets"] > 0:
            gap = v["total_assets"] - v["total_liabilities"] - v["net_assets"]
            allowed = max(1.0, balance_tolerance * v["total_assets"])
            if abs(gap) > allowed:
                title, cell = where(sheet, "total_assets")
                _, liab = where(sheet, "total_liabilities")
                _, equity = where(sheet, "net_assets")
                issues.append(Issue(title, cell, "total_assets", "unbalanced",
                                    "the balance sheet does not balance: total assets "
                                    f"({cell}) {v['total_assets']:,.0f} ≠ liabilities ({liab}) "
                                    f"{v['total_liabilities']:,.0f} + equity ({equity}) "
                                    f"{v['net_assets']:,.0f}, a gap of {gap:,.0f} (more than {allowed:,.0f} allowed): "
                                    "copy the three totals from the same balance sheet"))
        for part, whole in (("current_assets", "total_assets"), ("current_liabilities", "total_liabilities")):
            if ok(sheet, part, whole) and v[part] > v[whole] + 1.0:
                title, cell = where(sheet, part)
                _, whole_cell = where(sheet, whole)
                issues.append(Issue(title, cell, part, "part_above_total",
                                    f"{part.replace('_', ' ')} ({v[part]:,.0f}) exceed {whole.replace('_', ' ')} "
                                    f"({whole_cell}, {v[whole]:,.0f}): the current part is included in the total"))
        known = [c for c in CUSTOMER_LINES if ok(sheet, c)]
        if known and ok(sheet, "revenue_sales") and sum(v[c] for c in known) > v["revenue_sales"] + 1.0:
            title, cell = where(sheet, known[-1])
            _, sales = where(sheet, "revenue_sales")
            issues.append(Issue(title, cell, known[-1], "customers_above_sales",
                                f"sales to the main customers ({sum(v[c] for c in known):,.0f}) exceed the year's "
                                f"sales ({sales}, {v['revenue_sales']:,.0f}): enter each customer's sales of that "
                                "year"))


def check_workbook(path: Path | str, balance_tolerance: float = ratios.BALANCE_TOLERANCE
                   ) -> tuple[list[Issue], dict]:
    """Read and check a filled workbook; return ``(issues, raw)`` where ``raw`` holds the values read.

    ``issues`` is empty when the workbook is usable. An unreadable file (not found, not .xlsx, corrupt) raises
    :class:`analysis.core.errors.InputFormatError` instead.

    Parameters
    ----------
    path : path of the filled ``.xlsx`` workbook.
    balance_tolerance : the balance sheet may be off by ``max(1 $, balance_tolerance × total assets)``; at most
        :data:`analysis.food.ratios.BALANCE_TOLERANCE` (1 %), the statements schema's own tolerance.

    Returns
    -------
    tuple
        ``(issues, raw)``: the list of :class:`Issue` (sheet title, cell, line code, problem code, message) in
        reading order, and the values read (``values``, ``cells``, ``sheets``, ``is_synthetic``).

    Raises
    ------
    InputFormatError
        The file is missing or cannot be read as an .xlsx workbook.
    ParameterError
        ``balance_tolerance`` is negative or above 1 %.
    """
    require_positive(balance_tolerance, "balance_tolerance", allow_zero=True)
    if balance_tolerance > ratios.BALANCE_TOLERANCE:
        raise ParameterError(f"expected at most {ratios.BALANCE_TOLERANCE} (the statements schema's tolerance), got "
                             f"{balance_tolerance!r}", field="balance_tolerance")
    path = Path(path)
    book_f, book_v = _open(path)
    sheets = _find_sheets(book_f)
    issues: list[Issue] = []
    for code in (PROFILE_SHEET, *YEAR_SHEETS):
        if code not in sheets:
            issues.append(Issue(code, "", "", "missing_sheet",
                                f"the sheet {code!r} is missing (no sheet has {marker(code)!r} in {MARKER_CELL}): "
                                "start again from a fresh copy of the blank workbook (data/raw/food_cases/)"))
    cells: dict[tuple[str, str], str] = {}
    values: dict[str, dict[str, object]] = {}
    for code in (PROFILE_SHEET, *YEAR_SHEETS):
        if code in sheets:
            title = sheets[code]
            values[code] = _read_sheet(code, title, book_f[title], book_v[title], issues, cells)
        else:
            values[code] = {}
    if not any(i.problem == "missing_sheet" for i in issues):
        _cross_checks(sheets, values, cells, balance_tolerance, issues)
    props = {p.name: p.value for p in getattr(book_f, "custom_doc_props", [])}
    raw = {"values": values, "cells": cells, "sheets": sheets,
           "is_synthetic": str(props.get(SYNTHETIC_PROPERTY, "")).lower() == "true"}
    return issues, raw


def read_workbook(path: Path | str, balance_tolerance: float = ratios.BALANCE_TOLERANCE) -> FilledWorkbook:
    """Read a filled diagnostic workbook into a :class:`FilledWorkbook`, or raise naming every bad cell.

    The statements are also passed through :func:`analysis.food.ratios.parse_statements`, so they satisfy the same
    schema as the CSV template of the viability report.

    Parameters
    ----------
    path : the filled ``.xlsx`` workbook (French or English version).
    balance_tolerance : relative tolerance of the accounting identity assets = liabilities + equity.

    Returns
    -------
    FilledWorkbook
        ``statements`` (one row per fiscal year, :data:`analysis.food.ratios.TEMPLATE_COLUMNS`; public grants =
        mission + project grants), ``details`` (:data:`DETAIL_COLUMNS`; blank optional cells are NaN), ``profile``.

    Raises
    ------
    WorkbookError
        One or more cells are missing, empty, hold text instead of a number, a negative revenue, or break a
        cross-check (balance, consecutive years…); ``.issues`` lists them, ``.lines()`` one line each.
    InputFormatError
        The file is missing or not a readable .xlsx workbook.
    """
    path = Path(path)
    issues, raw = check_workbook(path, balance_tolerance)
    where = paths.relative(path)
    if issues:
        raise WorkbookError(issues, where)
    values = raw["values"]
    profile = Profile(**{item.code: values[PROFILE_SHEET][item.code] for item in PROFILE_LINES})
    rows, details = [], []
    for sheet in YEAR_SHEETS:
        v = values[sheet]
        rows.append({
            "enterprise": profile.name,
            "year": v["year"],
            "revenue_sales": v["revenue_sales"],
            "revenue_public_grants": v["grants_mission"] + v["grants_project"],
            "revenue_donations": v["revenue_donations"],
            "revenue_membership": v["revenue_membership"],
            "revenue_other": v["revenue_other"],
            **{c: v[c] for c in EXPENSE_LINES},
            **{c: v[c] for c in ratios.BALANCE_COLUMNS},
            "is_synthetic": raw["is_synthetic"],
        })
        details.append({c: v[c] for c in DETAIL_COLUMNS})
    table = pd.DataFrame(rows, columns=list(ratios.TEMPLATE_COLUMNS))
    statements = ratios.parse_statements(table, path)
    detail = pd.DataFrame(details, columns=list(DETAIL_COLUMNS)).astype(float).astype({"year": int})
    return FilledWorkbook(profile=profile, statements=statements, details=detail.reset_index(drop=True),
                          source=where, is_synthetic=raw["is_synthetic"], cells=dict(raw["cells"]))


# --------------------------------------------------------------------------------------------------- synthetic


def synthetic_values(seed: int, first_year: int = 2021) -> dict[tuple[str, str], object]:
    """Input values of a fictitious, internally consistent enterprise, for tests and demonstrations only.

    The enterprise is named "Fictitious co-operative (synthetic data)"; write them with
    the report layer's ``write_workbook(..., synthetic=True)`` so the workbook and the diagnostic say so.

    Parameters
    ----------
    seed : seed of the random generator (same seed → same values).
    first_year : the fiscal year of the first year sheet.

    Returns
    -------
    dict
        ``{(sheet code, line code): value}`` for every input line (choices as their number).
    """
    rng = np.random.default_rng(seed)
    out: dict[tuple[str, str], object] = {
        (PROFILE_SHEET, "name"): "Fictitious co-operative (synthetic data)",
        (PROFILE_SHEET, "founded_year"): int(first_year - rng.integers(2, 25)),
        (PROFILE_SHEET, "legal_status"): 1,
        (PROFILE_SHEET, "business_model"): int(rng.integers(1, 4)),
    }
    revenue = float(rng.lognormal(13.0, 0.6))
    growth = float(rng.normal(0.05, 0.06))
    mix = rng.dirichlet([6.0, 1.5, 1.0, 0.6, 0.4, 0.3])
    members = int(rng.integers(50, 3000))
    employees = float(rng.integers(2, 30))
    for k, sheet in enumerate(YEAR_SHEETS):
        total = revenue * (1 + growth) ** k
        parts = [round(total * m) for m in mix]
        total = float(sum(parts))
        margin = float(rng.normal(0.01, 0.04))
        expenses = total * (1 - margin)
        cogs = round(parts[0] * float(rng.uniform(0.55, 0.75)))  # food bought for resale: a share of sales
        admin = round(expenses * float(rng.uniform(0.05, 0.15)))
        salaries = round((expenses - cogs - admin) * 0.8)
        other = round(expenses - cogs - admin - salaries)
        assets = round(total * float(rng.uniform(0.4, 0.9)))
        equity = round(assets * float(rng.uniform(0.1, 0.6)))
        liabilities = assets - equity
        top = sorted((round(parts[0] * s) for s in rng.dirichlet([3, 2, 1, 4])[:3]), reverse=True)
        out.update({
            (sheet, "year"): first_year + k,
            **{(sheet, c): float(p) for c, p in zip(REVENUE_LINES, parts, strict=True)},
            (sheet, "expense_cost_of_goods"): float(cogs),
            (sheet, "expense_salaries"): float(salaries),
            (sheet, "expense_administration"): float(admin),
            (sheet, "expense_other"): float(other),
            (sheet, "current_assets"): float(round(assets * float(rng.uniform(0.4, 0.8)))),
            (sheet, "total_assets"): float(assets),
            (sheet, "current_liabilities"): float(round(liabilities * float(rng.uniform(0.4, 0.9)))),
            (sheet, "total_liabilities"): float(liabilities),
            (sheet, "net_assets"): float(equity),
            (sheet, "members"): members + 20 * k,
            (sheet, "employees"): employees + k,
            (sheet, "volunteers"): int(rng.integers(0, 60)),
            **{(sheet, c): float(v) for c, v in zip(CUSTOMER_LINES, top, strict=True)},
        })
    return out
