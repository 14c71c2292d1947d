"""The ten TIESS food enterprises: per-case indicators, exact co-op vs non-profit tests, break-even, theme matrix.

Ten cases (six co-ops, four non-profits) can describe, not generalize: the tests here are exact (every possible
split of the ten is enumerated) and :func:`min_exact_p` says how small a p-value such a split can ever give.
Every function returns codes and numbers; the report layer (:mod:`analysis.report.viability`) labels and formats.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from analysis.core.checks import require_choice, require_frame, require_positive, require_type
from analysis.core.errors import ParameterError
from analysis.food.casebook import KINDS, LEGAL_STATUSES, THEMES

COOP_PREFIX = "coop_"
RATIO_INDICATORS = ("revenue_per_employee", "volunteers_per_employee", "members_per_employee")
CASE_COLUMNS = ("case_id", "name", "legal_status", "region", "geographic_zone", "territorial_scale",
                "food_system_roles", "founded_year", "reference_year", "employees", "volunteers", "members",
                "revenue_cad")
INDICATOR_COLUMNS = ("case_id", "name", "status_group", "geographic_zone", "food_system_roles", "age_years")
_CASES_HINT = "load it with food.load_cases()"
_INDICATORS_HINT = "make it with food.case_indicators(cases)"

# Québec survival shares the roadmap quotes (data/raw/ecosystem/indicators.csv), by (group, horizon in years).
QUEBEC_SURVIVAL_INDICATORS = {
    ("coop", 5): "coop_survival_5y",
    ("other", 5): "other_survival_5y",
    ("coop", 10): "coop_survival_10y",
    ("other", 10): "other_survival_10y",
}


def status_group(legal_status: pd.Series) -> pd.Series:
    """Group the legal statuses: ``"coop"`` for the three co-operative forms, ``"obnl"`` for non-profits.

    Parameters
    ----------
    legal_status : Series
        Codes of :data:`analysis.food.casebook.LEGAL_STATUSES`.

    Returns
    -------
    Series
        ``"coop"`` or ``"obnl"`` per row, same index.
    """
    require_type(legal_status, pd.Series, "legal_status", hint="pass cases['legal_status']")
    return legal_status.map(lambda s: "coop" if str(s).startswith(COOP_PREFIX) else "obnl").astype(str)


def _has_role(roles: pd.Series, role: str) -> pd.Series:
    return roles.fillna("").astype(str).map(lambda r: role in r.split(";")).astype(bool)


def case_indicators(cases: pd.DataFrame) -> pd.DataFrame:
    """One row per case: status group, age, revenue per employee, volunteers and members per employee.

    Parameters
    ----------
    cases : DataFrame
        The case table (:func:`analysis.food.load_cases`, or a selection of it).

    Returns
    -------
    DataFrame
        The case's identity and codes, its numbers as floats, ``age_years`` (reference year − founding year;
        missing when the book gives only a decade), the ratios of :data:`RATIO_INDICATORS` (missing when a term
        is missing or there is no employee) and ``approximate``: the ``;``-separated fields the book gives as
        approximate (``revenue_cad``) or as a lower bound (``volunteers≥``).

    Raises
    ------
    ParameterError
        ``cases`` is not a case table.
    """
    require_frame(cases, "cases", CASE_COLUMNS, hint=_CASES_HINT)
    c = cases.copy()
    out = pd.DataFrame({
        "case_id": c["case_id"].astype(str),
        "name": c["name"].astype(str),
        "legal_status": c["legal_status"].astype(str),
        "status_group": status_group(c["legal_status"]),
        "region": c["region"],
        "geographic_zone": c["geographic_zone"],
        "territorial_scale": c["territorial_scale"],
        "food_system_roles": c["food_system_roles"],
        "founded_year": c["founded_year"].astype("Float64"),
        "reference_year": c["reference_year"].astype("Float64"),
        "employees": c["employees"].astype("Float64"),
        "volunteers": c["volunteers"].astype("Float64"),
        "members": c["members"].astype("Float64"),
        "revenue_cad": c["revenue_cad"].astype("Float64"),
    })
    out["age_years"] = out["reference_year"] - out["founded_year"]
    emp = out["employees"].where(out["employees"] > 0)
    out["revenue_per_employee"] = out["revenue_cad"] / emp
    out["volunteers_per_employee"] = out["volunteers"] / emp
    out["members_per_employee"] = out["members"] / emp
    flags = []
    for a, b in zip(c.get("approximate_fields", pd.Series([""] * len(c))).fillna(""),
                    c.get("lower_bound_fields", pd.Series([""] * len(c))).fillna("")):
        items = [x for x in str(a).split(";") if x] + [f"{x}≥" for x in str(b).split(";") if x]
        flags.append(";".join(items))
    out["approximate"] = flags
    numeric = ["founded_year", "reference_year", "employees", "volunteers", "members", "revenue_cad", "age_years",
               *RATIO_INDICATORS]
    out[numeric] = out[numeric].astype(float)
    return out.reset_index(drop=True)


def summarize_range(values: pd.Series | Sequence[float]) -> dict[str, float]:
    """n, min, median and max of the non-missing values (the report quotes ranges, not means, for ten cases).

    Parameters
    ----------
    values : Series or sequence of numbers

    Returns
    -------
    dict
        ``{"n": int, "min": float, "median": float, "max": float}``; NaN statistics when nothing is known.
    """
    require_type(values, (pd.Series, list, tuple, np.ndarray), "values")
    v = pd.Series(values, dtype=float).dropna()
    return {"n": int(len(v)), "min": float(v.min()) if len(v) else math.nan,
            "median": float(v.median()) if len(v) else math.nan, "max": float(v.max()) if len(v) else math.nan}


def min_exact_p(n1: int, n2: int) -> float:
    """Smallest two-sided p-value an exact rank or permutation test can reach with groups of n1 and n2 (no ties).

    With every split of the pooled values equally likely, the most extreme split and its mirror image are the
    only ones as extreme as complete separation: p = 2 / C(n1 + n2, n1), capped at 1 (6 and 4 cases → 0.0095).

    Parameters
    ----------
    n1, n2 : int
        Group sizes (zero or more).

    Returns
    -------
    float
    """
    for value, name in ((n1, "n1"), (n2, "n2")):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ParameterError(f"expected a whole number of cases (0 or more), got {value!r}", field=name)
    return min(1.0, 2 / math.comb(n1 + n2, n1))


def permutation_test(x: Sequence[float], y: Sequence[float]) -> tuple[float, float, int]:
    """Exact two-sided permutation test of the difference in means, every split of the pooled values enumerated.

    Parameters
    ----------
    x, y : sequences of numbers
        The two groups (each at least one value).

    Returns
    -------
    tuple
        ``(mean(x) − mean(y), p, number of splits)``: p is the share of splits whose absolute difference is at
        least the observed one ([1, 2] vs [3, 4] → (−2, 1/3, 6)).

    References
    ----------
    Fisher, R. A. (1935). *The Design of Experiments*. Oliver & Boyd (randomization test).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.size == 0 or y.size == 0:
        raise ParameterError("each group needs at least one value", field="x" if x.size == 0 else "y")
    pooled = np.concatenate([x, y])
    n, k = len(pooled), len(x)
    observed = x.mean() - y.mean()
    total = pooled.sum()
    count = 0
    splits = 0
    for idx in itertools.combinations(range(n), k):
        s = pooled[list(idx)].sum()
        diff = s / k - (total - s) / (n - k)
        count += abs(diff) >= abs(observed) - 1e-9 * max(1.0, abs(observed))
        splits += 1
    return float(observed), count / splits, splits


def exact_group_tests(indicators: pd.DataFrame, columns: Sequence[str] = RATIO_INDICATORS) -> pd.DataFrame:
    """Co-ops vs non-profits, per indicator: sizes, medians, exact Mann–Whitney and exact permutation p-values.

    Parameters
    ----------
    indicators : DataFrame
        :func:`case_indicators` output (column ``status_group`` and the indicators).
    columns : sequence of str
        The indicators to compare (default: the three per-employee ratios).

    Returns
    -------
    DataFrame
        One row per indicator: ``n_coop``, ``n_obnl``, ``median_coop``, ``median_obnl``, ``u_statistic``,
        ``p_mannwhitney``, ``mean_difference``, ``p_permutation``, ``n_splits`` and ``min_p`` (the smallest p
        the group sizes allow); the tests are NaN when a group has fewer than two known values.

    References
    ----------
    Mann, H. B., & Whitney, D. R. (1947). On a test of whether one of two random variables is stochastically
    larger than the other. *Annals of Mathematical Statistics*, 18(1), 50–60 (exact distribution, ``scipy``).
    """
    columns = list(columns)
    require_frame(indicators, "indicators", ["status_group", *columns], hint=_INDICATORS_HINT)
    rows = []
    for col in columns:
        d = indicators[["status_group", col]].dropna()
        x = d.loc[d["status_group"] == "coop", col].to_numpy(float)
        y = d.loc[d["status_group"] == "obnl", col].to_numpy(float)
        row: dict[str, object] = {"indicator": col, "n_coop": len(x), "n_obnl": len(y),
                                  "median_coop": float(np.median(x)) if len(x) else math.nan,
                                  "median_obnl": float(np.median(y)) if len(y) else math.nan}
        if len(x) >= 2 and len(y) >= 2:
            mw = stats.mannwhitneyu(x, y, alternative="two-sided", method="exact")
            diff, p_perm, splits = permutation_test(x, y)
            row.update(u_statistic=float(mw.statistic), p_mannwhitney=float(mw.pvalue), mean_difference=diff,
                       p_permutation=p_perm, n_splits=splits, min_p=min_exact_p(len(x), len(y)))
        else:
            row.update(u_statistic=math.nan, p_mannwhitney=math.nan, mean_difference=math.nan,
                       p_permutation=math.nan, n_splits=0, min_p=math.nan)
        rows.append(row)
    out = pd.DataFrame(rows, columns=["indicator", "n_coop", "n_obnl", "median_coop", "median_obnl", "u_statistic",
                                      "p_mannwhitney", "mean_difference", "p_permutation", "n_splits", "min_p"])
    out["n_splits"] = out["n_splits"].astype(int)
    return out


def case_features(indicators: pd.DataFrame) -> pd.DataFrame:
    """Yes/no traits of each case for the Fisher tests: urban zone and three food-system roles.

    Parameters
    ----------
    indicators : DataFrame
        :func:`case_indicators` output.

    Returns
    -------
    DataFrame
        ``case_id``, ``status_group`` and one 1.0 / 0.0 column per trait (``urban``, ``retail_distribution``,
        ``online_platform``, ``ecological_production``); NaN when the trait was not coded (a zone the book
        leaves unsaid).
    """
    require_frame(indicators, "indicators", ("case_id", "status_group", "geographic_zone", "food_system_roles"),
                  hint=_INDICATORS_HINT)
    zone = indicators["geographic_zone"]
    urban = pd.Series(np.where(zone.isna(), np.nan, (zone == "urban").astype(float)), index=indicators.index)
    return pd.DataFrame({
        "case_id": indicators["case_id"],
        "status_group": indicators["status_group"],
        "urban": urban,
        "retail_distribution": _has_role(indicators["food_system_roles"], "retail_distribution").astype(float),
        "online_platform": _has_role(indicators["food_system_roles"], "online_platform").astype(float),
        "ecological_production": _has_role(indicators["food_system_roles"], "ecological_production").astype(float),
    })


def fisher_tests(features: pd.DataFrame, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Fisher's exact test of co-op/non-profit × trait yes/no, per trait.

    Parameters
    ----------
    features : DataFrame
        :func:`case_features` output.
    columns : sequence of str, optional
        The traits to test (default: every trait column).

    Returns
    -------
    DataFrame
        One row per trait: ``n`` (cases with the trait coded), the 2×2 counts ``coop_yes``, ``coop_no``,
        ``obnl_yes``, ``obnl_no``, the sample ``odds_ratio`` and the two-sided ``p_fisher``.

    References
    ----------
    Fisher, R. A. (1922). On the interpretation of χ² from contingency tables, and the calculation of P.
    *Journal of the Royal Statistical Society*, 85(1), 87–94 (exact test, ``scipy.stats.fisher_exact``).
    """
    require_frame(features, "features", ("status_group",), hint="make it with food.case_features(indicators)")
    columns = list(columns or [c for c in features.columns if c not in ("case_id", "status_group")])
    require_frame(features, "features", columns, hint="make it with food.case_features(indicators)")
    rows = []
    for col in columns:
        d = features[["status_group", col]].dropna()
        coop_yes = int(((d["status_group"] == "coop") & (d[col] == 1)).sum())
        coop_no = int(((d["status_group"] == "coop") & (d[col] == 0)).sum())
        obnl_yes = int(((d["status_group"] == "obnl") & (d[col] == 1)).sum())
        obnl_no = int(((d["status_group"] == "obnl") & (d[col] == 0)).sum())
        res = stats.fisher_exact([[coop_yes, coop_no], [obnl_yes, obnl_no]], alternative="two-sided")
        rows.append({"trait": col, "n": len(d), "coop_yes": coop_yes, "coop_no": coop_no, "obnl_yes": obnl_yes,
                     "obnl_no": obnl_no, "odds_ratio": float(res.statistic), "p_fisher": float(res.pvalue)})
    return pd.DataFrame(rows, columns=["trait", "n", "coop_yes", "coop_no", "obnl_yes", "obnl_no", "odds_ratio",
                                       "p_fisher"])


def break_even_sales(fixed_cost: float, margin: float) -> float:
    """Sales needed for the gross margin to cover a fixed cost: fixed cost / margin.

    Parameters
    ----------
    fixed_cost : float
        Annual fixed cost (CAD), zero or more.
    margin : float
        Gross margin as a fraction of sales, in (0, 1] (0.22, not 22).

    Returns
    -------
    float
        Break-even sales: 100 000 $ at 22 % → 454 545 $.

    Raises
    ------
    ParameterError
        ``margin`` outside (0, 1] or ``fixed_cost`` negative.
    """
    if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not 0 < margin <= 1:
        raise ParameterError(f"a gross margin must be a fraction in (0, 1] (0.22, not 22), got {margin!r}",
                             field="margin")
    require_positive(fixed_cost, "fixed_cost", allow_zero=True)
    return fixed_cost / margin


def margin_cases(cases: pd.DataFrame, fixed_cost: float) -> pd.DataFrame:
    """The distribution models whose gross margin the book states: margin per employee and break-even sales.

    Assumes the stated revenue is the gross value of sales on which the margin is charged (the book does not say
    whether producers' share passes through the revenue); gross margin = revenue × margin.

    Parameters
    ----------
    cases : DataFrame
        The case table (:func:`analysis.food.load_cases`).
    fixed_cost : float
        Annual fixed cost (CAD) the margin must cover.

    Returns
    -------
    DataFrame
        One row per case with a stated margin, largest margin first: ``margin`` (fraction), ``revenue_cad``,
        ``employees``, ``gross_margin_cad``, ``gross_margin_per_employee``, ``fixed_cost``, ``break_even_sales``
        and ``sales_to_break_even`` (revenue / break-even sales).
    """
    require_frame(cases, "cases", ("case_id", "name", "gross_margin_pct", "revenue_cad", "employees"),
                  hint=_CASES_HINT)
    require_positive(fixed_cost, "fixed_cost", allow_zero=True)
    c = cases[cases["gross_margin_pct"].notna()].copy()
    margin = c["gross_margin_pct"].astype(float) / 100
    revenue = c["revenue_cad"].astype(float)
    employees = c["employees"].astype(float)
    out = pd.DataFrame({
        "case_id": c["case_id"].astype(str),
        "name": c["name"].astype(str),
        "margin": margin,
        "revenue_cad": revenue,
        "employees": employees,
    })
    out["gross_margin_cad"] = revenue * margin
    out["gross_margin_per_employee"] = out["gross_margin_cad"] / employees.where(employees > 0)
    out["fixed_cost"] = float(fixed_cost)
    out["break_even_sales"] = [break_even_sales(fixed_cost, m) for m in margin]
    out["sales_to_break_even"] = revenue / out["break_even_sales"]
    return out.sort_values("margin", ascending=False, kind="stable").reset_index(drop=True)


def theme_matrix(statements: pd.DataFrame, cases: pd.DataFrame,
                 kinds: Sequence[str] = ("challenge", "success_factor")) -> pd.DataFrame:
    """Enterprise × theme counts of coded statements of the given kinds.

    Parameters
    ----------
    statements : DataFrame
        The coded statements (:func:`analysis.food.load_case_statements`).
    cases : DataFrame
        The cases to show, in row order (only ``case_id`` is used); statements of other cases are ignored.
    kinds : sequence of str
        Statement kinds counted (codes of ``KINDS``; default challenges and success factors).

    Returns
    -------
    DataFrame
        Integer counts indexed by ``case_id`` with one column per theme of ``THEMES``; every case and theme is
        present (zeros kept).
    """
    require_frame(statements, "statements", ("case_id", "kind", "theme"),
                  hint="load it with food.load_case_statements()")
    require_frame(cases, "cases", ("case_id",), hint=_CASES_HINT)
    for kind in kinds:
        require_choice(kind, KINDS, "kinds")
    s = statements[statements["kind"].isin(list(kinds))]
    counts = pd.crosstab(s["case_id"], s["theme"])
    ids = list(cases["case_id"].astype(str))
    return counts.reindex(index=ids, columns=list(THEMES), fill_value=0).astype(int).rename_axis(
        index="case_id", columns="theme")


def age_benchmark(indicators: pd.DataFrame, threshold: float = 30) -> dict[str, float]:
    """How many of the cases with a known founding year are older than ``threshold`` years (strictly).

    Parameters
    ----------
    indicators : DataFrame
        :func:`case_indicators` output.
    threshold : float
        Age in years; 30 matches the Québec indicator ``se_share_older_30y`` the report compares with.

    Returns
    -------
    dict
        ``n_known``, ``n_unknown``, ``n_older``, ``share_older`` (fraction of the known) and ``threshold``.
    """
    require_frame(indicators, "indicators", ("age_years",), hint=_INDICATORS_HINT)
    require_positive(threshold, "threshold", allow_zero=True)
    age = indicators["age_years"].dropna()
    older = int((age > threshold).sum())
    return {"n_known": int(len(age)), "n_unknown": int(indicators["age_years"].isna().sum()), "n_older": older,
            "share_older": older / len(age) if len(age) else math.nan, "threshold": float(threshold)}


def select_cases(cases: pd.DataFrame, statuses: Sequence[str], regions: Sequence[str] | None = None) -> pd.DataFrame:
    """The cases whose legal status is in ``statuses`` and, if ``regions`` is given, whose region is in it.

    Parameters
    ----------
    cases : DataFrame
        The case table (:func:`analysis.food.load_cases`).
    statuses : sequence of str
        Legal-status codes kept (``coop_consumer``, ``coop_solidarity``, ``coop_producer``, ``obnl``).
    regions : sequence of str, optional
        Regions kept, as written in the table; ``None`` keeps every case, including those with no stated region.

    Returns
    -------
    DataFrame
        The selected rows, renumbered.
    """
    require_frame(cases, "cases", ("legal_status", "region"), hint=_CASES_HINT)
    if isinstance(statuses, str):
        raise ParameterError(f"expected a list of legal statuses, got the text {statuses!r}", field="statuses")
    for status in statuses:
        require_choice(status, LEGAL_STATUSES, "statuses")
    if isinstance(regions, str):
        raise ParameterError(f"expected a list of regions or None, got the text {regions!r}", field="regions")
    keep = cases["legal_status"].isin(list(statuses))
    if regions is not None:
        keep &= cases["region"].isin(list(regions)).fillna(False).astype(bool)
    return cases[keep.to_numpy(bool)].reset_index(drop=True)


def count_differences(table: pd.DataFrame, recomputed: str, published: str) -> dict[str, int]:
    """Compare two count columns: how many rows have both, how many agree, and the largest absolute gap.

    Parameters
    ----------
    table : DataFrame
        A reconciliation table (:func:`analysis.food.reconcile_case_counts` or ``reconcile_theme_counts``).
    recomputed, published : str
        The two count columns.

    Returns
    -------
    dict
        ``n_compared``, ``n_equal``, ``n_diff`` and ``max_gap``.
    """
    require_frame(table, "table", (recomputed, published), hint="make it with food.reconcile_case_counts()")
    both = table[[recomputed, published]].dropna()
    gap = (both[recomputed].astype(float) - both[published].astype(float)).abs()
    return {"n_compared": int(len(both)), "n_equal": int((gap == 0).sum()), "n_diff": int((gap > 0).sum()),
            "max_gap": int(gap.max()) if len(gap) else 0}


def matrix_summary(matrix: pd.DataFrame) -> dict[str, object]:
    """Total count, the most cited theme and the case with most statements (first in table order on ties).

    Parameters
    ----------
    matrix : DataFrame
        :func:`theme_matrix` output.

    Returns
    -------
    dict
        ``total``, ``top_theme``, ``top_count``, ``top_case``, ``top_case_count``.
    """
    require_frame(matrix, "matrix", hint="make it with food.theme_matrix(statements, cases)")
    by_theme = matrix.sum(axis=0)
    by_case = matrix.sum(axis=1)
    return {"total": int(matrix.to_numpy().sum()), "top_theme": str(by_theme.idxmax()),
            "top_count": int(by_theme.max()), "top_case": str(by_case.idxmax()), "top_case_count": int(by_case.max())}


def quebec_survival(indicators: pd.DataFrame | None, fallback: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Québec survival rates of co-ops and other enterprises at 5 and 10 years.

    Parameters
    ----------
    indicators : DataFrame or None
        The ecosystem indicators table (:func:`analysis.ecosystem.indicators.load_indicators`); its rows
        ``coop_survival_5y``, ``other_survival_5y``, ``coop_survival_10y``, ``other_survival_10y`` of scope
        ``quebec`` (percent) are used first.
    fallback : mapping, optional
        The same rates in percent under the keys ``coop_5y``, ``other_5y``, ``coop_10y``, ``other_10y`` (the
        report's ``quebec_survival`` parameter), used for those the table lacks.

    Returns
    -------
    DataFrame
        ``group`` (``coop`` / ``other``), ``horizon`` (years), ``survival`` (fraction) and ``origin``
        (``indicators`` or ``parameter``); empty when neither source gives a rate.
    """
    if indicators is not None:
        require_frame(indicators, "indicators", ("indicator", "scope", "value"),
                      hint="load it with analysis.ecosystem.indicators.load_indicators()")
    if fallback is not None:
        require_type(fallback, Mapping, "fallback")
    rows = []
    for (group, horizon), name in QUEBEC_SURVIVAL_INDICATORS.items():
        value, origin = math.nan, ""
        if indicators is not None:
            hit = indicators[(indicators["indicator"] == name) & (indicators["scope"] == "quebec")]
            if len(hit) and pd.notna(hit["value"].iloc[0]):
                value, origin = float(hit["value"].iloc[0]), "indicators"
        if math.isnan(value) and fallback and f"{group}_{horizon}y" in fallback:
            value, origin = float(fallback[f"{group}_{horizon}y"]), "parameter"
        if not math.isnan(value):
            rows.append({"group": group, "horizon": float(horizon), "survival": value / 100, "origin": origin})
    return pd.DataFrame(rows, columns=["group", "horizon", "survival", "origin"])
