"""Why a thing in a summary is hidden, and which words say so.

``results.suppression`` marks every hidden cell, likert item, question, group or
workshop with ``"suppressed": true`` and a ``"reason"``; a ranking option whose
first places are hidden has ``"first_reason"``. Every chart, table, alt text and
briefing note words a hidden thing through ``hidden_key`` (``_figures.Wording.hidden``,
``_tables.Writer.hidden``), so that "fewer than k" is written only where the count
is 1 to k-1.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Why a thing is hidden (``"reason"`` in a summary, see ``results.suppression``):
#: its count is 1 to k-1; or it is not small (0 or k and more) and hidden only so
#: that a small count elsewhere cannot be worked out; or it may be any count
#: ("not shown", saying nothing of it).
SMALL, PROTECTS, WITHHELD = "small", "protects", "withheld"


def hidden_reason(thing: Mapping[str, Any], prefix: str = "") -> str | None:
    """Return why ``thing`` is hidden (``SMALL`` or ``PROTECTS``); None if it is shown.

    With ``prefix`` it is about the fields with that prefix (``first_``: a ranking
    option's first places, hidden with ``first_reason``) unless the whole thing is
    hidden. Only a thing said to be small is ever called small.
    """
    if thing.get("suppressed"):
        reason = thing.get("reason")
    elif prefix and f"{prefix}reason" in thing:
        reason = thing[f"{prefix}reason"]
    else:
        return None
    return reason if reason in (SMALL, WITHHELD) else PROTECTS


def hidden_key(thing: Mapping[str, Any], prefix: str = "", answers: bool = False) -> str | None:
    """Return the key of the words that say why ``thing`` is hidden (None: it is shown).

    ``hidden_small`` ("fewer than k"), ``hidden_protects`` ("not shown (protects
    a small group)") or ``hidden_withheld`` ("not shown") for a cell; with
    ``answers``, for a whole question, likert item, group or workshop:
    ``hidden_answers_small`` ("Fewer than k answered: not shown"),
    ``hidden_answers_protects`` ("Not shown, to protect a small group") or
    ``hidden_answers_withheld`` ("Not shown").
    """
    reason = hidden_reason(thing, prefix)
    if reason is None:
        return None
    return f"hidden_{'answers_' if answers else ''}{reason}"
