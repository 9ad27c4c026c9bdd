"""Turning a command line into a ready ``ConfigOpts`` and logging."""

from __future__ import annotations

from oslo_config import cfg
from oslo_log import log
from oslo_messaging import opts as messaging_opts

from minova import conf as minova_conf
from minova import objects
from minova import rpc
from minova import version


def register(conf: cfg.ConfigOpts) -> None:
    """Register minova's, oslo.log's and oslo.messaging's [DEFAULT]
    options on ``conf``, so that their defaults can be set before parsing
    (oslo.messaging would otherwise register them at first use)."""
    log.register_options(conf)
    minova_conf.register_opts(conf)
    # Before copying oslo.messaging's options: this changes their default.
    rpc.set_defaults()
    for group, opts in messaging_opts.list_opts():
        if group is None:
            conf.register_opts(opts)


def parse_args(conf: cfg.ConfigOpts, argv: list[str],
               default_config_files: list[str] | None = None,
               setup_logging: bool = True,
               description: str | None = None) -> None:
    """Register options, read the command line and config files, set up
    logging, and register the versioned objects. ``description`` is what
    ``--help`` says the program is."""
    register(conf)
    log.set_defaults(default_log_levels=log.get_default_log_levels() + [
        "routes.middleware=WARN", "stevedore=WARN", "alembic=WARN"])
    conf(argv[1:], project="minova", version=version.version_string(),
         default_config_files=default_config_files,
         description=description)
    if setup_logging:
        log.setup(conf, "minova")
    objects.register_all()
