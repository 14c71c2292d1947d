"""Report text and labels in French (default) and English, kept in one place: ``labels/<report>.yaml``.

Each YAML maps a key to ``{fr: ..., en: ...}``; ``common.yaml`` holds what every report shares. Keys are looked up
as ``"<file>.<key>"`` (e.g. ``"common.source"``); ``str.format`` fields are filled from keyword arguments.

A word that agrees with a count is written ``{n|singular|plural}``: ``"{n} {n|thème émergent|thèmes émergents}"``
gives « 1 thème émergent », « 0 thème émergent » (French: 0 and 1 take the singular) and « 3 thèmes émergents »;
in English only 1 takes the singular. The count may be given as a number or as text formatted by
:mod:`analysis.report.fmt` (« 2 000 »), never as « thème(s) ».
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from analysis.core.errors import ParameterError

LANGS = ("fr", "en")
_HERE = Path(__file__).parent
# CLDR plural rules for whole counts: French « one » is 0 and 1, English « one » is 1.
SINGULAR = {"fr": lambda count: abs(count) < 2, "en": lambda count: count == 1}
_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


@cache
def _catalogue(name: str) -> dict[str, dict[str, str]]:
    path = _HERE / f"{name}.yaml"
    if not path.exists():
        raise KeyError(f"no label catalogue {name!r} ({path.name})")
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def check_lang(lang: str) -> str:
    """Validate the ``lang`` parameter."""
    if lang not in LANGS:
        raise ParameterError(f"lang must be one of {', '.join(LANGS)}, got {lang!r}", field="lang")
    return lang


def t(key: str, lang: str = "fr", **fields: object) -> str:
    """The text of a catalogue entry in ``lang``.

    Parameters
    ----------
    key : str
        ``"<catalogue>.<key>"``: the file ``labels/<catalogue>.yaml`` and the entry (``"common.source"``).
    lang : str
        ``fr`` or ``en``; an entry without English text falls back to French.
    **fields
        Values for the entry's ``{name}`` fields (``str.format``).

    Returns
    -------
    str
        The text.

    Raises
    ------
    ParameterError
        ``lang`` is not ``fr`` or ``en``.
    KeyError
        No such catalogue or entry.
    """
    check_lang(lang)
    name, _, item = key.partition(".")
    entry = _catalogue(name).get(item)
    if entry is None:
        raise KeyError(f"label {key!r} is not in labels/{name}.yaml")
    text = entry.get(lang) or entry["fr"]
    if "|" in text:
        text = _PLURAL.sub(lambda m: _agree(m, fields, lang, key), text)
    return text.format(**fields) if fields else text


def _count(value: object) -> float | None:
    """A count given as a number or as formatted text (« 2 000 », « 1,5 »); None if it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    digits = re.sub(r"[\s\u00a0\u202f]", "", str(value)).replace(",", ".")
    try:
        return float(digits)
    except ValueError:
        return None


def _agree(match: re.Match, fields: dict, lang: str, key: str) -> str:
    """The singular or plural form of ``{n|singular|plural}`` for the count ``fields[n]`` (CLDR rules: French
    singular for 0 and 1, English for 1 only)."""
    name, singular, plural = match.groups()
    if name not in fields:
        raise KeyError(f"label {key!r} agrees with the count {name!r}, which was not given")
    count = _count(fields[name])
    if count is None:
        raise ValueError(f"label {key!r}: the count {name!r} is not a number: {fields[name]!r}")
    return singular if SINGULAR[lang](count) else plural


def translator(lang: str):
    """:func:`t` bound to ``lang``, for notebooks: ``T = translator(lang); T("common.source")``.

    Raises
    ------
    ParameterError
        ``lang`` is not ``fr`` or ``en``.
    """
    check_lang(lang)

    def _t(key: str, **fields: object) -> str:
        return t(key, lang, **fields)

    return _t
