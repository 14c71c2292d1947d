"""Hand review of the fuzzy name matching (pole directory ↔ enterprise register): sample, labels, precision.

:func:`analysis.ecosystem.match_directory` pairs each directory entry with its best register candidate and accepts
it above a score threshold. How often an accepted pair is the same enterprise is measured here on pairs labelled by
hand: :func:`review_sample` draws them (every candidate near the threshold, plus a seeded random sample of the pairs
whose names are identical after normalization), ``data/raw/ecosystem/match_review.csv`` holds the project's labels
(register NEQ, directory line, score, label, reason code — no name or other field of the two datasets), and
:func:`match_precision` gives the precision of the accepted pairs by score band with Wilson 95 % intervals.
:func:`compare_match_rules` puts several acceptance rules side by side on the same labels.

Labels: ``match`` (the same enterprise), ``different`` (not the same enterprise), ``unsure`` (cannot tell from the
names and places). Unsure pairs are counted and left out of the precision.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core import paths
from analysis.core.checks import require_frame, require_positive, require_type
from analysis.core.errors import ParameterError, SchemaError
from analysis.core.stats import wilson_interval
from analysis.ecosystem._common import first_true, input_path, recorded_path
from analysis.ecosystem.territory import accept_matches

REVIEW_FILE = "ecosystem/match_review.csv"
REVIEW_COLUMNS = ["neq", "directory_line", "score", "label", "reason"]
LABELS = ("match", "different", "unsure")
REASONS = {
    "match": ("same_name", "spelling_variant", "words_added", "division"),
    "different": ("word_substituted", "generic_words_only"),
    "unsure": ("cannot_tell",),
}
# lower edges of the score bands, highest first: "100" holds the pairs whose names are identical once normalized
BAND_EDGES = (100.0, 95.0, 90.0, 85.0, 80.0, 75.0, 70.0)
BELOW = "below"
REVIEW_LOW = 70.0          # every candidate from this score to 100 (excluded) is in the sample
REVIEW_EXACT = 30          # pairs drawn at random among those scoring 100
REVIEW_SEED = 20250607     # the register extract's date: the sample is the same on every machine
SCORE_TOLERANCE = 0.01     # a reviewed pair's recorded score may differ from the recomputed one by this much
MATCH_HINT = "compute it with ecosystem.match_directory()"


def score_band(score: float) -> str:
    """The band of a name-similarity score: ``"100"``, ``"95-100"``, ``"90-95"``, … ``"70-75"`` or ``"below"``
    (under 70).

    Parameters
    ----------
    score : float
        A score of :func:`analysis.ecosystem.name_score` (0–100).

    Returns
    -------
    str
        The band code; a band ``"lo-hi"`` holds the scores from lo included to hi excluded.

    Raises
    ------
    ParameterError
        ``score`` is not a number between 0 and 100.
    """
    require_positive(score, "score", allow_zero=True)
    if score > 100:
        raise ParameterError(f"expected a score between 0 and 100, got {score!r}", field="score")
    if score >= BAND_EDGES[0]:
        return f"{BAND_EDGES[0]:g}"
    for high, low in zip(BAND_EDGES, BAND_EDGES[1:]):
        if score >= low:
            return f"{low:g}-{high:g}"
    return BELOW


def band_codes() -> list[str]:
    """Every band code of :func:`score_band`, highest first.

    Returns
    -------
    list of str
        ``["100", "95-100", "90-95", "85-90", "80-85", "75-80", "70-75", "below"]``.
    """
    return [f"{BAND_EDGES[0]:g}"] + [f"{lo:g}-{hi:g}" for hi, lo in zip(BAND_EDGES, BAND_EDGES[1:])] + [BELOW]


def _matches(matches: object) -> pd.DataFrame:
    return require_frame(matches, "matches", columns=("directory_line", "neq", "score", "word_conflict",
                                                      "same_municipality", "matched"), hint=MATCH_HINT)


def review_sample(matches: pd.DataFrame, low: float = REVIEW_LOW, exact: int = REVIEW_EXACT,
                  seed: int = REVIEW_SEED) -> pd.DataFrame:
    """The pairs to label by hand: every candidate scoring from ``low`` to under 100, and ``exact`` pairs drawn at
    random (seeded) among those scoring 100.

    Parameters
    ----------
    matches : DataFrame
        The table of :func:`analysis.ecosystem.match_directory`.
    low : float, default 70
        Lowest score of the fully reviewed range (the threshold's neighbourhood).
    exact : int, default 30
        How many pairs to draw among those scoring 100 (all of them if fewer).
    seed : int, default 20250607
        Seed of the draw (numpy ``default_rng``), over the pairs sorted by directory line.

    Returns
    -------
    DataFrame
        neq, directory_line, score, band; sorted by score (descending) then directory line.

    Raises
    ------
    ParameterError
        ``matches`` is not the table of :func:`analysis.ecosystem.match_directory`, or a bad ``low``, ``exact`` or
        ``seed``.
    """
    _matches(matches)
    score_band(low)
    require_type(exact, (int, np.integer), "exact")
    require_positive(exact, "exact", allow_zero=True)
    require_type(seed, (int, np.integer), "seed")
    pairs = matches[matches["neq"].notna()]
    near = pairs[(pairs["score"] >= low) & (pairs["score"] < BAND_EDGES[0])]
    top = pairs[pairs["score"] >= BAND_EDGES[0]].sort_values("directory_line", kind="stable")
    rng = np.random.default_rng(seed)
    drawn = top.iloc[np.sort(rng.choice(len(top), size=min(exact, len(top)), replace=False))] if len(top) else top
    out = pd.concat([near, drawn])[["neq", "directory_line", "score"]].copy()
    out["band"] = [score_band(s) for s in out["score"]]
    out = out.sort_values(["score", "directory_line"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def load_match_review(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The project's hand labels of directory ↔ register pairs, validated.

    Parameters
    ----------
    path : str or path-like, optional
        A CSV with columns neq, directory_line, score, label, reason. Default: ``data/raw/ecosystem/match_review.csv``
        (the sample of :func:`review_sample` on the default datasets, labelled by the project; see the README
        beside it).

    Returns
    -------
    DataFrame
        source_line, neq (str, 10 digits), directory_line (int), score (float), label (``match``, ``different``,
        ``unsure``), reason (a code of :data:`REASONS` for that label); ``attrs["path"]`` names the file.

    Raises
    ------
    SchemaError
        File absent, a column missing, a bad NEQ, line, score, label or reason, or a pair listed twice (file, line
        and column named).
    ParameterError
        ``path`` is not a path.
    """
    path = input_path(path, paths.RAW / REVIEW_FILE)
    where = paths.relative(path)
    if not path.exists():
        raise SchemaError("match review file not found", path=where)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SchemaError(f"not UTF-8 (byte {exc.start})", path=where) from None
    missing = [c for c in REVIEW_COLUMNS if c not in raw.columns]
    if missing:
        raise SchemaError(f"missing columns: {', '.join(missing)}", path=where, field=missing[0])
    df = raw[REVIEW_COLUMNS].apply(lambda c: c.str.strip())

    def fail(mask: pd.Series, field: str, message: str) -> None:
        if mask.any():
            i = first_true(mask)
            raise SchemaError(f"{message}: {raw[field].iloc[i]!r}", path=where, line=i + 2, field=field)

    fail(~df["neq"].str.fullmatch(r"\d{10}"), "neq", "expected a 10-digit NEQ")
    fail(~df["directory_line"].str.fullmatch(r"\d+") | (pd.to_numeric(df["directory_line"], errors="coerce") < 2),
         "directory_line", "expected a CSV line number (2 or more)")
    score = pd.to_numeric(df["score"], errors="coerce")
    fail(score.isna() | (score < 0) | (score > 100), "score", "expected a score between 0 and 100")
    fail(~df["label"].isin(LABELS), "label", f"expected one of {', '.join(LABELS)}")
    allowed = df["label"].map(lambda lab: REASONS.get(lab, ()))
    fail(pd.Series([r not in a for r, a in zip(df["reason"], allowed)], index=df.index), "reason",
         "not a reason code of this label (see data/raw/ecosystem/README.md)")
    df["directory_line"] = df["directory_line"].astype("int64")
    df["score"] = score.astype("float64")
    fail(df.duplicated(["directory_line", "neq"]), "directory_line", "pair listed twice")
    df.insert(0, "source_line", np.arange(2, len(df) + 2, dtype="int64"))
    df.attrs = {"path": recorded_path(Path(path))}
    return df


def label_matches(matches: pd.DataFrame, review: pd.DataFrame) -> pd.DataFrame:
    """The matches with their hand label, where the pair was reviewed.

    A reviewed pair is found by (directory line, NEQ) and its recorded score must equal the recomputed one (within
    0.01): a pair that is no longer the best candidate, or whose score changed (other data, other normalization),
    is not applied and is counted in ``attrs["review_not_found"]``.

    Parameters
    ----------
    matches : DataFrame
        The table of :func:`analysis.ecosystem.match_directory`.
    review : DataFrame
        The table of :func:`load_match_review`.

    Returns
    -------
    DataFrame
        ``matches`` with band (:func:`score_band`), label and reason (None where not reviewed); ``attrs`` as in
        ``matches`` plus review_pairs, review_not_found and review_path.

    Raises
    ------
    ParameterError
        A table that is not the matches or the review.
    """
    _matches(matches)
    require_frame(review, "review", columns=("neq", "directory_line", "score", "label", "reason"),
                  hint="load it with ecosystem.load_match_review()")
    keyed = review.set_index(["directory_line", "neq"])
    out = matches.copy()
    out["band"] = [score_band(s) for s in out["score"]]
    labels, reasons, found = [], [], 0
    for line, neq, score in zip(out["directory_line"], out["neq"], out["score"]):
        key = (int(line), neq)
        if neq is not None and key in keyed.index and abs(keyed.loc[key, "score"] - score) <= SCORE_TOLERANCE:
            labels.append(keyed.loc[key, "label"])
            reasons.append(keyed.loc[key, "reason"])
            found += 1
        else:
            labels.append(None)
            reasons.append(None)
    out["label"] = labels
    out["reason"] = reasons
    out.attrs = {**matches.attrs, "review_pairs": len(review), "review_not_found": len(review) - found,
                 "review_path": review.attrs.get("path")}
    return out


def _counts(rows: pd.DataFrame) -> dict[str, float]:
    right = int((rows["label"] == "match").sum())
    wrong = int((rows["label"] == "different").sum())
    unsure = int((rows["label"] == "unsure").sum())
    low, high = wilson_interval(right, right + wrong)
    return {"labelled": right + wrong + unsure, "right": right, "wrong": wrong, "unsure": unsure,
            "precision": right / (right + wrong) if right + wrong else float("nan"), "ci_low": low, "ci_high": high}


def _labelled(matches: object) -> pd.DataFrame:
    return require_frame(matches, "labelled", columns=("band", "label", "matched", "score", "neq"),
                         hint="label the matches with ecosystem.label_matches()")


def match_precision(labelled: pd.DataFrame) -> pd.DataFrame:
    """Precision of the accepted pairs by score band, on the hand-labelled ones, with Wilson 95 % intervals.

    Parameters
    ----------
    labelled : DataFrame
        The table of :func:`label_matches`.

    Returns
    -------
    DataFrame
        One row per band that holds accepted pairs, highest first, then a row ``all``: band, accepted (pairs
        accepted in the band), labelled, right, wrong, unsure (labels among them), precision (``right / (right +
        wrong)``, NaN without a label), ci_low, ci_high (Wilson 95 %, ratios 0–1). For ``all`` the counts are sums
        and precision, ci_low and ci_high are the bands' values weighted by their accepted pairs (a stratified
        estimate: the sample holds every pair near the threshold but few of the many identical names); the weighted
        bounds are at least as wide as an interval of the weighted estimate, so they err on the prudent side. Bands
        without a right or wrong label are left out of the weights; ``attrs["unweighted"]`` counts their accepted
        pairs.

    Raises
    ------
    ParameterError
        ``labelled`` is not the table of :func:`label_matches`.
    """
    _labelled(labelled)
    accepted = labelled[labelled["matched"]]
    rows = []
    for band in band_codes():
        in_band = accepted[accepted["band"] == band]
        if not in_band.empty:
            rows.append({"band": band, "accepted": len(in_band), **_counts(in_band)})
    weighted = [r for r in rows if r["right"] + r["wrong"]]
    weights = np.array([r["accepted"] for r in weighted], dtype="float64")

    def mean(key: str) -> float:
        return float(np.dot(weights, [r[key] for r in weighted]) / weights.sum()) if len(weighted) else float("nan")

    total = {"band": "all", "accepted": len(accepted), **_counts(accepted)}
    total.update({"precision": mean("precision"), "ci_low": mean("ci_low"), "ci_high": mean("ci_high")})
    rows.append(total)
    out = pd.DataFrame(rows, columns=["band", "accepted", "labelled", "right", "wrong", "unsure", "precision",
                                      "ci_low", "ci_high"])
    for c in ("accepted", "labelled", "right", "wrong", "unsure"):
        out[c] = out[c].astype("int64")
    out.attrs = {"unweighted": int(len(accepted) - weights.sum())}
    return out


def missed_matches(labelled: pd.DataFrame) -> pd.DataFrame:
    """The refused pairs labelled as the same enterprise, by band: what the rule misses among the reviewed pairs.

    Parameters
    ----------
    labelled : DataFrame
        The table of :func:`label_matches`.

    Returns
    -------
    DataFrame
        One row per band with refused candidates, highest first, then ``all``: band, refused (pairs with a
        candidate, refused), labelled, right (labelled ``match``: missed), wrong, unsure.

    Raises
    ------
    ParameterError
        ``labelled`` is not the table of :func:`label_matches`.
    """
    _labelled(labelled)
    refused = labelled[~labelled["matched"] & labelled["neq"].notna()]
    rows = []
    for band in band_codes():
        in_band = refused[refused["band"] == band]
        if not in_band.empty:
            c = _counts(in_band)
            rows.append({"band": band, "refused": len(in_band), "labelled": c["labelled"], "right": c["right"],
                         "wrong": c["wrong"], "unsure": c["unsure"]})
    c = _counts(refused)
    rows.append({"band": "all", "refused": len(refused), "labelled": c["labelled"], "right": c["right"],
                 "wrong": c["wrong"], "unsure": c["unsure"]})
    return pd.DataFrame(rows, columns=["band", "refused", "labelled", "right", "wrong", "unsure"])


# the rules the report compares: (code, keyword arguments of accept_matches); the score-only rule at 90 is the one
# used before the hand review
RULES = (
    ("score_only", {"threshold": 90.0, "word_rule": False}),
    ("same_municipality", {"threshold": 90.0, "word_rule": False, "same_municipality_below": 100.0}),
    ("word_rule", {"threshold": 90.0, "word_rule": True}),
    ("score_only", {"threshold": 80.0, "word_rule": False}),
    ("word_rule", {"threshold": 80.0, "word_rule": True}),
    ("word_rule", {"threshold": 70.0, "word_rule": True}),
)
RULE_CODES = ("score_only", "same_municipality", "word_rule")


def compare_match_rules(labelled: pd.DataFrame, rules: tuple | list | None = None) -> pd.DataFrame:
    """Several acceptance rules on the same candidates and the same hand labels: accepted pairs, labelled right and
    wrong among them, precision with its Wilson interval, and labelled right pairs refused.

    Parameters
    ----------
    labelled : DataFrame
        The table of :func:`label_matches`.
    rules : sequence of (str, dict), optional
        (code, keyword arguments of :func:`analysis.ecosystem.accept_matches`: ``threshold``, ``word_rule``,
        ``same_municipality_below``). Codes: ``score_only``, ``same_municipality``, ``word_rule``. Default
        :data:`RULES`: at a threshold of 90, the score alone (the rule before the review), with the same
        municipality required under 100, and with the word rule; at 80, the score alone and the word rule; the word
        rule at 70 (the bottom of the fully reviewed range).

    Returns
    -------
    DataFrame
        One row per rule, in the order given: rule, threshold, word_rule, same_municipality_below (NaN when not
        required), accepted, labelled (accepted and labelled), right, wrong, unsure, precision (pooled over the
        labelled accepted pairs), ci_low, ci_high (Wilson 95 %), right_refused (labelled ``match`` but refused),
        wrong_refused.

    Raises
    ------
    ParameterError
        ``labelled`` is not the table of :func:`label_matches`, or a bad rule.
    """
    _labelled(labelled)
    rows = []
    for i, rule in enumerate(RULES if rules is None else rules):
        if not isinstance(rule, (tuple, list)) or len(rule) != 2 or rule[0] not in RULE_CODES \
                or not isinstance(rule[1], dict):
            raise ParameterError(f"expected (code, keyword arguments) with a code in {', '.join(RULE_CODES)}, "
                                 f"got {rule!r}", field=f"rules[{i}]")
        code, spec = rule
        accepted = accept_matches(labelled, **spec)
        refused = labelled[~accepted & labelled["neq"].notna()]
        below = spec.get("same_municipality_below")
        rows.append({"rule": code, "threshold": float(spec.get("threshold", 90.0)),
                     "word_rule": bool(spec.get("word_rule", True)),
                     "same_municipality_below": float("nan") if below is None else float(below),
                     "accepted": int(accepted.sum()), **_counts(labelled[accepted]),
                     "right_refused": int((refused["label"] == "match").sum()),
                     "wrong_refused": int((refused["label"] == "different").sum())})
    return pd.DataFrame(rows, columns=["rule", "threshold", "word_rule", "same_municipality_below", "accepted",
                                       "labelled", "right", "wrong", "unsure", "precision", "ci_low", "ci_high",
                                       "right_refused", "wrong_refused"])
