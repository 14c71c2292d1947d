"""Emerging-theme GLM and Benjamini–Hochberg, checked on hand-made counts."""

import numpy as np
import pandas as pd
import pytest

from analysis.vigie.emerging import bh_adjust, compute_emerging_themes, dispersion_test, fit_trend


def test_bh_by_hand():
    # sorted 0.01, 0.03, 0.04 → 0.01·3/1 = 0.03, 0.03·3/2 = 0.045, 0.04·3/3 = 0.04 → monotone: 0.03, 0.04, 0.04
    assert bh_adjust([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.04, 0.04])
    out = bh_adjust([0.5, np.nan, 0.9])
    assert np.isnan(out[1]) and out[0] == pytest.approx(0.9) and out[2] == pytest.approx(0.9)
    assert bh_adjust([0.9, 0.95]).max() <= 1.0


def test_dispersion_by_hand():
    # Pearson χ² = (2-3)²/3 + (4-3)²/3 = 2/3 on 1 df
    phi, p = dispersion_test([2, 4], [3, 3], 1)
    assert phi == pytest.approx(2 / 3)
    assert p == pytest.approx(0.4142, abs=1e-3)


def test_doubling_share_gives_rate_ratio_two():
    r = fit_trend(range(2015, 2021), [1, 2, 4, 8, 16, 32], [1000] * 6)
    assert r["model"] == "poisson"
    assert r["rate_ratio"] == pytest.approx(2.0, rel=1e-6)
    assert r["ci_low"] < 2.0 < r["ci_high"]
    assert r["p_value"] < 1e-6


def test_exposure_is_used():
    # the theme doubles only because the whole corpus doubles: share constant → rate ratio 1
    r = fit_trend(range(2015, 2021), [5, 10, 20, 40, 80, 160], [50, 100, 200, 400, 800, 1600])
    assert r["rate_ratio"] == pytest.approx(1.0, abs=1e-6)
    assert r["p_value"] == pytest.approx(1.0, abs=1e-6)


def test_overdispersion_switches_model():
    r = fit_trend(range(2010, 2018), [5, 40, 3, 50, 2, 60, 4, 45], [100] * 8)
    assert r["dispersion"] > 5 and r["dispersion_p"] < 0.05
    assert r["model"] in ("negbin", "quasi_poisson")


def test_emerging_table():
    years = list(range(2015, 2021))
    counts = pd.DataFrame({
        "theme": ["up"] * 6 + ["flat"] * 6 + ["tiny"] * 6,
        "year": years * 3,
        "n_theme": [1, 2, 4, 8, 16, 32] + [50] * 6 + [0, 0, 1, 0, 0, 1],
        "n_total": [1000] * 18,
    })
    e = compute_emerging_themes(counts).set_index("theme")
    assert bool(e.loc["up", "emerging"]) and not bool(e.loc["flat", "emerging"])
    assert e.loc["flat", "rate_ratio"] == pytest.approx(1.0, abs=1e-6)
    assert e.loc["tiny", "model"] == "insufficient" and np.isnan(e.loc["tiny", "p_adjusted"])
    # BH over the two tested themes
    assert e.loc["up", "p_adjusted"] == pytest.approx(min(1, e.loc["up", "p_value"] * 2))


