"""The REST APIs: authentication and the metadata service."""

from oslo_config import cfg

api_group = cfg.OptGroup("api", title="REST API options")

api_opts = [
    cfg.IntOpt("max_limit",
               default=1000, min=1,
               help="Most items a list call returns in one page."),
    cfg.BoolOpt("metadata_trust_header",
                default=False,
                help="Let the metadata API pick the instance from an "
                     "X-Instance-ID header instead of the caller's "
                     "address. Only for tests and trusted proxies."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(api_group)
    conf.register_opts(api_opts, group=api_group)


def list_opts() -> dict:
    return {"api": api_opts}
