"""Territorial portrait: a region's shares of the province's social economy, and register vs pole directory.

Two halves. (1) From the seed indicators: a region's shares of Québec's social-economy enterprises, revenue and
jobs, and revenue/payroll per job. (2) From public lists: the Registraire des entreprises (REQ) extract of Mauricie's
social-economy legal forms and the Pôle d'économie sociale de la Mauricie directory — counts by legal form and
municipality, and how many register enterprises the directory covers (fuzzy name matching, shown for checking).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from rapidfuzz import fuzz

from analysis.core import external, paths
from analysis.core.errors import MissingDatasetError, ParameterError, SchemaError
from analysis.ecosystem.indicators import get_indicator, scope_name
from analysis.report.figures import style as plots

PROVINCE = "quebec"
SHARE_INDICATORS = ["se_enterprises", "se_revenue", "se_jobs"]
LEGAL_FORMS = {
    "APE": {"fr": "OBNL (personne morale sans but lucratif)", "en": "Non-profit corporation"},
    "ASS": {"fr": "Association", "en": "Association"},
    "COP": {"fr": "Coopérative", "en": "Co-operative"},
}

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


# --------------------------------------------------------------------------------------------------------------
# Part 1: shares of the province from the indicators table


def region_note(df: pd.DataFrame, region: str, lang: str = "fr") -> str | None:
    """A plain note when ``region`` has no share indicators in the table (``None`` when it can be computed)."""
    have = set(df.loc[df["scope"] == region, "indicator"])
    missing = [i for i in SHARE_INDICATORS if i not in have]
    if not missing:
        return None
    known = sorted(s for s in df["scope"].unique()
                   if s != PROVINCE and set(SHARE_INDICATORS) <= set(df.loc[df["scope"] == s, "indicator"]))
    if lang == "fr":
        return (f"Le territoire « {region} » n'a pas d'indicateurs d'entreprises, de chiffre d'affaires et d'emplois "
                f"dans le tableau des indicateurs (data/raw/ecosystem/indicators.csv) ; territoires disponibles : "
                f"{', '.join(known) or 'aucun'}.")
    return (f"The territory “{region}” has no enterprises, revenue and jobs indicators in the indicators table; "
            f"available: {', '.join(known) or 'none'}.")


def _check_region(df: pd.DataFrame, region: str) -> None:
    note = region_note(df, region)
    if note is not None:
        raise ParameterError(note, field="region")


def compute_region_shares(df: pd.DataFrame, region: str, reference: str = PROVINCE) -> pd.DataFrame:
    """The region's value, the province's value and the share (%) for enterprises, revenue and jobs."""
    _check_region(df, region)
    rows = []
    for ind in SHARE_INDICATORS:
        r = get_indicator(df, ind, region)
        p = get_indicator(df, ind, reference)
        rows.append({"indicator": ind, "region": r, "province": p, "share_pct": 100.0 * r / p})
    return pd.DataFrame(rows, columns=["indicator", "region", "province", "share_pct"])


def compute_region_ratios(df: pd.DataFrame, region: str, reference: str = PROVINCE) -> pd.DataFrame:
    """Revenue per job, payroll per job, revenue per enterprise and jobs per enterprise, region vs province.

    A ratio whose inputs are missing for a scope is NaN (the province's payroll is not in the seeds).
    """
    _check_region(df, region)

    def val(ind: str, scope: str) -> float:
        try:
            return get_indicator(df, ind, scope)
        except ParameterError:
            return float("nan")

    ratios = [
        ("revenue_per_job", "se_revenue", "se_jobs"),
        ("payroll_per_job", "se_payroll", "se_jobs"),
        ("revenue_per_enterprise", "se_revenue", "se_enterprises"),
        ("jobs_per_enterprise", "se_jobs", "se_enterprises"),
    ]
    rows = []
    for name, num, den in ratios:
        rows.append({"ratio": name,
                     "region": val(num, region) / val(den, region),
                     "province": val(num, reference) / val(den, reference)})
    out = pd.DataFrame(rows, columns=["ratio", "region", "province"])
    out["region_vs_province"] = out["region"] / out["province"]
    return out


def plot_region_shares(shares: pd.DataFrame, region: str, lang: str = "fr"):
    """Horizontal bars: the region's share (%) of the province for each indicator."""
    labels = {"se_enterprises": ("Entreprises", "Enterprises"), "se_revenue": ("Chiffre d'affaires", "Revenue"),
              "se_jobs": ("Emplois", "Jobs")}
    i = 0 if lang == "fr" else 1
    title = (f"Part du Québec : {scope_name(region, lang)}" if lang == "fr"
             else f"Share of Québec: {scope_name(region, lang)}")
    fig, ax = plots.new_figure(title, "Part de la province (%)" if lang == "fr" else "Share of the province (%)",
                               "Indicateur" if lang == "fr" else "Indicator")
    names = [labels.get(k, (k, k))[i] for k in shares["indicator"]]
    ax.barh(names[::-1], shares["share_pct"].to_list()[::-1], color=plots.BASE)
    for y, v in enumerate(shares["share_pct"].to_list()[::-1]):
        ax.text(v, y, " " + plots.fmt.percent(v, 2, lang), va="center")
    ax.set_xlim(0, max(shares["share_pct"].max() * 1.3, 1e-9))
    plots.french_axis(ax, "x", "percent", decimals=1, lang=lang)
    return fig


def compute_growth(df: pd.DataFrame, indicator: str, start: int, end: int, scope: str = PROVINCE) -> dict[str, float]:
    """Start and end values of an indicator, change (%) and compound annual growth rate (%) between two years."""
    a = get_indicator(df, indicator, scope, start)
    b = get_indicator(df, indicator, scope, end)
    years = end - start
    if years <= 0:
        raise ParameterError(f"période invalide : {start}–{end}", field="year")
    return {"start": a, "end": b, "change_pct": 100.0 * (b / a - 1.0),
            "cagr_pct": 100.0 * ((b / a) ** (1.0 / years) - 1.0), "years": float(years)}


def compute_survival_comparison(df: pd.DataFrame) -> pd.DataFrame:
    """Survival of co-operatives vs other enterprises at 5 and 10 years (seed 000), with the gap and the ratio."""
    rows = []
    for h in (5, 10):
        coop = get_indicator(df, f"coop_survival_{h}y", PROVINCE)
        other = get_indicator(df, f"other_survival_{h}y", PROVINCE)
        rows.append({"horizon_years": h, "coop_pct": coop, "other_pct": other, "gap_points": coop - other,
                     "ratio": coop / other})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------------------------
# Part 2: register extract and pole directory


def _default(name: str) -> Path:
    return paths.EXTERNAL / external.get(name).mirror_path


def _read_csv(path: Path | str | None, name: str, columns: dict[str, str]) -> pd.DataFrame:
    path = Path(path) if path is not None else _default(name)
    if not path.exists():
        raise MissingDatasetError(
            f"le jeu de données « {name} » est absent : lancez `make data` ou indiquez son chemin",
            path=paths.relative(path))
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SchemaError(f"fichier non UTF-8 (octet {exc.start})", path=paths.relative(path)) from None
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise SchemaError(f"colonnes absentes : {', '.join(missing)}", path=paths.relative(path), field=missing[0])
    out = raw[list(columns)].rename(columns=columns)
    for c in out.columns:
        out[c] = out[c].astype(object).str.strip()
        out[c] = out[c].where(~out[c].isin(["", "NA"]), None)
    out.insert(0, "source_line", np.arange(2, len(out) + 2, dtype="int64"))
    out.attrs["path"] = paths.relative(path)
    return out


def municipality_key(value: object) -> str | None:
    """Matching key of a municipality: « (Québec) » dropped, accents folded, case and hyphens/spaces unified."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = re.sub(r"\(\s*qu[ée]bec\s*\)", "", str(value), flags=re.IGNORECASE)
    text = fold(text)
    text = re.sub(r"\bst\b", "saint", text)
    text = re.sub(r"\bste\b", "sainte", text)
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or None


def _display_municipality(values: pd.Series) -> pd.Series:
    """The municipality as written, without the trailing « (Québec) » (the display form; keys are separate)."""
    clean = values.map(lambda v: None if v is None else re.sub(r"\s*\(\s*qu[ée]bec\s*\)\s*$", "", v,
                                                              flags=re.IGNORECASE).strip())
    return clean


def _validate(df: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        first = exc.failure_cases.iloc[0]
        index = first.get("index")
        line = int(df["source_line"].iloc[int(index)]) if pd.notna(index) else None
        column = None if pd.isna(first.get("column")) else str(first.get("column"))
        raise SchemaError(f"valeur refusée par le schéma ({first['check']}) : « {first['failure_case']} »",
                          path=df.attrs.get("path"), line=line, field=column) from None


def load_register(path: Path | str | None = None) -> pd.DataFrame:
    """The REQ extract: NEQ, name, legal form (APE/ASS/COP), municipality (key and display), sector, coordinates.

    A repeated NEQ is kept once (the first line) and counted in ``attrs['duplicate_neq']``.
    """
    df = _read_csv(path, "req_mauricie", REGISTER_COLUMNS)
    for c in ("lat", "lon"):
        num = pd.to_numeric(df[c], errors="coerce")
        bad = num.isna() & df[c].notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise SchemaError(f"coordonnée illisible « {df[c].iloc[i]} »", path=df.attrs["path"],
                              line=int(df["source_line"].iloc[i]), field=c)
        df[c] = num.astype("float64")
    df["municipality"] = _display_municipality(df["municipality_raw"])
    df["municipality_key"] = df["municipality_raw"].map(municipality_key)
    missing = df["neq"].isna() | df["name"].isna() | df["legal_form"].isna()
    if missing.any():
        i = int(np.flatnonzero(missing.to_numpy())[0])
        field = next(c for c in ("neq", "name", "legal_form") if df[c].iloc[i] is None)
        raise SchemaError("valeur obligatoire manquante", path=df.attrs["path"], line=int(df["source_line"].iloc[i]),
                          field=field)
    df = _validate(df, REGISTER_SCHEMA)
    dup = df["neq"].duplicated(keep="first")
    attrs = {"path": df.attrs.get("path"), "rows_read": len(df), "duplicate_neq": int(dup.sum()),
             "duplicate_lines": df.loc[dup, "source_line"].tolist()}
    df = df.loc[~dup].reset_index(drop=True)
    df.attrs = attrs
    return df


def load_pole_directory(path: Path | str | None = None) -> pd.DataFrame:
    """The Pôle d'économie sociale de la Mauricie directory: name, address, municipality, territory (MRC), website."""
    df = _read_csv(path, "pole_mauricie_directory", DIRECTORY_COLUMNS)
    bad = df["name"].isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise SchemaError("nom d'entreprise manquant", path=df.attrs["path"], line=int(df["source_line"].iloc[i]),
                          field="NomEntreprise")
    df["municipality"] = _display_municipality(df["municipality_raw"])
    df["municipality_key"] = df["municipality_raw"].map(municipality_key)
    attrs = dict(df.attrs)
    df = _validate(df, DIRECTORY_SCHEMA)
    df.attrs = attrs | {"rows_read": len(df)}
    return df


def load_pole_members(path: Path | str | None = None) -> pd.DataFrame:
    """The pole's members list: category, name, enterprise type, sector, municipality."""
    df = _read_csv(path, "pole_mauricie_members", MEMBERS_COLUMNS)
    bad = df["name"].isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise SchemaError("nom manquant", path=df.attrs["path"], line=int(df["source_line"].iloc[i]),
                          field="NomEntreprise")
    df["municipality"] = _display_municipality(df["municipality_raw"])
    df["municipality_key"] = df["municipality_raw"].map(municipality_key)
    return df


def compute_member_counts(members: pd.DataFrame) -> pd.DataFrame:
    """Pole members by category and enterprise type (counts), largest first."""
    out = (members.fillna({"member_category": "non précisé", "enterprise_type": "non précisé"})
           .groupby(["member_category", "enterprise_type"]).size().rename("count").reset_index())
    out["count"] = out["count"].astype("int64")
    return out.sort_values(["count", "member_category", "enterprise_type"], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)


def matches_for_review(matches: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The accepted matches with the lowest scores and the rejected ones with the highest: the pairs to check."""
    accepted = matches[matches["matched"]].sort_values(["score", "directory_name"], kind="stable").head(n)
    rejected = matches[~matches["matched"] & matches["register_name"].notna()]
    rejected = rejected.sort_values(["score", "directory_name"], ascending=[False, True], kind="stable").head(n)
    return pd.concat([accepted, rejected], ignore_index=True)[
        ["directory_name", "register_name", "legal_form", "score", "same_municipality", "matched"]]


def compute_counts_by_form(register: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """Enterprises by legal form (code, label, count, share %), sorted by count then code."""
    counts = register["legal_form"].value_counts()
    out = pd.DataFrame({"legal_form": counts.index.astype(str), "count": counts.to_numpy().astype("int64")})
    out["label"] = out["legal_form"].map(lambda c: LEGAL_FORMS.get(c, {}).get(lang, c))
    out["share_pct"] = 100.0 * out["count"] / out["count"].sum()
    out = out.sort_values(["count", "legal_form"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return out[["legal_form", "label", "count", "share_pct"]]


def compute_counts_by_municipality(register: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """Enterprises by municipality and legal form (wide: APE, ASS, COP, total), largest first."""
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


def fold(text: str) -> str:
    """Lower case without accents (for matching keys only; displayed names keep their accents)."""
    nfkd = unicodedata.normalize("NFKD", str(text))
    return "".join(ch for ch in nfkd if not unicodedata.combining(ch)).lower()


def normalize_name(name: object) -> str:
    """Matching key of an enterprise name: accents folded, « coopérative »→coop, legal suffixes and articles dropped."""
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return ""
    text = fold(name)
    text = text.replace("&", " et ").replace("’", "'")
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
    """Similarity 0–100 of two normalized names: mean of token-sort and token-set ratios (order-insensitive)."""
    return (fuzz.token_sort_ratio(a, b) + fuzz.token_set_ratio(a, b)) / 2.0


def match_directory(register: pd.DataFrame, directory: pd.DataFrame, threshold: float = 90.0,
                    max_block: int = 400) -> pd.DataFrame:
    """Best register match of each directory entry: score, NEQ, legal form, same municipality, matched flag.

    Blocking: only pairs sharing a word of 4+ letters (other than « coop ») are scored; words shared by more than
    ``max_block`` register names (e.g. « centre ») do not form blocks on their own.
    """
    if not 0 <= threshold <= 100:
        raise ParameterError(f"le seuil de correspondance doit être entre 0 et 100 : {threshold}",
                             field="match_threshold")
    reg_keys = [normalize_name(n) for n in register["name"]]
    dir_keys = [normalize_name(n) for n in directory["name"]]
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
        row = {"directory_name": d["name"], "directory_municipality": d.get("municipality"),
               "score": max(best, 0.0), "register_name": None, "neq": None, "legal_form": None,
               "register_municipality": None, "same_municipality": False}
        if best_j is not None:
            r = register.iloc[best_j]
            row.update({"register_name": r["name"], "neq": r["neq"], "legal_form": r["legal_form"],
                        "register_municipality": r.get("municipality"),
                        "same_municipality": bool(d.get("municipality_key") is not None
                                                  and d.get("municipality_key") == r.get("municipality_key"))})
        rows.append(row)
    out = pd.DataFrame(rows)
    out["matched"] = out["score"] >= threshold
    out = out.sort_values(["score", "directory_name"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out.attrs = {"pairs_scored": pairs_scored, "pairs_total": len(reg_keys) * len(dir_keys), "threshold": threshold}
    return out


def compute_coverage(matches: pd.DataFrame, register: pd.DataFrame) -> pd.DataFrame:
    """Coverage figures: directory entries matched, distinct register enterprises covered, by legal form."""
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


def plot_counts_by_form(counts: pd.DataFrame, lang: str = "fr"):
    """Bars: register enterprises by legal form."""
    fig, ax = plots.new_figure(
        "Entreprises du registre par forme juridique" if lang == "fr" else "Register enterprises by legal form",
        "Forme juridique" if lang == "fr" else "Legal form",
        "Entreprises (nombre)" if lang == "fr" else "Enterprises (number)")
    ax.bar(counts["label"], counts["count"], color=plots.BASE)
    for x, v in enumerate(counts["count"]):
        ax.text(x, v, plots.fmt.integer(v, lang), ha="center", va="bottom")
    plots.french_axis(ax, "y", "number", lang=lang)
    return fig
