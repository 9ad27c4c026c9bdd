"""What every minova binary does at start."""

from __future__ import annotations

import gc
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


def freeze_startup_objects() -> None:
    """Move everything built so far out of the garbage collector's reach.

    Modules, classes, the paste app and the like live as long as the
    process; a full collection traversed all of them again and again
    (about 8% of GET /v2.1/os-services, docs/performance.md). Frozen
    before ProcessLauncher forks, they also stay shared with the workers
    instead of being copied by the collector's writes.
    """
    gc.collect()
    gc.freeze()
