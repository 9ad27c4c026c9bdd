"""The network API (a Neutron v2.0 subset) and the addresses it owns."""

from oslo_config import cfg

network_group = cfg.OptGroup(
    "network", title="Networking",
    help="The networks bootstrap creates, and the network API's own port "
         "(network_listen, network_listen_port in [DEFAULT]).")

listen_opts = [
    cfg.StrOpt("network_listen",
               default="0.0.0.0",
               help="Address the network API listens on when 'network' is "
                    "in enabled_apis (it is otherwise served under "
                    "/networking on the compute API's port)."),
    cfg.PortOpt("network_listen_port",
                default=9696,
                help="Port of the network API when it has its own."),
    cfg.IntOpt("network_workers",
               min=1,
               help="Worker processes for the network API when it has its "
                    "own port. Default: the number of CPUs."),
]

network_opts = [
    cfg.StrOpt("private_network_name", default="private",
               help="Name of the project-shared network bootstrap creates "
                    "and a boot with networks 'auto' plugs into."),
    cfg.StrOpt("private_cidr", default="10.0.0.0/24",
               help="CIDR of the private network's subnet (its first "
                    "address is the gateway; servers get the rest)."),
    cfg.StrOpt("public_network_name", default="public",
               help="Name of the external network bootstrap creates, "
                    "where floating IPs come from."),
    cfg.StrOpt("public_cidr", default="172.24.4.0/24",
               help="CIDR of the public network's subnet: the floating IP "
                    "range."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(listen_opts)
    conf.register_group(network_group)
    conf.register_opts(network_opts, group=network_group)


def list_opts() -> dict:
    return {None: listen_opts, "network": network_opts}
