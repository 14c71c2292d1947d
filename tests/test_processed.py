"""data/processed/banks: the publication bank of every innovation-watch parameter set, cached by content.

A cached bank equals a freshly built one table by table (dtypes included); changing one byte of an input, or the
forced format, misses the cache.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import processed, vigie
from analysis.core.paths import default_mirror
from analysis.vigie import cache as bank_cache

FIX = Path(__file__).parent / "fixtures" / "bank"


def _shared_corpora() -> list[Path]:
    mirror = default_mirror()
    files = [mirror / "corpora" / n for n in ("scopus_ai_2025.csv", "wos_ai_2025.txt")] if mirror else []
    if not files or not all(f.exists() for f in files):
        pytest.skip("shared Scopus + WoS corpora not available (set VIGIE_DATA_MIRROR or run make data)")
    return files


def _assert_same_bank(a: vigie.Bank, b: vigie.Bank) -> None:
    for name in vigie.Bank.TABLES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_dtype=True, check_exact=True)


def test_cached_bank_equals_a_fresh_one_on_the_shared_corpora(tmp_path):
    files = _shared_corpora()
    fresh = vigie.build_bank(files)
    first = vigie.build_bank(files, cache=tmp_path)  # miss: built and stored
    (folder,) = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
    assert folder.name == vigie.bank.cache_key(files)
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{t}.parquet" for t in vigie.Bank.TABLES]
                                                              + ["key.json"])
    stamp = (folder / "works.parquet").stat().st_mtime_ns
    again = vigie.build_bank(files, cache=tmp_path)  # hit: read from Parquet
    assert (folder / "works.parquet").stat().st_mtime_ns == stamp
    _assert_same_bank(fresh, first)
    _assert_same_bank(fresh, again)
    assert len(again.works) == 3735  # 3,658 Scopus + 500 WoS records, 423 merged


def test_one_changed_byte_misses_the_cache(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("scopus_small.csv", "wos_small.txt"):
        shutil.copy(FIX / name, data / name)
    files = [data / "scopus_small.csv", data / "wos_small.txt"]
    cache = tmp_path / "banks"
    key = vigie.bank.cache_key(files)
    vigie.build_bank(files, cache=cache)
    assert [p.name for p in cache.iterdir()] == [key]
    parts = json.loads((cache / key / "key.json").read_text(encoding="utf-8"))["parts"]
    assert [f["name"] for f in parts["files"]] == ["scopus_small.csv", "wos_small.txt"]
    assert parts["files"][0]["sha256"] == bank_cache.file_sha256(files[0]) and parts["code"]
    text = files[1].read_bytes()
    files[1].write_bytes(text.replace(b"TC 1", b"TC 2", 1))  # one citation count changes
    changed = vigie.build_bank(files, cache=cache)
    assert vigie.bank.cache_key(files) != key and len(list(cache.iterdir())) == 2
    _assert_same_bank(changed, vigie.build_bank(files))
    assert vigie.bank.cache_key(files, {"wos_small.txt": "wos_txt"}) not in (key, vigie.bank.cache_key(files))


def test_a_damaged_entry_is_rebuilt(tmp_path):
    files = [FIX / "small.ris"]
    vigie.build_bank(files, cache=tmp_path)
    key = vigie.bank.cache_key(files)
    (tmp_path / key / "works.parquet").write_bytes(b"not parquet")
    bank = vigie.build_bank(files, cache=tmp_path)
    _assert_same_bank(bank, vigie.build_bank(files))
    _assert_same_bank(bank, vigie.read_parquet(tmp_path / key))  # replaced by a good copy


def test_process_builds_one_bank_per_parameter_set(tmp_path):
    params_dir = tmp_path / "params"
    (params_dir / "vigie_innovation").mkdir(parents=True)
    shutil.copy(Path(processed.paths.PARAMS) / "vigie_innovation" / "_schema.yaml", params_dir / "vigie_innovation")
    (params_dir / "vigie_innovation" / "a.yaml").write_text(
        "corpus: [tests/fixtures/bank/scopus_small.csv, tests/fixtures/bank/wos_small.txt]\n", encoding="utf-8")
    (params_dir / "vigie_innovation" / "b.yaml").write_text(
        "corpus: [tests/fixtures/bank/small.ris, data/private/absent.csv]\n", encoding="utf-8")
    out = tmp_path / "banks"
    (out / "stale").mkdir(parents=True)
    (out / "stale" / "key.json").write_text('{"parts": {"code": "older code", "version": 1}}', encoding="utf-8")
    lines: list[str] = []
    entries = processed.build_banks(out, params_dir, log=lines.append)
    assert [(e.set_name, e.works, e.built) for e in entries] == [("a", 5, True), ("b", 2, True)]
    assert entries[1].missing == ("data/private/absent.csv",)
    assert sorted(p.name for p in out.iterdir()) == sorted(e.key for e in entries)  # the stale entry is pruned
    assert any("absent.csv is missing" in line for line in lines)
    again = processed.build_banks(out, params_dir, log=lines.append)
    assert [e.built for e in again] == [False, False]  # second run: both read from the cache
