"""The e-mails that carry account links: invitations and password resets."""

from __future__ import annotations

import threading

from flask import copy_current_request_context
from flask_babel import gettext as _

from survey_app.mail import MailError, mail_configured, send_mail
from survey_app.models import LinkPurpose, User
from survey_app.site_settings import base_url, public_address

#: The path each kind of link opens (the views of ``auth.onboarding`` serve them).
LINK_PATHS = {
    LinkPurpose.setup: "/setup/",
    LinkPurpose.invitation: "/invitation/",
    LinkPurpose.reset: "/password/reset/",
}


def link_url(purpose: LinkPurpose, token: str) -> str:
    """Return the absolute address of a one-time link."""
    return f"{base_url()}{LINK_PATHS[purpose]}{token}"


def account_mail(purpose: LinkPurpose, user: User, url: str, sender: str = "") -> tuple[str, str]:
    """Return the subject and plain-text body of the mail carrying ``url`` to ``user``."""
    greeting = _("Hello %(name)s,", name=user.name) if user.name else _("Hello,")
    if purpose is LinkPurpose.invitation:
        subject = _("Your account for the workshop surveys")
        lines = [
            greeting,
            "",
            _(
                "%(sender)s has made an account for you (%(email)s).",
                sender=sender,
                email=user.email,
            )
            if sender
            else _("An account has been made for you (%(email)s).", email=user.email),
            _("Open this link within 7 days to choose your password:"),
            "",
            url,
            "",
            _("The link works once. If you did not expect this message, you can ignore it."),
        ]
    else:
        subject = _("A new password for the workshop surveys")
        lines = [
            greeting,
            "",
            _("Someone asked for a new password for %(email)s.", email=user.email),
            _("Open this link within one hour to choose a new password:"),
            "",
            url,
            "",
            _("If it was not you, ignore this message: your password stays as it is."),
        ]
    return subject, "\n".join(lines) + "\n"


def links_by_mail() -> bool:
    """Say whether account links go out by e-mail: an SMTP server and a public address are
    set. Without the address a link would take the host a request named, and anyone could
    have a reset link mailed that points to a site of theirs."""
    return mail_configured() and public_address() is not None


def mail_link(purpose: LinkPurpose, user: User, token: str, sender: str = "") -> bool:
    """Send ``user`` the link of ``token``; return whether the SMTP server took it.

    False when links do not go out by mail (``links_by_mail``) or the server refused
    (the caller shows the link).
    """
    if not links_by_mail():
        return False
    subject, body = account_mail(purpose, user, link_url(purpose, token), sender)
    try:
        send_mail(user.email, subject, body)
    except MailError:
        return False
    return True


def mail_link_later(purpose: LinkPurpose, user: User, token: str) -> None:
    """Send the link from a thread of its own, so that the page answers as fast whether
    or not a mail goes out (its time would tell who has an account)."""
    email, name = user.email, user.name

    @copy_current_request_context
    def send() -> None:
        mail_link(purpose, User(email=email, name=name), token)

    threading.Thread(target=send, name="account-mail", daemon=True).start()
