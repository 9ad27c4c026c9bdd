"""The REST APIs: authentication and the metadata service."""

from oslo_config import cfg

api_group = cfg.OptGroup("api", title="REST API options")

api_opts = [
    cfg.StrOpt("auth_strategy",
               default="noauth2",
               choices=[("noauth2", "X-Auth-Token 'user:project'; the user "
                                    "named admin gets the admin role"),
                        ("keystone", "keystonemiddleware auth_token")],
               help="How the compute API authenticates requests. The "
                    "pipeline used is 'openstack_compute_api_v21_<value>' "
                    "in api-paste.ini."),
    cfg.IntOpt("max_limit",
               default=1000, min=1,
               help="Most items a list call returns in one page."),
    cfg.BoolOpt("metadata_trust_header",
                default=False,
                help="Let the metadata API pick the instance from an "
                     "X-Instance-ID header instead of the caller's "
                     "address. Only for tests and trusted proxies."),
    cfg.IntOpt("max_request_body_size",
               default=114688, min=1,
               help="Largest request body accepted, in bytes; larger "
                    "bodies get a 413 fault."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(api_group)
    conf.register_opts(api_opts, group=api_group)


def list_opts() -> dict:
    return {"api": api_opts}
