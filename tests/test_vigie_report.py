"""Presentation of the innovation-watch report (analysis.report.vigie): codes named in the report's language, the
notes that replace sections, and the French text of the corpus summary. Synthetic fixtures only."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import vigie
from analysis.report import display
from analysis.report import vigie as rv

FIX = Path(__file__).parent / "fixtures" / "bank"
TOY_THEMES = Path(__file__).parent / "fixtures" / "vigie" / "themes_toy.yaml"


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    """The text/plain of everything displayed."""
    out: list[str] = []
    monkeypatch.setattr(display, "_publish", lambda data, metadata=None: out.append(data.get("text/plain", "")))
    return out


def test_rejection_reasons_in_french():
    assert rv.rejection_text("no_title", None, "record has no title") == "notice sans titre"
    assert rv.rejection_text("truncated_record", '{"expected": 7, "fields": 5}', "…") == (
        "5 champs au lieu de 7 (notice tronquée : fichier coupé ou guillemets non fermés)")
    assert rv.rejection_text("no_title", None, "record has no title", "en") == "record has no title"
    assert rv.rejection_text("something_new", None, "something new") == "something new"  # unknown code: English


def test_every_rejection_code_is_named_in_both_languages():
    from analysis.report.labels import t
    from analysis.vigie.readers.common import rejection

    fields = {"fields": 5, "expected": 7, "error": "Expecting value", "entry": "@article{x,", "value": 3020,
              "low": 1500, "high": 2200}
    for code, template in vigie.REJECTION_REASONS.items():
        detail = {k: v for k, v in fields.items() if "{" + k in template}
        row = rejection(1, 2, code, **detail)
        assert row["reason"] == template.format(**detail)
        assert t(f"vigie.rejection_{code}", "en", **detail) == row["reason"]  # the English label is the reason
        assert t(f"vigie.rejection_{code}", "fr", **detail) != row["reason"]


def test_bank_rejections_translated(tmp_path):
    text = (FIX / "wos_small.txt").read_text(encoding="utf-8-sig")
    (tmp_path / "cut.txt").write_text(text[: text.rindex("TC 1")], encoding="utf-8")
    b = vigie.build_bank([tmp_path / "cut.txt"])
    assert rv.rejection_reasons(b.rejections).tolist() == [
        "notice non terminée par ER (fichier tronqué ou ligne manquante)"]


def test_main_information_names():
    b = vigie.build_bank([FIX / "scopus_small.csv", FIX / "wos_small.txt"])
    fr = rv.main_information_table(b.main_information()).set_index("key")["label"]
    en = rv.main_information_table(b.main_information(), "en").set_index("key")["label"]
    assert (fr["timespan"], fr["sources"]) == ("Période", "Sources (revues, livres, etc.)")
    assert (en["timespan"], en["sources"]) == ("Timespan", "Sources (Journals, Books, etc)")  # bibliometrix's wording
    assert fr["doc_type:article"] == "article"  # document types keep the export's wording


def test_codes_named():
    assert rv.institution_names(pd.Series(["other_quebec", "HEC Montréal"])).tolist() == [
        "Autre affiliation au Québec", "HEC Montréal"]
    assert rv.institution_names(pd.Series(["other_quebec"]), "en").tolist() == ["Other Québec affiliation"]
    d = vigie.load_themes(TOY_THEMES)
    assert rv.theme_labels(d, "en") == {"food": "Food", "digital": "Digital"}
    assert rv.named(pd.DataFrame({"theme": ["food", "x"]}), theme=rv.theme_labels(d))["theme"].tolist() == [
        "Alimentation", "x"]


def test_too_few_works_replace_the_section(shown):
    R = rv.Context(n_works=12, min_works=20)
    empty = vigie.empty_bank()
    rv.show_production(empty.growth(), empty.production(), empty.citations(), R)
    rv.show_theme_shares(pd.DataFrame(), None, R)  # nothing more after the section's note
    assert shown == ["La banque retenue ne compte que 12 documents (il en faut au moins 20) : cette section est "
                     "omise."]
    assert rv.analysed_bank(vigie.build_bank([FIX / "small.ris"]), R).works.empty


def test_open_bank_notes(shown, tmp_path):
    bank = rv.open_bank([str(tmp_path / "absent.csv")], cache=False)
    assert bank.works.empty and len(shown) == 1 and shown[0].startswith("Fichier introuvable : ")
    (tmp_path / "bad.csv").write_text("colonne_a,colonne_b\n1,2\n", encoding="utf-8")
    shown.clear()
    bank = rv.open_bank([str(tmp_path / "bad.csv")], cache=False)
    assert bank.works.empty
    assert shown == ["La banque n'a pas pu être construite : bad.csv:1: format not recognised (expected a Scopus "
                     "CSV/BibTeX, WoS, OpenAlex, Crossref, RIS or BibTeX export); give --format to force one. Les "
                     "sections qui en dépendent sont omises."]
    shown.clear()
    rv.show_bank(bank, bank, bank.main_information(), rv.Context())
    assert shown[0].startswith("Aucun fichier bibliographique n'a pu être lu")


def test_context_from_parameters(tmp_path):
    params = {"corpus": ["tests/fixtures/bank/small.ris", str(tmp_path / "absent.csv")], "lang": "fr",
              "min_works": 2, "top_n": 5, "seed": 7}
    window = vigie.build_bank([FIX / "small.ris"])
    R = rv.context(params, window)
    assert R.source == "banque de publications construite à partir de : small.ris"  # missing files are not named
    assert (R.n_works, R.enough, R.top_n, R.seed) == (2, True, 5, 7)
    assert R.cited  # small.ris: one of its two records is cited 4 times


def test_corpus_summary_in_french_from_labels(tmp_path):
    from analysis.report.corpus_summary import render_text, summary

    text = (FIX / "wos_small.txt").read_text(encoding="utf-8-sig")
    (tmp_path / "cut.txt").write_text(text[: text.rindex("TC 1")], encoding="utf-8")
    info, _ = summary([str(tmp_path / "cut.txt")])
    assert info["rejections"][0]["code"] == "unclosed_wos_record"
    out = render_text(info)
    assert "Résumé du corpus" in out and "Registre des fichiers (lues = conservées + fusionnées + rejetées)" in out
    assert "cut.txt, notice 3, ligne 39 : notice non terminée par ER (fichier tronqué ou ligne manquante)" in out
    assert "Corpus summary" in render_text(info, "en")


def test_every_label_the_presentation_asks_for_exists():
    import re

    import yaml

    from analysis.core import paths

    catalogue = yaml.safe_load((paths.ROOT / "src/analysis/report/labels/vigie.yaml").read_text(encoding="utf-8"))
    used = set()
    for name in ("report/vigie.py", "report/figures/vigie.py", "report/corpus_summary.py"):
        text = (paths.ROOT / "src/analysis" / name).read_text(encoding="utf-8")
        used |= set(re.findall(r"""R\.t\(\s*["']([a-z0-9_]+)["']""", text))
        used |= set(re.findall(r"""\bt\(\s*f?["']vigie\.([a-z0-9_]+)["']""", text))
    assert len(used) > 100
    assert sorted(used - set(catalogue)) == []
    for model in ("poisson", "negbin", "quasi_poisson", "insufficient", "none"):
        assert f"model_{model}" in catalogue
    from analysis.vigie.practices import INNOVATION_TYPES

    assert sorted(k for k in catalogue if k.startswith("type_")) == sorted(f"type_{x}" for x in INNOVATION_TYPES)


def test_shares_and_thresholds_as_shown():
    assert rv.share_text(0.034) == "3,4\u00a0%" and rv.share_text(0.0002677) == "0,03\u00a0%"  # never reads as 0
    assert rv.share_text(0.0) == "0,0\u00a0%" and rv.share_text(0.0002677, "en") == "0.03%"
    assert rv.threshold_text(0.02) == "2\u00a0%" and rv.threshold_text(0.025) == "2,5\u00a0%"


def test_evidence_in_words():
    row = {"n_works": 81, "n_practices": 20, "n_practice_sources": 2, "n_researchers": 2, "rate_ratio": 1.0757,
           "p_adjusted": 0.0712, "momentum_evidence": "not_significant", "practice_evidence": "ok",
           "capacity_evidence": "few_researchers", "practice": 1.0, "momentum": float("nan"), "capacity": 0.15}
    assert rv.evidence_text(row, "practice") == "1,00 (20 pratiques, 2 doc.)"
    assert rv.evidence_text(row, "momentum") == "preuves insuffisantes (p ajusté 0,071)"
    assert rv.evidence_text(row, "capacity", "en") == "insufficient evidence (2 researchers)"
    assert rv.brief_evidence(row) == "20 pratiques de 2 documents"
    assert rv.source_doc_name("001_c3ac60c887b6448f.txt") == "cahier de cas du TIESS, 2022"
    assert rv.source_doc_name("999_unknown.txt") == "999_unknown.txt"


def test_roadmap_references_shown_as_cited_not_as_rejections(shown):
    from analysis.vigie.roadmap import ROADMAP_REFERENCES, load_roadmap_references

    bank = vigie.build_bank([ROADMAP_REFERENCES, FIX / "small.ris"], cache=False)
    refs = load_roadmap_references().merge(bank.rejections[["record", "line"]], on="line", how="left")
    rv.show_bank(bank, bank, bank.main_information(), rv.Context(n_works=2, min_works=1), refs)
    joined = "\n".join(shown)
    assert "Les 8 notices de seed_references.bib ne sont pas des publications" in joined
    assert "Références citées par la feuille de route" in joined and "Godin et al." in joined
    assert "Notices rejetées et motif" not in joined  # their only rejections are the roadmap's references
    assert "8 ont été rejetées" in joined  # the ledger still counts them
