"""Join-code lookups, limited per client network (never by a stored address).

Two counters of keyed hashes (``survey_app.throttle``): every lookup of a code
(``/j?code=`` and ``GET /j/<CODE>``) counts against a generous limit per minute, so
that a venue NAT with hundreds of phones still joins and reloads; and lookups of
codes that do not exist count against a tighter limit per ten minutes, which is
what stops a script guessing codes (a room mistypes a few dozen at most). Once
either is reached, every lookup from that network gets 429 with Retry-After until
the window ends. Submissions, edit links, the paced mode's polling and the
participants' results page are never counted.
"""

from __future__ import annotations

from flask import current_app, render_template, request

from survey_app.throttle import client_counter_name, counter_store

#: Defaults of the settings of the same names.
JOIN_LOOKUPS_PER_MINUTE = 2400
JOIN_MISSES_PER_10_MINUTES = 120
MISS_WINDOW = 600


def join_wait() -> int | None:
    """Count a lookup of this client; return the seconds to wait if it is over a limit."""
    store = counter_store()
    config = current_app.config
    misses = store.peek(client_counter_name("join-miss", request.remote_addr), MISS_WINDOW)
    if misses.hits >= int(config.get("JOIN_MISSES_PER_10_MINUTES", JOIN_MISSES_PER_10_MINUTES)):
        return misses.resets_in
    lookups = store.hit(client_counter_name("join", request.remote_addr), 60)
    if lookups.hits > int(config.get("JOIN_LOOKUPS_PER_MINUTE", JOIN_LOOKUPS_PER_MINUTE)):
        return lookups.resets_in
    return None


def count_miss() -> None:
    """Count a lookup of a code that does not exist."""
    counter_store().hit(client_counter_name("join-miss", request.remote_addr), MISS_WINDOW)


def too_many_lookups(wait: int) -> tuple[str, int, dict[str, str]]:
    """Return the 429 page that asks to wait ``wait`` seconds."""
    minutes = max(1, -(-wait // 60))
    page = render_template("participate/busy.html", minutes=minutes, seconds=wait)
    return page, 429, {"Retry-After": str(wait), "Cache-Control": "no-store"}
