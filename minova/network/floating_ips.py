"""Floating IPs: an address of an external network's subnet (held by a
port owned by ``network:floatingip``, as Neutron does), associated with
one fixed address of a port."""

from __future__ import annotations

import logging
from typing import Any

from minova import exception
from minova.db import api as db_api
from minova.db import models
from minova.db import network as db_network
from minova.network import core

LOG = logging.getLogger(__name__)

OWNER = "network:floatingip"


def create(db: db_api.Database, project_id: str, values: dict) -> Any:
    """400 unless the network is external; 409 when its range is
    exhausted. ``port_id`` in ``values`` associates it at once."""
    network_id = values["floating_network_id"]
    with db.session() as session:
        network = db_network.get(session, "network", network_id)
        if not network.router_external:
            raise exception.FloatingIPNetworkNotExternal(net_id=network_id)
    fixed = None
    if values.get("floating_ip_address"):
        fixed = [{"ip_address": values["floating_ip_address"]}]
    fip_id = core.new_id()
    # The port's project is empty, as Neutron's: it is nobody's to list.
    port = core.create_port(db, "", {
        "network_id": network_id, "device_id": fip_id,
        "device_owner": OWNER}, fixed_ips=fixed)
    [allocation] = db_network.allocations(db, [port.id])[port.id]
    row = models.FloatingIP(
        id=fip_id, project_id=project_id, floating_network_id=network_id,
        floating_port_id=port.id, status="DOWN",
        floating_ip_address=allocation.ip_address,
        description=values.get("description", ""))
    with db.session() as session:
        session.add(row)
    LOG.info("Floating IP %s (%s) created for project %s", row.id,
             row.floating_ip_address, project_id)
    if values.get("port_id"):
        row = associate(db, row.id, values["port_id"],
                        values.get("fixed_ip_address"))
    return row


def associate(db: db_api.Database, fip_id: str, port_id: str | None,
              fixed_ip_address: str | None = None) -> Any:
    """Associate with the port's first (or the given) fixed address, or
    disassociate with ``port_id`` None. 409 if the port already has
    another floating IP."""
    with db.session() as session:
        row = db_network.get(session, "floatingip", fip_id)
        if port_id is None:
            row.port_id = row.fixed_ip_address = None
            row.status = "DOWN"
            LOG.info("Floating IP %s disassociated", fip_id)
            return row
        db_network.get(session, "port", port_id)
        for other in db_network.floating_ips_of_port(session, port_id):
            if other.id != fip_id:
                raise exception.FloatingIPPortAlreadyAssociated(
                    floating_ip_address=row.floating_ip_address,
                    port_id=port_id, fip_id=other.id)
    addresses = [a.ip_address for a in
                 db_network.allocations(db, [port_id])[port_id]]
    if fixed_ip_address is None:
        if not addresses:
            raise exception.Invalid(
                reason="port %s has no fixed IP" % port_id)
        fixed_ip_address = addresses[0]
    elif fixed_ip_address not in addresses:
        raise exception.InvalidIpForSubnet(
            ip_address=exception.cut(fixed_ip_address, 64))
    with db.session() as session:
        row = db_network.get(session, "floatingip", fip_id)
        row.port_id = port_id
        row.fixed_ip_address = fixed_ip_address
        row.status = "ACTIVE"
    LOG.info("Floating IP %s (%s) associated with port %s (%s)", fip_id,
             row.floating_ip_address, port_id, fixed_ip_address)
    return row


def delete(db: db_api.Database, fip_id: str) -> None:
    with db.session() as session:
        row = db_network.get(session, "floatingip", fip_id)
        port = db_network.get(session, "port", row.floating_port_id)
        session.delete(row)
        session.flush()
        session.delete(port)
    LOG.info("Floating IP %s deleted", fip_id)
