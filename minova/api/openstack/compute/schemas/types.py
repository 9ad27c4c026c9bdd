"""Parameter types the schemas share (Nova's ``parameter_types``)."""

from __future__ import annotations


def integer(minimum: int, maximum: int = 2 ** 31 - 1) -> dict:
    """An integer, also written as a string ("ram": "512") as Nova takes
    it; the handler checks the bounds of the string form."""
    return {
        "type": ["integer", "string"],
        "pattern": "^[0-9]+$",
        "minimum": minimum,
        "maximum": maximum,
        "minLength": 1,
        # Longer strings are out of range anyway; this keeps int() of the
        # handler from a string of thousands of digits (a ValueError).
        "maxLength": len(str(maximum)),
    }


NAME = {
    "type": "string", "minLength": 1, "maxLength": 255,
    # No leading or trailing whitespace, as Nova's parameter_types.name.
    "pattern": r"^(?!\s)[\s\S]*(?<!\s)$",
}

BOOLEAN = {
    "type": ["boolean", "string"],
    "enum": [True, "True", "TRUE", "true", "1", "ON", "On", "on", "YES",
             "Yes", "yes", False, "False", "FALSE", "false", "0", "OFF",
             "Off", "off", "NO", "No", "no"],
}

METADATA = {
    "type": "object",
    "patternProperties": {
        "^[a-zA-Z0-9-_:. ]{1,255}$": {"type": "string", "maxLength": 255},
    },
    "additionalProperties": False,
}
