"""The main-information SQL of a vigie bank in Spark SQL (local mode), compared with DuckDB and pandas (issue 20).

The same Parquet folder that :func:`analysis.vigie.save_bank` writes (works partitioned by year in the Hive
layout, the other tables as Parquet files) is registered as Spark temporary views with the same names and
columns as the DuckDB views, then :data:`analysis.vigie.store.MAIN_INFORMATION_SQL` runs in Spark's dialect
(``split``/``explode`` instead of DuckDB's ``string_split``/``unnest``: the only difference). On a cluster the
same script reads an object-store folder (``s3a://…/bank``) and runs unchanged: see ``docs/scale.md``.

Not run by CI and not in the lock: ``pip install -r benchmarks/requirements-spark.txt`` (pyspark, which brings
its own Spark; Java 17 or later must be on the machine), then::

    .venv/bin/python benchmarks/spark_main_information.py                  # the shared corpora (Scopus + WoS)
    .venv/bin/python benchmarks/spark_main_information.py --bank data/processed/banks/<key>/db

Writes ``benchmarks/results/spark_main_information.md`` and exits 1 if an engine disagrees.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

import duckdb  # noqa: E402

from analysis import vigie  # noqa: E402 - after the src folder is on the path
from analysis.core import paths  # noqa: E402
from analysis.vigie import store  # noqa: E402

SHARED = ("scopus_ai_2025.csv", "wos_ai_2025.txt")


def spark_session(threads: int = 2):
    """A local Spark session (no UI, UTC, small shuffle: the banks here are small)."""
    from pyspark.sql import SparkSession  # optional dependency (benchmarks/requirements-spark.txt)

    return (SparkSession.builder.master(f"local[{threads}]").appName("vigie-main-information")
            .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", str(threads * 2))
            .config("spark.driver.memory", "1g").getOrCreate())


def register_views(spark, folder: Path) -> None:
    """The bank's tables as Spark temporary views, with the DuckDB views' names and columns."""
    from pyspark.sql import functions as F  # optional dependency

    for view in store.TABLES:
        frame = spark.read.parquet(str(folder / view))  # works: year discovered from the year=<y> folders
        if view in store.PARTITION_COLUMN:
            column = store.PARTITION_COLUMN[view]
            frame = frame.withColumn(column, F.col(column).cast("bigint"))
        frame.select(*store.view_columns(view)).createOrReplaceTempView(view)


def spark_main_information(spark, folder: Path) -> dict:
    """The main-information dict computed by Spark SQL over the bank folder."""
    register_views(spark, folder)
    row = spark.sql(store.main_information_sql("spark")).collect()[0].asDict()
    years = {int(r["year"]): int(r["documents"]) for r in spark.sql(store.YEARS_SQL).collect()}
    doc_types = {r["doc_type"]: int(r["documents"]) for r in spark.sql(store.DOCUMENT_TYPES_SQL).collect()}
    return store.main_information_from_aggregates(row, years, doc_types)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bank", default=None, help="a bank folder (default: the shared corpora, saved to a temp dir)")
    parser.add_argument("--out", default=str(HERE / "results" / "spark_main_information.md"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vigie-spark-") as tmp:
        bank = None
        if args.bank:
            folder = store.bank_folder(args.bank)
        else:
            files = [paths.EXTERNAL / "corpora" / name for name in SHARED]
            if not all(f.exists() for f in files):
                print("spark_main_information: the shared corpora are missing (run `make data`)", file=sys.stderr)
                return 2
            bank = vigie.build_bank(files)
            folder = vigie.save_bank(bank, Path(tmp) / "bank")
        t0 = time.perf_counter()
        with vigie.open_bank(folder) as db:
            duck = db.main_information_dict()
        t_duck = time.perf_counter() - t0
        t0 = time.perf_counter()
        spark = spark_session()
        t_start = time.perf_counter() - t0
        t0 = time.perf_counter()
        sparked = spark_main_information(spark, folder)
        t_spark = time.perf_counter() - t0
        version = spark.version
        spark.stop()
        pandas_info = vigie.main_information_dict(bank) if bank is not None else None
    keys = list(duck)
    lines = ["# Main information: Spark SQL vs DuckDB (issue 20)", "",
             f"Bank: {'the shared corpora (' + ' + '.join(SHARED) + ')' if bank is not None else args.bank}; "
             f"Spark {version} in local mode (2 threads), DuckDB {duckdb.__version__}; "
             f"DuckDB {t_duck:.2f} s, Spark {t_spark:.2f} s (+ {t_start:.1f} s to start the JVM).", "",
             "| key | DuckDB | Spark SQL |" + (" pandas |" if pandas_info else ""),
             "|---|---|---|" + ("---|" if pandas_info else "")]
    differ = []
    for key in keys:
        cells = [duck[key], sparked[key]] + ([pandas_info[key]] if pandas_info else [])
        if any(c != cells[0] for c in cells):
            differ.append(key)
        lines.append(f"| {key} | " + " | ".join(str(c) for c in cells) + " |")
    lines += ["", f"All {len(keys)} fields equal." if not differ else f"**Differ**: {', '.join(differ)}", ""]
    text = "\n".join(lines)
    print(text)
    Path(args.out).write_text(text, encoding="utf-8")
    return 1 if differ else 0


if __name__ == "__main__":
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    sys.exit(main())
