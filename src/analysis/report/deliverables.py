"""Presentation of « Livrables de la Vigie » (``notebooks/vigie_livrables.ipynb``): the deliverables the CQCM roadmap
asks of the Vigie, each a section of the report (and the publication bank a page of its own):

- « Banque de publications »: :func:`write_bank_page` writes ``banque_publications.html`` beside the report, a
  self-contained page (the catalogue as embedded JSON, filters and CSV/BibTeX/RIS downloads in inline JavaScript,
  template ``templates/bank/``) that works offline from the disk; :func:`show_bank` introduces and links it;
- « Pratiques innovantes »: :func:`show_practices`, the inventory with each practice's source;
- « Problèmes de recherche »: :func:`show_problems`, practice vs literature per domain with the evidence;
- « Répertoire des chercheurs »: :func:`show_directory_rule`, :func:`show_directory`, :func:`show_directory_review`;
- « Stratégie de veille »: :func:`show_strategy`, written from ``data/raw/vigie/strategy.yaml``.

Every word comes from ``labels/livrables.yaml`` (codes of the domain named there), every number from
:mod:`analysis.report.fmt`; every value from the data is escaped (HTML built here goes through :func:`html.escape`,
the bank page puts data in the page through ``textContent`` only). Sections the report cannot fill say why.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd

from analysis import vigie
from analysis.core import paths
from analysis.report import display, fmt, provenance
from analysis.report.figures.vigie import issue_labels, theme_labels
from analysis.report.labels import t
from analysis.vigie import catalogue as cat
from analysis.vigie.inputs import EXTERNAL_PREFIX, entry_name
from analysis.vigie.practices import practice_sources
from analysis.vigie.problems import STATUSES
from analysis.vigie.watch import Strategy, query_request

STEM = "vigie_livrables"
BANK_PAGE = "banque_publications.html"
BANK_FILE_STEM = "banque_publications"
TEMPLATES = Path(__file__).resolve().parent / "templates"
BANK_TEMPLATE = "bank"
SECTIONS = ("sec_bank", "sec_practices", "sec_problems", "sec_directory", "sec_strategy")
SEED_DOCS = {"000_c0319b767be08c98.txt": "doc_roadmap", "001_c3ac60c887b6448f.txt": "doc_casebook",
             "002_f21945bfe187b534.txt": "doc_press_release"}
PRACTICES_FILE = paths.RAW / "vigie" / "practices.csv"
REVIEW_FILE = paths.RAW / "vigie" / "directory_review.csv"
STRATEGY_FILE = paths.RAW / "vigie" / "strategy.yaml"
_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES / BANK_TEMPLATE)), autoescape=True,
                          undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
# labels the bank page's JavaScript uses (``L`` in bank.js), from livrables.yaml (prefix ``page_``)
_JS_LABELS = ("et_al", "doi", "no_doi", "themes", "no_theme", "origins", "cited", "status", "none", "more",
              "unknown_language", "origin_note")
_PAGE_LABELS = ("title", "skip", "back", "noscript", "filters", "search", "search_placeholder", "year_from",
                "year_to", "theme", "all_themes", "source", "type", "all_types", "language", "all_languages", "origin",
                "all_origins", "sort", "sort_year_desc", "sort_year_asc", "sort_title", "sort_cited", "sort_bank",
                "reset", "download", "download_works", "back_to_top")


@dataclass(frozen=True)
class Context:
    """What every display call of the report needs.

    Attributes
    ----------
    lang : {"fr", "en"}
    files : tuple of str
        Names of the corpus files read into the bank.
    seed : int
        Seed of the directory's review sample.
    """

    lang: str = "fr"
    files: tuple[str, ...] = ()
    seed: int = 42

    def t(self, key: str, **fields: object) -> str:
        """The ``livrables.<key>`` label in the report's language.

        Parameters
        ----------
        key : str
        **fields
            Values of the label's fields.

        Returns
        -------
        str
        """
        return t(f"livrables.{key}", self.lang, **fields)

    @property
    def source(self) -> str:
        """The source line of the bank's tables."""
        return self.t("source_bank", files=", ".join(self.files)) if self.files else ""


def context(params: Mapping[str, Any]) -> Context:
    """The report's :class:`Context` from its checked parameters.

    Parameters
    ----------
    params : dict
        ``corpus``, ``lang``, ``seed``.

    Returns
    -------
    Context
    """
    found, _ = vigie.find_inputs(params["corpus"])
    return Context(lang=params.get("lang", "fr"), files=tuple(entry_name(e) for e in found),
                   seed=int(params.get("seed", 42)))


def count_text(key: str, n: int, lang: str = "fr") -> str:
    """A count with its noun from the catalogue: ``livrables.<key>_zero`` for 0 and ``<key>_one`` for 1 when the
    catalogue has them, else ``<key>`` (``count_text("count_practices", 1)`` → « 1 pratique »).

    Parameters
    ----------
    key : str
        A ``livrables`` entry with a ``{n}`` field.
    n : int
    lang : {"fr", "en"}

    Returns
    -------
    str
    """
    for variant, applies in (("_zero", n == 0), ("_one", n == 1)):
        if applies:
            try:
                return t(f"livrables.{key}{variant}", lang, n=fmt.integer(n, lang))
            except KeyError:
                pass
    return t(f"livrables.{key}", lang, n=fmt.integer(n, lang))


def _publish_html(body: str, plain: str) -> None:
    display.publish({"text/html": body, "text/plain": plain})


def _e(value: object) -> str:
    return html.escape("" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value))


def section_anchor(key: str, lang: str = "fr") -> str:
    """The id the rendered report gives the heading of a section (``sec_bank`` → ``banque-de-publications``).

    Parameters
    ----------
    key : str
        One of :data:`SECTIONS`.
    lang : {"fr", "en"}

    Returns
    -------
    str
    """
    return display.slug(t(f"livrables.{key}", lang))


def show_intro(R: Context) -> None:
    """The report's opening paragraph, with a link to each deliverable's section (and the few styles the report
    adds to the page, ``templates/livrables/livrables.css``).

    Parameters
    ----------
    R : Context
    """
    css = (TEMPLATES / "livrables" / "livrables.css").read_text(encoding="utf-8")
    display.publish({"text/html": f"<style>{css}</style>", "text/plain": ""})
    links = {k: f"[{R.t(k)}](#{section_anchor(k, R.lang)})" for k in SECTIONS}
    display.show_text(R.t("intro", **{k.removeprefix("sec_"): v for k, v in links.items()}))


# ---- the publication bank ------------------------------------------------------------------------------------------


def _index(values: Sequence[object]) -> tuple[list[str], dict[str, int]]:
    names = sorted({str(v) for v in values if isinstance(v, str) and v.strip()}, key=lambda s: (s.casefold(), s))
    return names, {n: i for i, n in enumerate(names)}


def _num(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _text_or_none(value: object) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "" else str(value)


def bank_page_data(catalogue: pd.DataFrame, themes: vigie.ThemeDictionary, R: Context, page_size: int = 50,
                   max_authors: int = 3) -> dict[str, Any]:
    """What the bank page embeds: the catalogue as compact rows, the lookup lists, the labels and the CSV headers.

    Rows: ``[work_id, title, year, doi, source, type, language, cited_by, authors, themes, origins, keywords]``,
    ``source``/``type``/``language`` and themes as indexes into ``sources``/``types``/``languages``/``themes``,
    origins as ``[file index, record]``.

    Parameters
    ----------
    catalogue : DataFrame
        :func:`analysis.vigie.catalogue.compute_catalogue`.
    themes : ThemeDictionary
    R : Context
    page_size : int
        Works shown at a time.
    max_authors : int
        Authors shown before « et al. ».

    Returns
    -------
    dict
    """
    names = theme_labels(themes, R.lang)
    theme_ids = [th.id for th in themes.themes]
    extra = sorted({x for row in catalogue["themes"] for x in row} - set(theme_ids))
    theme_ids += extra
    theme_index = {tid: i for i, tid in enumerate(theme_ids)}
    sources, s_idx = _index(catalogue["source_title"].tolist())
    types, t_idx = _index(catalogue["doc_type"].tolist())
    languages, l_idx = _index(catalogue["language"].tolist())
    files, f_idx = _index([f for row in catalogue["files"] for f in row])
    rows = []
    for r in catalogue.itertuples(index=False):
        origins = [[f_idx[o.rsplit("#", 1)[0]], o.rsplit("#", 1)[1] if "#" in o else ""] for o in r.origins]
        rows.append([r.work_id, "" if pd.isna(r.title) else str(r.title), _num(r.year), _text_or_none(r.doi),
                     s_idx.get(r.source_title) if isinstance(r.source_title, str) else None,
                     t_idx.get(r.doc_type) if isinstance(r.doc_type, str) else None,
                     l_idx.get(r.language) if isinstance(r.language, str) else None, _num(r.cited_by),
                     [str(a) for a in r.authors], [theme_index[x] for x in r.themes], origins,
                     _text_or_none(r.author_keywords)])
    labels = {k: R.t(f"page_{k}") for k in _JS_LABELS} | {"colon": t("common.colon", R.lang)}
    headers = {c: R.t(f"csv_{c}") for c in cat.CSV_COLUMNS}
    return {"works": rows, "sources": sources, "types": types, "languages": languages, "files": files,
            "themes": [[tid, names.get(tid, tid)] for tid in theme_ids], "labels": labels,
            "csv_columns": list(cat.CSV_COLUMNS), "csv_headers": headers, "doi_url": cat.DOI_URL,
            "thousands": fmt.integer(1000, R.lang)[1:-3], "page_size": page_size, "max_authors": max_authors,
            "file_stem": BANK_FILE_STEM}


def script_json(data: object) -> str:
    """JSON text safe inside ``<script type="application/json">``: ``<``, ``>``, ``&`` and the line separators
    U+2028/U+2029 written as ``\\uXXXX`` escapes (``</script>`` in a title can never close the element).

    Parameters
    ----------
    data : object
        Anything :func:`json.dumps` takes.

    Returns
    -------
    str
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def bank_page_html(catalogue: pd.DataFrame, themes: vigie.ThemeDictionary, R: Context, data_version: str,
                   back_href: str = "../../index.html", page_size: int = 50) -> str:
    """The bank browser page: self-contained HTML (styles, script and data inline; no external file).

    Parameters
    ----------
    catalogue : DataFrame
        :func:`analysis.vigie.catalogue.compute_catalogue`.
    themes : ThemeDictionary
    R : Context
    data_version : str
        Short hash of the raw data manifest (shown in the header).
    back_href : str
        Link back to the reports' index (relative to the page).
    page_size : int
        Works shown at a time.

    Returns
    -------
    str
    """
    data = bank_page_data(catalogue, themes, R, page_size)
    years = catalogue["year"].dropna()
    span = f"{fmt.year(years.min())}–{fmt.year(years.max())}" if len(years) else fmt.MISSING
    n = fmt.integer(len(catalogue), R.lang)
    L = {k: R.t(f"page_{k}") for k in _PAGE_LABELS} | {"project": t("render.project", R.lang)}
    return _ENV.get_template("bank.html.j2").render(
        html_lang=t("render.html_lang", R.lang), L=L, css=(TEMPLATES / BANK_TEMPLATE / "bank.css").read_text("utf-8"),
        js=(TEMPLATES / BANK_TEMPLATE / "bank.js").read_text("utf-8"), data=script_json(data),
        subtitle=R.t("page_subtitle", n=n, years=span), n_works=n, back_href=back_href,
        meta=[(R.t("page_corpus"), ", ".join(R.files) or fmt.MISSING),
              (t("render.data_version", R.lang), data_version)],
        footer=R.t("page_footer", notebook=f"notebooks/{STEM}.ipynb"))


def data_version() -> str:
    """Short hash of the raw data manifest, shown on the bank page (:func:`analysis.report.provenance.data_version`).

    Returns
    -------
    str
    """
    return provenance.data_version()


def write_bank_page(page: str, folder: Path | None = None) -> Path | None:
    """Write the bank page as ``banque_publications.html`` into the report's folder while ``make reports``
    renders it (:func:`analysis.report.display.report_dir`); nothing outside a render.

    Parameters
    ----------
    page : str
        :func:`bank_page_html`.
    folder : Path, optional
        Another folder (tests).

    Returns
    -------
    Path or None
        The file written.
    """
    folder = folder if folder is not None else display.report_dir()
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / BANK_PAGE
    target.write_text(page, encoding="utf-8")
    return target


def page_size_text(n_bytes: int, lang: str = "fr") -> str:
    """A page's size for a reader: ``812 ko`` under a megabyte, else ``1,4 Mo`` (``kB``/``MB`` in English).

    Parameters
    ----------
    n_bytes : int
    lang : {"fr", "en"}

    Returns
    -------
    str
    """
    if n_bytes >= 1_000_000:
        return t("livrables.size_mb", lang, n=fmt.number(n_bytes / 1_000_000, 1, lang))
    return t("livrables.size_kb", lang, n=fmt.integer(round(n_bytes / 1000), lang))


def show_bank(catalogue: pd.DataFrame, page: str, written: Path | None, R: Context) -> None:
    """Section « Banque de publications »: what the bank holds, the link to its page, and that page's size.

    Parameters
    ----------
    catalogue : DataFrame
        :func:`analysis.vigie.catalogue.compute_catalogue` of the report's bank.
    page : str
        :func:`bank_page_html` (its size is shown).
    written : Path or None
        :func:`write_bank_page`'s result (None outside a render: a note says where the page goes).
    R : Context
    """
    lang = R.lang
    if catalogue.empty:
        display.show_note(R.t("bank_empty"), kind="missing")
        return
    years = catalogue["year"].dropna()
    themed = int((catalogue["themes"].map(len) > 0).sum())
    with_doi = int(catalogue["doi"].notna().sum())
    display.show_text(R.t("bank_text", n=fmt.integer(len(catalogue), lang), files=", ".join(R.files),
                          first=fmt.year(years.min()) if len(years) else fmt.MISSING,
                          last=fmt.year(years.max()) if len(years) else fmt.MISSING,
                          themed=fmt.integer(themed, lang),
                          share=fmt.percent(themed / len(catalogue), 1, lang, ratio=True),
                          doi=fmt.integer(with_doi, lang)))
    size = page_size_text(len(page.encode("utf-8")), lang)
    link = (f'<p class="vigie-open"><a class="vigie-button" href="{_e(BANK_PAGE)}">{_e(R.t("bank_open"))}</a> '
            f'<span class="vigie-source">{_e(R.t("bank_page_facts", size=size))}</span></p>')
    _publish_html(link, f"{R.t('bank_open')}: {BANK_PAGE} ({size})")
    if written is None:
        display.show_note(R.t("bank_not_written", file=BANK_PAGE), kind="info")
    counts = []
    for column, label in (("doc_type", "col_doc_type"), ("files", "col_origin")):
        values = catalogue[column].explode() if column == "files" else catalogue[column]
        c = values.astype(object).fillna(R.t("unknown")).value_counts().rename_axis("value").reset_index(name="n")
        c = c.sort_values(["n", "value"], ascending=[False, True], kind="mergesort")
        counts.append(c.assign(what=R.t(label)))
    table = pd.concat(counts, ignore_index=True)
    display.show_table(table, columns={"what": R.t("col_dimension"), "value": R.t("col_value"),
                                       "n": R.t("col_documents")},
                       caption=R.t("cap_bank_content"), lang=lang, max_rows=None, source=R.source)


# ---- practices ---------------------------------------------------------------------------------------------------


def practice_source_text(row: Mapping[str, Any], lang: str = "fr") -> str:
    """Where a practice comes from, in words: « Cas : Le Grenier boréal — TIESS (2022), Cahier de cas, §…, l. 305 ».

    Parameters
    ----------
    row : mapping
        A row of :func:`analysis.vigie.practices.practice_sources` with the practice's ``actor``.
    lang : {"fr", "en"}

    Returns
    -------
    str
    """
    if row.get("kind") == "case":
        head = t("livrables.source_case", lang, name=row.get("actor"))
    elif row.get("kind") == "lever":
        head = t("livrables.source_lever", lang, n=int(row["lever"]))
    else:
        head = t("livrables.source_other", lang)
    doc = SEED_DOCS.get(str(row.get("source_doc")))
    lines = row.get("seed_lines")
    lines = list(lines) if lines is not None and not isinstance(lines, float) else []
    parts = [t(f"livrables.{doc}", lang) if doc else str(row.get("source_doc")), str(row.get("source_section") or "")]
    if lines:
        parts.append(t("livrables.source_lines", lang, lines=", ".join(str(x) for x in lines)))
    return f"{head} — " + ", ".join(p for p in parts if p)


def _description_column(R: Context) -> str:
    return R.t("description_column")


def practice_table(practices: pd.DataFrame, themes: vigie.ThemeDictionary, lang: str = "fr") -> pd.DataFrame:
    """The inventory as the reader sees it: one row per practice, codes in words, its source in words.

    Parameters
    ----------
    practices : DataFrame
        :func:`analysis.vigie.load_practices`.
    themes : ThemeDictionary
        For the issues' names.
    lang : {"fr", "en"}

    Returns
    -------
    DataFrame
        ``practice_id``, ``description``, ``actor``, ``type``, ``issues``, ``sector``, ``region``, ``year``,
        ``source`` (see :func:`practice_source_text`); in the inventory's order.
    """
    issues = issue_labels(themes, lang)
    rows = practices.drop(columns=["case_id", "source_doc", "source_section", "seed_lines"]).merge(
        practice_sources(practices), on="practice_id")
    return pd.DataFrame({
        "practice_id": rows["practice_id"],
        "description": rows[t("livrables.description_column", lang)],
        "actor": rows[t("livrables.actor_column", lang)],
        "type": rows["innovation_type"].map(lambda c: t(f"vigie.type_{c}", lang)),
        "issues": rows["priority_issue"].map(lambda v: "; ".join(issues.get(x, x) for x in str(v).split(";") if x)),
        "sector": rows["sector"].map(lambda c: t(f"livrables.sector_{c}", lang)),
        "region": rows["region"].astype(object).where(rows["region"].notna(), None),
        "year": rows["year"],
        "source": [practice_source_text(r, lang) for r in rows.to_dict("records")],
    })


def show_practices(practices: pd.DataFrame, themes: vigie.ThemeDictionary, R: Context) -> None:
    """Section « Pratiques innovantes »: every practice of the inventory with what it is, who carries it, where,
    and its source (case or lever, document, section, lines), one block each; the whole table as CSV.

    Parameters
    ----------
    practices : DataFrame
        :func:`analysis.vigie.load_practices`.
    themes : ThemeDictionary
        For the issues' names.
    R : Context
    """
    lang = R.lang
    src = practice_sources(practices)
    counts = src["kind"].value_counts()
    display.show_text(R.t("practices_text", n=fmt.integer(len(practices), lang),
                          cases=fmt.integer(int(counts.get("case", 0)), lang),
                          n_cases=fmt.integer(int(src["case_id"].nunique()), lang),
                          levers=fmt.integer(int(counts.get("lever", 0)), lang),
                          n_levers=fmt.integer(int(src["lever"].nunique()), lang)))
    table = practice_table(practices, themes, lang)
    colon = t("common.colon", lang)
    items = []
    for r in table.to_dict("records"):
        facts = [r["type"], r["sector"], r["region"] or R.t("region_unspecified"),
                 fmt.year(r["year"]) if not fmt._is_missing(r["year"]) else None]
        items.append(
            f'<li id="{_e(r["practice_id"])}"><p class="vigie-practice-head"><strong>{_e(r["practice_id"])}</strong> '
            f'{_e(r["description"])}</p><p class="vigie-practice-facts">{_e(r["actor"])} · '
            f'{_e(" · ".join(x for x in facts if x))}<br>{_e(R.t("col_issues"))}{_e(colon)}{_e(r["issues"])}</p>'
            f'<p class="vigie-practice-source">{_e(R.t("col_source"))}{_e(colon)}{_e(r["source"])}</p></li>')
    export = table.rename(columns={
        "practice_id": R.t("col_practice_id"), "description": R.t("col_practice"), "actor": R.t("col_actor"),
        "type": R.t("col_type"), "issues": R.t("col_issues"), "sector": R.t("col_sector"),
        "region": R.t("col_region"), "year": R.t("col_year"), "source": R.t("col_source")})
    link = display.export_csv(export, "pratiques_innovantes")
    source = display.source_html(R.t("source_practices"), lang)
    foot = (f'<p class="vigie-table-foot"><span class="vigie-source">{source}</span> · '
            f'<a class="vigie-csv" href="{_e(link)}">{_e(t("common.download_csv", lang))}</a></p>')
    plain = "\n".join(f"{r['practice_id']} {r['description']} — {r['source']}" for r in table.to_dict("records"))
    _publish_html(f'<p class="vigie-caption">{_e(R.t("cap_practices"))}</p><ol class="vigie-practices">'
                  f'{"".join(items)}</ol>{foot}', f"{R.t('cap_practices')}\n{plain}")
    display.show_note(R.t("practices_note", cases=fmt.integer(int(counts.get("case", 0)), lang),
                          n=fmt.integer(len(practices), lang)), kind="info")


# ---- research problems -------------------------------------------------------------------------------------------


def _points(gap: float, lang: str) -> str:
    sign = "+" if gap > 0 else ""
    return t("livrables.points", lang, n=sign + fmt.number(gap * 100, 1, lang))


def show_problems_method(domains: pd.DataFrame, R: Context) -> None:
    """Section « Problèmes de recherche », first part: how practice and literature are compared, and how many
    domains are research problems.

    Parameters
    ----------
    domains : DataFrame
        :func:`analysis.vigie.problems.compute_problem_domains`.
    R : Context
    """
    lang = R.lang
    n_themed = int(domains["n_themed_works"].iloc[0]) if len(domains) else 0
    display.show_text(R.t("problems_method", n_themed=fmt.integer(n_themed, lang)))
    if n_themed == 0:
        display.show_note(R.t("problems_no_literature"), kind="warning")
        return
    found = domains[domains["status"] == "thin_research"]
    names = ", ".join(domains.loc[found.index, "theme"])
    display.show_text(R.t("problems_found", domains=count_text("count_problem_domains", len(found), lang))
                      if len(found) and names else R.t("problems_none"))


def show_problem_table(domains: pd.DataFrame, themes: vigie.ThemeDictionary, R: Context) -> None:
    """The summary table of the problem inventory: one row per domain (CSV export).

    Parameters
    ----------
    domains : DataFrame
        :func:`analysis.vigie.problems.compute_problem_domains`.
    themes : ThemeDictionary
    R : Context
    """
    lang = R.lang
    shown = domains.assign(theme=domains["theme"].map(theme_labels(themes, lang)),
                           issue=domains["issue"].map(issue_labels(themes, lang)),
                           status=domains["status"].map(lambda s: R.t(f"status_{s}")),
                           gap=domains["gap"] * 100)
    display.show_table(shown, columns={
        "theme": R.t("col_domain"), "issue": R.t("col_issue"), "status": R.t("col_status"),
        "n_practices": R.t("col_n_practices"), "practice_share": R.t("col_practice_share"),
        "n_works": R.t("col_documents"), "literature_share": R.t("col_literature_share"),
        "gap": R.t("col_gap_points"), "n_researchers": R.t("col_n_researchers")},
        formats={"practice_share": "share", "literature_share": "share", "gap": "num1"},
        caption=R.t("cap_problems"), lang=lang, max_rows=None, export="problemes_recherche", source=R.source)


def work_item_html(row: Mapping[str, Any], lang: str = "fr") -> str:
    """One work as an HTML list item: its title linked to its DOI (when it has one), year and citations; escaped.

    Parameters
    ----------
    row : mapping
        ``title``, ``year``, ``doi``, ``cited_by``.
    lang : {"fr", "en"}

    Returns
    -------
    str
    """
    title = f"<cite>{_e(row.get('title'))}</cite>"  # a work's title: data, in its own language
    url = cat.doi_url(row.get("doi"))
    head = f'<a href="{_e(url)}">{title}</a>' if url else title
    facts = [fmt.year(row.get("year"))]
    if not fmt._is_missing(row.get("cited_by")):
        facts.append(t("livrables.cited_n", lang, n=fmt.integer(row.get("cited_by"), lang)))
    return f'<li>{head} <span class="vigie-source">({_e(" · ".join(facts))})</span></li>'


def show_problem_details(domains: pd.DataFrame, examples: pd.DataFrame, keywords: pd.DataFrame,
                         practices: pd.DataFrame, themes: vigie.ThemeDictionary, R: Context) -> None:
    """One block per practice domain (themes the practices touch): what the practices show, what the literature
    covers (works, Québec researchers, distinctive keywords, works to read first with their DOI), and the gap; then
    the domains the literature covers without any practice, in one sentence.

    Parameters
    ----------
    domains : DataFrame
        :func:`analysis.vigie.problems.compute_problem_domains`.
    examples : DataFrame
        :func:`analysis.vigie.problems.compute_problem_examples`.
    keywords : DataFrame
        :func:`analysis.vigie.problems.compute_problem_keywords`.
    practices : DataFrame
        The inventory (the practices' descriptions).
    themes : ThemeDictionary
    R : Context
    """
    lang = R.lang
    names = theme_labels(themes, lang)
    issues = issue_labels(themes, lang)
    text_of = practices.set_index("practice_id")[_description_column(R)]
    actor_of = practices.set_index("practice_id")[R.t("actor_column")]
    colon = t("common.colon", lang)
    for d in domains[domains["n_practices"] > 0].to_dict("records"):
        display.show_heading(R.t("problem_heading", theme=names.get(d["theme"], d["theme"]),
                                 status=R.t(f"status_{d['status']}")), 3)
        ids = [x for x in d["practice_ids"].split("; ") if x]
        origin = [count_text(k, int(d[c]), lang) for k, c in (("count_cases", "n_cases"), ("count_levers", "n_levers"))
                  if d[c]]
        practice_line = R.t("problem_practice", practices=count_text("count_practices", int(d["n_practices"]), lang),
                            share=fmt.percent(d["practice_share"], 1, lang, ratio=True),
                            sources=R.t("and_join", first=origin[0], second=origin[1]) if len(origin) == 2
                            else "".join(origin), issue=issues.get(d["issue"], d["issue"]))
        items = "".join(f'<li><a href="#{_e(p)}"><strong>{_e(p)}</strong></a> {_e(text_of.get(p))} '
                        f'<span class="vigie-source">({_e(actor_of.get(p))})</span></li>' for p in ids)
        kw = keywords[keywords["theme"] == d["theme"]]
        kw_text = "; ".join(f"{k} ({fmt.integer(n, lang)})" for k, n in zip(kw["keyword"], kw["n_works"]))
        research_line = R.t("problem_research", documents=count_text("count_documents", int(d["n_works"]), lang),
                            share=fmt.percent(d["literature_share"], 1, lang, ratio=True),
                            n_themed=fmt.integer(d["n_themed_works"], lang),
                            researchers=count_text("count_researchers", int(d["n_researchers"]), lang))
        ex = examples[examples["theme"] == d["theme"]].to_dict("records")
        gap_line = R.t(f"problem_gap_{d['status']}", points=_points(d["gap"], lang))
        parts = [f"<p><strong>{_e(R.t('problem_practice_head'))}</strong>{_e(colon)}{_e(practice_line)}</p>",
                 f'<details class="vigie-details"><summary>{_e(count_text("problem_practice_list", len(ids), lang))}'
                 f"</summary><ul>{items}</ul></details>",
                 f"<p><strong>{_e(R.t('problem_research_head'))}</strong>{_e(colon)}{_e(research_line)}</p>"]
        if kw_text:
            parts.append(f"<p>{_e(R.t('problem_keywords', keywords=kw_text))}</p>")
        if ex:
            cited = any(not fmt._is_missing(w.get("cited_by")) for w in ex)
            parts.append(f"<p>{_e(R.t('problem_examples' if cited else 'problem_examples_recent'))}</p><ol>"
                         + "".join(work_item_html(w, lang) for w in ex) + "</ol>")
        parts.append(f"<p><strong>{_e(R.t('problem_gap_head'))}</strong>{_e(colon)}{_e(gap_line)}</p>")
        plain = "\n".join([practice_line, research_line, gap_line])
        _publish_html(f'<div class="vigie-problem">{"".join(parts)}</div>', plain)
    rest = domains[domains["n_practices"] == 0]
    if len(rest):
        listed = "; ".join(f"{names.get(x, x)} ({fmt.integer(n, lang)})"
                           for x, n in zip(rest["theme"], rest["n_works"]))
        display.show_text(R.t("problems_research_only", themes=listed))


# ---- directory of researchers ------------------------------------------------------------------------------------


def _institution(value: object, lang: str) -> str:
    return t("vigie.other_quebec", lang) if value == vigie.OTHER_QUEBEC else ("" if pd.isna(value) else str(value))


def reasons_text(codes: str, lang: str = "fr") -> str:
    """The « à vérifier » reason codes of a directory entry in words (``"; "``-joined), empty for none.

    Parameters
    ----------
    codes : str
        ``check_reasons`` of :func:`analysis.vigie.compute_directory`.
    lang : {"fr", "en"}

    Returns
    -------
    str
    """
    return "; ".join(t(f"livrables.reason_{c}", lang) for c in str(codes or "").split("; ") if c)


def show_directory_rule(directory: pd.DataFrame, former: pd.DataFrame, R: Context) -> None:
    """Section « Répertoire des chercheurs », first part: how an author is attributed to Québec, why an entry is
    « à vérifier », and what the rule changes compared with the former one.

    Parameters
    ----------
    directory : DataFrame
        :func:`analysis.vigie.compute_directory` (rule ``own``).
    former : DataFrame
        The same with ``rule="record"`` (the former rule).
    R : Context
    """
    lang = R.lang
    display.show_text(R.t("directory_rule"))
    display.show_text(R.t("directory_counts", n=fmt.integer(len(directory), lang),
                          check=fmt.integer(int(directory["to_check"].sum()) if len(directory) else 0, lang),
                          former=fmt.integer(len(former), lang),
                          former_check=fmt.integer(int(former["to_check"].sum()) if len(former) else 0, lang),
                          dropped=fmt.integer(len(set(former.get("key", [])) - set(directory.get("key", []))),
                                              lang)))


def show_directory(directory: pd.DataFrame, researcher_works: pd.DataFrame, themes: vigie.ThemeDictionary,
                   R: Context) -> None:
    """The directory: one row per researcher (CSV export), then each researcher's works with the affiliation text
    each rests on, years and the reason for any « à vérifier ».

    Parameters
    ----------
    directory : DataFrame
        :func:`analysis.vigie.compute_directory`.
    researcher_works : DataFrame
        :func:`analysis.vigie.compute_researcher_works` of that directory.
    themes : ThemeDictionary
    R : Context
    """
    lang = R.lang
    if directory.empty:
        display.show_note(R.t("directory_none"), kind="info")
        return
    labels = theme_labels(themes, lang)
    shown = directory.assign(
        institution=directory["institution"].map(lambda v: _institution(v, lang)),
        years=[f"{fmt.year(a)}–{fmt.year(b)}" if a != b else fmt.year(a)
               for a, b in zip(directory["first_year"], directory["last_year"])],
        themes=directory["themes"].map(lambda s: "; ".join(labels.get(x, x) for x in s.split("; ")) if s else ""),
        reasons=directory["check_reasons"].map(lambda c: reasons_text(c, lang)))
    display.show_table(shown, columns={
        "author_full": R.t("col_researcher"), "institution": R.t("col_institution"),
        "n_works": R.t("col_documents"), "n_quebec_works": R.t("col_quebec_works"), "years": R.t("col_years"),
        "themes": R.t("col_themes"), "reasons": R.t("col_to_check")},
        caption=R.t("cap_directory"), lang=lang, max_rows=None, export="repertoire_chercheurs", source=R.source)
    blocks = []
    for person in directory.to_dict("records"):
        mine = researcher_works[researcher_works["key"] == person["key"]].to_dict("records")
        items = []
        for w in mine:
            url = cat.doi_url(w["doi"])
            cited = f"<cite>{_e(w['title'])}</cite>"  # a work's title: data, in its own language
            title = f'<a href="{_e(url)}">{cited}</a>' if url else cited
            basis = R.t(f"basis_{w['basis']}") if isinstance(w["basis"], str) else R.t("basis_none")
            aff = f'<br><span class="vigie-affiliation">{_e(w["affiliation"])}</span>' if isinstance(
                w["affiliation"], str) else ""
            items.append(f"<li>{_e(fmt.year(w['year']))} · {title} — <em>{_e(basis)}</em>{aff}</li>")
        reasons = reasons_text(person["check_reasons"], lang)
        flag = f' <span class="vigie-flag">{_e(R.t("to_check_flag", reasons=reasons))}</span>' if reasons else ""
        summary = R.t("directory_person", name=person["author_full"] or person["author"],
                      institution=_institution(person["institution"], lang),
                      documents=count_text("count_documents", int(person["n_works"]), lang))
        blocks.append(f'<details class="vigie-details"><summary>{_e(summary)}{flag}</summary>'
                      f"<ul>{''.join(items)}</ul></details>")
    _publish_html(f'<div class="vigie-directory"><p>{_e(R.t("directory_details"))}</p>{"".join(blocks)}</div>',
                  R.t("directory_details"))


def show_unattributed(unattributed: pd.DataFrame, works: pd.DataFrame, R: Context) -> None:
    """The works whose shared address list names a Québec institution no author could be given (none is hidden).

    Parameters
    ----------
    unattributed : DataFrame
        :func:`analysis.vigie.compute_unattributed_quebec`.
    works : DataFrame
        The bank's works (titles, DOIs).
    R : Context
    """
    lang = R.lang
    if unattributed.empty:
        return
    rows = unattributed.merge(works[["work_id", "title", "year", "doi", "cited_by"]], on="work_id", how="left")
    items = "".join(
        work_item_html(r, lang).removesuffix("</li>")
        + f'<br><span class="vigie-affiliation">{_e(R.t("unattributed_item", institutions=r["quebec_institutions"], authors=r["authors"], n_authors=fmt.integer(r["n_authors"], lang), n_addresses=fmt.integer(r["n_addresses"], lang)))}</span></li>'  # noqa: E501
        for r in rows.to_dict("records"))
    text = R.t("unattributed_text", n=fmt.integer(len(rows), lang))
    _publish_html(f'<div class="vigie-note vigie-note-info" role="note"><p>{_e(text)}</p><ul>{items}</ul></div>',
                  text)


def show_directory_review(labelled: pd.DataFrame, precision: Mapping[str, float], former_precision: Mapping[str, float],
                          size: int, R: Context) -> None:
    """The directory's precision on a hand-checked sample (Wilson 95 % interval), the former rule's for comparison,
    and the sample with each label.

    Parameters
    ----------
    labelled : DataFrame
        :func:`analysis.vigie.label_review_sample` of the directory's sample.
    precision : dict
        :func:`analysis.vigie.directory_precision` of ``labelled``.
    former_precision : dict
        The same for the former rule's directory.
    size : int
        Sample size asked (parameter ``review_sample_size``).
    R : Context
    """
    lang = R.lang
    if not precision["sampled"]:
        display.show_note(R.t("review_none"), kind="info")
        return
    if not precision["reviewed"]:
        display.show_note(R.t("review_not_here", n=fmt.integer(precision["sampled"], lang)), kind="info")
    else:
        _show_precision(precision, former_precision, size, R)
    if precision["reviewed"] and precision["unreviewed"]:
        display.show_note(R.t("review_unreviewed", n=fmt.integer(precision["unreviewed"], lang)), kind="warning")
    shown = labelled.assign(
        institution=labelled["institution"].map(lambda v: _institution(v, lang)),
        label=labelled["label"].map(lambda v: R.t(f"label_{v}") if isinstance(v, str) else R.t("label_none")),
        reason=labelled["reason"].map(lambda v: R.t(f"review_reason_{v}") if isinstance(v, str) else ""))
    display.show_table(shown, columns={"draw": R.t("col_draw"), "author_full": R.t("col_researcher"),
                                       "institution": R.t("col_institution"), "label": R.t("col_label"),
                                       "reason": R.t("col_reason")},
                       caption=R.t("cap_review"), lang=lang, max_rows=None, source=R.t("source_review"))


def _show_precision(precision: Mapping[str, float], former_precision: Mapping[str, float], size: int,
                    R: Context) -> None:
    lang = R.lang

    def pct(x: float) -> str:
        return fmt.percent(x, 1, lang, ratio=True)

    display.show_text(R.t("review_text", sampled=fmt.integer(precision["sampled"], lang), size=size, seed=R.seed,
                          quebec=fmt.integer(precision["quebec"], lang),
                          not_quebec=fmt.integer(precision["not_quebec"], lang),
                          unsure=fmt.integer(precision["unsure"], lang),
                          precision=pct(precision["precision"]), low=pct(precision["ci_low"]),
                          high=pct(precision["ci_high"]), order=fmt.integer(precision["by_list_order"], lang)))
    display.show_text(R.t("review_former", sampled=fmt.integer(former_precision["sampled"], lang),
                          quebec=fmt.integer(former_precision["quebec"], lang),
                          not_quebec=fmt.integer(former_precision["not_quebec"], lang),
                          unsure=fmt.integer(former_precision["unsure"], lang),
                          precision=pct(former_precision["precision"]), low=pct(former_precision["ci_low"]),
                          high=pct(former_precision["ci_high"])))


# ---- watch strategy ----------------------------------------------------------------------------------------------


def _terms(values: Sequence[str]) -> str:
    return ", ".join(values)


def show_strategy(strategy: Strategy, rules: Mapping[str, Mapping[str, Any]], themes: vigie.ThemeDictionary,
                  R: Context) -> None:
    """Section « Stratégie de veille », written from the strategy file: purpose, field vocabulary, sources, one
    query per theme (with the exact request of one), frequency, how an edition is made and the Table's shortlist
    rules (the editions themselves: :func:`show_editions`).

    Parameters
    ----------
    strategy : Strategy
        :func:`analysis.vigie.watch.load_strategy`.
    rules : dict
        :func:`analysis.vigie.watch.shortlist_rules` of the strategy.
    themes : ThemeDictionary
        The dictionary the queries follow (their names).
    R : Context
    """
    lang = R.lang
    purpose = strategy.data.get("purpose") or {}
    display.show_text(R.t("strategy_intro", file=paths.relative(strategy.path), hash=strategy.hash[:12],
                          purpose=purpose.get(lang) or purpose.get("fr") or ""))
    scope = pd.DataFrame({"lang": [R.t(f"lang_{x}") for x in strategy.scope],
                          "terms": [_terms(v) for v in strategy.scope.values()]})
    display.show_table(scope, columns={"lang": R.t("col_lang"), "terms": R.t("col_terms")},
                       caption=R.t("cap_scope"), lang=lang, max_rows=None, source=R.t("source_strategy"))
    oa = strategy.openalex
    sources = [{"source": "OpenAlex", "role": R.t("role_queried"), "formats": "openalex_json",
                "where": oa.base_url}]
    sources += [{"source": e.label.get(lang) or e.label.get("fr") or e.id, "role": R.t("role_exports"),
                 "formats": ", ".join(e.formats), "where": e.folder} for e in strategy.exports]
    display.show_table(pd.DataFrame(sources), columns={"source": R.t("col_source"), "role": R.t("col_role"),
                                                       "formats": R.t("col_formats"), "where": R.t("col_where")},
                       caption=R.t("cap_sources"), lang=lang, max_rows=None, source=R.t("source_strategy"),
                       identifiers=["formats", "where"])
    names = theme_labels(themes, lang)
    issues = issue_labels(themes, lang)
    issue_of = {th.id: th.issue for th in themes.themes}
    queries = pd.DataFrame([{
        "id": q.id, "theme": names.get(q.theme, q.theme) if q.theme else R.t("theme_general"),
        "issue": issues.get(issue_of.get(q.theme), "") if q.theme else "",
        "fr": _terms(q.terms.get("fr", ())), "en": _terms(q.terms.get("en", ()))} for q in strategy.queries])
    display.show_text(R.t("queries_text", n=fmt.integer(len(strategy.queries), lang),
                          n_themes=fmt.integer(sum(q.theme is not None for q in strategy.queries), lang)))
    display.show_table(queries, columns={"id": R.t("col_query"), "theme": R.t("col_theme"), "issue": R.t("col_issue"),
                                         "fr": R.t("col_terms_fr"), "en": R.t("col_terms_en")},
                       caption=R.t("cap_queries"), lang=lang, max_rows=None, export="strategie_requetes",
                       source=R.t("source_strategy"), identifiers=["id"])
    first = strategy.queries[0]
    request = query_request(strategy, first)
    display.show_table(pd.DataFrame({"name": list(request), "value": list(request.values())}),
                       columns={"name": R.t("col_parameter"), "value": R.t("col_value")},
                       caption=R.t("cap_request", query=first.id, url=f"{oa.base_url}/works"), lang=lang,
                       max_rows=None, identifiers=["name", "value"])
    settings = pd.DataFrame({"name": ["per_page", "daily_request_budget", "max_retries", "backoff_seconds", "filter"],
                             "value": [fmt.integer(oa.per_page, lang), fmt.integer(oa.daily_request_budget, lang),
                                       fmt.integer(oa.max_retries, lang), fmt.number(oa.backoff_seconds, 1, lang),
                                       oa.filter or fmt.MISSING]})
    settings["meaning"] = settings["name"].map(lambda n: R.t(f"setting_{n}"))
    display.show_table(settings, columns={"name": R.t("col_parameter"), "value": R.t("col_value"),
                                          "meaning": R.t("col_meaning")},
                       caption=R.t("cap_settings"), lang=lang, max_rows=None, source=R.t("source_strategy"),
                       identifiers=["name"])
    freq = strategy.frequency
    months = ", ".join(R.t(f"month_{m}") for m in freq.get("months") or [])
    display.show_text(R.t("frequency_text", frequency=R.t(f"frequency_{freq['editions']}"),
                          months=months or fmt.MISSING))
    folders = ", ".join(f"`{e.folder}`" for e in strategy.exports)
    display.show_text(R.t("update_steps", n=fmt.integer(len(strategy.queries), lang),
                          per_page=fmt.integer(oa.per_page, lang), budget=fmt.integer(oa.daily_request_budget, lang),
                          folders=folders))
    shown = pd.DataFrame([{"rule": R.t(f"rule_{name}"), "parameter": r["parameter"],
                           "value": json.dumps(r["value"], ensure_ascii=False),
                           "bounds": "" if r.get("min") is None and r.get("max") is None else
                           f"{'' if r.get('min') is None else r['min']}–{'' if r.get('max') is None else r['max']}"}
                          for name, r in rules.items()])
    display.show_text(R.t("rules_text"))
    display.show_table(shown, columns={"rule": R.t("col_rule"), "parameter": R.t("col_parameter"),
                                       "value": R.t("col_value"), "bounds": R.t("col_bounds")},
                       caption=R.t("cap_rules"), lang=lang, max_rows=None, source=R.t("source_strategy"),
                       identifiers=["parameter", "value"])  # as one writes them in a parameter set


def show_editions(editions: pd.DataFrame, R: Context) -> None:
    """The editions of the watch (oldest first), or how to make the first one.

    Parameters
    ----------
    editions : DataFrame
        :func:`analysis.vigie.watch.list_editions`.
    R : Context
    """
    lang = R.lang
    if editions.empty:
        display.show_note(R.t("editions_none"), kind="info")
        return
    shown = editions.assign(created_at=editions["created_at"].astype(str).str.slice(0, 10),
                            strategy_hash=editions["strategy_hash"].astype(str).str.slice(0, 12),
                            previous_edition=editions["previous_edition"].astype(object).fillna(fmt.MISSING))
    display.show_table(shown, columns={"edition_id": R.t("col_edition"), "created_at": R.t("col_date"),
                                       "previous_edition": R.t("col_previous"), "n_works": R.t("col_documents"),
                                       "n_queries": R.t("col_queries"), "strategy_hash": R.t("col_strategy_hash")},
                       caption=R.t("cap_editions", n=fmt.integer(len(editions), lang)), lang=lang, max_rows=None)


# ---- provenance --------------------------------------------------------------------------------------------------


def show_provenance(params: Mapping[str, Any]) -> None:
    """The closing provenance section: parameters, input files with their hashes, external datasets, versions.

    Parameters
    ----------
    params : dict
        The report's checked parameters.
    """
    found, _ = vigie.find_inputs(params["corpus"])
    inputs = [vigie.resolve_path(e) for e in found] + [
        vigie.resolve_path(params["themes"]), vigie.resolve_path(params["institutions"]), PRACTICES_FILE,
        REVIEW_FILE, STRATEGY_FILE]
    datasets = [entry_name(e) for e in params["corpus"] if str(e).startswith(EXTERNAL_PREFIX)]
    provenance.show_provenance(STEM, dict(params), inputs=inputs, datasets=datasets, lang=params.get("lang", "fr"))


__all__ = ["Context", "context", "section_anchor", "show_intro", "bank_page_data", "script_json", "bank_page_html",
           "write_bank_page", "page_size_text", "show_bank", "practice_source_text", "practice_table", "show_practices",
           "show_problems_method", "show_problem_table", "work_item_html", "show_problem_details", "reasons_text",
           "show_directory_rule", "show_directory", "show_unattributed", "show_directory_review", "show_strategy",
           "show_editions", "show_provenance", "BANK_PAGE", "SECTIONS", "STATUSES"]
