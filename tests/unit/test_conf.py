"""minova's options: documented, registered and listed for the sample."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from oslo_config import cfg

from minova import conf as minova_conf
from minova.conf import opts as conf_opts


def _registered():
    """(group, name) -> Opt of everything register_opts puts on a conf."""
    conf = cfg.ConfigOpts()
    builtin = set(conf.keys())  # oslo.config's own, e.g. config_source
    minova_conf.register_opts(conf)
    found = {}
    for key in set(conf.keys()) - builtin:
        value = conf[key]
        if isinstance(value, cfg.ConfigOpts.GroupAttr):
            for name in value:
                found[(key, name)] = conf._get_opt_info(name, key)["opt"]
        else:
            found[(None, key)] = conf._get_opt_info(key)["opt"]
    return found


def _listed():
    listed = {}
    for group, opts in conf_opts.list_opts():
        for opt in opts:
            key = (group, opt.dest)
            assert key not in listed, "%s listed twice" % (key,)
            listed[key] = opt
    return listed


def test_every_area_module_is_registered():
    names = {module.__name__ for module in minova_conf._MODULES}
    for info in pkgutil.iter_modules(minova_conf.__path__):
        if info.name == "opts":
            continue
        module = importlib.import_module("minova.conf.%s" % info.name)
        assert module.__name__ in names, (
            "%s is not in minova.conf._MODULES" % module.__name__)


def test_list_opts_covers_every_registered_option():
    registered, listed = _registered(), _listed()
    assert set(listed) == set(registered)
    registered_groups = {group for group, _name in registered}
    assert registered_groups == {group for group, _opts
                                 in conf_opts.list_opts()}


def test_register_twice_is_harmless():
    conf = cfg.ConfigOpts()
    minova_conf.register_opts(conf)
    minova_conf.register_opts(conf)
    conf([], project="minova", default_config_files=[])
    assert conf.wsgi.api_paste_config == "api-paste.ini"


@pytest.mark.parametrize("key,opt", sorted(
    _listed().items(), key=lambda item: (item[0][0] or "", item[0][1])),
    ids=lambda value: "%s.%s" % value if isinstance(value, tuple) else "")
def test_every_option_has_help_text(key, opt):
    assert opt.help and len(opt.help.strip()) > 10, (
        "[%s] %s needs help text" % (key[0] or "DEFAULT", key[1]))
