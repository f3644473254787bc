"""Helpers of the briefing tests: a small data set, PDF text and structure readers."""

from __future__ import annotations

import io
import os
import re
import shutil
from typing import Any

import pytest

from .results_helpers import answers_of, submit
from .support.responses import close_workshops, reopen_workshops

#: Free text no briefing may ever contain (it is in ten answers: frequent enough for terms).
SECRET = "Zebrafischgeheimnis"
#: Fifteen responses to all-types.yaml: culture 8, religion 6, sports 1 (a small group).
RESPONSES = (
    [
        answers_of(
            "culture", ["funding", "rooms", "volunteers"], "yes",
            ("q.fields", "youth"), ("q.members", str(10 * (i + 1))),
            ("q.support.city", "satisfied"), ("q.overall", "4"),
            ("q.expectations", f"{SECRET} Nummer {i} Förderung"),
        )
        for i in range(8)
    ]
    + [
        answers_of(
            "religion", ["rooms", "funding"], "no",
            ("q.fields", "education"), ("q.religion_detail", f"{SECRET} Gemeinde"),
            ("q.support.city", "neutral"), ("q.overall", "5"),
            ("q.expectations", f"{SECRET} bitte"),
        )
        for _ in range(6)
    ]
    + [
        answers_of(
            "sports", ["training"], "yes",
            ("q.fields", "health"), ("q.expectations", f"{SECRET} Sport 4711"),
        )
    ]
)  # fmt: skip


def fill(app, workshop, responses=RESPONSES) -> None:
    """Store the data set in ``workshop`` and close it (briefings cover closed workshops)."""
    reopen_workshops(app, workshop)
    submit(app, workshop, responses)
    close_workshops(app, workshop)


def build(runner, tmp_path, *args: str, name: str = "b.pdf"):
    """Run `briefing build`; return (result, PDF bytes or None)."""
    target = tmp_path / name
    result = runner.invoke(args=["briefing", "build", *args, "-o", str(target)])
    return result, (target.read_bytes() if target.exists() else None)


def pdf_text(pdf: bytes) -> str:
    """Return the text of every page, whitespace collapsed, typographic spaces plain."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    for special, plain in (("\u00a0", " "), ("\u202f", " "), ("\u2011", "-")):
        text = text.replace(special, plain)
    return re.sub(r"\s+", " ", text)


def catalog(pdf: bytes) -> Any:
    """Return the PDF's document catalog (pypdf dictionary)."""
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(pdf)).trailer["/Root"]


def title_of(pdf: bytes) -> str | None:
    """Return the document title from the PDF's metadata."""
    from pypdf import PdfReader

    metadata = PdfReader(io.BytesIO(pdf)).metadata
    return metadata.title if metadata else None


def embedded_fonts(pdf: bytes) -> set[str]:
    """Return the names of the fonts the pages use (embedded subsets)."""
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get("/Font") or {}
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def alt_texts(pdf: bytes) -> list[str]:
    """Return every /Alt of the structure tree (the alt text of figures)."""
    found: list[str] = []
    seen: set[int] = set()

    def walk(node: Any) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, dict):
            if "/Alt" in node:
                found.append(str(node["/Alt"]))
            kids = node.get("/K")
            if kids is not None:
                walk(kids)
        elif isinstance(node, list):
            for kid in node:
                walk(kid)

    walk(catalog(pdf)["/StructTreeRoot"])
    return found


def chromium_or_skip() -> str:
    """Return the browser path; skip (locally) or fail (in CI) without Chromium."""
    from survey_app.briefing.charts import browser_path

    path = browser_path(None)
    if path and os.path.isfile(path) or (path and shutil.which(path)):
        return path
    reason = "Chromium is not installed (apt-get install chromium): chart export needs it"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)
