"""Emerging-theme GLM and Benjamini–Hochberg, checked on hand-made counts."""

import math

import numpy as np
import pandas as pd
import pytest

from analysis.core.errors import ParameterError
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




# --- issue 21: values the mutants changed without any test failing ---------------------------------------------

def _poisson_by_hand(years, counts, totals):
    """Poisson GLM ``log E[y] = log total + a + b·(year − mean year)`` by Newton–Raphson, written out with numpy
    (independent of statsmodels): (b, standard error of b)."""
    x = np.asarray(years, float) - np.mean(years)
    X = np.column_stack([np.ones_like(x), x])
    y = np.asarray(counts, float)
    offset = np.log(np.asarray(totals, float))
    beta = np.array([np.log(y.sum() / np.exp(offset).sum()), 0.0])
    for _ in range(50):
        mu = np.exp(X @ beta + offset)
        hessian = X.T @ (mu[:, None] * X)
        beta = beta + np.linalg.solve(hessian, X.T @ (y - mu))
    mu = np.exp(X @ beta + offset)
    cov = np.linalg.inv(X.T @ (mu[:, None] * X))
    return beta[1], float(np.sqrt(cov[1, 1])), mu


def test_bh_single_p_value_is_its_own_adjustment():
    # one test: nothing to adjust for (m = 1), so a lone theme can be flagged
    assert bh_adjust([0.03]).tolist() == [0.03]
    assert bh_adjust([np.nan, 0.2]).tolist()[1] == 0.2


def test_bh_keeps_input_order_and_all_missing():
    # sorted 0.3, 0.8 → 0.3·2/1 = 0.6, 0.8·2/2 = 0.8; returned in the input order
    assert bh_adjust([0.8, 0.3]) == pytest.approx([0.8, 0.6])
    # a missing p-value given as None (an object column) stays missing
    out = bh_adjust(pd.Series([0.5, None], dtype=object))
    assert out[0] == 0.5 and np.isnan(out[1])
    assert np.isnan(bh_adjust([np.nan, np.nan])).all()
    assert bh_adjust([]).shape == (0,)


def test_dispersion_without_degrees_of_freedom_is_missing():
    phi, p = dispersion_test([2, 4], [3, 3], 0)
    assert np.isnan(phi) and np.isnan(p)
    # χ² = (1-2)²/2 + (5-2)²/2 + 0 = 5 on 2 df: φ = 2.5, p = exp(-5/2) (χ²(2) survival function)
    phi, p = dispersion_test([1, 5, 2], [2, 2, 2], 2)
    assert phi == pytest.approx(2.5) and p == pytest.approx(np.exp(-2.5))


@pytest.mark.parametrize(("n_years", "model"), [(3, "insufficient"), (4, "poisson")])
def test_minimum_years_edge(n_years, model):
    # MIN_YEARS = 4: three years of 10 works each are too few years, four are enough
    r = fit_trend(range(2015, 2015 + n_years), [10] * n_years, [100] * n_years)
    assert r["model"] == model and r["n_years"] == n_years and r["n_works"] == 10 * n_years
    assert np.isnan(r["rate_ratio"]) == (model == "insufficient")


@pytest.mark.parametrize(("counts", "model"), [([1, 1, 1, 1], "insufficient"), ([1, 1, 1, 2], "poisson")])
def test_minimum_works_edge(counts, model):
    # MIN_WORKS = 5: four works over four years are too few, five are enough
    r = fit_trend(range(2015, 2019), counts, [100] * 4)
    assert r["model"] == model and r["n_works"] == sum(counts)


def test_one_distinct_year_is_insufficient():
    r = fit_trend([2020] * 4, [3, 3, 3, 3], [50] * 4)
    assert r["model"] == "insufficient" and r["n_years"] == 4 and r["n_works"] == 12
    assert sorted(r) == sorted(["model", "rate_ratio", "ci_low", "ci_high", "p_value", "dispersion",
                                "dispersion_p", "n_years", "n_works"])
    assert all(np.isnan(r[k]) for k in ("rate_ratio", "ci_low", "ci_high", "p_value", "dispersion",
                                        "dispersion_p"))


def test_two_distinct_years_are_enough():
    # four rows over two distinct years: 5 works in 2019, 7 in 2020 on 100 each → rate ratio 7/5
    r = fit_trend([2019, 2019, 2020, 2020], [2, 3, 3, 4], [50, 50, 50, 50])
    assert r["model"] == "poisson" and r["rate_ratio"] == pytest.approx(1.4, rel=1e-6)


def test_a_total_of_one_work_counts():
    # a year with a single work in the corpus is a year with exposure (only zero totals are left out)
    r = fit_trend(range(2015, 2019), [0, 2, 2, 2], [1, 100, 100, 100])
    assert r["n_years"] == 4 and r["n_works"] == 6 and r["model"] == "poisson"


def test_years_without_works_are_left_out():
    # the 2016 total is 0 (no exposure): that year is dropped, leaving 4 years and 8 works
    r = fit_trend(range(2015, 2020), [2, 0, 2, 2, 2], [100, 0, 100, 100, 100])
    assert r["n_years"] == 4 and r["n_works"] == 8
    assert r["rate_ratio"] == pytest.approx(1.0, abs=1e-6)


def test_confidence_bounds_and_p_value_against_a_hand_fit():
    years, counts, totals = range(2015, 2021), [3, 2, 5, 4, 6, 7], [100, 90, 110, 100, 105, 95]
    r = fit_trend(years, counts, totals)
    b, se, mu = _poisson_by_hand(years, counts, totals)
    assert r["model"] == "poisson"
    assert r["rate_ratio"] == pytest.approx(np.exp(b), rel=1e-6)
    assert r["ci_low"] == pytest.approx(np.exp(b - 1.959963984540054 * se), rel=1e-6)
    assert r["ci_high"] == pytest.approx(np.exp(b + 1.959963984540054 * se), rel=1e-6)
    # two-sided normal p-value, written with erfc
    assert r["p_value"] == pytest.approx(math.erfc(abs(b / se) / math.sqrt(2)), rel=1e-6)
    assert r["p_value"] == pytest.approx(0.0853, abs=1e-4)
    # Pearson dispersion of the hand fit on 6 − 2 = 4 residual degrees of freedom
    assert r["dispersion"] == pytest.approx(np.sum((np.array(counts) - mu) ** 2 / mu) / 4, rel=1e-6)


def test_doubling_share_confidence_bounds_by_formula():
    # the fit is exact (μ = y): b = ln 2 and var(b) = 1 / Σ y (x − x̄_y)², x̄_y the count-weighted mean year
    y = np.array([1, 2, 4, 8, 16, 32], float)
    x = np.arange(6.0)
    var = 1 / np.sum(y * (x - np.sum(y * x) / y.sum()) ** 2)
    r = fit_trend(range(2015, 2021), y, [1000] * 6)
    assert r["ci_low"] == pytest.approx(2 * np.exp(-1.959963984540054 * np.sqrt(var)), rel=1e-6)
    assert r["ci_high"] == pytest.approx(2 * np.exp(1.959963984540054 * np.sqrt(var)), rel=1e-6)
    assert r["dispersion"] == pytest.approx(0.0, abs=1e-9) and r["dispersion_p"] == pytest.approx(1.0)


def test_underdispersion_keeps_poisson_even_at_a_loose_level():
    # dispersion p ≈ 0.965 < 0.99, but φ ≈ 0.14 < 1: not overdispersed, Poisson stays
    r = fit_trend(range(2015, 2021), [3, 2, 5, 4, 6, 7], [100, 90, 110, 100, 105, 95], alpha_dispersion=0.99)
    assert r["dispersion_p"] < 0.99 and r["dispersion"] < 1 and r["model"] == "poisson"


def test_dispersion_level_is_the_argument():
    counts, totals = [5, 40, 3, 50, 2, 60, 4, 45], [100] * 8
    assert fit_trend(range(2010, 2018), counts, totals, alpha_dispersion=0.0)["model"] == "poisson"


MILD = (range(2010, 2020), [8, 3, 12, 5, 9, 14, 6, 15, 9, 16], [100] * 10)  # φ ≈ 1.59, dispersion p ≈ 0.121


def test_mild_overdispersion_below_the_level_keeps_poisson():
    r = fit_trend(*MILD)
    assert r["dispersion"] == pytest.approx(1.5927, abs=1e-4) and r["dispersion_p"] == pytest.approx(0.1211, abs=1e-4)
    assert r["model"] == "poisson"  # the test does not reject at 0.05
    # at a level just above its p-value it switches; at exactly its p-value (the rule is p < level) it does not
    assert fit_trend(*MILD, alpha_dispersion=0.5)["model"] == "negbin"  # 1 < φ < 2 is enough
    assert fit_trend(*MILD, alpha_dispersion=r["dispersion_p"])["model"] == "poisson"
    assert fit_trend(*MILD, alpha_dispersion=r["dispersion_p"] + 1e-9)["model"] == "negbin"


VARYING = [100, 120, 90, 150, 80, 160, 110, 140]


def test_overdispersed_trend_is_the_negative_binomial_fit():
    import statsmodels.api as sm  # the reference fit (heavy import, only here)

    # totals that vary (a constant exposure would only move the intercept)
    years, counts, totals = np.arange(2010, 2018), [5, 40, 3, 50, 2, 60, 4, 45], VARYING
    r = fit_trend(years, counts, totals)
    X = sm.add_constant(years - years.mean())
    nb = sm.NegativeBinomial(np.array(counts, float), X, exposure=np.array(totals, float),
                             loglike_method="nb2").fit(disp=0, maxiter=200)
    b, se = nb.params[1], nb.bse[1]
    assert r["model"] == "negbin"
    assert r["rate_ratio"] == pytest.approx(np.exp(b), rel=1e-6)
    assert r["ci_low"] == pytest.approx(np.exp(b - 1.959963984540054 * se), rel=1e-6)
    assert r["ci_high"] == pytest.approx(np.exp(b + 1.959963984540054 * se), rel=1e-6)
    assert r["p_value"] == pytest.approx(math.erfc(abs(b / se) / math.sqrt(2)), rel=1e-6)


class _FakeNegativeBinomial:
    """Stands in for statsmodels' NegativeBinomial: its fit reports the given convergence and standard errors,
    slope 0.5 (so an accepted fit shows rate ratio e^0.5)."""

    def __init__(self, retvals: dict, bse: list[float]) -> None:
        self.retvals, self.bse = retvals, bse

    def __call__(self, *args, **kwargs):
        return self

    def fit(self, **kwargs):
        return type("Fit", (), {"mle_retvals": self.retvals, "bse": np.array(self.bse),
                                "params": np.array([0.0, 0.5])})()


@pytest.mark.parametrize(("retvals", "bse", "model"), [
    ({"converged": False}, [0.1, 0.1], "quasi_poisson"),  # did not converge
    ({}, [0.1, 0.1], "negbin"),  # no convergence flag reported: taken as converged
    ({"converged": True}, [0.1, np.inf], "quasi_poisson"),  # converged, but an infinite standard error
])
def test_negative_binomial_is_used_only_when_it_converged(monkeypatch, retvals, bse, model):
    import statsmodels.api as sm  # the model replaced here (heavy import, only here)

    monkeypatch.setattr(sm, "NegativeBinomial", _FakeNegativeBinomial(retvals, bse))
    r = fit_trend(range(2010, 2018), [5, 40, 3, 50, 2, 60, 4, 45], [100] * 8)
    assert r["model"] == model
    if model == "negbin":
        assert r["rate_ratio"] == pytest.approx(np.exp(0.5))
        assert r["ci_low"] == pytest.approx(np.exp(0.5 - 1.959963984540054 * 0.1))


def test_quasi_poisson_fallback_is_the_pearson_scaled_poisson_fit(monkeypatch):
    import statsmodels.api as sm  # the reference fit and the model replaced (heavy import, only here)

    def refuse(*args, **kwargs):
        raise np.linalg.LinAlgError("singular")

    years, counts, totals = np.arange(2010, 2018), [5, 40, 3, 50, 2, 60, 4, 45], VARYING
    monkeypatch.setattr(sm, "NegativeBinomial", refuse)
    r = fit_trend(years, counts, totals)
    b, se, mu = _poisson_by_hand(years, counts, totals)
    scale = np.sum((np.array(counts) - mu) ** 2 / mu) / (8 - 2)  # Pearson χ² / df
    assert r["model"] == "quasi_poisson"
    assert r["rate_ratio"] == pytest.approx(np.exp(b), rel=1e-6)
    assert r["ci_high"] == pytest.approx(np.exp(b + 1.959963984540054 * se * np.sqrt(scale)), rel=1e-6)
    assert r["p_value"] == pytest.approx(math.erfc(abs(b / (se * np.sqrt(scale))) / math.sqrt(2)), rel=1e-6)


def test_a_fit_without_a_finite_standard_error_is_insufficient(monkeypatch):
    import statsmodels.api as sm  # the model replaced here (heavy import, only here)

    class NoError:
        def __init__(self, y, *args, **kwargs):
            self.y = np.asarray(y, float)

        def fit(self, **kwargs):
            return type("Fit", (), {"params": np.array([0.0, 0.3]), "bse": np.array([np.nan, np.nan]),
                                    "fittedvalues": self.y, "df_resid": 2.0})()

    monkeypatch.setattr(sm, "GLM", NoError)
    r = fit_trend(range(2015, 2019), [2, 3, 4, 5], [100] * 4)
    assert r["model"] == "insufficient" and np.isnan(r["rate_ratio"]) and r["n_works"] == 14


def test_single_theme_can_be_flagged_and_declining_themes_are():
    years = list(range(2015, 2021))
    up = pd.DataFrame({"theme": "up", "year": years, "n_theme": [1, 2, 4, 8, 16, 32], "n_total": [1000] * 6})
    e = compute_emerging_themes(up)
    assert e["p_adjusted"].tolist() == e["p_value"].tolist()
    assert e["emerging"].tolist() == [True] and e["declining"].tolist() == [False]
    down = up.assign(theme="down", n_theme=[32, 16, 8, 4, 2, 1])
    grow = up.assign(theme="grow", n_theme=[10, 15, 22, 34, 50, 76])  # rate ratio ≈ 1.5: emerging, not declining
    out = compute_emerging_themes(pd.concat([up, grow, down]))
    assert out.index.tolist() == [0, 1, 2] and out.columns.tolist()[:2] == ["theme", "n_works"]
    e = out.set_index("theme")
    assert e.index.tolist() == ["up", "grow", "down"]  # input order, not sorted
    assert 1.4 < e.loc["grow", "rate_ratio"] < 1.6
    assert bool(e.loc["grow", "emerging"]) and not bool(e.loc["grow", "declining"])
    assert not bool(e.loc["up", "declining"])
    assert e.loc["down", "rate_ratio"] == pytest.approx(0.5, rel=1e-6)
    assert bool(e.loc["down", "declining"]) and not bool(e.loc["down", "emerging"])
    assert e.loc["down", "n_works"] == 63 and e.loc["down", "n_years"] == 6


def test_level_is_a_strict_bound():
    years = list(range(2015, 2021))
    counts = pd.DataFrame({"theme": "t", "year": years, "n_theme": [3, 2, 5, 4, 6, 7],
                           "n_total": [100, 90, 110, 100, 105, 95]})
    p = compute_emerging_themes(counts)["p_adjusted"].iloc[0]
    assert not compute_emerging_themes(counts, level=p)["emerging"].iloc[0]
    assert compute_emerging_themes(counts, level=p + 1e-9)["emerging"].iloc[0]
    assert not compute_emerging_themes(counts)["emerging"].iloc[0]  # p ≈ 0.085 at the default 0.05


def test_empty_counts_give_the_columns():
    empty = pd.DataFrame(columns=["theme", "year", "n_theme", "n_total"])
    out = compute_emerging_themes(empty)
    assert out.empty and out.columns.tolist() == [
        "theme", "n_works", "n_years", "model", "dispersion", "dispersion_p", "rate_ratio", "ci_low", "ci_high",
        "p_value", "p_adjusted", "emerging", "declining"]


def test_works_table_is_refused_with_a_clear_message():
    with pytest.raises(ParameterError, match=r"\[counts\].*theme.*n_theme"):
        compute_emerging_themes(pd.DataFrame({"work_id": ["W1"], "year": [2020]}))
