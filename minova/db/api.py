"""The one DB session pattern of minova.

A ``Database`` owns an engine and hands out transactional sessions::

    with db.session() as session:   # commits on success, rolls back on error
        session.execute(...)

Reads that only fetch rows (the API's list calls) may use the cheaper
``db.reader()`` instead: a Core connection, no ORM unit of work; the rows
come back as ``sqlalchemy.Row`` (attributes by column name), not ORM
instances::

    with db.reader() as connection:
        rows = connection.execute(query).all()

and single-row writes on the hot path ``db.writer()``, the same
connection in a transaction that commits on exit.

Query modules (``minova.db.services`` and friends) take the ``Database``
as their first argument. Code that holds a request context gets the
database with ``from_context(context)``, which raises ``DBNotAllowed`` in a
service that may not use it (minova-compute).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import event
from sqlalchemy import orm

from minova import exception
from minova import metrics

LOG = logging.getLogger(__name__)


class Database:
    """An engine plus the session factory built on it."""

    def __init__(self, connection: str, *, max_pool_size: int = 20,
                 max_overflow: int = 40, pool_timeout: int = 30,
                 echo: bool = False) -> None:
        url = sa.engine.make_url(connection)
        self.url = url
        kwargs: dict[str, Any] = {"echo": echo, "future": True}
        if url.get_backend_name() == "sqlite":
            _ensure_sqlite_dir(url)
            # One connection per process: under eventlet every green thread
            # shares one OS thread, and SQLite's busy handler sleeps for
            # real, so a second writer would freeze the holder of the lock.
            # A one-connection pool makes green threads queue for it.
            kwargs.update(pool_size=1, max_overflow=0,
                          poolclass=sa.pool.QueuePool,
                          connect_args={"check_same_thread": False,
                                        "timeout": 30})
        else:
            # Connections are kept, not opened per transaction: overflow
            # connections are closed as soon as they are returned, so
            # under a burst of green threads they were a new MySQL
            # connection for most saves (docs/performance.md, "Boots").
            # LIFO hands out the connection used last, so the pool's
            # busy part stays warm and pre-ping rarely finds one stale.
            kwargs.update(pool_size=max_pool_size, max_overflow=max_overflow,
                          pool_use_lifo=True,
                          pool_timeout=pool_timeout, pool_pre_ping=True,
                          pool_recycle=3600)
        self.engine = sa.create_engine(url, **kwargs)
        if url.get_backend_name() == "sqlite":
            event.listen(self.engine, "connect", _sqlite_on_connect)
        event.listen(self.engine, "checkout", _on_checkout)
        event.listen(self.engine, "checkin", _on_checkin)
        self._sessionmaker = orm.sessionmaker(bind=self.engine,
                                              expire_on_commit=False)
        self._pid = os.getpid()

    @classmethod
    def from_conf(cls, conf: cfg.ConfigOpts) -> Database:
        return cls(conf.database.connection,
                   max_pool_size=conf.database.max_pool_size,
                   max_overflow=conf.database.max_overflow,
                   pool_timeout=conf.database.pool_timeout,
                   echo=conf.database.connection_debug)

    @contextlib.contextmanager
    def session(self) -> Iterator[orm.Session]:
        """A session in one transaction: commit on exit, rollback on error."""
        with self._sessionmaker.begin() as session:
            yield session

    def reader(self) -> sa.Connection:
        """A connection for Core selects, to use as a context manager;
        rolled back when returned to the pool.

        A session costs about 60 us more per query on SQLite (its
        transaction bookkeeping, the COMMIT) and ORM instances more
        again; a list read needs neither.
        """
        return self.engine.connect()

    @contextlib.contextmanager
    def writer(self) -> Iterator[sa.Connection]:
        """A connection in one transaction for Core statements: commit on
        exit, rollback on error. For hot single-row writes (an instance's
        save) where a session and ORM instances cost more than the SQL."""
        with self.engine.begin() as connection:
            yield connection

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        """One transaction for several query functions: the ``Database``
        it yields runs their ``writer()``, ``reader()`` and ``session()``
        on it. Commits on exit, rolls back on error.

        Each of a step's writes in a transaction of its own cost a pool
        checkout and a COMMIT apiece (on MariaDB also a pre-ping: two
        round trips), more than the statements themselves.
        """
        with self.engine.begin() as connection:
            yield _InTransaction(self, connection)

    def reset_after_fork(self) -> None:
        """In a forked worker, drop the pooled connections of the parent.

        ``close=False`` leaves the parent's sockets alone (the parent still
        owns them) and just forgets them here. In the process that made
        the engine this does nothing, so services sharing it are unharmed.
        """
        if os.getpid() != self._pid:
            self.engine.dispose(close=False)
            self._pid = os.getpid()

    def dispose(self) -> None:
        self.engine.dispose()


class _InTransaction(Database):
    """A ``Database`` whose every use joins one open transaction (see
    ``Database.transaction``); it commits or rolls back with it."""

    def __init__(self, db: Database, connection: sa.Connection) -> None:
        # Not Database.__init__: the engine and its pool are db's.
        self.url = db.url
        self.engine = db.engine
        self._sessionmaker = db._sessionmaker
        self._pid = db._pid
        self._connection = connection

    @contextlib.contextmanager
    def session(self) -> Iterator[orm.Session]:
        # A session on the transaction's connection: its commit at the
        # end of the block leaves the transaction open, an error rolls
        # it back (SQLAlchemy's default join_transaction_mode for a
        # connection already in a transaction) -- the whole transaction,
        # so an error in it must end the transaction too, not be caught
        # inside it. (Savepoints would isolate it, but pysqlite's own
        # transaction handling breaks them.)
        with orm.Session(bind=self._connection,
                         expire_on_commit=False) as session, \
                session.begin():
            yield session

    def reader(self) -> Any:
        return contextlib.nullcontext(self._connection)

    @contextlib.contextmanager
    def writer(self) -> Iterator[sa.Connection]:
        yield self._connection

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Database]:
        yield self

    def reset_after_fork(self) -> None:
        pass

    def dispose(self) -> None:
        pass


def from_context(context: Any) -> Database:
    """The database of the service handling ``context``.

    Raises ``DBNotAllowed`` where the service has none (minova-compute).
    """
    db = getattr(context, "db", None)
    if db is None:
        raise exception.DBNotAllowed(binary="this service")
    return db


def _ensure_sqlite_dir(url: sa.engine.URL) -> None:
    if url.database and url.database != ":memory:":
        os.makedirs(os.path.dirname(os.path.abspath(url.database)),
                    exist_ok=True)


def _sqlite_on_connect(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    # WAL lets readers in other processes (API workers) go on while one
    # process writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL still never corrupts the file; it may lose the
    # last commits on power loss (not on a process crash). FULL would
    # fsync every commit, and under eventlet that stalls the whole process
    # (minova-all: every service) for each write.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _on_checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    counter = metrics.get()
    if counter.enabled:
        counter.db_checkouts.inc()
        counter.db_checked_out.inc()


def _on_checkin(dbapi_connection: Any, record: Any) -> None:
    counter = metrics.get()
    if counter.enabled:
        counter.db_checked_out.dec()
