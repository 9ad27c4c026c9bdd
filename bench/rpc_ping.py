"""Sequential calls/s of minova's BaseAPI.ping to a real minova-conductor
versus raw oslo.messaging calls to a minimal RPC server, on RabbitMQ.

Both servers are separate processes on the same broker
(rabbit://guest:guest@127.0.0.1:5672, in a virtual host created for the
run with rabbitmqctl and deleted afterwards), both eventlet monkey patched
and built with ``get_rpc_server`` without an executor argument, as
minova.rpc does (under monkey patching oslo.messaging then picks its
green-thread executor; ``--raw-executor threading`` gives the raw server
the thread-pool one instead). One client process calls each back to back
through ``oslo_messaging.get_rpc_client(...).call``:

- minova: ``minova.baserpc.BaseAPI(conf, transport, 'conductor').ping``
  (minova's client: request context, its serializer, namespace
  ``baseapi``), answered by the conductor's ``BaseRPCAPI``
  (``[conductor] workers = 1``, SQLite in a temporary directory);
- raw: a plain ``call({}, 'ping', arg=n)`` answered by an endpoint that
  returns the same ``{"service": ..., "arg": ...}`` shape.

    .venv/bin/python bench/rpc_ping.py [--rounds 5] [--calls 1000] [--block 20]

Within each round the two take turns in blocks of 20 calls, so a noisy
neighbour hurts both alike. Prints a table of medians, the ratio
minova/raw, the CPU per call of the client, the server and the broker
(``beam.smp``) during each one's blocks, and one line of JSON. Needs
rabbitmqctl (run as root, as the broker's own administration tool).
"""

import sys
import warnings

warnings.simplefilter('ignore')  # eventlet/oslo deprecation noise

import eventlet  # noqa: E402

# As minova's services are; before anything imports socket or threading.
eventlet.monkey_patch()

import argparse  # noqa: E402
import collections  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

import oslo_messaging  # noqa: E402
from oslo_config import cfg  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common  # noqa: E402

BROKER = 'guest:guest@127.0.0.1:5672'
RAW_EXCHANGE = 'minova-bench-raw'
RAW_TOPIC = 'bench-raw'


# The raw server (this script run with --raw-server URL).

class Ping:
    def ping(self, ctxt, arg):
        return {'service': 'raw', 'arg': arg}


def serve_raw(url, max_seconds, executor):
    """Answer pings until SIGTERM or ``max_seconds``, whichever first."""
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    transport = oslo_messaging.get_rpc_transport(cfg.CONF, url=url)
    target = oslo_messaging.Target(exchange=RAW_EXCHANGE, topic=RAW_TOPIC,
                                   server='bench-host')
    server = oslo_messaging.get_rpc_server(transport, target, [Ping()],
                                           executor=executor)
    server.start()
    deadline = time.monotonic() + max_seconds
    try:
        while not stopping and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        server.stop()
        server.wait()
        transport.cleanup()


# The benchmark.

def _rabbitmqctl(*args):
    subprocess.run(['rabbitmqctl', *args], check=True, timeout=60,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _start_conductor(procs, tmp, url):
    config = _common.write_config(os.path.join(tmp, 'minova.conf'), {
        'DEFAULT': {'state_path': tmp, 'host': 'bench-host',
                    'transport_url': url},
        'database': {'connection': f'sqlite:///{tmp}/minova.sqlite'},
        'conductor': {'workers': 1},
    })
    _common.run([os.path.join(_common.BIN, 'minova-manage'),
                 '--config-file', config, 'db', 'sync'],
                os.path.join(tmp, 'manage.log'))
    return procs.start([os.path.join(_common.BIN, 'minova-conductor'),
                        '--config-file', config],
                       os.path.join(tmp, 'conductor.log'))


def _answers(call):
    try:
        call(timeout=2)
        return True
    except oslo_messaging.MessagingTimeout:
        return False


def _clients(url):
    """The two ways to ping, as ``f(arg, timeout=None)``."""
    # Imported here: only the client side needs minova.
    from minova import baserpc
    from minova import config
    from minova import context as minova_context
    from minova import rpc

    conf = cfg.CONF  # oslo.messaging registers options on it alone
    config.register(conf)
    conf([], project='minova', default_config_files=[])
    transport = rpc.get_transport(conf, url=url)
    base_api = baserpc.BaseAPI(conf, transport, conf.conductor.topic)
    context = minova_context.get_admin_context()
    raw = oslo_messaging.get_rpc_client(
        transport, oslo_messaging.Target(exchange=RAW_EXCHANGE,
                                         topic=RAW_TOPIC), timeout=30)

    def minova(arg, timeout=None):
        return base_api.ping(context, arg, timeout=timeout)

    def plain(arg, timeout=None):
        return raw.prepare(timeout=timeout).call({}, 'ping', arg=arg)

    return transport, {'minova': minova, 'raw': plain}


def _elapsed(ping, calls):
    start = time.perf_counter()
    for index in range(calls):
        ping(index)
    return time.perf_counter() - start


def _round(pings, calls, block, meters):
    """Calls/s of each, from blocks of ``block`` calls taking turns (who
    goes first alternates), so both see the same moments of load; and
    the CPU seconds per call each of ``meters`` counted during its
    blocks."""
    elapsed = dict.fromkeys(pings, 0.0)
    cpu = {name: collections.Counter() for name in pings}
    names = list(pings)
    for turn in range(calls // block):
        for name in names if turn % 2 == 0 else names[::-1]:
            before = meters[name]()
            elapsed[name] += _elapsed(pings[name], block)
            cpu[name].update({key: value - before[key] for key, value
                              in meters[name]().items()})
    done = calls // block * block
    return ({name: done / seconds for name, seconds in elapsed.items()},
            {name: {key: value / done for key, value in used.items()}
             for name, used in cpu.items()})


def _meters(children):
    """Per server, what to read CPU seconds from: this process (the
    client), the server and the broker."""
    broker = _common.server_pids().get('rabbitmq')

    def meter(child):
        def read():
            found = {'client': time.process_time(),
                     'server': _common.cpu_seconds(child.pid)}
            if broker:
                found['rabbitmq'] = _common.cpu_seconds(broker)
            return found
        return read
    return {name: meter(child) for name, child in children.items()}


def _measure(pings, procs, children, args):
    for name, ping in pings.items():
        _common.wait_for(
            lambda n=name, p=ping: (procs.alive(children[n])
                                    and _answers(lambda **kw: p(0, **kw))),
            90, f'the {name} server to answer')
        _elapsed(ping, 100)  # warm up
    rates = {name: [] for name in pings}
    cpus = {name: collections.defaultdict(list) for name in pings}
    meters = _meters(children)
    for round_ in range(args.rounds):
        round_rates, round_cpu = _round(pings, args.calls, args.block,
                                        meters)
        for name, rate in round_rates.items():
            rates[name].append(rate)
            for key, value in round_cpu[name].items():
                cpus[name][key].append(value * 1000)
            print(f'round {round_ + 1}/{args.rounds} {name:<7} '
                  f'{rate:9.1f} calls/s', flush=True)
    return rates, cpus


def _report(rates, cpus, args):
    """Medians, and two ratios: of the medians, and the median of each
    round's own ratio (its neighbour in time, so less moved by load that
    comes and goes on a shared machine)."""
    stats = {name: _common.summary(values) for name, values in rates.items()}
    ratio = stats['minova']['median'] / stats['raw']['median']
    paired = statistics.median(
        m / r for m, r in zip(rates['minova'], rates['raw'], strict=True))
    print(f'\n{"server":<8} {"calls/round":>11} {"median calls/s":>15} '
          f'{"min":>9} {"max":>9}')
    for name, values in stats.items():
        print(f'{name:<8} {args.calls:>11} {values["median"]:>15.1f} '
              f'{values["min"]:>9.1f} {values["max"]:>9.1f}')
    print(f'ratio minova/raw: {ratio:.3f} of the medians, '
          f'{paired:.3f} paired by round')
    cpu = {name: {key: round(statistics.median(values), 3)
                  for key, values in used.items()}
           for name, used in cpus.items()}
    for name, used in cpu.items():
        print(f'{name}: CPU ms per call (medians) ' + ', '.join(
            f'{key} {value}' for key, value in used.items())
            + f', all {sum(used.values()):.3f}')
    print(json.dumps({
        'benchmark': 'rpc_ping',
        'transport': 'rabbit',
        'rounds': args.rounds,
        'calls': args.calls,
        'calls_per_s': stats,
        'cpu_ms_per_call': cpu,
        'ratio': round(ratio, 3),
        'paired_ratio': round(paired, 3),
        'raw_executor': args.raw_executor,
        'cpus': os.cpu_count(),
    }))


def run_benchmark(args):
    vhost = f'minova-bench-{uuid.uuid4().hex[:8]}'
    url = f'rabbit://{BROKER}/{vhost}'
    tmp = tempfile.mkdtemp(prefix='minova-bench-rpc-')
    _rabbitmqctl('add_vhost', vhost)
    transport = None
    try:
        _rabbitmqctl('set_permissions', '-p', vhost, 'guest',
                     '.*', '.*', '.*')
        with _common.Processes() as procs:
            children = {
                'minova': _start_conductor(procs, tmp, url),
                'raw': procs.start(
                    [sys.executable, os.path.abspath(__file__),
                     '--raw-server', url, '--raw-executor',
                     args.raw_executor], os.path.join(tmp, 'raw.log')),
            }
            transport, pings = _clients(url)
            rates, cpus = _measure(pings, procs, children, args)
    except BaseException:  # also Ctrl-C and SIGTERM
        print(f'logs kept in {tmp}', file=sys.stderr)
        raise
    finally:
        if transport is not None:
            transport.cleanup()
        _rabbitmqctl('delete_vhost', vhost)
    shutil.rmtree(tmp, ignore_errors=True)
    _report(rates, cpus, args)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--calls', type=int, default=1000,
                        help='sequential calls per round and server')
    parser.add_argument('--block', type=int, default=20,
                        help='calls in a row before the other server '
                             'takes its turn')
    parser.add_argument('--raw-executor', default='default',
                        choices=['default', 'threading'],
                        help="the raw server's executor (default: "
                             "oslo.messaging's choice, as minova's)")
    parser.add_argument('--raw-server', metavar='URL',
                        help=argparse.SUPPRESS)  # the child process's mode
    parser.add_argument('--max-seconds', type=float, default=1800,
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.raw_server:
        executor = None if args.raw_executor == 'default' else 'threading'
        serve_raw(args.raw_server, args.max_seconds, executor)
    else:
        _common.exit_on_sigterm()
        run_benchmark(args)


if __name__ == '__main__':
    main()
