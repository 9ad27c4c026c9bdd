"""Helpers the query modules share: soft delete, sorting and paging."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from oslo_utils import timeutils

from minova import exception

# The id columns are INTEGER: 32 bits signed on MySQL and PostgreSQL, and
# a driver refuses to bind a Python int past 64 bits (SQLite raises
# OverflowError). No row has an id outside this range, so a lookup of one
# is answered "not found" without asking the database.
MAX_ID = 2 ** 31 - 1


def id_in_range(ident: int) -> bool:
    """Whether a row could have ``ident`` as its id."""
    return 0 < ident <= MAX_ID


def soft_delete_values(model: Any) -> dict:
    """What a soft delete sets: ``deleted`` to the row id, and when."""
    return {"deleted": model.id, "deleted_at": timeutils.utcnow()}


def live(model: Any, read_deleted: str = "no") -> sa.ColumnElement[bool]:
    """The rows a context may see: 'no' live ones, 'only' deleted ones,
    'yes' both."""
    if read_deleted == "yes":
        return sa.true()
    if read_deleted == "only":
        return model.deleted != 0
    return model.deleted == 0


def paginate(query: sa.Select, model: Any, *, sort_keys: list[str],
             sort_dirs: list[str], limit: int | None,
             marker_row: Any = None) -> sa.Select:
    """Order by ``sort_keys`` (then id, so pages are stable) and start
    after ``marker_row``: keyset paging as in oslo.db's paginate_query."""
    keys = list(sort_keys)
    dirs = list(sort_dirs)
    if "id" not in keys:
        keys.append("id")
        dirs.append(dirs[0] if dirs else "asc")
    columns = [getattr(model, key) for key in keys]
    query = query.order_by(*[
        column.desc() if direction == "desc" else column.asc()
        for column, direction in zip(columns, dirs, strict=True)])
    if marker_row is not None:
        query = query.where(_after(marker_row, keys, dirs, columns))
    if limit is not None:
        query = query.limit(limit)
    return query


def _after(marker_row: Any, keys: list[str], dirs: list[str],
           columns: list[Any]) -> sa.ColumnElement[bool]:
    """Rows strictly after the marker in the (keys, dirs) order."""
    criteria = []
    for i, (key, direction) in enumerate(zip(keys, dirs, strict=True)):
        equal_before = [columns[j] == getattr(marker_row, keys[j])
                        for j in range(i)]
        value = getattr(marker_row, key)
        if value is None:
            # Callers sort only on columns that are never NULL; a NULL
            # here cannot order anything, so it adds no branch.
            continue
        beyond = (columns[i] < value if direction == "desc"
                  else columns[i] > value)
        criteria.append(sa.and_(*equal_before, beyond))
    if not criteria:
        raise exception.InvalidMarker(marker=getattr(marker_row, "uuid",
                                                     "?"))
    return sa.or_(*criteria)
