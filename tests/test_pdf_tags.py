"""The tagged PDF's header scopes and quote languages (PDF/UA-1, 7.5 and 14.8.4)."""

from __future__ import annotations

import io

import pikepdf

from survey_app.briefing.render import quote_languages, render_pdf

HTML = """<!doctype html><html lang="de"><head><title>T</title></head><body>
<table><thead><tr><th scope="col">Antwort</th><th scope="col">Anzahl</th></tr></thead>
<tbody><tr><th scope="row">Räume</th><td>12</td></tr><tr><th scope="row">Geld</th><td>9</td>
</tr></tbody></table>
<blockquote lang="ar" dir="rtl">غرفة للصلاة</blockquote>
<blockquote lang="de">Ein Raum zum Beten</blockquote>
<blockquote>Ohne Sprache</blockquote>
</body></html>"""


def elements(document: pikepdf.Pdf, role: str) -> list[pikepdf.Dictionary]:
    """Return the structure elements of ``role`` in document order."""
    found, stack = [], [document.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.get("/S") == pikepdf.Name(role):
            found.append(node)
        kids = node.get("/K")
        stack.extend(reversed(list(kids) if isinstance(kids, pikepdf.Array) else [kids]))
    return found


def test_header_cells_say_what_they_head_and_quotes_their_language(tmp_path):
    assert quote_languages(HTML) == ["ar", "de", ""]
    rendered = render_pdf(HTML, tmp_path)
    document = pikepdf.open(io.BytesIO(rendered.pdf))
    headers = elements(document, "/TH")
    assert [str(h.A.Scope) for h in headers] == ["/Column", "/Column", "/Row", "/Row"]
    assert all(h.A.O == pikepdf.Name.Table for h in headers)
    quotes = elements(document, "/BlockQuote")
    assert [str(q.get("/Lang", "")) for q in quotes] == ["ar", "de", ""]
    assert document.Root.Lang == "de"
