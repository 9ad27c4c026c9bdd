"""The APIs minova serves, as the service catalog names them.

``APIS`` is the one list of catalog entries: bootstrap writes a service
and its public, internal and admin endpoints for each. An API part adds
its own entry here (e.g. ``CatalogAPI("image", "glance", "image",
"/image")``) and its paste app under that path.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import uuid

from oslo_config import cfg

INTERFACES = ("public", "internal", "admin")


@dataclasses.dataclass(frozen=True)
class CatalogAPI:
    type: str
    name: str
    # The api-paste.ini app that serves it on a port of its own when
    # named in enabled_apis (with <app>_listen and <app>_listen_port).
    app: str
    # Its path on the compute API's port, and on a port of its own.
    path: str
    own_path: str = ""

    @property
    def service_id(self) -> str:
        return uuid.uuid5(uuid.NAMESPACE_URL,
                          "minova-service/%s" % self.type).hex


APIS: list[CatalogAPI] = [
    CatalogAPI("identity", "keystone", "identity", "/identity"),
    CatalogAPI("compute", "nova", "osapi_compute", "/compute/v2.1",
               "/compute/v2.1"),
    CatalogAPI("image", "glance", "image", "/image"),
    # The network API (a Neutron v2.0 subset); at the root of its own port,
    # as Neutron's endpoint is.
    CatalogAPI("network", "neutron", "network", "/networking"),
]


def _host(address: str, conf: cfg.ConfigOpts) -> str:
    if address in ("0.0.0.0", "::", ""):
        address = conf.my_ip
    try:
        if ipaddress.ip_address(address).version == 6:
            return "[%s]" % address
    except ValueError:
        pass  # a host name
    return address


def base_url(conf: cfg.ConfigOpts, app: str, port: int | None = None) -> str:
    """http://<app>_listen:<port>, with my_ip for a wildcard address.
    ``port``: the one the app got, when <app>_listen_port is 0."""
    address = getattr(conf, "%s_listen" % app)
    port = port or getattr(conf, "%s_listen_port" % app)
    return "http://%s:%d" % (_host(address, conf), port)


def endpoint_url(conf: cfg.ConfigOpts, api: CatalogAPI,
                 ports: dict[str, int] | None = None) -> str:
    ports = ports or {}
    if api.app != "osapi_compute" and api.app in conf.enabled_apis:
        return base_url(conf, api.app, ports.get(api.app)) + api.own_path
    shared = conf.identity.public_endpoint or base_url(
        conf, "osapi_compute", ports.get("osapi_compute"))
    return shared.rstrip("/") + api.path


def auth_url(conf: cfg.ConfigOpts, ports: dict[str, int] | None = None) -> str:
    return endpoint_url(conf, APIS[0], ports)
