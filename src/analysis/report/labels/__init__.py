"""Report text and labels in French (default) and English, kept in one place: ``labels/<report>.yaml``.

Each YAML maps a key to ``{fr: ..., en: ...}``; ``common.yaml`` holds what every report shares. Keys are looked up
as ``"<file>.<key>"`` (e.g. ``"common.source"``); ``str.format`` fields are filled from keyword arguments.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from analysis.core.errors import ParameterError

LANGS = ("fr", "en")
_HERE = Path(__file__).parent


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
    return text.format(**fields) if fields else text


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
