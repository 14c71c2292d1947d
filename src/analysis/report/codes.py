"""Codes shown to readers, named in the report's language through ``labels/codes.yaml``.

Domain functions return English codes and names (``"book chapter"``, ``"United States"``, ``"oer_extreme"``); the
report layer shows each through :func:`code_label`, never as it is. A code the catalogue does not know is shown
unchanged (a new country, a new document type): ``tests/test_french.py`` lists those a French report must not show.
"""

from __future__ import annotations

from analysis.report import fmt
from analysis.report.labels import t

SEPARATOR = "; "  # several codes in one cell (a document that is both "article" and "book chapter")


def code_label(code: object, family: str, lang: str = "fr") -> str:
    """The reader's name of ``code`` in ``family`` (``doc_type``, ``country``, ``hub_flag``, ``licence``…).

    Parameters
    ----------
    code : object
        The code; ``"a; b"`` names each part; missing (``None``, NaN, empty) gives ``—``.
    family : str
        The family of codes: the prefix of the catalogue keys (``codes.<family>.<code>``).
    lang : str
        ``fr`` or ``en``.

    Returns
    -------
    str
        The catalogue's text, or the code as written when the catalogue does not know it. Document types are
        looked up in lower case (``Article`` and ``article`` are one type).

    Examples
    --------
    >>> code_label("United States", "country")
    'États-Unis'
    >>> code_label("article; book chapter", "doc_type")
    'article; chapitre de livre'
    """
    if fmt._is_missing(code) or code == "":
        return fmt.MISSING
    text = str(code)
    if SEPARATOR in text:
        return SEPARATOR.join(code_label(part, family, lang) for part in text.split(SEPARATOR))
    key = text.lower() if family == "doc_type" else text
    try:
        return t(f"codes.{family}.{key}", lang)
    except KeyError:
        return text


def code_labels(codes, family: str, lang: str = "fr") -> list[str]:
    """:func:`code_label` of each code of an iterable (a column), in order."""
    return [code_label(c, family, lang) for c in codes]
