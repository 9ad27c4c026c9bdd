"""SQLAlchemy models: the shape of minova's tables.

The schema itself is created and changed only by the Alembic migrations in
``minova/db/migrations``; a test checks that models and migrations agree.

Soft-deleted tables follow Nova: ``deleted`` is 0 for live rows and the
row's id once deleted, so unique constraints that include ``deleted``
hold among live rows only.
"""

from __future__ import annotations

import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy import orm


def _utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class Base(orm.DeclarativeBase):
    pass


class TimestampMixin:
    created_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        sa.DateTime, default=_utcnow)
    updated_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        sa.DateTime, onupdate=_utcnow)


class SoftDeleteMixin:
    deleted_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        sa.DateTime)
    deleted: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)


class Service(Base, TimestampMixin, SoftDeleteMixin):
    """One running service (a binary on a host), with its heartbeat."""

    __tablename__ = "services"
    __table_args__ = (
        sa.UniqueConstraint("host", "binary", "deleted",
                            name="uniq_services0host0binary0deleted"),
        sa.UniqueConstraint("uuid", name="uniq_services0uuid"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    # The id the compute API shows from 2.53 (part MV, migration 0005).
    uuid: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(36), default=lambda: str(uuid.uuid4()))
    host: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    binary: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    topic: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    report_count: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    disabled: orm.Mapped[bool] = orm.mapped_column(sa.Boolean, default=False)
    disabled_reason: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(255))
    forced_down: orm.Mapped[bool] = orm.mapped_column(sa.Boolean,
                                                      default=False)
    last_seen_up: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        sa.DateTime)
    version: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)


class ComputeNode(Base, TimestampMixin, SoftDeleteMixin):
    """A hypervisor's resources, reported by its minova-compute."""

    __tablename__ = "compute_nodes"
    __table_args__ = (
        sa.UniqueConstraint("host", "hypervisor_hostname", "deleted",
                            name="uniq_compute_nodes0host0hypervisor_"
                                 "hostname0deleted"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True)
    host: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    hypervisor_hostname: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    hypervisor_type: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                         default="fake")
    hypervisor_version: orm.Mapped[int] = orm.mapped_column(sa.Integer,
                                                            default=1)
    host_ip: orm.Mapped[str | None] = orm.mapped_column(sa.String(39))
    vcpus: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    memory_mb: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    local_gb: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    vcpus_used: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    memory_mb_used: orm.Mapped[int] = orm.mapped_column(sa.Integer,
                                                        default=0)
    local_gb_used: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    free_ram_mb: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    free_disk_gb: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    running_vms: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    cpu_allocation_ratio: orm.Mapped[float] = orm.mapped_column(
        sa.Float, default=16.0)
    ram_allocation_ratio: orm.Mapped[float] = orm.mapped_column(
        sa.Float, default=1.5)
    disk_allocation_ratio: orm.Mapped[float] = orm.mapped_column(
        sa.Float, default=1.0)


class Flavor(Base, TimestampMixin):
    """A size servers are booted with. Not soft-deleted, as in Nova."""

    __tablename__ = "flavors"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    flavorid: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                  unique=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), unique=True)
    memory_mb: orm.Mapped[int] = orm.mapped_column(sa.Integer)
    vcpus: orm.Mapped[int] = orm.mapped_column(sa.Integer)
    root_gb: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    ephemeral_gb: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    swap: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    rxtx_factor: orm.Mapped[float] = orm.mapped_column(sa.Float, default=1.0)
    is_public: orm.Mapped[bool] = orm.mapped_column(sa.Boolean, default=True)
    disabled: orm.Mapped[bool] = orm.mapped_column(sa.Boolean, default=False)
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)


class Instance(Base, TimestampMixin, SoftDeleteMixin):
    """A server. The flavor's sizes are copied in at boot, as Nova does."""

    __tablename__ = "instances"
    __table_args__ = (
        sa.Index("instances_project_id_deleted_idx", "project_id",
                 "deleted"),
        sa.Index("instances_host_deleted_idx", "host", "deleted"),
        sa.Index("instances_fixed_ip_deleted_idx", "fixed_ip", "deleted"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True)
    display_name: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    hostname: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    user_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    image_ref: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    flavor_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey("flavors.id", ondelete="SET NULL"))
    memory_mb: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    vcpus: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    root_gb: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    ephemeral_gb: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    flavor: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON)
    vm_state: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    task_state: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    power_state: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=0)
    host: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    node: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    availability_zone: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(255))
    key_name: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    meta: orm.Mapped[dict | None] = orm.mapped_column("metadata", sa.JSON)
    network_info: orm.Mapped[list | None] = orm.mapped_column(sa.JSON)
    # The first fixed address of network_info, kept with it by
    # minova.db.instances: the metadata API finds the calling instance by
    # it through the index above instead of reading every network_info.
    fixed_ip: orm.Mapped[str | None] = orm.mapped_column(sa.String(39))
    launched_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        sa.DateTime)
    terminated_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        sa.DateTime)


class InstanceFault(Base, TimestampMixin):
    """Why an instance went to ERROR; the API shows the newest one."""

    __tablename__ = "instance_faults"
    __table_args__ = (
        sa.Index("instance_faults_instance_uuid_idx", "instance_uuid"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    instance_uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36))
    code: orm.Mapped[int] = orm.mapped_column(sa.Integer)
    message: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    details: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    host: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))


class Quota(Base, TimestampMixin):
    """A project's own limit for one resource (``PUT /os-quota-sets``)."""

    __tablename__ = "quotas"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "resource",
                            name="uniq_quotas0project_id0resource"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    resource: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    hard_limit: orm.Mapped[int] = orm.mapped_column(sa.Integer)


class QuotaClass(Base, TimestampMixin):
    """A quota class's limit for one resource; the class 'default' holds
    the defaults that override ``[quota]``."""

    __tablename__ = "quota_classes"
    __table_args__ = (
        sa.UniqueConstraint("class_name", "resource",
                            name="uniq_quota_classes0class_name0resource"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    class_name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    resource: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    hard_limit: orm.Mapped[int] = orm.mapped_column(sa.Integer)


class QuotaLock(Base):
    """One row per project that has created servers: the row a create
    locks (an UPDATE in its transaction) so that the project's usage
    it counts cannot change before its own rows are in."""

    __tablename__ = "quota_locks"

    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                    primary_key=True)
    updated_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        sa.DateTime)


class IdempotencyKey(Base):
    """A ``POST /servers`` made with an ``Idempotency-Key`` header: what
    was asked (a hash) and, once answered, the answer to replay."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        sa.UniqueConstraint("project_id", "key",
                            name="uniq_idempotency_keys0project_id0key"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    key: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    request_hash: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    # NULL while the first request is in flight.
    status: orm.Mapped[int | None] = orm.mapped_column(sa.Integer)
    headers: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON)
    body: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(
        sa.DateTime, default=_utcnow)
