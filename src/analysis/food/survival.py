"""Co-op survival: Kaplan–Meier curves with delayed entry (left truncation), log-rank tests, constant hazards.

Registers extracted at one date only list organisations that were still on the books at the start of their
observation window (the Co-operatives UK open-data extracts record dissolutions from 2011 on): co-ops that closed
earlier are absent. Each co-op therefore enters the risk set at its age on the window start ("delayed entry");
ignoring this ("naive" curve) overstates survival. Durations are in years (365.25 days). Rows left out carry a
code in ``exclusion_reason`` (:data:`EXCLUSION_REASONS`); the report layer translates it.

**Where follow-up ends.** A register records a closure some weeks or months after it happens, so an extract
cannot tell a co-op that closed shortly before its date from one still alive. Follow-up is therefore censored, by
default, at the extract's own last recorded dissolution (:func:`censoring_date`): every organisation still
registered then is counted as alive up to that date and no later; censoring at the extract's publication date
would count closures not yet recorded as survivals. A caller who knows better (a register with no lag, a
documented recording date) gives ``window_end``. The Co-operatives UK extract of June 2016 records its last
dissolution on 2016-04-27; any extract of the same layout is censored at its own date.

References
----------
Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from incomplete observations. *Journal of the American
Statistical Association*, 53(282), 457–481.
Klein, J. P., & Moeschberger, M. L. (2003). *Survival Analysis: Techniques for Censored and Truncated Data*
(2nd ed.). Springer, ch. 4 (left truncation, delayed entry).
Mantel, N. (1966). Evaluation of survival data and two new rank order statistics arising in its consideration.
*Cancer Chemotherapy Reports*, 50(3), 163–170 (log-rank test).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

from analysis.core.checks import require_frame
from analysis.core.errors import ParameterError, SchemaError

DAYS_PER_YEAR = 365.25
# The Co-operatives UK open-data extracts list the co-ops registered at some point since 2011 and record
# dissolutions from then on: the left-truncation date of their survival analysis.
UK_WINDOW_START = "2011-01-01"
# How the end of follow-up was chosen (prepare_survival's attrs["window_end_rule"]).
WINDOW_END_RULES = ("last_recorded_dissolution", "given")

# Québec enterprise register (REQ, Données Québec "Entreprise.csv"): registration status codes. IM =
# immatriculée (registered, alive); RD = radiée sur demande, RO = radiée d'office, RX = radiée d'office (art.
# 59) — a closure, dated by DAT_STAT_IMMAT. Other codes (AI avis d'intention, NI non immatriculée, IA
# immatriculation annulée …) are not a registered life and are excluded with their code as the reason.
REQ_ALIVE = ("IM",)
REQ_CLOSED = ("RD", "RO", "RX")
REQ_COLUMNS = {
    "NEQ": "org_id",
    "DAT_IMMAT": "incorporated",
    "COD_STAT_IMMAT": "status_code",
    "DAT_STAT_IMMAT": "status_date",
    "COD_FORME_JURI": "legal_form",
}

SURVIVAL_COLUMNS = ["org_id", "duration", "event", "entry", "exclusion_reason"]
# Why a row is left out of the estimates (``req_status:<code>`` for a REQ status that is not a registered life).
EXCLUSION_REASONS = (
    "missing_incorporation_date",
    "incorporated_after_window",
    "dissolved_without_date",
    "dissolved_before_incorporation",
    "dissolved_before_window",
    "no_time_at_risk",
)
_SURVIVAL_HINT = "make it with food.prepare_survival(orgs)"


def _require_survival(survival: object, argument: str = "survival") -> pd.DataFrame:
    """The prepared survival table, or a ParameterError naming what is expected and which function makes it."""
    return require_frame(survival, argument, ("duration", "event", "entry", "exclusion_reason"), hint=_SURVIVAL_HINT)


def _require_horizons(horizons: Sequence[float]) -> list[float]:
    if isinstance(horizons, (str, bytes)) or not isinstance(horizons, (Sequence, np.ndarray, pd.Series)):
        raise ParameterError(f"expected a list of horizons in years, got {horizons!r}", field="horizons")
    out = []
    for h in horizons:
        if isinstance(h, bool) or not isinstance(h, (int, float, np.number)) or not np.isfinite(h) or h <= 0:
            raise ParameterError(f"expected positive horizons in years, got {h!r}", field="horizons")
        out.append(h)
    return out


def _ts(value: str | pd.Timestamp, name: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"invalid date {value!r}", field=name) from exc


def censoring_date(orgs: pd.DataFrame) -> pd.Timestamp:
    """The date an extract's follow-up ends by default: its last recorded dissolution.

    Closures reach a register with a lag, so after its last recorded dissolution an extract cannot tell a closed
    organisation from a live one; organisations still registered are censored at that date (administrative
    censoring; see the module's notes). The June 2016 Co-operatives UK extract gives 2016-04-27.

    Parameters
    ----------
    orgs : DataFrame
        Organisations with a ``dissolved`` column (datetimes, missing for live ones):
        :func:`analysis.food.load_coops_uk_organisations`, or any extract of the same layout.

    Returns
    -------
    Timestamp
        The latest ``dissolved`` date.

    Raises
    ------
    ParameterError
        ``orgs`` lacks the column, or records no dissolution at all (then give ``window_end`` yourself).

    References
    ----------
    Klein, J. P., & Moeschberger, M. L. (2003). *Survival Analysis: Techniques for Censored and Truncated Data*
    (2nd ed.). Springer, §1.2 (right censoring at the end of a study).
    """
    require_frame(orgs, "orgs", ("dissolved",), hint="load it with food.load_coops_uk_organisations()")
    latest = pd.to_datetime(orgs["dissolved"]).max()
    if pd.isna(latest):
        raise ParameterError("the extract records no dissolution: give the end of follow-up (window_end)",
                             field="window_end")
    return pd.Timestamp(latest)


def prepare_survival(
    orgs: pd.DataFrame,
    window_start: str | pd.Timestamp | None = UK_WINDOW_START,
    window_end: str | pd.Timestamp | None = None,
    keep: Sequence[str] = ("sector_group", "food_subsector", "sector", "legal_form"),
) -> pd.DataFrame:
    """The survival table of a register: duration, event and entry age of every organisation.

    Durations run in years from incorporation to dissolution, or to ``window_end`` if still alive; the entry
    age is the age at ``window_start`` (0 if incorporated later, or everywhere if ``window_start`` is None: no
    truncation). Every input row is returned; rows that cannot be used carry an ``exclusion_reason`` code
    (empty string = used). A dated dissolution counts as an event even when the status says "Live"; a
    dissolution after ``window_end`` is censored at ``window_end``, and an organisation incorporated after it is
    left out (``incorporated_after_window``).

    Parameters
    ----------
    orgs : DataFrame
        Organisations with ``org_id``, ``incorporated``, ``dissolved`` (datetimes) and ``status``
        (``Live`` / ``Dead``): :func:`analysis.food.load_coops_uk_organisations`, or any extract of that layout.
    window_start : date or None
        First date from which dissolutions are recorded (2011-01-01 for the Co-operatives UK extracts); None for
        a register that keeps every closure.
    window_end : date, optional
        End of follow-up. None (the default) = the extract's last recorded dissolution (:func:`censoring_date`):
        closures are recorded late, so a later date would count closures not yet recorded as survivals.
    keep : sequence of str
        Columns of ``orgs`` carried over for grouping (those absent are skipped).

    Returns
    -------
    DataFrame
        ``org_id``, ``incorporated``, ``stop``, ``duration`` and ``entry`` (years; NaN when excluded), ``event``
        (bool), the kept columns and ``exclusion_reason`` (a code of :data:`EXCLUSION_REASONS` or "");
        ``attrs`` holds ``window_start``, ``window_end`` (Timestamps; ``window_start`` None without truncation),
        ``window_end_rule`` (``last_recorded_dissolution`` or ``given``) and ``last_recorded_dissolution`` (NaT
        when the extract records none).

    Raises
    ------
    ParameterError
        ``orgs`` lacks a column, a date cannot be read, the window is not a pair of ordered dates, or
        ``window_end`` is None and the extract records no dissolution.

    References
    ----------
    Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from incomplete observations. *Journal of the
    American Statistical Association*, 53(282), 457–481.
    Klein, J. P., & Moeschberger, M. L. (2003). *Survival Analysis: Techniques for Censored and Truncated Data*
    (2nd ed.). Springer (right censoring: §1.2; left truncation: §1.16, §4.6).
    """
    require_frame(orgs, "orgs", ("org_id", "incorporated", "dissolved", "status"),
                  hint="load it with food.load_coops_uk_organisations()")
    rule = "last_recorded_dissolution" if window_end is None else "given"
    end = censoring_date(orgs) if window_end is None else _ts(window_end, "window_end")
    start = _ts(window_start, "window_start") if window_start is not None else None
    if start is not None and start >= end:
        raise ParameterError("window_start must come before window_end", field="window_start")
    inc = pd.to_datetime(orgs["incorporated"])
    dis = pd.to_datetime(orgs["dissolved"])
    dead = orgs["status"].astype("str").eq("Dead")

    reason = pd.Series("", index=orgs.index, dtype="str")

    def mark(mask: pd.Series, why: str) -> None:
        reason.loc[mask.fillna(False).astype(bool) & (reason == "")] = why

    mark(inc.isna(), "missing_incorporation_date")
    mark(inc > end, "incorporated_after_window")
    mark(dead & dis.isna(), "dissolved_without_date")
    mark(dis < inc, "dissolved_before_incorporation")
    if start is not None:
        mark(dis < start, "dissolved_before_window")

    event = dis.notna() & (dis <= end)
    stop = dis.where(event, end)
    duration = (stop - inc).dt.days / DAYS_PER_YEAR
    if start is not None:
        entry = ((start - inc).dt.days / DAYS_PER_YEAR).clip(lower=0)
    else:
        entry = pd.Series(0.0, index=orgs.index)
    mark(duration <= entry, "no_time_at_risk")

    out = pd.DataFrame(
        {
            "org_id": orgs["org_id"].astype("str"),
            "incorporated": inc,
            "stop": stop,
            "duration": duration.astype("float64"),
            "event": event.astype(bool),
            "entry": entry.astype("float64"),
        },
        index=orgs.index,
    )
    for col in keep:
        if col in orgs.columns:
            out[col] = orgs[col]
    out["exclusion_reason"] = reason
    used = reason == ""
    out.loc[~used, ["duration", "entry"]] = np.nan
    out.loc[~used, "event"] = False
    out = out.reset_index(drop=True)
    out.attrs = {"window_start": start, "window_end": end, "window_end_rule": rule,
                 "last_recorded_dissolution": dis.max()}
    return out


def prepare_survival_req(
    df: pd.DataFrame,
    window_start: str | pd.Timestamp | None = None,
    window_end: str | pd.Timestamp | None = None,
    coop_forms: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Same preparation for an extract in the REQ "Entreprise.csv" layout (NEQ, DAT_IMMAT, COD_STAT_IMMAT,
    DAT_STAT_IMMAT, COD_FORME_JURI; dates YYYY-MM-DD).

    Closed = status RD/RO/RX, dated by DAT_STAT_IMMAT. ``window_end`` defaults, as in :func:`prepare_survival`,
    to the extract's last recorded closure; ``window_start`` (default None = no left truncation) is the first date
    from which closures are kept. ``coop_forms``, if given, lists the COD_FORME_JURI codes counted as
    co-operatives (column ``is_coop``); the codes are decoded by the register's DomaineValeur.csv, which this
    function does not guess. A status code that is neither alive nor closed is excluded with the reason
    ``req_status:<code>``.

    Parameters
    ----------
    df : DataFrame
        The register extract, as text.
    window_start, window_end : date, optional
        As in :func:`prepare_survival`.
    coop_forms : sequence of str, optional
        Legal-form codes counted as co-operatives.

    Returns
    -------
    DataFrame
        :func:`prepare_survival` output with ``legal_form``, ``status_code`` and ``is_coop`` kept.

    Raises
    ------
    SchemaError
        A REQ column is missing or a date cannot be read (line and column named).
    ParameterError
        ``window_end`` is None and the extract records no closure.
    """
    if not isinstance(df, pd.DataFrame):
        require_frame(df, "df", tuple(REQ_COLUMNS), hint="read Entreprise.csv with pandas")
    missing = [c for c in REQ_COLUMNS if c not in df.columns]
    if missing:
        raise SchemaError(f"missing REQ columns: {', '.join(missing)}", field=missing[0])
    raw = df[list(REQ_COLUMNS)].rename(columns=REQ_COLUMNS)
    dates = {}
    for col in ("incorporated", "status_date"):
        txt = raw[col].astype("str").str.strip().str.slice(0, 10)
        txt = txt.where(~txt.isin(["", "nan", "None", "<NA>"]))
        parsed = pd.to_datetime(txt, format="%Y-%m-%d", errors="coerce")
        bad = parsed.isna() & txt.notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            field = "DAT_IMMAT" if col == "incorporated" else "DAT_STAT_IMMAT"
            raise SchemaError(f"unreadable date {txt.iloc[i]!r}", line=i + 2, field=field)
        dates[col] = parsed
    code = raw["status_code"].astype("str").str.strip().str.upper()
    closed = code.isin(REQ_CLOSED)
    orgs = pd.DataFrame(
        {
            "org_id": raw["org_id"].astype("str").str.strip(),
            "incorporated": dates["incorporated"],
            "dissolved": dates["status_date"].where(closed),
            "status": np.where(closed, "Dead", "Live"),
            "legal_form": raw["legal_form"].astype("str").str.strip(),
            "status_code": code,
        }
    )
    if coop_forms is not None:
        orgs["is_coop"] = orgs["legal_form"].isin(list(coop_forms))
    out = prepare_survival(orgs, window_start, window_end, keep=("legal_form", "status_code", "is_coop"))
    unknown = ~code.isin((*REQ_ALIVE, *REQ_CLOSED)).to_numpy()
    out.loc[unknown & (out["exclusion_reason"] == ""), "exclusion_reason"] = [
        f"req_status:{c}" for c in code[unknown & (out["exclusion_reason"] == "").to_numpy()]
    ]
    out.loc[unknown, ["duration", "entry"]] = np.nan
    out.loc[unknown, "event"] = False
    return out


def exclusions(survival: pd.DataFrame) -> pd.DataFrame:
    """How many rows each exclusion reason removed.

    Parameters
    ----------
    survival : DataFrame
        :func:`prepare_survival` output.

    Returns
    -------
    DataFrame
        ``reason`` (code) and ``n_rows``, most frequent first (ties by reason).
    """
    df = require_frame(survival, "survival", ("exclusion_reason",), hint=_SURVIVAL_HINT)
    r = df.loc[df["exclusion_reason"] != "", "exclusion_reason"]
    out = r.value_counts().rename("n_rows").rename_axis("reason").reset_index()
    return out.sort_values(["n_rows", "reason"], ascending=[False, True], ignore_index=True)


def _used(df: pd.DataFrame) -> pd.DataFrame:
    return df.loc[df["exclusion_reason"] == ""]


def _groups(df: pd.DataFrame, group: str | None) -> list[tuple[str, pd.DataFrame]]:
    d = _used(df)
    if group is None:
        return [("all", d)]
    if group not in d.columns:
        raise ParameterError(f"unknown group column {group!r}; the survival table has {', '.join(map(str, d.columns))}",
                             field="group")
    return [(str(k), g) for k, g in sorted(d.groupby(group, sort=False), key=lambda kv: str(kv[0]))]


def _fit(d: pd.DataFrame, entry: bool) -> SurvfuncRight:
    return SurvfuncRight(
        d["duration"].to_numpy(float),
        d["event"].to_numpy(int),
        entry=d["entry"].to_numpy(float) if entry else None,
    )


def _loglog_ci(s: np.ndarray, se: np.ndarray, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Pointwise CI on the log(-log S) scale (stays inside [0, 1]); S = 1 or 0 gives a degenerate interval."""
    z = stats.norm.ppf(1 - alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma = se / (s * np.abs(np.log(s)))
        lo = s ** np.exp(z * sigma)
        hi = s ** np.exp(-z * sigma)
    lo = np.where((s >= 1) | (s <= 0) | ~np.isfinite(sigma), s, lo)
    hi = np.where((s >= 1) | (s <= 0) | ~np.isfinite(sigma), s, hi)
    return lo, hi


def _fitted_groups(df: pd.DataFrame, group: str | None, entry: bool):
    """(name, rows, fitted SurvfuncRight, CI low, CI high) for every non-empty group."""
    for name, d in _groups(df, group):
        if d.empty:
            continue
        sf = _fit(d, entry)
        lo, hi = _loglog_ci(sf.surv_prob, sf.surv_prob_se)
        yield name, d, sf, lo, hi


def km_survival(survival: pd.DataFrame, entry: bool = True, group: str | None = None) -> pd.DataFrame:
    """Kaplan–Meier table per group: time (years), survival, 95 % CI (log-log, Greenwood SE), at risk, events.

    ``entry=True`` uses delayed entry (left truncation): an organisation is at risk only from its entry age.
    ``entry=False`` is the naive estimate. A first row at time 0 with survival 1 is included for plotting.

    Parameters
    ----------
    survival : DataFrame
        :func:`prepare_survival` output (rows with an ``exclusion_reason`` are left out).
    entry : bool
        Use delayed entry (default) or ignore it.
    group : str, optional
        Column whose values split the curves (``sector_group``, ``food_subsector``, ``sector``…).

    Returns
    -------
    DataFrame
        ``group`` (``all`` without grouping), ``time``, ``survival``, ``ci_low``, ``ci_high``, ``n_at_risk``,
        ``n_events``.

    Raises
    ------
    ParameterError
        ``survival`` is not a prepared survival table (e.g. the organisations table), or ``group`` is unknown.

    References
    ----------
    Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from incomplete observations. *Journal of the
    American Statistical Association*, 53(282), 457–481.
    Klein, J. P., & Moeschberger, M. L. (2003). *Survival Analysis* (2nd ed.). Springer, §4.6 (delayed entry).
    """
    df = _require_survival(survival)
    rows = []
    for name, d, sf, lo, hi in _fitted_groups(df, group, entry):
        part = pd.DataFrame(
            {
                "group": name,
                "time": sf.surv_times,
                "survival": sf.surv_prob,
                "ci_low": lo,
                "ci_high": hi,
                "n_at_risk": sf.n_risk.astype(int),
                "n_events": sf.n_events.astype(int),
            }
        )
        first = pd.DataFrame(
            {
                "group": [name],
                "time": [0.0],
                "survival": [1.0],
                "ci_low": [1.0],
                "ci_high": [1.0],
                "n_at_risk": [int((d["entry"] <= 0).sum()) if entry else len(d)],
                "n_events": [0],
            }
        )
        rows.append(pd.concat([first, part], ignore_index=True))
    if not rows:
        return pd.DataFrame(
            columns=["group", "time", "survival", "ci_low", "ci_high", "n_at_risk", "n_events"]
        )
    return pd.concat(rows, ignore_index=True)


def survival_at(
    survival: pd.DataFrame, horizons: Sequence[float] = (5, 10), group: str | None = None, entry: bool = True
) -> pd.DataFrame:
    """Kaplan–Meier survival at each horizon (years) with its 95 % CI, per group.

    Parameters
    ----------
    survival : DataFrame
        :func:`prepare_survival` output.
    horizons : sequence of float
        Ages in years (positive).
    group : str, optional
        Grouping column.
    entry : bool
        Delayed entry (default) or the naive estimate.

    Returns
    -------
    DataFrame
        ``group``, ``horizon``, ``survival``, ``ci_low``, ``ci_high`` (log-log), ``n`` (organisations used),
        ``n_events`` and ``n_at_risk`` (at risk just before the horizon: how much information the estimate rests
        on), ``method`` (``truncated`` or ``naive``).

    References
    ----------
    Kaplan, E. L., & Meier, P. (1958). *Journal of the American Statistical Association*, 53(282), 457–481.
    Klein, J. P., & Moeschberger, M. L. (2003). *Survival Analysis* (2nd ed.). Springer, §4.6.
    """
    df = _require_survival(survival)
    horizons = _require_horizons(horizons)
    rows = []
    for name, d, sf, lo, hi in _fitted_groups(df, group, entry):
        t = sf.surv_times
        for h in horizons:
            i = int(np.searchsorted(t, h, side="right")) - 1
            s, low, up = (1.0, 1.0, 1.0) if i < 0 else (sf.surv_prob[i], lo[i], hi[i])
            start = d["entry"] if entry else pd.Series(0.0, index=d.index)
            at_risk = int(((start < h) & (d["duration"] >= h)).sum())
            rows.append(
                {
                    "group": name,
                    "horizon": float(h),
                    "survival": float(s),
                    "ci_low": float(low),
                    "ci_high": float(up),
                    "n": len(d),
                    "n_events": int(d["event"].sum()),
                    "n_at_risk": at_risk,
                    "method": "truncated" if entry else "naive",
                }
            )
    return pd.DataFrame(rows)


def naive_vs_truncated(
    survival: pd.DataFrame, horizons: Sequence[float] = (5, 10), group: str | None = None
) -> pd.DataFrame:
    """Side by side: survival ignoring left truncation (naive) and with delayed entry, and the gap in points.

    Parameters
    ----------
    survival : DataFrame
        :func:`prepare_survival` output.
    horizons : sequence of float
        Ages in years.
    group : str, optional
        Grouping column.

    Returns
    -------
    DataFrame
        ``group``, ``horizon``, ``survival_naive``, ``ci_low_naive``, ``ci_high_naive``,
        ``survival_truncated``, ``ci_low_truncated``, ``ci_high_truncated``, ``n``, ``n_events`` and
        ``gap_points`` (100 × (naive − truncated): the survivorship bias).

    References
    ----------
    Klein, J. P., & Moeschberger, M. L. (2003). *Survival Analysis* (2nd ed.). Springer, §4.6.
    """
    df = _require_survival(survival)
    naive = survival_at(df, horizons, group, entry=False)
    trunc = survival_at(df, horizons, group, entry=True)
    keys = ["group", "horizon"]
    cols = ["survival", "ci_low", "ci_high"]
    out = naive[keys + cols].merge(
        trunc[keys + cols + ["n", "n_events"]], on=keys, suffixes=("_naive", "_truncated"), validate="1:1"
    )
    out["gap_points"] = 100 * (out["survival_naive"] - out["survival_truncated"])
    return out


def logrank_test(survival: pd.DataFrame, group: str = "sector_group", entry: bool = True) -> pd.DataFrame:
    """Log-rank test of equal survival across the groups (statsmodels ``survdiff``, delayed entry by default).

    Parameters
    ----------
    survival : DataFrame
        :func:`prepare_survival` output.
    group : str
        Grouping column (rows where it is missing are left out).
    entry : bool
        Risk sets with delayed entry (default) or without.

    Returns
    -------
    DataFrame
        One row: ``groups`` ("a vs b"), ``statistic`` (χ²), ``df``, ``p_value``, ``n``, ``n_events``, ``entry``.

    Raises
    ------
    ParameterError
        Unknown group column, or fewer than two groups.

    References
    ----------
    Mantel, N. (1966). Evaluation of survival data and two new rank order statistics arising in its
    consideration. *Cancer Chemotherapy Reports*, 50(3), 163–170.
    """
    d = _used(_require_survival(survival))
    if group not in d.columns:
        raise ParameterError(f"unknown group column {group!r}; the survival table has {', '.join(map(str, d.columns))}",
                             field="group")
    d = d.loc[d[group].notna()]
    groups = sorted(d[group].astype("str").unique())
    if len(groups) < 2:
        raise ParameterError("the log-rank test needs at least two groups", field="group")
    chisq, pvalue = survdiff(
        d["duration"].to_numpy(float),
        d["event"].to_numpy(int),
        d[group].astype("str").to_numpy(),
        entry=d["entry"].to_numpy(float) if entry else None,
    )
    return pd.DataFrame(
        [
            {
                "groups": " vs ".join(groups),
                "statistic": float(chisq),
                "df": len(groups) - 1,
                "p_value": float(pvalue),
                "n": len(d),
                "n_events": int(d["event"].sum()),
                "entry": bool(entry),
            }
        ]
    )


def constant_hazard_rate(
    survival_share: float | Sequence[float] | np.ndarray, years: float | Sequence[float] | np.ndarray
):
    """Annual closure hazard implied by a survival share at ``years`` if the hazard were constant: −ln(S)/t.

    Parameters
    ----------
    survival_share : float or array
        Fractions in (0, 1] (0.64, not 64).
    years : float or array
        Horizons in years (positive).

    Returns
    -------
    float or ndarray
        Scalars in, scalar out; arrays in, array out (S = 0.5 after 1 year → ln 2 ≈ 0.693 a year).

    Raises
    ------
    ParameterError
        A share outside (0, 1] or a non-positive horizon.
    """
    s = np.asarray(survival_share, dtype=float)
    t = np.asarray(years, dtype=float)
    if np.any(~np.isfinite(s)) or np.any((s <= 0) | (s > 1)):
        raise ParameterError(
            "survival shares must be fractions in (0, 1] (0.64, not 64)", field="survival_share"
        )
    if np.any(~np.isfinite(t)) or np.any(t <= 0):
        raise ParameterError("horizons must be positive (years)", field="years")
    rate = -np.log(s) / t
    return float(rate) if rate.ndim == 0 else rate


def implied_survival(rate: float, years: float | Sequence[float] | np.ndarray):
    """Survival share after ``years`` at a constant annual hazard ``rate``: exp(−rate·t).

    Parameters
    ----------
    rate : float
        Annual hazard (zero or more).
    years : float or array
        Horizons in years.

    Returns
    -------
    float or ndarray
    """
    if isinstance(rate, bool) or not isinstance(rate, (int, float, np.number)) or not rate >= 0:
        raise ParameterError(f"expected a hazard rate of zero or more, got {rate!r}", field="rate")
    out = np.exp(-float(rate) * np.asarray(years, dtype=float))
    return float(out) if out.ndim == 0 else out


def constant_hazards(table: pd.DataFrame) -> pd.DataFrame:
    """The constant annual hazard and half-life each survival share implies.

    A quick check of the constant-hazard assumption: if S(5) and S(10) of one group imply different rates, the
    hazard is not constant.

    Parameters
    ----------
    table : DataFrame
        Columns ``group``, ``horizon`` (years) and ``survival`` (fraction), e.g. :func:`survival_at` output or
        :func:`analysis.food.quebec_survival`.

    Returns
    -------
    DataFrame
        A copy with ``hazard_rate`` (−ln(S)/t) and ``half_life_years`` (ln 2 / rate).
    """
    require_frame(table, "table", ("group", "horizon", "survival"),
                  hint="e.g. food.survival_at(survival) or food.quebec_survival(indicators)")
    out = table.copy()
    out["hazard_rate"] = constant_hazard_rate(out["survival"].to_numpy(float), out["horizon"].to_numpy(float))
    out["half_life_years"] = math.log(2) / out["hazard_rate"]
    return out
