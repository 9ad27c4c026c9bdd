"""Identity queries: domains, projects, users, roles, assignments and
application credentials (the catalog, revocations and the change counter
are in ``identity_state``).

Identity rows are few and changed rarely, so these use the ORM session
throughout; the hot path (validating a token) never comes here, it reads
the in-memory copy ``minova.identity.cache`` keeps.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from minova import exception
from minova.db import api as db_api
from minova.db import identity_state
from minova.db import models

KINDS: dict[str, Any] = {
    "domain": models.IdentityDomain,
    "project": models.IdentityProject,
    "user": models.IdentityUser,
    "role": models.IdentityRole,
    "application credential": models.IdentityApplicationCredential,
}


def get(db: db_api.Database, kind: str, row_id: str) -> Any:
    with db.session() as session:
        row = session.get(KINDS[kind], row_id)
    if row is None:
        raise exception.IdentityNotFound(kind=kind, id=row_id)
    return row


def find(db: db_api.Database, kind: str, **filters: Any) -> list[Any]:
    """Rows of ``kind`` whose columns equal ``filters`` (None: any)."""
    model = KINDS[kind]
    query = sa.select(model)
    for name, value in filters.items():
        if value is not None:
            query = query.where(getattr(model, name) == value)
    with db.session() as session:
        return list(session.scalars(query.order_by(model.name)))


def find_one(db: db_api.Database, kind: str, **filters: Any) -> Any | None:
    rows = find(db, kind, **filters)
    return rows[0] if rows else None


def create(db: db_api.Database, kind: str, values: dict,
           bump: bool = False) -> Any:
    row = KINDS[kind](**values)
    try:
        with db.session() as session:
            session.add(row)
            session.flush()
            if bump:
                identity_state.bump_generation(session)
    except sa_exc.IntegrityError as exc:
        raise exception.IdentityConflict(
            kind=kind, reason="Duplicate entry found with name %s."
            % values.get("name")) from exc
    return row


def update(db: db_api.Database, kind: str, row_id: str, values: dict,
           revoke: dict | None = None) -> Any:
    """Set ``values`` on the row; with ``revoke``, record that revocation
    event (``identity_state.revoke`` fields) in the same transaction."""
    try:
        with db.session() as session:
            row = session.get(KINDS[kind], row_id)
            if row is None:
                raise exception.IdentityNotFound(kind=kind, id=row_id)
            for name, value in values.items():
                setattr(row, name, value)
            session.flush()
            if revoke:
                identity_state.revoke(session, **revoke)
    except sa_exc.IntegrityError as exc:
        raise exception.IdentityConflict(
            kind=kind, reason="Duplicate entry found with name %s."
            % values.get("name")) from exc
    return row


def delete(db: db_api.Database, kind: str, row_id: str,
           revoke: dict | None = None) -> None:
    model = KINDS[kind]
    with db.session() as session:
        _delete_dependents(session, kind, row_id)
        result = session.execute(sa.delete(model).where(model.id == row_id))
        if result.rowcount == 0:
            raise exception.IdentityNotFound(kind=kind, id=row_id)
        if revoke:
            identity_state.revoke(session, **revoke)
        else:
            identity_state.bump_generation(session)


def _delete_dependents(session: orm.Session, kind: str, row_id: str) -> None:
    # Explicit rather than ON DELETE CASCADE alone: SQLite enforces
    # foreign keys only with the pragma, and a row left behind would keep
    # an application credential or an assignment alive in the cache.
    assignment = models.IdentityRoleAssignment
    cred = models.IdentityApplicationCredential
    implied = models.IdentityImpliedRole
    if kind == "user":
        session.execute(sa.delete(assignment).where(
            assignment.user_id == row_id))
        session.execute(sa.delete(cred).where(cred.user_id == row_id))
    elif kind == "project":
        session.execute(sa.delete(assignment).where(
            assignment.project_id == row_id))
        session.execute(sa.delete(cred).where(cred.project_id == row_id))
    elif kind == "role":
        session.execute(sa.delete(assignment).where(
            assignment.role_id == row_id))
        session.execute(sa.delete(implied).where(sa.or_(
            implied.prior_role_id == row_id,
            implied.implied_role_id == row_id)))


# Role assignments and implications ------------------------------------------

def assignments(db: db_api.Database, user_id: str | None = None,
                project_id: str | None = None,
                role_id: str | None = None) -> list[Any]:
    model = models.IdentityRoleAssignment
    query = sa.select(model)
    for column, value in ((model.user_id, user_id),
                          (model.project_id, project_id),
                          (model.role_id, role_id)):
        if value is not None:
            query = query.where(column == value)
    with db.session() as session:
        return list(session.scalars(query))


def add_assignment(db: db_api.Database, user_id: str, project_id: str,
                   role_id: str) -> bool:
    """Grant; returns False if it was granted already."""
    model = models.IdentityRoleAssignment
    with db.session() as session:
        if session.get(model, (user_id, project_id, role_id)) is not None:
            return False
    try:
        with db.session() as session:
            session.add(model(user_id=user_id, project_id=project_id,
                              role_id=role_id))
            session.flush()
            identity_state.bump_generation(session)
    except sa_exc.IntegrityError:
        return False  # granted meanwhile
    return True


def remove_assignment(db: db_api.Database, user_id: str, project_id: str,
                      role_id: str) -> None:
    model = models.IdentityRoleAssignment
    with db.session() as session:
        result = session.execute(sa.delete(model).where(
            model.user_id == user_id, model.project_id == project_id,
            model.role_id == role_id))
        if result.rowcount == 0:
            raise exception.IdentityNotFound(
                kind="role assignment",
                id="%s on %s for %s" % (role_id, project_id, user_id))
        identity_state.bump_generation(session)


def implied_roles(db: db_api.Database) -> list[Any]:
    with db.session() as session:
        return list(session.scalars(sa.select(models.IdentityImpliedRole)))


def add_implied_role(db: db_api.Database, prior_id: str,
                     implied_id: str) -> bool:
    model = models.IdentityImpliedRole
    with db.session() as session:
        if session.get(model, (prior_id, implied_id)) is not None:
            return False
        session.add(model(prior_role_id=prior_id,
                          implied_role_id=implied_id))
        session.flush()
        identity_state.bump_generation(session)
    return True


def token_names(db: db_api.Database, user_id: str,
                project_id: str | None) -> dict:
    """The user's and project's names with their domains, for a token's
    body: in one transaction (each session is most of such a read)."""
    named = {}
    with db.session() as session:
        for kind, row_id in (("user", user_id), ("project", project_id)):
            if row_id is None:
                continue
            row = session.get(KINDS[kind], row_id)
            if row is None:
                raise exception.IdentityNotFound(kind=kind, id=row_id)
            domain = session.get(models.IdentityDomain, row.domain_id)
            named[kind] = {"id": row.id, "name": row.name,
                           "domain": {"id": domain.id, "name": domain.name}}
    return named
