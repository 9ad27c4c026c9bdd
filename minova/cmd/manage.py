"""minova-manage: database and service administration.

    minova-manage db sync            create or upgrade the schema
    minova-manage db version         print the schema revision
    minova-manage service list       the services table, with up/down
    minova-manage service delete ID  remove a service record
    minova-manage version            print minova's version
"""

from __future__ import annotations

import sys
from typing import Any

from oslo_config import cfg

from minova import config
from minova import context as minova_context
from minova import exception
from minova import servicegroup
from minova import version
from minova.db import api as db_api
from minova.db import flavors as db_flavors
from minova.db import migration
from minova.objects import service as service_obj

DESCRIPTION = (
    "Administer a minova deployment: create or upgrade the database schema "
    "of [database] connection (db sync, db version), list or delete "
    "service records (service list, service delete ID), print the version. "
    "Options come from the config file (--config-file), as for the "
    "services.")


def _db(conf: cfg.ConfigOpts) -> db_api.Database:
    return db_api.Database.from_conf(conf)


def db_sync(conf: cfg.ConfigOpts) -> int:
    db = _db(conf)
    revision = migration.db_sync(db)
    created = db_flavors.ensure_defaults(db)
    print("Database is at revision %s; %d default flavors created"
          % (revision, created))
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
    delete = svc.add_parser("delete")
    delete.add_argument("service_id", type=int)
    delete.set_defaults(func=service_delete)
    subparsers.add_parser("version").set_defaults(func=print_version)


def main(argv: list[str] | None = None) -> int:
    conf = cfg.CONF
    conf.register_cli_opt(cfg.SubCommandOpt(
        "category", title="Commands", handler=_add_parsers))
    config.parse_args(conf, argv if argv is not None else sys.argv,
                      description=DESCRIPTION)
    return conf.category.func(conf)
