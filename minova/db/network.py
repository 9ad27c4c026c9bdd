"""Network queries: networks, subnets, ports and their addresses, floating
IPs, security groups. Rows are few per request, so these use the ORM
session; ``minova.network`` is the one caller that writes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from minova import exception
from minova.db import api as db_api
from minova.db import models

KINDS: dict[str, Any] = {
    "network": models.Network,
    "subnet": models.Subnet,
    "port": models.Port,
    "floatingip": models.FloatingIP,
    "security_group": models.SecurityGroup,
    "security_group_rule": models.SecurityGroupRule,
}

_NOT_FOUND = {
    "network": lambda ident: exception.NetworkNotFound(net_id=ident),
    "subnet": lambda ident: exception.SubnetNotFound(subnet_id=ident),
    "port": lambda ident: exception.PortNotFound(port_id=ident),
    "floatingip": lambda ident: exception.FloatingIPNotFound(
        floatingip_id=ident),
    "security_group": lambda ident: exception.SecurityGroupNotFound(
        id=ident),
    "security_group_rule": lambda ident: exception.NotFound(),
}


def not_found(kind: str, ident: str) -> exception.MinovaException:
    return _NOT_FOUND[kind](ident)


def get(session: orm.Session, kind: str, ident: str) -> Any:
    row = session.get(KINDS[kind], ident)
    if row is None:
        raise not_found(kind, ident)
    return row


def find(db: db_api.Database, kind: str, filters: dict[str, list],
         fixed_ips: dict[str, list] | None = None) -> list[Any]:
    """Rows of ``kind`` whose columns are one of each filter's values;
    ``fixed_ips`` (ports): ``ip_address``/``subnet_id`` of an address."""
    model = KINDS[kind]
    query = sa.select(model)
    for name, values in filters.items():
        query = query.where(getattr(model, name).in_(values))
    if fixed_ips:
        alloc = sa.select(models.IPAllocation.port_id)
        for name, values in fixed_ips.items():
            alloc = alloc.where(getattr(models.IPAllocation,
                                        name).in_(values))
        query = query.where(model.id.in_(alloc))
    with db.session() as session:
        return list(session.scalars(query.order_by(model.created_at,
                                                   model.id)))


def allocations(db: db_api.Database,
                port_ids: Iterable[str]) -> dict[str, list]:
    """port id -> its allocations, in subnet then address order."""
    port_ids = list(port_ids)
    result: dict[str, list] = {port_id: [] for port_id in port_ids}
    if not port_ids:
        return result
    query = sa.select(models.IPAllocation).where(
        models.IPAllocation.port_id.in_(port_ids)).order_by(
        models.IPAllocation.subnet_id, models.IPAllocation.ip_address)
    with db.session() as session:
        for row in session.scalars(query):
            result[row.port_id].append(row)
    return result


def taken(session: orm.Session, subnet_id: str) -> set[str]:
    query = sa.select(models.IPAllocation.ip_address).where(
        models.IPAllocation.subnet_id == subnet_id)
    return set(session.scalars(query))


def subnets_of(session: orm.Session, network_id: str) -> list[Any]:
    query = sa.select(models.Subnet).where(
        models.Subnet.network_id == network_id).order_by(
        models.Subnet.created_at, models.Subnet.id)
    return list(session.scalars(query))


def ports_of_device(db: db_api.Database,
                    device_ids: Iterable[str]) -> list[Any]:
    device_ids = list(device_ids)
    if not device_ids:
        return []
    return find(db, "port", {"device_id": device_ids})


def floating_ips_of_ports(db: db_api.Database,
                          port_ids: Iterable[str]) -> list[Any]:
    port_ids = list(port_ids)
    if not port_ids:
        return []
    return find(db, "floatingip", {"port_id": port_ids})


def count(session: orm.Session, kind: str, **equal: Any) -> int:
    model = KINDS[kind]
    query = sa.select(sa.func.count()).select_from(model)
    for name, value in equal.items():
        query = query.where(getattr(model, name) == value)
    return session.scalar(query)


def default_security_group(session: orm.Session,
                           project_id: str) -> str | None:
    row = session.get(models.DefaultSecurityGroup, project_id)
    return row.security_group_id if row else None


def floating_ips_of_port(session: orm.Session, port_id: str) -> list[Any]:
    query = sa.select(models.FloatingIP).where(
        models.FloatingIP.port_id == port_id)
    return list(session.scalars(query))
