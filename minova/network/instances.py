"""What the compute API asks of the address owner: a server's ports at
boot (its ``network_info``), their release at delete, and the floating
IPs its addresses show."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from oslo_config import cfg

from minova import exception
from minova.db import api as db_api
from minova.db import network as db_network
from minova.network import core
from minova.network import security_groups
from minova.network import setup

LOG = logging.getLogger(__name__)


@dataclasses.dataclass
class Request:
    """One NIC asked for: a new port on ``network_id`` (with
    ``fixed_ip`` if given), or the existing port ``port_id``."""

    network_id: str | None = None
    port_id: str | None = None
    fixed_ip: str | None = None


def _visible(context: Any, network: Any) -> bool:
    return (context.is_admin or network.shared
            or network.project_id == context.project_id)


def resolve(conf: cfg.ConfigOpts, db: db_api.Database, context: Any,
            networks: Any) -> list[Request]:
    """Nova's ``networks``: "none", "auto" (the private network, made
    if it is missing, as Neutron's auto-allocated topology) or a list of
    {"uuid"}, {"port"}, {"fixed_ip"}. A network or port the caller
    cannot use is Nova's 400."""
    if networks == "none":
        return []
    if networks in (None, "auto"):
        return [Request(network_id=setup.ensure_private(conf, db).id)]
    requests = []
    for item in networks:
        if item.get("port"):
            requests.append(_port_request(db, context, item["port"]))
            continue
        network_id = item.get("uuid")
        if not network_id:
            network_id = setup.ensure_private(conf, db).id
        with db.session() as session:
            try:
                network = db_network.get(session, "network", network_id)
            except exception.NetworkNotFound:
                network = None
        if network is None or not _visible(context, network):
            raise exception.NetworkNotFoundForBoot(network_uuid=network_id)
        requests.append(Request(network_id=network_id,
                                fixed_ip=item.get("fixed_ip")))
    return requests


def _port_request(db: db_api.Database, context: Any, port_id: str) -> Request:
    with db.session() as session:
        try:
            port = db_network.get(session, "port", port_id)
        except exception.PortNotFound:
            raise exception.Invalid(
                reason="Port %s could not be found." % port_id) from None
    if not context.is_admin and port.project_id != context.project_id:
        raise exception.Invalid(
            reason="Port %s could not be found." % port_id)
    if port.device_id:
        raise exception.Conflict(
            "Port %s is still in use." % port_id)
    return Request(port_id=port_id)


def allocate(db: db_api.Database, instance: Any, requests: list[Request],
             zone: str | None) -> list[dict]:
    """The instance's ports, and its ``network_info`` from them. On
    failure (a pool exhausted: 409) what was made is released."""
    made: list[str] = []
    bound: list[str] = []
    owner = "compute:%s" % (zone or "nova")
    if requests:
        # The group the server's ports are in, as Neutron's are.
        security_groups.ensure_default(db, instance.project_id)
    try:
        for request in requests:
            if request.port_id:
                core.update(db, "port", request.port_id, {
                    "device_id": instance.uuid, "device_owner": owner})
                bound.append(request.port_id)
                continue
            fixed = ([{"ip_address": request.fixed_ip}]
                     if request.fixed_ip else None)
            port = core.create_port(db, instance.project_id, {
                "network_id": request.network_id,
                "device_id": instance.uuid, "device_owner": owner},
                fixed_ips=fixed)
            made.append(port.id)
    except Exception:
        for port_id in made:
            core.delete_port(db, port_id)
        for port_id in bound:
            core.update(db, "port", port_id, {"device_id": "",
                                              "device_owner": ""})
        raise
    return network_info(db, made + bound, preserve=bound)


def network_info(db: db_api.Database, port_ids: list[str],
                 preserve: list[str] = ()) -> list[dict]:
    """One entry per fixed address, labelled with its network's name
    (the key of the server's ``addresses``)."""
    if not port_ids:
        return []
    ports = {p.id: p for p in db_network.find(db, "port", {"id": port_ids})}
    names = {n.id: n.name for n in db_network.find(
        db, "network", {"id": list({p.network_id for p in ports.values()})})}
    allocations = db_network.allocations(db, port_ids)
    info = []
    for port_id in port_ids:
        port = ports[port_id]
        for allocation in allocations[port_id]:
            info.append({
                "address": allocation.ip_address,
                "version": "6" if ":" in allocation.ip_address else "4",
                "type": "fixed", "label": names.get(port.network_id),
                "network_id": port.network_id, "port_id": port_id,
                "mac": port.mac_address,
                "preserve_on_delete": str(port_id in preserve)})
    return info


def deallocate(db: db_api.Database, instance_uuid: str,
               info: list | None) -> None:
    """Delete the ports made for the instance (their floating IPs are
    disassociated); unbind those it was given, as Nova does."""
    preserve = {vif.get("port_id") for vif in info or []
                if vif.get("preserve_on_delete") == "True"}
    for port in db_network.ports_of_device(db, [instance_uuid]):
        if port.id in preserve:
            core.update(db, "port", port.id, {"device_id": "",
                                              "device_owner": ""})
        else:
            core.delete_port(db, port.id)
    LOG.debug("Released the ports of instance %s", instance_uuid)


def floating(db: db_api.Database,
             instances: list[Any]) -> dict[str, list[dict]]:
    """instance uuid -> its floating addresses, as ``network_info``
    entries (one query for the ports' floating IPs)."""
    ports = {}
    for instance in instances:
        for vif in instance.network_info or []:
            if vif.get("port_id"):
                ports[vif["port_id"]] = (instance.uuid, vif)
    result: dict[str, list[dict]] = {}
    for fip in db_network.floating_ips_of_ports(db, list(ports)):
        uuid, vif = ports[fip.port_id]
        result.setdefault(uuid, []).append({
            "address": fip.floating_ip_address, "version": "4",
            "type": "floating", "label": vif.get("label"),
            "mac": vif.get("mac")})
    return result
