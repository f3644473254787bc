"""Checking a large questionnaire upload: how long a worker is busy before it answers.

Builds a YAML file just under the upload limit (1 MB, about 8,000 single-choice
questions), then times ``check_upload`` (reading with line numbers, validating) with
libyaml's loader, as the app uses it, and with PyYAML's pure-Python loader, in the same
run; prints both and their ratio. Run: ``.venv/bin/python bench/upload_check.py``.
"""

from __future__ import annotations

import statistics
import time

import yaml

from survey_app.definition import source
from survey_app.instruments.upload import MAX_UPLOAD_BYTES, check_upload

HEAD = (
    "key: big\nversion: 1\ntitle: {en: Big}\nlanguages: [en]\n"
    "sections:\n  - key: s\n    questions:\n"
)
QUESTION = (
    "      - {key: q%d, type: single_choice, label: {en: 'Question %d'},"
    " options: [{key: a, label: {en: A}}, {key: b, label: {en: B}}]}\n"
)


def large_file() -> bytes:
    """Return a valid questionnaire of whole questions, as close to the limit as fits."""
    lines = [HEAD.encode()]
    size = len(lines[0])
    number = 0
    while True:
        line = (QUESTION % (number, number)).encode()
        if size + len(line) > MAX_UPLOAD_BYTES:
            return b"".join(lines)
        lines.append(line)
        size += len(line)
        number += 1


def seconds(data: bytes, loader: object, runs: int = 3) -> float:
    """Return the median seconds of ``check_upload`` with ``loader``."""
    source.SAFE_LOADER = loader
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        check_upload("large.yaml", data)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    data = large_file()
    fast = seconds(data, getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    slow = seconds(data, yaml.SafeLoader)
    print(f"upload of {len(data) / 1e6:.2f} MB ({data.count(b'- {key:')} questions)")
    print(f"  libyaml loader (used):   {fast:6.2f} s")
    print(f"  pure-Python loader:      {slow:6.2f} s")
    print(f"  ratio: {slow / fast:.1f}x")


if __name__ == "__main__":
    main()
