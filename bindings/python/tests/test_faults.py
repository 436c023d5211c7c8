"""Retries under faults the emulator injects: what is resent, what is looked up, and what is
never sent twice. Blocking and asyncio clients drive the same core state machine; each case
runs through both."""

import asyncio

import pytest

import roster

FAST = roster.Retry(base_backoff=0.01, max_backoff=0.05)
# With this seed the emulator's dice fail the first GetUsers with 503 and pass a later one.
SEED_503_THEN_OK = 1


@pytest.fixture(params=["sync", "async"])
def run(request, emulator):
    """`run(lambda client: client.users.get_users(...), **client_settings)` through either client."""

    def sync(op, **settings):
        with roster.Voximplant(emulator.credentials, base_url=emulator.base_url,
                               ca_file=emulator.ca_file, seed=3, **{"retry": FAST, **settings}) as c:
            return op(c)

    def asynchronous(op, **settings):
        async def go():
            async with roster.AsyncVoximplant(emulator.credentials, base_url=emulator.base_url,
                                              ca_file=emulator.ca_file, seed=3,
                                              **{"retry": FAST, **settings}) as c:
                return await op(c)

        return asyncio.run(go())

    return sync if request.param == "sync" else asynchronous


def add_ann2(client):
    return client.users.add_user(user_name="ann-two", user_display_name="Ann 2",
                                 user_password="S3cure!pass", application_id=1)


def test_a_read_is_retried_through_gateway_errors(run, emulator):
    emulator.faults("GetUsers=http503:0.5", seed=SEED_503_THEN_OK)
    page = run(lambda c: c.users.get_users(application_id=1))
    assert page.total_count == 2
    statuses = [e["status"] for e in emulator.requests("GetUsers")]
    assert statuses[-1] == 200 and 503 in statuses


def test_a_lost_create_is_looked_up_not_doubled(run, emulator):
    emulator.faults("AddUser=drop_after_apply")
    created = run(add_ann2)
    assert created.user_id > 0
    assert emulator.fired("drop_after_apply") == 1
    assert len(emulator.requests("GetUsers")) == 1  # the lookup
    emulator.faults("")
    users = run(lambda c: c.users.get_users(application_id=1, user_name="ann-two"))
    assert [u.user_id for u in users] == [created.user_id]


def test_a_lost_transfer_is_never_resent(run, emulator):
    emulator.faults("TransferMoneyToUser=drop_after_apply")
    with pytest.raises(roster.OutcomeUnknownError) as unknown:
        run(lambda c: c.users.transfer_money_to_user(user_id=[1], amount="1.25"))
    assert unknown.value.method == "TransferMoneyToUser"
    assert emulator.fired("drop_after_apply") == 1


def test_refusals_are_retried_then_reported(run, emulator):
    emulator.faults("AddUser=rate_limit")
    with pytest.raises(roster.RateLimitError) as limited:
        run(add_ann2, retry=roster.Retry(max_attempts=3, base_backoff=0.01, max_backoff=0.02))
    assert limited.value.code == 340
    assert emulator.fired("rate_limit") == 3


def test_a_slow_answer_times_out(run, emulator):
    emulator.faults("GetUsers=delay:3000")
    with pytest.raises(roster.TransportError) as slow:
        run(lambda c: c.users.get_users(application_id=1), timeout=0.3,
            retry=roster.Retry(max_attempts=2, base_backoff=0.01))
    assert slow.value.transport_kind == "timed_out"


def test_a_reset_connection_is_interrupted(run, emulator):
    emulator.faults("GetUsers=reset")
    with pytest.raises(roster.TransportError) as reset:
        run(lambda c: c.users.get_users(application_id=1),
            retry=roster.Retry(max_attempts=2, base_backoff=0.01))
    assert reset.value.transport_kind == "interrupted"
    assert emulator.fired("reset") == 2
