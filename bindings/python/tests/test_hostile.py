"""The shared bad-input table (tests/hostile/cases.json, format in its README) through the
Python binding: every case whose `where` names `python` must be refused before anything is sent,
with a `roster.ValidationError` (code `validation`) naming the table's parameter and rule.

Each case runs four ways: `prepare` and `call` by name on the blocking client and on the asyncio
client, each client with a transport that fails the test if `send` is ever called. Values a JSON
document cannot hold (`{"$host": ...}`) are built here as Python holds them: NaN and infinities
as `float`, `float_sum` as the binary float `a + b`, `lone_surrogate` as a `str` with an unpaired
surrogate. The last tests hold the Python-only cases the table cannot express (floats for money
and text, values the conversion cannot send, falsy non-mappings as parameters).
"""

import json
import pathlib
from decimal import Decimal
from urllib.parse import parse_qsl

import pytest

import roster

CASES = pathlib.Path(__file__).resolve().parents[3] / "tests" / "hostile" / "cases.json"
TABLE = json.loads(CASES.read_text(encoding="utf-8"))["cases"]
EVERY_BINDING = ("rust", "python", "js", "kotlin", "cli")


def applies(case):
    return "python" in case.get("where", EVERY_BINDING)


APPLY = [case for case in TABLE if applies(case)]


def host_value(value):
    """A table value as Python holds it: `{"$host": KIND, ...}` built, the rest as read."""
    if isinstance(value, dict):
        kind = value.get("$host")
        if kind is None:
            return {k: host_value(v) for k, v in value.items()}
        if kind == "nan":
            return float("nan")
        if kind == "infinity":
            return float("inf")
        if kind == "-infinity":
            return float("-inf")
        if kind == "float_sum":
            return float(value["a"]) + float(value["b"])
        if kind == "lone_surrogate":
            lone = "\ud800" if value.get("high") else "\udcff"
            return value["before"] + lone + value["after"]
        # A kind this runner cannot build is a failure, not a skip.
        raise AssertionError(f"the runner cannot build $host value {kind!r}")
    if isinstance(value, list):
        return [host_value(v) for v in value]
    return value


class NothingSent:
    """Fails the test if anything is sent: every case must be refused before the wire."""

    def __init__(self):
        self.sent = []

    def send(self, request):
        self.sent.append(repr(request))
        raise AssertionError(f"a refused call sent {request!r}")


class AsyncNothingSent(NothingSent):
    async def send(self, request):
        NothingSent.send(self, request)


def clients(transport):
    return {
        "voximplant": roster.Voximplant(token="t0ken", transport=transport),
        "voiso": roster.Voiso("k3y", base_url="https://cluster1.voiso.com", transport=transport),
    }


def async_clients(transport):
    return {
        "voximplant": roster.AsyncVoximplant(token="t0ken", transport=transport),
        "voiso": roster.AsyncVoiso("k3y", base_url="https://cluster1.voiso.com", transport=transport),
    }


def mismatch(case, how, outcome):
    """None when `outcome` (an exception, or a value when accepted) is the table's error."""
    want = case["error"]
    if not isinstance(outcome, BaseException):
        return f"{case['name']}: {how} was accepted"
    if not isinstance(outcome, roster.ValidationError):
        return f"{case['name']}: {how} raised {type(outcome).__name__}: {outcome}"
    got = {"code": outcome.error_code, "parameter": outcome.parameter, "rule": outcome.rule}
    if any(got[k] != want[k] for k in ("code", "parameter", "rule") if k in want):
        return f"{case['name']}: {how} want {want}, got {got} ({outcome})"
    return None


def test_the_table_is_there():
    assert len(TABLE) >= 80 and len(APPLY) >= 80
    assert all(case["error"]["code"] == "validation" for case in TABLE)
    # The Python-only cases are in the table and apply here.
    assert any(isinstance(v, dict) and "$host" in v
               for case in APPLY if isinstance(case["params"], dict)
               for v in case["params"].values())


def test_every_bad_input_is_refused_by_the_blocking_client():
    transport = NothingSent()
    by_api = clients(transport)
    failures, ran = [], 0
    for case in APPLY:
        ran += 1
        client = by_api[case["api"]]
        for how in ("prepare", "call"):
            params = host_value(case["params"])
            try:
                outcome = getattr(client, how)(case["method"], params)
            except Exception as e:  # noqa: BLE001  (any exception is checked against the table)
                outcome = e
            problem = mismatch(case, f"blocking {how}", outcome)
            if problem:
                failures.append(problem)
    assert transport.sent == []
    assert ran == len(APPLY), f"ran {ran} of the {len(APPLY)} cases that apply to Python"
    assert not failures, f"{len(failures)} of {ran} cases failed:\n" + "\n".join(failures)
    print(f"hostile table (blocking): {ran} cases refused with the right parameter and rule, "
          "nothing sent")


async def test_every_bad_input_is_refused_by_the_asyncio_client():
    transport = AsyncNothingSent()
    by_api = async_clients(transport)
    failures, ran = [], 0
    for case in APPLY:
        ran += 1
        client = by_api[case["api"]]
        params = host_value(case["params"])
        try:
            outcome = client.prepare(case["method"], params)
        except Exception as e:  # noqa: BLE001
            outcome = e
        failures.append(mismatch(case, "asyncio prepare", outcome))
        params = host_value(case["params"])
        try:
            outcome = await client.call(case["method"], params)
        except Exception as e:  # noqa: BLE001
            outcome = e
        failures.append(mismatch(case, "asyncio call", outcome))
    failures = [f for f in failures if f]
    assert transport.sent == []
    assert ran == len(APPLY), f"ran {ran} of the {len(APPLY)} cases that apply to Python"
    assert not failures, f"{len(failures)} of {ran} cases failed:\n" + "\n".join(failures)
    print(f"hostile table (asyncio): {ran} cases refused with the right parameter and rule, "
          "nothing sent")


def test_the_runner_notices_an_accepted_case():
    """The checks above would fail on an accepted case, a wrong parameter or rule, or another
    exception: proved on values that are fine or wrong in another way."""
    vox = roster.Voximplant(token="t0ken", transport=NothingSent())
    case = {"name": "x", "error": {"code": "validation", "parameter": "count", "rule": "type"}}
    assert mismatch(case, "prepare", vox.prepare("GetUsers", {"application_id": 1, "count": 5}))
    with pytest.raises(roster.ValidationError) as wrong_rule:
        vox.prepare("GetUsers", {"application_id": 1, "count": 0})
    assert mismatch(case, "prepare", wrong_rule.value)
    assert mismatch(case, "prepare", ValueError("count"))
    with pytest.raises(AssertionError):
        vox.call("GetUsers", {"application_id": 1})


# Python-only: what the table cannot say in JSON.

MONEY_FLOATS = [0.1 + 0.2, 10.5, 1.0, 0.75, -0.5, 100.0, 1e-300, float("nan")]


@pytest.mark.parametrize("amount", MONEY_FLOATS, ids=repr)
def test_a_float_for_money_is_refused_whatever_its_value(amount):
    vox = roster.Voximplant(token="t0ken", transport=NothingSent())
    for call in (
        lambda: vox.prepare("TransferMoneyToUser", {"user_id": [1], "amount": amount}),
        lambda: vox.call("TransferMoneyToUser", {"user_id": [1], "amount": amount}),
        lambda: vox.users.transfer_money_to_user(user_id=[1], amount=amount),
    ):
        with pytest.raises(roster.ValidationError) as refused:
            call()
        assert (refused.value.parameter, refused.value.rule) == ("amount", "type")
        assert "decimal.Decimal" in str(refused.value) and "str" in str(refused.value)
    for value in (0.75, 1.0, 0.5):
        with pytest.raises(roster.ValidationError) as refused:
            vox.queues.add_queue(application_id=1, acd_queue_name="q", service_probability=value)
        assert (refused.value.parameter, refused.value.rule) == ("service_probability", "type")


@pytest.mark.parametrize("amount,wire", [
    (Decimal("10.50"), "10.50"), ("10.50", "10.50"), (10, "10"), (-3, "-3"),
    (Decimal("0.30"), "0.30"),
])
def test_money_as_decimal_str_or_int_is_sent_exactly(amount, wire):
    vox = roster.Voximplant(token="t0ken")
    request = vox.prepare("TransferMoneyToUser", {"user_id": [1], "amount": amount})
    assert dict(parse_qsl(request.body.decode()))["amount"] == wire


@pytest.mark.parametrize("method,params,parameter", [
    # A float was written as its repr and sent as text: "1.5" became a display name.
    ("AddUser", {"user_name": "jdoe", "user_display_name": 1.5, "user_password": "S3cure!pass",
                 "application_id": 1}, "user_display_name"),
    ("AddSkill", {"skill_name": 2.0}, "skill_name"),
    ("GetUsers", {"application_id": 1, "order_by": 3.0}, "order_by"),
    ("GetUsers", {"application_id": 1, "with_skills": 1.0}, "with_skills"),
    ("GetUsers", {"application_id": 1.0}, "application_id"),
    ("GetUsers", {"application_id": 1, "skill_id": [1.0]}, "skill_id"),
    ("GetUsers", {"application_id": 1, "count": float("-inf")}, "count"),
    ("TransferMoneyToUser", {"user_id": [1], "amount": Decimal("NaN")}, "amount"),
    ("TransferMoneyToUser", {"user_id": [1], "amount": Decimal("-Infinity")}, "amount"),
    ("AddSkill", {"skill_name": b"bytes"}, "skill_name"),
    ("AddSkill", {"skill_name": object()}, "skill_name"),
    ("GetUsers", float("nan"), "(parameters)"),
    ("GetUsers", [], "(parameters)"),
    ("GetUsers", "", "(parameters)"),
    ("GetUsers", 0, "(parameters)"),
])
def test_values_python_holds_and_json_cannot_are_typed_refusals(method, params, parameter):
    transport = NothingSent()
    vox = roster.Voximplant(token="t0ken", transport=transport)
    for how in ("prepare", "call", "pages") if method == "GetUsers" else ("prepare", "call"):
        with pytest.raises(roster.ValidationError) as refused:
            result = getattr(vox, how)(method, params)
            if how == "pages":
                result.next_page()
        assert (refused.value.parameter, refused.value.rule) == (parameter, "type"), how
    assert transport.sent == []


async def test_the_asyncio_client_refuses_floats_for_money():
    vox = roster.AsyncVoximplant(token="t0ken", transport=AsyncNothingSent())
    with pytest.raises(roster.ValidationError) as refused:
        await vox.users.transfer_money_to_user(user_id=[1], amount=0.1 + 0.2)
    assert (refused.value.parameter, refused.value.rule) == ("amount", "type")
    with pytest.raises(roster.ValidationError) as refused:
        await vox.call("AddQueue", {"application_id": 1, "acd_queue_name": "q",
                                    "service_probability": 0.9})
    assert (refused.value.parameter, refused.value.rule) == ("service_probability", "type")
