"""A real OpenID Connect provider for the single sign-on tests, and a person using it.

``running_provider`` starts ``tests/oidc/provider.mjs`` (the npm package oidc-provider,
installed by ``make node-tools``) on a free port of 127.0.0.1; ``sign_on_at_provider``
does what a browser does there (the provider's own login and consent forms, over HTTP)
and returns the URL the provider sends the person back to, for the app's test client.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import requests
from joserfc.jwk import RSAKey

from .timeouts import scaled

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "oidc" / "provider.mjs"
PACKAGE = ROOT / "node_modules" / "oidc-provider"
#: Where the app's test client lives: the redirect URI registered at the provider.
CALLBACK = "http://localhost/login/sso/callback"


@dataclass(frozen=True)
class Provider:
    """A running provider and this app's registration there."""

    issuer: str
    client_id: str
    client_secret: str
    #: The provider's signing key, so that a test can sign ID tokens it alters.
    signing_key: RSAKey

    def app_config(self) -> dict[str, str]:
        """Return the app settings that turn single sign-on on with this provider."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": self.client_id,
            "OIDC_CLIENT_SECRET": self.client_secret,
        }


@contextmanager
def running_provider(
    accounts: dict[str, dict[str, object]],
    folder: Path,
    email_in_userinfo_only: bool = False,
    callback: str = CALLBACK,
) -> Iterator[Provider]:
    """Run the provider with these accounts (login name -> claims) until the block ends.

    ``email_in_userinfo_only``: ID tokens carry no e-mail claims, the userinfo answer
    does; ``callback``: the app's redirect URI (default: the test client's).
    """
    node = shutil.which("node")
    assert node is not None, "the caller skips without node"
    assert PACKAGE.is_dir(), f"oidc-provider is not installed: run `make node-tools` ({PACKAGE})"
    client_id, client_secret = "survey-app", secrets.token_urlsafe(24)
    key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
    settings = folder / "provider.json"
    settings.write_text(
        json.dumps(
            {
                "client": {
                    "client_id": client_id,
                    "client_secret": client_secret,
                    "redirect_uris": [callback],
                },
                "accounts": accounts,
                "email_in_userinfo_only": email_in_userinfo_only,
                "jwks": {"keys": [key.as_dict(private=True)]},
            }
        )
    )
    log = (folder / "provider.log").open("w")
    process = subprocess.Popen(
        [node, str(SCRIPT), str(settings)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        line = _first_line(process, scaled(20))
        assert line, f"the provider did not start: see {folder / 'provider.log'}"
        yield Provider(json.loads(line)["issuer"], client_id, client_secret, key)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
        log.close()


def _first_line(process: subprocess.Popen[str], timeout: float) -> str:
    """Return the first line the process prints ("" if none comes within ``timeout``)."""
    lines: list[str] = []
    assert process.stdout is not None
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout)
    return lines[0].strip() if lines else ""


class _PageReader(HTMLParser):
    """The first form of a provider page (action and fields) and its "Cancel" link."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.action: str | None = None
        self.fields: dict[str, str] = {}
        self.cancel: str | None = None
        self.in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "form" and self.action is None:
            self.action, self.in_form = found.get("action", ""), True
        elif tag == "input" and self.in_form and found.get("name"):
            self.fields[found["name"]] = found.get("value", "")
        elif tag == "a" and found.get("href", "").endswith("/abort"):
            self.cancel = found["href"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False


def sign_on_at_provider(authorize_url: str, login: str, cancel: bool = False) -> str:
    """Log in at the provider as ``login`` (any password), consent, and return the
    callback URL it redirects to; ``cancel``: press "Cancel" on the login page instead."""
    browser = requests.Session()
    answer = browser.get(authorize_url, allow_redirects=False, timeout=scaled(10))
    for _ in range(12):
        if answer.is_redirect:
            location = urljoin(answer.url, answer.headers["Location"])
            if location.startswith(CALLBACK):
                return location
            answer = browser.get(location, allow_redirects=False, timeout=scaled(10))
            continue
        assert answer.status_code == 200, (answer.status_code, answer.text[:500])
        page = _PageReader()
        page.feed(answer.text)
        if cancel:
            assert page.cancel, answer.text[:500]
            answer = browser.get(
                urljoin(answer.url, page.cancel), allow_redirects=False, timeout=scaled(10)
            )
            continue
        assert page.action is not None, answer.text[:500]
        fields = dict(page.fields)
        if fields.get("prompt") == "login":
            fields.update(login=login, password="any password")
        answer = browser.post(
            urljoin(answer.url, page.action), data=fields, allow_redirects=False,
            timeout=scaled(10),
        )  # fmt: skip
    raise AssertionError(f"the provider never sent {login} back to the app")
