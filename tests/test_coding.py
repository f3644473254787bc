"""Coding free text with themes: through the HTTP interface into summaries, API and briefing."""

from __future__ import annotations

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Answer, Theme

from .briefing_helpers import SECRET, fill, pdf_text
from .conftest import login
from .helpers import token_of
from .results_helpers import ALL_TYPES


def test_codebook_suggestions_assignment_and_counts(
    app, client, runner, make_workshop, make_user, tmp_path
):
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)  # 8 answers "… Nummer i Förderung", 6 "… bitte", 1 "… Sport 4711"
    make_user("fac@example.org", "facilitator", workshop.series_id, "manage")
    login(client, "fac@example.org")
    page = client.get(f"/workshops/{workshop.id}/texts?question=expectations").get_data(
        as_text=True
    )
    token = token_of(page)
    client.post(
        f"/workshops/{workshop.id}/themes",
        data={"csrf_token": token, "label": "Finanzierung", "keywords": "förderung, geld"},
    )
    client.post(
        f"/workshops/{workshop.id}/themes",
        data={"csrf_token": token, "label": "Sport", "keywords": "sport"},
    )
    duplicate = client.post(
        f"/workshops/{workshop.id}/themes",
        data={"csrf_token": token, "label": "Sport"},
        follow_redirects=True,
    )
    assert "already" in duplicate.get_data(as_text=True) or "bereits" in duplicate.get_data(
        as_text=True
    )
    with app.app_context():
        themes = {t.label: t.id for t in db.session.scalars(select(Theme))}
        funding_answers = db.session.scalars(
            select(Answer.id).where(
                Answer.question_key == "expectations", Answer.value_text.contains("Förderung")
            )
        ).all()
        sport_answer = db.session.scalar(
            select(Answer.id).where(Answer.value_text.contains("4711"))
        )
    page = client.get(f"/workshops/{workshop.id}/texts?question=expectations").get_data(
        as_text=True
    )
    assert page.count("theme suggested") == 8 + 1  # keywords found, nothing assigned yet
    for answer_id in funding_answers[:6]:
        client.post(
            f"/workshops/{workshop.id}/texts/{answer_id}/themes",
            data={"csrf_token": token, "theme": str(themes["Finanzierung"])},
        )
    client.post(
        f"/workshops/{workshop.id}/texts/{sport_answer}/themes",
        data={"csrf_token": token, "theme": str(themes["Sport"])},
    )
    forged = client.post(
        f"/workshops/{workshop.id}/texts/{sport_answer}/themes",
        data={"csrf_token": token, "theme": "999999"},
    )
    assert forged.status_code == 400
    make_user("viewer@example.org", "viewer", workshop.series_id, "read")
    viewer = app.test_client()
    login(viewer, "viewer@example.org")
    token_value = runner.invoke(
        args=["users", "token", "--email", "viewer@example.org"]
    ).output.strip()
    summary = client.get(
        f"/api/v1/workshops/{workshop.id}/summary",
        headers={"Authorization": f"Bearer {token_value}"},
    ).get_json()
    expectations = next(q for q in summary["questions"] if q["key"] == "expectations")
    by_label = {t["label"]["und"]: t for t in expectations["themes"]}
    assert (
        by_label["Finanzierung"]["count"] == 6
        and abs(by_label["Finanzierung"]["share"] - 6 / 15) < 1e-9
    )
    assert by_label["Sport"] == {
        "key": str(themes["Sport"]),
        "label": {"und": "Sport"},
        "suppressed": True,
        "reason": "small",
    }
    table = client.get(f"/workshops/{workshop.id}/results.json").get_json()
    html = next(q["table"] for q in table["questions"] if q["key"] == "expectations")
    assert "Finanzierung" in html and ">6<" in html
    out = tmp_path / "b.pdf"
    result = runner.invoke(
        args=[
            "briefing",
            "build",
            "--workshop",
            str(workshop.id),
            "--lang",
            "de",
            "--tables-only",
            "-o",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    text = pdf_text(out.read_bytes())
    assert "Finanzierung 6 40 %" in text
    assert SECRET not in text  # the texts themselves never appear
