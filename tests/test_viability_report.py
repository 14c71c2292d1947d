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
    assert headings[0].metadata["analysis"]["label"] == "common.brief_title"  # « En bref » comes first
    assert nb.cells.index(headings[0]) == 2 and "viability_brief" in nb.cells[3].source  # right after the setup
    assert len(headings) >= 7 and all(c.metadata["analysis"]["label"].startswith("viabilite.") for c in headings[1:])


# ---- « En bref »: every number it gives is the number its section shows (issue 15) ---------------------------------
import csv  # noqa: E402
import html  # noqa: E402
import re  # noqa: E402

from test_coops_uk import org  # noqa: E402

from analysis.core import external  # noqa: E402
from analysis.core.errors import ParameterError  # noqa: E402
from analysis.report import display  # noqa: E402
from analysis.report.brief import brief_text, section_link  # noqa: E402

# a number as fmt writes it: 11 200 · 2,1 % · 139,9 M$ · 3 571 $ (fr); 11,200 · 2.1% · $139.9M · $3,571 (en)
NUMBER = re.compile(r"\$?\d+(?:[\u202f,.]\d+)*(?:\u00a0(?:%|[kMG]?\$)|%|[kMB](?![a-z]))?")


def _sections(results, lang):
    """The heading each finding may link to → the cells that display that section, as the notebook calls them."""
    p = results.params
    return {
        "viabilite.sub_hub_waves": [lambda: viability.show_hub_sensitivity(
            results.by_status, results.model, results.by_status_rest, results.model_rest, results.hub_artefact,
            lang)],
        "viabilite.sub_hub_model": [lambda: viability.show_breakeven_model(results.model, p["startup_max_years"],
                                                                           lang)],
        "viabilite.sec_hubs": [lambda: viability.show_missing(results, "food_hub_survey", lang=lang)],
        "viabilite.sec_survival": [
            lambda: viability.show_quebec_survival(results.quebec, lang, window_start=p["survival_window_start"]),
            lambda: viability.show_censoring(results.survival, lang),
            lambda: viability.show_uk_survival(results.at_horizons, results.naive, results.logrank,
                                               p["coops_uk_organisations"], lang)],
        "viabilite.sub_tests": [lambda: viability.show_group_tests(results.indicators, results.tests, results.fisher,
                                                                   lang)],
        "viabilite.sub_margin": [lambda: viability.show_break_even(results.margins, p["fixed_cost"], lang)],
    }


@pytest.fixture()
def published(monkeypatch):
    """Everything the presentation functions publish (text, tables, figure alternatives), instead of a notebook."""
    outputs: list[dict] = []
    monkeypatch.setattr(display, "_publish", lambda data, metadata=None: outputs.append(data))
    monkeypatch.delenv("VIGIE_REPORT_DIR", raising=False)
    return outputs


def _numbers(text: str) -> set[str]:
    return {m.rstrip(".,") for m in NUMBER.findall(text)}


def _check_brief(results, lang, published) -> int:
    brief = viability.viability_brief(results, lang)
    sections = _sections(results, lang)
    anchors = {section_link(key, lang)[0]: key for key in sections}
    checked = 0
    for finding in brief.findings:
        key = anchors[finding.section_anchor]                       # every finding links to a known section
        start = len(published)
        for show in sections[key]:
            show()
        shown = "\n".join(out.get("text/markdown", "") + "\n" + html.unescape(re.sub(r"<[^>]+>", " ",
                                                                                    out.get("text/html", "")))
                          for out in published[start:])
        section = _numbers(shown)
        for field in ("question", "answer", "certainty", "caveat"):
            for number in _numbers(getattr(finding, field)):
                assert number in section, f"{key} {field}: {number!r} is not shown by the section"
                checked += 1
    return checked


def _params(**values):
    # the synthetic inputs of these tests live in tmp_path, outside the project: allowed explicitly
    return params.validate("viabilite_alimentaire", {**values, "allow_outside": True})


def _need(*names):
    for name in names:
        if not external.is_available(name):
            pytest.skip(f"external dataset {name} absent (run `make data`)")


@pytest.fixture(scope="module")
def default_results():
    _need("food_hub_survey", "coops_uk_organisations", "coops_uk_economy")
    return viability.compute(_params())


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_brief_numbers_are_the_sections_numbers(default_results, published, lang):
    assert _check_brief(default_results, lang, published) >= 50
    brief = viability.viability_brief(default_results, lang)
    assert [f.confidence for f in brief.findings] == ["low", "moderate", "low", "low"]
    text = brief_text(brief, lang)
    if lang == "fr":
        # co-op hubs at break-even both ways, the odds ratio both ways; UK survival censored at 2016-04-27
        for expected in ("84\u00a0% des réponses de coopératives", "67\u00a0% pour les OBNL",
                         "2,74 (IC 95 % : 1,18 à 6,35)", "Sans la vague 2015, 82\u00a0% contre 67\u00a0%",
                         "2,38 (IC 95 % : 0,91 à 6,25)", "77,5\u00a0% des coopératives alimentaires",
                         "27 avril 2016", "766\u202f667\u00a0$", "666\u202f667\u00a0$", "13,0\u00a0% des ventes"):
            assert expected in text, expected
    else:
        assert "Without the 2015 wave" in text and "April 27, 2016" in text
        assert not re.search(r"\b(des|les|coopératives|Certitude|Décision)\b", text), "French in the English brief"


def test_brief_without_the_external_datasets_says_so(tmp_path, published):
    absent = str(tmp_path / "absent.csv")
    results = viability.compute(_params(food_hub_survey=absent, coops_uk_organisations=absent,
                                        coops_uk_economy=absent))
    assert results.absent == {"food_hub_survey": absent,
                              "coops_uk_organisations": absent, "coops_uk_economy": absent}
    brief = viability.viability_brief(results, "fr")
    assert [f.confidence for f in brief.findings] == ["none", "none", "low", "low"]
    assert "absent.csv" in brief.findings[0].answer and "make data" in brief.findings[0].answer
    assert _check_brief(results, "fr", published) >= 10
    viability.show_missing(results, "coops_uk_organisations", "coops_uk_economy", lang="fr")
    assert sum("make data" in out["text/plain"] for out in published[-2:]) == 2


def _later_extract(tmp_path):
    """A Co-operatives UK organisations extract of the same layout, hand-made (synthetic co-ops), dated 2018."""
    rows = [org("F1", "UKSIC07-4711", "Retail", "Live", "01/03/2003"),
            org("F2", "UKSIC07-4711", "Retail", "Dead", "01/01/2006", "30/06/2012"),
            org("F3", "UKSIC07-01", "Agriculture", "Live", "01/05/2017"),
            org("F4", "UKSIC07-01", "Agriculture", "Dead", "01/01/2001", "31/08/2018"),
            org("O1", "UKSIC07-9499", "Housing", "Dead", "01/01/2004", "01/02/2014"),
            org("O2", "UKSIC07-9499", "Housing", "Live", "01/01/2009"),
            org("O3", "UKSIC07-6419", "Finance", "Dead", "01/01/2010", "15/03/2016"),
            org("O4", "UKSIC07-6419", "Finance", "Live", "15/10/2018")]
    path = tmp_path / "organisations_2018.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=ORG_HEADER)
        w.writeheader()
        w.writerows(rows)
    return str(path)


def test_an_extract_of_the_same_layout_is_censored_at_its_own_date(tmp_path, published):
    path = _later_extract(tmp_path)
    results = viability.compute(_params(coops_uk_organisations=path, coops_uk_economy=str(tmp_path / "no.csv")))
    assert results.survival.attrs["window_end"] == pd.Timestamp("2018-08-31")  # its last recorded dissolution
    excluded = results.survival.set_index("org_id")["exclusion_reason"]
    assert excluded["F3"] == "" and excluded["O4"] == "incorporated_after_window"
    viability.show_censoring(results.survival, "fr")
    assert published[-1]["text/markdown"].startswith("Le suivi s'arrête le 31 août 2018, dernière dissolution")
    assert "1 coopératives constituées plus tard" in published[-1]["text/markdown"].replace("\u202f", " ")
    given = viability.compute(_params(coops_uk_organisations=path, coops_uk_economy=str(tmp_path / "no.csv"),
                                      survival_censoring="2017-12-31"))
    assert given.survival.attrs["window_end"] == pd.Timestamp("2017-12-31")
    viability.show_censoring(given.survival, "en")
    assert published[-1]["text/markdown"].startswith("Follow-up ends on December 31, 2017, a date set in the")
    assert "last recorded dissolution is on August 31, 2018" in published[-1]["text/markdown"]
    with pytest.raises(ParameterError) as err:
        viability.compute(_params(survival_censoring="31/12/2017"))
    assert err.value.field == "survival_censoring"


# ---- sections changed by issue 14: bounds, both readings of a margin, the 2015 wave --------------------------------
def test_profile_and_indicators_flag_bounds_and_the_food_revenue(shown):
    from analysis.food import casebook

    ind = food.case_indicators(casebook.load_cases()).set_index("case_id")
    prof = viability.profile_table(ind.reset_index()).set_index("Entreprise")
    assert prof.loc["Coop Alina", "Fondation"] == "entre 1970 et 1978"
    assert prof.loc["CSUR", "Chiffre d'affaires ($)"] == "1\u202f700\u202f000\u00a0$"
    assert prof.loc["CSUR", "Chiffre d'affaires alimentaire ($)"] == "560\u202f000\u00a0$"
    assert prof.loc["CSUR", "Bénévoles"] == "10"
    assert prof.loc["Le Grenier boréal", "Membres"] == "≥ 200"
    row = ind.reset_index().set_index("case_id")
    assert viability.inexact_remark(next(row.loc[["grenier_boreal"]].reset_index().itertuples())) == \
        "Membres par employé ≥"
    assert viability.inexact_remark(next(row.loc[["csur"]].reset_index().itertuples()), "en") == \
        "revenue of the whole enterprise, $560,000 of it from food"


def test_break_even_shows_both_readings_of_the_margin(shown):
    from analysis.food import casebook

    margins = food.margin_cases(casebook.load_cases(), 100_000)
    viability.show_break_even(margins, 100_000)
    text = shown[0][1]
    assert "il faut 666\u202f667\u00a0$ de ventes" in text and "il faut 766\u202f667\u00a0$ de ventes" in text
    assert "13,0\u00a0% des ventes" in text and "« facturée aux membres »" in text
    table, _ = shown[1][1]
    assert list(table["Lecture de la marge"]) == ["part du prix de vente", "part du prix de vente",
                                                  "majoration du coût"]
    kind, (fig, alt) = shown[2]
    assert "766\u202f667\u00a0$" in alt and "en majoration du coût (13,0\u00a0% des ventes)" in alt
    legend = [x.get_text() for x in fig.axes[0].get_legend().get_texts()]
    assert "Marché de proximité de Québec (15\u00a0% en majoration : 13,0\u00a0% des ventes)" in legend


def test_wide_positions_mark_bounds():
    d = pd.DataFrame({"enterprise": ["a", "a"], "name": ["A", "A"], "indicator": ["age_years", "members_per_employee"],
                      "value": [43.0, float("nan")], "side": ["", ""], "threshold": [float("nan")] * 2,
                      "position": ["no_threshold", "missing"], "bound": ["≥", "≥"]})
    w = viability.wide_positions(d)
    assert w.loc[0, "age_years"] == "≥ 43" and w.loc[0, "members_per_employee"] == "—"


def test_reported_ratio_and_sensitivity_sections_on_handmade_hubs(tmp_path, shown):
    from test_foodhubs import ARTEFACT_HUBS

    hubs = food.load_food_hub_survey(write_hubs(tmp_path, ARTEFACT_HUBS))
    by_wave = food.reported_oer_by_wave(hubs)
    viability.show_reported_oer(by_wave, food.reported_oer_artefact(by_wave))
    assert shown[0][1].startswith("Les 4 réponses signalées « OER publié ≠ dépenses / revenus » appartiennent toutes "
                                  "à la vague 2015. Dans cette vague, l'OER publié vaut 1,108 × dépenses / revenus")
    synthetic = synthetic_model_hubs().assign(customer_total=0.0, **{c: float("nan")
                                                                      for c in foodhubs.CUSTOMER_COLUMNS.values()})
    model = food.fit_breakeven_model(synthetic)
    status = food.breakeven_by_status(synthetic)
    viability.show_hub_sensitivity(status, model, status, model, {"waves": (2015,), "n_responses": 4})
    assert "Sans la vague 2015 (4 réponses en moins)" in shown[-2][1]
    assert shown[-2][1].endswith(t("viabilite.hub_waves_holds", "fr"))
    table, _ = shown[-1][1]
    assert list(table["Échantillon"]) == ["Toutes les vagues", "Sans la vague 2015"]


def test_intro_no_longer_withholds_the_answer():
    assert "verdict" not in t("viabilite.intro", "fr") and "« En bref »" in t("viabilite.intro", "fr")
