"""Every route, for every kind of visitor: deny by default, series access per request."""

from __future__ import annotations

import re

import plotly
import pytest

from .conftest import FIXTURES, login

#: Who is asking, in the order of the expectation tuples below.
VISITORS = ("anonymous", "participant", "viewer", "other_facilitator", "facilitator", "admin")
LOGIN = "login"  # a redirect to /login
#: Endpoints that end the visitor's session (the test logs in again after them).
LOGOUTS = frozenset({"auth.logout", "account.logout_everywhere"})
#: endpoint -> (method, expected status per visitor). Any route missing here fails the test.
EXPECTED: dict[str, tuple[str, tuple[int | str, ...]]] = {
    "participate.join": ("GET", (200, 200, 200, 200, 200, 200)),
    "participate.questionnaire": ("GET", (200, 200, 200, 200, 200, 200)),
    "participate.submit": ("POST", (422, 422, 422, 422, 422, 422)),
    # The edit link is a capability: its token, not a login, authorizes.
    "participate.edit": ("GET", (200, 200, 200, 200, 200, 200)),
    "participate.results": ("GET", (404, 404, 404, 404, 404, 404)),
    # facilitator-paced mode: where the room is (public, like the join code), and one
    # question's answer (without a question key: back to the current question)
    "participate.now": ("GET", (200, 200, 200, 200, 200, 200)),
    "participate.answer": ("POST", (303, 303, 303, 303, 303, 303)),
    # checking a part before moving on stores nothing: anyone with the code
    "participate.check_part": ("POST", (200, 200, 200, 200, 200, 200)),
    "auth.login": ("GET", (200, 200, 200, 200, 200, 200)),
    "auth.logout": ("POST", (LOGIN, LOGIN, 302, 302, 302, 302)),
    # single sign-on is off in this world (no SURVEY_OIDC_*): no such pages; with it on,
    # both are open to everyone (test_sso covers who they log in)
    "auth.sso_start": ("GET", (404, 404, 404, 404, 404, 404)),
    "auth.sso_callback": ("GET", (404, 404, 404, 404, 404, 404)),
    # the language switch of the staff header: no language given is refused
    "auth.choose_language": ("POST", (400, 400, 400, 400, 400, 400)),
    "facilitate.home": ("GET", (302, 302, 302, 302, 302, 302)),
    "facilitate.index": ("GET", (LOGIN, LOGIN, 200, 200, 200, 200)),
    "facilitate.new_series": ("GET", (LOGIN, LOGIN, 403, 200, 200, 200)),
    "facilitate.series_page": ("GET", (LOGIN, LOGIN, 200, 403, 200, 200)),
    "facilitate.edit_series": ("GET", (LOGIN, LOGIN, 403, 403, 200, 200)),
    "facilitate.new_workshop": ("GET", (LOGIN, LOGIN, 403, 403, 200, 200)),
    "facilitate.workshop_page": ("GET", (LOGIN, LOGIN, 200, 403, 200, 200)),
    "facilitate.edit_workshop": ("GET", (LOGIN, LOGIN, 403, 403, 200, 200)),
    "facilitate.open_workshop": ("POST", (LOGIN, LOGIN, 403, 403, 302, 302)),
    "facilitate.close_workshop": ("POST", (LOGIN, LOGIN, 403, 403, 302, 302)),
    # the workshop of this world is not facilitator-paced: 409 for those who manage it
    "facilitate.pace": ("POST", (LOGIN, LOGIN, 403, 403, 409, 409)),
    "facilitate.pace_json": ("GET", (LOGIN, LOGIN, 200, 403, 200, 200)),
    "facilitate.delete_workshop": ("POST", (LOGIN, LOGIN, 403, 403, 422, 422)),
    "facilitate.workshop_qr": ("GET", (LOGIN, LOGIN, 200, 403, 200, 200)),
    "facilitate.workshop_poster": ("GET", (LOGIN, LOGIN, 200, 403, 200, 200)),
    "facilitate.workshop_count": ("GET", (LOGIN, LOGIN, 200, 403, 200, 200)),
    "facilitate.live": ("GET", (LOGIN, LOGIN, 200, 403, 200, 200)),
    "facilitate.present": ("GET", (LOGIN, LOGIN, 200, 403, 200, 200)),
    "facilitate.results_json": ("GET", (LOGIN, LOGIN, 200, 403, 200, 200)),
    "facilitate.export_workshop": ("GET", (LOGIN, LOGIN, 403, 403, 200, 200)),
    "facilitate.texts": ("GET", (LOGIN, LOGIN, 403, 403, 200, 200)),
    "facilitate.delete_workshop_responses": ("GET", (LOGIN, LOGIN, 403, 403, 200, 200)),
    "facilitate.set_retention": ("POST", (LOGIN, LOGIN, 403, 403, 302, 302)),
    # an unusual burst set aside (no burst posted: 400) and a set-aside batch restored
    "facilitate.set_aside": ("POST", (LOGIN, LOGIN, 403, 403, 400, 400)),
    "facilitate.restore": ("POST", (LOGIN, LOGIN, 403, 403, 404, 404)),
    "facilitate.audit_log": ("GET", (LOGIN, LOGIN, 403, 403, 403, 200)),
    "facilitate.review_text": ("POST", (LOGIN, LOGIN, 403, 403, 404, 404)),
    "facilitate.review_texts": ("POST", (LOGIN, LOGIN, 403, 403, 400, 400)),
    "facilitate.add_theme": ("POST", (LOGIN, LOGIN, 403, 403, 302, 302)),
    "facilitate.code_text": ("POST", (LOGIN, LOGIN, 403, 403, 404, 404)),
    "facilitate.translate_text": ("POST", (LOGIN, LOGIN, 403, 403, 404, 404)),
    "facilitate.export_series": ("GET", (LOGIN, LOGIN, 403, 403, 200, 200)),
    # a briefing waits for its workshop to close (409): still open for the viewer, whom
    # close_workshop (above) refused; closed by then for the facilitator and the admin
    "facilitate.workshop_briefing": ("GET", (LOGIN, LOGIN, 409, 403, 200, 200)),
    "facilitate.series_briefing": ("GET", (LOGIN, LOGIN, 409, 403, 200, 200)),
    "facilitate.briefing_summary_text": ("GET", (LOGIN, LOGIN, 403, 403, 200, 200)),
    "facilitate.workshop_briefing_docx": ("GET", (LOGIN, LOGIN, 409, 403, 200, 200)),
    "facilitate.series_briefing_docx": ("GET", (LOGIN, LOGIN, 409, 403, 200, 200)),
    # no build of that key: see test_briefing_jobs for the states of real builds
    "facilitate.briefing_job": ("GET", (LOGIN, LOGIN, 404, 404, 404, 404)),
    # The questionnaire library is for staff; stored questionnaires are not per series.
    "facilitate.instrument_library": ("GET", (LOGIN, LOGIN, 403, 200, 200, 200)),
    "facilitate.upload_instrument": ("GET", (LOGIN, LOGIN, 403, 200, 200, 200)),
    "facilitate.instrument_page": ("GET", (LOGIN, LOGIN, 403, 200, 200, 200)),
    "facilitate.preview_instrument": ("GET", (LOGIN, LOGIN, 403, 200, 200, 200)),
    "facilitate.instrument_translations": ("GET", (LOGIN, LOGIN, 403, 200, 200, 200)),
    "facilitate.instrument_changes": ("GET", (LOGIN, LOGIN, 403, 200, 200, 200)),
    "facilitate.download_instrument": ("GET", (LOGIN, LOGIN, 403, 200, 200, 200)),
    # only admins give a questionnaire key to another series (no series chosen: 422)
    "facilitate.transfer_instrument": ("POST", (LOGIN, LOGIN, 403, 403, 403, 422)),
    # the account's own page (its API tokens); with no fields the new token is refused;
    # no token 999999; "log out everywhere" sends to the login page like a logout
    "account.page": ("GET", (LOGIN, LOGIN, 200, 200, 200, 200)),
    "account.create_token": ("POST", (LOGIN, LOGIN, 422, 422, 422, 422)),
    "account.revoke": ("POST", (LOGIN, LOGIN, 404, 404, 404, 404)),
    "account.logout_everywhere": ("POST", (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN)),
    "account.user_tokens": ("GET", (LOGIN, LOGIN, 403, 403, 403, 200)),
    "admin.users": ("GET", (LOGIN, LOGIN, 403, 403, 403, 200)),
    # a new invitation or reset link for an account: admins only
    "admin.new_link": ("POST", (LOGIN, LOGIN, 403, 403, 403, 200)),
    # one-time links: open to everyone (the link is the capability); an unknown link
    # is 404 for all; "forgot" answers everyone alike (no SMTP server here)
    "onboarding.setup": ("GET", (404, 404, 404, 404, 404, 404)),
    "onboarding.invitation": ("GET", (404, 404, 404, 404, 404, 404)),
    "onboarding.reset": ("GET", (404, 404, 404, 404, 404, 404)),
    "onboarding.forgot": ("GET", (200, 200, 200, 200, 200, 200)),
    # a new password needs the current one (none sent: 422)
    "account.change_password": ("POST", (LOGIN, LOGIN, 422, 422, 422, 422)),
    "admin.toggle_active": ("POST", (LOGIN, LOGIN, 403, 403, 403, 302)),
    "settings.site_settings": ("GET", (LOGIN, LOGIN, 403, 403, 403, 200)),
    "admin.members": ("GET", (LOGIN, LOGIN, 403, 403, 200, 200)),
    "admin.remove_member": ("POST", (LOGIN, LOGIN, 403, 403, 302, 302)),
    "api.openapi": ("GET", (200, 200, 200, 200, 200, 200)),
    "api.workshops": ("GET", (401, 401, 200, 200, 200, 200)),
    "api.workshop": ("GET", (401, 401, 200, 403, 200, 200)),
    "api.workshop_summary_view": ("GET", (401, 401, 200, 403, 200, 200)),
    "api.series_summary_view": ("GET", (401, 401, 200, 403, 200, 200)),
    "vendor.plotly_js": ("GET", (200, 200, 200, 200, 200, 200)),
}
EXPECTED_EXTRA: dict[str, tuple[str, tuple[int | str, ...]]] = {}


@pytest.fixture
def world(app, make_workshop, make_user):
    """Two series; accounts with different access; one participant's submission."""
    app.config["WTF_CSRF_ENABLED"] = False  # this test is about access, not CSRF
    mine = make_workshop(FIXTURES / "all-types.yaml", series="mine")
    other = make_workshop(FIXTURES / "all-types.yaml", series="other")
    viewer_id = make_user("viewer@example.org", "viewer", mine.series_id, "read")
    make_user("other@example.org", "facilitator", other.series_id, "manage")
    make_user("fac@example.org", "facilitator", mine.series_id, "manage")
    make_user("admin@example.org", "admin")
    participant = app.test_client()
    page = participant.get(f"/j/{mine.join_code}").get_data(as_text=True)
    submission = re.search(r'name="submission_id" type="hidden" value="([^"]+)"', page).group(1)
    thanks = participant.post(
        f"/j/{mine.join_code}",
        data={"submission_id": submission, "q.org_type": "culture", "q.top_needs.1": "rooms",
              "q.agreement.heard": "no", "consent": "yes"},
    ).get_data(as_text=True)  # fmt: skip
    edit_path = re.search(r'<p class="edit-link"><a href="([^"?]+)', thanks).group(1)
    return {
        "workshop": mine,
        "edit_path": edit_path,
        "participant": participant,
        "viewer_id": viewer_id,
    }


def client_for(app, world, visitor: str):
    if visitor == "participant":
        return world["participant"]
    client = app.test_client()
    emails = {
        "viewer": "viewer",
        "other_facilitator": "other",
        "facilitator": "fac",
        "admin": "admin",
    }
    if visitor in emails:
        assert login(client, f"{emails[visitor]}@example.org").status_code == 302
    return client


def url_for_rule(rule, world) -> str:
    workshop = world["workshop"]
    if rule.endpoint == "participate.edit":
        return world["edit_path"]
    values = {
        "code": workshop.join_code,
        "workshop_id": workshop.id,
        "series_id": workshop.series_id,
        "version": plotly.__version__,
        "user_id": world["viewer_id"],
        "file_format": "csv",
        "answer_id": 999999,
        "version_id": workshop.instrument_version_id,
        "key": "0" * 32,
        "token_id": 999999,
        "token": "no-such-link",
        "batch_id": 999999,
    }
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:\w+:)?{name}>", str(values[name]), path)
    return path


def test_every_route_has_an_expectation(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints == set(EXPECTED) | set(EXPECTED_EXTRA)


def test_every_view_declares_its_audience(app):
    from survey_app.accounts.access import ACCESS_ATTRIBUTE

    missing = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not hasattr(view, ACCESS_ATTRIBUTE)
    ]
    assert missing == []


STAFF = ("viewer", "other_facilitator", "facilitator", "admin")
#: Live JSON that screens poll with If-None-Match: revalidated every time, never shared.
REVALIDATED = {"facilitate.results_json", "facilitate.pace_json"}
#: The same for everyone: where a paced room is, and a versioned library file.
PUBLIC = {"participate.now", "vendor.plotly_js"}
#: A participant's own pages: the form (with its token) and the edit link.
PARTICIPANT_PRIVATE = {"participate.questionnaire", "participate.edit", "participate.check_part"}


def private_and_unkept(endpoint: str, caching: str) -> bool:
    """Say whether a staff answer may not be kept by a browser or proxy (``no-store``),
    or, for polled live JSON, is private and revalidated every time."""
    words = {word.strip() for word in caching.split(",")}
    if endpoint in PUBLIC:
        return True
    if endpoint in REVALIDATED:
        return {"private", "no-cache"} <= words or "no-store" in words
    return "no-store" in words and "public" not in words


@pytest.mark.parametrize("visitor", VISITORS)
def test_access_matrix(app, world, visitor):
    client = client_for(app, world, visitor)
    index = VISITORS.index(visitor)
    failures = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        method, expected = {**EXPECTED, **EXPECTED_EXTRA}[rule.endpoint]
        want = expected[index]
        url = url_for_rule(rule, world)
        answer = client.open(url, method=method, data={} if method == "POST" else None)
        got: int | str = answer.status_code
        if (
            got == 302
            and "/login" in answer.headers.get("Location", "")
            and rule.endpoint != "auth.logout"
        ):
            got = LOGIN
        if (
            rule.endpoint == "auth.logout"
            and got == 302
            and visitor in ("anonymous", "participant")
        ):
            got = LOGIN
        if got != want:
            failures.append(f"{method} {url} ({rule.endpoint}): {got}, expected {want}")
        caching = answer.headers.get("Cache-Control", "")
        kept_private = visitor in STAFF or rule.endpoint in PARTICIPANT_PRIVATE
        if got == 200 and kept_private and not private_and_unkept(rule.endpoint, caching):
            failures.append(f"{method} {url} ({rule.endpoint}): Cache-Control {caching!r}")
        if rule.endpoint in LOGOUTS and visitor not in ("anonymous", "participant"):
            client = client_for(app, world, visitor)  # logged out: log in again
    assert failures == []


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_a_bearer_token_opens_the_api_only(app, world, role):
    """With a token and nothing else, every page answers as to an anonymous visitor.

    Under ``/api/v1`` the token is its account; elsewhere (pages, forms, exports,
    account administration) the header is ignored, whoever's token it is.
    """
    email = {"viewer": "viewer@example.org", "admin": "admin@example.org"}[role]
    made = app.test_cli_runner().invoke(args=["users", "token", "--email", email])
    assert made.exit_code == 0, made.output
    token = made.output.strip()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    failures = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        method, expected = {**EXPECTED, **EXPECTED_EXTRA}[rule.endpoint]
        visitor = role if rule.endpoint.startswith("api.") else "anonymous"
        want = expected[VISITORS.index(visitor)]
        url = url_for_rule(rule, world)
        answer = client.open(
            url, method=method, data={} if method == "POST" else None, headers=headers
        )
        got: int | str = answer.status_code
        if got == 302 and "/login" in answer.headers.get("Location", ""):
            got = LOGIN
        if got != want:
            failures.append(f"{method} {url} ({rule.endpoint}): {got}, expected {want}")
    assert failures == []
