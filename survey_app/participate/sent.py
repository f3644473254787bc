"""What this browser has sent: its answers are its own, never stored twice.

After a questionnaire is stored, the session cookie keeps its ``submission_id`` under
the workshop's join code. With that:

- the browser that comes back to ``/j/<CODE>`` (Back, reload, the join link again) gets
  its thank-you page with its edit link, not a fresh form that would store a second
  response; ``?new=1`` starts another response on purpose (a phone passed on);
- a form sent again from that browser (Back restored it from the cache, or a second
  tab opened before the first sent) changes that response, as its edit link would;
- the edit link is shown only to the browser that sent the answers: a replay of the
  same ``submission_id`` and answers from elsewhere gets a thank-you without it.

Nothing about the browser is stored beyond the id it was given.
"""

from __future__ import annotations

from flask import session

from survey_app.models import Response, Workshop
from survey_app.responses.operations import is_submission_id, response_by_submission


def session_key(workshop: Workshop) -> str:
    """Return the session entry that holds the id this browser sent answers under."""
    return f"sent:{workshop.join_code}"


def remember_sent(workshop: Workshop, submission_id: str) -> None:
    """Note that this browser sent (or changed) the answers stored under ``submission_id``."""
    if session.get(session_key(workshop)) != submission_id:
        session[session_key(workshop)] = submission_id


def forget_sent(workshop: Workshop) -> None:
    """Start afresh: the next form of this browser is a new response."""
    session.pop(session_key(workshop), None)


def sent_here(workshop: Workshop, submission_id: str) -> bool:
    """Say whether this browser sent the answers stored under ``submission_id``."""
    return session.get(session_key(workshop)) == submission_id


def sent_response(workshop: Workshop) -> Response | None:
    """Return the response this browser sent to ``workshop`` (None: none, or deleted)."""
    submission_id = session.get(session_key(workshop))
    if not submission_id or not is_submission_id(submission_id):
        return None
    response = response_by_submission(submission_id)
    return response if response is not None and response.workshop_id == workshop.id else None
