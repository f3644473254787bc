"""Notes on what an XLSForm conversion could not keep as it was, for every language.

The notes stay English strings for the command line; pages show them translated
(``LocalMessage``, ``i18n.local_message``).
"""

from __future__ import annotations

from survey_app.definition.errors import S_, LocalMessage

#: The notes of the converter, by name (``where`` is the row: ``survey:14``).
NOTES = {
    "group_used": S_("%(where)s: the group name '%(name)s' is used before; written as '%(key)s'"),
    "repeat": S_("%(where)s: repeat '%(name)s' converted as a plain section (answered once)"),
    "nested_group": S_("%(where)s: nested group '%(name)s' flattened"),
    "no_equivalent": S_(
        "%(where)s: question '%(name)s' of type '%(kind)s' has no equivalent; left out"
    ),
    "name_used": S_(
        "%(where)s: the name '%(name)s' is used before (in another group or in"
        " other case); written as '%(key)s'"
    ),
    "other_asked": S_(
        "%(where)s: '%(name)s' asks what 'other' means for '%(asked_by)s', which"
        " asks it itself (other: true); left out"
    ),
    "range_as_number": S_(
        "%(where)s: range '%(name)s' is not a 1 to 2-10 scale; asked as a number between its bounds"
    ),
    "choices_elsewhere": S_(
        "%(where)s: '%(name)s' chooses from '%(source)s', which has no choices"
        " in the workbook (a file or earlier answers); asked as a text"
    ),
}


def xlsform_note(note: str, /, **values: object) -> LocalMessage:
    """Return the note ``note`` of ``NOTES`` with ``values`` filled in."""
    return LocalMessage(NOTES[note], **values)
