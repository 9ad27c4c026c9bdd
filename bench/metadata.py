"""The metadata API's instance look-up with few and with many instances.

Fills a fresh database (SQLite in a temporary directory unless
``--connection`` names another) with ``--counts`` live instances, each
with a fixed IP in ``network_info`` as the fake driver writes it, then
times, for each count, what ``GET /openstack/latest/meta_data.json``
asks the database:

- ``by fixed IP``: ``Instance.get_by_fixed_ip`` (the index look-up the
  metadata API does) for addresses that belong to an instance;
- ``unknown address``: the same for addresses no instance has;
- ``scan`` (``--scan``): what the metadata API did before, every live
  instance read as an object and its network_info compared; run
  ``--scan-rounds`` times only, as it takes seconds at 30,000.

    .venv/bin/python bench/metadata.py [--counts 10 30000]
        [--lookups 2000] [--scan] [--connection URL]

Prints a table of the median and 99th percentile per look-up in
microseconds, and one line of JSON.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import math
import random
import statistics
import tempfile
import time
import uuid

import sqlalchemy as sa

from minova import context as minova_context
from minova import exception
from minova.db import api as db_api
from minova.db import instances as db_instances
from minova.db import migration
from minova.db import models
from minova.objects import instance as instance_obj

NETWORK = ipaddress.ip_network('10.0.0.0/8')


def _address(index: int) -> str:
    return str(NETWORK[index + 1])


def fill(db: db_api.Database, start: int, stop: int) -> None:
    """Instances ``start`` .. ``stop - 1``, written in batches through
    ``minova.db.instances``' column mapping (which sets ``fixed_ip``)."""
    batch = []
    for index in range(start, stop):
        batch.append(db_instances._columns({
            'uuid': str(uuid.uuid4()), 'display_name': 'vm%d' % index,
            'project_id': 'bench', 'user_id': 'bench',
            'vm_state': 'active', 'memory_mb': 512, 'vcpus': 1,
            'root_gb': 1, 'ephemeral_gb': 0, 'power_state': 1,
            'deleted': 0, 'meta': {}, 'flavor': {'flavorid': '1'},
            'network_info': [{'address': _address(index),
                              'label': 'private', 'version': '4',
                              'type': 'fixed',
                              'network_id': 'fake-private'}]}))
        if len(batch) == 1000 or index == stop - 1:
            with db.writer() as connection:
                connection.execute(sa.insert(models.Instance.__table__),
                                   batch)
            batch = []


def _time(lookup, addresses: list[str]) -> list[float]:
    times = []
    for address in addresses:
        start = time.perf_counter()
        lookup(address)
        times.append((time.perf_counter() - start) * 1e6)
    return times


def _figures(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {'median_us': round(statistics.median(ordered), 1),
            'p99_us': round(ordered[math.ceil(len(ordered) * 0.99) - 1],
                            1),
            'n': len(ordered)}


def measure(db: db_api.Database, count: int, args: argparse.Namespace,
            rng: random.Random) -> dict[str, dict]:
    context = minova_context.get_admin_context(db=db)

    def by_ip(address: str) -> None:
        try:
            instance_obj.Instance.get_by_fixed_ip(context, address)
        except exception.InstanceNotFound:
            pass

    def scan(address: str) -> None:
        for instance in instance_obj.InstanceList.get_by_filters(
                context, {}):
            if any(vif.get('address') == address
                   for vif in instance.network_info or []):
                return

    known = [_address(rng.randrange(count)) for _ in range(args.lookups)]
    unknown = [_address(count + 1000 + rng.randrange(10 ** 6))
               for _ in range(args.lookups)]
    by_ip(known[0])  # warm the statement cache and the pool
    results = {'by fixed IP': _figures(_time(by_ip, known)),
               'unknown address': _figures(_time(by_ip, unknown))}
    if args.scan:
        results['scan'] = _figures(_time(scan, known[:args.scan_rounds]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--counts', type=int, nargs='+',
                        default=[10, 30000])
    parser.add_argument('--lookups', type=int, default=2000)
    parser.add_argument('--scan', action='store_true')
    parser.add_argument('--scan-rounds', type=int, default=3)
    parser.add_argument('--connection', default=None,
                        help='an empty database to use (default: SQLite '
                             'in a temporary directory)')
    args = parser.parse_args()
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.connection or 'sqlite:///%s/bench.sqlite' % tmp
        db = db_api.Database(url)
        try:
            migration.db_sync(db)
            results = {}
            filled = 0
            for count in sorted(args.counts):
                fill(db, filled, count)
                filled = count
                results[count] = measure(db, count, args, rng)
        finally:
            db.dispose()
    print('%-10s %-16s %12s %12s' % ('instances', 'look-up', 'median us',
                                     'p99 us'))
    for count, rows in results.items():
        for name, figures in rows.items():
            print('%-10d %-16s %12.1f %12.1f' % (
                count, name, figures['median_us'], figures['p99_us']))
    print(json.dumps({'backend': sa.engine.make_url(url).get_backend_name(),
                      'results': results}))


if __name__ == '__main__':
    main()
