"""The identity API's tables (a Keystone v3 subset: minova/identity/,
minova/api/identity/).

IDs are Keystone's: 32 hex characters, except the domain named 'default'
whose id is 'default'. Rows are deleted for real, as in Keystone; what a
deletion means for tokens is a row in identity_revocation_events.
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from minova.db.models.base import Base
from minova.db.models.base import TimestampMixin
from minova.db.models.base import utcnow


class IdentityDomain(Base, TimestampMixin):
    __tablename__ = "identity_domains"

    id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(64), unique=True)
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    enabled: orm.Mapped[bool] = orm.mapped_column(sa.Boolean, default=True)


class IdentityProject(Base, TimestampMixin):
    __tablename__ = "identity_projects"
    __table_args__ = (
        sa.UniqueConstraint("domain_id", "name",
                            name="uniq_identity_projects0domain_id0name"),
    )

    id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    domain_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(64), sa.ForeignKey("identity_domains.id"))
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    enabled: orm.Mapped[bool] = orm.mapped_column(sa.Boolean, default=True)


class IdentityUser(Base, TimestampMixin):
    __tablename__ = "identity_users"
    __table_args__ = (
        sa.UniqueConstraint("domain_id", "name",
                            name="uniq_identity_users0domain_id0name"),
    )

    id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    domain_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(64), sa.ForeignKey("identity_domains.id"))
    password_hash: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    enabled: orm.Mapped[bool] = orm.mapped_column(sa.Boolean, default=True)
    default_project_id: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(64))
    email: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    password_changed_at: orm.Mapped[datetime.datetime | None] = \
        orm.mapped_column(sa.DateTime)


class IdentityRole(Base, TimestampMixin):
    __tablename__ = "identity_roles"

    id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), unique=True)
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)


class IdentityImpliedRole(Base):
    __tablename__ = "identity_implied_roles"

    prior_role_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(64), sa.ForeignKey("identity_roles.id", ondelete="CASCADE"),
        primary_key=True)
    implied_role_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(64), sa.ForeignKey("identity_roles.id", ondelete="CASCADE"),
        primary_key=True)


class IdentityRoleAssignment(Base):
    """A user's role on a project (Keystone's UserProject assignment)."""

    __tablename__ = "identity_role_assignments"

    user_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(64), sa.ForeignKey("identity_users.id", ondelete="CASCADE"),
        primary_key=True)
    project_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(64),
        sa.ForeignKey("identity_projects.id", ondelete="CASCADE"),
        primary_key=True)
    role_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(64), sa.ForeignKey("identity_roles.id", ondelete="CASCADE"),
        primary_key=True)


class IdentityApplicationCredential(Base, TimestampMixin):
    __tablename__ = "identity_application_credentials"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "name",
                            name="uniq_identity_app_creds0user_id0name"),
    )

    id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    user_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(64), sa.ForeignKey("identity_users.id", ondelete="CASCADE"))
    project_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(64),
        sa.ForeignKey("identity_projects.id", ondelete="CASCADE"))
    secret_hash: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    expires_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        sa.DateTime)
    unrestricted: orm.Mapped[bool] = orm.mapped_column(sa.Boolean,
                                                       default=False)
    # The role names it delegates: a subset of the user's at creation.
    roles: orm.Mapped[list] = orm.mapped_column(sa.JSON)


class IdentityService(Base):
    """A catalog service (read-only over the API; bootstrap writes it)."""

    __tablename__ = "identity_services"

    id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    type: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    enabled: orm.Mapped[bool] = orm.mapped_column(sa.Boolean, default=True)


class IdentityEndpoint(Base):
    __tablename__ = "identity_endpoints"

    id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    service_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(64),
        sa.ForeignKey("identity_services.id", ondelete="CASCADE"))
    interface: orm.Mapped[str] = orm.mapped_column(sa.String(8))
    region_id: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    url: orm.Mapped[str] = orm.mapped_column(sa.Text)
    enabled: orm.Mapped[bool] = orm.mapped_column(sa.Boolean, default=True)


class IdentityRevocationEvent(Base):
    """Tokens issued at or before ``issued_before`` that match every set
    field (audit id, user, project) are revoked. ``issued_before`` is in
    microseconds since the epoch: exact on every database (MySQL's
    DATETIME would drop the fraction and miss tokens issued the same
    second before the revocation)."""

    __tablename__ = "identity_revocation_events"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    audit_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(32))
    user_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    issued_before: orm.Mapped[int] = orm.mapped_column(sa.BigInteger)
    revoked_at: orm.Mapped[datetime.datetime] = orm.mapped_column(
        sa.DateTime, default=utcnow, index=True)


class IdentityGeneration(Base):
    """One row whose counter every change that matters to a token's
    validity bumps (revocations, role assignments, roles, implications,
    application credentials, the catalog): API processes read just it,
    at most every ``[identity] cache_refresh_interval``, and reload their
    in-memory copy when it moved."""

    __tablename__ = "identity_generation"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    generation: orm.Mapped[int] = orm.mapped_column(sa.BigInteger,
                                                    default=0)
