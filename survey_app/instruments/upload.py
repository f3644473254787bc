"""Uploaded questionnaire files: size and type checks, XLSForm conversion, checking.

An upload is untrusted: it is read as bytes, its type is decided by its name *and* its
content, YAML is read with the safe loader only (``source.read_yaml``), and an XLSForm
goes through pyxform from a temporary file that is removed afterwards. Nothing here
touches the database: storing is ``store.store_instrument``, after the upload is valid.
"""

from __future__ import annotations

import enum
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from survey_app.definition.errors import InstrumentProblem, InvalidInstrument
from survey_app.definition.model import Instrument
from survey_app.definition.source import read_yaml
from survey_app.instruments.parse import build_instrument
from survey_app.instruments.xlsform import UnreadableXlsform, read_xlsform

#: Largest file accepted (1 MB): a questionnaire is a few dozen kilobytes.
MAX_UPLOAD_BYTES = 1024 * 1024
#: Largest total size of the parts of an XLSX once unpacked (against zip bombs).
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")
XLSX_SUFFIX = ".xlsx"
XLS_SUFFIX = ".xls"
CSV_SUFFIX = ".csv"
#: Every XLSX (an Office Open XML zip) holds this part.
XLSX_MARKER = "[Content_Types].xml"
#: Every XLS (Excel 97-2003) is an OLE2 compound file starting with these bytes.
XLS_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")


class FileKind(enum.Enum):
    """The kinds of file a questionnaire may come in: YAML, or an XLSForm in three forms."""

    yaml = "yaml"
    xlsx = "xlsx"
    xls = "xls"
    csv = "csv"

    @property
    def is_xlsform(self) -> bool:
        """Say whether the file is an XLSForm (converted before it is checked)."""
        return self is not FileKind.yaml


class Refusal(enum.Enum):
    """Why an upload was refused before its content was checked."""

    empty = "empty"
    too_large = "too_large"
    wrong_type = "wrong_type"
    not_xlsx = "not_xlsx"
    not_xls = "not_xls"
    not_text = "not_text"
    not_csv = "not_csv"
    unreadable_xlsform = "unreadable_xlsform"


class UploadRefused(Exception):
    """Raised when an upload is not a questionnaire file we can read at all."""

    def __init__(self, reason: Refusal, detail: str = ""):
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class QuotedProblem:
    """A problem with the line of the file it points at."""

    problem: InstrumentProblem
    #: The offending line as written (empty when the file has no such line).
    quote: str


@dataclass
class CheckedUpload:
    """An upload read and checked: its YAML text and either an instrument or problems."""

    filename: str
    kind: FileKind
    #: The instrument's YAML: the file itself, or what the XLSForm was converted into.
    text: str
    instrument: Instrument | None = None
    problems: list[QuotedProblem] = field(default_factory=list)
    #: What an XLSForm conversion could not keep as it was.
    notes: list[str] = field(default_factory=list)
    #: Line of ``version:`` (for the "already stored with other content" problem).
    version_line: int = 1

    @property
    def valid(self) -> bool:
        """Say whether the file may be stored."""
        return self.instrument is not None and not self.problems


def shown_name(filename: str) -> str:
    """Return the last part of an uploaded file's name, shortened, for messages."""
    name = PurePath(filename.replace("\\", "/")).name.strip() or "upload"
    return name[:120]


def file_kind(filename: str, data: bytes) -> FileKind:
    """Decide from name and content whether ``data`` is YAML or an XLSForm; refuse the rest."""
    if not data:
        raise UploadRefused(Refusal.empty)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused(Refusal.too_large)
    suffix = PurePath(filename.lower()).suffix
    if suffix in YAML_SUFFIXES:
        if data.startswith(b"PK\x03\x04") or b"\x00" in data:
            raise UploadRefused(Refusal.not_text)
        return FileKind.yaml
    if suffix == XLSX_SUFFIX:
        _check_xlsx(data)
        return FileKind.xlsx
    if suffix == XLS_SUFFIX:
        if not data.startswith(XLS_MAGIC):
            raise UploadRefused(Refusal.not_xls)
        return FileKind.xls
    if suffix == CSV_SUFFIX:
        if data.startswith((b"PK\x03\x04", XLS_MAGIC)) or b"\x00" in data:
            raise UploadRefused(Refusal.not_csv)
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UploadRefused(Refusal.not_csv) from None
        return FileKind.csv
    raise UploadRefused(Refusal.wrong_type)


def _check_xlsx(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadRefused(Refusal.not_xlsx) from None
    if XLSX_MARKER not in {part.filename for part in parts}:
        raise UploadRefused(Refusal.not_xlsx)
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise UploadRefused(Refusal.too_large)


def check_upload(filename: str, data: bytes) -> CheckedUpload:
    """Read an uploaded file and check it as ``survey-app instruments validate`` does.

    Raises ``UploadRefused`` for a file that is not a questionnaire file at all;
    otherwise returns the checked upload, valid or with every problem quoted.
    """
    name = shown_name(filename)
    kind = file_kind(name, data)
    notes: list[str] = []
    if kind.is_xlsform:
        text, notes = _converted_xlsform(data, name, kind)
        name = f"{name} (YAML)"
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UploadRefused(Refusal.not_text) from None
    checked = CheckedUpload(name, kind, text, notes=notes)
    try:
        parsed, lines = read_yaml(text, name)
        checked.version_line = lines.get(("version",), 1)
        checked.instrument = build_instrument(parsed, lines, name)
    except InvalidInstrument as exc:
        checked.problems = quote_problems(exc.problems, text)
    return checked


def _converted_xlsform(data: bytes, name: str, kind: FileKind) -> tuple[str, list[str]]:
    """Convert an XLSForm through a temporary file (pyxform reads by the file's suffix).

    The form is named after the uploaded file (``name``), not the temporary one, when its
    settings have no ``form_id``.
    """
    handle, path = tempfile.mkstemp(suffix=f".{kind.value}", prefix="upload-")
    try:
        with os.fdopen(handle, "wb") as target:
            target.write(data)
        conversion = read_xlsform(path, name)
    except UnreadableXlsform as exc:
        raise UploadRefused(Refusal.unreadable_xlsform, str(exc)) from None
    finally:
        os.unlink(path)
    return conversion.yaml, conversion.notes


def quote_problems(problems: list[InstrumentProblem], text: str) -> list[QuotedProblem]:
    """Pair every problem with the line of ``text`` it names, in line order."""
    lines = text.splitlines()
    quoted = [
        QuotedProblem(p, lines[p.line - 1].rstrip() if 0 < p.line <= len(lines) else "")
        for p in problems
    ]
    return sorted(quoted, key=lambda q: q.problem.line)
