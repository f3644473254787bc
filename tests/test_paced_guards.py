"""Facilitator-paced mode: what a phone or a script may not do, and what it is told."""

from __future__ import annotations

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Answer, PaceState, Response, Workshop, WorkshopState

from .test_paced import move, open_phone, paced, room  # noqa: F401  (paced is a fixture)


def test_an_unpaced_workshop_takes_no_single_answers(app, paced, logged_in_client):  # noqa: F811
    """Single answers skip the questionnaire's required questions: only paced rooms take them."""
    move(logged_in_client("facilitator", paced.series_id), paced, "next")
    phone = app.test_client()
    _, fields = open_phone(phone, paced.join_code)
    with app.app_context():
        db.session.get(Workshop, paced.id).paced = False
        db.session.commit()
    data = {**fields, "q.org_type": "culture", "consent": "yes"}
    sent = phone.post(f"/j/{paced.join_code}/answer", data=data)
    assert sent.status_code == 303 and sent.location.endswith(f"/j/{paced.join_code}?lang=de")
    with app.app_context():
        assert db.session.scalar(select(Response.id)) is None


def test_knowing_a_phones_submission_id_does_not_change_its_answers(app, paced, logged_in_client):  # noqa: F811
    move(logged_in_client("facilitator", paced.series_id), paced, "next")
    victim, intruder = app.test_client(), app.test_client()
    _, fields = open_phone(victim, paced.join_code)
    data = {**fields, "q.org_type": "culture", "consent": "yes"}
    assert victim.post(f"/j/{paced.join_code}/answer", data=data).status_code == 303
    _, own = open_phone(intruder, paced.join_code)
    replay = {
        **own,
        "submission_id": fields["submission_id"],
        "q.org_type": "sports",
        "consent": "yes",
    }
    assert intruder.post(f"/j/{paced.join_code}/answer", data=replay).status_code == 303
    with app.app_context():
        by_response = {
            submission: option
            for submission, option in db.session.execute(
                select(Response.submission_id, Answer.option_key).join(Answer)
            )
        }
    assert by_response[fields["submission_id"]] == "culture"  # the victim's answer stands
    assert sorted(by_response.values()) == ["culture", "sports"]  # the intruder has its own


def test_a_closed_workshops_room_does_not_move_and_scripts_get_json(app, paced, logged_in_client):  # noqa: F811
    facilitator = logged_in_client("facilitator", paced.series_id)
    move(facilitator, paced, "next")
    with app.app_context():
        db.session.get(Workshop, paced.id).state = WorkshopState.closed
        db.session.commit()
    before = room(app, paced)
    refused = move(facilitator, paced, "next", json=True)
    assert refused.status_code == 409
    assert refused.get_json()["reason"].startswith(("The workshop is closed", "Der Workshop ist"))
    assert room(app, paced) == before
    page = move(facilitator, paced, "next")
    assert page.status_code == 409 and "<html" in page.get_data(as_text=True)
    unknown = facilitator.post(
        f"/workshops/{paced.id}/pace",
        data={"move": "nope"},
        headers={"Accept": "application/json"},
    )
    assert unknown.status_code == 400 and unknown.is_json  # no CSRF token: JSON, not a page


def test_a_phone_waiting_for_a_paced_room_follows_it_once_open(app, paced, logged_in_client):  # noqa: F811
    """The 'closed' page of a paced room asks where the room is (paced.js), so a reopening
    brings the question back without a reload."""
    with app.app_context():
        db.session.get(Workshop, paced.id).state = WorkshopState.closed
        db.session.commit()
    html = app.test_client().get(f"/j/{paced.join_code}").get_data(as_text=True)
    assert 'id="paced"' in html and 'data-state="closed"' in html
    assert f'data-now-url="/j/{paced.join_code}/now"' in html and "paced.js" in html
    assert room(app, paced)[0] is PaceState.waiting
