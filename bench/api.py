"""Requests/s of a real minova-api against a bare eventlet.wsgi app.

Starts, in a temporary directory, ``bench/bare_app.py`` and one
``minova-api`` (one worker, SQLite, ``enabled_apis = osapi_compute``,
fake:// transport: ``GET /v2.1/os-services`` needs only the database,
whose services table holds the API's own row), then loads each with the
same generator and concurrency:

- bare app ``GET /`` (the baseline);
- minova ``GET /`` (version document: paste urlmap, request id, fault
  wrapper, WebOb);
- minova ``GET /v2.1/os-services`` with ``X-Auth-Token: admin:admin``
  (plus noauth2, routing, policy, a database query);
- minova ``GET /v2.1/flavors`` as a user (the five default flavors that
  ``db sync`` creates, with their links; as ``bench/boot.py`` measures it
  on minova-all).

    .venv/bin/python bench/api.py [--runs 5] [--duration 5]
        [--concurrency 1 16] [--python-client]

Targets are interleaved within each run so that a noisy neighbour hurts
them alike. The load generator is ``wrk`` (``bash bench/setup.sh``), else
a pure-Python keep-alive client, which is slower than the servers and so
understates every rate. Prints a table of medians, the ratios
minova/bare (of the medians, and the median of the per-run ratios), the
API process's RSS after the run, and one line of JSON.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common  # noqa: E402

ADMIN = {'X-Auth-Token': 'admin:admin'}
USER = {'X-Auth-Token': 'bench:bench'}
TARGETS = {
    # name: (server, path, headers)
    'bare /': ('bare', '/', {}),
    'minova /': ('minova', '/', {}),
    'minova os-services': ('minova', '/v2.1/os-services', ADMIN),
    'minova flavors': ('minova', '/v2.1/flavors', USER),
}


def _wrk(port: int, path: str, headers: dict, concurrency: int,
         duration: float) -> float:
    # One wrk thread: the machine has 2 cores, one is the server's. A
    # long timeout: on a shared machine a stall is slow, not an error.
    argv = ['wrk', '-t1', f'-c{concurrency}', f'-d{duration:g}s',
            '--timeout', '30s']
    for name, value in headers.items():
        argv += ['-H', f'{name}: {value}']
    argv.append(f'http://127.0.0.1:{port}{path}')
    out = subprocess.run(argv, capture_output=True, text=True, check=True,
                         timeout=duration + 60).stdout
    errors = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
    if errors or 'Socket errors' in out:
        raise RuntimeError(f'{path}: failed requests under load:\n{out}')
    return float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))


def _python_client(port: int, path: str, headers: dict, concurrency: int,
                   duration: float) -> float:
    """Keep-alive connections, one OS thread each, for ``duration`` s."""
    counts = [0] * concurrency
    deadline = time.monotonic() + duration

    def _worker(index: int) -> None:
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
        try:
            while time.monotonic() < deadline:
                conn.request('GET', path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    raise RuntimeError(f'{path}: {response.status}')
                counts[index] += 1
        finally:
            conn.close()

    threads = [threading.Thread(target=_worker, args=(i,))
               for i in range(concurrency)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + 60)
    return sum(counts) / (time.monotonic() - start)


def _get(port: int, path: str, headers: dict) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=5)
    try:
        conn.request('GET', path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    except OSError:
        return 0, b''
    finally:
        conn.close()


def _services_listed(port: int) -> bool:
    status, body = _get(port, '/v2.1/os-services', ADMIN)
    return status == 200 and bool(json.loads(body)['services'])


def _minova_config(tmp: str, port: int) -> str:
    return _common.write_config(os.path.join(tmp, 'minova.conf'), {
        'DEFAULT': {
            'state_path': tmp,
            'host': 'bench-host',
            'transport_url': 'fake://',
            'enabled_apis': 'osapi_compute',
            'osapi_compute_listen': '127.0.0.1',
            'osapi_compute_listen_port': port,
            'osapi_compute_workers': 1,
        },
        # The noauth2 request path this benchmark has always measured;
        # bench/identity.py compares it with minova tokens.
        'api': {'auth_strategy': 'noauth2'},
        'database': {'connection': f'sqlite:///{tmp}/minova.sqlite'},
    })


def _start_servers(procs: _common.Processes, tmp: str) -> dict:
    """Start both servers; return ``{server: (port, process)}``."""
    ports = {'bare': _common.free_port(), 'minova': _common.free_port()}
    config = _minova_config(tmp, ports['minova'])
    _common.run([os.path.join(_common.BIN, 'minova-manage'),
                 '--config-file', config, 'db', 'sync'],
                os.path.join(tmp, 'manage.log'))
    bare = procs.start([sys.executable,
                        os.path.join(_common.REPO, 'bench', 'bare_app.py'),
                        '--port', str(ports['bare'])],
                       os.path.join(tmp, 'bare.log'))
    api = procs.start([os.path.join(_common.BIN, 'minova-api'),
                       '--config-file', config],
                      os.path.join(tmp, 'minova-api.log'))
    for name, child in (('bare', bare), ('minova', api)):
        _common.wait_for(
            lambda c=child, p=ports[name]: (procs.alive(c)
                                            and _common.port_open(p)),
            60, f'{name} to listen')
    # The API registers its own row in start(): the list is not empty.
    _common.wait_for(lambda: _services_listed(ports['minova']), 30,
                     'os-services to list the API')
    return {'bare': (ports['bare'], bare), 'minova': (ports['minova'], api)}


def _measure(servers: dict, args: argparse.Namespace) -> dict:
    load = _python_client if args.python_client else _wrk
    rates: dict = {(t, c): [] for t in TARGETS for c in args.concurrency}
    for server, path, headers in TARGETS.values():
        # Warm up: first-request imports, DB connection, policy files.
        load(servers[server][0], path, headers, 4, 1)
    for run in range(args.runs):
        for concurrency in args.concurrency:
            for name, (server, path, headers) in TARGETS.items():
                rate = load(servers[server][0], path, headers,
                            concurrency, args.duration)
                rates[name, concurrency].append(rate)
                print(f'run {run + 1}/{args.runs} c={concurrency:<3} '
                      f'{name:<20} {rate:9.1f} req/s', flush=True)
    return rates


def _report(rates: dict, rss: float, args: argparse.Namespace,
            generator: str) -> None:
    """Medians, and two ratios to bare: of the medians, and the median
    of each run's own ratio (the targets' neighbours in time, so less
    moved by load that comes and goes on a shared machine)."""
    results = {}
    print(f'\n{"target":<20} {"conc":>4} {"median req/s":>13} {"min":>9} '
          f'{"max":>9} {"x bare":>7} {"paired":>7}')
    for (name, concurrency), values in rates.items():
        stats = _common.summary(values)
        bare = rates['bare /', concurrency]
        stats['ratio_to_bare'] = round(
            stats['median'] / statistics.median(bare), 3)
        stats['paired_ratio'] = round(statistics.median(
            v / b for v, b in zip(values, bare, strict=True)), 3)
        results[f'{name} c={concurrency}'] = stats
        print(f'{name:<20} {concurrency:>4} {stats["median"]:>13.1f} '
              f'{stats["min"]:>9.1f} {stats["max"]:>9.1f} '
              f'{stats["ratio_to_bare"]:>7.2f} {stats["paired_ratio"]:>7.2f}')
    print(f'minova-api RSS after the run: {rss:.1f} MiB')
    print(json.dumps({
        'benchmark': 'api',
        'generator': generator,
        'runs': args.runs,
        'duration_s': args.duration,
        'requests_per_s': results,
        'minova_api_rss_mib': round(rss, 1),
        'cpus': os.cpu_count(),
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--duration', type=float, default=5,
                        help='seconds per measurement')
    parser.add_argument('--concurrency', type=int, nargs='+',
                        default=[1, 16])
    parser.add_argument('--python-client', action='store_true',
                        help='use the pure-Python client even if wrk is '
                             'installed')
    args = parser.parse_args()
    _common.exit_on_sigterm()
    if not args.python_client and not shutil.which('wrk'):
        print('wrk not found (bash bench/setup.sh installs it); using the '
              'slower pure-Python client', file=sys.stderr)
        args.python_client = True
    generator = 'python' if args.python_client else 'wrk'

    tmp = tempfile.mkdtemp(prefix='minova-bench-api-')
    try:
        with _common.Processes() as procs:
            servers = _start_servers(procs, tmp)
            rates = _measure(servers, args)
            rss = _common.rss_mb(servers['minova'][1].pid)
        _report(rates, rss, args, generator)
    except BaseException:  # also Ctrl-C and SIGTERM
        print(f'logs kept in {tmp}', file=sys.stderr)
        raise
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
