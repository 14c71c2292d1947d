"""The inventory of innovative cooperative practices and projects (data/raw/vigie/practices.csv), and where each
practice comes from (case of the TIESS case book, or lever of the CQCM roadmap; seed document, section, lines)."""

from __future__ import annotations

import re
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
from analysis.vigie.arguments import require_table
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
#: Where a practice comes from: a case of the TIESS case book, or a lever of the CQCM roadmap (codes).
SOURCE_KINDS = ("case", "lever")
_LEVER = re.compile(r"\bLevier\s+(\d)\b")


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
        "description_fr": text_column(False),
        "actor_fr": text_column(False),
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
        One row per practice: practice_id, case_id, actor, description (English), innovation_type, priority_issue
        (codes separated by ``;``), sector, region, year, source_doc, source_section, seed_lines, notes,
        description_fr (the same description in French), actor_fr (who carries it, in French).

    Raises
    ------
    SchemaError
        When a value breaks the schema (unknown code, bad year), naming the file, line and column.
    """
    return read_validated_csv(raw_path(None if path is None else resolve_path(path), PRACTICES_PATH),
                              PRACTICES_SCHEMA)


def practice_sources(practices: pd.DataFrame) -> pd.DataFrame:
    """Where each practice of the inventory comes from: its case or its roadmap lever, seed document, section, lines.

    A practice with a ``case_id`` comes from a case of the TIESS case book; otherwise the lever is read from its
    section (``Levier 2 §…`` → 2).

    Parameters
    ----------
    practices : DataFrame
        The inventory (:func:`load_practices`).

    Returns
    -------
    DataFrame
        ``practice_id``, ``kind`` (:data:`SOURCE_KINDS`, missing when neither a case nor a lever is named),
        ``case_id``, ``lever`` (Int64), ``source_doc``, ``source_section``, ``seed_lines`` (list of int); in the
        inventory's order.
    """
    require_table(practices, "practices", ("practice_id", "case_id", "source_doc", "source_section", "seed_lines"))
    lever = practices["source_section"].astype(object).map(
        lambda s: int(m.group(1)) if isinstance(s, str) and (m := _LEVER.search(s)) else None)
    case = practices["case_id"].astype(object).where(practices["case_id"].notna(), None)
    kind = [("case" if isinstance(c, str) else "lever" if pd.notna(lv) else None) for c, lv in zip(case, lever)]
    lines = practices["seed_lines"].astype(object).map(
        lambda v: [int(x) for x in str(v).split(";") if x.strip().isdigit()] if isinstance(v, str) else [])
    return pd.DataFrame({"practice_id": practices["practice_id"].to_numpy(), "kind": pd.array(kind, dtype="string"),
                         "case_id": pd.array(case.tolist(), dtype="string"),
                         "lever": pd.array([None if pd.isna(v) else int(v) for v in lever], dtype="Int64"),
                         "source_doc": practices["source_doc"].to_numpy(),
                         "source_section": practices["source_section"].to_numpy(), "seed_lines": lines.to_numpy()})
