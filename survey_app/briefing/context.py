"""What a briefing covers, and the template context built from its (suppressed) summaries.

Everything a template shows is computed here or in ``sections``/``findings``:
templates only lay it out. Summaries come from the results engine and are
suppressed before anything is read from them. Free-text answers never enter
the context; quotes come only from ``quotes.approved_quotes``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from survey_app.briefing.figures import alt_text, print_figure
from survey_app.briefing.findings import filtered_questions, key_findings, short_question
from survey_app.briefing.method import method_section
from survey_app.briefing.quotes import Quote, approved_quotes
from survey_app.briefing.scope import (  # noqa: F401 (re-exported: callers import them here)
    BriefingError,
    BriefingScope,
    NothingClosed,
    briefing_scope,
)
from survey_app.briefing.sections import Writer, part_tables
from survey_app.briefing.summary_page import EditedText, summary_part
from survey_app.briefing.texts import Numbers, Texts
from survey_app.briefing.voices import voice_entries
from survey_app.definition.model import RTL_LANGUAGES, Instrument, text_in
from survey_app.models import Workshop
from survey_app.questions import question_type, summary_table
from survey_app.results import (
    ResultSettings,
    Scope,
    breakdown_questions,
    compare_workshops,
    summarize_breakdown,
    summarize_scope,
)


def briefing_summary(
    instrument: Instrument, scope: Scope, session: Session, settings: ResultSettings
) -> dict[str, Any]:
    """Summarize the scope, suppressed, without free-text term counts (never printed)."""
    return summarize_scope(instrument, scope, settings, session=session, include_terms=False)


def check_breakdown(instrument: Instrument, key: str | None) -> None:
    """Raise ``BriefingError`` unless ``key`` (if given) is a breakdown question."""
    if key is None:
        return
    keys = [q.key for q in breakdown_questions(instrument)]
    if key not in keys:
        raise BriefingError(
            f"cannot break down by '{key}': not a single choice with `breakdown: true` "
            f"(possible: {', '.join(keys) or 'none'})"
        )


@dataclass(frozen=True)
class Parts:
    """The results per workshop (comparison) and per breakdown group, suppressed."""

    comparison: dict[str, Any] | None
    breakdown: dict[str, Any] | None


def fetch_parts(
    session: Session,
    instrument: Instrument,
    ids: list[int],
    settings: ResultSettings,
    breakdown: str | None,
) -> Parts:
    """Summarize per workshop (if several) and per breakdown group (if asked)."""
    scope = Scope.of(ids)
    comparison = None
    if len(ids) > 1:
        comparison = compare_workshops(instrument, scope, settings, session=session)
    grouped = None
    if breakdown:
        grouped = summarize_breakdown(instrument, scope, breakdown, settings, session=session)
    return Parts(comparison, grouped)


def build_context(
    scope: BriefingScope,
    summary: dict[str, Any],
    texts: Texts,
    numbers: Numbers,
    k: int,
    quotes: list[Quote] | None = None,
    edited: EditedText | None = None,
) -> dict[str, Any]:
    """Return the template context from the scope's summary (charts as figures, parts empty).

    ``quotes`` are the approved quotes to print (read now if not given: the build
    passes those it hashed); ``edited``: what analysts wrote for the summary page.
    ``add_parts`` fills in the comparison and breakdown sections afterwards.
    """
    instrument, language = scope.instrument, texts.language
    writer = Writer(language, texts, numbers, k)
    quotes = approved_quotes(scope.ids) if quotes is None else quotes
    sources = {w.id: workshop_label(w, numbers) for w in scope.workshops}
    voices = voice_entries(summary, quotes, sources, writer)
    # a free-text question with themes or quotes is printed in the voices part only
    questions = {q["key"]: q for q in summary["questions"]}
    for voice in voices:
        questions.pop(voice["key"])
    sections = []
    for section in instrument.sections:
        entries = [
            _question_entry(questions[q.key], writer, k)
            for q in section.questions
            if q.key in questions
        ]
        if entries:
            sections.append({"title": text_in(section.title, language, "en"), "questions": entries})
    cover = _cover(scope, summary, texts, numbers)
    filtered = filtered_questions(instrument)
    findings = key_findings(summary, instrument.respondent, language, texts, numbers, filtered)
    page = summary_part(findings, edited, cover, list(instrument.languages), texts)
    context = {
        "lang": language,
        "dir": "rtl" if language.split("-")[0] in RTL_LANGUAGES else "ltr",
        "t": texts,
        "n": numbers,
        "k": k,
        "cover": cover,
        "summary": page,
        "findings": page["rest"],
        "voices": voices,
        "sections": sections,
        "comparison": None,
        "breakdown": None,
        "workshops": _workshop_rows(scope, None, summary, writer),
        "method": method_section(scope.workshops, scope.version, summary, writer),
    }
    context["annex"] = annex_titles(context)
    return context


def add_parts(
    context: dict[str, Any], scope: BriefingScope, summary: dict[str, Any], parts: Parts
) -> None:
    """Add the comparison across workshops and the breakdown sections to ``context``."""
    writer = Writer(context["lang"], context["t"], context["n"], context["k"])
    if parts.comparison is not None:
        context["comparison"] = _comparison(parts.comparison, summary, writer)
        context["workshops"] = _workshop_rows(scope, parts.comparison, summary, writer)
    if parts.breakdown is not None:
        context["breakdown"] = _breakdown(parts.breakdown, summary, writer)
    context["annex"] = annex_titles(context)


def annex_titles(context: dict[str, Any]) -> dict[str, str]:
    """Return the headings of the annex parts, lettered in print order.

    The main briefing is the summary, the further findings and the organizations' own
    words; the results by question, the comparison of workshops, the breakdown and the
    method follow as annex A, B, ... Shape: ``{"results": "Annex A: Results by question",
    ...}`` with a key only for the parts this briefing has.
    """
    t = context["t"]
    titles = {"results": t("results")}
    if context.get("comparison"):
        titles["comparison"] = t("comparison")
    if context.get("breakdown"):
        titles["breakdown"] = t("breakdown", question=context["breakdown"]["title"])
    titles["method"] = t("method")
    return {
        part: t("annex_part", letter="ABCDEFGH"[index], title=title)
        for index, (part, title) in enumerate(titles.items())
    }


def _question_entry(question: dict[str, Any], w: Writer, k: int) -> dict[str, Any]:
    texts, numbers = w.texts, w.numbers
    figure = None if question.get("suppressed") else print_figure(question, w.language, k)
    return {
        "key": question["key"],
        "anchor": f"q-{question['key']}",
        "title": w.label(question),
        "short_title": short_question(w.label(question)),
        "table": summary_table(question, w),
        "figure": figure,
        "alt": alt_text(question, w.language, k, texts, numbers) if figure else "",
        "chart": None,  # filled with a data: URI by the build, unless --tables-only
        "note": _question_note(question, w),
    }


def _question_note(question: dict[str, Any], w: Writer) -> str:
    """Say why a question has no numbers (hidden, unanswered) or that its texts are not printed."""
    if question.get("suppressed"):
        return w.hidden(question, answers=True)
    if not question.get("n"):
        return w.texts("no_answers")
    if question_type(question["type"]).free_text:
        return w.texts("text_answers", n=w.numbers.number(question["n"]))
    return ""


def _cover(
    scope: BriefingScope, summary: dict[str, Any], texts: Texts, numbers: Numbers
) -> dict[str, Any]:
    dates = [w.date for w in scope.workshops if w.date]
    if dates and min(dates) != max(dates):
        period = f"{numbers.day(min(dates))} – {numbers.day(max(dates))}"
    else:
        period = numbers.day(dates[0]) if dates else ""
    places = list(dict.fromkeys(w.municipality for w in scope.workshops if w.municipality))
    if scope.series is not None:
        title = scope.series.title
    elif len(scope.workshops) == 1:
        title = scope.workshops[0].title
    else:
        title = texts("several_workshops", n=len(scope.workshops))
    respondents = texts(f"respondents_{scope.instrument.respondent}")
    common = {w.series_id for w in scope.workshops}
    series = scope.workshops[0].series if len(common) == 1 else None
    closed = [w.closed_at for w in scope.workshops if w.closed_at is not None]
    return {
        "title": title,
        "as_of": numbers.long_day(max(closed).date()) if closed else "",
        "series": series.title if series is not None else "",
        "instrument": text_in(scope.instrument.title, texts.language, "en"),
        "period": period,
        "municipalities": ", ".join(places),
        "left_out": ", ".join(workshop_label(w, numbers) for w in scope.left_out),
        "workshops": numbers.number(len(scope.workshops)),
        "responses": numbers.number(summary["n_responses"]),
        "respondents": respondents,
        "generated": numbers.moment(datetime.now(UTC).replace(tzinfo=None, microsecond=0)),
    }


def workshop_label(workshop: dict[str, Any] | Workshop, numbers: Numbers) -> str:
    """Return a short row label of a workshop: its municipality (or title) and date."""
    if isinstance(workshop, Workshop):
        name, day = workshop.municipality or workshop.title, workshop.date
    else:
        name = workshop.get("municipality") or workshop.get("title") or ""
        raw = workshop.get("date")
        day = datetime.fromisoformat(raw).date() if raw else None
    return f"{name} ({numbers.day(day)})" if day else name


def _comparison(
    comparison: dict[str, Any], summary: dict[str, Any], w: Writer
) -> list[dict[str, Any]]:
    parts = [(workshop_label(part, w.numbers), part) for part in comparison["workshops"]]
    return _per_question(summary, parts, w, w.texts("workshop"))


def _breakdown(result: dict[str, Any], summary: dict[str, Any], w: Writer) -> dict[str, Any]:
    key = result["breakdown"]
    parts = [(w.label(group), group) for group in result["groups"]]
    skipped = {**summary, "questions": [q for q in summary["questions"] if q["key"] != key]}
    title = w.texts.quote(short_question(w.label(result)))
    return {"title": title, "questions": _per_question(skipped, parts, w, w.texts("group"))}


def _per_question(
    summary: dict[str, Any], parts: list[tuple[str, dict[str, Any]]], w: Writer, name: str
) -> list[dict[str, Any]]:
    entries = []
    for question in summary["questions"]:
        tables = part_tables(question, parts, w, name)
        if tables:
            entries.append({"title": w.label(question), "tables": tables})
    return entries


def _workshop_rows(
    scope: BriefingScope,
    comparison: dict[str, Any] | None,
    summary: dict[str, Any],
    w: Writer,
) -> list[dict[str, str]]:
    counts: dict[int, str] = {}
    if comparison is None:
        counts[scope.workshops[0].id] = w.numbers.number(summary["n_responses"])
    else:
        for part in comparison["workshops"]:
            counts[part["id"]] = w.hidden(part) or w.numbers.number(part["n_responses"])
    return [
        {
            "title": workshop.title,
            "municipality": workshop.municipality,
            "date": w.numbers.day(workshop.date),
            "responses": counts.get(workshop.id, ""),
        }
        for workshop in scope.workshops
    ]
