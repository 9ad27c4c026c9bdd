"""Where this host is and where it keeps its state."""

import os
import socket

from oslo_config import cfg

base_opts = [
    cfg.StrOpt("host",
               default=socket.gethostname(),
               sample_default="<current_hostname>",
               help="Name of this node. Services register under it in the "
                    "services table and listen on the RPC topic "
                    "'<topic>.<host>'; it must be unique per service kind "
                    "in a deployment."),
    cfg.StrOpt("state_path",
               default=os.path.join(os.path.expanduser("~"), ".local",
                                    "state", "minova"),
               sample_default="$HOME/.local/state/minova",
               help="Top-level directory for minova's state, such as the "
                    "default SQLite database."),
    cfg.StrOpt("my_ip",
               default="127.0.0.1",
               help="The IP address of this host, used for the fixed "
                    "addresses the fake virt driver hands out."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(base_opts)


def list_opts() -> dict:
    return {None: base_opts}
