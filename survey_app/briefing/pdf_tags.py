"""Finishing touches to WeasyPrint's tagged PDF that PDF/UA checkers ask for.

WeasyPrint (up to 70) tags header cells as ``/TH`` with their ``/ID`` and gives data
cells ``/Headers``, but writes no ``/Scope``: PDF/UA-1 (ISO 14289-1, 7.5; Matterhorn
checkpoint 15-003) wants each header cell to say whether it heads a column or a row.
The HTML says so (``<th scope="col">`` in the head, ``<th scope="row">`` in the
body); this copies it into the structure tree. Nor does it write the language of an
element whose ``lang`` differs from the document's (a quote in Arabic in a German
briefing; 14.8.4, checkpoint 11-006): quotes get their ``/Lang`` here, in order.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf

__all__ = ["complete_tags"]

#: Struct roles whose header cells head columns (all others: rows).
COLUMN_SECTIONS = frozenset({"/THead"})
SECTIONS = frozenset({"/THead", "/TBody", "/TFoot"})


def complete_tags(pdf: bytes, quote_languages: list[str] | None = None) -> bytes:
    """Return ``pdf`` with ``/Scope /Column`` (table head) or ``/Row`` (body) on every
    ``/TH`` structure element. ``quote_languages``: the ``lang``
    of each ``<blockquote>`` in document order, set as ``/Lang`` of the ``/BlockQuote``
    elements when there are as many (else none is set). Written again by qpdf with
    object streams (about as small as before); the document information, XMP metadata
    and everything else are kept. A PDF without a structure tree is returned as it is.
    """
    with pikepdf.open(io.BytesIO(pdf)) as document:
        tree = document.Root.get("/StructTreeRoot")
        if tree is None:
            return pdf
        quotes: list[pikepdf.Dictionary] = []
        seen: set[tuple[int, int]] = set()
        stack: list[tuple[Any, str | None]] = [(tree, None)]
        while stack:
            node, section = stack.pop()
            if not isinstance(node, pikepdf.Dictionary):
                continue
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            role = str(node.get("/S", ""))
            if role in SECTIONS:
                section = role
            if role == "/TH":
                _set_scope(node, "/Column" if section in COLUMN_SECTIONS else "/Row")
            elif role == "/BlockQuote":
                quotes.append(node)
            found = node.get("/K")
            kids = list(found) if isinstance(found, pikepdf.Array) else [found]
            for kid in reversed(kids):  # depth first, in document order
                if isinstance(kid, pikepdf.Dictionary):
                    stack.append((kid, section))
        if quote_languages and len(quote_languages) == len(quotes):
            for quote, language in zip(quotes, quote_languages, strict=True):
                if language:
                    quote.Lang = pikepdf.String(language)
        out = io.BytesIO()
        document.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _set_scope(cell: pikepdf.Dictionary, scope: str) -> None:
    """Set the table attribute ``/Scope`` of a header cell (its own attribute object)."""
    found = cell.get("/A")
    entries = list(found) if isinstance(found, pikepdf.Array) else [found]
    table = pikepdf.Dictionary(O=pikepdf.Name.Table)
    for entry in entries:
        if isinstance(entry, pikepdf.Dictionary) and entry.get("/O") == pikepdf.Name.Table:
            for name, value in entry.items():
                if name != "/Scope":
                    table[name] = value
    table.Scope = pikepdf.Name(scope)
    cell.A = table
