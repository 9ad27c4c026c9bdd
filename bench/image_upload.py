"""Image upload: a 1 GiB PUT /image/v2/images/<id>/file to minova-all
against ``dd`` writing as much to the same disk in the same run, and the
growth of the API process's memory.

Starts ``minova-all`` on an empty state directory under ``--dir`` (the
image store is ``<dir>/images``), creates an image with a noauth2 token
(minova-all accepts one on loopback), uploads ``--size-mb`` MiB sent
chunked from one random MiB repeated (no source file, so only the
server writes to the disk), and times it to the 204 plus an ``fsync``
of the stored file. ``dd if=/dev/zero bs=1M conv=fdatasync`` writes the
same size to the same directory. Memory: the process's peak RSS
(VmHWM) before and after the upload, after a small warm-up upload.

    .venv/bin/python bench/image_upload.py [--dir /tmp] [--size-mb 1024]
        [--runs 1]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import _common  # noqa: E402

MIB = 1 << 20
TOKEN = {'X-Auth-Token': 'admin:admin'}


def _config(tmp: str, port: int) -> str:
    return _common.write_config(os.path.join(tmp, 'minova.conf'), {
        'DEFAULT': {'state_path': tmp, 'host': 'bench-host',
                    'enabled_apis': 'osapi_compute',
                    'osapi_compute_listen_port': port,
                    'periodic_fuzzy_delay': 0},
    })


def _request(port: int, method: str, path: str, body=None,
             headers: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=600)
    try:
        conn.request(method, path, body=body,
                     headers={**TOKEN, **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _create(port: int) -> str:
    status, body = _request(port, 'POST', '/image/v2/images',
                            json.dumps({'name': 'bench'}).encode(),
                            {'Content-Type': 'application/json'})
    if status != 201:
        raise RuntimeError(f'image create: {status} {body[:200]!r}')
    return json.loads(body)['id']


def _upload(port: int, image_id: str, size_mb: int) -> None:
    block = os.urandom(MIB)
    status, body = _request(
        port, 'PUT', f'/image/v2/images/{image_id}/file',
        (block for _ in range(size_mb)),
        {'Content-Type': 'application/octet-stream',
         'Content-Length': str(size_mb * MIB)})
    if status != 204:
        raise RuntimeError(f'upload: {status} {body[:200]!r}')


def _peak_rss_mb(pid: int) -> float:
    with open(f'/proc/{pid}/status') as status:
        found = re.search(r'^VmHWM:\s+(\d+)', status.read(), re.M)
    return int(found.group(1)) / 1024


def _fsync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _dd_rate(directory: str, size_mb: int) -> float:
    target = os.path.join(directory, 'dd.bin')
    start = time.monotonic()
    subprocess.run(['dd', 'if=/dev/zero', f'of={target}', 'bs=1M',
                    f'count={size_mb}', 'conv=fdatasync'], check=True,
                   capture_output=True, timeout=600)
    seconds = time.monotonic() - start
    os.unlink(target)
    return size_mb / seconds


def _run(directory: str, size_mb: int) -> dict:
    tmp = tempfile.mkdtemp(prefix='minova-bench-image-', dir=directory)
    try:
        with _common.Processes() as procs:
            port = _common.free_port()
            child = procs.start([os.path.join(_common.BIN, 'minova-all'),
                                 '--config-file', _config(tmp, port)],
                                os.path.join(tmp, 'minova-all.log'))
            _common.wait_for(
                lambda: procs.alive(child) and _common.port_open(port)
                and _request(port, 'GET', '/image/v2/images')[0] == 200,
                60, 'minova-all to list images')
            _upload(port, _create(port), 8)  # warm-up
            before = _peak_rss_mb(child.pid)
            image_id = _create(port)
            start = time.monotonic()
            _upload(port, image_id, size_mb)
            _fsync(os.path.join(tmp, 'images', image_id))
            seconds = time.monotonic() - start
            after = _peak_rss_mb(child.pid)
        dd = _dd_rate(tmp, size_mb)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    rate = size_mb / seconds
    return {'upload_mib_s': round(rate, 1), 'dd_mib_s': round(dd, 1),
            'ratio': round(rate / dd, 2),
            'peak_rss_growth_mib': round(after - before, 1)}


def main() -> None:
    _common.exit_on_sigterm()
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--dir', default=tempfile.gettempdir())
    parser.add_argument('--size-mb', type=int, default=1024)
    parser.add_argument('--runs', type=int, default=1)
    args = parser.parse_args()
    for _ in range(args.runs):
        print(json.dumps(_run(args.dir, args.size_mb)), flush=True)


if __name__ == '__main__':
    main()
