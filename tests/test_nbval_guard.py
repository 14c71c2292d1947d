"""nbval guards the reports: change a number a library function returns and the committed notebook fails.

The library is copied to a temporary folder with one change (the digital-transformation grant computed at 90 % of
the ceiling); the kernel imports that copy through PYTHONPATH, and `pytest --nbval` on the committed ecosystem
notebook must fail on the cell that shows the grant table. The unchanged library passes the same notebook in
`make test`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from analysis.core import paths

NOTEBOOK = paths.NOTEBOOKS / "ecosysteme.ipynb"


@pytest.mark.skipif(not NOTEBOOK.exists(), reason="no ecosystem notebook")
def test_changed_library_number_fails_nbval(tmp_path):
    shutil.copytree(paths.ROOT / "src" / "analysis", tmp_path / "analysis")
    module = tmp_path / "analysis" / "ecosystem" / "digital.py"
    source = module.read_text(encoding="utf-8")
    changed = source.replace("return float(min(share * cost, ceiling))",
                             "return float(min(share * cost, 0.9 * ceiling))")
    assert changed != source, "the line to change was not found in digital.py"
    module.write_text(changed, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "VIGIE_ROOT": str(paths.ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", str(NOTEBOOK), "-q", "-p", "no:cacheprovider", "-x"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "mismatch" in proc.stdout and "1 failed" in proc.stdout
