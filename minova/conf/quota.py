"""Quotas: the default limits every project gets (Nova's ``[quota]``).

The 'default' quota class (``PUT /os-quota-class-sets/default``)
overrides these in the database, and a project's own quota
(``PUT /os-quota-sets/{project_id}``) overrides both. -1 is unlimited.
"""

from oslo_config import cfg

quota_group = cfg.OptGroup(
    "quota", title="Quota options",
    help="Default per-project limits; -1 means unlimited.")

quota_opts = [
    cfg.IntOpt("instances", default=10, min=-1,
               help="Servers a project may have (deleted ones do not "
                    "count)."),
    cfg.IntOpt("cores", default=20, min=-1,
               help="Virtual CPUs of its servers a project may have."),
    cfg.IntOpt("ram", default=50 * 1024, min=-1,
               help="Memory (MiB) of its servers a project may have."),
    cfg.IntOpt("metadata_items", default=128, min=-1,
               help="Metadata items a server may have."),
    cfg.IntOpt("injected_files", default=5, min=-1,
               help="Files a server may be given at boot. Shown only: "
                    "minova refuses personality files."),
    cfg.IntOpt("injected_file_content_bytes", default=10 * 1024, min=-1,
               help="Bytes of one injected file. Shown only: minova "
                    "refuses personality files."),
    cfg.IntOpt("injected_file_path_length", default=255, min=-1,
               help="Length of an injected file's path (the quota "
                    "resource injected_file_path_bytes). Shown only: "
                    "minova refuses personality files."),
    cfg.IntOpt("key_pairs", default=100, min=-1,
               help="Key pairs a user may have. Shown only until minova "
                    "has key pairs."),
    cfg.IntOpt("server_groups", default=10, min=-1,
               help="Server groups a project may have. Shown only until "
                    "minova has server groups."),
    cfg.IntOpt("server_group_members", default=10, min=-1,
               help="Servers one server group may hold. Shown only until "
                    "minova has server groups."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(quota_group)
    conf.register_opts(quota_opts, group=quota_group)


def list_opts() -> dict:
    return {"quota": quota_opts}
