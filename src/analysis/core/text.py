"""Text folding for matching keys: accents kept for display, folded only in keys; Arrow helpers.

One accent-folding function for the whole project (:func:`fold_accents`), its key form (:func:`normalize_key`)
and their vectorised Arrow versions (:func:`fold_arrow`, :func:`fold_series`).
"""

from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_COMBINING = re.compile(r"[\u0300-\u036f]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_LATEX_CMD = re.compile(r"\\[a-zA-Z]+\s*")
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
    out = " ".join(str(text).split())  # str.split() splits on exactly the characters \s matches, in C
    return out or None


def normalize_key(text: str | None) -> str | None:
    """Matching key: accents folded, lower case, every run of non-alphanumerics → one space."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return None
    return _normalize_key(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _normalize_key(text: str) -> str | None:
    """:func:`normalize_key` of a string, remembered (author names recur across the records of an export)."""
    folded = fold_accents(text)
    out = _NON_ALNUM.sub(" ", _LATEX_CMD.sub("", folded).lower()).strip()
    return out or None


_EXTRA_FOLD_PAIRS = [(chr(k), v) for k, v in _EXTRA_FOLD.items()]


def fold_arrow(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    """:func:`normalize_key` over an Arrow string array: each distinct value is folded once (Arrow kernels;
    Python only for the distinct non-ASCII values), then spread back. Blank keys become null."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if arr.type != pa.string():
        arr = arr.cast(pa.string())
    encoded = pc.dictionary_encode(arr)
    values, indices = encoded.dictionary, encoded.indices
    non_ascii = pc.invert(pc.string_is_ascii(values))
    if len(values) and pc.any(non_ascii).as_py():
        texts = pc.filter(values, non_ascii).to_pylist()
        joined = "\n".join(texts)
        for char, replacement in _EXTRA_FOLD_PAIRS:  # str.translate is ~50x slower than a few replaces
            if char in joined:
                texts = [t.replace(char, replacement) for t in texts]
        picked = pa.array(texts, pa.string())
        picked = pc.utf8_normalize(picked, form="NFKD")
        picked = pc.replace_substring_regex(picked, pattern="[\u0300-\u036f]+", replacement="")
        values = pc.replace_with_mask(values, non_ascii, picked)
    if _data_bytes(values).find(b"\\") >= 0:  # LaTeX commands (BibTeX exports) are dropped, not spelled out
        values = pc.replace_substring_regex(values, pattern=r"\\[a-zA-Z]+\s*", replacement="")
    values = _alnum_words(values)
    values = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values)
    return pc.take(values, indices)


def _alnum_words(values: pa.Array) -> pa.Array:
    """ASCII lower case, every run of characters other than [0-9a-z] → one space, trimmed (byte-level numpy:
    a regex replacement is several times slower on titles). Non-ASCII bytes count as separators, as in
    :func:`normalize_key` once accents are folded."""
    n = len(values)
    if n == 0:
        return values
    raw_offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)[values.offset: values.offset + n + 1]
    offsets = raw_offsets - raw_offsets[0]
    mapped = np.frombuffer(_data_bytes(values).translate(_BYTE_KEY), dtype=np.uint8)
    word = mapped != 32
    # a separator is kept (as one space) only right after a word byte of the same value: runs collapse and
    # leading separators go; one trailing space may remain, trimmed below
    keep = word.copy()
    keep[1:] |= word[:-1]
    starts = offsets[:-1][offsets[:-1] < len(mapped)]
    keep[starts] = word[starts]
    kept = mapped[keep]
    counted = np.zeros(len(mapped) + 1, dtype=np.int32)
    np.cumsum(keep, out=counted[1:])
    new_offsets = counted[offsets]
    out = pa.StringArray.from_buffers(n, pa.py_buffer(new_offsets), pa.py_buffer(kept))
    return pc.utf8_rtrim(out, characters=" ")


# byte → itself for [0-9a-z], lower case for [A-Z], else space (a bytes.translate table: one C pass)
_BYTE_KEY = bytes(b if (48 <= b <= 57 or 97 <= b <= 122) else (b + 32 if 65 <= b <= 90 else 32) for b in range(256))


def _data_bytes(values: pa.Array) -> bytes:
    """The UTF-8 bytes of a string array's values, end to end (a view of its data buffer when possible)."""
    n = len(values)
    if n == 0:
        return b""
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32)[values.offset: values.offset + n + 1]
    return memoryview(values.buffers()[2])[offsets[0]: offsets[-1]].tobytes()


def fold_series(values: pd.Series) -> pd.Series:
    """Vectorised :func:`normalize_key` for a column (same result as mapping it), as an Arrow-backed
    ``string`` Series; see :func:`fold_arrow`."""

    if len(values) == 0:
        return pd.Series([], index=values.index, dtype="string")
    return pd.Series(pd.arrays.ArrowStringArray(fold_arrow(arrow_strings(values))), index=values.index,
                     dtype="string")

def arrow_strings(values: pd.Series, combine: bool = True) -> pa.Array | pa.ChunkedArray:
    """A string column as pyarrow strings, without copying when the column is already Arrow-backed.

    ``combine=False`` keeps the chunks (enough for element-wise kernels; avoids copying big columns).
    """
    arr = getattr(values.array, "_pa_array", None)  # Arrow-backed "str"/"string" columns (pandas >= 2)
    if arr is None or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        try:
            arr = pa.array(values.astype("string").array)
        except (TypeError, pa.ArrowInvalid):
            arr = pa.array(values.to_numpy(dtype=object, na_value=None), type=pa.string())
    if isinstance(arr, pa.ChunkedArray) and combine:
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if arr.type != pa.string():
        arr = arr.cast(pa.string())
    return arr


def explode_split(values: pd.Series, sep: str) -> pd.DataFrame:
    """Long table of a separator-joined column: ``row`` (0-based position in ``values``), ``position``
    (1-based inside the row) and ``value`` (stripped; blanks dropped), computed with Arrow kernels."""
    arr = arrow_strings(values)
    lists = pc.split_pattern(arr, pattern=sep)
    flat = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    parents = pc.list_parent_indices(lists).to_numpy()
    offsets = lists.offsets.to_numpy()
    pos = np.arange(len(parents)) - offsets[parents] + 1
    out = pd.DataFrame({"row": parents, "position": pos,
                        "value": pd.Series(pd.arrays.ArrowStringArray(flat), dtype="string")})
    keep = (out["value"].notna() & (out["value"] != "")).to_numpy()
    if not keep.all():
        out = out[keep].reset_index(drop=True)
        out["position"] = out.groupby("row").cumcount() + 1
    return out


def fold_lower(text: str | None) -> str | None:
    """:func:`fold_accents` in lower case, every other character kept (apostrophes, hyphens, dots).

    For patterns that read punctuation (« centre d'action », « co-op », « C.P.E. »), where :func:`normalize_key`
    would turn it into spaces: ``"Coopérative d’Habitation"`` → ``"cooperative d'habitation"``.
    """
    folded = fold_accents(text)
    return None if folded is None else folded.lower()
