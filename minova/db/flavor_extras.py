"""Queries on what hangs off a flavor: its extra specs and the projects a
private flavor is shared with. Both take the flavors table id."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from minova import exception
from minova.db import api as db_api
from minova.db import models

_SPECS = models.FlavorExtraSpec.__table__
_PROJECTS = models.FlavorProject.__table__


def get_specs_many(db: db_api.Database,
                   flavor_ids: list[int]) -> dict[int, dict[str, str]]:
    """Every flavor's extra specs in one query, for list views."""
    found: dict[int, dict[str, str]] = {ident: {} for ident in flavor_ids}
    if not flavor_ids:
        return found
    with db.reader() as connection:
        rows = connection.execute(
            sa.select(_SPECS.c.flavor_id, _SPECS.c.key, _SPECS.c.value)
            .where(_SPECS.c.flavor_id.in_(flavor_ids)))
        for flavor_id, key, value in rows:
            found[flavor_id][key] = value
    return found


def update_specs(db: db_api.Database, flavor_id: int,
                 specs: dict[str, str]) -> None:
    """Add or change ``specs``; keys not named stay as they are."""
    with db.session() as session:
        existing = {row.key: row for row in session.scalars(
            sa.select(models.FlavorExtraSpec).where(
                models.FlavorExtraSpec.flavor_id == flavor_id,
                models.FlavorExtraSpec.key.in_(list(specs))))}
        for key, value in specs.items():
            if key in existing:
                existing[key].value = value
            else:
                session.add(models.FlavorExtraSpec(
                    flavor_id=flavor_id, key=key, value=value))


def delete_spec(db: db_api.Database, flavor_id: int, flavorid: str,
                key: str) -> None:
    with db.writer() as connection:
        result = connection.execute(sa.delete(_SPECS).where(
            _SPECS.c.flavor_id == flavor_id, _SPECS.c.key == key))
    if not result.rowcount:
        raise exception.FlavorExtraSpecsNotFound(flavor_id=flavorid,
                                                 extra_specs_key=key)


def get_projects(db: db_api.Database, flavor_id: int) -> list[str]:
    with db.reader() as connection:
        return list(connection.scalars(
            sa.select(_PROJECTS.c.project_id)
            .where(_PROJECTS.c.flavor_id == flavor_id)
            .order_by(_PROJECTS.c.project_id)))


def has_access(db: db_api.Database, flavor_id: int, project_id: str) -> bool:
    with db.reader() as connection:
        return connection.execute(
            sa.select(_PROJECTS.c.id).where(
                _PROJECTS.c.flavor_id == flavor_id,
                _PROJECTS.c.project_id == project_id)).first() is not None


def add_project(db: db_api.Database, flavor_id: int, flavorid: str,
                project_id: str) -> None:
    try:
        with db.writer() as connection:
            connection.execute(sa.insert(_PROJECTS).values(
                flavor_id=flavor_id, project_id=project_id))
    except sa_exc.IntegrityError as exc:
        raise exception.FlavorAccessExists(
            flavor_id=flavorid, project_id=project_id) from exc


def remove_project(db: db_api.Database, flavor_id: int, flavorid: str,
                   project_id: str) -> None:
    with db.writer() as connection:
        result = connection.execute(sa.delete(_PROJECTS).where(
            _PROJECTS.c.flavor_id == flavor_id,
            _PROJECTS.c.project_id == project_id))
    if not result.rowcount:
        raise exception.FlavorAccessNotFound(flavor_id=flavorid,
                                             project_id=project_id)

