"""Boot N servers on a production-shaped deployment: RabbitMQ + MariaDB.

Starts, as separate processes on 127.0.0.1 (a RabbitMQ virtual host and
a MariaDB database made for the run, removed afterwards): one
``minova-conductor`` (one worker), one ``minova-scheduler``, one
``minova-api`` (one worker) and ``--computes`` ``minova-compute``
processes (hosts ``bench-c1`` ...), then boots ``-n`` servers through
the REST API as ``bench/boot.py`` does (``--concurrency`` client
threads, one server per POST, or ``--per-request`` servers per POST with
``min_count``), waits until none is in BUILD, and reports servers/s and
the CPU used per server by each service, by the RabbitMQ and MariaDB
servers and by the client threads (this process), their sum, and the
most servers/s the machine's cores allow at that cost. With
``--simulated-hosts N`` each compute process runs N hosts (``[compute]
simulated_hosts``). With ``--py-spy SECONDS`` it also
records a py-spy profile of the conductor, the scheduler, the first
compute and the API during the burst (py-spy must be in the venv's bin).

    .venv/bin/python bench/boot_deployment.py [-n 1000] [--computes 2]
        [--concurrency 8] [--per-request 1] [--pool SIZE OVERFLOW]
        [--simulated-hosts N] [--py-spy SECONDS]

Needs rabbitmqctl (root) and MariaDB (root, no password) on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common  # noqa: E402
import boot as boot_bench  # noqa: E402
import list_servers  # noqa: E402

BROKER = 'guest:guest@127.0.0.1:5672'


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(['rabbitmqctl', *args], check=True, timeout=60,
                   capture_output=True)


def _config(tmp: str, port: int, url: str, transport: str,
            args: argparse.Namespace) -> str:
    database = {'connection': url}
    if args.pool:
        database.update(max_pool_size=args.pool[0],
                        max_overflow=args.pool[1])
    return _common.write_config(os.path.join(tmp, 'minova.conf'), {
        'DEFAULT': {'state_path': tmp, 'transport_url': transport,
                    'enabled_apis': 'osapi_compute',
                    'osapi_compute_listen': '127.0.0.1',
                    'osapi_compute_listen_port': port,
                    'osapi_compute_workers': 1,
                    'periodic_fuzzy_delay': 0},
        'conductor': {'workers': 1},
        'database': database,
        'api': {'auth_strategy': 'noauth2'},
        'quota': {'instances': -1, 'cores': -1, 'ram': -1},
    })


def _computes_up(port: int, count: int) -> bool:
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
    try:
        conn.request('GET', '/v2.1/os-hypervisors',
                     headers={'X-Auth-Token': 'admin:admin'})
        response = conn.getresponse()
        body = json.loads(response.read())
    except OSError:
        return False
    finally:
        conn.close()
    return len(body.get('hypervisors', [])) >= count


def _boot_requests(port: int, count: int, per_request: int,
                   concurrency: int) -> None:
    """``count`` servers in POSTs of ``per_request`` (min_count)."""
    image = boot_bench._image_id(port)
    todo = list(range(0, count, per_request))
    lock = threading.Lock()
    errors: list[str] = []

    def worker() -> None:
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=120)
        while True:
            with lock:
                if not todo:
                    break
                index = todo.pop()
            n = min(per_request, count - index)
            status, reply = boot_bench._request(
                conn, 'POST', '/v2.1/servers', boot_bench.TOKEN,
                {'server': {'name': 'bench-%d' % index, 'flavorRef': '1',
                            'imageRef': image, 'networks': 'none',
                            'min_count': n, 'max_count': n}})
            if status != 202:
                errors.append('%s %s' % (status, reply))
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError('%d POSTs refused, e.g. %s'
                           % (len(errors), errors[0]))


def _tree(child) -> list[int]:
    pids = [child.pid]
    for pid in list(pids):
        try:
            with open(f'/proc/{pid}/task/{pid}/children') as children:
                pids += [int(p) for p in children.read().split()]
        except OSError:
            pass
    return pids


def _cpu(child) -> float:
    total = 0.0
    for pid in _tree(child):
        try:
            total += _common.cpu_seconds(pid)
        except OSError:
            pass
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-n', type=int, default=1000)
    parser.add_argument('--computes', type=int, default=2)
    parser.add_argument('--concurrency', type=int, default=8)
    parser.add_argument('--per-request', type=int, default=1)
    parser.add_argument('--pool', nargs=2, type=int, default=None,
                        metavar=('MAX_POOL_SIZE', 'MAX_OVERFLOW'))
    parser.add_argument('--py-spy', type=int, default=0)
    parser.add_argument('--simulated-hosts', type=int, default=0)
    args = parser.parse_args()
    _common.exit_on_sigterm()
    tmp = tempfile.mkdtemp(prefix='minova-bench-deploy-')
    vhost = 'minova-bench-%s' % uuid.uuid4().hex[:8]
    _rabbitmqctl('add_vhost', vhost)
    _rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*')
    url = list_servers.create_database('mariadb', tmp)
    port = _common.free_port()
    config = _config(tmp, port, url, f'rabbit://{BROKER}/{vhost}', args)
    bin_ = _common.BIN
    try:
        _common.run([os.path.join(bin_, 'minova-manage'), '--config-file',
                     config, 'db', 'sync'], os.path.join(tmp, 'manage.log'))
        with _common.Processes() as procs:
            services = {}
            for name in ('conductor', 'scheduler'):
                services[name] = procs.start(
                    [os.path.join(bin_, 'minova-' + name), '--config-file',
                     config], os.path.join(tmp, name + '.log'))
            for index in range(1, args.computes + 1):
                host_conf = _common.write_config(
                    os.path.join(tmp, f'c{index}.conf'),
                    {'DEFAULT': {'host': f'bench-c{index}'},
                     'compute': {'simulated_hosts': args.simulated_hosts}})
                services[f'compute{index}'] = procs.start(
                    [os.path.join(bin_, 'minova-compute'), '--config-file',
                     config, '--config-file', host_conf],
                    os.path.join(tmp, f'compute{index}.log'))
            services['api'] = procs.start(
                [os.path.join(bin_, 'minova-api'), '--config-file', config],
                os.path.join(tmp, 'api.log'))
            _common.wait_for(
                lambda: all(procs.alive(c) for c in services.values())
                and _common.port_open(port)
                and _computes_up(port, args.computes
                                 * max(args.simulated_hosts, 1)), 300,
                'the services and computes')
            _boot_requests(port, 5, 1, 1)  # warm: first boot paths
            boot_bench._wait_active(port, 5, timeout=120)
            cpu = {name: _cpu(child) for name, child in services.items()}
            servers = _common.server_pids()
            cpu.update({name: _common.cpu_seconds(pid)
                        for name, pid in servers.items()})
            cpu['clients'] = time.process_time()
            spies = []
            if args.py_spy:
                for name in ('conductor', 'scheduler', 'compute1', 'api'):
                    pid = _tree(services[name])[-1]
                    spies.append(_common.py_spy(
                        pid, args.py_spy,
                        os.path.join(tmp, f'profile-{name}.txt')))
            start = time.perf_counter()
            _boot_requests(port, args.n, args.per_request, args.concurrency)
            posted = time.perf_counter()
            done = boot_bench._wait_active(port, args.n, timeout=600)
            used = {name: _cpu(child) for name, child in services.items()}
            used.update({name: _common.cpu_seconds(pid)
                         for name, pid in servers.items()})
            used['clients'] = time.process_time()
            cpu = {name: round((used[name] - cpu[name]) * 1000 / args.n, 2)
                   for name in used}
            for spy in spies:
                spy.wait()
    except Exception:
        print(f'logs kept in {tmp}', file=sys.stderr)
        raise
    finally:
        list_servers.drop_database('mariadb', url)
        _rabbitmqctl('delete_vhost', vhost)
    result = {'servers': args.n, 'computes': args.computes,
              'simulated_hosts': args.simulated_hosts,
              'per_request': args.per_request,
              'client_threads': args.concurrency,
              'servers_per_s': round(args.n / (done - start), 1),
              'posts_per_s': round(args.n / (posted - start), 1),
              'cpu_ms_per_server': cpu,
              'load': os.getloadavg()}
    print(f"{args.n} servers ACTIVE in {done - start:.2f} s: "
          f"{result['servers_per_s']} servers/s "
          f"(POSTs {result['posts_per_s']}/s), load {os.getloadavg()[0]:.1f}")
    print('CPU ms per server: ' + ', '.join(
        f'{name} {value}' for name, value in cpu.items()))
    # What the whole machine can do at this cost, if every core worked
    # for the boots alone: the ceiling the rate above is measured under.
    total = sum(cpu.values())
    result['cpu_ms_per_server_total'] = round(total, 1)
    result['ceiling_servers_per_s'] = round(
        os.cpu_count() * 1000 / total, 1)
    print(f"all of it: {total:.1f} ms of CPU per server; {os.cpu_count()} "
          f"cores give at most {result['ceiling_servers_per_s']} servers/s")
    if args.py_spy:
        print(f'profiles in {tmp}')
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(result))


if __name__ == '__main__':
    main()
