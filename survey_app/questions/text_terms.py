"""Frequent terms of free-text answers: Unicode-aware tokens without stop words."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from survey_app.questions.stopwords import STOP_WORDS
from survey_app.questions.summaries import Term

#: A run of letters and digits in any script (``_`` and punctuation split words).
TOKEN = re.compile(r"[^\W_]+")
#: Shorter tokens are mostly particles and suffixes (Turkish ``'da``, Arabic ``من``).
MIN_TERM_LENGTH = 3
#: How many terms a summary lists.
TOP_TERMS = 15
#: Marks that only decorate a word: combining diacritics left after NFKC (such as
#: the dot of a case-folded Turkish İ), Hebrew points, Arabic short vowels and
#: Quranic marks, and the tatweel that stretches Arabic words on screen. (Not all
#: of category Mn: in Indic scripts such marks are vowels that words need.)
MARKS = re.compile(
    "[\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]"
)


def normalize(text: str, language: str = "") -> str:
    """Lower-case ``text`` for counting: NFKC, casefold, without ``MARKS``.

    Precomposed letters (ü, й) stay; Arabic short vowels and stray dots go. Turkish
    dotted and dotless I are lower-cased the Turkish way in Turkish answers.
    """
    if text.isascii():
        return text.lower()
    if language == "tr":
        text = text.replace("I", "ı").replace("İ", "i")
    return MARKS.sub("", unicodedata.normalize("NFKC", text).casefold())


def tokenize(text: str, language: str = "") -> list[str]:
    """Split ``text`` into normalized words of at least three characters, no numbers."""
    return [
        token
        for token in TOKEN.findall(normalize(text, language))
        if len(token) >= MIN_TERM_LENGTH and not token.isdigit()
    ]


@lru_cache(maxsize=64)
def stop_words(languages: tuple[str, ...]) -> frozenset[str]:
    """Return the normalized stop words of ``languages`` together."""
    words: set[str] = set()
    for language in languages:
        words.update(normalize(word, language) for word in STOP_WORDS.get(language, ()))
    return frozenset(words)


def top_terms(
    texts: Iterable[tuple[str, str]], languages: Iterable[str], limit: int = TOP_TERMS
) -> list[Term]:
    """Return ``[{"term", "count"}]``: the terms used in the most answers, most first.

    ``count`` is the number of answers using a term (not occurrences), so a term
    one person repeats does not look common, and a count of k means k answers.
    An answer's stop words are those of its response language and of ``languages``
    (the instrument's): people often answer in another language than the form's.
    """
    return rank_terms(term_counts(texts, languages), limit)


def term_counts(texts: Iterable[tuple[str, str]], languages: Iterable[str]) -> Counter[str]:
    """Return how many answers use each term (see ``top_terms``); counts add up over parts."""
    instrument = set(languages)
    ignored_by_language: dict[str, frozenset[str]] = {}
    counts: Counter[str] = Counter()
    for language, text in texts:
        ignored = ignored_by_language.get(language)
        if ignored is None:
            ignored = stop_words(tuple(sorted({language, *instrument})))
            ignored_by_language[language] = ignored
        counts.update(set(tokenize(text, language)) - ignored)
    return counts


def rank_terms(counts: Counter[str], limit: int = TOP_TERMS) -> list[Term]:
    """Return the ``limit`` most used terms of ``counts``, most first, then alphabetical."""
    ranked = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return [{"term": term, "count": count} for term, count in ranked[:limit]]
