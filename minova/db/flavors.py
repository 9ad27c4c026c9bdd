"""Queries on the flavors table (not soft-deleted, as in Nova)."""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from minova import exception
from minova.db import api as db_api
from minova.db import common
from minova.db import models

SORT_KEYS = ("flavorid", "name", "memory_mb", "vcpus", "root_gb", "id")

# The flavors `minova-manage db sync` creates, as Nova's old defaults.
DEFAULT_FLAVORS = [
    {"flavorid": "1", "name": "m1.tiny", "memory_mb": 512, "vcpus": 1,
     "root_gb": 1},
    {"flavorid": "2", "name": "m1.small", "memory_mb": 2048, "vcpus": 1,
     "root_gb": 20},
    {"flavorid": "3", "name": "m1.medium", "memory_mb": 4096, "vcpus": 2,
     "root_gb": 40},
    {"flavorid": "4", "name": "m1.large", "memory_mb": 8192, "vcpus": 4,
     "root_gb": 80},
    {"flavorid": "5", "name": "m1.xlarge", "memory_mb": 16384, "vcpus": 8,
     "root_gb": 160},
]


_TABLE = models.Flavor.__table__
_SPECS = models.FlavorExtraSpec.__table__
# Built once: a statement made per call cost more than the query itself
# (building and cache-keying it); these are keyed once and reused.
_BY_FLAVORID = sa.select(_TABLE).where(
    _TABLE.c.flavorid == sa.bindparam("flavorid"))
_BY_ID = sa.select(_TABLE).where(_TABLE.c.id == sa.bindparam("id"))
# A boot's flavor with its extra specs: one row per spec (one with no
# spec if it has none), so one round trip to the database, not two.
_WITH_SPECS = sa.select(
    _TABLE, _SPECS.c.key.label("spec_key"),
    _SPECS.c.value.label("spec_value")).select_from(
    _TABLE.outerjoin(_SPECS, _SPECS.c.flavor_id == _TABLE.c.id)).where(
    _TABLE.c.flavorid == sa.bindparam("flavorid"))


def get_by_flavorid(db: db_api.Database, flavorid: str) -> sa.Row:
    with db.reader() as connection:
        row = connection.execute(_BY_FLAVORID,
                                 {"flavorid": flavorid}).first()
    if row is None:
        raise exception.FlavorNotFound(flavor_id=flavorid)
    return row


def get_with_specs(db: db_api.Database,
                   flavorid: str) -> tuple[sa.Row, dict[str, str]]:
    """The flavor and its extra specs, in one query."""
    with db.reader() as connection:
        rows = connection.execute(_WITH_SPECS, {"flavorid": flavorid}).all()
    if not rows:
        raise exception.FlavorNotFound(flavor_id=flavorid)
    return rows[0], {row.spec_key: row.spec_value for row in rows
                     if row.spec_key is not None}


def get_by_id(db: db_api.Database, flavor_id: int) -> sa.Row:
    with db.reader() as connection:
        row = connection.execute(_BY_ID, {"id": flavor_id}).first()
    if row is None:
        raise exception.FlavorNotFound(flavor_id=flavor_id)
    return row


def get_all(db: db_api.Database, *, is_public: bool | None = True,
            min_memory_mb: int | None = None, min_root_gb: int | None = None,
            name: str | None = None, sort_key: str = "flavorid",
            sort_dir: str = "asc",
            limit: int | None = None, marker: str | None = None,
            project_id: str | None = None) -> list[sa.Row]:
    """Enabled flavors, as rows (``db.reader()``). With ``is_public`` true
    and a ``project_id``, also the private flavors that project has access
    to (``os-flavor-access``), as Nova lists them."""
    if not is_public:
        project_id = None
    params = {name: value for name, value in (
        ("is_public", is_public), ("project_id", project_id),
        ("min_memory_mb", min_memory_mb),
        ("min_root_gb", min_root_gb), ("limit", limit),
        ("name", _contains(name) if name is not None else None))
        if value is not None}
    if project_id is not None:
        del params["is_public"]  # public or shared: one filter, below
    shape = (frozenset(params), sort_key, sort_dir)
    if marker is None:
        query = _list_query(*shape)
    else:
        try:
            marker_row = get_by_flavorid(db, marker)
        except exception.FlavorNotFound as exc:
            raise exception.InvalidMarker(marker=marker) from exc
        query = _build_list_query(*shape, marker_row=marker_row)
    with db.reader() as connection:
        return connection.execute(query, params).all()


@functools.cache
def _list_query(filters: frozenset[str], sort_key: str,
                sort_dir: str) -> sa.Select:
    """The first page's statement, built once per set of filters and
    order: SQLAlchemy then reuses its cache key and compiled form
    (building and keying it took longer than running it)."""
    return _build_list_query(filters, sort_key, sort_dir)


def _build_list_query(filters: frozenset[str], sort_key: str,
                      sort_dir: str, marker_row: Any = None) -> sa.Select:
    """The list statement, with a bound parameter per filter given."""
    columns = models.Flavor.__table__.c
    query = sa.select(models.Flavor.__table__).where(
        columns.disabled == sa.false())
    if "project_id" in filters:
        projects = models.FlavorProject.__table__.c
        query = query.where(sa.or_(
            columns.is_public == sa.true(),
            columns.id.in_(sa.select(projects.flavor_id).where(
                projects.project_id == sa.bindparam("project_id")))))
    elif "is_public" in filters:
        query = query.where(columns.is_public == sa.bindparam("is_public"))
    if "min_memory_mb" in filters:
        query = query.where(
            columns.memory_mb >= sa.bindparam("min_memory_mb"))
    if "min_root_gb" in filters:
        query = query.where(columns.root_gb >= sa.bindparam("min_root_gb"))
    if "name" in filters:
        query = query.where(columns.name.like(sa.bindparam("name"),
                                              escape="\\"))
    query = common.paginate(query, columns, sort_keys=[sort_key],
                            sort_dirs=[sort_dir], limit=None,
                            marker_row=marker_row)
    if "limit" in filters:
        query = query.limit(sa.bindparam("limit", type_=sa.Integer))
    return query


def _contains(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its own % and _ kept
    literal (Nova takes a regular expression, which a plain name is)."""
    escaped = (text.replace("\\", "\\\\").replace("%", "\\%")
               .replace("_", "\\_"))
    return "%" + escaped + "%"


def update_description(db: db_api.Database, flavorid: str,
                       description: str | None) -> models.Flavor:
    """The one thing of a flavor that changes (2.55): its description."""
    with db.session() as session:
        row = session.scalar(sa.select(models.Flavor).where(
            models.Flavor.flavorid == flavorid))
        if row is None:
            raise exception.FlavorNotFound(flavor_id=flavorid)
        row.description = description
    return row


def create(db: db_api.Database, values: dict[str, Any]) -> models.Flavor:
    row = models.Flavor(**values)
    try:
        with db.session() as session:
            session.add(row)
    except sa_exc.IntegrityError as exc:
        field, value = _conflicting(db, values)
        raise exception.FlavorExists(field=field, value=value) from exc
    return row


def _conflicting(db: db_api.Database, values: dict) -> tuple[str, Any]:
    with db.session() as session:
        taken = session.scalar(sa.select(models.Flavor.id).where(
            models.Flavor.name == values.get("name")))
    if taken is not None:
        return "name", values.get("name")
    return "id", values.get("flavorid")


def destroy(db: db_api.Database, flavorid: str) -> None:
    with db.session() as session:
        result = session.execute(sa.delete(models.Flavor).where(
            models.Flavor.flavorid == flavorid))
        if result.rowcount == 0:
            raise exception.FlavorNotFound(flavor_id=flavorid)


def ensure_defaults(db: db_api.Database) -> int:
    """Create the default flavors that are missing; returns how many."""
    created = 0
    for values in DEFAULT_FLAVORS:
        with db.session() as session:
            exists = session.scalar(sa.select(models.Flavor.id).where(
                sa.or_(models.Flavor.flavorid == values["flavorid"],
                       models.Flavor.name == values["name"])))
        if exists is None:
            try:
                create(db, values)
                created += 1
            except exception.FlavorExists:
                pass  # created meanwhile by a concurrent db sync
    return created
