"""Serving with gunicorn: its command line, and an access log that keeps no participant
secrets or addresses."""

from __future__ import annotations

import re
import sys
from typing import Any

from gunicorn.glogging import Logger

#: The secret part of an edit link: /j/<CODE>/edit/<submission id>/<token>.
EDIT_LINK = re.compile(r"(/j/[^/\s]+/edit/)[^/\s?]+/[^/\s?]+")


#: How gunicorn names a client in its own messages ("Invalid request from ip=203.0.113.9: …",
#: "ip=::1: …"): up to the ": " before the reason.
CLIENT_ADDRESS = re.compile(r"\bip=\S*?(?=: |\s|$)")


#: The token of a one-time account link: /setup/<token>, /invitation/<token>,
#: /password/reset/<token>.
ACCOUNT_LINK = re.compile(r"(/(?:setup|invitation|password/reset)/)[^/\s?]+")


def redact(text: str) -> str:
    """Cut the secrets out of a log field: the submission id and token of edit links,
    the tokens of account links."""
    return ACCOUNT_LINK.sub(r"\1…", EDIT_LINK.sub(r"\1…", text))


def redact_message(message: object) -> object:
    """Remove client addresses and edit-link secrets from one of gunicorn's own messages."""
    if not isinstance(message, str):
        return message
    return redact(CLIENT_ADDRESS.sub("ip=-", message))


class RedactingLogger(Logger):
    """Gunicorn's logger, with client addresses and edit-link secrets removed."""

    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any
    ) -> dict[str, Any]:
        """Return the access-log fields without address, user agent, referrer or secrets."""
        atoms = {
            key: value
            for key, value in super().atoms(resp, req, environ, request_time).items()
            if not key.endswith(("}i", "}o", "}e"))  # no request/response headers, no environ
        }
        for key in ("h", "a", "f"):
            atoms[key] = "-"
        for key in ("r", "U", "q"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms

    def critical(self, msg: object, *args: Any, **kwargs: Any) -> None:
        """Log gunicorn's message without client address or secrets."""
        super().critical(redact_message(msg), *args, **kwargs)

    def error(self, msg: object, *args: Any, **kwargs: Any) -> None:
        """Log gunicorn's message without client address or secrets."""
        super().error(redact_message(msg), *args, **kwargs)

    def warning(self, msg: object, *args: Any, **kwargs: Any) -> None:
        """Log gunicorn's message ("Invalid request from ip=…") without the address."""
        super().warning(redact_message(msg), *args, **kwargs)

    def info(self, msg: object, *args: Any, **kwargs: Any) -> None:
        """Log gunicorn's message without client address or secrets."""
        super().info(redact_message(msg), *args, **kwargs)

    def debug(self, msg: object, *args: Any, **kwargs: Any) -> None:
        """Log gunicorn's message without client address or secrets."""
        super().debug(redact_message(msg), *args, **kwargs)

    def exception(self, msg: object, *args: Any, **kwargs: Any) -> None:
        """Log gunicorn's message without client address or secrets."""
        super().exception(redact_message(msg), *args, **kwargs)


def gunicorn_arguments(host: str, port: int, workers: int) -> list[str]:
    """Return the gunicorn command line of ``survey-app serve``."""
    import gunicorn

    arguments = [
        sys.executable, "-m", "gunicorn",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--worker-class", "gthread", "--threads", "4",
        "--access-logfile", "-",
        "--logger-class", "survey_app.serving.RedactingLogger",
        "--access-logformat", '%(t)s "%(r)s" %(s)s %(b)s %(M)sms',
    ]  # fmt: skip
    if gunicorn.version_info >= (25, 1):
        # Since 25.1 gunicorn opens a control socket under ~/.gunicorn (or
        # $XDG_RUNTIME_DIR) by default: one fixed path that several servers of
        # one user fight over, and a way in that we do not use.
        arguments.append("--no-control-socket")
    return [*arguments, "survey_app:create_app()"]
