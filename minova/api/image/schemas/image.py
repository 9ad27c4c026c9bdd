"""Glance's image schema: served at /v2/schemas/image(s) (clients build
their models from it) and what a created or patched image is checked
against."""

from __future__ import annotations

import copy

DISK_FORMATS = ["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2",
                "vdi", "iso", "ploop"]
CONTAINER_FORMATS = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker",
                     "compressed"]
VISIBILITIES = ["public", "private", "shared", "community"]
STATUSES = ["queued", "saving", "active", "killed", "deleted", "uploading",
            "importing", "pending_delete", "deactivated"]

# Set by the service, never by a client (Glance: 403 "Attribute ... is
# read-only").
READ_ONLY = ("status", "size", "virtual_size", "checksum", "os_hash_algo",
             "os_hash_value", "created_at", "updated_at", "self", "file",
             "schema", "direct_url", "locations")
# Glance's reserved names: not additional properties either.
RESERVED = ("owner", "location", "deleted", "deleted_at")

_UUID = ("^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}"
         "-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$")

IMAGE = {
    "name": "image",
    "additionalProperties": {"type": "string"},
    "properties": {
        "id": {"type": "string", "pattern": _UUID,
               "description": "An identifier for the image"},
        "name": {"type": ["null", "string"], "maxLength": 255,
                 "description": "Descriptive name for the image"},
        "status": {"type": "string", "readOnly": True, "enum": STATUSES,
                   "description": "Status of the image"},
        "visibility": {"type": "string", "enum": VISIBILITIES,
                       "description": "Scope of image accessibility"},
        "protected": {"type": "boolean",
                      "description": "If true, image will not be "
                                     "deletable."},
        "os_hidden": {"type": "boolean",
                      "description": "If true, image will not appear in "
                                     "default image list response."},
        "checksum": {"type": ["null", "string"], "readOnly": True,
                     "maxLength": 32,
                     "description": "md5 hash of image contents."},
        "os_hash_algo": {"type": ["null", "string"], "readOnly": True,
                         "maxLength": 64,
                         "description": "Algorithm to calculate the "
                                        "os_hash_value"},
        "os_hash_value": {"type": ["null", "string"], "readOnly": True,
                          "maxLength": 128,
                          "description": "Hexdigest of the image contents "
                                         "using the algorithm specified "
                                         "by the os_hash_algo"},
        "owner": {"type": ["null", "string"], "maxLength": 255,
                  "description": "Owner of the image"},
        "size": {"type": ["null", "integer"], "readOnly": True,
                 "description": "Size of image file in bytes"},
        "virtual_size": {"type": ["null", "integer"], "readOnly": True,
                         "description": "Virtual size of image in bytes"},
        "container_format": {"type": ["null", "string"],
                             "enum": [None, *CONTAINER_FORMATS],
                             "description": "Format of the container"},
        "disk_format": {"type": ["null", "string"],
                        "enum": [None, *DISK_FORMATS],
                        "description": "Format of the disk"},
        "created_at": {"type": "string", "readOnly": True,
                       "description": "Date and time of image "
                                      "registration"},
        "updated_at": {"type": "string", "readOnly": True,
                       "description": "Date and time of the last image "
                                      "modification"},
        "tags": {"type": "array", "items": {"type": "string",
                                            "maxLength": 255},
                 "description": "List of strings related to the image"},
        "direct_url": {"type": "string", "readOnly": True,
                       "description": "URL to access the image file "
                                      "kept in external store"},
        "min_ram": {"type": "integer", "minimum": 0,
                    "maximum": 2 ** 31 - 1,
                    "description": "Amount of ram (in MB) required to "
                                   "boot image."},
        "min_disk": {"type": "integer", "minimum": 0,
                     "maximum": 2 ** 31 - 1,
                     "description": "Amount of disk space (in GB) "
                                    "required to boot image."},
        "self": {"type": "string", "readOnly": True,
                 "description": "An image self url"},
        "file": {"type": "string", "readOnly": True,
                 "description": "An image file url"},
        "schema": {"type": "string", "readOnly": True,
                   "description": "An image schema url"},
        "locations": {"type": "array", "readOnly": True,
                      "items": {"type": "object"},
                      "description": "A set of URLs to access the image "
                                     "file kept in external store"},
    },
    "links": [
        {"rel": "self", "href": "{self}"},
        {"rel": "enclosure", "href": "{file}"},
        {"rel": "describedby", "href": "{schema}"},
    ],
}

IMAGES = {
    "name": "images",
    "properties": {
        "images": {"type": "array", "items": IMAGE},
        "schema": {"type": "string"},
        "first": {"type": "string"},
        "next": {"type": "string"},
    },
    "links": [
        {"rel": "first", "href": "{first}"},
        {"rel": "next", "href": "{next}"},
        {"rel": "describedby", "href": "{schema}"},
    ],
}


def validator_schema() -> dict:
    """IMAGE as a JSON Schema for a client's image (create, the result
    of a patch): the read-only properties left out (refused before)."""
    schema = copy.deepcopy(IMAGE)
    schema.pop("links")
    schema.pop("name")
    schema["type"] = "object"
    for name in READ_ONLY:
        schema["properties"].pop(name, None)
    # Additional properties are strings of at most 255 characters in
    # Glance's database.
    schema["additionalProperties"] = {"type": "string", "maxLength": 255}
    schema["propertyNames"] = {"maxLength": 255}
    return schema


CLIENT_IMAGE = validator_schema()

PATCH = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "op": {"enum": ["add", "replace", "remove"]},
            "path": {"type": "string", "pattern": "^/[^/]+$"},
            "value": {},
        },
        "required": ["op", "path"],
    },
}
