"""RPC messages and database statements per boot, counted.

Runs minova-all's services (conductor, scheduler, one compute, the
compute API) in this process, as ``minova.cmd.all`` builds them, on the
transport and database asked (``inproc://`` and SQLite in a temporary
directory by default; e.g. ``--transport rabbit://guest:guest@127.0.0.1:5672/``,
for which it makes a virtual host of its own with rabbitmqctl, and
``--connection mysql+pymysql://root@127.0.0.1/<a new database>``),
boots ``--warm`` servers, then counts while ``-n`` more are booted through
the REST API (``--concurrency`` green client threads, networks "none")
until all are ACTIVE:

- RPC messages sent, by topic, method and kind (call or cast), from the
  transport every service of the process shares;
- database statements, by their first word (and table for writes), and
  connections the pool opened.

Heartbeats and periodic tasks are counted too (they run during the
burst), so a short burst overstates them a little; ``--show`` lists
every kind. Prints a table per boot and one line of JSON.

    .venv/bin/python bench/boot_counts.py [-n 100] [--concurrency 8]
        [--transport URL] [--connection URL] [--pool SIZE OVERFLOW]
"""

from __future__ import annotations  # noqa: I001 - minova.cmd first

import argparse
import collections
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

import minova.cmd  # noqa: F401 - eventlet monkey patching, as a service

import eventlet  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from oslo_config import cfg  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common  # noqa: E402

from minova import config  # noqa: E402
from minova.cmd import all as cmd_all  # noqa: E402
from minova.cmd import common  # noqa: E402
from minova.db import flavors as db_flavors  # noqa: E402
from minova.db import migration  # noqa: E402
from minova.identity import bootstrap  # noqa: E402
from minova.image import seed as image_seed  # noqa: E402

TOKEN = {'X-Auth-Token': 'bench:bench', 'Content-Type': 'application/json'}
_WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+[`"]?(\w+)',
                    re.I)
_FROM = re.compile(r'\bFROM\s+[`"]?(\w+)', re.I)


class Counts:
    def __init__(self) -> None:
        self.rpc: collections.Counter = collections.Counter()
        self.sql: collections.Counter = collections.Counter()
        self.connects = 0
        self.on = False

    def reset(self) -> None:
        self.rpc.clear()
        self.sql.clear()
        self.connects = 0
        self.on = True


def _count_sql(engine: sa.Engine, counts: Counts) -> None:
    def statement(conn, cursor, text, *args) -> None:
        if counts.on:
            write = _WRITE.match(text)
            if write:
                key = ' '.join(write.groups()).upper()
            else:
                table = _FROM.search(text)
                key = text.split(None, 1)[0].upper() + (
                    ' FROM ' + table.group(1).upper() if table else '')
            counts.sql[key] += 1

    def connect(*args) -> None:
        if counts.on:
            counts.connects += 1

    sa.event.listen(engine, 'before_cursor_execute', statement)
    sa.event.listen(engine.pool, 'connect', connect)


def _count_rpc(transport, counts: Counts) -> None:
    # The transport's one entry point for calls and casts: wrapping it on
    # this object counts every message the services of this process send,
    # whatever client sent it. (A bench-only wrapper.)
    send = transport._send

    def counted(target, ctxt, message, *args, **kwargs):
        if counts.on:
            wait = kwargs.get('wait_for_reply', args[0] if args else None)
            kind = 'call' if wait else 'cast'
            fanout = ' fanout' if target.fanout else ''
            method = message.get('method')
            margs = message.get('args') or {}
            if 'objmethod' in margs:
                # Which object and method a remotable call is for.
                obj = margs.get('objinst') or {}
                method += '(%s.%s)' % (
                    obj.get('versioned_object.name', margs.get('objname')),
                    margs['objmethod'])
            counts.rpc['%s %s.%s%s' % (kind, target.topic, method,
                                       fanout)] += 1
        return send(target, ctxt, message, *args, **kwargs)

    transport._send = counted


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(['rabbitmqctl', *args], check=True, timeout=60,
                   capture_output=True)


def _request(conn, method, path, body=None):
    conn.request(method, path, headers=TOKEN,
                 body=json.dumps(body) if body is not None else None)
    response = conn.getresponse()
    data = response.read()
    return response.status, (json.loads(data) if data else {})


def _hypervisors(port: int) -> list:
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
    conn.request('GET', '/v2.1/os-hypervisors',
                 headers={'X-Auth-Token': 'admin:admin'})
    response = conn.getresponse()
    body = json.loads(response.read())
    conn.close()
    return body.get('hypervisors')


def _boot(port: int, count: int, concurrency: int, image: str) -> list[str]:
    ids: list[str] = []
    todo = list(range(count))

    def worker() -> None:
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
        while todo:
            index = todo.pop()
            status, reply = _request(conn, 'POST', '/v2.1/servers', {
                'server': {'name': 'count-%d' % index, 'flavorRef': '1',
                           'imageRef': image, 'networks': 'none'}})
            if status != 202:
                raise RuntimeError('%s %s' % (status, reply))
            ids.append(reply['server']['id'])
        conn.close()

    pool = eventlet.GreenPool(concurrency)
    for _ in range(concurrency):
        pool.spawn(worker)
    pool.waitall()
    return ids


def _wait_active(port: int, count: int) -> None:
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=60)

    def done() -> bool:
        status, body = _request(conn, 'GET', '/v2.1/servers?status=BUILD')
        if status != 200:
            raise RuntimeError(body)
        return not body['servers']

    _common.wait_for(done, 120 + count, 'the servers to leave BUILD',
                     interval=0.05)
    status, body = _request(conn, 'GET', '/v2.1/servers?status=ERROR')
    if body['servers']:
        raise RuntimeError('%d servers in ERROR' % len(body['servers']))
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-n', type=int, default=100)
    parser.add_argument('--warm', type=int, default=5)
    parser.add_argument('--concurrency', type=int, default=8)
    parser.add_argument('--transport', default='inproc://')
    parser.add_argument('--connection', default=None)
    parser.add_argument('--show', action='store_true')
    parser.add_argument('--pool', nargs=2, type=int, default=None,
                        metavar=('MAX_POOL_SIZE', 'MAX_OVERFLOW'),
                        help='[database] options (default: minova\'s)')
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix='minova-bench-counts-')
    vhost = None
    if args.transport.startswith('rabbit://') and \
            args.transport.endswith(':5672/'):
        # A virtual host of its own: on the broker's default one, these
        # services would share topics with anyone else's.
        vhost = 'minova-bench-%s' % uuid.uuid4().hex[:8]
        _rabbitmqctl('add_vhost', vhost)
        _rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*',
                     '.*')
        args.transport += vhost
    port = _common.free_port()
    conf_file = _common.write_config(os.path.join(tmp, 'minova.conf'), {
        'DEFAULT': {'state_path': tmp, 'host': 'bench-counts',
                    'enabled_apis': 'osapi_compute',
                    'osapi_compute_listen_port': port,
                    'transport_url': args.transport,
                    'periodic_fuzzy_delay': 0,
                    'log_file': os.path.join(tmp, 'minova.log')},
        'database': dict({'connection': args.connection
                          or f'sqlite:///{tmp}/minova.sqlite'},
                         **({'max_pool_size': args.pool[0],
                             'max_overflow': args.pool[1]}
                            if args.pool else {})),
        'quota': {'instances': -1, 'cores': -1, 'ram': -1},
    })
    conf = cfg.CONF
    cmd_all.set_embedded_defaults(conf)
    config.parse_args(conf, ['bench', '--config-file', conf_file])
    transport, db = common.transport_and_db(conf)
    counts = Counts()
    _count_rpc(transport, counts)
    _count_sql(db.engine, counts)
    services = []
    try:
        migration.db_sync(db)
        db_flavors.ensure_defaults(db)
        image_seed.seed(conf, db, bootstrap.Result())
        services = cmd_all.build_services(conf, transport, db)
        for server in services:
            server.start()
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
        status, body = _request(conn, 'GET', '/v2.1/images')
        image = body['images'][0]['id']
        conn.close()
        _common.wait_for(lambda: _hypervisors(port), 60, 'the compute node')
        _boot(port, args.warm, 1, image)
        _wait_active(port, args.warm)
        counts.reset()
        began = time.monotonic()
        cpu = time.process_time()
        _boot(port, args.n, args.concurrency, image)
        _wait_active(port, args.n)
        elapsed = time.monotonic() - began
        cpu = time.process_time() - cpu
        counts.on = False
    finally:
        for server in reversed(services):
            try:
                server.stop()
            except Exception:  # noqa: BLE001 - stopping anyway
                pass
        db.dispose()
        if vhost:
            _rabbitmqctl('delete_vhost', vhost)
        if not os.environ.get("KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(tmp)
    per_boot = {
        'rpc': {key: round(value / args.n, 2)
                for key, value in counts.rpc.most_common()},
        'sql': {key: round(value / args.n, 2)
                for key, value in counts.sql.most_common()},
    }
    rpc_total = sum(counts.rpc.values()) / args.n
    sql_total = sum(counts.sql.values()) / args.n
    print(f'{args.n} servers in {elapsed:.1f} s ({args.n / elapsed:.1f}/s),'
          f' {cpu / args.n * 1000:.1f} ms CPU per server (this process,'
          f' clients included), load {os.getloadavg()[0]:.1f}')
    print(f'RPC messages per boot: {rpc_total:.2f}')
    for key, value in per_boot['rpc'].items():
        print(f'  {value:6.2f}  {key}')
    print(f'DB statements per boot: {sql_total:.2f}; connections opened: '
          f'{counts.connects} ({counts.connects / args.n:.2f} per boot)')
    for key, value in per_boot['sql'].items():
        if args.show or value >= 0.05:
            print(f'  {value:6.2f}  {key}')
    print(json.dumps({'n': args.n, 'rpc_per_boot': round(rpc_total, 2),
                      'sql_per_boot': round(sql_total, 2),
                      'connections': counts.connects,
                      'servers_per_s': round(args.n / elapsed, 1),
                      'cpu_ms_per_server': round(cpu / args.n * 1000, 2),
                      'per_boot': per_boot}))


if __name__ == '__main__':
    main()
