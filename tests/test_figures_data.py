"""What the report figures draw (issue 21): the data of their artists — bar heights and widths, line points, error
bar and confidence band limits, scatter offsets — compared with the table given, so that a figure that drops its
bars, moves a point or scales a band fails here (the label tests elsewhere would not notice). Small synthetic tables
written in the tests."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.patches import Rectangle

from analysis import vigie
from analysis.report.figures import diagnostic as diagnostic_figures
from analysis.report.figures import ecosystem as eco_figures
from analysis.report.figures import food as food_figures
from analysis.report.figures import vigie as vigie_figures
from analysis.vigie import Theme, ThemeDictionary

FIX = Path(__file__).parent / "fixtures" / "vigie"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def bars(ax) -> list[BarContainer]:
    return [c for c in ax.containers if isinstance(c, BarContainer)]


def heights(container: BarContainer) -> list[float]:
    return [p.get_height() for p in container.patches]


def widths(container: BarContainer) -> list[float]:
    return [p.get_width() for p in container.patches]


def error_segments(container) -> list[tuple[float, float, float, float]]:
    """(x0, y0, x1, y1) of each error bar of an errorbar container (or a bar container's ``errorbar``)."""
    eb = container.errorbar if isinstance(container, BarContainer) else container
    (lines,) = eb.lines[2]
    return [(s[0][0], s[0][1], s[1][0], s[1][1]) for s in lines.get_segments()]


def themes(**labels: str) -> ThemeDictionary:
    items = tuple(Theme(k, {"fr": v, "en": v.upper()}, "issue_a", terms=("x",)) for k, v in labels.items())
    return ThemeDictionary(items, {"issue_a": {"fr": "Enjeu A", "en": "Issue A"}})


# ---- vigie ---------------------------------------------------------------------------------------------------------


def test_documents_per_year_bars_are_the_counts():
    per_year = pd.DataFrame({"year": [2019, 2020, 2022], "documents": [3, 7, 1]})
    ax = vigie_figures.plot_documents_per_year(per_year).axes[0]
    (container,) = bars(ax)
    assert [p.get_x() + p.get_width() / 2 for p in container.patches] == [2019, 2020, 2022]
    assert heights(container) == [3, 7, 1]


def test_citations_per_year_line_points():
    cites = pd.DataFrame({"year": [2019, 2020, 2021], "mean_citations_per_doc": [2.5, 1.0, 0.25]})
    ax = vigie_figures.plot_citations_per_year(cites).axes[0]
    (line,) = ax.lines
    np.testing.assert_allclose(line.get_xydata(), [[2019, 2.5], [2020, 1.0], [2021, 0.25]])


def test_theme_share_lines_follow_the_counts():
    toy = vigie.load_themes(FIX / "themes_toy.yaml")
    counts = pd.DataFrame({
        "theme": ["food", "food", "digital", "digital"], "year": [2021, 2020, 2020, 2021],
        "n_theme": [2, 1, 1, 0], "n_total": [4, 2, 2, 4], "share": [0.5, 0.5, 0.5, 0.0],
    })
    ax = vigie_figures.plot_theme_shares_by_year(counts, toy, top=2, min_total=1).axes[0]
    lines = {line.get_label(): line.get_xydata().tolist() for line in ax.lines}
    assert lines == {"Alimentation": [[2020, 0.5], [2021, 0.5]], "Numérique": [[2020, 0.5], [2021, 0.0]]}
    # years below min_total are not drawn
    ax = vigie_figures.plot_theme_shares_by_year(counts, toy, top=2, min_total=3).axes[0]
    assert {line.get_label(): line.get_xydata().tolist() for line in ax.lines}["Alimentation"] == [[2021, 0.5]]


def test_rate_ratio_points_and_intervals():
    e = pd.DataFrame({"theme": ["a", "b", "c"], "rate_ratio": [1.2, 0.9, np.nan], "ci_low": [1.1, 0.7, 0.5],
                      "ci_high": [1.4, 1.0, 2.0], "emerging": [True, False, False]})
    ax = vigie_figures.plot_rate_ratios(e, themes(a="A", b="B", c="C")).axes[0]
    (points,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    # sorted by rate ratio (b then a), the theme without a ratio left out
    np.testing.assert_allclose(points.get_offsets(), [[0.9, 0], [1.2, 1]])
    (bars_,) = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    np.testing.assert_allclose(error_segments(bars_), [(0.7, 0, 1.0, 0), (1.1, 1, 1.4, 1)])
    colours = points.get_facecolors()
    assert not np.allclose(colours[0], colours[1])  # the emerging theme is highlighted


def test_top_sources_bar_lengths():
    top = pd.DataFrame({"source": ["Revue A", "Revue B", "X" * 70], "n_works": [9, 4, 2]})
    ax = vigie_figures.plot_top_sources(top).axes[0]
    (container,) = bars(ax)
    assert widths(container) == [2, 4, 9]  # largest drawn at the top
    assert [t.get_text() for t in ax.get_yticklabels()] == ["X" * 57 + "…", "Revue B", "Revue A"]


def test_lotka_points_and_curves():
    table = pd.DataFrame({"n_works": [1, 2, 3], "share": [0.7, 0.2, 0.1], "expected_fit": [0.68, 0.22, 0.1],
                          "expected_lotka2": [0.61, 0.15, 0.07]})
    ax = vigie_figures.plot_lotka(table, {"beta": 1.8}).axes[0]
    (points,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    np.testing.assert_allclose(points.get_offsets(), [[1, 0.7], [2, 0.2], [3, 0.1]])
    fitted, lotka2 = ax.lines
    np.testing.assert_allclose(fitted.get_xydata(), [[1, 0.68], [2, 0.22], [3, 0.1]])
    np.testing.assert_allclose(lotka2.get_xydata(), [[1, 0.61], [2, 0.15], [3, 0.07]])
    ax = vigie_figures.plot_lotka(table, {"beta": np.nan}).axes[0]
    assert len(ax.lines) == 1  # no fitted curve without a fit


def test_stability_and_practices_bar_lengths():
    s = pd.DataFrame({"candidate": ["A", "B", "C"], "p_shortlist": [0.9, 0.2, 0.5]})
    ax = vigie_figures.plot_stability(s, ["A"], themes(A="Alpha", B="Bêta", C="Gamma")).axes[0]
    (container,) = bars(ax)
    assert widths(container) == [0.2, 0.5, 0.9]
    face = [p.get_facecolor() for p in container.patches]
    assert face[0] == face[1] != face[2]  # only the shortlisted candidate is highlighted
    inventory = pd.DataFrame({"priority_issue": ["issue_a", "other"], "n_practices": [3, 1]})
    ax = vigie_figures.plot_practices_by_issue(inventory, themes(A="Alpha")).axes[0]
    assert widths(bars(ax)[0]) == [1, 3]


# ---- food ----------------------------------------------------------------------------------------------------------


def hub_profile() -> pd.DataFrame:
    return pd.DataFrame({
        "legal_status": ["cooperative", "nonprofit", "for_profit", "other", "all"],
        "n_oer": [4, 10, 0, 2, 16],
        "breakeven_share": [0.75, 0.4, np.nan, 0.5, 0.5],
        "breakeven_ci_low": [0.3, 0.17, np.nan, 0.1, 0.28],
        "breakeven_ci_high": [0.95, 0.69, np.nan, 0.9, 0.72],
    })


def test_break_even_bars_and_wilson_intervals():
    ax = food_figures.plot_breakeven_by_status(hub_profile()).axes[0]
    (container,) = bars(ax)
    # statuses without a known break-even (for_profit: n_oer 0) are left out; shares in percent
    assert heights(container) == pytest.approx([75, 40, 50, 50])
    np.testing.assert_allclose(error_segments(container),
                               [(0, 30, 0, 95), (1, 17, 1, 69), (2, 10, 2, 90), (3, 28, 3, 72)])
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "Coopérative\n(n = 4)"


def test_odds_ratio_points_and_intervals():
    odds = pd.DataFrame({
        "term": ["legal_status[cooperative]", "startup", "survey_year[2015]"],
        "odds_ratio": [2.5, 0.8, 1.3], "ci_low": [1.2, 0.5, 0.9], "ci_high": [5.0, 1.3, 1.9],
        "p_value": [0.01, 0.3, 0.2]})
    ax = food_figures.plot_odds_ratios(odds).axes[0]
    (container,) = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    data_line = container.lines[0]
    # wave terms hidden; drawn bottom-up in reverse order: startup at y 0, co-operative at y 1
    np.testing.assert_allclose(data_line.get_xydata(), [[0.8, 0], [2.5, 1]])
    np.testing.assert_allclose(error_segments(container), [(0.5, 0, 1.3, 0), (1.2, 1, 5.0, 1)])
    ax = food_figures.plot_odds_ratios(odds, include_waves=True).axes[0]
    (container,) = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    np.testing.assert_allclose(container.lines[0].get_xydata(), [[1.3, 0], [0.8, 1], [2.5, 2]])


def test_km_steps_and_confidence_bands():
    km = pd.DataFrame({
        "group": ["food"] * 4 + ["other"] * 3,
        "time": [0.0, 2.0, 5.0, 70.0, 0.0, 3.0, 6.0],
        "survival": [1.0, 0.8, 0.6, 0.5, 1.0, 0.9, 0.7],
        "ci_low": [1.0, 0.7, 0.45, 0.3, 1.0, 0.8, 0.55],
        "ci_high": [1.0, 0.88, 0.72, 0.65, 1.0, 0.96, 0.82],
    })
    ax = food_figures.plot_km(km, max_years=60).axes[0]
    steps = [line for line in ax.lines if line.get_drawstyle() == "steps-post"]
    assert len(steps) == 2
    # the food curve stops at 60 years: its point at 70 is not drawn
    np.testing.assert_allclose(steps[0].get_xydata(), [[0, 100], [2, 80], [5, 60]])
    np.testing.assert_allclose(steps[1].get_xydata(), [[0, 100], [3, 90], [6, 70]])
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == 2
    for band, low, high in ((bands[0], [100, 70, 45], [100, 88, 72]), (bands[1], [100, 80, 55], [100, 96, 82])):
        ys = band.get_paths()[0].vertices[:, 1]
        assert sorted(set(np.round(ys, 6))) == sorted(set(low + high))
        assert ys.min() == pytest.approx(min(low)) and ys.max() == pytest.approx(max(high))
    # the horizons as dotted verticals
    verticals = [line.get_xdata()[0] for line in ax.lines if line.get_linestyle() == ":"]
    assert verticals == [5, 10]
    whole = food_figures.plot_km(km, max_years=None).axes[0]
    assert [line for line in whole.lines if line.get_drawstyle() == "steps-post"][0].get_xydata()[-1].tolist() == [
        70, 50]


def test_profit_margin_boxes_use_the_percentiles():
    rng = np.random.default_rng(4)
    food_margins = rng.normal(0.02, 0.05, size=40)
    other_margins = rng.normal(0.05, 0.02, size=30)
    accounts = pd.DataFrame({
        "sector_group": ["food"] * 40 + ["other"] * 30 + [""] * 2 + ["other"],
        "profit_margin": [*food_margins, *other_margins, 0.5, 0.6, np.nan],
    })
    ax = food_figures.plot_profit_margin(accounts).axes[0]
    for x, values in ((1, food_margins * 100), (2, other_margins * 100)):
        # every y drawn around this box: the median line, the box's corners, the caps
        horizontal = {round(float(y), 6) for line in ax.lines if abs(np.mean(line.get_xdata()) - x) < 0.5
                      for y in line.get_ydata()}
        # the median and quartiles; whiskers at the last data points inside the 5th and 95th percentiles
        low = values[values >= np.percentile(values, 5)].min()
        high = values[values <= np.percentile(values, 95)].max()
        for y in (np.median(values), np.percentile(values, 25), np.percentile(values, 75), low, high):
            assert round(float(y), 6) in horizontal, y
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Alimentaires\n(n = 40)", "Autres secteurs\n(n = 30)"]


def test_break_even_lines_and_points():
    margins = pd.DataFrame({
        "case_id": ["a", "b", "b"], "name": ["A", "B", "B"], "margin": [0.4, 0.25, 0.25],
        "reading": ["share_of_sales", "share_of_sales", "markup_on_cost"],
        "margin_on_sales": [0.4, 0.25, 0.2], "revenue_cad": [300_000.0, 500_000.0, 500_000.0],
        "break_even_sales": [250_000.0, 400_000.0, 500_000.0]})
    ax = food_figures.plot_break_even(margins, 100_000).axes[0]
    sloped = [line for line in ax.lines if len(line.get_xdata()) == 200]
    assert len(sloped) == 3
    for line, rate in zip(sloped, [0.4, 0.25, 0.2], strict=True):
        x, y = line.get_xdata(), line.get_ydata()
        np.testing.assert_allclose(y, x * rate)
        assert x[-1] == pytest.approx(500_000 * 1.15)  # up to the largest of sales and break-even, plus 15 %
    dots = [line.get_xydata().tolist() for line in ax.lines if line.get_marker() == "o"]
    assert dots == [[[250_000, 100_000]], [[400_000, 100_000]], [[500_000, 100_000]]]
    verticals = sorted(line.get_xdata()[0] for line in ax.lines if line.get_linestyle() == ":")
    assert verticals == [300_000, 500_000]  # the markup reading draws no second sales line
    (fixed,) = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert list(fixed.get_ydata()) == [100_000, 100_000]


def test_dashboard_cells_colour_and_value():
    dashboard = pd.DataFrame({
        "name": ["A", "A", "B", "B"], "indicator": ["debt_ratio", "current_ratio", "debt_ratio", "current_ratio"],
        "value": [0.35, 1.25, 0.9, np.nan], "position": ["within", "below_min", "above_max", "missing"],
        "bound": ["", "≥", "", ""]})
    ax = food_figures.plot_dashboard(dashboard).axes[0]
    cells = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(cells) == 4
    texts = {(round(t.get_position()[0]), round(t.get_position()[1])): t.get_text() for t in ax.texts}
    # enterprises across (2 names ≤ 2 indicators), indicators down
    assert texts == {(0, 0): "35\u00a0%", (0, 1): "≥ 1,2", (1, 0): "90\u00a0%", (1, 1): "—"}
    colour = {(round(p.get_x() + 0.48), round(p.get_y() + 0.45)): p.get_facecolor()[:3] for p in cells}
    assert colour[(0, 1)] == colour[(1, 0)] != colour[(0, 0)]  # beyond a threshold, either side: one colour


# ---- ecosystem ----------------------------------------------------------------------------------------------------


def test_region_share_bars():
    shares = pd.DataFrame({"indicator": ["se_enterprises", "se_revenue", "se_jobs"], "share_pct": [2.1, 0.3, 1.5]})
    ax = eco_figures.plot_region_shares(shares, "monteregie_est").axes[0]
    (container,) = bars(ax)
    assert widths(container) == [1.5, 0.3, 2.1]  # first indicator at the top
    assert ax.get_xlim()[1] == pytest.approx(2.1 * 1.3)
    assert [t.get_position()[0] for t in ax.texts] == [1.5, 0.3, 2.1]


def test_counts_by_form_bars():
    counts = pd.DataFrame({"legal_form": ["APE", "COP", "ASS"], "count": [20, 5, 3]})
    ax = eco_figures.plot_counts_by_form(counts).axes[0]
    (container,) = bars(ax)
    assert heights(container) == [20, 5, 3]
    assert [t.get_position()[1] for t in ax.texts] == [20, 5, 3]


def test_collective_share_bars():
    shares = pd.DataFrame({"buyer_type": ["government", "municipal"], "share_contracts_pct": [10.0, 40.0],
                           "share_value_pct": [5.0, 25.0]})
    ax = eco_figures.plot_collective_shares(shares, "buyer_type").axes[0]
    contracts, value = bars(ax)
    assert heights(contracts) == [10.0, 40.0] and heights(value) == [5.0, 25.0]
    assert [p.get_x() + p.get_width() / 2 for p in contracts.patches] == pytest.approx([-0.2, 0.8])
    assert [p.get_x() + p.get_width() / 2 for p in value.patches] == pytest.approx([0.2, 1.2])


def test_grant_curve_line_ceiling_and_knee():
    curve = pd.DataFrame({"cost": [0.0, 10_000.0, 40_000.0], "grant": [0.0, 8_000.0, 20_000.0]})
    ax = eco_figures.plot_grant_curve(curve, 20_000.0, 25_000.0).axes[0]
    line, ceiling, knee = ax.lines
    np.testing.assert_allclose(line.get_xydata(), [[0, 0], [10_000, 8_000], [40_000, 20_000]])
    assert list(ceiling.get_ydata()) == [20_000, 20_000] and list(knee.get_xdata()) == [25_000, 25_000]
    assert ax.get_ylim() == pytest.approx((0, 24_000)) and ax.get_xlim() == pytest.approx((0, 40_000))


# ---- diagnostic -----------------------------------------------------------------------------------------------------


def test_peer_position_dots():
    bench = pd.DataFrame({
        "chosen": [True, True, False, True],
        "source": ["us", "uk", "uk", "uk"],
        "metric": ["operating_margin", "operating_margin", "total_revenue", "total_revenue"],
        "group_id": ["us1", "uk1", "uk2", "uk1"],
        "percentile": [80.0, 30.0, 99.0, 55.0],
    })
    ax = diagnostic_figures.plot_peer_position(bench, {"uk1": "a", "us1": "b"}).axes[0]
    dots = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(dots) == 2
    # rows sorted by source then metric order: uk total_revenue (y 2), uk operating_margin (y 1), us (y 0)
    np.testing.assert_allclose(dots[0].get_offsets(), [[55, 2], [30, 1]])
    np.testing.assert_allclose(dots[1].get_offsets(), [[80, 0]])
    band = [p for p in ax.patches if not isinstance(p, Rectangle) or p.get_width() != 1]
    xs = np.concatenate([p.get_path().transformed(p.get_patch_transform()).vertices[:, 0] for p in band]) \
        if band else np.array([])
    assert xs.size == 0 or (xs.min() == pytest.approx(25) and xs.max() == pytest.approx(75))
    assert diagnostic_figures.plot_peer_position(bench.assign(chosen=False), {}) is None


def test_no_stray_line_collections_in_bar_figures():
    """A bar figure draws its bars as patches, not as lines: guards the tests above against counting the wrong
    artist."""
    ax = vigie_figures.plot_documents_per_year(pd.DataFrame({"year": [2020], "documents": [1]})).axes[0]
    assert not [c for c in ax.collections if isinstance(c, LineCollection)]


def test_network_node_sizes_and_strongest_edges():
    g = nx.Graph()
    for node, occ in (("a", 4), ("b", 2), ("c", 1), ("d", 1)):
        g.add_node(node, occurrences=occ, label=node.upper())
    g.add_edge("a", "b", strength=0.5, count=3)
    g.add_edge("b", "c", strength=0.2, count=1)
    g.add_edge("c", "d", strength=0.1, count=1)
    network = vigie.analyse_network(g, items="authors")
    ax = vigie_figures.plot_network(network, edges_per_node=0.5).axes[0]
    (nodes,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    # node size 40 + 400 × occurrences / largest, nodes in name order a, b, c, d
    np.testing.assert_allclose(nodes.get_sizes(), [440, 240, 140, 140])
    (edges,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    # 0.5 edge per node × 4 nodes = the 2 strongest links, widths 0.3 + 2.5 × strength / strongest
    assert len(edges.get_segments()) == 2
    np.testing.assert_allclose(edges.get_linewidths(), [0.3 + 2.5, 0.3 + 2.5 * 0.2 / 0.5])
    assert sorted(t.get_text() for t in ax.texts) == ["A", "B", "C", "D"]


def test_theme_heatmap_cells_are_the_counts():
    matrix = pd.DataFrame({"operations": [2, 0], "financing": [1, 3]}, index=["a", "b"])
    ax = food_figures.plot_theme_heatmap(matrix, "challenge", {"a": "A", "b": "B"}).axes[0]
    (mesh,) = [c for c in ax.collections if c.get_array() is not None]
    assert np.asarray(mesh.get_array()).reshape(2, 2).tolist() == [[2, 1], [0, 3]]
    assert [t.get_text() for t in ax.texts] == ["2", "1", "0", "3"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B"]
