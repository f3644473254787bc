"""Collects problems while an instrument file is checked, with their lines."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from survey_app.definition.errors import S_, Detail, InstrumentProblem, Phrase, problem
from survey_app.definition.model import Option, Text
from survey_app.definition.source import Path

SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
#: Keys are stored in columns of this width (``answer.question_key``, ``option_key``).
MAX_KEY_LENGTH = 64
#: Instrument keys may also use hyphens (``needs-expectations``).
INSTRUMENT_SLUG = re.compile(r"^[a-z][a-z0-9_-]*$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
#: What the entries of keyed lists are called in problems ("option 'x' appears twice").
ENTRY_NAMES = {"option": S_("option"), "item": S_("item"), "scale point": S_("scale point")}


class Checker:
    """Check values of one file and remember every problem with its line."""

    def __init__(self, filename: str, lines: dict[Path, int], languages: tuple[str, ...] = ()):
        self.filename = filename
        self.lines = lines
        self.languages = languages
        self.problems: list[InstrumentProblem] = []

    def error(self, path: Path, message: str, **values: object) -> None:
        """Record a problem at ``path`` (the line of the nearest known parent).

        ``message`` is marked with ``S_`` and has a ``%(name)s`` for each of ``values``.
        """
        probe = path
        while probe and probe not in self.lines:
            probe = probe[:-1]
        line = self.lines.get(probe, 1)
        shown = ".".join(f"[{p + 1}]" if isinstance(p, int) else p for p in path)
        self.problems.append(
            problem(self.filename, line, shown.replace(".[", "["), message, **values)
        )

    def mapping(self, value: Any, path: Path) -> dict[str, Any] | None:
        """Return ``value`` if it is a mapping, else report it."""
        if isinstance(value, dict):
            return value
        self.error(path, S_("must be a block of fields, not %(value)s"), value=describe(value))
        return None

    def known_fields(self, data: dict[str, Any], allowed: Iterable[str], path: Path) -> None:
        """Report every field of ``data`` that is not in ``allowed``."""
        allowed = list(allowed)
        for name in data:
            if name not in allowed:
                hint = difflib.get_close_matches(str(name), allowed, n=1)
                if hint:
                    self.error(
                        (*path, str(name)),
                        S_("unknown field '%(name)s' (did you mean '%(hint)s'?)"),
                        name=Detail(name),
                        hint=hint[0],
                    )
                else:
                    self.error(
                        (*path, str(name)), S_("unknown field '%(name)s'"), name=Detail(name)
                    )

    def required_field(self, data: dict[str, Any], name: str, path: Path) -> bool:
        """Report ``name`` missing from ``data``; return whether it is there."""
        if name in data and data[name] is not None:
            return True
        self.error(path, S_("'%(name)s' is missing"), name=name)
        return False

    def slug(self, value: Any, path: Path, pattern: re.Pattern[str] = SLUG) -> str | None:
        """Return ``value`` if it is a slug like ``org_type``, else report it."""
        if isinstance(value, str) and pattern.match(value):
            if len(value) <= MAX_KEY_LENGTH:
                return value
            self.error(
                path,
                S_("must be at most %(most)d characters long, not %(length)d"),
                most=MAX_KEY_LENGTH,
                length=len(value),
            )
            return None
        if isinstance(value, bool):
            self.error(path, S_("yes/no/true/false are read as booleans here; quote the key"))
        else:
            self.error(
                path,
                S_("must be a key of lower-case letters, digits and _, not %(value)s"),
                value=Detail(repr(value)),
            )
        return None

    def boolean(self, value: Any, path: Path) -> bool:
        """Return ``value`` if it is true or false, else report it."""
        if isinstance(value, bool):
            return value
        self.error(path, S_("must be true or false, not %(value)s"), value=Detail(repr(value)))
        return False

    def integer(
        self, value: Any, path: Path, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        """Return ``value`` if it is an integer (``minimum``..``maximum``), else report it."""
        if isinstance(value, int) and not isinstance(value, bool):
            if minimum is not None and value < minimum:
                self.error(
                    path, S_("must be at least %(low)s, not %(value)s"), low=minimum, value=value
                )
                return None
            if maximum is not None and value > maximum:
                self.error(
                    path, S_("must be at most %(high)s, not %(value)s"), high=maximum, value=value
                )
                return None
            return value
        self.error(path, S_("must be a whole number, not %(value)s"), value=Detail(repr(value)))
        return None

    def number(self, value: Any, path: Path) -> float | None:
        """Return ``value`` if it is a number, else report it."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        self.error(path, S_("must be a number, not %(value)s"), value=Detail(repr(value)))
        return None

    def text(self, value: Any, path: Path) -> Text:
        """Return a translated text, reporting each missing or unknown language."""
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            if len(self.languages) > 1:
                self.error(
                    path,
                    S_("needs a text for each language: %(languages)s"),
                    languages=", ".join(self.languages),
                )
            return dict.fromkeys(self.languages, str(value).strip())
        if not isinstance(value, dict):
            self.error(
                path,
                S_("must be a text or one text per language, not %(value)s"),
                value=describe(value),
            )
            return {}
        texts: Text = {}
        for language, item in value.items():
            if language not in self.languages:
                self.error(
                    (*path, str(language)),
                    S_("'%(language)s' is not a declared language"),
                    language=language,
                )
            elif (
                not isinstance(item, str | int | float)
                or isinstance(item, bool)
                or not str(item).strip()
            ):
                self.error((*path, str(language)), S_("must be a non-empty text"))
            else:
                texts[str(language)] = str(item).strip()
        missing = [lang for lang in self.languages if lang not in value]
        if missing:
            self.error(path, S_("missing translation: %(languages)s"), languages=", ".join(missing))
        return texts

    def keyed_entries(
        self, value: Any, path: Path, what: str, fields: tuple[str, ...], minimum: int = 1
    ) -> Iterator[tuple[Path, dict[str, Any], str, Text]]:
        """Yield ``(path, entry, key, label)`` of a list of keyed, labelled entries.

        Reports a list that is too short, entries that are not blocks, unknown fields,
        bad or repeated keys and missing labels; only good entries are yielded.
        """
        if not isinstance(value, list) or len(value) < minimum:
            noun = Phrase(ENTRY_NAMES.get(what, what))
            if minimum == 1:
                self.error(path, S_("must be a list of at least one %(what)s"), what=noun)
            else:
                self.error(
                    path,
                    S_("must be a list of at least %(count)d entries (%(what)s)"),
                    count=minimum,
                    what=noun,
                )
            return
        seen: set[str] = set()
        for index, entry in enumerate(value):
            entry_path = (*path, index)
            data = self.mapping(entry, entry_path)
            if data is None:
                continue
            self.known_fields(data, fields, entry_path)
            key = self.slug(data.get("key"), (*entry_path, "key"))
            if key in seen:
                self.error(
                    (*entry_path, "key"),
                    S_("%(what)s '%(key)s' appears twice"),
                    what=Phrase(ENTRY_NAMES.get(what, what)),
                    key=key,
                )
                continue
            has_label = self.required_field(data, "label", entry_path)
            label = self.text(data["label"], (*entry_path, "label")) if has_label else {}
            if key:
                seen.add(key)
                yield entry_path, data, key, label

    def options(self, value: Any, path: Path, what: str = "option") -> tuple[Option, ...]:
        """Return a list of ``{key, label}`` entries, reporting bad or repeated keys."""
        options: list[Option] = []
        for entry_path, _, key, label in self.keyed_entries(value, path, what, ("key", "label")):
            if key == "other" and what == "option":
                self.error(
                    (*entry_path, "key"), S_("'other' is reserved: use 'other: true' instead")
                )
            else:
                options.append(Option(key, label))
        return tuple(options)


def describe(value: Any) -> str:
    """Name the kind of a YAML value for an error message."""
    if value is None:
        return Phrase(S_("nothing"))
    if isinstance(value, list):
        return Phrase(S_("a list"))
    if isinstance(value, dict):
        return Phrase(S_("a block of fields"))
    return Detail(repr(value))
