"""Interface catalogues: every string of the interface is translated in every language."""

from __future__ import annotations

import re
import subprocess

import pytest
from babel.messages.pofile import read_po

from .conftest import ROOT
from .staff_strings import extracted_messages, staff_only

TRANSLATIONS = ROOT / "survey_app" / "translations"
LANGUAGES = ["de", "en", "tr", "ar", "uk"]
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sdif%]")


def catalog(path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_template_is_up_to_date(tmp_path):
    """The .pot file holds exactly the strings marked in the code (run `make messages`)."""
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "pybabel"), "extract", "-F", "babel.cfg", "-k", "N_", "-k", "S_", "-k", "_", "-k", "_l",
         "-k", "ngettext:1,2", "-k", "NP_:1,2", "-k", "plural_forms:1,2", "--no-location",
         "-o", str(fresh), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    assert {m.id for m in catalog(fresh) if m.id} == {
        m.id for m in catalog(TRANSLATIONS / "messages.pot") if m.id
    }


#: Languages of the staff pages: every message is translated. The participants' other
#: languages may leave messages that only staff pages show in English (empty).
STAFF_LANGUAGES = {"de", "en"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(language):
    template = {m.id for m in catalog(TRANSLATIONS / "messages.pot") if m.id}
    translations = catalog(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po")
    found = {m.id: m for m in translations if m.id}
    assert template <= set(found), (
        f"missing in {language}: {sorted(map(str, template - set(found)))[:5]}"
    )
    used_in = extracted_messages(staff_marker=False)
    for message_id in template:
        message = found[message_id]
        ids = message_id if isinstance(message_id, tuple) else (message_id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        # S_ marks a message for staff pages only; so does using it only in their files
        may_stay_english = language not in STAFF_LANGUAGES and staff_only(
            used_in.get(message_id, frozenset())
        )
        if may_stay_english and not any(strings):
            continue
        assert all(strings), f"{language}: untranslated {ids[0]!r}"
        assert "fuzzy" not in message.flags, f"{language}: fuzzy {ids[0]!r}"
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= wanted | set(PLACEHOLDER.findall(ids[0])), (
                language,
                ids[0],
                text,
            )
