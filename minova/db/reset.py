"""The database side of a cloud reset (``minova.reset``): every row a
user of the cloud made goes, in one transaction.

Kept: the deployment's own rows (the services and their compute nodes,
enabled again), the schema's seeded rows (the identity change counter,
then bumped), the identity catalog, revocation events (a token revoked
before stays revoked), and the identity objects bootstrap makes, with
their ids and password hashes: tokens of the admin and demo users issued
before the reset stay valid, and clouds.yaml keeps working. Every other
table is emptied, including tables added later: a new resource is reset
unless it is named here.
"""

from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from minova.db import api as db_api
from minova.db import identity_state
from minova.db import models

# Tables left as they are (the identity ones are pruned below).
KEPT = frozenset({
    "services", "compute_nodes", "identity_generation",
    "identity_revocation_events", "identity_services", "identity_endpoints",
})
IDENTITY_PRUNED = frozenset({
    "identity_domains", "identity_projects", "identity_users",
    "identity_roles", "identity_implied_roles", "identity_role_assignments",
})


@dataclasses.dataclass
class Bootstrapped:
    """Names of what bootstrap makes (minova.identity.bootstrap)."""

    domain_id: str
    roles: tuple[str, ...]
    # (user name, project name, role name), all in the domain above.
    grants: tuple[tuple[str, str, str], ...]


@dataclasses.dataclass
class Wiped:
    rows: int = 0
    image_ids: list[str] = dataclasses.field(default_factory=list)


def wipe(db: db_api.Database, keep: Bootstrapped) -> Wiped:
    """Delete every row a user made; what was deleted."""
    wiped = Wiped()
    metadata = models.Base.metadata
    with db.writer() as conn:
        wiped.image_ids = list(conn.scalars(sa.select(models.Image.id)))
        for table in reversed(metadata.sorted_tables):
            if table.name in KEPT or table.name in IDENTITY_PRUNED:
                continue
            wiped.rows += conn.execute(table.delete()).rowcount or 0
        wiped.rows += _prune_identity(conn, keep)
        conn.execute(sa.update(models.Service).values(
            disabled=False, disabled_reason=None, forced_down=False))
        identity_state.bump_generation(conn)
    return wiped


def _ids(conn: sa.Connection, model: type, *where: object) -> list[str]:
    return list(conn.scalars(sa.select(model.id).where(*where)))


def _prune_identity(conn: sa.Connection, keep: Bootstrapped) -> int:
    """Identity rows other than bootstrap's. Ids are read first: MySQL
    refuses a DELETE whose subquery reads the same table."""
    domain = keep.domain_id
    users = {name: _ids(conn, models.IdentityUser,
                        models.IdentityUser.domain_id == domain,
                        models.IdentityUser.name == name)
             for name, _, _ in keep.grants}
    projects = {name: _ids(conn, models.IdentityProject,
                           models.IdentityProject.domain_id == domain,
                           models.IdentityProject.name == name)
                for _, name, _ in keep.grants}
    roles = {name: _ids(conn, models.IdentityRole,
                        models.IdentityRole.name == name)
             for name in keep.roles}
    role_ids = [ident for ids in roles.values() for ident in ids]
    assignment = models.IdentityRoleAssignment
    grants = [sa.and_(assignment.user_id.in_(users[user]),
                      assignment.project_id.in_(projects[project]),
                      assignment.role_id.in_(roles.get(role, [])))
              for user, project, role in keep.grants]
    implied = models.IdentityImpliedRole
    statements = [
        sa.delete(assignment).where(sa.not_(sa.or_(*grants))),
        sa.delete(implied).where(sa.or_(
            implied.prior_role_id.not_in(role_ids),
            implied.implied_role_id.not_in(role_ids))),
        sa.delete(models.IdentityUser).where(models.IdentityUser.id.not_in(
            [ident for ids in users.values() for ident in ids])),
        sa.delete(models.IdentityProject).where(
            models.IdentityProject.id.not_in(
                [ident for ids in projects.values() for ident in ids])),
        sa.delete(models.IdentityRole).where(
            models.IdentityRole.id.not_in(role_ids)),
        sa.delete(models.IdentityDomain).where(
            models.IdentityDomain.id != domain),
    ]
    return sum(conn.execute(statement).rowcount or 0
               for statement in statements)
