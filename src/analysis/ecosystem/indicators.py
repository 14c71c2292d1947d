"""The ecosystem indicators transcribed from the seed documents (``data/raw/ecosystem/indicators.csv``).

One row per figure: indicator code, scope (``quebec``, a region such as ``monteregie_est``), value in base units,
year if stated, how exact the source is, and where it comes from (seed file + section). The loader checks the table
against a schema and names the file, line and column of the first problem.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.core import paths
from analysis.core.errors import DataIntegrityError, ParameterError, SchemaError

INDICATORS_FILE = "ecosystem/indicators.csv"
INITIATIVES_FILE = "ecosystem/procurement_initiatives.csv"
COLUMNS = ["indicator", "scope", "value", "unit", "year", "qualifier", "approximate", "source_doc",
           "source_section", "notes"]
UNITS = ["count", "cad", "pct", "hours", "minutes", "years", "age_years"]
QUALIFIERS = ["exact", "about", "more_than", "at_least", "up_to"]
# Human-readable names of the scopes (regions) of the table, for the reports.
SCOPE_NAMES = {
    "quebec": {"fr": "Québec (province)", "en": "Québec (province)"},
    "monteregie_est": {"fr": "Montérégie Est (territoire du PECEM)", "en": "Eastern Montérégie (PECEM territory)"},
    "monteregie": {"fr": "Montérégie", "en": "Montérégie"},
}

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
        "notes": pa.Column(str, nullable=True),
    },
    checks=[pa.Check(lambda d: d["unit"].ne("pct") | d["value"].le(100), error="a percentage is above 100")],
    strict=True,
    coerce=False,
)


def _raise_from_pandera(exc: pa.errors.SchemaErrors, df: pd.DataFrame, path: Path) -> None:
    """Turn pandera's failure table into one SchemaError naming file, CSV line and column."""
    cases = exc.failure_cases
    first = cases.iloc[0]
    column = first.get("column")
    index = first.get("index")
    line = int(index) + 2 if pd.notna(index) else None
    column = None if pd.isna(column) else str(column)
    raise SchemaError(f"valeur refusée par le schéma ({first['check']}) : « {first['failure_case']} »",
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
            i = int(bad.to_numpy().nonzero()[0][0])
            raise SchemaError(f"nombre illisible « {raw[col].iloc[i]} »", path=paths.relative(path), line=i + 2,
                              field=col)
        if kind == "Int64":
            if (num.dropna() % 1 != 0).any():
                i = int(((num % 1 != 0) & num.notna()).to_numpy().nonzero()[0][0])
                raise SchemaError(f"année non entière « {raw[col].iloc[i]} »", path=paths.relative(path),
                                  line=i + 2, field=col)
            df[col] = pd.array(num.round(), dtype="Int64")
        else:
            df[col] = num.astype("float64")
    text = df["approximate"].astype("str").str.strip().str.lower()
    mapping = {"true": True, "false": False, "1": True, "0": False}
    bad = ~text.isin(mapping)
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise SchemaError(f"booléen attendu (true/false), trouvé « {raw['approximate'].iloc[i]} »",
                          path=paths.relative(path), line=i + 2, field="approximate")
    df["approximate"] = text.map(mapping).astype(bool)
    return df


def load_indicators(path: Path | str | None = None) -> pd.DataFrame:
    """The indicators table, validated; duplicate keys (indicator, scope, year, source_doc) are refused."""
    path = Path(path) if path is not None else paths.RAW / INDICATORS_FILE
    if not path.exists():
        raise SchemaError("fichier d'indicateurs introuvable", path=paths.relative(path))
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise SchemaError(f"colonnes absentes : {', '.join(missing)}", path=paths.relative(path), field=missing[0])
    extra = [c for c in raw.columns if c not in COLUMNS]
    if extra:
        raise SchemaError(f"colonnes inattendues : {', '.join(extra)}", path=paths.relative(path), field=extra[0])
    df = _parse_numbers(raw[COLUMNS], path)
    for c in ("indicator", "scope", "unit", "qualifier", "source_doc", "source_section", "notes"):
        df[c] = df[c].astype(object).str.strip()
    df["notes"] = df["notes"].where(df["notes"] != "", None)
    try:
        df = SCHEMA.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        _raise_from_pandera(exc, df, path)
    key = ["indicator", "scope", "year", "source_doc"]
    dup = df.duplicated(key, keep="first")
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise SchemaError(f"indicateur en double : {df['indicator'].iloc[i]} / {df['scope'].iloc[i]}",
                          path=paths.relative(path), line=i + 2, field="indicator")
    df.insert(0, "source_line", range(2, len(df) + 2))
    return df.reset_index(drop=True)


def get_indicator(df: pd.DataFrame, name: str, scope: str | None = None, year: int | None = None) -> float:
    """The value of one indicator; several sources must agree (else DataIntegrityError), none → ParameterError."""
    rows = df[df["indicator"] == name]
    if scope is not None:
        rows = rows[rows["scope"] == scope]
    if year is not None:
        rows = rows[rows["year"] == year]
    if rows.empty:
        where = f" (territoire {scope})" if scope else ""
        raise ParameterError(f"indicateur « {name} »{where} absent du tableau des indicateurs", field="indicator")
    values = rows["value"].unique()
    if len(values) > 1:
        raise DataIntegrityError(
            f"l'indicateur « {name} » a plusieurs valeurs ({', '.join(str(v) for v in sorted(values))}) "
            "selon la source ou l'année : précisez scope ou year",
            path=INDICATORS_FILE, field="value")
    return float(values[0])


def scopes(df: pd.DataFrame) -> list[str]:
    """The scopes (territories) present in the table, sorted."""
    return sorted(df["scope"].unique())


def scope_name(scope: str, lang: str = "fr") -> str:
    """Display name of a scope; the code itself when unknown."""
    return SCOPE_NAMES.get(scope, {}).get(lang, scope)


def load_initiatives(path: Path | str | None = None) -> pd.DataFrame:
    """The procurement initiatives' performance indicators coded from seed 004."""
    path = Path(path) if path is not None else paths.RAW / INITIATIVES_FILE
    if not path.exists():
        raise SchemaError("fichier des initiatives introuvable", path=paths.relative(path))
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    expected = ["initiative", "axis", "initiative_label", "indicator", "indicator_label", "kind", "target",
                "source_section"]
    missing = [c for c in expected if c not in df.columns]
    if missing:
        raise SchemaError(f"colonnes absentes : {', '.join(missing)}", path=paths.relative(path), field=missing[0])
    target = pd.to_numeric(df["target"].where(df["target"] != ""), errors="coerce")
    bad = target.isna() & df["target"].ne("")
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise SchemaError(f"cible non numérique « {df['target'].iloc[i]} »", path=paths.relative(path),
                          line=i + 2, field="target")
    df["target"] = target.astype("float64")
    return df[expected].reset_index(drop=True)
