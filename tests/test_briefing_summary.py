"""The summary page: key messages (generated or the analysts'), recommendations, data basis."""

from __future__ import annotations

import io
import re

import docx

from survey_app.briefing.findings import Finding
from survey_app.briefing.summary_page import split_messages, suggested, text_scope
from survey_app.extensions import db
from survey_app.models import BriefingText, Workshop

from .briefing_helpers import SECRET, build, fill, pdf_text
from .conftest import FIXTURES
from .test_coding import token_of

ALL_TYPES = FIXTURES / "all-types.yaml"


def test_generated_messages_are_clear_ones_first_in_the_briefings_order():
    """Findings come ranked by importance (needs first); one that names no clear leader
    is taken only when clear ones run out; the chosen keep their order."""

    def finding(text, tie=False):
        return Finding(f"Q {text}", text, text, tie)

    many = [finding("a", True), finding("b"), finding("c", True), finding("d"), finding("e"),
            finding("f"), finding("g"), finding("h")]  # fmt: skip
    assert [f.text for f in suggested(many)] == ["b", "d", "e", "f", "g"]
    few = [finding("a", True), finding("b"), finding("c", True), finding("d")]
    assert [f.text for f in suggested(few)] == ["a", "b", "c", "d"]
    assert split_messages(" Eins\r\n zwei \n\n\n\nDrei \n  \nVier") == ["Eins zwei", "Drei", "Vier"]


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
    assert "15 Organisationen" in head and "Noch nicht enthalten" not in head
    # a workshop of the series still open is named as left out, and the PDF built anew
    still_open = make_workshop(ALL_TYPES)
    result, pdf = build(runner, tmp_path, "--series", "s1", "--lang", "de", "--tables-only",
                        name="open.pdf")  # fmt: skip
    basis = pdf_text(pdf).split("Datengrundlage")[1]
    assert "Noch nicht enthalten Teststadt: noch nicht abgeschlossen" in basis, basis[:400]
    with app.app_context():
        db.session.delete(db.session.get(Workshop, still_open.id))
        db.session.commit()
    # the cover: data as of the last close, the version (data hash), what it is for
    cover = text.split("Inhalt")[0]
    assert "Datenstand" in cover and "Zur Weitergabe an Politik und Verwaltung" in cover
    assert re.search(r"Fassung [0-9a-f]{12}\b", cover) and "Herausgegeben von" not in cover
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
    result, document = build(runner, tmp_path, "--series", "s1", "--lang", "de",
                             name="copy.docx")  # fmt: skip
    assert result.exit_code == 0 and "DOCX" in result.output
    paragraphs = [p.text for p in docx.Document(io.BytesIO(document)).paragraphs]
    assert "Räume sind knapp." in paragraphs and "Empfehlungen" in paragraphs


def test_facilitators_edit_the_summary_and_the_pdf_prints_it(app, make_workshop,
                                                             logged_in_client):  # fmt: skip
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    page_url = f"/series/{workshop.series_id}/briefing/summary?lang=de"
    viewer = logged_in_client("viewer", workshop.series_id)
    assert viewer.get(page_url).status_code == 403
    client = logged_in_client("facilitator", workshop.series_id)
    page = client.get(page_url)
    assert page.status_code == 200 and "Kernaussagen" in page.get_data(as_text=True)
    token = token_of(page.get_data(as_text=True))
    too_many = "\n\n".join(f"Aussage {i}" for i in range(12))
    refused = client.post(page_url, data={"csrf_token": token, "messages": too_many,
                                          "recommendations": "Bitte <script>"})  # fmt: skip
    body = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "Höchstens 8 Kernaussagen" in body
    assert "Aussage 11" in body and "Bitte &lt;script&gt;" in body  # kept, escaped
    sent = {"csrf_token": token, "messages": "Räume fehlen überall.\r\n\r\n  Förderung  zu kurz. ",
            "recommendations": "Räume öffnen."}  # fmt: skip
    saved_page = client.post(page_url, data=sent, follow_redirects=True).get_data(as_text=True)
    assert "Gespeichert. Das nächste Briefing in dieser Sprache druckt diese Texte." in saved_page
    viewer_token = token_of(viewer.get(f"/series/{workshop.series_id}").get_data(as_text=True))
    attempt = {**sent, "csrf_token": viewer_token, "messages": "x"}
    assert viewer.post(page_url, data=attempt).status_code == 403  # viewers read only
    with app.app_context():
        saved = db.session.query(BriefingText).one()
        assert saved.messages == ["Räume fehlen überall.", "Förderung zu kurz."]
    text = pdf_text(viewer.get(f"/series/{workshop.series_id}/briefing.pdf?lang=de").data)
    assert "Räume fehlen überall." in text and "Formuliert von der Auswertung" in text
    assert "Räume öffnen." in text
    # the editable copy: the same summary, parts and numbers, as a Word document
    answer = viewer.get(f"/series/{workshop.series_id}/briefing.docx?lang=de")
    assert answer.status_code == 200 and answer.mimetype.endswith("wordprocessingml.document")
    document = docx.Document(io.BytesIO(answer.data))
    words = "\n".join(p.text for p in document.paragraphs)
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "Räume fehlen überall." in words and "Formuliert von der Auswertung" in words
    assert "Räume öffnen." in words and "In ihren eigenen Worten" in words
    assert "15 Organisationen" in cells and "Methode und Daten" in words
    printed = re.findall(r"\d+–\d+\u00a0%", text.replace(" %", "\u00a0%"))
    assert printed and all(interval in cells for interval in printed[:10])  # same intervals
    assert SECRET not in words and all(SECRET not in c for c in cells)
    # more data published since: the page says the messages were written for earlier data
    later = make_workshop(ALL_TYPES)
    fill(app, later)
    text = pdf_text(viewer.get(f"/series/{workshop.series_id}/briefing.pdf?lang=de").data)
    assert "Räume fehlen überall." in text and "für einen früheren Datenstand" in text
    assert "früheren Datenstand" in client.get(page_url).get_data(as_text=True)
    # back to the generated messages; the recommendations stay
    assert client.post(page_url, data={"csrf_token": token, "reset": "1"}).status_code == 302
    with app.app_context():
        saved = db.session.query(BriefingText).one()
        assert saved.messages == [] and saved.recommendations == "Räume öffnen."
    text = pdf_text(viewer.get(f"/series/{workshop.series_id}/briefing.pdf?lang=de").data)
    assert "Räume fehlen überall." not in text and "Räume öffnen." in text
