"""Briefing records: cache keys, finding a cached PDF, recording a new one.

A briefing is served again from the database while its ``cache_key`` matches:
same workshops and options (``scope_key``), same data (``digest.data_hash``: the
protected tables, approved quotes, instrument version and k it prints from), same
template files, names and PDF metadata, and the same program (``code_hash``: a
new release that lays charts or tables out otherwise builds anew). Only the newest
PDF of a ``scope_key`` keeps its bytes; older records stay (who, when, what) without
them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, undefer

from survey_app.models import Briefing


def _digest(*parts: Any) -> str:
    payload = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


@cache
def code_hash() -> str:
    """Return a hash of the program's own source files (read once per process)."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def scope_key(
    workshop_ids: list[int],
    language: str,
    template: str,
    breakdown: str | None,
    tables_only: bool,
    series_id: int | None = None,
) -> str:
    """Return the hash of what was asked: a series' briefing is not its one workshop's."""
    return _digest(sorted(workshop_ids), language, template, breakdown, tables_only, series_id)


def cache_key(
    scope: str,
    data: str,
    template_hash: str,
    names: Any = None,
    metadata: Mapping[str, str] | None = None,
) -> str:
    """Return the hash of everything that shapes the PDF.

    ``names``: titles and places of the workshops; ``metadata``: the PDF's own
    entries (``stamp.Stamp.entries``).
    """
    return _digest(scope, data, template_hash, code_hash(), names, dict(metadata or {}))


def find_cached(session: Session, scope: str, key: str) -> Briefing | None:
    """Return the newest briefing with this cache key that still has its PDF."""
    return session.scalar(
        select(Briefing)
        .options(undefer(Briefing.pdf))
        .where(Briefing.scope_key == scope, Briefing.cache_key == key, Briefing.pdf.is_not(None))
        .order_by(Briefing.id.desc())
        .limit(1)
    )


def record_briefing(session: Session, briefing: Briefing) -> Briefing:
    """Add ``briefing``; drop the PDF bytes of older ones of the same scope (flushes)."""
    session.add(briefing)
    session.flush()
    session.execute(
        update(Briefing)
        .where(
            Briefing.scope_key == briefing.scope_key,
            Briefing.id != briefing.id,
            Briefing.pdf.is_not(None),
        )
        .values(pdf=None)
        .execution_options(synchronize_session=False)
    )
    return briefing
