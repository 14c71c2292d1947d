"""How far a corpus is on the watch's topic: the share of its works inside the watch's scope.

A work is *inside the watch's scope* when its title, abstract or keywords contain a term of the watch's scope
vocabulary (co-operatives, mutuals, the social and solidarity economy: ``scope.vocabulary`` of
``data/raw/vigie/strategy.yaml``, read by :func:`analysis.vigie.watch.load_strategy`, so the watch's queries and
this measure share one vocabulary) **and** it belongs to at least one theme of the theme dictionary: the two
conditions the watch's OpenAlex queries combine (``scope AND theme terms``).

Matching follows the theme dictionary's (accents folded, lower case, punctuation as space, whole words), with two
rules of its own:

- every term matches as a whole word or phrase, optionally followed by a plural ``s`` (OpenAlex stems the words it
  searches; ``credit union`` also finds ``credit unions``);
- a one-word French term written with an accent is matched with its accent (``coopérative``): folded, it would be
  the English ``cooperative``, which the strategy leaves out on purpose (it also names game-theory, learning and
  signal-processing methods).

Below a threshold share the corpus is *off topic* and the report gives no shortlist (the Table de vigie would be
ranking cells on literature about something else); between that threshold and an *on-topic* share the corpus is
*adjacent* (a neighbouring field) and the shortlist is shown with that caveat.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis.core.errors import ParameterError
from analysis.core.text import fold_accents, normalize_key
from analysis.vigie.arguments import require_table
from analysis.vigie.themes import TEXT_FIELDS, normalized_text
from analysis.vigie.watch.strategy import Strategy, load_strategy

VERDICTS = ("no_works", "off_topic", "adjacent", "on_topic")
_PLURAL = r"s?"
_PUNCTUATION = re.compile(r"[^\w]+")


def scope_vocabulary(strategy: Strategy | str | Path | None = None) -> dict[str, tuple[str, ...]]:
    """The watch's scope vocabulary by language (``fr``, ``en``), as written in the strategy.

    Parameters
    ----------
    strategy : Strategy, str or Path, optional
        A loaded strategy (:func:`analysis.vigie.watch.load_strategy`) or its file; default: the project's
        ``data/raw/vigie/strategy.yaml``.

    Returns
    -------
    dict of str to tuple of str

    Raises
    ------
    SchemaError
        When the strategy file is malformed (named by :func:`analysis.vigie.watch.load_strategy`).
    """
    if not isinstance(strategy, Strategy):
        strategy = load_strategy(strategy)
    return {lang: tuple(terms) for lang, terms in strategy.scope.items()}


def _check_vocabulary(vocabulary: object) -> dict[str, tuple[str, ...]]:
    ok = isinstance(vocabulary, Mapping) and vocabulary and all(
        isinstance(terms, (list, tuple)) and all(isinstance(x, str) and x.strip() for x in terms)
        for terms in vocabulary.values())
    if not ok:
        raise ParameterError("expected a mapping of language to a list of terms (vigie.scope_vocabulary() gives it)",
                             field="vocabulary")
    return {str(lang): tuple(terms) for lang, terms in vocabulary.items()}


def _accented(term: str, lang: str) -> bool:
    return lang == "fr" and " " not in term and fold_accents(term) != term


def scope_patterns(vocabulary: Mapping[str, tuple[str, ...]]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """The two regular expressions of a scope vocabulary: over folded text, and over lower-case text with accents.

    Parameters
    ----------
    vocabulary : dict
        Language → terms (:func:`scope_vocabulary`); quotes around a term are dropped.

    Returns
    -------
    (Pattern or None, Pattern or None)
        The folded pattern (every term but one-word accented French terms) and the accented pattern (those);
        None when a pattern has no term.
    """
    vocabulary = _check_vocabulary(vocabulary)
    folded, accented = set(), set()
    for lang, terms in vocabulary.items():
        for raw in terms:
            term = raw.strip().strip('"').strip()
            if _accented(term, lang):
                # punctuation as space, as in the text matched: "coopérative-école" finds "Coopérative-école"
                words = _PUNCTUATION.sub(" ", term.lower()).strip()
                if words:
                    accented.add(words)
            elif normalize_key(term):
                folded.add(normalize_key(term))

    def build(terms: set[str], before: str, after: str) -> re.Pattern[str] | None:
        if not terms:
            return None
        alternatives = "|".join(re.escape(t) for t in sorted(terms, key=lambda s: (-len(s), s)))
        return re.compile(f"{before}(?:{alternatives}){_PLURAL}{after}")

    return build(folded, r"(?<![a-z0-9])", r"(?![a-z0-9])"), build(accented, r"(?<!\w)", r"(?!\w)")


def _lower_text(works: pd.DataFrame, fields: tuple[str, ...]) -> pd.Series:
    cols = [c for c in fields if c in works.columns]
    if not cols or works.empty:
        return pd.Series([""] * len(works), index=works.index, dtype=object)
    joined = works[cols].astype(object).where(works[cols].notna(), "").astype(str).agg(" | ".join, axis=1)
    return joined.str.lower().str.replace(_PUNCTUATION, " ", regex=True)


def _texts(works: pd.DataFrame, fields: tuple[str, ...]) -> tuple[pd.Series, pd.Series]:
    """The matching texts of each work: folded (for most terms) and lower case with accents (for accented French
    one-word terms)."""
    return normalized_text(works, fields), _lower_text(works, fields)


def _match(texts: tuple[pd.Series, pd.Series], vocabulary: Mapping[str, tuple[str, ...]]) -> pd.Series:
    folded_text, lower_text = texts
    folded, accented = scope_patterns(vocabulary)
    hit = pd.Series(False, index=folded_text.index)
    if folded is not None:
        hit |= folded_text.str.contains(folded, regex=True).astype(bool)
    if accented is not None:
        hit |= lower_text.str.contains(accented, regex=True).astype(bool)
    return hit


def compute_scope_matches(works: pd.DataFrame, vocabulary: Mapping[str, tuple[str, ...]],
                          fields: tuple[str, ...] = TEXT_FIELDS) -> pd.Series:
    """Whether each work's title, abstract or keywords contain a term of the scope vocabulary.

    Parameters
    ----------
    works : DataFrame
        The bank's works (``bank.works``).
    vocabulary : dict
        Language → terms (:func:`scope_vocabulary`).
    fields : tuple of str
        Text columns matched.

    Returns
    -------
    Series of bool
        Indexed as ``works``.
    """
    require_table(works, "works", ("work_id",))
    _check_vocabulary(vocabulary)
    return _match(_texts(works, fields), vocabulary)


def compute_scope_terms(works: pd.DataFrame, vocabulary: Mapping[str, tuple[str, ...]],
                        fields: tuple[str, ...] = TEXT_FIELDS) -> pd.DataFrame:
    """Works matching each term of the scope vocabulary (a work may match several terms).

    Parameters
    ----------
    works : DataFrame
        The bank's works.
    vocabulary : dict
        Language → terms (:func:`scope_vocabulary`).
    fields : tuple of str
        Text columns matched.

    Returns
    -------
    DataFrame
        ``term`` (as written in the strategy, quotes dropped), ``lang``, ``n_works``; terms with at least one work,
        most works first, then in the strategy's order.
    """
    require_table(works, "works", ("work_id",))
    vocabulary = _check_vocabulary(vocabulary)
    texts = _texts(works, fields)
    rows = []
    for lang, terms in vocabulary.items():
        for raw in terms:
            term = raw.strip().strip('"').strip()
            rows.append({"term": term, "lang": lang, "n_works": int(_match(texts, {lang: (term,)}).sum()),
                         "_o": len(rows)})
    out = pd.DataFrame(rows, columns=["term", "lang", "n_works", "_o"])
    out = out[out["n_works"] > 0].sort_values(["n_works", "_o"], ascending=[False, True], kind="mergesort")
    return out.drop(columns="_o").reset_index(drop=True)


def _share(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ParameterError(f"expected a share between 0 and 1, got {value!r}", field=field)
    return float(value)


def compute_relevance(works: pd.DataFrame, work_themes: pd.DataFrame, vocabulary: Mapping[str, tuple[str, ...]],
                      threshold: float = 0.02, on_topic_share: float = 0.5) -> dict:
    """How far a corpus is on the watch's topic.

    Parameters
    ----------
    works : DataFrame
        The bank's works (the analysed window).
    work_themes : DataFrame
        From :func:`analysis.vigie.compute_work_themes` on these works.
    vocabulary : dict
        Language → terms (:func:`scope_vocabulary`).
    threshold : float
        Share of works inside the scope below which the corpus is off topic (no shortlist).
    on_topic_share : float
        Share from which the corpus is on topic (between the two: adjacent).

    Returns
    -------
    dict
        ``n_works``; ``n_scope`` (works matching the scope vocabulary), ``n_themed`` (works in at least one theme),
        ``n_in_scope`` (both: inside the watch's scope) and their shares ``share_scope``, ``share_themed``,
        ``share_in_scope`` (NaN without works); ``threshold``, ``on_topic_share``; ``verdict`` (one of
        :data:`VERDICTS`); ``on_topic`` (True unless there are no works or the corpus is off topic).

    Raises
    ------
    ParameterError
        A table without its columns, a share outside [0, 1], or ``on_topic_share`` below ``threshold``.
    """
    require_table(works, "works", ("work_id",))
    require_table(work_themes, "work_themes", ("work_id", "theme"))
    threshold = _share(threshold, "threshold")
    on_topic_share = _share(on_topic_share, "on_topic_share")
    if on_topic_share < threshold:
        raise ParameterError(f"must be at least the threshold ({threshold}), got {on_topic_share}",
                             field="on_topic_share")
    n = int(works["work_id"].nunique())
    scope = compute_scope_matches(works, vocabulary)
    in_scope_ids = set(works.loc[scope.to_numpy(dtype=bool), "work_id"])
    themed_ids = set(work_themes["work_id"]) & set(works["work_id"])
    counts = {"n_scope": len(in_scope_ids), "n_themed": len(themed_ids), "n_in_scope": len(in_scope_ids & themed_ids)}
    shares = {f"share_{k[2:]}": (v / n if n else float("nan")) for k, v in counts.items()}
    if n == 0:
        verdict = "no_works"
    elif shares["share_in_scope"] < threshold:
        verdict = "off_topic"
    elif shares["share_in_scope"] < on_topic_share:
        verdict = "adjacent"
    else:
        verdict = "on_topic"
    return {"n_works": n, **counts, **shares, "threshold": threshold, "on_topic_share": on_topic_share,
            "verdict": verdict, "on_topic": verdict in ("adjacent", "on_topic")}


__all__ = ["VERDICTS", "scope_vocabulary", "scope_patterns", "compute_scope_matches", "compute_scope_terms",
           "compute_relevance"]
