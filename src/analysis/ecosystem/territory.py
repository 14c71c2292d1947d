"""Territorial portrait: a region's shares of the province's social economy, and register vs pole directory.

Two halves. (1) From the seed indicators: a region's shares of Québec's social-economy enterprises, revenue and
jobs, revenue and payroll per job, the co-operative movement's growth and survival. (2) From public lists: the
Registraire des entreprises (REQ) extract of Mauricie's social-economy legal forms and the Pôle d'économie sociale
de la Mauricie directory and members — counts by legal form and municipality, and how many register enterprises the
directory covers (fuzzy name matching, with the pairs to check).

Codes only: legal forms are ``APE`` (non-profit corporation), ``ASS`` (association), ``COP`` (co-operative); a
missing member category or type is ``unspecified``. The report layer translates them.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict

import numpy as np
import pandas as pd
import pandera.pandas as pa
from rapidfuzz import fuzz

from analysis.core import external, paths
from analysis.core.checks import require_frame, require_positive, require_type
from analysis.core.errors import MissingDatasetError, ParameterError, SchemaError
from analysis.core.text import fold_lower
from analysis.ecosystem._common import first_true, input_path, recorded_path
from analysis.ecosystem.indicators import get_indicator, indicator_quality, require_indicators, weakest_quality

PROVINCE = "quebec"
SHARE_INDICATORS = ("se_enterprises", "se_revenue", "se_jobs")
# (ratio, numerator, denominator) of region_ratios
RATIOS = (
    ("revenue_per_job", "se_revenue", "se_jobs"),
    ("payroll_per_job", "se_payroll", "se_jobs"),
    ("revenue_per_enterprise", "se_revenue", "se_enterprises"),
    ("jobs_per_enterprise", "se_jobs", "se_enterprises"),
)
GROWTH_INDICATORS = ("coop_mutual_revenue", "coop_mutual_jobs")
SURVIVAL_HORIZONS = (5, 10)
LEGAL_FORMS = ("APE", "ASS", "COP")
UNSPECIFIED = "unspecified"

REGISTER_COLUMNS = {
    "NEQ": "neq", "NomEntreprise": "name", "Adresse": "address", "Municipalite": "municipality_raw",
    "Adresse_Lign3": "address_line3", "CodePostal": "postal_code", "SecteurActivite": "sector",
    "FormeJuridique": "legal_form", "lat": "lat", "long": "lon",
}
DIRECTORY_COLUMNS = {
    "NomEntreprise": "name", "Adresse": "address", "Municipalite": "municipality_raw", "CodePostal": "postal_code",
    "Territoire": "territory", "SiteWeb": "website",
}
MEMBERS_COLUMNS = {
    "CategorieMembre": "member_category", "NomEntreprise": "name", "Type": "enterprise_type",
    "SecteurActivite": "sector", "Adresse": "address", "Municipalite": "municipality_raw",
    "CodePostal": "postal_code", "SiteWeb": "website",
}

REGISTER_SCHEMA = pa.DataFrameSchema(
    {
        "neq": pa.Column(str, pa.Check.str_matches(r"^\d{10}$")),
        "name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "legal_form": pa.Column(str, pa.Check.isin(list(LEGAL_FORMS))),
        "municipality": pa.Column(str, nullable=True),
        "lat": pa.Column(float, pa.Check.in_range(-90, 90), nullable=True),
        "lon": pa.Column(float, pa.Check.in_range(-180, 180), nullable=True),
    },
    strict=False,
)
DIRECTORY_SCHEMA = pa.DataFrameSchema(
    {"name": pa.Column(str, pa.Check.str_length(min_value=1))},
    strict=False,
)
REGISTER_HINT = "load it with ecosystem.load_register()"


def _register(register: object, argument: str = "register") -> pd.DataFrame:
    return require_frame(register, argument, columns=("neq", "name", "legal_form", "municipality_key"),
                         hint=REGISTER_HINT)


# --------------------------------------------------------------------------------------------------------------
# Part 1: shares of the province from the indicators table


def regions_with_shares(indicators: pd.DataFrame) -> list[str]:
    """The regions (scopes other than the province) that have enterprises, revenue and jobs indicators, sorted.

    Parameters
    ----------
    indicators : DataFrame
        The table of :func:`analysis.ecosystem.load_indicators`.

    Returns
    -------
    list of str
        Scope codes accepted by :func:`region_shares` and :func:`region_ratios` (``["monteregie_est"]`` with the
        shipped table).

    Raises
    ------
    ParameterError
        ``indicators`` is not the indicators table.
    """
    require_indicators(indicators)
    have = indicators.groupby("scope")["indicator"].agg(set)
    return sorted(s for s, inds in have.items() if s != PROVINCE and set(SHARE_INDICATORS) <= inds)


def _check_region(indicators: pd.DataFrame, region: object, argument: str = "region") -> str:
    require_type(region, str, argument)
    known = regions_with_shares(indicators)
    if region not in known:
        lacks = "has no enterprises, revenue and jobs indicators" if region in set(indicators["scope"]) else "is not"
        raise ParameterError(f"region {region!r} {lacks} in the indicators table; regions with those indicators: "
                             f"{', '.join(known) or 'none'}", field=argument)
    return region


def _check_scope(indicators: pd.DataFrame, scope: object, argument: str) -> str:
    require_type(scope, str, argument)
    known = sorted(indicators["scope"].unique())
    if scope not in known:
        raise ParameterError(f"unknown scope {scope!r}; the indicators table has {', '.join(known)}", field=argument)
    return scope


def region_shares(indicators: pd.DataFrame, region: str, reference: str = PROVINCE) -> pd.DataFrame:
    """A region's enterprises, revenue and jobs, the province's, and the region's share.

    Parameters
    ----------
    indicators : DataFrame
        The table of :func:`analysis.ecosystem.load_indicators`.
    region : str
        A scope code with share indicators (see :func:`regions_with_shares`), e.g. ``"monteregie_est"``.
    reference : str, default ``"quebec"``
        The scope the region is compared with.

    Returns
    -------
    DataFrame
        One row per indicator (``se_enterprises``, ``se_revenue``, ``se_jobs``): indicator, region, province,
        share_pct (``100 × region / province``), region_quality and province_quality (source quality of each
        figure, :func:`analysis.ecosystem.indicator_quality`).

    Raises
    ------
    ParameterError
        ``indicators`` is not the indicators table, or ``region`` / ``reference`` is unknown or lacks the indicators.
    """
    require_indicators(indicators)
    _check_region(indicators, region)
    _check_scope(indicators, reference, "reference")
    rows = []
    for ind in SHARE_INDICATORS:
        r = get_indicator(indicators, ind, region)
        p = get_indicator(indicators, ind, reference)
        rows.append({"indicator": ind, "region": r, "province": p, "share_pct": 100.0 * r / p,
                     "region_quality": indicator_quality(indicators, ind, region),
                     "province_quality": indicator_quality(indicators, ind, reference)})
    return pd.DataFrame(rows, columns=["indicator", "region", "province", "share_pct", "region_quality",
                                       "province_quality"])


def region_ratios(indicators: pd.DataFrame, region: str, reference: str = PROVINCE) -> pd.DataFrame:
    """Revenue per job, payroll per job, revenue per enterprise and jobs per enterprise, region vs province.

    Parameters
    ----------
    indicators : DataFrame
        The table of :func:`analysis.ecosystem.load_indicators`.
    region : str
        A scope code with share indicators (see :func:`regions_with_shares`).
    reference : str, default ``"quebec"``
        The scope the region is compared with.

    Returns
    -------
    DataFrame
        ratio (``revenue_per_job``, ``payroll_per_job``, ``revenue_per_enterprise``, ``jobs_per_enterprise``), region,
        province, region_vs_province, region_quality, province_quality (the weaker source quality of the ratio's two
        figures). A ratio whose inputs are missing for a scope is NaN, its quality None (the province's payroll is
        not in the seeds).

    Raises
    ------
    ParameterError
        ``indicators`` is not the indicators table, or ``region`` / ``reference`` is unknown or lacks the indicators.
    """
    require_indicators(indicators)
    _check_region(indicators, region)
    _check_scope(indicators, reference, "reference")

    def value(ind: str, scope: str) -> float:
        try:
            return get_indicator(indicators, ind, scope)
        except ParameterError:
            return float("nan")

    def quality(num: str, den: str, scope: str) -> str | None:
        try:
            return weakest_quality([indicator_quality(indicators, ind, scope) for ind in (num, den)])
        except ParameterError:
            return None

    rows = [{"ratio": name, "region": value(num, region) / value(den, region),
             "province": value(num, reference) / value(den, reference),
             "region_quality": quality(num, den, region), "province_quality": quality(num, den, reference)}
            for name, num, den in RATIOS]
    out = pd.DataFrame(rows, columns=["ratio", "region", "province", "region_quality", "province_quality"])
    out.insert(3, "region_vs_province", out["region"] / out["province"])
    return out


def indicator_growth(indicators: pd.DataFrame, indicator: str, start: int, end: int,
                     scope: str = PROVINCE) -> dict[str, float]:
    """Start and end values of an indicator, change (%) and compound annual growth rate (%) between two years.

    Parameters
    ----------
    indicators : DataFrame
        The table of :func:`analysis.ecosystem.load_indicators`.
    indicator : str
        Indicator code with values for both years (e.g. ``coop_mutual_revenue``: 2011, 2019, 2020).
    start, end : int
        Reference years, ``start < end``.
    scope : str, default ``"quebec"``

    Returns
    -------
    dict
        start, end (values), change_pct (``100 × (end / start − 1)``), cagr_pct
        (``100 × ((end / start)^(1 / years) − 1)``) and years (``end − start``).

    Raises
    ------
    ParameterError
        Years that are not whole numbers or not in order, or an indicator without a value for a year.
    """
    require_indicators(indicators)
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise ParameterError(f"expected a year (a whole number), got {value!r}", field=name)
    years = end - start
    if years <= 0:
        raise ParameterError(f"the period must end after it starts: {start}–{end}", field="end")
    a = get_indicator(indicators, indicator, scope, start)
    b = get_indicator(indicators, indicator, scope, end)
    return {"start": a, "end": b, "change_pct": 100.0 * (b / a - 1.0),
            "cagr_pct": 100.0 * ((b / a) ** (1.0 / years) - 1.0), "years": float(years)}


def coop_mutual_growth(indicators: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Growth of the co-operative and mutual movement's revenue and jobs in Québec between two years.

    Parameters
    ----------
    indicators : DataFrame
        The table of :func:`analysis.ecosystem.load_indicators`.
    start, end : int
        Reference years with both figures in the seeds (2011 and 2019, seed 000 « Qui sommes-nous ? »).

    Returns
    -------
    DataFrame
        One row per indicator (``coop_mutual_revenue``, ``coop_mutual_jobs``): indicator, start_year, end_year,
        start, end, change_pct, cagr_pct (see :func:`indicator_growth`), quality (the weaker source quality of the two
        years' figures).

    Raises
    ------
    ParameterError
        As :func:`indicator_growth`; a year for which the seeds do not give both figures is named with the years
        that would work (field ``start`` or ``end``).
    """
    require_indicators(indicators)
    both = sorted(set.intersection(*(set(indicators.loc[(indicators["indicator"] == ind)
                                                        & (indicators["scope"] == PROVINCE), "year"].dropna()
                                         .astype(int)) for ind in GROWTH_INDICATORS)))
    for name, year in (("start", start), ("end", end)):
        if not isinstance(year, bool) and isinstance(year, (int, np.integer)) and int(year) not in both:
            raise ParameterError(f"no figure for both {' and '.join(GROWTH_INDICATORS)} in {year}; years with both: "
                                 f"{', '.join(map(str, both)) or 'none'}", field=name)
    rows = [{"indicator": ind, "start_year": start, "end_year": end, **indicator_growth(indicators, ind, start, end),
             "quality": weakest_quality([indicator_quality(indicators, ind, PROVINCE, start),
                                         indicator_quality(indicators, ind, PROVINCE, end)])}
            for ind in GROWTH_INDICATORS]
    return pd.DataFrame(rows, columns=["indicator", "start_year", "end_year", "start", "end", "change_pct",
                                       "cagr_pct", "quality"])


def survival_comparison(indicators: pd.DataFrame) -> pd.DataFrame:
    """Survival of co-operatives vs other enterprises in Québec at 5 and 10 years, with the gap and the ratio.

    Parameters
    ----------
    indicators : DataFrame
        The table of :func:`analysis.ecosystem.load_indicators`.

    Returns
    -------
    DataFrame
        horizon_years, coop_pct, other_pct, gap_points (``coop − other``), ratio (``coop / other``), quality (the
        weaker source quality of the two rates).

    Raises
    ------
    ParameterError
        ``indicators`` is not the indicators table or lacks a survival indicator.

    References
    ----------
    CQCM (2022), *Feuille de route coopérative et mutualiste*, seed ``000_c0319b767be08c98.txt``, section
    « Qui sommes-nous ? » (indicators ``coop_survival_5y`` … ``other_survival_10y``).
    """
    require_indicators(indicators)
    rows = []
    for h in SURVIVAL_HORIZONS:
        coop = get_indicator(indicators, f"coop_survival_{h}y", PROVINCE)
        other = get_indicator(indicators, f"other_survival_{h}y", PROVINCE)
        rows.append({"horizon_years": h, "coop_pct": coop, "other_pct": other, "gap_points": coop - other,
                     "ratio": coop / other,
                     "quality": weakest_quality([indicator_quality(indicators, f"coop_survival_{h}y", PROVINCE),
                                                 indicator_quality(indicators, f"other_survival_{h}y", PROVINCE)])})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------------------------
# Part 2: register extract and pole directory


def _read_csv(path: str | os.PathLike | None, name: str, columns: dict[str, str]) -> pd.DataFrame:
    """One of the public lists (default: its copy in data/external/), columns renamed, blanks and NA as None."""
    path = input_path(path, external.get(name).local_path)
    if not path.exists():
        raise MissingDatasetError(f"dataset {name!r} not found: run `make data` or give the path of your copy",
                                  path=paths.relative(path))
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SchemaError(f"not UTF-8 (byte {exc.start})", path=paths.relative(path)) from None
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise SchemaError(f"missing columns: {', '.join(missing)}", path=paths.relative(path), field=missing[0])
    out = raw[list(columns)].rename(columns=columns)
    for c in out.columns:
        out[c] = out[c].astype(object).str.strip()
        out[c] = out[c].where(~out[c].isin(["", "NA"]), None)
    out.insert(0, "source_line", np.arange(2, len(out) + 2, dtype="int64"))
    out.attrs["path"] = recorded_path(path)
    out.attrs["file"] = paths.relative(path)
    return out


def municipality_key(value: object) -> str | None:
    """Matching key of a municipality: « (Québec) » dropped, accents folded, « St »/« Ste » spelled out, hyphens.

    Parameters
    ----------
    value : str or None
        A municipality as written (``"St-Élie-de-Caxton (Québec)"``).

    Returns
    -------
    str or None
        ``"saint-elie-de-caxton"``; None for a missing or empty value.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = re.sub(r"\(\s*qu[ée]bec\s*\)", "", str(value), flags=re.IGNORECASE)
    text = fold_lower(text)
    text = re.sub(r"\bst\b", "saint", text)
    text = re.sub(r"\bste\b", "sainte", text)
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or None


def _display_municipality(values: pd.Series) -> pd.Series:
    """The municipality as written, without the trailing « (Québec) » (the display form; keys are separate)."""
    return values.map(lambda v: None if v is None else re.sub(r"\s*\(\s*qu[ée]bec\s*\)\s*$", "", v,
                                                             flags=re.IGNORECASE).strip())


def _validate(df: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        first = exc.failure_cases.iloc[0]
        index = first.get("index")
        line = int(df["source_line"].iloc[int(index)]) if pd.notna(index) else None
        column = None if pd.isna(first.get("column")) else str(first.get("column"))
        raise SchemaError(f"value refused by the schema ({first['check']}): {first['failure_case']!r}",
                          path=df.attrs.get("file"), line=line, field=column) from None


def load_register(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The Registraire des entreprises (REQ) extract of social-economy legal forms in Mauricie.

    Parameters
    ----------
    path : str or path-like, optional
        A CSV in the REQ open-data layout (NEQ, NomEntreprise, Adresse, Municipalite, Adresse_Lign3, CodePostal,
        SecteurActivite, FormeJuridique, lat, long). Default: the ``req_mauricie`` dataset of ``data/external.yml``
        (``make data``). A relative path is read from the current folder when it exists there, else from the
        project root.

    Returns
    -------
    DataFrame
        source_line, neq, name, address, municipality_raw, address_line3, postal_code, sector, legal_form (``APE``,
        ``ASS``, ``COP``), lat, lon, municipality (display form), municipality_key (see :func:`municipality_key`).
        A repeated NEQ is kept once (its first line); ``attrs`` holds ``rows_read``, ``duplicate_neq``,
        ``duplicate_lines`` and ``path``.

    Raises
    ------
    MissingDatasetError
        The file is absent (``make data`` brings the default).
    SchemaError
        Not UTF-8, a column missing, a required value missing, an unreadable coordinate or a value refused by the
        schema (file, line and column named).
    """
    df = _read_csv(path, "req_mauricie", REGISTER_COLUMNS)
    for c in ("lat", "lon"):
        num = pd.to_numeric(df[c], errors="coerce")
        bad = num.isna() & df[c].notna()
        if bad.any():
            i = first_true(bad)
            raise SchemaError(f"unreadable coordinate {df[c].iloc[i]!r}", path=df.attrs["file"],
                              line=int(df["source_line"].iloc[i]), field=c)
        df[c] = num.astype("float64")
    df["municipality"] = _display_municipality(df["municipality_raw"])
    df["municipality_key"] = df["municipality_raw"].map(municipality_key)
    missing = df["neq"].isna() | df["name"].isna() | df["legal_form"].isna()
    if missing.any():
        i = first_true(missing)
        field = next(c for c in ("neq", "name", "legal_form") if df[c].iloc[i] is None)
        raise SchemaError("required value missing", path=df.attrs["file"], line=int(df["source_line"].iloc[i]),
                          field=field)
    df = _validate(df, REGISTER_SCHEMA)
    dup = df["neq"].duplicated(keep="first")
    attrs = {"path": df.attrs.get("path"), "rows_read": len(df), "duplicate_neq": int(dup.sum()),
             "duplicate_lines": df.loc[dup, "source_line"].tolist()}
    df = df.loc[~dup].reset_index(drop=True)
    df.attrs = attrs
    return df


def load_pole_directory(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The directory of the Pôle d'économie sociale de la Mauricie.

    Parameters
    ----------
    path : str or path-like, optional
        A CSV with NomEntreprise, Adresse, Municipalite, CodePostal, Territoire, SiteWeb. Default: the
        ``pole_mauricie_directory`` dataset of ``data/external.yml`` (``make data``); a relative path is read from
        the current folder when it exists there, else from the project root.

    Returns
    -------
    DataFrame
        source_line, name, address, municipality_raw, postal_code, territory (MRC), website, municipality,
        municipality_key; ``attrs`` holds ``rows_read`` and ``path``.

    Raises
    ------
    MissingDatasetError
        The file is absent.
    SchemaError
        Not UTF-8, a column missing or a name missing (file, line and column named).
    """
    df = _read_csv(path, "pole_mauricie_directory", DIRECTORY_COLUMNS)
    bad = df["name"].isna()
    if bad.any():
        i = first_true(bad)
        raise SchemaError("enterprise name missing", path=df.attrs["file"], line=int(df["source_line"].iloc[i]),
                          field="NomEntreprise")
    df["municipality"] = _display_municipality(df["municipality_raw"])
    df["municipality_key"] = df["municipality_raw"].map(municipality_key)
    attrs = {"path": df.attrs["path"], "rows_read": len(df)}
    df = _validate(df, DIRECTORY_SCHEMA)
    df.attrs = attrs
    return df


def load_pole_members(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The members list of the Pôle d'économie sociale de la Mauricie.

    Parameters
    ----------
    path : str or path-like, optional
        A CSV with CategorieMembre, NomEntreprise, Type, SecteurActivite, Adresse, Municipalite, CodePostal, SiteWeb.
        Default: the ``pole_mauricie_members`` dataset of ``data/external.yml`` (``make data``).

    Returns
    -------
    DataFrame
        source_line, member_category, name, enterprise_type, sector, address, municipality_raw, postal_code,
        website, municipality, municipality_key; ``attrs["path"]`` names the file.

    Raises
    ------
    MissingDatasetError
        The file is absent.
    SchemaError
        Not UTF-8, a column missing or a name missing (file, line and column named).
    """
    df = _read_csv(path, "pole_mauricie_members", MEMBERS_COLUMNS)
    bad = df["name"].isna()
    if bad.any():
        i = first_true(bad)
        raise SchemaError("name missing", path=df.attrs["file"], line=int(df["source_line"].iloc[i]),
                          field="NomEntreprise")
    df["municipality"] = _display_municipality(df["municipality_raw"])
    df["municipality_key"] = df["municipality_raw"].map(municipality_key)
    df.attrs = {"path": df.attrs["path"]}
    return df


def member_counts(members: pd.DataFrame) -> pd.DataFrame:
    """Pole members by category and enterprise type, largest first.

    Parameters
    ----------
    members : DataFrame
        The table of :func:`load_pole_members`.

    Returns
    -------
    DataFrame
        member_category, enterprise_type (as written; ``unspecified`` when blank), count; sorted by count
        (descending), then category and type.

    Raises
    ------
    ParameterError
        ``members`` is not the members table.
    """
    require_frame(members, "members", columns=("member_category", "enterprise_type"),
                  hint="load it with ecosystem.load_pole_members()")
    out = (members.fillna({"member_category": UNSPECIFIED, "enterprise_type": UNSPECIFIED})
           .groupby(["member_category", "enterprise_type"]).size().rename("count").reset_index())
    out["count"] = out["count"].astype("int64")
    return out.sort_values(["count", "member_category", "enterprise_type"], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)


def counts_by_form(register: pd.DataFrame) -> pd.DataFrame:
    """Register enterprises by legal form.

    Parameters
    ----------
    register : DataFrame
        The table of :func:`load_register`.

    Returns
    -------
    DataFrame
        legal_form (code), count, share_pct; sorted by count (descending) then code.

    Raises
    ------
    ParameterError
        ``register`` is not the register table.
    """
    _register(register)
    counts = register["legal_form"].value_counts()
    out = pd.DataFrame({"legal_form": counts.index.astype(str), "count": counts.to_numpy().astype("int64")})
    out["share_pct"] = 100.0 * out["count"] / out["count"].sum()
    return out.sort_values(["count", "legal_form"], ascending=[False, True], kind="stable").reset_index(drop=True)


def counts_by_municipality(register: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """Register enterprises by municipality and legal form, largest first.

    Parameters
    ----------
    register : DataFrame
        The table of :func:`load_register`.
    top : int, optional
        Keep the ``top`` municipalities with the most enterprises (all by default).

    Returns
    -------
    DataFrame
        municipality_key, municipality (the most common mixed-case spelling), APE, ASS, COP, total; sorted by total
        (descending) then key. Spellings that differ only in case, accents or « St »/« Saint » count as one.

    Raises
    ------
    ParameterError
        ``register`` is not the register table, or ``top`` is not a positive whole number.
    """
    _register(register)
    if top is not None and (isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1):
        raise ParameterError(f"expected a whole number of 1 or more, got {top!r}", field="top")
    df = register.dropna(subset=["municipality_key"])
    display = (df.groupby(["municipality_key", "municipality"]).size().rename("n").reset_index()
               .assign(mixed=lambda d: d["municipality"].map(lambda s: s != s.upper()))
               .sort_values(["municipality_key", "mixed", "n", "municipality"], ascending=[True, False, False, True])
               .drop_duplicates("municipality_key").set_index("municipality_key")["municipality"])
    wide = pd.crosstab(df["municipality_key"], df["legal_form"])
    for code in LEGAL_FORMS:
        if code not in wide.columns:
            wide[code] = 0
    wide = wide[list(LEGAL_FORMS)].astype("int64")
    wide["total"] = wide.sum(axis=1)
    wide.insert(0, "municipality", display.reindex(wide.index))
    wide = wide.reset_index().sort_values(["total", "municipality_key"], ascending=[False, True], kind="stable")
    wide = wide.reset_index(drop=True)
    wide.columns.name = None
    return wide.head(top) if top else wide


# ---- name matching

LEGAL_SUFFIXES = [
    r"inc", r"incorporee?", r"ltee", r"limitee", r"enr", r"enregistree?", r"cie", r"obnl", r"osbl", r"senc",
    r"s e n c", r"ltd", r"corp", r"co",
]
STOPWORDS = {"le", "la", "les", "de", "du", "des", "d", "l", "et", "a", "au", "aux", "en", "the", "of", "and"}
ABBREVIATIONS = {
    "cpe": "centre petite enfance",
    "cab": "centre action benevole",
    "coopérative": "coop",
    "cooperative": "coop",
    "co-op": "coop",
    "co-operative": "coop",
    "cooperatives": "coop",
    "st": "saint",
    "ste": "sainte",
}


def normalize_name(name: object) -> str:
    """Matching key of an enterprise name: accents folded, « coopérative » → coop, legal suffixes and articles dropped.

    Parameters
    ----------
    name : str or None
        A name as written (``"Coopérative de solidarité St-Rémi inc."``).

    Returns
    -------
    str
        ``"coop solidarite saint remi"``; ``""`` for a missing name. Accents are folded with the project's one
        folding function (:func:`analysis.core.text.fold_lower`); displayed names keep theirs.
    """
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return ""
    text = fold_lower(str(name))
    text = text.replace("&", " et ")
    text = re.sub(r"\b((?:[a-z]\.){2,})", lambda m: m.group(1).replace(".", ""), text)  # C.P.E. → cpe
    text = re.sub(r"\bco-?op(erative)?s?\b", "coop", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    text = re.sub(r"\b(" + "|".join(LEGAL_SUFFIXES) + r")\b\s*$", " ", text.strip())
    text = re.sub(r"\b(inc|ltee|enr)\b", " ", text)
    tokens = []
    for tok in text.split():
        tokens.extend(ABBREVIATIONS.get(tok, tok).split())
    tokens = [t for t in tokens if t not in STOPWORDS]
    return " ".join(tokens)


def _blocks(keys: list[str], min_len: int = 4) -> dict[str, list[int]]:
    index: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        for tok in set(key.split()):
            if len(tok) >= min_len and tok != "coop":
                index[tok].append(i)
    return index


def name_score(a: str, b: str) -> float:
    """Similarity 0–100 of two normalized names: the mean of rapidfuzz's token-sort and token-set ratios.

    Parameters
    ----------
    a, b : str
        Keys from :func:`normalize_name`.

    Returns
    -------
    float
        ``(token_sort_ratio(a, b) + token_set_ratio(a, b)) / 2``: insensitive to word order (sort) and to extra
        words in one name (set).

    Raises
    ------
    ParameterError
        ``a`` or ``b`` is not a string.

    References
    ----------
    rapidfuzz, ``rapidfuzz.fuzz.token_sort_ratio`` and ``token_set_ratio`` (normalized Indel similarity of the sorted
    tokens, and of their intersection and differences), https://rapidfuzz.github.io/RapidFuzz/Usage/fuzz.html
    """
    require_type(a, str, "a")
    require_type(b, str, "b")
    return (fuzz.token_sort_ratio(a, b) + fuzz.token_set_ratio(a, b)) / 2.0


WORD_VARIANT_SIMILARITY = 80.0  # two words at least this similar (rapidfuzz ratio) are spellings of one word
WORD_VARIANT_MIN_PREFIX = 4     # a word of this many letters or more that starts another is a short form of it


def _word_variant(a: str, b: str) -> bool:
    if fuzz.ratio(a, b) >= WORD_VARIANT_SIMILARITY:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= WORD_VARIANT_MIN_PREFIX and long_.startswith(short)


def word_conflict(a: str, b: str) -> bool:
    """Whether two normalized names each have a word the other lacks: one word put in place of another.

    A word of one name counts as present in the other when the other has it, a spelling variant of it (rapidfuzz
    ratio of at least 80: « asjtabec » / « asitabec », « mousaillons » / « moussaillons ») or a longer word it
    begins (4 letters or more: « coop » / « cooperation »). Words that only one name has are additions (an acronym,
    a region, a sub-brand) and do not conflict; a word on each side that the other lacks is a substitution
    (« marie » / « margo »), the mark of two different enterprises with similar names.

    Parameters
    ----------
    a, b : str
        Keys from :func:`normalize_name`.

    Returns
    -------
    bool
        True when both names have such a word: ``word_conflict("centre petite enfance marie lune",
        "centre petite enfance margo lune")`` is True; ``word_conflict("bucafin cybernet cafe trois rivieres",
        "cybernet cafe trois rivieres")`` is False.

    Raises
    ------
    ParameterError
        ``a`` or ``b`` is not a string.
    """
    require_type(a, str, "a")
    require_type(b, str, "b")
    words_a, words_b = set(a.split()), set(b.split())
    only_a = [w for w in words_a - words_b if not any(_word_variant(w, v) for v in words_b)]
    only_b = [w for w in words_b - words_a if not any(_word_variant(w, v) for v in words_a)]
    return bool(only_a) and bool(only_b)


def _check_threshold(threshold: object, argument: str = "threshold") -> float:
    require_positive(threshold, argument, allow_zero=True)
    if threshold > 100:
        raise ParameterError(f"expected a score between 0 and 100, got {threshold!r}", field=argument)
    return float(threshold)


def accept_matches(matches: pd.DataFrame, threshold: float = 80.0, word_rule: bool = True,
                   same_municipality_below: float | None = None) -> pd.Series:
    """Which best candidates of :func:`match_directory` count as matches under a rule.

    Parameters
    ----------
    matches : DataFrame
        The table of :func:`match_directory` (columns score, word_conflict, same_municipality).
    threshold : float, default 80
        Minimum score (0–100).
    word_rule : bool, default True
        Also refuse a pair whose names have a word put in place of another (:func:`word_conflict`).
    same_municipality_below : float, optional
        Also refuse a pair scoring below this bound whose municipalities differ (a rule the report compares, not
        the default).

    Returns
    -------
    Series of bool
        Aligned with ``matches``; a pair without a candidate is never accepted.

    Raises
    ------
    ParameterError
        ``matches`` is not the table of :func:`match_directory`, or a score outside 0–100.
    """
    require_frame(matches, "matches", columns=("score", "neq", "word_conflict", "same_municipality"),
                  hint="compute it with ecosystem.match_directory()")
    threshold = _check_threshold(threshold)
    require_type(word_rule, bool, "word_rule")
    accepted = matches["neq"].notna() & (matches["score"] >= threshold)
    if word_rule:
        accepted &= ~matches["word_conflict"].astype(bool)
    if same_municipality_below is not None:
        bound = _check_threshold(same_municipality_below, "same_municipality_below")
        accepted &= (matches["score"] >= bound) | matches["same_municipality"].astype(bool)
    return accepted.astype(bool)


def match_directory(register: pd.DataFrame, directory: pd.DataFrame, threshold: float = 80.0,
                    max_block: int = 400, word_rule: bool = True) -> pd.DataFrame:
    """The best register match of each directory entry, by fuzzy name similarity.

    Names are normalized (:func:`normalize_name`) and scored with :func:`name_score`. Blocking: only pairs sharing a
    word of 4+ letters (other than « coop ») are scored; words shared by more than ``max_block`` register names (e.g.
    « centre ») do not form blocks on their own. Ties go to the alphabetically first register key. The best
    candidate is a match when its score reaches ``threshold`` and, with ``word_rule``, when neither name has a word
    put in place of one of the other (:func:`word_conflict`: « CPE Marie-Lune » is not « CPE Margo la lune »).

    Parameters
    ----------
    register : DataFrame
        The table of :func:`load_register`.
    directory : DataFrame
        The table of :func:`load_pole_directory` (columns name, municipality, municipality_key; source_line if
        present).
    threshold : float, default 80
        Minimum score (0–100) for a match to be accepted. With the word rule, 80 loses no right pair and accepts no
        wrong one among the pairs of the Mauricie lists checked by hand (``data/raw/ecosystem/match_review.csv``);
        the score alone needed 90 and still accepted wrong pairs.
    max_block : int, default 400
        Largest block a word may form.
    word_rule : bool, default True
        Refuse pairs with a word conflict (see :func:`accept_matches`). False gives the score rule alone.

    Returns
    -------
    DataFrame
        directory_line (the directory's CSV line, the key of a reviewed pair), directory_name,
        directory_municipality, score, register_name, neq, legal_form, register_municipality, same_municipality,
        word_conflict, matched; sorted by score (descending) then directory name. ``attrs``: pairs_scored,
        pairs_total, threshold, word_rule.

    Raises
    ------
    ParameterError
        A table that is not the register or the directory, or a threshold outside 0–100.

    References
    ----------
    rapidfuzz token-sort and token-set ratios, see :func:`name_score`.
    """
    _register(register)
    require_frame(directory, "directory", columns=("name",), hint="load it with ecosystem.load_pole_directory()")
    threshold = _check_threshold(threshold)
    require_positive(max_block, "max_block")
    require_type(word_rule, bool, "word_rule")
    reg_keys = [normalize_name(n) for n in register["name"]]
    dir_keys = [normalize_name(n) for n in directory["name"]]
    lines = (directory["source_line"].tolist() if "source_line" in directory.columns
             else list(range(2, len(directory) + 2)))
    index = _blocks(reg_keys)
    rows = []
    pairs_scored = 0
    for i, key in enumerate(dir_keys):
        candidates: set[int] = set()
        for tok in set(key.split()):
            block = index.get(tok, [])
            if len(tok) >= 4 and len(block) <= max_block:
                candidates.update(block)
        best, best_j = -1.0, None
        for j in sorted(candidates):
            s = name_score(key, reg_keys[j])
            pairs_scored += 1
            if s > best or (s == best and best_j is not None and reg_keys[j] < reg_keys[best_j]):
                best, best_j = s, j
        d = directory.iloc[i]
        row = {"directory_line": int(lines[i]), "directory_name": d["name"],
               "directory_municipality": d.get("municipality"), "score": max(best, 0.0), "register_name": None,
               "neq": None, "legal_form": None, "register_municipality": None, "same_municipality": False,
               "word_conflict": False}
        if best_j is not None:
            r = register.iloc[best_j]
            row.update({"register_name": r["name"], "neq": r["neq"], "legal_form": r["legal_form"],
                        "register_municipality": r.get("municipality"),
                        "same_municipality": bool(d.get("municipality_key") is not None
                                                  and d.get("municipality_key") == r.get("municipality_key")),
                        "word_conflict": word_conflict(key, reg_keys[best_j])})
        rows.append(row)
    out = pd.DataFrame(rows, columns=["directory_line", "directory_name", "directory_municipality", "score",
                                      "register_name", "neq", "legal_form", "register_municipality",
                                      "same_municipality", "word_conflict"])
    out["directory_line"] = out["directory_line"].astype("int64")
    out["matched"] = accept_matches(out, threshold, word_rule)
    out = out.sort_values(["score", "directory_name"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out.attrs = {"pairs_scored": pairs_scored, "pairs_total": len(reg_keys) * len(dir_keys), "threshold": threshold,
                 "word_rule": word_rule}
    return out


MATCH_COLUMNS = ("directory_name", "register_name", "neq", "legal_form", "score", "same_municipality", "matched")


def matches_for_review(matches: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The pairs to check by hand: accepted matches with the lowest scores and rejected ones with the highest.

    Parameters
    ----------
    matches : DataFrame
        The table of :func:`match_directory`.
    n : int, default 15
        How many of each.

    Returns
    -------
    DataFrame
        The rows of ``matches`` (all its columns: directory_name, register_name, legal_form, score,
        same_municipality, word_conflict, matched…): up to ``n`` accepted pairs (lowest score first), then up to ``n``
        refused pairs that have a candidate (highest score first).

    Raises
    ------
    ParameterError
        ``matches`` is not the table of :func:`match_directory`, or ``n`` is below 1.
    """
    require_frame(matches, "matches", columns=MATCH_COLUMNS, hint="compute it with ecosystem.match_directory()")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError(f"expected a whole number of 1 or more, got {n!r}", field="n")
    accepted = matches[matches["matched"]].sort_values(["score", "directory_name"], kind="stable").head(n)
    rejected = matches[~matches["matched"] & matches["register_name"].notna()]
    rejected = rejected.sort_values(["score", "directory_name"], ascending=[False, True], kind="stable").head(n)
    return pd.concat([accepted, rejected], ignore_index=True)


def directory_coverage(matches: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """How much of the register the directory covers: entries matched, distinct enterprises covered, by legal form.

    Parameters
    ----------
    matches : DataFrame
        The table of :func:`match_directory`.
    register : DataFrame
        The table of :func:`load_register` the matches were made against.

    Returns
    -------
    DataFrame
        measure (``directory_entries``, ``directory_matched``, ``directory_matched_pct``, ``register_enterprises``,
        ``register_covered``, ``register_covered_pct``, ``matched_same_municipality_pct``,
        ``register_covered_pct_<form>`` for each legal form), value (float).

    Raises
    ------
    ParameterError
        A table that is not the matches or the register.
    """
    require_frame(matches, "matches", columns=MATCH_COLUMNS, hint="compute it with ecosystem.match_directory()")
    _register(register)
    matched = matches[matches["matched"]]
    covered = matched.drop_duplicates("neq")
    rows = [
        {"measure": "directory_entries", "value": float(len(matches))},
        {"measure": "directory_matched", "value": float(len(matched))},
        {"measure": "directory_matched_pct", "value": 100.0 * len(matched) / max(len(matches), 1)},
        {"measure": "register_enterprises", "value": float(len(register))},
        {"measure": "register_covered", "value": float(len(covered))},
        {"measure": "register_covered_pct", "value": 100.0 * len(covered) / max(len(register), 1)},
        {"measure": "matched_same_municipality_pct",
         "value": 100.0 * matched["same_municipality"].mean() if len(matched) else float("nan")},
    ]
    for code in LEGAL_FORMS:
        n_reg = int((register["legal_form"] == code).sum())
        n_cov = int((covered["legal_form"] == code).sum())
        rows.append({"measure": f"register_covered_pct_{code}", "value": 100.0 * n_cov / n_reg if n_reg else np.nan})
    return pd.DataFrame(rows, columns=["measure", "value"])
