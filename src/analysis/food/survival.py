"""Co-op survival: Kaplan–Meier curves with delayed entry (left truncation), log-rank tests, constant hazards.

Registers extracted at one date only list organisations that were still on the books at the start of their
observation window (the Co-operatives UK 2016 extract records dissolutions from 2011 on): co-ops that closed
earlier are absent. Each co-op therefore enters the risk set at its age on the window start ("delayed entry");
ignoring this ("naive" curve) overstates survival. Durations are in years (365.25 days).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from analysis.core.errors import ParameterError, SchemaError

DAYS_PER_YEAR = 365.25
# The Co-operatives UK open-data extract of June 2016 (folder "2016-06"); its latest recorded dissolution is
# 2016-04-27 and its latest incorporation 2016-05-18, both before this date.
UK_WINDOW_START = "2011-01-01"
UK_EXTRACT_DATE = "2016-06-01"

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

DEFAULT_LABELS = {
    "food": "Coopératives alimentaires",
    "other": "Autres secteurs",
    "all": "Toutes les coopératives",
}

SURVIVAL_COLUMNS = ["org_id", "duration", "event", "entry", "exclusion_reason"]


def _ts(value: str | pd.Timestamp, name: str) -> pd.Timestamp:
    try:
        return pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"date invalide « {value} »", field=name) from exc


def prepare_survival(
    orgs: pd.DataFrame,
    window_start: str | pd.Timestamp | None = UK_WINDOW_START,
    window_end: str | pd.Timestamp = UK_EXTRACT_DATE,
    keep: Sequence[str] = ("sector_group", "food_subsector", "sector", "legal_form"),
) -> pd.DataFrame:
    """Durations (years from incorporation to dissolution, or to ``window_end`` if still alive), event flag,
    and entry age (age at ``window_start``; 0 if incorporated later, or if ``window_start`` is None: no
    truncation).

    Input columns: org_id, incorporated, dissolved (datetimes), status ("Live"/"Dead"). Every input row is
    returned; rows that cannot be used carry a French ``exclusion_reason`` (empty string = used). A dated
    dissolution counts as an event even when the status says "Live"; a dissolution after ``window_end`` is
    censored at ``window_end``.
    """
    for col in ("org_id", "incorporated", "dissolved", "status"):
        if col not in orgs.columns:
            raise SchemaError(f"colonne absente : {col}", field=col)
    end = _ts(window_end, "window_end")
    start = _ts(window_start, "window_start") if window_start is not None else None
    if start is not None and start >= end:
        raise ParameterError("window_start doit précéder window_end", field="window_start")
    inc = pd.to_datetime(orgs["incorporated"])
    dis = pd.to_datetime(orgs["dissolved"])
    dead = orgs["status"].astype("str").eq("Dead")

    reason = pd.Series("", index=orgs.index, dtype="str")

    def mark(mask: pd.Series, why: str) -> None:
        reason.loc[mask.fillna(False).astype(bool) & (reason == "")] = why

    mark(inc.isna(), "date de constitution manquante")
    mark(inc > end, "constituée après la fin de la fenêtre")
    mark(dead & dis.isna(), "dissoute sans date de dissolution")
    mark(dis < inc, "dissolution antérieure à la constitution")
    if start is not None:
        mark(dis < start, "dissoute avant le début de la fenêtre")

    event = dis.notna() & (dis <= end)
    stop = dis.where(event, end)
    duration = (stop - inc).dt.days / DAYS_PER_YEAR
    if start is not None:
        entry = ((start - inc).dt.days / DAYS_PER_YEAR).clip(lower=0)
    else:
        entry = pd.Series(0.0, index=orgs.index)
    mark(duration <= entry, "durée nulle après l'entrée")

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
    return out.reset_index(drop=True)


def prepare_survival_req(
    df: pd.DataFrame,
    window_start: str | pd.Timestamp | None = None,
    window_end: str | pd.Timestamp | None = None,
    coop_forms: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Same preparation for an extract in the REQ "Entreprise.csv" layout (NEQ, DAT_IMMAT, COD_STAT_IMMAT,
    DAT_STAT_IMMAT, COD_FORME_JURI; dates YYYY-MM-DD).

    Closed = status RD/RO/RX, dated by DAT_STAT_IMMAT. ``window_end`` defaults to the latest date in the
    extract; ``window_start`` (default None = no left truncation) is the first date from which closures are
    kept. ``coop_forms``, if given, lists the COD_FORME_JURI codes counted as co-operatives (column
    ``is_coop``); the codes are decoded by the register's DomaineValeur.csv, which this function does not
    guess.
    """
    missing = [c for c in REQ_COLUMNS if c not in df.columns]
    if missing:
        raise SchemaError(f"colonnes REQ absentes : {', '.join(missing)}", field=missing[0])
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
            raise SchemaError(f"date illisible « {txt.iloc[i]} »", line=i + 2, field=field)
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
    if window_end is None:
        latest = pd.concat([dates["incorporated"], dates["status_date"]]).max()
        if pd.isna(latest):
            raise ParameterError("aucune date dans l'extrait REQ : précisez window_end", field="window_end")
        window_end = latest
    out = prepare_survival(orgs, window_start, window_end, keep=("legal_form", "status_code", "is_coop"))
    unknown = ~code.isin((*REQ_ALIVE, *REQ_CLOSED)).to_numpy()
    out.loc[unknown & (out["exclusion_reason"] == ""), "exclusion_reason"] = [
        f"statut REQ non retenu ({c})" for c in code[unknown & (out["exclusion_reason"] == "").to_numpy()]
    ]
    out.loc[unknown, ["duration", "entry"]] = np.nan
    out.loc[unknown, "event"] = False
    return out


def exclusions(df: pd.DataFrame) -> pd.DataFrame:
    """How many rows each exclusion reason removed (sorted by count)."""
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
        raise ParameterError(f"colonne de groupe inconnue « {group} »", field="group")
    return [(str(k), g) for k, g in sorted(d.groupby(group, sort=False), key=lambda kv: str(kv[0]))]


def _fit(d: pd.DataFrame, entry: bool):
    from statsmodels.duration.survfunc import SurvfuncRight

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


def km_survival(df: pd.DataFrame, entry: bool = True, group: str | None = None) -> pd.DataFrame:
    """Kaplan–Meier table per group: time (years), survival, 95 % CI (log-log, Greenwood SE), at risk, events.

    ``entry=True`` uses delayed entry (left truncation); ``entry=False`` is the naive estimate. A first row at
    time 0 with survival 1 is included for plotting.
    """
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
    df: pd.DataFrame, horizons: Sequence[float] = (5, 10), group: str | None = None, entry: bool = True
) -> pd.DataFrame:
    """Survival at each horizon (years) with 95 % CI, per group; also n co-ops, events and the number at risk
    just before the horizon (how much information the estimate rests on)."""
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
    df: pd.DataFrame, horizons: Sequence[float] = (5, 10), group: str | None = None
) -> pd.DataFrame:
    """Side by side: survival ignoring left truncation (naive) and with delayed entry, and the gap in
    points."""
    naive = survival_at(df, horizons, group, entry=False)
    trunc = survival_at(df, horizons, group, entry=True)
    keys = ["group", "horizon"]
    cols = ["survival", "ci_low", "ci_high"]
    out = naive[keys + cols].merge(
        trunc[keys + cols + ["n", "n_events"]], on=keys, suffixes=("_naive", "_truncated"), validate="1:1"
    )
    out["gap_points"] = 100 * (out["survival_naive"] - out["survival_truncated"])
    return out


def logrank_test(df: pd.DataFrame, group: str = "sector_group", entry: bool = True) -> pd.DataFrame:
    """Log-rank test of equal survival across the groups (statsmodels ``survdiff``, delayed entry by
    default)."""
    from statsmodels.duration.survfunc import survdiff

    d = _used(df)
    if group not in d.columns:
        raise ParameterError(f"colonne de groupe inconnue « {group} »", field="group")
    d = d.loc[d[group].notna()]
    groups = sorted(d[group].astype("str").unique())
    if len(groups) < 2:
        raise ParameterError("il faut au moins deux groupes pour le test du log-rank", field="group")
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
    """Annual closure hazard implied by a survival share at ``years`` if the hazard were constant: -ln(S)/t.

    Shares are fractions (0.64, not 64). Scalars in, scalar out; arrays in, array out.
    """
    s = np.asarray(survival_share, dtype=float)
    t = np.asarray(years, dtype=float)
    if np.any(~np.isfinite(s)) or np.any((s <= 0) | (s > 1)):
        raise ParameterError(
            "la part de survivantes doit être dans ]0 ; 1] (ex. 0.64, pas 64)", field="survival_share"
        )
    if np.any(~np.isfinite(t)) or np.any(t <= 0):
        raise ParameterError("la durée doit être positive (années)", field="years")
    rate = -np.log(s) / t
    return float(rate) if rate.ndim == 0 else rate


def implied_survival(rate: float, years: float | Sequence[float] | np.ndarray):
    """Survival share after ``years`` at a constant annual hazard ``rate``: exp(-rate·t)."""
    out = np.exp(-float(rate) * np.asarray(years, dtype=float))
    return float(out) if out.ndim == 0 else out


def compute_constant_hazards(table: pd.DataFrame) -> pd.DataFrame:
    """For a table with columns group, horizon (years), survival (fraction): add the implied constant annual
    hazard and the survival it predicts at the other horizons of the same group (a quick check of the
    constant-hazard assumption: if S(5) and S(10) imply different rates, the hazard is not constant)."""
    for col in ("group", "horizon", "survival"):
        if col not in table.columns:
            raise SchemaError(f"colonne absente : {col}", field=col)
    out = table.copy()
    out["hazard_rate"] = constant_hazard_rate(out["survival"].to_numpy(float), out["horizon"].to_numpy(float))
    out["half_life_years"] = math.log(2) / out["hazard_rate"]
    return out


def plot_km(
    km: pd.DataFrame,
    title: str = "Survie des coopératives (Kaplan–Meier)",
    labels: dict[str, str] | None = None,
    horizons: Sequence[float] = (5, 10),
    max_years: float | None = 60,
):
    """Step curves per group with 95 % CI bands; dotted verticals at the horizons. Returns a matplotlib
    Figure."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    for i, (name, g) in enumerate(km.groupby("group", sort=True)):
        g = g.sort_values("time")
        if max_years is not None:
            g = g.loc[g["time"] <= max_years]
        color = f"C{i}"
        label = {**DEFAULT_LABELS, **(labels or {})}.get(name, name)
        ax.step(g["time"], g["survival"] * 100, where="post", color=color, label=label)
        ax.fill_between(
            g["time"], g["ci_low"] * 100, g["ci_high"] * 100, step="post", color=color, alpha=0.2, linewidth=0
        )
    for h in horizons:
        ax.axvline(h, color="grey", linestyle=":", linewidth=1)
    ax.set_ylim(0, 101)
    ax.set_xlim(left=0)
    ax.set_xlabel("Âge depuis la constitution (années)")
    ax.set_ylabel("Coopératives toujours actives (%)")
    ax.set_title(title)
    ax.legend(frameon=False, loc="lower left")
    fig.tight_layout()
    return fig
