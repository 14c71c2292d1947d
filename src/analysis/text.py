"""Text keys for matching publications: accents kept for display, folded only in matching keys.

Used by the readers, the deduplication and every analysis that groups by title, author, keyword or source.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

_COMBINING = re.compile(r"[\u0300-\u036f]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")
_LATEX_CMD = re.compile(r"\\[a-zA-Z]+\s*")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|doi\s+)", re.IGNORECASE)
# Letters that NFKD does not decompose but that users expect folded.
_EXTRA_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
     "đ": "d", "Đ": "D", "ð": "d", "þ": "th", "ı": "i", "’": "'", "‘": "'", "“": '"', "”": '"',
     "–": "-", "—": "-", "\u00a0": " "}
)


def fold_accents(text: str | None) -> str | None:
    """Remove diacritics ("Québec" → "Quebec", "Corsín" → "Corsin"); case and other characters kept."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return None
    text = str(text).translate(_EXTRA_FOLD)
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def clean_space(text: str | None) -> str | None:
    """Collapse runs of whitespace (line wraps in WoS/BibTeX) to one space; empty → None."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return None
    out = _SPACES.sub(" ", str(text)).strip()
    return out or None


def normalize_key(text: str | None) -> str | None:
    """Matching key: accents folded, lower case, every run of non-alphanumerics → one space."""
    folded = fold_accents(text)
    if folded is None:
        return None
    out = _NON_ALNUM.sub(" ", _LATEX_CMD.sub("", folded).lower()).strip()
    return out or None


def normalize_title(title: str | None) -> str | None:
    """Title key for deduplication: folded, lower case, punctuation and LaTeX braces/commands removed."""
    return normalize_key(title)


def normalize_doi(doi: str | None) -> str | None:
    """DOI in lower case without ``https://doi.org/`` or ``doi:`` prefix; None when it is not a DOI."""
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
    """"Last, F." from separate family and given names (Crossref, biblatex name parts)."""
    family = clean_space(family)
    if not family:
        return clean_space(given)
    init = _initials(given or "")
    return f"{family}, {init}" if init else family


def normalize_author(name: str | None) -> str | None:
    """Author in "Last, F." form from "Last, First", "Last, FM", "Last F.M." or "First Last".

    Accents and case of the last name are kept for display; use :func:`author_key` for matching.
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
    """Matching key of an author name: folded, lower case, punctuation collapsed ("Martí, I." → "marti i")."""
    return normalize_key(author)


def first_author_surname_key(author: str | None) -> str | None:
    """Last word of the folded family name of a "Last, F." author: the blocking key for fuzzy title matching
    (particles differ between sources: "do Lago e Pretti" in one, "Pretti" in another)."""
    if author is None or (not isinstance(author, str) and pd.isna(author)):
        return None
    key = normalize_key(str(author).split(",", 1)[0])
    return key.rsplit(" ", 1)[-1] if key else None


def fold_series(values: pd.Series) -> pd.Series:
    """Vectorised :func:`normalize_key` for a column: Arrow kernels for ASCII values, Python only for the
    distinct non-ASCII ones (accents folded). Same result as mapping :func:`normalize_key`."""
    import pyarrow as pa
    import pyarrow.compute as pc

    codes, uniques = pd.factorize(values.astype("string"))
    if len(uniques) < 0.8 * len(values):  # many repeats (keywords, affiliations): fold each distinct value once
        folded = fold_series(pd.Series(uniques, dtype="string")).to_numpy(dtype=object, na_value=None)
        taken = np.where(codes >= 0, folded[np.maximum(codes, 0)] if len(folded) else None, None)
        return pd.Series(taken, index=values.index, dtype="string")
    s = values.astype("string")
    arr = pa.array(s.to_numpy(dtype=object, na_value=None), type=pa.string())
    non_ascii = pc.invert(pc.string_is_ascii(arr))
    if pc.any(non_ascii).as_py():
        mask = pc.fill_null(non_ascii, False).to_numpy(zero_copy_only=False)
        objs = s.to_numpy(dtype=object, na_value=None)
        uniq = {v: fold_accents(v) for v in set(objs[mask])}
        objs[mask] = [uniq[v] for v in objs[mask]]
        arr = pa.array(objs, type=pa.string())
    arr = pc.replace_substring_regex(arr, pattern=r"\\[a-zA-Z]+\s*", replacement="")
    arr = pc.utf8_lower(arr)
    arr = pc.replace_substring_regex(arr, pattern=r"[^0-9a-z]+", replacement=" ")
    arr = pc.utf8_trim_whitespace(arr)
    out = pd.Series(arr.to_numpy(zero_copy_only=False), index=values.index, dtype="string")
    return out.mask(out == "")


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


def country_of(affiliation: str | None) -> str | None:
    """Country of an affiliation string: its last comma-separated part, normalised by a small alias table.

    WoS writes "..., Ft Lauderdale, FL 33328 USA." and "..., Montreal, PQ H3T 2A7, Canada."; a trailing
    "USA" after a postal code is recognised. Unknown last parts are returned as written (title case kept).
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
    """Vectorised :func:`country_of`: last comma part extracted with Arrow, then mapped once per distinct value."""
    import pyarrow.compute as pc

    from analysis.readers.common import arrow_strings

    codes, uniques = pd.factorize(affiliations.astype("string"))
    if len(uniques) < 0.8 * len(affiliations):  # the same affiliation strings come back many times
        per = country_series(pd.Series(uniques, dtype="string")).to_numpy(dtype=object, na_value=None)
        taken = np.where(codes >= 0, per[np.maximum(codes, 0)] if len(per) else None, None)
        return pd.Series(taken, index=affiliations.index, dtype="string")
    arr = arrow_strings(affiliations)
    arr = pc.replace_substring_regex(arr, pattern=r"[\s.,;]+$", replacement="")
    last = pc.struct_field(pc.extract_regex(arr, pattern=r"(?P<last>[^,]*)$"), [0])
    last = pc.utf8_trim_whitespace(last)
    lasts = pd.Series(pd.arrays.ArrowStringArray(last), index=affiliations.index, dtype="string")
    uniq = {v: _country_from_last(v) for v in lasts.dropna().unique()}
    out = lasts.map(uniq).astype("string")
    has_comma = pd.Series(pc.match_substring(arr, ",").to_numpy(zero_copy_only=False), index=out.index)
    alias = lasts.str.lower().map(COUNTRY_ALIASES).astype("string")
    return out.where(has_comma.fillna(False).astype(bool), alias)


def normalize_doi_series(values: pd.Series) -> pd.Series:
    """Vectorised :func:`normalize_doi`."""
    import pyarrow.compute as pc

    from analysis.readers.common import arrow_strings

    arr = arrow_strings(values)
    arr = pc.replace_substring(arr, pattern="\\_", replacement="_")
    arr = pc.replace_substring_regex(arr, pattern=r"[{}]", replacement="")
    arr = pc.replace_substring_regex(arr, pattern=r"(?i)^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*|doi\s+)",
                                     replacement="")
    found = pc.struct_field(pc.extract_regex(arr, pattern=r"(?P<d>10\.\d{4,9}/\S+)"), [0])
    found = pc.replace_substring_regex(found, pattern=r"[.,;\]}]+$", replacement="")
    found = pc.utf8_lower(found)
    out = pd.Series(pd.arrays.ArrowStringArray(found), index=values.index, dtype="string")
    return out.mask(out == "")
