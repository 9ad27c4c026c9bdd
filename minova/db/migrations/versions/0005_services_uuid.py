"""services.uuid: the id the compute API shows from microversion 2.53

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 23:20:00.000000
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.add_column(sa.Column("uuid", sa.String(length=36),
                                      nullable=True))
        batch_op.create_unique_constraint("uniq_services0uuid", ["uuid"])
    # Every existing service gets one, deleted rows too: a uuid once
    # shown must keep naming the same row.
    services = sa.table("services", sa.column("id", sa.Integer),
                        sa.column("uuid", sa.String))
    connection = op.get_bind()
    ids = connection.execute(sa.select(services.c.id)).scalars().all()
    for ident in ids:
        connection.execute(services.update().where(services.c.id == ident)
                           .values(uuid=str(uuid.uuid4())))


def downgrade() -> None:
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.drop_constraint("uniq_services0uuid", type_="unique")
        batch_op.drop_column("uuid")
