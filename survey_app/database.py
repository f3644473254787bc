"""Database engine set-up: SQLite pragmas and IMMEDIATE write transactions.

SQLite's Python driver begins transactions lazily and DEFERRED; a transaction that
reads and then writes can then fail with "database is locked" when another worker
wrote in between, whatever the busy timeout. So the driver's own transaction
handling is switched off and we emit BEGIN ourselves: IMMEDIATE for any request
that may write (every non-GET request, every command), DEFERRED for page reads.
A connection may ask for its own mode with the execution option ``sqlite_begin``
(the summary cache writes in a short IMMEDIATE transaction during page reads).
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

#: Request methods whose transactions only read.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def sqlite_engine_options(uri: str, options: dict[str, Any]) -> dict[str, Any]:
    """Return engine options for SQLite: a busy timeout and thread sharing."""
    if not uri.startswith("sqlite"):
        return options
    connect_args = dict(options.get("connect_args", {}))
    connect_args.setdefault("timeout", 30)
    connect_args.setdefault("check_same_thread", False)
    return {**options, "connect_args": connect_args}


def configure_sqlite(engine: Engine) -> None:
    """Turn on WAL, foreign keys and explicit BEGIN for an SQLite engine."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin") or transaction_mode()
        connection.exec_driver_sql(f"BEGIN {mode}")


def transaction_mode() -> str:
    """Return DEFERRED for read-only requests, IMMEDIATE for everything else."""
    if has_request_context() and request.method in READ_METHODS:
        return "DEFERRED"
    return "IMMEDIATE"
