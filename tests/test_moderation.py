"""Free-text moderation over HTTP; only approved answers reach a briefing."""

from __future__ import annotations

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Answer

from .briefing_helpers import SECRET, fill, pdf_text
from .helpers import token_of
from .results_helpers import ALL_TYPES


def text_answer_ids(app, workshop_id: int, contains: str) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Answer.id).where(
                    Answer.workshop_id == workshop_id, Answer.value_text.contains(contains)
                )
            )
        )


def test_moderation_filters_approves_hides_and_undoes(app, make_workshop, logged_in_client):
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    client = logged_in_client("facilitator", workshop.series_id)
    page = client.get(f"/workshops/{workshop.id}/texts").get_data(as_text=True)
    assert page.count('class="text-answer') == 15 + 6  # expectations for all, detail for religion
    narrowed = client.get(
        f"/workshops/{workshop.id}/texts?question=expectations&q=Nummer%203"
    ).get_data(as_text=True)
    assert narrowed.count('class="text-answer') == 1 and "Nummer 3" in narrowed
    [answer_id] = text_answer_ids(app, workshop.id, "Nummer 3")
    token = token_of(page)
    url = f"/workshops/{workshop.id}/texts/{answer_id}"
    assert client.post(url, data={"csrf_token": token, "state": "approved"}).status_code == 302
    approved = client.get(f"/workshops/{workshop.id}/texts?state=approved").get_data(as_text=True)
    assert approved.count('class="text-answer') == 1 and "Nummer 3" in approved
    assert client.post(url, data={"csrf_token": token, "state": "hidden"}).status_code == 302
    assert (
        client.get(f"/workshops/{workshop.id}/texts?state=approved")
        .get_data(as_text=True)
        .count('class="text-answer')
        == 0
    )
    assert client.post(url, data={"csrf_token": token, "state": "none"}).status_code == 302
    assert (
        client.get(f"/workshops/{workshop.id}/texts?state=open")
        .get_data(as_text=True)
        .count('class="text-answer')
        == 21
    )
    assert client.post(url, data={"csrf_token": token, "state": "publish"}).status_code == 400
    assert client.post(url, data={"state": "approved"}).status_code == 400  # no CSRF token


def test_moderation_text_is_escaped(make_workshop, logged_in_client, add_responses):
    from .results_helpers import answers_of

    workshop = make_workshop(ALL_TYPES)
    script = ("q.expectations", "<script>alert(1)</script>")
    add_responses(workshop, [answers_of("culture", ["funding"], "yes", script)])
    client = logged_in_client("facilitator", workshop.series_id)
    page = client.get(f"/workshops/{workshop.id}/texts").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_only_approved_answers_are_quoted_in_the_briefing(app, make_workshop, logged_in_client):
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    client = logged_in_client("facilitator", workshop.series_id)
    before = client.get(f"/workshops/{workshop.id}/briefing.pdf?lang=de")
    assert before.status_code == 200
    assert SECRET not in pdf_text(before.data)
    [answer_id] = text_answer_ids(app, workshop.id, "Nummer 5")
    page = client.get(f"/workshops/{workshop.id}/texts").get_data(as_text=True)
    client.post(
        f"/workshops/{workshop.id}/texts/{answer_id}",
        data={"csrf_token": token_of(page), "state": "approved"},
    )
    after = pdf_text(client.get(f"/workshops/{workshop.id}/briefing.pdf?lang=de").data)
    assert "Nummer 5" in after  # the approved quote, and the cache noticed the approval
    assert "Nummer 4" not in after and "Sport 4711" not in after
    assert after.count(SECRET) == 1  # in the approved quote only: no other answer is printed
