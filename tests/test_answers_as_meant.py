"""Every answer as the participant meant it: line breaks, numbers in the form's language,
no empty or second response, no "other" text lost, edit links only for their browser."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from survey_app.extensions import db
from survey_app.models import Answer, Response

from .conftest import FIXTURES
from .helpers import hidden_fields, open_form, post_form


@pytest.fixture
def workshop(make_workshop):
    """An open workshop whose questions are all optional (German and English)."""
    return make_workshop(FIXTURES / "optional-answers.yaml")


def stored(app, question: str) -> list[tuple[str | None, float | None, str | None]]:
    """Return the stored (option, number, text) rows of ``question``, in storage order."""
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(Answer.option_key, Answer.value_num, Answer.value_text)
                .where(Answer.question_key == question)
                .order_by(Answer.id)
            )
        ]


def responses(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Response.id))) or 0


def test_a_text_up_to_its_maxlength_with_line_breaks_is_taken(app, workshop):
    """Browsers send CRLF; the 20 characters typed (two line breaks) are 20, not 22."""
    client = app.test_client()
    typed = "Mehr\r\nRäume\r\nund Gel"  # 18 characters as typed (LF: 1 each)
    assert len(typed.replace("\r\n", "\n")) == 18
    sent = post_form(client, workshop.join_code, open_form(client, workshop.join_code, "de"),
                     [("q.remark", typed + "!!")])  # fmt: skip
    assert sent.status_code == 200, sent.get_data(as_text=True)
    assert stored(app, "remark") == [(None, None, "Mehr\nRäume\nund Gel!!")]
    too_long = app.test_client()
    refused = post_form(too_long, workshop.join_code, open_form(too_long, workshop.join_code, "de"),
                        [("q.remark", typed + "!!!")])  # fmt: skip
    assert refused.status_code == 422


@pytest.mark.parametrize(
    ("typed", "language", "expected"),
    [("1.234,5", "de", 1234.5), ("2,5", "de", 2.5), ("1,234.5", "en", 1234.5), ("٣٫٥", "de", 3.5)],
)
def test_numbers_follow_the_forms_language(app, workshop, typed, language, expected):
    client = app.test_client()
    fields = open_form(client, workshop.join_code, language)
    sent = post_form(client, workshop.join_code, fields, [("q.budget", typed)])
    assert sent.status_code == 200
    assert stored(app, "budget") == [(None, expected, None)]


def test_an_ambiguous_number_is_asked_back_with_the_number_understood(app, workshop):
    client = app.test_client()
    fields = open_form(client, workshop.join_code, "de")
    asked = post_form(client, workshop.join_code, fields, [("q.budget", "2.500")])
    assert asked.status_code == 422
    html = asked.get_data(as_text=True)
    assert "„2.500“" in html or "“2.500”" in html
    assert "2500" in html and "2,5" in html  # both readings, without digit groups
    assert 'value="2.500"' in html  # what was typed stays in the box
    assert responses(app) == 0
    assert '<input type="hidden" name="q.budget.confirmed" value="2.500">' in html
    again = {**hidden_fields(html), "q.budget.confirmed": "2.500"}
    kept = post_form(client, workshop.join_code, again, [("q.budget", "2.500")])
    assert kept.status_code == 200
    assert stored(app, "budget") == [(None, 2500.0, None)]
    # A whole-number question has one reading: 1.000 members are a thousand.
    other = app.test_client()
    post_form(other, workshop.join_code, open_form(other, workshop.join_code, "en"),
              [("q.members", "1.000")])  # fmt: skip
    assert stored(app, "members") == [(None, 1000.0, None)]


@pytest.mark.parametrize("answers", [[], [("q.remark", "   \r\n  ")], [("q.budget", "")]])
def test_an_empty_response_is_refused_and_not_counted(app, workshop, answers):
    client = app.test_client()
    sent = post_form(
        client, workshop.join_code, open_form(client, workshop.join_code, "en"), answers
    )
    assert sent.status_code == 422
    assert "please answer at least one question" in sent.get_data(as_text=True)
    assert responses(app) == 0


def test_other_text_under_another_option_is_asked_back_not_dropped(app, workshop):
    client = app.test_client()
    fields = open_form(client, workshop.join_code, "de")
    answers = [("q.org_type", "sports"), ("q.org_type.other", "Elternverein")]
    asked = post_form(client, workshop.join_code, fields, answers)
    assert asked.status_code == 422
    html = asked.get_data(as_text=True)
    assert 'value="Elternverein"' in html and 'value="sports" checked' in html
    assert 'href="#q-org_type"' in html  # the summary names the question
    assert responses(app) == 0
    chosen = post_form(client, workshop.join_code, hidden_fields(html),
                       [("q.org_type", "other"), ("q.org_type.other", "Elternverein")])  # fmt: skip
    assert chosen.status_code == 200
    assert stored(app, "org_type") == [("other", None, "Elternverein")]
    # Typing the text alone chooses "other", as before.
    alone = app.test_client()
    post_form(alone, workshop.join_code, open_form(alone, workshop.join_code, "de"),
              [("q.org_type.other", "Chor")])  # fmt: skip
    assert stored(app, "org_type")[-1] == ("other", None, "Chor")


def test_back_or_reload_after_sending_never_stores_a_second_response(app, workshop):
    client = app.test_client()
    fields = open_form(client, workshop.join_code, "de")
    first = post_form(client, workshop.join_code, fields, [("q.budget", "100")])
    assert first.status_code == 200 and "/edit/" in first.get_data(as_text=True)
    back = client.get(f"/j/{workshop.join_code}?lang=de")  # Back (reloaded) or the link again
    html = back.get_data(as_text=True)
    assert back.status_code == 200 and 'name="submission_id"' not in html
    assert f"/edit/{fields['submission_id']}/" in html and "new=1" in html
    # Back from the cache: the old form, changed and sent again, changes the one response.
    changed = post_form(client, workshop.join_code, fields, [("q.budget", "150")])
    assert changed.status_code == 200
    assert responses(app) == 1 and stored(app, "budget") == [(None, 150.0, None)]
    # Someone else on the same phone starts a new response on purpose.
    fresh = client.get(f"/j/{workshop.join_code}?lang=de&new=1")
    assert 'name="submission_id"' in fresh.get_data(as_text=True)
    second = hidden_fields(fresh.get_data(as_text=True))
    assert post_form(client, workshop.join_code, second, [("q.budget", "7")]).status_code == 200
    assert responses(app) == 2


def test_a_replay_from_another_browser_gets_no_edit_link(app, workshop):
    owner, replayer = app.test_client(), app.test_client()
    fields = open_form(owner, workshop.join_code, "de")
    answers = [("q.budget", "100")]
    assert "/edit/" in post_form(owner, workshop.join_code, fields, answers).get_data(as_text=True)
    own = open_form(replayer, workshop.join_code, "de")
    replay = post_form(replayer, workshop.join_code,
                       {**own, "submission_id": fields["submission_id"]}, answers)  # fmt: skip
    assert replay.status_code == 200
    assert "/edit/" not in replay.get_data(as_text=True)
    assert responses(app) == 1


def test_two_tabs_of_one_browser_keep_one_response(app, workshop):
    """Two forms opened side by side (each with its own id): the second sent changes the
    first one's response instead of storing another."""
    client = app.test_client()
    first_tab = open_form(client, workshop.join_code, "de")
    second_tab = open_form(client, workshop.join_code, "de")
    assert first_tab["submission_id"] != second_tab["submission_id"]
    assert (
        post_form(client, workshop.join_code, first_tab, [("q.budget", "100")]).status_code == 200
    )
    later = post_form(client, workshop.join_code, second_tab, [("q.budget", "250")])
    assert later.status_code == 200
    assert f"/edit/{first_tab['submission_id']}/" in later.get_data(as_text=True)
    assert responses(app) == 1 and stored(app, "budget") == [(None, 250.0, None)]


@pytest.mark.parametrize(
    ("language", "example"), [("en", "e.g. 12 or 3.5."), ("de", "z. B. 12 oder 3,5.")]
)
def test_the_number_remark_writes_its_example_as_the_language_does(
    app, workshop, language, example
):
    client = app.test_client()
    fields = open_form(client, workshop.join_code, language)
    answer = post_form(client, workshop.join_code, fields, [("q.budget", "viel")])
    assert answer.status_code == 422 and example in answer.get_data(as_text=True)
