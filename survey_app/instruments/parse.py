"""Check an instrument file as a whole and build the ``Instrument`` it describes."""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Any

from survey_app.definition.checker import INSTRUMENT_SLUG, LANGUAGE_CODE, Checker
from survey_app.definition.columns import is_response_column
from survey_app.definition.errors import S_, Detail, InvalidInstrument, problem
from survey_app.definition.model import Instrument, Question, Section, ShowIf
from survey_app.definition.source import Path, read_yaml
from survey_app.questions import QUESTION_TYPES

#: The file format versions this code reads.
SUPPORTED_FORMATS = (1,)
TOP_FIELDS = (
    "format", "key", "version", "title", "description", "languages", "respondent", "consent",
    "sections",
)  # fmt: skip
SECTION_FIELDS = ("key", "title", "questions")
COMMON_QUESTION_FIELDS = ("key", "type", "label", "help", "required", "show_if")
RESPONDENTS = ("person", "organization")
#: Largest version: the database keeps it in a 32-bit integer column.
MAX_VERSION = 2**31 - 1


def parse_instrument_file(path: str | FilePath) -> tuple[Instrument, str]:
    """Read and check the file at ``path``; return the instrument and its text."""
    path = FilePath(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInstrument(
            [problem(str(path), 1, "", S_("cannot read: %(reason)s"), reason=Detail(exc))]
        ) from None
    return parse_instrument_text(text, str(path)), text


def parse_instrument_text(
    text: str, filename: str = "<instrument>", *, stored: bool = False
) -> Instrument:
    """Check instrument YAML and build it; raise ``InvalidInstrument`` with every problem.

    ``stored``: the text of a snapshot in the database, checked when it was stored;
    checks added since (export column names) do not lock its workshops out.
    """
    data, lines = read_yaml(text, filename)
    return build_instrument(data, lines, filename, stored=stored)


def build_instrument(
    data: Any, lines: dict[Path, int], filename: str, *, stored: bool = False
) -> Instrument:
    """Check parsed instrument data; raise ``InvalidInstrument`` with every problem."""
    checker = Checker(filename, lines)
    top = checker.mapping(data, ())
    if top is None:
        raise InvalidInstrument(checker.problems)
    if top.get("format") not in SUPPORTED_FORMATS:
        checker.error(
            ("format",),
            S_("format %(format)s is not supported; this version reads format %(supported)s"),
            format=Detail(repr(top.get("format"))),
            supported=", ".join(str(f) for f in SUPPORTED_FORMATS),
        )
        raise InvalidInstrument(checker.problems)
    checker.known_fields(top, TOP_FIELDS, ())
    checker.languages = _languages(top, checker)
    key = (
        checker.slug(top.get("key"), ("key",), INSTRUMENT_SLUG)
        if checker.required_field(top, "key", ())
        else None
    )
    version = (
        checker.integer(top.get("version"), ("version",), minimum=1, maximum=MAX_VERSION)
        if checker.required_field(top, "version", ())
        else None
    )
    title = (
        checker.text(top["title"], ("title",)) if checker.required_field(top, "title", ()) else {}
    )
    optional = {
        name: checker.text(top[name], (name,)) for name in ("description", "consent") if name in top
    }
    respondent = top.get("respondent", "person")
    if respondent not in RESPONDENTS:
        checker.error(
            ("respondent",), S_("must be one of %(choices)s"), choices=", ".join(RESPONDENTS)
        )
    sections = _sections(top, checker)
    if not stored:
        _check_export_columns(top, sections, checker)
    if checker.problems:
        raise InvalidInstrument(checker.problems)
    assert key is not None and version is not None
    return Instrument(
        key=key,
        version=version,
        title=title,
        languages=checker.languages,
        sections=sections,
        respondent=respondent,
        **optional,
    )


def _languages(top: dict[str, Any], checker: Checker) -> tuple[str, ...]:
    languages = top.get("languages", ["en"])
    if not isinstance(languages, list) or not languages:
        checker.error(("languages",), S_("must be a list of language codes, e.g. [de, en]"))
        return ("en",)
    valid: list[str] = []
    for index, code in enumerate(languages):
        if not isinstance(code, str) or not LANGUAGE_CODE.match(code):
            checker.error(
                ("languages", index),
                S_("%(code)s is not a language code like de or pt-BR"),
                code=Detail(repr(code)),
            )
        elif code in valid:
            checker.error(("languages", index), S_("'%(key)s' appears twice"), key=code)
        else:
            valid.append(code)
    return tuple(valid) or ("en",)


def _sections(top: dict[str, Any], checker: Checker) -> tuple[Section, ...]:
    if not checker.required_field(top, "sections", ()):
        return ()
    raw = top["sections"]
    if not isinstance(raw, list) or not raw:
        checker.error(("sections",), S_("must be a list of at least one section"))
        return ()
    sections: list[Section] = []
    seen_sections: set[str] = set()
    earlier: dict[str, Question] = {}
    for index, entry in enumerate(raw):
        path = ("sections", index)
        data = checker.mapping(entry, path)
        if data is None:
            continue
        checker.known_fields(data, SECTION_FIELDS, path)
        key = checker.slug(data.get("key"), (*path, "key"))
        if key in seen_sections:
            checker.error((*path, "key"), S_("section '%(key)s' appears twice"), key=key)
        seen_sections.add(key or "")
        title = checker.text(data["title"], (*path, "title")) if "title" in data else {}
        questions = _questions(data, path, checker, earlier)
        sections.append(Section(key or "", title, questions))
    if not earlier:
        checker.error(("sections",), S_("the instrument has no questions"))
    return tuple(sections)


def _questions(
    section: dict[str, Any], path: Path, checker: Checker, earlier: dict[str, Question]
) -> tuple[Question, ...]:
    if not checker.required_field(section, "questions", path):
        return ()
    raw = section["questions"]
    if not isinstance(raw, list) or not raw:
        checker.error((*path, "questions"), S_("must be a list of at least one question"))
        return ()
    questions: list[Question] = []
    for index, entry in enumerate(raw):
        q_path = (*path, "questions", index)
        data = checker.mapping(entry, q_path)
        if data is None:
            continue
        key = checker.slug(data.get("key"), (*q_path, "key"))
        if key and key in earlier:
            checker.error((*q_path, "key"), S_("question '%(key)s' appears twice"), key=key)
        kind = QUESTION_TYPES.get(str(data.get("type")))
        if kind is None:
            known = ", ".join(QUESTION_TYPES)
            checker.error(
                (*q_path, "type"),
                S_("unknown type %(type)s; known: %(known)s"),
                type=Detail(repr(data.get("type"))),
                known=known,
            )
            continue
        checker.known_fields(data, COMMON_QUESTION_FIELDS + kind.fields, q_path)
        spec = kind.check(data, q_path, checker)
        label_needed = kind.answerable or "label" in data
        label = (
            checker.text(data["label"], (*q_path, "label"))
            if label_needed and checker.required_field(data, "label", q_path)
            else {}
        )
        common: dict[str, Any] = {"label": label}
        if "help" in data:
            common["help"] = checker.text(data["help"], (*q_path, "help"))
        if "required" in data:
            common["required"] = checker.boolean(data["required"], (*q_path, "required"))
        if "show_if" in data:
            common["show_if"] = _show_if(data["show_if"], (*q_path, "show_if"), checker, earlier)
        if key and key not in earlier:
            question = Question(key=key, type=kind.name, **common, **spec)
            earlier[key] = question
            questions.append(question)
    return tuple(questions)


def _check_export_columns(
    top: dict[str, Any], sections: tuple[Section, ...], checker: Checker
) -> None:
    """Report every export column that has another column's name.

    Each column of a raw-data export is named once: a column about the response
    (``definition.columns``), another question's column or one of the question's own
    would otherwise hide or overwrite an answer. Reported at the question's key.
    """
    questions = {q.key: q for section in sections for q in section.questions}
    makers: dict[str, str] = {}
    for path, question in _question_paths(top, questions):
        own: set[str] = set()
        for column in QUESTION_TYPES[question.type].export_columns(question):
            if is_response_column(column):
                message = S_("makes the export column '%(column)s', which is about the response")
            elif column in makers:
                message = S_(
                    "makes the export column '%(column)s', which question '%(other)s' makes "
                    "too; rename one of them"
                )
            elif column in own:
                message = S_(
                    "makes the export column '%(column)s' twice; rename one of its options or items"
                )
            else:
                own.add(column)
                continue
            checker.error((*path, "key"), message, column=column, other=makers.get(column, ""))
        makers.update(dict.fromkeys(own, question.key))


def _question_paths(
    top: dict[str, Any], questions: dict[str, Question]
) -> list[tuple[Path, Question]]:
    """Return the path in the file of each built question, in order."""
    found: list[tuple[Path, Question]] = []
    for s_index, section in enumerate(top.get("sections") or ()):
        entries = section.get("questions") if isinstance(section, dict) else None
        for q_index, entry in enumerate(entries if isinstance(entries, list) else ()):
            key = entry.get("key") if isinstance(entry, dict) else None
            if isinstance(key, str) and key in questions:
                found.append((("sections", s_index, "questions", q_index), questions.pop(key)))
    return found


def _show_if(
    value: Any, path: Path, checker: Checker, earlier: dict[str, Question]
) -> ShowIf | None:
    data = checker.mapping(value, path)
    if data is None:
        return None
    checker.known_fields(data, ("question", "equals", "in", "answered"), path)
    target_key = data.get("question")
    target = earlier.get(str(target_key))
    if target is None:
        checker.error(
            (*path, "question"),
            S_("must name an earlier question, not %(key)s"),
            key=Detail(repr(target_key)),
        )
        return None
    forms = [name for name in ("equals", "in", "answered") if name in data]
    if len(forms) != 1:
        checker.error(path, S_("needs exactly one of equals, in, answered"))
        return None
    if forms == ["answered"]:
        if data["answered"] is not True:
            checker.error((*path, "answered"), S_("must be true"))
        return ShowIf(target.key, answered=True)
    wanted = [data["equals"]] if forms == ["equals"] else data["in"]
    if not isinstance(wanted, list) or not wanted:
        checker.error((*path, "in"), S_("must be a list of option keys"))
        return None
    choosable = set(target.option_keys)
    if not choosable:
        checker.error(
            (*path, "question"), S_("'%(key)s' has no options to compare with"), key=target.key
        )
        return None
    for option in wanted:
        if option not in choosable:
            checker.error(
                (*path, forms[0]),
                S_("'%(key)s' has no option %(option)s"),
                key=target.key,
                option=Detail(repr(option)),
            )
    if forms == ["equals"]:
        return ShowIf(target.key, equals=str(wanted[0]))
    return ShowIf(target.key, in_=tuple(str(o) for o in wanted))
