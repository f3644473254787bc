"""``survey-app users ...``: accounts and API tokens from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from survey_app.accounts.operations import (
    AccountError,
    create_user,
    issue_api_token,
    normalize_email,
    set_password,
)
from survey_app.extensions import db
from survey_app.models import Role, User


@click.group("users")
def users_group() -> None:
    """Create accounts and API tokens."""


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
    """Set a new password (ends the account's sessions)."""
    user = db.session.scalar(select(User).filter_by(email=normalize_email(email)))
    if user is None:
        raise click.UsageError(f"there is no account {email}")
    password = _read_password(password_stdin)
    try:
        set_password(user, password)
    except AccountError as exc:
        raise click.UsageError(str(exc)) from None
    db.session.commit()
    click.echo(f"password of {user.email} changed")


@users_group.command("token")
@click.option("--email", required=True)
@click.option("--label", default="command line")
@with_appcontext
def token_command(email: str, label: str) -> None:
    """Print a new API token for an account (shown once; only its hash is kept)."""
    user = db.session.scalar(select(User).filter_by(email=normalize_email(email)))
    if user is None:
        raise click.UsageError(f"there is no account {email}")
    token = issue_api_token(user, label)
    db.session.commit()
    click.echo(token)


def _read_password(from_stdin: bool) -> str:
    """Read a password from standard input, or ask for it twice on the terminal."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
