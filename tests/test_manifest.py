"""data/raw/MANIFEST.csv: the real manifest passes (code never modifies raw data) and each kind of problem is caught."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from analysis.core import manifest, paths
from analysis.core.errors import SchemaError


def test_real_manifest_has_no_problem():
    # The "code never modifies raw data" test: every listed file exists with its recorded hash, none is unlisted.
    assert manifest.check_manifest() == []


def test_every_listed_file_matches_its_hash():
    # Narrower than the test above: holds even while a colleague's new raw file awaits its manifest row.
    problems = [p for p in manifest.check_manifest() if "not listed in the manifest" not in p]
    assert problems == []


def test_real_manifest_lists_the_seed_tables_with_a_source():
    table = manifest.read_manifest()
    assert list(table.columns[:4]) == manifest.COLUMNS
    for rel in ("food_cases/cases.csv", "food_cases/statements.csv", "food_cases/published_counts.csv",
                "vigie/practices.csv", "vigie/seed_references.bib"):
        row = table[table["path"] == rel]
        assert len(row) == 1, rel
        assert row["source"].iloc[0].startswith(("001_", "000_"))


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    """A private copy of the files the manifest lists (plus the manifest), to corrupt."""
    target = tmp_path / "raw"
    target.mkdir()
    shutil.copy2(paths.MANIFEST, target / "MANIFEST.csv")
    for rel in manifest.read_manifest()["path"]:
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        if (paths.RAW / rel).is_file():
            shutil.copy2(paths.RAW / rel, target / rel)
    return target


def test_one_changed_byte_is_reported(raw_copy: Path):
    cases = raw_copy / "food_cases" / "cases.csv"
    data = bytearray(cases.read_bytes())
    data[-2] = ord("X") if data[-2] != ord("X") else ord("Y")
    cases.write_bytes(bytes(data))
    problems = manifest.check_manifest(raw_copy / "MANIFEST.csv")
    assert len(problems) == 1
    assert "food_cases/cases.csv: hash mismatch" in problems[0]


def test_missing_unlisted_and_sourceless_files_are_reported(raw_copy: Path):
    (raw_copy / "vigie" / "practices.csv").unlink()
    (raw_copy / "food_cases" / "extra.csv").write_text("a\n1\n")
    text = (raw_copy / "MANIFEST.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith("vigie/seed_references.bib,"))
    path, digest = lines[i].split(",")[:2]
    lines[i] = f"{path},{digest},,"
    (raw_copy / "MANIFEST.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = "\n".join(manifest.check_manifest(raw_copy / "MANIFEST.csv"))
    assert "vigie/practices.csv: file missing" in problems
    assert "food_cases/extra.csv: file under data/raw not listed" in problems
    assert "vigie/seed_references.bib: empty source" in problems


def test_update_hashes_rewrites_only_the_hash_column(raw_copy: Path):
    target = raw_copy / "MANIFEST.csv"
    before = manifest.read_manifest(target)
    with open(raw_copy / "food_cases" / "cases.csv", "a", encoding="utf-8") as fh:
        fh.write("")  # no change: nothing to update
    assert manifest.update_hashes(target) == 0
    (raw_copy / "vigie" / "seed_references.bib").write_text("% changed\n", encoding="utf-8")
    assert manifest.update_hashes(target) == 1
    after = manifest.read_manifest(target)
    assert manifest.check_manifest(target) == []
    changed = before["sha256"] != after["sha256"]
    assert before.loc[changed, "path"].tolist() == ["vigie/seed_references.bib"]
    assert before.drop(columns="sha256").equals(after.drop(columns="sha256"))


def test_manifest_without_a_column_is_a_schema_error(tmp_path: Path):
    bad = tmp_path / "MANIFEST.csv"
    bad.write_text("path,source,licence_notes\na.csv,x,y\n", encoding="utf-8")
    with pytest.raises(SchemaError) as info:
        manifest.read_manifest(bad)
    assert info.value.line == 1 and info.value.field == "sha256"


def test_cli_run_reports_ok_and_problems(raw_copy: Path, capsys):
    parser = argparse.ArgumentParser()
    manifest.configure(parser)
    assert manifest.run(parser.parse_args(["--manifest", str(raw_copy / "MANIFEST.csv")])) == 0
    (raw_copy / "food_cases" / "statements.csv").write_text("changed\n", encoding="utf-8")
    assert manifest.run(parser.parse_args(["--manifest", str(raw_copy / "MANIFEST.csv")])) == 1
    assert "hash mismatch" in capsys.readouterr().err
