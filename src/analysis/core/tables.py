"""Validated reading of the project's own CSV tables (data/raw): typed columns, pandera schema, errors
naming the file, the CSV line (header = 1) and the column, so a bad edit of a raw file is caught on load.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.core import paths
from analysis.core.errors import SchemaError


def split_list(value: object) -> list[str]:
    """The items of a ``;``-separated cell (empty list for an empty cell)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return []
    return [item.strip() for item in str(value).split(";") if item.strip()]


def codes_check(allowed: Iterable[str], name: str) -> pa.Check:
    """Check that every ``;``-separated item of a cell is one of ``allowed``."""
    allowed = frozenset(allowed)
    return pa.Check(
        lambda s: s.map(lambda v: all(item in allowed for item in split_list(v))).astype(bool),
        error=f"{name}: every ';'-separated item must be one of {sorted(allowed)}",
    )


def text_column(nullable: bool = True, **kw) -> pa.Column:
    return pa.Column(str, nullable=nullable, **kw)


def int_column(nullable: bool = True, lo: int | None = 0, hi: int | None = None) -> pa.Column:
    checks = []
    if lo is not None:
        checks.append(pa.Check.ge(lo))
    if hi is not None:
        checks.append(pa.Check.le(hi))
    return pa.Column("Int64", checks=checks, nullable=nullable)


YEAR_RANGE = {"lo": 1800, "hi": 2100}

# ---- generic reading and validation -------------------------------------------------------------------------
def record_lines(path: Path) -> list[int]:
    """1-based line in the file where each data record starts (robust to quoted multi-line cells)."""
    starts: list[int] = []
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        previous_end = 0
        for i, _ in enumerate(reader):
            if i > 0:
                starts.append(previous_end + 1)
            previous_end = reader.line_num
    return starts


def line_of(lines: list[int], position: int) -> int:
    return lines[position] if 0 <= position < len(lines) else position + 2


def read_validated_csv(path: Path, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Read ``path`` as text, convert typed columns, validate with ``schema``; raise SchemaError on the first
    problem."""
    if not path.exists():
        raise SchemaError("file not found", path=path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise SchemaError(f"cannot be read as CSV: {exc}", path=path) from None
    lines = record_lines(path)
    missing = [c for c in schema.columns if c not in raw.columns]
    if missing:
        raise SchemaError(
            f"missing column(s) {', '.join(missing)} (expected {', '.join(schema.columns)})",
            path=path,
            line=1,
            field=missing[0],
        )
    table = raw.copy()
    for name, column in schema.columns.items():
        text = raw[name].str.strip()
        empty = text == ""
        dtype = str(column.dtype)
        if dtype in ("Int64", "Float64"):
            numbers = pd.to_numeric(text.mask(empty), errors="coerce")
            bad = numbers.isna() & ~empty
            if bad.any():
                pos = int(bad.to_numpy().nonzero()[0][0])
                raise SchemaError(
                    f"expected a number, found {raw[name].iloc[pos]!r}", path=path, line=line_of(lines, pos), field=name
                )
            if dtype == "Int64":
                fractional = numbers.notna() & (numbers != numbers.round())
                if fractional.any():
                    pos = int(fractional.to_numpy().nonzero()[0][0])
                    raise SchemaError(
                        f"expected a whole number, found {raw[name].iloc[pos]!r}",
                        path=path,
                        line=line_of(lines, pos),
                        field=name,
                    )
            table[name] = numbers.astype(dtype)
        else:
            table[name] = text.mask(empty)
    try:
        schema.validate(table, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise _first_failure(exc.failure_cases, path, lines) from None
    return table


def _first_failure(failures: pd.DataFrame, path: Path, lines: list[int]) -> SchemaError:
    """Turn pandera's failure table into one SchemaError for the earliest failing row."""
    failures = failures.copy()
    failures["_pos"] = pd.to_numeric(failures["index"], errors="coerce")
    failures = failures.sort_values("_pos", na_position="last", kind="stable")
    first = failures.iloc[0]
    pos = first["_pos"]
    line = line_of(lines, int(pos)) if pd.notna(pos) else None
    value = first["failure_case"]
    value = value.item() if hasattr(value, "item") else value
    count = len(failures)
    more = f" ({count - 1} more problem(s) in this file)" if count > 1 else ""
    return SchemaError(
        f"value {value!r} fails check {first['check']}{more}", path=path, line=line, field=first["column"]
    )


def raw_path(path: Path | str | None, default: Path) -> Path:
    return Path(path) if path is not None else paths.RAW / default
