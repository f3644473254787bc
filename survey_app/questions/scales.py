"""Built-in likert scales (agree5, satisfied5, important5, frequency5), read from scales.yaml."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

SCALES_FILE = Path(__file__).with_name("scales.yaml")


@lru_cache(maxsize=1)
def _scales_file() -> dict[str, Any]:
    with SCALES_FILE.open(encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle))


def builtin_scales() -> dict[str, list[dict[str, Any]]]:
    """Return every built-in scale: name -> points ``{key, value, label: {lang: text}}``."""
    return dict(_scales_file()["scales"])


def dont_know_labels() -> dict[str, str]:
    """Return the default label of "don't know" by language."""
    return dict(_scales_file()["dont_know"])
