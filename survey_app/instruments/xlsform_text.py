"""Languages and texts of an XLSForm: column language names become language codes.

XLSForm columns name a language as ``label::English (en)``, ``label::English`` or, in
the language itself, ``label::العربية``; columns without a language belong to the
settings' ``default_language`` (pyxform calls it ``default`` when none is set).
"""

from __future__ import annotations

import re
from typing import Any

from survey_app.definition.checker import LANGUAGE_CODE
from survey_app.definition.errors import S_, LocalMessage

CODE_IN_NAME = re.compile(r"\(\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\s*\)\s*$")
#: Language names (in English and in the language itself, lower case) -> code.
LANGUAGE_NAMES = {
    "english": "en", "anglais": "en", "inglés": "en", "englisch": "en",
    "french": "fr", "français": "fr", "francais": "fr", "französisch": "fr",
    "arabic": "ar", "العربية": "ar", "عربي": "ar", "arabe": "ar", "arabisch": "ar",
    "spanish": "es", "español": "es", "espanol": "es",
    "portuguese": "pt", "português": "pt", "portugues": "pt",
    "german": "de", "deutsch": "de", "turkish": "tr", "türkçe": "tr", "turkce": "tr",
    "ukrainian": "uk", "українська": "uk", "russian": "ru", "русский": "ru",
    "swahili": "sw", "kiswahili": "sw", "hausa": "ha", "yoruba": "yo", "igbo": "ig",
    "kanuri": "kr", "fulfulde": "ff", "fula": "ff", "fulani": "ff",
    "dari": "prs", "دری": "prs", "pashto": "ps", "pashtu": "ps", "پښتو": "ps",
    "farsi": "fa", "persian": "fa", "فارسی": "fa", "kurdish": "ku", "kurdî": "ku",
    "sorani": "ckb", "کوردی": "ckb", "kurmanji": "kmr", "urdu": "ur", "اردو": "ur",
    "somali": "so", "soomaali": "so", "amharic": "am", "አማርኛ": "am", "tigrinya": "ti",
    "ትግርኛ": "ti", "oromo": "om", "afaan oromoo": "om", "bengali": "bn", "bangla": "bn",
    "বাংলা": "bn", "hindi": "hi", "हिन्दी": "hi", "nepali": "ne", "burmese": "my",
    "myanmar": "my", "rohingya": "rhg", "chinese": "zh", "中文": "zh", "vietnamese": "vi",
    "indonesian": "id", "tagalog": "tl", "filipino": "fil", "italian": "it",
    "italiano": "it", "dutch": "nl", "nederlands": "nl", "polish": "pl", "polski": "pl",
    "romanian": "ro", "română": "ro", "greek": "el", "ελληνικά": "el", "hebrew": "he",
    "עברית": "he", "tamil": "ta", "kinyarwanda": "rw", "lingala": "ln", "sango": "sg",
    "wolof": "wo", "bambara": "bm", "malagasy": "mg", "haitian creole": "ht",
    "kreyòl": "ht", "georgian": "ka", "armenian": "hy", "azerbaijani": "az",
    "uzbek": "uz", "tajik": "tg", "serbian": "sr", "croatian": "hr", "bosnian": "bs",
    "albanian": "sq", "shqip": "sq", "macedonian": "mk", "bulgarian": "bg", "czech": "cs",
    "slovak": "sk", "hungarian": "hu", "japanese": "ja", "korean": "ko", "thai": "th",
    "khmer": "km", "lao": "lo", "mongolian": "mn", "tetum": "tet", "chichewa": "ny",
    "shona": "sn", "zulu": "zu", "xhosa": "xh", "afrikaans": "af", "tswana": "tn",
    "sesotho": "st", "luganda": "lg", "acholi": "ach", "zarma": "dje", "tamasheq": "taq",
}  # fmt: skip
#: pyxform's name for columns without a language when the settings name none.
UNNAMED = "default"


def language_code(name: str) -> str | None:
    """Return the code of a column's language name, or None if it is not known."""
    match = CODE_IN_NAME.search(name)
    if match:
        return match.group(1).lower()
    plain = " ".join(name.strip().lower().split())
    if plain in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[plain]
    return plain if LANGUAGE_CODE.match(plain) else None


class Texts:
    """The form's languages and its texts in each, noting what had to be filled in."""

    def __init__(self, names: list[str], default: str, notes: list[str]):
        self.notes = notes
        names = sorted(names, key=lambda name: name != default) or [UNNAMED]
        self.names: list[str] = []
        self.codes: list[str] = []
        #: language code -> rows whose text was copied from another language.
        self.copied: dict[str, list[str]] = {}
        #: Rows whose text shows an earlier answer (``${name}``), which ODK fills in.
        self.referring: list[str] = []
        for name in names:
            self._add(name, default)

    def _add(self, name: str, default: str) -> None:
        code = language_code(name)
        where = "survey:1"
        if code is None and name == UNNAMED:
            code = "en"
            self.notes.append(
                LocalMessage(
                    S_(
                        "%(where)s: texts without a language taken as English (en);"
                        " set default_language in the settings sheet if they are not"
                    ),
                    where=where,
                )
            )
        elif code is None:
            code = "und" if "und" not in self.codes else f"und-l{len(self.codes) + 1}"
            self.notes.append(
                LocalMessage(
                    S_(
                        "%(where)s: language '%(name)s' is not known; used the code '%(code)s'"
                        " (write the columns as label::Name (code))"
                    ),
                    where=where,
                    name=name,
                    code=code,
                )
            )
        if code in self.codes:
            other = self.names[self.codes.index(code)]
            self.notes.append(
                LocalMessage(
                    S_(
                        "%(where)s: language '%(name)s' has the same code '%(code)s' as"
                        " '%(other)s'; the texts of '%(other)s' are kept"
                    ),
                    where=where,
                    name=name,
                    code=code,
                    other=other,
                )
            )
            return
        self.names.append(name)
        self.codes.append(code)

    def text(self, value: Any, where: str) -> dict[str, str] | str:
        """Return a text for every language (a plain string in a single-language form)."""
        if "${" in str(value):
            self.referring.append(where)
        if isinstance(value, dict):
            texts = {
                code: str(value.get(name, "")).strip()
                for name, code in zip(self.names, self.codes, strict=True)
            }
            fallback = next((t for t in texts.values() if t), "")
            if fallback:
                for code, text in texts.items():
                    if not text:
                        self.copied.setdefault(code, []).append(where)
            if len(self.codes) == 1:
                return texts[self.codes[0]] or fallback
            return {code: t or fallback for code, t in texts.items()}
        text = str(value or "").strip()
        return {code: text for code in self.codes} if len(self.codes) > 1 else text

    def summary_notes(self) -> list[str]:
        """Return one note per language whose texts were copied from another language,
        and one for texts that show earlier answers."""
        found = [
            (
                rows,
                LocalMessage(S_("no text in '%(code)s'; copied from another language"), code=code),
            )
            for code, rows in self.copied.items()
        ]
        if self.referring:
            found.append(
                (
                    self.referring,
                    LocalMessage(
                        S_(
                            "texts show earlier answers (${name}), which an instrument cannot"
                            " fill in; they are shown as written"
                        )
                    ),
                )
            )
        notes: list[str] = []
        for rows, what in found:
            more = S_("%(rows)s and %(count)d more rows: %(what)s")
            notes.append(rows_note(list(dict.fromkeys(rows)), what, more))
        return notes


def rows_note(rows: list[str], what: str, more: str) -> LocalMessage:
    """Return a note on many rows: the first five, ``more`` (a template with ``rows``,
    ``count`` and ``what``) past five, and ``what`` is true of them."""
    said = what if isinstance(what, LocalMessage) else LocalMessage(what)
    if len(rows) <= 5:
        return LocalMessage(S_("%(rows)s: %(what)s"), rows=", ".join(rows), what=said)
    return LocalMessage(more, rows=", ".join(rows[:5]), count=len(rows) - 5, what=said)


def language_names(form: dict[str, Any]) -> list[str]:
    """Return the language names of the form's labels and hints, in the order met."""
    found: list[str] = []

    def visit(node: Any) -> None:
        if not isinstance(node, dict):
            return
        for key in ("label", "hint"):
            if isinstance(node.get(key), dict):
                found.extend(name for name in node[key] if name not in found)
        choices = node.get("choices")
        for child in node.get("children", []) + (choices if isinstance(choices, list) else []):
            visit(child)

    visit(form)
    for options in (form.get("choices") or {}).values():
        for choice in options:
            visit(choice)
    return found
