"""Loaders for the tables transcribed from the seed documents (data/raw/food_cases, data/raw/vigie), with schemas.

Each loader reads the CSV as text, converts the numeric columns and validates the table with a pandera schema;
any problem raises :class:`analysis.errors.SchemaError` naming the file, the line in the CSV file (header = 1) and
the column, so a bad edit of a raw file is caught on load rather than deep inside an analysis.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis import paths
from analysis.errors import SchemaError

# ---- code lists (documented in data/raw/README.md) -----------------------------------------------------------
LEGAL_STATUSES = ("coop_consumer", "coop_solidarity", "coop_producer", "obnl")
FOOD_SYSTEM_ROLES = (
    "retail_distribution",
    "online_platform",
    "ecological_production",
    "processing",
    "poverty_exclusion",
    "producer_mutualisation",
    "research",
)
GEOGRAPHIC_ZONES = ("urban", "periurban_semirural", "rural")
TERRITORIAL_SCALES = ("neighbourhood", "municipality", "region", "quebec")
CODING_BASES = ("book_footnote", "coder_location", "coder_clientele")
PHASES = ("startup", "development", "all")
KINDS = ("challenge", "success_factor", "learning", "future_issue")
THEMES = (
    "community_anchoring",
    "democratic_governance",
    "leadership_strategy",
    "support",
    "value_proposition_marketing",
    "financial_management",
    "operations",
)
SUBTHEMES = (
    "citizen_mobilisation",
    "partner_support",
    "governance",
    "strategic_management",
    "marketing_strategy",
    "startup_funding",
    "access_to_financing",
    "public_funding_dependence",
    "operations_management",
    "team_expertise",
    "workforce_recruitment",
)
COUNT_DIMENSIONS = (
    "enterprises",
    "status",
    "geographic_zone",
    "territorial_scale",
    "food_system_role",
    "theme",
    "startup_resources",
    "commercial_revenue_share",
)
INNOVATION_TYPES = ("technological", "organisational", "social", "business_model", "financial")
PRIORITY_ISSUES = (
    "innovation_digital",
    "food_health_autonomy",
    "territorial_development",
    "climate_transition",
    "talent_frontline",
)
SECTORS = (
    "agriculture",
    "agroforestry",
    "food_distribution",
    "food_services",
    "telecommunications",
    "health_home_care",
    "digital_platforms",
    "education",
    "research",
    "finance",
    "cross_sector",
)

CASES_PATH = Path("food_cases/cases.csv")
STATEMENTS_PATH = Path("food_cases/statements.csv")
PUBLISHED_COUNTS_PATH = Path("food_cases/published_counts.csv")
PRACTICES_PATH = Path("vigie/practices.csv")


def split_list(value: object) -> list[str]:
    """The items of a ``;``-separated cell (empty list for an empty cell)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return []
    return [item.strip() for item in str(value).split(";") if item.strip()]


def _codes(allowed: Iterable[str], name: str) -> pa.Check:
    """Check that every ``;``-separated item of a cell is one of ``allowed``."""
    allowed = frozenset(allowed)
    return pa.Check(
        lambda s: s.map(lambda v: all(item in allowed for item in split_list(v))).astype(bool),
        error=f"{name}: every ';'-separated item must be one of {sorted(allowed)}",
    )


def _text(nullable: bool = True, **kw) -> pa.Column:
    return pa.Column(str, nullable=nullable, **kw)


def _int(nullable: bool = True, lo: int | None = 0, hi: int | None = None) -> pa.Column:
    checks = []
    if lo is not None:
        checks.append(pa.Check.ge(lo))
    if hi is not None:
        checks.append(pa.Check.le(hi))
    return pa.Column("Int64", checks=checks, nullable=nullable)


YEAR = {"lo": 1800, "hi": 2100}

CASES_SCHEMA = pa.DataFrameSchema(
    {
        "case_id": _text(False, unique=True, checks=pa.Check.str_matches(r"^[a-z0-9_]+$")),
        "name": _text(False),
        "legal_status": _text(False, checks=pa.Check.isin(LEGAL_STATUSES)),
        "region": _text(),
        "mrc": _text(),
        "municipality": _text(),
        "founded_year": _int(**YEAR),
        "reference_year": _int(False, **YEAR),
        "employees": _int(),
        "volunteers": _int(),
        "members": _int(),
        "revenue_cad": _int(),
        "revenue_year": _int(**YEAR),
        "board_size": _int(lo=1),
        "food_system_roles": _text(False, checks=_codes(FOOD_SYSTEM_ROLES, "food_system_roles")),
        "geographic_zone": _text(checks=pa.Check.isin(GEOGRAPHIC_ZONES)),
        "geographic_zone_basis": _text(checks=pa.Check.isin(CODING_BASES)),
        "territorial_scale": _text(checks=pa.Check.isin(TERRITORIAL_SCALES)),
        "territorial_scale_basis": _text(checks=pa.Check.isin(CODING_BASES)),
        "gross_margin_pct": pa.Column("Float64", checks=[pa.Check.ge(0), pa.Check.le(100)], nullable=True),
        "approximate_fields": _text(),
        "lower_bound_fields": _text(),
        "seed_lines": _text(),
        "notes": _text(),
    },
    name="food_cases/cases.csv",
)

STATEMENTS_SCHEMA = pa.DataFrameSchema(
    {
        "statement_id": _text(False, unique=True),
        "case_id": _text(False, checks=pa.Check.str_matches(r"^[a-z0-9_]+$")),
        "phase": _text(False, checks=pa.Check.isin(PHASES)),
        "kind": _text(False, checks=pa.Check.isin(KINDS)),
        "theme": _text(False, checks=pa.Check.isin(THEMES)),
        "subtheme": _text(checks=pa.Check.isin(SUBTHEMES)),
        "label": _text(False),
        "seed_line": _int(lo=1),
        "note": _text(),
    },
    name="food_cases/statements.csv",
)

PUBLISHED_COUNTS_SCHEMA = pa.DataFrameSchema(
    {
        "dimension": _text(False, checks=pa.Check.isin(COUNT_DIMENSIONS)),
        "category": _text(False),
        "subcategory": _text(),
        "phase": _text(checks=pa.Check.isin(("startup", "development"))),
        "kind": _text(checks=pa.Check.isin(KINDS)),
        "published_count": _int(),
        "published_mentions": _int(),
        "published_enterprises": _int(),
        "source_section": _text(False),
        "seed_line": _int(lo=1),
        "note": _text(),
    },
    name="food_cases/published_counts.csv",
)

PRACTICES_SCHEMA = pa.DataFrameSchema(
    {
        "practice_id": _text(False, unique=True),
        "case_id": _text(),
        "actor": _text(False),
        "description": _text(False),
        "innovation_type": _text(False, checks=pa.Check.isin(INNOVATION_TYPES)),
        "priority_issue": _text(False, checks=_codes(PRIORITY_ISSUES, "priority_issue")),
        "sector": _text(False, checks=pa.Check.isin(SECTORS)),
        "region": _text(),
        "year": _int(**YEAR),
        "source_doc": _text(False, checks=pa.Check.str_matches(r"^\d{3}_[0-9a-f]+\.txt$")),
        "source_section": _text(False),
        "seed_lines": _text(),
        "notes": _text(),
    },
    name="vigie/practices.csv",
)


# ---- generic reading and validation -------------------------------------------------------------------------
def _record_lines(path: Path) -> list[int]:
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


def _line(lines: list[int], position: int) -> int:
    return lines[position] if 0 <= position < len(lines) else position + 2


def _read_validated(path: Path, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Read ``path`` as text, convert typed columns, validate with ``schema``; raise SchemaError on the first problem."""
    if not path.exists():
        raise SchemaError("file not found", path=path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise SchemaError(f"cannot be read as CSV: {exc}", path=path) from None
    lines = _record_lines(path)
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
                    f"expected a number, found {raw[name].iloc[pos]!r}", path=path, line=_line(lines, pos), field=name
                )
            if dtype == "Int64":
                fractional = numbers.notna() & (numbers != numbers.round())
                if fractional.any():
                    pos = int(fractional.to_numpy().nonzero()[0][0])
                    raise SchemaError(
                        f"expected a whole number, found {raw[name].iloc[pos]!r}",
                        path=path,
                        line=_line(lines, pos),
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
    line = _line(lines, int(pos)) if pd.notna(pos) else None
    value = first["failure_case"]
    value = value.item() if hasattr(value, "item") else value
    count = len(failures)
    more = f" ({count - 1} more problem(s) in this file)" if count > 1 else ""
    return SchemaError(
        f"value {value!r} fails check {first['check']}{more}", path=path, line=line, field=first["column"]
    )


def _resolve(path: Path | str | None, default: Path) -> Path:
    return Path(path) if path is not None else paths.RAW / default


# ---- public loaders -----------------------------------------------------------------------------------------
def load_cases(path: Path | str | None = None) -> pd.DataFrame:
    """The ten TIESS food enterprises (one row each), validated; numeric columns as nullable Int64/Float64."""
    path = _resolve(path, CASES_PATH)
    table = _read_validated(path, CASES_SCHEMA)
    for list_column in ("approximate_fields", "lower_bound_fields"):
        for pos, value in enumerate(table[list_column]):
            unknown = [item for item in split_list(value) if item not in table.columns]
            if unknown:
                raise SchemaError(
                    f"names unknown column(s) {', '.join(unknown)}",
                    path=path,
                    line=_record_lines(path)[pos],
                    field=list_column,
                )
    for zone, basis in (("geographic_zone", "geographic_zone_basis"), ("territorial_scale", "territorial_scale_basis")):
        mismatch = table[zone].isna() != table[basis].isna()
        if mismatch.any():
            pos = int(mismatch.to_numpy().nonzero()[0][0])
            raise SchemaError(
                f"{zone} and {basis} must be both filled or both empty",
                path=path,
                line=_record_lines(path)[pos],
                field=basis,
            )
    return table


def load_statements(path: Path | str | None = None) -> pd.DataFrame:
    """Coded challenges, success factors, learnings and future issues of the cases, validated."""
    return _read_validated(_resolve(path, STATEMENTS_PATH), STATEMENTS_SCHEMA)


def load_published_counts(path: Path | str | None = None) -> pd.DataFrame:
    """The case book's printed summary counts, exactly as printed, validated."""
    return _read_validated(_resolve(path, PUBLISHED_COUNTS_PATH), PUBLISHED_COUNTS_SCHEMA)


def load_practices(path: Path | str | None = None) -> pd.DataFrame:
    """Inventory of innovative cooperative practices and projects from the seeds, validated."""
    return _read_validated(_resolve(path, PRACTICES_PATH), PRACTICES_SCHEMA)
