"""instances: indexes in the server list's default order

A page of ``GET /servers`` (``created_at desc, id desc``, from a marker)
sorted every live server of the project before this; with the order in
the index it reads the page's rows only (docs/performance.md, "Server
lists"). The project index takes the place of ``(project_id, deleted)``,
which is its prefix.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 02:30:00
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("instances", schema=None) as batch_op:
        batch_op.create_index(
            "instances_project_id_deleted_created_at_idx",
            ["project_id", "deleted", "created_at", "id"], unique=False)
        batch_op.drop_index("instances_project_id_deleted_idx")


def downgrade() -> None:
    with op.batch_alter_table("instances", schema=None) as batch_op:
        batch_op.create_index("instances_project_id_deleted_idx",
                              ["project_id", "deleted"], unique=False)
        batch_op.drop_index("instances_project_id_deleted_created_at_idx")
