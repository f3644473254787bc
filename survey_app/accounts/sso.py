"""Single sign-on for staff with OpenID Connect: the settings and the provider's client.

Authlib's Flask client does the authorization code flow with PKCE (S256), ``state``
and ``nonce`` kept in the session cookie, and checks the ID token: signature with the
provider's keys (discovery, JWKS), issuer, audience, expiry, nonce. ``finish_sign_on``
turns whatever goes wrong on the way into an ``SsoProblem``; which account the checked
claims open is decided by ``survey_app.accounts.identities``.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from joserfc.errors import JoseError

#: The name of the client in Authlib's registry (and of its state keys in the session).
CLIENT_NAME = "sso"
#: Where the app keeps its registry in ``app.extensions``.
EXTENSION_KEY = "survey_sso"
#: What the app asks for: the ID token and the e-mail address (and whether it is verified).
SCOPES = "openid email profile"
#: Seconds to wait for the provider (discovery, keys, token): a hung provider must not
#: hold a server thread for long.
PROVIDER_TIMEOUT = 10

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SsoSettings:
    """The provider and this app's registration there."""

    issuer: str
    client_id: str
    client_secret: str
    #: The login button's text; empty: the default, translated text.
    label: str

    @property
    def metadata_url(self) -> str:
        """Return the provider's discovery document URL."""
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


class SsoProblem(enum.Enum):
    """Why a sign-on did not log anyone in."""

    provider_refused = "provider_refused"  #: the provider answered with an error (access_denied)
    bad_state = "bad_state"  #: unknown, expired, tampered or already used state
    provider_unreachable = "provider_unreachable"  #: discovery, keys or token not fetched
    invalid_token = "invalid_token"  #: the token or the ID token did not pass the checks
    unverified_email = "unverified_email"  #: no e-mail, or the provider has not verified it
    unknown_email = "unknown_email"  #: no account has this e-mail address
    disabled = "disabled"  #: the account is deactivated
    subject_mismatch = "subject_mismatch"  #: the account signed on as another person before
    subject_taken = "subject_taken"  #: this person signed on to another account before


class SsoError(Exception):
    """A sign-on that failed; ``problem`` says why (the page tells the person)."""

    def __init__(self, problem: SsoProblem, detail: str = "") -> None:
        super().__init__(detail or problem.value)
        self.problem = problem


def sso_settings(config: Any) -> SsoSettings | None:
    """Return the single sign-on settings of ``config``, or None when it is off."""
    issuer = (config.get("OIDC_ISSUER") or "").strip()
    client_id = (config.get("OIDC_CLIENT_ID") or "").strip()
    client_secret = config.get("OIDC_CLIENT_SECRET") or ""
    if not (issuer and client_id and client_secret):
        return None
    return SsoSettings(issuer, client_id, client_secret, (config.get("OIDC_LABEL") or "").strip())


def configure_sso(app: Flask) -> None:
    """Register the provider's client for ``app`` when single sign-on is configured."""
    settings = sso_settings(app.config)
    if settings is None:
        return
    registry = OAuth(app)
    registry.register(
        CLIENT_NAME,
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        server_metadata_url=settings.metadata_url,
        client_kwargs={
            "scope": SCOPES,
            "code_challenge_method": "S256",
            "default_timeout": PROVIDER_TIMEOUT,
        },
    )
    app.extensions[EXTENSION_KEY] = registry


def sso_client() -> Any | None:
    """Return this app's client of the provider (None: single sign-on is off)."""
    registry = current_app.extensions.get(EXTENSION_KEY)
    return None if registry is None else registry.create_client(CLIENT_NAME)


def begin_sign_on(client: Any, redirect_uri: str) -> Any:
    """Return the redirect to the provider's login; state, nonce and PKCE verifier are
    kept in the session until the callback."""
    try:
        return client.authorize_redirect(redirect_uri)
    except (requests.RequestException, ValueError) as error:
        log.warning("single sign-on: provider not reachable: %s", type(error).__name__)
        raise SsoError(SsoProblem.provider_unreachable) from error


def finish_sign_on(client: Any, issuer: str, response_issuer: str | None) -> dict[str, Any]:
    """Check the provider's answer to this callback and return the ID token's claims.

    ``response_issuer`` is the callback's ``iss`` parameter (RFC 9207), if the provider
    sends one: it must be ours. Raise ``SsoError`` for an error from the provider, a
    state this session did not start (or has used), an unreachable provider, or a token
    that fails the checks.
    """
    if response_issuer is not None and response_issuer != issuer:
        raise SsoError(SsoProblem.invalid_token, "answer of another issuer")
    claims_options = {"iss": {"essential": True, "value": issuer}}
    try:
        token = client.authorize_access_token(claims_options=claims_options)
    except AuthlibBaseError as error:
        kind = getattr(error, "error", "")
        log.info("single sign-on refused: %s", kind)
        # invalid_grant: the code was used before (a replayed callback) or has expired
        if kind in ("mismatching_state", "invalid_grant"):
            raise SsoError(SsoProblem.bad_state) from error
        if kind in ("access_denied", "login_required", "consent_required", "interaction_required"):
            raise SsoError(SsoProblem.provider_refused) from error
        raise SsoError(SsoProblem.invalid_token) from error
    except JoseError as error:
        log.info("single sign-on: ID token refused: %s", type(error).__name__)
        raise SsoError(SsoProblem.invalid_token) from error
    except requests.RequestException as error:
        log.warning("single sign-on: provider not reachable: %s", type(error).__name__)
        raise SsoError(SsoProblem.provider_unreachable) from error
    except (ValueError, KeyError, RuntimeError) as error:  # e.g. discovery without jwks_uri
        log.warning("single sign-on: unusable answer: %s", type(error).__name__)
        raise SsoError(SsoProblem.invalid_token) from error
    claims = token.get("userinfo")
    if not claims:  # no ID token (or no nonce kept): nothing was verified
        raise SsoError(SsoProblem.invalid_token, "no ID token")
    if "email" not in claims:
        return with_userinfo_email(client, token, dict(claims))
    return dict(claims)


def with_userinfo_email(
    client: Any, token: dict[str, Any], claims: dict[str, Any]
) -> dict[str, Any]:
    """Add the e-mail claims of the userinfo endpoint to ID-token ``claims`` that have none.

    Some providers put the claims of the ``email`` scope only there (as OpenID Connect
    Core describes for the code flow). Its answer counts only for the same subject.
    """
    try:
        userinfo = client.userinfo(token=token)
    except (AuthlibBaseError, requests.RequestException, ValueError) as error:
        log.warning("single sign-on: userinfo not fetched: %s", type(error).__name__)
        raise SsoError(SsoProblem.provider_unreachable) from error
    if userinfo.get("sub") != claims.get("sub"):
        raise SsoError(SsoProblem.invalid_token, "userinfo of another subject")
    for key in ("email", "email_verified"):
        if key in userinfo:
            claims[key] = userinfo[key]
    return claims
