"""The questionnaire library through HTTP: upload, problems, preview, translations, changes."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from survey_app.extensions import db
from survey_app.instruments import parse_instrument_text
from survey_app.models import AuditEntry, InstrumentVersion, Response, Workshop

from .conftest import INSTRUMENTS, login
from .test_xlsform import kobo_needs_form

NEEDS = (INSTRUMENTS / "needs-expectations.yaml").read_text(encoding="utf-8")
#: The version of the shipped file, and the next one an upload brings.
SHIPPED = parse_instrument_text(NEEDS).version
NEXT = SHIPPED + 1

SMALL = """\
format: 1
key: small
version: {version}
title: {{de: "Kurz", ar: "قصير"}}
languages: [de, ar]
sections:
  - key: main
    title: {{de: "Teil", ar: "جزء"}}
    questions:
      - key: kind
        type: single_choice
        label: {{de: "{kind_de}", ar: "النوع"}}
        options:
          - {{key: culture, label: {{de: "Kultur", ar: "ثقافة"}}}}
          - {{key: sports, label: {{de: "Sport", ar: "{sports_ar}"}}}}
{extra}
"""


def small(version: int = 1, kind_de: str = "Art", sports_ar: str = "رياضة", extra: str = "") -> str:
    """Return a small two-language instrument."""
    return SMALL.format(version=version, kind_de=kind_de, sports_ar=sports_ar, extra=extra)


@pytest.fixture
def staff(app, make_user):
    """Return a client logged in as a facilitator."""
    make_user("fac@example.org", "facilitator")
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert login(client, "fac@example.org").status_code == 302
    return client


def upload(client, content: bytes | str, filename: str):
    """Post a file to the upload form with a valid CSRF token."""
    page = client.get("/instruments/upload").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = content.encode() if isinstance(content, str) else content
    # Encoded in memory: the test client's own encoding spools large bodies to a
    # temporary file that it never closes (a ResourceWarning, an error here).
    boundary, body = encode_multipart(
        MultiDict({"csrf_token": token, "file": FileStorage(io.BytesIO(data), filename)})
    )
    return client.post(
        "/instruments/upload", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def stored(app) -> list[tuple[str, int]]:
    with app.app_context():
        rows = db.session.execute(select(InstrumentVersion.key, InstrumentVersion.version))
        return sorted((key, version) for key, version in rows)


def grant(app, email: str, series_id: int, level: str) -> None:
    """Give the account ``email`` access to a series."""
    from survey_app.accounts.operations import grant_series_access
    from survey_app.models import AccessLevel, User

    with app.app_context():
        user = db.session.scalar(select(User).filter_by(email=email))
        grant_series_access(user, series_id, AccessLevel(level))
        db.session.commit()


def version_id(app, key: str, version: int) -> int:
    with app.app_context():
        return db.session.scalar(select(InstrumentVersion.id).filter_by(key=key, version=version))


def test_library_lists_versions_languages_questions_and_workshops(app, staff, make_workshop):
    make_workshop("needs-expectations", series=None)
    page = staff.get("/instruments").get_data(as_text=True)
    assert "needs-expectations" in page and f"Version {SHIPPED}" in page
    assert "Deutsch" in page and "العربية" in page and "Türkçe" in page
    count = len(list(parse_instrument_text(NEEDS).questions()))
    assert f'<td class="num">{count}</td>' in page
    # the workshop is in no series the facilitator may read: counted, not named
    assert "1 workshop in a series you cannot see" in page


def test_valid_upload_is_stored_beside_the_version_workshops_use(app, staff, make_workshop):
    workshop = make_workshop("needs-expectations")
    grant(app, "fac@example.org", workshop.series_id, "manage")  # a series that uses it
    changed = NEEDS.replace(f"version: {SHIPPED}", f"version: {NEXT}", 1).replace(
        "Welche Art von Organisation vertreten Sie?", "Was für eine Organisation sind Sie?"
    )
    answer = upload(staff, changed, f"needs-v{NEXT}.yaml")
    assert answer.status_code == 302
    assert stored(app) == [("needs-expectations", SHIPPED), ("needs-expectations", NEXT)]
    new_id = version_id(app, "needs-expectations", NEXT)
    assert answer.headers["Location"].endswith(f"/instruments/{new_id}")
    with app.app_context():
        assert db.session.get(Workshop, workshop.id).instrument_version.version == SHIPPED
        entry = db.session.scalar(select(AuditEntry).filter_by(action="upload_instrument"))
        assert (
            entry.actor == "fac@example.org"
            and entry.target == f"instrument needs-expectations v{NEXT}"
        )
    download = staff.get(f"/instruments/{new_id}/source.yaml")
    assert download.get_data(as_text=True) == changed
    assert "attachment" in download.headers["Content-Disposition"]
    assert f"needs-expectations-v{NEXT}.yaml" in download.headers["Content-Disposition"]
    old = staff.get(f"/instruments/{version_id(app, 'needs-expectations', SHIPPED)}/source.yaml")
    assert old.get_data(as_text=True) == NEEDS
    assert "was stored" in staff.get(answer.headers["Location"]).get_data(as_text=True)


def test_invalid_upload_lists_every_problem_with_its_line_quoted(app, staff):
    broken = (
        small(extra=SHOW_IF)
        .replace("type: short_text", "type: shorttext")
        .replace('title: {de: "Teil", ar: "جزء"}', 'title: {de: "Teil"}')
        .replace("key: culture", "key: Culture<script>alert(1)</script>")
    )
    answer = upload(staff, broken, "broken.yaml")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "3 problems in broken.yaml: nothing was stored" in page
    lines = broken.splitlines()
    # values quoted from the file show as code
    for wanted in ("missing translation: ar", "unknown type <code>'shorttext'</code>"):
        assert wanted.replace("'", "&#39;") in page
    assert "Line 8" in page and "Line 14" in page and "Line 17" in page
    assert ">8</span>" + lines[7].replace('"', "&#34;") in page  # the quoted line as written
    assert ">17</span>        type: shorttext" in page
    assert "<script>alert(1)</script>" not in page  # uploaded text is escaped
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert stored(app) == []


def test_a_changed_file_with_a_stored_version_number_is_refused(app, staff):
    assert upload(staff, small(), "small.yaml").status_code == 302
    answer = upload(staff, small(kind_de="Welche Art?"), "small.yaml")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "version 1 is already loaded with other content" in page
    assert "Line 3" in page and ">3</span>version: 1" in page
    same = upload(staff, small(), "small.yaml")
    assert same.status_code == 302
    assert "already stored with exactly this text" in staff.get(same.headers["Location"]).get_data(
        as_text=True
    )
    assert stored(app) == [("small", 1)]


def test_oversized_uploads_get_a_plain_page(app, staff):
    over_limit = small() + "#" * (1024 * 1024)
    answer = upload(staff, over_limit, "huge.yaml")
    assert answer.status_code == 413
    assert "larger than 1 MB" in answer.get_data(as_text=True)
    beyond_request_limit = upload(staff, b"#" * (3 * 1024 * 1024), "huge.yaml")
    assert beyond_request_limit.status_code == 413
    page = beyond_request_limit.get_data(as_text=True)
    assert "larger than 1 MB" in page and 'type="file"' in page
    assert stored(app) == []


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"format: 1", "notes.txt", "Only questionnaire files can be uploaded"),
        (b"MZ\x90\x00 not a workbook", "form.xlsx", "is not an Excel workbook"),
        (b"PK\x03\x04 zipped", "form.yaml", "is not a text file in UTF-8"),
        (b"\xff\xfe\x00k\x00e\x00y", "form.yaml", "is not a text file in UTF-8"),
        (b"", "form.yaml", "The file is empty"),
    ],
    ids=["text-file", "xlsx-not-zip", "yaml-zipped", "yaml-utf16", "empty"],
)
def test_files_that_are_not_questionnaires_are_refused(app, staff, content, filename, message):
    answer = upload(staff, content, filename)
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert stored(app) == []


def test_a_post_without_a_file_asks_for_one(app, staff):
    page = staff.get("/instruments/upload").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = staff.post("/instruments/upload", data={"csrf_token": token})
    assert answer.status_code == 422 and "Please choose a file" in answer.get_data(as_text=True)


def test_a_zip_without_content_types_is_not_taken_for_a_workbook(app, staff):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("survey.yaml", small())
    answer = upload(staff, buffer.getvalue(), "form.xlsx")
    assert answer.status_code == 422
    assert "is not an Excel workbook" in answer.get_data(as_text=True)


def test_xlsform_upload_is_converted_checked_and_stored(app, staff, tmp_path):
    workbook = kobo_needs_form(tmp_path).read_bytes()
    answer = upload(staff, workbook, "needs.xlsx")
    assert answer.status_code == 302
    ((key, version),) = stored(app)
    page = staff.get(answer.headers["Location"]).get_data(as_text=True)
    assert f"{key} version {version} was stored" in page
    source = staff.get(f"/instruments/{version_id(app, key, version)}/source.yaml")
    assert source.get_data(as_text=True).startswith("# Converted from an XLSForm")


def test_preview_in_german_and_arabic_stores_nothing(app, staff):
    upload(staff, small(extra=SHOW_IF), "small.yaml")
    vid = version_id(app, "small", 1)
    german = staff.get(f"/instruments/{vid}/preview?lang=de")
    page = german.get_data(as_text=True)
    assert german.status_code == 200
    assert '<html lang="de" dir="ltr">' in page and "Kultur" in page
    assert german.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in german.headers["Content-Security-Policy"]
    assert "participate.js" in page and "data-show-if=" in page
    assert f'action="/instruments/{vid}/preview"' in page and 'data-draft-key=""' in page
    arabic = staff.get(f"/instruments/{vid}/preview?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in arabic and "ثقافة" in arabic
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', arabic).group(1)
    sent = staff.post(
        f"/instruments/{vid}/preview",
        data={
            "csrf_token": token,
            "lang": "ar",
            "q.kind": "sports",
            "q.club": "x",
            "q.members": "12",
        },
    )
    assert sent.status_code == 200
    assert 'dir="rtl"' in sent.get_data(as_text=True)
    missing = staff.post(f"/instruments/{vid}/preview", data={"csrf_token": token, "lang": "de"})
    assert missing.status_code == 422  # "members" is required
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    frame = staff.get(f"/instruments/{vid}?language=ar").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in frame  # the page around the preview stays English
    assert f'src="/instruments/{vid}/preview?lang=ar"' in frame and 'width="360"' in frame
    assert staff.get(f"/instruments/{vid}").headers["X-Frame-Options"] == "DENY"


SHOW_IF = """\
      - key: club
        type: short_text
        required: true
        label: {de: "Welcher Verein?", ar: "أي نادٍ؟"}
        show_if: {question: kind, equals: sports}
      - key: members
        type: number
        required: true
        label: {de: "Mitglieder", ar: "Mitglieder"}"""


def test_translation_table_shows_texts_identical_to_the_default(app, staff):
    upload(staff, small(sports_ar="Sport", extra=SHOW_IF), "small.yaml")
    page = staff.get(f"/instruments/{version_id(app, 'small', 1)}/translations")
    html = re.sub(r"\s+", " ", page.get_data(as_text=True))
    assert page.status_code == 200
    assert "<code>kind</code>" in html and "<code>members</code>" in html
    assert "same as default:</strong> <code>options.sports</code>" in html
    assert "same as default:</strong> <code>label</code>" in html
    assert '<td class="todo">' in html and "5 / 7" in html  # ar: 2 of 7 texts left as in de


def test_changes_between_two_versions(app, staff):
    upload(staff, small(extra=SHOW_IF), "small.yaml")
    newer = small(version=2, kind_de="Welche Art?", extra=SHOW_IF.split("      - key: members")[0])
    newer = newer.replace(
        '          - {key: sports, label: {de: "Sport", ar: "رياضة"}}',
        '          - {key: sports, label: {de: "Sport", ar: "رياضة"}}\n'
        '          - {key: youth, label: {de: "Jugend", ar: "الشباب"}}',
    ).replace("key: club", "key: club_name")
    assert upload(staff, newer, "small-v2.yaml").status_code == 302
    page = staff.get(f"/instruments/{version_id(app, 'small', 2)}/changes")
    html = re.sub(r"\s+", " ", page.get_data(as_text=True))
    assert page.status_code == 200
    assert "From version 1 to version 2" in html
    assert "1 added, 2 removed, 1 changed" in html  # club_name added; club, members removed
    assert "<code>label</code> reworded" in html and '<del dir="auto" lang="de">Art</del>' in html
    assert '<ins dir="auto" lang="de">Welche Art?</ins>' in html
    assert "<code>options.youth</code> added" in html
    assert "did not read the same questions" in html
    older = staff.get(f"/instruments/{version_id(app, 'small', 1)}/changes").get_data(as_text=True)
    assert "no earlier version" in older
    other = version_id(app, "small", 2)
    assert (
        staff.get(f"/instruments/{version_id(app, 'small', 1)}/changes?against={other}").status_code
        == 200
    )
    assert staff.get(f"/instruments/{other}/changes?against=99999").status_code == 404


def test_series_warns_when_its_workshops_read_different_wording(
    app, staff, make_workshop, tmp_path
):
    first = make_workshop(_file(tmp_path, "v1.yaml", small()), "closed", series="tour")
    page = staff.get(f"/series/{first.series_id}").get_data(as_text=True)
    assert "wording differs" not in page
    make_workshop(
        _file(tmp_path, "v2.yaml", small(version=2, kind_de="Welche Art?")), series="tour"
    )
    with app.app_context():
        from survey_app.accounts.operations import grant_series_access
        from survey_app.models import AccessLevel, User

        user = db.session.scalar(select(User).filter_by(email="fac@example.org"))
        grant_series_access(user, first.series_id, AccessLevel.read)
        db.session.commit()
    page = staff.get(f"/series/{first.series_id}").get_data(as_text=True)
    assert "their wording differs" in page and "small version 1 and version 2" in page
    assert "0 added, 0 removed, 1 changed" in page
    live = staff.get(f"/workshops/{first.id}/live").get_data(as_text=True)
    assert "their wording differs" in live


def test_a_new_version_changing_only_settings_raises_no_warning(
    app, staff, make_workshop, tmp_path
):
    first = make_workshop(_file(tmp_path, "v1.yaml", small()), "closed", series="tour")
    stricter = small(version=2).replace(
        "type: single_choice", "type: single_choice\n        required: true"
    )
    make_workshop(_file(tmp_path, "v2.yaml", stricter), series="tour")
    with app.app_context():
        from survey_app.accounts.operations import grant_series_access
        from survey_app.models import AccessLevel, User

        user = db.session.scalar(select(User).filter_by(email="fac@example.org"))
        grant_series_access(user, first.series_id, AccessLevel.read)
        db.session.commit()
    assert "wording differs" not in staff.get(f"/series/{first.series_id}").get_data(as_text=True)


def _file(folder, name: str, text: str):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_series_briefing_names_the_questions_whose_wording_differs(app, make_workshop, tmp_path):
    from survey_app.briefing.context import briefing_scope, briefing_summary, build_context
    from survey_app.briefing.render import render_html, reports_root, template_folder
    from survey_app.briefing.texts import Numbers, texts_for
    from survey_app.results import ResultSettings
    from survey_app.results.scope import Scope
    from survey_app.results.selection import select_workshops

    first = make_workshop(_file(tmp_path, "v1.yaml", small()), "closed", series="tour")
    folder = template_folder("briefing", reports_root())
    with app.app_context():

        def method_html() -> tuple[dict, str]:
            scope = briefing_scope(select_workshops(db.session, series=first.series_id))
            summary = briefing_summary(
                scope.instrument, Scope.of(scope.ids), db.session, ResultSettings(5)
            )
            context = build_context(scope, summary, texts_for(folder, "en"), Numbers("en"), 5)
            context["method"].update(template="briefing", data_hash="-")  # set by the build
            return context["method"], render_html(folder, context)

        method, html = method_html()
        assert method["versions"] == {} and "whose wording differs" not in html
        db.session.rollback()  # let the next workshop be written
        make_workshop(
            _file(tmp_path, "v2.yaml", small(version=2, kind_de="Welche Art?")),
            "closed",
            series="tour",
        )
        method, html = method_html()
    assert method["versions"]["versions"] == "small v1, small v2"
    assert len(method["versions"]["questions"]) == 1
    assert "whose wording differs" in html and "small v1, small v2" in html


def test_an_upload_whose_questions_share_an_export_column_is_refused(app, staff):
    clash = '      - key: kind_label\n        type: short_text\n        label: {de: "X", ar: "س"}\n'
    answer = upload(staff, small(extra=clash), "clash.yaml")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "makes the export column" in page and "kind_label" in page
    assert stored(app) == []
