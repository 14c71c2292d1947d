"""Write the viability-diagnostic workbook (.xlsx) from the layout of :mod:`analysis.food.workbook` and the labels of
``labels/diagnostic.yaml``: an instructions sheet, a profile sheet and one sheet per fiscal year.

Every input cell is yellow, unlocked and carries a data validation (numbers ≥ 0 where a negative makes no sense,
four-digit years, drop-down lists) whose input message is the line's definition; labels and formula cells (totals,
the balance check) are locked (sheet protection without a password, so a user can still unprotect a sheet). The
same definitions are printed in column E and, together, on the instructions sheet.

The bytes are reproducible: the document dates are fixed, the zip entries get a fixed timestamp and are stored
uncompressed (so no zlib version enters the bytes). Writing the workbook twice gives the same file, and
``tests/test_workbook.py`` checks that the committed copies in ``data/raw/food_cases/`` are current.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from analysis.core import paths
from analysis.core.errors import ParameterError
from analysis.food import workbook as layout
from analysis.report.labels import check_lang, t

FIXED_TIME = _dt.datetime(2000, 1, 1, 0, 0, 0)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
COMMITTED = {"fr": "diagnostic_workbook_fr.xlsx", "en": "diagnostic_workbook_en.xlsx"}
# Excel refuses a data-validation input message longer than 255 characters or a title longer than 32.
PROMPT_MAX, PROMPT_TITLE_MAX = 255, 32

INPUT_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
FORMULA_FILL = PatternFill("solid", start_color="E7E6E6", end_color="E7E6E6")
BANNER_FILL = PatternFill("solid", start_color="F4CCCC", end_color="F4CCCC")
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
SECTION = Font(bold=True, size=11, color="1F4E79")
GREY = Font(color="808080", size=9)
WRAP = Alignment(wrap_text=True, vertical="top")
NUMBER_FORMATS = {"money": "#,##0", "money_signed": "#,##0", "formula": "#,##0", "integer": "0", "decimal": "0.0",
                  "year": "0", "text": "@", "choice": "@"}
SHEET_CODES = (layout.INSTRUCTIONS_SHEET, layout.PROFILE_SHEET, *layout.YEAR_SHEETS)


def committed_path(lang: str) -> Path:
    """Where the blank workbook in ``lang`` is committed: ``data/raw/food_cases/diagnostic_workbook_<lang>.xlsx``."""
    return paths.RAW / "food_cases" / COMMITTED[check_lang(lang)]


def sheet_title(code: str, lang: str) -> str:
    """The title of a sheet in ``lang`` (``year_2`` → « Année 2 »)."""
    return t(f"diagnostic.wb_sheet_{code}", lang)


def choice_labels(code: str, lang: str) -> list[str]:
    """The drop-down answers of a choice line: ``["1 – Coopérative", …]`` (the number is what the reader uses)."""
    return [f"{k} – {t(f'diagnostic.wb_choice_{code}_{k}', lang)}" for k in range(1, len(layout.CHOICES[code]) + 1)]


def _shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to fit ``limit`` characters, with « … » when cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,(") + "…"


def _validation(item: layout.Line, lang: str) -> DataValidation:
    kind = item.kind
    common = {"allow_blank": not item.required, "showErrorMessage": True, "showInputMessage": True,
              "errorTitle": t("diagnostic.wb_valid_title", lang), "error": t(f"diagnostic.wb_valid_{kind}", lang),
              "promptTitle": _shorten(t(f"diagnostic.wb_line_{item.code}", lang), PROMPT_TITLE_MAX),
              "prompt": t(f"diagnostic.wb_def_{item.code}", lang)[:PROMPT_MAX]}
    if kind == "money" or kind == "decimal":
        return DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", **common)
    if kind == "money_signed":
        return DataValidation(type="decimal", operator="between", formula1="-1000000000000",
                              formula2="1000000000000", **common)
    if kind == "integer":
        return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", **common)
    if kind == "year":
        return DataValidation(type="whole", operator="between", formula1=str(layout.YEAR_MIN),
                              formula2=str(layout.YEAR_MAX), **common)
    if kind == "choice":
        return DataValidation(type="list", formula1='"' + ",".join(choice_labels(item.code, lang)) + '"', **common)
    if kind == "text":
        return DataValidation(type="textLength", operator="between", formula1="1", formula2="200", **common)
    raise ValueError(f"no validation for kind {kind!r}")


def _formula(sheet_code: str, item: layout.Line) -> str:
    parts = []
    for term in item.terms:
        sign, code = ("-", term[1:]) if term.startswith("-") else ("+", term)
        parts.append(f"{sign}{layout.VALUE_COLUMN}{layout.row_of(sheet_code, code)}")
    text = "".join(parts)
    return "=" + (text[1:] if text.startswith("+") else text)


def _header(ws, code: str, heading: str, hint: str, lang: str, synthetic: bool) -> None:
    ws[layout.MARKER_CELL] = layout.marker(code)
    ws[layout.MARKER_CELL].font = GREY
    ws[f"{layout.LABEL_COLUMN}1"] = heading
    ws[f"{layout.LABEL_COLUMN}1"].font = TITLE
    ws[f"{layout.LABEL_COLUMN}2"] = t("diagnostic.wb_synthetic_banner", lang) if synthetic else hint
    ws[f"{layout.LABEL_COLUMN}2"].alignment = Alignment(wrap_text=False)
    if synthetic:
        ws[f"{layout.LABEL_COLUMN}2"].fill = BANNER_FILL
        ws[f"{layout.LABEL_COLUMN}2"].font = BOLD
    for col, key in ((layout.LABEL_COLUMN, "line"), (layout.VALUE_COLUMN, "value"), (layout.UNIT_COLUMN, "unit"),
                     (layout.DEFINITION_COLUMN, "definition")):
        ws[f"{col}3"] = t(f"diagnostic.wb_col_{key}", lang)
        ws[f"{col}3"].font = BOLD
    ws.column_dimensions[layout.CODE_COLUMN].width = 4
    ws.column_dimensions[layout.CODE_COLUMN].hidden = True
    ws.column_dimensions[layout.LABEL_COLUMN].width = 52
    ws.column_dimensions[layout.VALUE_COLUMN].width = 18
    ws.column_dimensions[layout.UNIT_COLUMN].width = 12
    ws.column_dimensions[layout.DEFINITION_COLUMN].width = 95


def _data_sheet(wb: Workbook, code: str, lang: str, values: Mapping[tuple[str, str], object],
                synthetic: bool) -> None:
    ws = wb.create_sheet(sheet_title(code, lang))
    hint = t("diagnostic.wb_hint_profile" if code == layout.PROFILE_SHEET else "diagnostic.wb_hint_year", lang)
    _header(ws, code, t(f"diagnostic.wb_heading_{code}", lang), hint, lang, synthetic)
    section = None
    for item in layout.SHEET_LINES[code]:
        row = layout.row_of(code, item.code)
        if item.section != section:
            section = item.section
            ws[f"{layout.LABEL_COLUMN}{row - 1}"] = t(f"diagnostic.wb_section_{section}", lang)
            ws[f"{layout.LABEL_COLUMN}{row - 1}"].font = SECTION
        ws[f"{layout.CODE_COLUMN}{row}"] = item.code
        ws[f"{layout.LABEL_COLUMN}{row}"] = t(f"diagnostic.wb_line_{item.code}", lang)
        ws[f"{layout.UNIT_COLUMN}{row}"] = t(f"diagnostic.wb_unit_{item.kind}", lang)
        ws[f"{layout.DEFINITION_COLUMN}{row}"] = t(f"diagnostic.wb_def_{item.code}", lang)
        ws[f"{layout.DEFINITION_COLUMN}{row}"].alignment = WRAP
        cell = ws[f"{layout.VALUE_COLUMN}{row}"]
        cell.number_format = NUMBER_FORMATS[item.kind]
        if item.kind == "formula":
            cell.value = _formula(code, item)
            cell.fill = FORMULA_FILL
            ws[f"{layout.LABEL_COLUMN}{row}"].font = BOLD
            continue
        cell.fill = INPUT_FILL
        cell.protection = Protection(locked=False)
        dv = _validation(item, lang)
        ws.add_data_validation(dv)
        dv.add(cell.coordinate)
        value = values.get((code, item.code))
        if item.kind == "choice" and isinstance(value, int) and not isinstance(value, bool):
            labels = choice_labels(item.code, lang)
            value = labels[value - 1] if 1 <= value <= len(labels) else value
        if value is not None:
            cell.value = value
    ws.protection.sheet = True


def _instructions(wb: Workbook, lang: str, synthetic: bool) -> None:
    ws = wb.active
    ws.title = sheet_title(layout.INSTRUCTIONS_SHEET, lang)
    ws[layout.MARKER_CELL] = layout.marker(layout.INSTRUCTIONS_SHEET)
    ws[layout.MARKER_CELL].font = GREY
    ws.column_dimensions[layout.CODE_COLUMN].hidden = True
    ws.column_dimensions[layout.LABEL_COLUMN].width = 16
    ws.column_dimensions[layout.VALUE_COLUMN].width = 48
    ws.column_dimensions[layout.UNIT_COLUMN].width = 100
    ws["B1"] = t("diagnostic.wb_title", lang)
    ws["B1"].font = TITLE
    row = 2
    if synthetic:
        ws[f"B{row}"] = t("diagnostic.wb_synthetic_banner", lang)
        ws[f"B{row}"].fill = BANNER_FILL
        ws[f"B{row}"].font = BOLD
        row += 1
    for key in ("intro", "step_1", "step_2", "step_3", "amounts", "checks", "private"):
        row += 1
        ws.merge_cells(f"B{row}:D{row}")
        ws[f"B{row}"] = t(f"diagnostic.wb_instr_{key}", lang)
        ws[f"B{row}"].alignment = WRAP
        ws.row_dimensions[row].height = 48
    row += 2
    ws[f"B{row}"] = t("diagnostic.wb_instr_definitions", lang)
    ws[f"B{row}"].font = SECTION
    row += 1
    for col, key in (("B", "sheet"), ("C", "line"), ("D", "definition")):
        ws[f"{col}{row}"] = t(f"diagnostic.wb_col_{key}", lang)
        ws[f"{col}{row}"].font = BOLD
    seen: set[str] = set()
    for code in (layout.PROFILE_SHEET, layout.YEAR_SHEETS[0]):
        sheet = sheet_title(code, lang) if code == layout.PROFILE_SHEET else ", ".join(
            sheet_title(s, lang) for s in layout.YEAR_SHEETS)
        for item in layout.SHEET_LINES[code]:
            if item.code in seen:
                continue
            seen.add(item.code)
            row += 1
            ws[f"B{row}"] = sheet
            ws[f"C{row}"] = t(f"diagnostic.wb_line_{item.code}", lang)
            ws[f"D{row}"] = t(f"diagnostic.wb_def_{item.code}", lang)
            for col in "BCD":
                ws[f"{col}{row}"].alignment = WRAP
    ws.protection.sheet = True


def build_workbook(lang: str = "fr", values: Mapping[tuple[str, str], object] | None = None,
                   synthetic: bool = False) -> Workbook:
    """The workbook as an openpyxl object (see :func:`workbook_bytes` to save it reproducibly).

    Parameters
    ----------
    lang : ``"fr"`` (default) or ``"en"``: labels, definitions, sheet titles, drop-down answers.
    values : optional input values keyed by ``(sheet code, line code)`` (see
        :func:`analysis.food.workbook.synthetic_values`); a choice given as an integer is written as its answer.
    synthetic : mark the workbook as fictitious (a red banner on every sheet and the document property
        ``vigie_synthetic = true``, which the reader passes on to the diagnostic).

    Returns
    -------
    openpyxl.Workbook
    """
    check_lang(lang)
    values = dict(values or {})
    unknown = [k for k in values if k[0] not in layout.SHEET_LINES or
               k[1] not in {i.code for i in layout.SHEET_LINES[k[0]]}]
    if unknown:
        raise ParameterError(f"unknown (sheet, line) keys: {unknown[:3]}", field="values")
    wb = Workbook()
    _instructions(wb, lang, synthetic)
    for code in (layout.PROFILE_SHEET, *layout.YEAR_SHEETS):
        _data_sheet(wb, code, lang, values, synthetic)
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    props = wb.properties
    props.creator = "Vigie (analysis.report.workbook)"
    props.lastModifiedBy = props.creator
    props.title = t("diagnostic.wb_title", lang)
    props.language = "fr-CA" if lang == "fr" else "en-CA"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    wb.custom_doc_props.append(StringProperty(name=layout.VERSION_PROPERTY, value=layout.FORMAT_VERSION))
    if synthetic:
        wb.custom_doc_props.append(StringProperty(name=layout.SYNTHETIC_PROPERTY, value="true"))
    return wb


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_CREATED = re.compile(rb"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)")


def reproducible_zip(data: bytes) -> bytes:
    """The same .xlsx with fixed document dates and zip timestamps (openpyxl stamps both with the current time)."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    # stored, not deflated: the bytes then do not depend on the zlib build of the machine that writes them
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _CREATED.sub(rb"\g<1>" + stamp + rb"\g<2>", _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", body))
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_STORED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, body)
    return out.getvalue()


def workbook_bytes(lang: str = "fr", values: Mapping[tuple[str, str], object] | None = None,
                   synthetic: bool = False) -> bytes:
    """The workbook's bytes, identical from one run to the next for the same arguments (see :func:`build_workbook`)."""
    buffer = io.BytesIO()
    build_workbook(lang, values, synthetic).save(buffer)
    return reproducible_zip(buffer.getvalue())


def write_workbook(path: Path | str, lang: str = "fr", values: Mapping[tuple[str, str], object] | None = None,
                   synthetic: bool = False, overwrite: bool = False) -> Path:
    """Write the workbook to ``path`` (``.xlsx``) and return the path.

    Parameters
    ----------
    path : where to write; its folder is created.
    lang, values, synthetic : see :func:`build_workbook`.
    overwrite : replace an existing file (default: refuse, so a filled workbook is never overwritten by a blank).

    Raises
    ------
    ParameterError
        ``path`` does not end in ``.xlsx``, or it exists and ``overwrite`` is false.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ParameterError(f"the workbook must end in .xlsx, got {path.name!r}", field="path")
    if path.exists() and not overwrite:
        raise ParameterError(f"{paths.relative(path)} already exists: choose another name (a filled workbook is "
                             "never overwritten)", field="path")
    data = workbook_bytes(lang, values, synthetic)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
