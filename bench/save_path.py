"""CPU per boot of the compute's two saves, without the rest of a boot.

A boot's compute makes two ``instance_save_with_events`` calls to the
conductor (SPAWNING with its build event's start, ACTIVE with its end).
This runs exactly that path in one process, with no RPC server, API or
scheduler around it: the compute's side serializes the instance as the
RPC client does (oslo.versionedobjects primitive, then JSON, as the
in-process transport and RabbitMQ both carry it), the conductor's side
deserializes it, runs ``ConductorManager.instance_save_with_events`` on
the database, and the changes go back the same way and are applied to
the compute's copy. The end-to-end boot benchmarks swing by a third from
run to run on a shared machine; this one is steady enough to tell a
change of a tenth of a millisecond.

Reports the median over ``--rounds`` rounds of the CPU (process_time)
per boot, and the hop's share (serialization alone, no database).

    .venv/bin/python bench/save_path.py [-n 300] [--rounds 5]
        [--connection URL]
"""

from __future__ import annotations  # noqa: I001 - minova.cmd first

import argparse
import datetime
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from typing import Any

import minova.cmd  # noqa: F401 - eventlet monkey patching, as a service

from oslo_serialization import jsonutils  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from minova import context as minova_context  # noqa: E402
from minova.compute import task_states  # noqa: E402
from minova.compute import vm_states  # noqa: E402
from minova.conductor import manager as conductor_manager  # noqa: E402
from minova.db import api as db_api  # noqa: E402
from minova.db import migration  # noqa: E402
from minova.objects import base as objects_base  # noqa: E402
from minova.objects import flavor as flavor_obj  # noqa: E402
from minova.objects import instance as instance_obj  # noqa: E402
from minova.objects import instance_action as action_obj  # noqa: E402

_EVENT = "compute__do_build_and_run_instance"
_SERIALIZER = objects_base.MinovaObjectSerializer()


def _boot_records(context: minova_context.RequestContext,
                  n: int) -> list:
    """``n`` instances as the API and the conductor leave them for the
    compute (SCHEDULING, with a flavor), each with its create action."""
    flavor = flavor_obj.Flavor(
        id=1, flavorid="1", name="m1.tiny", memory_mb=512, vcpus=1,
        root_gb=1, ephemeral_gb=0, swap=0, rxtx_factor=1.0,
        disabled=False, is_public=True, extra_specs={})
    records = []
    for i in range(n):
        inst = instance_obj.Instance(
            context, uuid=str(uuid.uuid4()), display_name="s%d" % i,
            hostname="s%d" % i, user_id="u", project_id="p",
            image_ref="cirros", memory_mb=512, vcpus=1,
            root_gb=1, ephemeral_gb=0, flavor=flavor,
            vm_state=vm_states.BUILDING, task_state=task_states.SCHEDULING,
            metadata={"k": "v"}, availability_zone="nova")
        inst.create()
        action_obj.InstanceAction.action_start(context, inst.uuid, "create")
        records.append(inst)
    return records


def _hop(context: minova_context.RequestContext, instance: Any,
         expected: list, start: dict | None, finish: dict | None) -> None:
    """One ``instance_save_with_events`` call, serialized both ways."""
    sent = jsonutils.dumps(_SERIALIZER.serialize_entity(context, instance))
    received = _SERIALIZER.deserialize_entity(context, json.loads(sent))
    updates = conductor_manager.ConductorManager.instance_save_with_events(
        None, context, received, expected, start=start, finish=finish)
    reply = json.loads(jsonutils.dumps(
        _SERIALIZER.serialize_entity(context, updates)))
    objects_base.apply_remote_changes(instance, reply)


def _round(context: minova_context.RequestContext, n: int,
           hop_only: bool) -> float:
    records = _boot_records(context, n)
    # The compute's copies: what the conductor's build cast carried.
    copies = [_SERIALIZER.deserialize_entity(
        context, json.loads(jsonutils.dumps(
            _SERIALIZER.serialize_entity(context, inst))))
        for inst in records]
    began = time.process_time()
    for inst in copies:
        inst.host, inst.node = "compute1", "compute1"
        inst.task_state = task_states.SPAWNING
        if hop_only:
            sent = jsonutils.dumps(_SERIALIZER.serialize_entity(context,
                                                                inst))
            _SERIALIZER.deserialize_entity(context, json.loads(sent))
            continue
        _hop(context, inst, [task_states.SCHEDULING],
             {"event": _EVENT, "host": "compute1"}, None)
        inst.update({"vm_state": vm_states.ACTIVE, "task_state": None,
                     "power_state": 1,
                     "launched_at": datetime.datetime.now(
                         datetime.timezone.utc),
                     "network_info": [{"address": "10.0.0.%d" % 3,
                                       "type": "fixed"}]})
        _hop(context, inst, [task_states.SPAWNING], None,
             {"event": _EVENT, "result": action_obj.SUCCESS})
    return (time.process_time() - began) * 1000 / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connection", default=None)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="minova-save-")
    db = db_api.Database(args.connection
                         or "sqlite:///%s/minova.db" % tmp)
    migration.ensure_schema(db)
    context = minova_context.get_admin_context(db=db)
    _round(context, 20, hop_only=False)  # warm the statement caches
    boots = [_round(context, args.n, False) for _ in range(args.rounds)]
    hops = [_round(context, args.n, True) for _ in range(args.rounds)]
    load = os.getloadavg()[0]
    print("CPU per boot (2 saves with events): median %.3f ms (%s); "
          "of which the SPAWNING hop's serialization alone: %.3f ms; "
          "load %.1f" % (statistics.median(boots),
                         ", ".join("%.3f" % b for b in boots),
                         statistics.median(hops), load))
    print(json.dumps({"n": args.n, "ms_per_boot": boots,
                      "median_ms_per_boot": statistics.median(boots),
                      "hop_ms": statistics.median(hops), "load": load}))
    db.dispose()


if __name__ == "__main__":
    main()
