"""Scopus CSV reader: every author's fields on every row, the older and odd layouts, the row-by-row fallback and the
bytes fast path (issue 21: values the mutants could change unnoticed).

Files are the hand-made fixture ``tests/fixtures/bank/scopus_small.csv`` or small synthetic exports written by the
test (invented people, titles and DOIs with the 10.5555 test prefix).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analysis.core.errors import InputFormatError
from analysis.vigie.readers import read_file
from analysis.vigie.readers.scopus import (
    _positions,
    _row_lines,
    read_scopus_csv,
    read_scopus_csv_bytes,
    scopus_bib_cited_by,
    sniff_delimiter,
)

FIX = Path(__file__).parent / "fixtures" / "bank"
HEADER = ["Authors", "Author full names", "Author(s) ID", "Title", "Year", "Source title", "Cited by", "DOI",
          "Authors with affiliations", "Document Type", "EID"]


def _export(tmp_path: Path, rows: list[list[str]], header: list[str] = HEADER, name: str = "export.csv") -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_every_author_of_every_row_of_the_fixture():
    a = read_file(FIX / "scopus_small.csv").authorships
    assert a["record"].tolist() == [1, 1, 2, 3, 3, 4]
    assert a["position"].tolist() == [1, 2, 1, 1, 2, 1]
    assert a["author_full"].tolist() == ["Tremblay, Marie", "Gagnon, Élise", "Smith, John A.", "Lee, Kim",
                                         "Tremblay, Marie", "Roy, Pascale"]
    assert a["author_id"].tolist() == ["1001", "1002", "1003", "1004", "1001", "1005"]
    assert a["affiliation"].tolist() == [
        "Université Laval, Québec, QC, Canada", "HEC Montréal, Montréal, QC, Canada",
        "Synthetic University, Boston, MA, United States", "Synthetic Institute, Seoul, South Korea",
        "Université Laval, Québec, QC, Canada", "UQAM, Montréal, QC, Canada"]


def test_every_record_field_of_the_fixture():
    r = read_file(FIX / "scopus_small.csv").records
    assert r["year"].tolist() == [2020, 2021, 2022, 2022]
    assert r["cited_by"].tolist()[:3] == [5, 12, 0]
    assert r["language"].tolist() == ["French", "English", "English", "French"]
    assert r["doc_type"].tolist() == ["Article", "Review", "Article", "Article"]
    assert r["source_title"].tolist() == ["Revue synthétique d'économie sociale",
                                          "Synthetic Journal of Cooperative Studies",
                                          "Synthetic Journal of Cooperative Studies", "Cahiers synthétiques"]
    assert r["author_keywords"].tolist()[0] == "coopératives; innovation sociale"
    assert r["index_keywords"].tolist()[0] == "Cooperatives; Social innovation"


def test_full_names_ids_and_affiliations_on_several_rows(tmp_path):
    path = _export(tmp_path, [
        ["Roy P.; Lee K.; Kim S.", "Roy, Pascale (11); Lee, Kim (12); Kim, Sun (13)", "11;12;13",
         "Synthetic first title", "2020", "J", "1", "10.5555/s.1",
         "Roy P., UQAM, Montréal, Canada; Lee K., Synthetic Institute, Seoul, South Korea; Kim S.", "Article", "e1"],
        ["Dubois A.; Roy P.", "Dubois, Anne (21); Roy, Pascale (11)", "21; 11", "Synthetic second title", "2021",
         "J", "", "", "Dubois A., Univ Synthet, Paris, France; Roy P., UQAM, Montréal, Canada", "Review", "e2"],
    ])
    a = read_file(path).authorships
    assert a["author"].tolist() == ["Roy, P.", "Lee, K.", "Kim, S.", "Dubois, A.", "Roy, P."]
    assert a["author_full"].tolist() == ["Roy, Pascale", "Lee, Kim", "Kim, Sun", "Dubois, Anne", "Roy, Pascale"]
    assert a["author_id"].tolist() == ["11", "12", "13", "21", "11"]
    # "Name, affiliation" loses the leading name; an entry that is only the name has no affiliation
    assert a["affiliation"].fillna("-").tolist() == [
        "UQAM, Montréal, Canada", "Synthetic Institute, Seoul, South Korea", "-", "Univ Synthet, Paris, France",
        "UQAM, Montréal, Canada"]
    assert a["country"].fillna("-").tolist() == ["Canada", "South Korea", "-", "France", "Canada"]


def test_lists_that_do_not_line_up_with_the_authors_are_unknown_not_shifted(tmp_path):
    path = _export(tmp_path, [
        ["Roy P.; Lee K.", "Roy, Pascale (11)", "11", "Synthetic first title", "2020", "J", "", "",
         "Roy P., UQAM, Montréal, Canada", "Article", "e1"],
        ["Kim S.", "Kim, Sun (13)", "13", "Synthetic second title", "2021", "J", "", "",
         "Kim S., Synthetic Institute, Seoul, South Korea", "Article", "e2"],
    ])
    a = read_file(path).authorships
    # the first record lists two authors but one full name, one id, one affiliation: left unknown
    assert a["author_full"].tolist() == ["Roy P.", "Lee K.", "Kim, Sun"]  # the name as exported stands in
    assert a["author_id"].fillna("-").tolist() == ["-", "-", "13"]
    assert a["affiliation"].fillna("-").tolist() == ["-", "-", "Synthetic Institute, Seoul, South Korea"]


def test_ids_from_full_names_when_there_is_no_id_column(tmp_path):
    header = ["Authors", "Author full names", "Title", "Year"]
    path = _export(tmp_path, [["Roy P.; Lee K.", "Roy, Pascale (11); Lee, Kim", "Synthetic title one", "2020"]],
                   header)
    a = read_file(path, "scopus_csv").authorships
    assert a["author_full"].tolist() == ["Roy, Pascale", "Lee, Kim"]
    assert a["author_id"].fillna("-").tolist() == ["11", "-"]
    assert a["affiliation"].isna().all()


def test_older_exports_separate_authors_with_commas_and_odd_names(tmp_path):
    header = ["Authors", "Title", "Year"]
    path = _export(tmp_path, [
        ["Roy P., Lee K.-S., de Asmundis C.", "Synthetic title one", "2020"],
        ["[No author name available]", "Synthetic title two", "2021"],
        ["Madonna", "Synthetic title three", "2022"],
    ], header)
    a = read_file(path, "scopus_csv").authorships
    assert a["record"].tolist() == [1, 1, 1, 3]
    assert a["author"].tolist() == ["Roy, P.", "Lee, K.-S.", "de Asmundis, C.", "Madonna"]
    assert a["position"].tolist() == [1, 2, 3, 1]


def test_blank_author_items_are_not_counted(tmp_path):
    path = _export(tmp_path, [["Roy P.;  ; Lee K.", "", "", "Synthetic title one", "2020", "", "", "", "", "", ""]])
    a = read_file(path).authorships
    assert a["author"].tolist() == ["Roy, P.", "Lee, K."] and a["position"].tolist() == [1, 2]


def test_positions_within_rows():
    import numpy as np

    assert _positions(np.array([0, 0, 0, 2, 2, 5])).tolist() == [1, 2, 3, 1, 2, 1]


def test_sniff_delimiter():
    assert sniff_delimiter("Authors,Title,Year") == ","
    assert sniff_delimiter("Authors;Title;Year") == ";"
    assert sniff_delimiter('"A;B;C",Title') == ","  # separators inside quotes do not count
    assert sniff_delimiter("A;B,C") == ","  # a tie: comma


def test_scopus_bib_cited_by():
    assert scopus_bib_cited_by("Cited by: 8; All Open Access") == 8
    assert scopus_bib_cited_by("cited by 12") == 12
    assert scopus_bib_cited_by("") is None and scopus_bib_cited_by(None) is None
    assert scopus_bib_cited_by("Export Date: 1 May 2024") is None


def test_row_by_row_fallback_names_each_bad_row(tmp_path):
    text = ("Title,Year,DOI\n"
            "Synthetic title one,2020,10.5555/a\n"
            "Synthetic title two,2021\n"
            "\n"
            "Synthetic title three,2022,10.5555/c,extra\n"
            '"Synthetic title four\nin two lines",2023,10.5555/d\n')
    path = tmp_path / "bad_rows.csv"
    path.write_text(text, encoding="utf-8")
    r = read_scopus_csv(path, text, "utf-8")
    assert r.records["title"].tolist() == ["Synthetic title one", "Synthetic title four in two lines"]
    assert r.records["record"].tolist() == [1, 4] and r.records["line"].tolist() == [2, 6]
    rej = r.rejections
    assert rej["record"].tolist() == [2, 3] and rej["line"].tolist() == [3, 5]
    assert rej["code"].tolist() == ["truncated_record", "extra_fields"]
    assert "2 fields instead of 3" in rej.loc[0, "reason"] and "4 fields instead of 3" in rej.loc[1, "reason"]


def test_row_lines_skip_blank_rows_and_follow_line_breaks():
    text = 'Title,Year\n"a\nb",2020\n\nc,2021\n'
    assert _row_lines(text, ",") == [2, 5]


def test_missing_title_column_is_named(tmp_path):
    path = _export(tmp_path, [["Roy P.", "2020"]], ["Authors", "Year"])
    with pytest.raises(InputFormatError, match="required Scopus column 'Title' is missing") as err:
        read_file(path, "scopus_csv")
    assert err.value.line == 1 and err.value.field == "Title"


def test_bytes_fast_path(tmp_path):
    data = (FIX / "scopus_small.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    r = read_scopus_csv_bytes(FIX / "scopus_small.csv", data)
    assert r is not None and r.encoding == "utf-8-sig" and r.read == 4
    assert r.records["line"].tolist() == [2, 3, 5, 6]
    assert r.authorships["author_full"].tolist()[1] == "Gagnon, Élise"
    plain = read_scopus_csv_bytes(FIX / "scopus_small.csv", data[3:])
    assert plain.encoding == "utf-8" and plain.records["title"].tolist() == r.records["title"].tolist()
    # the general path must take over: not UTF-8, no Title column, or a bad row
    assert read_scopus_csv_bytes(FIX / "x.csv", "Title,Year\nCoopérative,2020\n".encode("cp1252")) is None
    assert read_scopus_csv_bytes(FIX / "x.csv", b"Authors,Year\nRoy P.,2020\n") is None
    assert read_scopus_csv_bytes(FIX / "x.csv", b"Title,Year\nSynthetic,2020,extra\n") is None
    one = read_scopus_csv_bytes(FIX / "x.csv", b"Title;Year\nSynthetic title one;2020")
    assert one.records["title"].tolist() == ["Synthetic title one"] and one.records["year"].tolist() == [2020]


def test_ids_come_from_the_id_column_first(tmp_path):
    # full names without "(id)"; the Author(s) ID column holds the ids, with or without a space after ";"
    path = _export(tmp_path, [["Roy P.; Lee K.", "Roy, Pascale; Lee, Kim", "11;12", "Synthetic title one", "2020",
                               "J", "", "", "", "Article", "e1"],
                              ["Kim S.", "Kim, Sun (99)", "13", "Synthetic title two", "2021", "J", "", "", "",
                               "Article", "e2"]])
    a = read_file(path).authorships
    assert a["author_id"].tolist() == ["11", "12", "13"]  # the column wins over the id in the full name


def test_full_names_with_parentheses_keep_them(tmp_path):
    path = _export(tmp_path, [["Smith J.", "Smith, John (Jack) (13)", "", "Synthetic title one", "2020", "J", "", "",
                               "", "Article", "e1"]])
    a = read_file(path).authorships
    assert a["author_full"].tolist() == ["Smith, John (Jack)"] and a["author_id"].tolist() == ["13"]


def test_single_author_file_names_needing_normalisation_and_other_affiliations(tmp_path):
    path = _export(tmp_path, [["Tremblay M", "", "", "Synthetic title one", "2020", "J", "", "",
                               "UQAM, Montréal, Canada", "Article", "e1"]])
    a = read_file(path).authorships
    assert a["author"].tolist() == ["Tremblay, M."]  # no period: normalised one by one
    assert a["affiliation"].tolist() == ["UQAM, Montréal, Canada"]  # an entry not starting with the name: kept
    assert a["country"].tolist() == ["Canada"]


def test_only_unnamed_authors_give_no_authorships(tmp_path):
    path = _export(tmp_path, [["[No author name available]", "", "", "Synthetic title one", "2020", "J", "", "", "",
                               "Article", "e1"]])
    r = read_file(path)
    assert r.authorships.empty and r.read == 1


def test_last_record_without_full_names_or_affiliations(tmp_path):
    path = _export(tmp_path, [
        ["Roy P.", "Roy, Pascale (11)", "11", "Synthetic title one", "2020", "J", "", "", "Roy P., UQAM, Canada",
         "Article", "e1"],
        ["Lee K.", "", "", "Synthetic title two", "2021", "J", "", "", "", "Article", "e2"],
    ])
    a = read_file(path).authorships
    assert a["author_full"].tolist() == ["Roy, Pascale", "Lee K."]
    assert a["affiliation"].fillna("-").tolist() == ["UQAM, Canada", "-"]


def test_repeated_column_the_first_is_used(tmp_path):
    path = _export(tmp_path, [["Synthetic first title", "2020", "Other text"]], ["Title", "Year", "Title"])
    assert read_file(path, "scopus_csv").records["title"].tolist() == ["Synthetic first title"]


def test_semicolon_export_with_a_line_break_in_a_value(tmp_path):
    text = 'Authors;Title;Year\nRoy P.;"Synthetic title\nin two lines";2020\nLee K.;Synthetic title two;2021\n'
    path = tmp_path / "semicolon.csv"
    path.write_text(text, encoding="utf-8")
    r = read_scopus_csv(path, text, "utf-8")
    assert r.records["title"].tolist() == ["Synthetic title in two lines", "Synthetic title two"]
    assert r.records["line"].tolist() == [2, 4] and r.note == ""
    assert r.authorships["author"].tolist() == ["Roy, P.", "Lee, K."]
    bad = text + "Kim S.;Synthetic title three\n"  # a short row: the row-by-row reader, with the same separator
    path.write_text(bad, encoding="utf-8")
    r = read_scopus_csv(path, bad, "utf-8")
    assert r.records["title"].tolist()[1] == "Synthetic title two" and r.rejections["line"].tolist() == [5]


def test_row_by_row_reader_accounts_for_rows_of_empty_fields(tmp_path):
    # a row of empty fields is a record read, rejected with its reason (issue 14: nothing dropped silently)
    text = "Title,Year,DOI\nSynthetic title one,2020\n,,\nSynthetic title two,2021,10.5555/b\n"
    path = tmp_path / "blank_fields.csv"
    path.write_text(text, encoding="utf-8")
    r = read_scopus_csv(path, text, "utf-8")
    assert r.records["record"].tolist() == [3] and r.records["line"].tolist() == [4]
    assert r.rejections[["record", "line", "code"]].values.tolist() == [[1, 2, "truncated_record"],
                                                                        [2, 3, "no_title"]]


def test_broken_quote_message_and_path(tmp_path):
    text = 'Title,Year\nSynthetic title one,2020\n"Synthetic title two,2021\n'  # the quote is never closed
    path = tmp_path / "broken.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFormatError, match=r"CSV cannot be split into rows .*; check quotes") as err:
        read_scopus_csv(path, text, "utf-8")
    assert err.value.path == str(path) and err.value.line == 3


def test_missing_title_error_names_the_file(tmp_path):
    path = _export(tmp_path, [["Roy P.", "2020"]], ["Authors", "Year"])
    with pytest.raises(InputFormatError) as err:
        read_scopus_csv(path, path.read_text(encoding="utf-8"), "utf-8")
    assert err.value.path == str(path)


def test_bytes_fast_path_with_a_bom_and_a_used_last_column():
    r = read_scopus_csv_bytes(FIX / "x.csv", "\ufeffTitle,Year\nSynthetic title one,2020\n".encode("utf-8"))
    assert r.records["year"].tolist() == [2020] and r.encoding == "utf-8-sig" and r.note == ""
