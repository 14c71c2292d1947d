"""make data: copy from the mirror with hash checks; a corrupted byte is an error naming file and hashes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from analysis.core import external, paths
from analysis.core.errors import DataIntegrityError, MissingDatasetError


def _dataset(tmp_path: Path, content: bytes, sha: str | None = None) -> external.Dataset:
    mirror = tmp_path / "mirror"
    (mirror / "external").mkdir(parents=True)
    (mirror / "external" / "x.csv").write_bytes(content)
    return external.Dataset(
        name="x", what="test file (synthetic)", kind="table", licence="test", attribution="test",
        origin={"type": "github", "repo": "o/r", "commit": "abc", "path": None},
        sha256=sha or external.sha256_of(mirror / "external" / "x.csv"), bytes=len(content),
        mirror_path="external/x.csv",
    )


@pytest.fixture
def external_dir(tmp_path, monkeypatch):
    target = tmp_path / "data_external"
    monkeypatch.setattr(paths, "EXTERNAL", target)
    return target


def test_copy_from_mirror_verifies_hash(tmp_path, external_dir):
    ds = _dataset(tmp_path, b"a,b\n1,2\n")
    assert external.fetch(ds, tmp_path / "mirror", allow_download=False) == "copied"
    assert (external_dir / "external" / "x.csv").read_bytes() == b"a,b\n1,2\n"
    assert external.fetch(ds, tmp_path / "mirror", allow_download=False) == "present"


def test_one_corrupted_byte_is_a_hash_error_naming_file_and_hashes(tmp_path, external_dir):
    ds = _dataset(tmp_path, b"a,b\n1,2\n")
    (tmp_path / "mirror" / "external" / "x.csv").write_bytes(b"a,b\n1,3\n")  # one byte changed
    with pytest.raises(DataIntegrityError) as err:
        external.fetch(ds, tmp_path / "mirror", allow_download=False)
    message = err.value.one_line()
    assert "x.csv" in message and ds.sha256 in message and "found" in message
    assert not (external_dir / "external" / "x.csv").exists(), "a corrupted copy must not be left in place"


def test_missing_everywhere_is_reported_not_raised(tmp_path, external_dir, monkeypatch):
    ds = _dataset(tmp_path, b"x")
    monkeypatch.setattr(external, "registry", lambda path=None: {"x": ds})
    empty = tmp_path / "empty"
    empty.mkdir()
    out = io.StringIO()
    status = external.fetch_all(empty, allow_download=True, out=out)  # origin has no path: no download possible
    assert status["status"].tolist() == ["missing"]
    assert "[absent]  x" in out.getvalue()


def test_require_names_the_dataset_and_make_data(tmp_path, external_dir):
    with pytest.raises(MissingDatasetError) as err:
        external.require("food_hub_survey")
    assert "food_hub_survey" in err.value.one_line() and "make data" in err.value.one_line()


def test_registry_matches_the_mirror_hashes():
    mirror = paths.default_mirror()
    if mirror is None or not (mirror / "SOURCES.csv").exists():
        pytest.skip("no ../shared mirror on this machine")
    import csv

    with (mirror / "SOURCES.csv").open() as fh:
        sources = {row["path"]: row["sha256"] for row in csv.DictReader(fh)}
    for ds in external.registry().values():
        assert sources[ds.mirror_path] == ds.sha256, ds.name
