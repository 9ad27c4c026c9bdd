"""The REST APIs: authentication and the metadata service."""

from oslo_config import cfg

api_group = cfg.OptGroup("api", title="REST API options")

api_opts = [
    cfg.StrOpt("auth_strategy",
               default="minova",
               choices=[("minova", "tokens from minova's own identity API, "
                                   "validated in process"),
                        ("keystone", "keystonemiddleware's auth_token "
                                     "against the Keystone of "
                                     "[keystone_authtoken]"),
                        ("noauth2", "X-Auth-Token: user:project, trusted "
                                    "as it is; for tests only")],
               help="How the compute API authenticates requests."),
    cfg.BoolOpt("noauth2_on_loopback",
                default=False,
                help="With auth_strategy minova, also accept noauth2 tokens "
                     "('user:project') while the compute API listens on a "
                     "loopback address only; any other token is still "
                     "validated as a minova token. minova-all turns it on "
                     "so that curl examples work on a laptop."),
    cfg.IntOpt("max_limit",
               default=1000, min=1,
               help="Most items a list call returns in one page."),
    cfg.BoolOpt("metadata_trust_header",
                default=False,
                help="Let the metadata API pick the instance from an "
                     "X-Instance-ID header instead of the caller's "
                     "address. Only for tests and trusted proxies."),
    cfg.BoolOpt("enable_reset",
                default=False,
                help="Serve POST /minova/reset on the compute API's port: "
                     "an admin brings the whole cloud back to its freshly "
                     "bootstrapped state (every server, flavor, image, "
                     "project... made since goes), between two test runs "
                     "of a tool. Off by default; minova-all turns it on. "
                     "'minova-manage reset' does the same without it."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(api_group)
    conf.register_opts(api_opts, group=api_group)


def list_opts() -> dict:
    return {"api": api_opts}
