"""Presentation of the viability report (analysis.report.viability, analysis.report.figures.food): labels, display
tables, missing-data handling and figures in French and English, on hand-made synthetic tables."""

from __future__ import annotations

import ast

import matplotlib
import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest
from test_cases import _toy_cases
from test_coops_uk import ECO_HEADER, ECONOMY, ORG_HEADER, ORGS
from test_coops_uk import write as write_coops
from test_foodhubs import HUBS, synthetic_model_hubs
from test_foodhubs import write as write_hubs
from test_survival import km_fixture

from analysis import food
from analysis.core import params, paths
from analysis.food import foodhubs, ratios, survival
from analysis.report import viability
from analysis.report.figures import food as figures
from analysis.report.labels import t

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture()
def shown(monkeypatch):
    """What the presentation functions show, as (kind, payload) pairs, instead of publishing it."""
    out: list[tuple[str, object]] = []
    monkeypatch.setattr(viability.display, "show_text", lambda text: out.append(("text", text)))
    monkeypatch.setattr(viability.display, "show_note", lambda text, kind="info": out.append((f"note:{kind}", text)))
    monkeypatch.setattr(viability.display, "show_table", lambda df, **kw: out.append(("table", (df, kw))))
    monkeypatch.setattr(viability.display, "show_figure", lambda fig, alt, **kw: out.append(("figure", (fig, alt))))
    return out


# ---- labels and display tables (moved from test_cases / test_dashboard) --------------------------------------------
def test_labels():
    assert viability.label("status", "obnl") == "OBNL"
    assert viability.label("theme", "operations", "en") == "Operations"
    assert viability.label("status", "unknown_code") == "unknown_code"
    assert viability.label("zone", None) == "—"


def test_display_tables():
    ind = food.case_indicators(_toy_cases())
    prof = viability.profile_table(ind)
    assert prof.loc[0, "Chiffre d'affaires ($)"].startswith("≈ ")
    assert prof.loc[2, "Bénévoles"].startswith("≥ ")
    assert prof.loc[0, "Rôles dans le système alimentaire"] == "distribution au détail, vente en ligne"
    assert list(viability.profile_table(ind, "en").columns)[:2] == ["Enterprise", "Status"]
    rec = pd.DataFrame({"dimension": ["status", "status"], "category": ["obnl", "total"], "subcategory": [None, None],
                        "recomputed": pd.array([4, 10], dtype="Int64"), "published": pd.array([4, 11], dtype="Int64"),
                        "difference": pd.array([0, -1], dtype="Int64"), "comment": ["", ""]})
    assert list(viability.reconciliation_table(rec)["Commentaire"]) == [
        "concorde", "le cahier imprime 11, les fiches donnent 10"]
    assert list(viability.reconciliation_table(rec, "en")["Comment"]) == [
        "matches", "the book prints 11, the sheets give 10"]


def test_model_terms_and_p_phrase():
    assert viability.model_term_label("legal_status[cooperative]") == "Statut : Coopérative"
    assert viability.model_term_label("survey_year[2015]") == "Vague 2015"
    assert viability.model_term_label("startup").startswith("Démarrage")
    assert viability.model_term_label("grant_dependence[highly]", "en") == "Grant dependence : highly dependent"
    assert viability.p_phrase(0.046) == "p = 0,046"
    assert viability.p_phrase(0.0001) == "p <\u00a00,001"
    assert viability.p_phrase(0.046, "en") == "p = 0.046"


WIDE = pd.DataFrame({
    "enterprise": ["x", "y", "z"],
    "name": ["X", "Y", "Z"],
    "revenue_per_employee": [40_000.0, 60_000.0, float("nan")],
    "debt_ratio": [0.9, 0.5, 0.8],
})
THRESHOLDS = {"revenue_per_employee_min": 50_000, "debt_ratio_max": 0.8}


def test_wide_positions():
    d = food.dashboard_positions(WIDE, ["revenue_per_employee", "debt_ratio"], THRESHOLDS)
    w = viability.wide_positions(d, {"revenue_per_employee": "money", "debt_ratio": "share"})
    assert list(w["name"]) == ["X", "Y", "Z"]
    assert w.loc[0, "revenue_per_employee"] == "40\u202f000\u00a0$ ▼"
    assert w.loc[0, "debt_ratio"] == "90\u00a0% ▲"
    assert w.loc[2, "revenue_per_employee"] == "—"
    assert viability.wide_positions(d, lang="en").loc[0, "revenue_per_employee"] == "$40,000 ▼"


def test_format_rows_mixed_units():
    df = pd.DataFrame({"metric": ["turnover", "profit_margin"], "q50": [108_693.0, 0.0072]})
    out = viability.format_rows(df, "metric", {"turnover": "gbp", "profit_margin": "share1"}, ["q50"])
    assert list(out["q50"]) == ["108\u202f693\u00a0£", "0,7\u00a0%"]


def test_every_code_of_the_wing_has_its_label():
    """Codes the food wing emits (flags, exclusion reasons, template columns) are in the catalogue, fr and en."""
    for flag in foodhubs.FLAG_DESCRIPTIONS:
        assert viability.flag_description(flag, "en") != viability.flag_description(flag, "fr")
    assert viability.flag_description("oer_extreme") == "ratio dépenses / revenus hors de [0,2 ; 5,0]"
    for reason in foodhubs.MODEL_EXCLUSION_REASONS:
        assert viability.exclusion_reason(reason) != reason
    assert viability.exclusion_reason("flag:oer_extreme") == "ratio dépenses/revenus extrême"
    for reason in survival.EXCLUSION_REASONS:
        assert viability.survival_reason(reason) != reason
    assert viability.survival_reason("req_status:AI") == "statut REQ non retenu (AI)"
    assert viability.survival_reason("missing_incorporation_date", "en") == "missing incorporation date"
    for column in ratios.TEMPLATE_COLUMNS:
        assert t(f"viabilite.field_{column}", "fr") and t(f"viabilite.field_{column}", "en")


# ---- missing data -----------------------------------------------------------------------------------------------
def test_if_available_and_load_dataset(tmp_path, shown):
    assert viability.if_available(food.breakeven_by_status, None) is None
    assert viability.if_available(food.coops_uk_finances, pd.DataFrame(), None) is None
    assert viability.if_available(lambda a, b=0: a + b, 1, b=2) == 3
    absent = str(tmp_path / "absent.csv")
    assert viability.load_dataset(food.load_food_hub_survey, absent) is None
    kind, text = shown[0]
    assert kind == "note:missing" and absent in text and "make data" in text
    for show in (viability.show_hubs_intro, viability.show_hub_flags, viability.show_breakeven_by_status):
        show(None)
    viability.show_breakeven_model(None, 5)
    viability.show_uk_finances(None, None, None)
    viability.show_ratios(None, None, None)
    assert len(shown) == 1  # nothing more for the sections whose data is missing
    viability.show_uk_survival(None, None, None, "external:coops_uk_organisations")
    assert shown[-1] == ("note:missing", t("common.missing_dataset", "fr", name="coops_uk_organisations"))


def test_financial_statements_notes(tmp_path, shown):
    assert viability.load_financial_statements(None, None) is None
    assert shown[-1] == ("note:info", t("viabilite.ratios_howto", "fr"))
    assert viability.load_financial_statements(str(tmp_path / "absent.csv"), None) is None
    assert shown[-1][0] == "note:missing" and "absent.csv" in shown[-1][1]
    bad = tmp_path / "bad.csv"
    bad.write_text("enterprise,year\nx,2020\n", encoding="utf-8")
    assert viability.load_financial_statements(str(bad), None) is None
    assert shown[-1][0] == "note:missing" and "bad.csv" in shown[-1][1]
    synthetic = viability.load_financial_statements(None, 7)
    assert len(synthetic) == 60 and synthetic["is_synthetic"].all()
    ratios_table = food.compute_ratios(synthetic)
    assert viability.financial_source(ratios_table, None, 7) == t("viabilite.source_synthetic", "fr", seed=7)
    latest = food.latest_year(ratios_table)
    viability.show_ratios(ratios_table, latest, food.tuckman_chang_flags(latest), None, 7)
    assert shown[-4] == ("note:warning", t("viabilite.synthetic_banner", "fr", seed=7))
    # a file of the user whose rows say they are fictitious: named by its path, not by a seed
    own = food.compute_ratios(food.load_financial_statements("tests/fixtures/viabilite/statements_ok.csv"))
    assert own["is_synthetic"].all()
    assert viability.financial_source(own, "mine.csv", None) == "mine.csv"
    latest = food.latest_year(own)
    viability.show_ratios(own, latest, food.tuckman_chang_flags(latest), "mine.csv", None)
    assert shown[-4] == ("note:warning", t("viabilite.synthetic_banner_file", "fr", path="mine.csv"))
    assert shown[-1][1][1]["source"] == "mine.csv"


def test_sections_in_english(shown):
    ind = food.case_indicators(_toy_cases())
    viability.show_cases_intro(ind, "en")
    assert shown[-1] == ("text", t("viabilite.cases_intro", "en", n=4, n_coop=2, n_obnl=2))
    viability.show_group_tests(ind, food.exact_group_tests(ind), food.fisher_tests(food.case_features(ind)), "en")
    kinds = [k for k, _ in shown[1:]]
    assert kinds == ["note:warning", "text", "table", "table"]
    table, options = shown[-1][1]
    assert "Odds ratio" in table.columns and options["lang"] == "en"


# ---- figures: titles and labels from the catalogue, in the report's language --------------------------------------
def _texts(fig) -> tuple[str, str, str]:
    ax = fig.axes[0]
    return ax.get_title("left") or ax.get_title(), ax.get_xlabel(), ax.get_ylabel()


def test_case_figures_in_both_languages():
    m = food.margin_cases(_toy_cases(), 100_000)
    for lang in ("fr", "en"):
        assert _texts(figures.plot_break_even(m, 100_000, lang)) == (
            t("viabilite.be_title", lang), t("viabilite.be_x", lang), t("viabilite.be_y", lang))
    st = pd.DataFrame({"case_id": ["a"], "kind": ["challenge"], "theme": ["operations"]})
    matrix = food.theme_matrix(st, _toy_cases())
    fig = figures.plot_theme_heatmap(matrix, "challenge", {"a": "A"})
    assert fig.axes[0].get_ylabel() == "Entreprise"
    fig = figures.plot_theme_heatmap(matrix, "success_factor", {"a": "A"}, "en")
    assert _texts(fig)[0] == "Success factors mentioned, by enterprise and issue"
    assert "Operations" in [x.get_text() for x in fig.axes[0].get_xticklabels()]
    d = food.dashboard_positions(WIDE, ["revenue_per_employee", "debt_ratio"], THRESHOLDS)
    assert "Tableau" not in _texts(figures.plot_dashboard(d, "en"))[0]
    fig = figures.plot_dashboard(d)
    assert _texts(fig)[0] == "Indicateurs des cas par rapport aux repères"
    assert [x.get_text() for x in fig.axes[0].get_xticklabels()] == ["Chiffre d'affaires par employé ($)",
                                                                     "Endettement"]


def test_food_hub_figures_in_both_languages(tmp_path):
    hubs = food.load_food_hub_survey(write_hubs(tmp_path, HUBS))
    ax = figures.plot_breakeven_by_status(food.breakeven_by_status(hubs)).axes[0]
    assert ax.get_ylabel() == "Réponses à l'équilibre ou mieux (%)"
    assert [x.get_text().split("\n")[0] for x in ax.get_xticklabels()] == ["Coopérative", "OBNL", "Ensemble"]
    ax = figures.plot_breakeven_by_status(food.breakeven_by_status(hubs), "en").axes[0]
    assert ax.get_ylabel() == "Responses at break-even or better (%)"
    assert [x.get_text().split("\n")[0] for x in ax.get_xticklabels()] == ["Co-operative", "Non-profit", "All"]
    odds = food.fit_breakeven_model(synthetic_model_hubs())["odds_ratios"]
    labels = [x.get_text() for x in figures.plot_odds_ratios(odds).axes[0].get_yticklabels()]
    assert "Coopérative (vs OBNL)" in labels and "Jeune carrefour (≤ 5 ans)" in labels
    fig = figures.plot_odds_ratios(odds, "en", startup_max_years=3)
    labels = [x.get_text() for x in fig.axes[0].get_yticklabels()]
    assert "Co-operative (vs non-profit)" in labels and "Young hub (≤ 3 years)" in labels
    assert _texts(fig)[1] == "Odds ratio (log scale; 1 = no effect)"


def test_coops_uk_figures_in_both_languages(tmp_path):
    orgs = food.load_coops_uk_organisations(write_coops(tmp_path, "orgs.csv", ORG_HEADER, ORGS))
    economy = food.load_coops_uk_economy(write_coops(tmp_path, "eco.csv", ECO_HEADER, ECONOMY))
    latest = food.latest_accounts(economy, orgs)
    ax = figures.plot_profit_margin(latest).axes[0]
    assert ax.get_ylabel() == "Bénéfice avant impôt / chiffre d'affaires (%)"
    assert [x.get_text() for x in ax.get_xticklabels()] == ["Alimentaires\n(n = 2)", "Autres secteurs\n(n = 1)"]
    ax = figures.plot_profit_margin(latest, "en").axes[0]
    assert [x.get_text() for x in ax.get_xticklabels()] == ["Food\n(n = 2)", "Other sectors\n(n = 1)"]


def test_km_figure_in_both_languages():
    km = food.km_survival(km_fixture(), group="grp")
    ax = figures.plot_km(km).axes[0]
    assert ax.get_xlabel() == "Âge depuis la constitution (années)"
    assert ax.get_ylabel() == "Coopératives toujours actives (%)"
    assert [x.get_text() for x in ax.get_legend().get_texts()] == ["x", "y"]
    ax = figures.plot_km(km.assign(group=km["group"].map({"x": "food", "y": "other"})), "en").axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Age since incorporation (years)", "Co-operatives still active (%)")
    assert [x.get_text() for x in ax.get_legend().get_texts()] == ["Food", "Other sectors"]


# ---- the notebook reads like a report -------------------------------------------------------------------------
NOTEBOOK = paths.NOTEBOOKS / "viabilite_alimentaire.ipynb"


def test_notebook_is_thin_and_its_parameters_are_the_schema_defaults():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    first = nb.cells[0]
    assert "parameters" in first.metadata.get("tags", [])
    tree = ast.parse(first.source)
    names = [node.targets[0].id for node in tree.body]
    schema = params.load_schema("viabilite_alimentaire")
    assert names == list(schema), "every parameter, in the schema's order"
    assert {n: ast.literal_eval(node.value) for n, node in zip(names, tree.body)} == {
        name: spec["default"] for name, spec in schema.items()}
    code = [c for c in nb.cells[1:] if c.cell_type == "code"]
    assert "show_provenance" in code[-1].source and code[-1].source.startswith("# NBVAL_IGNORE_OUTPUT")
    for cell in code[1:-1]:
        assert len(cell.source.splitlines()) <= 5, cell.source
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, (ast.For, ast.While, ast.If, ast.IfExp, ast.FunctionDef, ast.Lambda,
                                         ast.ListComp, ast.DictComp, ast.Try)), cell.source
    headings = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("#")]
    assert len(headings) >= 6 and all(c.metadata["analysis"]["label"].startswith("viabilite.") for c in headings)
