"""The summary page: key messages (generated or the analysts'), recommendations, data basis."""

from __future__ import annotations

from survey_app.briefing.findings import Finding
from survey_app.briefing.summary_page import split_messages, suggested, text_scope
from survey_app.extensions import db
from survey_app.models import BriefingText

from .briefing_helpers import build, fill, pdf_text
from .conftest import FIXTURES

ALL_TYPES = FIXTURES / "all-types.yaml"


def test_generated_messages_are_the_largest_and_keep_their_order():
    findings = [Finding("Q1", "a", "q1", 0.2), Finding("Q2", "b", "q2", 0.0),
                Finding("Q3", "c", "q3", 0.7)] + [
        Finding(f"Q{i}", f"t{i}", f"q{i}", 0.3 + i / 100) for i in range(4, 10)]  # fmt: skip
    chosen = suggested(findings)
    assert len(chosen) == 5 and chosen[0].text == "c"  # questionnaire order kept
    assert {f.text for f in chosen} == {"c", "t9", "t8", "t7", "t6"}  # the five largest
    assert split_messages(" Eins\r\n zwei \n\n\n\nDrei ") == ["Eins zwei", "Drei"]


def test_the_summary_page_says_whose_words_it_prints(app, runner, make_workshop, tmp_path):
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    result, pdf = build(runner, tmp_path, "--series", "s1", "--lang", "de", "--tables-only")
    assert result.exit_code == 0, result.output
    text = pdf_text(pdf)
    head = text.split("Das Wichtigste in Kürze")[2]  # after the contents entry and header
    assert "Kernaussagen" in head
    # generated messages say so; with none to write the page says why
    assert "nach festen Regeln" in head or "zu wenige Antworten" in head
    assert "Datengrundlage" in head and "keine Zufallsstichprobe" in head
    assert "15 Organisationen" in head
    with app.app_context():
        series_id = workshop.series_id
        db.session.add(BriefingText(
            scope=text_scope(series_id, []), series_id=series_id, language="de",
            messages=["Die Förderung <b>fehlt</b> vor Ort.", "Räume sind knapp."],
            recommendations="Kommunen sollten Räume öffnen.\n\nFörderung verstetigen.",
        ))  # fmt: skip
        db.session.commit()
    result, pdf = build(runner, tmp_path, "--series", "s1", "--lang", "de", "--tables-only",
                        name="edited.pdf")  # fmt: skip
    text = pdf_text(pdf)
    assert "Die Förderung <b>fehlt</b> vor Ort." in text  # printed as typed, never as markup
    assert "Formuliert von der Auswertung" in text and "nach festen Regeln" not in text
    assert "Empfehlungen der Auswertung" in text and "Förderung verstetigen." in text
    english = build(runner, tmp_path, "--series", "s1", "--lang", "en", "--tables-only",
                    name="en.pdf")[1]  # fmt: skip
    assert "Räume sind knapp." not in pdf_text(english)  # texts are per language
