"""Words inside charts, per language (kept here so that figures stay pure functions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "fewer_than": "fewer than {k}",
        "share_of": "share of {n} respondents",
        "ranked_first": "ranked first",
        "in_top": "in the top {rank}",
        "answers": "answers",
        "answers_using_term": "answers using the word",
    },
    "de": {
        "fewer_than": "weniger als {k}",
        "share_of": "Anteil an {n} Antwortenden",
        "ranked_first": "auf Platz 1",
        "in_top": "unter den ersten {rank}",
        "answers": "Antworten",
        "answers_using_term": "Antworten mit dem Wort",
    },
    "tr": {
        "fewer_than": "{k} kişiden az",
        "share_of": "{n} katılımcı içindeki pay",
        "ranked_first": "birinci sırada",
        "in_top": "ilk {rank} içinde",
        "answers": "cevap",
        "answers_using_term": "bu kelimeyi kullanan cevaplar",
    },
    "ar": {
        "fewer_than": "أقل من {k}",
        "share_of": "النسبة من {n} مشاركًا",
        "ranked_first": "في المرتبة الأولى",
        "in_top": "ضمن أول {rank}",
        "answers": "إجابات",
        "answers_using_term": "إجابات تستخدم الكلمة",
    },
    "uk": {
        "fewer_than": "менше ніж {k}",
        "share_of": "частка з {n} респондентів",
        "ranked_first": "на першому місці",
        "in_top": "серед перших {rank}",
        "answers": "відповіді",
        "answers_using_term": "відповіді з цим словом",
    },
}


@dataclass(frozen=True)
class Wording:
    """Chart words in one language."""

    words: dict[str, str]
    min_group_size: int = 5

    def fewer_than(self, summary: dict[str, Any]) -> str:
        """Say "fewer than k" for a suppressed cell."""
        return self.words["fewer_than"].format(k=self.min_group_size)

    def share_of(self, summary: dict[str, Any]) -> str:
        """Name the x axis of a share chart."""
        return self.words["share_of"].format(n=summary.get("n", ""))

    def in_top(self, summary: dict[str, Any]) -> str:
        """Name the "ranked in the top N" series."""
        return self.words["in_top"].format(rank=summary.get("rank", ""))

    @property
    def ranked_first(self) -> str:
        """Name the "ranked first" series."""
        return self.words["ranked_first"]

    @property
    def answers(self) -> str:
        """Name a count axis."""
        return self.words["answers"]

    @property
    def answers_using_term(self) -> str:
        """Name the axis of term counts."""
        return self.words["answers_using_term"]


def wording(language: str, min_group_size: int = 5) -> Wording:
    """Return the chart words of ``language`` (English if we have none)."""
    return Wording(WORDS.get(language.split("-")[0], WORDS["en"]), min_group_size)
