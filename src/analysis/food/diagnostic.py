"""Viability diagnostic of one enterprise: three-year ratios and trends, vulnerability flags, break-even sales, and
the enterprise's percentile among real peers (Co-operatives UK food co-ops, US food hubs).

Method, in the practice of co-op developers:

- **ratios as a share of revenue or sales**, as the co-op grocers' retail operations surveys report them by store
  size (Beers & Gutknecht 1997), and the liquidity, leverage and profitability ratios of the food-hub financial
  benchmarking study (Pirro et al. 2015, *Counting Values*), computed by :func:`analysis.food.ratios.compute_ratios`
  and completed here (gross margin, revenue per employee and per member, customer concentration, growth);
- the four **Tuckman & Chang (1991)** indicators of financial vulnerability (low equity, concentrated revenue, low
  administrative costs, low margin), with the project's thresholds (:func:`analysis.food.ratios.tuckman_chang_flags`);
- **break-even sales** = fixed costs / gross margin rate (:func:`analysis.food.cases.break_even_sales`), with the
  enterprise's own cost of goods as the only variable cost;
- **peer percentiles**: the share of comparable peers below the enterprise's latest value (ties count half), in
  nested peer groups from the narrowest (same size band; same legal status, age band and business model) to the
  widest; a group with fewer values than a minimum says so instead of giving a percentile. Unit-free ratios need no
  conversion; amounts (size bands, revenue per employee) are converted to Canadian dollars at a stated rate.

Domain functions return tables of codes and numbers; the report layer writes the page.

References
----------
Tuckman, H. P., & Chang, C. F. (1991). A methodology for measuring the financial vulnerability of charitable
nonprofit organizations. *Nonprofit and Voluntary Sector Quarterly*, 20(4), 445–460.

Pirro, E., et al. (2015). *Counting Values: Food Hub Financial Benchmarking Study*. Farm Credit East, Wallace Center
at Winrock International, Morse Marketing Connections, Farm Credit Council.

Beers, S., & Gutknecht, D. (1997). Retail operations survey shows co-op growth, challenges. *Cooperative Grocer*,
July–August 1997 (store-size groups; expenses and margins as a percentage of sales).

HM Revenue & Customs. Exchange rates: yearly averages, year to 31 December 2016 (CAD 1.817877 and USD 1.376045 per
£1), as bundled in the ``hmrc-rates`` repository (github.com/velikodniy/hmrc-rates, ``data/average/2016-12.csv``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from analysis.core.checks import require_frame, require_positive, require_type
from analysis.core.errors import ParameterError
from analysis.food import cases, coops_uk, foodhubs, ratios
from analysis.food.workbook import DETAIL_COLUMNS, FilledWorkbook, Profile

# Exchange rates (CAD per unit), HMRC yearly averages to 31 December 2016, the last year of the Co-operatives UK
# accounts; the US rate is the cross rate of the same table (1.817877 / 1.376045). See the module's References.
HMRC_2016_CAD_PER_GBP = 1.817877
HMRC_2016_USD_PER_GBP = 1.376045
CAD_PER_GBP = HMRC_2016_CAD_PER_GBP
CAD_PER_USD = HMRC_2016_CAD_PER_GBP / HMRC_2016_USD_PER_GBP
RATE_SOURCE = "hmrc_2016_yearly_average"

# The viability report's reference thresholds (params/viabilite_alimentaire/default.yaml): descriptive references
# to be discussed, not norms. The first four are the Tuckman–Chang thresholds of analysis.food.ratios.
DEFAULT_THRESHOLDS: dict[str, float] = {
    **ratios.DEFAULT_TC_THRESHOLDS,
    "current_ratio_min": 1.0,
    "debt_ratio_max": 0.8,
    "months_reserve_min": 3.0,
    "grant_dependence_max": 0.5,
}

# Ratios of each year, in the order the page shows them.
METRICS = (
    "total_revenue", "revenue_growth", "operating_margin", "gross_margin", "current_ratio", "months_reserve",
    "debt_ratio", "equity_ratio", "equity_to_revenue", "grant_dependence", "revenue_concentration",
    "customer_top1_share", "admin_cost_ratio", "revenue_per_employee", "revenue_per_member", "break_even_coverage",
)
# How much a metric must move over the three years to count as a change (absolute, or relative for amounts).
TREND_TOLERANCE: dict[str, tuple[str, float]] = {
    "total_revenue": ("relative", 0.02), "revenue_growth": ("absolute", 0.01),
    "operating_margin": ("absolute", 0.01), "gross_margin": ("absolute", 0.01), "current_ratio": ("absolute", 0.05),
    "months_reserve": ("absolute", 0.25), "debt_ratio": ("absolute", 0.01), "equity_ratio": ("absolute", 0.01),
    "equity_to_revenue": ("absolute", 0.01), "grant_dependence": ("absolute", 0.01),
    "revenue_concentration": ("absolute", 0.01), "customer_top1_share": ("absolute", 0.01),
    "admin_cost_ratio": ("absolute", 0.005), "revenue_per_employee": ("relative", 0.02),
    "revenue_per_member": ("relative", 0.02), "break_even_coverage": ("absolute", 0.02),
}
# The direction that deserves a question when choosing the points to discuss (never shown as a verdict).
ATTENTION_DIRECTION: dict[str, str] = {
    "total_revenue": "down", "operating_margin": "down", "gross_margin": "down", "current_ratio": "down",
    "months_reserve": "down", "debt_ratio": "up", "equity_ratio": "down", "equity_to_revenue": "down",
    "grant_dependence": "up", "revenue_concentration": "up", "customer_top1_share": "up",
    "revenue_per_employee": "down", "break_even_coverage": "down",
}
# Metric of the enterprise → the same metric in each peer table (unit-free, or converted to CAD).
PEER_METRICS: dict[str, tuple[str, ...]] = {
    "uk": ("total_revenue", "revenue_growth_annual", "operating_margin", "equity_to_revenue",
           "revenue_per_employee", "revenue_per_member"),
    "us": ("total_revenue", "operating_margin"),
}
PEER_CURRENCY = {"uk": "GBP", "us": "USD"}
HUB_BUSINESS_MODELS = {"Primarily wholesale": "wholesale", "Primarily direct to consumer": "direct",
                       "Hybrid": "hybrid", "Other": "other"}


@dataclass(frozen=True)
class DiagnosticSettings:
    """Settings of the diagnostic (defaults documented in the module and in ``docs/diagnostic.md``).

    Parameters
    ----------
    min_peers : int
        Fewest peer values for a percentile; a smaller group is named and the next wider group used.
    uk_years : tuple of int
        First and last fiscal years of the Co-operatives UK accounts used as peers.
    revenue_bands_cad : tuple of float
        Lower edges (CAD, left-closed) of the size bands above the first.
    age_bands_years : tuple of float
        Upper edges (years, right-closed) of the age bands below the last, as in
        :func:`analysis.food.foodhubs.breakeven_by_age` (≤ 5 years = start-up).
    cad_per_gbp, cad_per_usd : float
        Exchange rates used to place a Canadian enterprise in the peers' size bands.
    rate_source : str
        Where the rates come from (shown on the page).
    hub_exclude_flags : tuple of str
        Data-quality flags of the food-hub survey whose rows are left out of the peers.
    thresholds : mapping of str to float
        Reference points of the flags (Tuckman–Chang and the viability report's thresholds).
    low_percentile, high_percentile : float
        Percentiles under and over which a ratio is pointed out.
    n_points : int
        Points to discuss on the page.
    """

    min_peers: int = 20
    uk_years: tuple[int, int] = (2011, 2016)
    revenue_bands_cad: tuple[float, ...] = (250_000.0, 1_000_000.0, 5_000_000.0)
    age_bands_years: tuple[float, ...] = (5.0, 10.0)
    cad_per_gbp: float = CAD_PER_GBP
    cad_per_usd: float = CAD_PER_USD
    rate_source: str = RATE_SOURCE
    hub_exclude_flags: tuple[str, ...] = foodhubs.DEFAULT_EXCLUDE_FLAGS
    thresholds: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    low_percentile: float = 25.0
    high_percentile: float = 75.0
    n_points: int = 3

    def check(self) -> DiagnosticSettings:
        """Return self if every value is usable; else raise :class:`ParameterError` naming the parameter."""
        if not isinstance(self.min_peers, int) or isinstance(self.min_peers, bool) or self.min_peers < 1:
            raise ParameterError(f"expected a whole number ≥ 1, got {self.min_peers!r}", field="min_peers")
        lo, hi = self.uk_years
        if not (1990 <= lo <= hi <= 2100):
            raise ParameterError(f"expected two years first ≤ last, got {self.uk_years!r}", field="uk_years")
        for name in ("revenue_bands_cad", "age_bands_years"):
            edges = list(getattr(self, name))
            if not edges or any(e <= 0 for e in edges) or edges != sorted(set(edges)):
                raise ParameterError(f"expected increasing positive edges, got {edges!r}", field=name)
        require_positive(self.cad_per_gbp, "cad_per_gbp")
        require_positive(self.cad_per_usd, "cad_per_usd")
        unknown = sorted(set(self.thresholds) - set(DEFAULT_THRESHOLDS))
        if unknown:
            raise ParameterError(f"unknown threshold(s) {', '.join(unknown)}; known: "
                                 f"{', '.join(DEFAULT_THRESHOLDS)}", field="thresholds")
        if not 0 <= self.low_percentile < self.high_percentile <= 100:
            raise ParameterError("expected 0 ≤ low_percentile < high_percentile ≤ 100", field="low_percentile")
        if not 2 <= self.n_points <= 5:
            raise ParameterError(f"expected 2 to 5 points to discuss, got {self.n_points!r}", field="n_points")
        return self

    def as_dict(self) -> dict[str, object]:
        """Plain values (for provenance)."""
        out = asdict(self)
        out["thresholds"] = dict(self.thresholds)
        return out


# --------------------------------------------------------------------------------------------------- ratios


def _safe_div(num: pd.Series, den: pd.Series) -> pd.Series:
    den = den.astype(float)
    return (num.astype(float) / den.where(den > 0)).astype(float)


def compute_year_ratios(statements: pd.DataFrame, details: pd.DataFrame) -> pd.DataFrame:
    """One row per fiscal year: totals, the viability ratios and the break-even sales.

    Ratios of :func:`analysis.food.ratios.compute_ratios` (operating margin, current ratio, debt and equity ratios,
    months of reserve, grant dependence, revenue concentration, administrative cost ratio), plus:

    - ``gross_margin`` = (sales − cost of goods sold) / sales;
    - ``equity_to_revenue`` = net assets / total revenue (the Co-operatives UK "member funds / turnover");
    - ``revenue_growth`` = revenue of the year / revenue of the year before − 1; ``revenue_growth_annual`` (last
      year only) = the annualised growth from the first to the last year;
    - ``revenue_per_employee`` (per full-time equivalent) and ``revenue_per_member`` (missing when there are none);
    - ``customer_top1_share`` and ``customer_top3_share`` = sales to the largest (three largest) customers / sales;
    - ``mission_grant_share`` = operating (mission) grants / public grants;
    - ``fixed_costs`` = wages + administration + other expenses (cost of goods sold is the only variable cost);
      ``break_even_sales`` = fixed costs / gross margin rate, the sales whose gross margin covers the fixed costs
      with no other revenue; ``break_even_sales_net`` = (fixed costs − other revenue) / gross margin rate, the sales
      at which the year's surplus is zero (0 when other revenue covers the fixed costs);
      ``break_even_coverage`` = sales / ``break_even_sales_net``.

    Parameters
    ----------
    statements : one row per year, :data:`analysis.food.ratios.TEMPLATE_COLUMNS` (one enterprise).
    details : one row per year, :data:`analysis.food.workbook.DETAIL_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        ``year`` and the columns above, sorted by year.

    Raises
    ------
    ParameterError
        A table lacks its columns, holds several enterprises, or the two tables' years differ.

    References
    ----------
    Tuckman & Chang (1991); Pirro et al. (2015); Beers & Gutknecht (1997) — see the module.
    """
    require_frame(statements, "statements", columns=ratios.TEMPLATE_COLUMNS)
    require_frame(details, "details", columns=DETAIL_COLUMNS)
    if statements["enterprise"].nunique() != 1:
        raise ParameterError("expected the statements of one enterprise", field="statements")
    s = statements.sort_values("year", kind="stable").reset_index(drop=True)
    d = details.sort_values("year", kind="stable").reset_index(drop=True)
    if list(s["year"].astype(int)) != list(d["year"].astype(int)):
        raise ParameterError("statements and details cover different years", field="details")
    base = ratios.compute_ratios(s).reset_index(drop=True)
    out = pd.DataFrame({"year": s["year"].astype(int)})
    out["total_revenue"] = base["total_revenue"]
    out["total_expenses"] = base["total_expenses"]
    out["surplus"] = base["total_revenue"] - base["total_expenses"]
    out["revenue_sales"] = s["revenue_sales"].astype(float)
    out["other_revenue"] = out["total_revenue"] - out["revenue_sales"]
    for col in ("operating_margin", "current_ratio", "debt_ratio", "equity_ratio", "months_reserve",
                "grant_dependence", "revenue_concentration", "admin_cost_ratio"):
        out[col] = base[col].astype(float)
    out["gross_margin"] = _safe_div(s["revenue_sales"] - s["expense_cost_of_goods"], s["revenue_sales"])
    out["equity_to_revenue"] = _safe_div(s["net_assets"], out["total_revenue"])
    out["revenue_growth"] = out["total_revenue"] / out["total_revenue"].shift(1) - 1
    n = len(out)
    annual = (out["total_revenue"].iloc[-1] / out["total_revenue"].iloc[0]) ** (1 / (n - 1)) - 1 if n > 1 else math.nan
    out["revenue_growth_annual"] = [math.nan] * (n - 1) + [annual] if n else []
    out["members"] = d["members"].astype(float)
    out["employees"] = d["employees"].astype(float)
    out["volunteers"] = d["volunteers"].astype(float)
    out["revenue_per_employee"] = _safe_div(out["total_revenue"], out["employees"])
    out["revenue_per_member"] = _safe_div(out["total_revenue"], out["members"])
    top = d[["customer_1", "customer_2", "customer_3"]].astype(float)
    out["customer_top1_share"] = _safe_div(top["customer_1"], out["revenue_sales"])
    out["customer_top3_share"] = _safe_div(top.sum(axis=1, min_count=1), out["revenue_sales"])
    grants = (d["grants_mission"] + d["grants_project"]).astype(float)
    out["mission_grant_share"] = _safe_div(d["grants_mission"], grants)
    out["fixed_costs"] = (s["expense_salaries"] + s["expense_administration"] + s["expense_other"]).astype(float)
    be, be_net = [], []
    for fixed, margin, other in zip(out["fixed_costs"], out["gross_margin"], out["other_revenue"], strict=True):
        if not (margin == margin and 0 < margin <= 1):
            be.append(math.nan)
            be_net.append(math.nan)
            continue
        be.append(cases.break_even_sales(fixed, margin))
        be_net.append(cases.break_even_sales(max(fixed - other, 0.0), margin))
    out["break_even_sales"] = be
    out["break_even_sales_net"] = be_net
    out["break_even_coverage"] = _safe_div(out["revenue_sales"], out["break_even_sales_net"])
    return out


def compute_trends(year_ratios: pd.DataFrame, metrics: Sequence[str] = METRICS) -> pd.DataFrame:
    """How each metric moved from the first to the last year: ``first``, ``last``, ``change`` and ``direction``.

    ``direction`` is ``"up"``, ``"down"`` or ``"stable"`` (a change within :data:`TREND_TOLERANCE`), or
    ``"unknown"`` when the first or last value is missing. For ``revenue_growth`` the first value is the second
    year's (the first year has no growth).

    Parameters
    ----------
    year_ratios : the table of :func:`compute_year_ratios`.
    metrics : which columns.

    Returns
    -------
    pandas.DataFrame
        ``metric, first_year, last_year, first, middle, last, change, direction``.
    """
    require_frame(year_ratios, "year_ratios", columns=("year", *metrics))
    r = year_ratios.sort_values("year", kind="stable").reset_index(drop=True)
    rows = []
    for metric in metrics:
        values = r[metric].astype(float)
        known = values.notna()
        first_i = int(np.flatnonzero(known.to_numpy())[0]) if known.any() else 0
        first, last = float(values.iloc[first_i]), float(values.iloc[-1])
        middle = float(values.iloc[len(r) // 2]) if len(r) >= 3 else math.nan
        change = last - first
        kind, tol = TREND_TOLERANCE.get(metric, ("absolute", 0.0))
        if math.isnan(first) or math.isnan(last) or first_i == len(r) - 1:
            direction = "unknown"
        else:
            size = abs(change) / abs(first) if kind == "relative" and first != 0 else abs(change)
            direction = "stable" if size <= tol + 1e-9 else ("up" if change > 0 else "down")  # 1e-9: float noise
        rows.append({"metric": metric, "first_year": int(r["year"].iloc[first_i]), "last_year": int(r["year"].iloc[-1]),
                     "first": first, "middle": middle, "last": last, "change": change, "direction": direction})
    return pd.DataFrame(rows)


def compute_flags(year_ratios: pd.DataFrame, thresholds: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Each year's value against each threshold: the four Tuckman–Chang (1991) indicators (through
    :func:`analysis.food.ratios.tuckman_chang_flags`) and the viability report's reference thresholds.

    A flag is raised when the value is strictly beyond its threshold (below a ``_min``, above a ``_max``); a
    missing value raises none.

    Parameters
    ----------
    year_ratios : the table of :func:`compute_year_ratios`.
    thresholds : overrides of :data:`DEFAULT_THRESHOLDS` (``<indicator>_min`` or ``<indicator>_max``).

    Returns
    -------
    pandas.DataFrame
        ``year, indicator, kind ("tuckman_chang" | "reference"), value, threshold, side ("min" | "max"),
        flagged``.

    References
    ----------
    Tuckman & Chang (1991), see the module.
    """
    th = {**DEFAULT_THRESHOLDS, **dict(thresholds or {})}
    require_frame(year_ratios, "year_ratios", columns=("year", *ratios.TUCKMAN_CHANG))
    tc_th = {k: th[k] for k in ratios.DEFAULT_TC_THRESHOLDS}
    tc = ratios.tuckman_chang_flags(year_ratios.assign(enterprise="_"), tc_th)
    rows = []
    for i, year in enumerate(year_ratios["year"].astype(int)):
        for key, limit in th.items():
            indicator, side = key.rsplit("_", 1)
            value = float(year_ratios[indicator].iloc[i])
            if indicator in ratios.TUCKMAN_CHANG:
                flagged, kind = bool(tc[f"flag_{indicator}"].iloc[i]), "tuckman_chang"
            else:
                flagged = bool(value < limit) if side == "min" else bool(value > limit)
                kind = "reference"
            rows.append({"year": year, "indicator": indicator, "kind": kind, "value": value,
                         "threshold": float(limit), "side": side, "flagged": flagged and value == value})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------------- peers


def band_index(value: float, edges: Sequence[float], closed: str = "left") -> int | None:
    """Which band ``value`` falls in, counting from 0: ``closed="left"`` → bands ``[e_i, e_{i+1})`` (sizes),
    ``"right"`` → ``(e_i, e_{i+1}]`` (ages: 5 years falls in the first band of edges (5, 10)); ``None`` if NaN."""
    if value is None or value != value:
        return None
    return int(np.searchsorted(np.asarray(edges, dtype=float), float(value), side="right" if closed == "left"
                               else "left"))


def uk_peer_table(economy: pd.DataFrame, orgs: pd.DataFrame, settings: DiagnosticSettings | None = None
                  ) -> pd.DataFrame:
    """Co-operatives UK food co-ops, one row each: its latest accounts within ``settings.uk_years``.

    Food co-ops are those :func:`analysis.food.coops_uk.classify_sector` puts in the ``food`` group (SIC codes of
    agriculture, food processing, food wholesale and retail). Only accounts with a positive turnover are used.
    Amounts are converted from GBP to CAD at ``settings.cad_per_gbp``; ratios are unit-free.

    Parameters
    ----------
    economy : :func:`analysis.food.coops_uk.load_economy`'s table.
    orgs : :func:`analysis.food.coops_uk.load_organisations`'s table (classified here if needed).
    settings : the years, size bands and exchange rate.

    Returns
    -------
    pandas.DataFrame
        ``org_id, fiscal_year, food_subsector, turnover_gbp, total_revenue (CAD), size_band, operating_margin
        (profit before tax / turnover), equity_to_revenue (member funds / turnover), revenue_per_employee,
        revenue_per_member (CAD), revenue_growth_annual`` (first to last accounts within the years, at least 0.9
        year apart). ``attrs``: accounts and co-ops counted at each step.
    """
    settings = (settings or DiagnosticSettings()).check()
    require_frame(economy, "economy", columns=("org_id", "year_end", "fiscal_year", "turnover", "profit_before_tax",
                                               "member_funds", "memberships", "employees"))
    require_frame(orgs, "orgs", columns=("org_id",))
    acc = coops_uk.accounts_with_ratios(economy, orgs)
    lo, hi = settings.uk_years
    food = acc.loc[acc["sector_group"] == "food"]
    window = food.loc[food["fiscal_year"].between(lo, hi)]
    usable = window.loc[window["turnover"] > 0].sort_values(["org_id", "year_end"], kind="stable")
    first = usable.groupby("org_id", sort=True).first()
    last = usable.groupby("org_id", sort=True).last()
    span = (last["year_end"] - first["year_end"]).dt.days / 365.25
    # one set of accounts (span 0) has no growth: mask after the power, since 1 ** NaN is 1 in numpy
    growth = ((last["turnover"] / first["turnover"]) ** (1 / span.clip(lower=0.9)) - 1).where(span >= 0.9)
    growth = growth.astype(float)
    rate = settings.cad_per_gbp
    out = pd.DataFrame({
        "org_id": last.index.astype(str),
        "fiscal_year": last["fiscal_year"].astype(int).to_numpy(),
        "food_subsector": last["food_subsector"].astype(str).to_numpy(),
        "turnover_gbp": last["turnover"].astype(float).to_numpy(),
    })
    out["total_revenue"] = out["turnover_gbp"] * rate
    out["size_band"] = [band_index(v, settings.revenue_bands_cad) for v in out["total_revenue"]]
    out["operating_margin"] = last["profit_margin"].astype(float).to_numpy()
    out["equity_to_revenue"] = last["member_funds_ratio"].astype(float).to_numpy()
    employees = last["employees"].astype(float).where(last["employees"] > 0).to_numpy()
    members = last["memberships"].astype(float).where(last["memberships"] > 0).to_numpy()
    out["revenue_per_employee"] = out["total_revenue"] / employees
    out["revenue_per_member"] = out["total_revenue"] / members
    out["revenue_growth_annual"] = growth.to_numpy()
    out.attrs = {"food_accounts": int(len(food)), "food_coops": int(food["org_id"].nunique()),
                 "accounts_in_years": int(len(window)), "coops_in_years": int(window["org_id"].nunique()),
                 "coops_with_turnover": int(len(out))}
    return out


def hub_peer_table(hubs: pd.DataFrame, settings: DiagnosticSettings | None = None) -> pd.DataFrame:
    """US National Food Hub Survey responses, one row each, for peer groups.

    Responses carrying one of ``settings.hub_exclude_flags`` (implausible expense ratio, duplicated hub-year) are
    left out, as in :func:`analysis.food.foodhubs.compute_by_status`. A hub may answer several waves (the survey
    has no stable identifier), so the rows are responses. ``operating_margin`` = 1 − expenses / revenue;
    ``total_revenue`` is converted from USD to CAD at ``settings.cad_per_usd``.

    Parameters
    ----------
    hubs : :func:`analysis.food.foodhubs.load_food_hub_survey`'s table.
    settings : the flags to leave out, the age bands and the exchange rate.

    Returns
    -------
    pandas.DataFrame
        ``source_line, survey_year, legal_status, business_model (wholesale/direct/hybrid/other/""),
        years_in_operation, age_band, total_revenue (CAD), revenue_usd, operating_margin, grant_dependence``.
    """
    settings = (settings or DiagnosticSettings()).check()
    require_frame(hubs, "hubs", columns=("source_line", "survey_year", "legal_status", "business_model",
                                         "years_in_operation", "revenue", "oer", "grant_dependence", "flags"))
    kept = hubs.loc[~foodhubs.has_flag(hubs, settings.hub_exclude_flags)] if settings.hub_exclude_flags else hubs
    out = pd.DataFrame({
        "source_line": kept["source_line"].astype(int).to_numpy(),
        "survey_year": kept["survey_year"].astype(int).to_numpy(),
        "legal_status": kept["legal_status"].astype(str).to_numpy(),
        "business_model": kept["business_model"].map(HUB_BUSINESS_MODELS).fillna("").astype(str).to_numpy(),
        "years_in_operation": kept["years_in_operation"].astype(float).to_numpy(),
        "revenue_usd": kept["revenue"].astype(float).to_numpy(),
        "operating_margin": (1 - kept["oer"].astype(float)).to_numpy(),
        "grant_dependence": kept["grant_dependence"].astype(object).to_numpy(),
    })
    out["age_band"] = [band_index(v, settings.age_bands_years, closed="right") for v in out["years_in_operation"]]
    out["total_revenue"] = out["revenue_usd"] * settings.cad_per_usd
    out.attrs = {"responses": int(len(hubs)), "responses_kept": int(len(out)),
                 "responses_excluded": int(len(hubs) - len(out))}
    return out


@dataclass
class PeerGroup:
    """One group of peers: where from (``uk`` or ``us``), how narrow (``level`` 1 = narrowest), on which criteria
    (codes), and its rows."""

    group_id: str
    source: str
    level: int
    criteria: dict[str, object]
    frame: pd.DataFrame

    @property
    def year_column(self) -> str:
        return "fiscal_year" if self.source == "uk" else "survey_year"

    def summary(self) -> dict[str, object]:
        years = self.frame[self.year_column]
        return {"group_id": self.group_id, "source": self.source, "level": self.level,
                **{f"criterion_{k}": v for k, v in self.criteria.items()},
                "n": int(len(self.frame)), "year_min": int(years.min()) if len(years) else None,
                "year_max": int(years.max()) if len(years) else None, "currency": PEER_CURRENCY[self.source],
                "unit": "coops" if self.source == "uk" else "responses"}


def peer_groups(profile: Profile, total_revenue: float, age_years: float, uk: pd.DataFrame | None,
                hubs: pd.DataFrame | None, settings: DiagnosticSettings | None = None) -> list[PeerGroup]:
    """The nested peer groups of one enterprise, narrowest first within each source.

    - Co-operatives UK food co-ops (``uk``): level 1 = same size band (revenue converted to CAD, bands
      ``settings.revenue_bands_cad``), level 2 = all sizes.
    - US food hubs (``us``): level 1 = same legal status, age band and business model; 2 = same status and model;
      3 = same status; 4 = every hub.

    Parameters
    ----------
    profile : the enterprise's profile (legal status and business model codes).
    total_revenue : the enterprise's latest total revenue, CAD.
    age_years : its age in its latest fiscal year (latest year − founding year).
    uk, hubs : the tables of :func:`uk_peer_table` and :func:`hub_peer_table` (``None`` when the data is absent).
    settings : bands and rates.

    Returns
    -------
    list of PeerGroup
    """
    settings = (settings or DiagnosticSettings()).check()
    require_type(profile, Profile, "profile", hint="the profile of analysis.food.workbook.read_workbook()")
    groups: list[PeerGroup] = []
    if uk is not None:
        require_frame(uk, "uk", columns=("size_band", "fiscal_year", *PEER_METRICS["uk"]))
        band = band_index(total_revenue, settings.revenue_bands_cad)
        groups.append(PeerGroup("uk1", "uk", 1, {"sector": "food", "size_band": band},
                                uk.loc[uk["size_band"] == band]))
        groups.append(PeerGroup("uk2", "uk", 2, {"sector": "food"}, uk))
    if hubs is not None:
        require_frame(hubs, "hubs", columns=("legal_status", "age_band", "business_model", "survey_year",
                                             *PEER_METRICS["us"]))
        age = band_index(age_years, settings.age_bands_years, closed="right")
        status, model = profile.legal_status, profile.business_model
        same_status = hubs["legal_status"] == status
        same_model = hubs["business_model"] == model
        groups.append(PeerGroup("us1", "us", 1, {"legal_status": status, "age_band": age, "business_model": model},
                                hubs.loc[same_status & same_model & (hubs["age_band"] == age)]))
        groups.append(PeerGroup("us2", "us", 2, {"legal_status": status, "business_model": model},
                                hubs.loc[same_status & same_model]))
        groups.append(PeerGroup("us3", "us", 3, {"legal_status": status}, hubs.loc[same_status]))
        groups.append(PeerGroup("us4", "us", 4, {}, hubs))
    return groups


def percentile_rank(value: float, peers: Sequence[float] | pd.Series | np.ndarray) -> float:
    """Percent of ``peers`` below ``value``, ties counting half (mid-rank): 3 among [1, 2, 3, 4] → 62.5.

    Missing peer values are ignored; a missing value or no peers gives NaN.
    """
    v = np.asarray(peers, dtype=float)
    v = v[~np.isnan(v)]
    if value is None or value != value or len(v) == 0:
        return math.nan
    below = float((v < value).sum())
    equal = float((v == value).sum())
    return 100.0 * (below + 0.5 * equal) / len(v)


def benchmark(latest: Mapping[str, float], groups: Sequence[PeerGroup], min_peers: int = 20) -> pd.DataFrame:
    """The enterprise's percentile in each peer group for each comparable metric.

    For each (group, metric): ``n`` peers with a value, ``percentile`` (:func:`percentile_rank`), the peers'
    quartiles, and ``status``: ``"ok"``, ``"below_min"`` (fewer than ``min_peers`` values: no percentile) or
    ``"no_value"`` (the enterprise's value is missing). ``chosen`` marks, per source and metric, the narrowest
    group with status ``ok``.

    Parameters
    ----------
    latest : the enterprise's latest values by metric (a row of :func:`compute_year_ratios`).
    groups : :func:`peer_groups`' result.
    min_peers : the fewest peer values that give a percentile.

    Returns
    -------
    pandas.DataFrame
        ``group_id, source, level, metric, value, n, percentile, q25, median, q75, status, chosen``.
    """
    require_positive(min_peers, "min_peers")
    rows = []
    for g in groups:
        require_type(g, PeerGroup, "groups")
        for metric in PEER_METRICS[g.source]:
            values = g.frame[metric].astype(float).dropna()
            value = latest.get(metric, math.nan)
            value = math.nan if value is None else float(value)
            n = int(len(values))
            if value != value:
                status = "no_value"
            elif n < min_peers:
                status = "below_min"
            else:
                status = "ok"
            ok = status == "ok"
            rows.append({"group_id": g.group_id, "source": g.source, "level": g.level, "metric": metric,
                         "value": value, "n": n, "percentile": percentile_rank(value, values) if ok else math.nan,
                         "q25": float(values.quantile(0.25)) if ok else math.nan,
                         "median": float(values.median()) if ok else math.nan,
                         "q75": float(values.quantile(0.75)) if ok else math.nan, "status": status})
    out = pd.DataFrame(rows, columns=["group_id", "source", "level", "metric", "value", "n", "percentile", "q25",
                                      "median", "q75", "status"])
    out["chosen"] = False
    ok = out.loc[out["status"] == "ok"].sort_values(["source", "metric", "level"], kind="stable")
    out.loc[ok.drop_duplicates(["source", "metric"]).index, "chosen"] = True
    return out


def grant_levels(group: PeerGroup) -> dict[str, object]:
    """Among a US peer group's responses that answered the question: shares not / somewhat / highly dependent on
    grants (the survey asks a level, not an amount, so it is shown beside the enterprise's share, never ranked)."""
    answers = group.frame["grant_dependence"].dropna()
    n = int(len(answers))
    shares = {level: (float((answers == level).mean()) if n else math.nan) for level in ("not", "somewhat", "highly")}
    return {"group_id": group.group_id, "n": n, **shares}


# --------------------------------------------------------------------------------------------------- points


def discussion_points(trends: pd.DataFrame, flags: pd.DataFrame, bench: pd.DataFrame, year_ratios: pd.DataFrame,
                      settings: DiagnosticSettings | None = None) -> pd.DataFrame:
    """The two to ``settings.n_points`` observations most worth discussing, in order, as codes and numbers.

    Candidates, in this order of priority: Tuckman–Chang flags in the latest year (``tc_flags``); sales below the
    break-even sales (``below_break_even``); metrics in the bottom quarter of their peers (``peer_low``, lowest
    percentile first); the largest move in the direction that deserves a question (``trend``); grants above the
    reference share (``grant_dependence``); sales that cover fixed costs only with other revenue
    (``other_revenue_needed``); metrics in the top quarter of their peers (``peer_high``, what sustains them). When
    fewer than two apply, the largest move of any direction is added (``trend``).

    Parameters
    ----------
    trends, flags, bench, year_ratios : the tables of :func:`compute_trends`, :func:`compute_flags`,
        :func:`benchmark` and :func:`compute_year_ratios`.
    settings : percentile limits, the grant reference and how many points.

    Returns
    -------
    pandas.DataFrame
        ``code, metric, year, value, reference, percentile, group_id, n, detail`` (unused fields empty).
    """
    settings = (settings or DiagnosticSettings()).check()
    latest = year_ratios.sort_values("year").iloc[-1]
    year = int(latest["year"])
    points: list[dict[str, object]] = []
    last_flags = flags.loc[(flags["year"] == year) & flags["flagged"] & (flags["kind"] == "tuckman_chang")]
    if len(last_flags):
        points.append({"code": "tc_flags", "year": year, "value": float(len(last_flags)),
                       "detail": ";".join(last_flags["indicator"])})
    coverage = float(latest["break_even_coverage"])
    if coverage == coverage and coverage < 1:
        points.append({"code": "below_break_even", "year": year, "metric": "break_even_coverage", "value": coverage,
                       "reference": float(latest["break_even_sales_net"])})
    chosen = bench.loc[bench["chosen"] & (bench["metric"] != "total_revenue")]
    low = chosen.loc[chosen["percentile"] <= settings.low_percentile].sort_values(["percentile", "source"])
    seen_low: set[str] = set()
    for row in low.itertuples(index=False):
        if row.metric in seen_low:
            continue
        seen_low.add(row.metric)
        points.append({"code": "peer_low", "year": year, "metric": row.metric, "value": row.value,
                       "percentile": row.percentile, "group_id": row.group_id, "n": row.n, "reference": row.median})
    attention = trends.loc[trends["metric"].isin(list(ATTENTION_DIRECTION))
                           & (trends["direction"] == trends["metric"].map(ATTENTION_DIRECTION))].copy()
    if len(attention):
        attention["size"] = [_relative_size(r) for r in attention.itertuples(index=False)]
        top = attention.sort_values(["size", "metric"], ascending=[False, True]).iloc[0]
        points.append(_trend_point(top))
    grants = float(latest["grant_dependence"])
    limit = float(settings.thresholds.get("grant_dependence_max", DEFAULT_THRESHOLDS["grant_dependence_max"]))
    if grants == grants and grants > limit:
        points.append({"code": "grant_dependence", "year": year, "metric": "grant_dependence", "value": grants,
                       "reference": limit})
    plain = float(latest["break_even_sales"])
    if plain == plain and coverage == coverage and coverage >= 1 and latest["revenue_sales"] < plain:
        points.append({"code": "other_revenue_needed", "year": year, "metric": "break_even_sales",
                       "value": float(latest["revenue_sales"] / plain), "reference": plain})
    high = chosen.loc[chosen["percentile"] >= settings.high_percentile].sort_values(["percentile", "source"],
                                                                                     ascending=[False, True])
    for row in high.drop_duplicates("metric").itertuples(index=False):
        points.append({"code": "peer_high", "year": year, "metric": row.metric, "value": row.value,
                       "percentile": row.percentile, "group_id": row.group_id, "n": row.n, "reference": row.median})
    if len(points) < 2:
        moved = trends.loc[trends["direction"].isin(["up", "down"])].copy()
        if len(moved):
            moved["size"] = [_relative_size(r) for r in moved.itertuples(index=False)]
            for _, row in moved.sort_values(["size", "metric"], ascending=[False, True]).iterrows():
                candidate = _trend_point(row)
                if not any(p.get("code") == "trend" and p.get("metric") == candidate["metric"] for p in points):
                    points.append(candidate)
                    break
    columns = ["code", "metric", "year", "value", "reference", "percentile", "group_id", "n", "detail"]
    return pd.DataFrame(points[: settings.n_points], columns=columns)


def _relative_size(row) -> float:
    """How large a move is, comparable across metrics: the change in units of the metric's tolerance."""
    _, tol = TREND_TOLERANCE.get(row.metric, ("absolute", 0.01))
    kind = TREND_TOLERANCE.get(row.metric, ("absolute", 0.01))[0]
    size = abs(row.change) / abs(row.first) if kind == "relative" and row.first else abs(row.change)
    return float(size / tol) if tol else float(size)


def _trend_point(row) -> dict[str, object]:
    return {"code": "trend", "metric": row["metric"] if isinstance(row, pd.Series) else row.metric,
            "year": int(row["last_year"]), "value": float(row["last"]), "reference": float(row["first"]),
            "detail": f"{int(row['first_year'])};{row['direction']}"}


# --------------------------------------------------------------------------------------------------- all


@dataclass
class Diagnostic:
    """Everything the one-page diagnostic shows, as tables of codes and numbers."""

    profile: Profile
    years: list[int]
    is_synthetic: bool
    age_years: float
    year_ratios: pd.DataFrame
    trends: pd.DataFrame
    flags: pd.DataFrame
    groups: pd.DataFrame
    bench: pd.DataFrame
    grant_levels: dict[str, object] | None
    points: pd.DataFrame
    settings: DiagnosticSettings
    peer_counts: dict[str, dict[str, int]]
    missing_sources: list[str]


def build_diagnostic(filled: FilledWorkbook, uk: pd.DataFrame | None = None, hubs: pd.DataFrame | None = None,
                     settings: DiagnosticSettings | None = None) -> Diagnostic:
    """The whole diagnostic of a filled workbook against the peer tables (either may be ``None`` when absent).

    Parameters
    ----------
    filled : :func:`analysis.food.workbook.read_workbook`'s result.
    uk : :func:`uk_peer_table`'s result, or ``None``.
    hubs : :func:`hub_peer_table`'s result, or ``None``.
    settings : :class:`DiagnosticSettings`.

    Returns
    -------
    Diagnostic
    """
    settings = (settings or DiagnosticSettings()).check()
    require_type(filled, FilledWorkbook, "filled", hint="read it with analysis.food.workbook.read_workbook()")
    yr = compute_year_ratios(filled.statements, filled.details)
    trends = compute_trends(yr)
    flags = compute_flags(yr, settings.thresholds)
    latest = yr.iloc[-1]
    age = float(latest["year"] - filled.profile.founded_year)
    groups = peer_groups(filled.profile, float(latest["total_revenue"]), age, uk, hubs, settings)
    bench = benchmark(latest.to_dict(), groups, settings.min_peers)
    summary = pd.DataFrame([g.summary() for g in groups])
    if summary.empty:
        summary = pd.DataFrame(columns=["group_id", "source", "level", "n", "year_min", "year_max", "currency",
                                        "unit"])
    levels = None
    for g in groups:
        if g.source == "us":
            candidate = grant_levels(g)
            if candidate["n"] >= settings.min_peers:
                levels = candidate
                break
    points = discussion_points(trends, flags, bench, yr, settings)
    counts = {"uk": dict(uk.attrs) if uk is not None else {}, "us": dict(hubs.attrs) if hubs is not None else {}}
    missing = [s for s, table in (("uk", uk), ("us", hubs)) if table is None]
    return Diagnostic(profile=filled.profile, years=filled.years, is_synthetic=filled.is_synthetic, age_years=age,
                      year_ratios=yr, trends=trends, flags=flags, groups=summary, bench=bench, grant_levels=levels,
                      points=points, settings=settings, peer_counts=counts, missing_sources=missing)
