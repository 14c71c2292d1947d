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
EVIDENCE_CRITERIA = ("momentum", "practice", "capacity")  # the criteria that need evidence from the data
EVIDENCE_OK = "ok"
SOURCE_COLUMN = "source_doc"  # the seed document a practice comes from
ROADMAP_MIN_CELLS, ROADMAP_MAX_CELLS = 3, 5  # « trois à cinq cellules » (000_c0319b767be08c98.txt §Levier 5)
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


def compute_practice_sources(practices: pd.DataFrame, region_focus: str | None = None) -> pd.DataFrame:
    """Each practice's weight when every source document weighs the same.

    A practice's weight is its multiplier (2 in ``region_focus``, else 1) divided by the sum of the multipliers of
    its source's practices, divided by the number of sources: each source's practices weigh 1 / (number of
    sources) together, so a source that lists many practices (a case book) cannot outweigh the others by its
    size alone.

    Parameters
    ----------
    practices : DataFrame
        The practice inventory (``practice_id``, ``source_doc``, ``region``).
    region_focus : str, optional
        Region whose practices count twice within their source.

    Returns
    -------
    DataFrame
        ``practice_id``, ``source_doc``, ``n_source_practices`` (practices of its source), ``weight`` (the
        weights sum to 1 over the inventory); inventory order.
    """
    _require_practices(practices, ("practice_id", SOURCE_COLUMN, "region"))
    p = practices[["practice_id", SOURCE_COLUMN, "region"]].copy()
    p[SOURCE_COLUMN] = p[SOURCE_COLUMN].astype(object).where(p[SOURCE_COLUMN].notna(), UNSPECIFIED)
    multiplier = pd.Series(1.0, index=p.index)
    if region_focus:
        focus = p["region"].astype(object).fillna("").astype(str).str.casefold() == region_focus.casefold()
        multiplier = pd.Series(np.where(focus.to_numpy(), 2.0, 1.0), index=p.index)
    n_sources = max(int(p[SOURCE_COLUMN].nunique()), 1)
    per_source = multiplier.groupby(p[SOURCE_COLUMN]).transform("sum")
    counts = p.groupby(SOURCE_COLUMN)["practice_id"].transform("count")
    return pd.DataFrame({"practice_id": p["practice_id"].to_numpy(), SOURCE_COLUMN: p[SOURCE_COLUMN].to_numpy(),
                         "n_source_practices": counts.astype(int).to_numpy(),
                         "weight": (multiplier / per_source / n_sources).to_numpy()})


def _issue_share_by_source(practices: pd.DataFrame) -> pd.Series:
    """Per issue: the mean over source documents of the share of the source's practices that target it."""
    ex = explode_issues(practices).merge(practices[["practice_id", SOURCE_COLUMN]], on="practice_id")
    sources = practices[SOURCE_COLUMN].astype(object).where(practices[SOURCE_COLUMN].notna(), UNSPECIFIED)
    size = sources.value_counts()
    ex[SOURCE_COLUMN] = ex[SOURCE_COLUMN].astype(object).where(ex[SOURCE_COLUMN].notna(), UNSPECIFIED)
    per = ex.groupby(["issue", SOURCE_COLUMN])["practice_id"].nunique().reset_index()
    per["share"] = per["practice_id"] / per[SOURCE_COLUMN].map(size)
    return per.groupby("issue")["share"].sum() / max(len(size), 1)


def _momentum_evidence(n_works: int, rate_ratio: float, p_adjusted: float, min_theme_works: int,
                       level: float | None) -> str:
    if n_works < min_theme_works:
        return "few_works"
    if not np.isfinite(rate_ratio):
        return "no_estimate"
    if level is not None and not (np.isfinite(p_adjusted) and p_adjusted < level):
        return "not_significant"
    return EVIDENCE_OK


def compute_candidate_criteria(themes: ThemeDictionary, emerging: pd.DataFrame, practices: pd.DataFrame,
                               practice_themes: pd.DataFrame, capacity: pd.Series,
                               region_focus: str | None = None, *, min_theme_works: int = 0,
                               min_practices: int = 0, min_researchers: int = 0,
                               level: float | None = None) -> pd.DataFrame:
    """One candidate cell per theme with its raw indicators, the evidence behind each criterion, and the four
    criteria scaled to [0, 1] (NaN where the evidence is insufficient).

    - alignment: half the number of roadmap levers the theme serves (÷ the largest), half the share of practices
      targeting the theme's issue, each source document weighing the same (÷ the largest); always evidenced
      (it rests on the roadmap itself);
    - momentum: log of the yearly rate ratio (emerging-theme GLM), min–max scaled over the themes with an
      estimate; it counts when the theme has at least ``min_theme_works`` works and, when ``level`` is given, its
      trend is significant (BH-adjusted p-value below ``level``, as the emerging-themes table flags it);
    - practice: practices matching the theme, each weighted so that every source document weighs the same
      (:func:`compute_practice_sources`; a practice in ``region_focus`` counts twice within its source),
      ÷ the largest; it counts from ``min_practices`` practices;
    - capacity: Québec-affiliated researchers who published on the theme, ÷ the largest; it counts when the theme
      has at least ``min_theme_works`` works and ``min_researchers`` researchers.

    Parameters
    ----------
    themes : ThemeDictionary
    emerging : DataFrame
        From :func:`analysis.vigie.compute_emerging_themes` (``theme``, ``rate_ratio``, ``n_works``,
        ``p_adjusted``); may be empty.
    practices : DataFrame
        The practice inventory (``practice_id``, ``priority_issue``, ``region``, ``source_doc``).
    practice_themes : DataFrame
        From :func:`compute_practice_themes`.
    capacity : Series
        Researchers per theme (:func:`analysis.vigie.compute_theme_capacity`); may be empty.
    region_focus : str, optional
        Region whose practices count twice (within their source).
    min_theme_works : int
        Fewest works of the theme for its literature criteria (momentum, capacity) to count.
    min_practices : int
        Fewest practices on the theme for the practice criterion to count.
    min_researchers : int
        Fewest Québec researchers on the theme for the capacity criterion to count.
    level : float, optional
        Significance level of the trend (BH-adjusted); None: any estimated trend counts.

    Returns
    -------
    DataFrame
        ``candidate`` (theme id), ``issue``, raw indicators (``n_levers``, ``issue_practice_share``, ``n_works``,
        ``rate_ratio``, ``p_adjusted``, ``n_practices``, ``n_practice_sources``, ``practice_weight``,
        ``n_researchers``), ``<criterion>_evidence`` for momentum, practice and capacity (``ok``, ``few_works``,
        ``no_estimate``, ``not_significant``, ``few_practices``, ``few_researchers``), ``n_evidence`` (criteria
        of these three with enough evidence), and ``alignment``, ``momentum``, ``practice``, ``capacity`` in
        [0, 1] or NaN.

    Raises
    ------
    ParameterError
        A table without the columns needed, a minimum that is not a whole number ≥ 0, or a level outside (0, 1).
    """
    _require_themes(themes)
    require_table(emerging, "emerging", ("theme", "rate_ratio"))
    _require_practices(practices, ("practice_id", "priority_issue", "region", SOURCE_COLUMN))
    require_table(practice_themes, "practice_themes", ("practice_id", "theme"))
    require_type(capacity, pd.Series, "capacity", hint="vigie.compute_theme_capacity() gives it")
    for value, name in ((min_theme_works, "min_theme_works"), (min_practices, "min_practices"),
                        (min_researchers, "min_researchers")):
        require_count(value, name, minimum=0)
    if level is not None and not (isinstance(level, (int, float)) and 0 < level < 1):
        raise ParameterError(f"expected a number between 0 and 1 or None, got {level!r}", field="level")
    if len(emerging) and min_theme_works > 0:
        require_table(emerging, "emerging", ("theme", "rate_ratio", "n_works"))
    if len(emerging) and level is not None:
        require_table(emerging, "emerging", ("theme", "rate_ratio", "p_adjusted"))
    issue_share = _issue_share_by_source(practices)
    weights = compute_practice_sources(practices, region_focus).set_index("practice_id")
    pt = practice_themes.merge(weights, left_on="practice_id", right_index=True, how="left")
    prac_w = pt.groupby("theme")["weight"].sum()
    prac_n = pt.groupby("theme")["practice_id"].nunique()
    prac_s = pt.groupby("theme")[SOURCE_COLUMN].nunique()
    em = emerging.set_index("theme") if len(emerging) else pd.DataFrame(columns=["rate_ratio"])
    rr = em["rate_ratio"].astype(float)
    n_works = em["n_works"] if "n_works" in em.columns else pd.Series(dtype=float)
    p_adj = em["p_adjusted"].astype(float) if "p_adjusted" in em.columns else pd.Series(dtype=float)
    rows = []
    for t in themes.themes:
        row = {"candidate": t.id, "issue": t.issue, "n_levers": len(t.levers),
               "issue_practice_share": float(issue_share.get(t.issue, 0.0)),
               "n_works": int(n_works.get(t.id, 0)) if pd.notna(n_works.get(t.id, 0)) else 0,
               "rate_ratio": float(rr.get(t.id, np.nan)), "p_adjusted": float(p_adj.get(t.id, np.nan)),
               "n_practices": int(prac_n.get(t.id, 0)), "n_practice_sources": int(prac_s.get(t.id, 0)),
               "practice_weight": float(prac_w.get(t.id, 0.0)), "n_researchers": int(capacity.get(t.id, 0))}
        row["momentum_evidence"] = _momentum_evidence(row["n_works"], row["rate_ratio"], row["p_adjusted"],
                                                      min_theme_works, level)
        row["practice_evidence"] = EVIDENCE_OK if row["n_practices"] >= max(min_practices, 1) else "few_practices"
        row["capacity_evidence"] = ("few_works" if row["n_works"] < min_theme_works else
                                    EVIDENCE_OK if row["n_researchers"] >= max(min_researchers, 1)
                                    else "few_researchers")
        rows.append(row)
    df = pd.DataFrame(rows)
    df["n_evidence"] = sum((df[f"{c}_evidence"] == EVIDENCE_OK).astype(int) for c in EVIDENCE_CRITERIA)
    df["alignment"] = 0.5 * _scale_max(df["n_levers"]) + 0.5 * _scale_max(df["issue_practice_share"])
    lrr = np.log(df["rate_ratio"].astype(float))
    lo, hi = lrr.min(skipna=True), lrr.max(skipna=True)
    momentum = ((lrr - lo) / (hi - lo)).fillna(0.0) if np.isfinite(lo) and hi > lo else pd.Series(0.0, df.index)
    values = {"momentum": momentum, "practice": _scale_max(df["practice_weight"]),
              "capacity": _scale_max(df["n_researchers"].astype(float))}
    for c in EVIDENCE_CRITERIA:
        df[c] = values[c].where(df[f"{c}_evidence"] == EVIDENCE_OK)
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


def _criteria_values(criteria: pd.DataFrame) -> np.ndarray:
    """The criteria as a matrix; a criterion without enough evidence (NaN) adds nothing to the score."""
    return np.nan_to_num(criteria[list(CRITERIA)].to_numpy(float), nan=0.0)


def _order(scores: np.ndarray, names: list[str]) -> list[int]:
    return sorted(range(len(names)), key=lambda i: (-round(float(scores[i]), 12), names[i]))


def rank_candidates(criteria: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Rank the candidate cells by a weighted mean of their criteria: score = Σ wₖ·criterionₖ / Σ wₖ.

    A criterion without enough evidence (NaN in ``criteria``) adds nothing: the cell gets no credit for it.

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
    vals = _criteria_values(criteria)
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
    Every candidate is ranked in every draw; a criterion without enough evidence (NaN) adds nothing.

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
    vals = _criteria_values(criteria)
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
    """The top ``size`` candidates of the ranking at the chosen weights, with their probability of staying in the
    top ``size`` (the point ranking alone; the report's shortlist follows :func:`select_shortlist`).

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


SHORTLIST_STATUSES = ("shortlisted", "completed", "provisional", "over_cap", "unstable", "insufficient_evidence",
                      "off_topic")


def select_shortlist(ranked: pd.DataFrame, stability: pd.DataFrame, *, min_criteria: int = 2,
                     min_stability: float = 0.5, min_cells: int = ROADMAP_MIN_CELLS,
                     max_cells: int = ROADMAP_MAX_CELLS, on_topic: bool = True) -> pd.DataFrame:
    """The full ranking with each candidate's status under the shortlist rule.

    The rule, in order:

    1. an off-topic corpus (``on_topic`` false) gives no shortlist: every candidate is ``off_topic``;
    2. a candidate is *eligible* when at least ``min_criteria`` of momentum, practice and capacity have enough
       evidence (``n_evidence``); the others are ``insufficient_evidence``, whatever their score;
    3. eligible candidates are taken by stability (``p_shortlist`` desc., then mean rank, then rank): those
       shortlisted in at least ``min_stability`` of the weight draws are ``shortlisted``, at most ``max_cells``
       (the next ones are ``over_cap``);
    4. when fewer than ``min_cells`` qualify, the most stable remaining eligible candidates complete the list up to
       ``min_cells`` (``completed``: below the stability threshold); the other eligible ones are ``unstable``;
    5. when the eligible candidates are still fewer than ``min_cells``, candidates with at least one criterion
       backed by enough evidence complete the list up to ``min_cells`` by stability (``provisional``: thin
       evidence, named as such, for the Table to confirm or drop). Candidates with no such criterion never enter.

    Parameters
    ----------
    ranked : DataFrame
        From :func:`rank_candidates` (``candidate``, ``rank``, ``score``, ``n_evidence``).
    stability : DataFrame
        From :func:`shortlist_stability` (``candidate``, ``p_shortlist``, ``mean_rank``).
    min_criteria : int
        Evidence-based criteria (of three) a candidate needs.
    min_stability : float
        Share of weight draws in which a candidate must be shortlisted.
    min_cells, max_cells : int
        Bounds of the list (the roadmap's three to five cells).
    on_topic : bool
        Whether the corpus passed the relevance threshold (:func:`analysis.vigie.relevance.compute_relevance`).

    Returns
    -------
    DataFrame
        ``ranked``'s rows in rank order with ``p_shortlist``, ``mean_rank``, ``eligible``, ``status`` (one of
        :data:`SHORTLIST_STATUSES`), ``shortlisted`` (in the list) and ``position`` (1, 2, … in the
        list: stable cells, then completing, then provisional ones, by stability within each; missing outside it).

    Raises
    ------
    ParameterError
        Missing columns, or bounds that are not whole numbers with ``1 ≤ min_cells ≤ max_cells``.
    """
    require_table(ranked, "ranked", ("candidate", "rank", "n_evidence"))
    require_table(stability, "stability", ("candidate", "p_shortlist", "mean_rank"))
    require_count(min_criteria, "min_criteria", minimum=0)
    require_count(min_cells, "min_cells")
    require_count(max_cells, "max_cells", minimum=min_cells)
    if not isinstance(min_stability, (int, float)) or isinstance(min_stability, bool) or not 0 <= min_stability <= 1:
        raise ParameterError(f"expected a share between 0 and 1, got {min_stability!r}", field="min_stability")
    out = ranked.merge(stability[["candidate", "p_shortlist", "mean_rank"]], on="candidate", how="left")
    out = out.sort_values("rank", kind="mergesort").reset_index(drop=True)
    out["eligible"] = out["n_evidence"] >= min_criteria
    status = pd.Series("insufficient_evidence", index=out.index, dtype=object)
    if not on_topic:
        status[:] = "off_topic"
    else:
        pool = out[out["eligible"]].sort_values(["p_shortlist", "mean_rank", "rank"], ascending=[False, True, True],
                                                kind="mergesort")
        stable = pool[pool["p_shortlist"] >= min_stability - 1e-12]
        status[stable.index[:max_cells]] = "shortlisted"
        status[stable.index[max_cells:]] = "over_cap"
        rest = pool.drop(stable.index)
        missing = max(min_cells - min(len(stable), max_cells), 0)
        status[rest.index[:missing]] = "completed"
        status[rest.index[missing:]] = "unstable"
        still = max(missing - len(rest), 0)
        if still:
            thin = out[~out["eligible"] & (out["n_evidence"] >= 1)].sort_values(
                ["p_shortlist", "mean_rank", "rank"], ascending=[False, True, True], kind="mergesort")
            status[thin.index[:still]] = "provisional"
    out["status"] = status
    out["shortlisted"] = out["status"].isin(["shortlisted", "completed", "provisional"])
    # the list's order: stable cells first, then those completing it, then the provisional ones; by stability within
    chosen = out[out["shortlisted"]]
    tiers = {"shortlisted": 0, "completed": 1, "provisional": 2}
    chosen = chosen.assign(_tier=chosen["status"].map(tiers)).sort_values(
        ["_tier", "p_shortlist", "mean_rank", "rank"], ascending=[True, False, True, True], kind="mergesort")
    out["position"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out.loc[chosen.index, "position"] = np.arange(1, len(chosen) + 1)
    return out


def compute_source_sensitivity(themes: ThemeDictionary, emerging: pd.DataFrame, practices: pd.DataFrame,
                               practice_themes: pd.DataFrame, capacity: pd.Series, weights: dict[str, float], *,
                               region_focus: str | None = None, size: int = 4, n_resamples: int = 1000,
                               seed: int = 42, min_theme_works: int = 0, min_practices: int = 0,
                               min_researchers: int = 0, level: float | None = None, min_criteria: int = 2,
                               min_stability: float = 0.5, on_topic: bool = True) -> pd.DataFrame:
    """The shortlist rule run again with the practices of one source document left out, for each source.

    A sceptic's test of the practice inventory: if leaving one document out changes the shortlist, that document
    decides it. The criteria, the ranking, the weight draws (same seed) and :func:`select_shortlist` are the
    report's own, on the inventory without that source.

    Parameters
    ----------
    themes, emerging, practices, practice_themes, capacity, region_focus, min_theme_works, min_practices, \
min_researchers, level
        As :func:`compute_candidate_criteria`.
    weights, size, n_resamples, seed
        As :func:`shortlist_stability`.
    min_criteria, min_stability, on_topic
        As :func:`select_shortlist`.

    Returns
    -------
    DataFrame
        ``left_out`` (a ``source_doc``; sources in inventory order), ``candidate``, ``rank``, ``p_shortlist``,
        ``status``, ``shortlisted``; candidates in dictionary order within each source.
    """
    _require_practices(practices, ("practice_id", SOURCE_COLUMN))
    require_table(practice_themes, "practice_themes", ("practice_id", "theme"))
    sources = list(dict.fromkeys(practices[SOURCE_COLUMN].dropna()))
    order = {t: i for i, t in enumerate(themes.ids())}
    parts = []
    for source in sources:
        kept = practices[practices[SOURCE_COLUMN] != source]
        kept_themes = practice_themes[practice_themes["practice_id"].isin(kept["practice_id"])]
        criteria = compute_candidate_criteria(themes, emerging, kept, kept_themes, capacity, region_focus,
                                              min_theme_works=min_theme_works, min_practices=min_practices,
                                              min_researchers=min_researchers, level=level)
        ranked = rank_candidates(criteria, weights)
        stability = shortlist_stability(criteria, weights, size, n_resamples, seed)
        cells = select_shortlist(ranked, stability, min_criteria=min_criteria, min_stability=min_stability,
                                 on_topic=on_topic)
        part = cells[["candidate", "rank", "p_shortlist", "status", "shortlisted"]].copy()
        part.insert(0, "left_out", source)
        part["_o"] = part["candidate"].map(order)
        parts.append(part.sort_values("_o").drop(columns="_o"))
    cols = ["left_out", "candidate", "rank", "p_shortlist", "status", "shortlisted"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)
