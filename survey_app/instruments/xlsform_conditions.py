"""Read XLSForm ``relevant`` expressions as conditions an instrument can hold.

An instrument's ``show_if`` names one earlier question and either the options that show
the question or ``answered: true``. An XLSForm ``relevant`` is an XPath expression; this
module parses the part of XPath that forms use for conditions (``and``, ``or``, ``not``,
comparisons, ``selected()``, ``count-selected()``, ``string-length()``, references as
``${name}`` or ``../name``) into clauses, one per ``and``-ed part; a negated clause
(``!=``, ``not(selected(...))``) is kept as such for the caller to turn into the other
options where that says the same. A clause that cannot
be said as a ``show_if`` is ``None``; a clause that is only implied by its part (``${n} >
10`` implies ``${n}`` was answered) is marked inexact. ``combine`` then picks the one
condition to write and says whether it is the form's condition or only a wider one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TOKEN = re.compile(
    r"""\s*(?:
      \$\{(?P<ref>[^}\s]+)\}
    | (?:current\(\)/)?(?:\.\./)+(?P<path>[A-Za-z_][\w.-]*)
    | '(?P<single>[^']*)' | "(?P<double>[^"]*)"
    | (?P<numeral>-?\d+(?:\.\d+)?)
    | (?P<op>!=|>=|<=|=|>|<)
    | (?P<punct>[(),])
    | (?P<name>[A-Za-z_][\w.:-]*(?:\(\))?)
    )""",
    re.VERBOSE,
)
#: More parentheses than this and an expression is not read (recursion stays shallow).
MAX_PARENTHESES = 100
#: Comparisons with a number that hold only for an answered question.
ORDERING = {">", ">=", "<", "<="}


class NotConvertible(Exception):
    """Raised for an expression (or a part) that no ``show_if`` can say."""


@dataclass(frozen=True)
class Ref:
    """A reference to another question of the form, by its XLSForm name."""

    name: str


@dataclass(frozen=True)
class Node:
    """An operator (``and``, ``or``, ``not``, a comparison) or a function call."""

    kind: str
    args: tuple[Any, ...]


@dataclass(frozen=True)
class Clause:
    """One condition on one question: its options (``values``) or, if None, answered."""

    question: str
    values: tuple[str, ...] | None
    #: False when the form's condition is narrower than this clause says.
    exact: bool = True
    #: True when the question must have an answer *other* than ``values``.
    negated: bool = False


def tokens(expression: str) -> list[tuple[str, str]]:
    """Split an expression into ``(kind, text)`` tokens; refuse anything else."""
    found: list[tuple[str, str]] = []
    position, text = 0, expression.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise NotConvertible(text[position:])
        kind = match.lastgroup or ""
        value = match.group(kind)
        found.append(("string" if kind in ("single", "double") else kind, value))
        position = match.end()
        while position < len(text) and text[position].isspace():
            position += 1
    return found


class _Parser:
    """Recursive descent over the tokens: or < and < comparison < primary."""

    def __init__(self, found: list[tuple[str, str]]):
        self.found = found
        self.at = 0

    def peek(self) -> tuple[str, str]:
        """Return the next token without taking it (``("end", "")`` at the end)."""
        return self.found[self.at] if self.at < len(self.found) else ("end", "")

    def take(self, kind: str, value: str | None = None) -> str:
        """Take the next token, which must be of ``kind`` (and ``value``)."""
        got_kind, got = self.peek()
        if got_kind != kind or (value is not None and got != value):
            raise NotConvertible(got)
        self.at += 1
        return got

    def expression(self) -> Any:
        """Read ``a or b or ...``."""
        parts = [self.conjunction()]
        while self.peek() == ("name", "or"):
            self.at += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else Node("or", tuple(parts))

    def conjunction(self) -> Any:
        """Read ``a and b and ...``."""
        parts = [self.comparison()]
        while self.peek() == ("name", "and"):
            self.at += 1
            parts.append(self.comparison())
        return parts[0] if len(parts) == 1 else Node("and", tuple(parts))

    def comparison(self) -> Any:
        """Read ``a``, or ``a OP b`` for a comparison operator."""
        left = self.primary()
        if self.peek()[0] == "op":
            operator = self.take("op")
            return Node(operator, (left, self.primary()))
        return left

    def primary(self) -> Any:
        """Read a reference, a literal, a parenthesised expression or a function call."""
        kind, value = self.peek()
        self.at += 1
        if kind == "ref" or kind == "path":
            return Ref(value)
        if kind in ("string", "numeral"):
            return value
        if (kind, value) == ("punct", "("):
            inner = self.expression()
            self.take("punct", ")")
            return inner
        if kind == "name" and value in ("true()", "false()"):
            return Node(value[:-2], ())
        if kind == "name" and self.peek() == ("punct", "("):
            self.at += 1
            args = [] if self.peek() == ("punct", ")") else [self.expression()]
            while self.peek() == ("punct", ","):
                self.at += 1
                args.append(self.expression())
            self.take("punct", ")")
            return Node(value, tuple(args))
        raise NotConvertible(value)


def parse(expression: str) -> Any:
    """Return the expression as a tree of ``Node``, ``Ref`` and literal strings."""
    parser = _Parser(tokens(expression))
    tree = parser.expression()
    if parser.peek()[0] != "end":
        raise NotConvertible(parser.peek()[1])
    return tree


def clauses(expression: str) -> list[Clause | None]:
    """Return one clause per ``and``-ed part of ``expression`` (None: not convertible)."""
    if expression.count("(") > MAX_PARENTHESES:
        return [None]  # deeper than any real condition; the parser recurses per level
    try:
        tree = parse(expression)
    except NotConvertible:
        return [None]
    if isinstance(tree, Node) and tree.kind == "and":
        return clauses_of_tree(tree)
    return [_clause(tree)]


def clauses_of_tree(tree: Node) -> list[Clause | None]:
    """Return the clauses of an ``and`` node (nested ``and`` flattened)."""
    found: list[Clause | None] = []
    for part in tree.args:
        if isinstance(part, Node) and part.kind == "and":
            found.extend(clauses_of_tree(part))
        else:
            found.append(_clause(part))
    return found


def _clause(part: Any) -> Clause | None:
    try:
        return _convert(part)
    except NotConvertible:
        return None


def _convert(part: Any) -> Clause:
    if not isinstance(part, Node):
        raise NotConvertible(str(part))
    if part.kind == "or":
        pieces = [_convert(p) for p in part.args]
        names = {p.question for p in pieces}
        if len(names) != 1 or any(p.values is None or p.negated for p in pieces):
            raise NotConvertible("or")
        values = tuple(dict.fromkeys(v for p in pieces for v in p.values or ()))
        return Clause(pieces[0].question, values, all(p.exact for p in pieces))
    if part.kind == "selected" and len(part.args) == 2:
        target, value = part.args
        if isinstance(target, Ref) and isinstance(value, str):
            return Clause(target.name, (value,))
    if part.kind in ("=", "!=", *ORDERING) and len(part.args) == 2:
        return _comparison(part.kind, *part.args)
    if part.kind == "not" and len(part.args) == 1:
        inner = _convert(part.args[0])
        if inner.values is not None and inner.exact and not inner.negated:
            return Clause(inner.question, inner.values, negated=True)
    raise NotConvertible(part.kind)


def _comparison(operator: str, left: Any, right: Any) -> Clause:
    if isinstance(right, Ref | Node) and isinstance(left, str):
        left, right = right, left
        operator = {">": "<", "<": ">", ">=": "<=", "<=": ">="}.get(operator, operator)
    if not isinstance(right, str):
        raise NotConvertible(operator)
    if isinstance(left, Ref):
        if operator == "=" and right != "":
            return Clause(left.name, (right,))
        if operator == "!=" and right == "":
            return Clause(left.name, None)
        if operator == "!=":
            return Clause(left.name, (right,), negated=True)
        if operator in ORDERING and _is_number(right):
            return Clause(left.name, None, exact=False)
    if (
        isinstance(left, Node)
        and left.kind in ("count-selected", "string-length")
        and len(left.args) == 1
        and isinstance(left.args[0], Ref)
        and _is_number(right)
    ):
        name, limit = left.args[0].name, float(right)
        if (operator, limit) in ((">", 0), (">=", 1), ("!=", 0)):
            return Clause(name, None)
        if operator in (">", ">=") and limit > 0:
            return Clause(name, None, exact=False)
    raise NotConvertible(operator)


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(?:\.\d+)?", text))


def combine(
    found: list[Clause | None], held: Callable[[str], list[Clause]] | None = None
) -> tuple[Clause | None, bool]:
    """Return the one clause to write and whether it says all that ``found`` says.

    Clauses on the same question are intersected. When several questions remain, a
    clause on a question that is itself only shown when all the others hold (``held``
    returns what holds whenever a question is shown: a hidden question's answer is
    discarded) says everything. Otherwise the narrowest clause is kept (options before
    ``answered``): the question is shown in every case the form shows it, and in more.
    """
    exact = all(c is not None and c.exact for c in found)
    merged: dict[str, Clause] = {}
    for clause in found:
        if clause is None:
            continue
        before = merged.get(clause.question)
        merged[clause.question] = clause if before is None else _intersect(before, clause)
    usable = [c for c in merged.values() if c.values != ()]
    if len(usable) != len(merged):
        exact = False
    if not usable:
        return None, False
    ranked = sorted(usable, key=lambda c: (c.values is None, not c.exact))
    for candidate in ranked:
        facts = held(candidate.question) if held else []
        others = [c for c in usable if c is not candidate]
        if all(any(_implies(fact, other) for fact in facts) for other in others):
            return candidate, exact
    return ranked[0], False


def _implies(fact: Clause, wanted: Clause) -> bool:
    """Say whether ``wanted`` holds whenever ``fact`` does."""
    if fact.question != wanted.question:
        return False
    if wanted.values is None:
        return True
    return fact.values is not None and set(fact.values) <= set(wanted.values)


def _intersect(first: Clause, second: Clause) -> Clause:
    exact = first.exact and second.exact
    if first.values is None:
        return Clause(first.question, second.values, exact)
    if second.values is None:
        return Clause(first.question, first.values, exact)
    values = tuple(v for v in first.values if v in second.values)
    return Clause(first.question, values, exact)
