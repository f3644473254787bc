"""The data hash of a briefing covers what it prints; the PDF cache and `briefing verify` use it."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from survey_app.briefing.stamp import pdf_entries
from survey_app.extensions import db
from survey_app.facilitate.moderation import set_review
from survey_app.models import Answer, AnswerTheme, Briefing, Response, ReviewState, Theme
from survey_app.models.summary_cache import forget_parts

from .briefing_helpers import RESPONSES, build, fill, pdf_text
from .results_helpers import ALL_TYPES, answers_of, submit

#: As many responses as ``RESPONSES``, but the sports club's is a ninth culture one.
RECOLLECTED = RESPONSES[:14] + [RESPONSES[0]]


def hash_of(pdf: bytes) -> str:
    """Return the data hash in a briefing's metadata (and check the method section prints it)."""
    data_hash = pdf_entries(pdf)["SurveyAppDataHash"]
    assert len(data_hash) == 32 and data_hash in pdf_text(pdf)
    return data_hash


def stored_pdfs(app) -> int:
    """Return how many briefing records still hold their PDF."""
    with app.app_context():
        return db.session.scalar(select(func.count()).where(Briefing.pdf.is_not(None)))


def text_answers(app, workshop_id: int, contains: str) -> list[int]:
    """Return the ids of the workshop's free-text answers that contain ``contains``."""
    with app.app_context():
        return list(
            db.session.scalars(
                select(Answer.id)
                .where(Answer.workshop_id == workshop_id, Answer.value_text.contains(contains))
                .order_by(Answer.id)
            )
        )


def review(app, answer_id: int, state: ReviewState | None) -> None:
    """Approve, hide or withdraw the review of one answer, as the moderation page does."""
    with app.app_context():
        set_review(answer_id, state, None)
        db.session.commit()


def verify(runner, path) -> tuple[int, str]:
    """Run `briefing verify`; return (exit code, output)."""
    result = runner.invoke(args=["briefing", "verify", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_deleting_and_collecting_as_many_responses_again_changes_the_hash(
    app, runner, make_workshop, tmp_path
):
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    args = ("--workshop", str(workshop.id), "--tables-only", "--lang", "en")
    _, first = build(runner, tmp_path, *args, name="1.pdf")
    with app.app_context():  # behind the operations' back: the stored PDF stays
        db.session.execute(delete(Answer).where(Answer.workshop_id == workshop.id))
        db.session.execute(delete(Response).where(Response.workshop_id == workshop.id))
        forget_parts(db.session, workshop.id)
        db.session.commit()
    fill(app, workshop, RECOLLECTED)  # SQLite gives them the same ids 1..15
    assert stored_pdfs(app) == 1
    second_run, second = build(runner, tmp_path, *args, name="2.pdf")
    assert "served from the cache" not in second_run.output
    assert hash_of(second) != hash_of(first)
    assert pdf_text(second) != pdf_text(first)  # printed from the new answers
    assert verify(runner, tmp_path / "1.pdf")[0] == 1
    assert verify(runner, tmp_path / "2.pdf")[0] == 0


def test_a_withdrawn_quote_and_another_approved_change_the_hash_and_the_pdf(
    app, runner, make_workshop, tmp_path
):
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    [withdrawn] = text_answers(app, workshop.id, "Nummer 3")
    [approved] = text_answers(app, workshop.id, "Nummer 5")
    review(app, withdrawn, ReviewState.approved)
    args = ("--workshop", str(workshop.id), "--tables-only", "--lang", "de")
    _, first = build(runner, tmp_path, *args, name="1.pdf")
    assert "Nummer 3" in pdf_text(first)
    review(app, withdrawn, None)
    review(app, approved, ReviewState.approved)  # SQLite gives the review the same id
    second_run, second = build(runner, tmp_path, *args, name="2.pdf")
    assert "served from the cache" not in second_run.output
    assert hash_of(second) != hash_of(first)
    assert "Nummer 5" in pdf_text(second) and "Nummer 3" not in pdf_text(second)


def test_coding_answers_with_a_theme_changes_the_hash(app, runner, make_workshop, tmp_path):
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    with app.app_context():
        theme = Theme(series_id=workshop.series_id, label="Finanzierung", keywords="förderung")
        db.session.add(theme)
        db.session.commit()
        theme_id = theme.id
    args = ("--workshop", str(workshop.id), "--tables-only", "--lang", "de")
    _, first = build(runner, tmp_path, *args, name="1.pdf")
    with app.app_context():
        for answer_id in text_answers(app, workshop.id, "Förderung"):
            db.session.add(AnswerTheme(answer_id=answer_id, theme_id=theme_id))
        db.session.commit()
    second_run, second = build(runner, tmp_path, *args, name="2.pdf")
    assert "served from the cache" not in second_run.output
    assert hash_of(second) != hash_of(first)
    assert "Finanzierung 8 53 %" in pdf_text(second)


def test_what_a_briefing_does_not_print_keeps_the_hash_and_the_cached_pdf(
    app, runner, make_workshop, tmp_path
):
    workshop = make_workshop(ALL_TYPES)
    other = make_workshop(ALL_TYPES, series="elsewhere")
    fill(app, workshop)
    args = ("--workshop", str(workshop.id), "--tables-only", "--lang", "de")
    _, first = build(runner, tmp_path, *args, name="1.pdf")
    # Hiding an answer (it is never printed) and another series' data change nothing here.
    review(app, text_answers(app, workshop.id, "Nummer 2")[0], ReviewState.hidden)
    submit(app, other, [answers_of("culture", ["rooms"], "yes")])
    again, second = build(runner, tmp_path, *args, name="2.pdf")
    assert "served from the cache" in again.output
    assert second == first
    entries = pdf_entries(second)
    assert entries["SurveyAppWorkshops"] == str(workshop.id) and entries["SurveyAppK"] == "5"
    assert entries["SurveyAppLanguage"] == "de" and entries["SurveyAppTemplate"] == "briefing"
    assert entries["SurveyAppTablesOnly"] == "yes" and entries["SurveyAppSeries"] == ""
    with app.app_context():
        [record] = db.session.scalars(select(Briefing)).all()
        assert record.data_hash == hash_of(second)


def test_verify_says_whether_a_pdf_still_matches(app, runner, make_workshop, tmp_path):
    workshop = make_workshop(ALL_TYPES, series="tour")
    fill(app, workshop)
    result, _ = build(runner, tmp_path, "--series", "tour", "--tables-only", name="s.pdf")
    assert result.exit_code == 0, result.output
    assert pdf_entries((tmp_path / "s.pdf").read_bytes())["SurveyAppSeries"] == "tour"
    code, output = verify(runner, tmp_path / "s.pdf")
    assert code == 0 and "matches the data as of now" in output
    app.config["MIN_GROUP_SIZE"] = 6
    code, output = verify(runner, tmp_path / "s.pdf")
    assert code == 1 and "does not match: the data changed since it was built" in output
    assert "k is 6 now, 5 in the PDF" in output
    app.config["MIN_GROUP_SIZE"] = 5
    submit(app, workshop, [answers_of("culture", ["rooms"], "yes")])
    code, output = verify(runner, tmp_path / "s.pdf")
    assert code == 1 and "does not match: the data changed since it was built" in output
    # A new workshop in the series: the series' briefing covers more now.
    added = make_workshop(ALL_TYPES, "closed", series="tour")
    code, output = verify(runner, tmp_path / "s.pdf")
    assert code == 1 and f"the series now has workshops {workshop.id}, {added.id}" in output
    # With a comparison of the workshops and a breakdown: both are read again as built.
    args = ("--series", "tour", "--breakdown", "org_type", "--tables-only")
    result, pdf = build(runner, tmp_path, *args, name="b.pdf")
    assert result.exit_code == 0, result.output
    assert pdf_entries(pdf)["SurveyAppBreakdown"] == "org_type"
    code, output = verify(runner, tmp_path / "b.pdf")
    assert code == 0 and f"matches the data as of now (data hash {hash_of(pdf)})" in output


def test_verify_tells_foreign_and_broken_files_without_a_traceback(
    app, runner, make_workshop, tmp_path
):
    from pypdf import PdfReader, PdfWriter

    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    result, pdf = build(runner, tmp_path, "--workshop", str(workshop.id), "--tables-only")
    assert result.exit_code == 0, result.output
    (tmp_path / "notes.pdf").write_text("not a PDF at all")
    blank = PdfWriter()
    blank.add_blank_page(595, 842)
    blank.write(tmp_path / "blank.pdf")
    edited = PdfWriter(clone_from=PdfReader(tmp_path / "b.pdf"))
    edited.add_metadata({"/SurveyAppK": "2"})
    edited.write(tmp_path / "edited.pdf")
    for name in ("notes.pdf", "blank.pdf", "edited.pdf"):
        code, output = verify(runner, tmp_path / name)
        assert code == 1 and "not a briefing of this server" in output, (name, output)
    app.config["SECRET_KEY"] = "another server"
    code, output = verify(runner, tmp_path / "b.pdf")
    assert code == 1 and "not a briefing of this server" in output
    app.config["SECRET_KEY"] = "test-secret"
    assert verify(runner, tmp_path / "b.pdf")[0] == 0
    code, output = verify(runner, tmp_path / "missing.pdf")
    assert code == 1 and "cannot read" in output
