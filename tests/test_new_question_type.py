"""Adding a question type is one module plus its participant template.

The type below and its template (written to a temporary template folder) are all
there is of it: registered, it is checked in an instrument file, shown in the
participant's form, parsed, stored as answer rows, summarized and protected,
explained in the codebook, exported, simulated for the demo and found in the key
findings, without a change anywhere else.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
from jinja2 import ChoiceLoader, FileSystemLoader
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from survey_app.briefing.findings import key_findings
from survey_app.briefing.texts import numbers_for, texts_for
from survey_app.definition.model import Question
from survey_app.demo import simulated_form
from survey_app.exports.codebook import codebook
from survey_app.exports.table import raw_table
from survey_app.extensions import db
from survey_app.i18n import N_
from survey_app.instruments.store import instrument_of
from survey_app.models import Answer, InstrumentVersion
from survey_app.questions import QUESTION_TYPES
from survey_app.questions._figures import Figure, Wording, share_bars
from survey_app.questions._tables import (
    ShareColumns,
    Table,
    Writer,
    bars_alt_text,
    counted_head,
    counted_rows,
)
from survey_app.questions.base import AnswerRow, FieldError, Parsed, QuestionType, first_value
from survey_app.questions.cells import option_cells, question_head
from survey_app.questions.findings import (
    Candidate,
    option_finding,
    partition_leader,
)
from survey_app.results import ResultSettings, Scope, summarize_scope
from survey_app.results.display import web_writer
from survey_app.results.figures import figure_for

from .conftest import ROOT
from .helpers import open_form, post_form
from .test_question_registry import registry_problems

if TYPE_CHECKING:
    from survey_app.results.tables import ScopeData

ANSWERS = {"yes": {"en": "Yes"}, "no": {"en": "No"}}


class YesNo(QuestionType):
    """Yes or no; stored as the option key."""

    name = "yes_no"
    partitions_respondents = True
    finding_weight = 45

    def parse(self, question: Question, form: MultiDict[str, str]) -> Parsed:
        value = first_value(form, f"q.{question.key}")
        if not value:
            return Parsed(None)
        if value not in ANSWERS:
            return Parsed(error=FieldError(N_("Please choose one of the options shown.")))
        return Parsed(value)

    def rows(self, question: Question, value: Any) -> list[AnswerRow]:
        return [AnswerRow(question.key, option_key=value)]

    def form_values(self, question: Question, rows: list[AnswerRow]) -> list[tuple[str, str]]:
        return [(f"q.{question.key}", row.option_key or "") for row in rows]

    def chosen_keys(self, value: Any) -> set[str]:
        return {value} if value else set()

    def summarize(self, question: Question, data: ScopeData) -> dict[str, Any]:
        n = data.answered(question.key)
        counts = data.option_counts(question.key)
        return {**question_head(question, n), "options": option_cells(ANSWERS.items(), counts, n)}

    def export_cells(
        self, question: Question, rows: list[AnswerRow], language: str
    ) -> dict[str, Any]:
        return {question.key: rows[0].option_key} if rows else {}

    def codebook_codes(self, question: Question, column: str, language: str) -> str:
        return "yes; no"

    def key_finding_candidates(self, summary: dict[str, Any], k: int) -> list[Candidate]:
        top = partition_leader(summary["options"], "count", summary["n"])
        return option_finding("finding_single_choice", top, summary["n"], self.finding_weight)

    def simulated_fields(
        self, question: Question, rng: random.Random, texts: Sequence[str]
    ) -> list[tuple[str, str]]:
        return [(f"q.{question.key}", "yes" if rng.random() < 0.6 else "no")]

    def figure(self, summary: dict[str, Any], words: Wording) -> Figure:
        return share_bars(summary["options"], summary["n"], words)

    def alt_text(self, summary: dict[str, Any], w: Writer) -> str:
        return bars_alt_text(summary["options"], summary["n"], w)

    def summary_table(self, summary: dict[str, Any], w: Writer) -> Table:
        rows = counted_rows(summary["options"], w)
        return Table(counted_head("answer", w), rows, note=w.n_note(summary["n"]))

    def comparison_columns(self, summary: dict[str, Any], w: Writer) -> ShareColumns:
        columns = [(o["key"], w.label(o)) for o in summary["options"]]
        return ShareColumns(w.texts("compare_share"), "options", "", [columns])


TEMPLATE = """\
{% include "participate/questions/_open.html" %}
{% include "participate/questions/_head.html" %}
{% set chosen = values.get("q." ~ q.key) %}
{% for key in ("yes", "no") %}
<label><input type="radio" name="q.{{ q.key }}" value="{{ key }}"\
{% if chosen == key %} checked{% endif %}> {{ key }}</label>
{% endfor %}
</fieldset>
"""

INSTRUMENT = """\
format: 1
key: new-type
version: 1
title: A new type
languages: [en]
sections:
  - key: main
    title: Main
    questions:
      - key: member
        type: yes_no
        label: Are you a member?
        required: true
      - key: comment
        type: short_text
        label: Anything else?
"""


def template_folder(tmp_path: Path) -> Path:
    """Return a template folder holding the type's participant template."""
    folder = tmp_path / "templates"
    template = folder / YesNo().participant_template
    template.parent.mkdir(parents=True)
    template.write_text(TEMPLATE, encoding="utf-8")
    return folder


def test_the_new_type_is_complete(tmp_path):
    assert registry_problems(YesNo(), template_folder(tmp_path)) == []


@pytest.fixture
def yes_no(app, tmp_path, monkeypatch):
    """Register the type and put its participant template in a template folder."""
    monkeypatch.setitem(QUESTION_TYPES, YesNo.name, YesNo())
    folder = template_folder(tmp_path)
    app.jinja_env.loader = ChoiceLoader([FileSystemLoader(folder), app.jinja_env.loader])
    instrument = tmp_path / "new-type.yaml"
    instrument.write_text(INSTRUMENT, encoding="utf-8")
    return instrument


def test_a_new_type_goes_all_the_way(app, make_workshop, yes_no: Path):
    workshop = make_workshop(yes_no)
    with app.app_context():
        snapshot = db.session.get(InstrumentVersion, workshop.instrument_version_id)
        instrument = instrument_of(snapshot)
    assert instrument.question("member").type == "yes_no"

    page = app.test_client().get(f"/j/{workshop.join_code}")
    assert 'name="q.member" value="yes"' in page.get_data(as_text=True)

    participant = app.test_client()
    fields = open_form(participant, workshop.join_code)
    invalid = post_form(participant, workshop.join_code, fields, [("q.member", "maybe")])
    assert "Please choose one of the options shown." in invalid.get_data(as_text=True)

    rng = random.Random(11)
    for _ in range(14):
        form = simulated_form(instrument, "en", rng)
        assert form.getlist("q.member") in (["yes"], ["no"])
        participant = app.test_client()
        fields = open_form(participant, workshop.join_code)
        answer = post_form(participant, workshop.join_code, fields, list(form.items(multi=True)))
        assert answer.status_code == 200

    with app.app_context():
        rows = db.session.scalars(select(Answer).where(Answer.question_key == "member")).all()
        stored = sorted(row.option_key or "" for row in rows)
        assert stored == ["no"] * 5 + ["yes"] * 9
        scope = Scope.workshop(workshop.id)
        summary = summarize_scope(instrument, scope, ResultSettings(5))
        # "no" is small at k = 6, and "yes" would give it away: both are hidden.
        protected = summarize_scope(instrument, scope, ResultSettings(6))
        table = raw_table(instrument, [workshop.id], "en")
        exported = sorted(row["member"] for row in table.rows)
    question = next(q for q in summary["questions"] if q["key"] == "member")
    assert question["type"] == "yes_no" and question["n"] == 14
    assert [(o["key"], o["count"]) for o in question["options"]] == [("yes", 9), ("no", 5)]
    hidden = next(q for q in protected["questions"] if q["key"] == "member")
    assert [o.get("suppressed") for o in hidden["options"]] == [True, True]

    entry = next(e for e in codebook(instrument, "en") if e["column"] == "member")
    assert entry == {
        "column": "member",
        "question": "member",
        "type": "yes_no",
        "label": "Are you a member?",
        "codes": "yes; no",
        "spss": "member",
        "stata": "member",
    }
    assert exported == stored

    texts = texts_for(ROOT / "reports" / "briefing", "en")
    findings = key_findings(summary, "person", "en", texts, numbers_for("en"))
    assert [(f.question_key, f.text) for f in findings] == [
        ("member", "The most frequent answer is “Yes”: 64% (95%\xa0CI 39–84%) of 14 people.")
    ]
    assert key_findings(protected, "person", "en", texts, numbers_for("en")) == []

    # Shown on the dashboard and in the briefing through the type's own hooks.
    figure = figure_for(question, "en", 5)
    assert figure is not None and figure["data"][0]["y"] == ["No", "Yes"]
    assert [round(x, 3) for x in figure["data"][0]["x"]] == [0.357, 0.643]
    with app.test_request_context():
        writer = web_writer("en", 5)
        table = YesNo().summary_table(question, writer)
        assert [row.cells[0].text for row in table.rows] == ["9", "5"]
        assert "64%" in YesNo().alt_text(question, writer)


def test_a_new_types_summary_is_valid_against_the_served_openapi_document(
    app, make_workshop, yes_no: Path, logged_in_client
):
    """The API describes a new type's summary without an edit of ``api/openapi.json``."""
    workshop = make_workshop(yes_no)
    client = logged_in_client("viewer", workshop.series_id)
    document = client.get("/api/v1/openapi.json").get_json()
    registry = Registry().with_resource(
        "urn:openapi", Resource.from_contents(document, default_specification=DRAFT202012)
    )
    summary = client.get(f"/api/v1/workshops/{workshop.id}/summary").get_json()
    assert [q["type"] for q in summary["questions"]] == ["yes_no", "short_text"]
    schema = {"$ref": "urn:openapi#/components/schemas/Summary"}
    jsonschema.Draft202012Validator(schema, registry=registry).validate(summary)
