"""The ``oslo.config.opts`` entry point used by oslo-config-generator."""

from minova import conf as minova_conf


def list_opts() -> list:
    """Return ``[(group, [opts])]`` for every area, for the sample file."""
    listed: dict = {}
    for module in minova_conf._MODULES:
        for group, opts in module.list_opts().items():
            listed.setdefault(group, []).extend(opts)
    return sorted(listed.items(), key=lambda item: item[0] or "")
