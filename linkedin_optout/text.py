"""Loose text matching: how every label in a selector file is looked for in a
page's text, whatever its case, accents or punctuation."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

_NON_WORD = re.compile(r"[\W_]+")
SMALL_WORD = 4  # letters: the longest word loose matching lets differ


@lru_cache(maxsize=2048)  # a page's text is folded once, not once per label
def normalize(text: str) -> str:
    """Lower case, accents and punctuation folded away, single spaces.
    page_wait.js folds the page's text the same way."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped.lower()).strip()


def text_matches(label: str, text: str) -> bool:
    """True when `label` stands in `text`, loosely: the whole label; or, for a
    label of five words or more, a run of words in `text` (one word longer than
    the label) lacking at most one label word in five, and only short ones
    ('zur' / 'für', 'de' / 'du'): wording varies in its small words, while a
    different noun ('Improvement' / 'Research') is a different setting."""
    needle, hay = normalize(label), normalize(text)
    if not needle:
        return False
    if f" {needle} " in f" {hay} ":
        return True
    words = needle.split()
    if len(words) < 5:
        return False
    allowed = len(words) // 5
    wanted = set(words)
    hay_words = hay.split()
    for start, word in enumerate(hay_words):
        if word not in wanted:
            continue
        window = set(hay_words[start : start + len(words) + 1])
        missing = [w for w in words if w not in window]
        if len(missing) <= allowed and all(len(w) <= SMALL_WORD for w in missing):
            return True
    return False


def labels_for(localized: dict[str, list[str]], langs: Sequence[str]) -> list[str]:
    """Labels in the given languages, in that order."""
    return [label for lang in langs for label in localized.get(lang, [])]


def any_label_matches(localized: dict[str, list[str]], langs: Sequence[str], text: str) -> bool:
    return any(text_matches(label, text) for label in labels_for(localized, langs))


def did_you_mean(word: str, known: Sequence[str]) -> str:
    """' (did you mean 'research'?)' for a near miss, else ''."""
    import difflib  # only for a typo: --help and every run stay without it

    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
