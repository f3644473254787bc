"""The wall of open answers for the room: approved answers and their word cloud.

Free text reaches a screen only after a facilitator approved it (``TextReview``);
the word cloud is counted from those approved answers alone, in every language
of the questionnaire and of the answers, without stop words, and shows a word only
when at least k approved answers use it (k: the screen's threshold), so that no
word points at fewer than k people.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from survey_app.models import Answer, Response, ReviewState, TextReview, counted_answers
from survey_app.questions.text_terms import term_counts

#: The most approved answers one question's wall shows (newest first).
WALL_SIZE = 30
#: The most approved answers of one question read for its word cloud (newest first).
CLOUD_BASIS = 5000
#: The most words a cloud shows.
CLOUD_SIZE = 40
#: Steps of type size in a cloud (1: smallest).
CLOUD_STEPS = 5


@dataclass(frozen=True)
class WallText:
    """One approved answer: its text and the language it was given in."""

    text: str
    language: str


@dataclass(frozen=True)
class CloudWord:
    """A word of the cloud: how many approved answers use it and its size step (1-5)."""

    term: str
    count: int
    step: int


def approved_texts(
    session: Session, workshop_ids: Sequence[int], keys: Iterable[str]
) -> dict[str, list[WallText]]:
    """Return ``{question key: [approved answers, newest first]}`` (at most CLOUD_BASIS each:
    the cloud counts them all, the wall shows the first WALL_SIZE)."""
    wanted = list(keys)
    found: dict[str, list[WallText]] = {key: [] for key in wanted}
    if not wanted or not workshop_ids:
        return found
    # Driven by the approved reviews (few), each answer found by its primary key: a
    # join from the workshop's answers (hundreds of thousands) would visit them all.
    approved = select(TextReview.answer_id).where(TextReview.state == ReviewState.approved)
    rows = session.execute(
        select(Answer.question_key, Answer.value_text, Response.language)
        .join(Response, Response.id == Answer.response_id)
        .where(Answer.id.in_(approved))
        .where(Answer.workshop_id.in_(workshop_ids), Answer.question_key.in_(wanted))
        .where(Answer.value_text.is_not(None), counted_answers(workshop_ids))
        .order_by(Answer.id.desc())
    )
    for key, text, language in rows:
        if len(found[key]) < CLOUD_BASIS:
            found[key].append(WallText(text or "", language))
    return found


def review_version(session: Session, workshop_ids: Sequence[int]) -> str:
    """Return a short text that changes whenever a review of the workshops' answers changes.

    Approving, hiding or taking back a decision changes what a wall shows without
    changing the responses, so a screen's ETag needs this beside the data version.
    """
    of_workshops = exists().where(
        Answer.id == TextReview.answer_id, Answer.workshop_id.in_(workshop_ids)
    )  # per review, one primary-key lookup (not a scan of the workshops' answers)
    count, ids, latest, approved = session.execute(
        select(
            func.count(TextReview.id),
            func.sum(TextReview.id),
            func.max(TextReview.reviewed_at),
            func.count(TextReview.id).filter(TextReview.state == ReviewState.approved),
        ).where(of_workshops)
    ).one()
    stamp = latest.timestamp() if latest else 0
    return f"{count}.{ids or 0}.{stamp}.{approved}"


def word_cloud(
    texts: Iterable[WallText], languages: Iterable[str], min_count: int, limit: int = CLOUD_SIZE
) -> list[CloudWord]:
    """Return the cloud of ``texts``: words used in at least ``min_count`` answers.

    Counts are answers using a word (``term_counts``: stop words of the answer's
    language and of ``languages`` removed). Sizes run in CLOUD_STEPS steps from the
    least to the most used word shown; words are sorted alphabetically (a cloud
    has no reading order that should suggest a ranking). Empty if no word is used
    by ``min_count`` answers.
    """
    counts = term_counts(((t.language, t.text) for t in texts), languages)
    kept = sorted(
        ((term, count) for term, count in counts.items() if count >= max(1, min_count)),
        key=lambda pair: (-pair[1], pair[0]),
    )[:limit]
    if not kept:
        return []
    low, high = kept[-1][1], kept[0][1]
    span = max(1, high - low)
    words = [
        CloudWord(term, count, 1 + round((CLOUD_STEPS - 1) * (count - low) / span))
        for term, count in kept
    ]
    return sorted(words, key=lambda word: word.term)
