"""Key-finding candidates: what a question type offers the briefing to put in words.

A type looks at its suppressed summary and returns candidates: the key of a
sentence in the briefing's texts (``finding_*`` in ``reports/<template>/texts.yaml``),
its placeholders as typed values, and a weight. The briefing words the values in its
language (quoted labels, percentages, numbers) and takes the candidates in turns,
one from each weight, lowest weight first, in questionnaire order within a weight.

Weights in use: ranking 10, likert 20, multiple choice 30, single choice 40,
rating 50, number 60. A type that should take its own turn picks a weight of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from survey_app.definition.model import Text
from survey_app.questions.hidden import SMALL, hidden_reason


@dataclass(frozen=True)
class Label:
    """The label of a question, option or item (``{"label": {lang: text}, "key": ...}``), quoted."""

    thing: Mapping[str, Any]


@dataclass(frozen=True)
class Amount:
    """A count or measured number; whole numbers without decimals."""

    value: float | None


@dataclass(frozen=True)
class Decimal:
    """A number with ``digits`` decimals."""

    value: float | None
    digits: int = 1


@dataclass(frozen=True)
class Percent:
    """A share 0..1 as a whole percentage."""

    share: float | None


@dataclass(frozen=True)
class Interval:
    """A confidence interval of shares."""

    low: float | None
    high: float | None


@dataclass(frozen=True)
class Words:
    """Text of the instrument in several languages (``{lang: text}``), e.g. a unit."""

    text: Text | None


@dataclass(frozen=True)
class TopBox:
    """The names of a likert summary's top-box points ("agree" or "strongly agree")."""

    summary: Mapping[str, Any]


@dataclass(frozen=True)
class Respondents:
    """What the questionnaire calls its respondents (people, organizations)."""


#: The values a candidate's placeholders hold.
Param = Label | Amount | Decimal | Percent | Interval | Words | TopBox | Respondents


@dataclass(frozen=True)
class Candidate:
    """One key finding a question offers: sentence key, placeholder values, turn weight."""

    text: str
    params: dict[str, Param] = field(default_factory=dict)
    weight: int = 0


def share_params(cell: Mapping[str, Any], prefix: str = "") -> dict[str, Param]:
    """Return the ``share`` and ``interval`` placeholders of a cell (fields with ``prefix``)."""
    return {
        "share": Percent(cell[f"{prefix}share"]),
        "interval": Interval(cell[f"{prefix}ci_low"], cell[f"{prefix}ci_high"]),
    }


def leader(
    cells: Sequence[Mapping[str, Any]], field: str, hidden_at_most: float
) -> Mapping[str, Any] | None:
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


def most_hidden(cells: Sequence[Mapping[str, Any]], k: int, n: int) -> int:
    """Return the most that any hidden cell could hold, from the reasons they are hidden.

    0 if none is hidden; k-1 if every hidden one is small ("fewer than k"); else ``n``:
    a cell hidden to protect a small group is 0 or at least k, and may be the largest.
    """
    reasons = {hidden_reason(c) for c in cells} - {None}
    if not reasons:
        return 0
    return k - 1 if reasons == {SMALL} else n


def partition_leader(
    cells: Sequence[Mapping[str, Any]], field: str, n: int
) -> Mapping[str, Any] | None:
    """Return the leader of cells that partition ``n`` respondents (see ``leader``).

    Hidden cells together hold what the shown ones leave of ``n``, so none can hold more.
    """
    shown = sum(c[field] for c in cells if c.get(field) is not None)
    return leader(cells, field, n - shown)


def option_finding(
    text: str,
    top: Mapping[str, Any] | None,
    n: int,
    weight: int,
    prefix: str = "",
    cells: Sequence[Mapping[str, Any]] = (),
) -> list[Candidate]:
    """Return the leading option ``top`` as a finding (none without a leader or its share).

    ``prefix`` picks the count and share fields (``first_`` for the share ranked
    first). Where the runner-up among ``cells`` lies within the leader's 95 %
    interval (the two Wilson intervals overlap), the finding names both and says
    that neither leads clearly (``finding_no_clear_lead``).
    """
    if top is None or top.get(f"{prefix}share") is None:
        return []
    params: dict[str, Param] = {
        "option": Label(top),
        "n": Amount(n),
        "respondents": Respondents(),
        **share_params(top, prefix),
    }
    second = runner_up(cells, f"{prefix}count", top)
    if second is not None and not separated(top, second, prefix):
        params["other"] = Label(second)
        params["other_share"] = Percent(second[f"{prefix}share"])
        return [Candidate("finding_no_clear_lead", params, weight)]
    return [Candidate(text, params, weight)]


def runner_up(
    cells: Sequence[Mapping[str, Any]], field: str, top: Mapping[str, Any]
) -> Mapping[str, Any] | None:
    """Return the shown cell with the largest ``field`` after ``top`` (None if none)."""
    shown = [
        c for c in cells if c is not top and not c.get("suppressed") and c.get(field) is not None
    ]
    return max(shown, key=lambda c: c[field], default=None)


def separated(first: Mapping[str, Any], second: Mapping[str, Any], prefix: str = "") -> bool:
    """Say whether ``first``'s 95 % interval lies wholly above ``second``'s.

    Only then is "most" or "most positive" written: overlapping intervals (46.5 %
    and 47.3 % of about 250) are no clear difference. A conservative rule: two
    overlapping intervals can still differ significantly, never the other way.
    """
    low, high = first.get(f"{prefix}ci_low"), second.get(f"{prefix}ci_high")
    return low is not None and high is not None and low > high
