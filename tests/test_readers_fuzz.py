"""Fuzzing every reader (hypothesis, bounded and fast): on any input a reader either returns a result whose
ledger balances or raises the project's own error type (a VigieError subclass) — never a bare traceback.

Inputs are the synthetic fixtures cut, spliced and sprinkled with random characters, plus random text/bytes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.core.errors import VigieError
from analysis.vigie.readers import read_file
from analysis.vigie.readers.detect import FORMATS

FIX = Path(__file__).parent / "fixtures" / "bank"
SOURCES = {
    "scopus_csv": "scopus_small.csv", "scopus_bib": "scopus_small.bib", "wos_txt": "wos_small.txt",
    "wos_tab": "wos_small_tab.txt", "openalex_json": "openalex_page.json", "openalex_csv": "openalex_ui.csv",
    "crossref_json": "crossref_works.json", "ris": "small.ris", "bibtex": "small_biblatex.bib",
    "csl_json": "../watch/zotero_library.json",
}
NOISE = st.text(alphabet=st.sampled_from(list('",;\t\n\r{}[]@=:é\\ -TYERPA0123') + ["\x00", "\ufeff", "\u00e9"]),
                max_size=12)


@st.composite
def mutated(draw, base: bytes) -> bytes:
    data = bytearray(base)
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["cut", "delete", "insert", "dup"]))
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        if op == "cut":
            data = data[:i]
        elif op == "delete":
            j = draw(st.integers(i, min(len(data), i + 40)))
            del data[i:j]
        elif op == "insert":
            data[i:i] = draw(NOISE).encode("utf-8")
        else:
            j = draw(st.integers(i, min(len(data), i + 200)))
            data[j:j] = data[i:j]
    return bytes(data)


def _check(path: Path, fmt: str | None) -> None:
    try:
        res = read_file(path, fmt)
    except VigieError:
        return
    assert res.read == len(res.records) + len(res.rejections)
    assert res.records["record"].is_unique


# bounded for CI speed; set VIGIE_FUZZ_EXAMPLES=500 for a longer local run
FUZZ = settings(max_examples=int(os.environ.get("VIGIE_FUZZ_EXAMPLES", "15")), deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.mark.parametrize("fmt", FORMATS)
def test_fuzz_mutated_fixture_forced_format(fmt, tmp_path):
    base = (FIX / SOURCES[fmt]).read_bytes()

    @FUZZ
    @given(mutated(base))
    def run(data: bytes) -> None:
        path = tmp_path / "input.dat"
        path.write_bytes(data)
        _check(path, fmt)
        _check(path, None)  # detection path too

    run()


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(list(FORMATS) + [None]))
def test_fuzz_random_bytes(tmp_path_factory, data, fmt):
    path = tmp_path_factory.mktemp("fz") / "random.dat"
    path.write_bytes(data)
    _check(path, fmt)


@FUZZ
@given(st.text(max_size=300), st.sampled_from(list(FORMATS)))
def test_fuzz_random_text(tmp_path_factory, text, fmt):
    path = tmp_path_factory.mktemp("fz") / "random.txt"
    path.write_text(text, encoding="utf-8")
    _check(path, fmt)


def test_fuzz_scopus_bytes_fast_path(tmp_path):
    """The fast path for big UTF-8 Scopus files (read_file uses it above 1 MB): on any input it hands over to
    the general path (None), or returns a balanced result, or raises the project's own error."""
    from analysis.vigie.readers.scopus import read_scopus_csv_bytes

    base = (FIX / SOURCES["scopus_csv"]).read_bytes()

    @FUZZ
    @given(mutated(base))
    def run(data: bytes) -> None:
        path = tmp_path / "big.csv"
        try:
            res = read_scopus_csv_bytes(path, data)
        except VigieError:
            return
        if res is not None:
            assert res.read == len(res.records) + len(res.rejections)
            assert res.records["record"].is_unique

    run()


@pytest.mark.parametrize("fmt", ["scopus_csv", "wos_txt", "ris", "bibtex"])
def test_fuzz_bank_builds_or_says_why(fmt, tmp_path):
    """The whole bank (read, deduplicate, merge, validate) on mutated input: a validated bank or a VigieError."""
    from analysis.vigie.bank import build_bank

    base = (FIX / SOURCES[fmt]).read_bytes()

    @FUZZ
    @given(mutated(base), mutated(base))
    def run(first: bytes, second: bytes) -> None:
        (tmp_path / "a.dat").write_bytes(first)
        (tmp_path / "b.dat").write_bytes(second)
        try:
            bank = build_bank([tmp_path / "a.dat", tmp_path / "b.dat"])
        except VigieError:
            return
        led = bank.ledger
        assert (led["read"] == led["kept"] + led["merged"] + led["rejected"]).all()

    run()
