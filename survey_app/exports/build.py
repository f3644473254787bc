"""Exports of a set of workshops: pick the instrument, build the file."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select

from survey_app.definition.model import Instrument, Question, Section
from survey_app.exports.codebook import codebook
from survey_app.exports.statistical import StatisticalFileError, statistical_variables
from survey_app.exports.table import raw_table
from survey_app.exports.writers import CSV_PROFILES, export_bytes
from survey_app.extensions import db
from survey_app.instruments.store import instrument_of
from survey_app.models import InstrumentVersion, Workshop


@dataclass(frozen=True)
class FileFormat:
    """What an export format is sent as."""

    media_type: str
    #: The file name's ending.
    suffix: str


CSV = FileFormat("text/csv; charset=utf-8", "csv")
#: File formats by the name the command line and the download links use: ``csv``
#: (comma, or ``delimiter`` semicolon), ``csv-de`` (Excel with German settings:
#: semicolon, decimal comma), ``xlsx``, ``json``, ``sav`` (SPSS) and ``dta`` (Stata).
FORMATS = {
    "csv": CSV,
    "csv-de": CSV,
    "xlsx": FileFormat("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": FileFormat("application/json", "json"),
    "sav": FileFormat("application/x-spss-sav", "sav"),
    "dta": FileFormat("application/x-stata-dta", "dta"),
}
#: The separators of the plain CSV (``csv``).
DELIMITERS = {"comma": ",", "semicolon": ";"}


class ExportError(ValueError):
    """An export that cannot be made; the message says why."""


class MixedQuestionnaires(ExportError):
    """Workshops of different questionnaires (``keys``) asked for in one export."""

    def __init__(self, keys: list[str]) -> None:
        super().__init__(
            f"these workshops use different questionnaires ({', '.join(keys)}): "
            "export the workshops of each questionnaire on their own"
        )
        self.keys = keys


@dataclass(frozen=True)
class Export:
    """A finished export file."""

    content: bytes
    media_type: str
    filename: str


def export_instrument(workshops: list[Workshop]) -> tuple[InstrumentVersion, Instrument]:
    """Return the newest version the workshops use, and the questions of all of them.

    Workshops may use several versions of one questionnaire (a question added, one
    dropped): the export has the newest version's questions, in its order, then every
    question that only an earlier version asks, so no stored answer is left out. Raises
    ``ExportError`` when the workshops use different questionnaires: one file cannot
    give their answers one meaning per column.
    """
    versions = list(
        db.session.scalars(
            select(InstrumentVersion)
            .where(InstrumentVersion.id.in_({w.instrument_version_id for w in workshops}))
            .order_by(InstrumentVersion.version.desc(), InstrumentVersion.id.desc())
        )
    )
    keys = sorted({version.key for version in versions})
    if len(keys) > 1:
        raise MixedQuestionnaires(keys)
    newest = instrument_of(versions[0])
    asked = {question.key for question in newest.questions()}
    earlier: list[Question] = []
    for version in versions[1:]:
        for question in instrument_of(version).questions():
            if question.key not in asked:
                asked.add(question.key)
                earlier.append(question)
    if not earlier:
        return versions[0], newest
    section = Section(key="_earlier_versions", title={}, questions=tuple(earlier))
    return versions[0], replace(newest, sections=(*newest.sections, section))


def build_export(
    workshops: list[Workshop],
    file_format: str,
    language: str | None = None,
    delimiter: str = "comma",
) -> Export:
    """Return the raw data of ``workshops`` in ``file_format`` with its codebook.

    ``delimiter`` (a key of ``DELIMITERS``) is the plain CSV's separator; other
    formats ignore it. Raises ``ExportError`` for an unknown format or no workshops.
    """
    if file_format not in FORMATS:
        raise ExportError(f"unknown format '{file_format}'; use one of {', '.join(FORMATS)}")
    if not workshops:
        raise ExportError("no workshops to export")
    version, instrument = export_instrument(workshops)
    chosen = language if language in instrument.languages else instrument.default_language
    table = raw_table(instrument, [w.id for w in workshops], chosen)
    profile = None
    if file_format == "csv":
        profile = replace(CSV_PROFILES["csv"], delimiter=DELIMITERS.get(delimiter, ","))
    variables = statistical_variables(instrument, chosen)
    title = f"{version.key} {version.version}"
    try:
        content = export_bytes(
            table, codebook(instrument, chosen), file_format, profile, variables, title
        )
    except StatisticalFileError as exc:
        raise ExportError(str(exc)) from exc
    stem = f"{version.key}-{'-'.join(str(w.id) for w in workshops[:5])}"
    kind = FORMATS[file_format]
    return Export(content, kind.media_type, f"{stem}.{kind.suffix}")
