"""Each project's ``default`` security group, created on first use with
Neutron's default rules: all egress, ingress from the group itself, for
IPv4 and IPv6. minova's fake hypervisor enforces nothing; the groups are
there because clients read them."""

from __future__ import annotations

import logging

from sqlalchemy import exc as sa_exc

from minova.db import api as db_api
from minova.db import models
from minova.db import network as db_network
from minova.network import core

LOG = logging.getLogger(__name__)

DEFAULT = "default"


def ensure_default(db: db_api.Database, project_id: str) -> str:
    """The id of the project's default group, made if missing. Two first
    uses racing make one: the primary key on the project refuses the
    second, which reads the first's."""
    with db.session() as session:
        existing = db_network.default_security_group(session, project_id)
    if existing:
        return existing
    group_id = core.new_id()
    try:
        with db.session() as session:
            session.add(models.SecurityGroup(
                id=group_id, project_id=project_id, name=DEFAULT,
                description="Default security group"))
            session.flush()
            session.add(models.DefaultSecurityGroup(
                project_id=project_id, security_group_id=group_id))
            for ethertype in ("IPv4", "IPv6"):
                for direction, remote in (("egress", None),
                                          ("ingress", group_id)):
                    session.add(models.SecurityGroupRule(
                        id=core.new_id(), security_group_id=group_id,
                        project_id=project_id, direction=direction,
                        ethertype=ethertype, remote_group_id=remote))
    except sa_exc.IntegrityError:
        with db.session() as session:
            return db_network.default_security_group(session, project_id)
    LOG.info("Default security group %s created for project %s", group_id,
             project_id)
    return group_id
