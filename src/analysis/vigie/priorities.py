"""Priorities of the innovation watch: practice inventory, research problems and the ranking of innovation cells.

Research problems are issues or themes where cooperative practice is present but the literature is thin; the gap
score is plainly *practice share − literature share*. Candidate innovation cells (one per theme) are ranked by a
weighted mean of four criteria scaled to [0, 1]; the shortlist's stability is the probability that a candidate
stays in it when the weights are redrawn around the chosen ones (seeded Dirichlet resampling).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.checks import require_type
from analysis.core.errors import ParameterError
from analysis.core.tables import split_list
from analysis.vigie.arguments import require_count, require_table
from analysis.vigie.themes import ThemeDictionary, compute_work_themes

CRITERIA = ("alignment", "momentum", "practice", "capacity")
PRACTICE_FIELDS = ("description", "sector")
UNSPECIFIED = "unspecified"  # a practice without a value (e.g. no region): a code the report names


def _require_themes(themes: object) -> None:
    require_type(themes, ThemeDictionary, "themes", hint="load it with vigie.load_themes()")


def _require_practices(practices: object, columns: tuple[str, ...] = ("practice_id",)) -> None:
    require_table(practices, "practices", columns)


def explode_issues(practices: pd.DataFrame) -> pd.DataFrame:
    """(practice_id, issue): one row per practice and priority issue it targets.

    Parameters
    ----------
    practices : DataFrame
        The practice inventory (:func:`analysis.vigie.load_practices`).

    Returns
    -------
    DataFrame
    """
    _require_practices(practices, ("practice_id", "priority_issue"))
    rows = [(pid, code) for pid, cell in zip(practices["practice_id"], practices["priority_issue"])
            for code in split_list(cell)]
    return pd.DataFrame(rows, columns=["practice_id", "issue"])


def compute_practice_inventory(practices: pd.DataFrame, by: str) -> pd.DataFrame:
    """Practices per value of a column of the inventory.

    Parameters
    ----------
    practices : DataFrame
        The practice inventory (:func:`analysis.vigie.load_practices`).
    by : str
        A column: ``priority_issue`` (each targeted issue counts), ``innovation_type``, ``sector``, ``region``…

    Returns
    -------
    DataFrame
        ``<by>`` (missing values as ``UNSPECIFIED``, ``"unspecified"``), ``n_practices``, ``share``; by practices
        (desc.), then value.
    """
    _require_practices(practices, ("practice_id", by))
    if by == "priority_issue":
        d = explode_issues(practices).rename(columns={"issue": by})
    else:
        d = practices[["practice_id", by]].copy()
        d[by] = d[by].astype(object).where(d[by].notna(), UNSPECIFIED)
    g = d.groupby(by)["practice_id"].nunique().rename("n_practices").reset_index()
    g["share"] = g["n_practices"] / practices["practice_id"].nunique()
    return g.sort_values(["n_practices", by], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def compute_practice_themes(practices: pd.DataFrame, themes: ThemeDictionary) -> pd.DataFrame:
    """(practice_id, theme): the theme dictionary applied to each practice's description and sector.

    Parameters
    ----------
    practices : DataFrame
        The practice inventory.
    themes : ThemeDictionary

    Returns
    -------
    DataFrame
    """
    _require_practices(practices, ("practice_id", "description", "sector"))
    _require_themes(themes)
    p = practices.copy()
    p["sector"] = p["sector"].astype(object).where(p["sector"].notna(), "").astype(str).str.replace("_", " ")
    return compute_work_themes(p, themes, id_col="practice_id", fields=PRACTICE_FIELDS)


def _gap_table(keys: list[str], prac: pd.Series, n_prac: int, lit: pd.Series, n_lit: int, key: str) -> pd.DataFrame:
    rows = []
    for k in keys:
        p = int(prac.get(k, 0))
        w = int(lit.get(k, 0))
        ps = p / n_prac if n_prac else np.nan
        ls = w / n_lit if n_lit else 0.0  # no literature at all: its share is zero, the gap is the practice share
        rows.append({key: k, "n_practices": p, "practice_share": ps, "n_works": w, "literature_share": ls,
                     "gap": ps - ls})
    return pd.DataFrame(rows)


def compute_issue_gaps(practices: pd.DataFrame, work_themes: pd.DataFrame, themes: ThemeDictionary) -> pd.DataFrame:
    """Per priority issue: share of practices targeting it vs share of themed works on it, and their gap.

    Literature share = works with at least one theme of that issue / works with at least one theme.

    Parameters
    ----------
    practices : DataFrame
        The practice inventory.
    work_themes : DataFrame
        From :func:`analysis.vigie.compute_work_themes` (the literature).
    themes : ThemeDictionary

    Returns
    -------
    DataFrame
        ``issue``, ``n_practices``, ``practice_share``, ``n_works``, ``literature_share``, ``gap``; largest gap
        first.
    """
    _require_practices(practices, ("practice_id", "priority_issue"))
    require_table(work_themes, "work_themes", ("work_id", "theme"))
    _require_themes(themes)
    issues = list(themes.issues) or sorted({t.issue for t in themes.themes})
    ex = explode_issues(practices)
    prac = ex.groupby("issue")["practice_id"].nunique()
    t2i = {t.id: t.issue for t in themes.themes}
    wi = work_themes.assign(issue=work_themes["theme"].map(t2i))
    lit = wi.groupby("issue")["work_id"].nunique()
    out = _gap_table(issues, prac, int(practices["practice_id"].nunique()), lit, int(work_themes["work_id"].nunique()),
                     "issue")
    return out.sort_values(["gap", "issue"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def compute_theme_gaps(practice_themes: pd.DataFrame, n_practices: int, work_themes: pd.DataFrame,
                       themes: ThemeDictionary) -> pd.DataFrame:
    """Per theme: share of practices matching it vs share of themed works, and their gap (practice − literature).

    Parameters
    ----------
    practice_themes : DataFrame
        From :func:`compute_practice_themes`.
    n_practices : int
        Practices in the inventory.
    work_themes : DataFrame
        From :func:`analysis.vigie.compute_work_themes`.
    themes : ThemeDictionary

    Returns
    -------
    DataFrame
        ``theme``, ``n_practices``, ``practice_share``, ``n_works``, ``literature_share``, ``gap``, ``issue``;
        largest gap first.
    """
    require_table(practice_themes, "practice_themes", ("practice_id", "theme"))
    require_count(n_practices, "n_practices", minimum=0)
    require_table(work_themes, "work_themes", ("work_id", "theme"))
    _require_themes(themes)
    prac = practice_themes.groupby("theme")["practice_id"].nunique()
    lit = work_themes.groupby("theme")["work_id"].nunique()
    out = _gap_table(themes.ids(), prac, n_practices, lit, int(work_themes["work_id"].nunique()), "theme")
    out["issue"] = out["theme"].map({t.id: t.issue for t in themes.themes})
    return out.sort_values(["gap", "theme"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def compute_research_problems(gaps: pd.DataFrame) -> pd.DataFrame:
    """The research problems: rows with at least one practice and a positive gap, largest gap first.

    Parameters
    ----------
    gaps : DataFrame
        From :func:`compute_theme_gaps` or :func:`compute_issue_gaps`.

    Returns
    -------
    DataFrame
    """
    require_table(gaps, "gaps", ("n_practices", "gap"))
    out = gaps[(gaps["n_practices"] > 0) & (gaps["gap"] > 0)]
    return out.reset_index(drop=True)


def _scale_max(s: pd.Series) -> pd.Series:
    s = s.astype(float).fillna(0.0)
    m = float(s.max()) if len(s) else 0.0
    return s / m if m > 0 else s * 0.0


def compute_candidate_criteria(themes: ThemeDictionary, emerging: pd.DataFrame, practices: pd.DataFrame,
                               practice_themes: pd.DataFrame, capacity: pd.Series,
                               region_focus: str | None = None) -> pd.DataFrame:
    """One candidate cell per theme with its raw indicators and the four criteria scaled to [0, 1].

    - alignment: half the number of roadmap levers the theme serves (÷ the largest), half the share of practices
      targeting the theme's issue (÷ the largest);
    - momentum: log of the yearly rate ratio (emerging-theme GLM), min–max scaled; no estimate → 0;
    - practice: practices matching the theme (a practice in ``region_focus`` counts twice), ÷ the largest;
    - capacity: Québec-affiliated researchers who published on the theme, ÷ the largest.

    Parameters
    ----------
    themes : ThemeDictionary
    emerging : DataFrame
        From :func:`analysis.vigie.compute_emerging_themes` (``theme``, ``rate_ratio``); may be empty.
    practices : DataFrame
        The practice inventory.
    practice_themes : DataFrame
        From :func:`compute_practice_themes`.
    capacity : Series
        Researchers per theme (:func:`analysis.vigie.compute_theme_capacity`); may be empty.
    region_focus : str, optional
        Region whose practices count twice.

    Returns
    -------
    DataFrame
        ``candidate`` (theme id), ``issue``, raw indicators, and ``alignment``, ``momentum``, ``practice``,
        ``capacity`` in [0, 1].
    """
    _require_themes(themes)
    require_table(emerging, "emerging", ("theme", "rate_ratio"))
    _require_practices(practices, ("practice_id", "priority_issue", "region"))
    require_table(practice_themes, "practice_themes", ("practice_id", "theme"))
    require_type(capacity, pd.Series, "capacity", hint="vigie.compute_theme_capacity() gives it")
    ex = explode_issues(practices)
    n_prac = max(int(practices["practice_id"].nunique()), 1)
    issue_share = ex.groupby("issue")["practice_id"].nunique() / n_prac
    weight = pd.Series(1.0, index=practices["practice_id"])
    if region_focus:
        focus = practices["region"].astype(object).fillna("").astype(str).str.casefold() == region_focus.casefold()
        weight = pd.Series(np.where(focus.to_numpy(), 2.0, 1.0), index=practices["practice_id"])
    pt = practice_themes.assign(w=practice_themes["practice_id"].map(weight).fillna(1.0))
    prac_w = pt.groupby("theme")["w"].sum()
    prac_n = pt.groupby("theme")["practice_id"].nunique()
    rr = emerging.set_index("theme")["rate_ratio"] if len(emerging) else pd.Series(dtype=float)
    rows = []
    for t in themes.themes:
        rows.append({"candidate": t.id, "issue": t.issue, "n_levers": len(t.levers),
                     "issue_practice_share": float(issue_share.get(t.issue, 0.0)),
                     "rate_ratio": float(rr.get(t.id, np.nan)), "n_practices": int(prac_n.get(t.id, 0)),
                     "practice_weight": float(prac_w.get(t.id, 0.0)), "n_researchers": int(capacity.get(t.id, 0))})
    df = pd.DataFrame(rows)
    df["alignment"] = 0.5 * _scale_max(df["n_levers"]) + 0.5 * _scale_max(df["issue_practice_share"])
    lrr = np.log(df["rate_ratio"].astype(float))
    lo, hi = lrr.min(skipna=True), lrr.max(skipna=True)
    df["momentum"] = ((lrr - lo) / (hi - lo)).fillna(0.0) if np.isfinite(lo) and hi > lo else 0.0
    df["practice"] = _scale_max(df["practice_weight"])
    df["capacity"] = _scale_max(df["n_researchers"].astype(float))
    return df


def _normalize_weights(weights: dict[str, float]) -> np.ndarray:
    require_type(weights, dict, "weights", hint=f"a mapping of {', '.join(CRITERIA)} to numbers")
    unknown = sorted(set(weights) - set(CRITERIA))
    if unknown:
        raise ParameterError(f"unknown criteria {unknown}; expected {', '.join(CRITERIA)}", field="weights")
    w = np.array([float(weights.get(c, 0.0)) for c in CRITERIA])
    if (w < 0).any() or w.sum() <= 0:
        raise ParameterError("weights must be non-negative with a positive sum", field="weights")
    return w / w.sum()


def _scores(values: np.ndarray, w: np.ndarray) -> np.ndarray:
    return values @ w


def _order(scores: np.ndarray, names: list[str]) -> list[int]:
    return sorted(range(len(names)), key=lambda i: (-round(float(scores[i]), 12), names[i]))


def rank_candidates(criteria: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Rank the candidate cells by a weighted mean of their criteria: score = Σ wₖ·criterionₖ / Σ wₖ.

    Parameters
    ----------
    criteria : DataFrame
        From :func:`compute_candidate_criteria`.
    weights : dict
        Weight of each criterion (alignment, momentum, practice, capacity); normalised to sum 1.

    Returns
    -------
    DataFrame
        The criteria with ``score`` and ``rank`` (1 = best; ties by candidate id), best first.

    Raises
    ------
    ParameterError
        When a weight is negative, unknown, or all are zero.
    """
    require_table(criteria, "criteria", ("candidate", *CRITERIA))
    w = _normalize_weights(weights)
    vals = criteria[list(CRITERIA)].to_numpy(float)
    s = _scores(vals, w)
    names = criteria["candidate"].astype(str).tolist()
    order = _order(s, names)
    out = criteria.copy()
    out["score"] = s
    rank = np.empty(len(order), dtype=int)
    rank[order] = np.arange(1, len(order) + 1)
    out["rank"] = rank
    return out.sort_values("rank").reset_index(drop=True)


def shortlist_stability(criteria: pd.DataFrame, weights: dict[str, float], size: int, n_resamples: int = 1000,
                        seed: int = 42, concentration: float | None = 20.0) -> pd.DataFrame:
    """Probability that each candidate is in the top ``size`` when weights are drawn from a Dirichlet law.

    ``concentration`` c: weights ~ Dirichlet(c·w) centred on the chosen (normalized) weights w (zero weights get a
    small floor, 0.05); ``None``: uniform Dirichlet(1, …, 1), i.e. any weighting equally likely. Also the mean rank.

    Parameters
    ----------
    criteria : DataFrame
        From :func:`compute_candidate_criteria`.
    weights : dict
        The chosen weights.
    size : int
        Shortlist size.
    n_resamples : int
        Weight draws.
    seed : int
        Seed of the draws.
    concentration : float or None

    Returns
    -------
    DataFrame
        ``candidate``, ``p_shortlist``, ``mean_rank``.
    """
    require_table(criteria, "criteria", ("candidate", *CRITERIA))
    require_count(size, "size")
    require_count(n_resamples, "n_resamples")
    w = _normalize_weights(weights)
    alpha = np.ones(len(CRITERIA)) if concentration is None else np.maximum(concentration * w, 0.05)
    rng = np.random.default_rng(seed)
    draws = rng.dirichlet(alpha, size=n_resamples)
    vals = criteria[list(CRITERIA)].to_numpy(float)
    names = criteria["candidate"].astype(str).tolist()
    inside = np.zeros(len(names))
    ranks = np.zeros(len(names))
    for d in draws:
        order = _order(_scores(vals, d), names)
        r = np.empty(len(order))
        r[order] = np.arange(1, len(order) + 1)
        ranks += r
        inside[order[:size]] += 1
    return pd.DataFrame({"candidate": names, "p_shortlist": inside / n_resamples, "mean_rank": ranks / n_resamples})


def compute_shortlist(ranked: pd.DataFrame, stability: pd.DataFrame, size: int) -> pd.DataFrame:
    """The top ``size`` candidates of the ranking with their probability of staying in the shortlist.

    Parameters
    ----------
    ranked : DataFrame
        From :func:`rank_candidates`.
    stability : DataFrame
        From :func:`shortlist_stability`.
    size : int

    Returns
    -------
    DataFrame
    """
    require_table(ranked, "ranked", ("candidate", "rank"))
    require_table(stability, "stability", ("candidate", "p_shortlist"))
    require_count(size, "size")
    top = ranked.head(size).merge(stability, on="candidate", how="left")
    return top.reset_index(drop=True)
