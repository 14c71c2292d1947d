"""Same data and parameters, same report: two renders are identical to the byte (with SOURCE_DATE_EPOCH fixed)."""

from __future__ import annotations

import pytest

from analysis.core import paths
from analysis.report import render


@pytest.mark.skipif(not (paths.NOTEBOOKS / "ecosysteme.ipynb").exists(), reason="no ecosystem notebook")
def test_two_renders_are_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00 UTC, read by the kernels too
    outputs = []
    for name in ("first", "second"):
        results = render.render_all(reports_dir=tmp_path / name, only="ecosysteme", set_name="default",
                                    echo=lambda _m: None)
        assert [r.ok for r in results] == [True], [r.message for r in results]
        folder = tmp_path / name / "ecosysteme" / "default"
        files = sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
        outputs.append({f: (folder / f).read_bytes() for f in files if f.name != "provenance.json"})
    assert outputs[0].keys() == outputs[1].keys()
    different = [str(f) for f in outputs[0] if outputs[0][f] != outputs[1][f]]
    assert not different, f"files that differ between two renders: {different}"
    page = next(v for k, v in outputs[0].items() if k.suffix == ".html").decode()
    assert "janvier 2026" in page and "2026-01-01 00:00 UTC" in page
