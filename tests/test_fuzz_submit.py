"""Fuzzing the questionnaire post: any Unicode, NUL and control characters, huge values.

Never a 5xx. Text comes back as typed, with one documented exception: characters
that no database or export can hold (NUL, which PostgreSQL refuses in text; the
other C0 controls but tab, line feed and carriage return; U+FFFE, U+FFFF) are
dropped, and text is trimmed and NFC-normalized. Too long text is refused (422)
and shown again; numbers that are no numbers are refused and shown again.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from survey_app.extensions import db
from survey_app.models import Answer, Response

from .conftest import FIXTURES

UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Any code point a form can carry (lone surrogates cannot be sent as UTF-8).
ANY = st.characters(exclude_categories=("Cs",))
TEXT = st.one_of(
    st.text(ANY, max_size=80),
    st.text(
        st.sampled_from("\x00\x01\x08\t\n\r\x0b\x1f\x7f\ufeff\ufffe\uffff\u202e a=<"), max_size=40
    ),
    st.builds(lambda c, n: c * n, ANY, st.integers(1990, 120_000)),  # around the limit, huge
)
FIELDS = settings(
    max_examples=60,
    deadline=None,
    database=None,  # no example files in the worktree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
numbering = itertools.count()


def as_stored(text: str) -> str:
    """What the server keeps of ``text`` (line breaks as LF, as a textarea counts them)."""
    return unicodedata.normalize(
        "NFC", UNSTORABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    ).strip()


def post(client, code: str, **fields: str):
    """Post a valid response plus ``fields`` under a fresh submission id."""
    data = {
        "submission_id": f"00000000-0000-4000-8000-{next(numbering):012d}",
        "q.org_type": "religion",
        "q.top_needs.1": "funding",
        "q.agreement.heard": "no",
        "consent": "yes",
        **fields,
    }
    return client.post(f"/j/{code}", data=data)


def stored_text(app, key: str) -> list[str | None]:
    """Return the stored texts of question ``key``, then forget every response."""
    with app.app_context():
        texts = list(db.session.scalars(select(Answer.value_text).filter_by(question_key=key)))
        db.session.execute(delete(Answer))
        db.session.execute(delete(Response))
        db.session.commit()
    return texts


def test_free_text_round_trips_or_is_refused_never_a_5xx(app, make_workshop):
    app.config["WTF_CSRF_ENABLED"] = False  # this fuzzes the answers, not the token
    code = make_workshop(FIXTURES / "all-types.yaml").join_code
    client = app.test_client()

    @FIELDS
    @given(text=TEXT)
    def check(text: str) -> None:
        answer = post(client, code, **{"q.religion_detail": text})
        expected = as_stored(text)
        if len(expected) > 2000:
            assert answer.status_code == 422
            assert stored_text(app, "religion_detail") == []
            return
        assert answer.status_code == 200, answer.status_code
        assert stored_text(app, "religion_detail") == ([expected] if expected else [])

    check()


def test_any_value_in_any_field_is_answered_without_a_5xx(app, make_workshop):
    app.config["WTF_CSRF_ENABLED"] = False
    code = make_workshop(FIXTURES / "all-types.yaml").join_code
    client = app.test_client()
    names = st.sampled_from(
        ["q.members", "q.budget", "q.org_type", "q.top_needs.2", "q.support.city", "q.overall",
         "q.expectations", "q.fields", "lang", "submission_id", "consent", "q.x\x00"]
    )  # fmt: skip

    @FIELDS
    @given(fields=st.dictionaries(st.one_of(names, st.text(ANY, max_size=20)), TEXT, max_size=4))
    def check(fields: dict[str, str]) -> None:
        answer = post(client, code, **fields)
        if answer.request.content_length > app.config["MAX_CONTENT_LENGTH"]:
            # Several huge values of 4-byte characters, percent-encoded: over the limit.
            assert answer.status_code == 413
            return
        assert answer.status_code in (200, 409, 422), answer.status_code
        stored_text(app, "members")

    check()


def test_a_body_over_two_megabytes_is_refused_cleanly(client, make_workshop):
    code = make_workshop(FIXTURES / "all-types.yaml").join_code
    answer = client.post(f"/j/{code}", data={"q.expectations": "x" * (3 * 1024 * 1024)})
    assert answer.status_code == 413
