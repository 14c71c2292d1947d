"""Public purchasing from collective enterprises: SEAO contract readers, a supplier classifier, and shares.

SEAO (Système électronique d'appel d'offres, Données Québec) publishes awarded contracts as XML files per period
(« Avis » files since 2009: one ``<avis>`` per notice, its ``<fournisseurs>`` with the winning bidder flagged
``<adjudicataire>1</adjudicataire>``) and, since 2021, JSON files inspired by the Open Contracting Data Standard
(OCDS: ``releases`` with ``parties`` — the buyer's ``details.municipal`` flag, the supplier's ``details.neq`` —,
``awards[].suppliers``, ``awards[].value.amount`` or ``contracts[].value.amount``, ``contracts[].dateSigned``;
the buyer's ``address.region`` is used as region when present). :func:`read_contracts` reads
either, or a CSV flattening of them (one row per awarded supplier), into one contracts table::

    contract_id (numeroseao) · buyer (organisme) · buyer_type · region (regionlivraison) · date (dateadjudication)
    · year · supplier_name (nomorganisation) · supplier_neq (neq) · amount (montantcontrat, $)

The XML/CSV field names follow the SEAO open-data XML specification as used by public re-users; ``buyer_type``
(or the ``municipal`` flag: codes ``municipal`` / ``government``) and ``regionlivraison`` are optional (code
``unspecified`` when absent). Rows with a missing or unreadable amount or a bad date are not dropped silently: they
go to the rejection ledger with file, line, a reason code (:data:`REJECTION_REASONS`) and the value at fault.
"""

from __future__ import annotations

import json
import os
import re
import xml.sax
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.core import paths
from analysis.core.checks import require_frame, require_type
from analysis.core.errors import InputFormatError, MissingDatasetError, ParameterError, SchemaError
from analysis.core.text import fold_lower
from analysis.ecosystem._common import input_path, recorded_path
from analysis.ecosystem.territory import LEGAL_FORMS, normalize_name

CONTRACT_COLUMNS = ["source_file", "source_line", "contract_id", "buyer", "buyer_type", "region", "date", "year",
                    "supplier_name", "supplier_neq", "amount"]
REJECTION_COLUMNS = ["file", "line", "reason", "value"]
# reason codes of the rejection ledger; ``value`` holds the field name (missing_field) or the value at fault
REJECTION_REASONS = ("missing_field", "missing_amount", "unreadable_amount", "negative_amount", "invalid_date")
GROUPINGS = ("buyer_type", "region", "year")
# CSV header aliases → canonical column (case-insensitive, accents folded).
CSV_ALIASES = {
    "numeroseao": "contract_id", "numero_seao": "contract_id", "contract_id": "contract_id",
    "organisme": "buyer", "buyer": "buyer",
    "type_organisme": "buyer_type", "buyer_type": "buyer_type", "municipal": "municipal",
    "regionlivraison": "region", "region": "region",
    "dateadjudication": "date", "date": "date",
    "nomorganisation": "supplier_name", "fournisseur": "supplier_name", "supplier_name": "supplier_name",
    "neq": "supplier_neq", "supplier_neq": "supplier_neq",
    "montantcontrat": "amount", "montant": "amount", "amount": "amount",
    "adjudicataire": "winner",
}
REQUIRED = ["contract_id", "buyer", "date", "supplier_name", "amount"]
BUYER_TYPES = {"1": "municipal", "0": "government", "true": "municipal", "false": "government"}
UNSPECIFIED = "unspecified"
LABELLED_NAMES_FILE = "tests/fixtures/procurement/company_names_labelled.csv"


def _rejection(path: Path, line: int | None, reason: str, value: object = None) -> dict:
    return {"file": paths.relative(path), "line": line, "reason": reason,
            "value": None if value is None else str(value)}


def _parse_amount(text: object) -> float | None:
    """A contract amount: '12 345,67', '12345.67', '12 345 $' → float; None when missing or not a number."""
    if text is None:
        return None
    s = str(text).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("$", "")
    if s == "":
        return None
    if "," in s and "." not in s:
        s = s.replace(",", ".")
    elif "," in s and "." in s:
        s = s.replace(",", "")
    try:
        v = float(s)
    except ValueError:
        return None
    return v if np.isfinite(v) else None


def _parse_date(text: object) -> pd.Timestamp | None:
    if text is None or str(text).strip() == "":
        return None
    s = str(text).strip()[:10]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        return None
    try:
        return pd.Timestamp(s)
    except ValueError:
        return None


def _finish_row(rec: dict, path: Path, line: int | None, rejections: list[dict]) -> dict | None:
    """Check one flattened record; return the canonical row or log a rejection."""
    for field in REQUIRED:
        if field != "amount" and (rec.get(field) is None or str(rec.get(field)).strip() == ""):
            rejections.append(_rejection(path, line, "missing_field", field))
            return None
    raw_amount = rec.get("amount")
    if raw_amount is None or str(raw_amount).strip() == "":
        rejections.append(_rejection(path, line, "missing_amount"))
        return None
    amount = _parse_amount(raw_amount)
    if amount is None:
        rejections.append(_rejection(path, line, "unreadable_amount", raw_amount))
        return None
    if amount < 0:
        rejections.append(_rejection(path, line, "negative_amount", raw_amount))
        return None
    date = _parse_date(rec.get("date"))
    if date is None:
        rejections.append(_rejection(path, line, "invalid_date", rec.get("date")))
        return None
    btype = rec.get("buyer_type")
    if (btype is None or str(btype).strip() == "") and rec.get("municipal") is not None:
        btype = BUYER_TYPES.get(str(rec["municipal"]).strip().lower())
    region = rec.get("region")
    return {
        "source_file": paths.relative(path), "source_line": line,
        "contract_id": str(rec["contract_id"]).strip(), "buyer": str(rec["buyer"]).strip(),
        "buyer_type": str(btype).strip() if btype not in (None, "") else UNSPECIFIED,
        "region": str(region).strip() if region not in (None, "") else UNSPECIFIED,
        "date": date, "year": int(date.year),
        "supplier_name": str(rec["supplier_name"]).strip(),
        "supplier_neq": (str(rec["supplier_neq"]).strip() or None) if rec.get("supplier_neq") is not None else None,
        "amount": amount,
    }


def read_contracts_csv(path: Path) -> tuple[list[dict], list[dict]]:
    """Rows and rejections of a CSV flattening of SEAO contracts (one row per awarded supplier).

    Header names as in the SEAO XML (``numeroseao``, ``organisme``, ``montantcontrat``…) or the canonical ones,
    case- and accent-insensitive; a losing bidder (``adjudicataire`` other than 1) is skipped. Line = CSV line.

    Raises
    ------
    InputFormatError
        The file is not a readable CSV, or a required column is absent.
    """
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=None, engine="python")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputFormatError(f"unreadable CSV: {exc}", path=paths.relative(path)) from None
    cols = {c: CSV_ALIASES.get(fold_lower(c).strip().replace(" ", "_")) for c in raw.columns}
    missing = [f for f in REQUIRED if f not in cols.values()]
    if missing:
        raise InputFormatError(f"required columns absent: {', '.join(missing)}", path=paths.relative(path),
                               field=missing[0])
    rows, rejections = [], []
    for i, rec in enumerate(raw.to_dict("records")):
        canon = {cols[k]: v for k, v in rec.items() if cols[k]}
        if "winner" in canon and str(canon["winner"]).strip() not in ("1", "true", "oui", ""):
            continue  # a losing bidder: not a contract
        row = _finish_row(canon, path, i + 2, rejections)
        if row:
            rows.append(row)
    return rows, rejections


class _AvisHandler(xml.sax.ContentHandler):
    """SAX reader of SEAO « Avis » XML: one record per winning supplier, with the line of its <fournisseur>."""

    AVIS_FIELDS = {"numeroseao": "contract_id", "organisme": "buyer", "municipal": "municipal",
                   "type_organisme": "buyer_type", "regionlivraison": "region", "dateadjudication": "date"}
    SUPPLIER_FIELDS = {"nomorganisation": "supplier_name", "neq": "supplier_neq", "montantcontrat": "amount",
                       "adjudicataire": "winner"}

    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[int | None, dict]] = []
        self.avis: dict | None = None
        self.supplier: dict | None = None
        self.supplier_line: int | None = None
        self.text: list[str] = []
        self.locator = None

    def setDocumentLocator(self, locator) -> None:  # noqa: N802 (SAX API)
        self.locator = locator

    def startElement(self, name, attrs) -> None:  # noqa: N802
        tag = name.lower()
        self.text = []
        if tag == "avis":
            self.avis, self.suppliers = {}, []
        elif tag == "fournisseur" and self.avis is not None:
            self.supplier = {}
            self.supplier_line = self.locator.getLineNumber() if self.locator else None

    def characters(self, content) -> None:
        self.text.append(content)

    def endElement(self, name) -> None:  # noqa: N802
        tag = name.lower()
        value = "".join(self.text).strip()
        if self.supplier is not None and tag in self.SUPPLIER_FIELDS:
            self.supplier[self.SUPPLIER_FIELDS[tag]] = value
        elif self.supplier is None and self.avis is not None and tag in self.AVIS_FIELDS:
            self.avis[self.AVIS_FIELDS[tag]] = value
        if tag == "fournisseur" and self.supplier is not None:
            self.suppliers.append((self.supplier_line, self.supplier))
            self.supplier = None
        elif tag == "avis" and self.avis is not None:
            for line, sup in self.suppliers:
                if sup.get("winner", "1").strip() in ("1", "true"):
                    self.records.append((line, {**self.avis, **sup}))
            self.avis = None
        self.text = []


def read_contracts_xml(path: Path) -> tuple[list[dict], list[dict]]:
    """Rows and rejections of a SEAO « Avis » XML file: one row per awarded supplier (``adjudicataire`` = 1).

    Line = line of the ``<fournisseur>`` element.

    Raises
    ------
    InputFormatError
        The XML is not well formed (line named).
    """
    handler = _AvisHandler()
    try:
        xml.sax.parse(str(path), handler)
    except xml.sax.SAXParseException as exc:
        raise InputFormatError(f"malformed XML: {exc.getMessage()}", path=paths.relative(path),
                               line=exc.getLineNumber()) from None
    rows, rejections = [], []
    for line, rec in handler.records:
        row = _finish_row(rec, path, line, rejections)
        if row:
            rows.append(row)
    return rows, rejections


def read_contracts_json(path: Path) -> tuple[list[dict], list[dict]]:
    """Rows and rejections of SEAO JSON (OCDS-like ``{"releases": [...]}``) or a JSON list of flat records.

    Line = release (or record) number, from 1.

    Raises
    ------
    InputFormatError
        Unreadable JSON, or neither ``releases`` nor a list of records.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputFormatError(f"unreadable JSON: {exc}", path=paths.relative(path),
                               line=getattr(exc, "lineno", None)) from None
    rows, rejections = [], []
    if isinstance(data, list):
        for i, rec in enumerate(data):
            canon = {CSV_ALIASES.get(fold_lower(k)): v for k, v in rec.items() if CSV_ALIASES.get(fold_lower(k))}
            row = _finish_row(canon, path, i + 1, rejections)
            if row:
                rows.append(row)
        return rows, rejections
    if not isinstance(data, dict) or "releases" not in data:
        raise InputFormatError("JSON with neither \"releases\" nor a list of records", path=paths.relative(path))
    for i, rel in enumerate(data["releases"]):
        parties = rel.get("parties") or []
        buyer = (rel.get("buyer") or {}).get("name")
        buyer_party = next((p for p in parties if "buyer" in (p.get("roles") or [])), {})
        buyer = buyer or buyer_party.get("name")
        region = (buyer_party.get("address") or {}).get("region")
        details = buyer_party.get("details") or {}
        btype = details.get("type") or details.get("buyerType")
        municipal = details.get("municipal")
        suppliers_by_id = {p.get("id"): p for p in parties if "supplier" in (p.get("roles") or [])}
        contracts = rel.get("contracts") or []
        for a in rel.get("awards") or []:
            if a.get("status") not in (None, "active"):
                continue
            value = (a.get("value") or {}).get("amount")
            contract = next((c for c in contracts if c.get("awardID") == a.get("id")), {})
            if value is None:
                value = (contract.get("value") or {}).get("amount")
            date = contract.get("dateSigned") or a.get("date")
            for s in a.get("suppliers") or [{}]:
                ident = s.get("id") or ""
                party = suppliers_by_id.get(ident) or {}
                neq = (party.get("details") or {}).get("neq")
                if not neq and re.search(r"\d{10}", ident):
                    neq = re.search(r"\d{10}", ident).group(0)
                rec = {"contract_id": rel.get("ocid") or rel.get("id"), "buyer": buyer, "buyer_type": btype,
                       "municipal": municipal, "region": region, "date": date, "supplier_name": s.get("name"),
                       "supplier_neq": str(neq) if neq else None, "amount": value}
                row = _finish_row(rec, path, i + 1, rejections)
                if row:
                    rows.append(row)
    return rows, rejections


READERS = {".xml": read_contracts_xml, ".json": read_contracts_json, ".csv": read_contracts_csv}


def read_contracts(files: Iterable[str | os.PathLike] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read SEAO contract files into one contracts table and one rejection ledger.

    Parameters
    ----------
    files : list of str or path-like, optional
        ``.xml`` (« Avis »), ``.json`` (OCDS-like releases, or a list of flat records) or ``.csv`` (one row per
        awarded supplier) files, e.g. ``["data/private/seao.json"]``. A relative path is read from the current
        folder when it exists there, else from the project root. None or empty: no contract ships with the project,
        so both tables are empty.

    Returns
    -------
    contracts : DataFrame
        source_file, source_line, contract_id, buyer, buyer_type, region, date, year, supplier_name, supplier_neq,
        amount (float, $); sorted by file, line and contract. ``attrs["paths"]`` lists the files read.
    rejections : DataFrame
        file, line, reason (one of :data:`REJECTION_REASONS`), value (the field name or the value at fault).

    Raises
    ------
    ParameterError
        ``files`` is a single path rather than a list of them.
    MissingDatasetError
        A file is absent.
    InputFormatError
        A file of another format, or one its reader cannot parse (file and line named).
    """
    if isinstance(files, (str, os.PathLike)):
        raise ParameterError(f"expected a list of files, got one path ({files!s}): pass [path]", field="files")
    if files is not None:
        require_type(files, (list, tuple), "files")
    rows: list[dict] = []
    rejections: list[dict] = []
    read: list[str] = []
    for i, f in enumerate(files or []):
        if f is None:
            raise ParameterError("expected a file path, got None", field=f"files[{i}]")
        path = input_path(f, paths.ROOT, argument=f"files[{i}]")
        if not path.exists():
            raise MissingDatasetError("contracts file not found", path=paths.relative(path))
        suffix = path.suffix.lower()
        reader = READERS.get(suffix)
        if reader is None:
            raise InputFormatError(f"unsupported format {suffix!r} (expected .xml, .json or .csv)",
                                   path=paths.relative(path))
        r, rej = reader(path)
        rows += r
        rejections += rej
        read.append(recorded_path(path))
    contracts = pd.DataFrame(rows, columns=CONTRACT_COLUMNS)
    contracts["amount"] = contracts["amount"].astype("float64")
    contracts["year"] = contracts["year"].astype("int64")
    contracts = contracts.sort_values(["source_file", "source_line", "contract_id"], kind="stable")
    contracts = contracts.reset_index(drop=True)
    contracts.attrs = {"paths": read}
    rej = pd.DataFrame(rejections, columns=REJECTION_COLUMNS)
    rej["line"] = pd.array(rej["line"], dtype="Int64")
    return contracts, rej.sort_values(["file", "line"], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------------------------------------------
# Classifier of collective-enterprise suppliers

# (category, regex on the accent-folded lower-case name). Strong rules name the legal form or the mission.
STRONG_RULES: list[tuple[str, str]] = [
    ("cooperative", r"\bco-?op(erative|erativa|eratief)?s?\b|\bco-operative\b"),
    ("cooperative", r"\bcaisses? (populaire|desjardins|d'economie)"),
    ("mutual", r"\bmutuelle?s?\b|\bmutual\b"),
    ("nonprofit", r"\bobnl\b|\bosbl\b|\bonl\b|but non lucratif|sans but lucratif|non[- ]?profit|not[- ]for[- ]profit"),
    ("nonprofit", r"\bcentre de la petite enfance\b|\bcpe\b"),
    ("association", r"^(l')?association\b|\bassociation (des|de|du|d')\b"),
    ("foundation", r"\bfondation\b|\bfoundation\b"),
    ("solidarity", r"\bsolidarit"),
]
# Broad rules: words frequent in non-profit names (clubs, committees, community centres); lower precision.
BROAD_RULES: list[tuple[str, str]] = [
    ("nonprofit", r"^(le |la |les )?(club|comite|regroupement|federation|societe d'histoire|fabrique)\b"),
    ("nonprofit", r"\b(communautaire|benevole|entraide|maison des jeunes|popote|loisirs?"
                  r"|corporation de developpement)\b"),
    ("nonprofit", r"\b(festival|fete|carnaval|paroisse|eglise|diocese|syndicat|ordre des)\b"),
    ("nonprofit", r"\b(centre d'action|centre de femmes|centre d'aide|table de concertation|conseil regional)\b"),
    ("nonprofit", r"^(le |la |les )?(collectif|mouvement|ligue|alliance|ordre|cercle|chorale|harmonie|ensemble)\b"),
    ("nonprofit", r"\b(hockey mineur|baseball mineur|soccer mineur|section locale|assemblee chretienne"
                  r"|chretien(ne)?s?)\b"),
    ("nonprofit", r"\b(societe historique|societe d'histoire|societe de genealogie|societe st-jean"
                  r"|societe saint-jean)\b"),
    ("nonprofit", r"^corporation (du|des|de la|de l') ?(parc|festival|centre|patrimoine|loisirs?|developpement"
                  r"|transport)"),
]
COLLECTIVE_FORMS = set(LEGAL_FORMS)
METHODS = ("register_neq", "register_name", "pattern", "none")


def _compiled(broad: bool) -> list[tuple[str, str, re.Pattern]]:
    rules = [("strong", c, r) for c, r in STRONG_RULES] + ([("broad", c, r) for c, r in BROAD_RULES] if broad else [])
    return [(tier, cat, re.compile(rx)) for tier, cat, rx in rules]


def _is_missing(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, float) and np.isnan(value))


def classify_name(name: object, broad: bool = True) -> tuple[bool, str | None]:
    """Whether a supplier name reads as a collective enterprise, from the name alone.

    Parameters
    ----------
    name : str or None
        A supplier name as written.
    broad : bool, default True
        Also use the broad patterns (club, comité, communautaire, festival…): more recall, less precision.

    Returns
    -------
    (bool, str or None)
        (is collective, category): ``cooperative``, ``mutual``, ``nonprofit``, ``association``, ``foundation`` or
        ``solidarity``; ``(False, None)`` when no pattern matches. Patterns read the name with accents folded and
        in lower case (:func:`analysis.core.text.fold_lower`).

    Raises
    ------
    ParameterError
        ``broad`` is not a bool.
    """
    require_type(broad, bool, "broad")
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return False, None
    text = fold_lower(str(name))
    for _tier, cat, rx in _compiled(broad):
        if rx.search(text):
            return True, cat
    return False, None


def classify_suppliers(names: pd.Series, neqs: pd.Series | None = None, register: pd.DataFrame | None = None,
                       broad: bool = True) -> pd.DataFrame:
    """Flag collective suppliers: register legal form by NEQ, then by exact normalized name, then name patterns.

    Parameters
    ----------
    names : Series
        Supplier names.
    neqs : Series, optional
        Their NEQ (Québec enterprise number), aligned with ``names``.
    register : DataFrame, optional
        The table of :func:`analysis.ecosystem.load_register` (columns neq, name, legal_form).
    broad : bool, default True
        Also use the broad name patterns (see :func:`classify_name`).

    Returns
    -------
    DataFrame
        One row per name (same index): is_collective, category (legal form code or pattern category), method
        (``register_neq``, ``register_name``, ``pattern`` or ``none``).

    Raises
    ------
    ParameterError
        ``names`` / ``neqs`` not Series, or ``register`` not the register table.
    """
    require_type(names, pd.Series, "names", hint="pass contracts['supplier_name']")
    if neqs is not None:
        require_type(neqs, pd.Series, "neqs", hint="pass contracts['supplier_neq']")
    require_type(broad, bool, "broad")
    by_neq: dict[str, str] = {}
    by_name: dict[str, str] = {}
    if register is not None:
        require_frame(register, "register", columns=("neq", "name", "legal_form"),
                      hint="load it with ecosystem.load_register()")
        by_neq = dict(zip(register["neq"].astype(str), register["legal_form"]))
        keys = register["name"].map(normalize_name)
        by_name = dict(zip(keys[keys != ""], register["legal_form"][keys != ""]))
    rows = []
    neq_list = list(neqs) if neqs is not None else [None] * len(names)
    for name, neq in zip(names, neq_list):
        form = None if _is_missing(neq) else by_neq.get(str(neq))
        if form is not None:
            rows.append((form in COLLECTIVE_FORMS, form, "register_neq"))
            continue
        form = by_name.get(normalize_name(name)) if by_name else None
        if form is not None:
            rows.append((form in COLLECTIVE_FORMS, form, "register_name"))
            continue
        flag, cat = classify_name(name, broad)
        rows.append((flag, cat, "pattern" if flag else "none"))
    return pd.DataFrame(rows, columns=["is_collective", "category", "method"], index=names.index)


def recall_on_register(register: pd.DataFrame, broad: bool = True) -> pd.DataFrame:
    """Recall of the name patterns on the register, by legal form and overall.

    Every register row is a collective enterprise (APE, ASS, COP), so the share the patterns flag is their recall;
    the register has no negatives, so precision cannot be measured on it (see :func:`evaluate_on_labelled`).

    Parameters
    ----------
    register : DataFrame
        The table of :func:`analysis.ecosystem.load_register`.
    broad : bool, default True
        Also use the broad name patterns.

    Returns
    -------
    DataFrame
        legal_form (a code, then ``total``), positives, flagged, recall_pct.

    Raises
    ------
    ParameterError
        ``register`` is not the register table.
    """
    require_frame(register, "register", columns=("name", "legal_form"), hint="load it with ecosystem.load_register()")
    require_type(broad, bool, "broad")
    flags = register["name"].map(lambda n: classify_name(n, broad)[0])
    df = pd.DataFrame({"legal_form": register["legal_form"], "flag": flags})
    out = df.groupby("legal_form")["flag"].agg(["size", "sum"]).reset_index()
    out.columns = ["legal_form", "positives", "flagged"]
    total = pd.DataFrame([{"legal_form": "total", "positives": int(out["positives"].sum()),
                           "flagged": int(out["flagged"].sum())}])
    out = pd.concat([out, total], ignore_index=True)
    out["positives"] = out["positives"].astype("int64")
    out["flagged"] = out["flagged"].astype("int64")
    out["recall_pct"] = 100.0 * out["flagged"] / out["positives"]
    return out


def load_labelled_names(path: str | os.PathLike | None = None) -> pd.DataFrame:
    """A hand-labelled list of supplier names (columns name, is_collective) to measure the patterns' precision.

    Parameters
    ----------
    path : str or path-like, optional
        A CSV with columns name and is_collective (true/false or 1/0). Default: the project's list of 48
        **fictitious** names labelled by hand (``tests/fixtures/procurement/company_names_labelled.csv``).

    Returns
    -------
    DataFrame
        name, is_collective (bool), and the file's other columns; ``attrs["path"]`` names the file.

    Raises
    ------
    MissingDatasetError
        The file is absent.
    SchemaError
        A column missing or a label that is not true/false.
    """
    path = input_path(path, paths.ROOT / LABELLED_NAMES_FILE)
    if not path.exists():
        raise MissingDatasetError("labelled names file not found", path=paths.relative(path))
    df = pd.read_csv(path)
    missing = [c for c in ("name", "is_collective") if c not in df.columns]
    if missing:
        raise SchemaError(f"missing columns: {', '.join(missing)}", path=paths.relative(path), field=missing[0])
    labels = df["is_collective"].map(lambda v: {"true": True, "false": False, "1": True, "0": False}.get(
        str(v).strip().lower()))
    if labels.isna().any():
        i = int(np.flatnonzero(labels.isna().to_numpy())[0])
        raise SchemaError(f"expected true or false, got {df['is_collective'].iloc[i]!r}", path=paths.relative(path),
                          line=i + 2, field="is_collective")
    df["is_collective"] = labels.astype(bool)
    df.attrs = {"path": recorded_path(path)}
    return df


def evaluate_on_labelled(labelled: pd.DataFrame, broad: bool = True) -> dict[str, float]:
    """Precision and recall of the name patterns on a hand-labelled list of names.

    Parameters
    ----------
    labelled : DataFrame
        Columns name and is_collective (see :func:`load_labelled_names`).
    broad : bool, default True
        Also use the broad name patterns.

    Returns
    -------
    dict
        tp, fp, fn, tn (counts), precision ``tp / (tp + fp)`` and recall ``tp / (tp + fn)`` (NaN when undefined).

    Raises
    ------
    ParameterError
        ``labelled`` lacks the columns name and is_collective.
    """
    require_frame(labelled, "labelled", columns=("name", "is_collective"),
                  hint="load it with ecosystem.load_labelled_names()")
    require_type(broad, bool, "broad")
    pred = labelled["name"].map(lambda n: classify_name(n, broad)[0]).astype(bool)
    truth = labelled["is_collective"].astype(bool)
    tp = int((pred & truth).sum())
    fp = int((pred & ~truth).sum())
    fn = int((~pred & truth).sum())
    tn = int((~pred & ~truth).sum())
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": tp / (tp + fp) if tp + fp else float("nan"),
            "recall": tp / (tp + fn) if tp + fn else float("nan")}


# --------------------------------------------------------------------------------------------------------------
# Shares


def collective_shares(contracts: pd.DataFrame, by: str | list[str] = "buyer_type",
                      register: pd.DataFrame | None = None, broad: bool = True) -> pd.DataFrame:
    """Share of public contracts, and of their value, that go to collective enterprises, per group.

    Parameters
    ----------
    contracts : DataFrame
        The contracts table of :func:`read_contracts`.
    by : str or list of str, default ``"buyer_type"``
        Grouping column(s): ``buyer_type``, ``region``, ``year`` (any column of ``contracts``).
    register : DataFrame, optional
        The register, to classify suppliers by NEQ or exact name before the name patterns.
    broad : bool, default True
        Also use the broad name patterns.

    Returns
    -------
    DataFrame
        The grouping column(s), contracts, collective_contracts, value, collective_value, share_contracts_pct,
        share_value_pct (NaN when a group's value is 0); sorted by group.

    Raises
    ------
    ParameterError
        ``contracts`` is not the contracts table, or ``by`` names no column of it.
    """
    require_frame(contracts, "contracts", columns=("supplier_name", "supplier_neq", "amount"),
                  hint="read it with ecosystem.read_contracts(files)[0]")
    by = [by] if isinstance(by, str) else list(by)
    for col in by:
        if col not in contracts.columns:
            raise ParameterError(f"unknown grouping {col!r} ({', '.join(GROUPINGS)})", field="by")
    cls = classify_suppliers(contracts["supplier_name"], contracts["supplier_neq"], register, broad)
    df = contracts.assign(collective=cls["is_collective"].to_numpy())
    df["collective_amount"] = df["amount"].where(df["collective"], 0.0)
    out = df.groupby(by, sort=True).agg(contracts=("amount", "size"), collective_contracts=("collective", "sum"),
                                        value=("amount", "sum"), collective_value=("collective_amount", "sum"))
    out = out.reset_index()
    out["contracts"] = out["contracts"].astype("int64")
    out["collective_contracts"] = out["collective_contracts"].astype("int64")
    out["share_contracts_pct"] = 100.0 * out["collective_contracts"] / out["contracts"]
    out["share_value_pct"] = np.where(out["value"] > 0, 100.0 * out["collective_value"] / out["value"].where(
        out["value"] > 0, 1.0), np.nan)
    return out
