"""``survey-app users ...``: accounts and API tokens from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from survey_app.accounts.identities import forget_sso_identities
from survey_app.accounts.links import admin_exists, issue_link
from survey_app.accounts.mails import link_url
from survey_app.accounts.operations import (
    AccountError,
    create_user,
    has_password,
    normalize_email,
    set_password,
)
from survey_app.accounts.tokens import (
    DEFAULT_DAYS,
    MAX_DAYS,
    TokenError,
    find_token,
    issue_api_token,
    revoke_token,
    tokens_of,
)
from survey_app.extensions import db
from survey_app.ids import MAX_ID
from survey_app.models import LinkPurpose, Role, User
from survey_app.models._time import utcnow


def announce_setup_link(base_url: str) -> None:
    """Print a one-time link that creates the first admin, while no admin exists."""
    if admin_exists():
        return
    token = issue_link(LinkPurpose.setup)
    db.session.commit()
    click.echo(
        "No admin account yet. Open this link within 24 hours to create the first one"
        f" (it works once):\n  {base_url}/setup/{token}"
    )


@click.group("users")
def users_group() -> None:
    """Create accounts; make, list and revoke API tokens."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", default="")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_command(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create an account (asks for the password unless --password-stdin)."""
    password = _read_password(password_stdin)
    try:
        user = create_user(email, password, Role(role), name)
    except AccountError as exc:
        raise click.UsageError(str(exc)) from None
    db.session.commit()
    click.echo(f"created {user.role.value} {user.email}")


@users_group.command("password")
@click.option("--email", required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def password_command(email: str, password_stdin: bool) -> None:
    """Set a new password (ends the account's sessions and revokes its API tokens)."""
    user = _account(email)
    password = _read_password(password_stdin)
    try:
        set_password(user, password)
    except AccountError as exc:
        raise click.UsageError(str(exc)) from None
    db.session.commit()
    click.echo(f"password of {user.email} changed")


@users_group.command("link")
@click.option("--email", required=True)
@with_appcontext
def link_command(email: str) -> None:
    """Print a one-time link for an account to choose its password: an invitation (7 days)
    while it has none, else a reset link (1 hour). Nothing is mailed."""
    user = _account(email)
    if not user.active:
        raise click.UsageError(f"{user.email} is deactivated")
    purpose = LinkPurpose.reset if has_password(user) else LinkPurpose.invitation
    token = issue_link(purpose, user)
    db.session.commit()
    click.echo(link_url(purpose, token))


@users_group.command("token")
@click.option("--email", required=True)
@click.option("--name", "--label", "name", default="command line", help="What the token is for.")
@click.option(
    "--expires-days",
    type=click.IntRange(1, MAX_DAYS),
    default=DEFAULT_DAYS,
    show_default=True,
    help="Days until the token stops working.",
)
@with_appcontext
def token_command(email: str, name: str, expires_days: int) -> None:
    """Print a new API token for an account (shown once; only its hash is kept)."""
    user = _account(email)
    try:
        token = issue_api_token(user, name, expires_days)
    except TokenError as exc:
        raise click.UsageError(str(exc)) from None
    db.session.commit()
    click.echo(token)


@users_group.command("tokens")
@click.option("--email", required=True)
@with_appcontext
def tokens_command(email: str) -> None:
    """List an account's API tokens (id, state, scope, dates, name), newest first."""
    user = _account(email)
    now = utcnow()
    rows = tokens_of(user)
    if not rows:
        click.echo(f"{user.email} has no API tokens")
    for token in rows:
        used = token.last_used_on.isoformat() if token.last_used_on else "never"
        click.echo(
            f"{token.id}\t{token.state_at(now).value}\t{token.scope.value}"
            f"\tcreated {token.created_at:%Y-%m-%d}\texpires {token.expires_at:%Y-%m-%d}"
            f"\tlast used {used}\t{token.name}"
        )


@users_group.command("revoke-token")
@click.argument("token_id", type=click.IntRange(1, MAX_ID))
@with_appcontext
def revoke_token_command(token_id: int) -> None:
    """Revoke an API token by its id (see: survey-app users tokens)."""
    token = find_token(token_id)
    if token is None:
        raise click.UsageError(f"there is no API token {token_id}")
    if revoke_token(token):
        db.session.commit()
        click.echo(f"API token {token.id} of {token.user.email} revoked")
    else:
        click.echo(f"API token {token.id} of {token.user.email} was revoked already")


@users_group.command("forget-sso")
@click.option("--email", required=True)
@with_appcontext
def forget_sso_command(email: str) -> None:
    """Unlink an account's single sign-on subject: its next sign-on links a new one
    (after a person's account at the provider was replaced)."""
    user = _account(email)
    forgotten = forget_sso_identities(user)
    db.session.commit()
    if forgotten:
        click.echo(f"single sign-on of {user.email} unlinked; the next sign-on links anew")
    else:
        click.echo(f"{user.email} has not signed on with single sign-on")


def _account(email: str) -> User:
    """Return the account with this e-mail address, or stop with a usage error."""
    user = db.session.scalar(select(User).filter_by(email=normalize_email(email)))
    if user is None:
        raise click.UsageError(f"there is no account {email}")
    return user


def _read_password(from_stdin: bool) -> str:
    """Read a password from standard input, or ask for it twice on the terminal."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
