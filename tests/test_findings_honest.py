"""Key findings claim a leader only where the 95 % intervals separate.

"Most positive" for 47.3 % against 46.5 % of about 250 is noise; a ministry reader
takes it as a finding. Shares and Wilson intervals here come from the real
``questions.cells.counts``.
"""

from __future__ import annotations

from typing import Any

from survey_app.briefing.findings import key_findings
from survey_app.briefing.render import reports_root
from survey_app.briefing.texts import numbers_for, texts_for
from survey_app.questions.cells import counts

FOLDER = reports_root() / "briefing"


def option(key: str, count: int, n: int) -> dict[str, Any]:
    count, share, low, high = counts(count, n)
    return {"key": key, "label": {"de": key.title(), "en": key.title()}, "count": count,
            "share": share, "ci_low": low, "ci_high": high}  # fmt: skip


def single_choice(*pairs: tuple[str, int]) -> dict[str, Any]:
    n = sum(count for _, count in pairs)
    return {"key": "q", "type": "single_choice", "label": {"de": "Frage?", "en": "Question?"},
            "n": n, "options": [option(key, count, n) for key, count in pairs]}  # fmt: skip


def likert(*pairs: tuple[str, int], n: int = 250) -> dict[str, Any]:
    items = []
    for key, top in pairs:
        count, share, low, high = counts(top, n)
        items.append({"key": key, "label": {"de": key, "en": key}, "n": n, "top2_count": count,
                      "top2_share": share, "top2_ci_low": low, "top2_ci_high": high})  # fmt: skip
    scale = [{"key": p, "label": {"de": p, "en": p}} for p in ("no", "rather no", "yes", "sure")]
    return {"key": "l", "type": "likert", "label": {"de": "Aussagen?", "en": "Statements?"},
            "n": n, "items": items, "scale": scale, "top2_points": ["yes", "sure"]}  # fmt: skip


def sentences(question: dict[str, Any], language: str = "de") -> list[str]:
    summary = {"n_responses": question["n"], "questions": [question], "min_group_size": 5}
    found = key_findings(
        summary, "organization", language, texts_for(FOLDER, language), numbers_for(language)
    )
    return [f.text for f in found]


def plain(text: str) -> str:
    """The sentence with no-break spaces as spaces."""
    return text.replace("\u00a0", " ")


def test_a_leader_inside_the_runner_up_s_interval_is_no_clear_lead():
    """117 and 115 of 250 (47 % and 46 %): no "most frequent"; both named, no lead claimed."""
    found = [plain(s) for s in sentences(single_choice(("a", 117), ("b", 115), ("c", 18)))]
    assert len(found) == 1
    assert "häufigste" not in found[0]
    assert found[0].startswith("Vorn liegen „A“ mit 47 % und „B“ mit 46 % (250 Organisationen);")
    assert found[0].endswith("ein klarer Vorsprung ist nicht belegt.")
    english = plain(sentences(single_choice(("a", 117), ("b", 115), ("c", 18)), "en")[0])
    assert english.startswith("Ahead: “A” with 47% and “B” with 46% (250 organizations);")


def test_a_clear_leader_is_named():
    found = [plain(s) for s in sentences(single_choice(("a", 150), ("b", 60), ("c", 40)))]
    assert found and found[0].startswith("Die häufigste Antwort ist „A“: 60 %")


def test_most_positive_only_where_the_intervals_separate():
    close = sentences(likert(("x", 118), ("y", 116), ("z", 60)))
    assert not any("Am positivsten" in s for s in close), close
    assert any("Am wenigsten positiv: „z“" in s for s in close), close  # 24 %: clearly lowest
    clear = sentences(likert(("x", 200), ("y", 116), ("z", 110)))
    assert any("Am positivsten: „x“" in s for s in clear), clear
    assert not any("Am wenigsten positiv" in s for s in clear), clear  # 46 % vs 44 %


def test_multi_choice_sentence_is_grammatical():
    question = single_choice(("a", 150), ("b", 60), ("c", 40))
    question["type"] = "multi_choice"
    found = [plain(s) for s in sentences(question)]
    assert "von 60 % (95" in found[0] and ") der 250 Organisationen." in found[0], found
