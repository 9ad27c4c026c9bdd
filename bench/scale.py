"""minova at scale on RabbitMQ and MariaDB: simulated hosts, heartbeats,
the scheduler at 1,000 hosts, boot bursts, memory.

Starts a deployment in a RabbitMQ virtual host and a MariaDB database of
its own (both made for the run and dropped afterwards): one
minova-conductor, one minova-scheduler, one minova-api worker, and
minova-compute processes running ``[compute] simulated_hosts``. Then, each
next to a baseline measured in the same run:

1. baselines: raw oslo.messaging calls/s (sequential) and casts/s on the
   same broker (a minimal server, ``bench/rpc_ping.py --raw-server``),
   and a bare ``SELECT 1`` round trip to the same database;
2. memory: the RSS of a compute with 1 simulated host and with
   ``--hosts`` of them: the cost of a host is the difference over the
   hosts added; the RSS of the conductor, scheduler and API too;
3. boots: with ``--hosts`` simulated hosts up, a burst of ``--requests``
   requests of ``--per-request`` servers posted at once, then
   ``--singles`` single-server POSTs from ``--clients`` clients; for each,
   servers/s until every one is ACTIVE and boot-to-ACTIVE p50/p99 (POST
   sent to the first poll that saw it ACTIVE; polls every 0.1 s), and the
   conductor's CPU per server;
4. heartbeats: ``--heartbeat-hosts`` service rows reporting every
   ``report_interval`` (10 s) from this process, spread evenly, first as
   the calls minova made before (``service_heartbeat``), as casts only
   (``service_report``), and as services send them now (casts, every
   third a call): the conductor's CPU over ``--window`` seconds, as % of
   one core;
5. the scheduler: those hosts get compute node rows, and
   ``select_destinations`` (an RPC call, one instance of flavor 1) is
   timed ``--selects`` times: p50/p99, next to the raw call round trip;
6. list latency at 10,000 servers (``--list-servers``): bench/list_servers.py
   on MariaDB at the newest schema, with its baselines.

    .venv/bin/python bench/scale.py [--hosts 100] [--heartbeat-hosts 1000]
        [--transport-url rabbit://guest:guest@127.0.0.1:5672/]

RabbitMQ gives every RPC server (so every simulated host) a connection of
its own: the broker needs a file descriptor per host and then some
(docs/deploy.md, "Load-testing with simulated hosts"); the heartbeat and
scheduler parts use no such connections. Needs rabbitmqctl (run as root)
and MariaDB's root user on 127.0.0.1. Prints a table and one line of JSON.
"""

import sys
import warnings

warnings.simplefilter('ignore')  # eventlet/oslo deprecation noise

import eventlet  # noqa: E402

eventlet.monkey_patch()

import argparse  # noqa: E402
import datetime  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

import oslo_messaging  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from oslo_config import cfg  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common  # noqa: E402
import rpc_ping  # noqa: E402

ADMIN = {'X-Auth-Token': 'admin:admin', 'Content-Type': 'application/json'}
IMAGE = '6e2b1a1c-4a3e-4d8b-9c3e-0a1b2c3d4e5f'  # [image] images default
MYSQL = 'mysql+pymysql://root@127.0.0.1'
REPORT_INTERVAL = 10


def _percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))
    return round(ordered[index], 2)


# -- the deployment --

class Deployment:
    def __init__(self, tmp, url, db_url, procs):
        self.tmp = tmp
        self.url = url
        self.db_url = db_url
        self.procs = procs
        self.port = _common.free_port()
        self.config = _common.write_config(os.path.join(tmp, 'minova.conf'), {
            'DEFAULT': {'state_path': tmp, 'host': 'controller',
                        'transport_url': url,
                        'enabled_apis': 'osapi_compute',
                        'osapi_compute_listen': '127.0.0.1',
                        'osapi_compute_listen_port': self.port,
                        'osapi_compute_workers': 1,
                        'report_interval': REPORT_INTERVAL,
                        'periodic_fuzzy_delay': 10,
                        'rpc_conn_pool_size': 64},
            # Enough pooled connections for the conductor's green
            # threads (the default pool's churn is issue 11, part 3).
            'database': {'connection': db_url, 'max_pool_size': 40,
                         'max_overflow': 10},
            'api': {'auth_strategy': 'noauth2'},
            'conductor': {'workers': 1},
            'scheduler': {'workers': 1},
            'quota': {'instances': -1, 'cores': -1, 'ram': -1},
        })
        self.children = {}

    def start(self, binary, name=None, **groups):
        name = name or binary
        argv = [os.path.join(_common.BIN, f'minova-{binary}'),
                '--config-file', self.config]
        if groups:
            own = _common.write_config(
                os.path.join(self.tmp, f'{name}.conf'), groups)
            argv += ['--config-file', own]
        self.children[name] = self.procs.start(
            argv, os.path.join(self.tmp, f'{name}.log'))
        return self.children[name]

    def stop(self, name):
        self.procs.stop(self.children.pop(name))

    def request(self, method, path, body=None, timeout=120):
        conn = http.client.HTTPConnection('127.0.0.1', self.port,
                                          timeout=timeout)
        try:
            conn.request(method, path, headers=ADMIN,
                         body=json.dumps(body) if body is not None else None)
            response = conn.getresponse()
            data = response.read()
            return response.status, (json.loads(data) if data else {})
        finally:
            conn.close()

    def hypervisors_up(self, prefix):
        try:
            status, body = self.request('GET', '/v2.1/os-hypervisors')
        except OSError:
            return 0
        if status != 200:
            return 0
        return sum(1 for h in body['hypervisors']
                   if h['hypervisor_hostname'].startswith(prefix)
                   and h['state'] == 'up')

    def wait_hosts(self, prefix, count, timeout):
        _common.wait_for(
            lambda: (all(self.procs.alive(c) for c in self.children.values())
                     and self.hypervisors_up(prefix) >= count),
            timeout, f'{count} hosts {prefix}* up', interval=1)

    def cpu(self, name):
        return _common.cpu_seconds(self.children[name].pid)

    def rss(self, name):
        return _common.rss_mb(self.children[name].pid)


# -- 1. baselines --

def _raw_rates(url, tmp, procs, calls=500, casts=2000):
    """Sequential calls/s and casts/s (publish until the server has taken
    them all: a call after the casts returns once the queue drained)."""
    server = procs.start([sys.executable, rpc_ping.__file__,
                          '--raw-server', url], os.path.join(tmp, 'raw.log'))
    transport = oslo_messaging.get_rpc_transport(cfg.CONF, url=url)
    client = oslo_messaging.get_rpc_client(
        transport, oslo_messaging.Target(exchange=rpc_ping.RAW_EXCHANGE,
                                         topic=rpc_ping.RAW_TOPIC),
        timeout=30)
    try:
        _common.wait_for(lambda: procs.alive(server) and _answers(client),
                         90, 'the raw server')
        for arg in range(50):
            client.call({}, 'ping', arg=arg)
        started = time.perf_counter()
        for arg in range(calls):
            client.call({}, 'ping', arg=arg)
        call_rate = calls / (time.perf_counter() - started)
        started = time.perf_counter()
        for arg in range(casts):
            client.cast({}, 'ping', arg=arg)
        client.call({}, 'ping', arg=-1)
        cast_rate = casts / (time.perf_counter() - started)
    finally:
        transport.cleanup()
        procs.stop(server)
    return {'raw_call_per_s': round(call_rate, 1),
            'raw_cast_per_s': round(cast_rate, 1),
            'raw_call_ms': round(1000 / call_rate, 2)}


def _answers(client):
    try:
        client.prepare(timeout=2).call({}, 'ping', arg=0)
        return True
    except oslo_messaging.MessagingTimeout:
        return False


def _select_one(db_url, rounds=1000):
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            times = []
            for _ in range(rounds):
                started = time.perf_counter()
                conn.execute(sa.text('SELECT 1')).scalar()
                times.append((time.perf_counter() - started) * 1000)
    finally:
        engine.dispose()
    return {'select1_ms_p50': _percentile(times, 0.5)}


# -- 3. boots --

def _burst(deploy, requests_, per_request, singles, clients, timeout):
    """POST the servers, poll until all are ACTIVE; rates and latencies."""
    sent = {}  # server id -> when its POST was sent
    errors = []
    conductor_cpu = deploy.cpu('conductor')
    began = time.perf_counter()
    pool = eventlet.GreenPool(max(requests_, clients))
    if requests_:
        for index in range(requests_):
            pool.spawn(_post, deploy, sent, errors, per_request,
                       f'r{index}')
    else:
        todo = list(range(singles))

        def client():
            while todo:
                _post(deploy, sent, errors, 1, f's{todo.pop()}')
        for _ in range(clients):
            pool.spawn(client)
    pool.waitall()
    if errors:
        raise RuntimeError(f'{len(errors)} POSTs refused, e.g. {errors[0]}')
    active = _poll_active(deploy, set(sent), timeout)
    done = max(active.values())
    latencies = [(active[server] - at) * 1000
                 for server, at in sent.items()]
    cpu = deploy.cpu('conductor') - conductor_cpu
    total = len(sent)
    return {'servers': total,
            'servers_per_s': round(total / (done - began), 1),
            'boot_to_active_ms_p50': _percentile(latencies, 0.5),
            'boot_to_active_ms_p99': _percentile(latencies, 0.99),
            'conductor_cpu_ms_per_server': round(cpu * 1000 / total, 2)}


def _post(deploy, sent, errors, count, index):
    """POST ``count`` servers; ``sent[id]`` is when the POST went."""
    name = f'scale-{index}' + ('.' if count > 1 else '')
    body = {'server': {'name': name, 'flavorRef': '1', 'imageRef': IMAGE,
                       'networks': 'none'}}
    if count > 1:
        body['server'].update(min_count=count, max_count=count)
    at = time.perf_counter()
    status, reply = deploy.request('POST', '/v2.1/servers', body)
    if status != 202:
        errors.append(f'{status} {reply}')
    elif count == 1:
        sent[reply['server']['id']] = at
    else:
        # A multi-create answers with one of its servers: the others by
        # their (shared) name; the filter is a regular expression.
        for server in _list(deploy, f'/v2.1/servers?name={name}'):
            if server['name'] == name:
                sent[server['id']] = at


def _list(deploy, path):
    """Every server of a list, following the next links."""
    servers = []
    while path:
        status, body = deploy.request('GET', path)
        if status != 200:
            raise RuntimeError(f'list: {status} {body}')
        servers += body['servers']
        links = [link['href'] for link in body.get('servers_links', [])
                 if link['rel'] == 'next']
        path = '/v2.1/' + links[0].split('/v2.1/', 1)[1] if links else None
    return servers


def _poll_active(deploy, ids, timeout):
    """id -> when a poll (every 0.1 s) first saw it no longer in BUILD;
    then checks that all of them are ACTIVE."""
    active = {}
    deadline = time.monotonic() + timeout
    while len(active) < len(ids):
        if time.monotonic() > deadline:
            raise TimeoutError(f'{len(active)} of {len(ids)} ACTIVE after '
                               f'{timeout} s')
        polled = time.perf_counter()
        building = {server['id'] for server in _list(
            deploy, '/v2.1/servers?status=BUILD&limit=1000')}
        for server in ids - building - set(active):
            active[server] = polled
        eventlet.sleep(0.1)
    failed = [server['id'] for server in _list(
        deploy, '/v2.1/servers?status=ERROR&limit=1000')
        if server['id'] in ids]
    if failed:
        raise RuntimeError(f'{len(failed)} servers went to ERROR')
    return active


# -- 4. heartbeats and 5. the scheduler --

def _minova_clients(url):
    from minova import config
    from minova import context as minova_context
    from minova import rpc
    from minova.conductor import rpcapi as conductor_rpcapi
    from minova.scheduler import rpcapi as scheduler_rpcapi

    conf = cfg.CONF  # oslo.messaging registers options on it alone
    config.register(conf)
    conf([], project='minova', default_config_files=[])
    transport = rpc.get_transport(conf, url=url)
    return (transport, minova_context.get_admin_context(),
            conductor_rpcapi.ConductorAPI(conf, transport),
            scheduler_rpcapi.SchedulerAPI(conf, transport))


def _fake_hosts(db_url, count):
    """Service and compute node rows for ``count`` hosts hb-NNNN, as a
    compute writes them; their service ids."""
    from minova.db import models

    engine = sa.create_engine(db_url)
    now = datetime.datetime.utcnow()
    hosts = ['hb-%04d' % n for n in range(count)]
    try:
        with engine.begin() as conn:
            conn.execute(sa.insert(models.Service.__table__), [
                {'host': host, 'binary': 'minova-compute',
                 'topic': 'compute', 'report_count': 0, 'disabled': False,
                 'forced_down': False, 'deleted': 0, 'version': 0,
                 'uuid': str(uuid.uuid4()), 'created_at': now,
                 'updated_at': now} for host in hosts])
            conn.execute(sa.insert(models.ComputeNode.__table__), [
                {'uuid': str(uuid.uuid4()), 'host': host,
                 'hypervisor_hostname': host, 'vcpus': 64,
                 'memory_mb': 256000, 'local_gb': 2000, 'vcpus_used': 0,
                 'memory_mb_used': 0, 'local_gb_used': 0,
                 'free_ram_mb': 256000, 'free_disk_gb': 2000,
                 'running_vms': 0, 'hypervisor_type': 'fake',
                 'hypervisor_version': 1, 'host_ip': '10.0.0.1',
                 'cpu_allocation_ratio': 16.0, 'ram_allocation_ratio': 1.5,
                 'disk_allocation_ratio': 1.0, 'deleted': 0,
                 'created_at': now} for host in hosts])
            table = models.Service.__table__
            ids = list(conn.execute(sa.select(table.c.id).where(
                table.c.host.in_(hosts))).scalars())
    finally:
        engine.dispose()
    return ids


def _report_loop(conductor, context, ids, mode, stop):
    """Every id reports once per REPORT_INTERVAL, spread evenly."""
    gap = REPORT_INTERVAL / len(ids)
    pool = eventlet.GreenPool(200)

    def report(service_id, wait):
        try:
            if mode == 'call':
                conductor.service_heartbeat(context, service_id)
            else:
                conductor.service_report(context, service_id,
                                         ttl=REPORT_INTERVAL, wait=wait)
        except Exception as exc:  # noqa: BLE001 - counted, not fatal
            print(f'heartbeat failed: {exc}', file=sys.stderr)

    began = time.monotonic()
    sent = 0
    while not stop:
        for service_id in ids:
            if stop:
                break
            delay = began + sent * gap - time.monotonic()
            if delay > 0:
                eventlet.sleep(delay)
            # 'now': one report in three waits for an answer, as
            # services do at the default intervals (minova.servicegroup).
            pool.spawn_n(report, service_id,
                         mode == 'now' and sent // len(ids) % 3 == 2)
            sent += 1
    pool.waitall()


def _heartbeats(deploy, conductor, context, ids, window):
    """The conductor's CPU (% of a core) with no reports (idle), with
    the reports as calls, then as casts; the reports' share scaled to
    1,000 hosts."""
    before = deploy.cpu('conductor')
    eventlet.sleep(window)
    idle = 100 * (deploy.cpu('conductor') - before) / window
    result = {'heartbeat_idle_core_pct': round(idle, 1)}
    for mode in ('call', 'cast', 'now'):
        stop = []
        loop = eventlet.spawn(_report_loop, conductor, context, ids, mode,
                              stop)
        eventlet.sleep(REPORT_INTERVAL)  # one full round first
        before = deploy.cpu('conductor')
        eventlet.sleep(window)
        used = deploy.cpu('conductor') - before
        stop.append(True)
        loop.wait()
        pct = 100 * used / window
        result[f'heartbeat_{mode}_core_pct'] = round(pct, 1)
        result[f'heartbeat_{mode}_core_pct_per_1000_hosts'] = round(
            (pct - idle) * 1000 / len(ids), 1)
    return result


def _selects(scheduler, context, count):
    spec = {'flavor': {'memory_mb': 512, 'vcpus': 1, 'root_gb': 1,
                       'ephemeral_gb': 0, 'swap': 0}, 'num_instances': 1}
    times = []
    for _ in range(count):
        started = time.perf_counter()
        scheduler.select_destinations(context, dict(spec),
                                      [str(uuid.uuid4())])
        times.append((time.perf_counter() - started) * 1000)
    return {'select_ms_p50': _percentile(times, 0.5),
            'select_ms_p99': _percentile(times, 0.99)}


def _list_latency(servers, requests=50):
    """``GET /servers/detail?limit=100`` and the next page by marker with
    ``servers`` servers in the project, on MariaDB at the newest schema:
    bench/list_servers.py's measure (its baselines included: ``GET /`` of
    the same API, a bare ``SELECT 1``)."""
    if not servers:
        return {}
    import list_servers
    figures = list_servers.run_backend('mariadb', argparse.Namespace(
        servers=servers, requests=requests, before=None))
    return {'list_servers': servers, 'list': figures['after']}


# -- the run --

def run(args, tmp, procs):
    url = args.transport_url.rstrip('/') + '/' + args.vhost
    db_url = f'{MYSQL}/{args.database}'
    from minova.db import api as db_api
    from minova.db import migration
    database = db_api.Database(db_url)
    migration.db_sync(database)
    from minova import config
    from minova.db import flavors as db_flavors
    from minova.identity import bootstrap
    from minova.image import seed as image_seed
    db_flavors.ensure_defaults(database)
    seed_conf = cfg.ConfigOpts()
    config.register(seed_conf)
    seed_conf([], default_config_files=[])
    image_seed.seed(seed_conf, database, bootstrap.Result())
    database.dispose()
    results = {}
    results.update(_raw_rates(url, tmp, procs))
    results.update(_select_one(db_url))
    deploy = Deployment(tmp, url, db_url, procs)
    deploy.start('conductor')
    deploy.start('scheduler')
    deploy.start('api')
    # 2. memory: one host, then --hosts.
    deploy.start('compute', 'one', DEFAULT={'host': 'one'},
                 compute={'simulated_hosts': 1})
    deploy.wait_hosts('one-', 1, 300)
    rss_one = deploy.rss('one')
    deploy.stop('one')
    # Gone, but up in the database for service_down_time: no boots there.
    status, body = deploy.request('PUT', '/v2.1/os-services/disable', {
        'host': 'one-0001', 'binary': 'minova-compute'})
    if status != 200:
        raise RuntimeError(f'disable one-0001: {status} {body}')
    started = time.monotonic()
    deploy.start('compute', 'sim', DEFAULT={'host': 'sim'},
                 compute={'simulated_hosts': args.hosts})
    deploy.wait_hosts('sim-', args.hosts, 60 + 3 * args.hosts)
    results['hosts_start_s'] = round(time.monotonic() - started, 1)
    results['hosts'] = args.hosts
    rss_many = deploy.rss('sim')
    results['rss_compute_1_host_mb'] = round(rss_one, 1)
    results[f'rss_compute_{args.hosts}_hosts_mb'] = round(rss_many, 1)
    results['rss_per_host_mb'] = round(
        (rss_many - rss_one) / max(1, args.hosts - 1), 3)
    # 3. boots.
    results['burst_requests'] = _burst(deploy, args.requests,
                                       args.per_request, 0, 0, 600)
    results['burst_singles'] = _burst(deploy, 0, 0, args.singles,
                                      args.clients, 600)
    for name in ('conductor', 'scheduler', 'api'):
        results[f'rss_{name}_mb'] = round(deploy.rss(name), 1)
    deploy.stop('sim')
    # 4. and 5.
    transport, context, conductor, scheduler = _minova_clients(url)
    try:
        ids = _fake_hosts(db_url, args.heartbeat_hosts)
        results.update(_heartbeats(deploy, conductor, context, ids,
                                   args.window))
        stop = []
        loop = eventlet.spawn(_report_loop, conductor, context, ids, 'cast',
                              stop)
        results['select_hosts'] = len(ids)
        results.update(_selects(scheduler, context, args.selects))
        stop.append(True)
        loop.wait()
    finally:
        transport.cleanup()
    results.update(_list_latency(args.list_servers))
    return results


def _report(results):
    print(json.dumps({'benchmark': 'scale', 'cpus': os.cpu_count(),
                      'load': os.getloadavg(), **results}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--hosts', type=int, default=100)
    parser.add_argument('--heartbeat-hosts', type=int, default=1000)
    parser.add_argument('--window', type=float, default=30)
    parser.add_argument('--requests', type=int, default=10)
    parser.add_argument('--per-request', type=int, default=100)
    parser.add_argument('--singles', type=int, default=1000)
    parser.add_argument('--clients', type=int, default=8)
    parser.add_argument('--selects', type=int, default=300)
    parser.add_argument('--list-servers', type=int, default=10000,
                        help='servers in the project for the list latency '
                             '(0: skip it)')
    parser.add_argument('--transport-url',
                        default='rabbit://guest:guest@127.0.0.1:5672/')
    args = parser.parse_args()
    suffix = uuid.uuid4().hex[:8]
    args.vhost = f'minova-scale-{suffix}'
    args.database = f'minova_scale_{suffix}'
    _common.exit_on_sigterm()
    tmp = tempfile.mkdtemp(prefix='minova-bench-scale-')
    ctl = _rabbitmqctl_for(args.transport_url)
    ctl('add_vhost', args.vhost)
    ctl('set_permissions', '-p', args.vhost, 'guest', '.*', '.*', '.*')
    engine = sa.create_engine(MYSQL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE DATABASE {args.database}'))
    try:
        with _common.Processes(grace=60) as procs:
            results = run(args, tmp, procs)
    except BaseException:
        print(f'logs kept in {tmp}', file=sys.stderr)
        raise
    finally:
        ctl('delete_vhost', args.vhost)
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP DATABASE {args.database}'))
        engine.dispose()
    shutil.rmtree(tmp, ignore_errors=True)
    _report(results)


def _rabbitmqctl_for(transport_url):
    """rabbitmqctl for the broker of ``transport_url``: the default node on
    5672, else ``--node`` from the environment (BENCH_RABBIT_NODE)."""
    node = os.environ.get('BENCH_RABBIT_NODE')

    def ctl(*args):
        argv = ['rabbitmqctl'] + (['-n', node] if node else []) + list(args)
        subprocess.run(argv, check=True, timeout=60,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return ctl


if __name__ == '__main__':
    main()
