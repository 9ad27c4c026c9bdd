"""minova-manage: database and service administration.

    minova-manage db sync            create or upgrade the schema
    minova-manage db version         print the schema revision
    minova-manage service list       the services table, with up/down
    minova-manage service delete ID  remove a service record
    minova-manage service health     ping every service over RPC; exits 1
                                     when one that is up does not answer
    minova-manage bootstrap          identity: admin and demo users and
                                     projects, roles, keys, catalog
    minova-manage fernet setup       create the Fernet key repository
    minova-manage fernet rotate      rotate the Fernet keys
    minova-manage reset              the whole cloud back to its freshly
                                     bootstrapped state (tests of tools)
    minova-manage version            print minova's version
"""

from __future__ import annotations

import sys
from typing import Any

from oslo_config import cfg

from minova import config
from minova import context as minova_context
from minova import exception
from minova import reset
from minova import rpc
from minova import servicegroup
from minova import version
from minova.db import api as db_api
from minova.db import flavors as db_flavors
from minova.db import migration
from minova.health import report as health_report
from minova.identity import bootstrap
from minova.image import seed as image_seed
from minova.objects import service as service_obj

DESCRIPTION = (
    "Administer a minova deployment: create or upgrade the database schema "
    "of [database] connection (db sync, db version), list or delete "
    "service records (service list, service delete ID), ping every service "
    "over RPC (service health), bring the cloud back to its freshly "
    "bootstrapped state (reset), print the version. "
    "Options come from the config file (--config-file), as for the "
    "services.")


def _db(conf: cfg.ConfigOpts) -> db_api.Database:
    return db_api.Database.from_conf(conf)


def db_sync(conf: cfg.ConfigOpts) -> int:
    db = _db(conf)
    revision = migration.db_sync(db)
    created = db_flavors.ensure_defaults(db)
    # The [image] images too, as bootstrap does: a cloud run without the
    # identity API (noauth2) boots from them all the same.
    seeded = bootstrap.Result()
    image_seed.seed(conf, db, seeded)
    print("Database is at revision %s; %d default flavors created; %d "
          "images created" % (revision, created, len(seeded.created)))
    return 0


def db_version(conf: cfg.ConfigOpts) -> int:
    print(migration.db_version(_db(conf)) or "None (empty database)")
    return 0


def service_list(conf: cfg.ConfigOpts) -> int:
    ctxt = minova_context.get_admin_context(db=_db(conf))
    group = servicegroup.API(conf)
    rows = [("Id", "Binary", "Host", "Status", "State", "Updated At",
             "Forced down")]
    for svc in service_obj.ServiceList.get_all(ctxt):
        rows.append((str(svc.id), svc.binary, svc.host,
                     "disabled" if svc.disabled else "enabled",
                     "up" if group.is_up(svc) else "down",
                     str(svc.updated_at or svc.created_at),
                     str(svc.forced_down)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = zip(row, widths, strict=True)
        print("  ".join(cell.ljust(width) for cell, width in cells).rstrip())
    return 0


def service_health(conf: cfg.ConfigOpts, transport: Any = None) -> int:
    """Ping every service in the table over RPC and print the answers;
    1 if a service that should answer (an RPC service, up per its
    heartbeat, not forced down) did not."""
    own_transport = transport is None
    if own_transport:
        transport = rpc.get_transport(conf)
    try:
        rows = health_report.check_all(conf, transport, _db(conf))
    finally:
        if own_transport:
            transport.cleanup()
    _print_table(health_report.table(rows))
    failed = [row for row in rows if row.failed]
    if failed:
        print("%d service(s) up per heartbeat did not answer a ping within "
              "%ss ([health] ping_timeout): their RPC consumers are deaf or "
              "overloaded; check their logs, then restart them."
              % (len(failed), conf.health.ping_timeout), file=sys.stderr)
        return 1
    return 0


def _print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = zip(row, widths, strict=True)
        print("  ".join(cell.ljust(width) for cell, width in cells).rstrip())


def service_delete(conf: cfg.ConfigOpts) -> int:
    ctxt = minova_context.get_admin_context(db=_db(conf))
    try:
        service_obj.Service.get_by_id(ctxt, conf.category.service_id)\
            .destroy()
    except exception.ServiceNotFound as exc:
        print(exc.format_message(), file=sys.stderr)
        return 1
    print("Deleted service %s" % conf.category.service_id)
    return 0


# command line argument, [identity] option, help
_BOOTSTRAP_OVERRIDES = (
    ("bootstrap_username", "bootstrap_username", "the admin user's name"),
    ("bootstrap_project_name", "bootstrap_project_name",
     "the admin project's name"),
    ("bootstrap_password", "bootstrap_password",
     "the admin's password, if bootstrap creates the user"),
    ("demo_password", "demo_password",
     "the demo user's password, if bootstrap creates the user"),
    ("bootstrap_region_id", "region", "the catalog's region"),
    ("bootstrap_public_url", "public_endpoint",
     "base URL of the APIs on the compute API's port, e.g. "
     "http://cloud.example.org:8774 (the catalog adds /identity, "
     "/compute/v2.1, ...)"),
)


def identity_bootstrap(conf: cfg.ConfigOpts) -> int:
    for argument, option, _help in _BOOTSTRAP_OVERRIDES:
        value = getattr(conf.category, argument)
        if value:
            conf.set_override(option, value, group="identity")
    db = _db(conf)
    migration.db_sync(db)
    missing = [user for user, password in (
        (conf.identity.bootstrap_username, conf.identity.bootstrap_password),
        (bootstrap.DEMO, conf.identity.demo_password))
        if not password and not bootstrap.user_exists(db, user)]
    if missing:
        print("No password for the new user(s) %s: give --bootstrap-password"
              " and --demo-password (or [identity] bootstrap_password and "
              "demo_password)." % ", ".join(missing), file=sys.stderr)
        return 1
    result = bootstrap.bootstrap(conf, db, conf.identity.bootstrap_password,
                                 conf.identity.demo_password)
    print("Bootstrap: %s." % (", ".join(result.created)
                              or "everything was there already"))
    if conf.category.clouds_yaml:
        bootstrap.write_clouds_yaml(conf, conf.category.clouds_yaml,
                                    conf.identity.bootstrap_password,
                                    conf.identity.demo_password)
        print("Wrote %s" % conf.category.clouds_yaml)
    return 0


def fernet_setup(conf: cfg.ConfigOpts) -> int:
    repository = bootstrap.key_repository(conf)
    created = repository.setup()
    print("%s %s" % ("Created" if created else "Already set up:",
                     repository.path))
    return 0


def fernet_rotate(conf: cfg.ConfigOpts) -> int:
    repository = bootstrap.key_repository(conf)
    try:
        primary = repository.rotate()
    except exception.IdentityKeysMissing as exc:
        print(exc.format_message(), file=sys.stderr)
        return 1
    print("Rotated %s: key %d is the primary now; API processes pick it "
          "up within [identity] cache_refresh_interval."
          % (repository.path, primary))
    return 0


def cloud_reset(conf: cfg.ConfigOpts) -> int:
    db = _db(conf)
    url = conf.transport_url or ""
    # An in-process transport is another process's own: its services
    # catch up at their next periodic resync (minova-all: use
    # POST /minova/reset instead).
    transport = None if url.startswith("inproc:") else rpc.get_transport(
        conf)
    try:
        result = reset.reset(conf, transport, db)
    finally:
        if transport is not None:
            transport.cleanup()
        db.dispose()
    print("Reset in %.3f s: %d rows deleted; recreated: %s; services "
          "reset: %s" % (result.seconds, result.rows_deleted,
                         ", ".join(result.created) or "nothing",
                         ", ".join(result.services_reset) or "none"))
    if transport is None:
        print("The services were not told (transport %s): they resync "
              "within [compute] update_resources_interval." % url)
    if result.services_missed:
        print("Did not answer, still hold their state: %s"
              % ", ".join(result.services_missed), file=sys.stderr)
        return 1
    return 0


def print_version(conf: cfg.ConfigOpts) -> int:
    print(version.version_string())
    return 0


def _add_parsers(subparsers: Any) -> None:
    db = subparsers.add_parser("db", help="Database schema").add_subparsers(
        dest="action", required=True)
    db.add_parser("sync").set_defaults(func=db_sync)
    db.add_parser("version").set_defaults(func=db_version)
    svc = subparsers.add_parser("service", help="Service records")\
        .add_subparsers(dest="action", required=True)
    svc.add_parser("list").set_defaults(func=service_list)
    svc.add_parser("health").set_defaults(func=service_health)
    delete = svc.add_parser("delete")
    delete.add_argument("service_id", type=int)
    delete.set_defaults(func=service_delete)
    boot = subparsers.add_parser(
        "bootstrap", help="Identity: default domain, roles, admin and demo "
                          "users and projects, Fernet keys, the catalog")
    for argument, _option, text in _BOOTSTRAP_OVERRIDES:
        boot.add_argument("--" + argument.replace("_", "-"), help=text)
    boot.add_argument("--clouds-yaml",
                      help="Also write a clouds.yaml for the users here.")
    boot.set_defaults(func=identity_bootstrap)
    keys = subparsers.add_parser("fernet", help="Fernet token keys")\
        .add_subparsers(dest="action", required=True)
    keys.add_parser("setup").set_defaults(func=fernet_setup)
    keys.add_parser("rotate").set_defaults(func=fernet_rotate)
    subparsers.add_parser(
        "reset", help="Every server, flavor, image, network, key pair, "
                      "quota and identity object made since bootstrap "
                      "goes; bootstrap runs again; the running services "
                      "forget their instances").set_defaults(func=cloud_reset)
    subparsers.add_parser("version").set_defaults(func=print_version)


def main(argv: list[str] | None = None) -> int:
    conf = cfg.CONF
    conf.register_cli_opt(cfg.SubCommandOpt(
        "category", title="Commands", handler=_add_parsers))
    config.parse_args(conf, argv if argv is not None else sys.argv,
                      description=DESCRIPTION)
    return conf.category.func(conf)
