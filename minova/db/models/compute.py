"""The compute API's tables: services and compute nodes, flavors and their
extra specs and access, instances with their faults, tags, actions,
groups and migrations, key pairs, quotas and idempotency keys."""

from __future__ import annotations

import datetime
import uuid

import sqlalchemy as sa
from sqlalchemy import orm

from minova.db.models.base import Base
from minova.db.models.base import SoftDeleteMixin
from minova.db.models.base import TimestampMixin
from minova.db.models.base import utcnow


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
        # The list's default order (created_at desc, then id) read off
        # the index from the marker on: a page costs its own rows, not a
        # sort of the whole project (migration 0011). It also serves what
        # the project's (project_id, deleted) index did (quota counts).
        sa.Index("instances_project_id_deleted_created_at_idx",
                 "project_id", "deleted", "created_at", "id"),
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
    # Issue 9, RES2 (migration 0007): lock/unlock. ``locked_by`` is who
    # locked it, "owner" or "admin", as in Nova: an owner may not unlock
    # what an admin locked.
    locked: orm.Mapped[bool | None] = orm.mapped_column(sa.Boolean,
                                                       default=False)
    locked_by: orm.Mapped[str | None] = orm.mapped_column(sa.String(5))
    locked_reason: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(255))
    # Issue 9 (migration 0010): what a rebuild sets from 2.57 (base64,
    # as Nova keeps it), and the zone the server is held to (Nova keeps
    # it in the request spec; 2.96 shows it, 2.104 changes it).
    user_data: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    pinned_availability_zone: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(255))


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
        sa.DateTime, default=utcnow)


# -- issue 9, part RES1: flavor extra specs and access, key pairs, tags ----

class FlavorExtraSpec(Base, TimestampMixin):
    """A key/value of a flavor (``/flavors/{id}/os-extra_specs``); goes
    with its flavor."""

    __tablename__ = "flavor_extra_specs"
    __table_args__ = (
        sa.UniqueConstraint("flavor_id", "key",
                            name="uniq_flavor_extra_specs0flavor_id0key"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    flavor_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("flavors.id", ondelete="CASCADE"))
    key: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    value: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))


class FlavorProject(Base, TimestampMixin):
    """A project that may use a private flavor (``os-flavor-access``)."""

    __tablename__ = "flavor_projects"
    __table_args__ = (
        sa.UniqueConstraint("flavor_id", "project_id",
                            name="uniq_flavor_projects0flavor_id0"
                                 "project_id"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    flavor_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("flavors.id", ondelete="CASCADE"))
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(255))


class KeyPair(Base, TimestampMixin):
    """A user's public key (``/os-keypairs``). Not soft-deleted, as in
    Nova's API database."""

    __tablename__ = "key_pairs"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "name",
                            name="uniq_key_pairs0user_id0name"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    user_id: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    fingerprint: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    public_key: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    type: orm.Mapped[str] = orm.mapped_column(sa.String(16), default="ssh")


class Tag(Base):
    """A server's tag (``/servers/{id}/tags``, 2.26)."""

    __tablename__ = "tags"
    __table_args__ = (sa.Index("tags_tag_idx", "tag"),)

    resource_id: orm.Mapped[str] = orm.mapped_column(sa.String(36),
                                                     primary_key=True)
    tag: orm.Mapped[str] = orm.mapped_column(sa.String(60),
                                             primary_key=True)


# -- Issue 9, RES2: instance actions (migration 0007) -----------------------


class InstanceAction(Base, TimestampMixin):
    """One request that acted on a server (``os-instance-actions``), as
    Nova's ``instance_actions``."""

    __tablename__ = "instance_actions"
    __table_args__ = (
        sa.Index("instance_uuid_idx", "instance_uuid"),
        sa.Index("request_id_idx", "request_id"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    action: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    instance_uuid: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(36))
    request_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    user_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    start_time: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        sa.DateTime, default=utcnow)
    finish_time: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        sa.DateTime)
    message: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))


class InstanceActionEvent(Base, TimestampMixin):
    """A step of an action on a host (``compute_stop_instance``...), as
    Nova's ``instance_actions_events``."""

    __tablename__ = "instance_actions_events"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    event: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    action_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.ForeignKey("instance_actions.id"), index=True)
    start_time: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        sa.DateTime, default=utcnow)
    finish_time: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        sa.DateTime)
    result: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    traceback: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    host: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    details: orm.Mapped[str | None] = orm.mapped_column(sa.Text)


# -- Issue 9, RES2: server groups (migration 0007) --------------------------


class InstanceGroup(Base, TimestampMixin):
    """A server group (``os-server-groups``): a scheduling policy for its
    members. Nova keeps the policy in ``instance_group_policy``; one group
    has one policy since 2.64, so here it is a column. Deleted for good,
    as in Nova's API database."""

    __tablename__ = "instance_groups"
    __table_args__ = (
        sa.Index("instance_groups_project_id_idx", "project_id"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True)
    name: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    user_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    policy: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    rules: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON)


class InstanceGroupMember(Base, TimestampMixin):
    """A server in a group (added at boot, removed at delete)."""

    __tablename__ = "instance_group_member"
    __table_args__ = (
        sa.Index("instance_group_member_instance_idx", "instance_uuid"),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    instance_uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36))
    group_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("instance_groups.id"), index=True)


# -- Issue 9, RES2: resize (migration 0007) ---------------------------------


class Migration(Base, TimestampMixin):
    """A resize, as Nova's ``migrations``: where from and to, and the
    flavor before and after (Nova keeps those in instance_extra). Its
    ``status`` says which host holds the flavor the instance does not
    have: the destination while ``migrating``, the source once
    ``finished`` (until confirmed or reverted)."""

    __tablename__ = "migrations"
    __table_args__ = (
        sa.Index("migrations_instance_uuid_idx", "instance_uuid"),
        sa.Index("migrations_status_idx", "status"),
        sa.Index("migrations_uuid_idx", "uuid", unique=True),
    )

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    instance_uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36))
    migration_type: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(16))
    status: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    source_compute: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(255))
    source_node: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    dest_compute: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(255))
    dest_node: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    old_instance_type_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.Integer)
    new_instance_type_id: orm.Mapped[int | None] = orm.mapped_column(
        sa.Integer)
    old_flavor: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON)
    new_flavor: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON)
    # The vm_state to go back to (active or stopped).
    old_vm_state: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    # Migration 0010, for GET /os-migrations: its id from 2.59 (the
    # paging marker), and who started it (2.80).
    uuid: orm.Mapped[str | None] = orm.mapped_column(sa.String(36))
    user_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
