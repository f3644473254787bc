"""Sending e-mail (invitations, password resets) through the SMTP server of the settings.

Settings (``SURVEY_*`` environment variables, see ``config``): ``SMTP_HOST`` (no
host: no mail is sent, and the pages that would send one show the link instead),
``SMTP_PORT`` (587), ``SMTP_SECURITY`` (``starttls``, ``ssl`` or ``none``),
``SMTP_USERNAME``, ``SMTP_PASSWORD`` and ``MAIL_FROM``. Messages are built with
the standard library's ``email`` package (UTF-8, quoted-printable where needed)
and sent with ``smtplib``; nothing is queued, a failure is reported to the caller.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app

#: Seconds to wait for the SMTP server before giving up.
SMTP_TIMEOUT = 15


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server; the text says why."""


def mail_configured() -> bool:
    """Say whether an SMTP server is set up."""
    return bool(current_app.config.get("SMTP_HOST"))


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    """Return a plain-text UTF-8 message from ``MAIL_FROM`` to ``to``."""
    config = current_app.config
    sender = config.get("MAIL_FROM") or f"survey@{config.get('SMTP_HOST') or 'localhost'}"
    message = EmailMessage()
    message["From"] = formataddr((config.get("MAIL_FROM_NAME") or "", sender))
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message; raise ``MailError`` if the server refuses or is away."""
    config = current_app.config
    host = str(config.get("SMTP_HOST") or "")
    if not host:
        raise MailError("no SMTP server is set up (SURVEY_SMTP_HOST)")
    port = int(config.get("SMTP_PORT") or 587)
    security = str(config.get("SMTP_SECURITY") or "starttls").lower()
    message = build_message(to, subject, body)
    context = ssl.create_default_context()
    try:
        if security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=SMTP_TIMEOUT, context=context
            )
        else:
            client = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
        with client:
            if security == "starttls":
                client.starttls(context=context)
            username = config.get("SMTP_USERNAME")
            if username:
                client.login(str(username), str(config.get("SMTP_PASSWORD") or ""))
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        current_app.logger.warning("mail to a staff account not sent: %s", type(exc).__name__)
        raise MailError(str(exc) or type(exc).__name__) from exc
