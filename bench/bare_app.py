"""A bare eventlet.wsgi hello world: the baseline bench/api.py compares
minova-api against.

Served as minova serves its APIs (eventlet monkey patching,
eventlet.listen, eventlet.wsgi.server with a GreenPool of 1000 and
keep-alive), with nothing in between: no paste pipeline, no WebOb, no
routing, eventlet's own one-line access log to stderr.

    .venv/bin/python bench/bare_app.py --port 8080 [--host 127.0.0.1]

Runs until SIGTERM or SIGINT.
"""

import warnings

warnings.simplefilter('ignore')  # eventlet's deprecation notice

import eventlet  # noqa: E402

eventlet.monkey_patch()

import argparse  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402

import eventlet.wsgi  # noqa: E402

BODY = b'{"hello": "world"}'
HEADERS = [('Content-Type', 'application/json'),
           ('Content-Length', str(len(BODY)))]


def app(environ, start_response):
    start_response('200 OK', HEADERS)
    return [BODY]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, required=True)
    parser.add_argument('--pool-size', type=int, default=1000,
                        help="as minova's [wsgi] default_pool_size")
    args = parser.parse_args()
    # SIGTERM ends the process as Ctrl-C does, so "finally" blocks run.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    sock = eventlet.listen((args.host, args.port), backlog=4096)
    try:
        eventlet.wsgi.server(sock, app,
                             custom_pool=eventlet.GreenPool(args.pool_size),
                             keepalive=True, debug=False)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        sock.close()


if __name__ == '__main__':
    main()
