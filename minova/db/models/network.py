"""The network API's tables (a Neutron v2.0 subset; minova/network owns
the addresses)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from minova.db.models.base import Base
from minova.db.models.base import TimestampMixin

# -- network (the Neutron v2.0 subset; minova/network owns the addresses) --


class Network(Base, TimestampMixin):
    __tablename__ = "networks"

    id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                    index=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), default="",
                                              index=True)
    description: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                     default="")
    status: orm.Mapped[str] = orm.mapped_column(sa.String(16),
                                                default="ACTIVE")
    admin_state_up: orm.Mapped[bool] = orm.mapped_column(sa.Boolean,
                                                         default=True)
    shared: orm.Mapped[bool] = orm.mapped_column(sa.Boolean, default=False)
    router_external: orm.Mapped[bool] = orm.mapped_column(sa.Boolean,
                                                          default=False)
    mtu: orm.Mapped[int] = orm.mapped_column(sa.Integer, default=1500)


class Subnet(Base, TimestampMixin):
    __tablename__ = "subnets"

    id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    network_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey("networks.id", ondelete="CASCADE"),
        index=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), default="")
    description: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                     default="")
    ip_version: orm.Mapped[int] = orm.mapped_column(sa.Integer)
    cidr: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    gateway_ip: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    enable_dhcp: orm.Mapped[bool] = orm.mapped_column(sa.Boolean,
                                                      default=True)
    # [{"start": ..., "end": ...}]: the addresses IPAM hands out.
    allocation_pools: orm.Mapped[list] = orm.mapped_column(sa.JSON)
    dns_nameservers: orm.Mapped[list] = orm.mapped_column(sa.JSON)


class Port(Base, TimestampMixin):
    __tablename__ = "ports"
    __table_args__ = (sa.UniqueConstraint("mac_address",
                                          name="uniq_ports0mac_address"),)

    id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    network_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey("networks.id"), index=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                    index=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), default="")
    description: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                     default="")
    mac_address: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    device_id: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                   default="", index=True)
    device_owner: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                      default="")
    status: orm.Mapped[str] = orm.mapped_column(sa.String(16),
                                                default="DOWN")
    admin_state_up: orm.Mapped[bool] = orm.mapped_column(sa.Boolean,
                                                         default=True)


class IPAllocation(Base):
    """One address of a port. The primary key makes an address taken
    once per subnet: two racing allocations of the same address cannot
    both commit, and the loser tries the next free one."""

    __tablename__ = "ip_allocations"

    subnet_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey("subnets.id", ondelete="CASCADE"),
        primary_key=True)
    ip_address: orm.Mapped[str] = orm.mapped_column(sa.String(64),
                                                    primary_key=True)
    port_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey("ports.id", ondelete="CASCADE"),
        index=True)
    network_id: orm.Mapped[str] = orm.mapped_column(sa.String(36))


class FloatingIP(Base, TimestampMixin):
    """Its address is an allocation of ``floating_port_id``, a port of
    the external network owned by ``network:floatingip``, as Neutron
    does."""

    __tablename__ = "floating_ips"

    id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                    index=True)
    description: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                     default="")
    floating_network_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey("networks.id"))
    floating_port_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey("ports.id", ondelete="CASCADE"))
    floating_ip_address: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    port_id: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(36), sa.ForeignKey("ports.id", ondelete="SET NULL"),
        index=True)
    fixed_ip_address: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(64))
    status: orm.Mapped[str] = orm.mapped_column(sa.String(16),
                                                default="DOWN")


class SecurityGroup(Base, TimestampMixin):
    __tablename__ = "security_groups"

    id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                    index=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    description: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                     default="")


class DefaultSecurityGroup(Base):
    """The project's one default group: the primary key makes two racing
    first uses create one."""

    __tablename__ = "default_security_groups"

    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                    primary_key=True)
    security_group_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey("security_groups.id",
                                     ondelete="CASCADE"))


class SecurityGroupRule(Base, TimestampMixin):
    __tablename__ = "security_group_rules"

    id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    security_group_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey("security_groups.id",
                                     ondelete="CASCADE"), index=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    direction: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    ethertype: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    protocol: orm.Mapped[str | None] = orm.mapped_column(sa.String(40))
    port_range_min: orm.Mapped[int | None] = orm.mapped_column(sa.Integer)
    port_range_max: orm.Mapped[int | None] = orm.mapped_column(sa.Integer)
    remote_ip_prefix: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(255))
    remote_group_id: orm.Mapped[str | None] = orm.mapped_column(
        sa.String(36))
    description: orm.Mapped[str] = orm.mapped_column(sa.String(255),
                                                     default="")
