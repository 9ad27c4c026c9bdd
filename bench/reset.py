"""How long ``POST /minova/reset`` takes on a ``minova-all`` holding N
servers (issue 10: under a second at 1,000).

Starts ``minova-all`` (SQLite, ``inproc://``, one fake compute) in a
temporary directory; then, ``--rounds`` times: boots N servers
(``bench/boot.py``'s client, networks "none"), waits until none is in
BUILD, and times ``POST /minova/reset`` as the client sees it (and as
the server reports it, ``seconds`` in the answer), then checks that the
cloud is empty again. As a baseline in the same run: the median of 20
``GET /v2.1/flavors`` on the same process, so the figure can be read as
a ratio on a machine busier or quieter than the one quoted.

    .venv/bin/python bench/reset.py [-n 1000] [--rounds 3]

Prints a summary and one line of JSON.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common  # noqa: E402
import boot  # noqa: E402

ADMIN = {'X-Auth-Token': 'admin:admin', 'Content-Type': 'application/json'}


def _timed(port: int, method: str, path: str) -> tuple[float, int, dict]:
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=120)
    try:
        started = time.perf_counter()
        status, body = boot._request(conn, method, path, ADMIN)
        return time.perf_counter() - started, status, body
    finally:
        conn.close()


def _round(port: int, count: int) -> dict:
    booted = boot._boot_all(port, count, concurrency=8)
    boot._wait_active(port, count, timeout=600)
    elapsed, status, body = _timed(port, 'POST', '/minova/reset')
    if status != 200:
        raise RuntimeError(f'reset answered {status}: {body}')
    _, status, left = _timed(port, 'GET',
                             '/v2.1/servers?all_tenants=1&limit=1')
    if status != 200 or left['servers']:
        raise RuntimeError(f'servers left after the reset: {left}')
    return {'servers': len(booted['ids']), 'client_s': round(elapsed, 3),
            'server_s': body['reset']['seconds'],
            'phases': body['reset']['phases'],
            'rows_deleted': body['reset']['rows_deleted']}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-n', type=int, default=1000)
    parser.add_argument('--rounds', type=int, default=3)
    args = parser.parse_args()
    _common.exit_on_sigterm()
    tmp = tempfile.mkdtemp(prefix='minova-bench-reset-')
    port = _common.free_port()
    try:
        config = boot._config(tmp, port)
        with _common.Processes() as procs:
            child = procs.start([os.path.join(_common.BIN, 'minova-all'),
                                 '--config-file', config],
                                os.path.join(tmp, 'minova-all.log'))
            _common.wait_for(lambda: procs.alive(child) and boot._ready(port),
                             60, 'minova-all and its compute')
            rounds = [_round(port, args.n) for _ in range(args.rounds)]
            baseline = statistics.median(
                _timed(port, 'GET', '/v2.1/flavors')[0] for _ in range(20))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    reset_s = statistics.median(r['client_s'] for r in rounds)
    result = {'servers': args.n, 'rounds': rounds,
              'reset_median_s': reset_s,
              'flavors_get_median_s': round(baseline, 4),
              'reset_over_flavors_get': round(reset_s / baseline, 1),
              'loadavg': os.getloadavg()}
    print(f"reset of {args.n} servers: median {reset_s:.3f} s over "
          f"{args.rounds} rounds ({[r['client_s'] for r in rounds]}); "
          f"GET /v2.1/flavors median {baseline * 1000:.1f} ms; load "
          f"average {result['loadavg'][0]:.1f}")
    print(json.dumps(result))


if __name__ == '__main__':
    main()
