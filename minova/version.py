"""The version minova reports in logs and in ``minova-manage version``."""

from importlib import metadata


def version_string() -> str:
    try:
        return metadata.version("minova")
    except metadata.PackageNotFoundError:  # running from a source tree
        return "0.0.0.dev0"
