"""Queries on the key_pairs table (a user's keys, not soft-deleted)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from minova import exception
from minova.db import api as db_api
from minova.db import models

_KEYS = models.KeyPair.__table__


def get(db: db_api.Database, user_id: str, name: str) -> sa.Row:
    with db.reader() as connection:
        row = connection.execute(sa.select(_KEYS).where(
            _KEYS.c.user_id == user_id, _KEYS.c.name == name)).first()
    if row is None:
        raise exception.KeypairNotFound(user_id=user_id, name=name)
    return row


def get_all(db: db_api.Database, user_id: str, *,
            limit: int | None = None,
            marker: str | None = None) -> list[sa.Row]:
    """The user's keys by name (2.35: ``limit``, ``marker`` a name)."""
    query = sa.select(_KEYS).where(_KEYS.c.user_id == user_id)
    if marker is not None:
        try:
            get(db, user_id, marker)
        except exception.KeypairNotFound as exc:
            raise exception.InvalidMarker(marker=marker) from exc
        query = query.where(_KEYS.c.name > marker)
    query = query.order_by(_KEYS.c.name)
    if limit is not None:
        query = query.limit(limit)
    with db.reader() as connection:
        return connection.execute(query).all()


def create(db: db_api.Database, values: dict[str, Any],
           check_count: Callable[[int], None]) -> sa.Row:
    """Insert a key; ``check_count`` gets the user's count of keys first,
    in the same transaction, and raises if one more is over quota."""
    try:
        with db.writer() as connection:
            count = connection.execute(
                sa.select(sa.func.count(_KEYS.c.id)).where(
                    _KEYS.c.user_id == values["user_id"])).scalar_one()
            check_count(count)
            result = connection.execute(sa.insert(_KEYS).values(**values))
            return connection.execute(sa.select(_KEYS).where(
                _KEYS.c.id == result.inserted_primary_key[0])).one()
    except sa_exc.IntegrityError as exc:
        raise exception.KeyPairExists(key_name=values["name"]) from exc


def count(db: db_api.Database, user_id: str) -> int:
    with db.reader() as connection:
        return connection.execute(
            sa.select(sa.func.count(_KEYS.c.id)).where(
                _KEYS.c.user_id == user_id)).scalar_one()


def destroy(db: db_api.Database, user_id: str, name: str) -> None:
    with db.writer() as connection:
        result = connection.execute(sa.delete(_KEYS).where(
            _KEYS.c.user_id == user_id, _KEYS.c.name == name))
    if not result.rowcount:
        raise exception.KeypairNotFound(user_id=user_id, name=name)
