"""Account administration (admins) and series membership (series managers)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response as HttpResponse
from wtforms import EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from survey_app.accounts.access import Audience, allow, require_series
from survey_app.accounts.links import issue_link
from survey_app.accounts.mails import link_url, links_by_mail, mail_link
from survey_app.accounts.operations import (
    AccountError,
    create_user,
    grant_series_access,
    has_password,
    normalize_email,
    set_active,
)
from survey_app.auth.forms import ROLE_NAMES, MemberForm
from survey_app.extensions import db
from survey_app.mail import mail_configured
from survey_app.models import AccessLevel, LinkPurpose, Role, Series, SeriesMember, User

blueprint = Blueprint("admin", __name__)


class NewUserForm(FlaskForm):
    """An account to create; its holder chooses the password through an invitation link."""

    email = EmailField(_l("E-mail"), validators=[InputRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[Length(max=200)])
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(r.value, ROLE_NAMES[r]) for r in Role],
        default=Role.facilitator.value,
    )


@blueprint.route("/admin/users", methods=["GET", "POST"])
@allow(Audience.admin)
def users() -> str | tuple[str, int]:
    """List accounts and invite new ones (by e-mail, or a link the admin hands on)."""
    form = NewUserForm()
    handed: tuple[str, str] | None = None
    if form.validate_on_submit():
        try:
            user = create_user(
                form.email.data or "", None, Role(form.role.data), form.name.data or ""
            )
        except AccountError as exc:
            form.email.errors = [*form.email.errors, str(exc)]
        else:
            handed = _send_link(user, LinkPurpose.invitation)
            form = NewUserForm(formdata=None)
    status = 422 if form.errors else 200
    return _users_page(form, handed), status


@blueprint.post("/admin/users/<int:user_id>/link")
@allow(Audience.admin)
def new_link(user_id: int) -> str | HttpResponse:
    """Send an account a new link: an invitation if no password is set yet, else a reset."""
    user = db.get_or_404(User, user_id)
    if not user.active:
        flash(_("%(email)s is deactivated: reactivate the account first.", email=user.email))
        return redirect(url_for(".users"), 303)
    purpose = LinkPurpose.reset if has_password(user) else LinkPurpose.invitation
    return _users_page(NewUserForm(formdata=None), _send_link(user, purpose))


def _send_link(user: User, purpose: LinkPurpose) -> tuple[str, str] | None:
    """Issue a link for ``user`` and mail it; return (e-mail, link) to show if not mailed."""
    token = issue_link(purpose, user)
    db.session.commit()
    sender = current_user.name or current_user.email
    if mail_link(purpose, user, token, sender=sender):
        flash(_("We have sent %(email)s a link by e-mail.", email=user.email))
        return None
    return user.email, link_url(purpose, token)


def _users_page(form: NewUserForm, handed: tuple[str, str] | None) -> str:
    accounts = db.session.scalars(select(User).order_by(User.email)).all()
    return render_template(
        "auth/users.html",
        form=form,
        accounts=accounts,
        handed=handed,
        mail_ready=links_by_mail(),
        needs_address=mail_configured() and not links_by_mail(),
        has_password=has_password,
        role_names=ROLE_NAMES,
    )


@blueprint.post("/admin/users/<int:user_id>/active")
@allow(Audience.admin)
def toggle_active(user_id: int) -> HttpResponse:
    """Deactivate or reactivate an account (deactivating ends its sessions and API tokens)."""
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        abort(400)
    set_active(user, not user.active)
    db.session.commit()
    return redirect(url_for(".users"))


@blueprint.route("/series/<int:series_id>/members", methods=["GET", "POST"])
@allow(Audience.staff)
def members(series_id: int) -> str | HttpResponse | tuple[str, int]:
    """Give accounts access to a series, or take it away."""
    series = db.get_or_404(Series, series_id)
    require_series(series.id, AccessLevel.manage)
    form = MemberForm()
    if form.validate_on_submit():
        user = db.session.scalar(
            select(User).filter_by(email=normalize_email(form.email.data or ""))
        )
        if user is None:
            form.email.errors.append(_("There is no account with this e-mail address."))
        else:
            grant_series_access(user, series.id, AccessLevel(form.level.data))
            db.session.commit()
            flash(_("Access updated."))
            return redirect(url_for(".members", series_id=series.id))
    rows = db.session.execute(
        select(SeriesMember, User)
        .join(User)
        .where(SeriesMember.series_id == series.id)
        .order_by(User.email)
    ).all()
    status = 422 if request.method == "POST" else 200
    return render_template("auth/members.html", series=series, form=form, rows=rows), status


@blueprint.post("/series/<int:series_id>/members/<int:user_id>/remove")
@allow(Audience.staff)
def remove_member(series_id: int, user_id: int) -> HttpResponse:
    """Take an account's access to a series away."""
    require_series(series_id, AccessLevel.manage)
    member = db.session.scalar(select(SeriesMember).filter_by(series_id=series_id, user_id=user_id))
    if member is None:
        abort(404)
    db.session.delete(member)
    db.session.commit()
    return redirect(url_for(".members", series_id=series_id))
