"""Memory and speed of ``watch update`` on a large simulated query (opt-in: ``VIGIE_WATCH_LARGE=1``; a few minutes).

A local server process answers one query with ``VIGIE_WATCH_LARGE_N`` synthetic works (default 200,000, made on
demand by seeded code, pages of 200); the update runs in another process whose resident memory is sampled from
``/proc``. The download phase (fetching, caching, streaming the JSON Lines and Parquet files) must stay under
1 GB; the figures of the whole update, bank included, are printed for docs/watch.md.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from analysis.core import paths

HERE = Path(__file__).parent
N = int(os.environ.get("VIGIE_WATCH_LARGE_N", "200000"))

pytestmark = pytest.mark.skipif(os.environ.get("VIGIE_WATCH_LARGE") != "1",
                                reason="large simulated query: set VIGIE_WATCH_LARGE=1 to run it")

DRIVER = """
import sys, time
from pathlib import Path
from analysis.vigie.watch.update import run_update
t0 = time.time()
r = run_update(sys.argv[1], cache=sys.argv[2], editions=sys.argv[3], exports_root=Path(sys.argv[3]) / "none",
               backoff=0, progress_interval=5.0, chunk_size=int(sys.argv[4]))
print("RESULT", r.status, r.requests, round(time.time() - t0, 1), flush=True)
"""


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def test_large_query_streams_under_one_gigabyte(tmp_path):
    port_file = tmp_path / "port"
    config = {"routes": [], "lazy_routes": [["(innovation", N, 1, "innovation"]], "seed": 11, "abstract_words": 120}
    server = subprocess.Popen([sys.executable, str(HERE / "_watch_server.py"), str(port_file), json.dumps(config)])
    try:
        while not port_file.exists():
            time.sleep(0.05)
        strategy = tmp_path / "strategy.yaml"
        strategy.write_text((HERE / "fixtures" / "watch" / "strategy_small.yaml").read_text(encoding="utf-8")
                            .replace("per_page: 5", "per_page: 200"), encoding="utf-8")
        env = {**os.environ, "VIGIE_OPENALEX_URL": port_file.read_text(), "VIGIE_OPENALEX_BUDGET": "100000"}
        chunk = os.environ.get("VIGIE_WATCH_LARGE_CHUNK", "5000")
        proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(strategy), str(tmp_path / "cache"),
                                 str(tmp_path / "editions"), chunk], env=env, cwd=paths.ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        phase = {"name": "download", "t_bank": None}
        lines: list[str] = []

        def read_stderr() -> None:
            for line in proc.stderr:
                lines.append(line.rstrip())
                if "building the bank" in line:
                    phase["name"], phase["t_bank"] = "bank", time.time()

        reader = threading.Thread(target=read_stderr, daemon=True)
        reader.start()
        t0 = time.time()
        peaks = {"download": 0.0, "bank": 0.0}
        while proc.poll() is None:
            peaks[phase["name"]] = max(peaks[phase["name"]], _rss_mb(proc.pid))
            time.sleep(0.1)
        total = time.time() - t0
        out = proc.stdout.read()
        reader.join(timeout=5)
    finally:
        server.kill()
    assert "RESULT edition" in out, "\n".join(lines[-20:])
    download_s = (phase["t_bank"] or time.time()) - t0
    pages = N // 200 + 1
    report = (f"{N:,} works, {pages:,} pages of 200, chunk {chunk}: download phase {download_s:.0f} s "
              f"({pages / download_s:.1f} pages/s), peak RSS {peaks['download']:.0f} MB; whole update {total:.0f} s, "
              f"peak RSS with the bank {max(peaks.values()):.0f} MB")
    print(report)
    (tmp_path / "report.txt").write_text(report)
    assert peaks["download"] < 1024
