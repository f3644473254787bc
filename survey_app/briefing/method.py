"""The method section of a briefing: who answered, how small groups are protected, n.

The protection paragraphs describe the rule ``results.suppression`` and
``disclosure`` apply, and quote the labels of hidden numbers as the tables write
them (``Writer.hidden``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from survey_app.briefing.sections import Writer
from survey_app.models import InstrumentVersion, Workshop
from survey_app.questions.hidden import PROTECTS, SMALL, WITHHELD
from survey_app.workshops.queries import version_warning


def method_section(
    workshops: Sequence[Workshop],
    version: InstrumentVersion,
    summary: dict[str, Any],
    w: Writer,
) -> dict[str, Any]:
    """Return the method section: how small groups are protected, versions, n per question.

    ``version`` is the instrument version the summaries use; the data hash and the
    template are filled in by the build.
    """
    rows = []
    for question in summary["questions"]:
        n = w.hidden(question) or w.numbers.number(question.get("n", 0))
        rows.append(
            {"title": w.label(question), "type": w.texts(f"type_{question['type']}"), "n": n}
        )
    return {
        "protection": protection_paragraphs(w),
        "questions": rows,
        "versions": _version_note(workshops, summary, w),
        "instrument_key": version.key,
        "instrument_version": version.version,
        "data_hash": "",  # filled by the build (``digest.data_hash``)
    }


def protection_paragraphs(w: Writer) -> list[str]:
    """Describe the small-group protection applied, with the very labels the briefing uses.

    Primary suppression (counts of 1 to k-1, an answer every member of a group gave),
    secondary suppression decided once for the whole linked set a reader can get,
    and what each label tells.
    """
    k = w.k
    labels = {
        "small": _label(w, SMALL),
        "protects": _label(w, PROTECTS),
        "withheld": _label(w, WITHHELD),
        "small_answers": _label(w, SMALL, answers=True),
        "protects_answers": _label(w, PROTECTS, answers=True),
    }
    return [
        w.texts(key, k=k, k_minus=k - 1, **labels)
        for key in ("method_suppression", "method_suppression_linked", "method_suppression_labels")
    ]


def _label(w: Writer, reason: str, answers: bool = False) -> str:
    """Return the label of a thing hidden for ``reason``, quoted."""
    return w.texts.quote(w.hidden({"suppressed": True, "reason": reason}, answers=answers))


def _version_note(
    workshops: Sequence[Workshop], summary: dict[str, Any], w: Writer
) -> dict[str, Any]:
    """Versions used and the questions whose wording differs between them, if any do."""
    warning = version_warning(list(workshops))
    if warning is None:
        return {}
    titles = {question["key"]: w.label(question) for question in summary["questions"]}
    keys: dict[str, str] = {}
    for diff in warning.differences:
        for question in diff.questions:
            if question.status != "changed" or any(
                c.kind != "setting" or c.field == "type" for c in question.changes
            ):
                keys.setdefault(question.key, titles.get(question.key, question.label))
    versions = sorted({(v.key, v.version) for v in (ws.instrument_version for ws in workshops)})
    return {
        "versions": ", ".join(f"{key} v{version}" for key, version in versions),
        "questions": list(keys.values()),
    }
