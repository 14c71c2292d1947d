"""The TIESS case book's tables (data/raw/food_cases): the ten enterprises, their coded statements
and the book's printed counts, with their code lists and schemas.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.core import paths
from analysis.core.errors import SchemaError
from analysis.core.tables import (
    YEAR_RANGE,
    codes_check,
    int_column,
    read_validated_csv,
    record_lines,
    split_list,
    text_column,
)
from analysis.food._sources import input_path

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
# What a stated gross margin is a share of: ``sales`` (of the sale price, e.g. a margin asked of producers on their
# sales) or ``unstated`` (the book does not say whether it is a share of the sale price or a markup on cost).
MARGIN_BASES = ("sales", "unstated")
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
CASES_PATH = Path("food_cases/cases.csv")
STATEMENTS_PATH = Path("food_cases/statements.csv")
PUBLISHED_COUNTS_PATH = Path("food_cases/published_counts.csv")
CASES_SCHEMA = pa.DataFrameSchema(
    {
        "case_id": text_column(False, unique=True, checks=pa.Check.str_matches(r"^[a-z0-9_]+$")),
        "name": text_column(False),
        "legal_status": text_column(False, checks=pa.Check.isin(LEGAL_STATUSES)),
        "region": text_column(),
        "mrc": text_column(),
        "municipality": text_column(),
        "founded_year": int_column(**YEAR_RANGE),
        "founded_year_min": int_column(**YEAR_RANGE),
        "founded_year_max": int_column(**YEAR_RANGE),
        "reference_year": int_column(False, **YEAR_RANGE),
        "employees": int_column(),
        "volunteers": int_column(),
        "members": int_column(),
        "revenue_cad": int_column(),
        "revenue_year": int_column(**YEAR_RANGE),
        "food_revenue_cad": int_column(),
        "board_size": int_column(lo=1),
        "food_system_roles": text_column(False, checks=codes_check(FOOD_SYSTEM_ROLES, "food_system_roles")),
        "geographic_zone": text_column(checks=pa.Check.isin(GEOGRAPHIC_ZONES)),
        "geographic_zone_basis": text_column(checks=pa.Check.isin(CODING_BASES)),
        "territorial_scale": text_column(checks=pa.Check.isin(TERRITORIAL_SCALES)),
        "territorial_scale_basis": text_column(checks=pa.Check.isin(CODING_BASES)),
        "gross_margin_pct": pa.Column("Float64", checks=[pa.Check.ge(0), pa.Check.le(100)], nullable=True),
        "margin_basis": text_column(checks=pa.Check.isin(MARGIN_BASES)),
        "approximate_fields": text_column(),
        "lower_bound_fields": text_column(),
        "seed_lines": text_column(),
        "notes": text_column(),
    },
    name="food_cases/cases.csv",
)

STATEMENTS_SCHEMA = pa.DataFrameSchema(
    {
        "statement_id": text_column(False, unique=True),
        "case_id": text_column(False, checks=pa.Check.str_matches(r"^[a-z0-9_]+$")),
        "phase": text_column(False, checks=pa.Check.isin(PHASES)),
        "kind": text_column(False, checks=pa.Check.isin(KINDS)),
        "theme": text_column(False, checks=pa.Check.isin(THEMES)),
        "subtheme": text_column(checks=pa.Check.isin(SUBTHEMES)),
        "label": text_column(False),
        "seed_line": int_column(lo=1),
        "note": text_column(),
    },
    name="food_cases/statements.csv",
)

PUBLISHED_COUNTS_SCHEMA = pa.DataFrameSchema(
    {
        "dimension": text_column(False, checks=pa.Check.isin(COUNT_DIMENSIONS)),
        "category": text_column(False),
        "subcategory": text_column(),
        "phase": text_column(checks=pa.Check.isin(("startup", "development"))),
        "kind": text_column(checks=pa.Check.isin(KINDS)),
        "published_count": int_column(),
        "published_mentions": int_column(),
        "published_enterprises": int_column(),
        "source_section": text_column(False),
        "seed_line": int_column(lo=1),
        "note": text_column(),
    },
    name="food_cases/published_counts.csv",
)

# ---- public loaders -----------------------------------------------------------------------------------------
def load_cases(path: Path | str | None = None) -> pd.DataFrame:
    """The ten TIESS food enterprises, one row each, validated.

    Parameters
    ----------
    path : path or str, optional
        A file in the layout of ``data/raw/food_cases/cases.csv`` (the default); a relative path is read from the
        current folder, else from the project root.

    Returns
    -------
    DataFrame
        One row per case: ``case_id``, ``name``, ``legal_status`` (a code of ``LEGAL_STATUSES``), region, zone
        and scale codes, founding year (or its bounds ``founded_year_min`` / ``founded_year_max`` when the book
        gives only a decade), reference year, employees, volunteers, members, revenue and ``food_revenue_cad``
        (the food activity's part, when the book states it apart) (nullable ``Int64``), ``gross_margin_pct``
        (``Float64``) with its ``margin_basis`` (a code of ``MARGIN_BASES``), ``food_system_roles``
        (``;``-separated codes) and the ``approximate_fields`` / ``lower_bound_fields`` that mark the book's
        approximate figures.

    Raises
    ------
    SchemaError
        A value breaks the schema or the columns disagree (founding-year bounds beside an exact year, a margin
        without its basis, a food revenue above the whole revenue); the error names the file, the CSV line and the
        column.
    """
    path = input_path(path, default=paths.RAW / CASES_PATH)
    table = read_validated_csv(path, CASES_SCHEMA)
    for list_column in ("approximate_fields", "lower_bound_fields"):
        for pos, value in enumerate(table[list_column]):
            unknown = [item for item in split_list(value) if item not in table.columns]
            if unknown:
                raise SchemaError(
                    f"names unknown column(s) {', '.join(unknown)}",
                    path=path,
                    line=record_lines(path)[pos],
                    field=list_column,
                )
    for zone, basis in (("geographic_zone", "geographic_zone_basis"), ("territorial_scale", "territorial_scale_basis"),
                        ("gross_margin_pct", "margin_basis")):
        mismatch = table[zone].isna() != table[basis].isna()
        if mismatch.any():
            pos = int(mismatch.to_numpy().nonzero()[0][0])
            raise SchemaError(
                f"{zone} and {basis} must be both filled or both empty",
                path=path,
                line=record_lines(path)[pos],
                field=basis,
            )
    rules = (
        ("founded_year_min", table["founded_year_min"].notna() & table["founded_year"].notna(),
         "founding-year bounds are for a founding year the book does not give exactly: leave founded_year empty"),
        ("founded_year_max", table["founded_year_max"].notna() & table["founded_year"].notna(),
         "founding-year bounds are for a founding year the book does not give exactly: leave founded_year empty"),
        ("founded_year_max", table["founded_year_max"] < table["founded_year_min"],
         "founded_year_max is before founded_year_min"),
        ("food_revenue_cad", table["food_revenue_cad"] > table["revenue_cad"],
         "the food activity's revenue exceeds the whole revenue"),
    )
    for field, broken, message in rules:
        broken = broken.fillna(False).astype(bool)
        if broken.any():
            pos = int(broken.to_numpy().nonzero()[0][0])
            raise SchemaError(message, path=path, line=record_lines(path)[pos], field=field)
    return table


def load_statements(path: Path | str | None = None) -> pd.DataFrame:
    """Coded challenges, success factors, learnings and future issues of the cases, validated.

    Parameters
    ----------
    path : path or str, optional
        A file in the layout of ``data/raw/food_cases/statements.csv`` (the default).

    Returns
    -------
    DataFrame
        One row per coded statement: ``statement_id``, ``case_id``, ``phase``, ``kind``, ``theme``, ``subtheme``
        (codes of ``PHASES``, ``KINDS``, ``THEMES``, ``SUBTHEMES``), ``label``, ``seed_line``, ``note``.

    Raises
    ------
    SchemaError
        A value breaks the schema (file, line and column named).
    """
    return read_validated_csv(input_path(path, default=paths.RAW / STATEMENTS_PATH), STATEMENTS_SCHEMA)


def load_published_counts(path: Path | str | None = None) -> pd.DataFrame:
    """The case book's printed summary counts, exactly as printed, validated.

    Parameters
    ----------
    path : path or str, optional
        A file in the layout of ``data/raw/food_cases/published_counts.csv`` (the default).

    Returns
    -------
    DataFrame
        One row per printed count: ``dimension``, ``category``, ``subcategory``, ``phase``, ``kind``,
        ``published_count``, ``published_mentions``, ``published_enterprises`` and where the book prints it.

    Raises
    ------
    SchemaError
        A value breaks the schema (file, line and column named).
    """
    return read_validated_csv(input_path(path, default=paths.RAW / PUBLISHED_COUNTS_PATH), PUBLISHED_COUNTS_SCHEMA)
