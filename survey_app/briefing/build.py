"""Make a briefing end to end: summaries, data hash and cache check, charts, HTML, PDF.

The summaries (cached per workshop) are read first, since the data hash is a digest
of them; charts and layout, the slow part, only run when no stored PDF matches.

Used by ``survey-app briefing build`` and by the download routes; neither does
more than resolve the scope and hand over. The caller commits.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from survey_app.briefing.charts import ExportReport, chart_cache, export_charts
from survey_app.briefing.context import (
    BriefingScope,
    Parts,
    add_parts,
    briefing_summary,
    build_context,
    check_breakdown,
    fetch_parts,
)
from survey_app.briefing.digest import PrintedData, data_hash
from survey_app.briefing.docx_export import briefing_docx
from survey_app.briefing.figures import chart_request, data_uri
from survey_app.briefing.quotes import approved_quotes
from survey_app.briefing.records import cache_key, find_cached, scope_key
from survey_app.briefing.render import (
    DEFAULT_TEMPLATE,
    folder_hash,
    render_html,
    render_pdf,
    reports_root,
    template_folder,
)
from survey_app.briefing.stamp import Stamp
from survey_app.briefing.summary_page import (
    EditedText,
    edited_text,
    saved_text,
    text_basis,
    text_scope,
)
from survey_app.briefing.texts import Numbers, Texts, numbers_for, texts_for
from survey_app.database import read_transaction
from survey_app.extensions import db
from survey_app.models import Briefing
from survey_app.models.briefing import WEB
from survey_app.results import ResultSettings, Scope

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BriefingOptions:
    """How to make a briefing: language, template folder, breakdown, charts or not."""

    language: str
    template: str = DEFAULT_TEMPLATE
    breakdown: str | None = None
    tables_only: bool = False


@dataclass
class BuiltBriefing:
    """A briefing's PDF, its record, whether it came from the cache, and step timings."""

    pdf: bytes
    record: Briefing
    cached: bool
    timings: dict[str, float] = field(default_factory=dict)
    charts: ExportReport = field(default_factory=ExportReport)


def template_path(name: str) -> Path:
    """Return the folder of template ``name`` (``reports/<name>``)."""
    return template_folder(name, reports_root(current_app.config.get("REPORTS_PATH")))


@dataclass
class Prepared:
    """What a briefing will print, read and hashed: ``key`` names the PDF it makes."""

    printed: PrintedData
    data: str
    stamp: dict[str, str]
    asked: str
    edited: EditedText | None
    key: str
    cached: Briefing | None
    timings: dict[str, float]


def prepare_briefing(
    session: Session,
    scope: BriefingScope,
    options: BriefingOptions,
    settings: ResultSettings,
    progress: Progress | None = None,
) -> Prepared:
    """Read what the briefing prints and find a stored PDF of it (``cached``; None: none).

    The quick part of a build (the summaries are cached per workshop); the cache key
    also names the background job that builds it. Read-only, like ``get_briefing``.
    """
    say = progress or (lambda message: None)
    timings: dict[str, float] = {}
    folder = template_path(options.template)
    numbers = numbers_for(options.language)
    k = settings.min_group_size
    check_breakdown(scope.instrument, options.breakdown)
    say(f"summarizing {len(scope.ids)} workshop(s)")
    printed = _printed_data(session, scope, options, settings, timings)
    with _timed(timings, "cache check"):
        data = data_hash(scope, printed, k)
        stamp = _stamp(scope, options, data, k).entries(current_app.config["SECRET_KEY"])
        asked = scope_key(scope.ids, options.language, options.template, options.breakdown,
                          options.tables_only, scope.series_id)  # fmt: skip
        edited = _edited(session, scope, options, printed.summary, numbers)
        names = (_names(scope), edited.key() if edited is not None else None)
        key = cache_key(asked, data, folder_hash(folder), names, stamp)
        cached = find_cached(session, asked, key)
    if cached is not None and cached.pdf is None:
        cached = None
    return Prepared(printed, data, stamp, asked, edited, key, cached, timings)


def get_briefing(
    session: Session,
    scope: BriefingScope,
    options: BriefingOptions,
    settings: ResultSettings,
    *,
    user_id: int | None = None,
    source: str = WEB,
    file_path: str | None = None,
    progress: Progress | None = None,
) -> BuiltBriefing:
    """Return the briefing of ``scope``: from the cache if nothing changed, else built.

    Only reads the database: call it in a read transaction (a GET request, or
    ``database.read_transaction``). A new briefing's ``record`` is not added to the
    session: the caller stores it with ``records.record_briefing`` (on SQLite in
    a fresh transaction, so that a long read never has to become a write).
    """
    say = progress or (lambda message: None)
    prepared = prepare_briefing(session, scope, options, settings, say)
    timings = prepared.timings
    if prepared.cached is not None and prepared.cached.pdf is not None:
        say("data unchanged since the last build: served from the cache")
        return BuiltBriefing(prepared.cached.pdf, prepared.cached, True, timings)
    folder = template_path(options.template)
    texts = texts_for(folder, options.language)
    numbers = numbers_for(options.language)
    k = settings.min_group_size
    printed, data, stamp, key = prepared.printed, prepared.data, prepared.stamp, prepared.key
    edited, asked, ids = prepared.edited, prepared.asked, scope.ids
    context = _context(scope, printed, texts, numbers, k, edited, data, options.template)
    report = ExportReport()
    with _timed(timings, "charts"):
        if options.tables_only:
            _drop_charts(context)
        else:
            _draw_charts(context, report, say)
    say("rendering the PDF")
    with _timed(timings, "html"):
        html = render_html(folder, context)
    with _timed(timings, "pdf"):
        rendered = render_pdf(html, folder, stamp)
    for url in rendered.refused:
        say(f"warning: the template asked for {url[:120]}; refused")
    record = Briefing(
        user_id=user_id,
        source=source,
        series_id=scope.series_id,
        workshop_ids=ids,
        language=options.language,
        template=options.template,
        breakdown=options.breakdown,
        tables_only=options.tables_only,
        instrument_key=scope.version.key,
        instrument_version=scope.version.version,
        min_group_size=k,
        data_hash=data,
        scope_key=asked,
        cache_key=key,
        pages=rendered.pages,
        size=len(rendered.pdf),
        file_path=file_path,
        pdf=rendered.pdf,
    )
    return BuiltBriefing(rendered.pdf, record, False, timings, report)


def build_docx(
    session: Session, scope: BriefingScope, options: BriefingOptions, settings: ResultSettings
) -> bytes:
    """Return the briefing of ``scope`` as an editable DOCX: the PDF's parts and numbers.

    Built each time (a few hundred milliseconds: no charts, no layout); read-only
    like ``get_briefing``.
    """
    folder = template_path(options.template)
    texts, numbers = texts_for(folder, options.language), numbers_for(options.language)
    k = settings.min_group_size
    check_breakdown(scope.instrument, options.breakdown)
    printed = _printed_data(session, scope, options, settings, {})
    edited = _edited(session, scope, options, printed.summary, numbers)
    data = data_hash(scope, printed, k)
    return briefing_docx(
        _context(scope, printed, texts, numbers, k, edited, data, options.template)
    )


def _context(
    scope: BriefingScope,
    printed: PrintedData,
    texts: Texts,
    numbers: Numbers,
    k: int,
    edited: EditedText | None,
    data: str,
    template: str,
) -> dict[str, Any]:
    """Return the whole template context (charts still figures): the PDF's and the DOCX's."""
    context = build_context(scope, printed.summary, texts, numbers, k, printed.quotes, edited)
    context["method"].update(data_hash=data, template=template)
    add_parts(context, scope, printed.summary, printed.parts)
    return context


def _printed_data(
    session: Session,
    scope: BriefingScope,
    options: BriefingOptions,
    settings: ResultSettings,
    timings: dict[str, float],
) -> PrintedData:
    """Read the summaries, the per-workshop and per-group parts and the quotes.

    The parts are summarized in a second connection while this thread summarizes
    the scope. With the summary cache they start after the whole summary, which has
    counted (and stored) every workshop's part.
    """
    # current_app is typed as the app itself; at run time it is a proxy to it.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    ids = scope.ids
    work = partial(
        _reading_thread, app, fetch_parts, scope.instrument, ids, settings, options.breakdown
    )
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefing-parts") as pool:
        parts = None if settings.cache else pool.submit(work)
        with _timed(timings, "summaries"):
            summary = briefing_summary(scope.instrument, Scope.of(ids), session, settings)
            quotes = approved_quotes(ids)
        if parts is None:
            parts = pool.submit(work)
        with _timed(timings, "parts (rest)"):
            return PrintedData(summary, parts.result(), quotes)


def _edited(
    session: Session,
    scope: BriefingScope,
    options: BriefingOptions,
    summary: dict[str, Any],
    numbers: Numbers,
) -> EditedText | None:
    """Return the analysts' summary text of the scope, marked stale if written for other data."""
    record = saved_text(session, text_scope(scope.series_id, scope.ids), options.language)
    return edited_text(record, numbers, text_basis(scope.ids, summary["n_responses"]))


def _stamp(scope: BriefingScope, options: BriefingOptions, data: str, k: int) -> Stamp:
    """Return what the PDF's metadata say: the data hash and how to build it again."""
    series = scope.series.slug if scope.series is not None else None
    return Stamp(data, tuple(scope.ids), series, options.language, options.template,
                 options.breakdown, options.tables_only, k)  # fmt: skip


def _reading_thread(app: Any, work: Callable[..., Parts], *args: Any) -> Parts:
    """Run ``work(session, *args)`` in an app context of this thread, in a read transaction.

    A briefing reads for seconds on a big series; holding SQLite's write lock that
    long would stall submissions.
    """
    with app.app_context(), read_transaction(db.session):
        return work(db.session, *args)


def _names(scope: BriefingScope) -> list[Any]:
    """Return what the briefing prints about its workshops besides their answers."""
    names: list[Any] = [scope.series.title if scope.series is not None else None]
    names += [(w.id, w.title, w.municipality, str(w.date), w.series_id) for w in scope.workshops]
    names += [("left out", w.id, w.title, w.municipality, str(w.date)) for w in scope.left_out]
    return names


def _questions(context: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for section in context["sections"]:
        yield from section["questions"]


def _drop_charts(context: dict[str, Any]) -> None:
    for question in _questions(context):
        question["figure"] = None


def _draw_charts(context: dict[str, Any], report: ExportReport, say: Progress) -> None:
    entries = [q for q in _questions(context) if q["figure"] is not None]
    if not entries:
        return
    requests = [chart_request(q["figure"]) for q in entries]
    cache = chart_cache(Path(current_app.instance_path) / "svg-cache")
    browser = current_app.config.get("BROWSER_PATH") or None
    say(f"drawing {len(entries)} chart(s)")
    images = export_charts(requests, cache, browser, report)
    for question, chart, image in zip(entries, requests, images, strict=True):
        question["chart"] = {
            "src": data_uri(chart.media_type, image),
            "width": chart.width,
            "height": chart.height,
        }
        question["figure"] = None
    say(f"charts: {report.drawn} drawn, {report.cached} from the cache")


@contextmanager
def _timed(timings: dict[str, float], step: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[step] = time.perf_counter() - started
