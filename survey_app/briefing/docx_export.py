"""The briefing as an editable Word document (DOCX, python-docx), from the PDF's context.

Same parts, order, numbers and words as the PDF (``context.build_context`` and
``add_parts``): cover facts, summary page, findings, the organizations' own words,
one section per question with its table (the chart as its description: charts are
drawn for paper only), comparison, breakdown and method. For ministries that edit a
briefing before they forward it. Quotes keep their language (``w:lang``) and, in
Arabic or another right-to-left script, their direction (``w:bidi``, ``w:rtl``).
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from survey_app.questions._tables import Table

__all__ = ["briefing_docx"]

#: The Word styles used (present in python-docx's default template).
TABLE_STYLE = "Light List Accent 1"


def briefing_docx(context: dict[str, Any]) -> bytes:
    """Return the DOCX bytes of a briefing context (no charts, their descriptions)."""
    t, cover = context["t"], context["cover"]
    document = Document()
    document.core_properties.title = cover["title"]
    document.core_properties.language = context["lang"]
    normal = document.styles["Normal"]
    normal.font.size = Pt(10)
    _language(normal.element.get_or_add_rPr(), context["lang"])
    document.add_heading(cover["title"], 0)
    if cover["instrument"]:
        document.add_paragraph(cover["instrument"])
    responses = t("responses_count", n=cover["responses"], respondents=cover["respondents"])
    cover_facts = [
        (t("cover_period"), cover["period"]),
        (t("cover_municipalities"), cover["municipalities"]),
        (t("cover_workshops"), cover["workshops"]),
        (t("cover_responses"), responses),
        (t("cover_as_of"), cover.get("as_of", "")),
        (t("cover_generated"), cover["generated"]),
        (t("cover_version"), str(context["method"].get("data_hash", ""))[:12]),
        (t("cover_issuer"), t["issuer"]),
        (t("cover_contact"), t["contact"]),
    ]
    _facts(document, cover_facts)
    _small(document, t("cover_privacy", k=context["k"]))
    _small(document, t("distribution"))
    _summary(document, context)
    if context["findings"]:
        summary = context["summary"]
        document.add_heading(t("findings") if summary["by_analysts"] else t("more_findings"), 1)
        for finding in context["findings"]:
            _question_and_text(document, finding.question, finding.text, "List Bullet")
        _small(document, t("findings_intro"))
    _voices(document, context)
    document.add_heading(context["annex"]["results"], 1)
    for section in context["sections"]:
        document.add_heading(section["title"], 2)
        for question in section["questions"]:
            document.add_heading(question["title"], 3)
            if question.get("alt"):
                _small(document, question["alt"])
            if question.get("table") is not None:
                _table(document, question["table"])
            if question.get("note"):
                _small(document, question["note"])
    if context.get("comparison"):
        document.add_heading(context["annex"]["comparison"], 1)
        _compared(document, context["comparison"])
    if context.get("breakdown"):
        document.add_heading(context["annex"]["breakdown"], 1)
        _compared(document, context["breakdown"]["questions"])
    _method(document, context)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _summary(document: DocxDocument, context: dict[str, Any]) -> None:
    t, summary = context["t"], context["summary"]
    document.add_heading(t("summary"), 1)
    document.add_heading(t("key_messages"), 2)
    for message in summary["messages"]:
        _question_and_text(document, message["question"], message["text"], "List Number")
    if not summary["messages"]:
        document.add_paragraph(t("no_findings"))
    _small(document, summary["note"])
    if summary["recommendations"]:
        document.add_heading(t("recommendations"), 2)
        for recommendation in summary["recommendations"]:
            document.add_paragraph(recommendation)
        _small(document, summary["recommendations_note"])
    document.add_heading(t("data_basis"), 2)
    _facts(document, summary["basis"])


def _voices(document: DocxDocument, context: dict[str, Any]) -> None:
    t = context["t"]
    if not context["voices"]:
        return
    document.add_heading(t("voices"), 1)
    document.add_paragraph(t("voices_intro"))
    for voice in context["voices"]:
        document.add_heading(voice["title"], 2)
        _small(document, voice["note"])
        if voice.get("table") is not None:
            _table(document, voice["table"])
        for group in voice["groups"]:
            if group.get("title"):
                document.add_heading(group["title"], 3)
            for quote in group["quotes"]:
                _quote(document, quote["text"], quote["lang"], quote["dir"])
                if quote.get("translation"):
                    _quote(document, quote["translation"], quote["translation_lang"],
                           quote["translation_dir"])  # fmt: skip
                source = quote["source"] + (
                    f" · {t('translated')}" if quote.get("translation") else ""
                )
                _small(document, source)


def _method(document: DocxDocument, context: dict[str, Any]) -> None:
    t, method, cover = context["t"], context["method"], context["cover"]
    document.add_heading(context["annex"]["method"], 1)
    for text in (
        t("method_sample"),
        t("method_intervals"),
        *method["protection"],
        t("method_free_text"),
    ):
        document.add_paragraph(text)
    instrument = (
        f"{cover['instrument']} ({method['instrument_key']}, v{method['instrument_version']})"
    )
    facts = [
        (t("method_instrument"), instrument),
        (t("method_data"), method.get("data_hash", "")),
        (t("method_generated"), cover["generated"]),
    ]
    _facts(document, facts)
    document.add_heading(t("method_workshops"), 2)
    rows = [
        [w["title"], w["municipality"], w["date"], w["responses"]] for w in context["workshops"]
    ]
    _grid(document, [t("workshop"), t("municipality"), t("date"), t("responses")], rows)
    document.add_heading(t("method_questions"), 2)
    rows = [[q["title"], q["type"], str(q["n"])] for q in method["questions"]]
    _grid(document, [t("question"), t("type"), "n"], rows)


def _compared(document: DocxDocument, questions: list[dict[str, Any]]) -> None:
    for question in questions:
        document.add_heading(question["title"], 3)
        for table in question["tables"]:
            _table(document, table)


def _question_and_text(document: DocxDocument, question: str, text: str, style: str) -> None:
    paragraph = document.add_paragraph(style=style)
    if question:
        paragraph.add_run(question).bold = True
        paragraph.add_run().add_break()
    paragraph.add_run(text)


def _small(document: DocxDocument, text: str) -> None:
    if text:
        document.add_paragraph().add_run(text).font.size = Pt(8.5)


def _quote(document: DocxDocument, text: str, language: str, direction: str) -> None:
    paragraph = document.add_paragraph(style="Quote")
    run = paragraph.add_run(text)
    _language(run._element.get_or_add_rPr(), language)
    if direction == "rtl":
        _right_to_left(paragraph)
        run._element.get_or_add_rPr().append(OxmlElement("w:rtl"))


def _facts(document: DocxDocument, facts: list[tuple[str, str]]) -> None:
    _grid(document, None, [[label, value] for label, value in facts if value])


def _table(document: DocxDocument, table: Table) -> None:
    rows = []
    for row in table.rows:
        cells = (
            [row.span] + [""] * (len(table.head) - 2) if row.span else [c.text for c in row.cells]
        )
        rows.append([row.label, *cells])
    _grid(document, table.head, rows)
    if table.note:
        _small(document, table.note)


def _grid(document: DocxDocument, head: list[str] | None, rows: list[list[str]]) -> None:
    width = len(head) if head else max((len(row) for row in rows), default=1)
    grid = document.add_table(rows=0, cols=width)
    grid.style = TABLE_STYLE
    if head:
        cells = grid.add_row().cells
        for cell, text in zip(cells, head, strict=True):
            cell.text = str(text)
            cell.paragraphs[0].runs[0].bold = True
        _repeat_header(grid.rows[0])
    for row in rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, [*row, *[""] * (width - len(row))], strict=True):
            cell.text = str(text)


def _repeat_header(row: Any) -> None:
    """Mark a table's first row as its header (repeated on each page, read as such)."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _language(run_properties: Any, language: str) -> None:
    element = OxmlElement("w:lang")
    element.set(qn("w:val"), language)
    element.set(qn("w:bidi"), language)
    run_properties.append(element)


def _right_to_left(paragraph: Paragraph) -> None:
    paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
