"""The « En bref » component (analysis.report.brief) on a hand-made brief: one block per finding, values escaped,
links to the section anchors, the decision last; bad briefs refused with the field named."""

from __future__ import annotations

import re

import pytest

from analysis.core.errors import ParameterError
from analysis.report import display
from analysis.report.brief import Brief, Finding, brief_html, brief_text, section_link, show_brief

PROBE = "<script>alert(1)</script> & <b>gras</b>"


def _finding(**changes) -> Finding:
    values = {"question": "Combien ?", "answer": "12,5 % des entreprises", "certainty": "IC 95 % de 10 à 15 %",
              "caveat": "Un seul territoire.", "section_anchor": "poids-du-territoire", "section_title": "Poids",
              "confidence": "moderate"}
    return Finding(**{**values, **changes})


@pytest.fixture
def brief() -> Brief:
    return Brief(
        findings=(_finding(),
                  _finding(question=f"Question {PROBE}?", answer=PROBE, section_anchor="portee-visee",
                           section_title="Portée <visée>", confidence="low", secondary_source=True),
                  _finding(question="Et l'achat public ?", answer="Inconnu.", section_anchor="achat-public",
                           section_title="Achat public", confidence="none")),
        decision="choisir une option :",
        decision_points=("obtenir les données du SEAO ;", f"autre {PROBE}"),
    )


def test_one_block_per_finding_with_its_link(brief):
    out = brief_html(brief, "fr")
    assert out.count('<li class="vigie-brief-finding') == 3
    assert re.findall(r'href="#([^"]+)"', out) == ["poids-du-territoire", "portee-visee", "achat-public"]
    assert out.index("poids-du-territoire") < out.index("portee-visee") < out.index("vigie-brief-decision")
    assert "vigie-brief-finding-low" in out and 'vigie-brief-level vigie-brief-none">aucune donnée<' in out
    assert "repose sur une page web secondaire" in out and out.count("vigie-brief-web") == 1
    assert "Décision demandée à la Table de vigie :" in out and out.count("<ul><li>") == 1
    assert not re.search(r"<h[23]", out), "a heading inside the brief would become a numbered section"


def test_every_value_is_escaped(brief):
    out = brief_html(brief, "fr")
    assert "<script>" not in out and "<b>" not in out and "Portée <visée>" not in out
    assert out.count("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;gras&lt;/b&gt;") == 3
    assert "Portée &lt;visée&gt;" in out


def test_english_words_and_plain_text(brief):
    out = brief_html(brief, "en")
    assert "Decision asked of the Table de vigie:" in out and ">moderate<" in out and "See section:" in out
    text = brief_text(brief, "fr")
    assert text.splitlines()[0] == "1. Combien ?"
    assert "   Certitude : faible (repose sur une page web secondaire). IC 95 % de 10 à 15 %" in text
    assert "Voir la section : Achat public (#achat-public)" in text
    assert text.splitlines()[-2:] == [" - obtenir les données du SEAO ;", f" - autre {PROBE}"]


def test_show_brief_publishes_html_and_text(brief, monkeypatch):
    outputs: list[dict] = []
    monkeypatch.setattr(display, "_publish", lambda data, metadata=None: outputs.append(data))
    show_brief(brief, "fr")
    assert len(outputs) == 1 and set(outputs[0]) == {"text/html", "text/plain"}
    assert outputs[0]["text/html"].startswith('<section class="vigie-brief" aria-label="En bref">')


def test_section_link_is_the_renderer_id_of_the_labelled_heading():
    assert section_link("ecosysteme.sub_reach", "fr") == ("portee-visee-du-programme", "Portée visée du programme")
    assert section_link("ecosysteme.sub_reach", "en") == ("programme-reach-target", "Programme reach target")
    assert section_link("common.brief_title", "fr") == ("en-bref", "En bref")
    with pytest.raises(KeyError):
        section_link("ecosysteme.no_such_heading", "fr")


@pytest.mark.parametrize("changes, field", [
    ({"answer": " "}, "answer"),
    ({"section_anchor": "#poids"}, "section_anchor"),
    ({"section_anchor": "Poids du territoire"}, "section_anchor"),
    ({"confidence": "certain"}, "confidence"),
    ({"secondary_source": "oui"}, "secondary_source"),
])
def test_bad_finding_names_the_field(changes, field):
    with pytest.raises(ParameterError) as e:
        _finding(**changes)
    assert e.value.field == field


def test_bad_brief_names_the_field():
    with pytest.raises(ParameterError) as e:
        Brief(findings=(), decision="x")
    assert e.value.field == "findings"
    with pytest.raises(ParameterError) as e:
        Brief(findings=(_finding(), "texte"), decision="x")
    assert e.value.field == "findings[1]"
    with pytest.raises(ParameterError) as e:
        Brief(findings=(_finding(),), decision="x", decision_points=("a", ""))
    assert e.value.field == "decision_points[1]"
    with pytest.raises(ParameterError) as e:
        brief_html("pas un résumé", "fr")
    assert e.value.field == "brief"
