"""The bank contract other modules code against: columns, dtypes, ledger identity, Parquet round trip."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.core.errors import DataIntegrityError, InputFormatError
from analysis.core.paths import default_mirror
from analysis.vigie.bank import (
    AUTHORSHIP_COLUMNS,
    KEYWORD_COLUMNS,
    LEDGER_COLUMNS,
    WORK_COLUMNS,
    Bank,
    build_bank,
    read_parquet,
    write_parquet,
)

FIX = Path(__file__).parent / "fixtures" / "bank"
ALL = ["scopus_small.csv", "wos_small.txt", "wos_small_tab.txt", "small.ris", "small_biblatex.bib",
       "scopus_small.bib", "openalex_page.json", "openalex_ui.csv", "crossref_works.json"]


@pytest.fixture(scope="module")
def bank() -> Bank:
    return build_bank([FIX / n for n in ALL])


def test_contract_columns_and_dtypes(bank):
    assert list(bank.works.columns) == WORK_COLUMNS
    assert list(bank.authorships.columns) == AUTHORSHIP_COLUMNS
    assert list(bank.work_keywords.columns) == KEYWORD_COLUMNS
    assert list(bank.ledger.columns) == LEDGER_COLUMNS
    assert list(bank.rejections.columns) == ["file", "record", "line", "code", "reason", "detail"]
    assert list(bank.duplicates.columns) == ["kept_work_id", "merged_file", "merged_record", "rule", "score",
                                             "kept_file", "kept_record"]
    assert list(bank.related.columns) == ["work_id_a", "file_a", "record_a", "work_id_b", "file_b", "record_b",
                                          "rule", "score"]
    assert str(bank.works["year"].dtype) == "Int64" and str(bank.works["cited_by"].dtype) == "Int64"
    assert str(bank.works["n_authors"].dtype) == "Int64"
    assert str(bank.authorships["position"].dtype) == "Int64"
    assert bank.works["work_id"].tolist()[:3] == ["W00001", "W00002", "W00003"]


def test_all_formats_together_ledger_balances(bank):
    led = bank.ledger.set_index("file")
    assert (led["read"] == led["kept"] + led["merged"] + led["rejected"]).all()
    assert int(led["kept"].sum()) == len(bank.works)
    assert led.loc["openalex_page.json", "merged"] == 1  # same DOI as the Scopus record
    assert led.loc["wos_small.txt", "merged"] == 2
    # 4 Scopus + 3 WoS + 1 tab + 2 RIS + 2 biblatex + 2 Scopus bib + 2 OpenAlex + 1 OpenAlex CSV + 1 Crossref
    assert int(led["read"].sum()) == 18
    assert len(bank.works) == 18 - 3
    w = bank.works.set_index("work_id")
    assert w.loc["W00001", "cited_by"] == 9  # OpenAlex counted 9: maximum across origins
    assert w.loc["W00001", "origins"] == "scopus_small.csv#1; wos_small.txt#1; openalex_page.json#1"
    assert (bank.works["n_authors"] == bank.works["work_id"].map(bank.authorships.groupby("work_id").size())
            .fillna(0)).all()


def test_keywords_long_form_folded_keys(bank):
    kw = bank.work_keywords[bank.work_keywords["work_id"] == "W00001"]
    assert ("coopératives", "cooperatives", "author") in set(zip(kw["keyword"], kw["keyword_key"], kw["kind"]))
    assert set(kw["kind"]) == {"author", "index"}
    assert not bank.work_keywords.duplicated(["work_id", "keyword_key", "kind"]).any()


def test_deterministic_ids_and_tables(bank):
    again = build_bank([FIX / n for n in ALL])
    for name in Bank.TABLES:
        pd.testing.assert_frame_equal(getattr(bank, name), getattr(again, name))


def test_parquet_round_trip(bank, tmp_path):
    written = write_parquet(bank, tmp_path / "bank")
    assert sorted(p.name for p in written.values()) == sorted(f"{t}.parquet" for t in Bank.TABLES)
    back = read_parquet(tmp_path / "bank")
    for name in Bank.TABLES:
        pd.testing.assert_frame_equal(getattr(bank, name), getattr(back, name), check_dtype=False)
    with pytest.raises(InputFormatError, match="missing"):
        read_parquet(tmp_path / "nowhere")


def test_rejections_are_listed_with_file_and_line(tmp_path):
    text = (FIX / "wos_small.txt").read_text(encoding="utf-8-sig")
    (tmp_path / "cut.txt").write_text(text[: text.rindex("TC 1")], encoding="utf-8")
    b = build_bank([FIX / "scopus_small.csv", tmp_path / "cut.txt"])
    assert b.ledger.set_index("file").loc["cut.txt", ["read", "kept", "merged", "rejected"]].tolist() == [3, 0, 2, 1]
    assert b.rejections.iloc[0][["file", "record", "line"]].tolist() == ["cut.txt", 3, 39]
    assert b.rejections.iloc[0]["code"] == "unclosed_wos_record"
    assert b.rejections.iloc[0]["reason"] == "record not closed by ER (truncated file or missing line)"


def test_format_override_and_same_name_in_two_folders(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "small.ris").write_bytes((FIX / "small.ris").read_bytes())
    b = build_bank([FIX / "small.ris", tmp_path / "a" / "small.ris"], formats={"small.ris": "ris"})
    assert b.ledger["file"].tolist() == ["small.ris", "a/small.ris"]
    assert b.ledger["merged"].tolist() == [0, 2]  # the copy merges entirely (same DOI / same title)


def test_validate_catches_unbalanced_ledger(bank):
    broken = Bank(bank.works, bank.authorships, bank.work_keywords, bank.ledger.assign(read=bank.ledger["read"] + 1),
                  bank.rejections, bank.duplicates)
    with pytest.raises(DataIntegrityError, match="does not balance"):
        broken.validate()


def test_no_input():
    with pytest.raises(InputFormatError):
        build_bank([])


def test_real_scale_scopus_main_information():
    """The real 3,658-record Scopus export end to end (speed is measured in benchmarks/, not here)."""
    from analysis.vigie.bibliometrics import main_information_dict

    mirror = default_mirror()
    path = mirror / "corpora" / "scopus_ai_2025.csv" if mirror else None
    if path is None or not path.exists():
        pytest.skip("real corpus not available (no data mirror)")
    b = build_bank([path])
    info = main_information_dict(b)
    assert len(b.works) == 3658 and info["duplicates_removed"] == 0 and info["records_rejected"] == 0
    assert {k: info[k] for k in ("sources", "year_min", "year_max", "authors", "author_appearances",
                                 "single_authored_docs", "author_keywords", "index_keywords")} == {
        "sources": 1567, "year_min": 1985, "year_max": 2025, "authors": 10751, "author_appearances": 14084,
        "single_authored_docs": 723, "author_keywords": 8264, "index_keywords": 10347}
    assert info["coauthors_per_doc"] == 3.85 and info["annual_growth_rate_pct"] == 12.47
    # every affiliation country of every author (issue 14): 1,053 of 3,658 works name two countries or more. Counted
    # apart from the readers, the export's own "Affiliations" column gives 1,058: 5 of those records list authors
    # and affiliations that do not align, or end an affiliation with a state ("Pennsylvania"), not a country.
    # (One country per author, as before: 27.47 %.)
    assert info["mean_citations_per_doc"] == 7.09 and info["international_coauthorships_pct"] == 28.79


def test_openalex_fetch_with_recorded_synthetic_responses(tmp_path):
    import datetime as dt
    import json

    from analysis.core.errors import ParameterError
    from analysis.vigie.readers import read_file
    from analysis.vigie.readers.openalex_fetch import fetch_openalex

    page1 = json.loads((FIX / "openalex_page.json").read_text(encoding="utf-8"))
    page1["meta"]["next_cursor"] = "CURSOR2"
    pages = {"*": json.dumps(page1).encode(), "CURSOR2": (FIX / "openalex_recorded_page2.json").read_bytes()}
    seen: list[str] = []

    def opener(url: str) -> bytes:  # recorded responses instead of the network
        seen.append(url)
        from urllib.parse import parse_qs, urlsplit

        return pages[parse_qs(urlsplit(url).query)["cursor"][0]]

    manifest = tmp_path / "MANIFEST.csv"
    manifest.write_text("path,sha256,source,licence_notes\n", encoding="utf-8")
    row = fetch_openalex(tmp_path / "openalex", search="économie sociale", per_page=2, max_pages=3,
                         date=dt.date(2025, 1, 15), manifest=manifest, opener=opener)
    assert len(seen) == 2 and "search=%C3%A9conomie+sociale" in seen[0]
    assert row["path"] == "openalex/openalex_2025-01-15_economie-sociale.json"
    assert manifest.read_text(encoding="utf-8").splitlines()[1].startswith("openalex/openalex_2025-01-15")
    r = read_file(tmp_path / row["path"])
    assert r.format == "openalex_json" and r.read == 3
    with pytest.raises(ParameterError):
        fetch_openalex(tmp_path, opener=opener)


