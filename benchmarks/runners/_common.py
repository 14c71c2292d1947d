"""Shared timing loop for the benchmark runners: stdlib only, so it runs in any venv.

Each runner imports its tool once (timed apart as ``import_s``), then times ``run_once(path)`` ``--repeat``
times in this same process and writes one JSON object to ``--out``. CPU time (all threads of this process) is
recorded too: it is less inflated than wall time when other work shares the machine. Peak memory is this
process's ``ru_maxrss``; the harness also reads it from ``os.wait4`` for the whole child.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import os
import platform
import resource
import statistics
import sys
import time
import traceback
from collections.abc import Callable


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(tool: str, setup: Callable[[], str], run_once: Callable[[str], dict]) -> int:
    """Parse ``--file --repeat --out``, time ``run_once``, write the JSON result (exit 0 on a tool error)."""
    parser = argparse.ArgumentParser(description=f"Time {tool}: ingest + main-information summary")
    parser.add_argument("--file", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", required=True, help="where to write the JSON result")
    parser.add_argument("--quiet", action="store_true", default=True)
    args = parser.parse_args()

    result: dict = {
        "tool": tool,
        "file": os.path.basename(args.file),
        "repeat": args.repeat,
        "python": platform.python_version(),
        "times_s": [],
        "cpu_s": [],
        "status": "ok",
    }
    sink = io.StringIO()
    try:
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(sink):
            result["version"] = setup()
        result["import_s"] = time.perf_counter() - t0
        result["rss_after_import_mb"] = _rss_mb()
        for _ in range(args.repeat):
            gc.collect()
            with contextlib.redirect_stdout(sink):
                c0, t0 = time.process_time(), time.perf_counter()
                info = run_once(args.file)
                dt, cpu = time.perf_counter() - t0, time.process_time() - c0
            result["times_s"].append(dt)
            result["cpu_s"].append(cpu)
            result.update(info)
            del info
            sink.seek(0)
            sink.truncate()
        # steady state: the first call (lazy imports, caches, first page faults) is reported apart as
        # "first call" and left out of the median whenever at least two calls remain
        steady = result["times_s"][1:] if len(result["times_s"]) >= 3 else result["times_s"]
        result["median_s"] = statistics.median(steady)
        result["min_s"] = min(steady)
        result["median_cpu_s"] = statistics.median(result["cpu_s"][1:] if len(result["cpu_s"]) >= 3
                                                   else result["cpu_s"])
    except BaseException as exc:  # noqa: BLE001 - a failing peer is a result to record, not a harness crash
        first_line = str(exc).splitlines()[0] if str(exc) else ""
        result["status"] = f"error: {type(exc).__name__}: {first_line}"[:300]
        result["traceback_tail"] = traceback.format_exc().splitlines()[-6:]
    result["peak_rss_self_mb"] = _rss_mb()
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=1, default=str)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit("import this module from a runner")
