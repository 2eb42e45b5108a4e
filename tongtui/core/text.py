"""Text made comparable: full-width forms folded, punctuation and spaces dropped, figures collapsed. Pure.

Shared by the report form's check at submission (dispatch) and the copy detection over many reports
(supervision), so that both judge the same text the same way.
"""

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")


def normalise(text: str) -> str:
    """Fold full-width forms and case, drop punctuation, whitespace and symbols, collapse digit runs to 0."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _DIGITS.sub("0", _NON_WORD.sub("", text))


def shingles(text: str, n: int = 3, *, normalised: bool = False) -> frozenset[str]:
    """The set of character n-grams of a text (the whole text when shorter than n, nothing when empty)."""
    s = text if normalised else normalise(text)
    if len(s) <= n:
        return frozenset((s,)) if s else frozenset()
    return frozenset(s[i : i + n] for i in range(len(s) - n + 1))
