"""With no external dataset at all (empty mirror, no network), every report still renders and says what is missing."""

from __future__ import annotations

import re

import pytest

from analysis.core import paths
from analysis.report import render


@pytest.mark.skipif(not list(paths.NOTEBOOKS.glob("*.ipynb")), reason="no notebooks")
def test_every_report_renders_without_external_data(tmp_path, monkeypatch):
    empty = tmp_path / "no_external_data"
    empty.mkdir()
    monkeypatch.setenv("VIGIE_EXTERNAL_DIR", str(empty))  # read by the kernels papermill starts
    results = render.render_all(reports_dir=tmp_path / "reports", set_name="default", echo=lambda _m: None)
    assert results and all(r.ok for r in results), [r.message for r in results if not r.ok]
    for result in results:
        page = open(result.html, encoding="utf-8").read()
        notes = re.findall(r'class="vigie-note vigie-note-missing" role="note">(.*?)</div>', page)
        assert notes, f"{result.stem}: no 'missing data' note although every external dataset is absent"
        assert any("make data" in n for n in notes), f"{result.stem}: the note must say how to get the data"
