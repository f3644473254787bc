"""Read YAML while remembering the line of every mapping key and list item."""

from __future__ import annotations

from typing import Any

import yaml

from survey_app.definition.errors import S_, Detail, InstrumentProblem, InvalidInstrument, problem

#: libyaml's safe loader where PyYAML was built with it (about ten times faster than the
#: pure-Python one, so a large upload does not keep a worker busy), else PyYAML's own.
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: A location inside the document: mapping keys and list indexes.
Path = tuple[str | int, ...]
#: At most this many values once aliases (``*name``) are expanded: a few kilobytes of
#: nested aliases could otherwise stand for billions of values ("billion laughs").
MAX_EXPANDED_NODES = 200_000


def read_yaml(text: str, filename: str) -> tuple[Any, dict[Path, int]]:
    """Parse ``text`` safely; return the data and a map from path to 1-based line."""
    loader = SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InvalidInstrument([problem(filename, 1, "", S_("the file is empty"))])
        if expanded_size(node) > MAX_EXPANDED_NODES:
            raise InvalidInstrument(
                [
                    problem(
                        filename, 1, "", S_("too many values once its aliases (*name) are expanded")
                    )
                ]
            )
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise InvalidInstrument(
            [problem(filename, line, "", S_("not valid YAML: %(reason)s"), reason=Detail(message))]
        ) from None
    except yaml.YAMLError as exc:
        raise InvalidInstrument(
            [problem(filename, 1, "", S_("not valid YAML: %(reason)s"), reason=Detail(exc))]
        ) from None
    except RecursionError:
        raise InvalidInstrument(
            [problem(filename, 1, "", S_("nested too deeply to be a questionnaire"))]
        ) from None
    finally:
        loader.dispose()
    lines: dict[Path, int] = {}
    duplicates: list[InstrumentProblem] = []
    _record_lines(node, (), lines, duplicates, filename)
    if duplicates:
        raise InvalidInstrument(duplicates)
    return data, lines


def _record_lines(
    node: yaml.Node,
    path: Path,
    lines: dict[Path, int],
    duplicates: list[InstrumentProblem],
    filename: str,
) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = (*path, key)
            if key in seen:
                duplicates.append(
                    problem(
                        filename,
                        key_node.start_mark.line + 1,
                        ".".join(str(p) for p in child),
                        S_("this key appears twice in the same block"),
                    )
                )
            seen.add(key)
            lines[child] = key_node.start_mark.line + 1
            _record_lines(value_node, child, lines, duplicates, filename)
            lines[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), lines, duplicates, filename)


def expanded_size(node: yaml.Node) -> int:
    """Return the number of values under ``node`` with every alias expanded.

    Counted once per distinct node, so that a document built to explode stays cheap.
    """
    sizes: dict[int, int] = {}

    def size(current: yaml.Node, depth: int) -> int:
        known = sizes.get(id(current))
        if known is not None:
            return known
        if depth > 200:
            return MAX_EXPANDED_NODES + 1  # nested deeper than any questionnaire
        total = 1
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                total += size(key_node, depth + 1) + size(value_node, depth + 1)
        elif isinstance(current, yaml.SequenceNode):
            for item in current.value:
                total += size(item, depth + 1)
        sizes[id(current)] = total
        return total

    return size(node, 0)
