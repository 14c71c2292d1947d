"""Co-operatives UK open data: organisations, their accounts, and food vs other co-ops' finances.

The default files are the June 2016 extract (``make data``); any extract of the same layout can be given by path.
Nothing here depends on the extract's date: the survival analysis ends follow-up at each extract's own last
recorded dissolution (:func:`analysis.food.survival.censoring_date`).

The economy table repeats an organisation's last known accounts under every later "economic year"; we keep one
row per set of accounts (organisation × year-end date) and say how many rows were collapsed.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.core import paths
from analysis.core.checks import require_choice, require_frame
from analysis.core.errors import InputFormatError, SchemaError
from analysis.food._sources import input_path, require_input

ORGANISATIONS_FILE = "coops_uk/coops_uk_2016_organisations.csv"
ECONOMY_FILE = "coops_uk/coops_uk_2016_economy.csv"
ORGANISATIONS_DATASET = "coops_uk_organisations"  # names in the data registry (data/external.yml)
ECONOMY_DATASET = "coops_uk_economy"

ORG_COLUMNS = {
    "CUK Organisation ID": "org_id",
    "Registered Number": "registered_number",
    "Registrar": "registrar",
    "Registered Name": "name",
    "Legal Form": "legal_form",
    "UK Nation": "nation",
    "SIC Code": "sic_code_raw",
    "SIC section": "sic_section",
    "Sector - Simplified, High Level": "sector",
    "Ownership Classification": "ownership",
    "Registered Status": "status",
    "Incorporation Date": "incorporated_raw",
    "Dissolved Date": "dissolved_raw",
}
ECONOMY_COLUMNS = {
    "CUK Organisation ID": "org_id",
    "Registered Name": "name",
    "Turnover": "turnover",
    "Profit before tax": "profit_before_tax",
    "Member/Shareholder Funds": "member_funds",
    "Memberships": "memberships",
    "Employees": "employees",
    "Is Most Recent?": "is_most_recent",
    "Year End Date": "year_end_raw",
    "Economic Year": "economic_year",
}
MONEY = ["turnover", "profit_before_tax", "member_funds", "memberships", "employees"]
# Rows whose organisation id is "N/a" are national aggregates (credit-union totals, unregistered co-ops), not
# organisations: they are left out of the organisation-level table and counted.
AGGREGATE_IDS = {"N/a", "N/A", ""}

# Food co-ops: UK SIC 2007 codes (digits after "UKSIC07-"), matched as prefixes unless marked exact.
# Agriculture: divisions 01 (crop & animal production, incl. support activities) and 03 (fishing,
# aquaculture); forestry (02) is not food. Processing: divisions 10 (food products) and 11 (beverages);
# tobacco (12) excluded. Wholesale: 4617 agents in food, 462 agricultural raw materials & live animals, 463
# food & beverages except 4635 tobacco. Retail: 4711 non-specialised stores with food predominating, the bare
# group code 471 (non-specialised stores; in this extract mostly village community shops), 472 specialised
# food stores except 4726 tobacco, 4781 market stalls selling food. Bare codes "47" and "478" (any goods) are
# NOT food. When the SIC code is blank, the simplified sector "Agriculture" still counts as agriculture;
# "Retail" without a code does not.
FOOD_SIC_RULES: tuple[tuple[str, str, bool], ...] = (
    ("01", "agriculture", False),
    ("03", "agriculture", False),
    ("10", "food_processing", False),
    ("11", "food_processing", False),
    ("4617", "food_wholesale", False),
    ("462", "food_wholesale", False),
    ("463", "food_wholesale", False),
    ("4711", "food_retail", False),
    ("471", "food_retail", True),
    ("472", "food_retail", False),
    ("4781", "food_retail", False),
)
FOOD_SIC_EXCLUDE = ("4635", "4726")
FOOD_SECTOR_FALLBACK = {"Agriculture": "agriculture"}

ORG_SCHEMA = pa.DataFrameSchema(
    {
        "org_id": pa.Column(str, pa.Check.str_length(min_value=1), unique=True),
        "status": pa.Column(str, pa.Check.isin(["Live", "Dead"])),
        "incorporated": pa.Column("datetime64[ns]", nullable=True),
        "dissolved": pa.Column("datetime64[ns]", nullable=True),
        "sic_code": pa.Column(str),
        "flags": pa.Column(str),
    },
    strict=False,
)
ECONOMY_SCHEMA = pa.DataFrameSchema(
    {
        "org_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "year_end": pa.Column("datetime64[ns]"),
        "fiscal_year": pa.Column(int, pa.Check.in_range(1990, 2100)),
        "turnover": pa.Column(float, nullable=True),
        "n_economic_years": pa.Column(int, pa.Check.ge(1)),
    },
    unique=["org_id", "year_end"],
    strict=False,
)
ORGS_HINT = "load it with food.load_coops_uk_organisations()"
ECONOMY_HINT = "load it with food.load_coops_uk_economy()"
SECTOR_GROUPS = ("food", "other")
FOOD_SUBSECTORS = ("agriculture", "food_processing", "food_wholesale", "food_retail")


def _read(path: Path, columns: dict[str, str]) -> pd.DataFrame:
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputFormatError(f"unreadable CSV: {exc}", path=paths.relative(path)) from exc
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise SchemaError(
            f"missing columns: {', '.join(missing)}", path=paths.relative(path), field=missing[0]
        )
    out = raw[list(columns)].rename(columns=columns)
    for c in out.columns:
        out[c] = out[c].astype("str").str.strip()
    out.insert(0, "source_line", np.arange(2, len(out) + 2, dtype="int64"))
    return out


def _dates(text: pd.Series, fmt: str, path: Path, field: str, lines: pd.Series) -> pd.Series:
    """Parse dates in one explicit format; a non-blank value that does not parse is an error naming its
    line."""
    t = text.where(text != "")
    parsed = pd.to_datetime(t, format=fmt, errors="coerce")
    bad = parsed.isna() & t.notna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise SchemaError(
            f"unreadable date {t.iloc[i]!r}", path=paths.relative(path), line=int(lines.iloc[i]), field=field
        )
    return parsed.astype("datetime64[ns]")


def load_organisations(path: Path | str | None = None) -> pd.DataFrame:
    """One row per co-op: ids, legal form, SIC code, sector, status, incorporation and dissolution dates.

    Dates are day/month/year. Exact duplicate rows are dropped (count in ``attrs["duplicate_rows_dropped"]``);
    inconsistencies (dead without a dissolution date, live with one, no incorporation date) are named in
    ``flags``.

    Parameters
    ----------
    path : path or str, optional
        The organisations CSV; by default the registry's ``coops_uk_organisations`` where ``make data`` puts it. A
        relative path is read from the current folder, else from the project root.

    Returns
    -------
    DataFrame
        ``source_line``, ``org_id``, ``name``, ``legal_form``, ``nation``, ``sic_code`` (digits), ``sector``,
        ``ownership``, ``status`` (``Live`` / ``Dead``), ``incorporated``, ``dissolved`` (datetimes) and
        ``flags``; ``attrs`` holds ``rows_read`` and ``duplicate_rows_dropped``.

    Raises
    ------
    MissingDatasetError
        The file is absent (run ``make data``).
    InputFormatError, SchemaError
        Unreadable file, missing column, unreadable date or an id repeated with different values.
    """
    path = require_input(input_path(path, dataset=ORGANISATIONS_DATASET), "Co-operatives UK organisations extract")
    df = _read(path, ORG_COLUMNS)
    n_read = len(df)
    dup = df.drop(columns="source_line").duplicated()
    df = df.loc[~dup].reset_index(drop=True)
    again = df["org_id"].duplicated(keep=False)
    if again.any():
        i = int(np.flatnonzero(again.to_numpy())[1])
        raise SchemaError(
            f"identifier repeated with different values: {df['org_id'].iloc[i]}",
            path=paths.relative(path),
            line=int(df["source_line"].iloc[i]),
            field="CUK Organisation ID",
        )
    df["incorporated"] = _dates(
        df["incorporated_raw"], "%d/%m/%Y", path, "Incorporation Date", df["source_line"]
    )
    df["dissolved"] = _dates(df["dissolved_raw"], "%d/%m/%Y", path, "Dissolved Date", df["source_line"])
    df["sic_code"] = df["sic_code_raw"].str.replace(r"^UKSIC07-", "", regex=True)
    rules = {
        "dead_without_date": (df["status"] == "Dead") & df["dissolved"].isna(),
        "live_with_dissolution_date": (df["status"] == "Live") & df["dissolved"].notna(),
        "no_incorporation_date": df["incorporated"].isna(),
        "dissolved_before_incorporated": df["dissolved"] < df["incorporated"],
    }
    df["flags"] = pd.Series(
        [";".join(k for k, m in rules.items() if m.iloc[i]) for i in range(len(df))],
        index=df.index,
        dtype="str",
    )
    df = df.drop(columns=["incorporated_raw", "dissolved_raw"])
    try:
        ORG_SCHEMA.validate(df)
    except pa.errors.SchemaError as exc:
        raise SchemaError(
            f"schema not met: {exc.args[0].splitlines()[0]}", path=paths.relative(path)
        ) from exc
    df.attrs = {"rows_read": n_read, "duplicate_rows_dropped": int(dup.sum())}
    return df


def load_coops_uk_organisations(path: Path | str | None = None) -> pd.DataFrame:
    """The Co-operatives UK organisations with their food classification: what the survival analysis needs.

    Parameters
    ----------
    path : path or str, optional
        As in :func:`load_organisations` (default: where ``make data`` puts the file).

    Returns
    -------
    DataFrame
        :func:`load_organisations` output with ``food_subsector``, ``food_rule`` and ``sector_group`` added by
        :func:`classify_sector`; ``attrs`` kept.

    Raises
    ------
    MissingDatasetError, InputFormatError, SchemaError
        As :func:`load_organisations`.
    """
    return classify_sector(load_organisations(path))


def load_economy(path: Path | str | None = None) -> pd.DataFrame:
    """One row per set of accounts (organisation × year-end date), numbers parsed.

    The extract repeats the last known accounts under each later economic year: those rows are collapsed,
    keeping ``first_economic_year``, ``last_economic_year`` and ``n_economic_years``. National aggregate rows
    (id "N/a") are left out. Counts in ``attrs``: rows_read, aggregate_rows_dropped,
    carried_forward_rows_collapsed, accounts.

    Parameters
    ----------
    path : path or str, optional
        The economy CSV; by default the registry's ``coops_uk_economy`` where ``make data`` puts it.

    Returns
    -------
    DataFrame
        ``org_id``, ``name``, ``year_end``, ``fiscal_year``, ``turnover``, ``profit_before_tax``,
        ``member_funds``, ``memberships``, ``employees`` (floats, £ for money) and the economic years collapsed.

    Raises
    ------
    MissingDatasetError
        The file is absent (run ``make data``).
    InputFormatError, SchemaError
        Unreadable file, non-numeric value, missing date, or different accounts for one organisation and date.
    """
    path = require_input(input_path(path, dataset=ECONOMY_DATASET), "Co-operatives UK economy extract")
    df = _read(path, ECONOMY_COLUMNS)
    n_read = len(df)
    agg = df["org_id"].isin(AGGREGATE_IDS)
    df = df.loc[~agg].reset_index(drop=True)
    for col in MONEY:
        txt = df[col].where(df[col] != "")
        val = pd.to_numeric(txt, errors="coerce")
        bad = val.isna() & txt.notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise SchemaError(
                f"not a number: {txt.iloc[i]!r}",
                path=paths.relative(path),
                line=int(df["source_line"].iloc[i]),
                field=col,
            )
        df[col] = val.astype("float64")
    df["economic_year"] = pd.to_numeric(df["economic_year"], errors="coerce")
    if df["economic_year"].isna().any():
        i = int(np.flatnonzero(df["economic_year"].isna().to_numpy())[0])
        raise SchemaError(
            "missing economic year",
            path=paths.relative(path),
            line=int(df["source_line"].iloc[i]),
            field="Economic Year",
        )
    df["economic_year"] = df["economic_year"].astype("int64")
    df["year_end"] = _dates(
        df["year_end_raw"].str.slice(0, 10), "%Y-%m-%d", path, "Year End Date", df["source_line"]
    )
    if df["year_end"].isna().any():
        i = int(np.flatnonzero(df["year_end"].isna().to_numpy())[0])
        raise SchemaError(
            "missing year-end date",
            path=paths.relative(path),
            line=int(df["source_line"].iloc[i]),
            field="Year End Date",
        )
    key = ["org_id", "year_end"]
    conflicts = df.groupby(key)[MONEY].nunique(dropna=False).gt(1).any(axis=1)
    if conflicts.any():
        org, ye = conflicts[conflicts].index[0]
        raise SchemaError(
            f"different accounts for {org} on {ye.date()} depending on the economic year",
            path=paths.relative(path),
            field="Year End Date",
        )
    df = df.sort_values(key + ["economic_year", "source_line"], kind="mergesort")
    years = df.groupby(key)["economic_year"].agg(["min", "max", "nunique"])
    out = df.drop_duplicates(key, keep="first").set_index(key)
    out["first_economic_year"] = years["min"].astype("int64")
    out["last_economic_year"] = years["max"].astype("int64")
    out["n_economic_years"] = years["nunique"].astype("int64")
    out = out.reset_index()
    # 52/53-week years ending in the first days of January belong to the previous financial year.
    out["fiscal_year"] = (out["year_end"] - pd.Timedelta(days=7)).dt.year.astype("int64")
    out = out.drop(columns=["year_end_raw", "economic_year", "is_most_recent"]).sort_values(
        key, ignore_index=True
    )
    try:
        ECONOMY_SCHEMA.validate(out)
    except pa.errors.SchemaError as exc:
        raise SchemaError(
            f"schema not met: {exc.args[0].splitlines()[0]}", path=paths.relative(path)
        ) from exc
    out.attrs = {
        "rows_read": n_read,
        "aggregate_rows_dropped": int(agg.sum()),
        "carried_forward_rows_collapsed": int(n_read - agg.sum() - len(out)),
        "accounts": len(out),
    }
    return out


def _food_subsector(code: str, sector: str) -> tuple[str, str]:
    if code:
        if code.startswith(FOOD_SIC_EXCLUDE):
            return "", ""
        for prefix, sub, exact in FOOD_SIC_RULES:
            if (code == prefix) if exact else code.startswith(prefix):
                return sub, f"sic:{prefix}{'' if exact else '*'}"
        return "", ""
    sub = FOOD_SECTOR_FALLBACK.get(sector, "")
    return sub, (f"sector:{sector}" if sub else "")


def classify_sector(orgs: pd.DataFrame) -> pd.DataFrame:
    """Add ``food_subsector`` (agriculture / food_processing / food_wholesale / food_retail / ""),
    ``food_rule`` (which SIC prefix or sector matched) and ``sector_group`` ("food" or "other"); see
    FOOD_SIC_RULES.

    Parameters
    ----------
    orgs : DataFrame
        :func:`load_organisations` output (columns ``sic_code`` and ``sector``).

    Returns
    -------
    DataFrame
        A copy with the three columns added (recomputed if present).
    """
    require_frame(orgs, "orgs", ("sic_code", "sector"), hint="load it with food.load_coops_uk_organisations()")
    pairs = [_food_subsector(c, s) for c, s in zip(orgs["sic_code"], orgs["sector"], strict=True)]
    out = orgs.copy()
    out["food_subsector"] = pd.Series([p[0] for p in pairs], index=orgs.index, dtype="str")
    out["food_rule"] = pd.Series([p[1] for p in pairs], index=orgs.index, dtype="str")
    out["sector_group"] = np.where(out["food_subsector"] != "", "food", "other")
    out["sector_group"] = out["sector_group"].astype("str")
    return out


def accounts_with_ratios(economy: pd.DataFrame, orgs: pd.DataFrame) -> pd.DataFrame:
    """Each set of accounts with its co-op's sector and the ratios: profit margin and member funds / turnover
    (only where turnover > 0).

    Parameters
    ----------
    economy : DataFrame
        :func:`load_economy` output.
    orgs : DataFrame
        :func:`load_organisations` output (classified by :func:`classify_sector` here if it is not yet).

    Returns
    -------
    DataFrame
        The accounts with ``sector_group`` (``unknown`` for an organisation not in ``orgs``), ``food_subsector``,
        ``sector``, ``profit_margin`` and ``member_funds_ratio``.
    """
    require_frame(economy, "economy", ("org_id", "year_end", "turnover", "profit_before_tax", "member_funds"),
                  hint=ECONOMY_HINT)
    require_frame(orgs, "orgs", ("org_id", "sector"), hint=ORGS_HINT)
    if "sector_group" not in orgs.columns or "food_subsector" not in orgs.columns:
        orgs = classify_sector(orgs)
    cols = ["org_id", "sector_group", "food_subsector", "sector"]
    acc = economy.merge(orgs[cols], on="org_id", how="left", validate="m:1")
    acc["sector_group"] = acc["sector_group"].fillna("unknown")
    pos = acc["turnover"].where(acc["turnover"] > 0)
    acc["profit_margin"] = acc["profit_before_tax"] / pos
    acc["member_funds_ratio"] = acc["member_funds"] / pos
    return acc


def _growth(acc: pd.DataFrame, min_years: float = 0.9) -> pd.DataFrame:
    """Per co-op, annualised turnover growth between its first and last set of accounts (both turnover >
    0)."""
    a = acc.loc[acc["turnover"] > 0].sort_values(["org_id", "year_end"])
    first = a.groupby("org_id").first()
    last = a.groupby("org_id").last()
    years = (last["year_end"] - first["year_end"]).dt.days / 365.25
    ok = years >= min_years
    g = (last["turnover"][ok] / first["turnover"][ok]) ** (1 / years[ok]) - 1
    return pd.DataFrame({"org_id": g.index, "annual_turnover_growth": g.to_numpy()})


QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


def _describe(values: pd.Series) -> dict[str, float]:
    v = values.dropna()
    row = {"n": len(v), "mean": v.mean() if len(v) else math.nan}
    for q in QUANTILES:
        row[f"q{int(q * 100):02d}"] = v.quantile(q) if len(v) else math.nan
    return row


def latest_accounts(economy: pd.DataFrame, orgs: pd.DataFrame) -> pd.DataFrame:
    """Each co-op's most recent set of accounts, with its sector and ratios.

    Parameters
    ----------
    economy : DataFrame
        :func:`load_economy` output.
    orgs : DataFrame
        :func:`load_organisations` output.

    Returns
    -------
    DataFrame
        :func:`accounts_with_ratios` reduced to the last year-end of each ``org_id`` (sorted by ``org_id``).
    """
    acc = accounts_with_ratios(economy, orgs)
    return acc.sort_values(["org_id", "year_end"]).drop_duplicates("org_id", keep="last")


def finances(
    economy: pd.DataFrame, orgs: pd.DataFrame, by: str = "sector_group", accounts: str = "latest"
) -> pd.DataFrame:
    """Distribution (n, mean, q10–q90) of turnover, profit margin, member funds / turnover and annual turnover
    growth, per group (``by``: "sector_group" or "food_subsector").

    ``accounts="latest"`` uses each co-op's most recent set of accounts (one row per co-op); ``"all"`` pools
    every set. Growth is always one value per co-op (first → last accounts, annualised).

    Parameters
    ----------
    economy : DataFrame
        :func:`load_economy` output.
    orgs : DataFrame
        :func:`load_organisations` output.
    by : {"sector_group", "food_subsector", "sector"}
        The grouping column.
    accounts : {"latest", "all"}
        Which sets of accounts describe a co-op.

    Returns
    -------
    DataFrame
        One row per group (sorted, then ``all``) and metric (``turnover`` in £, ``profit_margin``,
        ``member_funds_ratio``, ``annual_turnover_growth``): ``n``, ``mean``, ``q10``, ``q25``, ``q50``,
        ``q75``, ``q90``.
    """
    require_choice(accounts, ("latest", "all"), "accounts")
    require_choice(by, ("sector_group", "food_subsector", "sector"), "by")
    acc = accounts_with_ratios(economy, orgs)
    growth = _growth(acc).merge(acc.drop_duplicates("org_id")[["org_id", by]], on="org_id", how="left")
    if accounts == "latest":
        acc = acc.sort_values(["org_id", "year_end"]).drop_duplicates("org_id", keep="last")
    rows = []
    groups = sorted(g for g in acc[by].dropna().unique())
    for group in [*groups, "all"]:
        part = acc if group == "all" else acc.loc[acc[by] == group]
        gpart = growth if group == "all" else growth.loc[growth[by] == group]
        for metric, series in (
            ("turnover", part["turnover"]),
            ("profit_margin", part["profit_margin"]),
            ("member_funds_ratio", part["member_funds_ratio"]),
            ("annual_turnover_growth", gpart["annual_turnover_growth"]),
        ):
            rows.append({"group": group, "metric": metric, **_describe(series)})
    return pd.DataFrame(rows)


def finances_by_year(
    economy: pd.DataFrame, orgs: pd.DataFrame, by: str = "sector_group"
) -> pd.DataFrame:
    """Per financial year and group: co-ops with accounts, median turnover, median profit margin, share with a
    profit (profit before tax > 0), total turnover. Years with few sets of accounts are kept (see
    ``n_accounts``).

    Parameters
    ----------
    economy : DataFrame
        :func:`load_economy` output.
    orgs : DataFrame
        :func:`load_organisations` output.
    by : {"sector_group", "food_subsector", "sector"}
        The grouping column.

    Returns
    -------
    DataFrame
        ``fiscal_year``, ``group``, ``n_accounts``, ``turnover_median``, ``turnover_total``,
        ``profit_margin_median``, ``share_profitable``.
    """
    require_choice(by, ("sector_group", "food_subsector", "sector"), "by")
    acc = accounts_with_ratios(economy, orgs)
    rows = []
    for (year, group), g in acc.groupby(["fiscal_year", by], sort=True):
        pbt = g["profit_before_tax"].dropna()
        rows.append(
            {
                "fiscal_year": int(year),
                "group": group,
                "n_accounts": len(g),
                "turnover_median": g["turnover"].median(),
                "turnover_total": g["turnover"].sum(min_count=1),
                "profit_margin_median": g["profit_margin"].median(),
                "share_profitable": (pbt > 0).mean() if len(pbt) else math.nan,
            }
        )
    return pd.DataFrame(rows)


def sector_counts(orgs: pd.DataFrame) -> pd.DataFrame:
    """Co-ops per sector group and food subsector, with how many are dead (dissolved).

    Parameters
    ----------
    orgs : DataFrame
        :func:`load_organisations` output (classified here if it is not yet).

    Returns
    -------
    DataFrame
        ``sector_group``, ``food_subsector`` ("" for other sectors), ``n`` and ``n_dead``.
    """
    require_frame(orgs, "orgs", ("org_id", "status", "sector"), hint=ORGS_HINT)
    o = orgs if {"sector_group", "food_subsector"} <= set(orgs.columns) else classify_sector(orgs)
    g = o.assign(dead=o["status"] == "Dead").groupby(["sector_group", "food_subsector"])
    out = g.agg(n=("org_id", "size"), n_dead=("dead", "sum")).reset_index()
    return out.sort_values(["sector_group", "food_subsector"], ignore_index=True)
