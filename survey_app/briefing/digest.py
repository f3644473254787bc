"""The data hash of a briefing: a digest of exactly what it prints from.

A briefing prints its numbers from the protected tables of its scope (the suppressed
summary, the comparison across its workshops, the breakdown groups: whatever the
results engine returns, taken as opaque JSON; the text questions' theme counts are
part of the summary), its quotes from the approved quotes (with everything printed
beside them), and names the instrument version and k. The hash is the SHA-256 of the
canonical JSON of all of these (sorted keys, floats as Python writes them), so it
changes whenever one of them changes and never otherwise: response ids, row counts
or the time of a build do not enter it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.orm import Session

from survey_app.briefing.context import (
    BriefingScope,
    Parts,
    briefing_summary,
    check_breakdown,
    fetch_parts,
)
from survey_app.briefing.quotes import Quote, approved_quotes
from survey_app.results import ResultSettings, Scope

#: Bumped whenever what enters the digest changes shape (old PDFs then never match).
DIGEST_FORMAT = 2
#: Hex digits of the SHA-256 kept (128 bits).
HASH_LENGTH = 32


@dataclass(frozen=True)
class PrintedData:
    """What a briefing prints from: its protected tables and approved quotes."""

    summary: dict[str, Any]
    parts: Parts
    quotes: list[Quote]


def canonical_json(value: Any) -> str:
    """Return ``value`` as canonical JSON: sorted keys, no spaces, floats unrounded.

    Dates and anything else JSON has no type for are written as ``str()`` gives them.
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def data_hash(scope: BriefingScope, printed: PrintedData, k: int) -> str:
    """Return the digest of what a briefing of ``scope`` prints from (see the module)."""
    payload = {
        "format": DIGEST_FORMAT,
        "workshops": scope.ids,
        "instrument": {
            "key": scope.version.key,
            "version": scope.version.version,
            "source_hash": scope.version.source_hash,
        },
        "k": k,
        "summary": printed.summary,
        "comparison": printed.parts.comparison,
        "breakdown": printed.parts.breakdown,
        "quotes": [asdict(quote) for quote in printed.quotes],
    }
    digest = hashlib.sha256(canonical_json(payload).encode())
    return digest.hexdigest()[:HASH_LENGTH]


def read_printed_data(
    session: Session, scope: BriefingScope, settings: ResultSettings, breakdown: str | None
) -> PrintedData:
    """Read what a briefing of ``scope`` would print from now, one part after the other.

    The build reads the same in two threads (``build.get_briefing``); this is for
    checking a PDF against the database (``verify``). Call it in a read transaction.
    """
    check_breakdown(scope.instrument, breakdown)
    summary = briefing_summary(scope.instrument, Scope.of(scope.ids), session, settings)
    parts = fetch_parts(session, scope.instrument, scope.ids, settings, breakdown)
    return PrintedData(summary, parts, approved_quotes(scope.ids))
