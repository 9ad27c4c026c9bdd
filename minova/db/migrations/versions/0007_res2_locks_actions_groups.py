"""server locks, instance actions and server groups (issue 9, RES2)

``instances.locked``, ``locked_by`` and ``locked_reason`` for
lock/unlock; ``instance_actions`` and ``instance_actions_events`` for
``os-instance-actions``, as Nova's tables of those names;
``instance_groups`` and ``instance_group_member`` for
``os-server-groups``; ``migrations`` for resize.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 23:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("instances", schema=None) as batch_op:
        # Nullable: rows written before this migration read as unlocked.
        batch_op.add_column(sa.Column("locked", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("locked_by", sa.String(length=5),
                                      nullable=True))
        batch_op.add_column(sa.Column("locked_reason",
                                      sa.String(length=255), nullable=True))
    op.create_table(
        "instance_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=255), nullable=True),
        sa.Column("instance_uuid", sa.String(length=36), nullable=True),
        sa.Column("request_id", sa.String(length=255), nullable=True),
        sa.Column("user_id", sa.String(length=255), nullable=True),
        sa.Column("project_id", sa.String(length=255), nullable=True),
        sa.Column("start_time", sa.DateTime(), nullable=True),
        sa.Column("finish_time", sa.DateTime(), nullable=True),
        sa.Column("message", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("instance_uuid_idx", "instance_actions",
                    ["instance_uuid"], unique=False)
    op.create_index("request_id_idx", "instance_actions", ["request_id"],
                    unique=False)
    op.create_table(
        "instance_actions_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=255), nullable=True),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("start_time", sa.DateTime(), nullable=True),
        sa.Column("finish_time", sa.DateTime(), nullable=True),
        sa.Column("result", sa.String(length=255), nullable=True),
        sa.Column("traceback", sa.Text(), nullable=True),
        sa.Column("host", sa.String(length=255), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["action_id"], ["instance_actions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_instance_actions_events_action_id",
                    "instance_actions_events", ["action_id"], unique=False)
    op.create_table(
        "instance_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("user_id", sa.String(length=255), nullable=True),
        sa.Column("project_id", sa.String(length=255), nullable=True),
        sa.Column("policy", sa.String(length=255), nullable=True),
        sa.Column("rules", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
    )
    op.create_index("instance_groups_project_id_idx", "instance_groups",
                    ["project_id"], unique=False)
    op.create_table(
        "instance_group_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_uuid", sa.String(length=36), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["instance_groups.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("instance_group_member_instance_idx",
                    "instance_group_member", ["instance_uuid"],
                    unique=False)
    op.create_index("ix_instance_group_member_group_id",
                    "instance_group_member", ["group_id"], unique=False)
    op.create_table(
        "migrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_uuid", sa.String(length=36), nullable=False),
        sa.Column("migration_type", sa.String(length=16), nullable=True),
        sa.Column("status", sa.String(length=255), nullable=True),
        sa.Column("source_compute", sa.String(length=255), nullable=True),
        sa.Column("source_node", sa.String(length=255), nullable=True),
        sa.Column("dest_compute", sa.String(length=255), nullable=True),
        sa.Column("dest_node", sa.String(length=255), nullable=True),
        sa.Column("old_instance_type_id", sa.Integer(), nullable=True),
        sa.Column("new_instance_type_id", sa.Integer(), nullable=True),
        sa.Column("old_flavor", sa.JSON(), nullable=True),
        sa.Column("new_flavor", sa.JSON(), nullable=True),
        sa.Column("old_vm_state", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("migrations_instance_uuid_idx", "migrations",
                    ["instance_uuid"], unique=False)
    op.create_index("migrations_status_idx", "migrations", ["status"],
                    unique=False)


def downgrade() -> None:
    op.drop_index("migrations_status_idx", table_name="migrations")
    op.drop_index("migrations_instance_uuid_idx", table_name="migrations")
    op.drop_table("migrations")
    op.drop_index("ix_instance_group_member_group_id",
                  table_name="instance_group_member")
    op.drop_index("instance_group_member_instance_idx",
                  table_name="instance_group_member")
    op.drop_table("instance_group_member")
    op.drop_index("instance_groups_project_id_idx",
                  table_name="instance_groups")
    op.drop_table("instance_groups")
    op.drop_index("ix_instance_actions_events_action_id",
                  table_name="instance_actions_events")
    op.drop_table("instance_actions_events")
    op.drop_index("request_id_idx", table_name="instance_actions")
    op.drop_index("instance_uuid_idx", table_name="instance_actions")
    op.drop_table("instance_actions")
    with op.batch_alter_table("instances", schema=None) as batch_op:
        batch_op.drop_column("locked_reason")
        batch_op.drop_column("locked_by")
        batch_op.drop_column("locked")
