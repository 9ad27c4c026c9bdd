"""The validation messages minova words itself: field, rule, and a short
quote of the bad value, whatever its size or nesting."""

from __future__ import annotations

import pytest

from minova import exception
from minova.api.openstack import wsgi_util
from minova.api.openstack.compute.schemas import servers as server_schema

_SCHEMA = {
    "type": "object",
    "properties": {"name": {"type": "string", "maxLength": 5},
                   "meta": {"type": "object",
                            "patternProperties": {"^[a-z]+$": {}},
                            "additionalProperties": False},
                   "size": {"type": "integer", "minimum": 1}},
    "required": ["name"],
    "additionalProperties": False,
}


def _message(body, schema=_SCHEMA):
    with pytest.raises(exception.ValidationError) as caught:
        wsgi_util.validate(body, schema)
    return caught.value.format_message()


@pytest.mark.parametrize("body, expected", [
    ({}, "field/attribute name: 'name' is a required property"),
    ({"name": "abcdefg"}, "name: 'abcdefg' is too long"),
    ({"name": 7}, "name: 7 is not of type 'string'"),
    ({"name": "a", "size": 0},
     "size: 0 is less than the minimum of 1"),
    ({"name": "a", "colour": 1},
     "body: Additional properties are not allowed ('colour' was "
     "unexpected)"),
    ({"name": "a", "meta": {"ok": 1, "NOT": 2, "X1": 3}},
     "meta: Additional properties are not allowed ('NOT', 'X1' were "
     "unexpected)"),
])
def test_messages_name_the_field_and_the_rule(body, expected):
    assert _message(body).endswith(expected)


@pytest.mark.parametrize("body", [
    {"name": "n" * 110000},
    {"name": ["n" * 110000] * 1000},
    {"name": [[[[[["deep"]]]]]] * 50},
    {"name": "a", "x" * 100000: 1},
    {"name": "a", "meta": {"K%d" % i: 1 for i in range(10000)}},
])
def test_a_bad_value_is_quoted_short_whatever_its_size(body):
    assert len(_message(body)) < 300


def test_a_long_server_name_is_quoted_with_its_path():
    message = _message({"server": {"name": "n" * 110000, "flavorRef": "1",
                                   "imageRef": "i"}},
                       server_schema.create)
    assert message.startswith("Invalid input for field/attribute "
                              "server/name: 'nnnn")
    assert len(message) < 300


def test_exception_arguments_are_cut():
    error = exception.InstanceNotFound(instance_id="i" * 100000)
    assert len(error.format_message()) < 300
    assert exception.cut("abc", 2) == "ab..."
    assert exception.quote("x" * 1000).startswith("'xxx")
    assert len(exception.quote("x" * 1000)) <= exception.QUOTE_LIMIT + 2
