"""Helpers the benchmarks share: config files, child processes, waiting,
memory.

Every child process is started by ``Processes`` and killed when its
``with`` block ends, whatever happens inside it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def write_config(path: str, sections: dict[str, dict[str, Any]]) -> str:
    """Write an ini file from ``{section: {option: value}}``."""
    with open(path, 'w') as config:
        for section, options in sections.items():
            config.write(f'[{section}]\n')
            for name, value in options.items():
                config.write(f'{name} = {value}\n')
            config.write('\n')
    return path


def run(argv: list[str], log_path: str, timeout: float = 120) -> None:
    """Run a command to completion; its output goes to ``log_path``."""
    with open(log_path, 'ab') as log:
        subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT,
                       check=True, timeout=timeout, cwd=REPO)


def wait_for(predicate: Callable[[], Any], timeout: float,
             what: str, interval: float = 0.1) -> Any:
    """Poll ``predicate`` until it returns something true, or give up."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f'gave up waiting for {what} '
                               f'after {timeout:.0f} s')
        time.sleep(interval)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(('127.0.0.1', port)) == 0


class Processes:
    """Child processes that are all stopped when the block ends.

    SIGTERM first (minova's launchers stop gracefully on it), SIGKILL
    for anything still alive after ``grace`` seconds.
    """

    def __init__(self, grace: float = 10) -> None:
        self.grace = grace
        self.children: list[subprocess.Popen] = []

    def start(self, argv: list[str], log_path: str) -> subprocess.Popen:
        log = open(log_path, 'ab')  # noqa: SIM115 - closed in __exit__
        child = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL, cwd=REPO)
        child.log = log  # type: ignore[attr-defined]
        self.children.append(child)
        return child

    def alive(self, child: subprocess.Popen) -> bool:
        if child.poll() is not None:
            raise RuntimeError(f'{child.args[0]} exited with '
                               f'{child.returncode}; see its log')
        return True

    def stop(self, child: subprocess.Popen) -> None:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(self.grace)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        child.log.close()  # type: ignore[attr-defined]

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        for child in reversed(self.children):
            with contextlib.suppress(Exception):
                self.stop(child)


def exit_on_sigterm() -> None:
    """Make SIGTERM raise SystemExit, so ``finally`` blocks and
    ``Processes`` still stop the children and clean up (``timeout``
    and most supervisors send SIGTERM)."""
    def _exit(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, _exit)


def py_spy(pid: int, seconds: float, path: str) -> subprocess.Popen:
    """Start py-spy (it must be in the venv's bin) recording ``pid`` for
    ``seconds`` as collapsed stacks in ``path``; wait on what it returns.
    Non-blocking: pausing the process at every sample slowed it enough
    for clients' requests to time out."""
    return subprocess.Popen(
        [os.path.join(BIN, 'py-spy'), 'record', '--nonblocking', '-p',
         str(pid), '-d', str(int(seconds)), '-r', '100', '-f', 'raw',
         '-o', path], stdout=subprocess.DEVNULL,
        stderr=open(path + '.log', 'w'))  # noqa: SIM115


def server_pids() -> dict[str, int]:
    """The local RabbitMQ and MariaDB server processes (those found
    alone), whose CPU the benchmarks' work costs too: on one machine they
    share its cores with minova."""
    found = {}
    for name, command in (('rabbitmq', 'beam.smp'), ('mariadb', 'mariadbd')):
        pids = subprocess.run(['pgrep', '-x', command], capture_output=True,
                              text=True).stdout.split()
        if len(pids) == 1:
            found[name] = int(pids[0])
    return found


def rss_mb(pid: int) -> float:
    """Resident set size of ``pid`` in MiB, from /proc/<pid>/status."""
    with open(f'/proc/{pid}/status') as status:
        for line in status:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f'no VmRSS for {pid}')


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time ``pid`` has used, from /proc/<pid>/stat.

    Unlike rates, it hardly depends on what else the machine runs.
    """
    with open(f'/proc/{pid}/stat') as stat:
        fields = stat.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def summary(values: list[float]) -> dict[str, float]:
    return {'median': round(statistics.median(values), 1),
            'min': round(min(values), 1), 'max': round(max(values), 1)}
