"""The ecosystem indicators transcribed from the seed documents (``data/raw/ecosystem/indicators.csv``).

One row per figure: indicator code, scope (``quebec``, a region such as ``monteregie_est``), value in base units,
year if stated, how exact the source is, and where it comes from (seed file + section). The loader checks the table
against a schema and names the file, line and column of the first problem. The data dictionary is
``data/raw/ecosystem/README.md``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.core import paths
from analysis.core.checks import require_frame, require_type
from analysis.core.errors import DataIntegrityError, ParameterError, SchemaError
from analysis.ecosystem._common import first_true, input_path, recorded_path

INDICATORS_FILE = "ecosystem/indicators.csv"
INITIATIVES_FILE = "ecosystem/procurement_initiatives.csv"
COLUMNS = ["indicator", "scope", "value", "unit", "year", "qualifier", "approximate", "source_doc",
           "source_section", "source_quality", "notes"]
INITIATIVE_COLUMNS = ["initiative", "axis", "initiative_label", "indicator", "indicator_label", "kind", "target",
                      "source_section"]
UNITS = ["count", "cad", "pct", "hours", "minutes", "years", "age_years"]
QUALIFIERS = ["exact", "about", "more_than", "at_least", "up_to"]
# how far a figure can be trusted from the document it was transcribed from, best first (grading rule in
# data/raw/ecosystem/README.md)
SOURCE_QUALITIES = ("official_statistics", "organisation_report", "secondary_web_page")
FOLLOW_UP = "suivi"  # the initiatives table's rows about the follow-up itself, not an initiative
HINT = "load it with ecosystem.load_indicators()"

SCHEMA = pa.DataFrameSchema(
    {
        "indicator": pa.Column(str, pa.Check.str_matches(r"^[a-z][a-z0-9_]*$")),
        "scope": pa.Column(str, pa.Check.str_matches(r"^[a-z][a-z0-9_]*$")),
        "value": pa.Column(float, pa.Check.ge(0)),
        "unit": pa.Column(str, pa.Check.isin(UNITS)),
        "year": pa.Column("Int64", pa.Check.in_range(1900, 2100), nullable=True),
        "qualifier": pa.Column(str, pa.Check.isin(QUALIFIERS)),
        "approximate": pa.Column(bool),
        "source_doc": pa.Column(str, pa.Check.str_matches(r"^\d{3}_[0-9a-f]+\.txt$")),
        "source_section": pa.Column(str, pa.Check.str_length(min_value=1)),
        "source_quality": pa.Column(str, pa.Check.isin(list(SOURCE_QUALITIES))),
        "notes": pa.Column(str, nullable=True),
    },
    checks=[pa.Check(lambda d: d["unit"].ne("pct") | d["value"].le(100), error="a percentage is above 100")],
    strict=True,
    coerce=False,
)


def require_indicators(indicators: object, argument: str = "indicators") -> pd.DataFrame:
    """``indicators`` if it is the indicators table (columns indicator, scope, year, value), else ParameterError."""
    return require_frame(indicators, argument, columns=("indicator", "scope", "year", "value"), hint=HINT)


def _raise_from_pandera(exc: pa.errors.SchemaErrors, path: Path) -> None:
    """Turn pandera's failure table into one SchemaError naming file, CSV line and column."""
    first = exc.failure_cases.iloc[0]
    column = first.get("column")
    index = first.get("index")
    line = int(index) + 2 if pd.notna(index) else None
    column = None if pd.isna(column) else str(column)
    raise SchemaError(f"value refused by the schema ({first['check']}): {first['failure_case']!r}",
                      path=paths.relative(path), line=line, field=column) from None


def _parse_numbers(raw: pd.DataFrame, path: Path) -> pd.DataFrame:
    df = raw.copy()
    for col, kind in (("value", "float"), ("year", "Int64")):
        text = df[col].astype("str").str.strip()
        empty = text.eq("") | raw[col].isna()
        num = pd.to_numeric(text.where(~empty), errors="coerce")
        bad = num.isna() & ~empty
        if col == "value":
            bad |= empty
        if bad.any():
            i = first_true(bad)
            raise SchemaError(f"not a number: {raw[col].iloc[i]!r}", path=paths.relative(path), line=i + 2,
                              field=col)
        if kind == "Int64":
            fractional = (num % 1 != 0) & num.notna()
            if fractional.any():
                i = first_true(fractional)
                raise SchemaError(f"a year must be a whole number: {raw[col].iloc[i]!r}", path=paths.relative(path),
                                  line=i + 2, field=col)
            df[col] = pd.array(num.round(), dtype="Int64")
        else:
            df[col] = num.astype("float64")
    text = df["approximate"].astype("str").str.strip().str.lower()
    mapping = {"true": True, "false": False, "1": True, "0": False}
    bad = ~text.isin(mapping)
    if bad.any():
        i = first_true(bad)
        raise SchemaError(f"expected true or false, got {raw['approximate'].iloc[i]!r}",
                          path=paths.relative(path), line=i + 2, field="approximate")
    df["approximate"] = text.map(mapping).astype(bool)
    return df


def _read_table(path: Path, columns: list[str], what: str, exact: bool) -> pd.DataFrame:
    if not path.exists():
        raise SchemaError(f"{what} file not found", path=paths.relative(path))
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SchemaError(f"not UTF-8 (byte {exc.start})", path=paths.relative(path)) from None
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise SchemaError(f"missing columns: {', '.join(missing)}", path=paths.relative(path), field=missing[0])
    extra = [c for c in raw.columns if c not in columns]
    if exact and extra:
        raise SchemaError(f"unexpected columns: {', '.join(extra)}", path=paths.relative(path), field=extra[0])
    return raw[columns]


def load_indicators(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The indicators table transcribed from the seed documents, validated.

    Parameters
    ----------
    path : str or path-like, optional
        A CSV in the layout of ``data/raw/ecosystem/indicators.csv`` (the default). A relative path is read from the
        current folder when it exists there, else from the project root.

    Returns
    -------
    DataFrame
        ``source_line`` (CSV line), then indicator, scope, value (float, base units), unit, year (Int64, may be
        missing), qualifier, approximate (bool), source_doc, source_section, source_quality (one of
        :data:`SOURCE_QUALITIES`), notes. ``attrs["path"]`` names the file read.

    Raises
    ------
    SchemaError
        File absent or not UTF-8, a column missing or unexpected, a value refused by the schema (unknown unit or
        source quality, a percentage above 100, text in a number…) or a duplicate key (indicator, scope, year,
        source_doc); the error names the file, the CSV line and the column.
    ParameterError
        ``path`` is not a path.
    """
    path = input_path(path, paths.RAW / INDICATORS_FILE)
    df = _parse_numbers(_read_table(path, COLUMNS, "indicators", exact=True), path)
    for c in ("indicator", "scope", "unit", "qualifier", "source_doc", "source_section", "source_quality", "notes"):
        df[c] = df[c].astype(object).str.strip()
    df["notes"] = df["notes"].where(df["notes"] != "", None)
    try:
        df = SCHEMA.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        _raise_from_pandera(exc, path)
    dup = df.duplicated(["indicator", "scope", "year", "source_doc"], keep="first")
    if dup.any():
        i = first_true(dup)
        raise SchemaError(f"duplicate indicator: {df['indicator'].iloc[i]} / {df['scope'].iloc[i]}",
                          path=paths.relative(path), line=i + 2, field="indicator")
    df.insert(0, "source_line", range(2, len(df) + 2))
    df = df.reset_index(drop=True)
    df.attrs = {"path": recorded_path(path)}
    return df


def get_indicator(indicators: pd.DataFrame, name: str, scope: str | None = None, year: int | None = None) -> float:
    """The value of one indicator.

    Parameters
    ----------
    indicators : DataFrame
        The table of :func:`load_indicators`.
    name : str
        Indicator code (``se_enterprises``, ``otn_grant_ceiling``…; list in ``data/raw/ecosystem/README.md``).
    scope, year : optional
        Keep only this territory (``quebec``, ``monteregie_est``…) and this reference year.

    Returns
    -------
    float
        The value in base units (dollars, persons, percent points).

    Raises
    ------
    ParameterError
        ``indicators`` is not the indicators table, or no row matches (``field`` is ``indicator``).
    DataIntegrityError
        The matching rows disagree (several sources or years): give ``scope`` or ``year``.
    """
    require_indicators(indicators)
    require_type(name, str, "name")
    rows = _rows(indicators, name, scope, year)
    values = rows["value"].unique()
    if len(values) > 1:
        raise DataIntegrityError(
            f"indicator {name!r} has several values ({', '.join(str(v) for v in sorted(values))}) "
            "depending on the source or the year: give scope or year",
            path=indicators.attrs.get("path", "data/raw/" + INDICATORS_FILE), field="value")
    return float(values[0])


def _rows(indicators: pd.DataFrame, name: str, scope: str | None, year: int | None) -> pd.DataFrame:
    rows = indicators[indicators["indicator"] == name]
    if scope is not None:
        rows = rows[rows["scope"] == scope]
    if year is not None:
        rows = rows[rows["year"] == year]
    if rows.empty:
        where = f" (scope {scope})" if scope else ""
        when = f" (year {year})" if year is not None else ""
        raise ParameterError(f"indicator {name!r}{where}{when} is not in the indicators table", field="indicator")
    return rows


def require_quality(quality: object, argument: str = "quality") -> str:
    """``quality`` if it is a code of :data:`SOURCE_QUALITIES`, else ParameterError naming ``argument``."""
    require_type(quality, str, argument)
    if quality not in SOURCE_QUALITIES:
        raise ParameterError(f"unknown source quality {quality!r}; expected one of {', '.join(SOURCE_QUALITIES)}",
                             field=argument)
    return quality


def indicator_quality(indicators: pd.DataFrame, name: str, scope: str | None = None, year: int | None = None) -> str:
    """The source quality of one indicator: the best grade among the rows that give it (they agree, see
    :func:`get_indicator`), since a figure is as well supported as its best source.

    Parameters
    ----------
    indicators : DataFrame
        The table of :func:`load_indicators`.
    name : str
        Indicator code.
    scope, year : optional
        Keep only this territory and this reference year.

    Returns
    -------
    str
        ``official_statistics``, ``organisation_report`` or ``secondary_web_page``: ``se_enterprises`` in
        ``monteregie_est`` is ``secondary_web_page`` (seed 003 only), in ``quebec`` ``organisation_report`` (seeds
        002 and 003).

    Raises
    ------
    ParameterError
        ``indicators`` is not the indicators table (or lacks source_quality), or no row matches.
    """
    require_frame(indicators, "indicators", columns=("indicator", "scope", "year", "source_quality"), hint=HINT)
    require_type(name, str, "name")
    grades = set(_rows(indicators, name, scope, year)["source_quality"])
    return next(q for q in SOURCE_QUALITIES if q in grades)


def weakest_quality(qualities: object) -> str | None:
    """The weakest of several source qualities: a figure computed from several inputs is as weak as its weakest.

    Parameters
    ----------
    qualities : iterable of str or None
        Codes of :data:`SOURCE_QUALITIES`; None (an input that is missing) is skipped.

    Returns
    -------
    str or None
        The weakest code; None when no code is given.

    Raises
    ------
    ParameterError
        A value that is not a source quality code.
    """
    if isinstance(qualities, (str, bytes)) or not hasattr(qualities, "__iter__"):
        raise ParameterError(f"expected a list of source qualities, got {type(qualities).__name__}",
                             field="qualities")
    given = [require_quality(q, "qualities") for q in qualities if q is not None]
    return max(given, key=SOURCE_QUALITIES.index) if given else None


def indicator_sources(indicators: pd.DataFrame, name: str, scope: str | None = None) -> pd.DataFrame:
    """Where one indicator comes from: one row per source document.

    Parameters
    ----------
    indicators : DataFrame
        The table of :func:`load_indicators`.
    name : str
        Indicator code.
    scope : str, optional
        Keep only this territory.

    Returns
    -------
    DataFrame
        source_doc, year (Int64, missing when the source gives none), source_quality, value; sorted by quality
        (best first) then document.

    Raises
    ------
    ParameterError
        ``indicators`` is not the indicators table, or no row matches.
    """
    require_frame(indicators, "indicators", columns=("indicator", "scope", "year", "source_quality", "source_doc",
                                                     "value"), hint=HINT)
    require_type(name, str, "name")
    rows = _rows(indicators, name, scope, None)[["source_doc", "year", "source_quality", "value"]].copy()
    rows["rank"] = rows["source_quality"].map(SOURCE_QUALITIES.index)
    return rows.sort_values(["rank", "source_doc"], kind="stable").drop(columns="rank").reset_index(drop=True)


def scopes(indicators: pd.DataFrame) -> list[str]:
    """The scopes (territory codes) present in the indicators table, sorted.

    Parameters
    ----------
    indicators : DataFrame
        The table of :func:`load_indicators`.

    Returns
    -------
    list of str
        ``["monteregie", "monteregie_est", "quebec"]`` with the shipped table.

    Raises
    ------
    ParameterError
        ``indicators`` is not the indicators table.
    """
    require_indicators(indicators)
    return sorted(indicators["scope"].unique())


def load_initiatives(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The performance indicators of the 2011 public-purchasing initiatives, coded from seed 004.

    Parameters
    ----------
    path : str or path-like, optional
        A CSV in the layout of ``data/raw/ecosystem/procurement_initiatives.csv`` (the default); a relative path is
        read from the current folder when it exists there, else from the project root.

    Returns
    -------
    DataFrame
        initiative, axis, initiative_label, indicator, indicator_label, kind (``count``, ``yes_no``, ``rate``,
        ``share``, ``amount``), target (float, missing when the seed sets none), source_section.

    Raises
    ------
    SchemaError
        File absent, a column missing, or a target that is not a number (file, line and column named).

    References
    ----------
    MAMROT (2011), *L'économie sociale : j'achète! Initiatives pour développer l'achat public auprès des entreprises
    collectives* (seed ``004_e85269fa7fb5ee2c.txt``, sections Axe 1, Axe 2 and Suivi des initiatives).
    """
    path = input_path(path, paths.RAW / INITIATIVES_FILE)
    df = _read_table(path, INITIATIVE_COLUMNS, "initiatives", exact=False).copy()
    target = pd.to_numeric(df["target"].where(df["target"] != ""), errors="coerce")
    bad = target.isna() & df["target"].ne("")
    if bad.any():
        i = first_true(bad)
        raise SchemaError(f"target is not a number: {df['target'].iloc[i]!r}", path=paths.relative(path),
                          line=i + 2, field="target")
    df["target"] = target.astype("float64")
    df = df.reset_index(drop=True)
    df.attrs = {"path": recorded_path(path)}
    return df


def count_initiative_indicators(initiatives: pd.DataFrame) -> int:
    """How many performance indicators the initiatives set (the rows of the follow-up itself, ``suivi``, left out).

    Parameters
    ----------
    initiatives : DataFrame
        The table of :func:`load_initiatives`.

    Returns
    -------
    int
        12 with the shipped table.

    Raises
    ------
    ParameterError
        ``initiatives`` is not the table of :func:`load_initiatives`.
    """
    require_frame(initiatives, "initiatives", columns=("initiative", "indicator"),
                  hint="load it with ecosystem.load_initiatives()")
    return int((initiatives["initiative"] != FOLLOW_UP).sum())
