"""Forms that set a password: first admin, invitation, reset, change; and "forgot"."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, Field, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from survey_app.accounts.operations import (
    MIN_PASSWORD_LENGTH,
    AccountError,
    check_password_rules,
)


def long_enough(form: FlaskForm, field: Field) -> None:
    """Refuse a password the account rules refuse (``check_password_rules``)."""
    try:
        check_password_rules(field.data or "")
    except AccountError as exc:
        raise ValidationError(str(exc)) from exc


class NewPasswordForm(FlaskForm):
    """A new password, typed twice (invitation and reset links)."""

    password = PasswordField(
        _l("New password"),
        validators=[
            InputRequired(),
            Length(max=1000),
            long_enough,
        ],
        description=_l(
            "At least %(count)d characters. A few unrelated words are easy to remember.",
            count=MIN_PASSWORD_LENGTH,
        ),
        render_kw={"autocomplete": "new-password"},
    )
    password_again = PasswordField(
        _l("New password again"),
        validators=[InputRequired(), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class SetupForm(NewPasswordForm):
    """The first admin account: e-mail, name and password."""

    email = EmailField(
        _l("E-mail"),
        validators=[InputRequired(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    name = StringField(_l("Name"), validators=[Length(max=200)])


class ChangePasswordForm(NewPasswordForm):
    """The current password, and a new one twice."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )


class ForgotPasswordForm(FlaskForm):
    """The e-mail address to send a reset link to."""

    email = EmailField(
        _l("E-mail"),
        validators=[InputRequired(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
