"""French (Québec) number formats, the one helper every table, figure and sentence uses.

Office québécois de la langue française conventions: a (narrow no-break) space between thousands, a decimal comma,
a space before ``%`` and ``$`` (``1 234,5 $``, ``12,5 %``, ``1,5 M$``). English output (``lang="en"``) uses
``1,234.5``, ``12.5%``, ``$1.5M``.
"""

from __future__ import annotations

import datetime as _dt
import math
from numbers import Number

import pandas as pd

NBSP = "\u00a0"  # no-break space before units
THIN = "\u202f"  # narrow no-break space between thousands
MISSING = "—"
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value))
    except TypeError:
        return False


def number(value: object, decimals: int = 0, lang: str = "fr") -> str:
    """A number for a reader: ``1234567.891`` → ``1 234 567,9`` (fr) or ``1,234,567.9`` (en).

    Parameters
    ----------
    value : object
        A number; missing (``None``, NaN, ``pd.NA``) gives ``—``, anything else its ``str``.
    decimals : int
        Digits after the decimal mark.
    lang : str
        ``fr``: narrow no-break space between thousands, decimal comma, minus sign ``−``; ``en``: ``1,234.5``.

    Returns
    -------
    str
        Never ``-0``; infinity as ``∞``.
    """
    if _is_missing(value):
        return MISSING
    if not isinstance(value, Number):
        return str(value)
    x = float(value)
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    text = f"{x:,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # no "-0"
    if lang == "fr":
        text = text.replace(",", THIN).replace(".", ",")
        text = text.replace("-", "−") if text.startswith("-") else text
    return text


def integer(value: object, lang: str = "fr") -> str:
    """A count: ``3658`` → ``3 658`` (a float count such as ``373.0`` too: never ``373,0``)."""
    return number(value, 0, lang)


count = integer  # the name a reader of the code looks for: counts are always whole numbers


def is_whole(value: object) -> bool:
    """Whether ``value`` is a finite number without a fractional part (``373.0`` yes, ``79.4`` and ``True`` no)."""
    if isinstance(value, bool) or not isinstance(value, Number) or _is_missing(value):
        return False
    x = float(value)
    return math.isfinite(x) and x == int(x)


def interval(low: object, high: object, decimals: int = 1, lang: str = "fr", kind: str = "number") -> str:
    """An interval as a reader writes it: ``[0,2 ; 5,0]`` (fr: semicolon, since the comma is the decimal mark) or
    ``[0.2, 5.0]`` (en).

    Parameters
    ----------
    low, high : object
        The bounds; a missing bound shows ``—``.
    decimals : int
        Digits after the decimal mark.
    lang : str
        ``fr`` or ``en``.
    kind : str
        ``number`` (default), ``percent`` (values in percent), ``share`` (fractions shown as percentages) or
        ``money``.
    """
    def one(value: object) -> str:
        if kind == "percent":
            return percent(value, decimals, lang)
        if kind == "share":
            return percent(value, decimals, lang, ratio=True)
        if kind == "money":
            return money(value, decimals, lang)
        return number(value, decimals, lang)

    separator = f"{NBSP}; " if lang == "fr" else ", "
    return f"[{one(low)}{separator}{one(high)}]"


def percent(value: object, decimals: int = 1, lang: str = "fr", ratio: bool = False) -> str:
    """A percentage: ``12.5`` → ``12,5 %`` (fr, no-break space) / ``12.5%`` (en).

    Parameters
    ----------
    value : object
        The percentage, or with ``ratio=True`` a share (``0.125`` → ``12,5 %``); missing gives ``—``.
    decimals : int
        Digits after the decimal mark.
    lang : str
        ``fr`` or ``en``.
    ratio : bool
        ``value`` is a fraction of one.
    """
    if _is_missing(value):
        return MISSING
    v = float(value) * 100 if ratio else float(value)
    body = number(v, decimals, lang)
    return f"{body}{NBSP}%" if lang == "fr" else f"{body}%"


def money(value: object, decimals: int = 0, lang: str = "fr", currency: str = "$") -> str:
    """An amount: ``1234.5`` → ``1 234,5 $`` (fr) / ``$1,234.5`` (en).

    Parameters
    ----------
    value : object
        The amount; missing gives ``—``.
    decimals : int
        Digits after the decimal mark.
    lang : str
        ``fr`` (symbol after the number, no-break space) or ``en`` (symbol before).
    currency : str
        ``$`` (default), ``$ US``, ``£``…
    """
    if _is_missing(value):
        return MISSING
    body = number(value, decimals, lang)
    if lang == "fr":
        return f"{body}{NBSP}{currency}"
    sign, body = ("-", body[1:]) if body.startswith("-") else ("", body)
    if currency.startswith("$"):
        suffix = currency[1:].strip()
        return f"{sign}${body}" + (f" {suffix}" if suffix else "")
    return f"{sign}{currency}{body}"


def money_short(value: object, lang: str = "fr", currency: str = "$") -> str:
    """Large amounts abridged: ``1_500_000`` → ``1,5 M$``; ``2_300_000_000`` → ``2,3 G$`` (fr) / ``$2.3B`` (en)."""
    if _is_missing(value):
        return MISSING
    v = float(value)
    for factor, fr_unit, en_unit in ((1e9, "G", "B"), (1e6, "M", "M"), (1e3, "k", "k")):
        if abs(v) >= factor:
            body = number(v / factor, 1, lang)
            if lang == "fr":
                return f"{body}{NBSP}{fr_unit}{currency}"
            sign, body = ("-", body[1:]) if body.startswith("-") else ("", body)
            symbol = "$" if currency.startswith("$") else currency
            return f"{sign}{symbol}{body}{en_unit}"
    return money(v, 0, lang, currency)


def ratio(value: object, decimals: int = 2, lang: str = "fr") -> str:
    """A plain ratio or rate: ``1.234`` → ``1,23``."""
    return number(value, decimals, lang)


def year(value: object) -> str:
    """A year never gets a thousands separator: ``2019`` → ``2019``."""
    if _is_missing(value):
        return MISSING
    return str(int(value))  # type: ignore[arg-type]


def pvalue(value: object, lang: str = "fr") -> str:
    """p-values: ``< 0,001`` below one in a thousand, else three decimals."""
    if _is_missing(value):
        return MISSING
    v = float(value)
    if v < 0.001:
        return f"<{NBSP}{number(0.001, 3, lang)}"
    return number(v, 3, lang)


def french_date(day: _dt.date, lang: str = "fr") -> str:
    """A date as a reader writes it: ``2026-11-25`` → ``25 novembre 2026`` (fr, ``1er`` for the first of the
    month) / ``November 25, 2026`` (en)."""
    if lang == "fr":
        return f"{day.day}{'er' if day.day == 1 else ''} {MONTHS_FR[day.month - 1]} {day.year}"
    return day.strftime("%B %-d, %Y")
