"""The inventory of innovative cooperative practices and projects (data/raw/vigie/practices.csv)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.core.tables import (
    YEAR_RANGE,
    codes_check,
    int_column,
    raw_path,
    read_validated_csv,
    text_column,
)
from analysis.vigie.inputs import resolve_path

# ---- code lists (documented in data/raw/README.md) -----------------------------------------------------------

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

PRACTICES_PATH = Path("vigie/practices.csv")


PRACTICES_SCHEMA = pa.DataFrameSchema(
    {
        "practice_id": text_column(False, unique=True),
        "case_id": text_column(),
        "actor": text_column(False),
        "description": text_column(False),
        "innovation_type": text_column(False, checks=pa.Check.isin(INNOVATION_TYPES)),
        "priority_issue": text_column(False, checks=codes_check(PRIORITY_ISSUES, "priority_issue")),
        "sector": text_column(False, checks=pa.Check.isin(SECTORS)),
        "region": text_column(),
        "year": int_column(**YEAR_RANGE),
        "source_doc": text_column(False, checks=pa.Check.str_matches(r"^\d{3}_[0-9a-f]+\.txt$")),
        "source_section": text_column(False),
        "seed_lines": text_column(),
        "notes": text_column(),
    },
    name="vigie/practices.csv",
)


def load_practices(path: Path | str | None = None) -> pd.DataFrame:
    """The inventory of innovative co-operative practices and projects drawn from the seed documents, validated.

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the inventory's columns; relative to the current folder or to the project root. Default: the
        project's inventory, ``data/raw/vigie/practices.csv``.

    Returns
    -------
    DataFrame
        One row per practice: practice_id, case_id, actor, description, innovation_type, priority_issue (codes
        separated by ``;``), sector, region, year, source_doc, source_section, seed_lines, notes.

    Raises
    ------
    SchemaError
        When a value breaks the schema (unknown code, bad year), naming the file, line and column.
    """
    return read_validated_csv(raw_path(None if path is None else resolve_path(path), PRACTICES_PATH),
                              PRACTICES_SCHEMA)
