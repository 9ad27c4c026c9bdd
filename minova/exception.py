"""Every error minova raises on purpose, in one place.

Each exception carries the HTTP status it maps to (``code``) and a message
for the user. The API turns them into Nova fault bodies at one boundary
(``minova.api.openstack.faults``); RPC clients get them back as the same
type because this module is in oslo.messaging's ``allowed_remote_exmods``.
"""

from __future__ import annotations

import reprlib

# How much of a value a message quotes. Messages are built from what a
# client sent (a name, a marker, a header); quoting all of it would send a
# 100 KB value back in the fault and into the log.
QUOTE_LIMIT = 60
# Any text argument of a message is cut to this, whatever its origin.
_ARG_LIMIT = 255

_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxstring = QUOTE_LIMIT
_REPR.maxlong = QUOTE_LIMIT
_REPR.maxother = QUOTE_LIMIT
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 5


def quote(value: object) -> str:
    """``repr(value)`` cut short: strings to a prefix, containers to a few
    items and a few levels (reprlib, which also never recurses deeper than
    that, whatever the nesting)."""
    return _REPR.repr(value)


def describe(exc: BaseException) -> str:
    """What a fault or a log line says of ``exc``: a domain exception's
    own message, else its type and text."""
    if isinstance(exc, MinovaException):
        return exc.format_message()
    return "%s: %s" % (type(exc).__name__, exc)


def cut(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` itself, or a prefix of it marked with an ellipsis."""
    return text if len(text) <= limit else text[:limit] + "..."


class MinovaException(Exception):
    """Base class. Subclasses set ``msg_fmt`` and, if not 500, ``code``."""

    msg_fmt = "An unknown exception occurred."
    code = 500
    # Shown to API users; a 500 says only this so that no internal
    # detail (SQL, paths, tracebacks) leaks into a response body.
    safe = False

    def __init__(self, message: str | None = None, **kwargs: object) -> None:
        self.kwargs = kwargs
        if not message:
            try:
                message = self.msg_fmt % {
                    name: cut(value, _ARG_LIMIT) if isinstance(value, str)
                    else value for name, value in kwargs.items()}
            except (KeyError, TypeError):
                message = self.msg_fmt
        self.message = message
        super().__init__(message)

    def format_message(self) -> str:
        return self.message


class Invalid(MinovaException):
    msg_fmt = "Bad request: %(reason)s"
    code = 400
    safe = True


class ValidationError(Invalid):
    msg_fmt = "Invalid input for field/attribute %(field)s: %(reason)s"


class MalformedRequestBody(Invalid):
    msg_fmt = "Malformed request body: %(reason)s"


class InvalidSortKey(Invalid):
    msg_fmt = "Sort key supplied is invalid: %(key)s"


class InvalidMarker(Invalid):
    msg_fmt = "Marker %(marker)s could not be found."


class FlavorNotFoundForBoot(Invalid):
    msg_fmt = "Flavor %(flavor_id)s could not be found."


class ImageNotFoundForBoot(Invalid):
    msg_fmt = "Can not find requested image %(image_id)s."


class NotAuthorized(MinovaException):
    msg_fmt = "Not authorized."
    code = 401
    safe = True


class Forbidden(MinovaException):
    msg_fmt = "Policy doesn't allow %(action)s to be performed."
    code = 403
    safe = True


class NotFound(MinovaException):
    msg_fmt = "Resource could not be found."
    code = 404
    safe = True


class ServiceNotFound(NotFound):
    msg_fmt = "Service %(service_id)s could not be found."


class HostBinaryNotFound(NotFound):
    msg_fmt = "Could not find binary %(binary)s on host %(host)s."


class InstanceNotFound(NotFound):
    msg_fmt = "Instance %(instance_id)s could not be found."


class FlavorNotFound(NotFound):
    msg_fmt = "Flavor %(flavor_id)s could not be found."


class ImageNotFound(NotFound):
    msg_fmt = "Image %(image_id)s could not be found."


class ComputeHostNotFound(NotFound):
    msg_fmt = "Compute host %(host)s could not be found."


class ComputeNodeNotFound(NotFound):
    msg_fmt = "Compute node %(node_id)s could not be found."


class Conflict(MinovaException):
    msg_fmt = "Conflict: %(reason)s"
    code = 409
    safe = True


class ServiceExists(Conflict):
    msg_fmt = "Service with host %(host)s binary %(binary)s exists."


class FlavorExists(Conflict):
    msg_fmt = "Flavor with %(field)s %(value)s already exists."


class InstanceInvalidState(Conflict):
    msg_fmt = ("Cannot '%(action)s' instance %(instance_uuid)s while it is "
               "in %(attr)s %(state)s")


class InstanceIsLocked(Conflict):
    msg_fmt = "Instance %(instance_uuid)s is locked"


class InstanceGroupNotFound(NotFound):
    msg_fmt = "Instance group %(group_uuid)s could not be found."


class MigrationNotFound(NotFound):
    msg_fmt = "Migration %(migration_id)s could not be found."


class MigrationNotFoundByStatus(NotFound):
    msg_fmt = ("Migration not found for instance %(instance_id)s with "
               "status %(status)s.")


class CannotResizeToSameFlavor(Invalid):
    msg_fmt = "When resizing, instances must change flavor!"


class InstanceActionNotFound(NotFound):
    msg_fmt = "Action %(request_id)s on instance %(instance_uuid)s not found"


class RequestTooLarge(MinovaException):
    msg_fmt = "Request is too large."
    code = 413
    safe = True


class VersionNotAcceptable(MinovaException):
    msg_fmt = ("Version %(version)s is not supported by the API. Minimum "
               "is %(min)s and maximum is %(max)s.")
    code = 406
    safe = True


class ServiceUnavailable(MinovaException):
    msg_fmt = "Service unavailable: %(reason)s"
    code = 503
    safe = True


class NoValidHost(MinovaException):
    msg_fmt = "No valid host was found. %(reason)s"


class DBNotAllowed(MinovaException):
    msg_fmt = "%(binary)s attempted direct database access, which is not "\
              "allowed by policy"


class ManagerImportError(MinovaException):
    msg_fmt = "Cannot load manager class %(manager)s for %(binary)s: "\
              "%(reason)s"


class PasteAppNotFound(MinovaException):
    msg_fmt = "Could not load paste app '%(name)s' from %(path)s: %(reason)s"


class ConfigNotFound(MinovaException):
    msg_fmt = "Could not find config at %(path)s"


class UnexpectedTaskStateError(Conflict):
    msg_fmt = ("Conflict updating instance %(instance_uuid)s. Expected: "
               "%(expected)s. Actual: %(actual)s")


class ComputeNodeExists(Conflict):
    msg_fmt = "Compute node for host %(host)s node %(node)s exists."


class VirtDriverNotFound(MinovaException):
    msg_fmt = ("Could not load the compute driver %(name)s: %(reason)s. "
               "Check [compute] compute_driver.")


class InstanceSpawnFailed(MinovaException):
    msg_fmt = "Failed to spawn instance %(instance_uuid)s: %(reason)s"


class QuotaError(MinovaException):
    msg_fmt = "Quota exceeded: code=%(code)s"
    # Nova's compute API answers every quota error with a 403.
    code = 403
    safe = True


class TooManyInstances(QuotaError):
    msg_fmt = ("Quota exceeded for %(overs)s: Requested %(req)s, but "
               "already used %(used)s of %(allowed)s %(overs)s")


class MetadataLimitExceeded(QuotaError):
    msg_fmt = "Maximum number of metadata items exceeds %(allowed)d"


class ServerGroupQuotaExceeded(QuotaError):
    msg_fmt = "Quota exceeded, too many server groups."


class ServerGroupMembersQuotaExceeded(QuotaError):
    msg_fmt = "Quota exceeded, too many servers in group"


class QuotaLimitBelowUsage(Invalid):
    msg_fmt = ("Quota limit %(limit)s for %(resource)s must be greater "
               "than or equal to already used and reserved %(minimum)s.")


class IdempotencyKeyInFlight(Conflict):
    msg_fmt = ("A request with Idempotency-Key %(key)s is still being "
               "processed; retry it later.")


class IdempotencyKeyReused(MinovaException):
    msg_fmt = ("Idempotency-Key %(key)s was already used with a different "
               "request; a new request needs a new key.")
    code = 422
    safe = True


class DatabaseUnreachable(MinovaException):
    msg_fmt = ("Cannot reach the database %(url)s: %(reason)s. Check "
               "[database] connection and that the server runs.")


class BrokerUnreachable(MinovaException):
    msg_fmt = ("Cannot reach the message broker %(url)s: %(reason)s. Check "
               "[DEFAULT] transport_url and that the broker runs.")


class StateDirectoryLocked(MinovaException):
    msg_fmt = ("%(path)s is held by another minova-all (pid %(pid)s): one "
               "minova-all per state_path. Stop that one, or give this one "
               "another state_path.")


# Identity (Keystone's messages, which clients show to users).

class Unauthorized(NotAuthorized):
    msg_fmt = "The request you have made requires authentication."


class ForbiddenAction(Forbidden):
    msg_fmt = ("You are not authorized to perform the requested action: "
               "%(action)s.")


class IdentityNotFound(NotFound):
    msg_fmt = "Could not find %(kind)s: %(id)s."


class IdentityConflict(Conflict):
    msg_fmt = "Conflict occurred attempting to store %(kind)s - %(reason)s."


class IdentityKeysMissing(MinovaException):
    msg_fmt = ("No Fernet keys in %(path)s: run 'minova-manage bootstrap' "
               "(or 'minova-manage fernet setup') first.")
    code = 503
    safe = True


# -- issue 9, part RES1 -------------------------------------------------------

class FlavorExtraSpecsNotFound(NotFound):
    msg_fmt = ("Flavor %(flavor_id)s has no extra specs with key "
               "%(extra_specs_key)s.")


class FlavorAccessExists(Conflict):
    msg_fmt = ("Flavor access already exists for flavor %(flavor_id)s and "
               "project %(project_id)s combination.")


class FlavorAccessNotFound(NotFound):
    msg_fmt = ("Flavor access not found for %(flavor_id)s / "
               "%(project_id)s combination.")


class FlavorIsPublic(Conflict):
    msg_fmt = ("Can not add access to a public flavor %(flavor_id)s.")


class KeypairNotFound(NotFound):
    msg_fmt = "Keypair %(name)s not found for user %(user_id)s"


class KeyPairExists(Conflict):
    msg_fmt = "Key pair '%(key_name)s' already exists."


class InvalidKeypair(Invalid):
    msg_fmt = "Keypair data is invalid: %(reason)s"


class KeypairNotFoundForBoot(Invalid):
    msg_fmt = "Invalid key_name provided."


class KeypairLimitExceeded(QuotaError):
    msg_fmt = "Quota exceeded, too many key pairs."


class TagNotFound(NotFound):
    msg_fmt = "Tag %(tag)s could not be found."


class TooManyTags(Invalid):
    msg_fmt = ("Too many tags on server %(server_id)s: at most %(limit)d "
               "are allowed.")


class MetadataKeyNotFound(NotFound):
    msg_fmt = "Metadata item was not found"


# image ----------------------------------------------------------------------

class ImageExists(Conflict):
    msg_fmt = "Image with identifier %(image_id)s already exists!"


class ImageStatusConflict(Conflict):
    msg_fmt = "Image %(image_id)s is not in status %(status)s."


class ImageProtected(Forbidden):
    msg_fmt = "Image %(image_id)s is protected and cannot be deleted."


class ImageForbidden(Forbidden):
    msg_fmt = "You are not authorized to %(action)s this image."


class UnsupportedMediaType(MinovaException):
    msg_fmt = "Unsupported Content-Type: %(content_type)s"
    code = 415
    safe = True


class ImageNotActive(Invalid):
    msg_fmt = "Image %(image_id)s is not active."


class FlavorMemoryTooSmall(Invalid):
    msg_fmt = "Flavor's memory is too small for requested image."


class FlavorDiskTooSmall(Invalid):
    msg_fmt = "Flavor's disk is too small for requested image."


class FlavorDiskSmallerThanImage(Invalid):
    msg_fmt = ("Flavor's disk is too small for requested image. Flavor "
               "disk is %(flavor_size)i bytes, image is %(image_size)i "
               "bytes.")


# -- network (Neutron's names: the network API's faults carry them as type)


class NetworkNotFound(NotFound):
    msg_fmt = "Network %(net_id)s could not be found."


class SubnetNotFound(NotFound):
    msg_fmt = "Subnet %(subnet_id)s could not be found."


class PortNotFound(NotFound):
    msg_fmt = "Port %(port_id)s could not be found."


class FloatingIPNotFound(NotFound):
    msg_fmt = "Floating IP %(floatingip_id)s could not be found"


class SecurityGroupNotFound(NotFound):
    msg_fmt = "Security group %(id)s does not exist"


class IpAddressGenerationFailure(Conflict):
    msg_fmt = "No more IP addresses available on network %(net_id)s."


class IpAddressAlreadyAllocated(Conflict):
    msg_fmt = ("IP address %(ip)s already allocated in subnet "
               "%(subnet_id)s")


class InvalidIpForSubnet(Invalid):
    msg_fmt = "IP address %(ip_address)s is not a valid IP for the subnet."


class NetworkInUse(Conflict):
    msg_fmt = ("Unable to complete operation on network %(net_id)s. There "
               "are one or more ports still in use on the network.")


class ExternalGatewayForFloatingIPNotFound(NotFound):
    msg_fmt = ("External network %(external_network_id)s is not reachable "
               "from subnet %(subnet_id)s.")


class FloatingIPNetworkNotExternal(Invalid):
    msg_fmt = ("Network %(net_id)s is not a valid external network: "
               "floating IPs are created on external networks only")


class FloatingIPPortAlreadyAssociated(Conflict):
    msg_fmt = ("Cannot associate floating IP %(floating_ip_address)s with "
               "port %(port_id)s: it already has floating IP %(fip_id)s.")


class NetworkNotFoundForBoot(Invalid):
    """Nova's 400 for a boot on a network that does not exist."""
    msg_fmt = "Network %(network_uuid)s could not be found."


class PortNotUsable(Invalid):
    msg_fmt = "Port %(port_id)s not usable for instance %(instance)s."


class PinnedZoneConflict(Conflict):
    """2.104: a pin the server's zone does not allow (Nova's 409)."""
    msg_fmt = "%(reason)s"


class FakeOperationFailed(MinovaException):
    """An operation the fake virt driver was scripted to fail
    (minova.virt.fake_script): the fault message is the one asked for."""
    msg_fmt = "%(reason)s"


class BuildAbandoned(MinovaException):
    """A build still in flight when its compute service stopped (the
    drain's graceful_shutdown_timeout ran out)."""
    msg_fmt = ("The compute service on %(host)s stopped during the build "
               "of instance %(instance_uuid)s (graceful_shutdown_timeout "
               "ran out); delete the server and boot it again.")


class HealthBackendNotFound(MinovaException):
    msg_fmt = ("[healthcheck] backends names %(names)s, which no installed "
               "oslo.middleware.healthcheck plugin provides; check the "
               "name, or reinstall minova (its plugins are entry points)")
