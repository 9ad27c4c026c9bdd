"""The README's first command on a fresh machine: seconds from ``make run``
in a new clone, with empty pip and uv caches, to minova-all's first 200.

The clone is of this checkout's HEAD; HOME, the caches and the state
directory are temporary, so nothing installed or downloaded before counts.
The ports are free ones, given through oslo.config's environment
variables (``make run`` takes no arguments). Prints the median of the
runs and one line of JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _common import free_port  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _answers(url: str) -> bool:
    request = urllib.request.Request(url,
                                     headers={"X-Auth-Token": "demo:demo"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def one_run(deadline: float) -> float:
    with tempfile.TemporaryDirectory(prefix="minova-cold-") as tmp:
        clone = os.path.join(tmp, "minova")
        subprocess.run(["git", "clone", "-q", ROOT, clone], check=True)
        port = free_port()
        env = dict(os.environ, HOME=os.path.join(tmp, "home"),
                   UV_CACHE_DIR=os.path.join(tmp, "uv-cache"),
                   PIP_NO_CACHE_DIR="1",
                   OS_DEFAULT__OSAPI_COMPUTE_LISTEN_PORT=str(port),
                   OS_DEFAULT__METADATA_LISTEN_PORT=str(free_port()),
                   OS_DEFAULT__STATE_PATH=os.path.join(tmp, "state"))
        os.makedirs(env["HOME"])
        url = "http://127.0.0.1:%d/v2.1/flavors" % port
        began = time.monotonic()
        proc = subprocess.Popen(["make", "run"], cwd=clone, env=env,
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL,
                                stdin=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            while not _answers(url):
                if proc.poll() is not None:
                    raise SystemExit("make run exited with %s"
                                     % proc.returncode)
                if time.monotonic() - began > deadline:
                    raise SystemExit("no 200 within %s s" % deadline)
                time.sleep(0.1)
            return time.monotonic() - began
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--deadline", type=float, default=300)
    args = parser.parse_args()
    times = [one_run(args.deadline) for _ in range(args.runs)]
    for index, seconds in enumerate(times, 1):
        print("run %d: first 200 after %.1f s" % (index, seconds))
    print("median: %.1f s" % statistics.median(times))
    print(json.dumps({"cold_make_run_to_first_200_s": times}))


if __name__ == "__main__":
    main()
