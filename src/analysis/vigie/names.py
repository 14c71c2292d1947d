"""Bibliographic text: author names, DOIs and affiliation countries, for the readers and the bank."""

from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.core.text import arrow_strings, clean_space, fold_arrow, normalize_key

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|doi\s+)", re.IGNORECASE)
def normalize_title(title: str | None) -> str | None:
    """Title key for deduplication: folded, lower case, punctuation and LaTeX braces/commands removed.

    Parameters
    ----------
    title : str or None

    Returns
    -------
    str or None
    """
    return normalize_key(title)


def normalize_doi(doi: str | None) -> str | None:
    """DOI in lower case without ``https://doi.org/`` or ``doi:`` prefix; None when it is not a DOI.

    Parameters
    ----------
    doi : str or None
        A DOI, a doi.org URL or ``doi:…``.

    Returns
    -------
    str or None
        ``10.…`` in lower case.
    """
    if doi is None or (not isinstance(doi, str) and pd.isna(doi)):
        return None
    text = str(doi).strip().replace("\\_", "_").replace("{", "").replace("}", "")
    # WoS sometimes gives "DOI [a, b]" lists; keep the first DOI-looking value.
    match = re.search(r"10\.\d{4,9}/\S+", _DOI_PREFIX.sub("", text))
    if not match:
        return None
    value = match.group(0).rstrip(".,;]}")
    return value.lower()


_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
_INITIALS_TAIL = re.compile(rf"^(?P<last>.+?)\s+(?P<init>(?:[{_UPPER}][a-z]?\.?-?\s*){{1,4}})$")


def _initials(given: str) -> str:
    """"Louis J." → "L.J.", "LJ" → "L.J.", "Jean-Pierre" → "J.-P.", "J.-P." → "J.-P."."""
    given = given.strip().strip(",")
    if not given:
        return ""
    parts: list[str] = []
    for word in re.split(r"[\s.]+", given):
        if not word:
            continue
        hyphen_parts = [p for p in word.split("-")]
        if len(hyphen_parts) > 1 and all(hyphen_parts):
            parts.append("-".join(p[0].upper() + "." for p in hyphen_parts))
        elif word.isupper() and len(word) <= 4 and word.isalpha():
            # WoS style "LJ": each capital is an initial
            parts.extend(ch + "." for ch in word)
        elif word.startswith("-") and word.strip("-"):
            parts.append("-" + word.strip("-")[0].upper() + ".")
        elif word.strip("-"):
            parts.append(word.strip("-")[0].upper() + ".")
    return "".join(parts)


def format_author(family: str | None, given: str | None = None) -> str | None:
    """"Last, F." from separate family and given names (Crossref, biblatex name parts).

    Parameters
    ----------
    family : str or None
    given : str, optional

    Returns
    -------
    str or None
        ``Last, F.``
    """
    family = clean_space(family)
    if not family:
        return clean_space(given)
    init = _initials(given or "")
    return f"{family}, {init}" if init else family


def normalize_author(name: str | None) -> str | None:
    """Author in "Last, F." form from "Last, First", "Last, FM", "Last F.M." or "First Last".

    Accents and case of the last name are kept for display; use :func:`author_key` for matching.

    Parameters
    ----------
    name : str or None

    Returns
    -------
    str or None
        ``Last, F.``
    """
    name = clean_space(name)
    if not name:
        return None
    name = name.strip("{} ")
    if not name:
        return None
    if "," in name:
        family, given = name.split(",", 1)
        return format_author(family, given)
    m = _INITIALS_TAIL.match(name)
    if m and re.search(rf"[{_UPPER}]", m.group("init")) and (("." in m.group("init")) or m.group("init").isupper()):
        return format_author(m.group("last"), m.group("init"))
    words = name.split(" ")
    if len(words) == 1:
        return name
    return format_author(words[-1], " ".join(words[:-1]))


def author_key(author: str | None) -> str | None:
    """Matching key of an author name: folded, lower case, punctuation collapsed ("Martí, I." → "marti i").

    Parameters
    ----------
    author : str or None

    Returns
    -------
    str or None
    """
    return normalize_key(author)


def first_author_surname_key(author: str | None) -> str | None:
    """Last word of the folded family name of a "Last, F." author: the blocking key for fuzzy title matching
    (particles differ between sources: "do Lago e Pretti" in one, "Pretti" in another).

    Parameters
    ----------
    author : str or None

    Returns
    -------
    str or None
    """
    if author is None or (not isinstance(author, str) and pd.isna(author)):
        return None
    key = normalize_key(str(author).split(",", 1)[0])
    return key.rsplit(" ", 1)[-1] if key else None


def source_key_arrow(sources):  # pyarrow string Array of source titles -> folded keys
    """Matching key of a source title: "&" read as "and" ("Business & Society" = "Business and Society", but
    "Science & Education" ≠ "Science Education"), then folded as every key (accents, case, punctuation).

    The summary's source count, the top sources and Bradford's zones all group on this key.

    Parameters
    ----------
    sources : pyarrow.Array
        Source titles.

    Returns
    -------
    pyarrow.Array
    """
    if isinstance(sources, pa.ChunkedArray):
        sources = sources.combine_chunks()
    with_and = pc.replace_substring_regex(sources, pattern=r"&(?:\s*amp;)?", replacement=" and ")
    return fold_arrow(with_and)


def source_key_series(sources: pd.Series) -> pd.Series:
    """:func:`source_key_arrow` of a column, as a ``string`` Series aligned with it.

    Parameters
    ----------
    sources : Series

    Returns
    -------
    Series
    """
    if len(sources) == 0:
        return pd.Series([], index=sources.index, dtype="string")
    return pd.Series(pd.arrays.ArrowStringArray(source_key_arrow(arrow_strings(sources))), index=sources.index,
                     dtype="string")


def family_key_arrow(authors):  # pyarrow string Array of "Last, F." names -> folded family names
    """Folded family name of each "Last, F." author (the part before the first comma), as a matching key.

    Parameters
    ----------
    authors : pyarrow.Array
        ``Last, F.`` names.

    Returns
    -------
    pyarrow.Array
    """
    return fold_arrow(pc.struct_field(pc.extract_regex(authors, pattern=r"^(?P<family>[^,]*)"), [0]))


COUNTRY_ALIASES: dict[str, str] = {
    "usa": "United States",
    "united states": "United States",
    "united states of america": "United States",
    "us": "United States",
    "uk": "United Kingdom",
    "united kingdom": "United Kingdom",
    "england": "United Kingdom",
    "scotland": "United Kingdom",
    "wales": "United Kingdom",
    "north ireland": "United Kingdom",
    "northern ireland": "United Kingdom",
    "peoples r china": "China",
    "people's republic of china": "China",
    "pr china": "China",
    "china": "China",
    "u arab emirates": "United Arab Emirates",
    "turkiye": "Turkey",
    "türkiye": "Turkey",
    "russian federation": "Russia",
    "south korea": "South Korea",
    "korea": "South Korea",
    "republic of korea": "South Korea",
    "viet nam": "Vietnam",
    "czechia": "Czech Republic",
    "iran (islamic republic of)": "Iran",
    "brasil": "Brazil",
    "canada": "Canada",
    "québec": "Canada",
    "quebec": "Canada",
}


# ISO 3166 alpha-2 → English short name, for the countries most present in the social-economy literature;
# other codes are kept as the code itself (never guessed).
COUNTRY_CODES: dict[str, str] = {
    "AR": "Argentina", "AT": "Austria", "AU": "Australia", "BD": "Bangladesh", "BE": "Belgium", "BR": "Brazil",
    "CA": "Canada", "CH": "Switzerland", "CL": "Chile", "CN": "China", "CO": "Colombia", "CZ": "Czech Republic",
    "DE": "Germany", "DK": "Denmark", "EC": "Ecuador", "EG": "Egypt", "ES": "Spain", "FI": "Finland",
    "FR": "France", "GB": "United Kingdom", "GH": "Ghana", "GR": "Greece", "HK": "Hong Kong", "HU": "Hungary",
    "ID": "Indonesia", "IE": "Ireland", "IL": "Israel", "IN": "India", "IR": "Iran", "IT": "Italy", "JP": "Japan",
    "KE": "Kenya", "KR": "South Korea", "MA": "Morocco", "MX": "Mexico", "MY": "Malaysia", "NG": "Nigeria",
    "NL": "Netherlands", "NO": "Norway", "NZ": "New Zealand", "PE": "Peru", "PH": "Philippines", "PK": "Pakistan",
    "PL": "Poland", "PT": "Portugal", "RO": "Romania", "RU": "Russia", "SA": "Saudi Arabia", "SE": "Sweden",
    "SG": "Singapore", "TH": "Thailand", "TN": "Tunisia", "TR": "Turkey", "TW": "Taiwan", "UA": "Ukraine",
    "AE": "United Arab Emirates", "US": "United States", "VN": "Vietnam", "ZA": "South Africa",
}


def country_of(affiliation: str | None) -> str | None:
    """Country of an affiliation string: its last comma-separated part, normalised by a small alias table.

    WoS writes "..., Ft Lauderdale, FL 33328 USA." and "..., Montreal, PQ H3T 2A7, Canada."; a trailing
    "USA" after a postal code is recognised. Unknown last parts are returned as written (title case kept).

    Parameters
    ----------
    affiliation : str or None

    Returns
    -------
    str or None
        The country's English name.
    """
    text = clean_space(affiliation)
    if not text:
        return None
    text = text.rstrip(".,; ")
    if "," not in text:  # a lone institution name is not a country unless it is one
        return COUNTRY_ALIASES.get(text.lower())
    return _country_from_last(text.rsplit(",", 1)[-1].strip())


def _country_from_last(last: str | None) -> str | None:
    """Country from the last comma-separated part of an affiliation."""
    if not last:
        return None
    last = last.strip().rstrip(". ")
    if not last:
        return None
    low = last.lower()
    if low in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[low]
    if re.search(r"\busa$", low):
        return "United States"
    if re.search(r"\d", last):
        return None
    return last


def country_series(affiliations: pd.Series) -> pd.Series:
    """Vectorised :func:`country_of` (see :func:`country_arrow`).

    Parameters
    ----------
    affiliations : Series

    Returns
    -------
    Series
    """

    if len(affiliations) == 0:
        return pd.Series([], index=affiliations.index, dtype="string")
    return pd.Series(pd.arrays.ArrowStringArray(country_arrow(arrow_strings(affiliations))),
                     index=affiliations.index, dtype="string")


# any whitespace str.isspace knows, except a single inner ASCII space (what clean_space would change)
_ODD_SPACE = (r"[\t\n\x0b\f\r\x1c-\x1f\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}"
              r"\x{3000}]|  |^ | $")


def country_arrow(affiliations):  # pyarrow string Array -> pyarrow string Array
    """:func:`country_of` over an Arrow array: each distinct affiliation once (the last comma part extracted
    with Arrow kernels, mapped in Python), spread back.

    Parameters
    ----------
    affiliations : pyarrow.Array

    Returns
    -------
    pyarrow.Array
    """

    if isinstance(affiliations, pa.ChunkedArray):
        affiliations = affiliations.combine_chunks()
    encoded = pc.dictionary_encode(affiliations)
    # as country_of: whitespace collapsed, trailing blanks and punctuation off, then the part after the last
    # comma (split from the right: kernels, no regex)
    values = encoded.dictionary
    odd_space = pc.match_substring_regex(values, _ODD_SPACE)
    if len(values) and pc.any(odd_space).as_py():  # tabs, line breaks, double or non-breaking spaces
        cleaned = [clean_space(v) or "" for v in pc.filter(values, odd_space).to_pylist()]
        values = pc.replace_with_mask(values, odd_space, pa.array(cleaned, pa.string()))
    values = pc.utf8_rtrim(values, characters=" .,;")
    parts = pc.split_pattern(values, pattern=",", max_splits=1, reverse=True)
    last_item = parts.offsets.to_numpy()[1:] - 1
    last = pc.utf8_trim_whitespace(pc.take(pc.list_flatten(parts), pa.array(last_item, pa.int64())))
    lasts = pc.dictionary_encode(last)  # a few hundred distinct last parts for thousands of affiliations
    distinct = lasts.dictionary.to_pylist()
    from_last = pc.take(pa.array([_country_from_last(v) for v in distinct], pa.string()), lasts.indices)
    # no comma: a lone institution name is not a country unless it is one
    alias = pc.take(pa.array([COUNTRY_ALIASES.get(v.lower()) for v in distinct], pa.string()), lasts.indices)
    per_value = pc.if_else(pc.match_substring(values, ","), from_last, alias)
    return pc.take(per_value, encoded.indices)


def normalize_doi_series(values: pd.Series) -> pd.Series:
    """Vectorised :func:`normalize_doi`.

    Parameters
    ----------
    values : Series

    Returns
    -------
    Series
    """

    return pd.Series(pd.arrays.ArrowStringArray(normalize_doi_arrow(arrow_strings(values))), index=values.index,
                     dtype="string")


def normalize_doi_arrow(arr):  # pyarrow string Array -> pyarrow string Array
    """:func:`normalize_doi` over an Arrow array; values already bare ("10.1000/xyz") only lose their case.

    Parameters
    ----------
    arr : pyarrow.Array

    Returns
    -------
    pyarrow.Array
    """

    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    bare = pc.fill_null(pc.match_substring_regex(arr, r"^10\.\d{4,9}/[^\s{}\\]*[^\s{}\\.,;\]]$"), True)
    if pc.all(bare).as_py():
        return pc.utf8_lower(arr)
    odd = pc.invert(bare)
    return pc.replace_with_mask(pc.utf8_lower(arr), odd, _normalize_doi_kernels(pc.filter(arr, odd)))


def _normalize_doi_kernels(arr):

    arr = pc.replace_substring(arr, pattern="\\_", replacement="_")
    arr = pc.replace_substring_regex(arr, pattern=r"[{}]", replacement="")
    arr = pc.replace_substring_regex(arr, pattern=r"(?i)^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*|doi\s+)",
                                     replacement="")
    found = pc.struct_field(pc.extract_regex(arr, pattern=r"(?P<d>10\.\d{4,9}/\S+)"), [0])
    found = pc.replace_substring_regex(found, pattern=r"[.,;\]}]+$", replacement="")
    found = pc.utf8_lower(found)
    return pc.if_else(pc.equal(found, ""), pa.scalar(None, pa.string()), found)
