"""a rebuild's user_data and the pinned availability zone (issue 9)

``instances.user_data`` holds what a rebuild (2.57) sets, base64 as
Nova keeps it; the metadata API serves it decoded. ``instances.
pinned_availability_zone`` is the zone a server is held to (Nova keeps
it in the request spec): the one asked for at boot, changed by ``PUT
/servers/{id}`` from 2.104. ``availability_zone`` stays the zone the
server is in. Rows from before keep showing what they showed: their
zone is copied in.

Revision ID: 0010_i9
Revises: 0009
Create Date: 2026-12-02 02:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_i9"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("instances", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_data", sa.Text(),
                                      nullable=True))
        batch_op.add_column(sa.Column("pinned_availability_zone",
                                      sa.String(length=255), nullable=True))
    instances = sa.table("instances",
                         sa.column("availability_zone", sa.String),
                         sa.column("pinned_availability_zone", sa.String))
    op.execute(instances.update().values(
        pinned_availability_zone=instances.c.availability_zone))


def downgrade() -> None:
    with op.batch_alter_table("instances", schema=None) as batch_op:
        batch_op.drop_column("pinned_availability_zone")
        batch_op.drop_column("user_data")
