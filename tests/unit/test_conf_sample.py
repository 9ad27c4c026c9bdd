"""The checked-in etc/minova/minova.conf.sample is up to date."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
GENERATOR_CONF = os.path.join("etc", "minova", "minova-config-generator.conf")
SAMPLE = os.path.join(ROOT, "etc", "minova", "minova.conf.sample")
REGENERATE = ".venv/bin/oslo-config-generator --config-file %s" \
    % GENERATOR_CONF


def _generate(tmp_path):
    output = tmp_path / "minova.conf.sample"
    subprocess.run(
        [os.path.join(os.path.dirname(sys.executable),
                      "oslo-config-generator"),
         "--config-file", GENERATOR_CONF, "--output-file", str(output)],
        cwd=ROOT, check=True, capture_output=True, timeout=120)
    return output.read_text()


def test_sample_is_up_to_date(tmp_path):
    with open(SAMPLE) as sample:
        checked_in = sample.read()
    assert _generate(tmp_path) == checked_in, (
        "etc/minova/minova.conf.sample is out of date; regenerate it from "
        "the top of the tree with: make sample (or %s)" % REGENERATE)


def test_sample_does_not_depend_on_this_machine():
    with open(SAMPLE) as sample:
        text = sample.read()
    defaults = "\n".join(re.findall(r"^#\w+ = (.*)$", text, re.MULTILINE))
    assert re.search(r"\b%s\b" % re.escape(socket.gethostname()),
                     defaults) is None
    assert os.path.expanduser("~") + "/" not in text
    assert ROOT not in text
    assert "#host = <current_hostname>" in text
    assert "#state_path = $HOME/.local/state/minova" in text


def test_sample_has_minova_and_library_sections():
    with open(SAMPLE) as sample:
        sections = set(re.findall(r"^\[(\w+)\]$", sample.read(),
                                  re.MULTILINE))
    assert {"DEFAULT", "api", "conductor", "database", "wsgi",
            "upgrade_levels", "oslo_messaging_rabbit", "oslo_middleware",
            "oslo_policy"} <= sections
