"""Queries on the tags table: a server's tags (2.26), by instance uuid."""

from __future__ import annotations

import sqlalchemy as sa

from minova import exception
from minova.db import api as db_api
from minova.db import models

_TAGS = models.Tag.__table__
MAX_PER_SERVER = 50  # Nova's MAX_TAG_COUNT


def get(db: db_api.Database, resource_id: str) -> list[str]:
    with db.reader() as connection:
        return list(connection.scalars(
            sa.select(_TAGS.c.tag).where(_TAGS.c.resource_id == resource_id)
            .order_by(_TAGS.c.tag)))


def get_many_on(connection: sa.Connection,
                resource_ids: list[str]) -> dict[str, list[str]]:
    """Every server's tags in one query, on the caller's connection (a
    server list reads its page with one: docs/performance.md, "Server
    lists")."""
    found: dict[str, list[str]] = {ident: [] for ident in resource_ids}
    if not resource_ids:
        return found
    rows = connection.execute(
        sa.select(_TAGS.c.resource_id, _TAGS.c.tag)
        .where(_TAGS.c.resource_id.in_(resource_ids))
        .order_by(_TAGS.c.tag))
    for resource_id, tag in rows:
        found[resource_id].append(tag)
    return found


def replace(db: db_api.Database, resource_id: str,
            tags: list[str]) -> list[str]:
    """The server's tags become ``tags`` (duplicates once)."""
    unique = sorted(set(tags))
    with db.writer() as connection:
        connection.execute(sa.delete(_TAGS).where(
            _TAGS.c.resource_id == resource_id))
        if unique:
            connection.execute(sa.insert(_TAGS), [
                {"resource_id": resource_id, "tag": tag} for tag in unique])
    return unique


def add(db: db_api.Database, resource_id: str, tag: str) -> bool:
    """Add ``tag``; False if the server had it already. ``TooManyTags``
    if it has the most it may have. Count and insert share a transaction;
    two racing adds may both pass the count, as in Nova."""
    with db.writer() as connection:
        tags = set(connection.scalars(sa.select(_TAGS.c.tag).where(
            _TAGS.c.resource_id == resource_id)))
        if tag in tags:
            return False
        if len(tags) >= MAX_PER_SERVER:
            raise exception.TooManyTags(server_id=resource_id,
                                        limit=MAX_PER_SERVER)
        connection.execute(sa.insert(_TAGS).values(resource_id=resource_id,
                                                   tag=tag))
    return True


def delete(db: db_api.Database, resource_id: str, tag: str) -> None:
    with db.writer() as connection:
        result = connection.execute(sa.delete(_TAGS).where(
            _TAGS.c.resource_id == resource_id, _TAGS.c.tag == tag))
    if not result.rowcount:
        raise exception.TagNotFound(tag=tag)


def delete_all(db: db_api.Database, resource_id: str) -> None:
    with db.writer() as connection:
        connection.execute(sa.delete(_TAGS).where(
            _TAGS.c.resource_id == resource_id))


def filters(column: sa.ColumnElement, wanted: dict) -> list:
    """WHERE clauses on an instance uuid ``column`` for the server list's
    tag filters, each a list of tags: ``tags`` (has all), ``tags-any``
    (has one), ``not-tags`` (lacks one), ``not-tags-any`` (has none)."""
    def having(tag_list: list[str]) -> sa.ColumnElement:
        return column.in_(sa.select(_TAGS.c.resource_id).where(
            _TAGS.c.tag.in_(tag_list)))

    clauses = []
    if wanted.get("tags"):
        clauses.append(sa.and_(*[having([tag]) for tag in wanted["tags"]]))
    if wanted.get("tags-any"):
        clauses.append(having(wanted["tags-any"]))
    if wanted.get("not-tags"):
        clauses.append(sa.not_(sa.and_(
            *[having([tag]) for tag in wanted["not-tags"]])))
    if wanted.get("not-tags-any"):
        clauses.append(sa.not_(having(wanted["not-tags-any"])))
    return clauses
