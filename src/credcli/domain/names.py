"""Person names as exclusion screening compares them.

Exclusion screening (OIG LEIE, SAM) compares normalised names: case folded,
accents and punctuation removed, generational and degree suffixes dropped
(JR, SR, II, III, MD ...), middle names ignored. "Very close" means one typo
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


def deletions(word: str) -> list[str]:
    """``word`` and every string made by deleting one of its letters."""
    return [word, *(word[:i] + word[i + 1 :] for i in range(len(word)))]


class NearIndex:
    """Finds, among many words, those within one edit of a query (symmetric deletions).

    Built once over the smaller side; each query costs len(word)+1 dictionary lookups.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self._by_deletion: dict[str, set[str]] = {}
        for word in set(words):
            if not word:
                continue
            for variant in deletions(word):
                self._by_deletion.setdefault(variant, set()).add(word)

    def near(self, word: str) -> set[str]:
        """Indexed words within one edit of ``word``, ``word`` itself excluded."""
        found: set[str] = set()
        for variant in deletions(word):
            candidates = self._by_deletion.get(variant)
            if candidates:
                found.update(candidates)
        found.discard(word)
        return {c for c in found if within_one_edit(word, c)}
