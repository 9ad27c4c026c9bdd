"""Networks, subnets and ports, and IPAM: a port's address is the first
free one of its subnet's allocation pools, taken in the transaction that
writes the port.

Written here rather than borrowed: neutron's IPAM driver comes with
neutron's whole plugin framework and database layer; the rule it applies
to one subnet (first free address of the pools, unique per subnet) is a
few lines over the standard ``ipaddress`` module.
"""

from __future__ import annotations

import ipaddress
import logging
import random
import uuid
from typing import Any

from sqlalchemy import exc as sa_exc

from minova import exception
from minova.db import api as db_api
from minova.db import models
from minova.db import network as db_network

LOG = logging.getLogger(__name__)

# Racing creates may pick the same free address (or MAC); the primary
# key refuses the second, which retries with what is free then.
_RETRIES = 10
# Neutron's default base_mac: fa:16:3e plus three random octets.
_MAC_PREFIX = "fa:16:3e"


def new_id() -> str:
    return str(uuid.uuid4())


def _mac() -> str:
    return "%s:%02x:%02x:%02x" % (_MAC_PREFIX, random.randrange(256),
                                  random.randrange(256),
                                  random.randrange(256))


# -- networks ----------------------------------------------------------------

def create_network(db: db_api.Database, project_id: str,
                   values: dict) -> Any:
    row = models.Network(id=new_id(), project_id=project_id,
                         status="ACTIVE", **values)
    with db.session() as session:
        session.add(row)
    LOG.info("Network %s (%s) created in project %s", row.id, row.name,
             project_id)
    return row


def update(db: db_api.Database, kind: str, ident: str,
           values: dict) -> Any:
    with db.session() as session:
        row = db_network.get(session, kind, ident)
        for name, value in values.items():
            setattr(row, name, value)
    return row


def delete_network(db: db_api.Database, network_id: str) -> None:
    """409 ``NetworkInUse`` while ports other than Neutron's own (DHCP,
    none here) are on it."""
    with db.session() as session:
        row = db_network.get(session, "network", network_id)
        if db_network.count(session, "port", network_id=network_id):
            raise exception.NetworkInUse(net_id=network_id)
        session.delete(row)
    LOG.info("Network %s deleted", network_id)


# -- subnets -----------------------------------------------------------------

def _address(text: str, field: str) -> Any:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        raise exception.ValidationError(
            field=field, reason="'%s' is not a valid IP address"
            % exception.cut(text, 64)) from None


def subnet_values(network: Any, values: dict) -> dict:
    """Neutron's defaults and checks: the gateway is the CIDR's first
    host unless given (or null), the pools all other hosts."""
    try:
        cidr = ipaddress.ip_network(values["cidr"], strict=False)
    except ValueError:
        raise exception.ValidationError(
            field="cidr", reason="'%s' is not a valid CIDR"
            % exception.cut(values["cidr"], 64)) from None
    if cidr.version != values.get("ip_version", cidr.version):
        raise exception.ValidationError(
            field="ip_version", reason="does not match the CIDR")
    if cidr.num_addresses < 4:
        raise exception.ValidationError(
            field="cidr", reason="too small for a subnet")
    hosts_first, hosts_last = cidr[1], cidr[-2] if cidr.version == 4 \
        else cidr[-1]
    gateway: Any = hosts_first
    if "gateway_ip" in values:
        gateway = (None if values["gateway_ip"] is None
                   else _address(values["gateway_ip"], "gateway_ip"))
    if gateway is not None and gateway not in cidr:
        raise exception.ValidationError(
            field="gateway_ip", reason="is not in the CIDR")
    pools = _pools(values.get("allocation_pools"), cidr, gateway,
                   hosts_first, hosts_last)
    return {
        "id": new_id(), "network_id": network.id,
        "name": values.get("name", ""),
        "description": values.get("description", ""),
        "ip_version": cidr.version, "cidr": str(cidr),
        "gateway_ip": None if gateway is None else str(gateway),
        "enable_dhcp": values.get("enable_dhcp", True),
        "allocation_pools": [{"start": p["start"], "end": p["end"]}
                             for p in pools],
        "dns_nameservers": list(values.get("dns_nameservers", [])),
    }


def _pools(pools: list | None, cidr: Any, gateway: Any, hosts_first: Any,
           hosts_last: Any) -> list[dict]:
    """The pools asked for, checked; else every host but the gateway."""
    if not pools:
        return _split(hosts_first, hosts_last, gateway)
    for pool in pools:
        start = _address(pool["start"], "allocation_pools")
        end = _address(pool["end"], "allocation_pools")
        if not (start in cidr and end in cidr and start <= end):
            raise exception.ValidationError(
                field="allocation_pools",
                reason="each pool must be a range inside the CIDR")
        if gateway is not None and start <= gateway <= end:
            raise exception.ValidationError(
                field="allocation_pools",
                reason="a pool must not hold the gateway IP")
    return pools


def _split(first: Any, last: Any, gateway: Any) -> list[dict]:
    if gateway is None or not first <= gateway <= last:
        return [{"start": str(first), "end": str(last)}]
    pools = []
    if gateway > first:
        pools.append({"start": str(first), "end": str(gateway - 1)})
    if gateway < last:
        pools.append({"start": str(gateway + 1), "end": str(last)})
    return pools


def create_subnet(db: db_api.Database, project_id: str,
                  values: dict) -> Any:
    with db.session() as session:
        network = db_network.get(session, "network", values["network_id"])
        row = models.Subnet(project_id=project_id,
                            **subnet_values(network, values))
        session.add(row)
    LOG.info("Subnet %s (%s) created on network %s", row.id, row.cidr,
             row.network_id)
    return row


def delete_subnet(db: db_api.Database, subnet_id: str) -> None:
    with db.session() as session:
        row = db_network.get(session, "subnet", subnet_id)
        if db_network.taken(session, subnet_id):
            raise exception.Conflict(
                "Unable to complete operation on subnet %s: one or more "
                "ports have an IP allocation from this subnet." % subnet_id)
        session.delete(row)


# -- ports and IPAM ----------------------------------------------------------

def _first_free(subnet: Any, taken: set[str]) -> str | None:
    for pool in subnet.allocation_pools:
        address = ipaddress.ip_address(pool["start"])
        end = ipaddress.ip_address(pool["end"])
        while address <= end:
            if str(address) not in taken:
                return str(address)
            address += 1
    return None


def _in_pools_or_cidr(subnet: Any, text: str) -> bool:
    address = _address(text, "fixed_ips")
    return (address in ipaddress.ip_network(subnet.cidr)
            and str(address) != subnet.gateway_ip)


def _allocate(session: Any, network_id: str, port_id: str,
              fixed_ips: list[dict] | None) -> None:
    """The port's addresses: each of ``fixed_ips`` ({subnet_id,
    ip_address}, either), or the first free one of the network's first
    subnet of each IP version."""
    subnets = db_network.subnets_of(session, network_id)
    wanted: list[tuple[Any, str | None]] = []
    if fixed_ips is None:
        versions: set[int] = set()
        for subnet in subnets:
            if subnet.ip_version not in versions:
                versions.add(subnet.ip_version)
                wanted.append((subnet, None))
    else:
        for fixed in fixed_ips:
            wanted.append(_subnet_for(subnets, fixed, network_id))
    for subnet, address in wanted:
        taken = db_network.taken(session, subnet.id)
        if address is None:
            address = _first_free(subnet, taken)
            if address is None:
                raise exception.IpAddressGenerationFailure(net_id=network_id)
        elif address in taken:
            raise exception.IpAddressAlreadyAllocated(ip=address,
                                                      subnet_id=subnet.id)
        session.add(models.IPAllocation(subnet_id=subnet.id,
                                        ip_address=address,
                                        port_id=port_id,
                                        network_id=network_id))


def _subnet_for(subnets: list, fixed: dict,
                network_id: str) -> tuple[Any, str | None]:
    address = fixed.get("ip_address")
    for subnet in subnets:
        if "subnet_id" in fixed and subnet.id != fixed["subnet_id"]:
            continue
        if address is None or _in_pools_or_cidr(subnet, address):
            return subnet, (None if address is None
                            else str(ipaddress.ip_address(address)))
    if "subnet_id" in fixed and address is None:
        raise exception.SubnetNotFound(subnet_id=fixed["subnet_id"])
    raise exception.InvalidIpForSubnet(ip_address=exception.cut(
        str(address), 64))


def create_port(db: db_api.Database, project_id: str, values: dict,
                fixed_ips: list[dict] | None = None) -> Any:
    """A port on ``values["network_id"]`` with its addresses (409
    ``IpAddressGenerationFailure`` when a pool is exhausted)."""
    values = dict(values)
    given_mac = values.pop("mac_address", None)
    for attempt in range(_RETRIES):
        port = models.Port(id=new_id(), project_id=project_id,
                           mac_address=given_mac or _mac(),
                           status="ACTIVE", **values)
        try:
            with db.session() as session:
                network = db_network.get(session, "network",
                                         port.network_id)
                session.add(port)
                session.flush()
                _allocate(session, network.id, port.id, fixed_ips)
        except sa_exc.IntegrityError:
            if given_mac or fixed_ips or attempt == _RETRIES - 1:
                raise exception.Conflict(
                    "The MAC address or an IP address of the port is in "
                    "use.") from None
            LOG.debug("Port create raced for an address or MAC; retrying")
            continue
        LOG.info("Port %s created on network %s for %s", port.id,
                 port.network_id, port.device_id or "no device")
        return port
    raise AssertionError("unreachable")


def delete_port(db: db_api.Database, port_id: str) -> None:
    """The port, its addresses, and its floating IPs' association."""
    with db.session() as session:
        row = db_network.get(session, "port", port_id)
        for fip in db_network.floating_ips_of_port(session, port_id):
            fip.port_id = None
            fip.fixed_ip_address = None
            fip.status = "DOWN"
        session.delete(row)
    LOG.info("Port %s deleted", port_id)
