"""The token provider (``token_provider=``), driven by the core's token step: asked before the
first request and with ``force_refresh=True`` after a 455/456; its answer is checked by the
core's rule for every token; its exception ends the call. Blocking and asyncio (where the
provider may be sync or async) behave the same."""

import asyncio
import base64
import json

import pytest

import roster

OK = b'{"result":[],"total_count":0,"count":0}'
EXPIRED = b'{"error":{"code":456,"msg":"Authorization token has expired"}}'
START_MS = 1_700_000_000_000


def jwt(exp):
    def part(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none'})}.{part({'exp': exp})}.sig"


class Script:
    def __init__(self, *answers):
        self.answers = list(answers)
        self.sent = []

    def answer(self, request):
        self.sent.append(dict(request.headers)["authorization"])
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return roster.Response(answer[0], [], answer[1])

    def send(self, request):
        return self.answer(request)


class AsyncScript(Script):
    async def send(self, request):  # type: ignore[override]
        return self.answer(request)


def provider_of(*tokens):
    asked = []

    def provider(force_refresh):
        asked.append(force_refresh)
        token = tokens[len(asked) - 1]
        if isinstance(token, BaseException):
            raise token
        return token

    return provider, asked


async def _no_sleep(seconds):
    pass


def call(driver, provider, script, method="GetUsers", params=None, asynchronous_provider=False, **settings):
    params = params or {"application_id": 1}
    common = dict(token_provider=provider, env={}, clock=lambda: START_MS, **settings)
    if driver == "sync":
        vox = roster.Voximplant(transport=script, sleep=lambda s: None, **common)
        return vox.call(method, params)

    async def go():
        if asynchronous_provider:
            sync = common["token_provider"]

            async def provide(force_refresh):
                await asyncio.sleep(0)
                return sync(force_refresh)

            common["token_provider"] = provide
        vox = roster.AsyncVoximplant(transport=AsyncScript(*script.answers), sleep=_no_sleep, **common)
        try:
            return await vox.call(method, params)
        finally:
            script.sent = vox.transport.sent

    return asyncio.run(go())


DRIVERS = ["sync", "async", "async-provider"]


def run(driver, provider, script, **kw):
    return call("sync" if driver == "sync" else "async", provider, script,
                asynchronous_provider=driver == "async-provider", **kw)


@pytest.mark.parametrize("driver", DRIVERS)
def test_asked_before_the_first_request_and_again_after_456(driver):
    provider, asked = provider_of("t1", b"t2\n")
    script = Script((200, EXPIRED), (200, OK))
    assert run(driver, provider, script) == {"items": [], "total_count": 0, "count": 0}
    assert asked == [False, True]
    assert script.sent == ["Bearer t1", "Bearer t2"]


@pytest.mark.parametrize("driver", DRIVERS)
def test_the_token_is_cached_between_calls(driver):
    provider, asked = provider_of("t1")
    if driver == "sync":
        vox = roster.Voximplant(token_provider=provider, transport=Script((200, OK), (200, OK)), env={})
        vox.call("GetUsers", {"application_id": 1})
        vox.call("GetUsers", {"application_id": 1})
        sent = vox.transport.sent
    else:
        async def go():
            vox = roster.AsyncVoximplant(token_provider=provider, transport=AsyncScript((200, OK), (200, OK)), env={})
            await vox.call("GetUsers", {"application_id": 1})
            await vox.call("GetUsers", {"application_id": 1})
            return vox.transport.sent

        sent = asyncio.run(go())
    assert asked == [False]
    assert sent == ["Bearer t1", "Bearer t1"]


@pytest.mark.parametrize("driver", DRIVERS)
def test_a_provider_exception_ends_the_call_as_it_was_raised(driver):
    class TokenServiceDown(Exception):
        pass

    down = TokenServiceDown("token service down")
    provider, asked = provider_of(down)
    script = Script()
    with pytest.raises(TokenServiceDown) as raised:
        run(driver, provider, script)
    assert raised.value is down
    assert script.sent == []


@pytest.mark.parametrize("driver", DRIVERS)
def test_a_provider_exception_after_a_lost_write_is_outcome_unknown(driver):
    # SetUserInfo is idempotent: its lost first attempt is resent, the server refuses the token,
    # and the provider fails: the write may have been applied, so the caller must check.
    down = ConnectionError("token service down")
    provider, asked = provider_of("t1", down)
    script = Script(roster.TransportFailure("timed_out", "slow"), (200, EXPIRED))
    with pytest.raises(roster.OutcomeUnknownError) as unknown:
        run(driver, provider, script, method="SetUserInfo", params={"user_id": 1, "user_active": True})
    assert unknown.value.__cause__ is down
    assert asked == [False, True]


@pytest.mark.parametrize("driver", DRIVERS)
@pytest.mark.parametrize("answer,fragment", [
    (None, "must return str or bytes, got NoneType"),
    (42, "must return str or bytes, got int"),
    ("tok en", "the token provider"),
    ("", "is empty"),
    (jwt(START_MS // 1000 - 1), "already expired"),
])
def test_a_token_the_core_refuses_ends_the_call_unsent(driver, answer, fragment):
    provider, asked = provider_of(answer)
    script = Script()
    with pytest.raises(roster.RosterError) as refused:
        run(driver, provider, script)
    assert fragment in str(refused.value)
    assert refused.value.error_code in ("auth", "config")
    assert script.sent == []
    if isinstance(answer, str) and answer.strip():
        assert answer not in str(refused.value)


def test_a_provider_is_one_of_the_ways_to_authenticate():
    with pytest.raises(roster.ConfigError, match="not several"):
        roster.Voximplant(token="t", token_provider=lambda force: "t2", env={})
    with pytest.raises(roster.ConfigError, match="callable"):
        roster.Voximplant(token_provider="t2", env={})  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        roster.Voiso("k", token_provider=lambda force: "t")  # type: ignore[call-arg]


def test_a_cancelled_async_provider_cancels_the_call():
    async def go():
        started = asyncio.Event()  # made in the loop (Python 3.9 binds it on creation)

        async def slow(force_refresh):
            started.set()
            await asyncio.sleep(60)
            return "never"

        vox = roster.AsyncVoximplant(token_provider=slow, transport=AsyncScript(), env={})
        task = asyncio.ensure_future(vox.call("GetUsers", {"application_id": 1}))
        await started.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert vox.transport.sent == []

    asyncio.run(go())
