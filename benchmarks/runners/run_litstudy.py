"""litstudy: ``load_scopus_csv`` then a main-information summary from its histograms.

``--unique`` adds litstudy's own deduplication first.
"""

from __future__ import annotations

import sys

from _common import main

UNIQUE = "--unique" in sys.argv
if UNIQUE:
    sys.argv.remove("--unique")


def setup() -> str:
    global litstudy
    import importlib.metadata

    import litstudy

    return f"litstudy {importlib.metadata.version('litstudy')}"


def run_once(path: str) -> dict:
    docs = litstudy.load_scopus_csv(path)
    n_in = len(docs)
    if UNIQUE:
        docs = docs.unique()  # litstudy's own deduplication: pairwise, O(n^2)
    years = litstudy.compute_year_histogram(docs)
    sources = litstudy.compute_source_histogram(docs)
    doctypes = litstudy.compute_source_type_histogram(docs)
    authors = litstudy.compute_author_histogram(docs)
    n_authors_hist = litstudy.compute_number_authors_histogram(docs)
    keywords = {k for d in docs for k in (d.keywords or [])}
    citations = sum(d.citation_count or 0 for d in docs)
    summary = {
        "documents": len(docs),
        "years": len(years),
        "sources": len(sources),
        "doc_types": len(doctypes),
        "authors": len(authors),
        "author_count_bins": len(n_authors_hist),
        "keywords": len(keywords),
        "citations": citations,
    }
    return {"records_in": n_in, "records_out": len(docs), "summary_rows": len(summary)}


if __name__ == "__main__":
    sys.exit(main("litstudy" + (" + unique()" if UNIQUE else ""), setup, run_once))
