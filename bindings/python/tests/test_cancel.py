"""Cancellation in the asyncio clients is immediate and final: a cancelled call raises
CancelledError at once, sends nothing more (no further attempt, no backoff that then resends),
and the client stays usable.

The emulator scenarios cancel batches of calls mid-retry and read the emulator's request log:
each call tags its requests (`user_name=c<batch>-<i>`), a wrapper around the default httpx
transport counts the attempts each call had started when it was cancelled, and the log may hold
no more than that per tag afterwards."""

import asyncio
import collections
import random
import sys
import time
from urllib.parse import parse_qsl

import httpx
import pytest

import roster
from roster._httpx import HttpxTransport

# Short backoffs keep every call busy (some mid-request, some asleep) when the cancel lands;
# enough attempts that a call which survived its cancellation would run on for seconds.
RETRY = roster.Retry(max_attempts=60, base_backoff=0.02, max_backoff=0.1, deadline=30)
BATCHES = 3
TASKS = 60


class Counting:
    """The default transport, counting the attempts started per `user_name` tag."""

    def __init__(self, inner):
        self.inner = inner
        self.started = collections.Counter()

    async def send(self, request):
        self.started[dict(parse_qsl((request.body or b"").decode())).get("user_name", "")] += 1
        return await self.inner.send(request)

    async def aclose(self):
        await self.inner.aclose()


CALLS = {
    # A read, refused with 503 (retried: nothing was applied).
    "GetUsers": lambda vox, tag: vox.users.get_users(application_id=1, user_name=tag),
    # A write, refused with error 340 (retried for any method): a write resent after its caller
    # gave up is what must never happen.
    "AddUser": lambda vox, tag: vox.users.add_user(user_name=tag, user_display_name="C",
                                                   user_password="S3cure!pass", application_id=1),
}
FAULTS = "GetUsers=http503,AddUser=rate_limit"


async def cancel_batch(vox, counting, emulator, batch):
    """Starts TASKS calls (reads and writes), cancels them all mid-retry; returns what went wrong."""
    emulator.faults(FAULTS, seed=batch + 1)
    emulator.admin("DELETE", "requests")
    tags = [f"c{batch}-{i}" for i in range(TASKS)]
    jobs = [asyncio.ensure_future(CALLS["GetUsers" if i % 2 else "AddUser"](vox, tag))
            for i, tag in enumerate(tags)]
    # Mid-retry: the calls have started two attempts each on average (most have had a refusal
    # and are asleep or sending again); then a random moment within the next 50 ms.
    give_up = time.monotonic() + 3
    while sum(counting.started[t] for t in tags) < 2 * TASKS and time.monotonic() < give_up:
        await asyncio.sleep(0.005)
    await asyncio.sleep(random.Random(batch).uniform(0, 0.05))
    started_then = {t: counting.started[t] for t in tags}  # the loop does not run until all are cancelled
    for job in jobs:
        job.cancel()
    cancelled_at = time.monotonic()
    _, pending = await asyncio.wait(jobs, timeout=1.0)
    took = time.monotonic() - cancelled_at
    problems = []
    outcomes = collections.Counter(
        "still running after 1 s" if not j.done() else "CancelledError" if j.cancelled()
        else type(j.exception()).__name__ if j.exception() else "a result"
        for j in jobs)
    if outcomes["CancelledError"] != TASKS:
        problems.append(f"batch {batch}: {dict(outcomes)}")
    elif took > 0.5:
        problems.append(f"batch {batch}: the calls took {took * 1e3:.0f} ms to end")
    for _ in range(20):  # stop the survivors (old behaviour) before the next batch
        if not pending:
            break
        for job in pending:
            job.cancel()
        _, pending = await asyncio.wait(pending, timeout=0.2)
    await asyncio.sleep(0.15)  # answers to requests already on the wire reach the log
    entries = emulator.requests()
    assert len(entries) < 1000, "the emulator's request log overflowed"
    logged = collections.Counter(e["params"].get("user_name") for e in entries
                                 if e.get("method") in CALLS)
    late = {t: logged[t] - started_then[t] for t in tags if logged[t] > started_then[t]}
    if late:
        problems.append(f"batch {batch}: {sum(late.values())} attempts started after the "
                        f"cancellation, by {len(late)} calls")
    return problems


async def test_calls_cancelled_mid_retry_end_at_once_and_send_nothing_more(emulator):
    counting = Counting(HttpxTransport(emulator.ca_file))
    async with roster.AsyncVoximplant(emulator.credentials, base_url=emulator.base_url,
                                      transport=counting, retry=RETRY, seed=7) as vox:
        problems = []
        for batch in range(BATCHES):
            problems += await cancel_batch(vox, counting, emulator, batch)
        assert not problems, "\n".join(problems)
        emulator.faults("")
        page = await asyncio.wait_for(vox.users.get_users(application_id=1), 10)  # the same client
        assert page.total_count == 2  # the emulator's two users: no AddUser got through


async def test_cancelled_waiters_for_a_connection_leak_no_slot(emulator):
    """With 2 connections, most calls wait for one; cancelling them (at random moments) must
    hand every slot back, or later calls would wait for ever."""
    async with roster.AsyncVoximplant(emulator.credentials, base_url=emulator.base_url,
                                      transport=HttpxTransport(emulator.ca_file, max_connections=2),
                                      retry=RETRY) as vox:
        emulator.faults("GetUsers=http503")
        rng = random.Random(3)
        for _ in range(5):
            jobs = [asyncio.ensure_future(vox.users.get_users(application_id=1)) for _ in range(30)]
            await asyncio.sleep(rng.uniform(0.01, 0.1))
            for job in jobs:
                job.cancel()
            done, pending = await asyncio.wait(jobs, timeout=1.0)
            assert not pending and all(j.cancelled() for j in done)
        emulator.faults("")
        pages = await asyncio.wait_for(
            asyncio.gather(*(vox.users.get_users(application_id=1) for _ in range(10))), 10)
        assert [p.total_count for p in pages] == [2] * 10


class HeldAnswers:
    """Stands in for httpx.AsyncClient: each request waits until the test lets its answer in."""

    def __init__(self, answer):
        self.answer = answer
        self.held = []

    async def request(self, method, url, **kwargs):
        arrived = asyncio.get_running_loop().create_future()
        self.held.append(arrived)
        await arrived
        return self.answer

    async def aclose(self):
        pass


@pytest.mark.parametrize("method", ["GetUsers", "AddUser"])
async def test_a_cancellation_that_lands_with_the_answer_is_not_swallowed(method):
    """The answer and the cancellation arrive in the same turn of the event loop, answer first:
    `asyncio.wait_for` (before Python 3.12) returned the answer and dropped the cancellation,
    so the call slept and sent again."""
    answer = (httpx.Response(503, content=b"<html>busy</html>") if method == "GetUsers"
              else httpx.Response(429, headers={"Retry-After": "1"}, content=b""))
    held = HeldAnswers(answer)
    vox = roster.AsyncVoximplant(token="t0ken", transport=HttpxTransport(client=held),
                                 retry=roster.Retry(max_attempts=10, base_backoff=0.001, max_backoff=0.002))
    call = asyncio.ensure_future(CALLS[method](vox, "ann"))
    while not held.held:
        await asyncio.sleep(0)
    held.held[0].set_result(None)  # the answer is in...
    call.cancel()  # ...and the caller gives up before the call has seen it
    done, _ = await asyncio.wait([call], timeout=0.5)
    try:
        assert call in done and call.cancelled()
        await asyncio.sleep(0.05)  # far longer than any backoff
        assert len(held.held) == 1, "the cancelled call sent again"
    finally:
        while not call.done():
            call.cancel()
            for h in held.held:
                if not h.done():
                    h.set_result(None)
            await asyncio.wait([call], timeout=0.1)
    # The same client works afterwards.
    call = asyncio.ensure_future(vox.users.get_users(application_id=1))
    while len(held.held) < 2:
        await asyncio.sleep(0)
    held.answer = httpx.Response(200, content=b'{"result":[],"total_count":0,"count":0}')
    held.held[-1].set_result(None)
    assert (await asyncio.wait_for(call, 5)).total_count == 0


async def test_the_gate_passes_on_the_slot_of_a_waiter_cancelled_as_it_is_let_in():
    from roster._httpx import _Gate

    gate = _Gate(1)
    await gate.acquire()
    second = asyncio.ensure_future(gate.acquire())
    third = asyncio.ensure_future(gate.acquire())
    await asyncio.sleep(0)
    gate.release()  # lets the second in...
    second.cancel()  # ...which is cancelled before it runs
    await asyncio.wait([second], timeout=1)
    assert second.cancelled()
    await asyncio.wait_for(third, 1)  # the third has the slot
    gate.release()
    await asyncio.wait_for(gate.acquire(), 1)  # and gave it back


@pytest.mark.skipif(sys.version_info < (3, 11), reason="the task counts cancellation requests from 3.11")
async def test_a_transport_that_swallows_the_cancellation_does_not_keep_the_call_going():
    """A transport that turns CancelledError into a TransportFailure (or an answer): the call
    still ends in CancelledError and sends nothing more."""

    class Swallowing:
        sent = 0

        async def send(self, request):
            self.sent += 1
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                raise roster.TransportFailure("interrupted", "cancelled") from None
            return roster.Response(200, [], b"{}")

    transport = Swallowing()
    vox = roster.AsyncVoximplant(token="t0ken", transport=transport,
                                 retry=roster.Retry(max_attempts=10, base_backoff=0.001, max_backoff=0.002))
    call = asyncio.ensure_future(vox.users.get_users(application_id=1))
    await asyncio.sleep(0.01)
    call.cancel()
    done, _ = await asyncio.wait([call], timeout=0.5)
    assert call in done and call.cancelled()
    await asyncio.sleep(0.02)
    assert transport.sent == 1


class Req:
    """What the transport reads from a request."""

    method, url, headers, body, connect_timeout = "POST", "https://example.invalid/x", [], b"", 1.0

    def __init__(self, timeout):
        self.timeout = timeout


async def test_an_attempt_out_of_time_while_waiting_for_a_connection_was_not_sent():
    held = HeldAnswers(httpx.Response(200, content=b"{}"))
    transport = HttpxTransport(client=held, max_connections=1)
    first = asyncio.ensure_future(transport.send(Req(0.1)))
    second = asyncio.ensure_future(transport.send(Req(0.1)))
    with pytest.raises(roster.TransportFailure) as sent:
        await first
    with pytest.raises(roster.TransportFailure) as waited:
        await second
    assert (sent.value.kind, waited.value.kind) == ("timed_out", "not_sent")
    assert len(held.held) == 1
    third = asyncio.ensure_future(transport.send(Req(1.0)))  # the slot came back
    while len(held.held) < 2:
        await asyncio.sleep(0.001)
    held.held[-1].set_result(None)
    assert (await third).status == 200
