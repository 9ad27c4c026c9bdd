"""SQLAlchemy models: the shape of minova's tables, one module per API
(compute, identity, image, network) on one declarative ``Base``.

The schema is changed only by the Alembic migrations in
``minova/db/migrations``. An empty database may be created from these
models instead (``minova.db.migration.ensure_schema``); tests check that
both give the same schema.

Soft-deleted tables follow Nova: ``deleted`` is 0 for live rows and the
row's id once deleted, so unique constraints that include ``deleted``
hold among live rows only.
"""

from minova.db.models.base import Base
from minova.db.models.base import SoftDeleteMixin
from minova.db.models.base import TimestampMixin
from minova.db.models.compute import ComputeNode
from minova.db.models.compute import Flavor
from minova.db.models.compute import FlavorExtraSpec
from minova.db.models.compute import FlavorProject
from minova.db.models.compute import IdempotencyKey
from minova.db.models.compute import Instance
from minova.db.models.compute import InstanceAction
from minova.db.models.compute import InstanceActionEvent
from minova.db.models.compute import InstanceFault
from minova.db.models.compute import InstanceGroup
from minova.db.models.compute import InstanceGroupMember
from minova.db.models.compute import KeyPair
from minova.db.models.compute import Migration
from minova.db.models.compute import Quota
from minova.db.models.compute import QuotaClass
from minova.db.models.compute import QuotaLock
from minova.db.models.compute import Service
from minova.db.models.compute import Tag
from minova.db.models.identity import IdentityApplicationCredential
from minova.db.models.identity import IdentityDomain
from minova.db.models.identity import IdentityEndpoint
from minova.db.models.identity import IdentityGeneration
from minova.db.models.identity import IdentityImpliedRole
from minova.db.models.identity import IdentityProject
from minova.db.models.identity import IdentityRevocationEvent
from minova.db.models.identity import IdentityRole
from minova.db.models.identity import IdentityRoleAssignment
from minova.db.models.identity import IdentityService
from minova.db.models.identity import IdentityUser
from minova.db.models.image import Image
from minova.db.models.image import ImageTag
from minova.db.models.network import DefaultSecurityGroup
from minova.db.models.network import FloatingIP
from minova.db.models.network import IPAllocation
from minova.db.models.network import Network
from minova.db.models.network import Port
from minova.db.models.network import SecurityGroup
from minova.db.models.network import SecurityGroupRule
from minova.db.models.network import Subnet

__all__ = [
    "Base",
    "SoftDeleteMixin",
    "TimestampMixin",
    "Service",
    "ComputeNode",
    "Flavor",
    "Instance",
    "InstanceFault",
    "Quota",
    "QuotaClass",
    "QuotaLock",
    "IdempotencyKey",
    "FlavorExtraSpec",
    "FlavorProject",
    "KeyPair",
    "Tag",
    "InstanceAction",
    "InstanceActionEvent",
    "InstanceGroup",
    "InstanceGroupMember",
    "Migration",
    "IdentityDomain",
    "IdentityProject",
    "IdentityUser",
    "IdentityRole",
    "IdentityImpliedRole",
    "IdentityRoleAssignment",
    "IdentityApplicationCredential",
    "IdentityService",
    "IdentityEndpoint",
    "IdentityRevocationEvent",
    "IdentityGeneration",
    "Image",
    "ImageTag",
    "Network",
    "Subnet",
    "Port",
    "IPAllocation",
    "FloatingIP",
    "SecurityGroup",
    "DefaultSecurityGroup",
    "SecurityGroupRule",
]
