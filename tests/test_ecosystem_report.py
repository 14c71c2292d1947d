"""The ecosystem report's presentation: every code of the wing has its words, figures speak the report's language,
missing inputs give a note instead of an error."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
import yaml

from analysis import ecosystem
from analysis.core import paths
from analysis.report import display
from analysis.report import ecosystem as eco_report
from analysis.report.figures import ecosystem as figures
from analysis.report.labels import t

FIX = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def ind():
    return ecosystem.load_indicators()


@pytest.fixture
def shown(monkeypatch):
    """What the presentation functions publish (instead of sending it to a notebook)."""
    outputs: list[dict] = []
    monkeypatch.setattr(display, "_publish", lambda data, metadata=None: outputs.append(data))
    monkeypatch.delenv("VIGIE_REPORT_DIR", raising=False)
    return outputs


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_code_of_the_wing_has_its_words(ind, lang):
    reg = ecosystem.load_register(FIX / "territory" / "register_small.csv")
    matches = ecosystem.match_directory(reg, ecosystem.load_pole_directory(FIX / "territory" / "directory_small.csv"))
    keys = [f"form_{c}" for c in ecosystem.territory.LEGAL_FORMS]
    keys += [f"reject_{r}" for r in ecosystem.procurement.REJECTION_REASONS]
    keys += [f"{p}_{g}" for g in ecosystem.procurement.GROUPINGS for p in ("axis", "by")]
    keys += [f"scope_{s}" for s in ecosystem.scopes(ind)]
    keys += [f"ind_{i}" for i in ecosystem.territory.SHARE_INDICATORS]
    keys += [f"ratio_{r}" for r in ecosystem.region_ratios(ind, "monteregie_est")["ratio"]]
    keys += [f"cov_{m}" for m in ecosystem.directory_coverage(matches, reg)["measure"]]
    keys += [f"reach_{m}" for m in ecosystem.programme_reach(ind)["measure"]]
    keys += [f"kind_{k}" for k in ecosystem.load_initiatives()["kind"].unique()]
    keys += [f"code_{c}" for c in {ecosystem.territory.UNSPECIFIED, *ecosystem.procurement.BUYER_TYPES.values()}]
    for key in keys:
        assert t(f"ecosysteme.{key}", lang), key


def test_codes_are_translated_other_values_kept():
    assert figures.code_label("unspecified", "fr") == "non précisé"
    assert figures.code_label("government", "en") == "government"
    assert figures.code_label("government", "fr") == "gouvernemental"
    assert figures.code_label("Mauricie", "fr") == "Mauricie"                  # a region as written in the data
    assert figures.scope_label("monteregie_est", "en") == "Eastern Montérégie (PECEM territory)"
    assert figures.scope_label("atlantis", "fr") == "atlantis"


def _texts(fig) -> list[str]:
    ax = fig.axes[0]
    texts = [ax.get_title("left") or ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
    texts += [tick.get_text() for tick in ax.get_xticklabels() + ax.get_yticklabels()]
    plt.close(fig)
    return texts


def test_figures_in_english(ind):
    counts = pd.DataFrame({"legal_form": ["APE", "COP"], "count": [3, 1], "share_pct": [75.0, 25.0]})
    texts = _texts(figures.plot_counts_by_form(counts, "en"))
    assert texts[:3] == ["Register enterprises by legal form", "Legal form", "Enterprises (number)"]
    assert "Non-profit corporation" in texts and "Co-operative" in texts
    texts = _texts(figures.plot_region_shares(ecosystem.region_shares(ind, "monteregie_est"), "monteregie_est", "en"))
    assert texts[0] == "Share of Québec: Eastern Montérégie (PECEM territory)"
    assert {"Enterprises", "Revenue", "Jobs"} <= set(texts)
    texts = _texts(figures.plot_grant_curve(ecosystem.grant_curve(), 20_000.0, 25_000.0, "en"))
    assert texts[:3] == ["Grant by project cost", "Eligible project cost ($)", "Grant ($)"]
    shares = pd.DataFrame({"buyer_type": ["government", "unspecified"], "share_contracts_pct": [50.0, 0.0],
                           "share_value_pct": [20.0, 0.0]})
    texts = _texts(figures.plot_collective_shares(shares, "buyer_type", "fr"))
    assert texts[1] == "Type d'acheteur" and "gouvernemental" in texts and "non précisé" in texts


def test_region_without_indicators_gets_a_note(ind, shown):
    eco_report.show_region_shares(ind, "monteregie", "en")
    eco_report.show_region_ratios(ind, "monteregie", "en")
    assert len(shown) == 1
    assert "vigie-note-missing" in shown[0]["text/html"] and "“monteregie”" in shown[0]["text/plain"]
    assert "available: monteregie_est" in shown[0]["text/plain"]


def test_absent_inputs_give_notes_and_their_sections_nothing(tmp_path, shown):
    assert eco_report.load_source(None, ecosystem.load_register, "fr") is None
    assert eco_report.load_source("data/private/absent.csv", ecosystem.load_register, "fr") is None
    assert "data/private/absent.csv" in shown[-1]["text/plain"]
    assert eco_report.load_contracts(None, "en") is None
    assert "SEAO" in shown[-1]["text/plain"]
    assert eco_report.load_contracts([str(tmp_path / "absent.xml")], "en") is None
    assert "contracts file not found" in shown[-1]["text/plain"]
    n = len(shown)
    eco_report.show_register(None, 15, "fr")
    eco_report.show_members(None, "fr")
    eco_report.show_classifier(None, ecosystem.load_labelled_names(), True, "fr")
    eco_report.show_contract_shares(None, None, True, "fr")
    assert len(shown) == n
    eco_report.show_directory_coverage(None, pd.DataFrame({"name": ["X"]}), 90.0, 12, "fr")
    assert "registre" in shown[-1]["text/plain"]


def test_contract_section_translates_reasons_and_codes(shown):
    files = [FIX / "procurement" / "contracts_sample.csv", FIX / "procurement" / "avis_sample.xml"]
    eco_report.show_contract_shares(ecosystem.read_contracts(files), None, True, "en")
    plain = "\n".join(o.get("text/plain", "") for o in shown)
    assert "7 contracts read from 2 file(s); 4 row(s) rejected" in plain
    assert "amount is not a number: “deux mille”" in plain and "invalid date: “2023-13-45”" in plain
    assert "Buyer type" in plain


def test_input_files_for_provenance(ind):
    files = eco_report.input_files(ind, None, ecosystem.read_contracts([FIX / "procurement" / "avis_sample.xml"]))
    assert [f.name for f in files] == ["indicators.csv", "avis_sample.xml"]
    assert all(f.is_absolute() and f.exists() for f in files)
    assert eco_report.external_datasets({"register": "external:req_mauricie", "pole_directory": None,
                                         "pole_members": "data/x.csv"}) == ["req_mauricie"]


def test_catalogue_entries_have_the_same_fields_in_both_languages():
    path = paths.ROOT / "src" / "analysis" / "report" / "labels" / "ecosysteme.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in entries.items():
        assert value.get("fr") and value.get("en"), key
        assert set(re.findall(r"{(\w+)", value["fr"])) == set(re.findall(r"{(\w+)", value["en"])), key
    used = set()
    for module in (eco_report, figures):
        used |= set(re.findall(r"""\b_t\(\s*"([a-z0-9_A-Z]+)\"""", Path(module.__file__).read_text(encoding="utf-8")))
    assert used and not sorted(used - set(entries)), "keys used by the presentation but not in the catalogue"
