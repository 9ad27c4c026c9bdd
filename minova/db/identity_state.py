"""What token validation depends on: the change counter, revocation
events, and the snapshot API processes keep in memory (assignments,
implied roles, application credentials, the catalog); and the catalog's
services and endpoints.
"""

from __future__ import annotations

import datetime
import math
import time
import uuid
from typing import Any

import sqlalchemy as sa
from oslo_utils import timeutils
from sqlalchemy import orm

from minova.db import api as db_api
from minova.db import models

_GENERATION = models.IdentityGeneration.__table__
_EVENTS = models.IdentityRevocationEvent.__table__


def bump_generation(session: orm.Session) -> None:
    """Tell every API process's cache to reload (inside the change's own
    transaction, so that they never see the counter before the change)."""
    result = session.execute(sa.update(_GENERATION).where(
        _GENERATION.c.id == 1).values(
            generation=_GENERATION.c.generation + 1))
    if result.rowcount == 0:
        session.execute(sa.insert(_GENERATION).values(id=1, generation=1))


def revoke(session: orm.Session, *, audit_id: str | None = None,
           user_id: str | None = None, project_id: str | None = None,
           issued_before: float | None = None) -> None:
    """Revoke the tokens issued up to ``issued_before`` (seconds since
    the epoch, default now) that carry ``audit_id``, or are of
    ``user_id``, or of ``project_id``."""
    when = time.time() if issued_before is None else issued_before
    session.execute(sa.insert(_EVENTS).values(
        audit_id=audit_id, user_id=user_id, project_id=project_id,
        # Rounded up: a token issued at exactly ``when`` is revoked too.
        issued_before=math.ceil(when * 1_000_000),
        revoked_at=timeutils.utcnow()))
    bump_generation(session)


def prune_events(db: db_api.Database, older_than: datetime.datetime) -> int:
    """Drop events no unexpired token can match any more."""
    with db.session() as session:
        result = session.execute(sa.delete(_EVENTS).where(
            _EVENTS.c.revoked_at < older_than))
        return result.rowcount


def generation(db: db_api.Database) -> int:
    with db.reader() as connection:
        return connection.scalar(
            sa.select(_GENERATION.c.generation).where(
                _GENERATION.c.id == 1)) or 0


def load_snapshot(db: db_api.Database,
                  events_since: datetime.datetime) -> dict[str, Any]:
    """Everything the validation cache holds, read in one transaction so
    that it is consistent with the counter read with it."""
    roles = models.IdentityRole.__table__
    assignment = models.IdentityRoleAssignment.__table__
    implied = models.IdentityImpliedRole.__table__
    cred = models.IdentityApplicationCredential.__table__
    services = models.IdentityService.__table__
    endpoints = models.IdentityEndpoint.__table__
    with db.reader() as connection, connection.begin():
        return {
            "generation": connection.scalar(
                sa.select(_GENERATION.c.generation).where(
                    _GENERATION.c.id == 1)) or 0,
            "roles": connection.execute(
                sa.select(roles.c.id, roles.c.name)).all(),
            "implied": connection.execute(
                sa.select(implied.c.prior_role_id,
                          implied.c.implied_role_id)).all(),
            "assignments": connection.execute(
                sa.select(assignment.c.user_id, assignment.c.project_id,
                          assignment.c.role_id)).all(),
            "events": connection.execute(
                sa.select(_EVENTS.c.audit_id, _EVENTS.c.user_id,
                          _EVENTS.c.project_id, _EVENTS.c.issued_before)
                .where(_EVENTS.c.revoked_at >= events_since)).all(),
            "app_creds": connection.execute(
                sa.select(cred.c.id, cred.c.user_id, cred.c.project_id,
                          cred.c.roles, cred.c.expires_at)).all(),
            "services": connection.execute(
                sa.select(services).where(services.c.enabled)).all(),
            "endpoints": connection.execute(
                sa.select(endpoints).where(endpoints.c.enabled)).all(),
        }


# The catalog ----------------------------------------------------------------

def services(db: db_api.Database, **filters: Any) -> list[Any]:
    return _select(db, models.IdentityService, filters)


def endpoints(db: db_api.Database, **filters: Any) -> list[Any]:
    return _select(db, models.IdentityEndpoint, filters)


def _select(db: db_api.Database, model: Any, filters: dict) -> list[Any]:
    query = sa.select(model)
    for name, value in filters.items():
        if value is not None:
            query = query.where(getattr(model, name) == value)
    with db.session() as session:
        return list(session.scalars(query.order_by(model.id)))


def ensure_service(db: db_api.Database, service_id: str, type_: str,
                   name: str, urls: dict[str, str], region: str) -> bool:
    """Create or correct one catalog service and its endpoint per
    interface (ids derived from the type, so this is idempotent). Returns
    whether anything changed."""
    changed = False
    with db.session() as session:
        service = session.get(models.IdentityService, service_id)
        if service is None:
            session.add(models.IdentityService(
                id=service_id, type=type_, name=name, enabled=True))
            changed = True
        elif (service.type, service.name) != (type_, name):
            service.type, service.name = type_, name
            changed = True
        session.flush()
        for interface, url in urls.items():
            endpoint_id = uuid.uuid5(uuid.NAMESPACE_URL, "%s/%s" % (
                service_id, interface)).hex
            endpoint = session.get(models.IdentityEndpoint, endpoint_id)
            if endpoint is None:
                session.add(models.IdentityEndpoint(
                    id=endpoint_id, service_id=service_id,
                    interface=interface, region_id=region, url=url,
                    enabled=True))
                changed = True
            elif (endpoint.url, endpoint.region_id) != (url, region):
                endpoint.url, endpoint.region_id = url, region
                changed = True
        if changed:
            session.flush()
            bump_generation(session)
    return changed
