"""The typed shapes of question summaries (what ``QuestionType.summarize`` returns).

They are TypedDicts: at run time plain dicts, so that summaries serialise to the
same JSON as always (the API and its OpenAPI document describe it). A key marked
``NotRequired`` is absent where suppression hid a cell or a statistic
(``results.suppression``: hidden things keep only what identifies them and get
``"suppressed": true`` with a ``"reason"``, see ``questions.hidden``); the identity
keys (``key``, ``type``, ``label``, ...) are always there. Shares and intervals are
None when nobody answered (n = 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NotRequired, TypedDict

from survey_app.definition.model import Text

#: Why a thing is hidden: a count of 1 to k-1, or one hidden to protect a small group.
Reason = Literal["small", "protects", "withheld"]


class Counted(TypedDict):
    """A counted cell: count and share of the respondents with its 95 % interval."""

    count: NotRequired[int]
    share: NotRequired[float | None]
    ci_low: NotRequired[float | None]
    ci_high: NotRequired[float | None]
    suppressed: NotRequired[Literal[True]]
    reason: NotRequired[Reason]


class OptionCell(Counted):
    """An option of a choice question (``"other"`` included) or a coded theme."""

    key: str
    label: Text


class RatingPoint(OptionCell):
    """A point 1..max of a rating (``key`` is the point written as text)."""

    value: int


class RankedOption(OptionCell):
    """A ranking option: ``count``/``share`` are those of ``top_`` (ranked at all)."""

    first_count: NotRequired[int]
    first_share: NotRequired[float | None]
    first_ci_low: NotRequired[float | None]
    first_ci_high: NotRequired[float | None]
    #: Why the first places are hidden (then the ``first_*`` fields and ``borda`` are absent).
    first_reason: NotRequired[Reason]
    top_count: NotRequired[int]
    top_share: NotRequired[float | None]
    top_ci_low: NotRequired[float | None]
    top_ci_high: NotRequired[float | None]
    #: Mean Borda points per respondent (None when nobody ranked).
    borda: NotRequired[float | None]
    #: How many put it in each place, 1 to N (raw summaries only: never published, but
    #: ``borda`` times n is their weighted sum, so they are protected as cells).
    place_counts: NotRequired[list[int]]


class ScalePointInfo(TypedDict):
    """A point of a likert scale."""

    key: str
    label: Text
    value: float


class PointCell(Counted):
    """How many gave an item one point of the scale."""

    key: str
    label: Text
    value: float


class LikertItem(TypedDict):
    """A likert item: its distribution over the scale, mean and top-2 share."""

    key: str
    label: Text
    n: NotRequired[int]
    distribution: NotRequired[list[PointCell]]
    mean: NotRequired[float | None]
    top2_count: NotRequired[int]
    top2_share: NotRequired[float | None]
    top2_ci_low: NotRequired[float | None]
    top2_ci_high: NotRequired[float | None]
    #: With "don't know" offered: who chose a point (the base of the shares, mean, top-2).
    n_scale: NotRequired[int]
    #: With "don't know" offered: its count, and share of all ``n`` who answered the item.
    dont_know: NotRequired[OptionCell]
    suppressed: NotRequired[Literal[True]]
    reason: NotRequired[Reason]


class HistogramBin(TypedDict):
    """A bin ``low`` <= value < ``high`` (the last one includes ``high``)."""

    low: float
    high: float
    count: NotRequired[int]
    suppressed: NotRequired[Literal[True]]
    reason: NotRequired[Reason]


class Term(TypedDict):
    """A frequent term of free-text answers and how many answers use it."""

    term: str
    count: int


class QuestionHead(TypedDict):
    """What every question summary starts with."""

    key: str
    type: str
    label: Text
    n: NotRequired[int]
    suppressed: NotRequired[Literal[True]]
    reason: NotRequired[Reason]


class ChoiceSummary(QuestionHead):
    """single_choice and multi_choice: every option counted."""

    options: NotRequired[list[OptionCell]]


class RatingSummary(QuestionHead):
    """rating: every point counted, mean and median."""

    options: NotRequired[list[RatingPoint]]
    mean: NotRequired[float | None]
    median: NotRequired[float | None]
    #: With "don't know" offered: who chose a point (the base of the shares, mean, median).
    n_scale: NotRequired[int]
    #: With "don't know" offered: its count, and share of all ``n`` who answered.
    dont_know: NotRequired[OptionCell]


class RankingSummary(QuestionHead):
    """ranking: options by mean Borda points; ``rank`` places."""

    rank: NotRequired[int]
    options: NotRequired[list[RankedOption]]


class PointsOption(OptionCell):
    """An option: ``count``/``share`` are of the respondents who gave it any point."""

    #: Points given to it in all; absent where hidden (it would bound a hidden count).
    points_total: NotRequired[int]
    #: Its share of all points given (points_total / (N * n)).
    points_share: NotRequired[float | None]
    #: Mean points per respondent, of all who answered (0 counted).
    mean_points: NotRequired[float | None]


class PointsSummary(QuestionHead):
    """points: the budget and each option's points and givers, most points first."""

    points: NotRequired[int]
    options: NotRequired[list[PointsOption]]


class LikertSummary(QuestionHead):
    """likert: the scale, its top-2 points, and each item."""

    scale: NotRequired[list[ScalePointInfo]]
    top2_points: NotRequired[list[str]]
    items: NotRequired[list[LikertItem]]
    #: With "don't know" offered: its label (each item counts it apart).
    dont_know_label: NotRequired[Text]


class NumberSummary(QuestionHead):
    """number: n, mean, median, quartiles and a histogram."""

    integer: NotRequired[bool]
    unit: NotRequired[Text]
    mean: NotRequired[float | None]
    median: NotRequired[float | None]
    q1: NotRequired[float | None]
    q3: NotRequired[float | None]
    histogram: NotRequired[list[HistogramBin]]


class TextSummary(QuestionHead):
    """short_text and long_text: how many answered, frequent terms, coded themes."""

    terms: NotRequired[list[Term]]
    themes: NotRequired[list[OptionCell]]


@dataclass(frozen=True)
class OptionTotal:
    """An option's total of the values its respondents gave it (e.g. points): a cell.

    Each respondent counted in the option's ``count`` gave it ``low`` to ``high``;
    where each respondent's values add up to ``per_respondent`` over the options, the
    totals add up to that times n. The total is protected with the counts
    (``results.cells``): it bounds the count (a total of 1 point: one respondent).
    ``field`` is the option field holding it; ``derived`` the fields computed from it,
    left out where it is hidden.
    """

    field: str
    low: int
    high: int
    per_respondent: int | None = None
    derived: tuple[str, ...] = ()
