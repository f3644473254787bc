"""The JSON API against its own OpenAPI document, by schemathesis.

Schemathesis reads the served document and sends each operation generated requests
(ids of every size and sign, query arguments, headers, with and without the token).
The app runs in this process (WSGI) on a database with a small series: workshops
open and closed, with responses. Every answer must be documented: no 5xx,
a status the document lists, a body that matches its schema, the right content
type. About a minute on both databases (``MAX_EXAMPLES`` per operation).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from survey_app.extensions import db

from .conftest import PASSWORD

#: Generated requests per operation and phase (examples, coverage, fuzzing).
MAX_EXAMPLES = 10


#: The operations of the document (``operationId``) but the document itself, which
#: schemathesis leaves out; the test fails if this list is stale.
OPERATIONS = ("listWorkshops", "getWorkshop", "getWorkshopSummary", "getSeriesSummary")


#: Responses of the series' workshops: two closed (published summaries), one open.
SIZES = {"closed": (12,), "open": (6,)}


@pytest.fixture
def api(app, make_workshop, add_responses):
    """The served document of an app with a small series, a facilitator's token, the ids.

    The series' protection is decided before the run (the first read after a close
    decides it), so that each generated request is answered at once.
    """
    import random

    from survey_app.accounts.operations import create_user, grant_series_access
    from survey_app.accounts.tokens import issue_api_token
    from survey_app.demo import simulated_form
    from survey_app.instruments import parse_instrument_file
    from survey_app.models import AccessLevel, Role

    from .conftest import INSTRUMENTS
    from .support.responses import close_workshops

    instrument, _ = parse_instrument_file(INSTRUMENTS / "needs-expectations.yaml")
    rng = random.Random(3)
    made = []
    for state, sizes in SIZES.items():
        for size in sizes:
            workshop = make_workshop("needs-expectations")
            forms = [simulated_form(instrument, "de", rng) for _ in range(size)]
            add_responses(workshop, [list(form.items(multi=True)) for form in forms])
            made.append((workshop, state))
    close_workshops(app, *[w for w, state in made if state == "closed"])
    with app.app_context():
        series_id = made[0][0].series_id
        user = create_user("api@example.org", PASSWORD, Role.facilitator)
        grant_series_access(user, series_id, AccessLevel.manage)
        token = issue_api_token(user, "schemathesis")
        ids = {"workshop_id": [w.id for w, _ in made], "series_id": [series_id]}
        db.session.commit()
    warm = app.test_client()
    for path in [f"/api/v1/workshops/{i}/summary" for i in ids["workshop_id"]] + [
        f"/api/v1/series/{series_id}/summary"
    ]:
        assert warm.get(path, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return schema, token, ids


def cases(operation, ids: dict[str, list[int]], mode: GenerationMode):
    """Generated requests to ``operation``: any path ids, and as often ids that exist
    (so that the 200 answers are checked against their schemas too)."""
    names = [p.name for p in operation.path_parameters]
    existing = [
        operation.as_strategy(mode, path_parameters={name: value for name in names})
        for value in {v for name in names for v in ids.get(name, [])}
    ]
    return st.one_of(operation.as_strategy(mode), *existing)


def test_every_operation_is_tested(api):
    schema, _, _ = api
    found = {
        result.ok().definition.raw.get("operationId") for result in schema.get_all_operations()
    }
    assert found == set(OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_the_api_answers_as_its_document_says(api, operation_id, mode):
    schema, token, ids = api
    operation = schema.find_operation_by_id(operation_id)

    @given(case=cases(operation, ids, mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
        phases=(Phase.explicit, Phase.generate),  # no shrinking: bounded time in CI
    )
    def call(case) -> None:  # type: ignore[no-untyped-def]
        # Compressed bodies are right, but the WSGI transport would not unpack them.
        sent = {"Accept-Encoding": "identity", "Authorization": f"Bearer {token}"}
        if case.headers and "Authorization" in case.headers:
            del sent["Authorization"]  # the generated credentials are under test
        case.call_and_validate(headers=sent)

    call()
