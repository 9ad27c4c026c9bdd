"""Queries on the images and image_tags tables. Images are returned as
plain dicts (the columns and ``tags``), what the image views and the
compute API's boot checks read."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from oslo_utils import timeutils

from minova import exception
from minova.db import api as db_api
from minova.db import common
from minova.db import models

SORT_KEYS = ("name", "status", "visibility", "owner", "size", "min_disk",
             "min_ram", "disk_format", "container_format", "created_at",
             "updated_at", "id")
_TABLE = models.Image.__table__
_TAG_TABLE = models.ImageTag.__table__
_TAGS_OF = sa.select(_TAG_TABLE.c.image_id, _TAG_TABLE.c.value).where(
    _TAG_TABLE.c.image_id.in_(sa.bindparam("ids", expanding=True)))
_COLUMNS = [column.key for column in _TABLE.columns]
_SEEN_BY_ALL = _TABLE.c.visibility.in_(("public", "community"))


def _as_dict(row: Any, tags: list[str]) -> dict:
    image = {name: getattr(row, name) for name in _COLUMNS}
    image["properties"] = dict(image["properties"] or {})
    image["tags"] = sorted(tags)
    return image


def _tags(connection: Any, ids: list[str]) -> dict[str, list[str]]:
    """Each image's tags; ``connection`` is a session or a connection."""
    found: dict[str, list[str]] = {ident: [] for ident in ids}
    if ids:
        for image_id, value in connection.execute(_TAGS_OF, {"ids": ids}):
            found[image_id].append(value)
    return found


def visible(project_id: str | None, is_admin: bool) -> Any:
    """Glance's visibility rule: public and community images, the
    project's own, and shared ones (members are not implemented, so
    shared images are seen by their owner only); an admin sees all."""
    if is_admin:
        return sa.true()
    if project_id is None:
        return _SEEN_BY_ALL  # no project owns what it could see
    return sa.or_(_SEEN_BY_ALL, _TABLE.c.owner == project_id)


# Built once, with the caller as bound parameters (a boot reads its
# image: building and keying the statement per call cost more than the
# query); the rule is ``visible``'s. One row per tag (one with none if the
# image has no tag): the image and its tags in one round trip.
_BY_ID = sa.select(_TABLE, _TAG_TABLE.c.value.label("tag")).select_from(
    _TABLE.outerjoin(_TAG_TABLE, _TAG_TABLE.c.image_id == _TABLE.c.id)
).where(_TABLE.c.id == sa.bindparam("image_id"))
_VISIBLE_BY_ID = _BY_ID.where(sa.or_(
    _SEEN_BY_ALL, _TABLE.c.owner == sa.bindparam("project_id")))
_PUBLIC_BY_ID = _BY_ID.where(_SEEN_BY_ALL)


def get(db: db_api.Database, image_id: str, *,
        project_id: str | None = None, is_admin: bool = True) -> dict:
    """The image, if a caller of ``project_id`` (an admin if
    ``is_admin``) sees it (``visible``); ImageNotFound otherwise. By
    default every image is seen."""
    query, params = _BY_ID, {"image_id": image_id}
    if not is_admin:
        query = _VISIBLE_BY_ID if project_id is not None else _PUBLIC_BY_ID
        params["project_id"] = project_id
    with db.reader() as connection:
        rows = connection.execute(query, params).all()
    if not rows:
        raise exception.ImageNotFound(image_id=image_id)
    return _as_dict(rows[0], [row.tag for row in rows
                              if row.tag is not None])


def get_all(db: db_api.Database, where: Any, *,
            filters: dict[str, list] | None = None,
            tags: list[str] | None = None,
            sort_keys: list[str] | None = None,
            sort_dirs: list[str] | None = None,
            limit: int | None = None,
            marker: str | None = None) -> list[dict]:
    """Images passing ``where``, each filter (column -> allowed values)
    and having every tag in ``tags``; keyset-paged after ``marker``."""
    query = sa.select(models.Image).where(where)
    for column, values in (filters or {}).items():
        query = query.where(getattr(models.Image, column).in_(values))
    for tag in tags or []:
        query = query.where(sa.exists().where(
            models.ImageTag.image_id == models.Image.id,
            models.ImageTag.value == tag))
    with db.session() as session:
        marker_row = None
        if marker is not None:
            marker_row = session.scalar(sa.select(models.Image).where(
                models.Image.id == marker, where))
            if marker_row is None:
                raise exception.InvalidMarker(marker=marker)
        query = common.paginate(query, models.Image,
                                sort_keys=sort_keys or ["created_at"],
                                sort_dirs=sort_dirs or ["desc"],
                                limit=limit, marker_row=marker_row)
        rows = list(session.scalars(query))
        tags_by_id = _tags(session, [row.id for row in rows])
        return [_as_dict(row, tags_by_id[row.id]) for row in rows]


def create(db: db_api.Database, values: dict,
           tags: list[str] | None = None) -> dict:
    with db.session() as session:
        if session.get(models.Image, values["id"]) is not None:
            raise exception.ImageExists(image_id=values["id"])
        row = models.Image(**values)
        session.add(row)
        for tag in set(tags or []):
            session.add(models.ImageTag(image_id=values["id"], value=tag))
        session.flush()
        return _as_dict(row, list(set(tags or [])))


def update(db: db_api.Database, image_id: str, values: dict,
           tags: list[str] | None = None,
           expected_status: str | None = None) -> dict:
    """Change the image's columns (and replace its tags when ``tags`` is
    not None). With ``expected_status``, only while the image still has
    that status (a compare-and-swap: ImageStatusConflict otherwise)."""
    with db.session() as session:
        criteria = [models.Image.id == image_id]
        if expected_status is not None:
            criteria.append(models.Image.status == expected_status)
        if values:
            changed = session.execute(
                sa.update(models.Image).where(*criteria).values(
                    updated_at=timeutils.utcnow(), **values)).rowcount
        else:
            changed = session.scalar(sa.select(sa.func.count()).select_from(
                models.Image).where(*criteria))
        if not changed:
            if session.get(models.Image, image_id) is None:
                raise exception.ImageNotFound(image_id=image_id)
            raise exception.ImageStatusConflict(image_id=image_id,
                                                status=expected_status)
        if tags is not None:
            session.execute(sa.delete(models.ImageTag).where(
                models.ImageTag.image_id == image_id))
            for tag in set(tags):
                session.add(models.ImageTag(image_id=image_id, value=tag))
    return get(db, image_id)


def delete(db: db_api.Database, image_id: str) -> None:
    with db.session() as session:
        session.execute(sa.delete(models.ImageTag).where(
            models.ImageTag.image_id == image_id))
        if not session.execute(sa.delete(models.Image).where(
                models.Image.id == image_id)).rowcount:
            raise exception.ImageNotFound(image_id=image_id)
