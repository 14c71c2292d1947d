"""Argument checks shared by the wing's public functions (on top of :mod:`analysis.core.checks`).

A researcher passing the bank where a table is expected, a table without the column a function needs, or a list
where a theme dictionary is expected gets one line naming the argument and what to pass::

    [works] expected a DataFrame with columns work_id, year; got a Bank (pass bank.works)
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.core.checks import describe, require_frame
from analysis.core.errors import ParameterError

BANK_TABLES = ("works", "authorships", "work_keywords", "ledger", "duplicates")


def require_table(value: object, argument: str, columns: Iterable[str] = ()) -> pd.DataFrame:
    """Return ``value`` if it is a DataFrame holding ``columns``; else raise ``ParameterError``.

    When ``value`` is a bank (or anything with an attribute of the argument's name), the message says to pass
    that attribute (``pass bank.work_keywords``).

    Parameters
    ----------
    value : object
        What a function was given.
    argument : str
        The argument's name (the error names it).
    columns : iterable of str
        Columns the table must hold.

    Returns
    -------
    DataFrame
        ``value``.

    Raises
    ------
    ParameterError
    """
    hint = f"pass bank.{argument}" if not isinstance(value, pd.DataFrame) and hasattr(value, argument) else ""
    return require_frame(value, argument, columns, hint=hint)


def require_bank(value: object, argument: str = "bank") -> None:
    """Raise ``ParameterError`` unless ``value`` is a bank (an object holding the bank's tables).

    Raises
    ------
    ParameterError
        ``[bank] expected a Bank (from vigie.build_bank), got a DataFrame with columns …``.

    Parameters
    ----------
    value : object
        What a function was given.
    argument : str
        The argument's name (the error names it).
    """
    if isinstance(value, pd.DataFrame) or not all(hasattr(value, t) for t in BANK_TABLES):
        raise ParameterError(f"expected a Bank (from vigie.build_bank), got {describe(value)}", field=argument)


def require_choice(value: object, argument: str, choices: Iterable[object]) -> None:
    """Raise ``ParameterError`` unless ``value`` is one of ``choices``.

    Parameters
    ----------
    value : object
        What a function was given.
    argument : str
        The argument's name (the error names it).
    choices : iterable

    Raises
    ------
    ParameterError
    """
    choices = tuple(choices)
    if value not in choices:
        raise ParameterError(f"expected one of {', '.join(map(repr, choices))}, got {value!r}", field=argument)


def require_count(value: object, argument: str, allow_none: bool = False, minimum: int = 1) -> None:
    """Raise ``ParameterError`` unless ``value`` is a whole number ≥ ``minimum`` (or None when allowed).

    Parameters
    ----------
    value : object
        What a function was given.
    argument : str
        The argument's name (the error names it).
    allow_none : bool
    minimum : int

    Raises
    ------
    ParameterError
    """
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        wanted = f"a whole number of at least {minimum}" + (" or None" if allow_none else "")
        raise ParameterError(f"expected {wanted}, got {value!r}", field=argument)


__all__ = ["require_table", "require_bank", "require_choice", "require_count"]
