"""Public purchasing: amount and date parsing at their edges, every reader's branches, the classifier's order of
evidence and the shares by hand (issue 21). Buyers, suppliers and contracts are made up for the tests."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from analysis.core.errors import InputFormatError, MissingDatasetError, ParameterError, SchemaError
from analysis.ecosystem import procurement as pr


@pytest.mark.parametrize("text, value", [
    ("12 345,67", 12345.67),
    ("12345.67", 12345.67),
    ("1,234.50", 1234.5),
    ("12\u00a0345 $", 12345.0),
    ("12\u202f345", 12345.0),
    ("0", 0.0),
    ("-5", -5.0),
    (7, 7.0),
    (None, None),
    ("  ", None),
    ("$", None),
    ("n/d", None),
    ("inf", None),
    ("nan", None),
])
def test_parse_amount(text, value):
    assert pr._parse_amount(text) == value


@pytest.mark.parametrize("text, value", [
    ("2023-04-20", pd.Timestamp("2023-04-20")),
    ("2023-04-20T10:00:00", pd.Timestamp("2023-04-20")),
    (" 2023-04-20 ", pd.Timestamp("2023-04-20")),
    ("20/04/2023", None),
    ("2023-02-30", None),
    ("", None),
    (None, None),
])
def test_parse_date(text, value):
    assert pr._parse_date(text) == value


HEADER = "numeroseao,organisme,type_organisme,regionlivraison,dateadjudication,nomorganisation,neq,montantcontrat"


def write_csv(tmp_path, lines: list[str], header: str = HEADER, name: str = "c.csv"):
    path = tmp_path / name
    path.write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_csv_rows_rejections_and_defaults(tmp_path):
    path = write_csv(tmp_path, [
        "A-1,Ville X,,,2022-01-05,Coop Fictive,1100000001,0",      # amount 0 is a contract; blanks -> unspecified
        "A-2,Ville X,municipal,Mauricie,2022-01-06,Fictif inc.,,-1",  # negative amount
        "A-3,,municipal,Mauricie,2022-01-06,Fictif inc.,,10",      # missing buyer
        "A-4,Ville X,municipal,Mauricie,,Fictif inc.,,10",         # missing date (a required field)
        ",Ville X,municipal,Mauricie,2022-01-06,Fictif inc.,,10",  # missing contract id
        "A-6,Ville X,municipal,Mauricie,2022-01-06, ,,10",         # blank supplier
    ])
    rows, rej = pr.read_contracts_csv(path)
    assert len(rows) == 1
    r = rows[0]
    assert (r["contract_id"], r["buyer_type"], r["region"], r["amount"], r["year"]) == ("A-1", "unspecified",
                                                                                       "unspecified", 0.0, 2022)
    assert r["supplier_neq"] == "1100000001" and r["source_line"] == 2 and r["date"] == pd.Timestamp("2022-01-05")
    assert [(x["line"], x["reason"], x["value"]) for x in rej] == [
        (3, "negative_amount", "-1"), (4, "missing_field", "buyer"), (5, "missing_field", "date"),
        (6, "missing_field", "contract_id"), (7, "missing_field", "supplier_name")]


def test_csv_aliases_winner_flag_and_municipal_code(tmp_path):
    header = "Numéro SEAO;Organisme;Municipal;Date;Fournisseur;NEQ;Montant;Adjudicataire"
    path = write_csv(tmp_path, [
        "B-1;Ville Y;1;2021-02-03;Coop A;;100;1",
        "B-1;Ville Y;1;2021-02-03;Autre B;;90;0",       # a losing bidder: skipped, not rejected
        "B-2;Ministère Z;false;2021-02-04;Coop C;;50;",  # blank winner flag: a contract
        "B-3;Ministère Z;peut-être;2021-02-04;Coop D;;50;oui",
        "B-4;Ministère Z;;2021-02-04;Coop E;;50;true",
    ], header=header)
    rows, rej = pr.read_contracts_csv(path)
    assert rej == []
    assert [(r["contract_id"], r["supplier_name"], r["buyer_type"]) for r in rows] == [
        ("B-1", "Coop A", "municipal"), ("B-2", "Coop C", "government"), ("B-3", "Coop D", "unspecified"),
        ("B-4", "Coop E", "unspecified")]
    assert [r["source_line"] for r in rows] == [2, 4, 5, 6]
    assert rows[0]["supplier_neq"] is None


def test_csv_errors(tmp_path):
    with pytest.raises(InputFormatError, match="required columns absent: date, supplier_name") as err:
        pr.read_contracts_csv(write_csv(tmp_path, ["x,y,z"], header="numeroseao,organisme,montant"))
    assert err.value.field == "date"
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "\n").encode() + "A,Coopé".encode("latin-1"))
    with pytest.raises(InputFormatError, match="unreadable CSV"):
        pr.read_contracts_csv(latin)


AVIS = """<?xml version="1.0" encoding="UTF-8"?>
<export>
  <avis>
    <numeroseao>X-1</numeroseao>
    <organisme>Ville Exemple</organisme>
    <type_organisme>municipal</type_organisme>
    <regionlivraison>Estrie</regionlivraison>
    <dateadjudication>2020-05-06</dateadjudication>
    <fournisseurs>
      <fournisseur>
        <nomorganisation>Coop Fictive</nomorganisation>
        <neq>1100000007</neq>
        <montantcontrat>1000</montantcontrat>
        <adjudicataire>1</adjudicataire>
      </fournisseur>
      <fournisseur>
        <nomorganisation>Perdant Fictif</nomorganisation>
        <montantcontrat>900</montantcontrat>
        <adjudicataire>0</adjudicataire>
      </fournisseur>
      <fournisseur>
        <nomorganisation>Sans drapeau Fictif</nomorganisation>
        <montantcontrat>-3</montantcontrat>
      </fournisseur>
    </fournisseurs>
  </avis>
  <avis>
    <numeroseao>X-2</numeroseao>
    <organisme>Ministère Exemple</organisme>
    <municipal>0</municipal>
    <dateadjudication>2020-07-08</dateadjudication>
    <fournisseurs>
      <fournisseur>
        <nomorganisation>OBNL Fictif</nomorganisation>
        <montantcontrat>250,5</montantcontrat>
        <adjudicataire>true</adjudicataire>
      </fournisseur>
    </fournisseurs>
  </avis>
  <numeroseao>outside any notice</numeroseao>
</export>
"""


def test_xml_winners_lines_and_fields(tmp_path):
    path = tmp_path / "avis.xml"
    path.write_text(AVIS, encoding="utf-8")
    rows, rej = pr.read_contracts_xml(path)
    assert [(r["contract_id"], r["supplier_name"], r["source_line"]) for r in rows] == [
        ("X-1", "Coop Fictive", 10), ("X-2", "OBNL Fictif", 33)]
    first, second = rows
    assert (first["buyer"], first["buyer_type"], first["region"], first["supplier_neq"], first["amount"]) == (
        "Ville Exemple", "municipal", "Estrie", "1100000007", 1000.0)
    assert (second["buyer_type"], second["region"], second["amount"], second["year"]) == (
        "government", "unspecified", 250.5, 2020)
    # a supplier with no winner flag counts as the winner: its negative amount is rejected on its own line
    assert rej == [{"file": rej[0]["file"], "line": 21, "reason": "negative_amount", "value": "-3"}]


def release(**over) -> dict:
    base = {
        "ocid": "ocds-1", "id": "r-1",
        "parties": [
            {"id": "B", "name": "Ville Fictive", "roles": ["buyer"], "address": {"region": "Laurentides"},
             "details": {"buyerType": "municipal"}},
            {"id": "S-1100000009", "name": "Coop Fictive", "roles": ["supplier"]},
            {"id": "S2", "name": "OBNL Fictif", "roles": ["supplier"], "details": {"neq": 1100000010}},
        ],
        "awards": [
            {"id": "A1", "status": "active", "date": "2024-01-02", "value": {"amount": 100},
             "suppliers": [{"id": "S-1100000009", "name": "Coop Fictive"}, {"id": "S2", "name": "OBNL Fictif"}]},
            {"id": "A2", "status": "cancelled", "value": {"amount": 5}, "suppliers": [{"id": "S2", "name": "x"}]},
            {"id": "A3", "date": "2024-02-03", "suppliers": [{"name": "Sans Id Fictif"}]},
        ],
        "contracts": [{"awardID": "A3", "value": {"amount": 7}, "dateSigned": "2024-03-04"}],
    }
    base.update(over)
    return base


def test_json_releases_every_branch(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"releases": [release(), release(ocid=None, buyer={"name": "Acheteur Direct"},
                                                                awards=[], contracts=[])]}), encoding="utf-8")
    rows, rej = pr.read_contracts_json(path)
    assert rej == []
    got = [(r["contract_id"], r["supplier_name"], r["supplier_neq"], r["amount"], r["date"], r["source_line"])
           for r in rows]
    assert got == [
        ("ocds-1", "Coop Fictive", "1100000009", 100.0, pd.Timestamp("2024-01-02"), 1),  # NEQ read from the id
        ("ocds-1", "OBNL Fictif", "1100000010", 100.0, pd.Timestamp("2024-01-02"), 1),  # NEQ from details
        ("ocds-1", "Sans Id Fictif", None, 7.0, pd.Timestamp("2024-03-04"), 1),  # value and date from the contract
    ]
    assert {(r["buyer"], r["buyer_type"], r["region"]) for r in rows} == {("Ville Fictive", "municipal",
                                                                           "Laurentides")}


def test_json_buyer_name_and_missing_values(tmp_path):
    rel = release(buyer={"name": "Acheteur Direct"}, parties=[], ocid=None,
                  awards=[{"id": "A1", "status": "active", "date": "2024-01-01",
                           "suppliers": [{"name": "Coop Fictive"}]}], contracts=[])
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"releases": [rel, release(awards=[{"id": "A9", "value": {"amount": 3},
                                                                   "date": "2024-05-06"}])]}), encoding="utf-8")
    rows, rej = pr.read_contracts_json(path)
    # release 1: no amount anywhere -> missing amount; release 2: an award without suppliers -> no supplier name
    assert [(x["line"], x["reason"], x["value"]) for x in rej] == [(1, "missing_amount", None),
                                                                 (2, "missing_field", "supplier_name")]
    assert rows == []
    rel_id = release(ocid=None)
    path.write_text(json.dumps({"releases": [rel_id]}), encoding="utf-8")
    assert pr.read_contracts_json(path)[0][0]["contract_id"] == "r-1"  # no ocid: the release id


def test_json_flat_records_and_errors(tmp_path):
    path = tmp_path / "flat.json"
    path.write_text(json.dumps([
        {"NumeroSEAO": "F-1", "Organisme": "Ville", "Date": "2019-09-09", "Fournisseur": "Coop", "Montant": "1,5",
         "Municipal": "true", "ignored": "x"},
        {"NumeroSEAO": "F-2", "Organisme": "Ville", "Date": "2019-09-09", "Fournisseur": "Coop", "Montant": "?"},
    ]), encoding="utf-8")
    rows, rej = pr.read_contracts_json(path)
    assert [(r["contract_id"], r["amount"], r["buyer_type"], r["source_line"]) for r in rows] == [
        ("F-1", 1.5, "municipal", 1)]
    assert [(x["line"], x["reason"], x["value"]) for x in rej] == [(2, "unreadable_amount", "?")]
    bad = tmp_path / "bad.json"
    bad.write_text('{"releases": [\n  {,}\n]}', encoding="utf-8")
    with pytest.raises(InputFormatError, match="unreadable JSON") as err:
        pr.read_contracts_json(bad)
    assert err.value.line == 2
    bad.write_text('{"records": []}', encoding="utf-8")
    with pytest.raises(InputFormatError, match="neither"):
        pr.read_contracts_json(bad)


def test_read_contracts_sorts_records_paths_and_checks_arguments(tmp_path):
    b = write_csv(tmp_path, ["Z-2,Ville,municipal,R,2022-01-01,Coop,,10", "Z-1,Ville,municipal,R,2022-01-01,Coop,,x"],
                  name="b.csv")
    a = write_csv(tmp_path, ["Y-1,Ville,municipal,R,2021-01-01,Coop,,5"], name="a.CSV")
    contracts, rej = pr.read_contracts([b, a])
    assert contracts["contract_id"].tolist() == ["Y-1", "Z-2"]  # sorted by file name, then line
    assert contracts["amount"].dtype == "float64" and contracts["year"].dtype == "int64"
    assert len(contracts.attrs["paths"]) == 2
    assert rej[["line", "reason", "value"]].values.tolist() == [[3, "unreadable_amount", "x"]]
    assert str(rej["line"].dtype) == "Int64"
    with pytest.raises(ParameterError, match="expected a list of files, got one path") as err:
        pr.read_contracts(str(b))
    assert err.value.field == "files"
    with pytest.raises(ParameterError) as err:
        pr.read_contracts([b, None])
    assert err.value.field == "files[1]"
    with pytest.raises(ParameterError) as err:
        pr.read_contracts({b})
    assert err.value.field == "files"
    with pytest.raises(MissingDatasetError, match="contracts file not found"):
        pr.read_contracts([tmp_path / "absent.csv"])
    empty, none = pr.read_contracts([])
    assert list(empty.columns) == pr.CONTRACT_COLUMNS and list(none.columns) == pr.REJECTION_COLUMNS


@pytest.mark.parametrize("name, broad, expected", [
    ("Caisse populaire Fictive", True, "cooperative"),
    ("Mutuelle Fictive", True, "mutual"),
    ("Groupe OSBL Fictif", True, "nonprofit"),
    ("Association des riverains fictifs", True, "association"),
    ("L'Association Fictive", True, "association"),
    ("Solidarité Fictive", True, "solidarity"),
    ("Club de ski Fictif", True, "nonprofit"),
    ("Club de ski Fictif", False, None),
    ("Festival Fictif", True, "nonprofit"),
    ("Corporation du parc Fictif", True, "nonprofit"),
    ("Coop Club Fictif", False, "cooperative"),  # strong rules come first
    (None, True, None),
    (float("nan"), True, None),
    ("", True, None),
])
def test_classify_name_rules(name, broad, expected):
    assert pr.classify_name(name, broad) == (expected is not None, expected)


def test_classify_name_checks_broad():
    with pytest.raises(ParameterError) as err:
        pr.classify_name("x", broad="yes")
    assert err.value.field == "broad"


def test_classify_suppliers_order_of_evidence():
    reg = pd.DataFrame({"neq": ["1100000001", "1100000002", "1100000003"],
                        "name": ["Béton Fictif", "Club Fictif Nord", ""],
                        "legal_form": ["COP", "SA", "APE"]})
    names = pd.Series(["Nom Inconnu", "Club Fictif Nord", "Coop Ailleurs", "Béton Fictif inc.", "Club Sud", "Rien"],
                      index=[10, 11, 12, 13, 14, 15])
    neqs = pd.Series(["1100000001", None, "1100000099", np.nan, "", None], index=names.index)
    out = pr.classify_suppliers(names, neqs, reg)
    assert out.index.tolist() == [10, 11, 12, 13, 14, 15]
    assert out.iloc[:5].values.tolist() == [
        [True, "COP", "register_neq"],   # the NEQ wins over a neutral name
        [False, "SA", "register_name"],  # a register form that is not collective: not collective, even « club »
        [True, "cooperative", "pattern"],  # NEQ unknown to the register: the name pattern
        [True, "COP", "register_name"],  # same normalized name (« inc » dropped)
        [True, "nonprofit", "pattern"],
    ]
    assert not out.loc[15, "is_collective"] and pd.isna(out.loc[15, "category"]) and out.loc[15, "method"] == "none"
    strict = pr.classify_suppliers(names, neqs, reg, broad=False)
    assert not strict.loc[14, "is_collective"] and strict.loc[14, "method"] == "none"
    alone = pr.classify_suppliers(pd.Series(["Coop A", "Firme B"]))
    assert alone["method"].tolist() == ["pattern", "none"]
    with pytest.raises(ParameterError, match="supplier_name") as err:
        pr.classify_suppliers(["Coop A"])
    assert err.value.field == "names"
    with pytest.raises(ParameterError) as err:
        pr.classify_suppliers(names, list(neqs))
    assert err.value.field == "neqs"
    with pytest.raises(ParameterError, match="load_register"):
        pr.classify_suppliers(names, neqs, reg.drop(columns="legal_form"))


def test_recall_on_a_small_register_by_hand():
    reg = pd.DataFrame({"name": ["Coop A", "Firme B", "Club C", "Association D"],
                        "legal_form": ["COP", "APE", "APE", "ASS"]})
    r = pr.recall_on_register(reg).set_index("legal_form")
    assert r.loc["APE", ["positives", "flagged"]].tolist() == [2, 1]
    assert r.loc["APE", "recall_pct"] == 50.0 and r.loc["COP", "recall_pct"] == 100.0
    assert r.loc["total", ["positives", "flagged", "recall_pct"]].tolist() == [4, 3, 75.0]
    strict = pr.recall_on_register(reg, broad=False).set_index("legal_form")
    assert strict.loc["total", "flagged"] == 2
    with pytest.raises(ParameterError):
        pr.recall_on_register(reg, broad=1)


def test_evaluate_on_labelled_by_hand():
    labelled = pd.DataFrame({"name": ["Coop A", "Club B", "Firme C", "Firme D", "Fondation E"],
                             "is_collective": [True, False, True, False, True]})
    m = pr.evaluate_on_labelled(labelled)
    # predicted: Coop A, Club B, Fondation E -> tp 2 (A, E), fp 1 (B), fn 1 (C), tn 1 (D)
    assert (m["tp"], m["fp"], m["fn"], m["tn"]) == (2, 1, 1, 1)
    assert m["precision"] == pytest.approx(2 / 3) and m["recall"] == pytest.approx(2 / 3)
    none = pr.evaluate_on_labelled(labelled.assign(name="Firme", is_collective=False))
    assert math.isnan(none["precision"]) and math.isnan(none["recall"]) and none["tn"] == 5


def test_load_labelled_names(tmp_path):
    default = pr.load_labelled_names()
    assert len(default) == 48 and default["is_collective"].dtype == bool
    path = tmp_path / "l.csv"
    path.write_text("name,is_collective,note\nA,TRUE,x\nB,0,\nC,1,\nD, false,\n", encoding="utf-8")
    df = pr.load_labelled_names(path)
    assert df["is_collective"].tolist() == [True, False, True, False] and "note" in df.columns
    path.write_text("name,is_collective\nA,true\nB,maybe\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="expected true or false, got 'maybe'") as err:
        pr.load_labelled_names(path)
    assert (err.value.line, err.value.field) == (3, "is_collective")
    path.write_text("name\nA\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="missing columns: is_collective"):
        pr.load_labelled_names(path)
    with pytest.raises(MissingDatasetError):
        pr.load_labelled_names(tmp_path / "absent.csv")


def test_collective_shares_by_hand():
    contracts = pd.DataFrame({
        "buyer_type": ["m", "m", "m", "g", "g"],
        "region": ["R1", "R1", "R2", "R2", "R2"],
        "year": [2022, 2022, 2023, 2023, 2023],
        "supplier_name": ["Coop A", "Firme B", "Fondation C", "Firme D", "Coop E"],
        "supplier_neq": [None] * 5,
        "amount": [100.0, 300.0, 0.0, 0.0, 0.0],
    })
    s = pr.collective_shares(contracts).set_index("buyer_type")
    assert list(s.index) == ["g", "m"]
    # m: 2 of 3 contracts collective (Coop A, Fondation C); value 100 of 400
    assert s.loc["m", ["contracts", "collective_contracts"]].tolist() == [3, 2]
    assert s.loc["m", "share_contracts_pct"] == pytest.approx(200 / 3)
    assert s.loc["m", ["value", "collective_value", "share_value_pct"]].tolist() == [400.0, 100.0, 25.0]
    # g: no value at all: the value share is undefined, not 0
    assert s.loc["g", "share_contracts_pct"] == 50.0 and math.isnan(s.loc["g", "share_value_pct"])
    two = pr.collective_shares(contracts, ["region", "year"])
    assert two[["region", "year", "contracts"]].values.tolist() == [["R1", 2022, 2], ["R2", 2023, 3]]
    reg = pd.DataFrame({"neq": ["1"], "name": ["Firme B"], "legal_form": ["COP"]})
    with_reg = pr.collective_shares(contracts, "region", register=reg).set_index("region")
    assert with_reg.loc["R1", "share_value_pct"] == 100.0
    narrow = pr.collective_shares(contracts.assign(supplier_name="Club X"), broad=False)
    assert narrow["collective_contracts"].tolist() == [0, 0]
    with pytest.raises(ParameterError, match="unknown grouping 'nation'") as err:
        pr.collective_shares(contracts, "nation")
    assert err.value.field == "by"
    with pytest.raises(ParameterError, match="read_contracts"):
        pr.collective_shares(contracts.drop(columns="amount"))


@pytest.mark.parametrize(("call", "field", "hint"), [
    (lambda bad: pr.classify_suppliers(bad), "names", "pass contracts['supplier_name']"),
    (lambda bad: pr.classify_suppliers(pd.Series(["a"]), bad), "neqs", "pass contracts['supplier_neq']"),
    (lambda bad: pr.recall_on_register(bad), "register", "load it with ecosystem.load_register()"),
    (lambda bad: pr.evaluate_on_labelled(bad), "labelled", "load it with ecosystem.load_labelled_names()"),
    (lambda bad: pr.collective_shares(bad), "contracts", "read it with ecosystem.read_contracts(files)[0]"),
])
def test_wrong_inputs_are_refused_with_their_argument_and_hint(call, field, hint):
    with pytest.raises(ParameterError) as err:
        call([1, 2])
    assert err.value.field == field and err.value.message.endswith(f" ({hint})")


def test_reader_errors_and_rejections_name_the_file(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<export>\n<avis>\n</export>", encoding="utf-8")
    with pytest.raises(InputFormatError) as err:
        pr.read_contracts([bad])
    assert err.value.path.endswith("bad.xml") and err.value.line == 3 and "malformed XML" in err.value.message
    other = tmp_path / "x.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(InputFormatError) as err:
        pr.read_contracts([other])
    assert err.value.message == "unsupported format '.txt' (expected .xml, .json or .csv)"
    assert err.value.path.endswith("x.txt")
    path = write_csv(tmp_path, ["A-1,Ville,municipal,R,2022-01-01,Coop,,x"], name="r.csv")
    contracts, rej = pr.read_contracts([path])
    assert rej.loc[0, "file"].endswith("r.csv") and contracts.empty
    assert contracts.attrs["paths"][0].endswith("r.csv")
    good = write_csv(tmp_path, ["A-1,Ville,municipal,R,2022-01-01,Coop,1100000001,5"], name="g.csv")
    c, _ = pr.read_contracts([good])
    assert c.loc[0, "source_file"].endswith("g.csv") and c.loc[0, "source_line"] == 2
    assert c.loc[0, "supplier_neq"] == "1100000001"
