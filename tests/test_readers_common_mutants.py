"""Shared reader pieces (analysis.vigie.readers.common): file loading and its limits, decoding and the repaired-value
ledger note, integer and year parsing, keyword joining, the record/authorship/rejection tables and their cleaning,
the rejections made by ``finish`` at every threshold, and JSON documents (issue 21: values the mutants could
change unnoticed).

Every input is synthetic: bytes, strings and tiny tables written in the test; the limits are lowered with
``monkeypatch`` so that their messages can be read with small files. Expected values are worked out by hand.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from analysis.core.errors import InputFormatError
from analysis.vigie.readers import common
from analysis.vigie.readers.common import (
    ReadResult,
    author_rows,
    authors_frame,
    authors_from_arrow,
    clean_text_columns,
    decode,
    decode_text,
    finish,
    join_countries,
    join_keywords,
    json_documents,
    json_items_result,
    load_bytes,
    normalize_newlines,
    records_frame,
    records_from_arrow,
    rejection,
    rejection_detail,
    rejections_frame,
    to_int,
    wide_csv_fields,
    year_of,
)

P = Path("synthetic.txt")
MB = 1024 ** 2


def _values(series) -> list:
    return [None if pd.isna(v) else v for v in series]


# ---------------------------------------------------------------- loading and its limits
def test_load_bytes_plain_and_gzip_with_two_members(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"plain text")
    assert load_bytes(tmp_path / "a.txt") == b"plain text"
    (tmp_path / "b.gz").write_bytes(gzip.compress(b"first, ") + gzip.compress(b"second"))
    assert load_bytes(tmp_path / "b.gz") == b"first, second"


def test_load_bytes_errors_name_the_problem(tmp_path):
    with pytest.raises(InputFormatError, match="^.*file not found$") as err:
        load_bytes(tmp_path / "missing.txt")
    assert err.value.path == str(tmp_path / "missing.txt")
    with pytest.raises(InputFormatError) as err:
        load_bytes(tmp_path)
    assert err.value.message == "is a folder, not a file"
    with pytest.raises(InputFormatError, match=r"cannot read file \(File name too long\)") as err:
        load_bytes(tmp_path / ("x" * 300))
    assert err.value.path == str(tmp_path / ("x" * 300))
    (tmp_path / "bad.gz").write_bytes(b"\x1f\x8b" + b"not really gzip")
    with pytest.raises(InputFormatError, match=r"damaged gzip file \(.+\)") as err:
        load_bytes(tmp_path / "bad.gz")
    assert err.value.path == str(tmp_path / "bad.gz")
    (tmp_path / "cut.gz").write_bytes(gzip.compress(b"a synthetic line\n" * 100)[:-12])
    with pytest.raises(InputFormatError, match="damaged gzip file"):
        load_bytes(tmp_path / "cut.gz")


def test_file_size_limit_at_the_edge_and_its_message(tmp_path, monkeypatch):
    monkeypatch.setattr(common, "MAX_INPUT_BYTES", 2 * MB)
    edge = tmp_path / "edge.txt"
    with edge.open("wb") as f:
        f.truncate(2 * MB)  # a sparse file of exactly the limit: accepted
    assert len(load_bytes(edge)) == 2 * MB
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(3 * MB)
    with pytest.raises(InputFormatError) as err:
        load_bytes(big)
    assert err.value.message == "file of 3 MB is larger than the 2 MB a reader accepts; split the export"
    monkeypatch.setattr(common, "MAX_INPUT_BYTES", 10)  # a folder is larger than 10 bytes, but is no file
    with pytest.raises(InputFormatError, match="is a folder, not a file"):
        load_bytes(tmp_path)


def test_gzip_ratio_limit_message_and_edge(tmp_path, monkeypatch):
    monkeypatch.setattr(common, "GZIP_RATIO_FLOOR", 1 * MB)
    monkeypatch.setattr(common, "MAX_GZIP_RATIO", 2)
    ok = tmp_path / "ok.gz"
    ok.write_bytes(gzip.compress(b"a" * MB))  # exactly the floor: accepted
    assert len(load_bytes(ok)) == MB
    bomb = tmp_path / "bomb.gz"
    bomb.write_bytes(gzip.compress(b"a" * (MB + 1)))
    with pytest.raises(InputFormatError) as err:
        load_bytes(bomb)
    assert err.value.message == (
        "gzip file of 0.0 MB expands to more than 2 times its compressed size (over 1 MB): refused as a possible "
        "decompression bomb; if the export is genuine, unzip it and split it")


def test_gzip_size_limit_counts_every_piece(tmp_path, monkeypatch):
    """20 MB of zeros are read in pieces of 16 MB: the limit of 17 MB is passed only by their sum."""
    monkeypatch.setattr(common, "MAX_INPUT_BYTES", 17 * MB)
    monkeypatch.setattr(common, "GZIP_RATIO_FLOOR", 64 * MB)
    path = tmp_path / "big.gz"
    path.write_bytes(gzip.compress(b"\0" * (20 * MB), compresslevel=1))
    with pytest.raises(InputFormatError) as err:
        load_bytes(path)
    assert "expands to more than the 17 MB a reader accepts (over 17 MB)" in err.value.message


def test_gzip_is_expanded_piece_by_piece(tmp_path, monkeypatch):
    """The limits are checked while expanding, so a bomb is refused before it is in memory: never more than 16 MB
    asked of the decompressor at once (a spy records the sizes asked)."""
    asked: list = []

    class Spy(gzip.GzipFile):
        def read(self, size=-1):
            asked.append(size)
            return super().read(size)

    monkeypatch.setattr(gzip, "GzipFile", Spy)
    path = tmp_path / "x.gz"
    path.write_bytes(gzip.compress(b"synthetic line\n" * 10))
    assert load_bytes(path) == b"synthetic line\n" * 10
    assert asked and all(isinstance(n, int) and 0 < n <= 16 * MB for n in asked)


def test_gzip_refusal_gives_the_compressed_size_in_mb(tmp_path, monkeypatch):
    """300 kB of seeded random (synthetic) bytes hardly compress: the file is 0.29 MB, shown as 0.3 MB."""
    monkeypatch.setattr(common, "GZIP_RATIO_FLOOR", 0)
    monkeypatch.setattr(common, "MAX_GZIP_RATIO", 0)
    path = tmp_path / "x.gz"
    path.write_bytes(gzip.compress(np.random.default_rng(21).bytes(300 * 1024)))
    with pytest.raises(InputFormatError) as err:
        load_bytes(path)
    assert err.value.message.startswith("gzip file of 0.3 MB expands to more than 0 times its compressed size "
                                        "(over 0 MB)")


def test_ratio_limit_is_the_ratio_times_the_compressed_size(tmp_path, monkeypatch):
    """With a floor of 0 the limit is ratio × compressed size. 1,000 seeded random (synthetic) bytes do not
    compress: the gzip file is larger than its content, so a ratio of 1 reads it and a ratio of 0 refuses it."""
    monkeypatch.setattr(common, "GZIP_RATIO_FLOOR", 0)
    monkeypatch.setattr(common, "MAX_GZIP_RATIO", 1)
    body = np.random.default_rng(21).bytes(1000)
    path = tmp_path / "x.gz"
    path.write_bytes(gzip.compress(body))
    assert path.stat().st_size > len(body)
    assert load_bytes(path) == body
    monkeypatch.setattr(common, "MAX_GZIP_RATIO", 0)
    with pytest.raises(InputFormatError, match="more than 0 times its compressed size"):
        load_bytes(path)


# ---------------------------------------------------------------- decoding
def test_decode_utf8_with_and_without_bom():
    assert decode("café".encode(), P) == ("café", "utf-8", "")
    assert decode(b"\xef\xbb\xbf" + "café".encode(), P) == ("café", "utf-8-sig", "")


@pytest.mark.parametrize("data", [b"", b" \n\t\r\n"])
def test_decode_empty(data):
    with pytest.raises(InputFormatError, match="^.*empty file$") as err:
        decode_text(data, P)
    assert err.value.path == str(P)


def test_utf16_with_either_bom_and_binary_files():
    for codec in ("utf-16-le", "utf-16-be"):
        bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
        d = decode_text(bom + "PT J\nTI café".encode(codec), P)
        assert (d.text, d.encoding, d.note) == ("PT J\nTI café", "utf-16", "decoded as UTF-16")
    with pytest.raises(InputFormatError) as err:
        decode_text(b"\xff\xfe" + "odd".encode("utf-16-le") + b"\x00\xd8", P)  # a lone surrogate: not UTF-16
    assert err.value.message == "binary file (NUL bytes), not a bibliographic export"
    with pytest.raises(InputFormatError, match="binary file"):
        decode_text(b"PK\x03\x04\x00\x00", P)


def test_a_nul_byte_after_the_first_4096_bytes_is_not_binary():
    data = b"a" * 4096 + b"\x00tail"
    assert decode_text(data, P).text == "a" * 4096 + "\x00tail"
    with pytest.raises(InputFormatError, match="binary file"):
        decode_text(b"a" * 4095 + b"\x00tail", P)


def test_mostly_utf8_file_repaired_value_by_value():
    """Valid UTF-8: "é" (2 bytes) ×4 = 8 bytes; invalid: 4 bytes in 3 values (two runs in one word, then a run after
    a comma, then one after a line break)."""
    data = "Coopé été\n".encode() + b"Tr\xe9s\xe9 x,\xe9\n\n" + "é\n".encode() + b"\xe9\n"
    d = decode_text(data, P)
    assert d.text == "Coopé été\nTrésé x,é\n\né\né\n"
    assert (d.encoding, d.repaired) == ("utf-8", 3)
    assert d.note == "3 field value(s) held bytes that are not UTF-8, decoded as cp1252 (lines 2, 5)"


def test_runs_split_by_a_space_are_one_value_and_each_boundary_splits():
    valid = "é".encode() * 10
    for sep, values in [(b" ", 1), (b"x", 1), (b'"', 2), (b",", 2), (b";", 2), (b"\t", 2), (b"\n", 2), (b"{", 2),
                        (b"}", 2)]:
        d = decode_text(valid + b"\xe9" + sep + b"\xe9", P)
        assert d.repaired == values, sep


def test_repair_note_names_five_lines_then_an_ellipsis():
    data = "é".encode() * 20 + b"".join(b"\n\xe9" for _ in range(6))
    d = decode_text(data, P)
    assert d.note == "6 field value(s) held bytes that are not UTF-8, decoded as cp1252 (lines 2, 3, 4, 5, 6, …)"
    five = decode_text("é".encode() * 20 + b"".join(b"\n\xe9" for _ in range(5)), P)
    assert five.note.endswith("(lines 2, 3, 4, 5, 6)")


def test_bytes_cp1252_leaves_undefined_are_read_as_latin1_in_a_repair():
    d = decode_text(b"\xef\xbb\xbf" + "éé".encode() + b" \x81\x80", P)
    assert (d.text, d.encoding, d.repaired) == ("éé \x81€", "utf-8-sig", 1)


def test_as_many_bad_bytes_as_valid_ones_is_a_cp1252_file():
    """One "é" (2 valid non-ASCII bytes) and 2 bad bytes: not mostly UTF-8, the whole file is cp1252."""
    d = decode_text(b"caf\xc3\xa9 \xe9t\xe9", P)
    assert (d.text, d.encoding, d.repaired) == ("cafÃ© été", "cp1252", 0)
    assert d.note == "not UTF-8 (first bad byte on line 1); decoded as cp1252"
    more = decode_text(b"caf\xe2\x82\xac \xe9t\xe9", P)  # "€" is 3 valid bytes: repaired
    assert (more.text, more.encoding, more.repaired) == ("caf€ été", "utf-8", 1)


def test_latin1_when_cp1252_cannot_decode():
    d = decode_text(b"abc\n\n\x81", P)
    assert (d.text, d.encoding) == ("abc\n\n\x81", "latin-1")
    assert d.note == "not UTF-8 (first bad byte on line 3); decoded as latin-1"


# ---------------------------------------------------------------- small helpers
def test_wide_csv_fields_lifts_then_restores_the_limit():
    before = csv.field_size_limit()
    with wide_csv_fields():
        assert csv.field_size_limit() == 2 ** 31 - 1
    assert csv.field_size_limit() == before
    with pytest.raises(RuntimeError), wide_csv_fields():
        raise RuntimeError("inside")
    assert csv.field_size_limit() == before


def test_normalize_newlines():
    assert normalize_newlines("a\r\nb\rc\n") == "a\nb\nc\n"
    assert normalize_newlines("a\nb") == "a\nb"


@pytest.mark.parametrize("value, expected", [
    (None, None), ("2021-05", 2021), ("Cited by: 8", 8), ("abc", None), ("", None), (" 12 ", 12), (7, 7),
    ("x12y34", 12), ("123456789", 123456789), ("1234567890", None),
])
def test_to_int(value, expected):
    assert to_int(value) == expected


@pytest.mark.parametrize("value, expected", [
    (None, None), ("2020-01-15", 2020), ("NOV 2024", 2024), ("1499", None), ("1500", 1500), ("1999", 1999),
    ("2199", 2199), ("2200", None), ("12021", None), ("20211", None), (2021, 2021), ("no year", None),
])
def test_year_of(value, expected):
    assert year_of(value) == expected


@pytest.mark.parametrize("values, sep, expected", [
    (None, ";", None), ("a; ;b", ";", "a; b"), ("a,b", ",", "a; b"), ("a,b", ";", "a,b"),
    (["a", None, " ", "b  c"], ";", "a; b c"), ("", ";", None), ([], ";", None), (("x", "y"), ";", "x; y"),
])
def test_join_keywords(values, sep, expected):
    assert join_keywords(values, sep) == expected


def test_join_countries():
    assert join_countries(["Canada", None, "", "France", "Canada", float("nan")]) == "Canada; France"
    assert join_countries([None, ""]) is None


# ---------------------------------------------------------------- tables
def test_records_frame_types_and_cleaning():
    df = records_frame([
        {"record": 1, "line": 2, "title": " A\n  synthetic\ttitle ", "abstract": "  a\n b  ",
         "doi": "https://doi.org/10.5555/X", "year": "2021", "cited_by": "x", "source_title": "  ",
         "author_keywords": "k1;  k2 "},
        {"record": 2, "line": None, "title": "B", "year": 1999, "cited_by": 3},
    ])
    assert list(df.columns) == common.RECORD_COLUMNS
    assert [str(t) for t in df.dtypes] == ["Int64", "Int64", "string", "string", "Int64", "string", "string",
                                           "string", "Int64", "string", "string", "string", "string"]
    assert _values(df["title"]) == ["A synthetic title", "B"]  # short fields: whitespace collapsed
    assert _values(df["abstract"]) == ["a\n b", None]  # long fields: only trimmed
    assert _values(df["author_keywords"]) == ["k1;  k2", None]
    assert _values(df["doi"]) == ["10.5555/x", None]
    assert _values(df["source_title"]) == [None, None]  # blank → missing
    assert _values(df["year"]) == [2021, 1999] and _values(df["cited_by"]) == [None, 3]
    assert _values(df["line"]) == [2, None]


def test_coerce_records_keeps_the_index_and_fills_absent_columns():
    df = common.coerce_records(pd.DataFrame({"title": ["T"]}, index=[5]))
    assert list(df.index) == [5] and list(df.columns) == common.RECORD_COLUMNS
    assert [str(df[c].dtype) for c in ("record", "line", "year", "cited_by")] == ["Int64"] * 4
    assert df[["record", "line", "year", "cited_by", "doi"]].isna().all().all()


def test_records_from_arrow():
    fields = {"title": pa.array([" A  b ", "", "\u00a0C"]), "year": pa.array(["2021", " 7 ", None]),
              "cited_by": pa.array(["-3", "x", ""]), "abstract": pa.chunked_array([["  x "], ["", "y"]])}
    df = records_from_arrow(np.array([1, 2, 3]), [4, 5, 6], fields)
    assert list(df.columns) == common.RECORD_COLUMNS
    assert [str(df[c].dtype) for c in ("record", "line", "year", "cited_by", "title")] == ["Int64"] * 4 + ["string"]
    assert _values(df["record"]) == [1, 2, 3] and _values(df["line"]) == [4, 5, 6]
    assert _values(df["title"]) == ["A b", None, "C"]
    assert _values(df["year"]) == [2021, 7, None] and _values(df["cited_by"]) == [-3, None, None]
    assert _values(df["abstract"]) == ["x", None, "y"]
    assert df["doi"].isna().all()
    no_lines = records_from_arrow(np.array([1, 2]), [4], {})["line"]  # wrong length: no lines
    assert _values(no_lines) == [None, None] and str(no_lines.dtype) == "Int64"
    assert _values(records_from_arrow(np.array([1]), None, {})["line"]) == [None]


def test_clean_text_columns_on_chunks_slices_and_nulls():
    title = pa.chunked_array([[" x ", None], ["", "plain"]])
    doi = pa.array(["pad", " 10.5555/A ", "", None]).slice(1)  # a slice: offset 1
    out = clean_text_columns({"title": title, "doi": doi, "abstract": pa.array(["é ", " ", None, "ok"])}, 4)
    assert _values(out["title"]) == ["x", None, None, "plain"]
    assert _values(out["doi"][:3]) == ["10.5555/a", None, None]
    assert _values(out["abstract"]) == ["é", None, None, "ok"]
    assert _values(out["language"]) == [None] * 4


def test_trim_only_where_an_end_is_not_printable_ascii():
    arr = pa.array(["plain", "é", "\u00a0a\u00a0", " b", "c\t", "\x7fd", "e\x20"])
    assert common._trim_whitespace(arr).to_pylist() == ["plain", "é", "a", "b", "c", "\x7fd", "e"]
    unchanged = pa.array(["é", "ab"])
    assert common._trim_whitespace(unchanged) is unchanged
    assert common._trim_whitespace(pa.array([], pa.string())).to_pylist() == []
    single = pa.array(["ab"])
    assert common._trim_whitespace(single) is single
    assert common._trim_whitespace(pa.chunked_array([[" a"], ["b "]])).to_pylist() == ["a", "b"]
    assert common._trim_whitespace(pa.chunked_array([[" a", "b"]])).to_pylist() == ["a", "b"]
    assert common._trim_whitespace(pa.array([" a ", "b"], pa.large_string())).to_pylist() == ["a", "b"]


def test_blank_to_null_keeps_existing_nulls():
    arr = pa.array(["", None, "x", ""])
    assert common._blank_to_null(arr).to_pylist() == [None, None, "x", None]
    assert common._blank_to_null(arr).null_count == 3
    clean = pa.array(["a", "b"])
    assert common._blank_to_null(clean) is clean
    one = pa.array(["a"])
    assert common._blank_to_null(one) is one
    sliced = pa.array(["pad", "", "x", None]).slice(1)  # an offset: the general path
    assert common._blank_to_null(sliced).to_pylist() == [None, "x", None]
    # a missing value that still spans bytes (as compute kernels can leave it) stays missing
    base = pa.array(["a", "b", ""])
    bitmap = pa.py_buffer(bytes([0b101]))  # valid, missing, valid
    holey = pa.Array.from_buffers(pa.string(), 3, [bitmap, base.buffers()[1], base.buffers()[2]], null_count=1)
    out = common._blank_to_null(holey)
    assert out.to_pylist() == ["a", None, None] and out.null_count == 2


def test_integers_digits_signs_and_missing():
    assert _values(common._integers(pa.array(["1", None, " ", "007", " 42 "]), 5)) == [1, None, None, 7, 42]
    assert _values(common._integers(pa.array(["-3", "x", "12"]), 3)) == [-3, None, 12]
    assert _values(common._integers(None, 2)) == [None, None]
    assert str(common._integers(None, 2).dtype) == "Int64"
    assert str(common._integers(pa.array(["5"]), 1).dtype) == "Int64"


def test_authors_frame_and_authors_from_arrow():
    df = authors_frame([{"record": 1, "position": 1, "author": " Roy, P. ", "affiliation": "  "}])
    assert list(df.columns) == common.AUTHOR_COLUMNS
    assert [str(t) for t in df.dtypes] == ["Int64", "Int64"] + ["string"] * 6
    assert df.iloc[0]["author"] == "Roy, P." and pd.isna(df.iloc[0]["affiliation"]) and pd.isna(df.iloc[0]["country"])
    arrow = authors_from_arrow(np.array([1, 1]), np.array([1, 2]),
                               {"author": pa.array([" Lee, K. ", ""]), "country": pa.array(["Canada", None])})
    assert list(arrow.columns) == common.AUTHOR_COLUMNS
    assert [str(t) for t in arrow.dtypes] == ["Int64", "Int64"] + ["string"] * 6
    assert _values(arrow["author"]) == ["Lee, K.", None] and _values(arrow["country"]) == ["Canada", None]
    assert _values(arrow["position"]) == [1, 2] and arrow["affiliation"].isna().all()


def test_rejection_rows_and_detail():
    r = rejection(3, 7, "broken_row", fields=5, expected=4)
    assert r == {"record": 3, "line": 7, "code": "broken_row",
                 "reason": "5 fields instead of 4 (truncated or broken row)",
                 "detail": '{"expected": 4, "fields": 5}'}
    assert rejection(None, None, "no_title")["detail"] is None
    assert rejection(1, 1, "bibtex_syntax_error", entry="@article{é,")["detail"] == '{"entry": "@article{é,"}'
    assert rejection_detail('{"a": 1}') == {"a": 1}
    assert rejection_detail("[1]") == {} and rejection_detail("") == {} and rejection_detail(None) == {}
    frame = rejections_frame([r, {"record": None, "code": "no_title"}])
    assert list(frame.columns) == common.REJECTION_COLUMNS
    assert [str(t) for t in frame.dtypes] == ["Int64", "Int64", "string", "string", "string"]
    assert _values(frame["line"]) == [7, None] and _values(frame["reason"]) == [r["reason"], None]
    empty = rejections_frame([])
    assert [str(t) for t in empty.dtypes] == ["Int64", "Int64", "string", "string", "string"] and empty.empty


def test_author_rows_positions_full_names_ids_and_every_affiliation():
    rows = author_rows(
        4, ["Roy, P", "", "Lee, K", "Kim, S"], full=["Roy, Pascale", "", "Lee, Kim"],
        affiliations=["Univ Synthet, Paris, France", None, "Lab, Seoul, South Korea"], ids=["id1", "id2"],
        all_affiliations=[["Univ Synthet, Paris, France", "UQAM, Montreal, Canada"], [], []])
    assert [[r[c] for c in common.AUTHOR_COLUMNS] for r in rows] == [
        [4, 1, "Roy, P.", "Roy, Pascale", "id1", "Univ Synthet, Paris, France", "France", "France; Canada"],
        [4, 2, "Lee, K.", "Lee, Kim", None, "Lab, Seoul, South Korea", "South Korea", "South Korea"],
        [4, 3, "Kim, S.", "Kim, S", None, None, None, None],
    ]
    # no normalisable short name: the full name is used
    assert author_rows(1, [""], full=["Gagnon, Élise"])[0]["author"] == "Gagnon, É."


def test_read_result_read_counts():
    rec = records_frame([{"record": 1, "title": "T"}])
    rej = rejections_frame([rejection(2, 3, "no_title")])
    res = ReadResult(P, "x", "utf-8", rec, authors_frame([]), rej)
    assert res.read == 2
    res.started = 5
    assert res.read == 5
    assert ReadResult(P, "x", "utf-8", rec, authors_frame([])).read == 1


# ---------------------------------------------------------------- finish: the rejections at every threshold
def test_finish_rejects_at_every_threshold_and_sorts_by_record():
    rows = [
        {"record": 1, "line": 10, "title": "Kept at 1500", "year": 1500, "cited_by": 0},
        {"record": 2, "line": 20, "title": "Too early", "year": 1499},
        {"record": 3, "line": 30, "title": "Kept at 2200", "year": 2200},
        {"record": 4, "line": 40, "title": "Too late", "year": 2201, "cited_by": -1},  # the year is the reason
        {"record": 5, "line": None, "title": None, "year": 3000, "cited_by": -2},  # no title is the reason
        {"record": 6, "line": 60, "title": "Negative", "cited_by": -1},
    ]
    authors = authors_frame([{"record": r, "position": 1, "author": f"A{r}, B."} for r in range(1, 7)])
    earlier = [rejection(7, 70, "unclosed_wos_record"), rejection(0, 1, "not_json_object")]
    res = finish(P, "fmt", "enc", "note", records_frame(rows), authors, earlier)
    assert (res.format, res.encoding, res.note, res.path) == ("fmt", "enc", "note", P)
    assert res.records["title"].tolist() == ["Kept at 1500", "Kept at 2200"]
    assert list(res.records.index) == [0, 1] and list(res.authorships.index) == [0, 1]
    assert list(res.records.columns) == common.RECORD_COLUMNS and list(res.authorships.columns) == common.AUTHOR_COLUMNS
    assert res.authorships["record"].tolist() == [1, 3]
    assert [[r["record"], None if pd.isna(r["line"]) else r["line"], r["code"], r["reason"]]
            for _, r in res.rejections.iterrows()] == [
        [0, 1, "not_json_object", "not a JSON object"],
        [2, 20, "year_out_of_range", "publication year 1499 outside 1500–2200"],
        [4, 40, "year_out_of_range", "publication year 2201 outside 1500–2200"],
        [5, None, "no_title", "record has no title"],
        [6, 60, "negative_citations", "negative citation count (-1)"],
        [7, 70, "unclosed_wos_record", "record not closed by ER (truncated file or missing line)"],
    ]
    assert json.loads(res.rejections["detail"].iloc[1]) == {"value": 1499, "low": 1500, "high": 2200}


def test_finish_keeps_the_order_of_rejections_of_the_same_record():
    """40 rejections over 5 record numbers, given in line order: sorted by record, ties keep their order (an
    unstable sort of this many values reorders them)."""
    given = [rejection((i * 7) % 5, i, "no_title") for i in range(40)]
    res = finish(P, "f", "e", "", records_frame([]), authors_frame([]), given)
    assert res.rejections["line"].tolist() == sorted(range(40), key=lambda i: (i * 7) % 5)


def test_finish_with_nothing_to_reject_keeps_the_given_rejections():
    res = finish(P, "f", "e", "", records_frame([{"record": 2, "title": "T"}]), authors_frame([]),
                 [rejection(1, 1, "no_title")])
    assert res.records["record"].tolist() == [2] and res.rejections["record"].tolist() == [1]


# ---------------------------------------------------------------- JSON
def test_json_items_result_rejects_parse_problems_and_non_objects():
    items = [(1, {"t": "A"}, None), (2, None, "Expecting value"), (4, [1], None), (5, {"t": "B"}, None)]

    def to_record(item, record, line):
        return {"record": record, "line": line, "title": item["t"]}, [{"record": record, "position": 1,
                                                                      "author": "Roy, P."}]

    res = json_items_result(P, "fmt", "enc", "n", items, to_record)
    assert res.started == 4 and res.read == 4
    assert res.records[["record", "line", "title"]].values.tolist() == [[1, 1, "A"], [4, 5, "B"]]
    assert res.authorships["record"].tolist() == [1, 4]
    assert res.rejections[["record", "line", "code", "reason"]].values.tolist() == [
        [2, 2, "invalid_json_line", "invalid JSON line (Expecting value; truncated or broken record)"],
        [3, 4, "not_json_object", "not a JSON object"]]


def test_json_documents_whole_lines_and_errors():
    assert json_documents('\ufeff {"a": 1} \n', P) == ({"a": 1}, [])
    obj, lines = json_documents('{"a": 1}\n\n{"b": 2}\n{"c": \n[3]\n', P)
    assert obj is None
    assert lines == [(1, {"a": 1}, None), (3, {"b": 2}, None), (4, None, "Expecting value"), (5, [3], None)]
    two = json_documents('{"a": 1}\n{"b": \n', P)  # two lines, the second cut: JSON Lines with one bad line
    assert two == (None, [(1, {"a": 1}, None), (2, None, "Expecting value")])
    with pytest.raises(InputFormatError, match=r"invalid JSON \(Expecting value\)") as err:
        json_documents('{"a": \n', P)  # one line only: not JSON Lines
    assert err.value.line == 1
    with pytest.raises(InputFormatError, match=r"invalid JSON \(Extra data\)") as err:
        json_documents("[1]\n[2]\n", P)  # the first line is no object: not JSON Lines
    assert err.value.line == 2
    with pytest.raises(InputFormatError, match="invalid JSON"):
        json_documents('{"a": 1\n{"b": 2}\n', P)  # the first line is broken
