"""Readers never invent or lose a record (issue 14): each named case, built from the synthetic fixtures of
tests/fixtures/bank (invented records) by a change written out in the test, with the value expected by hand.

Every test here failed on the code before issue 14 (see each docstring for how).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest

import analysis.vigie.readers as readers
from analysis.core.errors import DataIntegrityError, InputFormatError
from analysis.vigie.bank import build_bank
from analysis.vigie.readers import count, read_file
from analysis.vigie.readers.common import ReadResult

FIX = Path(__file__).parent / "fixtures" / "bank"
SCOPUS_TITLES = ["Coopératives de travail et innovation sociale au Québec",
                 "Worker cooperatives and platform labour: a synthetic review", "Solidarity finance in rural regions",
                 "Territoires nourriciers et circuits courts"]


def _scopus_rows() -> list[list[str]]:
    with open(FIX / "scopus_small.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def _write_csv(path: Path, rows: list[list[str]], bom: bool = True) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8"))
    return path


# ---------------------------------------------------------------- a repeated header row (two exports joined)
@pytest.mark.parametrize("big", [False, True], ids=["text path", "bytes path (>1 MB)"])
def test_scopus_exports_joined_with_cat_do_not_make_a_document_titled_title(tmp_path, big):
    """Before: the second header became a record titled "Title" by "Authors" in "Source title" (5 + 4 = 9 records,
    one invented). Now: 8 records, none titled "Title", the header noted in the ledger."""
    one = (FIX / "scopus_small.csv").read_bytes()
    joined = one + one  # `cat a.csv b.csv`: the second file's BOM and header line follow the first file's rows
    if big:  # the fast path reads files over 1 MB: pad the first abstract with a long (synthetic) text
        rows = _scopus_rows()
        rows[1][rows[0].index("Abstract")] = "Synthetic padding. " * 60_000
        first = _write_csv(tmp_path / "big.csv", rows).read_bytes()
        joined = first + one
        assert len(joined) > 1_000_000
    path = tmp_path / "joined.csv"
    path.write_bytes(joined)
    r = read_file(path)
    assert (r.read, len(r.records), len(r.rejections)) == (8, 8, 0)
    assert "Title" not in r.records["title"].tolist()
    assert r.records["title"].tolist() == SCOPUS_TITLES * 2
    assert r.records["record"].tolist() == list(range(1, 9))
    # the second file's records keep their physical lines: its header is on line 7, its first record on line 8
    assert r.records["line"].tolist()[4:] == [8, 9, 11, 12]
    assert "1 repeated header row skipped" in r.note
    assert "Authors" not in r.authorships["author"].tolist()


def test_openalex_csv_exports_joined_with_cat(tmp_path):
    """Before: the second header row became a work titled "title" (3 records). Now: 2 records, the header noted."""
    one = (FIX / "openalex_ui.csv").read_bytes()
    path = tmp_path / "joined.csv"
    path.write_bytes(one + one)
    r = read_file(path)
    assert (r.format, r.read, len(r.records)) == ("openalex_csv", 2, 2)
    assert r.records["title"].tolist() == ["Synthetic work exported from the OpenAlex web interface"] * 2
    assert r.records["line"].tolist() == [2, 4] and "repeated header" in r.note


# ---------------------------------------------------------------- a stray "}" in a BibTeX value
_STRAY = """% Synthetic entries (invented) for the stray-brace case.
@article{stray2021,
  title = {Synthetic cooperatives and their members}},
  author = {Roy, Pascale and Lee, Kim},
  journal = {Synthetic Journal of Cooperative Studies},
  year = {2021}
}

@article{next2022,
  title = {Another synthetic article},
  author = {Tremblay, Marie},
  year = {2022}
}
"""


def test_bibtex_stray_brace_is_repaired_and_said(tmp_path):
    """Before: the entry kept only its title (authors, journal and year silently dropped). Now: the stray brace is
    dropped, every field read, and the ledger note says one entry was repaired."""
    (tmp_path / "stray.bib").write_text(_STRAY, encoding="utf-8")
    r = read_file(tmp_path / "stray.bib")
    assert (r.read, len(r.records), len(r.rejections)) == (2, 2, 0)
    rec = r.records.iloc[0]
    assert (rec["title"], rec["year"], rec["source_title"]) == (
        "Synthetic cooperatives and their members", 2021, "Synthetic Journal of Cooperative Studies")
    assert r.authorships.loc[r.authorships["record"] == 1, "author"].tolist() == ["Roy, P.", "Lee, K."]
    assert "1 entry(ies) with a stray or missing brace repaired" in r.note


def test_bibtex_stray_brace_that_cannot_be_repaired_is_rejected(tmp_path):
    """A stray brace inside a value whose repair would still lose a field: rejected with its line, not kept short."""
    text = _STRAY.replace("  title = {Synthetic cooperatives and their members}},",
                          "  title = {Synthetic cooperatives} and their members}},\n  note = {x = {y}")
    (tmp_path / "bad.bib").write_text(text, encoding="utf-8")
    r = read_file(tmp_path / "bad.bib")
    assert (r.read, len(r.records), len(r.rejections)) == (2, 1, 1)
    assert r.rejections.iloc[0][["record", "line"]].tolist() == [1, 2]
    assert r.rejections.iloc[0]["code"] in {"bibtex_stray_brace", "bibtex_syntax_error"}
    assert r.records["title"].tolist() == ["Another synthetic article"]


def test_bibtex_every_entry_start_is_accounted_for(tmp_path):
    """An entry the parser reads nothing of (an "@" entry line inside a broken value) is rejected with its line:
    kept + rejected equals the entries the text starts (counted apart from the parser)."""
    text = ("@article{a,\n  title = {A synthetic title},\n  abstract = {see\n@article{fake, nope}\n done},\n"
            "  year = {2020}\n}\n\n@article{b,\n  title = {B synthetic title},\n  year = {2021}\n}\n")
    (tmp_path / "at.bib").write_text(text, encoding="utf-8")
    r = read_file(tmp_path / "at.bib")
    assert count.bibtex_starts(text) == [0, 3, 8]
    assert r.read == 3 and len(r.records) + len(r.rejections) == 3
    assert r.records["title"].tolist() == ["B synthetic title"]
    assert r.rejections["line"].tolist() == [1, 4]


# ---------------------------------------------------------------- one non-UTF-8 byte in one title
def test_one_bad_byte_is_repaired_in_its_field_not_the_whole_file(tmp_path):
    """Before: the whole file was decoded as cp1252, so every accented title and author became mojibake
    ("CoopÃ©ratives", "Gagnon, Ã‰."). Now: UTF-8 everywhere, the one cp1252 byte read as "é" in its own value,
    the encoding kept as UTF-8 in the ledger and one repaired field counted."""
    data = (FIX / "scopus_small.csv").read_bytes().replace(b"Solidarity finance", b"Solidarit\xe9 finance")
    (tmp_path / "one_bad.csv").write_bytes(data)
    r = read_file(tmp_path / "one_bad.csv")
    assert r.encoding == "utf-8-sig" and r.repaired == 1
    assert r.records["title"].tolist() == [SCOPUS_TITLES[0], SCOPUS_TITLES[1], "Solidarité finance in rural regions",
                                           SCOPUS_TITLES[3]]
    assert "Gagnon, É." in r.authorships["author"].tolist()
    # record 2 spans lines 3-4 (a line break inside its abstract): record 3 is on line 5
    assert "1 field value(s) held bytes that are not UTF-8" in r.note and "(line 5)" in r.note
    bank = build_bank([tmp_path / "one_bad.csv"])
    assert bank.ledger[["encoding", "repaired"]].values.tolist() == [["utf-8-sig", 1]]


def test_one_bad_byte_in_a_big_scopus_file(tmp_path):
    """The same above 1 MB (the fast bytes path hands over to the general path): before, the file was refused or
    read as latin-1 mojibake."""
    rows = _scopus_rows()
    rows[1][rows[0].index("Abstract")] = "Synthetic padding. " * 60_000
    data = _write_csv(tmp_path / "tmp.csv", rows).read_bytes().replace(b"Solidarity", b"Solidarit\xe9")
    (tmp_path / "big_bad.csv").write_bytes(data)
    r = read_file(tmp_path / "big_bad.csv")
    assert (r.encoding, r.repaired, r.read) == ("utf-8-sig", 1, 4)
    assert r.records["title"].tolist()[0] == SCOPUS_TITLES[0]
    assert r.records["title"].tolist()[2] == "Solidarité finance in rural regions"


def test_a_cp1252_file_is_still_read_as_cp1252(tmp_path):
    """A file with no valid UTF-8 at all (French Excel) is cp1252 as a whole, as before."""
    text = (FIX / "scopus_small.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "excel.csv").write_bytes(text.encode("cp1252"))
    r = read_file(tmp_path / "excel.csv")
    assert (r.encoding, r.repaired) == ("cp1252", 0) and r.records["title"].tolist() == SCOPUS_TITLES


# ---------------------------------------------------------------- out-of-range values
def test_out_of_range_cells_reject_their_record_only(tmp_path):
    """Before: year 3020 and "Cited by" -5 made the whole bank fail its schema, naming neither file nor record.
    Now: those two records are rejected with their line and reason, the other two kept."""
    rows = _scopus_rows()
    rows[1][rows[0].index("Year")] = "3020"
    rows[3][rows[0].index("Cited by")] = "-5"
    path = _write_csv(tmp_path / "range.csv", rows)
    bank = build_bank([path])
    assert bank.ledger[["read", "kept", "rejected"]].values.tolist() == [[4, 2, 2]]
    rej = bank.rejections
    assert rej[["record", "line", "code"]].values.tolist() == [[1, 2, "year_out_of_range"],
                                                               [3, 5, "negative_citations"]]
    assert rej["reason"].tolist() == ["publication year 3020 outside 1500–2200", "negative citation count (-5)"]
    assert bank.works["title"].tolist() == [SCOPUS_TITLES[1], SCOPUS_TITLES[3]]


# ---------------------------------------------------------------- huge fields
def test_a_2900_author_record_is_read_whole_on_the_row_by_row_path(tmp_path):
    """A record listing 2,900 (synthetic) authors with their affiliations: its fields exceed the csv module's
    128 KB limit. Before: with another row broken, the row-by-row fallback stopped at "field larger than field
    limit" and refused the file. Now: the big record is read whole, the broken row alone rejected."""
    rows = _scopus_rows()
    header = rows[0]
    names = [f"Synthauthor{i:04d} A." for i in range(2900)]
    big = list(rows[2])
    big[header.index("Authors")] = "; ".join(names)
    big[header.index("Author full names")] = "; ".join(f"Synthauthor{i:04d}, Alex ({9000000 + i})" for i in range(2900))
    big[header.index("Author(s) ID")] = "; ".join(str(9000000 + i) for i in range(2900))
    big[header.index("Authors with affiliations")] = "; ".join(
        f"{n}, Synthetic Laboratory of Large Collaborations {i}, Geneva, Switzerland" for i, n in enumerate(names))
    assert len(big[header.index("Authors with affiliations")]) > 128 * 1024
    rows[2] = big
    rows[4] = rows[4][:5]  # a row cut short: pyarrow refuses the file, the csv module reads it row by row
    path = _write_csv(tmp_path / "huge.csv", rows)
    r = read_file(path)
    assert (r.read, len(r.records), len(r.rejections)) == (4, 3, 1)
    assert r.rejections.iloc[0][["record", "code"]].tolist() == [4, "truncated_record"]
    a = r.authorships[r.authorships["record"] == 2]
    assert len(a) == 2900 and a["author"].iloc[-1] == "Synthauthor2899, A."
    assert set(a["country"]) == {"Switzerland"}


# ---------------------------------------------------------------- decompression bomb
def test_decompression_bomb_is_refused_before_memory_blows(tmp_path):
    """A 1.7 MB .jsonl.gz holding 1.2 GB of (synthetic, space-padded) JSON lines: 120 gzip members of 10 MB each.
    Before: read whole (several GB of memory, a MemoryError under a limit). Now: refused once it expands past 100
    times its size (about 170 MB), with the limit in the message."""
    line = json.dumps({"id": "https://openalex.org/W1", "title": "A synthetic bomb"}).encode() + b" " * 4000 + b"\n"
    member = gzip.compress(line * (10_000_000 // len(line)), compresslevel=9)
    data = member * 120
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(data)
    assert len(data) < 2_000_000
    with pytest.raises(InputFormatError) as err:
        read_file(path)
    assert "decompression bomb" in str(err.value) and "bomb.jsonl.gz" in err.value.one_line()
    assert "more than 100 times its compressed size" in str(err.value)


def test_a_genuine_gzip_export_is_read(tmp_path):
    gz = tmp_path / "scopus.csv.gz"
    gz.write_bytes(gzip.compress((FIX / "scopus_small.csv").read_bytes()))
    assert read_file(gz).records["title"].tolist() == SCOPUS_TITLES


# ---------------------------------------------------------------- the independent count and its check
@pytest.mark.parametrize("name, started", [
    ("scopus_small.csv", 4), ("wos_small.txt", 3), ("wos_small_tab.txt", 1), ("small.ris", 2),
    ("small_biblatex.bib", 2), ("scopus_small.bib", 2), ("openalex_ui.csv", 1), ("openalex_page.json", 2),
    ("crossref_works.json", 1),
])
def test_every_reader_reports_the_records_its_file_starts(name, started):
    r = read_file(FIX / name)
    assert r.started == r.read == started == len(r.records) + len(r.rejections)


def test_csv_row_count_reads_quotes_not_lines():
    data = (b'\xef\xbb\xbfA,Title\r\n"x","one\r\nline"\r\n\r\n   \r\n"y","two"\r\nA,Title\r\n"z",""\r\n')
    assert count.csv_rows(data) == (3, 1)  # a line break inside quotes, a blank and a spaces-only line, a header


def test_a_reader_that_loses_a_record_is_an_error_naming_the_file(monkeypatch):
    """A reader dropping a record silently is caught by the independent count (simulated: the RIS reader is made
    to drop its last record)."""
    real = readers.READERS["ris"]

    def lossy(path, text, encoding, note=""):
        res = real(path, text, encoding, note)
        return ReadResult(res.path, res.format, res.encoding, res.records.iloc[:-1], res.authorships,
                          res.rejections, res.note)

    monkeypatch.setitem(readers.READERS, "ris", lossy)
    with pytest.raises(DataIntegrityError) as err:
        read_file(FIX / "small.ris")
    assert "small.ris" in err.value.one_line() and "starts 2 records" in str(err.value) and "lost" in str(err.value)
