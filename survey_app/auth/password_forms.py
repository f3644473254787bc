"""Forms that set a password: first admin, invitation, reset, change; and "forgot"."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from survey_app.accounts.operations import MIN_PASSWORD_LENGTH


class NewPasswordForm(FlaskForm):
    """A new password, typed twice (invitation and reset links)."""

    password = PasswordField(
        _l("New password"),
        validators=[
            InputRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=1000,
                message=_l(
                    "The password needs at least %(count)d characters.", count=MIN_PASSWORD_LENGTH
                ),
            ),
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
