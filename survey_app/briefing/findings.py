"""Key findings: plain sentences with their numbers, written from suppressed summaries.

Each question type offers its candidates (``QuestionType.key_finding_candidates``:
the most frequent choice, the option ranked first most often, the most and least
positive likert statements, the mean rating, the median number, ...), written only
from cells that are shown, a "most" only when no hidden cell could be larger. This
module words them in the briefing's language and takes them in turns, one from
each weight (lowest first), in questionnaire order, up to ``LIMIT``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from survey_app.briefing.texts import Numbers, Texts
from survey_app.definition.model import Instrument, text_in
from survey_app.questions import question_type
from survey_app.questions.findings import (
    Amount,
    Candidate,
    Decimal,
    Interval,
    Label,
    Param,
    Percent,
    Respondents,
    TopBox,
    Words,
)
from survey_app.questions.likert_scale import top_labels

#: At most this many findings.
LIMIT = 8
#: Sentences with a placeholder that may be empty (a number's unit): tidied after filling.
TIDIED = frozenset({"finding_number"})


@dataclass(frozen=True)
class Finding:
    """One sentence of the key findings, under the (shortened) question it answers."""

    question: str
    text: str
    question_key: str
    #: Whether it names a leader the intervals do not back ("neither leads clearly").
    tie: bool = False


def short_question(label: str) -> str:
    """Return a question's first sentence (labels often add instructions after it)."""
    match = re.match(r"^(.+?[?:])\s", label)
    return match.group(1) if match else label


@dataclass(frozen=True)
class Writer:
    """What every sentence needs: the language's texts and number formats."""

    language: str
    respondents: str
    texts: Texts
    numbers: Numbers

    def label(self, thing: Any) -> str:
        """Return the label of a question, option or item, quoted."""
        text = text_in(thing.get("label"), self.language, "en") or str(thing.get("key", ""))
        return self.texts.quote(text)

    def word(self, value: Param) -> str:
        """Return a placeholder's value in words and numbers of the language."""
        if isinstance(value, Label):
            return self.label(value.thing)
        if isinstance(value, Amount):
            return self.numbers.number(value.value)
        if isinstance(value, Decimal):
            return self.numbers.decimal(value.value, value.digits)
        if isinstance(value, Percent):
            return self.numbers.percent(value.share)
        if isinstance(value, Interval):
            return self.numbers.interval(value.low, value.high)
        if isinstance(value, Words):
            return text_in(value.text, self.language, "en")
        if isinstance(value, TopBox):
            return top_labels(dict(value.summary), self.language, self.texts)
        if isinstance(value, Respondents):
            return self.respondents
        raise TypeError(f"no words for {value!r}")

    def sentence(self, candidate: Candidate) -> str:
        """Return the candidate's sentence, its placeholders filled."""
        words = {name: self.word(value) for name, value in candidate.params.items()}
        text = self.texts(candidate.text, **words)
        return _tidy(text) if candidate.text in TIDIED else text


def key_findings(
    summary: dict[str, Any],
    respondent: str,
    language: str,
    texts: Texts,
    numbers: Numbers,
    filtered: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Return up to ``LIMIT`` findings from a suppressed scope summary.

    ``filtered``: keys of questions asked only of some (``show_if``): their base says
    so ("146 Organisationen, denen die Frage gestellt wurde").
    """
    k = int(summary.get("min_group_size", 5))
    writer = Writer(language, texts(f"respondents_{respondent}"), texts, numbers)
    asked = Writer(language, texts(f"respondents_{respondent}_asked"), texts, numbers)
    by_weight: dict[int, list[Finding]] = {}
    for question in summary.get("questions", []):
        if question.get("suppressed") or not question.get("n"):
            continue
        writer_of = asked if question["key"] in filtered else writer
        short = short_question(text_in(question.get("label"), language, "en"))
        for candidate in question_type(question["type"]).key_finding_candidates(question, k):
            tie = candidate.text == "finding_no_clear_lead"
            text = writer_of.sentence(candidate)
            finding = Finding(short, text, question["key"], tie)
            by_weight.setdefault(candidate.weight, []).append(finding)
    turns = zip_longest(*(by_weight[weight] for weight in sorted(by_weight)))
    ordered = [finding for turn in turns for finding in turn if finding is not None]
    return ordered[:LIMIT]


def filtered_questions(instrument: Instrument) -> frozenset[str]:
    """Return the keys of the questions asked only of some respondents (``show_if``)."""
    return frozenset(q.key for q in instrument.questions() if q.show_if is not None)


def _tidy(text: str) -> str:
    """Drop the space an empty placeholder leaves ("1960 ;" -> "1960;")."""
    return re.sub(r" +([;,.)])", r"\1", re.sub(r"  +", " ", text))
