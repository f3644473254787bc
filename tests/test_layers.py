"""Dependencies point one way: every import of the app goes to its own layer or a lower one.

Every module under ``survey_app/`` is parsed (every import: at module level, inside
functions and under ``TYPE_CHECKING``) and mapped to its package in ``LAYERS``. The
test fails on an import of a higher layer, on a cycle between packages, and on an
import of a blueprint from outside it (only the app factory registers blueprints).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import survey_app

ROOT = Path(survey_app.__file__).parent

#: The packages (or single modules) of each layer, bottom first. A package may import
#: its own layer and the ones below.
LAYERS: list[tuple[str, ...]] = [
    # 0: models and helpers that know no question, instrument or blueprint;
    # ``stats`` is pure statistics and ``disclosure`` pure disclosure control: neither
    # imports anything of the app.
    (
        "survey_app.extensions",
        "survey_app.config",
        "survey_app.database",
        "survey_app.models",
        "survey_app.audit",
        "survey_app.errors",
        "survey_app.ids",
        "survey_app.incoming",
        "survey_app.security",
        "survey_app.migrate",
        "survey_app.migrations",
        "survey_app.serving",
        "survey_app.jobs",
        "survey_app.throttle",
        "survey_app.stats",
        "survey_app.disclosure",
        "survey_app.mail",
        "survey_app.site_settings",
    ),
    # 1: the instrument definition. ``i18n`` sits here, not below: it shows definition
    # texts (``text_in``, right-to-left languages) in the language of a request.
    ("survey_app.definition", "survey_app.i18n"),
    # 2: the question-type registry.
    ("survey_app.questions",),
    # 3: instrument files: parsing with the types, snapshots, uploads, XLSForm, diffs.
    ("survey_app.instruments",),
    # 4: the domain packages.
    ("survey_app.workshops", "survey_app.responses", "survey_app.accounts"),
    # 5: the results engine.
    ("survey_app.results",),
    # 6: what is built from results.
    ("survey_app.briefing", "survey_app.exports", "survey_app.demo"),
    # 7: blueprints (views, forms, thin glue).
    (
        "survey_app.participate",
        "survey_app.facilitate",
        "survey_app.auth",
        "survey_app.api",
        "survey_app.vendor",
    ),
    # 8: the app: ``create_app`` and its command line, one unit (see ``APP_MODULES``).
    ("survey_app",),
]
LAYER_OF = {package: layer for layer, packages in enumerate(LAYERS) for package in packages}
#: The app factory registers the command line's commands, and the command line
#: (``survey-app``) starts the factory: both are the package ``survey_app`` itself.
APP_MODULES = frozenset({"survey_app", "survey_app.cli"})
#: Only the app factory and a blueprint's own modules may import these.
BLUEPRINTS = frozenset(LAYERS[7])
FACTORY = "survey_app"


@dataclass(frozen=True)
class Import:
    """One import statement's target, where it is written."""

    module: str
    line: int
    target: str


def module_sources(root: Path = ROOT) -> dict[str, str]:
    """Return ``{dotted module name: source}`` of every module of the package."""
    sources = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        sources[".".join(parts)] = path.read_text(encoding="utf-8")
    return sources


def imports_of(module: str, source: str, modules: frozenset[str]) -> Iterator[Import]:
    """Yield every import of an app module in ``source``, wherever it is written."""
    is_package = any(other.startswith(module + ".") for other in modules)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                yield Import(module, node.lineno, submodule if submodule in modules else base)


def package_of(module: str) -> str | None:
    """Return the entry of ``LAYERS`` that ``module`` belongs to (None if it has none)."""
    if module in APP_MODULES:
        return FACTORY
    owners = [p for p in LAYER_OF if p != FACTORY and (module == p or module.startswith(p + "."))]
    return max(owners, key=len) if owners else None


def app_imports(sources: dict[str, str]) -> list[Import]:
    """Return every import of one app module by another (once per statement and target)."""
    modules = frozenset(sources)
    found = {
        one: None
        for module, source in sources.items()
        for one in imports_of(module, source, modules)
        if one.target == FACTORY or one.target.startswith(FACTORY + ".")
    }
    return list(found)


def upward_imports(sources: dict[str, str]) -> list[str]:
    """Return ``module:line imports target`` for each import of a higher layer."""
    found = []
    for one in app_imports(sources):
        source, target = package_of(one.module), package_of(one.target)
        if source is None or target is None or source == target:
            continue
        if LAYER_OF[target] > LAYER_OF[source]:
            found.append(
                f"{one.module}:{one.line} imports {one.target} "
                f"(layer {LAYER_OF[source]} -> {LAYER_OF[target]})"
            )
    return found


def package_cycles(sources: dict[str, str]) -> list[list[str]]:
    """Return the groups of packages that import each other (strongly connected)."""
    graph: dict[str, set[str]] = {package: set() for package in LAYER_OF}
    for one in app_imports(sources):
        source, target = package_of(one.module), package_of(one.target)
        if source is not None and target is not None and source != target:
            graph[source].add(target)
    return [sorted(group) for group in _strongly_connected(graph) if len(group) > 1]


def blueprint_imports(sources: dict[str, str]) -> list[str]:
    """Return ``module:line imports target`` for each import of another blueprint."""
    found = []
    for one in app_imports(sources):
        target = package_of(one.target)
        if target in BLUEPRINTS and one.module != FACTORY and package_of(one.module) != target:
            found.append(f"{one.module}:{one.line} imports {one.target}")
    return found


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Return the strongly connected components of ``graph`` (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_every_module_belongs_to_a_layer():
    assert [m for m in module_sources() if package_of(m) is None] == []


def test_no_import_points_up():
    assert upward_imports(module_sources()) == []


def test_no_cycle_between_packages():
    assert package_cycles(module_sources()) == []


def test_nothing_imports_a_blueprint_but_the_app_factory():
    assert blueprint_imports(module_sources()) == []


def test_the_checks_find_what_they_look_for():
    sources = {
        "survey_app.questions.bad": "def f():\n    from survey_app.results.cache import x\n",
        "survey_app.results.cache": "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from ..questions import bad\n",
        "survey_app.exports.bad": "import survey_app.facilitate.views\n",
        "survey_app.facilitate.views": "from . import forms\n",
        "survey_app.facilitate.forms": "",
        "survey_app.questions": "",
    }
    assert upward_imports(sources) == [
        "survey_app.questions.bad:2 imports survey_app.results.cache (layer 2 -> 5)",
        "survey_app.exports.bad:1 imports survey_app.facilitate.views (layer 6 -> 7)",
    ]
    assert package_cycles(sources) == [["survey_app.questions", "survey_app.results"]]
    assert blueprint_imports(sources) == [
        "survey_app.exports.bad:1 imports survey_app.facilitate.views"
    ]
