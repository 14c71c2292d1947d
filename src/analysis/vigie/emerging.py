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

MIN_YEARS = 4
MIN_WORKS = 5


def bh_adjust(pvalues) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (step-up, monotone, capped at 1); NaN stays NaN, order kept."""
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
    """Pearson dispersion ``φ = Σ (y-μ)²/μ / df`` and the one-sided p-value of ``Σ (y-μ)²/μ`` under χ²(df)."""
    y = np.asarray(y, dtype=float)
    mu = np.asarray(mu, dtype=float)
    chi2 = float(np.sum((y - mu) ** 2 / mu))
    if df_resid <= 0:
        return float("nan"), float("nan")
    return chi2 / df_resid, float(stats.chi2.sf(chi2, df_resid))


def fit_trend(years, counts, totals, alpha_dispersion: float = 0.05) -> dict:
    """Rate ratio per year of ``counts`` with exposure ``totals``: model used, RR, 95 % CI, p-value, dispersion."""
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
    """One row per theme of a ``compute_theme_year_counts`` table: model, rate ratio, CI, p, BH-adjusted p, emerging.

    ``emerging`` is true when the adjusted p-value is below ``level`` and the rate ratio is above 1;
    ``declining`` when it is below ``level`` and the rate ratio is below 1.
    """
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


def plot_rate_ratios(emerging: pd.DataFrame, labels: dict[str, str], lang: str = "fr"):
    """Forest plot of the yearly rate ratios with their 95 % CI, log scale, emerging themes highlighted."""
    from analysis.report.figures import style as plots

    fr = lang == "fr"
    e = emerging.dropna(subset=["rate_ratio"]).sort_values("rate_ratio")
    fig, ax = plots.new_figure(
        "Évolution annuelle de la part de chaque thème" if fr else "Yearly change of each theme's share",
        "Rapport de taux annuel (échelle log; 1 = part stable)" if fr else "Yearly rate ratio (log scale; 1 = stable share)",
        "Thème" if fr else "Theme", size=(8, max(3.0, 0.4 * len(e) + 1.2)))
    ypos = np.arange(len(e))
    colors = [plots.HIGHLIGHT if flag else plots.BASE for flag in e["emerging"]]
    ax.errorbar(e["rate_ratio"], ypos, xerr=[e["rate_ratio"] - e["ci_low"], e["ci_high"] - e["rate_ratio"]],
                fmt="none", ecolor=plots.GREY, capsize=3)
    ax.scatter(e["rate_ratio"], ypos, c=colors, zorder=3)
    ax.axvline(1.0, color=plots.GREY, linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.set_yticks(ypos)
    ax.set_yticklabels([labels.get(t, t) for t in e["theme"]])
    lo = float(np.nanmin(e["ci_low"])) if len(e) else 0.9
    hi = float(np.nanmax(e["ci_high"])) if len(e) else 1.1
    grid = [0.25, 0.5, 0.67, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0, 3.0, 4.0]
    ticks = [t for t in grid if lo * 0.95 <= t <= hi * 1.05] or [1.0]
    ax.set_xticks(ticks)
    ax.xaxis.set_minor_formatter(plt_null())
    ax.xaxis.set_minor_locator(plt_nulloc())
    plots.french_axis(ax, "x", "number", decimals=2, lang=lang)
    ax.set_xticks(ticks)
    return fig


def plt_nulloc():
    from matplotlib.ticker import NullLocator

    return NullLocator()


def plt_null():
    from matplotlib.ticker import NullFormatter

    return NullFormatter()


def plot_documents_per_year(per_year: pd.DataFrame, lang: str = "fr"):
    """Bars: documents per publication year (``bibliometrics.documents_per_year`` output)."""
    from analysis.report.figures import style as plots

    fr = lang == "fr"
    fig, ax = plots.new_figure("Documents publiés par année" if fr else "Documents published per year",
                               "Année de publication" if fr else "Publication year",
                               "Nombre de documents" if fr else "Number of documents")
    ax.bar(per_year["year"].astype(int), per_year["documents"].astype(int), color=plots.BASE)
    plots.french_axis(ax, "x", "year", lang=lang)
    plots.french_axis(ax, "y", "number", lang=lang)
    return fig


def plot_citations_per_year(cites: pd.DataFrame, lang: str = "fr"):
    """Line: mean citations per document by publication year (``bibliometrics.citations_per_year`` output)."""
    from analysis.report.figures import style as plots

    fr = lang == "fr"
    fig, ax = plots.new_figure("Citations moyennes par document selon l'année" if fr else "Mean citations per document by year",
                               "Année de publication" if fr else "Publication year",
                               "Citations moyennes par document" if fr else "Mean citations per document")
    ax.plot(cites["year"].astype(int), cites["mean_citations_per_doc"].astype(float), marker="o", color=plots.BASE)
    plots.french_axis(ax, "x", "year", lang=lang)
    plots.french_axis(ax, "y", "number", decimals=1, lang=lang)
    return fig
