"""Who may publish new versions of a questionnaire key, and how admins give keys away."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from survey_app.extensions import db
from survey_app.models import AuditEntry, InstrumentOwner, Series

from .conftest import login
from .test_library import _file, grant, small, stored

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def team(app, make_workshop, make_user):
    """Two series "a" and "b" (workshops of an unrelated questionnaire) and their teams.

    Returns a function giving a client logged in as one of: ``a1`` and ``a2`` (manage
    "a"), ``b`` (manages "b"), ``loner`` (no series), ``reader`` (reads "a"), ``admin``.
    """
    a = make_workshop("needs-expectations", series="a").series_id
    b = make_workshop("needs-expectations", series="b").series_id
    make_user("a1@example.org", "facilitator", a, "manage")
    make_user("a2@example.org", "facilitator", a, "manage")
    make_user("b@example.org", "facilitator", b, "manage")
    make_user("loner@example.org", "facilitator")
    make_user("reader@example.org", "facilitator", a, "read")
    make_user("admin@example.org", "admin")

    def client_of(name: str):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        assert login(client, f"{name}@example.org").status_code == 302
        return client

    client_of.series = {"a": a, "b": b}  # type: ignore[attr-defined]
    return client_of


def upload(client, text: str, owner: int | None = None, filename: str = "small.yaml"):
    """Post a questionnaire file (and the owner of a new key, if given) with a CSRF token."""
    token = TOKEN.search(client.get("/instruments/upload").get_data(as_text=True)).group(1)
    fields = MultiDict(
        {"csrf_token": token, "file": FileStorage(io.BytesIO(text.encode()), filename)}
    )
    if owner is not None:
        fields["owner"] = str(owner)
    boundary, body = encode_multipart(fields)
    return client.post(
        "/instruments/upload", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def owner_row(app, key: str) -> tuple[int | None, int | None] | None:
    """Return ``(series_id, user_id)`` of the key's owner, None if it has no row."""
    with app.app_context():
        owner = db.session.get(InstrumentOwner, key)
        return None if owner is None else (owner.series_id, owner.user_id)


def test_the_first_upload_claims_the_key_for_the_chosen_series(app, team):
    a1 = team("a1")
    form = a1.get("/instruments/upload").get_data(as_text=True)
    assert 'name="owner"' in form and "Owner of a new questionnaire" in form
    assert re.search(rf'<option selected value="{team.series["a"]}">', form)  # its team first
    assert upload(a1, small(), owner=team.series["a"]).status_code == 302
    assert owner_row(app, "small") == (team.series["a"], None)
    page = a1.get("/instruments").get_data(as_text=True)
    assert "small" in page


def test_another_team_is_refused_and_nothing_is_stored(app, team):
    assert upload(team("a1"), small(), owner=team.series["a"]).status_code == 302
    other = team("b")
    answer = upload(other, small(version=2), owner=team.series["b"])
    assert answer.status_code == 403
    page = answer.get_data(as_text=True)
    assert "small belongs to another team" in page and "Nothing was stored" in page
    assert re.search(rf'<option selected value="{team.series["b"]}">', page)  # kept as chosen
    assert 'type="file"' in page
    assert stored(app) == [("needs-expectations", 2), ("small", 1)]
    assert owner_row(app, "small") == (team.series["a"], None)
    # the same text again is no way in either
    assert upload(other, small()).status_code == 403
    # reading the owning series is not managing it
    assert upload(team("reader"), small(version=2)).status_code == 403
    assert stored(app) == [("needs-expectations", 2), ("small", 1)]


def test_the_own_team_and_admins_may_publish(app, team):
    assert upload(team("a1"), small(), owner=team.series["a"]).status_code == 302
    assert upload(team("a2"), small(version=2), owner=team.series["a"]).status_code == 302
    # an admin may publish, and a new version keeps the key's owner whatever is chosen
    admin = team("admin")
    assert upload(admin, small(version=3), owner=team.series["b"]).status_code == 302
    assert [v for k, v in stored(app) if k == "small"] == [1, 2, 3]
    assert owner_row(app, "small") == (team.series["a"], None)


def test_a_key_stored_for_no_series_belongs_to_the_account(app, team):
    loner = team("loner")
    assert 'name="owner"' not in loner.get("/instruments/upload").get_data(as_text=True)
    assert upload(loner, small()).status_code == 302
    with app.app_context():
        owner = db.session.get(InstrumentOwner, "small")
        assert owner.series_id is None and owner.user_id is not None
    assert upload(loner, small(version=2)).status_code == 302
    refused = upload(team("a1"), small(version=3))
    assert refused.status_code == 403
    assert "belongs to the account that stored it first" in refused.get_data(as_text=True)


def test_keys_without_owner_are_published_by_the_series_that_use_them(app, team, tmp_path):
    """Loaded on the command line (or stored before owners): the teams using it publish."""
    path = _file(tmp_path, "small.yaml", small())
    assert app.test_cli_runner().invoke(args=["instruments", "load", str(path)]).exit_code == 0
    assert owner_row(app, "small") is None  # the command line claims nothing
    refused = upload(team("a1"), small(version=2))
    assert refused.status_code == 403
    assert "has no owner yet" in refused.get_data(as_text=True)
    assert upload(team("loner"), small(version=2)).status_code == 403
    with app.app_context():
        from survey_app.models import InstrumentVersion
        from survey_app.workshops.operations import create_workshop

        version = db.session.scalar(select(InstrumentVersion).filter_by(key="small"))
        create_workshop(version, "Uses small", db.session.get(Series, team.series["a"]))
        db.session.commit()
    assert upload(team("a1"), small(version=2)).status_code == 302
    assert upload(team("b"), small(version=3)).status_code == 403
    assert owner_row(app, "small") is None  # publishing does not claim it
    # the command line stays the operator's: unrestricted
    newer = _file(tmp_path, "small-v3.yaml", small(version=3))
    assert app.test_cli_runner().invoke(args=["instruments", "load", str(newer)]).exit_code == 0


def test_the_instrument_page_names_the_owner_and_who_may_publish(app, team):
    assert upload(team("a1"), small(), owner=team.series["a"]).status_code == 302
    with app.app_context():
        from survey_app.models import InstrumentVersion

        vid = db.session.scalar(select(InstrumentVersion.id).filter_by(key="small"))
    own = team("a2").get(f"/instruments/{vid}").get_data(as_text=True)
    assert "The series a: the facilitators who manage it" in own
    assert "You may publish new versions." in own and "Give every version" not in own
    other = team("b").get(f"/instruments/{vid}").get_data(as_text=True)
    assert "A series of another team" in other and "You may not publish new versions." in other
    admin = team("admin").get(f"/instruments/{vid}").get_data(as_text=True)
    assert "Give every version to this series" in admin and 'name="series_id"' in admin


def test_an_admin_gives_a_key_to_another_series_in_the_browser(app, team):
    assert upload(team("a1"), small(), owner=team.series["a"]).status_code == 302
    with app.app_context():
        from survey_app.models import InstrumentVersion

        vid = db.session.scalar(select(InstrumentVersion.id).filter_by(key="small"))
    admin = team("admin")
    page = admin.get(f"/instruments/{vid}").get_data(as_text=True)
    token = TOKEN.search(page).group(1)
    unsigned = admin.post(f"/instruments/{vid}/owner", data={"series_id": team.series["b"]})
    assert unsigned.status_code == 400  # no CSRF token
    a1 = team("a1")
    own_token = TOKEN.search(a1.get("/instruments/upload").get_data(as_text=True)).group(1)
    refused = a1.post(
        f"/instruments/{vid}/owner", data={"csrf_token": own_token, "series_id": team.series["a"]}
    )
    assert refused.status_code == 403
    wrong = admin.post(f"/instruments/{vid}/owner", data={"csrf_token": token, "series_id": 999})
    assert wrong.status_code == 422 and "Not a valid choice" in wrong.get_data(as_text=True)
    assert owner_row(app, "small") == (team.series["a"], None)
    moved = admin.post(
        f"/instruments/{vid}/owner", data={"csrf_token": token, "series_id": team.series["b"]}
    )
    assert moved.status_code == 303 and moved.headers["Location"].endswith(f"/instruments/{vid}")
    assert "small now belongs to the series b." in admin.get(moved.headers["Location"]).get_data(
        as_text=True
    )
    assert owner_row(app, "small") == (team.series["b"], None)
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).filter_by(action="transfer_instrument"))
        assert entry.actor == "admin@example.org" and entry.target == "instrument small"
    assert upload(team("b"), small(version=2)).status_code == 302
    assert upload(team("a1"), small(version=3)).status_code == 403


def test_an_admin_gives_a_key_to_a_series_on_the_command_line(app, team, tmp_path):
    runner = app.test_cli_runner()
    path = _file(tmp_path, "small.yaml", small())
    assert runner.invoke(args=["instruments", "load", str(path)]).exit_code == 0
    moved = runner.invoke(args=["instruments", "transfer", "small", "--series", "b"])
    assert moved.exit_code == 0, moved.output
    assert moved.output.strip() == "small: owned by series b (was: nobody)"
    assert owner_row(app, "small") == (team.series["b"], None)
    again = runner.invoke(args=["instruments", "transfer", "small", "--series", "a"])
    assert "owned by series a (was: series b)" in again.output
    unknown_key = runner.invoke(args=["instruments", "transfer", "nope", "--series", "a"])
    assert unknown_key.exit_code == 2 and "no questionnaire 'nope'" in unknown_key.output
    unknown_series = runner.invoke(args=["instruments", "transfer", "small", "--series", "zz"])
    assert unknown_series.exit_code == 2 and "there is no series 'zz'" in unknown_series.output
    assert owner_row(app, "nope") is None
    assert upload(team("a2"), small(version=2)).status_code == 302
    assert upload(team("b"), small(version=3)).status_code == 403


def test_a_key_claimed_meanwhile_is_decided_by_its_owner(app, team, monkeypatch):
    """Two first uploads at once: the primary key lets one claim; the other is checked."""
    from survey_app.instruments import ownership
    from survey_app.models import User

    with app.app_context():
        db.session.add(InstrumentOwner(key="small", series_id=team.series["a"]))
        db.session.commit()
        real = ownership.owner_of
        calls: list[str] = []

        def not_seen_first(key: str):
            calls.append(key)
            return None if len(calls) == 1 else real(key)

        monkeypatch.setattr(ownership, "owner_of", not_seen_first)
        b = db.session.scalar(select(User).filter_by(email="b@example.org"))
        assert not ownership.claim_or_check(b, "small", db.session.get(Series, team.series["b"]))
        a2 = db.session.scalar(select(User).filter_by(email="a2@example.org"))
        calls.clear()
        assert ownership.claim_or_check(a2, "small", None)
        db.session.rollback()
    assert owner_row(app, "small") == (team.series["a"], None)


def test_deleting_the_owning_series_leaves_the_key_to_admins_and_its_users(app, team):
    assert upload(team("a1"), small(), owner=team.series["a"]).status_code == 302
    with app.app_context():
        db.session.delete(db.session.get(Series, team.series["a"]))
        db.session.commit()
    assert owner_row(app, "small") == (None, None)
    assert upload(team("a1"), small(version=2)).status_code == 403
    assert upload(team("admin"), small(version=2)).status_code == 302


def test_grant_gives_a_team_member_the_right(app, team):
    assert upload(team("a1"), small(), owner=team.series["a"]).status_code == 302
    assert upload(team("loner"), small(version=2)).status_code == 403
    grant(app, "loner@example.org", team.series["a"], "manage")
    assert upload(team("loner"), small(version=2)).status_code == 302


@pytest.mark.parametrize("who", [None, "viewer"])
def test_an_upload_without_token_by_others_than_staff_gets_the_error_page(app, make_user, who):
    """The CSRF check comes before the access check: no upload page, and never a 500."""
    client = app.test_client()
    if who:
        make_user(f"{who}@example.org", who)
        assert login(client, f"{who}@example.org").status_code == 302
    answer = client.post("/instruments/upload", data={})
    assert answer.status_code == 400
    assert 'type="file"' not in answer.get_data(as_text=True)
