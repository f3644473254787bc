"""Fixtures of the modules that attack what is published as a viewer would.

What is published is the same on both databases (the results tests count on both),
so these modules run on SQLite only, each test with decisions made afresh.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from survey_app.results.protection import clear_cache


@pytest.fixture
def database_url(tmp_path: Path, sqlite_template: Path) -> str:
    """SQLite only: a copy of the migrated template database."""
    path = tmp_path / "survey.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(autouse=True)
def fresh_decisions() -> None:
    """Forget the decisions cached by earlier tests."""
    clear_cache()
