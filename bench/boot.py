"""Boot N servers through the REST API of one ``minova-all`` process.

Starts ``minova-all`` (api, conductor, scheduler and one fake compute in one
process, on the embedded ``inproc://`` transport and SQLite) in a temporary
directory, then:

1. boots N servers (``POST /v2.1/servers``, flavorRef "1", networks
   "none") from ``--concurrency`` client threads and waits until the API
   lists none in BUILD. By default each thread POSTs as soon as its last
   POST was answered (closed loop: the offered load is whatever the API
   accepts, which measures capacity; latency is then mostly queueing).
   With ``--rate R`` the POSTs are sent on a schedule, R per second
   (open loop), which measures latency at a load below capacity;
2. reports servers/s (first POST to the poll that saw none left in
   BUILD), the POST latency the client saw, and the boot-to-ACTIVE
   latency of each server, p50/p99 (from the database afterwards: the
   row's ``created_at``, written by the API, to its last update, the
   compute's ACTIVE save; both have microseconds), and the CPU time
   minova-all used per server (first POST to the last poll; it depends
   less on what else the machine runs than the rates do). imageRef is
   the first image of the catalog (minova checks it against ``[image]
   images``);
3. measures ``GET /v2.1/flavors`` requests/s on that process against
   ``bench/bare_app.py`` (the helpers of ``bench/api.py``; wrk if
   installed).

    .venv/bin/python bench/boot.py [-n 200] [--concurrency 8]
        [--rate R] [--flavors-duration 5] [--flavors-concurrency 1 16]
        [--no-flavors]

Targets: >= 100 servers/s, p50 boot-to-ACTIVE < 50 ms, flavors >= 0.25x
the bare app. Prints a summary and one line of JSON.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common  # noqa: E402
import api as api_bench  # noqa: E402

TOKEN = {'X-Auth-Token': 'bench:bench', 'Content-Type': 'application/json'}
ADMIN = {'X-Auth-Token': 'admin:admin'}


def _request(conn: http.client.HTTPConnection, method: str, path: str,
             headers: dict, body: dict | None = None) -> tuple[int, dict]:
    conn.request(method, path, headers=headers,
                 body=json.dumps(body) if body is not None else None)
    response = conn.getresponse()
    data = response.read()
    return response.status, (json.loads(data) if data else {})


def _config(tmp: str, port: int) -> str:
    return _common.write_config(os.path.join(tmp, 'minova.conf'), {
        'DEFAULT': {
            'state_path': tmp,
            'host': 'bench-host',
            'enabled_apis': 'osapi_compute',
            'osapi_compute_listen_port': port,
            'periodic_fuzzy_delay': 0,
        },
        'database': {'connection': f'sqlite:///{tmp}/minova.sqlite'},
        # N servers in one project: far beyond the default quota. The
        # quota is still checked on every boot (its cost is measured).
        'quota': {'instances': -1, 'cores': -1, 'ram': -1},
    })


def _ready(port: int) -> bool:
    """The API answers and the compute has reported its node."""
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=5)
    try:
        status, body = _request(conn, 'GET', '/v2.1/os-hypervisors',
                                ADMIN)
        return status == 200 and bool(body.get('hypervisors'))
    except OSError:
        return False
    finally:
        conn.close()


def _image_id(port: int) -> str:
    """The first image of the catalog (``[image] images``)."""
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=5)
    try:
        status, body = _request(conn, 'GET', '/v2.1/images', TOKEN)
    finally:
        conn.close()
    if status != 200 or not body.get('images'):
        raise RuntimeError(f'no image to boot: {status} {body}')
    return body['images'][0]['id']


def _boot_all(port: int, count: int, concurrency: int,
              rate: float | None = None) -> dict:
    """POST ``count`` servers from ``concurrency`` threads; with ``rate``,
    the i-th POST is not sent before i / rate seconds from the start."""
    image = _image_id(port)
    ids: list[str] = []
    post_ms: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    todo = list(range(count - 1, -1, -1))
    began = time.perf_counter()

    def worker() -> None:
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
        while True:
            with lock:
                if not todo:
                    break
                index = todo.pop()
            if rate:
                delay = began + index / rate - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            body = {'server': {'name': f'bench-{index}', 'flavorRef': '1',
                               'imageRef': image,
                               'networks': 'none'}}
            sent = time.perf_counter()
            status, reply = _request(conn, 'POST', '/v2.1/servers', TOKEN,
                                     body)
            elapsed = (time.perf_counter() - sent) * 1000
            with lock:
                if status == 202:
                    ids.append(reply['server']['id'])
                    post_ms.append(elapsed)
                else:
                    errors.append(f'{status} {reply}')
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f'{len(errors)} boots refused, e.g. {errors[0]}')
    return {'ids': ids, 'post_ms': post_ms}


def _wait_active(port: int, count: int, timeout: float) -> float:
    """Poll until no server is in BUILD; returns when. (One server per
    poll at most, so that polling costs the server little; whether all
    went ACTIVE is checked in the database afterwards.)"""
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    deadline = time.monotonic() + timeout
    path = '/v2.1/servers?status=BUILD&limit=1'
    try:
        while time.monotonic() < deadline:
            status, body = _request(conn, 'GET', path, TOKEN)
            if status == 200 and not body['servers']:
                return time.perf_counter()
            time.sleep(0.02)
    finally:
        conn.close()
    raise TimeoutError(f'not all {count} servers ACTIVE after {timeout} s')


def _db_latencies(tmp: str, ids: list[str]) -> list[float]:
    """created_at -> ACTIVE save, in ms, from the rows themselves."""
    conn = sqlite3.connect(os.path.join(tmp, 'minova.sqlite'))
    try:
        rows = conn.execute(
            'SELECT uuid, created_at, updated_at, vm_state FROM instances'
        ).fetchall()
    finally:
        conn.close()
    wanted = set(ids)
    latencies = []
    for uuid, created, updated, vm_state in rows:
        if uuid not in wanted:
            continue
        if vm_state != 'active':
            raise RuntimeError(f'server {uuid} is {vm_state}')
        delta = (datetime.datetime.fromisoformat(updated)
                 - datetime.datetime.fromisoformat(created))
        latencies.append(delta.total_seconds() * 1000)
    return latencies


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))
    return round(ordered[index], 1)


def _flavors(procs: _common.Processes, tmp: str, port: int,
             args: argparse.Namespace) -> dict:
    """GET /v2.1/flavors on minova-all against the bare app's GET /."""
    bare_port = _common.free_port()
    bare = procs.start([sys.executable,
                        os.path.join(_common.REPO, 'bench', 'bare_app.py'),
                        '--port', str(bare_port)],
                       os.path.join(tmp, 'bare.log'))
    _common.wait_for(lambda: procs.alive(bare)
                     and _common.port_open(bare_port), 30, 'bare app')
    load = (api_bench._wrk if shutil.which('wrk')
            else api_bench._python_client)
    targets = {'bare /': (bare_port, '/', {}),
               'minova-all flavors': (port, '/v2.1/flavors', TOKEN)}
    for target_port, path, headers in targets.values():
        load(target_port, path, headers, 4, 1)  # warm up
    results = {}
    for concurrency in args.flavors_concurrency:
        rates: dict[str, list[float]] = {name: [] for name in targets}
        for _run in range(args.flavors_runs):
            for name, (target_port, path, headers) in targets.items():
                rates[name].append(load(target_port, path, headers,
                                        concurrency, args.flavors_duration))
        bare_rate = statistics.median(rates['bare /'])
        flavors_rate = statistics.median(rates['minova-all flavors'])
        results[f'c={concurrency}'] = {
            'bare_req_s': round(bare_rate, 1),
            'flavors_req_s': round(flavors_rate, 1),
            'ratio': round(flavors_rate / bare_rate, 3)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-n', '--count', type=int, default=200)
    parser.add_argument('--concurrency', type=int, default=8,
                        help='client threads POSTing servers')
    parser.add_argument('--rate', type=float, default=None,
                        help='POSTs per second on a schedule (open loop) '
                             'instead of as fast as they are answered')
    parser.add_argument('--no-flavors', action='store_true',
                        help='skip the GET /v2.1/flavors measurement')
    parser.add_argument('--flavors-duration', type=float, default=5)
    parser.add_argument('--flavors-runs', type=int, default=3)
    parser.add_argument('--flavors-concurrency', type=int, nargs='+',
                        default=[1, 16])
    parser.add_argument('--py-spy', type=int, default=0, metavar='SECONDS',
                        help='record a py-spy profile of minova-all for '
                             'the burst\'s first SECONDS (py-spy must be '
                             'in the venv\'s bin); its file is printed')
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix='minova-bench-boot-')
    port = _common.free_port()
    config = _config(tmp, port)
    try:
        with _common.Processes() as procs:
            child = procs.start([os.path.join(_common.BIN, 'minova-all'),
                                 '--config-file', config],
                                os.path.join(tmp, 'minova-all.log'))
            _common.wait_for(lambda: procs.alive(child) and _ready(port),
                             60, 'minova-all and its compute')
            spy = (_common.py_spy(child.pid, args.py_spy,
                                  os.path.join(tmp, 'profile.txt'))
                   if args.py_spy else None)
            cpu_before = _common.cpu_seconds(child.pid)
            start = time.perf_counter()
            booted = _boot_all(port, args.count, args.concurrency,
                               args.rate)
            posted = time.perf_counter()
            done = _wait_active(port, args.count, timeout=300)
            cpu = _common.cpu_seconds(child.pid) - cpu_before
            rss = _common.rss_mb(child.pid)
            if spy:
                spy.wait()
            flavors = ({} if args.no_flavors
                       else _flavors(procs, tmp, port, args))
        latencies = _db_latencies(tmp, booted['ids'])
    except Exception:
        print(f'logs kept in {tmp}', file=sys.stderr)
        raise
    result = {
        'benchmark': 'boot',
        'servers': args.count,
        'client_threads': args.concurrency,
        'offered_rate': args.rate,
        'servers_per_s': round(args.count / (done - start), 1),
        'posts_per_s': round(args.count / (posted - start), 1),
        'post_ms_p50': _percentile(booted['post_ms'], 0.5),
        'post_ms_p99': _percentile(booted['post_ms'], 0.99),
        'boot_to_active_ms_p50': _percentile(latencies, 0.5),
        'boot_to_active_ms_p99': _percentile(latencies, 0.99),
        'cpu_ms_per_server': round(cpu * 1000 / args.count, 2),
        'flavors': flavors,
        'minova_all_rss_mib': round(rss, 1),
        'cpus': os.cpu_count(),
    }
    if args.rate:
        print(f"open loop: POSTs offered at {args.rate:g}/s")
    print(f"{args.count} servers ACTIVE in {done - start:.2f} s: "
          f"{result['servers_per_s']} servers/s "
          f"(POSTs alone {result['posts_per_s']}/s)")
    print(f"minova-all CPU time {result['cpu_ms_per_server']} ms per "
          "server (first POST to all ACTIVE, polling included)")
    print(f"POST latency p50 {result['post_ms_p50']} ms, p99 "
          f"{result['post_ms_p99']} ms")
    print(f"boot-to-ACTIVE p50 {result['boot_to_active_ms_p50']} ms, p99 "
          f"{result['boot_to_active_ms_p99']} ms")
    for key, value in flavors.items():
        print(f"GET /v2.1/flavors {key}: {value['flavors_req_s']} req/s, "
              f"bare {value['bare_req_s']} req/s, x{value['ratio']}")
    print(json.dumps(result))
    if args.py_spy:
        print(f"profile in {os.path.join(tmp, 'profile.txt')}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
