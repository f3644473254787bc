"""The briefing part "in their own words": theme counts and approved quotes by theme."""

from __future__ import annotations

from sqlalchemy import select

from survey_app.briefing.quotes import Quote
from survey_app.briefing.render import reports_root, template_folder
from survey_app.briefing.sections import Writer
from survey_app.briefing.texts import Numbers, texts_for
from survey_app.briefing.voices import language_name, voice_entries
from survey_app.extensions import db
from survey_app.models import TextReview
from survey_app.questions.cells import share_fields

from .briefing_helpers import SECRET, fill, pdf_text
from .results_helpers import ALL_TYPES
from .test_moderation import text_answer_ids, token_of

FOLDER = template_folder("briefing", reports_root())


def writer(language: str = "en") -> Writer:
    return Writer(language, texts_for(FOLDER, language), Numbers(language), 5)


def theme(key: str, label: str, count: int | None, n: int = 40) -> dict:
    if count is None:
        return {"key": key, "label": {"und": label}, "suppressed": True, "reason": "small"}
    return {"key": key, "label": {"und": label}, **share_fields(count, n)}


def text_question(key: str, themes: list[dict] | None = None, n: int = 40) -> dict:
    question = {"key": key, "type": "long_text", "label": {"en": key.title()}, "n": n}
    if themes is not None:
        question["themes"] = themes
    return question


def test_quotes_sit_under_their_first_shown_theme_never_under_a_hidden_one():
    summary = {
        "n_responses": 40,
        "questions": [
            text_question(
                "expect",
                [
                    theme("1", "Funding", 20),
                    theme("2", "Rooms", 9),
                    theme("3", "Prayer room", None),
                ],
            ),  # fmt: skip
            text_question("silent"),  # neither themes nor quotes: no section
            {"key": "kind", "type": "single_choice", "label": {"en": "Kind"}, "n": 40},
        ],
    }
    quotes = [
        Quote("expect", "Rooms and money", "en", 1, ("1", "2")),
        Quote("expect", "غرفة للصلاة", "ar", 2, ("3",), "A room to pray", "en"),
        Quote("expect", "Mehr Räume", "de", 2, ("2",), "More rooms", "en"),
        Quote("expect", "Nothing coded", "en", 1),
        Quote("expect", "Räume!", "de", 1, ("2",), "Des salles", "fr"),
    ]
    [entry] = voice_entries(summary, quotes, {1: "Essen (1 Oct 2026)", 2: "Köln"}, writer())
    assert entry["title"] == "Expect" and entry["note"].startswith("40 written answers, 5 of")
    assert [row.label for row in entry["table"].rows][:2] == ["Funding", "Rooms"]
    groups = {g["title"]: [q["text"] for q in g["quotes"]] for g in entry["groups"]}
    # the hidden theme (1-4 answers) gets no heading: its quote would count it
    assert groups == {
        "Funding": ["Rooms and money"],
        "Rooms": ["Mehr Räume", "Räume!"],
        "Further voices": ["غرفة للصلاة", "Nothing coded"],
    }
    arabic = entry["groups"][2]["quotes"][0]
    assert (arabic["lang"], arabic["dir"], arabic["translation"]) == ("ar", "rtl", "A room to pray")
    assert arabic["source"] == "Köln · Arabic"
    french = entry["groups"][1]["quotes"][1]
    assert french["translation"] == ""  # a French translation is not printed in English


def test_language_names_follow_the_briefing():
    assert language_name("ar", "de") == "Arabisch" and language_name("tr", "en") == "Turkish"
    assert language_name("xx-nonsense", "de") in {"xx-nonsense", "xx"}


def test_translation_is_printed_beside_the_approved_quote(app, make_workshop, logged_in_client):
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    client = logged_in_client("facilitator", workshop.series_id)
    page = client.get(f"/workshops/{workshop.id}/texts").get_data(as_text=True)
    token = token_of(page)
    [answer_id] = text_answer_ids(app, workshop.id, "Nummer 5")
    translate = f"/workshops/{workshop.id}/texts/{answer_id}/translation"
    early = {"csrf_token": token, "translation": "Too early", "language": "ar"}
    assert client.post(translate, data=early).status_code == 302  # not approved yet: refused
    client.post(f"/workshops/{workshop.id}/texts/{answer_id}",
                data={"csrf_token": token, "state": "approved"})  # fmt: skip
    bad = {"csrf_token": token, "translation": "x", "language": "fr"}
    assert client.post(translate, data=bad).status_code == 400  # not a language of the form
    assert client.post(translate, data={"translation": "x", "language": "ar"}).status_code == 400
    words = "ترجمة المثال رقم خمسة"
    sent = {"csrf_token": token, "translation": f"  {words}  ", "language": "ar"}
    assert client.post(translate, data=sent).status_code == 302
    with app.app_context():
        review = db.session.scalar(select(TextReview).filter_by(answer_id=answer_id))
        assert (review.translation, review.translation_language) == (words, "ar")
    listed = client.get(f"/workshops/{workshop.id}/texts?state=approved").get_data(as_text=True)
    assert words in listed and 'lang="ar" dir="rtl"' in listed
    # a German briefing prints no Arabic translation; the quote itself, once, with its source
    text = pdf_text(client.get(f"/workshops/{workshop.id}/briefing.pdf?lang=de").data)
    assert "In ihren eigenen Worten" in text and "Nummer 5" in text and words not in text
    assert text.count(SECRET) == 1 and "Deutsch" in text.split("Nummer 5")[1][:200]
    german = {"csrf_token": token, "translation": "Übersetzt: Nummer fünf", "language": "de"}
    client.post(translate, data=german)
    text = pdf_text(client.get(f"/workshops/{workshop.id}/briefing.pdf?lang=de").data)
    assert "Übersetzt: Nummer fünf" in text and "übersetzt von der Moderation" in text


def test_no_empty_quotes_section(app, make_workshop, logged_in_client):
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    client = logged_in_client("facilitator", workshop.series_id)
    text = pdf_text(client.get(f"/workshops/{workshop.id}/briefing.pdf?lang=de").data)
    # nothing approved or coded: no such part (the method only names it, in quotes)
    assert text.count("In ihren eigenen Worten") == text.count("„In ihren eigenen Worten“") == 1
    assert text.count("In ihren eigenen Worten") == 1  # named by the method section only
    assert "Keine freigegebenen" not in text and "keine freigegeben" in text  # said at the question
