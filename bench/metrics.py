"""The cost of the metrics: GET /v2.1/flavors on minova-api with
``[metrics] enabled`` on and off, in the same run.

Starts, in a temporary directory with one SQLite database (``db sync``
first), minova-api processes that differ only in ``[metrics] enabled``:
one worker each (prometheus_client's in-process values) and, with
``--workers 2``, two workers each too (its multiprocess mode: files
under ``[metrics] multiprocess_dir``). Each is loaded with ``GET
/v2.1/flavors`` as a user, as bench/api.py does, targets interleaved
within each run. Prints medians, the ratio on/off (of the medians, and
the median of the per-run ratios), and one line of JSON.

    .venv/bin/python bench/metrics.py [--runs 5] [--duration 5]
        [--concurrency 1 16] [--workers 1 2] [--python-client]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common  # noqa: E402
import api as api_bench  # noqa: E402

PATH = '/v2.1/flavors'
USER = {'X-Auth-Token': 'bench:bench'}


def _config(tmp: str, name: str, port: int, workers: int,
            enabled: bool) -> str:
    state = os.path.join(tmp, name)
    os.makedirs(state, exist_ok=True)
    return _common.write_config(os.path.join(tmp, name + '.conf'), {
        'DEFAULT': {
            'state_path': state,
            'host': 'bench-' + name,
            'transport_url': 'fake://',
            'enabled_apis': 'osapi_compute',
            'osapi_compute_listen': '127.0.0.1',
            'osapi_compute_listen_port': port,
            'osapi_compute_workers': workers,
        },
        'api': {'auth_strategy': 'noauth2'},
        'database': {'connection': f'sqlite:///{tmp}/minova.sqlite'},
        'metrics': {'enabled': enabled},
    })


def _start(procs: _common.Processes, tmp: str, workers: list[int]) -> dict:
    """``{(workers, on): port}``, every API answering."""
    targets = {}
    for count in workers:
        for enabled in (False, True):
            name = 'w%d-%s' % (count, 'on' if enabled else 'off')
            port = _common.free_port()
            config = _config(tmp, name, port, count, enabled)
            if not targets:
                _common.run([os.path.join(_common.BIN, 'minova-manage'),
                             '--config-file', config, 'db', 'sync'],
                            os.path.join(tmp, 'manage.log'))
            child = procs.start([os.path.join(_common.BIN, 'minova-api'),
                                 '--config-file', config],
                                os.path.join(tmp, name + '.log'))
            _common.wait_for(
                lambda c=child, p=port: procs.alive(c)
                and api_bench._get(p, PATH, USER)[0] == 200,
                60, f'{name} to answer')
            targets[count, enabled] = port
    return targets


def _in_process(config: str, rounds: int, calls: int = 300) -> dict:
    """``GET /v2.1/flavors`` through the loaded paste app and the API's
    request wrapper, no HTTP: process CPU seconds per request with
    metrics on and off, batches alternating. Less moved by a busy
    machine than the HTTP rates (no client, no second process)."""
    import webob
    from oslo_config import cfg

    from minova import config as minova_config
    from minova import inflight
    from minova import metrics
    from minova import rpc
    from minova import wsgi
    from minova.api import deps as api_deps
    from minova.db import api as db_api

    conf = cfg.CONF
    minova_config.register(conf)
    conf(['--config-file', config], project='minova')
    db = db_api.Database.from_conf(conf)
    deps = api_deps.build(conf, rpc.get_transport(conf), db)
    app = wsgi.EnvironInjector(
        wsgi.Loader(conf).load_app('osapi_compute'), deps.environ(),
        'osapi_compute', inflight.Tracker())
    cpu: dict = {'off': [], 'on': []}
    for round_ in range(rounds + 1):
        for name in ('off', 'on'):
            if name == 'on':
                metrics.setup(conf)
            start = time.process_time()
            for _ in range(calls):
                response = webob.Request.blank(
                    PATH, headers=USER).get_response(app)
                if response.status_int != 200:
                    raise RuntimeError(f'{name}: {response.status}')
            if round_:  # the first round warms up
                cpu[name].append((time.process_time() - start) / calls)
            metrics.teardown()
    conf.reset()
    return {'cpu_us_per_request_off': round(
                statistics.median(cpu['off']) * 1e6, 1),
            'cpu_us_per_request_on': round(
                statistics.median(cpu['on']) * 1e6, 1),
            'paired_ratio_off_to_on': round(statistics.median(
                off / on for off, on in zip(cpu['off'], cpu['on'],
                                            strict=True)), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--duration', type=float, default=5)
    parser.add_argument('--concurrency', type=int, nargs='+',
                        default=[1, 16])
    parser.add_argument('--workers', type=int, nargs='+', default=[1])
    parser.add_argument('--python-client', action='store_true')
    parser.add_argument('--rounds', type=int, default=10,
                        help='in-process rounds (0: none)')
    parser.add_argument('--no-http', action='store_true',
                        help='only the in-process measurement')
    args = parser.parse_args()
    _common.exit_on_sigterm()
    if not args.python_client and not shutil.which('wrk'):
        print('wrk not found (bash bench/setup.sh installs it); using the '
              'slower pure-Python client', file=sys.stderr)
        args.python_client = True
    load = api_bench._python_client if args.python_client else api_bench._wrk

    tmp = tempfile.mkdtemp(prefix='minova-bench-metrics-')
    rates: dict = {}
    try:
        if not args.no_http:
            rates = _http(tmp, args, load)
        in_process = {}
        if args.rounds:
            config = _config(tmp, 'in-process', 0, 1, True)
            if args.no_http:
                _common.run([os.path.join(_common.BIN, 'minova-manage'),
                             '--config-file', config, 'db', 'sync'],
                            os.path.join(tmp, 'manage.log'))
            in_process = _in_process(config, args.rounds)
    except BaseException:
        print(f'logs kept in {tmp}', file=sys.stderr)
        raise
    shutil.rmtree(tmp, ignore_errors=True)
    _report(rates, in_process, args)


def _http(tmp: str, args: argparse.Namespace, load) -> dict:
    with _common.Processes() as procs:
        targets = _start(procs, tmp, args.workers)
        for port in targets.values():
            load(port, PATH, USER, 4, 1)  # warm up
        rates: dict = {(t, c): [] for t in targets
                       for c in args.concurrency}
        for run in range(args.runs):
            for concurrency in args.concurrency:
                for (workers, on), port in targets.items():
                    rate = load(port, PATH, USER, concurrency,
                                args.duration)
                    rates[(workers, on), concurrency].append(rate)
                    print(f'run {run + 1}/{args.runs} c={concurrency:<3}'
                          f' workers={workers} metrics '
                          f'{"on " if on else "off"} {rate:9.1f} req/s',
                          flush=True)
    return rates


def _report(rates: dict, in_process: dict,
            args: argparse.Namespace) -> None:
    results = {}
    print(f'\n{"workers":>7} {"conc":>4} {"off req/s":>10} {"on req/s":>10}'
          f' {"on/off":>7} {"paired":>7}')
    for workers in args.workers if rates else []:
        for concurrency in args.concurrency:
            off = rates[(workers, False), concurrency]
            on = rates[(workers, True), concurrency]
            ratio = statistics.median(on) / statistics.median(off)
            paired = statistics.median(a / b for a, b in zip(on, off,
                                                              strict=True))
            results[f'workers={workers} c={concurrency}'] = {
                'off': _common.summary(off), 'on': _common.summary(on),
                'ratio': round(ratio, 3), 'paired_ratio': round(paired, 3)}
            print(f'{workers:>7} {concurrency:>4} '
                  f'{statistics.median(off):>10.1f} '
                  f'{statistics.median(on):>10.1f} {ratio:>7.3f} '
                  f'{paired:>7.3f}')
    if in_process:
        print('in process, CPU per request: off %(cpu_us_per_request_off)s '
              'us, on %(cpu_us_per_request_on)s us, paired off/on '
              '%(paired_ratio_off_to_on)s' % in_process)
    print(json.dumps({'benchmark': 'metrics', 'runs': args.runs,
                      'duration_s': args.duration,
                      'generator': 'python' if args.python_client else 'wrk',
                      'results': results, 'in_process': in_process,
                      'cpus': os.cpu_count(),
                      'loadavg': os.getloadavg()}))


if __name__ == '__main__':
    main()
