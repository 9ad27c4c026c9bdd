"""Time to answer a request while many idle connections are open.

Starts, in a temporary directory, one ``minova-api`` (one worker, SQLite,
fake:// transport, the compute and the metadata API), opens ``--idle``
connections to each port that send nothing (with ``--half-sent``, a
third send half a request head and a third a head and half a body),
then times ``GET /`` on each port on a fresh connection, ``--runs``
times, each given ``--timeout`` seconds to answer.

    .venv/bin/python bench/idle_connections.py [--idle 2000] [--runs 3]
        [--timeout 10] [--half-sent]

Prints one line per request and one line of JSON; a request not answered
within the timeout counts as ``null``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import shutil
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common  # noqa: E402


def _config(tmp: str, ports: dict) -> str:
    return _common.write_config(os.path.join(tmp, 'minova.conf'), {
        'DEFAULT': {
            'state_path': tmp,
            'host': 'bench-host',
            'transport_url': 'fake://',
            'enabled_apis': 'osapi_compute,metadata',
            'osapi_compute_listen': '127.0.0.1',
            'osapi_compute_listen_port': ports['osapi_compute'],
            'osapi_compute_workers': 1,
            'metadata_listen': '127.0.0.1',
            'metadata_listen_port': ports['metadata'],
            'metadata_workers': 1,
        },
        'database': {'connection': f'sqlite:///{tmp}/minova.sqlite'},
    })


def _timed_get(port: int, timeout: float) -> float | None:
    start = time.monotonic()
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=timeout)
    try:
        conn.request('GET', '/')
        conn.getresponse().read()
    except OSError:
        return None
    finally:
        conn.close()
    return time.monotonic() - start


def _open_idle(port: int, count: int, half_sent: bool) -> list:
    sockets = []
    for index in range(count):
        sock = socket.create_connection(('127.0.0.1', port), timeout=10)
        if half_sent and index % 3 == 1:  # half a request head
            sock.sendall(b'GET / HTTP/1.1\r\nHost: x\r\n')
        elif half_sent and index % 3 == 2:  # a head and half a body
            sock.sendall(b'PUT / HTTP/1.1\r\nHost: x\r\n'
                         b'Content-Length: 10\r\n\r\n{')
        sockets.append(sock)
    return sockets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--idle', type=int, default=2000)
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--timeout', type=float, default=10)
    parser.add_argument('--half-sent', action='store_true')
    args = parser.parse_args()
    _common.exit_on_sigterm()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    tmp = tempfile.mkdtemp(prefix='minova-bench-idle-')
    ports = {'osapi_compute': _common.free_port(),
             'metadata': _common.free_port()}
    results: dict = {name: [] for name in ports}
    idle: list = []
    try:
        config = _config(tmp, ports)
        with _common.Processes() as procs:
            _common.run([os.path.join(_common.BIN, 'minova-manage'),
                         '--config-file', config, 'db', 'sync'],
                        os.path.join(tmp, 'manage.log'))
            api = procs.start([os.path.join(_common.BIN, 'minova-api'),
                               '--config-file', config],
                              os.path.join(tmp, 'minova-api.log'))
            for port in ports.values():
                _common.wait_for(
                    lambda p=port: procs.alive(api) and _timed_get(p, 5),
                    60, 'minova-api to answer')
            for port in ports.values():
                idle += _open_idle(port, args.idle, args.half_sent)
            for run in range(args.runs):
                for name, port in ports.items():
                    seconds = _timed_get(port, args.timeout)
                    results[name].append(
                        None if seconds is None else round(seconds, 4))
                    print(f'run {run + 1}/{args.runs} {name:<14} '
                          + ('no answer' if seconds is None
                             else f'{seconds:.4f} s'), flush=True)
    finally:
        for sock in idle:
            sock.close()
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps({'benchmark': 'idle_connections', 'idle': args.idle,
                      'half_sent': args.half_sent,
                      'timeout_s': args.timeout, 'seconds': results,
                      'cpus': os.cpu_count()}))


if __name__ == '__main__':
    main()
