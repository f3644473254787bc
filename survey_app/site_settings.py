"""Settings admins change in the browser: the public address, the time zone of new series.

A ``SURVEY_*`` environment variable fixes a setting for the server (the settings
page then shows it, not a field). Values are rows of ``site_setting``.

The public address is what join links, QR codes, posters and e-mailed links
start with. Without one they take the address the page was asked under, which
on a laptop is ``127.0.0.1``: phones in the room cannot open that, so staff
pages warn while it is so (``address_warning``).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from functools import cache
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from flask import current_app, has_request_context, request

from survey_app.extensions import db
from survey_app.models import DEFAULT_TIME_ZONE, SiteSetting

#: The settings' names in ``site_setting``.
PUBLIC_ADDRESS = "public_address"
TIME_ZONE = "time_zone"


class SettingError(ValueError):
    """A value a setting cannot take; the message says why."""


def stored(name: str) -> str | None:
    """Return the stored value of a setting, or None."""
    row = db.session.get(SiteSetting, name)
    return row.value if row is not None else None


def store(name: str, value: str | None) -> None:
    """Store (or with None, forget) a setting; the caller commits."""
    row = db.session.get(SiteSetting, name)
    if value is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(SiteSetting(name=name, value=value))
    else:
        row.value = value
    db.session.flush()


#: A host name: dot-separated labels of ASCII letters, digits and hyphens (an
#: internationalized name is stored in its ``xn--`` form).
HOST_NAME = re.compile(
    r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*"
)


def clean_address(text: str) -> str:
    """Return a public address as stored: ``scheme://host[:port][/path]`` without a slash
    at the end; raise ``SettingError`` for anything else (query, user name, no or an
    invalid host, port 0, spaces or control characters anywhere)."""
    text = text.strip()
    if any(char.isspace() or unicodedata.category(char).startswith("C") for char in text):
        raise SettingError("an address has no spaces or control characters")
    try:
        parts = urlsplit(text)
        port = parts.port
        host = parts.hostname or ""
    except ValueError as exc:  # a port out of range, a bracketed host that is no address
        raise SettingError("the host or port is not valid") from exc
    if parts.scheme not in ("http", "https") or not host:
        raise SettingError("an address starts with https:// (or http://) and a host name")
    if parts.query or parts.fragment or parts.username or parts.password or "?" in text:
        raise SettingError("an address has no user name, no “?” and no “#”")
    if port == 0:
        raise SettingError("the port is not a number from 1 to 65535")
    ascii_host = _ascii_host(host)
    if ":" in ascii_host:  # an IPv6 address
        ascii_host = f"[{ascii_host}]"
    netloc = ascii_host if port is None else f"{ascii_host}:{port}"
    text = f"{parts.scheme}://{netloc}{parts.path}"
    return text.rstrip("/")


def _ascii_host(host: str) -> str:
    """Return ``host`` as an IP address or an ASCII host name; raise ``SettingError``."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise SettingError("the host name is not valid") from exc
    if host.isdigit() or not HOST_NAME.fullmatch(ascii_host):
        raise SettingError("the host name is not valid")
    return ascii_host


def configured_address() -> str | None:
    """Return the public address the environment fixes (``SURVEY_BASE_URL``), if any."""
    return str(current_app.config.get("BASE_URL") or "").rstrip("/") or None


def public_address() -> str | None:
    """Return the public address: the environment's, else the stored one, else None."""
    return configured_address() or stored(PUBLIC_ADDRESS)


def base_url() -> str:
    """Return what absolute links start with: the public address, else this request's."""
    address = public_address()
    if address:
        return address
    if has_request_context():
        return request.url_root.rstrip("/")
    return "http://127.0.0.1:8000"


def is_local(address: str) -> bool:
    """Say whether ``address`` names this machine only (localhost, 127.x, ::1)."""
    host = (urlsplit(address).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def address_warning() -> str | None:
    """Return why join links may not reach phones: ``"local"`` (they point to this machine
    only), ``"unset"`` (no public address: they take the address each page was opened
    under, which a forged ``Host`` header can change), else None."""
    if is_local(base_url()):
        return "local"
    if public_address() is None:
        return "unset"
    return None


def default_time_zone() -> str:
    """Return the time zone new series start with."""
    return stored(TIME_ZONE) or DEFAULT_TIME_ZONE


@cache
def time_zones() -> list[str]:
    """Return the IANA time zones this system knows, by name (Europe/Berlin, ...)."""
    zones = {name for name in available_timezones() if "/" in name and not name.startswith("Etc/")}
    return sorted(zones | {"UTC"})


def check_time_zone(name: str) -> str:
    """Return ``name`` if it is one of ``time_zones``, else raise ``SettingError``."""
    if name not in time_zones():
        raise SettingError(f"{name!r} is not a time zone of the IANA database")
    return name
