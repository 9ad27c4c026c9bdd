"""The benchmark scripts load, and their child processes never outlive
them. The benchmarks themselves are run by hand (docs/performance.md)."""

from __future__ import annotations

import importlib.util
import os
import sys
from types import ModuleType

import pytest

BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "bench")


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_" + name, os.path.join(BENCH, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["api", "bare_app", "cold_start",
                                  "identity", "idle_connections",
                                  "metadata", "metrics", "rpc_ping",
                                  "rpc_transport", "save_path", "scale"])
def test_script_imports_and_has_main(name: str) -> None:
    assert callable(_load(name).main)


def test_children_are_stopped_when_the_block_fails(tmp_path) -> None:
    common = _load("_common")
    with pytest.raises(RuntimeError):
        with common.Processes(grace=5) as procs:
            child = procs.start([sys.executable, "-c",
                                 "import time; time.sleep(60)"],
                                str(tmp_path / "child.log"))
            raise RuntimeError("benchmark failed")
    assert child.poll() is not None


def test_config_sections_are_written(tmp_path) -> None:
    common = _load("_common")
    path = common.write_config(str(tmp_path / "x.conf"),
                               {"DEFAULT": {"a": 1}, "database": {"b": "c"}})
    with open(path) as config:
        assert config.read() == "[DEFAULT]\na = 1\n\n[database]\nb = c\n\n"
