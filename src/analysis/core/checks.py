"""Checks of what a public function is given, so misuse gives one clear line instead of a pandas traceback.

Every public function of the domain wings checks its arguments with these before computing anything::

    require_frame(works, "works", columns=("work_id", "year"))
    require_type(themes, ThemeDictionary, "themes", hint="load it with vigie.load_themes()")

and raises :class:`analysis.core.errors.ParameterError` naming the argument, what was expected and what was
given (``[works] expected a DataFrame with columns work_id, year; got a Bank (use bank.works)``).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analysis.core.errors import ParameterError


def describe(value: object) -> str:
    """A short description of ``value`` for error messages: its type, and its columns when it is a DataFrame."""
    if isinstance(value, pd.DataFrame):
        shown = ", ".join(map(str, list(value.columns)[:8]))
        more = ", …" if value.shape[1] > 8 else ""
        return f"a DataFrame with columns {shown}{more}" if shown else "a DataFrame with no columns"
    if isinstance(value, pd.Series):
        return f"a Series named {value.name!r}"
    if value is None:
        return "None"
    return f"a {type(value).__name__}"


def require_type(value: object, expected: type | tuple[type, ...], argument: str, hint: str = "") -> None:
    """Raise ``ParameterError`` unless ``value`` is an instance of ``expected``."""
    if isinstance(value, expected):
        return
    names = " or ".join(t.__name__ for t in (expected if isinstance(expected, tuple) else (expected,)))
    tail = f" ({hint})" if hint else ""
    raise ParameterError(f"expected a {names}, got {describe(value)}{tail}", field=argument)


def require_frame(value: object, argument: str, columns: Iterable[str] = (), hint: str = "") -> pd.DataFrame:
    """Return ``value`` if it is a DataFrame holding ``columns``; else raise ``ParameterError`` naming them.

    A :class:`analysis.vigie.Bank` given where a table is expected gets a hint naming the table to pass.
    """
    columns = list(columns)
    wanted = f"a DataFrame with columns {', '.join(columns)}" if columns else "a DataFrame"
    if not isinstance(value, pd.DataFrame):
        if type(value).__name__ == "Bank" and not hint:
            hint = f"pass bank.{argument}" if argument in ("works", "authorships", "keywords") else "pass a table of it"
        tail = f" ({hint})" if hint else ""
        raise ParameterError(f"expected {wanted}, got {describe(value)}{tail}", field=argument)
    missing = [c for c in columns if c not in value.columns]
    if missing:
        tail = f" ({hint})" if hint else ""
        raise ParameterError(
            f"expected {wanted}; missing {', '.join(missing)} in {describe(value)}{tail}", field=argument
        )
    return value


def require_positive(value: float, argument: str, allow_zero: bool = False) -> float:
    """Return ``value`` if it is a finite number above zero (or at least zero); else raise ``ParameterError``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (
        float("inf"),
        float("-inf"),
    ):
        raise ParameterError(f"expected a finite number, got {value!r}", field=argument)
    if value < 0 or (value == 0 and not allow_zero):
        bound = "zero or more" if allow_zero else "above zero"
        raise ParameterError(f"expected a number {bound}, got {value!r}", field=argument)
    return value


def require_choice(value: object, choices: Iterable[object], argument: str) -> object:
    """Return ``value`` if it is one of ``choices``; else raise ``ParameterError`` listing them."""
    allowed = list(choices)
    try:
        found = value in allowed
    except (TypeError, ValueError):  # a DataFrame or an array has no single truth value
        found = False
    if found:
        return value
    raise ParameterError(f"expected one of {', '.join(map(repr, allowed))}, got {value!r}", field=argument)
