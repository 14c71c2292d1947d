"""Financial statements of one enterprise: a validated template, viability ratios and Tuckman–Chang flags.

The TIESS case book asked the ten enterprises for three years of statements "to compute key viability ratios";
statements are confidential, so they are read from a path the user gives (``data/private/…``, git-ignored) and
never shipped. Tests and CI use :func:`generate_synthetic_statements`, whose rows are marked ``is_synthetic``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.core import paths
from analysis.core.errors import InputFormatError, MissingDatasetError, SchemaError

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

# What each column of the template means (shown in the report so a user can fill the file in).
FIELD_DOCS: dict[str, str] = {
    "enterprise": "identifiant de l'entreprise (p. ex. le case_id de cases.csv)",
    "year": "exercice financier (année de fin d'exercice)",
    "revenue_sales": "ventes de biens et de services ($)",
    "revenue_public_grants": "subventions publiques, tous paliers ($)",
    "revenue_donations": "dons et philanthropie ($)",
    "revenue_membership": "cotisations et parts des membres comptabilisées en revenus ($)",
    "revenue_other": "autres revenus ($)",
    "expense_cost_of_goods": "coût des marchandises vendues ($)",
    "expense_salaries": "salaires et charges sociales ($)",
    "expense_administration": "frais d'administration et de gestion ($)",
    "expense_other": "autres charges, y compris l'amortissement ($)",
    "current_assets": "actif à court terme ($)",
    "current_liabilities": "passif à court terme ($)",
    "total_assets": "actif total ($)",
    "total_liabilities": "passif total ($)",
    "net_assets": "actif net ou avoir des membres ($; peut être négatif)",
    "is_synthetic": "laisser vide (ou false) pour de vrais états financiers; true seulement pour des données fictives",
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
    """Checks across columns: (rows that pass, column to name, message in French)."""
    gap = (df["total_assets"] - df["total_liabilities"] - df["net_assets"]).abs()
    return [
        (~df.duplicated(["enterprise", "year"], keep="first"), "year", "même entreprise et même exercice en double"),
        (gap <= np.maximum(1.0, BALANCE_TOLERANCE * df["total_assets"].abs()), "net_assets",
         "actif total − passif total ≠ actif net (écart de plus de 1 %)"),
        (df["current_assets"] <= df["total_assets"] + 1.0, "current_assets", "actif à court terme supérieur à l'actif total"),
        (df["current_liabilities"] <= df["total_liabilities"] + 1.0, "current_liabilities",
         "passif à court terme supérieur au passif total"),
        (df[list(REVENUE_COLUMNS)].sum(axis=1) > 0, "revenue_sales", "revenus totaux nuls"),
    ]


def write_template(path: Path | str) -> Path:
    """Write the empty statements template (header only) to ``path``; the columns are documented in FIELD_DOCS."""
    path = Path(path)
    path.write_text(",".join(TEMPLATE_COLUMNS) + "\n", encoding="utf-8")
    return path


def template_documentation() -> pd.DataFrame:
    """The template's columns with their meaning, in file order, for the report's how-to-supply section."""
    return pd.DataFrame({"column": list(TEMPLATE_COLUMNS), "meaning": [FIELD_DOCS[c] for c in TEMPLATE_COLUMNS]})


def _parse_bool(value: str, path: Path, line: int) -> bool:
    text = value.strip().lower()
    if text in ("", "false", "faux", "0", "non", "no"):
        return False
    if text in ("true", "vrai", "1", "oui", "yes"):
        return True
    raise SchemaError(f"valeur booléenne attendue (true/false), trouvé {value!r}", path=paths.relative(path),
                      line=line, field="is_synthetic")


def parse_statements(raw: pd.DataFrame, path: Path | str = "<tableau>") -> pd.DataFrame:
    """Type and validate a statements table read as text; errors name the file, the CSV line and the column."""
    path = Path(path)
    where = paths.relative(path)
    missing = [c for c in TEMPLATE_COLUMNS if c not in raw.columns and c != "is_synthetic"]
    if missing:
        raise SchemaError(f"colonne obligatoire absente (attendues : {', '.join(TEMPLATE_COLUMNS)})", path=where,
                          line=1, field=missing[0])
    extra = [c for c in raw.columns if c not in TEMPLATE_COLUMNS]
    if extra:
        raise SchemaError("colonne inconnue (voir le modèle financials_template.csv)", path=where, line=1,
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
            what = "valeur manquante" if str(found).strip() == "" else f"nombre attendu, trouvé {found!r}"
            raise SchemaError(what, path=where, line=int(lines.iloc[i]), field=col)
        out[col] = values.astype(float)
    year = out["year"]
    if not (year == year.round()).all():
        i = int(np.flatnonzero((year != year.round()).to_numpy())[0])
        raise SchemaError("année entière attendue", path=where, line=int(lines.iloc[i]), field="year")
    out["year"] = year.astype(int)
    if "is_synthetic" in raw.columns:
        out["is_synthetic"] = [_parse_bool(str(v), path, int(n)) for v, n in zip(raw["is_synthetic"], lines)]
    else:
        out["is_synthetic"] = False
    out["is_synthetic"] = out["is_synthetic"].astype(bool)
    empty = out["enterprise"] == ""
    if empty.any():
        raise SchemaError("identifiant d'entreprise vide", path=where, line=int(lines[empty].iloc[0]), field="enterprise")
    try:
        STATEMENTS_SCHEMA.validate(out, lazy=True)
    except pa.errors.SchemaErrors as exc:
        fc = exc.failure_cases
        fc = fc[fc["index"].notna()].sort_values("index", kind="stable") if fc["index"].notna().any() else fc
        first = fc.iloc[0]
        line = int(lines.iloc[int(first["index"])]) if pd.notna(first["index"]) else None
        check = str(first["check"])
        message = {
            "greater_than_or_equal_to(0)": "montant négatif non permis",
            "greater_than(0)": "l'actif total doit être positif",
            "in_range(1900, 2100)": "exercice hors de 1900–2100",
        }.get(check, f"contrôle « {check} » non respecté")
        raise SchemaError(f"{message} (valeur {first['failure_case']})", path=where, line=line,
                          field=str(first["column"])) from None
    for check, field, message in _row_checks(out):
        bad = ~check
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise SchemaError(message, path=where, line=int(lines.iloc[i]), field=field)
    return out.sort_values(["enterprise", "year"], kind="stable").reset_index(drop=True)


def load_statements(path: Path | str) -> pd.DataFrame:
    """Read a statements CSV (template columns, UTF-8); a missing file raises :class:`MissingDatasetError`."""
    path = Path(path)
    if not path.is_absolute():
        path = paths.ROOT / path
    if not path.exists():
        raise MissingDatasetError("fichier d'états financiers introuvable", path=paths.relative(path))
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError:
        raise InputFormatError("le fichier doit être encodé en UTF-8", path=paths.relative(path)) from None
    except pd.errors.ParserError as exc:
        raise InputFormatError(f"CSV illisible : {exc}", path=paths.relative(path)) from None
    return parse_statements(raw, path)


def herfindahl(shares: pd.Series | list[float] | np.ndarray) -> float:
    """Herfindahl–Hirschman index of shares (normalized to sum 1): 1 = a single source; [0.5, 0.3, 0.2] → 0.38."""
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
    """
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
    """Tuckman–Chang's relative thresholds from a reference set: bottom quintile (top for concentration)."""
    out = {}
    for col, side in TUCKMAN_CHANG.items():
        values = ratios[col].dropna()
        if side == "low":
            out[f"{col}_min"] = float(values.quantile(q)) if len(values) else float("nan")
        else:
            out[f"{col}_max"] = float(values.quantile(1 - q)) if len(values) else float("nan")
    return out


def tuckman_chang_flags(ratios: pd.DataFrame, thresholds: dict[str, float] | None = None) -> pd.DataFrame:
    """Flag each enterprise-year on the four Tuckman–Chang indicators; ``n_flags`` counts them (missing = not flagged).

    A flag is raised when the value is strictly beyond its threshold (``<`` a ``_min``, ``>`` a ``_max``).
    """
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
    """The most recent fiscal year of each enterprise (for the dashboard)."""
    r = ratios.sort_values(["enterprise", "year"], kind="stable")
    return r.groupby("enterprise", sort=True).tail(1).reset_index(drop=True)


def generate_synthetic_statements(
    seed: int, n_enterprises: int = 20, years: tuple[int, ...] = (2019, 2020, 2021)
) -> pd.DataFrame:
    """Fictitious, internally consistent statements for tests and CI, every row marked ``is_synthetic``.

    Enterprises are named ``synthetique_01``…: never a real enterprise. Same seed → same table.
    """
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
    """Headline figures of the latest fiscal year: medians of three ratios and how many carry Tuckman–Chang flags."""
    return {
        "n_enterprises": int(latest["enterprise"].nunique()),
        "median_operating_margin": float(latest["operating_margin"].median()),
        "median_current_ratio": float(latest["current_ratio"].median()),
        "median_months_reserve": float(latest["months_reserve"].median()),
        "n_any_flag": int((flags["n_flags"] > 0).sum()),
        "n_all_flags": int((flags["n_flags"] == len(TUCKMAN_CHANG)).sum()),
    }
