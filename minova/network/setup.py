"""The networks every minova cloud has: a project-shared ``private``
network and an external ``public`` one with the floating range, made by
bootstrap (a step of ``minova.identity.bootstrap``) and, for ``private``,
by the first boot that asks for ``auto`` on a cloud without it."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from oslo_config import cfg
from sqlalchemy import exc as sa_exc

from minova.db import api as db_api
from minova.db import identity as db_identity
from minova.db import models
from minova.db import network as db_network
from minova.network import core

LOG = logging.getLogger(__name__)


def _owner(conf: cfg.ConfigOpts, db: db_api.Database) -> str:
    """The admin project's id once bootstrap made it, else none."""
    project = db_identity.find_one(db, "project",
                                   name=conf.identity.bootstrap_project_name)
    return project.id if project else ""


def _ensure(conf: cfg.ConfigOpts, db: db_api.Database, name: str,
            cidr: str, external: bool) -> tuple[Any, bool]:
    """The network of that name, or a new one with its subnet. The new
    one's id is derived from its name, so that two processes making it
    at once (first boots on 'auto') make one: the second insert fails on
    the primary key and reads the first's."""
    found = db_network.find(db, "network", {"name": [name]})
    if found:
        return found[0], False
    owner = _owner(conf, db)
    network = models.Network(
        id=str(uuid.uuid5(uuid.NAMESPACE_URL, "minova-network/" + name)),
        project_id=owner, name=name, description="", status="ACTIVE",
        admin_state_up=True, shared=not external,
        router_external=external, mtu=1500)
    subnet = models.Subnet(project_id=owner, **core.subnet_values(
        network, {"cidr": cidr, "name": "%s-subnet" % name,
                  "enable_dhcp": not external}))
    try:
        with db.session() as session:
            session.add(network)
            session.flush()
            session.add(subnet)
    except sa_exc.IntegrityError:
        return db_network.find(db, "network", {"name": [name]})[0], False
    LOG.info("Network %s (%s) created with subnet %s", name, network.id,
             cidr)
    return network, True


def ensure_private(conf: cfg.ConfigOpts, db: db_api.Database) -> Any:
    return _ensure(conf, db, conf.network.private_network_name,
                   conf.network.private_cidr, external=False)[0]


def bootstrap_step(conf: cfg.ConfigOpts, db: db_api.Database,
                   result: Any) -> None:
    """Idempotent: a network of the name already there is kept as is."""
    for name, cidr, external in (
            (conf.network.private_network_name, conf.network.private_cidr,
             False),
            (conf.network.public_network_name, conf.network.public_cidr,
             True)):
        _network, made = _ensure(conf, db, name, cidr, external)
        if made:
            result.created.append("network %s (%s)" % (name, cidr))
