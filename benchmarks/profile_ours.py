"""Profile our ingest + main information in process (cProfile), to find the hotspots behind a missed goal.

Usage: ``.venv/bin/python benchmarks/profile_ours.py [--case 1x|30x-distinct|30x-identical] [--top 25]``
Prints the top functions by cumulative and by own time, and the wall time / peak RSS of one run.
The 30x copies are generated in a temporary directory exactly as bench_ingest.py makes them.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_ingest import COPIES_OF, DEFAULT_SOURCE, write_replicas  # noqa: E402 - found through sys.path above


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default=None)
    parser.add_argument("--case", default="1x", choices=("1x", *COPIES_OF))
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--bank-only", action="store_true", help="profile build_bank without main_information"
    )
    parser.add_argument("--file", default=None, help="profile this file (e.g. a copy kept from an earlier run)")
    parser.add_argument("--no-warmup", action="store_true", help="skip the warm-up build (big files: memory)")
    parser.add_argument("--src", default=str(HERE.parent / "src"), help="the analysis package's src folder")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(args.src).resolve()))

    from analysis.core.paths import default_mirror
    from analysis.vigie.bank import build_bank

    main_information = None
    if not args.bank_only:
        from analysis.vigie.bibliometrics import main_information

    source = Path(args.source) if args.source else default_mirror() / DEFAULT_SOURCE
    with tempfile.TemporaryDirectory(prefix="vigie-prof-") as tmp:
        path = Path(args.file) if args.file else source
        if args.case != "1x" and not args.file:
            path = Path(tmp) / f"{args.case}.csv"
            write_replicas(source, path, COPIES_OF[args.case], distinct=args.case.endswith("distinct"))
        if not args.no_warmup:
            build_bank([path])  # warm-up: lazy imports and caches out of the profile
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        bank = build_bank([path])
        if main_information is not None:
            main_information(bank)
        prof.disable()
        wall = time.perf_counter() - t0
    import analysis.vigie.bank

    print(f"profiled: {analysis.vigie.bank.__file__}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"case {args.case}: {len(bank.works):,} works, {wall:.2f} s under the profiler, peak {peak:.0f} MB")
    for key in ("cumulative", "tottime"):
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(key).print_stats(args.top)
        print(f"\n=== top {args.top} by {key}")
        print(buf.getvalue().split("\n", 6)[-1] if "ncalls" in buf.getvalue() else buf.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
