"""The identity API (a Keystone v3 subset): tokens, keys, bootstrap."""

from oslo_config import cfg

identity_group = cfg.OptGroup("identity", title="Identity API options")

identity_opts = [
    cfg.IntOpt("token_expiration",
               default=3600, min=60,
               help="Seconds a token is valid for after it is issued."),
    cfg.FloatOpt("cache_refresh_interval",
                 default=1.0, min=0.0,
                 help="Most seconds an API process trusts its in-memory "
                      "copy of revocations, role assignments and the "
                      "catalog before it reads the database's change "
                      "counter again. Processes sharing a database agree "
                      "on a revoked token or a removed role within this "
                      "interval; 0 reads the counter on every request."),
    cfg.StrOpt("key_repository",
               default="$state_path/fernet-keys",
               help="Directory of the Fernet keys tokens are encrypted "
                    "with (Keystone's layout: 0 is the staged key, the "
                    "highest number the primary, the others secondary). "
                    "Created by bootstrap; rotate with 'minova-manage "
                    "fernet rotate'."),
    cfg.IntOpt("max_active_keys",
               default=3, min=1,
               help="Keys kept in the repository after a rotation "
                    "(staged + primary + secondary). Keep it at least "
                    "token_expiration / rotation period + 2, or tokens "
                    "issued before a rotation stop validating early."),
    cfg.IntOpt("password_hash_rounds",
               default=12, min=4, max=31,
               help="bcrypt's cost factor for new password and "
                    "application credential secret hashes (each step "
                    "doubles the time a check takes: about 0.4 s at 12 on "
                    "one core). Existing hashes keep their cost until the "
                    "password changes. minova-all, a local test cloud, "
                    "uses 8."),
    cfg.StrOpt("public_endpoint",
               help="Base URL of the APIs served on the compute API's "
                    "port, as clients reach it (e.g. "
                    "http://cloud.example.com:8774), used for the catalog's "
                    "endpoints. Default: http://<osapi_compute_listen>:"
                    "<osapi_compute_listen_port>, with my_ip for 0.0.0.0. "
                    "An API with its own port in enabled_apis gets "
                    "http://<name>_listen:<name>_listen_port instead."),
    cfg.StrOpt("region",
               default="RegionOne",
               help="Region of the catalog's endpoints."),
    cfg.StrOpt("bootstrap_username",
               default="admin",
               help="Name of the admin user bootstrap creates."),
    cfg.StrOpt("bootstrap_project_name",
               default="admin",
               help="Name of the admin project bootstrap creates."),
    cfg.StrOpt("bootstrap_password",
               secret=True,
               help="Password bootstrap gives the admin user when it "
                    "creates it. Unset: minova-all generates one once and "
                    "writes it into clouds.yaml under state_path; "
                    "minova-manage bootstrap requires it (or "
                    "--bootstrap-password)."),
    cfg.StrOpt("demo_password",
               secret=True,
               help="Password of the 'demo' member user bootstrap creates "
                    "in the 'demo' project. Unset: generated once, as "
                    "for the admin."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(identity_group)
    conf.register_opts(identity_opts, group=identity_group)


def list_opts() -> dict:
    return {"identity": identity_opts}
