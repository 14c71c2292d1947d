"""US National Food Hub Survey (2013–2025): load, clean, and compare hubs' viability by legal status.

Answers the roadmap's question "are co-operative food hubs more often at break-even than non-profit or
for-profit hubs, once age, size, grants and survey year are accounted for?" Rows are hub-year *responses*: the
same hub may answer several survey waves (the file has no stable hub identifier across waves), so counts are
responses. Functions return codes and numbers; the report layer labels and formats them.

References
----------
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference. *Journal of the
American Statistical Association*, 22(158), 209–212 (confidence intervals of the break-even shares).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import statsmodels.formula.api as smf

from analysis.core import paths
from analysis.core.checks import require_choice, require_frame, require_positive
from analysis.core.errors import InputFormatError, ParameterError, SchemaError
from analysis.core.stats import wilson_interval
from analysis.food._sources import input_path, require_input

SURVEY_FILE = "food_hubs/national_food_hub_survey_2013_2025.csv"
DIRECTORY_FILE = "food_hubs/usda_food_hub_directory_2026.xlsx"
SURVEY_DATASET = "food_hub_survey"  # names in the data registry (data/external.yml)
DIRECTORY_DATASET = "food_hub_directory"

LEGAL_STATUSES = ("cooperative", "nonprofit", "for_profit", "other")

# Survey answer (column LegalStat) -> normalized legal status. We recode from the raw answer rather than the
# survey's own LegalStatCat because LegalStatCat files "Publicly-owned" hubs (public markets, municipal
# programs) under "Cooperative"; here they are "other". Free-text "Other" answers go through
# _status_from_other_text().
RAW_STATUS = {
    "producer cooperative": "cooperative",
    "consumer cooperative": "cooperative",
    "producer-consumer cooperative": "cooperative",
    "nonprofit": "nonprofit",
    "non-profit": "nonprofit",
    "llc": "for_profit",
    "s corp": "for_profit",
    "c corp": "for_profit",
    "b corp": "for_profit",
    "l3c": "for_profit",
    "publicly-owned": "other",
    "publicly owned": "other",
    "no formal legal structure": "other",
}
SURVEY_CATEGORY = {
    "cooperative": "cooperative",
    "nonprofit": "nonprofit",
    "for-profit": "for_profit",
    "other": "other",
}

GRANT_LEVELS = {"Not at all dependent": "not", "Somewhat dependent": "somewhat", "Highly dependent": "highly"}

# Customer mix: the survey's own group totals (percent of sales). "Direct" is direct-to-consumer.
CUSTOMER_COLUMNS = {
    "CustomerType%_Direct": "cust_direct",
    "CustType%_RetailTotal": "cust_retail",
    "CustType%_DistTotal": "cust_wholesale",
    "CustType%_InstTotal": "cust_institution",
    "CustType%_OtherTotal": "cust_other",
}
NUMERIC_COLUMNS = {
    "Survey Year": "survey_year",
    "Year": "founding_year",
    "YearsinOperation": "years_in_operation",
    "Revenue": "revenue",
    "GrossSales": "gross_sales",
    "Expenses": "expenses",
    "OER": "oer_reported",
    "Customer%Total": "customer_total",
    **CUSTOMER_COLUMNS,
}
TEXT_COLUMNS = {
    "ID": "hub",
    "State": "state",
    "Region": "region",
    "LegalStat": "legal_status_raw",
    "LegalStat_Other_TEXT": "legal_status_other_text",
    "LegalStatCat": "legal_status_survey_raw",
    "BusModel": "business_model",
    "GrantDependence": "grant_dependence_raw",
}
# Tokens meaning "no answer" in numeric columns ("ND": question not asked that wave).
MISSING_TOKENS = {"", "ND", "NA", "N/A"}

# Plausibility thresholds for the operating expense ratio (expenses / revenue). Outside them the row is
# flagged ``oer_extreme``: e.g. 96 M$ revenue against 4 M$ expenses (OER 0.04) is almost surely a reporting
# error.
OER_LOW = 0.2
OER_HIGH = 5.0
DEFAULT_EXCLUDE_FLAGS = ("oer_extreme", "duplicate_hub_year")

# What each plausibility flag means (the report shows the same from its label catalogue, ``hubflag_<code>``).
FLAG_DESCRIPTIONS = {
    "oer_extreme": f"expense / revenue ratio outside [{OER_LOW}, {OER_HIGH}]",
    "duplicate_hub_year": "same hub identifier twice in the same wave",
    "revenue_below_1000": "annual revenue below $1,000",
    "sales_revenue_mismatch": "gross sales above 105 % or below 1 % of revenue",
    "oer_reported_differs": "published OER ≠ expenses / revenue (gap above 0.01)",
    "age_mismatch": "founding year + years in operation ≠ survey year (gap above 1)",
    "customer_total_off": "customer shares not adding up to 95–105 %",
    "status_recoded": "normalized legal status ≠ the survey's category",
}
# Why a response is left out of the break-even model (first reason only; "flag:<flag>" for an excluded flag).
MODEL_EXCLUSION_REASONS = ("missing_revenue", "missing_expenses", "missing_years_in_operation",
                           "missing_grant_dependence")
SURVEY_HINT = "load it with food.load_food_hub_survey()"


FOOD_HUB_SCHEMA = pa.DataFrameSchema(
    {
        "source_line": pa.Column(int, pa.Check.ge(2), unique=True),
        "survey_year": pa.Column(int, pa.Check.in_range(2000, 2100)),
        "hub": pa.Column(str),
        "legal_status": pa.Column(str, pa.Check.isin(LEGAL_STATUSES)),
        "legal_status_survey": pa.Column(str, pa.Check.isin(LEGAL_STATUSES)),
        "years_in_operation": pa.Column(float, pa.Check.ge(0), nullable=True),
        "revenue": pa.Column(float, pa.Check.gt(0), nullable=True),
        "expenses": pa.Column(float, pa.Check.ge(0), nullable=True),
        "oer": pa.Column(float, pa.Check.ge(0), nullable=True),
        "breakeven": pa.Column("boolean", nullable=True),
        "grant_dependence": pa.Column(str, pa.Check.isin(["not", "somewhat", "highly"]), nullable=True),
        "flags": pa.Column(str),
    },
    strict=False,
)


def default_survey_path() -> Path:
    """Where ``make data`` puts the survey file (from the data registry)."""
    return input_path(None, dataset=SURVEY_DATASET)


def _numeric(raw: pd.Series, column: str, path: Path) -> pd.Series:
    """Survey numbers arrive as text with blanks and "ND"; anything else non-numeric is an error naming the
    line."""
    text = raw.astype("str").str.strip()
    text = text.where(~text.isin(MISSING_TOKENS))
    values = pd.to_numeric(text, errors="coerce")
    bad = values.isna() & text.notna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise SchemaError(
            f"not a number: {text.iloc[i]!r}", path=paths.relative(path), line=i + 2, field=column
        )
    return values.astype("float64")


_COOP_TEXT = re.compile(r"\bco-?operative\b(?!\s+extension)", re.IGNORECASE)
_FOR_PROFIT_TEXT = re.compile(
    r"sole prop|self[- ]employed|benefit corporation|^\s*l\.?c\.?\s*$", re.IGNORECASE
)


def _status_from_other_text(text: str) -> str:
    """Free-text "Other" legal status: co-operatives (not "Cooperative Extension") and sole traders are
    recoded."""
    if not text or not text.strip():
        return "other"
    if "not-for-profit" in text.lower() or "nonprofit" in text.lower():
        return "other"  # hybrid answers ("not-for-profit ... and C-Corp") stay "other"
    if _COOP_TEXT.search(text):
        return "cooperative"
    if _FOR_PROFIT_TEXT.search(text):
        return "for_profit"
    return "other"


def normalize_legal_status(raw: str, other_text: str = "") -> str:
    """One survey answer → ``cooperative`` / ``nonprofit`` / ``for_profit`` / ``other``.

    Parameters
    ----------
    raw : str
        The survey's ``LegalStat`` answer (``"Producer Cooperative"``, ``"LLC"``, ``"Other"`` …).
    other_text : str
        The free text of an ``"Other"`` answer: co-operatives (not "Cooperative Extension") and sole traders are
        recoded from it.

    Returns
    -------
    str
        A code of :data:`LEGAL_STATUSES`.
    """
    key = (raw or "").strip().lower()
    if key == "other":
        return _status_from_other_text(other_text)
    return RAW_STATUS.get(key, "other")


def load_food_hub_survey(path: Path | str | None = None) -> pd.DataFrame:
    """Read and clean the National Food Hub Survey: numbers parsed, legal status normalized, break-even and
    plausibility flags computed.

    Implausible values are kept and named in ``flags`` (";"-separated codes of :data:`FLAG_DESCRIPTIONS`),
    never dropped here.

    Parameters
    ----------
    path : path or str, optional
        The survey CSV; by default the registry's ``food_hub_survey`` where ``make data`` puts it. A relative path
        is read from the current folder, else from the project root; ``"external:<name>"`` names a registry
        dataset.

    Returns
    -------
    DataFrame
        One row per hub-year response: ``source_line``, ``survey_year``, ``hub``, ``legal_status`` (our
        normalization) and ``legal_status_survey`` (the survey's), ``years_in_operation``, ``revenue``,
        ``expenses``, ``oer`` (expenses / revenue), ``breakeven`` (OER ≤ 1, nullable), ``grant_dependence``
        (``not`` / ``somewhat`` / ``highly``), customer shares and ``flags``.

    Raises
    ------
    MissingDatasetError
        The file is absent (run ``make data``).
    InputFormatError, SchemaError
        The file is not the survey's CSV, or a value is not a number (line and column named).
    """
    path = require_input(input_path(path, dataset=SURVEY_DATASET), "National Food Hub Survey")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputFormatError(f"unreadable CSV: {exc}", path=paths.relative(path)) from exc
    missing = [c for c in [*NUMERIC_COLUMNS, *TEXT_COLUMNS] if c not in raw.columns]
    if missing:
        raise SchemaError(
            f"missing columns: {', '.join(missing)}", path=paths.relative(path), field=missing[0]
        )

    out = pd.DataFrame({"source_line": np.arange(2, len(raw) + 2, dtype="int64")})
    for src, dst in TEXT_COLUMNS.items():
        out[dst] = raw[src].astype("str").str.strip()
    for src, dst in NUMERIC_COLUMNS.items():
        out[dst] = _numeric(raw[src], src, path)
    if out["survey_year"].isna().any():
        i = int(np.flatnonzero(out["survey_year"].isna().to_numpy())[0])
        raise SchemaError(
            "missing survey year", path=paths.relative(path), line=i + 2, field="Survey Year"
        )
    out["survey_year"] = out["survey_year"].astype("int64")
    out["founding_year"] = out["founding_year"].astype("Int64")

    out["legal_status"] = [
        normalize_legal_status(r, t)
        for r, t in zip(out["legal_status_raw"], out["legal_status_other_text"], strict=True)
    ]
    out["legal_status_survey"] = (
        out["legal_status_survey_raw"].str.lower().map(SURVEY_CATEGORY).fillna("other")
    )

    rev = out["revenue"].where(out["revenue"] > 0)
    out["oer"] = out["expenses"] / rev
    out["breakeven"] = (out["oer"] <= 1).astype("boolean").mask(out["oer"].isna())
    out["grant_dependence"] = out["grant_dependence_raw"].map(GRANT_LEVELS)
    out["grant_dependent"] = (
        out["grant_dependence"]
        .isin(["somewhat", "highly"])
        .astype("boolean")
        .mask(out["grant_dependence"].isna())
    )
    # Customer shares are meaningful only when the respondent filled the customer question (total > 0).
    answered = out["customer_total"] > 0
    for col in CUSTOMER_COLUMNS.values():
        out[col] = out[col].fillna(0.0).where(answered)

    out["flags"] = _flags(out)
    try:
        FOOD_HUB_SCHEMA.validate(out, lazy=False)
    except pa.errors.SchemaError as exc:
        raise SchemaError(
            f"schema not met: {exc.args[0].splitlines()[0]}", path=paths.relative(path)
        ) from exc
    return out


def _flags(df: pd.DataFrame) -> pd.Series:
    """One ";"-joined string per row naming every plausibility rule the row breaks (see FLAG_DESCRIPTIONS)."""
    rules = {
        "oer_extreme": (df["oer"] < OER_LOW) | (df["oer"] > OER_HIGH),
        "duplicate_hub_year": df.duplicated(["survey_year", "hub"], keep=False) & (df["hub"] != ""),
        "revenue_below_1000": df["revenue"] < 1000,
        "sales_revenue_mismatch": (df["gross_sales"] > 1.05 * df["revenue"])
        | (df["gross_sales"] < 0.01 * df["revenue"]),
        "oer_reported_differs": (df["oer_reported"] - df["oer"]).abs() > 0.01,
        "age_mismatch": (
            df["survey_year"] - df["founding_year"].astype("float64") - df["years_in_operation"]
        ).abs()
        > 1,
        "customer_total_off": (df["customer_total"] > 0)
        & ((df["customer_total"] < 95) | (df["customer_total"] > 105)),
        "status_recoded": df["legal_status"] != df["legal_status_survey"],
    }
    hits = pd.DataFrame({k: v.fillna(False).astype(bool) for k, v in rules.items()})
    return pd.Series(
        [";".join(k for k in hits.columns if row[k]) for _, row in hits.iterrows()],
        index=df.index,
        dtype="str",
    )


def has_flag(hubs: pd.DataFrame, flags: tuple[str, ...] | list[str]) -> pd.Series:
    """True where the response carries any of ``flags``.

    Parameters
    ----------
    hubs : DataFrame
        :func:`load_food_hub_survey` output.
    flags : sequence of str
        Flag codes (keys of :data:`FLAG_DESCRIPTIONS`).

    Returns
    -------
    Series of bool
    """
    require_frame(hubs, "hubs", ("flags",), hint=SURVEY_HINT)
    sets = hubs["flags"].str.split(";")
    wanted = set(flags)
    return pd.Series([bool(wanted & set(s)) for s in sets], index=hubs.index)


def flag_counts(hubs: pd.DataFrame) -> pd.DataFrame:
    """How many responses carry each plausibility flag.

    Parameters
    ----------
    hubs : DataFrame
        :func:`load_food_hub_survey` output.

    Returns
    -------
    DataFrame
        ``flag`` (code), ``n_rows`` and the English ``description``, in the order of :data:`FLAG_DESCRIPTIONS`.
    """
    require_frame(hubs, "hubs", ("flags",), hint=SURVEY_HINT)
    rows = [
        {"flag": k, "n_rows": int(has_flag(hubs, [k]).sum()), "description": v}
        for k, v in FLAG_DESCRIPTIONS.items()
    ]
    return pd.DataFrame(rows)


REPORTED_OER_FLAG = "oer_reported_differs"
# Ratios published / recomputed within this distance of a wave's median count as "at the wave's factor" (the
# published OER has three decimals).
FACTOR_TOLERANCE = 0.0005


def reported_oer_by_wave(hubs: pd.DataFrame) -> pd.DataFrame:
    """How the survey's published expense ratio (``OER``) compares with expenses / revenue, wave by wave.

    In one wave the published ratio is the recomputed one times a constant: that wave's median of published /
    recomputed gives the factor, and ``n_at_factor`` says how many responses sit on it (to the published three
    decimals). The break-even analyses use expenses / revenue, never the published ratio.

    Parameters
    ----------
    hubs : DataFrame
        :func:`load_food_hub_survey` output.

    Returns
    -------
    DataFrame
        One row per survey wave (sorted): ``survey_year``, ``n`` (responses), ``n_compared`` (both ratios known,
        recomputed > 0), ``n_differs`` (responses flagged ``oer_reported_differs``), ``ratio_median`` (median of
        published / recomputed, NaN when nothing is compared) and ``n_at_factor`` (responses within
        :data:`FACTOR_TOLERANCE` of that median).
    """
    require_frame(hubs, "hubs", ("survey_year", "oer", "oer_reported", "flags"), hint=SURVEY_HINT)
    differs = has_flag(hubs, [REPORTED_OER_FLAG])
    rows = []
    for year, g in hubs.groupby("survey_year", sort=True):
        both = g.loc[g["oer_reported"].notna() & (g["oer"] > 0)]
        ratio = both["oer_reported"] / both["oer"]
        median = float(ratio.median()) if len(ratio) else math.nan
        rows.append({"survey_year": int(year), "n": len(g), "n_compared": len(both),
                     "n_differs": int(differs.loc[g.index].sum()), "ratio_median": median,
                     "n_at_factor": int(((ratio - median).abs() <= FACTOR_TOLERANCE).sum()) if len(ratio) else 0})
    return pd.DataFrame(rows, columns=["survey_year", "n", "n_compared", "n_differs", "ratio_median", "n_at_factor"])


def reported_oer_artefact(by_wave: pd.DataFrame) -> dict[str, object]:
    """The waves where the published expense ratio departs from expenses / revenue, and by what factor.

    Parameters
    ----------
    by_wave : DataFrame
        :func:`reported_oer_by_wave` output.

    Returns
    -------
    dict
        ``n_differs`` (flagged responses in all), ``waves`` (tuple of the waves holding them, sorted),
        ``n_in_waves`` (flagged responses in those waves: all of them by construction, said for the reader),
        ``n_responses`` (every response of those waves, what leaving them out removes), ``factor`` (the median
        published / recomputed ratio when one wave holds every flagged response, else NaN),
        ``n_compared`` and ``n_at_factor`` of that wave (0 otherwise).
    """
    require_frame(by_wave, "by_wave", ("survey_year", "n", "n_differs", "ratio_median", "n_compared", "n_at_factor"),
                  hint="make it with food.reported_oer_by_wave(hubs)")
    hit = by_wave.loc[by_wave["n_differs"] > 0]
    one = hit.iloc[0] if len(hit) == 1 else None
    return {"n_differs": int(by_wave["n_differs"].sum()), "waves": tuple(int(y) for y in hit["survey_year"]),
            "n_in_waves": int(hit["n_differs"].sum()), "n_responses": int(hit["n"].sum()),
            "factor": float(one["ratio_median"]) if one is not None else math.nan,
            "n_compared": int(one["n_compared"]) if one is not None else 0,
            "n_at_factor": int(one["n_at_factor"]) if one is not None else 0}


def without_survey_waves(hubs: pd.DataFrame, waves: Sequence[int]) -> pd.DataFrame:
    """The survey responses of every wave but ``waves`` (to check that a result does not rest on one wave).

    Parameters
    ----------
    hubs : DataFrame
        :func:`load_food_hub_survey` output.
    waves : sequence of int
        Survey years to leave out (e.g. the waves of :func:`reported_oer_artefact`).

    Returns
    -------
    DataFrame
        The remaining responses, index kept.

    Raises
    ------
    ParameterError
        ``waves`` is not a list of years.
    """
    require_frame(hubs, "hubs", ("survey_year",), hint=SURVEY_HINT)
    if isinstance(waves, (str, bytes)) or not isinstance(waves, (Sequence, np.ndarray, pd.Series)) or any(
            isinstance(w, bool) or not isinstance(w, (int, np.integer)) for w in waves):
        raise ParameterError(f"expected a list of survey years, got {waves!r}", field="waves")
    return hubs.loc[~hubs["survey_year"].isin([int(w) for w in waves])]


def _summary(g: pd.DataFrame) -> dict[str, float]:
    """Viability profile of one group of responses (medians and IQRs, shares with Wilson 95 % CIs)."""
    rev = g["revenue"].dropna()
    oer = g["oer"].dropna()
    be = g["breakeven"].dropna().astype(bool)
    gd = g["grant_dependence"].dropna()
    yrs = g["years_in_operation"].dropna()
    k = int(be.sum())
    lo, hi = wilson_interval(k, len(be))
    cust = g.loc[g["customer_total"] > 0, list(CUSTOMER_COLUMNS.values())]
    row = {
        "n": len(g),
        "n_revenue": len(rev),
        "revenue_median": rev.median() if len(rev) else math.nan,
        "revenue_q25": rev.quantile(0.25) if len(rev) else math.nan,
        "revenue_q75": rev.quantile(0.75) if len(rev) else math.nan,
        "n_oer": len(oer),
        "oer_median": oer.median() if len(oer) else math.nan,
        "oer_q25": oer.quantile(0.25) if len(oer) else math.nan,
        "oer_q75": oer.quantile(0.75) if len(oer) else math.nan,
        "n_breakeven": k,
        "breakeven_share": k / len(be) if len(be) else math.nan,
        "breakeven_ci_low": lo,
        "breakeven_ci_high": hi,
        "n_grant": len(gd),
        "grant_highly_share": (gd == "highly").mean() if len(gd) else math.nan,
        "grant_any_share": gd.isin(["somewhat", "highly"]).mean() if len(gd) else math.nan,
        "n_years": len(yrs),
        "years_median": yrs.median() if len(yrs) else math.nan,
        "years_q25": yrs.quantile(0.25) if len(yrs) else math.nan,
        "years_q75": yrs.quantile(0.75) if len(yrs) else math.nan,
        "n_customers": len(cust),
    }
    for col in CUSTOMER_COLUMNS.values():
        row[f"{col}_mean"] = cust[col].mean() if len(cust) else math.nan
    return row


def _kept(hubs: pd.DataFrame, exclude_flags: tuple[str, ...]) -> pd.DataFrame:
    return hubs.loc[~has_flag(hubs, exclude_flags)] if exclude_flags else hubs


def _check_flags(exclude_flags: tuple[str, ...]) -> None:
    if isinstance(exclude_flags, str):
        raise ParameterError(f"expected a tuple of flags, got the text {exclude_flags!r}", field="exclude_flags")
    for flag in exclude_flags:
        require_choice(flag, FLAG_DESCRIPTIONS, "exclude_flags")


def breakeven_by_status(
    hubs: pd.DataFrame, exclude_flags: tuple[str, ...] = DEFAULT_EXCLUDE_FLAGS
) -> pd.DataFrame:
    """Viability by legal status (plus an ``all`` row): revenue, expense ratio, break-even share, grants, age,
    customers.

    Rows carrying one of ``exclude_flags`` are left out (count in ``n_excluded``); shares are of rows where
    known.

    Parameters
    ----------
    hubs : DataFrame
        :func:`load_food_hub_survey` output.
    exclude_flags : tuple of str
        Flags whose responses are left out (default: extreme expense ratios and duplicate hub-years).

    Returns
    -------
    DataFrame
        One row per code of :data:`LEGAL_STATUSES` and ``all``: ``n``, revenue and OER medians and quartiles,
        ``n_breakeven``, ``breakeven_share`` with its Wilson 95 % interval (``breakeven_ci_low`` /
        ``breakeven_ci_high``), grant-dependence shares, years in operation, mean customer shares and
        ``n_excluded``.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference. *Journal of the
    American Statistical Association*, 22(158), 209–212.
    """
    require_frame(hubs, "hubs", ("legal_status", "revenue", "oer", "breakeven", "grant_dependence",
                                 "years_in_operation", "customer_total", "flags"), hint=SURVEY_HINT)
    _check_flags(exclude_flags)
    kept = _kept(hubs, exclude_flags)
    rows = []
    for status in (*LEGAL_STATUSES, "all"):
        g = kept if status == "all" else kept.loc[kept["legal_status"] == status]
        n_all = len(hubs) if status == "all" else int((hubs["legal_status"] == status).sum())
        rows.append({"legal_status": status, **_summary(g), "n_excluded": n_all - len(g)})
    return pd.DataFrame(rows)


def breakeven_by_age(
    hubs: pd.DataFrame, startup_max_years: float = 5, exclude_flags: tuple[str, ...] = DEFAULT_EXCLUDE_FLAGS
) -> pd.DataFrame:
    """The profile of :func:`breakeven_by_status` split start-up vs established, by legal status.

    Parameters
    ----------
    hubs : DataFrame
        :func:`load_food_hub_survey` output.
    startup_max_years : float
        A hub with at most this many years in operation is a start-up (responses without an age are left out).
    exclude_flags : tuple of str
        Flags whose responses are left out.

    Returns
    -------
    DataFrame
        ``stage`` (``startup`` / ``established``) and ``legal_status`` (with ``all``), then the profile columns.

    References
    ----------
    Wilson, E. B. (1927). *Journal of the American Statistical Association*, 22(158), 209–212.
    """
    require_frame(hubs, "hubs", ("legal_status", "revenue", "oer", "breakeven", "grant_dependence",
                                 "years_in_operation", "customer_total", "flags"), hint=SURVEY_HINT)
    require_positive(startup_max_years, "startup_max_years")
    _check_flags(exclude_flags)
    kept = _kept(hubs, exclude_flags)
    kept = kept.loc[kept["years_in_operation"].notna()]
    stage = np.where(kept["years_in_operation"] <= startup_max_years, "startup", "established")
    rows = []
    for st in ("startup", "established"):
        part = kept.loc[stage == st]
        for status in (*LEGAL_STATUSES, "all"):
            g = part if status == "all" else part.loc[part["legal_status"] == status]
            rows.append({"stage": st, "legal_status": status, **_summary(g)})
    return pd.DataFrame(rows)


def model_frame(
    hubs: pd.DataFrame,
    startup_max_years: float = 5,
    exclude_flags: tuple[str, ...] = DEFAULT_EXCLUDE_FLAGS,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Responses usable by the break-even model, and the others with the first reason each was left out.

    Parameters
    ----------
    hubs : DataFrame
        :func:`load_food_hub_survey` output.
    startup_max_years : float
        Start-up threshold (years in operation) of the ``startup`` term.
    exclude_flags : tuple of str
        Flags whose responses are left out.

    Returns
    -------
    tuple of DataFrame
        ``(used, excluded)``: the used responses with the model's columns ``y``, ``startup`` and
        ``log10_revenue``; the excluded ones (``source_line``, ``survey_year``, ``hub``, ``legal_status``,
        ``reason``: ``flag:<flag>`` or a code of :data:`MODEL_EXCLUSION_REASONS`).
    """
    require_frame(hubs, "hubs", ("source_line", "survey_year", "hub", "legal_status", "revenue", "expenses",
                                 "years_in_operation", "grant_dependence", "breakeven", "flags"), hint=SURVEY_HINT)
    require_positive(startup_max_years, "startup_max_years")
    _check_flags(exclude_flags)
    reasons = pd.Series("", index=hubs.index, dtype="str")

    def mark(mask: pd.Series, why: str) -> None:
        reasons.loc[mask & (reasons == "")] = why

    for flag in exclude_flags:
        mark(has_flag(hubs, [flag]), f"flag:{flag}")
    mark(hubs["revenue"].isna(), "missing_revenue")
    mark(hubs["expenses"].isna(), "missing_expenses")
    mark(hubs["years_in_operation"].isna(), "missing_years_in_operation")
    mark(hubs["grant_dependence"].isna(), "missing_grant_dependence")
    used = hubs.loc[reasons == ""].copy()
    used["y"] = used["breakeven"].astype(int)
    used["startup"] = (used["years_in_operation"] <= startup_max_years).astype(int)
    used["log10_revenue"] = np.log10(used["revenue"])
    excluded = hubs.loc[reasons != "", ["source_line", "survey_year", "hub", "legal_status"]].assign(
        reason=reasons[reasons != ""]
    )
    return used, excluded.reset_index(drop=True)


def fit_breakeven_model(
    hubs: pd.DataFrame,
    reference: str = "nonprofit",
    startup_max_years: float = 5,
    exclude_flags: tuple[str, ...] = DEFAULT_EXCLUDE_FLAGS,
) -> dict[str, object]:
    """Logistic regression of break-even (OER ≤ 1) on legal status, start-up age, log10 revenue, grants and
    wave.

    Parameters
    ----------
    hubs : DataFrame
        :func:`load_food_hub_survey` output.
    reference : str
        The legal status the others are compared with (a code of :data:`LEGAL_STATUSES`).
    startup_max_years : float
        A hub with at most this many years in operation is a start-up (term ``startup``).
    exclude_flags : tuple of str
        Flags whose responses are left out.

    Returns
    -------
    dict
        ``odds_ratios`` (DataFrame: ``term`` such as ``legal_status[cooperative]``, ``startup``,
        ``log10_revenue``, ``grant_dependence[highly]``, ``survey_year[2015]``; ``odds_ratio``, ``ci_low``,
        ``ci_high`` (95 %), ``p_value``), ``n_used``, ``excluded`` and ``excluded_by_reason`` (see
        :func:`model_frame`), ``counts`` (``legal_status``, ``n``, ``n_breakeven``), ``formula``, ``converged``
        and ``pseudo_r2`` (McFadden).

    Raises
    ------
    ParameterError
        ``reference`` is not a legal status.

    References
    ----------
    Hosmer, D. W., Lemeshow, S., & Sturdivant, R. X. (2013). *Applied Logistic Regression* (3rd ed.). Wiley
    (odds ratios and their Wald intervals, ch. 1–3).
    Seabold, S., & Perktold, J. (2010). statsmodels: Econometric and statistical modeling with Python.
    *Proceedings of the 9th Python in Science Conference* (``statsmodels.formula.api.logit``, maximum
    likelihood, Wald intervals).
    """
    require_choice(reference, LEGAL_STATUSES, "reference")
    used, excluded = model_frame(hubs, startup_max_years, exclude_flags)
    statuses = [s for s in LEGAL_STATUSES if (used["legal_status"] == s).any()]
    years = sorted(used["survey_year"].unique())
    formula = (
        f"y ~ C(legal_status, Treatment(reference='{reference}')) + startup + log10_revenue"
        " + C(grant_dependence, Treatment(reference='not'))"
        f" + C(survey_year, Treatment(reference={years[0]}))"
    )
    fit = smf.logit(formula, data=used).fit(disp=False, maxiter=200)
    ci = fit.conf_int()
    table = pd.DataFrame(
        {
            "term": [_pretty_term(t) for t in fit.params.index],
            "odds_ratio": np.exp(fit.params.to_numpy()),
            "ci_low": np.exp(ci[0].to_numpy()),
            "ci_high": np.exp(ci[1].to_numpy()),
            "p_value": fit.pvalues.to_numpy(),
        }
    )
    table = table.loc[table["term"] != "Intercept"].reset_index(drop=True)
    counts = (
        used.groupby("legal_status")["y"].agg(n="size", n_breakeven="sum").reindex(statuses).reset_index()
    )
    by_reason = (
        excluded.groupby("reason")
        .size()
        .rename("n_rows")
        .reset_index()
        .sort_values(["n_rows", "reason"], ascending=[False, True], ignore_index=True)
    )
    return {
        "odds_ratios": table,
        "n_used": int(fit.nobs),
        "excluded": excluded,
        "excluded_by_reason": by_reason,
        "counts": counts,
        "formula": formula,
        "converged": bool(fit.mle_retvals.get("converged", True)),
        "pseudo_r2": float(fit.prsquared),
    }


def _pretty_term(term: str) -> str:
    """``C(legal_status, Treatment(reference='nonprofit'))[T.cooperative]`` →
    ``legal_status[cooperative]``."""
    m = re.match(r"C\((\w+),.*\)\[T\.(.+)\]$", term)
    return f"{m.group(1)}[{m.group(2)}]" if m else term


def load_food_hub_directory(path: Path | str | None = None) -> pd.DataFrame:
    """USDA Food Hub Directory (2026 workbook): one row per listed hub.

    Parameters
    ----------
    path : path or str, optional
        The xlsx; by default the registry's ``food_hub_directory`` where ``make data`` puts it.

    Returns
    -------
    DataFrame
        ``source_line``, ``listing_id``, ``name``, ``establish_year`` (nullable), ``legal_status_raw`` (the
        answer, e.g. "Non-Profit"; "" = not stated) and ``legal_status`` (normalized like the survey; "" = not
        stated, ``other`` for several answers).

    Raises
    ------
    MissingDatasetError
        The file is absent (run ``make data``).
    InputFormatError, SchemaError
        The workbook cannot be read or lacks a column.
    """
    path = require_input(input_path(path, dataset=DIRECTORY_DATASET), "USDA Food Hub Directory")
    try:
        raw = pd.read_excel(path, dtype=str)
    except Exception as exc:  # openpyxl raises many types for a corrupt workbook
        raise InputFormatError(f"unreadable workbook: {exc}", path=paths.relative(path)) from exc
    missing = [
        c for c in ("listing_id", "listing_name", "legal_status", "establish_year") if c not in raw.columns
    ]
    if missing:
        raise SchemaError(
            f"missing columns: {', '.join(missing)}", path=paths.relative(path), field=missing[0]
        )
    status_raw = raw["legal_status"].fillna("").astype("str").str.strip().str.rstrip(";").str.strip()
    year = pd.to_numeric(raw["establish_year"], errors="coerce").astype("Int64")
    out = pd.DataFrame(
        {
            "source_line": np.arange(2, len(raw) + 2, dtype="int64"),
            "listing_id": raw["listing_id"].astype("str").str.strip(),
            "name": raw["listing_name"].fillna("").astype("str").str.strip(),
            "establish_year": year,
            "legal_status_raw": status_raw,
            "legal_status": [
                normalize_legal_status(s) if s and ";" not in s else ("" if not s else "other")
                for s in status_raw
            ],
        }
    )
    out["legal_status"] = out["legal_status"].astype("str")
    return out


def directory_status_counts(directory: pd.DataFrame) -> pd.DataFrame:
    """Listed hubs per normalized and raw legal status, sorted by count then raw answer.

    Parameters
    ----------
    directory : DataFrame
        :func:`load_food_hub_directory` output.

    Returns
    -------
    DataFrame
        ``legal_status`` (``not_stated`` when blank), ``legal_status_raw`` ("" when blank) and ``n_hubs``.
    """
    require_frame(directory, "directory", ("legal_status", "legal_status_raw"),
                  hint="load it with food.load_food_hub_directory()")
    d = directory.assign(legal_status=directory["legal_status"].replace("", "not_stated"))
    out = d.groupby(["legal_status", "legal_status_raw"]).size().rename("n_hubs").reset_index()
    return out.sort_values(["n_hubs", "legal_status_raw"], ascending=[False, True], ignore_index=True)
