"""What the participants' results page may show: a stricter view of a protected summary.

Anyone with the join code can add answers of their own before the page is read. A
hidden count of others plus answers added on purpose can cross the threshold k (the
published smallest group, ``summary["min_group_size"]``), and the shown count minus
one's own answers gives the hidden one back: 2 hidden, 5 added, 7 shown. So the page
shows results only once the workshop has closed (the view asks the workshop), and of
the already protected summary (``results.scoped.summarize_selection``) only this:

- A question or an option only if its count is at least 2k: someone who added up to
  k answers of their own still finds at least k others in every shown cell, and
  whether a cell is shown tells nothing about counts of others below k.
- Shares only, rounded to whole percent: no counts, no n (of a question or of the
  workshop), no intervals (their width gives n away), no Borda points, no medians.
- If exactly one option of a question is hidden, the smallest shown one is hidden
  too, since the shares add up and would give the hidden one back: to 100 % where the
  options partition the respondents, to a fixed multiple where everyone ranks the
  same number of places or chooses the same number of options. The rule is applied
  to every question with options, whatever its type.
- A statistic its type computes from the option counts (a rating's mean) only if no
  option is hidden.
- A likert matrix is shown item by item, each item's points as the options of a
  question (``participant_parts``): the rules above apply to every item alone.
- "Don't know" (where a rating or likert item offers it) is shown after the points
  by the same rule (at least 2k), as its share of all who answered; the points'
  shares are of those who chose a point.
- Questions without options (numbers, free text) are not shown: this page has no
  rule for them.

Every hidden thing is marked the same way (``results.suppression.hidden``, reason
``"protects"``): "fewer than k" next to "protects a small group" would tell which
side of k a count lies on.
"""

from __future__ import annotations

from typing import Any

from survey_app.questions import question_type
from survey_app.questions._tables import Row, Table, Writer, join_note
from survey_app.results.suppression import IDENTITY, hidden

#: How many times k a count must reach to be shown on this page.
FACTOR = 2


def shown_from(k: int) -> int:
    """Return the smallest count the participants' results page shows with threshold k."""
    return FACTOR * k


def participant_summary(summary: dict[str, Any]) -> dict[str, Any]:
    """Return what the participants' results page shows of a protected summary.

    ``{"min_group_size": k, "questions": [...]}`` with the questions the page shows
    (their type's ``participant_results``): each hidden, or ``key``, ``type``,
    ``label`` (and ``rank`` for a ranking), options with a whole-percent ``share`` or
    hidden, and the type's option statistics when no option is hidden.
    """
    k = summary["min_group_size"]
    questions = [
        _question(part, shown_from(k))
        for q in summary.get("questions", [])
        if question_type(q["type"]).participant_results
        for part in question_type(q["type"]).participant_parts(q)
    ]
    return {"min_group_size": k, "questions": questions}


def _question(question: dict[str, Any], least: int) -> dict[str, Any]:
    if question.get("suppressed") or question.get("n", 0) < least or "options" not in question:
        return {**hidden(question), **{n: question[n] for n in ("item",) if n in question}}
    options = question["options"]
    shown = [_count(o) >= least for o in options]
    if shown.count(False) == 1 and any(shown):
        smallest = min((i for i, s in enumerate(shown) if s), key=lambda i: _count(options[i]))
        shown[smallest] = False
    result: dict[str, Any] = {name: question[name] for name in IDENTITY if name in question}
    for name in ("rank", "item"):  # a ranking's places, a matrix item's label
        if name in question:
            result[name] = question[name]
    result["options"] = [
        _option(o) if visible else hidden(o) for o, visible in zip(options, shown, strict=True)
    ]
    apart = question.get("dont_know")  # a share of all who answered, shown alike
    if apart is not None:
        result["dont_know"] = _option(apart) if _count(apart) >= least else hidden(apart)
    if all(shown):
        for name in question_type(question["type"]).option_statistics:
            if name in PAGE_STATISTICS and question.get(name) is not None:
                result[name] = round(question[name], 1)
    return result


#: Statistics of the options this page shows (a mean; no median: it names one answer).
PAGE_STATISTICS = frozenset({"mean"})


def _count(option: dict[str, Any]) -> int:
    """Return an option's count; 0 for a hidden one (it is not shown here either)."""
    count = option.get("count")
    return count if isinstance(count, int) and not option.get("suppressed") else 0


def _option(option: dict[str, Any]) -> dict[str, Any]:
    kept = {name: option[name] for name in IDENTITY if name in option}
    share = option.get("share")
    return {**kept, "share": None if share is None else round(share, 2)}


def participant_table(question: dict[str, Any], w: Writer, not_shown: str) -> Table | None:
    """Return the table of a question of ``participant_summary``; None if it is hidden.

    One row per option: its share with a bar, or ``not_shown`` across the row ("don't
    know", where offered, last, with a note on what its share is of); the type names
    the share (``participant_head``: for a ranking, ranked in the top N; for a
    points question, gave it any point, with a note). A statistic of the options is
    noted below.
    """
    if question.get("suppressed"):
        return None
    t = w.texts
    rows = [
        Row(w.label(o), span=not_shown)
        if o.get("suppressed")
        else Row(w.label(o), [w.share_cell(o)])
        for o in question["options"]
    ]
    head, about = question_type(question["type"]).participant_head(question, w)
    apart = question.get("dont_know")
    if apart is not None:  # after the points, its share of all who answered
        if apart.get("suppressed"):
            rows.append(Row(w.label(apart), span=not_shown, apart=True))
        else:
            rows.append(Row(w.label(apart), [w.share_cell(apart)], apart=True))
        about = join_note(about, t("dont_know_apart"))
    mean = question.get("mean")
    statistic = t("mean_note", mean=w.numbers.decimal(mean)) if mean is not None else ""
    return Table(head, rows, note=join_note(about, statistic))
