"""Compute API microversions (``OpenStack-API-Version: compute X.Y``).

History of what each version changed:

Versions in between are accepted and change nothing minova serves (they
change Nova resources minova does not have).

* 2.1 - The base v2.1 API.
* 2.2 - Key pairs have a ``type`` (ssh, x509); create answers 201 and
  delete 204.
* 2.3 - Admins see more ``OS-EXT-SRV-ATTR:*`` in servers (hostname,
  reservation_id, launch_index, kernel_id, ramdisk_id, root_device_name,
  user_data).
* 2.9 - ``locked`` in servers (set by the ``lock`` action).
* 2.10 - Admins manage other users' key pairs (``user_id``).
* 2.11 - ``PUT /os-services/force-down`` and ``forced_down`` in services.
* 2.13 - ``project_id`` and ``user_id`` in server groups.
* 2.15 - The soft-affinity and soft-anti-affinity server group policies.
* 2.16 - ``host_status`` in servers, for admins.
* 2.19 - ``description`` in servers (always null: minova stores none and
  refuses one in create and update).
* 2.21 - The instance actions of deleted servers are listed and shown.
* 2.23 - ``migration_type`` in ``/os-migrations``.
* 2.26 - ``tags`` in servers; ``/servers/{id}/tags``; the tags filters.
* 2.28 - ``cpu_info`` of a hypervisor is an object, not a string.
* 2.33 - ``limit`` and ``marker`` page ``/os-hypervisors``.
* 2.35 - ``limit`` and ``marker`` page ``/os-keypairs``.
* 2.36 - The limits of proxied resources (security groups, floating IPs)
  leave ``/limits``.
* 2.37 - ``networks`` is required when creating a server ("auto", "none").
* 2.38 - An invalid ``status`` filter on servers is a 400.
* 2.39 - ``maxImageMeta`` leaves ``/limits``.
* 2.47 - A server embeds its flavor (vcpus, ram, disk, ephemeral, swap,
  original_name, extra_specs) instead of linking to it.
* 2.50 - Quota class sets show server_groups/server_group_members and no
  nova-network resources.
* 2.51 - Instance action events are shown to non-admins (no traceback).
* 2.52 - ``tags`` at server create.
* 2.53 - Services and hypervisors are named by uuid; ``PUT
  /os-services/{uuid}``; hypervisor_hostname_pattern and with_servers.
* 2.54 - A rebuild sets or unsets (null) the ``key_name``.
* 2.55 - Flavor ``description``; ``PUT /flavors/{id}`` changes it.
* 2.57 - The injected_file* (personality) quotas and limits leave; a
  rebuild sets or unsets ``user_data``, and answers it.
* 2.58 - Instance actions: ``updated_at``, ``limit``, ``marker``,
  ``changes-since``; unknown parameters of their list are a 400.
* 2.59 - ``/os-migrations``: paging (``limit``, ``marker``),
  ``changes-since``, ``uuid``; unknown parameters are a 400.
* 2.61 - ``extra_specs`` in flavors.
* 2.62 - Instance action events: ``hostId``, and ``host`` for admins.
* 2.63 - ``trusted_image_certificates`` in servers (always null).
* 2.64 - Server groups have one ``policy`` and ``rules``
  (max_server_per_host) instead of ``policies`` and ``metadata``.
* 2.66 - ``changes-before`` filters the server list, instance actions
  and migrations.
* 2.71 - ``server_groups`` in a server (show, update, rebuild).
* 2.73 - ``lock`` takes a ``locked_reason``, shown in servers; the
  ``locked`` filter.
* 2.75 - The clean-up: unknown server, flavor, key pair and server group
  list parameters (and a key pair's) are a 400, the update and rebuild
  views are the whole server, a flavor's swap is 0 not "",
  hypervisors' ``servers`` always shown when asked for.
* 2.80 - ``user_id`` and ``project_id`` in (and as filters of)
  ``/os-migrations``.
* 2.84 - Instance action events: ``details``, for admins.
* 2.88 - Hypervisor figures leave detail and show (``uptime`` joins);
  ``/os-hypervisors/statistics`` and ``/{id}/uptime`` are gone.
* 2.90 - ``hostname`` at create, update and rebuild;
  ``OS-EXT-SRV-ATTR:hostname``
  shown to everyone. 2.94 - the hostname may be an FQDN.
* 2.92 - Key pairs are imported only (``public_key`` required); ``@``
  and ``.`` in their names.
* 2.96 - ``pinned_availability_zone`` in servers.
* 2.98 - A server's ``image`` embeds its ``properties``.
* 2.100 - ``scheduler_hints`` in servers (a boot's ``group`` hint).
* 2.102 - Flavor ``name`` filter; ``rxtx_factor`` and
  ``OS-FLV-DISABLED:disabled`` leave flavors; unknown query parameters
  are a 400 on the routes that call ``common.check_query``.
* 2.104 - ``PUT /servers/{id}`` unpins (null) or pins
  ``pinned_availability_zone``.

docs/api.md ("Microversions") lists every version from 2.48 and what
minova does with it, and why the others change nothing minova serves.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from minova import exception

MIN_VERSION = "2.1"
MAX_VERSION = "2.104"

_HEADER = "OpenStack-API-Version"
_LEGACY_HEADER = "X-OpenStack-Nova-API-Version"
_VERSION_RE = re.compile(r"^([1-9]\d*)\.([1-9]\d*|0)$")
_MAX_DIGITS = 9


class APIVersion:
    """A microversion that compares like a tuple."""

    def __init__(self, text: str) -> None:
        match = _VERSION_RE.match(text.strip())
        if not match:
            raise exception.Invalid(
                reason="API version string %s format is invalid. It must "
                       "be 'MajorNum.MinorNum' or 'latest'."
                       % exception.cut(text))
        if max(len(part) for part in match.groups()) > _MAX_DIGITS:
            # Well formed but beyond any version; int() of it would be
            # slow, and past 4300 digits refused (ValueError).
            raise exception.VersionNotAcceptable(
                version=exception.cut(text), min=MIN_VERSION,
                max=MAX_VERSION)
        self.major, self.minor = int(match.group(1)), int(match.group(2))

    def _tuple(self) -> tuple[int, int]:
        return self.major, self.minor

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, APIVersion)
                and self._tuple() == other._tuple())

    def __lt__(self, other: APIVersion) -> bool:
        return self._tuple() < other._tuple()

    def __le__(self, other: APIVersion) -> bool:
        return self._tuple() <= other._tuple()

    def matches(self, minimum: str, maximum: str | None = None) -> bool:
        """True if this version is within [minimum, maximum]."""
        # Views ask this several times per server of a list: the bounds,
        # literals of the code, are parsed once.
        if (self.major, self.minor) < _bound(minimum):
            return False
        return maximum is None or (self.major, self.minor) <= _bound(
            maximum)

    def __str__(self) -> str:
        return "%d.%d" % self._tuple()


@functools.lru_cache(maxsize=256)
def _bound(text: str) -> tuple[int, int]:
    version = APIVersion(text)
    return version.major, version.minor


def _requested(headers: Any) -> str | None:
    """The compute entry of ``OpenStack-API-Version``, else the legacy
    header. One header may name several services, comma separated
    (``compute 2.11, volume 3.0``), and it may be sent more than once."""
    values = headers.getall(_HEADER) if hasattr(headers, "getall") \
        else [headers.get(_HEADER)]
    text = None
    for value in filter(None, values):
        for entry in value.split(","):
            service, _, requested = entry.strip().partition(" ")
            if service.lower() == "compute":
                text = requested.strip()
    if text is None:
        text = headers.get(_LEGACY_HEADER)
    return text


def from_headers(headers: Any) -> APIVersion:
    """The requested version: the header, 'latest' or the minimum.

    Raises ``Invalid`` (400) for a malformed one and
    ``VersionNotAcceptable`` (406) for one out of range.
    """
    text = _requested(headers)
    if not text:
        return APIVersion(MIN_VERSION)
    if text.lower() == "latest":
        return APIVersion(MAX_VERSION)
    version = APIVersion(text)
    if not version.matches(MIN_VERSION, MAX_VERSION):
        raise exception.VersionNotAcceptable(version=exception.cut(text),
                                             min=MIN_VERSION,
                                             max=MAX_VERSION)
    return version


def add_headers(response: Any, version: APIVersion | None) -> None:
    if version is None:
        return
    response.headers[_HEADER] = "compute %s" % version
    response.headers[_LEGACY_HEADER] = str(version)
    response.headers["Vary"] = "%s, %s" % (_HEADER, _LEGACY_HEADER)
