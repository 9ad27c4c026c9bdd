"""instances.fixed_ip: an index of the address the metadata API looks up

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 22:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _first_fixed_ip(network_info: list | None) -> str | None:
    # The rule of minova.db.instances.fixed_ip, copied: a migration must
    # keep doing what it did when it was written, whatever the code does.
    for vif in network_info or []:
        if isinstance(vif, dict) and vif.get("address") and \
                vif.get("type", "fixed") == "fixed":
            return str(vif["address"])[:39]
    return None


def upgrade() -> None:
    with op.batch_alter_table("instances", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fixed_ip", sa.String(length=39),
                                      nullable=True))
        batch_op.create_index("instances_fixed_ip_deleted_idx",
                              ["fixed_ip", "deleted"], unique=False)
    # Fill it in for the live instances that already have an address.
    instances = sa.table("instances", sa.column("id", sa.Integer),
                         sa.column("deleted", sa.Integer),
                         sa.column("network_info", sa.JSON),
                         sa.column("fixed_ip", sa.String))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(instances.c.id, instances.c.network_info).where(
            instances.c.deleted == 0,
            instances.c.network_info.isnot(None))).all()
    for row in rows:
        address = _first_fixed_ip(row.network_info)
        if address is not None:
            connection.execute(
                instances.update().where(instances.c.id == row.id)
                .values(fixed_ip=address))


def downgrade() -> None:
    with op.batch_alter_table("instances", schema=None) as batch_op:
        batch_op.drop_index("instances_fixed_ip_deleted_idx")
        batch_op.drop_column("fixed_ip")
