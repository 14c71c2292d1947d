"""The ten TIESS food enterprises: per-case indicators, exact co-op vs non-profit tests, break-even, theme matrix.

Ten cases (six co-ops, four non-profits) can describe, not generalize: the tests here are exact (every possible
split of the ten is enumerated) and :func:`min_exact_p` says how small a p-value such a split can ever give.
Every function returns codes and numbers; the report layer labels and formats.
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


# How a figure is marked in the ``approximate`` column of :func:`case_indicators`: ``field`` (approximate), ``field≥``
# (a lower bound) or ``field≤`` (an upper bound).
LOWER, UPPER, APPROX = "≥", "≤", "≈"
# Each per-employee ratio and the figure it divides by the employees.
RATIO_NUMERATORS = {"revenue_per_employee": "revenue_cad", "volunteers_per_employee": "volunteers",
                    "members_per_employee": "members"}


def _optional(c: pd.DataFrame, column: str) -> pd.Series:
    """A nullable numeric column of the case table, all missing when the table predates it."""
    if column in c.columns:
        return c[column].astype("Float64")
    return pd.Series(pd.NA, index=c.index, dtype="Float64")


def parse_marks(approximate: object) -> dict[str, str]:
    """The marks of one ``approximate`` cell: ``"revenue_cad;volunteers≥"`` → ``{"revenue_cad": "≈",
    "volunteers": "≥"}``.

    Parameters
    ----------
    approximate : str
        A cell of the ``approximate`` column of :func:`case_indicators` (empty or missing: no mark).

    Returns
    -------
    dict
        Field → ``"≈"`` (approximate), ``"≥"`` (lower bound) or ``"≤"`` (upper bound).
    """
    marks: dict[str, str] = {}
    if not isinstance(approximate, str):
        return marks
    for item in (x for x in approximate.split(";") if x):
        if item.endswith((LOWER, UPPER)):
            marks[item[:-1]] = item[-1]
        else:
            marks[item] = APPROX
    return marks


def _ratio_mark(numerator: str | None, denominator: str | None) -> str | None:
    """The mark of numerator / denominator: a bound of the numerator stays a bound when the denominator is exact; a
    bound of the denominator flips; anything else inexact is approximate."""
    if numerator is None and denominator is None:
        return None
    if denominator is None:
        return numerator
    if numerator is None:
        return {LOWER: UPPER, UPPER: LOWER}.get(denominator, APPROX)
    if (numerator, denominator) in ((LOWER, UPPER), (UPPER, LOWER)):
        return numerator  # e.g. at least x divided by at most y: at least x / y
    return APPROX


def _join_marks(marks: dict[str, str]) -> str:
    return ";".join(f if m == APPROX else f"{f}{m}" for f, m in marks.items())


def case_indicators(cases: pd.DataFrame) -> pd.DataFrame:
    """One row per case: status group, age, food revenue, revenue, volunteers and members per employee.

    Parameters
    ----------
    cases : DataFrame
        The case table (:func:`analysis.food.load_cases`, or a selection of it).

    Returns
    -------
    DataFrame
        The case's identity and codes, its numbers as floats, ``food_revenue_cad`` (the food activity's revenue:
        the book's separate figure when it gives one, CSUR's grocery, else the whole revenue) and
        ``food_revenue_partial`` (True when the food activity is only part of the revenue), ``age_years``
        (reference year − founding year; when the book gives only a decade, reference year − the latest possible
        founding year ``founded_year_max``, marked as a lower bound), ``age_min`` / ``age_max`` (the ages the
        founding-year bounds allow; both equal the age when it is exact), the ratios of :data:`RATIO_INDICATORS`
        (missing when a term is missing or there is no employee; on the whole enterprise, so numerator and
        denominator cover the same activities) and ``approximate``: the ``;``-separated fields the book gives as
        approximate (``revenue_cad``) or as a bound (``volunteers≥``), with the ratios and the age derived from them
        (``volunteers_per_employee≥``, ``age_years≥``): see :func:`parse_marks`.

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
    food_part = _optional(c, "food_revenue_cad")
    out["food_revenue_cad"] = food_part.fillna(out["revenue_cad"])
    out["food_revenue_partial"] = (food_part.notna() & (food_part < out["revenue_cad"])).fillna(False).astype(bool)
    exact_age = out["reference_year"] - out["founded_year"]
    from_max = out["reference_year"] - _optional(c, "founded_year_max")
    from_min = out["reference_year"] - _optional(c, "founded_year_min")
    out["age_years"] = exact_age.fillna(from_max)
    out["age_min"] = exact_age.fillna(from_max)
    out["age_max"] = exact_age.fillna(from_min)
    emp = out["employees"].where(out["employees"] > 0)
    for ratio, numerator in RATIO_NUMERATORS.items():
        out[ratio] = out[numerator] / emp
    flags = []
    approximate = c["approximate_fields"] if "approximate_fields" in c else pd.Series([""] * len(c), index=c.index)
    lower = c["lower_bound_fields"] if "lower_bound_fields" in c else pd.Series([""] * len(c), index=c.index)
    for i, (a, b) in enumerate(zip(approximate.fillna(""), lower.fillna(""), strict=True)):
        marks = {x: APPROX for x in str(a).split(";") if x} | {x: LOWER for x in str(b).split(";") if x}
        derived: dict[str, str] = {}
        for ratio, numerator in RATIO_NUMERATORS.items():
            mark = _ratio_mark(marks.get(numerator), marks.get("employees"))
            if mark is not None and pd.notna(out[ratio].iloc[i]):
                derived[ratio] = mark
        if "revenue_cad" in marks and not out["food_revenue_partial"].iloc[i]:
            derived["food_revenue_cad"] = marks["revenue_cad"]
        if pd.isna(exact_age.iloc[i]) and pd.notna(from_max.iloc[i]):
            derived["age_years"] = LOWER
        flags.append(_join_marks(marks | derived))
    out["approximate"] = flags
    numeric = ["founded_year", "reference_year", "employees", "volunteers", "members", "revenue_cad",
               "food_revenue_cad", "age_years", "age_min", "age_max", *RATIO_INDICATORS]
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
        ``p_mannwhitney``, ``mean_difference``, ``p_permutation``, ``n_splits``, ``min_p`` (the smallest p
        the group sizes allow) and ``n_inexact`` (values the book gives only approximately or as a bound, used at
        their stated value: see the ``approximate`` column of :func:`case_indicators`); the tests are NaN when a
        group has fewer than two known values.

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
        marks = indicators.loc[d.index, "approximate"] if "approximate" in indicators else pd.Series(dtype=object)
        inexact = sum(col in parse_marks(m) for m in marks)
        row: dict[str, object] = {"indicator": col, "n_coop": len(x), "n_obnl": len(y),
                                  "median_coop": float(np.median(x)) if len(x) else math.nan,
                                  "median_obnl": float(np.median(y)) if len(y) else math.nan,
                                  "n_inexact": int(inexact)}
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
                                      "p_mannwhitney", "mean_difference", "p_permutation", "n_splits", "min_p",
                                      "n_inexact"])
    out[["n_splits", "n_inexact"]] = out[["n_splits", "n_inexact"]].astype(int)
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


def markup_to_margin(markup: float) -> float:
    """The share of the sale price that a markup on cost leaves as gross margin: m / (1 + m).

    A price set at cost × (1 + m) keeps m × cost of every sale of (1 + m) × cost: a 15 % markup is a gross margin of
    0.15 / 1.15 = 13.04 % of sales.

    Parameters
    ----------
    markup : float
        The markup as a fraction of cost, zero or more (0.15, not 15).

    Returns
    -------
    float
        The gross margin as a fraction of sales.

    Raises
    ------
    ParameterError
        ``markup`` negative or not a number.
    """
    if isinstance(markup, bool) or not isinstance(markup, (int, float, np.number)) or not 0 <= markup < math.inf:
        raise ParameterError(f"a markup must be a fraction of cost, zero or more (0.15, not 15), got {markup!r}",
                             field="markup")
    return float(markup) / (1 + float(markup))


# How a stated margin is read: as a share of the sale price, or as a markup on cost (the producers' price).
MARGIN_READINGS = ("share_of_sales", "markup_on_cost")


def margin_cases(cases: pd.DataFrame, fixed_cost: float) -> pd.DataFrame:
    """The distribution models whose gross margin the book states: margin per employee and break-even sales, under
    each reading the book leaves open.

    Assumes the stated revenue is the gross value of sales on which the margin is charged (the book does not say
    whether producers' share passes through the revenue). A margin whose ``margin_basis`` is ``sales`` (a margin
    asked of producers on their sales) has one reading, ``share_of_sales``: gross margin = revenue × margin. A
    margin whose basis is ``unstated`` (a margin "charged to members", which may be added to the producers' price)
    also gets the ``markup_on_cost`` reading: the margin on sales is then m / (1 + m) (:func:`markup_to_margin`),
    so 15 % charged on top of cost is 13.0 % of sales and break-even sales at 100 000 $ of fixed cost are
    766 667 $ instead of 666 667 $. A table without ``margin_basis`` is read as ``sales``.

    Parameters
    ----------
    cases : DataFrame
        The case table (:func:`analysis.food.load_cases`).
    fixed_cost : float
        Annual fixed cost (CAD) the margin must cover.

    Returns
    -------
    DataFrame
        One row per case with a stated margin and reading, largest margin first, ``share_of_sales`` before
        ``markup_on_cost``: ``margin`` (the stated fraction), ``reading`` (a code of :data:`MARGIN_READINGS`),
        ``margin_on_sales`` (the fraction of sales kept under that reading), ``revenue_cad``, ``employees``,
        ``gross_margin_cad``, ``gross_margin_per_employee``, ``fixed_cost``, ``break_even_sales`` and
        ``sales_to_break_even`` (revenue / break-even sales).
    """
    require_frame(cases, "cases", ("case_id", "name", "gross_margin_pct", "revenue_cad", "employees"),
                  hint=_CASES_HINT)
    require_positive(fixed_cost, "fixed_cost", allow_zero=True)
    c = cases[cases["gross_margin_pct"].notna()]
    basis = c["margin_basis"].fillna("sales") if "margin_basis" in c else pd.Series("sales", index=c.index)
    rows = []
    for (_, case), base in zip(c.iterrows(), basis, strict=True):
        margin = float(case["gross_margin_pct"]) / 100
        readings = ("share_of_sales",) if base == "sales" else MARGIN_READINGS
        for reading in readings:
            on_sales = margin if reading == "share_of_sales" else markup_to_margin(margin)
            rows.append({"case_id": str(case["case_id"]), "name": str(case["name"]), "margin": margin,
                         "reading": reading, "margin_on_sales": on_sales,
                         "revenue_cad": float(case["revenue_cad"]) if pd.notna(case["revenue_cad"]) else math.nan,
                         "employees": float(case["employees"]) if pd.notna(case["employees"]) else math.nan})
    columns = ["case_id", "name", "margin", "reading", "margin_on_sales", "revenue_cad", "employees"]
    out = pd.DataFrame(rows, columns=columns)
    employees = out["employees"]
    out["gross_margin_cad"] = out["revenue_cad"] * out["margin_on_sales"]
    out["gross_margin_per_employee"] = out["gross_margin_cad"] / employees.where(employees > 0)
    out["fixed_cost"] = float(fixed_cost)
    out["break_even_sales"] = [break_even_sales(fixed_cost, m) for m in out["margin_on_sales"]]
    out["sales_to_break_even"] = out["revenue_cad"] / out["break_even_sales"]
    order = out["reading"].map({r: i for i, r in enumerate(MARGIN_READINGS)})
    out = out.assign(_order=order).sort_values(["margin", "_order"], ascending=[False, True], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)


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


def _median_between(low: pd.Series, high: pd.Series) -> tuple[float, float]:
    """The smallest and largest median the values allow when each lies in [low, high]."""
    if len(low) == 0:
        return math.nan, math.nan
    return float(np.median(low.to_numpy(float))), float(np.median(high.to_numpy(float)))


def age_benchmark(indicators: pd.DataFrame, threshold: float = 30) -> dict[str, float]:
    """How many cases are older than ``threshold`` years (strictly), counting a case whose founding year the book
    gives only as a decade through its bounds.

    A case is known to be older when its youngest possible age (``age_min``) exceeds the threshold, known not to be
    when its oldest possible age (``age_max``) does not; otherwise (or with no age at all) it is unknown. Coop Alina,
    founded in the 1970s and in Rimouski by 1978, is at least 43 years old in 2021: older than 30.

    Parameters
    ----------
    indicators : DataFrame
        :func:`case_indicators` output (``age_years``; ``age_min`` and ``age_max`` when present, else the age is
        taken as exact).
    threshold : float
        Age in years; 30 matches the Québec indicator ``se_share_older_30y`` the report compares with.

    Returns
    -------
    dict
        ``n_known``, ``n_unknown``, ``n_older``, ``share_older`` (fraction of the known), ``threshold``,
        ``n_bounded`` (known cases whose age is only bounded), ``age_median`` (NaN when the bounds leave it open)
        with ``age_median_low`` / ``age_median_high`` (the range the bounds allow, equal when it is determined).
    """
    require_frame(indicators, "indicators", ("age_years",), hint=_INDICATORS_HINT)
    require_positive(threshold, "threshold", allow_zero=True)
    low = indicators["age_min"] if "age_min" in indicators else indicators["age_years"]
    high = indicators["age_max"] if "age_max" in indicators else indicators["age_years"]
    low = low.astype(float)
    high = high.astype(float).where(high.notna(), np.inf).where(low.notna())
    older = low > threshold
    younger = high <= threshold
    known = older | younger
    n_known = int(known.sum())
    bounded = known & (low != high)
    med_low, med_high = _median_between(low.dropna(), high.dropna())
    return {"n_known": n_known, "n_unknown": int(len(indicators) - n_known), "n_older": int(older.sum()),
            "share_older": int(older.sum()) / n_known if n_known else math.nan, "threshold": float(threshold),
            "n_bounded": int(bounded.sum()),
            "age_median": med_low if med_low == med_high else math.nan,
            "age_median_low": med_low, "age_median_high": med_high}


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
