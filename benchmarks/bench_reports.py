"""Wall time of `make reports` on the default data, step by step, and which step dominates.

Goal (issue 2): under 90 s on a 2-core machine once the environment is installed. Run: `make bench-reports`.
Each step runs as its own process (as `make reports` runs it); the table goes to stdout and
benchmarks/results/reports.md. Not run by CI.
"""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
STEPS = [
    ("venv (already installed: make's check only)", ["make", "-s", "venv"]),
    ("make data (hash check of 15 datasets)", [PY, "-m", "analysis", "data"]),
    ("data/processed (loaders + Parquet)", [PY, "-m", "analysis", "process"]),
    ("render every report (papermill + nbconvert, parallel)", [PY, "-m", "analysis", "render"]),
]


def run_once() -> tuple[list[float], str]:
    times, render_out = [], ""
    for _label, cmd in STEPS:
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            sys.exit(f"step failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
        if cmd[-1] == "render":
            render_out = proc.stdout
    return times, render_out


def main(repeats: int = 3) -> None:
    runs = [run_once() for _ in range(repeats)]
    medians = [statistics.median(r[0][i] for r in runs) for i in range(len(STEPS))]
    total = sum(medians)
    lines = [
        "# `make reports` wall time (median of %d runs)" % repeats,
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        "| step | median s | share |",
        "|---|---:|---:|",
    ]
    for (label, _), m in zip(STEPS, medians):
        lines.append(f"| {label} | {m:.1f} | {100 * m / total:.0f} % |")
    lines.append(f"| **total** | **{total:.1f}** | goal < 90 s: {'met' if total < 90 else 'NOT met'} |")
    per_report = re.findall(r"^✓.*$", runs[-1][1], flags=re.M)
    if per_report:
        lines += ["", "Per report (last run, as printed by the renderer):", "",
                  *[f"    {x.strip()}" for x in per_report]]
    dominant = STEPS[medians.index(max(medians))][0]
    lines += ["", f"Dominant step: {dominant}."]
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "benchmarks" / "results").mkdir(exist_ok=True)
    (ROOT / "benchmarks" / "results" / "reports.md").write_text(text)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
