"""Compute API microversions (``OpenStack-API-Version: compute X.Y``).

History of what each version changed:

* 2.1 - The base v2.1 API.
* 2.11 - ``PUT /os-services/force-down`` and ``forced_down`` in services.
"""

from __future__ import annotations

import re
from typing import Any

from minova import exception

MIN_VERSION = "2.1"
MAX_VERSION = "2.11"

_HEADER = "OpenStack-API-Version"
_LEGACY_HEADER = "X-OpenStack-Nova-API-Version"
_VERSION_RE = re.compile(r"^([1-9]\d*)\.([1-9]\d*|0)$")


class APIVersion:
    """A microversion that compares like a tuple."""

    def __init__(self, text: str) -> None:
        match = _VERSION_RE.match(text.strip())
        if not match:
            raise exception.Invalid(
                reason="API version string %s format is invalid. It must "
                       "be 'MajorNum.MinorNum' or 'latest'." % text)
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
        if self < APIVersion(minimum):
            return False
        return maximum is None or self <= APIVersion(maximum)

    def __str__(self) -> str:
        return "%d.%d" % self._tuple()


def from_headers(headers: Any) -> APIVersion:
    """The requested version: the header, 'latest' or the minimum.

    Raises ``Invalid`` (400) for a malformed one and
    ``VersionNotAcceptable`` (406) for one out of range.
    """
    text = None
    for value in headers.getall(_HEADER) if hasattr(headers, "getall") \
            else [headers.get(_HEADER)]:
        if not value:
            continue
        service, _, requested = value.strip().partition(" ")
        if service.lower() == "compute":
            text = requested.strip()
    if text is None:
        text = headers.get(_LEGACY_HEADER)
    if not text:
        return APIVersion(MIN_VERSION)
    if text.lower() == "latest":
        return APIVersion(MAX_VERSION)
    version = APIVersion(text)
    if not version.matches(MIN_VERSION, MAX_VERSION):
        raise exception.VersionNotAcceptable(version=text, min=MIN_VERSION,
                                             max=MAX_VERSION)
    return version


def add_headers(response: Any, version: APIVersion | None) -> None:
    if version is None:
        return
    response.headers[_HEADER] = "compute %s" % version
    response.headers[_LEGACY_HEADER] = str(version)
    response.headers["Vary"] = "%s, %s" % (_HEADER, _LEGACY_HEADER)
