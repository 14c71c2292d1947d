"""The README's quickstart runs as written, from notebooks/ (where `make lab` opens JupyterLab)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from analysis.core import paths

README = paths.ROOT / "README.md"


def quickstart_block() -> str:
    """The first fenced ``python`` block under the heading that contains "Quickstart"."""
    text = README.read_text(encoding="utf-8")
    heading = re.search(r"^#+ .*Quickstart.*$", text, re.M)
    assert heading, "README.md has no heading containing 'Quickstart'"
    block = re.search(r"```python\n(.*?)```", text[heading.end():], re.S)
    assert block, "no ```python block under the Quickstart heading"
    return block.group(1)


def test_quickstart_block_runs_from_notebooks_folder():
    needed = [paths.EXTERNAL / "corpora" / "scopus_ai_2025.csv", paths.EXTERNAL / "corpora" / "wos_ai_2025.txt"]
    if not all(p.exists() for p in needed):
        pytest.skip("the shared corpora are not in data/external (run `make data`)")
    env = {**os.environ, "MPLBACKEND": "Agg"}
    run = subprocess.run([sys.executable, "-c", quickstart_block()], cwd=paths.NOTEBOOKS, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    out = run.stdout
    # the bank of the two shared exports: 3,735 works, 423 merged duplicates (DOI and title rules)
    assert "<Bank: 3735 works from 2 files" in out and "423 merged" in out
    assert "Timespan" in out and "Annual Growth Rate %" in out, "main information printed"
    assert "rate_ratio" in out, "emerging themes table printed"
    # the DuckDB query over the saved bank: 3,044 works of 2024 in the Scopus export's year distribution
    assert "mean_cited" in out and re.search(r"2024\s+\d", out), "DuckDB query printed"
    # Kaplan–Meier by sector group, delayed entry, censored at the extract's last dissolution: food co-ops 77.5 %
    assert re.search(r"food\s+10\.0\s+0\.775", out), out[-2000:]
