"""What API handlers work with, built once per API service.

Paste factories only get strings from the paste file, so the objects built
from ``conf`` reach the apps through the WSGI environ (key
``minova.deps``), put there by ``minova.service.WSGIService``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import oslo_messaging as messaging
from oslo_config import cfg

from minova import policy
from minova import servicegroup
from minova.compute import api as compute_api
from minova.identity import core as identity_core

ENVIRON_KEY = "minova.deps"


@dataclasses.dataclass
class Deps:
    conf: cfg.ConfigOpts
    db: Any
    transport: messaging.Transport
    policy: policy.Enforcer
    servicegroup: servicegroup.API
    compute_api: compute_api.API
    # Tokens, the validation cache and the identity domain: the identity
    # API and the compute API's minova auth strategy share it.
    identity: identity_core.Identity

    def environ(self) -> dict:
        return {ENVIRON_KEY: self}

    def reset(self) -> None:
        """SIGHUP (``WSGIService.reset``): read the policy files again."""
        self.policy.reload()


def build(conf: cfg.ConfigOpts, transport: messaging.Transport,
          db: Any) -> Deps:
    group = servicegroup.API(conf)
    return Deps(conf=conf, db=db, transport=transport,
                policy=policy.Enforcer(conf), servicegroup=group,
                compute_api=compute_api.API(conf, transport,
                                            servicegroup_api=group),
                identity=identity_core.Identity(conf, db))
