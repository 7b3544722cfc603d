"""Person names as exclusion screening compares them.

Exclusion screening (OIG LEIE, SAM) compares normalised names: case folded,
accents and punctuation removed, generational and degree suffixes dropped
(JR, SR, II, III, MD ...), middle names ignored. A compound given name
(Mary-Jane, MARYJANE) is compared whole as well as by its first word. "Very close"
means one typo
(one insertion, deletion, substitution or swap of neighbouring letters) in
the last or the first name, or first and last swapped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

SUFFIXES = frozenset(
    {
        "jr",
        "sr",
        "ii",
        "iii",
        "iv",
        "md",
        "do",
        "dds",
        "dmd",
        "phd",
        "np",
        "pa",
        "rn",
        "pac",
        "esq",
    }
)
_PUNCT = re.compile(r"[^\w\s]|_")


def tokens(text: str | None) -> list[str]:
    """The words of a name, normalised, with suffixes dropped."""
    if not text:
        return []
    plain = text.casefold()
    if not plain.isascii():
        folded = unicodedata.normalize("NFKD", plain)
        plain = "".join(c for c in folded if not unicodedata.combining(c))
    # apostrophes and periods join (O'Brien, St.John); hyphens and commas separate words
    plain = plain.replace("'", "").replace("\u2019", "").replace(".", "")
    words = _PUNCT.sub(" ", plain).split()
    # the first word is always a name: "Do" and "Pa" are surnames as well as degrees
    return words[:1] + [w for w in words[1:] if w not in SUFFIXES]


def last_name(text: str | None) -> str:
    """``De la Cruz-Smith, Jr.`` -> ``delacruzsmith``: every word kept, run together."""
    return "".join(tokens(text))


def first_name(text: str | None) -> str:
    """``Mary Ann`` -> ``mary``: only the first given name counts; middles are ignored."""
    words = tokens(text)
    return words[0] if words else ""


def first_names(text: str | None) -> tuple[str, ...]:
    """Every form a given name is screened under: ``Mary-Jane`` -> (mary, maryjane).

    Lists and registries write a compound given name with a hyphen, a space or run
    together (MARY-JANE, MARY JANE, MARYJANE); trying both forms on each side finds
    the person whichever way either side wrote it.
    """
    words = tokens(text)
    if len(words) < 2:
        return (words[0],) if words else ("",)
    return (words[0], words[0] + words[1])


def within_one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one typo (Damerau: a swap counts once)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        if len(diffs) == 2:
            i, j = diffs
            return j == i + 1 and a[i] == b[j] and a[j] == b[i]
        return False
    if la > lb:
        a, b = b, a
    # b is one longer than a: find the first difference and skip it in b
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def _piece(length: int) -> int:
    """Length of the prefix and suffix that a one-typo variant always keeps intact.

    A substitution, insertion, deletion or swap of neighbours leaves either the first or
    the last (n-1)//2 letters of an n-letter word untouched; words of 3 letters or fewer
    are compared in full.
    """
    return 0 if length <= 3 else (length - 1) // 2


class NearIndex:
    """Finds, among many (anchor, word) pairs, the words within one typo of a query word
    under the same anchor (e.g. last names of providers with a given first name).

    Built once over the smaller side; a query is two dictionary lookups, and only the
    few candidates sharing an intact prefix or suffix are compared letter by letter.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._keys: dict[tuple[str, int, str, bool], set[str]] = {}
        for anchor, word in set(pairs):
            if not word:
                continue
            size = len(word)
            # index under the piece lengths of every word length one typo away
            for k in {_piece(size - 1), _piece(size), _piece(size + 1)}:
                self._keys.setdefault((anchor, k, word[:k], True), set()).add(word)
                self._keys.setdefault((anchor, k, word[size - k :], False), set()).add(word)

    def near(self, anchor: str, word: str) -> frozenset[str] | set[str]:
        """Indexed words under ``anchor`` within one typo of ``word``, ``word`` excluded."""
        size = len(word)
        k = 0 if size <= 3 else (size - 1) // 2  # _piece, inlined: called once per list row
        keys = self._keys
        head = keys.get((anchor, k, word[:k], True))
        tail = keys.get((anchor, k, word[size - k :], False))
        if head is None and tail is None:
            return _NOTHING
        candidates = (head or _NOTHING) | (tail or _NOTHING)
        return {c for c in candidates if c != word and within_one_edit(word, c)}


_NOTHING: frozenset[str] = frozenset()
