"""CPU time and resident memory of each stage of ``build_bank`` + ``main_information`` (issue 20).

Usage: ``.venv/bin/python benchmarks/profile_stages.py FILE[:FILE2…] [--src SRC]`` (files joined by ``os.pathsep``
are read into one bank). Each stage is a function of the package wrapped with a timer: its CPU seconds (process
time, both cores), the resident memory when it starts and ends, the process's peak so far, and the memory Arrow
holds. Nested stages are indented under the stage that calls them. Used for ``docs/scale.md``.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGE = os.sysconf("SC_PAGE_SIZE")
STAGES = [
    ("analysis.vigie.bank", "read_file"),
    ("analysis.vigie.readers", "load_bytes"),
    ("analysis.vigie.readers.scopus", "_parse"),
    ("analysis.vigie.readers.scopus", "_from_columns"),
    ("analysis.vigie.readers.scopus", "records_from_arrow"),
    ("analysis.vigie.readers.scopus", "_authorships"),
    ("analysis.vigie.readers.scopus", "_every_country"),
    ("analysis.vigie.bank", "_first_author_surnames"),
    ("analysis.vigie.dedupe", "find_duplicates"),
    ("analysis.vigie.dedupe", "merge_clusters"),
    ("analysis.vigie.dedupe", "merge_authorships"),
    ("analysis.vigie.bank", "compute_keywords"),
    ("analysis.vigie.bank", "Bank.validate"),
    ("analysis.vigie.bank", "_build"),
]


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", help="one export, or several joined by os.pathsep")
    parser.add_argument("--src", default=str(HERE.parent / "src"), help="the analysis package's src folder")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(args.src).resolve()))
    import pyarrow as pa

    depth, rows = [0], []

    def wrap(module_name: str, attribute: str) -> None:
        owner = importlib.import_module(module_name)
        name = attribute
        if "." in attribute:
            cls, name = attribute.split(".")
            owner = getattr(owner, cls)
        function = getattr(owner, name)

        @functools.wraps(function)
        def timed(*a, **k):
            depth[0] += 1
            cpu, before = time.process_time(), rss_mb()
            try:
                return function(*a, **k)
            finally:
                depth[0] -= 1
                rows.append((depth[0], f"{module_name.rsplit('.', 1)[-1]}.{attribute}", time.process_time() - cpu,
                             before, rss_mb(), peak_mb(), pa.total_allocated_bytes() / 2**20))

        setattr(owner, name, timed)

    for module_name, attribute in STAGES:
        wrap(module_name, attribute)
    from analysis.vigie.bank import build_bank
    from analysis.vigie.bibliometrics import main_information

    t0, c0 = time.perf_counter(), time.process_time()
    bank = build_bank(args.files.split(os.pathsep))
    t1 = time.perf_counter()
    main_information(bank)
    t2 = time.perf_counter()
    print(f"{'stage':45s} {'cpu s':>7s} {'rss in':>8s} {'rss out':>8s} {'peak':>8s} {'arrow MB':>9s}")
    for level, name, cpu, before, after, peak, arrow in rows:
        print(f"{'  ' * level + name:45s} {cpu:7.2f} {before:8.0f} {after:8.0f} {peak:8.0f} {arrow:9.0f}")
    print(f"build {t1 - t0:.2f} s, main_information {t2 - t1:.2f} s, total {t2 - t0:.2f} s, "
          f"cpu {time.process_time() - c0:.2f} s, peak {peak_mb():.0f} MB, works {len(bank.works):,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
