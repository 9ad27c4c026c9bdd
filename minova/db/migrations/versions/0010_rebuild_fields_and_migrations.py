"""a rebuild's user_data and the pinned availability zone (issue 9)

``instances.user_data`` holds what a rebuild (2.57) sets, base64 as
Nova keeps it; the metadata API serves it decoded. ``instances.
pinned_availability_zone`` is the zone a server is held to (Nova keeps
it in the request spec): the one asked for at boot, changed by ``PUT
/servers/{id}`` from 2.104. ``availability_zone`` stays the zone the
server is in. Rows from before keep showing what they showed: their
zone is copied in.

``migrations.uuid``, ``user_id`` and ``project_id`` for ``GET
/os-migrations`` (2.59 pages by the uuid, 2.80 shows and filters by who
started it); rows from before get a uuid and the server's owner.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 02:40:00
"""

import sqlalchemy as sa
from alembic import op
from oslo_utils import uuidutils

revision = "0010"
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
    with op.batch_alter_table("migrations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uuid", sa.String(length=36),
                                      nullable=True))
        batch_op.add_column(sa.Column("user_id", sa.String(length=255),
                                      nullable=True))
        batch_op.add_column(sa.Column("project_id", sa.String(length=255),
                                      nullable=True))
        batch_op.create_index("migrations_uuid_idx", ["uuid"], unique=True)
    _fill_migrations()


def _fill_migrations() -> None:
    migrations = sa.table("migrations", sa.column("id", sa.Integer),
                          sa.column("uuid", sa.String),
                          sa.column("instance_uuid", sa.String),
                          sa.column("user_id", sa.String),
                          sa.column("project_id", sa.String))
    owners = sa.table("instances", sa.column("uuid", sa.String),
                      sa.column("user_id", sa.String),
                      sa.column("project_id", sa.String))
    connection = op.get_bind()
    for (row_id,) in connection.execute(sa.select(migrations.c.id)).all():
        connection.execute(migrations.update().where(
            migrations.c.id == row_id).values(
                uuid=uuidutils.generate_uuid()))
    for name in ("user_id", "project_id"):
        owner = sa.select(owners.c[name]).where(
            owners.c.uuid == migrations.c.instance_uuid).scalar_subquery()
        connection.execute(migrations.update().values({name: owner}))


def downgrade() -> None:
    with op.batch_alter_table("migrations", schema=None) as batch_op:
        batch_op.drop_index("migrations_uuid_idx")
        batch_op.drop_column("project_id")
        batch_op.drop_column("user_id")
        batch_op.drop_column("uuid")
    with op.batch_alter_table("instances", schema=None) as batch_op:
        batch_op.drop_column("pinned_availability_zone")
        batch_op.drop_column("user_data")
