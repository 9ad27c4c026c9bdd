"""minova-conductor: the database proxy and task orchestrator.

``API(...)`` picks how a service reaches the conductor: in process
(``LocalAPI``) when the service may use the database itself, over RPC
(``conductor.api.API``) when it may not (minova-compute).
"""

from __future__ import annotations

from typing import Any

import oslo_messaging as messaging
from oslo_config import cfg

from minova.conductor import api as conductor_api


def API(conf: cfg.ConfigOpts, transport: messaging.Transport, *,
        use_local: bool = False) -> Any:
    if use_local or conf.conductor.use_local:
        return conductor_api.LocalAPI(conf, transport)
    return conductor_api.API(conf, transport)
