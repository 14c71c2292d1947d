"""Readers: hand-made synthetic fixtures (tests/fixtures/bank, see its README), bad input, and real exports
from the mirror (counts verified independently of the readers)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from pathlib import Path

import pytest

from analysis.core.errors import InputFormatError, VigieError
from analysis.core.paths import default_mirror
from analysis.vigie.names import normalize_title
from analysis.vigie.readers import detect_format, read_file

FIX = Path(__file__).parent / "fixtures" / "bank"


def corpus(name: str) -> Path:
    mirror = default_mirror()
    path = (mirror / "corpora" / name) if mirror else None
    if path is None or not path.exists():
        pytest.skip(f"real corpus {name} not available (no data mirror ../shared)")
    return path


# ---------------------------------------------------------------- detection
@pytest.mark.parametrize("name, fmt", [
    ("scopus_small.csv", "scopus_csv"), ("wos_small.txt", "wos_txt"), ("wos_small_tab.txt", "wos_tab"),
    ("small.ris", "ris"), ("small_biblatex.bib", "bibtex"), ("scopus_small.bib", "scopus_bib"),
    ("openalex_page.json", "openalex_json"), ("openalex_ui.csv", "openalex_csv"),
    ("crossref_works.json", "crossref_json"),
])
def test_detect_format_by_content(name, fmt):
    text = (FIX / name).read_text(encoding="utf-8-sig")
    assert detect_format(text, name) == fmt
    assert read_file(FIX / name).format == fmt


def test_detect_unknown_format_is_clear():
    with pytest.raises(InputFormatError, match="format not recognised"):
        detect_format("just some words\nand more\n", "notes.txt")


# ---------------------------------------------------------------- fixtures, values by hand
def test_scopus_csv_fixture():
    r = read_file(FIX / "scopus_small.csv")
    assert (r.read, len(r.records), len(r.rejections), r.encoding) == (4, 4, 0, "utf-8-sig")
    rec = r.records.set_index("record")
    assert rec.loc[1, "title"] == "Coopératives de travail et innovation sociale au Québec"
    assert rec.loc[2, "doi"] == "10.5555/synth.2021.002"  # URL prefix and case removed
    assert rec.loc[2, "abstract"].startswith("First line") and "Second line" in rec.loc[2, "abstract"]
    assert rec.loc[3, "doi"] is None or rec["doi"].isna()[3]
    assert rec["cited_by"].isna()[4]
    assert r.records["line"].tolist() == [2, 3, 5, 6]  # record 2 spans two physical lines
    a = r.authorships
    assert a["author"].tolist() == ["Tremblay, M.", "Gagnon, É.", "Smith, J.A.", "Lee, K.", "Tremblay, M.", "Roy, P."]
    assert a.loc[1, "author_full"] == "Gagnon, Élise" and a.loc[1, "author_id"] == "1002"
    assert a.loc[1, "affiliation"] == "HEC Montréal, Montréal, QC, Canada"
    assert a["country"].tolist() == ["Canada", "Canada", "United States", "South Korea", "Canada", "Canada"]


def test_wos_txt_fixture():
    r = read_file(FIX / "wos_small.txt")
    assert (r.read, len(r.rejections)) == (3, 0)
    rec = r.records.set_index("record")
    assert rec.loc[1, "title"] == "Cooperatives de travail et innovation sociale au Quebec"  # continuation joined
    assert rec.loc[1, "doi"] == "10.5555/synth.2020.001"
    assert rec.loc[3, "index_keywords"] == "HOUSING; TENURE"
    assert rec["line"].tolist() == [3, 23, 39]
    a = r.authorships
    assert a.loc[a["record"] == 2, "country"].tolist() == ["South Korea", "Canada"]  # C1 "[names] address"
    assert a.loc[a["record"] == 3, "author_id"].tolist() == ["0000-0000-0000-0001"]  # ORCID from OI


def test_wos_tab_fixture():
    r = read_file(FIX / "wos_small_tab.txt")
    assert r.read == 1
    assert r.records.loc[0, "doi"] == "10.5555/synth.2015.060"
    assert r.authorships["author"].tolist() == ["Dubois, A.", "Roy, P."]
    assert r.authorships["country"].tolist() == ["France", "Canada"]


def test_ris_fixture():
    r = read_file(FIX / "small.ris")
    assert r.read == 2
    assert r.records["year"].tolist() == [2018, 2019]
    assert r.records.loc[0, "cited_by"] == 4
    assert r.records["doc_type"].tolist() == ["Article", "Book chapter"]
    assert r.records.loc[0, "author_keywords"] == "coopératives funéraires; économie sociale"
    assert r.authorships["author"].tolist() == ["Bélanger, J.", "Nguyen, T.", "Côté, M."]


def test_biblatex_fixture_accents_and_name_parts():
    r = read_file(FIX / "small_biblatex.bib")
    assert r.read == 2
    assert r.records.loc[0, "title"] == "L'économie sociale au Québec : un portrait synthétique"
    assert r.records.loc[0, "doi"] == "10.5555/synth_2019_020"
    assert r.records["year"].tolist() == [2019, 2024]  # from date = {...}
    assert r.records.loc[0, "author_keywords"] == "économie sociale; coopératives"
    assert r.authorships["author"].tolist() == [
        "Côté, M.", "Chantier synthétique de l'économie sociale", "de la statistique synthétique du Québec, I."]


def test_scopus_bib_fixture():
    r = read_file(FIX / "scopus_small.bib")
    assert r.format == "scopus_bib"
    assert r.records["cited_by"].tolist() == [3, 0]  # note = {Cited by: N}
    assert r.records.loc[0, "author_keywords"] == "resilience; cooperatives"
    assert r.records.loc[0, "index_keywords"] == "Cooperative; Resilience"
    # a single affiliation for the record belongs to every author
    assert r.authorships["country"].tolist() == ["Canada", "Canada", "Canada"]


def test_openalex_page_fixture():
    r = read_file(FIX / "openalex_page.json")
    assert r.read == 2
    assert r.records.loc[0, "abstract"] == "Un résumé synthétique reconstruit par un mot"
    assert r.records.loc[0, "doi"] == "10.5555/synth.2020.001"
    assert r.authorships["author"].tolist() == ["Tremblay, M.", "Gagnon, É."]
    assert r.authorships["author_id"].tolist() == ["A0000000001", "A0000000002"]
    assert r.authorships["country"].tolist() == ["Canada", "Canada"]


def test_openalex_jsonl_gz_with_bad_line(tmp_path):
    page = json.loads((FIX / "openalex_page.json").read_text(encoding="utf-8"))
    lines = [json.dumps(w) for w in page["results"]]
    lines.insert(1, '{"id": "https://openalex.org/W9", "title": "cut')  # truncated line
    path = tmp_path / "works.jsonl.gz"
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    r = read_file(path)
    assert r.format == "openalex_json"
    assert (r.read, len(r.records), len(r.rejections)) == (3, 2, 1)
    assert r.rejections.loc[0, "line"] == 2 and "invalid JSON" in r.rejections.loc[0, "reason"]


def test_openalex_csv_and_crossref_fixtures():
    r = read_file(FIX / "openalex_ui.csv")
    assert r.records.loc[0, "year"] == 2016 and r.records.loc[0, "cited_by"] == 2
    assert r.authorships["country"].tolist() == ["France", "South Korea"]
    c = read_file(FIX / "crossref_works.json")
    assert c.records.loc[0, "abstract"] == "A synthetic JATS abstract."
    assert c.records.loc[0, "year"] == 2017 and c.records.loc[0, "cited_by"] == 11
    assert c.authorships["author"].tolist() == ["Lavoie, J.-P.", "Silva, A."]


# ---------------------------------------------------------------- bad input
def test_cp1252_semicolon_csv_from_french_excel(tmp_path):
    text = (FIX / "scopus_small.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    path = tmp_path / "excel_fr.csv"
    path.write_bytes(out.getvalue().encode("cp1252"))
    r = read_file(path)
    assert r.format == "scopus_csv" and r.encoding == "cp1252" and "cp1252" in r.note
    assert r.read == 4
    assert r.records.loc[0, "title"] == "Coopératives de travail et innovation sociale au Québec"


def test_truncated_csv_rejects_last_record_with_line(tmp_path):
    text = (FIX / "scopus_small.csv").read_text(encoding="utf-8-sig")
    cut = text[: text.index("Territoires nourriciers") + 12]  # the last record stops mid-row
    path = tmp_path / "cut.csv"
    path.write_text(cut, encoding="utf-8")
    r = read_file(path)
    assert (r.read, len(r.records), len(r.rejections)) == (4, 3, 1)
    assert r.rejections.loc[0, "record"] == 4 and r.rejections.loc[0, "line"] == 6
    assert "fields instead of" in r.rejections.loc[0, "reason"]


def test_broken_quote_csv_names_the_line(tmp_path):
    text = (FIX / "scopus_small.csv").read_text(encoding="utf-8-sig")
    broken = text.replace('"Roy, Pascale (1005)"', '"Roy, Pascale (1005)')  # quote never closed
    path = tmp_path / "broken.csv"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(InputFormatError) as err:
        read_file(path)
    assert err.value.line == 6 and "broken.csv:6" in err.value.one_line()


def test_missing_required_column(tmp_path):
    text = (FIX / "scopus_small.csv").read_text(encoding="utf-8-sig").replace(",Title,", ",Titre,", 1)
    path = tmp_path / "no_title.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFormatError) as err:
        read_file(path, "scopus_csv")
    assert err.value.field == "Title" and err.value.line == 1


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"\x00\x01\x02binary"])
def test_empty_or_binary_file(tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(InputFormatError):
        read_file(path)


def test_file_of_another_format_when_forced(tmp_path):
    with pytest.raises(InputFormatError) as err:
        read_file(FIX / "small.ris", "wos_txt")
    assert "small.ris" in err.value.one_line()
    with pytest.raises(InputFormatError):
        read_file(FIX / "wos_small.txt", "bibtex")
    with pytest.raises(InputFormatError):
        read_file(FIX / "scopus_small.csv", "openalex_json")


def test_unknown_format_name():
    with pytest.raises(InputFormatError, match="unknown format"):
        read_file(FIX / "small.ris", "endnote")


def test_truncated_wos_and_ris_are_rejections(tmp_path):
    wos = (FIX / "wos_small.txt").read_text(encoding="utf-8-sig")
    cut = wos[: wos.rindex("TC 1")]  # last record loses its ER
    (tmp_path / "cut.txt").write_text(cut, encoding="utf-8")
    r = read_file(tmp_path / "cut.txt")
    assert (r.read, len(r.records), len(r.rejections)) == (3, 2, 1)
    assert r.rejections.loc[0, "line"] == 39 and "ER" in r.rejections.loc[0, "reason"]
    ris = (FIX / "small.ris").read_text(encoding="utf-8")
    (tmp_path / "cut.ris").write_text(ris[: ris.rindex("ER  -")], encoding="utf-8")
    r = read_file(tmp_path / "cut.ris")
    assert (r.read, len(r.rejections)) == (2, 1) and r.rejections.loc[0, "line"] == 15


def test_bad_bibtex_entry_is_rejected_rest_kept(tmp_path):
    text = (FIX / "small_biblatex.bib").read_text(encoding="utf-8")
    bad = text.replace("  title = {Indicateurs", "  title {Indicateurs")  # "=" missing
    (tmp_path / "bad.bib").write_text(bad, encoding="utf-8")
    r = read_file(tmp_path / "bad.bib")
    assert (r.read, len(r.records), len(r.rejections)) == (2, 1, 1)
    assert r.rejections.loc[0, "line"] == 12 and "syntax error" in r.rejections.loc[0, "reason"]


def test_bibtex_key_with_commas_is_repaired(tmp_path):
    text = (FIX / "small_biblatex.bib").read_text(encoding="utf-8")
    bad = text.replace("@online{institutSynthetique2024,", "@online{Institut,Synthetique,2024,")
    (tmp_path / "key.bib").write_text(bad, encoding="utf-8")
    r = read_file(tmp_path / "key.bib")
    assert (r.read, len(r.records), len(r.rejections)) == (2, 2, 0)
    assert "repaired" in r.note and r.records.loc[1, "title"] == "Indicateurs synthétiques des régions"


def test_record_without_title_is_rejected_not_dropped(tmp_path):
    text = (FIX / "wos_small.txt").read_text(encoding="utf-8-sig")
    text = text.replace("TI A synthetic study of housing cooperatives\n", "")
    (tmp_path / "notitle.txt").write_text(text, encoding="utf-8")
    r = read_file(tmp_path / "notitle.txt")
    assert (r.read, len(r.rejections)) == (3, 1)
    assert r.rejections.loc[0, "reason"] == "record has no title" and r.rejections.loc[0, "line"] == 39


def test_errors_are_project_errors(tmp_path):
    (tmp_path / "x.json").write_text('{"results": [1, 2', encoding="utf-8")
    with pytest.raises(VigieError):
        read_file(tmp_path / "x.json", "openalex_json")
    with pytest.raises(InputFormatError, match="file not found"):
        read_file(tmp_path / "missing.csv")


# ---------------------------------------------------------------- real exports (mirror)
def test_real_scopus_csv_counts():
    path = corpus("scopus_ai_2025.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))  # independent count with the csv module
    r = read_file(path)
    assert r.format == "scopus_csv" and r.read == len(rows) == 3658 and len(r.rejections) == 0
    assert r.records["doi"].notna().sum() == sum(1 for x in rows if x["DOI"].strip())
    n_auth = sum(len([a for a in x["Authors"].split("; ") if a and not a.startswith("[No author")]) for x in rows)
    assert len(r.authorships) == n_auth


def test_real_wos_txt_counts():
    path = corpus("wos_ai_2025.txt")
    text = path.read_text(encoding="utf-8-sig")
    n_er = len(re.findall(r"^ER\s*$", text, re.M))
    r = read_file(path)
    assert r.format == "wos_txt" and r.read == n_er == 500 and len(r.rejections) == 0
    assert r.records["doi"].notna().sum() == len(re.findall(r"^DI ", text, re.M))


def test_real_scopus_bib_counts():
    path = corpus("scopus_social_entrepreneurship.bib")
    n_entries = len(re.findall(r"^@", path.read_text(encoding="utf-8"), re.M))
    r = read_file(path)
    assert r.format == "scopus_bib" and r.read == n_entries == 2000
    # one entry key holds commas ("@ARTICLE{Lenssen,Mollie…"): repaired and read, noted in the ledger
    assert len(r.rejections) == 0 and "repaired" in r.note
    assert r.records.set_index("record").loc[187, "line"] == 3393
    assert r.records["cited_by"].isna().all()  # this older layout has no citation counts
    new = read_file(corpus("scopus_cashwaqf.bib"))
    assert new.read == 136 and new.records["cited_by"].notna().all()


def test_real_zotero_biblatex():
    r = read_file(corpus("zotero_biblatex_fr.bib"))
    assert r.format == "bibtex" and r.read == 8 and len(r.rejections) == 0
    assert "Répertoire des services Web et données géographiques" in r.records["title"].tolist()
    assert "de la statistique du Québec, I." in r.authorships["author"].tolist()


def test_real_same_records_agree_across_wos_txt_bib_ris():
    mirror = default_mirror()
    folder = (mirror / "corpora" / "pluriverse_wos_same_records") if mirror else None
    if folder is None or not folder.exists():
        pytest.skip("pluriverse_wos_same_records not available (no data mirror)")
    txt, bib, ris = (read_file(folder / f"savedrecs.{ext}") for ext in ("txt", "bib", "ris"))
    assert (txt.format, bib.format, ris.format) == ("wos_txt", "bibtex", "ris")
    assert txt.read == bib.read == ris.read == 103
    for other in (bib, ris):
        assert other.records["doi"].fillna("").tolist() == txt.records["doi"].fillna("").tolist()
        assert other.records["year"].tolist() == txt.records["year"].tolist()
        titles = [normalize_title(t) for t in txt.records["title"]]
        assert [normalize_title(t) for t in other.records["title"]] == titles
        assert other.records["cited_by"].tolist() == txt.records["cited_by"].tolist()


def test_scopus_bytes_fast_path_equals_text_path():
    from analysis.vigie.readers.common import decode
    from analysis.vigie.readers.scopus import read_scopus_csv, read_scopus_csv_bytes

    paths = [FIX / "scopus_small.csv"]
    mirror = default_mirror()
    if mirror and (mirror / "corpora" / "scopus_ai_2025.csv").exists():
        paths.append(mirror / "corpora" / "scopus_ai_2025.csv")
    for path in paths:
        data = path.read_bytes()
        fast = read_scopus_csv_bytes(path, data)
        text, enc, note = decode(data, path)
        slow = read_scopus_csv(path, text.replace("\r\n", "\n"), enc, note)
        assert fast is not None and fast.encoding == slow.encoding
        import pandas as pd

        pd.testing.assert_frame_equal(fast.records, slow.records)
        pd.testing.assert_frame_equal(fast.authorships, slow.authorships)


def test_wos_tab_utf16_with_bom(tmp_path):
    text = (FIX / "wos_small_tab.txt").read_text(encoding="utf-8")
    path = tmp_path / "savedrecs_win.txt"
    path.write_bytes(text.encode("utf-16"))  # "Tab-delimited (Win)" exports: UTF-16 with BOM
    r = read_file(path)
    assert (r.format, r.encoding, r.read) == ("wos_tab", "utf-16", 1)
    assert r.records.loc[0, "title"] == "Synthetic tab-delimited record"


def test_scopus_quoted_line_break_in_a_value_keeps_records_and_their_lines(tmp_path):
    """A value holding a line break (a pasted abstract) is read whole by both Scopus paths; the next records
    start one line later. (Hand-made fixture rows; the line break is synthetic.)"""
    from analysis.vigie.readers.common import decode
    from analysis.vigie.readers.scopus import read_scopus_csv, read_scopus_csv_bytes

    with open(FIX / "scopus_small.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    i_abs = rows[0].index("Abstract")
    rows[1][i_abs] = "First paragraph.\nSecond paragraph."
    path = tmp_path / "scopus_line_break.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(rows)
    data = path.read_bytes()
    fast = read_scopus_csv_bytes(path, data)
    text, enc, note = decode(data, path)
    slow = read_scopus_csv(path, text, enc, note)
    for res in (fast, slow):
        assert len(res.records) == len(rows) - 1
        assert res.records["abstract"].iloc[0] == "First paragraph.\nSecond paragraph."
        # record 1 now spans lines 2-3; record 2 (its abstract already holds a line break) lines 4-5
        assert res.records["line"].tolist() == [2, 4, 6, 7]


# ---------------------------------------------------------------- BibTeX / biblatex types (issue 14)
@pytest.mark.parametrize("entry, type_field, expected", [
    ("inbook", None, "Book chapter"), ("incollection", None, "Book chapter"), ("report", "resreport", "Report"),
    ("techreport", None, "Report"), ("report", None, "Report"), ("thesis", "phdthesis", "Thesis"),
    ("phdthesis", None, "Thesis"), ("mastersthesis", None, "Thesis"), ("thesis", "mathesis", "Thesis"),
    ("inproceedings", None, "Conference paper"), ("online", None, "Web page"), ("article", "Article", "Article"),
    ("article", "Article; Early Access", "Article; Early Access"), ("misc", "Preprint", "Preprint"),
    ("article", None, "Article"), ("book", None, "Book"), ("unknowntype", None, "unknowntype"),
])
def test_bibtex_types_are_the_bank_document_types(tmp_path, entry, type_field, expected):
    type_line = f"  type = {{{type_field}}},\n" if type_field else ""
    text = f"@{entry}{{key,\n  title = {{A synthetic entry}},\n{type_line}  year = {{2020}}\n}}\n"
    (tmp_path / "types.bib").write_text(text, encoding="utf-8")
    assert read_file(tmp_path / "types.bib").records["doc_type"].tolist() == [expected]
