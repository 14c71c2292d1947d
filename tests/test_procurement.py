"""Tests of the SEAO readers, the collective-supplier classifier and the shares (synthetic fixtures)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.core import external
from analysis.core.errors import InputFormatError, MissingDatasetError
from analysis.core.paths import default_mirror
from analysis.ecosystem import procurement, territory

FIX = Path(__file__).parent / "fixtures" / "procurement"
FILES = [FIX / "contracts_sample.csv", FIX / "avis_sample.xml", FIX / "releases_sample.json"]


@pytest.fixture(scope="module")
def read():
    return procurement.read_contracts(FILES)


def test_rows_and_rejections(read):
    contracts, rej = read
    assert len(contracts) == 9            # 6 good CSV rows + 1 XML winner + 2 JSON awards
    reasons = {(Path(f).name, ln): (r, v) for f, ln, r, v in rej.itertuples(index=False)}
    assert set(reasons) == {("contracts_sample.csv", 7), ("contracts_sample.csv", 8), ("contracts_sample.csv", 9),
                            ("avis_sample.xml", 33)}
    assert reasons[("contracts_sample.csv", 7)][0] == "missing_amount"
    assert pd.isna(reasons[("contracts_sample.csv", 7)][1])         # no value at fault: the amount is blank
    assert reasons[("contracts_sample.csv", 8)] == ("unreadable_amount", "deux mille")
    assert reasons[("contracts_sample.csv", 9)] == ("invalid_date", "2023-13-45")
    assert reasons[("avis_sample.xml", 33)] == ("unreadable_amount", "n/d")


def test_layouts(read):
    c = read[0].set_index("contract_id")
    assert c.loc["S-009", "amount"] == 12345.5                # « 12 345,50 »
    assert c.loc["X-100", "buyer_type"] == "municipal"        # from <municipal>1</municipal>
    assert c.loc["X-100", "supplier_neq"] == "1100000001"     # the losing bidder is not a contract
    assert c.loc["ocds-exemple-J-200", "region"] == "Estrie"
    assert c.loc["ocds-exemple-J-200", "buyer_type"] == "education"
    assert c.loc["ocds-exemple-J-200", "year"] == 2023
    assert c.loc["ocds-exemple-J-200", "supplier_neq"] == "1100000004"     # parties[].details.neq
    j = c.loc["ocds-exemple-J-201"]
    assert (j["buyer_type"], j["amount"], j["region"]) == ("municipal", 15000.0, "unspecified")
    assert j["date"] == pd.Timestamp("2023-04-20")                       # contracts[].dateSigned


def test_shares_by_buyer_type_by_hand(read):
    s = procurement.collective_shares(read[0], "buyer_type").set_index("buyer_type")
    assert s.loc["municipal", "contracts"] == 4 and s.loc["municipal", "collective_contracts"] == 2
    assert s.loc["municipal", "share_value_pct"] == pytest.approx(100 * 18_000 / 63_000)
    assert s.loc["gouvernemental", "share_value_pct"] == pytest.approx(100 * 17_345.5 / 72_345.5)
    by_year = procurement.collective_shares(read[0], "year").set_index("year")
    assert by_year.loc[2022, "contracts"] == 3 and by_year.loc[2023, "contracts"] == 6


def test_register_lookup_overrides_patterns():
    names = pd.Series(["Entreprise Neutre Fictive", "Autre Nom Fictif"])
    reg = pd.DataFrame({"neq": ["1100000099", "1100000098"], "name": ["X", "AUTRE NOM FICTIF"],
                        "legal_form": ["COP", "APE"]})
    out = procurement.classify_suppliers(names, pd.Series(["1100000099", None]), reg)
    assert out["method"].tolist() == ["register_neq", "register_name"]
    assert out["is_collective"].tolist() == [True, True]


@pytest.mark.parametrize("name, expected", [
    ("Coopérative de travail X", "cooperative"), ("COOP X", "cooperative"), ("X Co-operative", "cooperative"),
    ("Organisme à but non lucratif X", "nonprofit"), ("Fondation X", "foundation"), ("CPE X", "nonprofit"),
    ("Transport Cooper inc.", None), ("Béton X ltée", None),
])
def test_classify_name(name, expected):
    flag, cat = procurement.classify_name(name)
    assert cat == expected and flag == (expected is not None)


def test_precision_on_hand_labelled_names():
    labelled = pd.read_csv(FIX / "company_names_labelled.csv")
    m = procurement.evaluate_on_labelled(labelled)
    assert (m["tp"], m["fp"], m["fn"], m["tn"]) == (18, 2, 2, 26)
    assert m["precision"] == pytest.approx(0.9)
    strict = procurement.evaluate_on_labelled(labelled, broad=False)
    assert strict["precision"] == 1.0 and strict["recall"] == pytest.approx(0.55)


def test_recall_on_real_register():
    mirror = default_mirror()
    path = mirror / external.get("req_mauricie").mirror_path if mirror else None
    if path is None or not path.exists():
        pytest.skip("mirror of req_mauricie absent")
    reg = territory.load_register(path)
    r = procurement.recall_on_register(reg).set_index("legal_form")
    assert r.loc["COP", "recall_pct"] == 100.0
    assert 45 <= r.loc["total", "recall_pct"] <= 65


def test_bad_inputs(tmp_path):
    with pytest.raises(MissingDatasetError):
        procurement.read_contracts([tmp_path / "absent.xml"])
    bad = tmp_path / "x.xml"
    bad.write_text("<export><avis></export>", encoding="utf-8")
    with pytest.raises(InputFormatError) as e:
        procurement.read_contracts([bad])
    assert e.value.line == 1
    other = tmp_path / "x.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(InputFormatError, match="format"):
        procurement.read_contracts([other])
    empty, rej = procurement.read_contracts(None)
    assert empty.empty and rej.empty
