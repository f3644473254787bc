"""Snapshot instrument versions in the database and read them back."""

from __future__ import annotations

import hashlib
from functools import lru_cache

import yaml
from sqlalchemy import select

from survey_app.definition.errors import S_, InvalidInstrument, problem
from survey_app.definition.model import Instrument, text_in
from survey_app.extensions import db
from survey_app.instruments.parse import parse_instrument_file, parse_instrument_text
from survey_app.models import InstrumentVersion


def store_instrument_file(path: str) -> tuple[InstrumentVersion, bool]:
    """Check the file at ``path`` and snapshot it; return the version and if it is new."""
    instrument, source = parse_instrument_file(path)
    return store_instrument(instrument, source, path)


def store_instrument(
    instrument: Instrument, source: str, filename: str, version_line: int = 1
) -> tuple[InstrumentVersion, bool]:
    """Snapshot a checked instrument with its source text; return the version and if it is new.

    The same key and version with the same text is a no-op. The same key and version
    with different text is refused (the problem points at ``version_line``): workshops
    that used it must keep their wording.
    """
    source_hash = hashlib.sha256(source.encode()).hexdigest()
    existing = db.session.scalar(
        select(InstrumentVersion).filter_by(key=instrument.key, version=instrument.version)
    )
    if existing is not None:
        if existing.source_hash == source_hash:
            return existing, False
        raise InvalidInstrument(
            [
                problem(
                    filename,
                    version_line,
                    "version",
                    S_(
                        "'%(key)s' version %(version)d is already loaded with other content; "
                        "give the changed file a new version number"
                    ),
                    key=instrument.key,
                    version=instrument.version,
                )
            ]
        )
    snapshot = InstrumentVersion(
        key=instrument.key,
        version=instrument.version,
        title=text_in(instrument.title, instrument.default_language),
        definition=yaml.safe_load(source),
        source=source,
        source_hash=source_hash,
    )
    db.session.add(snapshot)
    db.session.flush()
    return snapshot, True


def instrument_of(snapshot: InstrumentVersion) -> Instrument:
    """Return the ``Instrument`` of a stored version (parsed once per process)."""
    return _build_cached(snapshot.source_hash, snapshot.source)


def instrument_by_id(version_id: int) -> Instrument:
    """Return the ``Instrument`` of a stored version, reading its text only once.

    Versions never change once stored, so only the hash is read per request; the
    text is fetched and parsed when this process has not seen that hash yet.
    """
    source_hash = db.session.scalar(
        select(InstrumentVersion.source_hash).where(InstrumentVersion.id == version_id)
    )
    if source_hash is None:
        raise KeyError(version_id)
    return instrument_by_hash(version_id, source_hash)


def instrument_by_hash(version_id: int, source_hash: str) -> Instrument:
    """Return the ``Instrument`` of a stored version whose hash the caller already read."""
    cached = _parsed_by_hash.get(source_hash)
    if cached is None:
        source = db.session.scalar(
            select(InstrumentVersion.source).where(InstrumentVersion.id == version_id)
        )
        cached = _parsed_by_hash[source_hash] = _build_cached(source_hash, source or "")
    return cached


#: Parsed instruments by source hash (a process keeps the few it serves).
_parsed_by_hash: dict[str, Instrument] = {}


@lru_cache(maxsize=64)
def _build_cached(source_hash: str, source: str) -> Instrument:
    return parse_instrument_text(source, f"snapshot {source_hash[:12]}", stored=True)


def latest_version(key: str) -> InstrumentVersion | None:
    """Return the highest stored version of the instrument ``key``."""
    return db.session.scalar(
        select(InstrumentVersion)
        .filter_by(key=key)
        .order_by(InstrumentVersion.version.desc())
        .limit(1)
    )
