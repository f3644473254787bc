"""Briefings built on the command line (tables only): numbers, privacy, tags, cache."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from survey_app.briefing import charts
from survey_app.extensions import db
from survey_app.models import Briefing
from survey_app.results import ResultSettings, Scope, summarize_scope

from .briefing_helpers import SECRET, build, catalog, embedded_fonts, fill, pdf_text, title_of
from .conftest import FIXTURES
from .results_helpers import INSTRUMENT, answers_of, submit

ALL_TYPES = FIXTURES / "all-types.yaml"


#: How the German briefing labels a hidden cell, by its reason.
HIDDEN_DE = {
    "small": r"weniger als 5",
    "protects": r"nicht gezeigt \(schützt eine kleine Gruppe\)",
}


def percent(share: float) -> str:
    """Write a share the German way, independently of the code under test."""
    return f"{round(share * 100)} %"


def test_numbers_match_the_engine_and_nothing_private_is_printed(app, runner, make_workshop,
                                                                tmp_path):  # fmt: skip
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    result, pdf = build(runner, tmp_path, "--workshop", str(workshop.id), "--lang", "de",
                        "--tables-only")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "briefing: summarizing 1 workshop(s)" in result.output
    text = pdf_text(pdf)
    with app.app_context():
        summary = summarize_scope(INSTRUMENT, Scope.workshop(workshop.id), ResultSettings(5))
    questions = {q["key"]: q for q in summary["questions"]}
    # Every shown option of the choice questions: count, share and interval in a row.
    for key in ("org_type", "fields"):
        for cell in questions[key]["options"]:
            label = cell["label"]["de"]
            if cell.get("suppressed"):
                said = HIDDEN_DE[cell["reason"]].replace(" ", r"\s+")
                assert re.search(rf"{label}\s+{said}", text), label
                continue
            interval = f"{round(cell['ci_low'] * 100)}–{percent(cell['ci_high'])}"
            row = f"{label} {cell['count']} {percent(cell['share'])} {interval}"
            assert row in text, row
    # The small group (one sports club) and its complement are hidden, never counted.
    assert questions["org_type"]["options"][2]["suppressed"]  # sports: 1 response
    assert not re.search(r"Sport \d", text)
    # Kultur (8) and Religion (6) hide with it: were one shown, 15 minus it and the
    # other's "at least 5" would pin sports to 1 or 2. No finding names a hidden share.
    culture = questions["org_type"]["options"][0]
    assert culture["suppressed"] and culture["reason"] == "protects"
    assert not re.search(r"Kultur\s+\d", text) and "„Kultur“: 53" not in text
    funding = next(o for o in questions["top_needs"]["options"] if o["key"] == "funding")
    said = "„Geld“ steht am häufigsten an erster Stelle"
    if "first_share" in funding:  # first places shown: the finding says how often
        assert f"{said}: bei {percent(funding['first_share'])}" in text
    else:  # hidden to protect a small count: no finding names them
        assert said not in text
    overall = questions["overall"]
    if overall.get("mean") is not None:  # the rating's points all shown
        assert "Im Mittel 4,4 von 5 Punkten (Median 4; 14 Organisationen)." in text
    else:  # a point hidden to protect a small count: no mean is printed
        assert "Im Mittel" not in text
    # Cover, free text, quotes, method.
    assert "15 Organisationen" in text and "Teststadt" in text
    assert SECRET not in text and "4711" not in text and "Gemeinde am" not in text
    assert "15 Textantworten" in text
    # No quote approved: the part "In their own words" says so beside the count.
    assert re.search(r"für\s+diese\s+Frage\s+ist\s+keine\s+freigegeben\.", text)
    assert "all-types, v1" in text and "k = 5" in text
    # A tagged PDF (PDF/UA) in German with a title.
    root = catalog(pdf)
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "de"
    assert title_of(pdf) == "Briefing: Test workshop"
    # A PDF/UA checker finds nothing: every header cell says what it heads (/Scope).
    import pdfua

    report = pdfua.validate(str(tmp_path / "b.pdf"))
    assert not report.findings, [(f.rule_id, f.message) for f in report.findings][:3]
    assert {o.rule_id for o in report.outcomes} >= {"UA-15-003", "UA-01-002", "UA-07-001"}
    with app.app_context():
        record = db.session.scalar(select(Briefing))
        assert record.source == "command line" and record.user_id is None
        assert record.workshop_ids == [workshop.id] and record.pages > 5
        assert record.file_path == str(tmp_path / "b.pdf")


def test_english_numbers_and_breakdown_without_small_groups(app, runner, make_workshop, tmp_path):
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    result, pdf = build(runner, tmp_path, "--workshop", str(workshop.id), "--lang", "en",
                        "--tables-only", "--breakdown", "org_type")  # fmt: skip
    assert result.exit_code == 0, result.output
    text = pdf_text(pdf)
    assert "“Kultur”: 53%" not in text  # hidden with the sports club it protects
    with app.app_context():
        summary = summarize_scope(INSTRUMENT, Scope.workshop(workshop.id), ResultSettings(5))
    overall = next(q for q in summary["questions"] if q["key"] == "overall")
    if overall.get("mean") is not None:
        assert "4.4 out of 5 points on average" in text
    else:
        assert "points on average" not in text
    assert "Results by “Art”" in text
    # Sports (1 response) and, as its complement, religion (6) are hidden groups: the
    # one as small, the other (not small) to protect it.
    assert text.count("Sport Fewer than 5 answered: not shown") >= 5
    assert text.count("Religion Not shown, to protect a small group") >= 1
    assert "Religion Fewer than" not in text
    assert not re.search(r"Kultur\s+8\s", text)  # hidden too: 15 - 8 - 6 would give 1
    assert SECRET not in text


def test_served_from_the_cache_until_the_data_change(app, runner, make_workshop, tmp_path):
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    args = ("--workshop", str(workshop.id), "--tables-only")
    first, pdf1 = build(runner, tmp_path, *args, name="1.pdf")
    second, pdf2 = build(runner, tmp_path, *args, name="2.pdf")
    assert "served from the cache" in second.output
    assert pdf1 == pdf2
    submit(app, workshop, [answers_of("culture", ["rooms"], "yes")])
    third, pdf3 = build(runner, tmp_path, *args, name="3.pdf")
    assert "served from the cache" not in third.output
    assert "16 Organisationen" in pdf_text(pdf3)
    with app.app_context():
        records = db.session.scalars(select(Briefing).order_by(Briefing.id)).all()
        assert len(records) == 2
        kept = db.session.scalar(select(func.count()).where(Briefing.pdf.is_not(None)))
        assert kept == 1  # the older PDF's bytes are dropped, its record stays


def test_clear_errors_instead_of_tracebacks(app, runner, make_workshop, tmp_path, monkeypatch):
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    cases = [
        (["--series", "nope"], "there is no series 'nope'"),
        (["--workshop", "999"], "there is no workshop 999"),
        (["--workshop", str(workshop.id), "--lang", "fr"], "no texts in 'fr'"),
        (["--workshop", str(workshop.id), "--template", "../etc"], "not a template name"),
        (["--workshop", str(workshop.id), "--template", "nothing"], "no briefing template"),
        (["--workshop", str(workshop.id), "--breakdown", "fields"], "cannot break down"),
        ([], "give either --workshop"),
    ]
    for args, message in cases:
        result, _ = build(runner, tmp_path, *args)
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output
    # Without a browser, charts cannot be drawn: say how to install one.
    monkeypatch.setattr(charts, "_SERVER", charts._Server())
    app.config["BROWSER_PATH"] = str(tmp_path / "no-chromium")
    result, pdf = build(runner, tmp_path, "--workshop", str(workshop.id), name="c.pdf")
    assert result.exit_code == 1 and pdf is None
    assert "apt-get install chromium" in result.output and "--tables-only" in result.output


def test_series_by_slug_or_id_covers_all_its_workshops(app, runner, make_workshop, tmp_path):
    first = make_workshop(ALL_TYPES, series="tour")
    second = make_workshop(ALL_TYPES, series="tour")
    fill(app, first)
    fill(app, second)
    result, pdf = build(runner, tmp_path, "--series", "tour", "--tables-only", "--lang", "en")
    assert result.exit_code == 0, result.output
    text = pdf_text(pdf)
    assert "30 organizations" in text and "Comparison of the workshops" in text
    assert SECRET not in text
    # the main briefing ends with the summary and findings; results by question, the
    # comparison and the method follow as a lettered annex, in the contents and the body
    annex = ["Annex A: Results by question", "Annex B: Comparison of the workshops",
             "Annex C: Method and data"]  # fmt: skip
    contents, body = text.split("Annex A: Results by question", 1)[0], text
    assert "Summary" in contents and contents.rstrip().endswith("ANNEX")  # its contents head
    places = [body.rindex(title) for title in annex]
    assert places == sorted(places) and body.rindex("Key messages") < places[0]
    by_id, _ = build(runner, tmp_path, "--series", str(first.series_id), "--tables-only",
                     "--lang", "en", name="id.pdf")  # fmt: skip
    assert by_id.exit_code == 0 and "served from the cache" in by_id.output


def test_turkish_and_arabic_text_use_embedded_noto_fonts(app, runner, make_workshop, tmp_path):
    workshop = make_workshop(ALL_TYPES)
    fill(app, workshop)
    with app.app_context():
        from survey_app.models import Workshop

        stored = db.session.get(Workshop, workshop.id)
        stored.title = "İstanbul Derneği – ورشة العمل"
        stored.municipality = "Köln"
        db.session.commit()
    result, pdf = build(runner, tmp_path, "--workshop", str(workshop.id), "--tables-only")
    assert result.exit_code == 0, result.output
    fonts = embedded_fonts(pdf)
    assert any("NotoSans-" in name or name.endswith("+Noto-Sans") for name in fonts), fonts
    assert any("Arabic" in name for name in fonts), fonts
    assert "İstanbul Derneği" in pdf_text(pdf)
