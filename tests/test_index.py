"""reports/index.html: the Table's reports first, demonstrations and controls apart with human titles, other sets
last; reports rendered with data missing flagged; the deliverables linked; editions listed when there are some.
Rows and notebooks here are hand-made (synthetic metadata, no real report)."""

from __future__ import annotations

import datetime as dt
import json

import nbformat
import pandas as pd

from analysis.report import display
from analysis.report.render import index

DAY = dt.date(2026, 11, 25)


def row(notebook: str, set_name: str, **extra) -> dict:
    base = {"notebook": notebook, "set": set_name, "folder": f"{notebook}/{set_name}", "ok": True,
            "title": f"Titre {notebook}", "subtitle": f"Sous-titre {notebook}", "html": f"{notebook}-{set_name}.html",
            "csv": [], "pdf": None, "data_version": "v1", "date": "2026-11-25", "lang": "fr"}
    return base | extra


ROWS = [  # in collect_reports order (by notebook, default first)
    row("demo", "default"),
    {"notebook": "ecosysteme", "set": "default", "folder": "ecosysteme/default", "ok": False, "message": "boom"},
    row("ecosysteme", "english", lang="en", missing=["No contract file given."]),
    row("viabilite_alimentaire", "default", missing=["Jeu « food_hubs » absent : <lancez> make data."]),
    row("viabilite_alimentaire", "synthetic_statements"),
    row("vigie_innovation", "default"),
    row("vigie_innovation", "mes_exports"),
    row("vigie_innovation", "shared_corpora"),
    row("vigie_livrables", "default", bank_page="banque_publications.html"),
]


def test_groups_and_order():
    groups = index.group_cards(ROWS)
    assert [(c["notebook"], c["set"]) for c in groups["table"]] == [
        ("vigie_innovation", "default"), ("vigie_livrables", "default"), ("viabilite_alimentaire", "default"),
        ("ecosysteme", "default")]
    assert [(c["notebook"], c["set"]) for c in groups["demo"]] == [
        ("vigie_innovation", "shared_corpora"), ("viabilite_alimentaire", "synthetic_statements"),
        ("ecosysteme", "english")]
    assert [(c["notebook"], c["set"]) for c in groups["other"]] == [("demo", "default"),
                                                                     ("vigie_innovation", "mes_exports")]
    # human titles from the labels, not the set name; a researcher's own set named by its report and set
    demo = {c["set"]: c for c in groups["demo"]}
    assert demo["shared_corpora"]["title"].startswith("Vigie : test d'échelle")
    assert demo["synthetic_statements"]["title"] == ("Viabilité en alimentation : démonstration avec des états "
                                                     "financiers synthétiques")
    assert "shared_corpora" not in demo["shared_corpora"]["title"] and demo["shared_corpora"]["subtitle"] is None
    assert groups["other"][1]["title"] == "Titre vigie_innovation — jeu « mes_exports »"
    assert groups["table"][3]["ok"] is False          # a failed Table report keeps its place and its card


def test_deliverables_are_linked():
    card = index.group_cards(ROWS)["table"][1]
    assert card["deliverables"] == [
        ("Banque de publications", "vigie_livrables/default/banque_publications.html"),
        ("Pratiques innovantes", "vigie_livrables/default/vigie_livrables-default.html#pratiques-innovantes"),
        ("Problèmes de recherche", "vigie_livrables/default/vigie_livrables-default.html#problemes-de-recherche"),
        ("Répertoire des chercheurs",
         "vigie_livrables/default/vigie_livrables-default.html#repertoire-des-chercheurs"),
        ("Stratégie de veille", "vigie_livrables/default/vigie_livrables-default.html#strategie-de-veille")]
    no_page = index.card(row("vigie_livrables", "default"))
    assert no_page["deliverables"][0][1].endswith("#banque-de-publications")  # the section when no page


def test_page_flags_missing_data_and_escapes_it():
    page = index.index_html(ROWS, "abc", DAY, editions=pd.DataFrame())
    table, demo = page.index('id="table-heading"'), page.index('id="demo-heading"')
    other = page.index('id="other-heading"')
    assert table < page.index("Titre vigie_livrables") < page.index("Titre viabilite_alimentaire") < demo < other
    assert page.count('class="card table has-missing"') == 1 and page.count('class="card demo has-missing"') == 1
    assert "<li>Jeu « food_hubs » absent : &lt;lancez&gt; make data.</li>" in page
    assert page.count("Rendu avec des données manquantes") == 2
    assert "Éditions de la veille" not in page and "<script" not in page
    assert '<a href="vigie_livrables/default/banque_publications.html">Banque de publications</a>' in page


def test_editions_listed_when_there_are_some():
    editions = pd.DataFrame({"edition_id": ["2026-03-02", "2026-06-01"],
                             "created_at": ["2026-03-02T10:00:00Z", "2026-06-01T09:30:00Z"],
                             "previous_edition": [None, "2026-03-02"], "strategy_hash": ["f" * 64, "e" * 64],
                             "content_hash": ["a" * 64, "b" * 64], "n_works": [10234, 10400],
                             "n_openalex_ids": [10300, 10450], "n_queries": [14, 14], "path": ["x", "y"]})
    page = index.index_html(ROWS, "abc", DAY, editions=editions)
    assert page.index('id="table-heading"') < page.index('id="editions-heading"') < page.index('id="demo-heading"')
    assert ("<tr><td>2026-06-01</td><td>1er juin 2026</td><td class=\"num\">10\u202f400</td>"
            "<td class=\"num\">14</td><td><code>eeeeeeeeeeee</code></td></tr>") in page


def test_missing_notes_read_from_the_report():
    nb = nbformat.v4.new_notebook()
    missing = '<div class="vigie-note vigie-note-missing" role="note">Jeu <code>x</code> absent &amp; rien</div>'
    info = '<div class="vigie-note vigie-note-info" role="note">Une note</div>'
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": missing + info}),
                    nbformat.v4.new_output("display_data", data={"text/html": [missing]})]
    nb.cells = [cell]
    assert index.missing_data_notes(nb) == ["Jeu x absent & rien"]


def test_collect_reports_reads_missing_and_the_bank_page(tmp_path):
    folder = tmp_path / "vigie_livrables" / "default"
    folder.mkdir(parents=True)
    meta = row("vigie_livrables", "default", missing=["note"])
    (folder / "rapport.json").write_text(json.dumps({k: v for k, v in meta.items() if k not in ("folder", "ok")}),
                                         encoding="utf-8")
    (folder / "banque_publications.html").write_text("<!DOCTYPE html>", encoding="utf-8")
    rows = index.collect_reports(tmp_path)
    assert rows[0]["missing"] == ["note"] and rows[0]["bank_page"] == "banque_publications.html"


def test_section_anchors_follow_the_report_headings():
    from analysis.report import deliverables

    for key, name in zip(index.DELIVERABLES, ("Banque de publications", "Pratiques innovantes",
                                              "Problèmes de recherche", "Répertoire des chercheurs",
                                              "Stratégie de veille")):
        assert deliverables.section_anchor(key) == display.slug(name)
