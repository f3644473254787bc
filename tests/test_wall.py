"""The wall of open answers: only approved answers reach the room's screen, the word
cloud counts approved answers without stop words and follows the room's threshold,
and facilitators approve many answers at once."""

from __future__ import annotations

from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import Answer, ReviewState, TextReview
from survey_app.results.wall import WallText, word_cloud

from .helpers import token_of
from .results_helpers import ALL_TYPES, answers_of

TEXTS = [
    "Mehr Räume und mehr Förderung",
    "Räume für Treffen",
    "Bezahlbare Räume in der Stadt",
    "Räume und Geld",
    "Räume am Abend",
    "Geld für die Miete",
    "Nichts",
]


def test_the_cloud_counts_answers_without_stop_words_and_hides_rare_words():
    texts = [WallText(t, "de") for t in TEXTS] + [
        WallText("نحتاج إلى مقرات في المدينة", "ar"),
        WallText("مقرات ومال", "ar"),
    ]
    cloud = {w.term: w for w in word_cloud(texts, ["de", "ar"], min_count=2)}
    assert cloud["räume"].count == 5 and cloud["geld"].count == 2
    assert cloud["مقرات"].count == 2  # Arabic words counted as well
    assert "und" not in cloud and "für" not in cloud and "في" not in cloud  # stop words
    assert "treffen" not in cloud  # one answer only: below the threshold
    assert cloud["räume"].step == 5 and cloud["geld"].step == 1
    assert word_cloud(texts, ["de"], min_count=6) == []  # no word used by 6 answers


def expectations(app, workshop_id: int) -> dict[str, int]:
    """Return ``{text: answer id}`` of the workshop's expectations."""
    with app.app_context():
        rows = db.session.execute(
            select(Answer.value_text, Answer.id).where(
                Answer.workshop_id == workshop_id, Answer.question_key == "expectations"
            )
        )
        return {text: answer_id for text, answer_id in rows}


def wall_of(client, workshop_id: int, query: str = "", etag: str | None = None):  # type: ignore[no-untyped-def]
    headers = {"If-None-Match": etag} if etag else {}
    answer = client.get(f"/workshops/{workshop_id}/results.json?lang=de{query}", headers=headers)
    if answer.status_code == 304:
        return answer, None
    walls = {q["key"]: q["wall"] for q in answer.get_json()["questions"]}
    return answer, walls["expectations"]


def test_only_approved_answers_reach_the_wall_and_approval_changes_the_etag(
    app, make_workshop, logged_in_client, add_responses
):
    workshop = make_workshop(ALL_TYPES)
    add_responses(
        workshop,
        [answers_of("culture" if i % 2 else "sports", ["rooms"], "yes", ("q.expectations", t))
         for i, t in enumerate(TEXTS)],
    )  # fmt: skip
    client = logged_in_client("facilitator", workshop.series_id)
    first, wall = wall_of(client, workshop.id)
    assert "Räume" not in wall and 'class="empty"' in wall  # nothing approved yet
    ids = expectations(app, workshop.id)
    token = token_of(client.get(f"/workshops/{workshop.id}/texts").get_data(as_text=True))
    ticked = [ids[t] for t in TEXTS[:5]]
    sent = client.post(
        f"/workshops/{workshop.id}/texts/bulk",
        data={"csrf_token": token, "state": "approved", "answer": ticked},
    )
    assert sent.status_code == 302
    changed, wall = wall_of(client, workshop.id, etag=first.headers["ETag"])
    assert changed.status_code == 200  # the approval is news to the screen
    assert all(t in wall for t in TEXTS[:5]) and "Geld für die Miete" not in wall
    assert 'class="cloud"' in wall and ">räume<" in wall  # 5 approved answers use it
    assert ">geld<" not in wall  # only one approved answer: below the room's threshold
    unchanged, _ = wall_of(client, workshop.id, etag=changed.headers["ETag"])
    assert unchanged.status_code == 304
    _, grouped = wall_of(client, workshop.id, "&group=org_type:culture")
    assert grouped == ""  # a group's answers would say who wrote them
    viewer = logged_in_client("viewer", workshop.series_id, email="v@example.org")
    assert all(q["wall"] == "" for q in viewer.get(
        f"/workshops/{workshop.id}/results.json").get_json()["questions"])  # fmt: skip


def test_bulk_review_changes_only_this_workshops_answers(
    app, make_workshop, logged_in_client, add_responses
):
    workshop = make_workshop(ALL_TYPES)
    other = make_workshop(ALL_TYPES)  # same series "s1"
    for target in (workshop, other):
        add_responses(target, [answers_of("culture", ["rooms"], "yes", ("q.expectations", t))
                               for t in TEXTS[:3]])  # fmt: skip
    client = logged_in_client("facilitator", workshop.series_id)
    token = token_of(client.get(f"/workshops/{workshop.id}/texts").get_data(as_text=True))
    mine, theirs = expectations(app, workshop.id), expectations(app, other.id)
    url = f"/workshops/{workshop.id}/texts/bulk"
    ticked = [*mine.values(), *theirs.values()]
    assert client.post(url, data={"csrf_token": token, "state": "hidden", "answer": ticked}
                       ).status_code == 302  # fmt: skip
    with app.app_context():
        reviewed = dict(db.session.execute(select(TextReview.answer_id, TextReview.state)).all())
    assert reviewed == {answer_id: ReviewState.hidden for answer_id in mine.values()}
    for bad in ({"state": "publish", "answer": ticked[0]}, {"state": "approved", "answer": "x"},
                {"state": "approved", "answer": str(2**63)}):  # fmt: skip
        assert client.post(url, data={"csrf_token": token, **bad}).status_code == 400
    page = client.get(f"/workshops/{workshop.id}/texts")
    assert 'form="bulk"' in page.get_data(as_text=True)


def test_the_cloud_counts_every_approved_answer_not_only_those_on_the_wall(
    app, make_workshop, logged_in_client, add_responses
):
    workshop = make_workshop(ALL_TYPES)
    add_responses(workshop, [answers_of("culture", ["rooms"], "yes",
                                        ("q.expectations", f"Räume Nummer {i}"))
                             for i in range(35)])  # fmt: skip
    client = logged_in_client("facilitator", workshop.series_id)
    token = token_of(client.get(f"/workshops/{workshop.id}/texts").get_data(as_text=True))
    ids = list(expectations(app, workshop.id).values())
    client.post(f"/workshops/{workshop.id}/texts/bulk",
                data={"csrf_token": token, "state": "approved", "answer": ids})  # fmt: skip
    _, wall = wall_of(client, workshop.id)
    assert wall.count("<li ") == 30  # the wall: the newest 30
    assert 'title="35 Antworten">räume<' in wall  # the cloud: all 35


def test_query_arguments_of_url_for_and_huge_ids_are_no_error(
    app, make_workshop, logged_in_client, add_responses
):
    """``?workshop_id=``, ``?_anchor=`` or ``?_method=`` on the moderation pages and ids
    past any integer column were 500s; filters stay, everything else is ignored."""
    workshop = make_workshop(ALL_TYPES)
    add_responses(workshop, [answers_of("culture", ["rooms"], "yes", ("q.expectations", "Räume"))])
    client = logged_in_client("facilitator", workshop.series_id)
    texts = f"/workshops/{workshop.id}/texts"
    page = client.get(f"{texts}?workshop_id=1&answer_id=3&_method=x&state=open")
    assert page.status_code == 200 and "state=open" in page.get_data(as_text=True)
    token = token_of(page.get_data(as_text=True))
    [answer_id] = expectations(app, workshop.id).values()
    for query in ("?_anchor=x&workshop_id=7&q=R", "?_external=1&_scheme=https"):
        sent = client.post(f"{texts}/{answer_id}{query}",
                           data={"csrf_token": token, "state": "approved"})  # fmt: skip
        assert sent.status_code == 302 and sent.headers["Location"].startswith("/")
        bulk = client.post(f"{texts}/bulk{query}",
                           data={"csrf_token": token, "state": "hidden", "answer": answer_id})  # fmt: skip
        assert bulk.status_code == 302
    huge = str(2**64)
    for url in (f"/workshops/{huge}/texts", f"/workshops/{huge}/present",
                f"/workshops/{huge}/results.json", f"/series/{huge}/briefing.pdf"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert client.post(f"{texts}/{huge}", data={"csrf_token": token}).status_code == 404
