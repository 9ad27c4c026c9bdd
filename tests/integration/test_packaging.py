"""The product is what a wheel installs, not the editable checkout.

Builds the sdist and, from it, the wheel (as ``pip install .`` does), installs
the wheel into a fresh virtualenv, then runs that venv's ``minova-manage db
sync`` and ``minova-all`` from a folder outside the checkout, so that nothing
from the source tree can stand in for a file the wheel left out.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import requests

from tests.utils import free_port
from tests.utils import wait_for

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
UV = shutil.which("uv", path=os.path.dirname(sys.executable)) or \
    shutil.which("uv")


def _run(argv: list[str], cwd: Path, timeout: float = 300) -> str:
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, "%s failed:\n%s\n%s" % (
        argv, done.stdout[-3000:], done.stderr[-3000:])
    return done.stdout


# Left by an editable install or an earlier build; setuptools reuses them
# (an old SOURCES.txt lists files the current metadata would leave out).
_BUILD_LEFTOVERS = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__")


def _build(out: Path) -> tuple[Path, Path]:
    source = out / "source"
    shutil.copytree(ROOT, source, ignore=_BUILD_LEFTOVERS)
    if UV:
        _run([UV, "build", "-q", "--out-dir", str(out), str(source)], out)
    else:
        _run([sys.executable, "setup.py", "-q", "sdist", "-d", str(out)],
             source)
        _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
              "-w", str(out), str(next(out.glob("minova-*.tar.gz")))], out)
    return next(out.glob("minova-*.tar.gz")), next(out.glob("minova-*.whl"))


def _venv_with(wheel: Path, venv: Path) -> Path:
    python = venv / "bin" / "python"
    if UV:
        _run([UV, "venv", "-q", str(venv)], venv.parent)
        _run([UV, "pip", "install", "-q", "--python", str(python),
              str(wheel)], venv.parent)
    else:
        _run([sys.executable, "-m", "venv", str(venv)], venv.parent)
        _run([str(python), "-m", "pip", "install", "-q", str(wheel)],
             venv.parent)
    return venv / "bin"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("dist")
    sdist, wheel = _build(out)
    return {"sdist": sdist, "wheel": wheel,
            "bin": _venv_with(wheel, out / "venv")}


def test_wheel_and_sdist_carry_the_migrations_and_paste_file(
        built: dict) -> None:
    migrations = sorted(
        p.name for p in (ROOT / "minova/db/migrations/versions").glob("*.py"))
    assert migrations, "no migrations in the checkout?"
    with zipfile.ZipFile(built["wheel"]) as whl:
        names = whl.namelist()
    for migration in migrations:
        assert "minova/db/migrations/versions/%s" % migration in names
    assert any(n.endswith("data/etc/minova/api-paste.ini") for n in names)

    with tarfile.open(built["sdist"]) as sdist:
        members = sdist.getnames()
    assert any(m.endswith("/api-paste.ini") for m in members)
    assert any(m.endswith("/versions/%s" % migrations[0]) for m in members)


def test_installed_wheel_syncs_and_serves(built: dict,
                                          tmp_path: Path) -> None:
    state = tmp_path / "state"
    api_port, metadata_port = free_port(), free_port()
    conf = tmp_path / "minova.conf"
    conf.write_text(
        "[DEFAULT]\nstate_path = %s\nosapi_compute_listen_port = %d\n"
        "metadata_listen_port = %d\n" % (state, api_port, metadata_port))
    # Outside the checkout: nothing of the source tree is importable.
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    bin_dir = built["bin"]

    out = _run([str(bin_dir / "minova-manage"), "--config-file", str(conf),
                "db", "sync"], workdir)
    version = _run([str(bin_dir / "minova-manage"), "--config-file",
                    str(conf), "db", "version"], workdir)
    assert version.strip(), out

    log = open(tmp_path / "minova-all.log", "wb")
    proc = subprocess.Popen(
        [str(bin_dir / "minova-all"), "--config-file", str(conf)],
        cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        def flavors() -> bool:
            try:
                answer = requests.get(
                    "http://127.0.0.1:%d/v2.1/flavors" % api_port,
                    headers={"X-Auth-Token": "demo:demo"}, timeout=2)
            except requests.ConnectionError:
                assert proc.poll() is None, (
                    tmp_path / "minova-all.log").read_text()
                return False
            return answer.status_code == 200 and answer.json()["flavors"]
        wait_for(flavors, timeout=60, interval=0.2,
                 what="the installed minova-all to list flavors")
        root = requests.get("http://127.0.0.1:%d/" % api_port, timeout=2)
        assert root.status_code == 200
        assert root.json()["versions"]
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
