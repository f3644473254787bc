"""Database engine set-up, explicit read and write transactions, and what differs by database.

SQLite's Python driver begins transactions lazily and DEFERRED; a transaction that
reads and then writes can then fail with "database is locked" when another worker
wrote in between, whatever the busy timeout. So the driver's own transaction
handling is switched off and we emit BEGIN ourselves: IMMEDIATE for any request
that may write (every non-GET request, every command), DEFERRED for page reads.
A connection may ask for its own mode with the execution option ``sqlite_begin``
(the summary cache writes in a short IMMEDIATE transaction during page reads).

Code that is not a request says what it does with the session's transactions:
``read_transaction`` (on SQLite a DEFERRED transaction, which takes no write lock, so
submissions go on while a long read such as a briefing runs) and ``write_transaction``
(on SQLite BEGIN IMMEDIATE: it waits for the write lock up front instead of failing
half-way). On PostgreSQL both are ordinary transactions.

Everything that depends on which database this is (SQLite or PostgreSQL) is decided
in this module; the rest of the code asks its functions.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, scoped_session

View = TypeVar("View", bound=Callable[..., Any])

#: Request methods whose transactions only read.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: How long an SQLite connection waits for the write lock, in milliseconds.
BUSY_TIMEOUT_MS = 30000
#: SQLAlchemy's text form of a DateTime on SQLite (so raw and ORM rows look alike).
SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"


def sqlite_engine_options(uri: str, options: dict[str, Any]) -> dict[str, Any]:
    """Return engine options for SQLite: a busy timeout and thread sharing."""
    if not uri.startswith("sqlite"):
        return options
    connect_args = dict(options.get("connect_args", {}))
    connect_args.setdefault("timeout", 30)
    connect_args.setdefault("check_same_thread", False)
    return {**options, "connect_args": connect_args}


def protect_database_file(path: str) -> None:
    """Make the SQLite file at ``path`` (created if missing) and its WAL and shared-memory
    files readable and writable by this user only (``0600``): they hold every answer.

    SQLite gives a new ``-wal`` or ``-shm`` file the main file's permissions.
    """
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(descriptor)
    for name in (path, f"{path}-wal", f"{path}-shm"):
        if os.path.exists(name):
            os.chmod(name, 0o600)


def configure_sqlite(engine: Engine) -> None:
    """Turn on WAL, foreign keys and explicit BEGIN for an SQLite engine; its file (and
    WAL) for this user only."""
    if not _is_sqlite(engine):
        return
    if (
        engine.url.database
        and engine.url.database != ":memory:"
        and "mode=memory" not in str(engine.url)
    ):
        protect_database_file(engine.url.database)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin") or transaction_mode()
        connection.exec_driver_sql(f"BEGIN {mode}")


def transaction_mode() -> str:
    """Return DEFERRED for read-only requests, IMMEDIATE for everything else.

    A view marked ``reads_first`` reads DEFERRED and writes in ``write_transaction``;
    ``read_transaction`` and ``write_transaction`` choose the mode of their block.
    """
    chosen = g.get("sqlite_begin") if has_app_context() else None
    if chosen:
        return str(chosen)
    if has_request_context() and request.method in READ_METHODS:
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
def read_transaction(session: Session | scoped_session[Any]) -> Iterator[None]:
    """Read in the block in a transaction of its own, and end it afterwards (rolled back).

    On SQLite the transaction begins DEFERRED: it takes no write lock, so other
    connections go on writing while the block reads (it sees the data as of its first
    query). On PostgreSQL it is an ordinary transaction. For commands and threads,
    which otherwise begin IMMEDIATE (write) transactions; page reads (GET requests)
    are read transactions already. Needs an app context; call it between transactions
    (the mode of one in progress cannot change any more).
    """
    real = _real_session(session)
    if real.in_transaction():
        raise RuntimeError("read_transaction: a transaction is in progress; end it first")
    previous = g.get("sqlite_begin")
    g.sqlite_begin = "DEFERRED"
    try:
        yield
    finally:
        real.rollback()  # nothing to keep: the block only read
        g.sqlite_begin = previous


@contextmanager
def write_transaction(session: Session | scoped_session[Any]) -> Iterator[None]:
    """Write the block in a short transaction of its own, then commit it.

    On SQLite, ends the request's read transaction first, and the write transaction
    begins IMMEDIATE, so it waits for the lock instead of failing; what follows reads
    DEFERRED again. Other databases go on in the same transaction. Nothing loaded is
    expired by the commits: the page rendered afterwards needs no second query.
    Needs an app context (a request, a command or a thread's own).
    """
    previous = g.get("sqlite_begin")
    real = _real_session(session)
    expire = real.expire_on_commit
    real.expire_on_commit = False
    try:
        if _is_sqlite(real.get_bind()):
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


def holds_write_lock(session: Session) -> bool:
    """Say whether the session's transaction takes the database's write lock.

    True on SQLite outside read transactions (BEGIN IMMEDIATE): a second connection
    of this thread that writes would wait for this one. PostgreSQL locks rows, not the
    database: False.
    """
    return _is_sqlite(session.get_bind()) and transaction_mode() == "IMMEDIATE"


@contextmanager
def short_write_transaction(session: Session, lock_wait_ms: int) -> Iterator[Connection]:
    """Yield a connection of its own in a write transaction that waits briefly for locks.

    Committed at the end of the block, rolled back on an error. A lock held longer
    than ``lock_wait_ms`` raises ``OperationalError`` (on SQLite the write lock,
    ``busy_timeout``; on PostgreSQL row locks, ``lock_timeout``): for writes that may
    be given up, such as caches, while the caller's own transaction goes on.
    """
    sqlite = _is_sqlite(session.get_bind())
    engine = session.get_bind()
    with engine.connect().execution_options(sqlite_begin="IMMEDIATE") as connection:
        if sqlite:  # on the driver's connection: SQLAlchemy would begin a transaction
            connection.connection.driver_connection.execute(f"PRAGMA busy_timeout={lock_wait_ms}")
        try:
            with connection.begin():
                if not sqlite:
                    connection.execute(text(f"SET LOCAL lock_timeout = {int(lock_wait_ms)}"))
                yield connection
        finally:
            if sqlite:
                driver = connection.connection.driver_connection
                driver.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def writing_session(session: Session) -> Session:
    """Return a new session on ``session``'s database whose transactions take the write lock.

    For a write beside the caller's own (read) transaction, such as recording a
    release while a briefing is read: on SQLite its transactions begin IMMEDIATE, so
    a read followed by a write waits for the lock instead of failing with "database
    is locked" when another connection wrote in between. The caller closes it.
    """
    bind = session.get_bind()
    if _is_sqlite(bind):
        bind = bind.execution_options(sqlite_begin="IMMEDIATE")
    return Session(bind)


@dataclass(frozen=True)
class DriverCursor:
    """A DB-API cursor in the session's transaction, and how to write SQL for its driver."""

    #: The driver's cursor; the caller closes it.
    cursor: Any
    #: The driver's parameter placeholder (``?`` for sqlite3, ``%s`` for psycopg).
    mark: str
    #: Whether values are stored as SQLAlchemy stores them on SQLite (see ``value``).
    sqlite: bool

    def value(self, value: Any) -> Any:
        """Return ``value`` as the driver should get it (on SQLite: bools as 0/1, text times)."""
        if not self.sqlite:
            return value
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, datetime):
            return value.strftime(SQLITE_DATETIME)
        return value


def driver_cursor(session: Session | scoped_session[Session]) -> DriverCursor:
    """Return a driver cursor inside the session's transaction (begins it if need be)."""
    connection = session.connection()
    sqlite = _is_sqlite(connection)
    return DriverCursor(connection.connection.cursor(), "?" if sqlite else "%s", sqlite)


def _is_sqlite(bind: Engine | Connection) -> bool:
    return bind.dialect.name == "sqlite"


def _real_session(session: Session | scoped_session[Session]) -> Session:
    return session() if isinstance(session, scoped_session) else session


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
