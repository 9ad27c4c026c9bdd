"""The database every service but compute reaches."""

from oslo_config import cfg

database_group = cfg.OptGroup("database", title="Database options")

database_opts = [
    cfg.StrOpt("connection",
               default="sqlite:///$state_path/minova.sqlite",
               secret=True,
               help="SQLAlchemy URL of the database, e.g. "
                    "mysql+pymysql://user:pass@host/minova or "
                    "postgresql+psycopg://user@host/minova."),
    cfg.IntOpt("max_pool_size",
               default=20, min=1,
               help="Connections kept open per process (not for SQLite). "
                    "The green threads of the process share them and "
                    "queue for one when all are busy (up to "
                    "pool_timeout), which costs far less than opening a "
                    "new connection."),
    cfg.IntOpt("max_overflow",
               default=40, min=0,
               help="Extra connections allowed above max_pool_size under "
                    "load (not for SQLite). Each is opened when needed "
                    "and closed as soon as it is returned, so a process "
                    "that often needs more than max_pool_size at once "
                    "pays a new connection (TCP, authentication) per "
                    "transaction: raise max_pool_size for that. The "
                    "overflow is there so that bursts beyond it do not "
                    "wait: SQLAlchemy's pool is not fair to waiters, "
                    "and with none a waiter could starve past "
                    "pool_timeout (docs/performance.md)."),
    cfg.IntOpt("pool_timeout",
               default=30, min=1,
               help="Seconds to wait for a free pooled connection."),
    cfg.BoolOpt("connection_debug",
                default=False,
                help="Log every SQL statement (very verbose)."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(database_group)
    conf.register_opts(database_opts, group=database_group)


def list_opts() -> dict:
    return {"database": database_opts}
