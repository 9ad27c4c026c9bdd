"""minova-all's embedded defaults keep every API in one process on
loopback, the identity API's own port included when it is enabled."""

from __future__ import annotations

from oslo_config import cfg

from minova.cmd import all as minova_all


def test_every_api_one_worker_on_loopback():
    conf = cfg.ConfigOpts()
    minova_all.set_embedded_defaults(conf)
    conf([], project="minova", default_config_files=[])
    for api in ("osapi_compute", "metadata", "identity"):
        # More than one worker would fork (ProcessLauncher), and the
        # in-process transport cannot cross processes.
        assert getattr(conf, "%s_workers" % api) == 1, api
        assert getattr(conf, "%s_listen" % api) == "127.0.0.1", api
    assert conf.api.noauth2_on_loopback is True
    assert conf.api.auth_strategy == "minova"
