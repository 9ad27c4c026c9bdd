"""Queries on idempotency_keys: the answers ``POST /servers`` replays.

A key is claimed by inserting its row (no answer yet) in a transaction
of its own, so that the unique constraint on (project_id, key) decides
between racing requests and the loser sees the winner's row at once.
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from oslo_utils import timeutils

from minova.db import api as db_api
from minova.db import models

_TABLE = models.IdempotencyKey.__table__
_MATCH = sa.and_(_TABLE.c.project_id == sa.bindparam("match_project"),
                 _TABLE.c.key == sa.bindparam("match_key"))


def claim(db: db_api.Database, project_id: str, key: str,
          request_hash: str, ttl: datetime.timedelta) -> sa.Row | None:
    """None if this request now owns ``key``; else the row of the
    request that does (answered or still in flight). The project's keys
    older than ``ttl`` are forgotten first."""
    params = {"match_project": project_id, "match_key": key}
    for _attempt in range(3):
        now = timeutils.utcnow()
        with db.writer() as connection:
            # Per project, on the unique index's leading column.
            connection.execute(sa.delete(_TABLE).where(
                _TABLE.c.project_id == project_id,
                _TABLE.c.created_at < now - ttl))
        try:
            with db.writer() as connection:
                connection.execute(sa.insert(_TABLE), {
                    "project_id": project_id, "key": key,
                    "request_hash": request_hash, "created_at": now})
            return None
        except sa.exc.IntegrityError:
            pass
        with db.reader() as connection:
            row = connection.execute(sa.select(_TABLE).where(_MATCH),
                                     params).first()
        if row is not None:
            return row
        # Released (its request failed) in between: claim it again.
    raise RuntimeError("could not claim idempotency key %r" % key)


def complete(db: db_api.Database, project_id: str, key: str, status: int,
             headers: dict, body: str) -> None:
    with db.writer() as connection:
        connection.execute(
            sa.update(_TABLE).where(_MATCH).values(
                status=status, headers=headers, body=body),
            {"match_project": project_id, "match_key": key})


def release(db: db_api.Database, project_id: str, key: str) -> None:
    """Forget a claim whose request failed, so that a retry runs it."""
    with db.writer() as connection:
        connection.execute(
            sa.delete(_TABLE).where(_MATCH, _TABLE.c.status.is_(None)),
            {"match_project": project_id, "match_key": key})
