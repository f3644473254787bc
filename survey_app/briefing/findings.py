"""Key findings: plain sentences with their numbers, written from suppressed summaries.

Simple rules, one candidate per question at most (two for likert): the option
ranked first most often, the most frequent single or multiple choice, the most
and least positive likert statements, the mean rating, the median number. A
finding is only written from cells that are shown, and a "most" only when no
hidden cell could be larger (and there is no tie). Candidates are taken in
turns from each kind (ranking, likert, multiple choice, single choice, rating,
number), in questionnaire order, up to ``LIMIT``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from survey_app.briefing.figures import top_labels
from survey_app.briefing.texts import Numbers, Texts
from survey_app.definition.model import text_in

#: At most this many findings.
LIMIT = 8
#: The order in which kinds of findings take turns.
KINDS = ("ranking", "likert", "multi_choice", "single_choice", "rating", "number")


@dataclass(frozen=True)
class Finding:
    """One sentence of the key findings, under the (shortened) question it answers."""

    question: str
    text: str
    question_key: str


def short_question(label: str) -> str:
    """Return a question's first sentence (labels often add instructions after it)."""
    match = re.match(r"^(.+?[?:])\s", label)
    return match.group(1) if match else label


@dataclass(frozen=True)
class Writer:
    """What every rule needs to write a sentence."""

    language: str
    respondents: str
    texts: Texts
    numbers: Numbers
    k: int

    def label(self, thing: dict[str, Any]) -> str:
        """Return the label of a question, option or item, quoted."""
        text = text_in(thing.get("label"), self.language, "en") or str(thing.get("key", ""))
        return self.texts.quote(text)

    def share_fields(self, thing: dict[str, Any], prefix: str = "") -> dict[str, str]:
        """Return ``share`` and ``interval`` of a cell for the sentence templates."""
        return {
            "share": self.numbers.percent(thing[f"{prefix}share"]),
            "interval": self.numbers.interval(thing[f"{prefix}ci_low"], thing[f"{prefix}ci_high"]),
        }


def key_findings(
    summary: dict[str, Any], respondent: str, language: str, texts: Texts, numbers: Numbers
) -> list[Finding]:
    """Return up to ``LIMIT`` findings from a suppressed scope summary."""
    k = int(summary.get("min_group_size", 5))
    writer = Writer(language, texts(f"respondents_{respondent}"), texts, numbers, k)
    rules: dict[str, Callable[[dict[str, Any], Writer], list[str]]] = {
        "ranking": _ranking,
        "likert": _likert,
        "multi_choice": _multi_choice,
        "single_choice": _single_choice,
        "rating": _rating,
        "number": _number,
    }
    by_kind: dict[str, list[Finding]] = {kind: [] for kind in KINDS}
    for question in summary.get("questions", []):
        rule = rules.get(question["type"])
        if rule is None or question.get("suppressed") or not question.get("n"):
            continue
        asked = short_question(text_in(question.get("label"), language, "en"))
        for text in rule(question, writer):
            by_kind[question["type"]].append(Finding(asked, text, question["key"]))
    turns = zip_longest(*(by_kind[kind] for kind in KINDS))
    ordered = [finding for turn in turns for finding in turn if finding is not None]
    return ordered[:LIMIT]


def _leader(
    cells: list[dict[str, Any]], field: str, hidden_at_most: float
) -> dict[str, Any] | None:
    """Return the cell with the largest ``field`` if it is certainly the largest.

    ``hidden_at_most`` bounds what any hidden cell could hold; the leader must be
    larger than that and than the runner-up (no tie).
    """
    shown = [c for c in cells if not c.get("suppressed") and c.get(field) is not None]
    if not shown:
        return None
    ordered = sorted(shown, key=lambda c: c[field], reverse=True)
    top = ordered[0]
    if top[field] <= 0 or top[field] <= hidden_at_most:
        return None
    if len(ordered) > 1 and ordered[1][field] == top[field]:
        return None
    return top


def _ranking(question: dict[str, Any], w: Writer) -> list[str]:
    options = question.get("options", [])
    shown = sum(o["first_count"] for o in options if o.get("first_count") is not None)
    top = _leader(options, "first_count", question["n"] - shown)
    if top is None:
        return []
    return [
        w.texts(
            "finding_ranking",
            option=w.label(top),
            n=w.numbers.number(question["n"]),
            respondents=w.respondents,
            **w.share_fields(top, "first_"),
        )
    ]


def _single_choice(question: dict[str, Any], w: Writer) -> list[str]:
    options = question.get("options", [])
    shown = sum(o["count"] for o in options if o.get("count") is not None)
    top = _leader(options, "count", question["n"] - shown)
    return _choice_sentence("finding_single_choice", question, top, w)


def _multi_choice(question: dict[str, Any], w: Writer) -> list[str]:
    options = question.get("options", [])
    # Its options are no partition (no complements): one is hidden only when small.
    bound = w.k - 1 if any(o.get("suppressed") for o in options) else 0
    top = _leader(options, "count", bound)
    return _choice_sentence("finding_multi_choice", question, top, w)


def _choice_sentence(
    key: str, question: dict[str, Any], top: dict[str, Any] | None, w: Writer
) -> list[str]:
    if top is None or top.get("share") is None:
        return []
    return [
        w.texts(
            key,
            option=w.label(top),
            n=w.numbers.number(question["n"]),
            respondents=w.respondents,
            **w.share_fields(top),
        )
    ]


def _likert(question: dict[str, Any], w: Writer) -> list[str]:
    # Items nobody answered do not count; a hidden one could be the highest or lowest.
    items = [i for i in question.get("items", []) if i.get("suppressed") or i.get("n")]
    if not items or any(item.get("top2_share") is None for item in items):
        return []
    top = top_labels(question, w.language, w.texts)

    def sentence(key: str, item: dict[str, Any]) -> str:
        return w.texts(
            key,
            item=w.label(item),
            top=top,
            n=w.numbers.number(item["n"]),
            **w.share_fields(item, "top2_"),
        )

    if len(items) == 1:
        return [sentence("finding_likert_one", items[0])]
    ordered = sorted(items, key=lambda item: item["top2_share"], reverse=True)
    high, low = ordered[0], ordered[-1]
    shares = [item["top2_share"] for item in ordered]
    found = []
    if shares[0] > shares[1]:
        found.append(sentence("finding_likert_high", high))
    if shares[-1] < shares[-2]:
        found.append(sentence("finding_likert_low", low))
    return found


def _rating(question: dict[str, Any], w: Writer) -> list[str]:
    if question.get("mean") is None:
        return []
    return [
        w.texts(
            "finding_rating",
            mean=w.numbers.decimal(question["mean"], 1),
            max=w.numbers.number(len(question.get("options", []))),
            median=w.numbers.number(question.get("median")),
            n=w.numbers.number(question["n"]),
            respondents=w.respondents,
        )
    ]


def _number(question: dict[str, Any], w: Writer) -> list[str]:
    if any(question.get(field) is None for field in ("median", "q1", "q3")):
        return []
    unit = text_in(question.get("unit"), w.language, "en")
    return [
        _tidy(
            w.texts(
                "finding_number",
                median=w.numbers.number(question["median"]),
                q1=w.numbers.number(question["q1"]),
                q3=w.numbers.number(question["q3"]),
                unit=unit,
                n=w.numbers.number(question["n"]),
                respondents=w.respondents,
            )
        )
    ]


def _tidy(text: str) -> str:
    """Drop the space an empty placeholder leaves ("1960 ;" -> "1960;")."""
    return re.sub(r" +([;,.)])", r"\1", re.sub(r"  +", " ", text))
