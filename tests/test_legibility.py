"""What figures and tables draw, checked on their artists and markup (issue 16): round tick steps, rate-ratio labels
that do not overlap, the glossary's first-use links, one format per column even when two headers are equal."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from analysis.report import display, glossary
from analysis.report.figures import style as plots


def test_round_ticks_never_step_by_two_and_a_half():
    fig, ax = plots.new_figure("Part", "Année", "Part (%)")
    ax.plot([0, 1, 2], [0.0, 6.0, 12.5])
    plots.french_axis(ax, "y", "percent", decimals=0)
    fig.canvas.draw()
    ticks = [v for v in ax.get_yticks() if 0 <= v <= 12.5]
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:])}
    assert steps <= {1.0, 2.0, 5.0, 10.0}, ticks
    labels = [x.get_text() for x in ax.get_yticklabels()]
    assert "2\u00a0%" in labels or "5\u00a0%" in labels


def test_log_ticks_do_not_crowd_the_rate_ratio_axis():
    # the axis of issue 16: 0.67 to 1.5 drew "0,670,80,91,001,11,251,50"
    ticks = plots.log_ticks(0.62, 1.62)
    assert 1.0 in ticks and len(ticks) <= 6
    logs = np.log10(ticks)
    assert min(np.diff(logs)) >= (np.log10(1.62) - np.log10(0.62)) / 6 - 1e-12
    assert [plots.short_number(v) for v in (0.67, 0.8, 1.0, 1.25)] == ["0,67", "0,8", "1", "1,25"]
    fig, ax = plots.new_figure("Rapports de taux", "Rapport de taux", "Thème", size=(8, 3))
    ax.set_xscale("log")
    ax.set_xlim(0.62, 1.62)
    ax.scatter([0.7, 1.0, 1.4], [0, 1, 2])
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: plots.short_number(v)))
    assert plots.overlapping_texts(fig) == []


def test_spread_labels_hides_or_moves_overlapping_names():
    fig, ax = plots.new_figure("Réseau", "x", "y")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    texts = [ax.text(0.5, 0.5, f"Auteur {i}, A.", ha="center") for i in range(6)]  # six names on one point
    fig.canvas.draw()
    hidden = plots.spread_labels(ax, texts)
    assert plots.overlapping_texts(fig) == []
    assert 0 <= hidden < 6 and sum(t.get_visible() for t in texts) == 6 - hidden


def test_glossary_links_the_first_use_in_running_text_only():
    page = ('<h2 id="x">OER</h2><p>Le OER médian et le OER moyen.</p><table><tr><td>Lotka</td></tr></table>'
            '<p>La loi de Lotka.</p>')
    used = glossary.used_terms([page])
    assert [u.key for u in used] == ["lotka", "oer"]  # alphabetical: « loi de Lotka », « OER … »
    linked = glossary.link_first_uses(page, used)
    assert linked.count('href="#glossaire-oer"') == 1 and linked.count('href="#glossaire-lotka"') == 1
    assert '<h2 id="x">OER</h2>' in linked and "<td>Lotka</td>" in linked
    assert '<p>Le <a class="vigie-term" href="#glossaire-oer">OER</a> médian' in linked
    assert 'La loi de <a class="vigie-term" href="#glossaire-lotka">Lotka</a>.' in linked
    assert all(u.definition and u.term for u in glossary.terms("en"))


def test_two_columns_with_one_header_keep_their_own_formats(monkeypatch):
    out = []
    monkeypatch.setattr(display, "_publish", lambda data, metadata=None: out.append(data))
    df = pd.DataFrame({"practice": [1.0], "n_practices": [20]})
    display.show_table(df, columns={"practice": "Pratiques", "n_practices": "Pratiques"},
                       formats={"practice": "num2"}, lang="fr")
    html = out[0]["text/html"]
    assert ">1,00</td>" in html and ">20</td>" in html and "20,00" not in html
