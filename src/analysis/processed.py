"""``make processed``: validated copies of the raw tables as Parquet in ``data/processed/``, for DuckDB or pandas.

Each table goes through its loader (schema checks included), so a file in ``data/processed/`` is always a valid
table. The publication bank of the innovation watch's default parameter set is written too (its corpus files that
are missing are skipped with a note: ``make data`` brings them). Output is deterministic for the same inputs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analysis.core import paths


def _tables() -> dict[str, Callable[[], pd.DataFrame]]:
    from analysis.ecosystem import indicators as ecosystem_data
    from analysis.food import casebook
    from analysis.vigie import practices

    return {
        "food_cases": casebook.load_cases,
        "food_statements": casebook.load_statements,
        "food_published_counts": casebook.load_published_counts,
        "vigie_practices": practices.load_practices,
        "ecosystem_indicators": ecosystem_data.load_indicators,
        "procurement_initiatives": ecosystem_data.load_initiatives,
    }


def write_table(df: pd.DataFrame, target: Path) -> Path:
    """Parquet without the index, written atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".parquet.part")
    df.to_parquet(tmp, index=False)
    tmp.replace(target)
    return target


def build_tables(out: Path | None = None) -> list[Path]:
    """Every raw table, validated, as ``<name>.parquet``."""
    out = out or paths.PROCESSED
    return [write_table(loader(), out / f"{name}.parquet") for name, loader in _tables().items()]


def build_default_bank(out: Path | None = None) -> dict[str, Path]:
    """The publication bank of ``params/vigie_innovation/default.yaml`` as ``bank/<table>.parquet``."""
    from analysis.core import external, params
    from analysis.vigie import bank

    out = out or paths.PROCESSED
    values = params.load_param_file(paths.PARAMS / "vigie_innovation" / "default.yaml")
    sources = [external.resolve_source(v) for v in values.get("corpus", [])]
    present = [p for p in sources if p.exists()]
    for p in sorted(set(sources) - set(present)):
        print(f"  note: {paths.relative(p)} is missing (run `make data`); the bank is built without it")
    if not present:
        return {}
    return bank.write_parquet(bank.build_bank(present), out / "bank")


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None, help="output folder (default data/processed)")


def run(args: argparse.Namespace) -> int:
    written = build_tables(args.out)
    written += list(build_default_bank(args.out).values())
    print(f"data/processed: {len(written)} Parquet files")
    return 0
