"""network: networks, subnets, ports and their addresses, floating IPs,
security groups

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 23:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _timestamps() -> list:
    return [sa.Column("created_at", sa.DateTime(), nullable=True),
            sa.Column("updated_at", sa.DateTime(), nullable=True)]


def _id() -> sa.Column:
    return sa.Column("id", sa.String(length=36), nullable=False)


def upgrade() -> None:
    op.create_table(
        "networks", _id(),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("admin_state_up", sa.Boolean(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("router_external", sa.Boolean(), nullable=False),
        sa.Column("mtu", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_networks_project_id", "networks", ["project_id"])
    op.create_index("ix_networks_name", "networks", ["name"])
    op.create_table(
        "subnets", _id(),
        sa.Column("network_id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("ip_version", sa.Integer(), nullable=False),
        sa.Column("cidr", sa.String(length=64), nullable=False),
        sa.Column("gateway_ip", sa.String(length=64), nullable=True),
        sa.Column("enable_dhcp", sa.Boolean(), nullable=False),
        sa.Column("allocation_pools", sa.JSON(), nullable=False),
        sa.Column("dns_nameservers", sa.JSON(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(["network_id"], ["networks.id"],
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_subnets_network_id", "subnets", ["network_id"])
    op.create_table(
        "ports", _id(),
        sa.Column("network_id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("mac_address", sa.String(length=32), nullable=False),
        sa.Column("device_id", sa.String(length=255), nullable=False),
        sa.Column("device_owner", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("admin_state_up", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(["network_id"], ["networks.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("mac_address", name="uniq_ports0mac_address"),
    )
    op.create_index("ix_ports_network_id", "ports", ["network_id"])
    op.create_index("ix_ports_project_id", "ports", ["project_id"])
    op.create_index("ix_ports_device_id", "ports", ["device_id"])
    op.create_table(
        "ip_allocations",
        sa.Column("subnet_id", sa.String(length=36), nullable=False),
        sa.Column("ip_address", sa.String(length=64), nullable=False),
        sa.Column("port_id", sa.String(length=36), nullable=False),
        sa.Column("network_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["port_id"], ["ports.id"],
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["subnet_id"], ["subnets.id"],
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("subnet_id", "ip_address"),
    )
    op.create_index("ix_ip_allocations_port_id", "ip_allocations",
                    ["port_id"])
    op.create_table(
        "floating_ips", _id(),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("floating_network_id", sa.String(length=36),
                  nullable=False),
        sa.Column("floating_port_id", sa.String(length=36), nullable=False),
        sa.Column("floating_ip_address", sa.String(length=64),
                  nullable=False),
        sa.Column("port_id", sa.String(length=36), nullable=True),
        sa.Column("fixed_ip_address", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(["floating_network_id"], ["networks.id"]),
        sa.ForeignKeyConstraint(["floating_port_id"], ["ports.id"],
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["port_id"], ["ports.id"],
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_floating_ips_project_id", "floating_ips",
                    ["project_id"])
    op.create_index("ix_floating_ips_port_id", "floating_ips", ["port_id"])
    op.create_table(
        "security_groups", _id(),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_security_groups_project_id", "security_groups",
                    ["project_id"])
    op.create_table(
        "default_security_groups",
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("security_group_id", sa.String(length=36),
                  nullable=False),
        sa.ForeignKeyConstraint(["security_group_id"],
                                ["security_groups.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("project_id"),
    )
    op.create_table(
        "security_group_rules", _id(),
        sa.Column("security_group_id", sa.String(length=36),
                  nullable=False),
        sa.Column("project_id", sa.String(length=255), nullable=False),
        sa.Column("direction", sa.String(length=16), nullable=False),
        sa.Column("ethertype", sa.String(length=16), nullable=False),
        sa.Column("protocol", sa.String(length=40), nullable=True),
        sa.Column("port_range_min", sa.Integer(), nullable=True),
        sa.Column("port_range_max", sa.Integer(), nullable=True),
        sa.Column("remote_ip_prefix", sa.String(length=255), nullable=True),
        sa.Column("remote_group_id", sa.String(length=36), nullable=True),
        sa.Column("description", sa.String(length=255), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(["security_group_id"],
                                ["security_groups.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_security_group_rules_security_group_id",
                    "security_group_rules", ["security_group_id"])


def downgrade() -> None:
    for table in ("security_group_rules", "default_security_groups",
                  "security_groups", "floating_ips", "ip_allocations",
                  "ports", "subnets", "networks"):
        op.drop_table(table)
