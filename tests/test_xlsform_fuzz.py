"""Random XLSForms (as CSV uploads) are converted into valid instruments or refused, never crash."""

from __future__ import annotations

import random

from survey_app.instruments.upload import UploadRefused, check_upload

ATOMS = (
    "${a}", "${b.c}", "${x-y}", "'v'", '"w"', "1", "0", " and ", " or ", "not(", "(", ")",
    ",", "=", "!=", ">", "selected(", "count-selected(", "string-length(", "../a", "true()",
    "'other'", "${q1}", ".", "if(", "+",
)  # fmt: skip
TYPES = (
    "text", "integer", "decimal", "select_one yn", "select_multiple yn", "rank yn", "note",
    "range", "begin_group", "end_group", "acknowledge", "select_one_from_file f.csv",
    "select_one yn or_other", "geopoint", "select_one nowhere",
)  # fmt: skip
NAMES = ("a", "b.c", "x-y", "q1", "Name", "name", "other", "item goat")


def random_form(rng: random.Random) -> str:
    """Return an XLSForm in CSV with random rows, conditions and constraints."""
    rows = ["survey,type,name,label,relevant,required,constraint,parameters"]
    depth = 0
    for number in range(rng.randint(1, 12)):
        kind = rng.choice(TYPES)
        if kind == "end_group" and depth == 0:
            continue
        depth += {"begin_group": 1, "end_group": -1}.get(kind, 0)
        relevant = "".join(rng.choice(ATOMS) for _ in range(rng.randint(0, 7)))
        constraint = rng.choice(["", ".>=0", ". > 1 and . < 9", ".<= -1 and .>=5", ".=1 or .=2"])
        parameters = rng.choice(["", "start=0 end=5", "tart=2"]) if kind == "range" else ""
        name = rng.choice(NAMES) if rng.random() < 0.7 else f"q{number}"
        required = rng.choice(["", "yes"])
        rows.append(f',{kind},{name},L {name},"{relevant}",{required},{constraint},{parameters}')
    rows += [",end_group,,,,,,"] * depth
    rows += ["choices,list_name,name,label", ",yn,yes,Yes", ",yn,Yes,Yes", ",yn,no,No"]
    rows += [
        "settings,form_id,version",
        f",{rng.choice(['f', '1 x'])},{rng.choice(['1', '9' * 15])}",
    ]
    return "\n".join(rows)


def test_random_forms_convert_into_valid_instruments_or_are_refused():
    rng = random.Random(17)
    converted = 0
    for number in range(120):
        text = random_form(rng)
        try:
            checked = check_upload(f"form{number}.csv", text.encode())
        except UploadRefused:
            continue
        assert checked.valid, (text, [p.problem.message for p in checked.problems])
        converted += 1
    assert converted >= 30  # 36 with this seed
