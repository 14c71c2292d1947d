"""The publication bank: read exports, deduplicate across files and sources, keep a ledger, write Parquet.

``build_bank(paths)`` returns a :class:`Bank` with the canonical tables ``works``, ``authorships``,
``work_keywords``, the per-file ``ledger`` (read == kept + merged + rejected, checked, where *read* is the number of
records the raw text starts, counted apart from the parser), every ``rejection`` with its file, record, line, a
stable ``code`` and its English ``reason``, every merged ``duplicate`` with the rule that matched it, and every
``related`` pair: a possible duplicate kept apart, with the rule that kept it apart. The bank's methods give what a
bibliometrician expects (``bank.main_information()``, ``bank.sources()``, ``bank.emerging_themes()``…); each delegates
to a public function of this wing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as arrow
import pyarrow.compute as pc

from analysis.core.checks import require_type
from analysis.core.errors import DataIntegrityError, InputFormatError, ParameterError, SchemaError, VigieError
from analysis.core.text import arrow_strings, fold_arrow
from analysis.vigie import bibliometrics, dedupe, directory, emerging, networks, sources_authors
from analysis.vigie import cache as bank_cache
from analysis.vigie import themes as theme_analysis
from analysis.vigie.arguments import require_bank
from analysis.vigie.directory import Institutions
from analysis.vigie.inputs import resolve_path
from analysis.vigie.names import family_key_arrow
from analysis.vigie.readers import read_file
from analysis.vigie.readers.common import AUTHOR_COLUMNS, RECORD_COLUMNS, YEAR_MAX, YEAR_MIN
from analysis.vigie.themes import ThemeDictionary

WORK_COLUMNS = ["work_id", "doi", "title", "year", "source_title", "doc_type", "language", "cited_by", "abstract",
                "author_keywords", "index_keywords", "origins", "n_authors"]
AUTHORSHIP_COLUMNS = ["work_id", "position", "author", "author_full", "author_id", "affiliation", "country",
                      "countries"]
KEYWORD_COLUMNS = ["work_id", "keyword", "keyword_key", "kind"]
LEDGER_COLUMNS = ["file", "format", "encoding", "read", "kept", "merged", "rejected", "note", "repaired"]
REJECTION_COLUMNS = ["file", "record", "line", "code", "reason", "detail"]
DUPLICATE_COLUMNS = ["kept_work_id", "merged_file", "merged_record", "rule", "score", "kept_file", "kept_record"]
RELATED_COLUMNS = ["work_id_a", "file_a", "record_a", "work_id_b", "file_b", "record_b", "rule", "score"]


def _text(*checks: pa.Check, nullable: bool = False, unique: bool = False) -> pa.Column:
    """A pandas ``string`` column (its dtype is checked by the table, see :func:`_table`)."""
    return pa.Column(None, list(checks), nullable=nullable, unique=unique, metadata={"dtype": "string"})


def _table(name: str, columns: dict[str, pa.Column], **options) -> pa.DataFrameSchema:
    """A strict, ordered table schema whose text columns must have the pandas ``string`` dtype.

    The dtype test is one table-level check: pandera's own ``string`` dtype check tests every value, and even
    a column check costs about 0.3 ms, which made validation a tenth of building a 3,658-record bank."""
    text = [c for c, col in columns.items() if (col.metadata or {}).get("dtype") == "string"]

    def strings(df: pd.DataFrame) -> bool:
        return all(isinstance(df[c].dtype, pd.StringDtype) for c in text if c in df.columns)

    check = pa.Check(strings, name=f"string dtype of {', '.join(text)}",
                     error=f"columns {', '.join(text)} must have the pandas 'string' dtype")
    return pa.DataFrameSchema(columns, checks=[check], strict=True, ordered=True, name=name, **options)


WORKS_SCHEMA = _table("works", {
    "work_id": _text(pa.Check.str_matches(r"^W\d{5,}$"), unique=True),
    "doi": _text(pa.Check.str_startswith("10."), nullable=True),
    "title": _text(),
    "year": pa.Column("Int64", pa.Check.in_range(YEAR_MIN, YEAR_MAX), nullable=True),
    "source_title": _text(nullable=True),
    "doc_type": _text(nullable=True),
    "language": _text(nullable=True),
    "cited_by": pa.Column("Int64", pa.Check.ge(0), nullable=True),
    "abstract": _text(nullable=True),
    "author_keywords": _text(nullable=True),
    "index_keywords": _text(nullable=True),
    "origins": _text(),
    "n_authors": pa.Column("Int64", pa.Check.ge(0)),
})
AUTHORSHIPS_SCHEMA = _table("authorships", {
    "work_id": _text(),
    "position": pa.Column("Int64", pa.Check.ge(1)),
    "author": _text(),
    "author_full": _text(nullable=True),
    "author_id": _text(nullable=True),
    "affiliation": _text(nullable=True),
    "country": _text(nullable=True),
    "countries": _text(nullable=True),
}, unique=["work_id", "position"])
KEYWORDS_SCHEMA = _table("work_keywords", {
    "work_id": _text(),
    "keyword": _text(),
    "keyword_key": _text(),
    "kind": _text(pa.Check.isin(["author", "index"])),
})
LEDGER_SCHEMA = _table("ledger", {
    "file": _text(), "format": _text(), "encoding": _text(),
    "read": pa.Column("Int64", pa.Check.ge(0)), "kept": pa.Column("Int64", pa.Check.ge(0)),
    "merged": pa.Column("Int64", pa.Check.ge(0)), "rejected": pa.Column("Int64", pa.Check.ge(0)),
    "note": _text(),
    "repaired": pa.Column("Int64", pa.Check.ge(0)),
})
SCHEMAS = {"works": WORKS_SCHEMA, "authorships": AUTHORSHIPS_SCHEMA, "work_keywords": KEYWORDS_SCHEMA,
           "ledger": LEDGER_SCHEMA}

#: dtype of every column of every table (what an empty bank is made of).
DTYPES: dict[str, dict[str, str]] = {
    "works": {c: "Int64" if c in ("year", "cited_by", "n_authors") else "string" for c in WORK_COLUMNS},
    "authorships": {c: "Int64" if c == "position" else "string" for c in AUTHORSHIP_COLUMNS},
    "work_keywords": {c: "string" for c in KEYWORD_COLUMNS},
    "ledger": {c: "Int64" if c in ("read", "kept", "merged", "rejected", "repaired") else "string"
               for c in LEDGER_COLUMNS},
    "rejections": {c: "Int64" if c in ("record", "line") else "string" for c in REJECTION_COLUMNS},
    "duplicates": {"kept_work_id": "string", "merged_file": "string", "merged_record": "Int64", "rule": "string",
                   "score": "Float64", "kept_file": "string", "kept_record": "Int64"},
    "related": {c: "Int64" if c in ("record_a", "record_b") else "Float64" if c == "score" else "string"
                for c in RELATED_COLUMNS},
}


@dataclass(repr=False, eq=False)
class Bank:
    """Canonical tables of a deduplicated publication corpus, with its ledger; methods for its bibliometrics.

    Build one with :func:`build_bank` (or read one with :func:`read_parquet`). The tables are plain DataFrames
    with English column names; the methods return DataFrames (or a dict for a set of single figures).

    Attributes
    ----------
    works : DataFrame
        One row per work (after deduplication): ``work_id`` (W00001…), doi, title, year, source_title, doc_type,
        language, cited_by, abstract, author_keywords, index_keywords, origins (``file#record`` of every merged
        record), n_authors.
    authorships : DataFrame
        One row per work and author position: author ("Last, F."), author_full, author_id, affiliation, country.
    work_keywords : DataFrame
        One row per work and keyword: keyword (first spelling), keyword_key (folded), kind (``author``/``index``).
    ledger : DataFrame
        Per file: format, encoding, records read (started in the raw text, counted apart from the parser), kept,
        merged into another work, rejected, a note, and the field values repaired because their bytes were not
        UTF-8.
    rejections : DataFrame
        Every rejected record: file, record, line, ``code`` (stable, e.g. ``no_title``), English ``reason``, and
        ``detail`` (JSON text of the reason's fields).
    duplicates : DataFrame
        Every record merged into a kept work: kept_work_id, merged_file, merged_record, rule, score, and the kept
        (representative) record's kept_file and kept_record.
    related : DataFrame
        Possible duplicates kept apart (:data:`analysis.vigie.dedupe.RELATED_RULES`): work_id_a, file_a, record_a,
        work_id_b, file_b, record_b, rule, score (title ratio); one row per pair of works.
    window : dict or None
        After :meth:`filter`: works before, kept, out of the years, in another language, of unknown language kept.
    """

    works: pd.DataFrame
    authorships: pd.DataFrame
    work_keywords: pd.DataFrame
    ledger: pd.DataFrame
    rejections: pd.DataFrame
    duplicates: pd.DataFrame
    related: pd.DataFrame = dataclasses.field(default_factory=lambda: _empty("related"))
    window: dict[str, int] | None = None

    TABLES = ("works", "authorships", "work_keywords", "ledger", "rejections", "duplicates", "related")

    def __repr__(self) -> str:
        files = len(self.ledger)
        return (f"<Bank: {len(self.works)} works from {files} file{'s' if files != 1 else ''}, "
                f"{len(self.authorships)} authorships, {len(self.work_keywords)} keyword rows, "
                f"{int(self.ledger['merged'].sum()) if files else 0} merged, "
                f"{int(self.ledger['rejected'].sum()) if files else 0} rejected>")

    def validate(self) -> None:
        """Check the table schemas and the ledger identity (read == kept + merged + rejected) of every file.

        Raises
        ------
        SchemaError
            When a table breaks its schema (a column missing, of the wrong type or out of range).
        DataIntegrityError
            When the ledger does not balance or does not match the works table.
        """
        for name, schema in SCHEMAS.items():
            if name == "ledger" and _ledger_looks_right(self.ledger):
                continue  # a few rows: checked by hand (pandera's overhead is a tenth of a small bank's build)
            try:
                schema.validate(getattr(self, name), lazy=False)
            except (pa.errors.SchemaError, pa.errors.SchemaErrors) as exc:
                raise SchemaError(f"table {name!r} breaks its schema: {str(exc).splitlines()[0]}") from None
        related = self.related  # (checked by hand: a pandera schema costs more than the table's few rows)
        if list(related.columns) != RELATED_COLUMNS or not set(related["rule"].dropna()) <= set(dedupe.RELATED_RULES):
            raise SchemaError(f"table 'related' breaks its schema: columns {list(related.columns)}, rules "
                              f"{sorted(set(related['rule'].dropna()) - set(dedupe.RELATED_RULES))} unknown")
        led = self.ledger
        bad = led[led["read"] != led["kept"] + led["merged"] + led["rejected"]]
        if len(bad):
            row = bad.iloc[0]
            raise DataIntegrityError(
                f"ledger does not balance: read {row['read']} != kept {row['kept']} + merged {row['merged']} "
                f"+ rejected {row['rejected']}", path=str(row["file"]))
        if int(led["kept"].sum()) != len(self.works):
            raise DataIntegrityError(f"ledger keeps {int(led['kept'].sum())} records but works has "
                                     f"{len(self.works)} rows")

    # ---- selection ----------------------------------------------------------------------------------------

    def filter(self, year_min: int | None = None, year_max: int | None = None,
               languages: Sequence[str] | None = None) -> Bank:
        """The bank restricted to a year window and languages; what was left out is in ``.window``.

        See :func:`filter_bank` for the rules.

        Parameters
        ----------
        year_min, year_max : int, optional
            First and last publication year kept (None: no bound).
        languages : list of str, optional
            Languages kept as written in the exports, case-insensitive (empty or None: all).

        Returns
        -------
        Bank
            The selected works, their authorships and keywords; the ledger unchanged; ``window`` holds the
            counts (before, kept, out_of_years, other_language, unknown_language_kept).
        """
        selected, counts = filter_bank(self, year_min, year_max, languages)
        return dataclasses.replace(selected, window=counts)

    # ---- main information, production, citations -------------------------------------------------------

    def main_information(self) -> pd.DataFrame:
        """bibliometrix's "main information about data" block (:func:`analysis.vigie.main_information`).

        Returns
        -------
        DataFrame
            ``section``, ``key``, ``label`` (bibliometrix's wording), ``value``.

        References
        ----------
        Aria, M., & Cuccurullo, C. (2017). bibliometrix: An R-tool for comprehensive science mapping analysis.
        *Journal of Informetrics*, 11(4), 959–975.
        """
        return bibliometrics.main_information(self)

    def production(self) -> pd.DataFrame:
        """Documents per publication year, years without documents included (:func:`analysis.vigie.documents_per_year`).

        Returns
        -------
        DataFrame
            ``year``, ``documents``.
        """
        return bibliometrics.documents_per_year(self.works)

    def growth(self) -> dict[str, object]:
        """Timespan, annual growth rate and most productive year (:func:`analysis.vigie.production_summary`).

        Returns
        -------
        dict
            ``first_year``, ``last_year``, ``annual_growth_rate_pct``, ``peak_year``, ``peak_documents``.
        """
        return bibliometrics.production_summary(self.works)

    def citations(self, reference_year: int | None = None) -> pd.DataFrame:
        """Citations per publication year (:func:`analysis.vigie.citations_per_year`).

        Parameters
        ----------
        reference_year : int, optional
            Year citations are counted up to (default: the last year of the bank).

        Returns
        -------
        DataFrame
            ``year``, ``documents``, ``mean_citations_per_doc``, ``citable_years``, ``mean_citations_per_year``.
        """
        return bibliometrics.citations_per_year(self.works, reference_year)

    def keywords(self, n: int | None = 20, kind: str | None = None) -> pd.DataFrame:
        """The most frequent keywords (:func:`analysis.vigie.compute_top_keywords`); the long keyword table itself
        is :attr:`work_keywords`.

        Parameters
        ----------
        n : int or None
            Rows kept (None: all).
        kind : {"author", "index", None}
            Author keywords, index keywords (Keywords Plus…), or both.

        Returns
        -------
        DataFrame
            ``keyword``, ``keyword_key``, ``n_works``, ``share``.
        """
        return bibliometrics.compute_top_keywords(self.work_keywords, n, kind)

    # ---- sources, authors, countries -------------------------------------------------------------------

    def sources(self, n: int | None = 10) -> pd.DataFrame:
        """The most productive sources (:func:`analysis.vigie.compute_top_sources`).

        Parameters
        ----------
        n : int or None
            Rows kept (None: all).

        Returns
        -------
        DataFrame
            ``source``, ``n_works``, ``share``, ``citations``.
        """
        return sources_authors.compute_top_sources(self.works, n)

    def authors(self, n: int | None = 10) -> pd.DataFrame:
        """The most productive authors, with fractional counts and within-corpus h-index
        (:func:`analysis.vigie.compute_author_table`).

        Parameters
        ----------
        n : int or None
            Rows kept (None: all).

        Returns
        -------
        DataFrame
            ``key``, ``author``, ``author_full``, ``n_works``, ``fractional``, ``citations``, ``h_index``,
            ``first_year``, ``last_year``.
        """
        table = sources_authors.compute_author_table(self.authorships, self.works)
        return table if n is None else table.head(n)

    def countries(self, n: int | None = None) -> pd.DataFrame:
        """Countries by number of works, single- and multi-country (:func:`analysis.vigie.compute_countries`).

        Parameters
        ----------
        n : int or None
            Rows kept (None: all).

        Returns
        -------
        DataFrame
            ``country``, ``n_works``, ``n_single``, ``n_multi``, ``share_multi``.
        """
        return sources_authors.compute_countries(self.authorships, n)

    def lotka(self) -> tuple[pd.DataFrame, dict[str, float]]:
        """Lotka's law: authors by number of works and the fitted exponent (:func:`analysis.vigie.compute_lotka`).

        Returns
        -------
        table : DataFrame
            ``n_works``, ``n_authors``, ``share``, ``expected_fit``, ``expected_lotka2``.
        fit : dict
            ``beta``, ``c``, ``r2``, ``n_authors``, ``share_single``.

        References
        ----------
        Lotka, A. J. (1926). The frequency distribution of scientific productivity. *Journal of the Washington
        Academy of Sciences*, 16(12), 317–323.
        """
        return sources_authors.compute_lotka(self.authorships)

    def bradford(self) -> pd.DataFrame:
        """Sources ranked by works with their Bradford zone (:func:`analysis.vigie.compute_bradford`; zones summed
        by :func:`analysis.vigie.compute_bradford_zones`).

        Returns
        -------
        DataFrame
            ``source``, ``n_works``, ``rank``, ``cumulative``, ``zone``.

        References
        ----------
        Bradford, S. C. (1934). Sources of information on specific subjects. *Engineering*, 137, 85–86.
        """
        return sources_authors.compute_bradford(self.works)

    # ---- themes ---------------------------------------------------------------------------------------------

    def work_themes(self, themes: ThemeDictionary | None = None) -> pd.DataFrame:
        """Which works belong to which theme (:func:`analysis.vigie.compute_work_themes`).

        Parameters
        ----------
        themes : ThemeDictionary, optional
            Default: the project's dictionary (:func:`analysis.vigie.load_themes`).

        Returns
        -------
        DataFrame
            ``work_id``, ``theme``.
        """
        return theme_analysis.compute_work_themes(self.works, _themes(themes))

    def themes(self, themes: ThemeDictionary | None = None) -> pd.DataFrame:
        """Works per theme and their share of all works (:func:`analysis.vigie.compute_theme_shares`).

        Parameters
        ----------
        themes : ThemeDictionary, optional
            Default: the project's dictionary.

        Returns
        -------
        DataFrame
            ``theme``, ``issue``, ``n_works``, ``share``.
        """
        d = _themes(themes)
        return theme_analysis.compute_theme_shares(self.works, theme_analysis.compute_work_themes(self.works, d), d)

    def theme_years(self, themes: ThemeDictionary | None = None) -> pd.DataFrame:
        """Works per theme and year with the year's total (:func:`analysis.vigie.compute_theme_year_counts`).

        Parameters
        ----------
        themes : ThemeDictionary, optional
            Default: the project's dictionary.

        Returns
        -------
        DataFrame
            ``theme``, ``year``, ``n_theme``, ``n_total``, ``share``.
        """
        d = _themes(themes)
        return theme_analysis.compute_theme_year_counts(self.works, theme_analysis.compute_work_themes(self.works, d),
                                                        d)

    def emerging_themes(self, themes: ThemeDictionary | None = None, level: float = 0.05) -> pd.DataFrame:
        """Yearly rate ratio of each theme's share, p-values BH-adjusted across themes
        (:func:`analysis.vigie.compute_emerging_themes`).

        Parameters
        ----------
        themes : ThemeDictionary, optional
            Default: the project's dictionary.
        level : float
            False discovery rate.

        Returns
        -------
        DataFrame
            One row per theme: model, rate_ratio, ci_low, ci_high, p_value, p_adjusted, emerging, declining…

        References
        ----------
        Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: a practical and powerful
        approach to multiple testing. *Journal of the Royal Statistical Society B*, 57(1), 289–300.
        """
        return emerging.compute_emerging_themes(self.theme_years(themes), level)

    # ---- researchers and networks ----------------------------------------------------------------------------

    def directory(self, themes: ThemeDictionary | None = None, institutions: Institutions | None = None,
                  max_themes: int = 3) -> pd.DataFrame:
        """The directory of researchers with a Québec affiliation (:func:`analysis.vigie.compute_directory`).

        Parameters
        ----------
        themes : ThemeDictionary, optional
            Default: the project's dictionary.
        institutions : Institutions, optional
            Default: the project's file (:func:`analysis.vigie.load_institutions`).
        max_themes : int
            Themes listed per researcher.

        Returns
        -------
        DataFrame
            ``author``, ``author_full``, ``institution``, ``n_works``, ``n_quebec_works``, ``themes``,
            ``first_year``, ``last_year``, ``to_check``.
        """
        d = _themes(themes)
        inst = institutions if institutions is not None else directory.load_institutions()
        return directory.compute_directory(self.authorships, self.works, theme_analysis.compute_work_themes(
            self.works, d), inst, max_themes=max_themes)

    def coauthor_network(self, top_n: int = 45, seed: int = 42) -> networks.Network:
        """Co-authorship network of the most productive authors who have a co-author
        (:func:`analysis.vigie.coauthor_network`).

        Parameters
        ----------
        top_n : int
            Nodes kept.
        seed : int
            Seed of the Louvain communities (on association strengths).

        Returns
        -------
        Network
            ``graph``, ``communities``, ``summary``, ``nodes``.

        References
        ----------
        van Eck, N. J., & Waltman, L. (2009). How to normalize cooccurrence data? *JASIST*, 60(8), 1635–1651.
        Blondel, V. D., et al. (2008). Fast unfolding of communities in large networks. *J. Stat. Mech.*, P10008.
        """
        return networks.coauthor_network(self.authorships, top_n, seed)

    def keyword_network(self, top_n: int = 45, kind: str | None = None, seed: int = 42) -> networks.Network:
        """Keyword co-occurrence network of the most frequent keywords (:func:`analysis.vigie.keyword_network`).

        Parameters
        ----------
        top_n : int
            Nodes kept.
        kind : {"author", "index", None}
            None: author keywords when the bank has any, else index keywords.
        seed : int
            Seed of the Louvain communities (on association strengths).

        Returns
        -------
        Network

        References
        ----------
        van Eck, N. J., & Waltman, L. (2009). How to normalize cooccurrence data? *JASIST*, 60(8), 1635–1651.
        Blondel, V. D., et al. (2008). Fast unfolding of communities in large networks. *J. Stat. Mech.*, P10008.
        """
        return networks.keyword_network(self.work_keywords, top_n, kind, seed)


def _ledger_looks_right(ledger: pd.DataFrame) -> bool:
    """What :data:`LEDGER_SCHEMA` checks, by hand: columns in order, ``string`` text, whole counts ≥ 0, no missing
    value (when False, the schema itself is run, for its message)."""
    if list(ledger.columns) != LEDGER_COLUMNS:
        return False
    counts = ["read", "kept", "merged", "rejected", "repaired"]
    return (all(str(ledger[c].dtype) == "Int64" and not ledger[c].isna().any() and (ledger[c] >= 0).all()
                for c in counts)
            and all(isinstance(ledger[c].dtype, pd.StringDtype) and not ledger[c].isna().any()
                    for c in LEDGER_COLUMNS if c not in counts))


def _empty(table: str) -> pd.DataFrame:
    """An empty table of the bank with its columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=dtype) for c, dtype in DTYPES[table].items()})


def _themes(themes: ThemeDictionary | None) -> ThemeDictionary:
    if themes is None:
        return theme_analysis.load_themes()
    require_type(themes, ThemeDictionary, "themes", hint="load it with vigie.load_themes()")
    return themes


def _strings(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    for c in cols:
        df[c] = df[c].astype("string")
    return df


def _rows_of_records(record_numbers: pd.Series, wanted: pd.Series) -> np.ndarray:
    """Position of each wanted record number in ``record_numbers`` (a reader's records, in file order),
    -1 when absent (a record rejected after its authors were read)."""
    have = record_numbers.to_numpy(dtype=np.int64, na_value=-1)
    want = wanted.to_numpy(dtype=np.int64, na_value=-1)
    if len(have) == 0:
        return np.full(len(want), -1, dtype=np.int64)
    if not np.all(np.diff(have) > 0):  # not in increasing order: look each one up
        lookup = pd.Series(np.arange(len(have)), index=have)
        return lookup.reindex(want).fillna(-1).to_numpy(dtype=np.int64)
    pos = np.minimum(np.searchsorted(have, want), len(have) - 1)
    return np.where(have[pos] == want, pos, -1).astype(np.int64)


def _first_author_surnames(records: pd.DataFrame, authors: pd.DataFrame) -> pd.Series:
    """Blocking key of each record: last word of the folded family name of its first author ("do Lago e
    Pretti" and WoS "Pretti" agree); missing when the record lists no author."""
    is_first = (authors["position"] == 1).to_numpy(dtype=bool, na_value=False)
    rows = authors["row"].to_numpy(dtype=np.int64)[is_first]
    rows, first = np.unique(rows, return_index=True)  # one first author per record (the first listed)
    names = pc.take(arrow_strings(authors["author"]), arrow.array(np.nonzero(is_first)[0][first]))
    last_word = pc.struct_field(pc.extract_regex(family_key_arrow(names), pattern=r"(?P<word>[^ ]*)$"), [0])
    keys = np.full(len(records), None, dtype=object)
    keys[rows] = last_word.to_numpy(zero_copy_only=False)
    return pd.Series(keys, index=records.index, dtype="string")


def _work_ids(count: int):  # -> pyarrow string Array
    """W00001, W00002, … (at least five digits, more when the bank is larger)."""
    width = max(5, len(str(count)))
    digits = pc.utf8_lpad(arrow.array(np.arange(1, count + 1)).cast(arrow.string()), width=width, padding="0")
    return pc.binary_join_element_wise("W", digits, "")


def _take(values, positions: np.ndarray):
    """Arrow ``take`` with numpy positions."""
    return pc.take(values, arrow.array(positions, arrow.int64()))


def _build(files: list[tuple[str, Path, str | None]]) -> Bank:
    """Read ``(name, path, format)`` files, deduplicate across all of them together, return the bank (validated)."""
    names = [name for name, _, _ in files]
    results = [read_file(path, fmt) for _, path, fmt in files]

    rec_parts, auth_parts, rej_parts = [], [], []
    offset = 0
    for i, (name, res) in enumerate(zip(names, results)):
        r = res.records.copy()
        r.insert(0, "file", name)
        r.insert(0, "file_idx", i)
        rec_parts.append(r)
        a = res.authorships.copy()
        a["row"] = _rows_of_records(r["record"], a["record"]) + offset  # row of its record, -1 when none
        a.loc[a["row"] < offset, "row"] = -1
        auth_parts.append(a)
        rj = res.rejections.copy()
        rj.insert(0, "file", name)
        rej_parts.append(rj)
        offset += len(r)
    records = pd.concat(rec_parts, ignore_index=True) if rec_parts else pd.DataFrame(columns=RECORD_COLUMNS)
    authors = pd.concat(auth_parts, ignore_index=True)
    ok = ((authors["row"] >= 0) & authors["author"].notna()).to_numpy()
    authors = authors if ok.all() else authors[ok]

    found = dedupe.find_duplicates(records, _first_author_surnames(records, authors))
    clusters = found.clusters
    merged = dedupe.merge_clusters(records, clusters)

    # work ids: clusters in order of their representative (input order) → W00001, W00002, …
    roots = np.sort(merged.index.to_numpy())
    work_ids = _work_ids(len(roots))
    works = merged  # already one row per cluster, in representative order
    works.insert(0, "work_id", pd.arrays.ArrowStringArray(work_ids))

    auth = dedupe.merge_authorships(records, clusters, authors)
    work_of = np.searchsorted(roots, auth["cluster"].to_numpy())  # cluster id -> position of its work
    order = np.lexsort((auth["position"].to_numpy(dtype=np.int64), work_of))  # by work, then position
    work_of = work_of[order]
    auth = auth.iloc[order]
    authorships = pd.DataFrame({
        "work_id": pd.arrays.ArrowStringArray(_take(work_ids, work_of)),
        "position": pd.array(np.arange(len(work_of)) - np.searchsorted(work_of, work_of) + 1, dtype="Int64"),
        **{c: auth[c].astype("string").array for c in ("author", "author_full", "author_id", "affiliation",
                                                       "country", "countries")},
    })[AUTHORSHIP_COLUMNS]
    works["n_authors"] = pd.array(np.bincount(work_of, minlength=len(roots)), dtype="Int64")
    works = works[WORK_COLUMNS].reset_index(drop=True)
    works = _strings(works, ["work_id", "doi", "title", "source_title", "doc_type", "language", "abstract",
                             "author_keywords", "index_keywords", "origins"])
    works["year"] = works["year"].astype("Int64")
    works["cited_by"] = works["cited_by"].astype("Int64")

    keywords = compute_keywords(works)

    # duplicates and ledger
    cluster = clusters["cluster"].to_numpy()
    is_member = cluster != np.arange(len(records))
    members = np.nonzero(is_member)[0]
    files = records["file"].to_numpy(dtype=object)
    numbers = records["record"].to_numpy()
    duplicates = pd.DataFrame({
        "kept_work_id": pd.arrays.ArrowStringArray(_take(work_ids, np.searchsorted(roots, cluster[members]))),
        "merged_file": pd.array(files[members], dtype="string"),
        "merged_record": pd.array(numbers[members], dtype="Int64"),
        "rule": pd.array(clusters["rule"].to_numpy(dtype=object)[members], dtype="string"),
        "score": pd.array(clusters["score"].to_numpy()[members], dtype="Float64"),
        "kept_file": pd.array(files[cluster[members]], dtype="string"),
        "kept_record": pd.array(numbers[cluster[members]], dtype="Int64"),
    })
    pairs = found.related
    a, b = pairs["row_a"].to_numpy(dtype=np.int64), pairs["row_b"].to_numpy(dtype=np.int64)
    related = pd.DataFrame({
        "work_id_a": pd.arrays.ArrowStringArray(_take(work_ids, np.searchsorted(roots, cluster[a]))),
        "file_a": pd.array(files[a], dtype="string"), "record_a": pd.array(numbers[a], dtype="Int64"),
        "work_id_b": pd.arrays.ArrowStringArray(_take(work_ids, np.searchsorted(roots, cluster[b]))),
        "file_b": pd.array(files[b], dtype="string"), "record_b": pd.array(numbers[b], dtype="Int64"),
        "rule": pd.array(pairs["rule"].to_numpy(dtype=object), dtype="string"),
        "score": pd.array(pairs["score"].to_numpy(dtype=float, na_value=np.nan), dtype="Float64"),
    })
    file_idx = records["file_idx"].to_numpy(dtype=np.int64)
    kept_by_file = np.bincount(file_idx[~is_member], minlength=len(results))
    merged_by_file = np.bincount(file_idx[is_member], minlength=len(results))
    ledger = pd.DataFrame({
        "file": pd.array(names, dtype="string"),
        "format": pd.array([r.format for r in results], dtype="string"),
        "encoding": pd.array([r.encoding for r in results], dtype="string"),
        "read": pd.array([r.read for r in results], dtype="Int64"),
        "kept": pd.array(kept_by_file, dtype="Int64"),
        "merged": pd.array(merged_by_file, dtype="Int64"),
        "rejected": pd.array([len(r.rejections) for r in results], dtype="Int64"),
        "note": pd.array([r.note for r in results], dtype="string"),
        "repaired": pd.array([r.repaired for r in results], dtype="Int64"),
    })
    rejections = pd.concat(rej_parts, ignore_index=True) if rej_parts else pd.DataFrame(columns=REJECTION_COLUMNS)
    rejections = pd.DataFrame({
        "file": pd.array(rejections["file"].to_numpy(dtype=object), dtype="string"),
        "record": pd.array(rejections["record"], dtype="Int64"),
        "line": pd.array(rejections["line"], dtype="Int64"),
        **{c: pd.array(rejections[c].to_numpy(dtype=object), dtype="string") for c in ("code", "reason", "detail")},
    })

    bank = Bank(works, authorships, keywords, ledger, rejections, duplicates, related)
    bank.validate()
    return bank


def compute_keywords(works: pd.DataFrame) -> pd.DataFrame:
    """Long keyword table: one row per (work, keyword, kind), display spelling kept, folded key for matching
    (the first spelling of a key in a work is kept).

    Parameters
    ----------
    works : DataFrame
        The works table (author_keywords and index_keywords joined by ``"; "``).

    Returns
    -------
    DataFrame
        ``work_id``, ``keyword``, ``keyword_key``, ``kind``.
    """
    rows, values, kinds = [], [], []
    for code, col in enumerate(("author_keywords", "index_keywords")):
        lists = pc.split_pattern(arrow_strings(works[col]), pattern="; ")
        flat = pc.list_flatten(lists)
        rows.append(pc.list_parent_indices(lists).to_numpy())
        values.append(flat)
        kinds.append(np.full(len(flat), code, dtype=np.int64))
    row, kind = np.concatenate(rows), np.concatenate(kinds)
    # each distinct spelling is trimmed and folded once (a keyword recurs across works); the rows carry integer
    # codes, and strings are taken for the kept rows only
    encoded = pc.dictionary_encode(arrow.concat_arrays(values))
    spelling = pc.utf8_trim_whitespace(encoded.dictionary)
    folded = pc.dictionary_encode(fold_arrow(spelling))  # blank and punctuation-only keywords have no key
    spelling_codes = encoded.indices.to_numpy().astype(np.int64)
    key_codes = pc.fill_null(folded.indices, -1).to_numpy().astype(np.int64)[spelling_codes]
    # the first spelling of a key in a work and kind (hash-based, in row order)
    first = ~pd.Series(((kind * len(works) + row) << 32) + key_codes).duplicated().to_numpy()
    keep = np.nonzero(first & (key_codes >= 0))[0]
    kw = pd.DataFrame({
        "work_id": pd.arrays.ArrowStringArray(pc.take(arrow_strings(works["work_id"]), arrow.array(row[keep]))),
        "keyword": pd.arrays.ArrowStringArray(pc.take(spelling, arrow.array(spelling_codes[keep]))),
        "keyword_key": pd.arrays.ArrowStringArray(pc.take(folded.dictionary, arrow.array(key_codes[keep]))),
        "kind": pd.arrays.ArrowStringArray(pc.take(arrow.array(["author", "index"]), arrow.array(kind[keep]))),
    })
    return kw[KEYWORD_COLUMNS]


def build_bank(paths: Sequence[str | Path] | str | Path, formats: dict[str, str] | None = None, *,
               cache: bool | str | Path = False) -> Bank:
    """Read bibliographic exports, deduplicate across all of them together, and return the bank (validated).

    Parameters
    ----------
    paths : list of str or Path, or one path
        Export files in any mix of formats (Scopus CSV/BibTeX, WoS plain text/tab-delimited, RIS, BibTeX,
        OpenAlex JSON/CSV, Crossref JSON; gzipped or not). A relative path is looked up in the current folder,
        then in the project root; ``"external:<name>"`` names a dataset of ``data/external.yml``.
    formats : dict, optional
        Forced formats (one of :data:`analysis.vigie.FORMATS`), keyed by an entry of ``paths`` as given, its
        resolved path or its file name; other files are detected by content.
    cache : bool or path, keyword-only
        ``True``: read the bank from the project cache (``data/processed/banks/<key>/``) when the key matches,
        else build it and store it there; a folder: the same with that folder; ``False`` (default): always build.
        The key is the sha256 of every input's name, sha256 and forced format, and of the code that builds banks
        (see :mod:`analysis.vigie.cache`).

    Returns
    -------
    Bank
        Works, authorships, work_keywords, ledger, rejections and duplicates, validated.

    Raises
    ------
    InputFormatError
        When no file is given, a file is missing, or a file cannot be read as its format (naming file and line).
    ParameterError
        When ``paths`` or ``formats`` is not what is expected.

    Examples
    --------
    >>> bank = build_bank(["../data/private/scopus.csv", "../data/private/savedrecs.txt"])  # doctest: +SKIP
    >>> bank.main_information()  # doctest: +SKIP
    """
    files = bank_inputs(paths, formats)
    if cache is False or cache is None or not all(p.is_file() for _, p, _ in files):
        return _build(files)  # a missing file: the reader names it
    return _cached_build(files, bank_cache.default_root() if cache is True else resolve_path(cache))


def bank_inputs(paths: Sequence[str | Path] | str | Path,
                formats: dict[str, str] | None = None) -> list[tuple[str, Path, str | None]]:
    """The files a bank is built from, as :func:`build_bank` sees them.

    Parameters
    ----------
    paths, formats
        As for :func:`build_bank`.

    Returns
    -------
    list of (name, path, format)
        The name the ledger and origins use (the file name; ``folder/name`` for a second file of the same name),
        the resolved path, and the forced format (None: detected).

    Raises
    ------
    InputFormatError
        When no file is given.
    ParameterError
        When ``paths`` or ``formats`` is not what is expected.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    require_type(paths, (list, tuple), "paths", hint="a list of export files")
    if not paths:
        raise InputFormatError("no input file given")
    if formats is not None:
        require_type(formats, dict, "formats", hint="a mapping file → format")
    files: list[tuple[str, Path, str | None]] = []
    names: list[str] = []
    for entry in paths:
        require_type(entry, (str, Path), "paths", hint="each item is a file path")
        path = resolve_path(entry)
        fmt = _forced_format(formats or {}, entry, path)
        name = path.name
        if name in names:  # same file name in two folders: keep origins unambiguous
            name = f"{path.parent.name}/{path.name}"
        names.append(name)
        files.append((name, path, fmt))
    return files


def cache_key(paths: Sequence[str | Path] | str | Path, formats: dict[str, str] | None = None) -> str:
    """The key under which :func:`build_bank` caches the bank of these files (they must exist).

    The sha256 of every input's name, sha256 and forced format, and of the code that builds banks
    (:mod:`analysis.vigie.cache`).

    Parameters
    ----------
    paths, formats
        As for :func:`build_bank`.

    Returns
    -------
    str
        64 hexadecimal digits.
    """
    return bank_cache.key_of(bank_cache.key_parts(bank_inputs(paths, formats)))


def _forced_format(formats: dict, entry: str | Path, path: Path) -> str | None:
    for key in (str(entry), str(path), path.name):
        if formats.get(key):
            return formats[key]
    return None


def _cached_build(files: list[tuple[str, Path, str | None]], root: Path) -> Bank:
    parts = bank_cache.key_parts(files)
    key = bank_cache.key_of(parts)
    folder = bank_cache.lookup(root, key, parts)
    if folder is not None:
        try:
            return read_parquet(folder)
        except (VigieError, OSError, ValueError, arrow.ArrowException):
            pass  # a damaged entry: build again and replace it
    bank = _build(files)
    bank_cache.store(root, key, parts, lambda target: write_parquet(bank, target), replace=folder is not None)
    return bank


def filter_bank(bank: Bank, year_min: int | None = None, year_max: int | None = None,
                languages: Sequence[str] | None = None) -> tuple[Bank, dict[str, int]]:
    """The bank restricted to a year window and languages (case-insensitive), with what was left out.

    Works of unknown year are left out only when a bound is set; works of unknown language are kept (many exports
    do not state it) and counted. A work in several languages ("English; French") is kept when one matches.
    Authorships and keywords follow their works; the ledger is unchanged.

    Parameters
    ----------
    bank : Bank
        The bank to filter.
    year_min, year_max : int, optional
        First and last publication year kept (None: no bound).
    languages : list of str, optional
        Languages kept as written in the exports (empty or None: all).

    Returns
    -------
    selected : Bank
        The selected works, authorships and keywords.
    counts : dict
        ``before``, ``kept``, ``out_of_years``, ``other_language`` and ``unknown_language_kept`` works.

    Raises
    ------
    ParameterError
        When ``bank`` is not a bank, or a bound is not a whole number.
    """
    require_bank(bank)
    for name, value in (("year_min", year_min), ("year_max", year_max)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, np.integer))):
            raise ParameterError(f"expected a whole number or None, got {value!r}", field=name)
    if languages is not None and isinstance(languages, str):
        languages = [languages]
    w = bank.works
    keep = pd.Series(True, index=w.index)
    year = w["year"].astype("Float64")
    out_years = pd.Series(False, index=w.index)
    if year_min is not None:
        out_years |= ~(year >= year_min).fillna(False)
    if year_max is not None:
        out_years |= ~(year <= year_max).fillna(False)
    keep &= ~out_years
    language_known = w["language"].notna() if "language" in w else pd.Series(False, index=w.index)
    out_language = pd.Series(False, index=w.index)
    if languages:
        wanted = {str(x).casefold() for x in languages}
        language = w["language"].astype(object).map(lambda v: str(v).casefold() if isinstance(v, str) else None)
        ok = language.map(lambda v: not isinstance(v, str) or any(p.strip() in wanted for p in v.split(";")))
        out_language = ~ok.astype(bool) & keep
        keep &= ok.astype(bool)
    kept_ids = set(w.loc[keep, "work_id"])
    new = dataclasses.replace(
        bank,
        works=w[keep].reset_index(drop=True),
        authorships=bank.authorships[bank.authorships["work_id"].isin(kept_ids)].reset_index(drop=True),
        work_keywords=bank.work_keywords[bank.work_keywords["work_id"].isin(kept_ids)].reset_index(drop=True),
    )
    counts = {"before": int(len(w)), "kept": int(keep.sum()), "out_of_years": int(out_years.sum()),
              "other_language": int(out_language.sum()),
              "unknown_language_kept": int((~language_known & keep).sum()) if languages else 0}
    return new, counts


def empty_bank() -> Bank:
    """A bank with no file and no work (every table with its columns and dtypes), e.g. when nothing could be read.

    Returns
    -------
    Bank
        Valid, with empty tables.
    """
    tables = {name: pd.DataFrame({c: pd.Series(dtype=dtype) for c, dtype in columns.items()})
              for name, columns in DTYPES.items()}
    return Bank(**tables)


def write_parquet(bank: Bank, directory: str | Path) -> dict[str, Path]:
    """Write each table of ``bank`` as ``<directory>/<table>.parquet``.

    Parameters
    ----------
    bank : Bank
        The bank to write.
    directory : str or Path
        Folder (created if needed).

    Returns
    -------
    dict
        Table name → path written.
    """
    require_type(bank, Bank, "bank", hint="build it with vigie.build_bank()")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    out = {}
    for name in Bank.TABLES:
        path = directory / f"{name}.parquet"
        getattr(bank, name).to_parquet(path, index=False)
        out[name] = path
    return out


# what a bank written by an earlier version lacks, and how it is filled when read back
_ADDED_TABLES = {"related"}
_ADDED_COLUMNS: dict[str, dict] = {
    "authorships": {"countries": lambda t: t["country"]},
    "ledger": {"repaired": lambda t: [0] * len(t)},
    "duplicates": {"kept_file": lambda t: [None] * len(t), "kept_record": lambda t: [None] * len(t)},
}


def read_parquet(directory: str | Path) -> Bank:
    """Read a bank written by :func:`write_parquet` (schemas and ledger checked again).

    Parameters
    ----------
    directory : str or Path
        Folder holding one ``<table>.parquet`` per table of :attr:`Bank.TABLES`.

    Returns
    -------
    Bank

    Raises
    ------
    InputFormatError
        When a table file is missing.
    SchemaError, DataIntegrityError
        When a table breaks its schema or the ledger does not balance.
    """
    directory = resolve_path(directory)
    tables = {}
    for name in Bank.TABLES:
        path = directory / f"{name}.parquet"
        if not path.exists():
            if name in _ADDED_TABLES:  # written before the table existed
                tables[name] = _empty(name)
                continue
            raise InputFormatError(f"bank table {name}.parquet is missing", path=directory)
        table = pd.read_parquet(path)
        for column, default in _ADDED_COLUMNS.get(name, {}).items():  # columns added since it was written
            if column not in table.columns:
                table[column] = pd.Series(default(table), index=table.index, dtype=DTYPES[name][column])
        tables[name] = table
    bank = Bank(**tables)
    bank.validate()
    return bank


__all__ = ["Bank", "build_bank", "bank_inputs", "cache_key", "filter_bank", "empty_bank", "write_parquet",
           "read_parquet", "compute_keywords", "WORK_COLUMNS", "AUTHORSHIP_COLUMNS", "KEYWORD_COLUMNS",
           "LEDGER_COLUMNS", "REJECTION_COLUMNS", "DUPLICATE_COLUMNS", "RELATED_COLUMNS", "AUTHOR_COLUMNS"]
