"""Sequential RPC calls/s on inproc:// versus oslo.messaging's fake://.

One process, one RPC server per transport (threading executor, as minova
uses), one client calling a ping endpoint back to back.  fake:// sleeps
50 ms whenever its queues are empty, so it gets far fewer calls per round.

    .venv/bin/python bench/rpc_transport.py [--rounds 5] [--inproc-calls
        5000] [--fake-calls 100] [--native-threads]

Prints a table of medians and one line of JSON.  By default the process is
eventlet monkey patched first, as minova services are; --native-threads
measures plain OS threads instead.
"""

import sys
import warnings

warnings.simplefilter('ignore')  # eventlet/oslo deprecation noise

# Must run before anything imports threading-dependent modules.
NATIVE = '--native-threads' in sys.argv
if not NATIVE:
    import eventlet

    eventlet.monkey_patch()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

import oslo_messaging  # noqa: E402
from oslo_config import cfg  # noqa: E402


class Ping:
    def ping(self, ctxt, arg):
        return arg


def _rate(url, calls):
    """Run one round: start a server, time `calls` calls, stop it."""
    # The global CONF: oslo.messaging 18 registers tracing options on it.
    transport = oslo_messaging.get_rpc_transport(cfg.CONF, url=url)
    target = oslo_messaging.Target(topic='bench', server='bench-host')
    server = oslo_messaging.get_rpc_server(transport, target, [Ping()],
                                           executor='threading')
    server.start()
    client = oslo_messaging.get_rpc_client(
        transport, oslo_messaging.Target(topic='bench'), timeout=30)
    try:
        client.call({}, 'ping', arg=0)  # warm up: queues, executor thread
        start = time.perf_counter()
        for index in range(calls):
            client.call({}, 'ping', arg=index)
        elapsed = time.perf_counter() - start
    finally:
        server.stop()
        server.wait()
        transport.cleanup()
    return calls / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--inproc-calls', type=int, default=5000)
    parser.add_argument('--fake-calls', type=int, default=100)
    parser.add_argument('--native-threads', action='store_true',
                        help='do not monkey patch with eventlet')
    args = parser.parse_args()

    rates = {'inproc': [], 'fake': []}
    for _ in range(args.rounds):
        # Fresh virtual host per round so no round inherits queued state.
        vhost = f'bench-{uuid.uuid4().hex}'
        rates['inproc'].append(_rate(f'inproc:///{vhost}',
                                     args.inproc_calls))
        rates['fake'].append(_rate(f'fake:///{vhost}', args.fake_calls))

    medians = {name: statistics.median(r) for name, r in rates.items()}
    ratio = medians['inproc'] / medians['fake']
    calls = {'inproc': args.inproc_calls, 'fake': args.fake_calls}
    print(f'{"transport":<10} {"calls/round":>11} {"median calls/s":>15} '
          f'{"min":>9} {"max":>9}')
    for name, values in rates.items():
        print(f'{name:<10} {calls[name]:>11} {medians[name]:>15.1f} '
              f'{min(values):>9.1f} {max(values):>9.1f}')
    print(f'ratio inproc/fake: {ratio:.1f}x')
    print(json.dumps({
        'benchmark': 'rpc_transport',
        'mode': 'native-threads' if NATIVE else 'eventlet',
        'rounds': args.rounds,
        'calls': calls,
        'median_calls_per_s': {k: round(v, 1) for k, v in medians.items()},
        'ratio': round(ratio, 1),
        'cpus': os.cpu_count(),
    }))


if __name__ == '__main__':
    main()
