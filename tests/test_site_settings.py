"""Settings in the browser: the public address (join links, QR, mails) and its warning,
the time zone of new series; a setting the environment fixes cannot be changed."""

from __future__ import annotations

import re

import pytest

from survey_app.extensions import db
from survey_app.models import Workshop
from survey_app.site_settings import SettingError, address_warning, clean_address, is_local
from survey_app.workshops.joining import join_url

from .helpers import token_of

WARNING = "verweisen nur auf diesen Computer"


def save(client, **fields: str):
    page = client.get("/admin/settings").get_data(as_text=True)
    data = {"csrf_token": token_of(page), "time_zone": "Europe/Berlin", **fields}
    return client.post("/admin/settings", data=data)


def test_the_public_address_goes_into_join_links_and_ends_the_warning(
    app, logged_in_client, make_workshop
):
    workshop = make_workshop("needs-expectations")
    admin = logged_in_client("admin")
    page = admin.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert WARNING in page and f"http://localhost/j/{workshop.join_code}" in page
    refused = save(admin, public_address="umfrage.example.de?x=1")
    assert refused.status_code == 422
    assert 'value="umfrage.example.de?x=1"' in refused.get_data(as_text=True)  # kept
    assert save(admin, public_address=" https://umfrage.example.de/ ").status_code == 302
    page = admin.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert WARNING not in page
    assert f"https://umfrage.example.de/j/{workshop.join_code}" in page
    # a forged Host header no longer reaches the join link
    assert forged_host_link(app, workshop) == (
        f"https://umfrage.example.de/j/{workshop.join_code}",
        None,
    )
    # emptied: the page's own address again, with the warning
    assert save(admin, public_address="").status_code == 302
    assert WARNING in admin.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    # opened under another host without a public address: the links take that host,
    # and staff pages say so
    assert forged_host_link(app, workshop) == (
        f"http://evil.example/j/{workshop.join_code}",
        "unset",
    )


def forged_host_link(app, workshop) -> tuple[str, str | None]:
    """The join link and the address warning of a page asked for with ``Host: evil.example``."""
    with app.test_request_context("/workshops", base_url="http://evil.example"):
        found = db.session.get(Workshop, workshop.id)
        return join_url(found), address_warning()


def test_the_environment_fixes_the_address(app, logged_in_client, make_workshop):
    app.config["BASE_URL"] = "https://fest.example.org"
    workshop = make_workshop("needs-expectations")
    admin = logged_in_client("admin")
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert 'name="public_address"' not in page and "https://fest.example.org" in page
    assert save(admin, public_address="https://anders.example.org").status_code == 302
    page = admin.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert f"https://fest.example.org/j/{workshop.join_code}" in page and WARNING not in page


def test_new_series_start_in_the_chosen_time_zone(app, logged_in_client):
    admin = logged_in_client("admin")
    assert save(admin, time_zone="Europe/Istanbul").status_code == 302
    page = admin.get("/series/new").get_data(as_text=True)
    assert re.search(
        r'<option selected value="Europe/Istanbul">|<option value="Europe/Istanbul" selected>', page
    )
    bad = save(admin, time_zone="Mars/Olympus")
    assert bad.status_code == 422


def test_only_admins_change_settings(app, logged_in_client):
    facilitator = logged_in_client("facilitator")
    assert facilitator.get("/admin/settings").status_code == 403
    page = facilitator.get("/workshops").get_data(as_text=True)
    assert "die öffentliche Adresse einzustellen" in page


@pytest.mark.parametrize(
    "address",
    [
        "umfrage.example.de",
        "ftp://x.example",
        "https://",
        "https://u:p@x.example",
        "https://x.example/#a",
        "https://x.example:99999",
    ],
)
def test_what_is_not_an_address(address):
    with pytest.raises(SettingError):
        clean_address(address)


@pytest.mark.parametrize(
    ("address", "local"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost", True),
        ("http://[::1]:5000", True),
        ("http://192.168.1.20:8000", False),
        ("https://umfrage.example.de", False),
    ],
)
def test_local_addresses(address, local):
    assert is_local(address) is local


def test_an_internationalized_host_is_stored_in_ascii():
    assert clean_address("https://Bücher.de/umfrage/") == "https://xn--bcher-kva.de/umfrage"
