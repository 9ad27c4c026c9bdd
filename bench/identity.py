"""Identity: minova-all's start with bootstrap, token issue and validate
rates, and what validating a token adds to GET /v2.1/flavors.

Each run starts ``minova-all`` on an empty state directory (SQLite,
inproc://, bootstrap with bcrypt cost 8, clouds.yaml) and times it to the
first 200 of ``GET /v2.1/flavors`` (and, apart, what bootstrap took, from
its log line, and what importing ``minova.cmd.all`` takes in a fresh
interpreter); then, against that process:

- token issue: ``POST /identity/v3/auth/tokens`` (password, project
  scope) back to back on one connection;
- token validate: ``GET /identity/v3/auth/tokens`` (X-Subject-Token)
  back to back, and ``Identity.validate`` in this process (decrypt,
  expiry, cache: the compute API's per-request cost);
- ``GET /v2.1/flavors`` with a minova token and with a noauth2 token
  (minova-all accepts both on loopback), interleaved, with ``wrk`` if
  installed (``bash bench/setup.sh``) else bench/api.py's Python client.

    .venv/bin/python bench/identity.py [--runs 1] [--rounds 3]
        [--duration 3] [--concurrency 1 16]

``--rounds``: alternations of the two flavors targets per run, each
``--duration`` seconds; their paired ratios are what the target is about
(a noisy neighbour hurts both of a pair alike). The defaults take under
a minute.
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
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common  # noqa: E402
import api  # noqa: E402
import yaml  # noqa: E402


def _config(tmp: str, port: int) -> str:
    return _common.write_config(os.path.join(tmp, 'minova.conf'), {
        'DEFAULT': {
            'state_path': tmp,
            'host': 'bench-host',
            'enabled_apis': 'osapi_compute',
            'osapi_compute_listen_port': port,
            'periodic_fuzzy_delay': 0,
        },
    })


def _flavors_ok(port: int) -> bool:
    status, _body = api._get(port, '/v2.1/flavors',
                             {'X-Auth-Token': 'bench:bench'})
    return status == 200


def _start(procs: _common.Processes, tmp: str) -> tuple:
    """minova-all on an empty state directory: (port, child, seconds to
    the first 200, CPU seconds the process spent until then).

    The CPU seconds are what the start costs on an idle machine; on a
    loaded one the wall-clock seconds grow with the load, they do not."""
    port = _common.free_port()
    config = _config(tmp, port)
    start = time.monotonic()
    child = procs.start([os.path.join(_common.BIN, 'minova-all'),
                         '--config-file', config],
                        os.path.join(tmp, 'minova-all.log'))
    _common.wait_for(lambda: procs.alive(child) and _flavors_ok(port), 60,
                     'minova-all to list flavors', interval=0.01)
    return (port, child, time.monotonic() - start,
            _common.cpu_seconds(child.pid))


def _import_seconds() -> float:
    """What minova-all's start spends importing, measured alone."""
    start = time.monotonic()
    subprocess.run([sys.executable, '-c', 'import minova.cmd.all'],
                   check=True, capture_output=True, timeout=120)
    return time.monotonic() - start


def _bootstrap_seconds(tmp: str) -> float:
    with open(os.path.join(tmp, 'minova-all.log')) as log:
        found = re.search(r'bootstrap took ([\d.]+) s', log.read())
    return float(found.group(1))


def _auth_body(tmp: str) -> dict:
    with open(os.path.join(tmp, 'clouds.yaml')) as handle:
        # The demo member: the noauth2 token it is compared with is a
        # member too (an admin's flavor list is another query).
        auth = yaml.safe_load(handle)['clouds']['minova-demo']['auth']
    return {'auth': {
        'identity': {'methods': ['password'], 'password': {'user': {
            'name': auth['username'], 'password': auth['password'],
            'domain': {'name': 'Default'}}}},
        'scope': {'project': {'name': auth['project_name'],
                              'domain': {'name': 'Default'}}}}}


def _rate(call: callable, duration: float) -> float:
    count, deadline = 0, time.monotonic() + duration
    start = time.monotonic()
    while time.monotonic() < deadline:
        call()
        count += 1
    return count / (time.monotonic() - start)


def _issue(conn: http.client.HTTPConnection, body: bytes) -> str:
    conn.request('POST', '/identity/v3/auth/tokens', body=body,
                 headers={'Content-Type': 'application/json'})
    response = conn.getresponse()
    response.read()
    if response.status != 201:
        raise RuntimeError(f'token issue: {response.status}')
    return response.headers['X-Subject-Token']


def _validate(conn: http.client.HTTPConnection, token: str) -> None:
    conn.request('GET', '/identity/v3/auth/tokens?nocatalog',
                 headers={'X-Auth-Token': token, 'X-Subject-Token': token})
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f'token validate: {response.status}')


def _in_process_validate_rate(tmp: str, token: str,
                              duration: float) -> float:
    """Identity.validate against the same state directory, as the
    compute API's auth filter calls it."""
    from oslo_config import cfg

    from minova import config
    from minova.db import api as db_api
    from minova.identity import core

    conf = cfg.ConfigOpts()
    config.register(conf)
    conf(['--config-file', os.path.join(tmp, 'minova.conf')],
         project='minova')
    identity = core.Identity(conf, db_api.Database.from_conf(conf))
    identity.validate(token)
    return _rate(lambda: identity.validate(token), duration)


def _in_process_flavors(tmp: str, token: str, rounds: int,
                        calls: int = 300) -> dict:
    """``GET /v2.1/flavors`` through the loaded paste app, no HTTP:
    process CPU seconds per request with the minova token and with a
    noauth2 token, batches alternating. Less moved by a busy machine
    than the HTTP rates (no client, no scheduling of two processes)."""
    import webob
    from oslo_config import cfg

    from minova import config
    from minova import rpc
    from minova import wsgi
    from minova.api import deps as api_deps
    from minova.db import api as db_api

    conf = cfg.CONF
    config.register(conf)
    conf(['--config-file', os.path.join(tmp, 'minova.conf')],
         project='minova')
    conf.set_override('transport_url', 'fake://')
    conf.set_override('noauth2_on_loopback', True, group='api')
    conf.set_override('osapi_compute_listen', '127.0.0.1')
    db = db_api.Database.from_conf(conf)
    deps = api_deps.build(conf, rpc.get_transport(conf), db)
    app = wsgi.EnvironInjector(
        wsgi.Loader(conf).load_app('osapi_compute'), deps.environ())
    tokens = {'minova token': token, 'noauth2': 'bench:bench'}
    cpu: dict = {name: [] for name in tokens}
    for _round in range(rounds + 1):
        for name, sealed in tokens.items():
            start = time.process_time()
            for _ in range(calls):
                response = webob.Request.blank(
                    '/v2.1/flavors',
                    headers={'X-Auth-Token': sealed}).get_response(app)
                if response.status_int != 200:
                    raise RuntimeError(f'{name}: {response.status}')
            if _round:  # the first round warms up
                cpu[name].append((time.process_time() - start) / calls)
    conf.reset()
    result = {name: round(statistics.median(values) * 1e6, 1)
              for name, values in cpu.items()}
    result['paired_ratio'] = round(statistics.median(
        n / m for m, n in zip(cpu['minova token'], cpu['noauth2'],
                              strict=True)), 3)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=1)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--duration', type=float, default=3,
                        help='seconds per measurement')
    parser.add_argument('--concurrency', type=int, nargs='+',
                        default=[1, 16])
    parser.add_argument('--python-client', action='store_true')
    args = parser.parse_args()
    _common.exit_on_sigterm()
    if not args.python_client and not shutil.which('wrk'):
        print('wrk not found (bash bench/setup.sh installs it); using the '
              'slower pure-Python client', file=sys.stderr)
        args.python_client = True
    load = api._python_client if args.python_client else api._wrk
    results: dict = {'start_s': [], 'start_cpu_s': [], 'imports_s': [],
                     'bootstrap_s': [],
                     'issue_per_s': [],
                     'validate_http_per_s': [],
                     'validate_in_process_per_s': []}
    flavors: dict = {}
    for run in range(args.runs):
        tmp = tempfile.mkdtemp(prefix='minova-bench-identity-')
        with _common.Processes() as procs:
            port, _child, started, cpu = _start(procs, tmp)
            results['start_s'].append(started)
            results['start_cpu_s'].append(cpu)
            results['bootstrap_s'].append(_bootstrap_seconds(tmp))
            results['imports_s'].append(_import_seconds())
            body = json.dumps(_auth_body(tmp)).encode()
            conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
            token = _issue(conn, body)
            results['issue_per_s'].append(_rate(
                lambda c=conn, b=body: _issue(c, b), args.duration))
            results['validate_http_per_s'].append(_rate(
                lambda c=conn, t=token: _validate(c, t), args.duration))
            conn.close()
            results['validate_in_process_per_s'].append(
                _in_process_validate_rate(tmp, token, args.duration))
            in_process = _in_process_flavors(tmp, token, args.rounds)
            for headers in ({'X-Auth-Token': token},
                            {'X-Auth-Token': 'bench:bench'}):
                load(port, '/v2.1/flavors', headers, 4, 1)  # warm up
            for _round in range(args.rounds):
                for concurrency in args.concurrency:
                    for name, headers in (
                            ('minova token', {'X-Auth-Token': token}),
                            ('noauth2', {'X-Auth-Token': 'bench:bench'})):
                        rate = load(port, '/v2.1/flavors', headers,
                                    concurrency, args.duration)
                        flavors.setdefault((name, concurrency),
                                           []).append(rate)
        print(f'run {run + 1}/{args.runs}: start {started:.2f} s, '
              + ', '.join(f'{k} {v[-1]:.2f}' for k, v in results.items()
                          if k != 'start_s'), flush=True)
        shutil.rmtree(tmp, ignore_errors=True)
    summary = {name: _common.summary(values)
               for name, values in results.items()}
    for concurrency in args.concurrency:
        minova = flavors['minova token', concurrency]
        noauth = flavors['noauth2', concurrency]
        summary[f'flavors c={concurrency}'] = {
            'minova_token': _common.summary(minova),
            'noauth2': _common.summary(noauth),
            'paired_ratio': round(statistics.median(
                m / n for m, n in zip(minova, noauth, strict=True)), 3)}
    # CPU microseconds per request; paired_ratio: noauth2 / minova token
    # (below 1: the token costs more), of the last run.
    summary['flavors in process, CPU us/request'] = in_process
    print(json.dumps({'benchmark': 'identity', 'runs': args.runs,
                      'rounds': args.rounds,
                      'duration_s': args.duration,
                      'generator': 'python' if args.python_client
                      else 'wrk', 'results': summary,
                      'cpus': os.cpu_count()}, indent=1))


if __name__ == '__main__':
    main()
