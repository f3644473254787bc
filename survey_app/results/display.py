"""Summary tables for the web pages, written with the interface's translations.

The dashboard and the participants' results page show the very tables the PDF
briefing prints (``QuestionType.summary_table``, laid out by the macro in
``templates/shared/tables.html``). The briefing words them with its ``texts.yaml``;
the web pages with the translated interface strings below. Notes the interface has
no words for (the points and top-two explanations) are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import gettext as _

from survey_app.i18n import numbers_for
from survey_app.questions._tables import Writer


def _words() -> dict[str, Callable[..., str]]:
    """Return the table words by ``texts.yaml`` key, translated in this request."""
    return {
        "answer": lambda: _("Answer"),
        "count": lambda: _("Count"),
        "share": lambda: _("Share"),
        "interval": lambda: _("95 %% interval") % {},
        "option": lambda: _("Option"),
        "ranked_first": lambda: _("Ranked first"),
        "in_top": lambda rank: _("In the top %(num)d", num=rank),
        "points": lambda: _("Points"),
        "statement": lambda: _("Statement"),
        "top2": lambda: _("Top 2"),
        "mean": lambda: _("mean"),
        "median": lambda: _("median"),
        "quartiles": lambda: _("quartiles"),
        "statistic": lambda: _("Statistic"),
        "value": lambda: _("Value"),
        "not_shown": lambda: _("not shown"),
        "theme": lambda: _("Theme"),
        "fewer_than": lambda k: _("fewer than %(k)d", k=k),
        "n_note": lambda n: f"n = {n}",
        "rounded_total": lambda total: _("rounded shares: together %(total)s", total=total),
        "mean_note": lambda mean: f"{_('mean')} {mean}",
        "median_note": lambda median: f"{_('median')} {median}",
        "dont_know_note": lambda n: _(
            "points: shares of the %(n)s who chose one; “don't know”: of all who answered", n=n
        ),
        "dont_know_apart": lambda: _(
            "points, top 2 and mean: of those who chose a point; “don't know”: of all who answered"
        ),
    }


class WebTexts:
    """The words of tables in the interface language (``texts.yaml`` keys)."""

    def __init__(self) -> None:
        self.words = _words()

    def __call__(self, key: str, **values: Any) -> str:
        """Return the translated text ``key`` (empty if the interface has no words for it)."""
        word = self.words.get(key)
        return word(**values) if word is not None else ""

    def quote(self, text: str) -> str:
        """Put ``text`` in quotation marks."""
        return f"“{text}”"


def web_writer(language: str, k: int) -> Writer:
    """Return the writer of tables of a web page whose results are in ``language``."""
    return Writer(language, WebTexts(), numbers_for(language), k)
