"""What every minova binary does at start."""

from __future__ import annotations

import sys

from oslo_config import cfg

from minova import config
from minova import rpc
from minova.db import api as db_api


def init(argv: list[str] | None = None) -> cfg.ConfigOpts:
    """Parse the process's command line into the global ``cfg.CONF``.

    The global object is used because oslo.messaging registers some of its
    options on it alone (see ``minova.rpc.get_transport``).
    """
    conf = cfg.CONF
    config.parse_args(conf, argv if argv is not None else sys.argv)
    return conf


def transport_and_db(conf: cfg.ConfigOpts) -> tuple:
    return rpc.get_transport(conf), db_api.Database.from_conf(conf)
