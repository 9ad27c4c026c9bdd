"""``GET /servers/detail?limit=100`` with 10,000 servers in the project.

For each backend asked (SQLite in a temporary directory, MariaDB and
PostgreSQL on 127.0.0.1 in a database created for the run and dropped
after), the script:

1. migrates a fresh database to ``--before`` (0010: the schema before
   the list indexes) and fills it with bulk inserts (not boots):
   ``--servers`` live servers in project ``bench``, as many again in
   another project (so the project filter has something to skip), each
   with one fixed address in ``network_info`` and a flavor snapshot, a
   server in ten with a tag, a server in a hundred in ERROR with a fault;
2. starts a real ``minova-api`` (one worker, ``transport_url = fake://``,
   the list reads only the database) and times, from one keep-alive
   client, ``GET /v2.1/servers/detail?limit=100`` (the first page) and
   the page after it by ``marker`` (the last server of the first page),
   at microversion 2.1 and at 2.100 (tags, scheduler hints); and, as
   baselines in the same run, ``GET /`` of the same API (the HTTP floor)
   and a bare ``SELECT 1`` from this process to the same database;
3. migrates to head (the indexes) with the API stopped, starts it again
   and times the same requests.

With ``--baseline-tree DIR`` (a checkout of the code to compare with,
e.g. ``git archive main | tar -x -C DIR``) "before" is instead that
code's API (started with ``PYTHONPATH=DIR``) on the same data at the
newest schema, and the two APIs take turns ``--rounds`` times (one
keep-alive client each, never at once); each figure is the median of
the rounds, and every page each answers must be the same JSON as the
other's, or the script stops.

    .venv/bin/python bench/list_servers.py [--backends sqlite mariadb
        postgresql] [--servers 10000] [--requests 100]
        [--baseline-tree DIR --rounds 3]

Prints a table of p50/p99 in milliseconds, the API's CPU per request,
and one line of JSON. Needs
MariaDB (root, no password) and PostgreSQL (postgres, trust) on
127.0.0.1 for those backends.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid

import sqlalchemy as sa

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common  # noqa: E402

from minova.db import api as db_api  # noqa: E402
from minova.db import instances as db_instances  # noqa: E402
from minova.db import migration  # noqa: E402
from minova.db import models  # noqa: E402

ADMIN_URLS = {
    'mariadb': 'mysql+pymysql://root@127.0.0.1:3306/mysql',
    'postgresql': 'postgresql+psycopg://postgres@127.0.0.1:5432/postgres',
}
TOKEN = 'bench:bench'
FLAVOR = {'flavorid': '1', 'name': 'm1.tiny', 'memory_mb': 512,
          'vcpus': 1, 'root_gb': 1, 'ephemeral_gb': 0, 'swap': 0,
          'rxtx_factor': 1.0, 'is_public': True, 'disabled': False,
          'description': None, 'extra_specs': {}}


def _admin(backend: str) -> sa.Engine:
    return sa.create_engine(ADMIN_URLS[backend],
                            isolation_level='AUTOCOMMIT',
                            poolclass=sa.pool.NullPool)


def create_database(backend: str, tmp: str) -> str:
    if backend == 'sqlite':
        return f'sqlite:///{tmp}/minova.sqlite'
    name = 'minova_bench_%s' % uuid.uuid4().hex[:10]
    engine = _admin(backend)
    with engine.connect() as conn:
        conn.exec_driver_sql('CREATE DATABASE %s%s' % (
            name, ' CHARACTER SET utf8mb4' if backend == 'mariadb' else ''))
    return engine.url.set(database=name).render_as_string(
        hide_password=False)


def drop_database(backend: str, url: str) -> None:
    if backend == 'sqlite':
        return
    name = sa.engine.make_url(url).database
    engine = _admin(backend)
    with engine.connect() as conn:
        conn.exec_driver_sql('DROP DATABASE IF EXISTS %s%s' % (
            name, ' WITH (FORCE)' if backend == 'postgresql' else ''))


def fill(db: db_api.Database, project: str, count: int, offset: int) -> None:
    """``count`` servers of ``project`` in batches of 1,000, created one
    millisecond apart (as a burst would), through ``minova.db.instances``'
    column mapping."""
    start = datetime.datetime(2026, 12, 1)
    instances, tags, faults = [], [], []
    for index in range(count):
        number = offset + index
        server = str(uuid.uuid4())
        error = index % 100 == 99
        instances.append(db_instances._columns({
            'uuid': server, 'display_name': 'vm%d' % number,
            'hostname': 'vm%d' % number,
            'project_id': project, 'user_id': project,
            'image_ref': '6e2b1a1c-4a3e-4d8b-9c3e-0a1b2c3d4e5f',
            'flavor': FLAVOR,
            'vm_state': 'error' if error else 'active',
            'memory_mb': 512, 'vcpus': 1, 'root_gb': 1, 'ephemeral_gb': 0,
            'power_state': 0 if error else 1,
            'host': 'host-%d' % (number % 20), 'node': 'host-%d' % (
                number % 20), 'availability_zone': 'nova',
            'deleted': 0, 'meta': {'index': str(number)}, 'locked': False,
            'created_at': start + datetime.timedelta(milliseconds=number),
            'network_info': [{
                'address': '10.%d.%d.%d' % (number >> 16, (number >> 8) & 255,
                                            number & 255),
                'label': 'private', 'version': '4', 'type': 'fixed',
                'network_id': 'fake-private'}]}))
        if index % 10 == 0:
            tags.append({'resource_id': server, 'tag': 'tag%d' % (index % 7)})
        if error:
            faults.append({'instance_uuid': server, 'code': 500,
                           'message': 'NoValidHost', 'details': '',
                           'host': None,
                           'created_at': start})
        if len(instances) == 1000 or index == count - 1:
            with db.writer() as connection:
                connection.execute(sa.insert(models.Instance.__table__),
                                   instances)
                if tags:
                    connection.execute(sa.insert(models.Tag.__table__),
                                       tags)
                if faults:
                    connection.execute(
                        sa.insert(models.InstanceFault.__table__), faults)
            instances, tags, faults = [], [], []


def _config(tmp: str, port: int, url: str) -> str:
    return _common.write_config(os.path.join(tmp, 'minova.conf'), {
        'DEFAULT': {'state_path': tmp, 'host': 'bench-list',
                    'enabled_apis': 'osapi_compute',
                    'osapi_compute_listen_port': port,
                    'transport_url': 'fake://'},
        'database': {'connection': url},
        'api': {'auth_strategy': 'noauth2'},
    })


class Client:
    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection('127.0.0.1', port, timeout=60)

    def get(self, path: str, version: str = '2.1') -> tuple[int, dict]:
        self.conn.request('GET', path, headers={
            'X-Auth-Token': TOKEN,
            'OpenStack-API-Version': 'compute %s' % version})
        response = self.conn.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if data else {})


def _cpu(api) -> float:
    if api is None:
        return 0.0
    return sum(_common.cpu_seconds(pid) for pid in _pids(api))


def _times(call, requests: int, api) -> dict[str, float]:
    """p50/p99 of ``requests`` calls, and the CPU the API's processes
    used per call (which depends less on what else the machine runs)."""
    call()  # warm: the first request builds the policy cache and such
    times = []
    cpu = _cpu(api)
    for _ in range(requests):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    cpu = (_cpu(api) - cpu) / requests * 1000
    ordered = sorted(times)
    return {'p50_ms': round(statistics.median(ordered), 2),
            'p99_ms': round(ordered[math.ceil(len(ordered) * 0.99) - 1], 2),
            'cpu_ms': round(cpu, 2)}


def _checked(client: Client, path: str, version: str) -> dict:
    status, body = client.get(path, version)
    if status != 200:
        raise RuntimeError(f'GET {path}: {status} {body}')
    return body


def measure(port: int, db: db_api.Database, requests: int, api,
            pages: dict | None = None) -> dict:
    """The figures; the first and next pages at each microversion go
    into ``pages`` if given (to compare two APIs' answers)."""
    client = Client(port)
    figures = {}
    for version in ('2.1', '2.100'):
        first = _checked(client, '/v2.1/servers/detail?limit=100', version)
        if len(first['servers']) != 100:
            raise RuntimeError('the first page holds %d servers'
                               % len(first['servers']))
        marker = first['servers'][-1]['id']
        second = _checked(client, '/v2.1/servers/detail?limit=100&marker='
                          + marker, version)
        if {s['id'] for s in second['servers']} & {
                s['id'] for s in first['servers']}:
            raise RuntimeError('the pages overlap')
        if pages is not None:
            pages[version] = (first, second)
        figures['first page %s' % version] = _times(
            lambda v=version: _checked(
                client, '/v2.1/servers/detail?limit=100', v), requests, api)
        figures['next page %s' % version] = _times(
            lambda v=version, m=marker: _checked(
                client, '/v2.1/servers/detail?limit=100&marker=' + m, v),
            requests, api)
    figures['baseline GET /'] = _times(lambda: client.get('/'), requests,
                                       api)
    with db.engine.connect() as connection:
        figures['baseline SELECT 1'] = _times(
            lambda: connection.exec_driver_sql('SELECT 1').scalar(),
            requests, None)
    client.conn.close()
    return figures


def _serve(procs: _common.Processes, tmp: str, config: str, port: int,
           label: str, code: str | None = None):
    """``minova-api``, of the code in directory ``code`` if given: first
    on its ``PYTHONPATH``, ahead of this checkout's editable install."""
    saved = os.environ.get('PYTHONPATH')
    if code:
        os.environ['PYTHONPATH'] = os.path.abspath(code)
    try:
        api = procs.start([os.path.join(_common.BIN, 'minova-api'),
                           '--config-file', config],
                          os.path.join(tmp, f'minova-api-{label}.log'))
    finally:
        if saved is None:
            os.environ.pop('PYTHONPATH', None)
        else:
            os.environ['PYTHONPATH'] = saved
    _common.wait_for(lambda: procs.alive(api) and _common.port_open(port),
                     60, 'minova-api')
    return api


def _pids(api) -> list[int]:
    """The launcher and its worker(s), forked after the port opens."""
    with open(f'/proc/{api.pid}/task/{api.pid}/children') as children:
        return [api.pid] + [int(pid) for pid in children.read().split()]


def run_backend(backend: str, args: argparse.Namespace) -> dict:
    """Fill, then measure at ``args.before`` and at the newest schema
    (only the newest if ``args.before`` is None: bench/scale.py)."""
    baseline = getattr(args, 'baseline_tree', None)
    tmp = tempfile.mkdtemp(prefix='minova-bench-list-')
    url = create_database(backend, tmp)
    db = db_api.Database(url)
    try:
        migration.db_sync(db, 'head' if baseline else args.before or 'head')
        start = time.monotonic()
        fill(db, 'bench', args.servers, 0)
        fill(db, 'other', args.servers, args.servers)
        filled = time.monotonic() - start
        port = _common.free_port()
        config = _config(tmp, port, url)
        result = {'fill_s': round(filled, 1)}
        with _common.Processes() as procs:
            if baseline:
                result.update(_alternate(procs, tmp, config, port, db, args))
                return result
            if args.before:
                api = _serve(procs, tmp, config, port, 'before')
                result['before'] = measure(port, db, args.requests, api)
                procs.stop(api)
                migration.db_sync(db)
            api = _serve(procs, tmp, config, port, 'after')
            result['after'] = measure(port, db, args.requests, api)
        return result
    finally:
        db.dispose()
        drop_database(backend, url)
        shutil.rmtree(tmp, ignore_errors=True)


def _alternate(procs: _common.Processes, tmp: str, config: str,
               port: int, db: db_api.Database,
               args: argparse.Namespace) -> dict:
    """The baseline tree's API ("before") and this one's ("after") in
    turns, ``args.rounds`` times; the median of each figure."""
    runs: dict[str, list[dict]] = {'before': [], 'after': []}
    for round_ in range(args.rounds):
        answers = {}
        for phase, code in (('before', args.baseline_tree),
                            ('after', None)):
            api = _serve(procs, tmp, config, port,
                         '%s-%d' % (phase, round_), code)
            answers[phase] = {}
            runs[phase].append(measure(port, db, args.requests, api,
                                       answers[phase]))
            procs.stop(api)
        for version, pages in answers['before'].items():
            if pages != answers['after'][version]:
                raise RuntimeError('the two APIs answer differently at '
                                   + version)
    return {phase: _medians(figures) for phase, figures in runs.items()}


def _medians(runs: list[dict]) -> dict:
    return {name: {key: round(statistics.median(
                run[name][key] for run in runs), 2)
                   for key in runs[0][name]}
            for name in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--backends', nargs='+',
                        default=['sqlite', 'mariadb', 'postgresql'])
    parser.add_argument('--servers', type=int, default=10000)
    parser.add_argument('--requests', type=int, default=100)
    parser.add_argument('--before', default='0010',
                        help='the revision measured first')
    parser.add_argument('--baseline-tree',
                        help='a checkout of the code to compare with, '
                             'on the same data and schema')
    parser.add_argument('--rounds', type=int, default=3,
                        help='with --baseline-tree: turns of each API')
    args = parser.parse_args()
    _common.exit_on_sigterm()
    results = {}
    for backend in args.backends:
        results[backend] = run_backend(backend, args)
        for phase in ('before', 'after'):
            for name, figures in results[backend][phase].items():
                print(f'{backend:10} {phase:6} {name:22} '
                      f'p50 {figures["p50_ms"]:8.2f} ms  '
                      f'p99 {figures["p99_ms"]:8.2f} ms  '
                      f'API CPU {figures["cpu_ms"]:7.2f} ms')
        sys.stdout.flush()
    print(json.dumps({'servers': args.servers, 'requests': args.requests,
                      'rounds': args.rounds if args.baseline_tree else 1,
                      'load': os.getloadavg(), 'results': results}))


if __name__ == '__main__':
    main()
