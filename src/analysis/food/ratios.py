"""Financial statements of one enterprise: a validated template, viability ratios and Tuckman–Chang flags.

The TIESS case book asked the ten enterprises for three years of statements "to compute key viability ratios";
statements are confidential, so they are read from a path the user gives (``data/private/…``, git-ignored) and
never shipped. Tests and CI use :func:`generate_synthetic_statements`, whose rows are marked ``is_synthetic``.

References
----------
Tuckman, H. P., & Chang, C. F. (1991). A methodology for measuring the financial vulnerability of charitable
nonprofit organizations. *Nonprofit and Voluntary Sector Quarterly*, 20(4), 445–460.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.core import paths
from analysis.core.checks import require_frame, require_type
from analysis.core.errors import InputFormatError, MissingDatasetError, ParameterError, SchemaError
from analysis.food._sources import input_path

REVENUE_COLUMNS = (
    "revenue_sales",
    "revenue_public_grants",
    "revenue_donations",
    "revenue_membership",
    "revenue_other",
)
EXPENSE_COLUMNS = (
    "expense_cost_of_goods",
    "expense_salaries",
    "expense_administration",
    "expense_other",
)
BALANCE_COLUMNS = (
    "current_assets",
    "current_liabilities",
    "total_assets",
    "total_liabilities",
    "net_assets",
)
MONEY_COLUMNS = REVENUE_COLUMNS + EXPENSE_COLUMNS + BALANCE_COLUMNS
TEMPLATE_COLUMNS = ("enterprise", "year") + MONEY_COLUMNS + ("is_synthetic",)
TEMPLATE_PATH = paths.RAW / "food_cases" / "financials_template.csv"

# What each column of the template means (the report shows the same in its language, from the label catalogue).
FIELD_DOCS: dict[str, str] = {
    "enterprise": "enterprise identifier (e.g. the case_id of cases.csv)",
    "year": "fiscal year (year in which it ends)",
    "revenue_sales": "sales of goods and services ($)",
    "revenue_public_grants": "public grants, every level of government ($)",
    "revenue_donations": "donations and philanthropy ($)",
    "revenue_membership": "member dues and shares booked as revenue ($)",
    "revenue_other": "other revenue ($)",
    "expense_cost_of_goods": "cost of goods sold ($)",
    "expense_salaries": "salaries and payroll charges ($)",
    "expense_administration": "administration and management expenses ($)",
    "expense_other": "other expenses, including depreciation ($)",
    "current_assets": "current assets ($)",
    "current_liabilities": "current liabilities ($)",
    "total_assets": "total assets ($)",
    "total_liabilities": "total liabilities ($)",
    "net_assets": "net assets or members' equity ($; may be negative)",
    "is_synthetic": "leave empty (or false) for real statements; true only for fictitious data",
}

# Accounting identity tolerance: |total_assets - total_liabilities - net_assets| <= max(1 $, 1 % of total assets).
BALANCE_TOLERANCE = 0.01

STATEMENTS_SCHEMA = pa.DataFrameSchema(
    {
        "enterprise": pa.Column(str, pa.Check.str_length(min_value=1)),
        "year": pa.Column(int, pa.Check.in_range(1900, 2100)),
        **{c: pa.Column(float, pa.Check.ge(0)) for c in REVENUE_COLUMNS + EXPENSE_COLUMNS},
        "current_assets": pa.Column(float, pa.Check.ge(0)),
        "current_liabilities": pa.Column(float, pa.Check.ge(0)),
        "total_assets": pa.Column(float, pa.Check.gt(0)),
        "total_liabilities": pa.Column(float, pa.Check.ge(0)),
        "net_assets": pa.Column(float),
        "is_synthetic": pa.Column(bool),
    },
    strict=True,
    ordered=False,
)


def _row_checks(df: pd.DataFrame) -> list[tuple[pd.Series, str, str]]:
    """Checks across columns: (rows that pass, column to name, message)."""
    gap = (df["total_assets"] - df["total_liabilities"] - df["net_assets"]).abs()
    return [
        (~df.duplicated(["enterprise", "year"], keep="first"), "year", "same enterprise and fiscal year twice"),
        (gap <= np.maximum(1.0, BALANCE_TOLERANCE * df["total_assets"].abs()), "net_assets",
         "total assets − total liabilities ≠ net assets (gap above 1 %)"),
        (df["current_assets"] <= df["total_assets"] + 1.0, "current_assets", "current assets above total assets"),
        (df["current_liabilities"] <= df["total_liabilities"] + 1.0, "current_liabilities",
         "current liabilities above total liabilities"),
        (df[list(REVENUE_COLUMNS)].sum(axis=1) > 0, "revenue_sales", "total revenue is zero"),
    ]


def write_template(path: Path | str) -> Path:
    """Write the empty statements template (header only).

    Parameters
    ----------
    path : path or str
        Where to write it (a relative path is relative to the current folder).

    Returns
    -------
    Path
        The file written; its columns are documented in :data:`FIELD_DOCS` and :func:`template_documentation`.
    """
    require_type(path, (str, Path), "path")
    path = Path(path)
    path.write_text(",".join(TEMPLATE_COLUMNS) + "\n", encoding="utf-8")
    return path


def template_documentation() -> pd.DataFrame:
    """The template's columns with their meaning, in file order.

    Returns
    -------
    DataFrame
        ``column`` and ``meaning`` (English; the report shows its own translation of each column's meaning).
    """
    return pd.DataFrame({"column": list(TEMPLATE_COLUMNS), "meaning": [FIELD_DOCS[c] for c in TEMPLATE_COLUMNS]})


def _parse_bool(value: str, path: Path, line: int) -> bool:
    text = value.strip().lower()
    if text in ("", "false", "faux", "0", "non", "no"):
        return False
    if text in ("true", "vrai", "1", "oui", "yes"):
        return True
    raise SchemaError(f"expected true or false, found {value!r}", path=paths.relative(path),
                      line=line, field="is_synthetic")


def parse_statements(raw: pd.DataFrame, path: Path | str = "<table>") -> pd.DataFrame:
    """Type and validate a statements table read as text.

    Parameters
    ----------
    raw : DataFrame
        The table as text (``pd.read_csv(..., dtype=str, keep_default_na=False)``), with the columns of
        :data:`TEMPLATE_COLUMNS` (``is_synthetic`` optional). Amounts may carry thousands spaces.
    path : path or str
        The file it came from, named in errors.

    Returns
    -------
    DataFrame
        The statements typed (``year`` int, amounts float, ``is_synthetic`` bool), sorted by enterprise and year.

    Raises
    ------
    SchemaError
        A missing or unknown column, a non-numeric or negative amount, a duplicate enterprise-year, or a balance
        sheet that does not add up; the error names the file, the CSV line and the column.
    """
    require_frame(raw, "raw", hint="read the CSV as text, or use food.load_financial_statements(path)")
    path = Path(path)
    where = paths.relative(path)
    missing = [c for c in TEMPLATE_COLUMNS if c not in raw.columns and c != "is_synthetic"]
    if missing:
        raise SchemaError(f"required column missing (expected: {', '.join(TEMPLATE_COLUMNS)})", path=where,
                          line=1, field=missing[0])
    extra = [c for c in raw.columns if c not in TEMPLATE_COLUMNS]
    if extra:
        raise SchemaError("unknown column (see the template financials_template.csv)", path=where, line=1,
                          field=str(extra[0]))
    raw = raw.reset_index(drop=True)
    lines = pd.Series(range(2, len(raw) + 2))
    out = pd.DataFrame({"enterprise": raw["enterprise"].astype(str).str.strip()})
    for col in ("year",) + MONEY_COLUMNS:
        text = raw[col].astype(str).str.strip().str.replace("\u202f", "", regex=False).str.replace(" ", "", regex=False)
        values = pd.to_numeric(text.where(text != ""), errors="coerce")
        bad = values.isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            found = raw[col].iloc[i]
            what = "missing value" if str(found).strip() == "" else f"expected a number, found {found!r}"
            raise SchemaError(what, path=where, line=int(lines.iloc[i]), field=col)
        out[col] = values.astype(float)
    year = out["year"]
    if not (year == year.round()).all():
        i = int(np.flatnonzero((year != year.round()).to_numpy())[0])
        raise SchemaError("expected a whole year", path=where, line=int(lines.iloc[i]), field="year")
    out["year"] = year.astype(int)
    if "is_synthetic" in raw.columns:
        out["is_synthetic"] = [_parse_bool(str(v), path, int(n)) for v, n in zip(raw["is_synthetic"], lines)]
    else:
        out["is_synthetic"] = False
    out["is_synthetic"] = out["is_synthetic"].astype(bool)
    empty = out["enterprise"] == ""
    if empty.any():
        raise SchemaError("empty enterprise identifier", path=where, line=int(lines[empty].iloc[0]), field="enterprise")
    try:
        STATEMENTS_SCHEMA.validate(out, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        fc = fc[fc["index"].notna()].sort_values("index", kind="stable") if fc["index"].notna().any() else fc
        first = fc.iloc[0]
        line = int(lines.iloc[int(first["index"])]) if pd.notna(first["index"]) else None
        check = str(first["check"])
        message = {
            "greater_than_or_equal_to(0)": "negative amount not allowed",
            "greater_than(0)": "total assets must be positive",
            "in_range(1900, 2100)": "fiscal year outside 1900–2100",
        }.get(check, f"check {check!r} fails")
        raise SchemaError(f"{message} (value {first['failure_case']})", path=where, line=line,
                          field=str(first["column"])) from None
    for check, field, message in _row_checks(out):
        bad = ~check
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise SchemaError(message, path=where, line=int(lines.iloc[i]), field=field)
    return out.sort_values(["enterprise", "year"], kind="stable").reset_index(drop=True)


def load_statements(path: Path | str) -> pd.DataFrame:
    """Read and validate a financial-statements CSV in the layout of ``financials_template.csv``.

    Parameters
    ----------
    path : path or str
        The CSV (UTF-8), usually under ``data/private/`` (git-ignored); a relative path is read from the current
        folder, else from the project root.

    Returns
    -------
    DataFrame
        :func:`parse_statements` output: one row per enterprise and fiscal year.

    Raises
    ------
    MissingDatasetError
        The file does not exist.
    InputFormatError
        The file is not UTF-8 CSV.
    SchemaError
        A value breaks the template (file, line and column named).
    """
    path = input_path(path)
    if not path.exists():
        raise MissingDatasetError("financial statements file not found", path=paths.relative(path))
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError:
        raise InputFormatError("the file must be encoded in UTF-8", path=paths.relative(path)) from None
    except pd.errors.ParserError as exc:
        raise InputFormatError(f"unreadable CSV: {exc}", path=paths.relative(path)) from None
    return parse_statements(raw, path)


def herfindahl(shares: pd.Series | list[float] | np.ndarray) -> float:
    """Herfindahl–Hirschman index of concentration: the sum of squared shares.

    Parameters
    ----------
    shares : sequence of numbers
        Amounts or shares (normalized to sum 1 here), zero or more.

    Returns
    -------
    float
        Between 1/n (n equal sources) and 1 (a single source); [0.5, 0.3, 0.2] → 0.38; NaN when all are zero.

    References
    ----------
    Herfindahl, O. C. (1950). *Concentration in the Steel Industry* (PhD thesis). Columbia University.
    Hirschman, A. O. (1964). The paternity of an index. *American Economic Review*, 54(5), 761.
    """
    require_type(shares, (pd.Series, list, tuple, np.ndarray), "shares")
    arr = np.asarray(shares, dtype=float)
    total = arr.sum()
    if total <= 0:
        return float("nan")
    p = arr / total
    return float((p**2).sum())


def compute_ratios(statements: pd.DataFrame) -> pd.DataFrame:
    """One row per enterprise-year: totals and the viability ratios (fractions, months, growth over three years).

    - operating_margin = (revenues − expenses) / revenues
    - current_ratio = current assets / current liabilities
    - debt_ratio = total liabilities / total assets; equity_ratio = net assets / total assets
    - revenue_concentration = Herfindahl index over the five revenue sources
    - admin_cost_ratio = administration / total expenses; grant_dependence = public grants / revenues
    - months_reserve = (current assets − current liabilities) / (expenses / 12): working capital, not net assets,
      because net assets include buildings and equipment that cannot pay next month's wages
    - growth_3y = revenues of year t / revenues of year t−2 − 1 (three fiscal years, as the case book requested)

    Parameters
    ----------
    statements : DataFrame
        Typed statements (:func:`analysis.food.load_financial_statements`, :func:`parse_statements` or
        :func:`generate_synthetic_statements`).

    Returns
    -------
    DataFrame
        ``enterprise``, ``year``, ``total_revenue``, ``total_expenses``, the ratios of :data:`RATIO_COLUMNS`
        (fractions; ``months_reserve`` in months) and ``is_synthetic``.

    References
    ----------
    Tuckman, H. P., & Chang, C. F. (1991). A methodology for measuring the financial vulnerability of charitable
    nonprofit organizations. *Nonprofit and Voluntary Sector Quarterly*, 20(4), 445–460 (equity ratio, revenue
    concentration, administrative cost ratio, operating margin).
    """
    require_frame(statements, "statements", ("enterprise", "year", *MONEY_COLUMNS),
                  hint="load it with food.load_financial_statements(path)")
    s = statements.sort_values(["enterprise", "year"], kind="stable").reset_index(drop=True)
    revenue = s[list(REVENUE_COLUMNS)].sum(axis=1)
    expenses = s[list(EXPENSE_COLUMNS)].sum(axis=1)
    out = pd.DataFrame({"enterprise": s["enterprise"], "year": s["year"].astype(int)})
    out["total_revenue"] = revenue
    out["total_expenses"] = expenses
    out["operating_margin"] = (revenue - expenses) / revenue
    out["current_ratio"] = (s["current_assets"] / s["current_liabilities"]).where(s["current_liabilities"] > 0)
    out["debt_ratio"] = s["total_liabilities"] / s["total_assets"]
    out["equity_ratio"] = s["net_assets"] / s["total_assets"]
    out["revenue_concentration"] = [herfindahl(row) for row in s[list(REVENUE_COLUMNS)].to_numpy()]
    out["admin_cost_ratio"] = (s["expense_administration"] / expenses).where(expenses > 0)
    out["months_reserve"] = ((s["current_assets"] - s["current_liabilities"]) / (expenses / 12)).where(expenses > 0)
    out["grant_dependence"] = s["revenue_public_grants"] / revenue
    previous = out[["enterprise", "year", "total_revenue"]].assign(year=lambda d: d["year"] + 2)
    merged = out[["enterprise", "year"]].merge(previous, on=["enterprise", "year"], how="left", validate="1:1")
    out["growth_3y"] = revenue / merged["total_revenue"].to_numpy() - 1
    out["is_synthetic"] = s["is_synthetic"].astype(bool) if "is_synthetic" in s else False
    return out


RATIO_COLUMNS = (
    "operating_margin",
    "current_ratio",
    "debt_ratio",
    "equity_ratio",
    "revenue_concentration",
    "admin_cost_ratio",
    "months_reserve",
    "grant_dependence",
    "growth_3y",
)

# The four Tuckman & Chang (1991) indicators of financial vulnerability and the side that signals it.
TUCKMAN_CHANG = {
    "equity_ratio": "low",
    "revenue_concentration": "high",
    "admin_cost_ratio": "low",
    "operating_margin": "low",
}
DEFAULT_TC_THRESHOLDS = {
    "equity_ratio_min": 0.10,
    "revenue_concentration_max": 0.60,
    "admin_cost_ratio_min": 0.05,
    "operating_margin_min": 0.0,
}


def quintile_thresholds(ratios: pd.DataFrame, q: float = 0.2) -> dict[str, float]:
    """Tuckman–Chang's relative thresholds from a reference set: bottom quintile (top quintile for concentration).

    Parameters
    ----------
    ratios : DataFrame
        :func:`compute_ratios` output (e.g. the latest year of every enterprise).
    q : float
        The quantile, in (0, 0.5) (0.2: quintiles, as Tuckman and Chang).

    Returns
    -------
    dict
        ``equity_ratio_min``, ``revenue_concentration_max``, ``admin_cost_ratio_min``, ``operating_margin_min``
        (linear interpolation; NaN without values).

    References
    ----------
    Tuckman, H. P., & Chang, C. F. (1991). *Nonprofit and Voluntary Sector Quarterly*, 20(4), 445–460.
    """
    require_frame(ratios, "ratios", tuple(TUCKMAN_CHANG), hint="make it with food.compute_ratios(statements)")
    if isinstance(q, bool) or not isinstance(q, (int, float)) or not 0 < q < 0.5:
        raise ParameterError(f"expected a quantile in (0, 0.5), got {q!r}", field="q")
    out = {}
    for col, side in TUCKMAN_CHANG.items():
        values = ratios[col].dropna()
        if side == "low":
            out[f"{col}_min"] = float(values.quantile(q)) if len(values) else float("nan")
        else:
            out[f"{col}_max"] = float(values.quantile(1 - q)) if len(values) else float("nan")
    return out


def tuckman_chang_flags(ratios: pd.DataFrame, thresholds: dict[str, float] | None = None) -> pd.DataFrame:
    """Flag each enterprise-year on the four Tuckman–Chang indicators of financial vulnerability.

    A flag is raised when the value is strictly beyond its threshold (``<`` a ``_min``, ``>`` a ``_max``); a
    missing value is not flagged.

    Parameters
    ----------
    ratios : DataFrame
        :func:`compute_ratios` output.
    thresholds : dict, optional
        Overrides of :data:`DEFAULT_TC_THRESHOLDS` (``equity_ratio_min``, ``revenue_concentration_max``,
        ``admin_cost_ratio_min``, ``operating_margin_min``); other keys are ignored, so a report's whole
        threshold dictionary can be passed.

    Returns
    -------
    DataFrame
        ``enterprise``, ``year``, one boolean ``flag_<indicator>`` per indicator, ``n_flags`` and ``is_synthetic``.

    References
    ----------
    Tuckman, H. P., & Chang, C. F. (1991). A methodology for measuring the financial vulnerability of charitable
    nonprofit organizations. *Nonprofit and Voluntary Sector Quarterly*, 20(4), 445–460.
    """
    require_frame(ratios, "ratios", ("enterprise", "year", *TUCKMAN_CHANG),
                  hint="make it with food.compute_ratios(statements)")
    if thresholds is not None:
        require_type(thresholds, dict, "thresholds")
        for key in DEFAULT_TC_THRESHOLDS:
            value = thresholds.get(key, 0.0)
            if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
                raise ParameterError(f"expected a number, got {value!r}", field=f"thresholds.{key}")
    th = {**DEFAULT_TC_THRESHOLDS, **(thresholds or {})}
    out = ratios[["enterprise", "year"]].copy()
    for col, side in TUCKMAN_CHANG.items():
        key = f"{col}_min" if side == "low" else f"{col}_max"
        v = ratios[col]
        flag = v < th[key] if side == "low" else v > th[key]
        out[f"flag_{col}"] = flag.fillna(False).astype(bool)
    out["n_flags"] = out[[f"flag_{c}" for c in TUCKMAN_CHANG]].sum(axis=1).astype(int)
    out["is_synthetic"] = ratios["is_synthetic"].astype(bool) if "is_synthetic" in ratios else False
    return out


def latest_year(ratios: pd.DataFrame) -> pd.DataFrame:
    """The most recent fiscal year of each enterprise.

    Parameters
    ----------
    ratios : DataFrame
        :func:`compute_ratios` output (any table with ``enterprise`` and ``year``).

    Returns
    -------
    DataFrame
        One row per enterprise, sorted by enterprise.
    """
    require_frame(ratios, "ratios", ("enterprise", "year"), hint="make it with food.compute_ratios(statements)")
    r = ratios.sort_values(["enterprise", "year"], kind="stable")
    return r.groupby("enterprise", sort=True).tail(1).reset_index(drop=True)


def generate_synthetic_statements(
    seed: int, n_enterprises: int = 20, years: tuple[int, ...] = (2019, 2020, 2021)
) -> pd.DataFrame:
    """Fictitious, internally consistent statements for tests and CI, every row marked ``is_synthetic``.

    Enterprises are named ``synthetique_01``…: never a real enterprise. Same seed → same table.

    Parameters
    ----------
    seed : int
        Seed of ``numpy.random.default_rng`` (0 or more).
    n_enterprises : int
        How many fictitious enterprises.
    years : tuple of int
        Their fiscal years.

    Returns
    -------
    DataFrame
        Statements in the template's columns (:data:`TEMPLATE_COLUMNS`), ``is_synthetic`` true on every row.
    """
    for value, name in ((seed, "seed"), (n_enterprises, "n_enterprises")):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < (0 if name == "seed" else 1):
            raise ParameterError(f"expected a whole number{' of 0 or more' if name == 'seed' else ' above 0'}, "
                                 f"got {value!r}", field=name)
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(1, n_enterprises + 1):
        base = float(rng.lognormal(mean=13.5, sigma=1.0))  # about 700 k$ median revenue
        mix = rng.dirichlet([4.0, 1.5, 0.8, 0.5, 0.5])
        trend = float(rng.normal(0.04, 0.08))
        margin = float(rng.normal(0.01, 0.06))
        admin = float(rng.uniform(0.02, 0.18))
        cogs = float(rng.uniform(0.0, 0.5))
        equity = float(rng.uniform(-0.1, 0.7))
        for k, year in enumerate(years):
            revenue = base * (1 + trend) ** k
            rev = {c: round(revenue * m, 0) for c, m in zip(REVENUE_COLUMNS, mix)}
            total_rev = sum(rev.values())
            total_exp = total_rev * (1 - margin - float(rng.normal(0, 0.01)))
            exp_cogs = round(total_exp * cogs, 0)
            exp_admin = round(total_exp * admin, 0)
            exp_sal = round((total_exp - exp_cogs - exp_admin) * 0.8, 0)
            exp_other = round(total_exp - exp_cogs - exp_admin - exp_sal, 0)
            assets = round(total_rev * float(rng.uniform(0.4, 1.2)), 0)
            net = round(assets * equity, 0)
            liab = assets - net
            cur_assets = round(assets * float(rng.uniform(0.3, 0.8)), 0)
            cur_liab = round(max(liab, 0) * float(rng.uniform(0.3, 0.9)), 0)
            rows.append({
                "enterprise": f"synthetique_{i:02d}",
                "year": int(year),
                **rev,
                "expense_cost_of_goods": exp_cogs,
                "expense_salaries": exp_sal,
                "expense_administration": exp_admin,
                "expense_other": exp_other,
                "current_assets": cur_assets,
                "current_liabilities": cur_liab,
                "total_assets": assets,
                "total_liabilities": liab,
                "net_assets": net,
                "is_synthetic": True,
            })
    df = pd.DataFrame(rows)
    for c in MONEY_COLUMNS:
        df[c] = df[c].astype(float)
    return df[list(TEMPLATE_COLUMNS)]


def summarize_latest(latest: pd.DataFrame, flags: pd.DataFrame) -> dict[str, float]:
    """Headline figures of the latest fiscal year: medians of three ratios and how many carry Tuckman–Chang flags.

    Parameters
    ----------
    latest : DataFrame
        :func:`latest_year` output.
    flags : DataFrame
        :func:`tuckman_chang_flags` of ``latest``.

    Returns
    -------
    dict
        ``n_enterprises``, ``median_operating_margin``, ``median_current_ratio``, ``median_months_reserve``,
        ``n_any_flag`` (enterprises with at least one flag) and ``n_all_flags`` (with all four).
    """
    require_frame(latest, "latest", ("enterprise", "operating_margin", "current_ratio", "months_reserve"),
                  hint="make it with food.latest_year(ratios)")
    require_frame(flags, "flags", ("n_flags",), hint="make it with food.tuckman_chang_flags(latest)")
    return {
        "n_enterprises": int(latest["enterprise"].nunique()),
        "median_operating_margin": float(latest["operating_margin"].median()),
        "median_current_ratio": float(latest["current_ratio"].median()),
        "median_months_reserve": float(latest["months_reserve"].median()),
        "n_any_flag": int((flags["n_flags"] > 0).sum()),
        "n_all_flags": int((flags["n_flags"] == len(TUCKMAN_CHANG)).sum()),
    }
