"""Tables transcribed from the seed documents: hand-checked values, schemas, and clear errors on corrupted copies."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pandas as pd
import pytest

from analysis.core import paths
from analysis.core.errors import SchemaError, VigieError
from analysis.core.tables import split_list
from analysis.food import casebook
from analysis.vigie import practices as practice_inventory

SEED_001 = "001_c3ac60c887b6448f.txt"


@pytest.fixture(scope="module")
def cases() -> pd.DataFrame:
    return casebook.load_cases().set_index("case_id")


def seed_line(name: str, number: int) -> str:
    """One line of a seed document from the shared mirror (skip when the mirror is absent)."""
    mirror = paths.default_mirror()
    path = mirror / "seeds" / name if mirror is not None else None
    if path is None or not path.exists():
        pytest.skip("seed documents not available (shared mirror absent)")
    return path.read_text(encoding="utf-8").splitlines()[number - 1]


# ---- values checked by hand against the case book ------------------------------------------------------------
def test_cape_revenue_and_status(cases):
    # 001 line 756: CAPÉ revenue "2 145 039 $" (2020); line 776: "Coopérative de producteur-rice-s".
    assert cases.loc["cape", "revenue_cad"] == 2_145_039
    assert cases.loc["cape", "revenue_year"] == 2020
    assert cases.loc["cape", "legal_status"] == "coop_producer"
    assert "2 145 039" in seed_line(SEED_001, 756)


def test_chic_resto_pop_revenue_and_status(cases):
    # 001 line 878: revenue "2 705 006 $" in 2019 (line 875); line 901: "OBNL"; board size not stated (line 902).
    assert cases.loc["chic_resto_pop", "revenue_cad"] == 2_705_006
    assert cases.loc["chic_resto_pop", "reference_year"] == 2019
    assert cases.loc["chic_resto_pop", "legal_status"] == "obnl"
    assert pd.isna(cases.loc["chic_resto_pop", "board_size"])
    assert "2 705 006" in seed_line(SEED_001, 878)


def test_santropol_revenue_and_status(cases):
    # 001 line 1279: revenue "1 573 345 $" (2020); line 1296: "OBNL"; line 1297: board of 9.
    assert cases.loc["santropol_roulant", "revenue_cad"] == 1_573_345
    assert cases.loc["santropol_roulant", "legal_status"] == "obnl"
    assert cases.loc["santropol_roulant", "board_size"] == 9
    assert "1 573 345" in seed_line(SEED_001, 1279)


def test_alina_decade_only_and_approximate_revenue(cases):
    # 001 line 67: created "dans les années 1970" -> no founded_year; line 74: revenue "près de 5 000 000 $".
    assert pd.isna(cases.loc["alina", "founded_year"])
    assert "1970s" in cases.loc["alina", "notes"]
    assert cases.loc["alina", "revenue_cad"] == 5_000_000
    assert "revenue_cad" in split_list(cases.loc["alina", "approximate_fields"])
    assert "près de 5 000 000" in seed_line(SEED_001, 74)


def test_alina_founding_decade_enters_as_bounds(cases):
    # 001 line 67: created in the 1970s in Saint-Fabien, moved to downtown Rimouski in 1978 -> founded 1970-1978.
    assert (cases.loc["alina", "founded_year_min"], cases.loc["alina", "founded_year_max"]) == (1970, 1978)
    assert "années 1970" in seed_line(SEED_001, 67) and "1978" in seed_line(SEED_001, 67)


def test_csur_volunteers_of_2021_and_grocery_revenue(cases):
    # 001 line 606: figures "En 2021"; line 649: 50 citizen-member volunteers, "10 bénévoles après la pandémie".
    assert cases.loc["csur", "reference_year"] == 2021
    assert cases.loc["csur", "volunteers"] == 10
    assert "50 citoyen" in cases.loc["csur", "notes"] or "50 citizen" in cases.loc["csur", "notes"]
    assert "10 bénévoles après la pandémie" in seed_line(SEED_001, 649)
    # 001 line 609: revenue 1,7 million $ (2020), of which 560 000 $ from the Marché Écolocal grocery.
    assert cases.loc["csur", "revenue_cad"] == 1_700_000 and cases.loc["csur", "food_revenue_cad"] == 560_000
    assert "1,7 million" in seed_line(SEED_001, 609) and "560 000" in seed_line(SEED_001, 609)
    assert cases["food_revenue_cad"].dropna().to_dict() == {"csur": 560_000}


def test_lower_bounds_are_marked_not_asserted_as_exact(cases):
    # 001 line 207: "plus de 200 membres de soutien": at least 200, never exactly 200.
    assert "members" in split_list(cases.loc["grenier_boreal", "lower_bound_fields"])
    assert cases.loc["grenier_boreal", "members"] >= 200
    assert "plus de 200" in seed_line(SEED_001, 207)
    # 001 line 1011: 25 volunteers on site plus several in committees: at least 25.
    assert "volunteers" in split_list(cases.loc["choux_gras", "lower_bound_fields"])
    assert "25 bénévoles" in seed_line(SEED_001, 1011)


def test_margin_bases_of_the_two_distribution_models(cases):
    # 001 line 554: margin "demandée aux producteur-ric-e-s" (share of their sales); line 1188: margin "facturée aux
    # membres" (a share of the sale price or a markup on the producers' price: the book does not say).
    assert cases["margin_basis"].dropna().to_dict() == {"marche_outaouais": "sales",
                                                        "marche_proximite_quebec": "unstated"}
    assert "demandée aux producteur" in seed_line(SEED_001, 554)
    assert "facturée aux membres" in seed_line(SEED_001, 1188)


def test_gross_margins_of_the_two_distribution_models(cases):
    # 001 line 554: margin of 22 % asked of producers (Outaouais); line 1188: transparent 15 % margin (Québec).
    assert cases["gross_margin_pct"].dropna().to_dict() == {"marche_outaouais": 22.0, "marche_proximite_quebec": 15.0}
    assert "22 %" in seed_line(SEED_001, 554)
    assert "15 %" in seed_line(SEED_001, 1188)


def test_ten_cases_with_the_book_statuses(cases):
    assert len(cases) == 10
    assert cases["legal_status"].value_counts().to_dict() == {
        "coop_solidarity": 4, "obnl": 4, "coop_consumer": 1, "coop_producer": 1}


# ---- statements, counts, practices, references ---------------------------------------------------------------
def test_statements_cover_every_case_with_seed_lines(cases):
    statements = casebook.load_statements()
    assert len(statements) == 195
    assert set(statements["case_id"]) == set(cases.index)
    assert statements["seed_line"].notna().all()
    # 001 line 554 is coded as the Outaouais margin challenge.
    row = statements[statements["seed_line"] == 554].iloc[0]
    assert (row["case_id"], row["phase"], row["kind"], row["theme"]) == (
        "marche_outaouais", "development", "challenge", "financial_management")


def test_published_counts_as_printed():
    published = casebook.load_published_counts()
    status = published[(published["dimension"] == "status") & published["subcategory"].isna()]
    # 001 lines 29-30: 7 cooperatives (5 solidarity, 1 consumer, 1 producer) and 4 OBNL.
    assert dict(zip(status["category"], status["published_count"], strict=True)) == {
        "coop_total": 7, "coop_solidarity": 5, "coop_consumer": 1, "coop_producer": 1, "obnl": 4}
    governance = published[published["category"] == "democratic_governance"].iloc[0]
    # 001 line 1446: "10 mentions par 7 entreprises".
    assert (governance["published_mentions"], governance["published_enterprises"]) == (10, 7)


def test_practices_reference_known_cases_and_codes(cases):
    practices = practice_inventory.load_practices()
    linked = practices["case_id"].dropna()
    assert set(linked) <= set(cases.index)
    issues = {code for value in practices["priority_issue"] for code in split_list(value)}
    assert issues <= set(practice_inventory.PRIORITY_ISSUES)
    assert set(practices["source_doc"]) == {SEED_001, "000_c0319b767be08c98.txt"}


def test_seed_references_parse_and_invent_no_title():
    library = bibtexparser.parse_file(str(paths.RAW / "vigie" / "seed_references.bib"))
    assert library.failed_blocks == []
    assert len(library.entries) == 8
    keys = {entry.key for entry in library.entries}
    assert {"vieta2021", "mazzucato2018", "borgen2016"} <= keys
    for entry in library.entries:
        assert "title" not in entry.fields_dict and "doi" not in entry.fields_dict
        assert "not given in the source" in entry["note"]


# ---- corrupted copies: one clear error naming file, line and column ------------------------------------------
def corrupt(tmp_path: Path, rel: Path, old: str, new: str) -> Path:
    text = (paths.RAW / rel).read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / rel.name
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_missing_column_is_named(tmp_path):
    target = corrupt(tmp_path, casebook.CASES_PATH, "board_size,", "")
    with pytest.raises(SchemaError) as info:
        casebook.load_cases(target)
    assert (info.value.line, info.value.field) == (1, "board_size")
    assert info.value.one_line().startswith("cases.csv:1: [board_size] missing column")


def test_status_outside_the_list_is_named(tmp_path):
    target = corrupt(tmp_path, casebook.CASES_PATH, "cape,CAPÉ,coop_producer", "cape,CAPÉ,coop_workers")
    with pytest.raises(SchemaError) as info:
        casebook.load_cases(target)
    assert (info.value.line, info.value.field) == (line_of(target, "cape,CAPÉ"), "legal_status")
    assert "coop_workers" in info.value.message


def test_negative_revenue_is_named(tmp_path):
    target = corrupt(tmp_path, casebook.CASES_PATH, ",165000,", ",-165000,")
    with pytest.raises(SchemaError) as info:
        casebook.load_cases(target)
    assert (info.value.line, info.value.field) == (line_of(target, "choux_gras,"), "revenue_cad")
    assert Path(info.value.path).name == "cases.csv"


def test_text_in_a_numeric_column_is_named(tmp_path):
    target = corrupt(tmp_path, casebook.CASES_PATH, ",2705006,", ",2,7 M$,".replace(",2,7", ",2.7"))
    with pytest.raises(VigieError) as info:
        casebook.load_cases(target)
    assert (info.value.line, info.value.field) == (line_of(target, "chic_resto_pop,"), "revenue_cad")
    assert "expected a number" in info.value.message


def test_unknown_theme_in_statements_is_named(tmp_path):
    target = corrupt(tmp_path, casebook.STATEMENTS_PATH, "s010,alina,development,success_factor,leadership_strategy",
                     "s010,alina,development,success_factor,luck")
    with pytest.raises(SchemaError) as info:
        casebook.load_statements(target)
    assert (info.value.line, info.value.field) == (11, "theme")


def test_unknown_priority_issue_in_practices_is_named(tmp_path):
    line = "p01,grenier_boreal,Le Grenier boréal,First traceability"
    target = corrupt(tmp_path, practice_inventory.PRACTICES_PATH, line, line)
    text = target.read_text(encoding="utf-8").replace("technological,food_health_autonomy;climate_transition",
                                                      "technological,food_health_autonomy;world_peace", 1)
    target.write_text(text, encoding="utf-8")
    with pytest.raises(SchemaError) as info:
        practice_inventory.load_practices(target)
    assert (info.value.line, info.value.field) == (2, "priority_issue")


def test_negative_published_count_is_named(tmp_path):
    target = corrupt(tmp_path, casebook.PUBLISHED_COUNTS_PATH, "status,obnl,,,,4,", "status,obnl,,,,-4,")
    with pytest.raises(SchemaError) as info:
        casebook.load_published_counts(target)
    assert info.value.field == "published_count"
    assert info.value.line == line_of(target, "status,obnl,,,,-4,")


def test_missing_file_is_a_schema_error(tmp_path):
    with pytest.raises(SchemaError, match="file not found"):
        casebook.load_cases(tmp_path / "nope.csv")


@pytest.mark.parametrize(("old", "new", "field", "needle"), [
    # a founding-year bound beside an exact year
    ("Rimouski,,1970,1978,2021", "Rimouski,1975,1970,1978,2021", "founded_year_min", "alina,"),
    # bounds in the wrong order
    ("Rimouski,,1970,1978,2021", "Rimouski,,1978,1970,2021", "founded_year_max", "alina,"),
    # a stated margin without what it is a share of
    (",22,sales,", ",22,,", "margin_basis", "marche_outaouais,"),
    # a food revenue above the whole revenue
    (",1700000,2020,560000,", ",1700000,2020,1800000,", "food_revenue_cad", "csur,"),
])
def test_inconsistent_case_columns_name_line_and_column(tmp_path, old, new, field, needle):
    target = corrupt(tmp_path, casebook.CASES_PATH, old, new)
    with pytest.raises(SchemaError) as err:
        casebook.load_cases(target)
    assert err.value.field == field and err.value.line == line_of(target, needle)
