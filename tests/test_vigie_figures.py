"""Figures of the innovation-watch report (moved from the wing's modules): titles and axis labels from the label
catalogue in the report's language, the data drawn in the right order. Synthetic toy data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import vigie
from analysis.report.figures import vigie as figures
from analysis.vigie import Theme, ThemeDictionary

FIX = Path(__file__).parent / "fixtures" / "vigie"


def _themes(**labels: str) -> ThemeDictionary:
    themes = tuple(Theme(k, {"fr": v, "en": v.upper()}, "issue_a", terms=("x",)) for k, v in labels.items())
    return ThemeDictionary(themes, {"issue_a": {"fr": "Enjeu A", "en": "Issue A"}})


def test_rate_ratios_and_production():
    e = pd.DataFrame({"theme": ["a", "b"], "rate_ratio": [1.2, 0.9], "ci_low": [1.1, 0.8], "ci_high": [1.3, 1.0],
                      "emerging": [True, False]})
    fig = figures.plot_rate_ratios(e, _themes(a="A", b="B"))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["B", "A"]  # sorted by rate ratio
    assert ax.get_xscale() == "log"
    assert ax.get_title("left") == "Évolution annuelle de la part de chaque thème"
    per_year = pd.DataFrame({"year": [2020, 2021], "documents": [3, 5]})
    assert figures.plot_documents_per_year(per_year).axes[0].get_ylabel() == "Nombre de documents"
    cites = pd.DataFrame({"year": [2020, 2021], "mean_citations_per_doc": [2.0, 1.0]})
    assert figures.plot_citations_per_year(cites, "en").axes[0].get_xlabel() == "Publication year"


def test_theme_shares_top_themes():
    toy = vigie.load_themes(FIX / "themes_toy.yaml")
    works = pd.DataFrame({
        "work_id": ["w1", "w2", "w3", "w4", "w5", "w6"],
        "title": ["Short food supply chains", "Plateforme numérique coopérative", "Circuits courts et NUMÉRIQUE",
                  "Aid for fairness", "AI in rural areas", "Foodservice workers"],
        "abstract": ["Agricultural cooperatives", None, None, None, "agriculture", None],
        "author_keywords": [None] * 6,
        "year": pd.array([2020, 2020, 2021, 2021, 2022, None], dtype="Int64"),
    })
    grid = vigie.compute_theme_year_counts(works, vigie.compute_work_themes(works, toy), toy)
    fig = figures.plot_theme_shares_by_year(grid, toy, top=1, min_total=1)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["Alimentation"]  # tie 3–3: dictionary order
    fig = figures.plot_theme_shares_by_year(grid, toy, "en", top=2, min_total=1)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["Food", "Digital"]
    assert vigie.compute_top_themes(grid, toy, top=2, min_total=2) == ["food", "digital"]  # years 2020, 2021


def test_lotka_and_sources():
    au = pd.DataFrame([("w1", 1, "A, A."), ("w2", 1, "A, A."), ("w3", 1, "B, B.")],
                      columns=["work_id", "position", "author"]).assign(author_full=None, author_id=None,
                                                                        affiliation=None, country=None)
    table, fit = vigie.compute_lotka(au)
    fig = figures.plot_lotka(table, fit)
    assert fig.axes[0].get_yscale() == "log"
    # one author with one work, one with two: a flat line, β = 0 (French decimal comma)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["Observé", "Ajusté (β = 0,00)",
                                                                            "Lotka (β = 2)"]
    top = pd.DataFrame({"source": ["S1", "S2"], "n_works": [3, 1]})
    fig = figures.plot_top_sources(top)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["S2", "S1"]  # largest at the top


def test_lotka_axes_are_labelled_in_plain_numbers_not_mathtext():
    # The style turns mathtext off (data never read as math), so matplotlib's default log labels showed
    # "$\\mathdefault{10^{0}}$" on the report's Lotka figure: the axes carry their own plain labels.
    table = pd.DataFrame({"n_works": [1, 2, 3, 10, 16], "share": [0.83, 0.108, 0.034, 0.001, 0.0003],
                          "expected_fit": [0.86, 0.097, 0.027, 0.001, 0.0002],
                          "expected_lotka2": [0.63, 0.158, 0.07, 0.006, 0.0025]})
    fig = figures.plot_lotka(table, {"beta": 3.15})
    ax = fig.axes[0]
    fig.canvas.draw()

    def shown(axis, limits):  # the labels of the ticks inside the axis' view
        lo, hi = sorted(limits)
        return [label.get_text() for value, label in zip(axis.get_majorticklocs(), axis.get_majorticklabels())
                if lo <= value <= hi and label.get_text()]

    x_labels, y_labels = shown(ax.xaxis, ax.get_xlim()), shown(ax.yaxis, ax.get_ylim())
    assert not [s for s in x_labels + y_labels if "$" in s or "\\" in s], x_labels + y_labels
    assert x_labels == ["1", "2", "5", "10"]
    assert "1\u00a0%" in y_labels and "0,1\u00a0%" in y_labels and "100\u00a0%" in y_labels
    fig = figures.plot_lotka(table, {"beta": 3.15}, lang="en")
    fig.canvas.draw()
    assert "0.1%" in [t.get_text() for t in fig.axes[0].get_yticklabels()]
    top = pd.DataFrame({"source": ["S1", "S2"], "n_works": [3, 1]})
    fig = figures.plot_top_sources(top)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["S2", "S1"]  # largest at the top
    assert fig.axes[0].get_title("left") == "Sources les plus productives"


def test_network_title_from_its_items():
    items = pd.DataFrame([("1", "a", "A"), ("1", "b", "B"), ("2", "a", "A"), ("2", "c", "C"), ("3", "b", "B"),
                          ("3", "c", "C")], columns=["work_id", "item", "label"])
    net = vigie.analyse_network(vigie.build_network(items), seed=1, items="authors")
    assert net.graph.number_of_edges() == 3 and net.seed == 1
    ax = figures.plot_network(net).axes[0]
    assert ax.get_title("left") == "Réseau de cosignature (auteurs les plus productifs)"
    ax = figures.plot_network(vigie.analyse_network(net.graph, items="author_keywords"), "en").axes[0]
    assert ax.get_title("left") == "Keyword co-occurrence network"


def test_stability_and_practices():
    s = pd.DataFrame({"candidate": ["A", "B"], "p_shortlist": [0.9, 0.2], "mean_rank": [1.1, 1.9]})
    fig = figures.plot_stability(s, ["A"], _themes(A="Alpha", B="Bêta"))
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Bêta", "Alpha"]
    inventory = pd.DataFrame({"priority_issue": ["issue_a", "other"], "n_practices": [3, 1], "share": [0.75, 0.25]})
    fig = figures.plot_practices_by_issue(inventory, _themes(A="Alpha"), "en")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["other", "Issue A"]  # unknown code as is


def test_shortlist_rule_figure():
    cells = pd.DataFrame({"candidate": ["a", "b", "c", "d"], "p_shortlist": [1.0, 0.2, 0.6, 0.004],
                          "status": ["shortlisted", "unstable", "insufficient_evidence", "completed"]})
    fig = figures.plot_shortlist_rule(cells, _themes(a="A", b="B", c="C", d="D"), 0.5, 4)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["D", "B", "C", "A"]  # least stable at the bottom
    widths = sorted(round(p.get_width(), 3) for p in ax.patches)
    assert widths == [0.004, 0.2, 0.6, 1.0]
    assert ax.get_xlabel() == "Part des tirages de poids où la cellule est parmi les 4 premières (%)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "retenue", "retenue pour compléter (instable)", "admissible, instable",
        "preuves insuffisantes"]
    assert [line.get_xdata()[0] for line in ax.lines] == [0.5]  # the stability threshold
    en = figures.plot_shortlist_rule(cells, _themes(a="A", b="B", c="C", d="D"), 0.5, 4, "en").axes[0]
    assert en.get_title("left") == "Stability of each candidate cell and the rule's decision"
