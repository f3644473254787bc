"""A part checked before moving on (as sending would check it), and answers cleared."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Answer

from .conftest import FIXTURES
from .helpers import hidden_fields, open_form, post_form
from .test_paced import move, open_phone, paced  # noqa: F401  (paced is a fixture)


@pytest.fixture
def workshop(make_workshop):
    return make_workshop(FIXTURES / "all-types.yaml")


def test_a_part_is_checked_as_sending_would_check_it(app, workshop):
    client = app.test_client()
    fields = open_form(client, workshop.join_code, "de")
    data = {
        **fields,
        "q.members": "zwölf",  # no number
        "q.fields": ["youth", "health", "education"],
        "q.budget": "2.500",  # two readings: asked back
        "check": ["org_type", "fields", "members", "budget"],
    }
    answer = client.post(f"/j/{workshop.join_code}/check", data=data)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    errors = answer.get_json()["errors"]
    # budget is asked only once members is answered; top_needs is in another part
    assert set(errors) == {"org_type", "fields", "members"}
    assert errors["org_type"] == "Bitte beantworten Sie diese Frage."
    data["q.members"] = "12"
    errors = client.post(f"/j/{workshop.join_code}/check", data=data).get_json()["errors"]
    assert set(errors) == {"org_type", "fields", "budget"}
    assert "2500" in errors["budget"] and "2,5" in errors["budget"]
    fine = client.post(f"/j/{workshop.join_code}/check",
                       data={**fields, "q.org_type": "culture", "check": ["org_type"]})  # fmt: skip
    assert fine.get_json() == {"errors": {}}
    assert app.test_client().post("/j/NOCODE/check", data={}).status_code == 404


def test_the_form_page_asks_for_checks_and_offers_clear_buttons(app, workshop):
    html = app.test_client().get(f"/j/{workshop.join_code}?lang=de").get_data(as_text=True)
    assert f'data-check-url="/j/{workshop.join_code}/check"' in html
    # optional: support (likert, each row) and overall (rating); org_type is required
    assert 'name="clear" value="q.support.city"' in html
    assert 'name="clear" value="q.overall"' in html
    assert 'value="q.org_type"' not in html and 'value="q.agreement.heard"' not in html
    # Enter in a text box sends the form: the first submit button is the send button
    first = html.index('type="submit"')
    assert html[first - 200 : first + 100].count('class="default-submit"') == 1


def test_a_clear_button_without_javascript_empties_only_that_answer(app, workshop):
    client = app.test_client()
    fields = open_form(client, workshop.join_code, "de")
    answers = [("q.support.city", "satisfied"), ("q.support.state", "dissatisfied"),
               ("q.overall", "4"), ("q.members", "33"), ("clear", "q.support.city")]  # fmt: skip
    back = post_form(client, workshop.join_code, fields, answers)
    assert back.status_code == 200
    html = back.get_data(as_text=True)
    assert 'name="q.support.city" value="satisfied" checked' not in html
    assert 'name="q.support.state" value="dissatisfied" checked' in html
    assert 'value="4" checked' in html and 'value="33"' in html
    assert "error-summary" not in html
    with app.app_context():
        assert db.session.scalar(select(Answer.id)) is None  # nothing stored
    assert hidden_fields(html)["submission_id"] == fields["submission_id"]


def test_a_paced_answer_is_cleared_by_its_button(app, paced, logged_in_client):  # noqa: F811
    move(logged_in_client("facilitator", paced.series_id), paced, "overall")
    phone = app.test_client()
    _, fields = open_phone(phone, paced.join_code)
    data = {**fields, "q.overall": "4", "consent": "yes"}
    assert phone.post(f"/j/{paced.join_code}/answer", data=data).status_code == 303
    with app.app_context():
        assert db.session.scalars(select(Answer.question_key)).all() == ["overall"]
    _, fields = open_phone(phone, paced.join_code)
    cleared = {**fields, "q.overall": "4", "clear": "q.overall"}
    assert phone.post(f"/j/{paced.join_code}/answer", data=cleared).status_code == 303
    with app.app_context():
        assert db.session.scalars(select(Answer.question_key)).all() == []


def test_consent_comes_first_and_is_checked_with_its_part(app, workshop):
    client = app.test_client()
    page = client.get(f"/j/{workshop.join_code}?lang=de").get_data(as_text=True)
    assert page.index('id="s-consent"') < page.index('class="section" id="s-')
    fields = open_form(client, workshop.join_code, "de")
    fields.pop("consent", None)
    check = {**fields, "check": ["consent"]}
    errors = client.post(f"/j/{workshop.join_code}/check", data=check).get_json()["errors"]
    assert errors == {"consent": "Bitte stimmen Sie zu, damit wir Ihre Antworten verwenden dürfen."}
    check["consent"] = "yes"
    assert client.post(f"/j/{workshop.join_code}/check", data=check).get_json()["errors"] == {}


def test_the_join_page_has_a_language_switch_that_carries_on(app, workshop):
    client = app.test_client()
    page = client.get("/j?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page and 'lang="ar"' in page
    for language in ("de", "en", "tr", "uk"):
        assert f'hreflang="{language}"' in page
    assert '<input type="hidden" name="lang" value="ar">' in page
    typed = workshop.join_code.lower()
    answer = client.get(f"/j?code={typed}&lang=ar")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/j/{workshop.join_code}?lang=ar")
    # Without a choice, the browser's language, and nothing forced on the questionnaire
    page = client.get("/j", headers={"Accept-Language": "tr"}).get_data(as_text=True)
    assert 'lang="tr"' in page and 'name="lang"' not in page


def test_a_closed_workshop_is_not_checked_part_by_part(app, make_workshop):
    closed = make_workshop(FIXTURES / "all-types.yaml", state="closed")
    client = app.test_client()
    answer = client.post(f"/j/{closed.join_code}/check", data={"check": ["org_type"]})
    assert answer.status_code == 409 and answer.get_json() == {"errors": {}, "closed": True}
