"""Fuzzing every reader (hypothesis, bounded and fast): on any input a reader either raises the project's own error
type (a VigieError subclass) — never a bare traceback — or returns a result that accounts for every record the
input starts, counted here by the test itself from the raw text (CSV rows minus header rows, ``PT``/``TY``/``@``
starts), not from the reader's ledger.

Inputs are the synthetic fixtures cut, spliced and sprinkled with random characters and raw bytes that are not UTF-8,
plus random text/bytes. The byte-level test runs enough examples to meet a file whose one bad byte used to turn every
accented title into mojibake.
"""

from __future__ import annotations

import csv
import io
import os
import re
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
# a lone continuation byte or 0xFF: never valid UTF-8 where it is inserted (next to a lead byte, the byte after it is)
BAD_BYTES = st.sampled_from([bytes([b]) for b in [*range(0x80, 0xC0), 0xFF]])


@st.composite
def mutated(draw, base: bytes) -> bytes:
    data = bytearray(base)
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["cut", "delete", "insert", "dup", "byte"]))
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
        elif op == "byte":
            data[i:i] = draw(BAD_BYTES)
        else:
            j = draw(st.integers(i, min(len(data), i + 200)))
            data[j:j] = data[i:j]
    return bytes(data)


def _text(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def expected_starts(data: bytes, fmt: str) -> int | None:
    """Records the raw input starts, counted here without the readers (None when this test cannot tell: JSON,
    or a CSV the csv module itself cannot split)."""
    text = _text(data)
    if fmt in ("scopus_csv", "openalex_csv"):
        try:
            rows = [r for r in csv.reader(io.StringIO(text, newline=""), strict=True)
                    if r and not (len(r) == 1 and not r[0].strip())]
        except csv.Error:
            return None
        return sum(1 for r in rows[1:] if [c.strip().lstrip("\ufeff") for c in r] != [c.strip() for c in rows[0]])
    if fmt == "wos_txt":
        return len(re.findall(r"^PT(?: |$)", text, re.M))
    if fmt == "ris":
        return len(re.findall(r"^TY  -", text, re.M))
    if fmt in ("bibtex", "scopus_bib"):
        return len([m for m in re.findall(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(]", text, re.M)
                    if m.lower() not in ("comment", "string", "preamble")])
    if fmt == "wos_tab":
        lines = [x.rstrip(" \t") for x in text.split("\n") if x.strip(" \t")]
        return sum(1 for x in lines[1:] if x != lines[0]) if lines else 0
    return None


def _check(path: Path, fmt: str | None) -> None:
    try:
        res = read_file(path, fmt)
    except VigieError:
        return
    assert res.read == len(res.records) + len(res.rejections)
    assert res.records["record"].is_unique
    if res.encoding.startswith("utf-8"):  # the count below reads the bytes as UTF-8
        started = expected_starts(path.read_bytes(), res.format)
        if started is not None:
            assert res.read == started, (res.format, res.read, started)


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


BYTES = settings(max_examples=max(200, int(os.environ.get("VIGIE_FUZZ_EXAMPLES", "15"))), deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.mark.parametrize("fmt", ["scopus_csv", "wos_txt", "bibtex", "ris"])
def test_fuzz_bad_bytes_never_turn_the_file_into_mojibake(fmt, tmp_path):
    """One to three bytes that are not UTF-8, anywhere in a UTF-8 export with accented names: the records the file
    starts are all accounted for, the file stays UTF-8, and no correctly encoded accent becomes mojibake
    ("Ã©" for "é"). Before issue 14 the first such input decoded the whole file as cp1252."""
    base = (FIX / SOURCES[fmt]).read_bytes()
    started = expected_starts(base, fmt)

    @BYTES
    @given(st.lists(st.tuples(st.integers(0, len(base)), BAD_BYTES), min_size=1, max_size=3))
    def run(inserts: list[tuple[int, bytes]]) -> None:
        data = bytearray(base)
        for at, junk in sorted(inserts, reverse=True):
            data[at:at] = junk
        path = tmp_path / "bytes.dat"
        path.write_bytes(bytes(data))
        try:
            res = read_file(path, fmt)
        except VigieError:
            return
        assert res.encoding.startswith("utf-8") and res.repaired >= 1
        text = " ".join(str(v) for v in [*res.records["title"], *res.authorships["author_full"]] if isinstance(v, str))
        assert "Ã" not in text
        if started is not None and expected_starts(bytes(data), fmt) == started:
            assert res.read == started

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
