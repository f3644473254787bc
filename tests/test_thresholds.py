"""Small-group thresholds per audience: the series' k published, a lower room k on screens.

The data set: six organizations, three cultural and three religious, so that the counts
of ``org_type`` (3 and 3) are shown at k = 3 and hidden at k = 4 or more.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey_app.extensions import db
from survey_app.models import AuditEntry, Series, Workshop
from survey_app.results import ResultSettings
from survey_app.workshops.operations import close_workshop
from survey_app.workshops.thresholds import (
    ThresholdError,
    check_room_group_size,
    check_series_group_size,
    published_group_size,
    room_group_size,
)

from .conftest import FIXTURES
from .results_helpers import answers_of, submit
from .support.responses import close_workshops
from .test_facilitate import token_of

#: Three cultural and three religious associations: 3 have heard of the programmes.
SIX = [
    answers_of("culture", ["funding"], "yes"),
    answers_of("culture", ["rooms"], "no"),
    answers_of("culture", ["funding", "rooms"], "no"),
    answers_of("religion", ["rooms"], "no"),
    answers_of("religion", ["funding"], "yes"),
    answers_of("religion", ["rooms", "funding"], "yes"),
]
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def six(app, make_workshop):
    """Return a workshop of series ``s1`` with the six responses."""
    workshop = make_workshop(FIXTURES / "all-types.yaml")
    submit(app, workshop, SIX)
    close_workshops(app, workshop)  # published results cover closed workshops
    return workshop


def set_thresholds(app, workshop, *, floor=5, series_k=None, room_k=None) -> None:
    """Store thresholds as they may be in the database (no check) and set the floor."""
    app.config["MIN_GROUP_SIZE"] = floor
    with app.app_context():
        found = db.session.get(Workshop, workshop.id)
        if series_k is not None:
            found.series.min_group_size = series_k
        found.room_min_group_size = room_k
        db.session.commit()


def shown(summary) -> bool:
    """Say whether the 3 who have heard of the programmes (of 6) are shown as a count."""
    question = next(q for q in summary["questions"] if q["key"] == "agreement")
    if question.get("suppressed") or question["items"][0].get("suppressed"):
        return False
    yes = next(p for p in question["items"][0]["distribution"] if p["key"] == "yes")
    return yes.get("count") == 3 and not yes.get("suppressed")


# The rules, without a server.


def test_published_k_is_the_strictest_series_k_never_below_the_floor():
    low, high = Series(min_group_size=3), Series(min_group_size=7)
    assert published_group_size(5, low) == 5
    assert published_group_size(5, high) == 7
    assert published_group_size(2, low) == 3
    assert published_group_size(4) == published_group_size(4, None) == 4
    assert published_group_size(2, low, None, high) == 7


def test_room_k_is_from_two_to_the_published_k():
    series = Series(min_group_size=5)
    assert room_group_size(5, Workshop(series=series)) == 5
    assert room_group_size(5, Workshop(series=series, room_min_group_size=3)) == 3
    assert room_group_size(5, Workshop(series=series, room_min_group_size=9)) == 5
    assert room_group_size(5, Workshop(series=series, room_min_group_size=1)) == 2
    assert room_group_size(4, Workshop(room_min_group_size=3)) == 3  # no series: the floor


def test_what_may_be_chosen():
    check_series_group_size(5, 5)
    with pytest.raises(ThresholdError, match="from 5"):
        check_series_group_size(5, 4)
    check_room_group_size(5, Series(min_group_size=6), 6)
    check_room_group_size(5, None, None)
    for wrong in (1, 7):
        with pytest.raises(ThresholdError, match="from 2 to 6"):
            check_room_group_size(5, Series(min_group_size=6), wrong)


def test_settings_say_whom_they_are_for():
    config = {"MIN_GROUP_SIZE": 4, "SUMMARY_CACHE": False}
    workshop = Workshop(series=Series(min_group_size=6), room_min_group_size=3)
    published = ResultSettings(4, cache=False, room=False, floor=4, closed_only=True)
    assert ResultSettings.published(config) == published
    six = ResultSettings(6, False, False, 4, closed_only=True)
    assert ResultSettings.published(config, workshop.series) == six
    assert ResultSettings.for_room(config, workshop) == ResultSettings(3, cache=False, room=True)


# Published results: the series' k.


def test_the_series_k_is_used_by_the_api_and_a_viewers_dashboard(six, logged_in_client, app):
    set_thresholds(app, six, floor=3, series_k=4)
    viewer = logged_in_client("viewer", six.series_id)
    for url in (f"/api/v1/workshops/{six.id}/summary", f"/api/v1/series/{six.series_id}/summary"):
        summary = viewer.get(url).get_json()
        assert summary["min_group_size"] == 4 and not shown(summary), url
    live = viewer.get(f"/workshops/{six.id}/results.json").get_json()
    assert live["min_group_size"] == 4
    set_thresholds(app, six, floor=3, series_k=3)
    assert shown(viewer.get(f"/api/v1/workshops/{six.id}/summary").get_json())


def test_a_stored_k_below_the_floor_is_read_as_the_floor(six, logged_in_client, app):
    set_thresholds(app, six, floor=5, series_k=3)  # the floor was raised after k was set
    viewer = logged_in_client("viewer", six.series_id)
    summary = viewer.get(f"/api/v1/workshops/{six.id}/summary").get_json()
    assert summary["min_group_size"] == 5 and not shown(summary)


def test_workshops_without_a_series_use_the_floor(app, make_workshop, logged_in_client):
    workshop = make_workshop(FIXTURES / "all-types.yaml", series=None)
    submit(app, workshop, SIX)
    close_workshops(app, workshop)
    app.config["MIN_GROUP_SIZE"] = 3
    admin = logged_in_client("admin")
    summary = admin.get(f"/api/v1/workshops/{workshop.id}/summary").get_json()
    assert summary["min_group_size"] == 3 and shown(summary)


# The room: its own k on its own screens only.


def test_room_k_only_on_the_room_screens_of_its_facilitators(six, logged_in_client, app):
    set_thresholds(app, six, floor=5, series_k=5, room_k=3)
    results = f"/workshops/{six.id}/results.json"
    for role, level in (("facilitator", None), ("admin", None)):
        room = logged_in_client(role, six.series_id, level, email=f"{role}-room@example.org")
        body = room.get(results, headers=ENGLISH).get_json()
        assert body["min_group_size"] == 3, role
        assert body["threshold"] == "Groups smaller than 3 are not shown on this screen."
        assert "<td" in next(q for q in body["questions"] if q["key"] == "org_type")["table"]
        present = room.get(f"/workshops/{six.id}/present", headers=ENGLISH).get_data(as_text=True)
        assert "Groups smaller than 3 are not shown on this screen." in present
        live = room.get(f"/workshops/{six.id}/live", headers=ENGLISH).get_data(as_text=True)
        assert "Groups smaller than 3 are not shown on this screen." in live
        assert "participants' results page hide groups smaller than 5." in live
        # The whole series is published, even on the room's own screen.
        assert room.get(f"{results}?scope=series").get_json()["min_group_size"] == 5
        # Everything that leaves the room keeps the published k.
        summary = room.get(f"/api/v1/workshops/{six.id}/summary").get_json()
        assert summary["min_group_size"] == 5 and not shown(summary)
    readers = [
        logged_in_client("viewer", six.series_id),
        logged_in_client("facilitator", six.series_id, "read", email="reads@example.org"),
    ]
    for reader in readers:
        assert reader.get(results).get_json()["min_group_size"] == 5
        present = reader.get(f"/workshops/{six.id}/present", headers=ENGLISH)
        assert "Groups smaller than 5 are not shown on this screen." in present.get_data(
            as_text=True
        )


def test_participants_results_page_uses_the_published_k(six, logged_in_client, app, client):
    set_thresholds(app, six, floor=3, series_k=4, room_k=3)
    with app.app_context():
        found = db.session.get(Workshop, six.id)
        found.results_for_participants = True
        close_workshop(found)
        db.session.commit()
    page = client.get(f"/j/{six.join_code}/results?lang=de").get_data(as_text=True)
    # The page shows counts of at least twice the published k (4), never the room's (3).
    assert "weniger als 8 Personen" in page and "weniger als 6 Personen" not in page


def test_briefing_uses_the_series_k_not_the_room_k(six, app, runner, tmp_path):
    from survey_app.models import Briefing

    from .briefing_helpers import pdf_text

    set_thresholds(app, six, floor=3, series_k=4, room_k=3)
    target = tmp_path / "b.pdf"
    args = ["briefing", "build", "--workshop", str(six.id), "--tables-only", "-o", str(target)]
    result = runner.invoke(args=[*args, "--lang", "de"])
    assert result.exit_code == 0, result.output
    assert "k = 4" in pdf_text(target.read_bytes())
    with app.app_context():
        assert db.session.scalar(select(Briefing.min_group_size)) == 4


def test_changing_a_threshold_changes_the_etag(six, logged_in_client, app):
    set_thresholds(app, six, floor=5, series_k=5)
    room = logged_in_client("facilitator", six.series_id)
    url = f"/workshops/{six.id}/results.json"
    etag = room.get(url).headers["ETag"]
    assert room.get(url, headers={"If-None-Match": etag}).status_code == 304
    set_thresholds(app, six, floor=5, series_k=5, room_k=3)
    again = room.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.get_json()["min_group_size"] == 3


# Forms and commands.


def test_a_series_k_below_the_floor_is_refused_and_the_input_kept(app, logged_in_client):
    facilitator = logged_in_client("facilitator")
    page = facilitator.get("/series/new", headers=ENGLISH).get_data(as_text=True)
    assert 'name="min_group_size"' in page and 'value="5"' in page  # the floor as default
    data = {"csrf_token": token_of(page), "title": "Klein", "slug": "klein"}
    answer = facilitator.post("/series/new", data={**data, "min_group_size": "3"}, headers=ENGLISH)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Please give a whole number from 5 (this server&#39;s minimum) to 1000." in html
    assert 'value="3"' in html and 'value="Klein"' in html and 'aria-invalid="true"' in html
    with app.app_context():
        assert db.session.scalar(select(Series).filter_by(slug="klein")) is None
    created = facilitator.post("/series/new", data={**data, "min_group_size": "7"})
    assert created.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Series.min_group_size).filter_by(slug="klein")) == 7


def test_series_settings_change_k_and_note_it(app, six, logged_in_client):
    facilitator = logged_in_client("facilitator", six.series_id)
    url = f"/series/{six.series_id}/edit"
    page = facilitator.get(url).get_data(as_text=True)
    wrong = facilitator.post(
        url, data={"csrf_token": token_of(page), "title": "S", "min_group_size": "x"}
    )
    assert wrong.status_code == 200 and 'value="x"' in wrong.get_data(as_text=True)
    saved = facilitator.post(
        url, data={"csrf_token": token_of(page), "title": "S", "min_group_size": "8"}
    )
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.get(Series, six.series_id).min_group_size == 8
        entry = db.session.scalar(select(AuditEntry).filter_by(action="set_group_size"))
        assert entry.detail == {"old": 5, "new": 8}
        assert db.session.get(Series, six.series_id).time_zone == "Europe/Berlin"  # kept


def test_series_time_zone_is_chosen_from_the_known_zones(app, six, logged_in_client):
    facilitator = logged_in_client("facilitator", six.series_id)
    url = f"/series/{six.series_id}/edit"
    page = facilitator.get(url).get_data(as_text=True)
    assert '<option selected value="Europe/Berlin">' in page and "Europe/Istanbul" in page
    data = {"csrf_token": token_of(page), "title": "S", "min_group_size": "5"}
    wrong = facilitator.post(url, data={**data, "time_zone": "Mars/Olympus"})
    assert wrong.status_code == 200 and 'value="Mars/Olympus"' not in wrong.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Series, six.series_id).time_zone == "Europe/Berlin"
    assert facilitator.post(url, data={**data, "time_zone": "Europe/Istanbul"}).status_code == 302
    with app.app_context():
        assert db.session.get(Series, six.series_id).time_zone == "Europe/Istanbul"


@pytest.mark.parametrize("typed", ["1", "6", "drei"])
def test_a_room_k_outside_two_to_the_published_k_is_refused(app, six, logged_in_client, typed):
    facilitator = logged_in_client("facilitator", six.series_id)
    url = f"/workshops/{six.id}/edit"
    page = facilitator.get(url, headers=ENGLISH).get_data(as_text=True)
    assert "Empty: the series&#39; threshold, 5." in page
    data = {"csrf_token": token_of(page), "title": "Raum", "room_min_group_size": typed}
    answer = facilitator.post(url, data=data, headers=ENGLISH)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and f'value="{typed}"' in html and 'value="Raum"' in html
    if typed.isdigit():
        assert "Please give a whole number from 2 to 5 (the published threshold)" in html
    with app.app_context():
        assert db.session.get(Workshop, six.id).room_min_group_size is None


def test_a_room_k_is_saved_and_cleared(app, six, logged_in_client):
    facilitator = logged_in_client("facilitator", six.series_id)
    url = f"/workshops/{six.id}/edit"
    page = facilitator.get(url).get_data(as_text=True)
    for typed, stored in (("3", 3), ("", None)):
        data = {"csrf_token": token_of(page), "title": "Raum", "room_min_group_size": typed}
        assert facilitator.post(url, data=data).status_code == 302
        with app.app_context():
            assert db.session.get(Workshop, six.id).room_min_group_size == stored


def test_commands_set_and_check_thresholds(app, runner, six):
    refused = runner.invoke(args=["series", "set-k", "s1", "4"])
    assert refused.exit_code == 1 and "from 5 (this server's minimum)" in refused.output
    assert runner.invoke(args=["series", "set-k", "s1", "6"]).exit_code == 0
    assert "s1\tk=6" in runner.invoke(args=["series", "list"]).output
    room = runner.invoke(args=["workshops", "set-room-k", str(six.id), "3"])
    assert room.exit_code == 0 and "smaller than 3" in room.output
    assert runner.invoke(args=["workshops", "set-room-k", str(six.id), "7"]).exit_code == 1
    create = ["workshops", "create", "--instrument", "all-types", "--title", "T", "--series", "s1"]
    assert runner.invoke(args=[*create, "--room-k", "1"]).exit_code == 1
    made = runner.invoke(args=[*create, "--room-k", "4"])
    assert made.exit_code == 0, made.output
    with app.app_context():
        assert db.session.get(Workshop, six.id).room_min_group_size == 3
        new_id = int(made.output.split()[0])
        assert db.session.get(Workshop, new_id).room_min_group_size == 4
        assert db.session.scalar(select(Series.min_group_size).filter_by(slug="s1")) == 6
    assert runner.invoke(args=["workshops", "set-room-k", str(six.id), "none"]).exit_code == 0
    with app.app_context():
        assert db.session.get(Workshop, six.id).room_min_group_size is None
