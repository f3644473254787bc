"""The strings marked for translation, where they are used, and what the catalogues say."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from .conftest import ROOT

TRANSLATIONS = ROOT / "survey_app" / "translations"
#: The keywords `make messages` extracts (a message id or a singular and a plural).
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "N_": None,
    "_": None,
    "ngettext": (1, 2),
    "NP_": (1, 2),
    "plural_forms": (1, 2),
    "lazy_gettext": None,
    "_l": None,
}
#: The marker of messages that only staff pages show, wherever they are written.
STAFF_MARKER = "S_"
#: Where only staff read: strings used nowhere else may stay English in the
#: participants' other languages (tr, ar, uk) and must be German.
STAFF_ONLY = (
    "survey_app/templates/staff/",
    "survey_app/templates/facilitate/",
    "survey_app/templates/auth/",
    "survey_app/auth/",
    "survey_app/facilitate/",
    "survey_app/accounts/",
    "survey_app/instruments/",
    "survey_app/workshops/",
    "survey_app/exports/",
)


@cache
def extracted_messages(staff_marker: bool = True) -> dict[str | tuple[str, ...], frozenset[str]]:
    """Return every marked message id of the code with the files that use it.

    Without ``staff_marker``, messages marked ``S_`` (staff pages only) are left out
    where they are marked so: a message only ``S_`` marks is used in no file.
    """
    keywords = {**KEYWORDS, STAFF_MARKER: None} if staff_marker else KEYWORDS
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[str | tuple[str, ...], set[str]] = {}

    def in_the_app(path: str) -> bool:
        relative = Path(path).relative_to(ROOT).as_posix()
        return relative == "survey_app" or relative.startswith("survey_app/")

    for filename, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=keywords, directory_filter=in_the_app
    ):
        key = message if isinstance(message, str) else tuple(message)
        if key:
            found.setdefault(key, set()).add(Path(filename).as_posix())
    return {key: frozenset(files) for key, files in found.items()}


def staff_only(files: frozenset[str]) -> bool:
    """Say whether a message used in ``files`` shows only on staff pages."""
    return all(name.startswith(STAFF_ONLY) for name in files)


@cache
def catalog(language: str) -> Catalog:
    """Return the catalogue of ``language``."""
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


def catalog_strings(language: str) -> list[str]:
    """Return every translation in the catalogue of ``language``."""
    texts = []
    for message in catalog(language):
        if message.id and message.string:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            texts += [text for text in strings if text]
    return texts


def untranslated(language: str, messages: dict[str | tuple[str, ...], frozenset[str]]) -> list[str]:
    """Return the ids of ``messages`` without a translation into ``language``."""
    translated = {}
    for message in catalog(language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        key = message.id if isinstance(message.id, str) else tuple(message.id)
        translated[key] = all(strings) and "fuzzy" not in message.flags
    return sorted(
        f"{key if isinstance(key, str) else key[0]!r} ({', '.join(sorted(files))})"
        for key, files in messages.items()
        if not translated.get(key)
    )
