"""flavor extra specs and access, key pairs, server tags

``flavor_extra_specs`` and ``flavor_projects`` (the projects a private
flavor is shared with) go with their flavor; ``key_pairs`` are a user's
public keys; ``tags`` a server's tags (2.26).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 23:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime(), nullable=True),
            sa.Column("updated_at", sa.DateTime(), nullable=True)]


def upgrade() -> None:
    op.create_table(
        "flavor_extra_specs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("flavor_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(["flavor_id"], ["flavors.id"],
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("flavor_id", "key",
                            name="uniq_flavor_extra_specs0flavor_id0key"),
    )
    op.create_table(
        "flavor_projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("flavor_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(["flavor_id"], ["flavors.id"],
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("flavor_id", "project_id",
                            name="uniq_flavor_projects0flavor_id0"
                                 "project_id"),
    )
    op.create_table(
        "key_pairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=255), nullable=True),
        sa.Column("public_key", sa.Text(), nullable=True),
        sa.Column("type", sa.String(length=16), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "name",
                            name="uniq_key_pairs0user_id0name"),
    )
    op.create_table(
        "tags",
        sa.Column("resource_id", sa.String(length=36), nullable=False),
        sa.Column("tag", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("resource_id", "tag"),
    )
    op.create_index("tags_tag_idx", "tags", ["tag"], unique=False)


def downgrade() -> None:
    op.drop_index("tags_tag_idx", table_name="tags")
    for table in ("tags", "key_pairs", "flavor_projects",
                  "flavor_extra_specs"):
        op.drop_table(table)
