"""Tests for the event-driven in-process driver (minova.messaging.inproc)."""

import eventlet

eventlet.monkey_patch()

import threading  # noqa: E402
import uuid  # noqa: E402

import futurist._thread  # noqa: E402
import oslo_messaging  # noqa: E402
import pytest  # noqa: E402
from oslo_config import cfg  # noqa: E402

from minova.messaging import inproc  # noqa: E402

WAIT = 10.0  # upper bound for waiting on an effect, never a fixed sleep


class Boom(Exception):
    """Raised by the endpoint; its module may be an allowed_remote_exmod."""


class Log:
    """What endpoints received, shared by servers so tests can wait."""

    def __init__(self):
        self.entries = []
        self.cond = threading.Condition()

    def add(self, name, token):
        with self.cond:
            self.entries.append((name, token))
            self.cond.notify_all()

    def wait_for(self, count):
        with self.cond:
            return self.cond.wait_for(lambda: len(self.entries) >= count,
                                      timeout=WAIT)


class Recorder:
    """Endpoint that remembers what it was sent."""

    def __init__(self, name='server', log=None):
        self.name = name
        self.log = log or Log()

    @property
    def seen(self):
        return [token for name, token in self.log.entries
                if name == self.name]

    def ping(self, ctxt, arg):
        return arg

    def record(self, ctxt, token):
        self.log.add(self.name, token)

    def unserializable(self, ctxt):
        return object()

    def fail(self, ctxt, kind):
        if kind == 'boom':
            raise Boom('boom happened')
        raise ValueError('bad value')

    def wait_for(self, count):
        return self.log.wait_for(count)


def _url():
    return f'inproc:///test-{uuid.uuid4().hex}'


def _transport(url, **kwargs):
    # The global CONF: oslo.messaging 18 registers tracing options on it.
    return oslo_messaging.get_rpc_transport(cfg.CONF, url=url, **kwargs)


def _client(url, topic='compute', server=None, fanout=False, timeout=5,
            **kwargs):
    target = oslo_messaging.Target(topic=topic, server=server, fanout=fanout)
    return oslo_messaging.get_rpc_client(_transport(url, **kwargs), target,
                                         timeout=timeout)


@pytest.fixture(autouse=True)
def quick_executor_shutdown(monkeypatch):
    # server.wait() otherwise lasts up to 1 s: futurist's idle workers only
    # notice shutdown when their 1 s queue.get() times out. That is the
    # executor's own cadence, not the driver's, so shorten it for tests.
    monkeypatch.setattr(futurist._thread.ThreadWorker, 'MAX_IDLE_FOR', 0.05)


@pytest.fixture
def url():
    return _url()


@pytest.fixture
def start_server():
    running = []

    def start(url, host, endpoint, topic='compute'):
        transport = _transport(url)
        target = oslo_messaging.Target(topic=topic, server=host)
        server = oslo_messaging.get_rpc_server(transport, target, [endpoint],
                                               executor='threading')
        server.start()
        running.append((server, transport))
        return server

    yield start
    for server, _ in running:
        server.stop()
    # wait() takes up to 1 s per server because futurist's idle workers
    # notice shutdown on a 1 s timer; waiting in parallel pays it once.
    waiters = [threading.Thread(target=server.wait) for server, _ in running]
    for waiter in waiters:
        waiter.start()
    for waiter in waiters:
        waiter.join(WAIT)
    for _, transport in running:
        transport.cleanup()


def test_entry_point_loads_inproc_driver(url):
    transport = _transport(url)
    assert isinstance(transport._driver, inproc.InProcDriver)


def test_call_returns_value(url, start_server):
    start_server(url, 'host1', Recorder())
    client = _client(url)
    assert client.call({}, 'ping', arg={'a': [1, 2]}) == {'a': [1, 2]}


def test_call_unknown_method_raises(url, start_server):
    start_server(url, 'host1', Recorder())
    with pytest.raises(oslo_messaging.RemoteError) as exc:
        _client(url).call({}, 'no_such_method')
    assert exc.value.exc_type == 'NoSuchMethod'


def test_call_unknown_endpoint_namespace_raises(url, start_server):
    start_server(url, 'host1', Recorder())
    client = _client(url).prepare(namespace='nowhere')
    with pytest.raises(oslo_messaging.RemoteError) as exc:
        client.call({}, 'ping', arg=1)
    assert exc.value.exc_type == 'UnsupportedVersion'


def test_cast_reaches_exactly_one_server(url, start_server):
    log = Log()
    servers = [Recorder('a', log), Recorder('b', log)]
    for rec in servers:
        start_server(url, rec.name, rec)
    client = _client(url)
    tokens = list(range(20))
    for token in tokens:
        client.cast({}, 'record', token=token)
    assert log.wait_for(len(tokens))
    # A call to each host afterwards shows no late duplicate was queued.
    for rec in servers:
        assert _client(url, server=rec.name).call({}, 'ping', arg=1) == 1
    assert sorted(token for _, token in log.entries) == tokens


def test_cast_to_host_reaches_only_that_host(url, start_server):
    log = Log()
    first, second = Recorder('a', log), Recorder('b', log)
    start_server(url, 'a', first)
    start_server(url, 'b', second)
    client = _client(url, server='b')
    for token in range(5):
        client.cast({}, 'record', token=token)
    assert second.wait_for(5)
    # Barrier through host a's own queue before looking at it.
    assert _client(url, server='a').call({}, 'ping', arg=0) == 0
    assert first.seen == []
    assert second.seen == list(range(5))


def test_fanout_reaches_all_servers(url, start_server):
    log = Log()
    recorders = [Recorder(name, log) for name in ('a', 'b', 'c')]
    for rec in recorders:
        start_server(url, rec.name, rec)
    _client(url, fanout=True).cast({}, 'record', token='hello')
    assert log.wait_for(3)
    for rec in recorders:
        assert rec.seen == ['hello']


def test_call_times_out_without_server(url):
    with pytest.raises(oslo_messaging.MessagingTimeout):
        _client(url, timeout=0.5).call({}, 'ping', arg=1)


def test_call_monitor_timeout_without_heartbeat(url):
    client = _client(url, timeout=30).prepare(call_monitor_timeout=0.3)
    with pytest.raises(oslo_messaging.MessagingTimeout):
        client.call({}, 'ping', arg=1)


def test_call_survives_heartbeats(url):
    driver = _transport(url)._driver
    listener = driver.listen(
        oslo_messaging.Target(topic='compute', server='h'), 1, None)
    results = []

    def call():
        results.append(driver.send(
            oslo_messaging.Target(topic='compute'), {}, {'method': 'x'},
            wait_for_reply=True, timeout=WAIT, call_monitor_timeout=5))

    caller = threading.Thread(target=call)
    caller.start()
    [incoming] = listener._poll_style_listener.poll(timeout=WAIT)
    assert incoming.client_timeout == 5
    incoming.heartbeat()
    incoming.heartbeat()
    incoming.reply({'done': True})
    caller.join(WAIT)
    assert results == [{'done': True}]
    driver.cleanup()


def test_allowed_remote_exception_keeps_its_type(url, start_server):
    start_server(url, 'host1', Recorder())
    client = _client(url, allowed_remote_exmods=[Boom.__module__])
    with pytest.raises(Boom) as exc:
        client.call({}, 'fail', kind='boom')
    assert 'boom happened' in str(exc.value)


def test_other_remote_exception_is_remote_error(url, start_server):
    start_server(url, 'host1', Recorder())
    with pytest.raises(oslo_messaging.RemoteError) as exc:
        _client(url).call({}, 'fail', kind='boom')
    assert exc.value.exc_type == 'Boom'


def test_builtin_remote_exception_keeps_its_type(url, start_server):
    start_server(url, 'host1', Recorder())
    with pytest.raises(ValueError, match='bad value'):
        _client(url).call({}, 'fail', kind='value')


def test_message_sent_before_server_starts_is_delivered(url, start_server):
    _client(url).cast({}, 'record', token='early')
    _client(url, server='late').cast({}, 'record', token='early-host')
    rec = Recorder()
    start_server(url, 'late', rec)
    assert rec.wait_for(2)
    assert sorted(rec.seen) == ['early', 'early-host']


def test_server_stop_returns_promptly(url):
    transport = _transport(url)
    server = oslo_messaging.get_rpc_server(
        transport, oslo_messaging.Target(topic='compute', server='h'),
        [Recorder()], executor='threading')
    server.start()
    assert _client(url).call({}, 'ping', arg=1) == 1

    # stop() joins the listener's poll thread, so it only returns once the
    # blocked poll(timeout=None) has been woken by the listener's stop().
    stopper = threading.Thread(target=server.stop)
    stopper.start()
    stopper.join(WAIT)
    assert not stopper.is_alive()
    server.wait()
    transport.cleanup()


def test_blocking_poll_wakes_on_message_and_on_stop(url):
    driver = _transport(url)._driver
    target = oslo_messaging.Target(topic='compute', server='h')
    listener = driver.listen(target, 1, None)._poll_style_listener
    results = []

    def poll():
        results.append(listener.poll(timeout=None))

    poller = threading.Thread(target=poll)
    poller.start()
    driver.send(oslo_messaging.Target(topic='compute'), {}, {'method': 'x'})
    poller.join(WAIT)
    assert not poller.is_alive()
    assert results[0][0].message == {'method': 'x'}

    poller = threading.Thread(target=poll)
    poller.start()
    listener.stop()
    poller.join(WAIT)
    assert not poller.is_alive()
    assert results[1] == []


def test_poll_batches_up_to_prefetch_size():
    url = f'inproc:///test-{uuid.uuid4().hex}?prefetch_size=2'
    driver = _transport(url)._driver
    listener = driver.listen(
        oslo_messaging.Target(topic='t', server='h'), 5, 1)
    for index in range(3):
        driver.send(oslo_messaging.Target(topic='t'), {}, {'i': index})
    poll_style = listener._poll_style_listener
    first = poll_style.poll(batch_size=5, batch_timeout=1)
    assert [m.message['i'] for m in first] == [0, 1]
    second = poll_style.poll(batch_size=5, batch_timeout=0.1)
    assert [m.message['i'] for m in second] == [2]
    driver.cleanup()


def test_same_url_shares_and_other_vhost_is_isolated(url, start_server):
    start_server(url, 'host1', Recorder())
    # A second transport on the same URL reaches the server ...
    assert _client(url).call({}, 'ping', arg='shared') == 'shared'
    # ... a different virtual host does not.
    with pytest.raises(oslo_messaging.MessagingTimeout):
        _client(_url(), timeout=0.5).call({}, 'ping', arg='isolated')


def test_non_serializable_argument_raises_on_send(url, start_server):
    start_server(url, 'host1', Recorder())
    client = _client(url)
    with pytest.raises((TypeError, ValueError)):
        client.call({}, 'ping', arg=object())
    with pytest.raises((TypeError, ValueError)):
        client.cast({}, 'record', token=object())


def test_non_serializable_reply_fails_the_call(url, start_server):
    # Sent back as the failure instead of leaving the caller to time out.
    start_server(url, 'host1', Recorder())
    with pytest.raises(ValueError):
        _client(url).call({}, 'unserializable')


def test_arguments_are_copied_not_shared(url, start_server):
    start_server(url, 'host1', Recorder())
    payload = {'list': [1, 2, 3]}
    result = _client(url).call({}, 'ping', arg=payload)
    assert result == payload
    assert result is not payload


class NotificationEndpoint:
    def __init__(self, requeue_first=False):
        self.events = []
        self.cond = threading.Condition()
        self._requeue_first = requeue_first

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        with self.cond:
            if self._requeue_first:
                self._requeue_first = False
                return oslo_messaging.NotificationResult.REQUEUE
            self.events.append((event_type, payload))
            self.cond.notify_all()
        return oslo_messaging.NotificationResult.HANDLED


def _notification_listener(url, endpoint, allow_requeue=False):
    transport = oslo_messaging.get_notification_transport(cfg.CONF, url=url)
    listener = oslo_messaging.get_notification_listener(
        transport, [oslo_messaging.Target(topic='notifications')], [endpoint],
        executor='threading', allow_requeue=allow_requeue)
    return transport, listener


@pytest.mark.parametrize('requeue_first', [False, True])
def test_notifications_reach_listener(url, requeue_first):
    notifier = oslo_messaging.Notifier(
        oslo_messaging.get_notification_transport(cfg.CONF, url=url),
        publisher_id='compute.host1', driver='messagingv2',
        topics=['notifications'])
    # Sent before anyone listens: stored and forwarded.
    notifier.info({}, 'instance.create', {'uuid': 'abc'})
    endpoint = NotificationEndpoint(requeue_first=requeue_first)
    transport, listener = _notification_listener(
        url, endpoint, allow_requeue=requeue_first)
    listener.start()
    try:
        notifier.info({}, 'instance.delete', {'uuid': 'abc'})
        with endpoint.cond:
            assert endpoint.cond.wait_for(lambda: len(endpoint.events) >= 2,
                                          timeout=WAIT)
        assert sorted(e[0] for e in endpoint.events) == [
            'instance.create', 'instance.delete']
    finally:
        listener.stop()
        listener.wait()
        transport.cleanup()


def test_many_sequential_calls_complete(url, start_server):
    # A sanity check of throughput without timing assertions: with a
    # polling transport this would take ~10 s, here it is quick.
    start_server(url, 'host1', Recorder())
    client = _client(url)
    for index in range(200):
        assert client.call({}, 'ping', arg=index) == index


def test_reset_forgets_queued_messages(url, start_server):
    _client(url).cast({}, 'record', token='stale')
    inproc.reset()
    rec = Recorder()
    start_server(url, 'h', rec)
    _client(url).cast({}, 'record', token='fresh')
    assert rec.wait_for(1)
    assert _client(url, server='h').call({}, 'ping', arg=0) == 0
    assert rec.seen == ['fresh']
