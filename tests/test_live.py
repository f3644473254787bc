"""Live results: the dashboard pages, the ETag/304 path, filters, Plotly.js served locally."""

from __future__ import annotations

import random

from survey_app.demo import simulated_form
from survey_app.instruments import parse_instrument_file

from .conftest import INSTRUMENTS
from .helpers import open_form, post_form
from .support.responses import close_workshops

KICKOFF, _ = parse_instrument_file(INSTRUMENTS / "needs-expectations.yaml")


def answers(*seeds: int) -> list[list[tuple[str, str]]]:
    """Plausible German responses to the kick-off questionnaire, one per seed."""
    return [
        [*simulated_form(KICKOFF, "de", random.Random(seed)).items(multi=True), ("consent", "yes")]
        for seed in seeds
    ]


def test_results_json_etag_and_304(make_workshop, logged_in_client, add_responses):
    workshop = make_workshop("needs-expectations")
    client = logged_in_client("facilitator", workshop.series_id)  # the room's own screen
    add_responses(workshop, answers(*range(6)))
    url = f"/workshops/{workshop.id}/results.json"
    first = client.get(url)
    assert first.status_code == 200
    body = first.get_json()
    assert body["n_responses"] == 6
    etag = first.headers["ETag"]
    unchanged = client.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    add_responses(workshop, answers(99))
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert changed.get_json()["n_responses"] == 7


def test_results_json_has_a_figure_per_answered_question(
    make_workshop, logged_in_client, add_responses
):
    workshop = make_workshop("needs-expectations")
    client = logged_in_client("facilitator", workshop.series_id)
    add_responses(workshop, answers(*range(40)))
    body = client.get(f"/workshops/{workshop.id}/results.json?lang=de").get_json()
    by_key = {q["key"]: q for q in body["questions"]}
    figure = by_key["org_type"]["figure"]
    assert figure["data"][0]["type"] == "bar" and figure["data"][0]["orientation"] == "h"
    assert "Kulturverein" in figure["data"][0]["y"]
    likert = [by_key[q.key]["figure"] for q in KICKOFF.questions() if q.type == "likert"]
    assert any(f and f["layout"]["barmode"] == "relative" for f in likert)
    assert "<table" in by_key["org_type"]["table"]
    assert body["arrivals"]["data"][0]["y"][-1] == 40


def test_small_workshop_is_suppressed_in_dashboard(make_workshop, logged_in_client, add_responses):
    workshop = make_workshop("needs-expectations")
    client = logged_in_client("facilitator", workshop.series_id)
    add_responses(workshop, answers(*range(3)))
    body = client.get(f"/workshops/{workshop.id}/results.json").get_json()
    assert all(q["figure"] is None for q in body["questions"])
    assert '<p class="suppressed">' in body["questions"][0]["table"]


def test_breakdown_group_and_series_scope(app, make_workshop, logged_in_client, add_responses):
    workshop = make_workshop("needs-expectations")
    client = logged_in_client("facilitator", workshop.series_id)
    add_responses(workshop, answers(*range(10)))
    base = f"/workshops/{workshop.id}/results.json"
    everyone = client.get(base).get_json()["n_responses"]
    group = client.get(f"{base}?group=org_type:culture")
    assert group.status_code == 200
    size = group.get_json()["n_responses"]  # a number, or a dash where the group is hidden
    assert size == "–" or size <= everyone
    assert client.get(f"{base}?group=org_type:nonsense").status_code == 400
    assert client.get(f"{base}?group=members:x").status_code == 400
    # the whole series is published results: closed workshops only
    series = client.get(f"{base}?scope=series").get_json()
    assert series["n_responses"] == "–" and "Test workshop" in series["threshold"]
    close_workshops(app, workshop)
    series = client.get(f"{base}?scope=series").get_json()
    assert series["n_responses"] == everyone and "Test workshop" not in series["threshold"]


def test_a_viewer_sees_an_open_workshop_once_it_is_closed(
    app, make_workshop, logged_in_client, add_responses
):
    """Two readings a response apart would give that response away: published results
    (a viewer's dashboard, the API) leave an open workshop out until it closes."""
    workshop = make_workshop("needs-expectations")
    viewer = logged_in_client("viewer", workshop.series_id)
    add_responses(workshop, answers(*range(12)))
    url = f"/workshops/{workshop.id}/results.json"
    first = viewer.get(url)
    waiting = first.get_json()
    assert waiting["n_responses"] == "–" and "noch offen): Test workshop" in waiting["threshold"]
    assert "Erst nach dem Schließen" in waiting["questions"][0]["table"]  # not "no answers"
    api = viewer.get(f"/api/v1/workshops/{workshop.id}/summary").get_json()
    assert (api["n_responses"], api["open_workshops"]) == (0, [workshop.id])
    assert all(q.get("n", 0) == 0 for q in api["questions"])
    close_workshops(app, workshop)
    # closing changes what is published (no new response): the page's poll sees it
    again = viewer.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.get_json()["n_responses"] == 12
    api = viewer.get(f"/api/v1/workshops/{workshop.id}/summary").get_json()
    assert api["n_responses"] == 12 and "open_workshops" not in api


def test_dashboard_and_presenter_pages(make_workshop, logged_in_client):
    workshop = make_workshop("needs-expectations")
    client = logged_in_client("facilitator", workshop.series_id)
    live = client.get(f"/workshops/{workshop.id}/live?lang=ar")
    assert live.status_code == 200
    html = live.get_data(as_text=True)
    assert "/vendor/plotly-" in html and "dashboard.js" in html
    assert (
        "unsafe-inline"
        in live.headers["Content-Security-Policy"].split("style-src")[1].split(";")[0]
    )
    assert "script-src 'self'" in live.headers["Content-Security-Policy"]
    present = client.get(f"/workshops/{workshop.id}/present").get_data(as_text=True)
    assert workshop.join_code in present and "<svg" in present


def test_plotly_is_served_from_the_installed_package(client):
    import plotly

    answer = client.get(
        f"/vendor/plotly-{plotly.__version__}.min.js", headers={"Accept-Encoding": "gzip"}
    )
    assert answer.status_code == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    assert "immutable" in answer.headers["Cache-Control"]
    import gzip

    assert b"plotly" in gzip.decompress(answer.data)[:2000].lower()


def test_participants_see_results_only_when_allowed(
    app, client, make_workshop, logged_in_client, add_responses
):
    workshop = make_workshop("needs-expectations")
    staff = logged_in_client("facilitator", workshop.series_id)
    add_responses(workshop, answers(*range(7)))
    assert client.get(f"/j/{workshop.join_code}/results").status_code == 404
    app.config["WTF_CSRF_ENABLED"] = False
    edited = staff.post(
        f"/workshops/{workshop.id}/edit",
        data={"title": workshop.title, "municipality": "", "results_for_participants": "y"},
    )
    assert edited.status_code == 302
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(f"/j/{workshop.join_code}/results?lang=tr")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # Open: no results yet (tests/test_participant_results.py shows them after closing).
    assert '<html lang="tr"' in html and "<progress" not in html and "plotly" not in html.lower()
    assert "Sonuçlar, atölye kapandığında burada görünecek." in html
    participant = app.test_client()
    fields = open_form(participant, workshop.join_code, "de")
    form = simulated_form(KICKOFF, "de", random.Random(42))
    thanks = post_form(
        participant, workshop.join_code, fields, [*form.items(multi=True), ("consent", "yes")]
    )
    assert f"/j/{workshop.join_code}/results" in thanks.get_data(as_text=True)


def test_an_edit_changes_the_etag_even_within_the_same_minute(app, make_workshop, logged_in_client):
    import re

    workshop = make_workshop("needs-expectations")
    client = logged_in_client("facilitator", workshop.series_id)
    participant = app.test_client()
    fields = open_form(participant, workshop.join_code, "de")
    form = simulated_form(KICKOFF, "de", random.Random(5))
    thanks = post_form(
        participant, workshop.join_code, fields, [*form.items(multi=True), ("consent", "yes")]
    )
    link = re.search(
        r'<p class="edit-link"><a href="([^"?]+)', thanks.get_data(as_text=True)
    ).group(1)
    etag = client.get(f"/workshops/{workshop.id}/results.json").headers["ETag"]
    for attempt in range(2):
        page = participant.get(link).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        changed = [(k, v) for k, v in form.items(multi=True) if k != "q.members"] + [
            ("q.members", str(10 + attempt))
        ]
        from werkzeug.datastructures import MultiDict

        extra = [
            ("consent", "yes"),
            ("csrf_token", token),
            ("submission_id", fields["submission_id"]),
            ("lang", "de"),
        ]
        saved = participant.post(link, data=MultiDict([*changed, *extra]))
        assert saved.status_code == 200
        answer = client.get(
            f"/workshops/{workshop.id}/results.json", headers={"If-None-Match": etag}
        )
        assert answer.status_code == 200, f"edit {attempt} left the ETag unchanged"
        etag = answer.headers["ETag"]


def test_responses_over_time_are_shown_in_the_series_time_zone():
    """20:07 UTC is 21:07 in Berlin in winter and 22:07 in summer; one minute gets room."""
    from survey_app.results.figures import arrivals_figure

    winter = arrivals_figure([{"minute": "2026-12-02T20:07:00Z", "count": 3}], "de")
    assert winter is not None and winter["data"][0]["x"] == ["2026-12-02 21:07"]
    axis = winter["layout"]["xaxis"]
    assert axis["range"] == ["2026-12-02 21:02", "2026-12-02 21:12"] and axis["dtick"] == 120_000
    summer = arrivals_figure(
        [{"minute": "2026-07-02T20:07:00Z", "count": 3},
         {"minute": "2026-07-02T21:30:00Z", "count": 2}], "de", "Europe/Berlin",
    )  # fmt: skip
    assert summer is not None and summer["data"][0]["x"] == ["2026-07-02 22:07", "2026-07-02 23:30"]
    assert summer["data"][0]["y"] == [3, 5] and "range" not in summer["layout"]["xaxis"]
    istanbul = arrivals_figure(
        [{"minute": "2026-12-02T20:07:00Z", "count": 1}], "tr", "Europe/Istanbul"
    )
    assert istanbul is not None and istanbul["data"][0]["x"] == ["2026-12-02 23:07"]


def test_right_to_left_charts_put_their_labels_on_the_right(
    make_workshop, logged_in_client, add_responses
):
    """In Arabic the category labels stand right of the bars, which grow leftwards; the
    same question in German keeps labels on the left."""
    workshop = make_workshop("needs-expectations")
    client = logged_in_client("facilitator", workshop.series_id)
    add_responses(workshop, answers(*range(40)))
    figures = {}
    for language in ("de", "ar"):
        body = client.get(f"/workshops/{workshop.id}/results.json?lang={language}").get_json()
        figures[language] = {q["key"]: q["figure"] for q in body["questions"]}
    german, arabic = figures["de"]["fields_of_work"], figures["ar"]["fields_of_work"]
    assert german["layout"]["yaxis"].get("side") is None
    assert german["layout"]["xaxis"]["range"][0] < german["layout"]["xaxis"]["range"][1]
    assert arabic["layout"]["yaxis"]["side"] == "right"
    assert arabic["layout"]["xaxis"]["range"] == list(reversed(german["layout"]["xaxis"]["range"]))
    words = [t for t in arabic["data"] if t.get("mode") == "text"]
    assert words and all(t["textposition"] == "middle left" for t in words)
    likert = figures["ar"]["recognition"]["layout"]["xaxis"]
    assert likert["range"][0] > likert["range"][1]  # agreement on the left
