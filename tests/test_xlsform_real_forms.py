"""Every real XLSForm in ``../shared/xlsforms`` converts without a crash into a valid file.

The forms (public household and needs assessments, multilingual, right-to-left; listed
in their ``MANIFEST.tsv``) live next to the repository, not in it; the test is skipped
where they are absent. It prints how many convert cleanly, with notes, or not at all.
"""

from __future__ import annotations

import re
import warnings

import pytest

from survey_app.instruments import parse_instrument_text
from survey_app.instruments.xlsform import UnreadableXlsform, read_xlsform

from .conftest import ROOT

FORMS = ROOT.parent / "shared" / "xlsforms"
SUFFIXES = (".xlsx", ".xls", ".csv")
#: Every note starts with the workbook rows it is about.
WHERE = re.compile(r"^(survey|choices|settings):\d+[:, ]")


@pytest.mark.slow
@pytest.mark.skipif(not FORMS.is_dir(), reason=f"the real XLSForms are not at {FORMS}")
def test_every_real_form_converts_into_a_valid_instrument_or_is_refused(capsys):
    forms = sorted(p for p in FORMS.iterdir() if p.suffix in SUFFIXES)
    counts = {"clean": 0, "with notes": 0, "refused": 0}
    invalid = []
    for form in forms:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl on odd workbook styles
                conversion = read_xlsform(str(form))
        except UnreadableXlsform:
            counts["refused"] += 1
            continue
        counts["with notes" if conversion.notes else "clean"] += 1
        try:
            # As a new file is checked: every rule, export column names included.
            parse_instrument_text(conversion.yaml, form.name, stored=False)
        except Exception as exc:  # noqa: BLE001 - every problem is listed below
            invalid.append(f"{form.name}: {exc}")
        assert [n for n in conversion.notes if not WHERE.match(n)] == [], form.name
    with capsys.disabled():
        print(f"\n{len(forms)} real XLSForms: {counts}, invalid: {len(invalid)}")
    assert invalid == []
    assert len(forms) >= 40
