"""The eventlet WSGI server and the paste file."""

from oslo_config import cfg

_GROUP_TITLE = "WSGI server options"

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
               help="Requests a worker runs through the API at once. A "
                    "connection waiting for its request head or body, or "
                    "idle between requests, does not count: see "
                    "max_connections."),
    cfg.IntOpt("max_connections",
               default=10000, min=1,
               help="Client connections a worker keeps open at once, each "
                    "a cheap green thread (idle, sending a request, or in "
                    "the API). When all are taken, the connection idle the "
                    "longest between requests is closed for the new one; "
                    "if none is idle, new connections wait in the listen "
                    "backlog. Keep it below the open files limit (ulimit "
                    "-n) less what the process needs otherwise: minova "
                    "warns at start when it is not."),
    cfg.FloatOpt("header_timeout",
                 default=10, min=0.1,
                 help="Seconds a client has to send a complete request "
                      "line and headers, counted from when it connected "
                      "or, on a kept-alive connection, from its request's "
                      "first byte. Slower connections are closed: this "
                      "is what keeps clients that connect and send "
                      "nothing, or a byte at a time, from holding "
                      "connections. Raise it only for clients on very "
                      "slow links."),
    cfg.FloatOpt("body_timeout",
                 default=30, min=0.1,
                 help="Seconds a client has to send a complete request "
                      "body once its headers are in; it is answered with "
                      "a 408 fault and the connection closed otherwise. "
                      "Bodies are read before the request takes one of "
                      "default_pool_size, so a slow one holds only its "
                      "connection. Size it for the largest body "
                      "([oslo_middleware] max_request_body_size) over the "
                      "slowest link you serve."),
    cfg.FloatOpt("keep_alive_timeout",
                 default=5, min=0.1,
                 help="Seconds a kept-alive connection may wait idle for "
                      "its next request before it is closed. Clients "
                      "reconnect when they need to; a few seconds spares "
                      "them the handshake on a burst of requests."),
    cfg.BoolOpt("reuse_port",
                default=False,
                help="Set SO_REUSEPORT on the listening sockets, so that "
                     "several independent minova-api processes can share "
                     "one address and the kernel spreads connections "
                     "among them. Leave it off unless you run such "
                     "processes on purpose: with it on, a second minova "
                     "started by mistake on the same address silently "
                     "takes half of the requests. Workers of one "
                     "minova-api (<api>_workers) share their parent's "
                     "socket and do not need it."),
    cfg.IntOpt("max_header_line",
               default=16384, min=1,
               help="Longest HTTP header line accepted, in bytes."),
    cfg.BoolOpt("keep_alive",
                default=True,
                help="Keep client connections open between requests."),
    cfg.IntOpt("client_socket_timeout",
               default=900, min=0,
               help="Seconds any one read or write on a client "
                    "connection may wait, while the API answers (the "
                    "request head, the body and the idle time between "
                    "requests have header_timeout, body_timeout and "
                    "keep_alive_timeout); 0 waits forever."),
    cfg.StrOpt("ssl_cert_file",
               help="Serve HTTPS with this certificate file (with "
                    "ssl_key_file)."),
    cfg.StrOpt("ssl_key_file",
               help="Private key for ssl_cert_file."),
    cfg.StrOpt("ssl_ca_file",
               help="CA file to verify client certificates against."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    # A group object per conf: oslo.config keeps overrides in the group
    # object, so a shared one would carry one conf's overrides to another.
    group = cfg.OptGroup("wsgi", title=_GROUP_TITLE)
    conf.register_group(group)
    conf.register_opts(wsgi_opts, group=group)


def list_opts() -> dict:
    return {"wsgi": wsgi_opts}
