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

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, scoped_session

View = TypeVar("View", bound=Callable[..., Any])

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
    """Return DEFERRED for read-only requests, IMMEDIATE for everything else.

    A view marked ``reads_first`` reads DEFERRED and writes in ``write_transaction``.
    """
    if has_request_context():
        chosen = g.get("sqlite_begin")
        if chosen:
            return str(chosen)
        if request.method in READ_METHODS:
            return "DEFERRED"
    return "IMMEDIATE"


def reads_first(view: View) -> View:
    """Let a view that posts read without the write lock; it writes in ``write_transaction``.

    For the participants' submissions: SQLite has one write lock per database, and
    a request that took it at its first query would hold it while it parses the
    form and renders the page, so that submissions queue behind each other.
    """

    @wraps(view)
    def read_then_write(*args: Any, **kwargs: Any) -> Any:
        g.sqlite_begin = "DEFERRED"
        return view(*args, **kwargs)

    return read_then_write  # type: ignore[return-value]


@contextmanager
def write_transaction(session: Session | scoped_session[Session]) -> Iterator[None]:
    """Write the block in a short transaction of its own, then commit it.

    On SQLite, ends the request's read transaction first, and the write transaction
    begins IMMEDIATE, so it waits for the lock instead of failing; what follows reads
    DEFERRED again. Other databases go on in the same transaction. Nothing loaded is
    expired by the commits: the page rendered afterwards needs no second query.
    """
    previous = g.get("sqlite_begin")
    real = session() if isinstance(session, scoped_session) else session
    expire = real.expire_on_commit
    real.expire_on_commit = False
    try:
        if real.get_bind().dialect.name == "sqlite":
            real.commit()  # the read transaction (nothing written); elsewhere it goes on
        g.sqlite_begin = "IMMEDIATE"
        with _writer_queue(real):
            try:
                yield
                real.commit()
            except BaseException:
                real.rollback()
                raise
    finally:
        g.sqlite_begin = previous
        real.expire_on_commit = expire


@contextmanager
def _writer_queue(session: Session) -> Iterator[None]:
    """On SQLite, wait for the write lock in the kernel's queue, not by SQLite's polling.

    A busy SQLite connection sleeps 1, 2, 5, ... 100 ms between attempts, so under
    load the lock is often free while every writer sleeps. An exclusive ``flock``
    on a file next to the database wakes the next writer at once (any process,
    any thread); the transaction then finds SQLite's lock free.
    """
    url = session.get_bind().url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        yield
        return
    descriptor = os.open(f"{url.database}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock
