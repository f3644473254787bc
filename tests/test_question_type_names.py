"""No code outside survey_app/questions/ names a question type: it asks the type instead.

Searched: string literals of Python code (docstrings and comments describe, they do
not switch) and the literals inside Jinja expressions and statements of templates.
Snake-case names (``single_choice``) are found anywhere inside a literal; names
that are ordinary words (``number``, ``info``) only as a whole literal, since the
words also appear in messages.

Allowed: the question types themselves (``survey_app/questions/``), their participant
templates (``templates/participate/questions/``), migrations, and the tables of the
XLSForm conversion (module-level assignments in ``instruments/xlsform.py``), which
write instrument files.
"""

from __future__ import annotations

import ast
import re

from survey_app.questions import QUESTION_TYPES

from .conftest import ROOT

PACKAGE = ROOT / "survey_app"
NAMES = sorted(QUESTION_TYPES)
#: Names found inside longer literals too.
DISTINCT = re.compile(r"\b(" + "|".join(n for n in NAMES if "_" in n) + r")\b")
#: Jinja expressions and statements.
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
JINJA_LITERAL = re.compile(r"""(["'])([a-z_]+)\1""")
#: Folders (relative to survey_app/) where type names belong.
ALLOWED_FOLDERS = ("questions/", "migrations/", "templates/participate/questions/")
#: Files whose module-level assignments (tables) may name types.
TABLE_FILES = ("instruments/xlsform.py",)


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _table_literals(tree: ast.Module) -> set[int]:
    return {
        id(node)
        for statement in tree.body
        if isinstance(statement, ast.Assign | ast.AnnAssign)
        for node in ast.walk(statement)
    }


def _names_in(text: str) -> list[str]:
    return [text] if text in NAMES else DISTINCT.findall(text)


def python_hits(relative: str, source: str) -> list[str]:
    """Return ``file:line: name`` for every type name in a module's string literals."""
    tree = ast.parse(source)
    skipped = _docstrings(tree)
    if relative in TABLE_FILES:
        skipped |= _table_literals(tree)
    return [
        f"{relative}:{node.lineno}: {name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in skipped
        for name in _names_in(node.value)
    ]


def template_hits(relative: str, text: str) -> list[str]:
    """Return ``file:line: name`` for every type name in a template's Jinja literals."""
    return [
        f"{relative}:{text.count(chr(10), 0, block.start()) + 1}: {name}"
        for block in JINJA.finditer(text)
        for literal in JINJA_LITERAL.finditer(block.group(0))
        for name in _names_in(literal.group(2))
    ]


def hits(relative: str) -> list[str]:
    """Return the type names a file of survey_app/ mentions where it should ask the type."""
    text = (PACKAGE / relative).read_text(encoding="utf-8")
    if relative.endswith(".py"):
        return python_hits(relative, text)
    return template_hits(relative, text)


def searched_files() -> list[str]:
    """Return the Python modules and templates searched, relative to survey_app/."""
    files = [*PACKAGE.rglob("*.py"), *(PACKAGE / "templates").rglob("*.html")]
    relative = sorted(path.relative_to(PACKAGE).as_posix() for path in files)
    return [name for name in relative if not name.startswith(ALLOWED_FOLDERS)]


def test_no_type_names_outside_the_question_types():
    found = [hit for name in searched_files() for hit in hits(name)]
    assert found == []


def test_the_search_finds_type_names():
    """The search itself: a switch on types is found; a docstring, a table, a message not."""
    module = (
        '"""Summaries of single_choice questions."""\n'
        "TABLE = {'select one': 'single_choice'}\n"
        "def f(q):\n"
        '    """A number."""\n'
        "    if q['type'] in ('long_text', 'number'):\n"
        "        return f'not a multi_choice: {q}'\n"
        "    return 'enter a number'\n"
    )
    assert python_hits("x.py", module) == [
        "x.py:2: single_choice",
        "x.py:5: long_text",
        "x.py:5: number",
        "x.py:6: multi_choice",
    ]
    assert python_hits("instruments/xlsform.py", module) == [
        "instruments/xlsform.py:5: long_text",
        "instruments/xlsform.py:5: number",
        "instruments/xlsform.py:6: multi_choice",
    ]
    template = '<input type="number">\n{% if q.type == "rating" %}{{ "info" }}{% endif %}'
    assert template_hits("t.html", template) == ["t.html:2: rating", "t.html:2: info"]
