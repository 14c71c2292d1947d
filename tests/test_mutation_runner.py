"""The mutation-testing runner's own files and rules (issue 21): its maps parse, every equivalent mutant has a reason,
a sample is the same for the same code and seed, a survivors-only re-run is refused on changed code and merges
statuses without losing a kill, and the 'before' score leaves out the equivalents of the run it was measured on.

No mutmut run here (that takes minutes per module and is not part of CI); the results used are small dicts written
in the tests."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MUTATION = ROOT / "benchmarks" / "mutation"


@pytest.fixture()
def runner():
    spec = importlib.util.spec_from_file_location("mutation_run", MUTATION / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mutation_run", module)  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


def test_modules_map_names_existing_sources_and_tests(runner):
    modules = runner.load_modules()
    assert len(modules) >= 30
    for name, module in modules.items():
        assert (ROOT / module.path).is_file(), f"{name}: {module.path} missing"
        assert module.path == f"src/analysis/{name}.py"
        for test in module.tests:
            assert (ROOT / test).is_file(), f"{name}: {test} missing"


def test_equivalent_mutants_parse_and_each_has_a_reason(runner):
    """A union merge once interleaved two branches' tables into invalid TOML; this is the check that would have
    caught it. Every entry names a mapped module and function, the exact lines, and a reason of some substance."""
    entries = tomllib.loads((MUTATION / "equivalent.toml").read_text(encoding="utf-8"))["equivalent"]
    modules = runner.load_modules()
    assert len(entries) > 500
    for entry in entries:
        assert set(entry) == {"module", "function", "original", "mutant", "reason"}, entry
        assert entry["module"] in modules, entry
        assert entry["original"] != entry["mutant"], entry
        assert len(entry["reason"]) >= 10, entry


def test_sample_is_seeded_by_module_and_seed(runner):
    module = runner.Module("vigie/x", "src/analysis/vigie/x.py", [])
    keys = [f"analysis.vigie.x.x_f__mutmut_{i}" for i in range(1, 101)]
    first = runner.choose_sample(keys, 10, module, 21)
    assert first == runner.choose_sample(keys, 10, module, 21)
    assert len(set(first)) == 10 and set(first) <= set(keys)
    assert first == sorted(first, key=runner.natural)  # natural order: _mutmut_9 before _mutmut_10
    assert first != runner.choose_sample(keys, 10, module, 22)
    other = runner.Module("vigie/y", "src/analysis/vigie/y.py", [])
    assert first != runner.choose_sample(keys, 10, other, 21)


def _result(module: str, statuses: dict[str, str], digest: str) -> dict:
    return {"module": module, "path": "src/analysis/vigie/x.py", "tests": ["tests/a.py"], "seconds": 60.0,
            "source_sha256": digest, "population": 10, "sample": 3, "seed": 21,
            "mutants": {name: {"status": status, "function": "f"} for name, status in statuses.items()}}


def test_survivors_rerun_is_refused_when_the_source_changed(runner, tmp_path, monkeypatch):
    src = tmp_path / "src" / "analysis" / "vigie"
    src.mkdir(parents=True)
    (src / "x.py").write_text("def f():\n    return 1\n", encoding="utf-8")
    digest = hashlib.sha256((src / "x.py").read_bytes()).hexdigest()
    results = tmp_path / "results"
    results.mkdir()
    monkeypatch.setattr(runner, "RESULTS_DIR", results)
    module = runner.Module("vigie/x", "src/analysis/vigie/x.py", [])
    with pytest.raises(SystemExit, match="no saved result for vigie/x"):
        runner.survivors_of(module, tmp_path)
    saved = _result("vigie/x", {"x_f__mutmut_1": "killed", "x_f__mutmut_2": "survived"}, digest)
    (results / "vigie__x.json").write_text(runner.json.dumps(saved), encoding="utf-8")
    assert runner.survivors_of(module, tmp_path)["mutants"]["x_f__mutmut_2"]["status"] == "survived"
    (src / "x.py").write_text("def f():\n    return 2\n", encoding="utf-8")
    with pytest.raises(SystemExit, match=r"src/analysis/vigie/x.py changed since the saved run of vigie/x"):
        runner.survivors_of(module, tmp_path)


def test_merge_rerun_updates_only_the_rerun_mutants_and_adds_time(runner):
    previous = _result("vigie/x", {"x_f__mutmut_1": "killed", "x_f__mutmut_2": "survived",
                                   "x_f__mutmut_3": "survived"}, "d")
    rerun = _result("vigie/x", {"x_f__mutmut_2": "killed"}, "d")
    rerun["tests"] = ["tests/a.py", "tests/b.py"]
    merged = runner.merge_rerun(previous, rerun, 12.5)
    assert {n: e["status"] for n, e in merged["mutants"].items()} == {
        "x_f__mutmut_1": "killed", "x_f__mutmut_2": "killed", "x_f__mutmut_3": "survived"}
    assert merged["seconds"] == 72.5 and merged["rerun_survivors"] == 1 and merged["tests"] == rerun["tests"]
    assert merged["sample"] == 3 and merged["population"] == 10
    assert previous["mutants"]["x_f__mutmut_2"]["status"] == "survived"  # the saved result is not changed in place


def test_score_and_before_score_leave_equivalents_out(runner):
    """4 mutants: 2 killed, 1 timeout (counts as killed), 1 survivor that is equivalent → 3 / (4 − 1) = 100 %.
    Before: 10 mutants, 4 not killed, 2 of them equivalent on the run measured then → 6 / 8 = 75.0 %."""
    entry = {"status": "survived", "function": "f", "original": ["a < b"], "mutant": ["a <= b"], "line": 3}
    result = _result("vigie/x", {"m1": "killed", "m2": "killed", "m3": "timeout"}, "d")
    result["mutants"]["m4"] = entry
    equivalents = [{"module": "vigie/x", "function": "f", "original": "a < b", "mutant": "a <= b",
                    "reason": "a == b never happens"}]
    counts = runner.score(result, equivalents)
    assert (counts["total"], counts["killed"], counts["timeout"], counts["equivalent"]) == (4, 2, 1, 1)
    assert counts["score"] == 1.0
    baseline = {"modules": {"vigie/x": {"commit": "abc1234", "total": 10, "not_killed": ["a", "b", "c", "d"],
                                        "equivalent": 2}}}
    assert runner.baseline_score("vigie/x", baseline, result, equivalents) == "6 / 8 = 75.0 %"
    assert runner.baseline_score("vigie/y", baseline, None, equivalents) == "—"
    assert runner.before_commits(baseline) == "`abc1234` for vigie/x"
