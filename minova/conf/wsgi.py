"""The eventlet WSGI server and the paste file."""

from oslo_config import cfg

wsgi_group = cfg.OptGroup("wsgi", title="WSGI server options")

wsgi_opts = [
    cfg.StrOpt("api_paste_config",
               default="api-paste.ini",
               help="The PasteDeploy file with the API pipelines. A "
                    "relative name is looked for next to the config files, "
                    "then in /etc/minova, then in the minova package."),
    cfg.StrOpt("wsgi_log_format",
               default="%(client_ip)s \"%(request_line)s\" status: "
                       "%(status_code)s len: %(body_length)s time: "
                       "%(wall_seconds).7f",
               help="Format of the access log line eventlet.wsgi writes "
                    "for each request."),
    cfg.IntOpt("backlog",
               default=4096, min=1,
               help="Connections the listening socket queues before the "
                    "kernel refuses new ones."),
    cfg.IntOpt("tcp_keepidle",
               default=600, min=1,
               help="TCP_KEEPIDLE in seconds for accepted connections."),
    cfg.IntOpt("default_pool_size",
               default=1000, min=1,
               help="Green threads, so concurrent requests, per worker."),
    cfg.IntOpt("max_header_line",
               default=16384, min=1,
               help="Longest HTTP header line accepted, in bytes."),
    cfg.BoolOpt("keep_alive",
                default=True,
                help="Keep client connections open between requests."),
    cfg.IntOpt("client_socket_timeout",
               default=900, min=0,
               help="Seconds an idle client connection is kept open; 0 "
                    "waits forever."),
    cfg.StrOpt("ssl_cert_file",
               help="Serve HTTPS with this certificate file (with "
                    "ssl_key_file)."),
    cfg.StrOpt("ssl_key_file",
               help="Private key for ssl_cert_file."),
    cfg.StrOpt("ssl_ca_file",
               help="CA file to verify client certificates against."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(wsgi_group)
    conf.register_opts(wsgi_opts, group=wsgi_group)


def list_opts() -> dict:
    return {"wsgi": wsgi_opts}
