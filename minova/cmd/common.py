"""What every minova binary does at start, and how it fails to start."""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from oslo_concurrency import lockutils
from oslo_config import cfg

from minova import config
from minova import exception
from minova import metrics
from minova import rpc
from minova.conf import opts as conf_opts
from minova.db import api as db_api
from minova.health import broker

LOG = logging.getLogger(__name__)

# Where each binary's --help sends the reader for everything else.
CONFIG_HINT = ("Every option, these and the rest, can be set in a config "
               "file (--config-file; minova.conf is looked for in "
               "~/.minova/, ~/, /etc/minova/ and /etc/); "
               "etc/minova/minova.conf.sample lists them all.")


def init(argv: list[str] | None = None, description: str | None = None,
         cli_options: tuple[tuple[str | None, str], ...] = ()
         ) -> cfg.ConfigOpts:
    """Parse the process's command line into the global ``cfg.CONF``.

    The global object is used because oslo.messaging registers some of its
    options on it alone (see ``minova.rpc.get_transport``).
    ``description`` is what ``--help`` says the program is;
    ``cli_options`` are ``(group, name)`` of minova options that the
    program also takes on its command line (and so lists in ``--help``).
    """
    conf = cfg.CONF
    for group, name in cli_options:
        # Registered as CLI options before config.register registers them
        # again as plain ones (the same Opt object: a no-op then).
        conf.register_cli_opt(_find_opt(group, name), group=group)
    config.parse_args(conf, argv if argv is not None else sys.argv,
                      description=description)
    return conf


def _find_opt(group: str | None, name: str) -> cfg.Opt:
    for listed_group, opts in conf_opts.list_opts():
        if listed_group == group:
            for opt in opts:
                if opt.name == name:
                    return opt
    raise LookupError("no option [%s] %s" % (group or "DEFAULT", name))


def run(body: Callable[[], Any], argv: list[str] | None = None) -> None:
    """Run a binary's ``main`` body; a failure to start is one line on
    stderr and exit status 1, the traceback in the log at DEBUG.

    Operators read the line, not a traceback: what failed and where (the
    address in use, the database or broker unreachable, the missing file,
    the bad option, the state directory held by another process).
    """
    binary = os.path.basename((argv or sys.argv)[0])
    try:
        body()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        # Ctrl-C before the launcher took over the signals.
        sys.exit(130)
    except Exception as exc:
        LOG.debug("%s failed to start", binary, exc_info=True)
        print("%s: %s" % (binary, _one_line(exc)), file=sys.stderr)
        sys.exit(1)


def _one_line(exc: Exception) -> str:
    if isinstance(exc, exception.MinovaException):
        text = exc.format_message()
    elif isinstance(exc, cfg.Error):
        text = "configuration error: %s" % exc
    else:
        text = "%s: %s" % (type(exc).__name__, exc)
    return " ".join(text.split())


def setup_metrics(conf: cfg.ConfigOpts, forks: bool = False) -> None:
    """This process's metrics (``minova.metrics``). A process that forks
    workers uses prometheus_client's multiprocess mode, in a directory of
    its binary under ``[metrics] multiprocess_dir``, emptied now; the
    library reads ``PROMETHEUS_MULTIPROC_DIR`` when first imported, which
    is at ``metrics.setup``."""
    path = None
    if forks and conf.metrics.enabled:
        binary = os.path.basename(sys.argv[0]) or "minova"
        path = os.path.join(conf.metrics.multiprocess_dir, binary)
        metrics.clear_multiprocess_dir(path)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = path
    metrics.setup(conf, multiprocess_dir=path)


def transport_and_db(conf: cfg.ConfigOpts) -> tuple:
    transport = rpc.get_transport(conf)
    check_broker(conf)
    return transport, database(conf)


def database(conf: cfg.ConfigOpts) -> db_api.Database:
    """The database of ``[database] connection``, reached once now so that
    a wrong URL or a server down is a start-up error rather than a
    traceback in the first service's start."""
    db = db_api.Database.from_conf(conf)
    try:
        with db.reader() as connection:
            connection.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        url = db.engine.url.render_as_string(hide_password=True)
        reason = getattr(exc, "orig", None) or exc
        raise exception.DatabaseUnreachable(url=url,
                                            reason=reason) from exc
    finally:
        # The check's connection was made before any fork.
        db.engine.dispose()
    return db


def check_broker(conf: cfg.ConfigOpts, timeout: float = 5) -> None:
    """Connect once to a RabbitMQ ``transport_url``, so that a broker that
    cannot be reached is a start-up error: oslo.messaging itself would
    retry forever inside the first service's start."""
    try:
        broker.probe(conf, timeout)
    except Exception as exc:
        raise exception.BrokerUnreachable(url=broker.where(conf),
                                          reason=exc) from exc


def state_lock(conf: cfg.ConfigOpts) -> Any:
    """Take ``<state_path>/minova-all.lock`` for as long as the process
    runs, with the holder's pid written in it; another holder is a
    start-up error naming its pid. Two processes on one SQLite file and
    one set of ports would each believe they own the cloud."""
    os.makedirs(conf.state_path, exist_ok=True)
    path = os.path.join(conf.state_path, "minova-all.lock")
    lock = lockutils.InterProcessLock(path)
    if not lock.acquire(blocking=False):
        try:
            with open(path) as holder:
                pid = holder.read().strip() or "unknown"
        except OSError:
            pid = "unknown"
        raise exception.StateDirectoryLocked(path=conf.state_path, pid=pid)
    # The lock's own file, opened for appending: truncate, then the pid.
    lock.lockfile.truncate(0)
    lock.lockfile.write("%d\n" % os.getpid())
    lock.lockfile.flush()
    return lock


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
