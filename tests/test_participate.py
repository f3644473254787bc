"""The participant path over HTTP: join, languages, submit once, errors, expiry, edits."""

from __future__ import annotations

import random
import re

import pytest
from sqlalchemy import func, select

from survey_app.demo import simulated_form
from survey_app.extensions import db
from survey_app.instruments import parse_instrument_file
from survey_app.models import Answer, Response

from .conftest import FIXTURES, INSTRUMENTS
from .helpers import hidden_fields, open_form, post_form

ALL_TYPES = FIXTURES / "all-types.yaml"
ANSWERS = [
    ("q.org_type", "religion"),
    ("q.religion_detail", "Gemeinde am Markt"),
    ("q.members", "120"),
    ("q.top_needs.1", "funding"),
    ("q.top_needs.2", "rooms"),
    ("q.agreement.heard", "yes"),
    ("q.expectations", "Räume & <b>Geld</b>"),
    ("consent", "yes"),
]


def count(app, model=Response) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def stored_responses(app) -> list[Response]:
    with app.app_context():
        responses = list(db.session.scalars(select(Response).order_by(Response.id)))
        for response in responses:
            _ = response.answers
        db.session.expunge_all()
        return responses


def test_form_defaults_to_first_language(client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    page = client.get(f"/j/{workshop.join_code}").get_data(as_text=True)
    assert '<html lang="de" dir="ltr">' in page
    assert "Alle Fragetypen" in page
    assert 'name="q.top_needs.3"' in page and 'name="q.support.city"' in page


def test_accept_language_and_lang_parameter(client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    page = client.get(f"/j/{workshop.join_code}", headers={"Accept-Language": "ar,en;q=0.5"})
    assert '<html lang="ar" dir="rtl">' in page.get_data(as_text=True)
    page = client.get(f"/j/{workshop.join_code}?lang=de", headers={"Accept-Language": "ar"})
    assert '<html lang="de" dir="ltr">' in page.get_data(as_text=True)
    page = client.get(f"/j/{workshop.join_code}?lang=xx").get_data(as_text=True)
    assert '<html lang="de"' in page


def test_language_switch_links_every_language(client, make_workshop):
    workshop = make_workshop()
    page = client.get(f"/j/{workshop.join_code}?lang=tr").get_data(as_text=True)
    for code in ("de", "en", "ar"):
        assert f'href="/j/{workshop.join_code}?lang={code}"' in page
    assert '<span aria-current="true" lang="tr">Türkçe</span>' in page


def test_join_by_typed_code_any_case(client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    assert client.get("/j").status_code == 200
    answer = client.get(f"/j?code={workshop.join_code.lower()}")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/j/{workshop.join_code}")
    unknown = client.get("/j?code=ZZZZZZ")
    assert unknown.status_code == 404
    english = client.get("/j?code=ZZZZZZ", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "There is no workshop with this code" in english
    assert "Es gibt keinen Workshop mit diesem Code" in unknown.get_data(as_text=True)
    assert client.get(f"/j/{workshop.join_code.lower()}").status_code == 302


def test_unknown_code_is_a_plain_404(client):
    page = client.get("/j/QQQQQQ")
    assert page.status_code == 404
    assert "Traceback" not in page.get_data(as_text=True)


@pytest.mark.parametrize("state", ["draft", "closed"])
def test_unavailable_workshops_say_so(client, make_workshop, state):
    workshop = make_workshop(ALL_TYPES, state=state)
    page = client.get(f"/j/{workshop.join_code}").get_data(as_text=True)
    assert 'name="submission_id"' not in page
    assert ("ist beendet" if state == "closed" else "noch nicht geöffnet") in page


def test_post_to_closed_workshop_is_refused(app, client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    fields = open_form(client, workshop.join_code)
    with app.app_context():
        from survey_app.models import Workshop
        from survey_app.workshops.operations import close_workshop

        close_workshop(db.session.get(Workshop, workshop.id))
        db.session.commit()
    answer = post_form(client, workshop.join_code, fields, ANSWERS)
    assert answer.status_code == 403
    assert count(app) == 0


def test_submit_stores_rows_and_thanks(app, client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    fields = open_form(client, workshop.join_code)
    answer = post_form(client, workshop.join_code, fields, ANSWERS)
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert f'data-acknowledged="{fields["submission_id"]}"' in page
    [response] = stored_responses(app)
    assert response.submission_id == fields["submission_id"]
    assert response.language == "de" and response.consented
    assert response.submitted_at.second == 0 and response.submitted_at.microsecond == 0
    rows = {
        (a.question_key, a.item_key, a.option_key, a.value_num, a.value_text)
        for a in response.answers
    }
    assert rows == {
        ("org_type", None, "religion", None, None),
        ("religion_detail", None, None, None, "Gemeinde am Markt"),
        ("members", None, None, 120.0, None),
        ("top_needs", None, "funding", 1.0, None),
        ("top_needs", None, "rooms", 2.0, None),
        ("agreement", "heard", "yes", 1.0, None),
        ("expectations", None, None, None, "Räume & <b>Geld</b>"),
    }
    assert all(a.workshop_id == workshop.id for a in response.answers)


@pytest.mark.parametrize("language", ["de", "ar"])
def test_whole_kickoff_flow_in_language(app, client, make_workshop, language):
    workshop = make_workshop("needs-expectations")
    instrument, _ = parse_instrument_file(INSTRUMENTS / "needs-expectations.yaml")
    form = simulated_form(instrument, language, random.Random(7))
    fields = open_form(client, workshop.join_code, language)
    assert fields["lang"] == language
    answer = post_form(
        client, workshop.join_code, fields, [*form.items(multi=True), ("consent", "yes")]
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200, re.findall(r'<p class="error"[^>]*>[^<]*', page)
    assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in page
    [response] = stored_responses(app)
    assert response.language == language
    assert len(response.answers) >= 10


def test_same_submission_twice_is_stored_once(app, client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    fields = open_form(client, workshop.join_code)
    first = post_form(client, workshop.join_code, fields, ANSWERS)
    second = post_form(client, workshop.join_code, fields, ANSWERS)
    assert first.status_code == second.status_code == 200
    assert "Ihre Antworten wurden gespeichert." in second.get_data(as_text=True)
    assert count(app) == 1
    assert count(app, Answer) == 7


def test_same_submission_with_other_answers_conflicts(app, client, make_workshop):
    """From another browser the same id with other answers is refused; from the browser
    that sent it (Back, then send again) it changes that browser's response."""
    workshop = make_workshop(ALL_TYPES)
    fields = open_form(client, workshop.join_code)
    post_form(client, workshop.join_code, fields, ANSWERS)
    changed = [(k, "4000" if k == "q.members" else v) for k, v in ANSWERS]
    other = app.test_client()
    own = open_form(other, workshop.join_code)
    answer = post_form(
        other, workshop.join_code, {**own, "submission_id": fields["submission_id"]}, changed
    )
    assert answer.status_code == 409
    [response] = stored_responses(app)
    assert {a.value_num for a in response.answers if a.question_key == "members"} == {120.0}
    assert post_form(client, workshop.join_code, fields, changed).status_code == 200
    [response] = stored_responses(app)
    assert {a.value_num for a in response.answers if a.question_key == "members"} == {4000.0}


def test_invalid_form_comes_back_filled_in(app, client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    fields = open_form(client, workshop.join_code)
    broken = [(k, v) for k, v in ANSWERS if k != "q.agreement.heard"]
    broken = [(k, "zwölf" if k == "q.members" else v) for k, v in broken]
    answer = post_form(client, workshop.join_code, fields, broken)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert count(app) == 0
    assert 'value="zwölf"' in page
    assert 'value="religion" checked' in page
    assert "Räume &amp; &lt;b&gt;Geld&lt;/b&gt;</textarea>" in page
    assert '<option value="rooms" selected>' in page
    assert 'name="consent" value="yes" checked' in page
    assert re.search(r'id="q-members"[^>]*aria-invalid="true"', page)
    assert (
        '<p class="error" id="err-members">Bitte geben Sie eine Zahl ein, z. B. 12 oder 3,5.</p>'
        in page
    )
    assert '<p class="error" id="err-agreement">Bitte beantworten Sie diese Frage.</p>' in page
    assert hidden_fields(page)["submission_id"] == fields["submission_id"]


def test_missing_consent_is_an_error(app, client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    fields = open_form(client, workshop.join_code)
    answer = post_form(
        client, workshop.join_code, fields, [p for p in ANSWERS if p[0] != "consent"]
    )
    assert answer.status_code == 422
    assert 'id="err-consent"' in answer.get_data(as_text=True)
    assert count(app) == 0


def test_expired_csrf_token_keeps_answers_and_gives_a_new_token(app, client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    fields = open_form(client, workshop.join_code)
    stale = {**fields, "csrf_token": "expired-or-forged"}
    answer = post_form(client, workshop.join_code, stale, ANSWERS)
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "Ihre Sitzung war abgelaufen" in page
    assert 'value="Gemeinde am Markt"' in page
    assert count(app) == 0
    fresh = hidden_fields(page)
    assert fresh["csrf_token"] != "expired-or-forged"
    assert fresh["submission_id"] == fields["submission_id"]
    assert post_form(client, workshop.join_code, fresh, ANSWERS).status_code == 200
    assert count(app) == 1


def test_lost_session_cookie_keeps_answers(app, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    fields = open_form(app.test_client(), workshop.join_code)
    other_browser = app.test_client()  # no session cookie: the token cannot be checked
    answer = post_form(other_browser, workshop.join_code, fields, ANSWERS)
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert 'value="Gemeinde am Markt"' in page
    assert (
        post_form(other_browser, workshop.join_code, hidden_fields(page), ANSWERS).status_code
        == 200
    )
    assert count(app) == 1


def test_forged_submission_id_is_replaced(app, client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    fields = open_form(client, workshop.join_code)
    answer = post_form(
        client, workshop.join_code, {**fields, "submission_id": "x' OR 1=1"}, ANSWERS
    )
    assert answer.status_code == 200
    [response] = stored_responses(app)
    assert re.fullmatch(r"[0-9a-f-]{36}", response.submission_id)


def test_hidden_answers_are_discarded_over_http(app, client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    fields = open_form(client, workshop.join_code)
    answers = [(k, "culture" if k == "q.org_type" else v) for k, v in ANSWERS]
    assert post_form(client, workshop.join_code, fields, answers).status_code == 200
    [response] = stored_responses(app)
    assert "religion_detail" not in {a.question_key for a in response.answers}


def test_edit_link_changes_answers(app, client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    fields = open_form(client, workshop.join_code)
    thanks = post_form(client, workshop.join_code, fields, ANSWERS).get_data(as_text=True)
    link = (
        re.search(r'<p class="edit-link"><a href="([^"]+)"', thanks).group(1).replace("&amp;", "&")
    )
    form_page = client.get(link)
    assert form_page.status_code == 200
    html = form_page.get_data(as_text=True)
    assert 'value="120"' in html and 'value="religion" checked' in html
    edit_fields = hidden_fields(html)
    assert edit_fields["submission_id"] == fields["submission_id"]
    changed = [(k, "4000" if k == "q.members" else v) for k, v in ANSWERS]
    saved = client.post(link.split("?")[0], data={**edit_fields, **dict(changed)})
    assert saved.status_code == 200
    assert "Ihre Änderungen wurden gespeichert." in saved.get_data(as_text=True)
    [response] = stored_responses(app)
    assert {a.value_num for a in response.answers if a.question_key == "members"} == {4000.0}
    assert response.updated_at is not None
    assert count(app, Answer) == 7


def test_edit_link_with_wrong_token_is_404(app, client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    fields = open_form(client, workshop.join_code)
    post_form(client, workshop.join_code, fields, ANSWERS)
    assert (
        client.get(f"/j/{workshop.join_code}/edit/{fields['submission_id']}/{'0' * 32}").status_code
        == 404
    )


def test_instrument_text_is_escaped(app, client, make_workshop, tmp_path):
    hostile = ALL_TYPES.read_text().replace('"Alle Fragetypen"', '"<script>alert(1)</script>"')
    path = tmp_path / "hostile.yaml"
    path.write_text(hostile.replace("key: all-types", "key: hostile"))
    workshop = make_workshop(path)
    page = client.get(f"/j/{workshop.join_code}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_no_ip_address_or_user_agent_is_stored(app, client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    fields = open_form(client, workshop.join_code)
    headers = {"User-Agent": "Mozilla/5.0 UniqueAgent/9.9", "Referer": "http://example.org/ref"}
    post_form(
        client,
        workshop.join_code,
        fields,
        ANSWERS,
        headers=headers,
        environ_base={"REMOTE_ADDR": "203.0.113.77"},
    )
    with app.app_context():
        dump = []
        for table in db.metadata.sorted_tables:
            dump.extend(str(row) for row in db.session.execute(table.select()))
    text = "\n".join(dump)
    assert "Gemeinde am Markt" in text
    for secret in ("203.0.113.77", "UniqueAgent", "example.org"):
        assert secret not in text


def test_arabic_page_has_no_english_buttons(client, make_workshop):
    workshop = make_workshop(ALL_TYPES)
    page = client.get(f"/j/{workshop.join_code}?lang=ar").get_data(as_text=True)
    assert '<button type="submit" class="send">' in page
    for english in ("Send answers", "Next", "Back", "Consent", "I agree.", "Other", "choose"):
        assert f">{english}<" not in page and f'"{english}"' not in page, english
