"""How many SQL statements one summary sends: a fixed few, whatever the number of workshops.

Measured on all-types.yaml (every question type, two free-text questions) with two
workshops of 10 and 3 responses, on SQLite and PostgreSQL alike:

- default engine, parts cached, protection decided (the dashboard's refreshes): 8
  statements (versions of the workshops, their stored parts, the series' themes, and
  for the protection: the series of the workshops, its workshops, the series' k, the
  data version and the coded themes, which key the decision);
- without the cache (``SUMMARY_CACHE = False``): 14 (one per answer family, responses,
  arrivals, themes, one per free-text question, and the protection's 5).

The first summary after new data also decides the protection of the whole linked set
(every workshop, the series and each breakdown group: a few statements per part), once
per data version and process; ``test_deciding_takes_statements_per_part`` bounds it.

A workshop and its whole series take the same number: the engine groups by workshop in
SQL instead of asking per workshop. The bounds below are today's numbers, so a change
that adds a query per question or per workshop fails here.
"""

from __future__ import annotations

import pytest

from survey_app.extensions import db
from survey_app.models import Workshop
from survey_app.results import ResultSettings, Scope, summarize_scope

from .results_helpers import ALL_TYPES, INSTRUMENT, W1, W2, submit

#: At most this many statements for a summary whose parts and protection are cached.
CACHED = 8
#: Without the cache: four answer families, responses, arrivals, themes, 2 free texts,
#: and the protection's five.
UNCACHED = 14
#: Deciding the protection: at most this many statements per part of the linked set.
PER_PART = 12


@pytest.fixture
def series(app, make_workshop) -> tuple[int, int]:
    """A series of two workshops (10 and 3 responses): (first workshop id, series id)."""
    first = make_workshop(ALL_TYPES)
    second = make_workshop(ALL_TYPES)
    submit(app, first, W1)
    submit(app, second, W2)
    assert first.series_id == second.series_id
    return first.id, first.series_id


def statements_of_summary(
    app, count_queries, scope_name: str, ids: tuple[int, int], *, cache: bool = True
) -> int:
    """Summarize the workshop or the series in a new app context; return the statements."""
    workshop_id, series_id = ids
    with app.app_context():
        if scope_name == "workshop":
            scope = Scope.workshop(workshop_id)
        else:
            scope = Scope.series(db.session, series_id)
        with count_queries() as statements:
            result = summarize_scope(INSTRUMENT, scope, ResultSettings(1, cache=cache))
        db.session.commit()  # as a request does: the stored parts stay
    assert result["n_responses"] == (10 if scope_name == "workshop" else 13)
    assert statements, "the counter saw nothing: is it listening to the app's engine?"
    return len(statements)


@pytest.mark.parametrize("scope_name", ["workshop", "series"])
def test_a_cached_summary_takes_a_fixed_few_queries(app, series, count_queries, scope_name):
    statements_of_summary(app, count_queries, scope_name, series)  # decides, stores parts
    again = statements_of_summary(app, count_queries, scope_name, series)
    assert again <= CACHED


@pytest.mark.parametrize("scope_name", ["workshop", "series"])
def test_an_uncached_summary_takes_a_fixed_number_of_queries(
    app, series, count_queries, scope_name
):
    statements_of_summary(app, count_queries, scope_name, series, cache=False)
    assert statements_of_summary(app, count_queries, scope_name, series, cache=False) <= UNCACHED


def test_deciding_takes_statements_per_part(app, series, count_queries):
    """Two workshops and the series, each whole and per group of the breakdown question."""
    first = statements_of_summary(app, count_queries, "series", series)
    with app.app_context():
        groups = len(INSTRUMENT.question("org_type").options) + 1  # and "no group"
    parts = 3 * (1 + groups)
    assert first <= CACHED + PER_PART * parts


def test_a_series_takes_no_more_queries_than_one_workshop(app, series, count_queries):
    statements_of_summary(app, count_queries, "workshop", series, cache=False)  # decides
    workshop = statements_of_summary(app, count_queries, "workshop", series, cache=False)
    assert statements_of_summary(app, count_queries, "series", series, cache=False) == workshop


#: An unchanged live screen (304): the account, the workshop with its series, the
#: account's access to the series, the questionnaire's hash, the data version; the
#: whole series adds its workshops. Which k applies (room or published) costs nothing more.
#: The room's own screen of a questionnaire with open questions adds the version of the
#: facilitators' reviews (an approval changes its wall).
UNCHANGED_SCREEN = {"workshop": 5, "series": 6}
WALL_VERSION = 1


@pytest.mark.parametrize("scope_name", ["workshop", "series"])
@pytest.mark.parametrize("role", ["facilitator", "viewer"])
def test_an_unchanged_live_screen_takes_a_fixed_few_queries(
    app, make_workshop, logged_in_client, count_queries, role, scope_name
):
    workshop = make_workshop(ALL_TYPES)
    submit(app, workshop, W2)
    with app.app_context():
        db.session.get(Workshop, workshop.id).room_min_group_size = 3  # the room's own k
        db.session.commit()
    client = logged_in_client(role, workshop.series_id)
    url = f"/workshops/{workshop.id}/results.json" + ("?scope=series" * (scope_name == "series"))
    first = client.get(url)
    in_room = (role, scope_name) == ("facilitator", "workshop")
    assert first.get_json()["min_group_size"] == (3 if in_room else 5)
    with count_queries() as statements:
        unchanged = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304
    walls = WALL_VERSION if in_room else 0
    assert len(statements) <= UNCHANGED_SCREEN[scope_name] + walls, statements
    assert sum("text_review" in s for s in statements) == walls, statements
