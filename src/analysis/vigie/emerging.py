"""Emerging themes: does a theme's share of publications grow from year to year?

For each theme, a count GLM of its yearly works on the year with the yearly total as exposure
(``log E[n_theme] = log n_total + a + b·year``): ``exp(b)`` is the yearly rate ratio of the theme's share.
Poisson first; when the Pearson dispersion test rejects equidispersion, a negative-binomial (NB2) model is used.
P-values are adjusted across themes with Benjamini–Hochberg.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from analysis.vigie.arguments import require_table

MIN_YEARS = 4
MIN_WORKS = 5


def bh_adjust(pvalues) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (step-up, monotone, capped at 1); NaN stays NaN, order kept.

    Parameters
    ----------
    pvalues : array-like of float

    Returns
    -------
    ndarray
        Adjusted p-values, in the input order.

    References
    ----------
    Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: a practical and powerful
    approach to multiple testing. *Journal of the Royal Statistical Society B*, 57(1), 289–300.
    """
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    m = int(ok.sum())
    if m == 0:
        return out
    q = p[ok]
    order = np.argsort(q, kind="mergesort")
    ranked = q[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    adj = np.empty(m)
    adj[order] = np.minimum(ranked, 1.0)
    out[ok] = adj
    return out


def dispersion_test(y, mu, df_resid: int) -> tuple[float, float]:
    """Pearson dispersion ``φ = Σ (y-μ)²/μ / df`` and the one-sided p-value of ``Σ (y-μ)²/μ`` under χ²(df).

    Parameters
    ----------
    y, mu : array-like
        Observed counts and fitted means.
    df_resid : int
        Residual degrees of freedom.

    Returns
    -------
    (float, float)
        φ and the p-value (NaN, NaN without degrees of freedom).

    References
    ----------
    Cameron, A. C., & Trivedi, P. K. (2013). *Regression Analysis of Count Data* (2nd ed.), §3.4. Cambridge
    University Press.
    """
    y = np.asarray(y, dtype=float)
    mu = np.asarray(mu, dtype=float)
    chi2 = float(np.sum((y - mu) ** 2 / mu))
    if df_resid <= 0:
        return float("nan"), float("nan")
    return chi2 / df_resid, float(stats.chi2.sf(chi2, df_resid))


def fit_trend(years, counts, totals, alpha_dispersion: float = 0.05) -> dict:
    """Yearly rate ratio of ``counts`` with exposure ``totals`` (count GLM ``log E[y] = log total + a + b·year``).

    Poisson first; when Pearson's dispersion test rejects equidispersion at ``alpha_dispersion`` (and φ > 1), a
    negative-binomial (NB2) model, or quasi-Poisson if it does not converge.

    Parameters
    ----------
    years, counts, totals : array-like
        One value per year (years with a zero total are left out).
    alpha_dispersion : float
        Level of the dispersion test.

    Returns
    -------
    dict
        ``model`` (``poisson``, ``negbin``, ``quasi_poisson``, or ``insufficient`` below MIN_YEARS years or
        MIN_WORKS works), ``rate_ratio`` (exp b), ``ci_low``, ``ci_high`` (95 %), ``p_value``, ``dispersion``,
        ``dispersion_p``, ``n_years``, ``n_works``.
    """
    # statsmodels takes about a second to import: only the trend model needs it (heavy import, kept local)
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    years = np.asarray(years, dtype=float)
    y = np.asarray(counts, dtype=float)
    exposure = np.asarray(totals, dtype=float)
    keep = exposure > 0
    years, y, exposure = years[keep], y[keep], exposure[keep]
    result = {"model": "none", "rate_ratio": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan,
              "dispersion": np.nan, "dispersion_p": np.nan, "n_years": int(len(y)), "n_works": int(y.sum())}
    if len(y) < MIN_YEARS or y.sum() < MIN_WORKS or np.unique(years).size < 2:
        result["model"] = "insufficient"
        return result
    x = years - years.mean()
    X = sm.add_constant(x, has_constant="add")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", (ConvergenceWarning, PerfectSeparationWarning, RuntimeWarning))
        pois = sm.GLM(y, X, family=sm.families.Poisson(), exposure=exposure).fit()
        phi, p_disp = dispersion_test(y, pois.fittedvalues, int(pois.df_resid))
        result.update(dispersion=phi, dispersion_p=p_disp)
        fit, model = pois, "poisson"
        if np.isfinite(p_disp) and p_disp < alpha_dispersion and phi > 1:
            try:
                nb = sm.NegativeBinomial(y, X, exposure=exposure, loglike_method="nb2").fit(disp=0, maxiter=200)
                if nb.mle_retvals.get("converged", True) and np.all(np.isfinite(nb.bse)):
                    fit, model = nb, "negbin"
                else:
                    raise ValueError("no convergence")
            except Exception:  # noqa: BLE001 — fall back to quasi-Poisson (Pearson-scaled errors)
                fit = sm.GLM(y, X, family=sm.families.Poisson(), exposure=exposure).fit(scale="X2")
                model = "quasi_poisson"
    b = float(np.asarray(fit.params)[1])
    se = float(np.asarray(fit.bse)[1])
    if not np.isfinite(se):
        result["model"] = "insufficient"
        return result
    z = b / se if se > 0 else np.inf
    result.update(model=model, rate_ratio=float(np.exp(b)), ci_low=float(np.exp(b - 1.959963984540054 * se)),
                  ci_high=float(np.exp(b + 1.959963984540054 * se)), p_value=float(2 * stats.norm.sf(abs(z))))
    return result


def compute_emerging_themes(counts: pd.DataFrame, level: float = 0.05) -> pd.DataFrame:
    """Emerging themes: one trend model per theme (:func:`fit_trend`), p-values BH-adjusted across themes.

    ``emerging`` is true when the adjusted p-value is below ``level`` and the rate ratio is above 1;
    ``declining`` when it is below ``level`` and the rate ratio is below 1.

    Parameters
    ----------
    counts : DataFrame
        From :func:`analysis.vigie.compute_theme_year_counts` (theme, year, n_theme, n_total).
    level : float
        False discovery rate.

    Returns
    -------
    DataFrame
        ``theme``, ``n_works``, ``n_years``, ``model``, ``dispersion``, ``dispersion_p``, ``rate_ratio``, ``ci_low``,
        ``ci_high``, ``p_value``, ``p_adjusted``, ``emerging``, ``declining``; themes in the input order.

    Raises
    ------
    ParameterError
        When ``counts`` is not a theme × year table (e.g. the works table).

    References
    ----------
    Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: a practical and powerful
    approach to multiple testing. *Journal of the Royal Statistical Society B*, 57(1), 289–300.
    """
    require_table(counts, "counts", ("theme", "year", "n_theme", "n_total"))
    rows = []
    for theme, g in counts.groupby("theme", sort=False):
        g = g.sort_values("year")
        r = fit_trend(g["year"], g["n_theme"], g["n_total"])
        rows.append({"theme": theme, **r})
    cols = ["theme", "n_works", "n_years", "model", "dispersion", "dispersion_p", "rate_ratio", "ci_low", "ci_high",
            "p_value"]
    out = pd.DataFrame(rows)
    if out.empty:
        return pd.DataFrame(columns=cols + ["p_adjusted", "emerging", "declining"])
    out = out[cols]
    out["p_adjusted"] = bh_adjust(out["p_value"].to_numpy())
    sig = out["p_adjusted"] < level
    out["emerging"] = sig & (out["rate_ratio"] > 1)
    out["declining"] = sig & (out["rate_ratio"] < 1)
    return out.reset_index(drop=True)
