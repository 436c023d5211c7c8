"""The shared scenario vectors (tests/scenarios/*.json, format in its README), run through the
binding's own clients: every file, through both drivers (the blocking ``roster.Voximplant`` /
``roster.Voiso`` and the asyncio ``roster.AsyncVoximplant`` / ``roster.AsyncVoiso``).

Each client is made with the scenario's settings in the binding's idiom (``Retry`` in seconds,
``token_provider=`` a callable, async for the asyncio driver) and the documented test hooks: a
scripted ``transport``, a virtual ``clock``, a recording ``sleep``, ``on_attempt`` recording
each attempt's text, and ``env``/``read_file`` standing in for the process's environment and
file system (nothing outside the scenario's maps can be read). A file that does not parse,
carries an unknown key, or asks for something this runner cannot honour fails its test; so does
any disagreement with what it expects. The last test fails unless every file present ran
through each driver.
"""

import asyncio
import errno
import json
import pathlib
import re
from urllib.parse import parse_qsl, urlsplit

import pytest

import roster

REPO = pathlib.Path(__file__).resolve().parents[3]
SCENARIOS = REPO / "tests" / "scenarios"
FIXTURES = REPO / "tests" / "fixtures"

# Where the virtual clock starts (Unix milliseconds).
START_MS = 1_700_000_000_000
# The fewest files the directory must hold: a moved directory or a lost group cannot pass as an
# empty run. Raise it when a group is added.
EXPECTED_AT_LEAST = 96

DRIVERS = ("sync", "async")

TOP_KEYS = {"name", "client", "env", "files", "call", "pages", "exchanges", "token_requests",
            "sleeps_ms", "outcome", "attempts"}
CLIENT_KEYS = {"api", "auth", "base_url", "retry", "seed"}
AUTH_KEYS = {"token", "credentials", "token_provider", "api_key"}
RETRY_KEYS = {"max_attempts", "base_backoff_ms", "max_backoff_ms", "jitter_percent", "deadline_ms",
              "connect_timeout_ms", "attempt_timeout_ms"}
CALL_KEYS = {"method", "params", "retry"}
PAGES_KEYS = {"method", "params", "id_field", "next_calls"}
EXCHANGE_KEYS = {"expect", "elapse_ms", "answer", "fail"}
EXPECT_KEYS = {"http_method", "path", "params", "absent", "attempt", "headers", "header_prefixes",
               "timeout_ms"}
ANSWER_KEYS = {"status", "headers", "body"}
ERROR_KEYS = {"code", "parameter", "rule", "api_code", "kind", "http_status", "transport_kind",
              "method", "cause", "errors", "message_contains", "message_excludes"}
PAGE_ENTRY_KEYS = {"ids", "error", "end"}
FAILURES = {"not_sent", "timed_out", "interrupted"}

# Every (driver, file) whose test ran to its checks; the last test compares it with the files.
RAN = set()


class CannotRun(Exception):
    """The file is malformed or asks for something this runner cannot honour: the test fails."""


# ---- reading a scenario ------------------------------------------------------------------------

def _files():
    return sorted(SCENARIOS.glob("*.json"))


def _obj(value, at):
    if not isinstance(value, dict):
        raise CannotRun(f"{at}: expected an object, got {value!r}")
    return value


def _known(mapping, allowed, at):
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        raise CannotRun(f"{at}: unknown key {unknown[0]!r} (allowed: {sorted(allowed)})")


def _uint(value, at):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CannotRun(f"{at}: a non-negative integer is required, got {value!r}")
    return value


def _strings(value, at):
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise CannotRun(f"{at}: a list of strings is required, got {value!r}")
    return value


def _text(value, at):
    if not isinstance(value, str):
        raise CannotRun(f"{at}: a string is required, got {value!r}")
    return value


def _fixture(text, at):
    """``@fixture:NAME`` stands for the text of tests/fixtures/NAME."""
    text = _text(text, at)
    if text.startswith("@fixture:"):
        path = FIXTURES / text[len("@fixture:"):]
        try:
            return path.read_text(encoding="utf-8")
        except OSError as e:
            raise CannotRun(f"{at}: cannot read fixture {path.name}: {e}") from None
    return text


def _shape(key, value, at):
    """The value of ``key`` has the shape the README gives it, so no check is skipped silently
    because of a typo in a vector."""
    at = f"{at}.{key}"
    if key in ("attempt", "timeout_ms", "api_code", "http_status"):
        _uint(value, at)
    elif key in ("params", "headers", "header_prefixes"):
        for k, v in _obj(value, at).items():
            _text(v, f"{at}.{k}")
    elif key in ("absent", "message_contains", "message_excludes"):
        _strings(value, at)
    elif key == "errors":
        if not isinstance(value, list) or not all(isinstance(c, int) and not isinstance(c, bool)
                                                  for c in value):
            raise CannotRun(f"{at}: a list of integer codes is required, got {value!r}")
    else:
        _text(value, at)


def _error_spec(value, at):
    spec = _obj(value, at)
    _known(spec, ERROR_KEYS, at)
    if "code" not in spec:
        raise CannotRun(f"{at}.code is required")
    for k, v in spec.items():
        _shape(k, v, at)
    return spec


def _retry(value, at):
    spec = _obj(value, at)
    _known(spec, RETRY_KEYS, at)
    for k, v in spec.items():
        _uint(v, f"{at}.{k}")
    return spec


def load(path):
    """The scenario in ``path``, checked against the README's format."""
    try:
        s = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise CannotRun(f"not JSON: {e}") from None
    _obj(s, "scenario")
    _known(s, TOP_KEYS, "scenario")
    _text(s.get("name"), "scenario.name")

    c = _obj(s.get("client"), "client")
    _known(c, CLIENT_KEYS, "client")
    if c.get("api") not in ("voximplant", "voiso"):
        raise CannotRun(f"client.api: unknown API {c.get('api')!r}")
    if "auth" in c:
        auth = _obj(c["auth"], "client.auth")
        _known(auth, AUTH_KEYS, "client.auth")
        if len(auth) != 1:
            raise CannotRun("client.auth: exactly one way to authenticate is required")
        if "token_provider" in auth:
            _strings(auth["token_provider"], "client.auth.token_provider")
            auth["token_provider"] = [_fixture(t, "client.auth.token_provider[]")
                                      for t in auth["token_provider"]]
        else:
            (key, value), = auth.items()
            auth[key] = _fixture(value, f"client.auth.{key}")
        wrong = {"voximplant": {"api_key"}, "voiso": {"token", "credentials", "token_provider"}}
        if set(auth) & wrong[c["api"]]:
            raise CannotRun(f"client.auth: {sorted(auth)[0]} is not a way to authenticate to {c['api']}")
    if "base_url" in c:
        _text(c["base_url"], "client.base_url")
    if "retry" in c:
        _retry(c["retry"], "client.retry")
    if "seed" in c:
        _uint(c["seed"], "client.seed")
    s["env"] = {k: _fixture(v, f"env.{k}") for k, v in _obj(s.get("env", {}), "env").items()}
    s["files"] = {k: _fixture(v, f"files.{k}") for k, v in _obj(s.get("files", {}), "files").items()}

    if ("call" in s) == ("pages" in s):
        raise CannotRun("exactly one of `call` and `pages` is required")
    if "call" in s:
        call = _obj(s["call"], "call")
        _known(call, CALL_KEYS, "call")
        _text(call.get("method"), "call.method")
        if "retry" in call:
            _retry(call["retry"], "call.retry")
    else:
        pages = _obj(s["pages"], "pages")
        _known(pages, PAGES_KEYS, "pages")
        _text(pages.get("method"), "pages.method")
        _text(pages.get("id_field"), "pages.id_field")
        _uint(pages.get("next_calls"), "pages.next_calls")

    if not isinstance(s.get("exchanges"), list):
        raise CannotRun("scenario.exchanges: a list is required")
    for i, x in enumerate(s["exchanges"]):
        at = f"exchanges[{i}]"
        _obj(x, at)
        _known(x, EXCHANGE_KEYS, at)
        expect = _obj(x.setdefault("expect", {}), f"{at}.expect")
        _known(expect, EXPECT_KEYS, f"{at}.expect")
        for k, v in expect.items():
            _shape(k, v, f"{at}.expect")
        _uint(x.setdefault("elapse_ms", 0), f"{at}.elapse_ms")
        if ("answer" in x) == ("fail" in x):
            raise CannotRun(f"{at}: exactly one of `answer` and `fail` is required")
        if "answer" in x:
            answer = _obj(x["answer"], f"{at}.answer")
            _known(answer, ANSWER_KEYS, f"{at}.answer")
            if not 100 <= _uint(answer.get("status"), f"{at}.answer.status") <= 999:
                raise CannotRun(f"{at}.answer.status: not an HTTP status")
            _text(answer.setdefault("body", ""), f"{at}.answer.body")
            for k, v in _obj(answer.setdefault("headers", {}), f"{at}.answer.headers").items():
                _text(v, f"{at}.answer.headers.{k}")
        elif x["fail"] not in FAILURES:
            raise CannotRun(f"{at}.fail: unknown failure {x['fail']!r}")

    if "token_requests" in s:
        if not isinstance(s["token_requests"], list):
            raise CannotRun("token_requests: a list is required")
        for i, t in enumerate(s["token_requests"]):
            _known(_obj(t, f"token_requests[{i}]"), {"force_refresh"}, f"token_requests[{i}]")
            if not isinstance(t.get("force_refresh"), bool):
                raise CannotRun(f"token_requests[{i}].force_refresh: a boolean is required")
        if "token_provider" not in c.get("auth", {}):
            raise CannotRun("token_requests without client.auth.token_provider")
    if "sleeps_ms" in s:
        if not isinstance(s["sleeps_ms"], list):
            raise CannotRun("sleeps_ms: a list is required")
        for v in s["sleeps_ms"]:
            _uint(v, "sleeps_ms[]")
    if "attempts" in s:
        _strings(s["attempts"], "attempts")

    outcome = _obj(s.get("outcome"), "outcome")
    if "call" in s:
        _known(outcome, {"result", "error"}, "outcome")
        if len(outcome) != 1:
            raise CannotRun("outcome: exactly one of `result` and `error` is required")
    else:
        _known(outcome, {"pages", "error"}, "outcome")
        if len(outcome) != 1:
            raise CannotRun("outcome: exactly one of `pages` and `error` is required")
        if "pages" in outcome:
            if not isinstance(outcome["pages"], list):
                raise CannotRun("outcome.pages: a list is required")
            for i, p in enumerate(outcome["pages"]):
                at = f"outcome.pages[{i}]"
                _known(_obj(p, at), PAGE_ENTRY_KEYS, at)
                if len(p) != 1:
                    raise CannotRun(f"{at}: exactly one of ids, error, end is required")
                if "error" in p:
                    _error_spec(p["error"], f"{at}.error")
                if "end" in p and p["end"] is not True:
                    raise CannotRun(f"{at}.end must be true")
                if "ids" in p and not isinstance(p["ids"], list):
                    raise CannotRun(f"{at}.ids: a list is required")
    if "error" in outcome:
        _error_spec(outcome["error"], "outcome.error")
    return s


# ---- the scripted world ------------------------------------------------------------------------

class RunnerFailure(Exception):
    """Raised into the binding where the script has no answer (a request past the last exchange,
    a token asked for once more than listed); recorded as a problem too."""


class World:
    """The virtual clock, the script, and everything the binding did."""

    def __init__(self, scenario):
        self.now_ms = START_MS
        self.exchanges = scenario["exchanges"]
        self.sent = []  # (request, its total timeout in seconds)
        self.sleeps = []
        self.attempts = []
        self.token_requests = []
        self.tokens = list(scenario["client"].get("auth", {}).get("token_provider", []))
        self.env = scenario["env"]
        self.files = scenario["files"]
        self.problems = []

    # the transport
    def answer(self, request):
        self.sent.append((request, request.timeout))
        index = len(self.sent) - 1
        if index >= len(self.exchanges):
            raise roster.TransportFailure("not_sent", "the scenario has no exchange left for this request")
        exchange = self.exchanges[index]
        self.now_ms += exchange["elapse_ms"]
        if "fail" in exchange:
            raise roster.TransportFailure(exchange["fail"], "scripted")
        a = exchange["answer"]
        return roster.Response(a["status"], list(a["headers"].items()), a["body"].encode("utf-8"))

    # the sleeper: whole milliseconds, rounded down (the durations are exact nanoseconds)
    def sleep(self, seconds):
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
            self.problems.append(f"sleep was asked for {seconds!r}, not a duration in seconds")
            return
        ms = round(seconds * 1_000_000_000) // 1_000_000
        self.sleeps.append(ms)
        self.now_ms += ms

    def clock(self):
        return self.now_ms

    def on_attempt(self, event):
        if not isinstance(event, roster.AttemptEvent):
            self.problems.append(f"on_attempt got {type(event).__name__}, not a roster.AttemptEvent")
        self.attempts.append(str(event))

    def token(self, force_refresh):
        self.token_requests.append({"force_refresh": force_refresh})
        if not self.tokens:
            self.problems.append(f"the token provider was asked once more than listed "
                                 f"(force_refresh={force_refresh!r})")
            raise RunnerFailure("the scenario lists no more tokens")
        return self.tokens.pop(0)

    # the host
    def read_file(self, path):
        if not isinstance(path, str):
            self.problems.append(f"read_file got {type(path).__name__}, not a path")
        if path in self.files:
            return self.files[path].encode("utf-8")
        raise FileNotFoundError(errno.ENOENT, "No such file or directory")


class SyncTransport:
    def __init__(self, world):
        self.world = world

    def send(self, request):
        return self.world.answer(request)


class AsyncTransport:
    def __init__(self, world):
        self.world = world

    async def send(self, request):
        await asyncio.sleep(0)  # a real await, as a network transport has
        return self.world.answer(request)


def _retry_of(spec):
    """The scenario's retry overrides (the core's milliseconds) in the binding's idiom."""
    if spec is None:
        return None
    seconds = {"base_backoff_ms": "base_backoff", "max_backoff_ms": "max_backoff",
               "deadline_ms": "deadline", "connect_timeout_ms": "connect_timeout",
               "attempt_timeout_ms": "attempt_timeout"}
    kwargs = {}
    for key, value in spec.items():
        if key == "max_attempts":
            kwargs["max_attempts"] = value
        elif key == "jitter_percent":
            kwargs["jitter"] = value / 100
        else:
            kwargs[seconds[key]] = value / 1000
    return roster.Retry(**kwargs)


def make_client(scenario, world, driver):
    c = scenario["client"]
    auth = c.get("auth", {})
    settings = dict(
        retry=_retry_of(c.get("retry")),
        transport=SyncTransport(world) if driver == "sync" else AsyncTransport(world),
        clock=world.clock,
        on_attempt=world.on_attempt,
        env=dict(world.env),
        read_file=world.read_file,
    )
    if "base_url" in c:
        settings["base_url"] = c["base_url"]
    if "seed" in c:
        settings["seed"] = c["seed"]
    if driver == "sync":
        settings["sleep"] = world.sleep
    else:
        async def sleep(seconds):
            world.sleep(seconds)
            await asyncio.sleep(0)

        settings["sleep"] = sleep
    if c["api"] == "voiso":
        cls = roster.Voiso if driver == "sync" else roster.AsyncVoiso
        return cls(auth.get("api_key"), **settings)
    cls = roster.Voximplant if driver == "sync" else roster.AsyncVoximplant
    if "token_provider" in auth:
        if driver == "sync":
            settings["token_provider"] = world.token
        else:
            async def provider(force_refresh):
                await asyncio.sleep(0)
                return world.token(force_refresh)

            settings["token_provider"] = provider
    return cls(auth.get("credentials"), token=auth.get("token"), **settings)


# ---- running -----------------------------------------------------------------------------------

class Ended:
    """What a `next_page` gave: ids, an error, or the end."""

    def __init__(self, ids=None, error=None):
        self.ids = ids
        self.error = error


def _ids(items, id_field):
    return [item.get(id_field) if isinstance(item, dict) else item for item in items]


def _run_sync(scenario, world):
    """(result, error, pages): what the blocking client did."""
    try:
        client = make_client(scenario, world, "sync")
    except Exception as e:  # checked against the outcome, whatever it is
        return None, e, None
    if "call" in scenario:
        call = scenario["call"]
        try:
            return client.call(call["method"], call.get("params"), retry=_retry_of(call.get("retry"))), None, None
        except Exception as e:  # checked against the outcome, whatever it is
            return None, e, None
    spec = scenario["pages"]
    out = []
    try:
        pages = client.pages(spec["method"], spec.get("params"))
    except Exception as e:  # checked against the outcome, whatever it is
        # Parameters that cannot page: the first `next` reports it, then the listing is over.
        return None, None, [Ended(error=e)] + [Ended() for _ in range(spec["next_calls"] - 1)]
    for _ in range(spec["next_calls"]):
        try:
            batch = pages.next_page()
        except Exception as e:  # checked against the outcome, whatever it is
            out.append(Ended(error=e))
            continue
        out.append(Ended() if batch is None else Ended(ids=_ids(batch, spec["id_field"])))
    return None, None, out


async def _run_async(scenario, world):
    """(result, error, pages): what the asyncio client did."""
    try:
        client = make_client(scenario, world, "async")
    except Exception as e:  # checked against the outcome, whatever it is
        return None, e, None
    if "call" in scenario:
        call = scenario["call"]
        try:
            return await client.call(call["method"], call.get("params"),
                                     retry=_retry_of(call.get("retry"))), None, None
        except Exception as e:  # checked against the outcome, whatever it is
            return None, e, None
    spec = scenario["pages"]
    out = []
    try:
        pages = client.pages(spec["method"], spec.get("params"))
    except Exception as e:  # checked against the outcome, whatever it is
        return None, None, [Ended(error=e)] + [Ended() for _ in range(spec["next_calls"] - 1)]
    for _ in range(spec["next_calls"]):
        try:
            batch = await pages.next_page()
        except Exception as e:  # checked against the outcome, whatever it is
            out.append(Ended(error=e))
            continue
        out.append(Ended() if batch is None else Ended(ids=_ids(batch, spec["id_field"])))
    return None, None, out


# ---- checks ------------------------------------------------------------------------------------

def same(a, b):
    """JSON equality that tells true from 1 and 1 from 1.0, as the Rust runner's does."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _name(error):
    return getattr(error, "error_code", type(error).__name__)


def show(v):
    return json.dumps(v, sort_keys=True, default=repr)


def check_error(want, got, at, problems):
    if not isinstance(got, roster.RosterError):
        problems.append(f"{at}: want the error {show(want)}, got {type(got).__name__}: {got}")
        return
    d = got.details
    texts = [str(got), repr(got), got.message, json.dumps(d, default=repr)]
    actual = {
        "code": got.error_code,
        "parameter": d.get("parameter"),
        "rule": d.get("rule"),
        "api_code": d.get("api_code"),
        "kind": d.get("api_kind"),
        "http_status": d.get("http_status"),
        "transport_kind": d.get("transport_kind"),
        "method": d.get("method"),
        "cause": d.get("cause"),
        # Through the public attribute: every entry of a multi-error answer.
        "errors": [e.code for e in got.errors] if isinstance(got, roster.ApiError) else None,
    }
    for key, expected in want.items():
        if key == "message_contains":
            for fragment in expected:
                if fragment not in str(got):
                    problems.append(f"{at}.message_contains: {fragment!r} is not in the message {str(got)!r}")
        elif key == "message_excludes":
            for fragment in expected:
                if any(fragment in t for t in texts):
                    problems.append(f"{at}.message_excludes: {fragment!r} appears in the error: {texts}")
        elif not same(actual[key], expected):
            problems.append(f"{at}.{key}: want {show(expected)}, got {show(actual[key])} (error: {got})")


def _params(request):
    url = urlsplit(request.url)
    pairs = parse_qsl(url.query, keep_blank_values=True)
    headers = {k.lower(): v for k, v in request.headers}
    if headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        pairs += parse_qsl(request.body.decode("utf-8"), keep_blank_values=True)
    return pairs


def _describe(request):
    return f"{request.method} {urlsplit(request.url).path} (attempt {request.attempt})"


def check_request(i, want, request, timeout, problems):
    at = f"exchanges[{i}].expect"
    headers = {}
    for k, v in request.headers:
        headers.setdefault(k.lower(), v)
    params = _params(request)

    def differ(what, expected, got):
        if not same(expected, got):
            problems.append(f"{at}.{what}: want {show(expected)}, got {show(got)} (request: {_describe(request)})")

    for key, value in want.items():
        if key == "http_method":
            differ(key, value, request.method)
        elif key == "path":
            differ(key, value, urlsplit(request.url).path)
        elif key == "attempt":
            differ(key, str(value), headers.get("x-roster-attempt"))
        elif key == "timeout_ms":
            differ(key, value, round(timeout * 1000))
        elif key == "params":
            for name, expected in value.items():
                got = [v for k, v in params if k == name]
                differ(f"params.{name}", expected, None if not got else got[0] if len(got) == 1 else got)
        elif key == "absent":
            for name in value:
                got = [v for k, v in params if k == name]
                if got:
                    differ(f"absent.{name}", None, got[0])
        elif key == "headers":
            for name, expected in value.items():
                differ(f"headers.{name}", expected, headers.get(name.lower()))
        elif key == "header_prefixes":
            for name, prefix in value.items():
                got = headers.get(name.lower())
                if got is None or not got.startswith(prefix):
                    differ(f"header_prefixes.{name}", prefix + "...", got)


def check_list(what, want, got, problems):
    if want != got:
        problems.append(f"{what} differ:\n      want: {show(want)}\n      got:  {show(got)}")


def run(scenario, driver):
    """Runs one scenario through one driver; returns every disagreement with it."""
    world = World(scenario)
    if driver == "sync":
        result, error, pages = _run_sync(scenario, world)
    else:
        result, error, pages = asyncio.run(_run_async(scenario, world))
    problems = list(world.problems)
    outcome = scenario["outcome"]
    if pages is None:
        if error is not None:
            if "error" in outcome:
                check_error(outcome["error"], error, "outcome.error", problems)
            else:
                problems.append(f"outcome: want {show(outcome)}, got the error {_name(error)} ({error})")
        elif "result" in outcome:
            if not same(result, outcome["result"]):
                problems.append(f"outcome.result: want {show(outcome['result'])}, got {show(result)}")
        else:
            problems.append(f"outcome: want an error, got the result {show(result)}")
    else:
        want = outcome.get("pages")
        if want is None:
            problems.append(f"outcome: want {show(outcome)}, but the pager was made and asked")
            want = []
        if len(want) != len(pages):
            problems.append(f"outcome.pages: {len(want)} entries for {len(pages)} next calls")
        for i, (w, g) in enumerate(zip(want, pages)):
            at = f"outcome.pages[{i}]"
            if "ids" in w and g.ids is not None:
                if not same(w["ids"], g.ids):
                    problems.append(f"{at}.ids: want {show(w['ids'])}, got {show(g.ids)}")
            elif "error" in w and g.error is not None:
                check_error(w["error"], g.error, f"{at}.error", problems)
            elif "end" in w and g.ids is None and g.error is None:
                pass
            else:
                got = (f"ids {show(g.ids)}" if g.ids is not None else
                       f"the error {_name(g.error)} ({g.error})" if g.error is not None else "the end")
                problems.append(f"{at}: want {show(w)}, got {got}")

    for i, (x, (request, timeout)) in enumerate(zip(scenario["exchanges"], world.sent)):
        check_request(i, x["expect"], request, timeout, problems)
    sent, scripted = len(world.sent), len(scenario["exchanges"])
    for request, _ in world.sent[scripted:]:
        problems.append(f"a request after the last exchange: {_describe(request)}")
    if sent < scripted:
        problems.append(f"{scripted - sent} of {scripted} exchanges left unused (the binding sent {sent} requests)")
    if "token_requests" in scenario:
        check_list("token_requests", scenario["token_requests"], world.token_requests, problems)
    elif world.token_requests:
        problems.append(f"the token provider was asked {len(world.token_requests)} times, "
                        "but the scenario lists no token_requests")
    if "sleeps_ms" in scenario:
        check_list("sleeps_ms", scenario["sleeps_ms"], world.sleeps, problems)
    if "attempts" in scenario:
        check_list("attempts", scenario["attempts"], world.attempts, problems)
    return problems


_FILES = _files()


@pytest.mark.parametrize("path", _FILES, ids=[p.name for p in _FILES])
@pytest.mark.parametrize("driver", DRIVERS)
def test_scenario(driver, path):
    try:
        scenario = load(path)
    except CannotRun as e:
        pytest.fail(f"{path.name}: cannot run: {e}", pytrace=False)
    problems = run(scenario, driver)
    RAN.add((driver, path.name))
    if problems:
        pytest.fail(f"{path.name} ({scenario['name']}), {driver} driver:\n  - " + "\n  - ".join(problems),
                    pytrace=False)


def test_every_scenario_ran_through_each_driver():
    """Runs last (pytest keeps the order of a file): every file there now ran through both
    drivers, the directory holds at least the expected number, and the files are well named."""
    names = [p.name for p in _files()]
    assert len(names) >= EXPECTED_AT_LEAST, (
        f"only {len(names)} scenario files in {SCENARIOS}; at least {EXPECTED_AT_LEAST} are expected")
    badly_named = [n for n in names if not re.fullmatch(r"\d\d-[a-z0-9][a-z0-9-]*\.json", n)]
    assert not badly_named, f"not named NN-short-name.json: {badly_named}"
    titles = {}
    for p in _files():
        title = json.loads(p.read_text(encoding="utf-8")).get("name")
        assert title not in titles, f"{p.name} and {titles[title]} share the name {title!r}"
        titles[title] = p.name
    for driver in DRIVERS:
        ran = sorted(n for d, n in RAN if d == driver)
        missing = sorted(set(names) - set(ran))
        assert not missing, f"{driver} driver: {len(missing)} of {len(names)} scenario files did not run: {missing}"
    print(f"scenarios: {len(names)} files, each run through {len(DRIVERS)} drivers")
