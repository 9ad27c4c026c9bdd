"""All of minova's configuration options, one module per area.

Nothing here touches the global ``cfg.CONF``: callers hand in the
``ConfigOpts`` to register on (``minova.cmd`` passes the global one, tests
pass theirs).
"""

from oslo_config import cfg

from minova.conf import api
from minova.conf import base
from minova.conf import compute
from minova.conf import conductor
from minova.conf import database
from minova.conf import health
from minova.conf import identity
from minova.conf import image
from minova.conf import metrics
from minova.conf import network
from minova.conf import quota
from minova.conf import rpc
from minova.conf import scheduler
from minova.conf import service
from minova.conf import upgrade_levels
from minova.conf import wsgi

_MODULES = (base, service, wsgi, api, conductor, scheduler, compute,
            database, rpc, upgrade_levels, image, quota,
            identity, network, health, metrics)


def register_opts(conf: cfg.ConfigOpts) -> None:
    """Register every minova option on ``conf``; safe to call twice."""
    for module in _MODULES:
        module.register_opts(conf)
