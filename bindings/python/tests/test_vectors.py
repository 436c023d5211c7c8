"""The shared conformance vectors (tests/vectors), run through the binding: parameters in, the
exact request out (a dry run); an answer in, the typed result or the typed error out."""

import json
import pathlib
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest

import roster
from roster import _api

VECTORS = pathlib.Path(__file__).resolve().parents[3] / "tests" / "vectors"
NOW = 1_700_000_000


def _cases(section):
    # Parameters keep a JSON number's exact text (Decimal): a binary float is refused for money.
    parse_float = float if section == "responses" else Decimal
    for path in sorted(VECTORS.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=parse_float)
        for case in data.get(section, []):
            yield pytest.param(data["api"], data["method"], case, id=f"{data['method']}: {case['name']}")


def _session(api):
    if api == "voximplant":
        return roster.Voximplant(token="test-token")
    return roster.Voiso("test-voiso-key", base_url="https://cluster1.voiso.com")


def test_the_vectors_are_there():
    assert len(list(_cases("requests"))) > 20
    assert len(list(_cases("responses"))) > 20


@pytest.mark.parametrize("api,method,case", list(_cases("requests")))
def test_request(api, method, case):
    request = _session(api).prepare(method, case["params"], now=NOW)
    expect = case["expect"]
    url = urlsplit(request.url)
    assert request.method == expect["http_method"]
    assert url.path == expect["path"]
    headers = {k.lower(): v for k, v in request.headers}
    for name, value in expect["headers"].items():
        assert headers.get(name.lower()) == value, name
    assert dict(parse_qsl(url.query, keep_blank_values=True)) == expect["query"]
    if headers.get("content-type") == "application/x-www-form-urlencoded":
        body = dict(parse_qsl(request.body.decode(), keep_blank_values=True))
    else:
        body = {}
    assert body == expect["body"]


@pytest.mark.parametrize("api,method,case", list(_cases("invalid")))
def test_invalid(api, method, case):
    with pytest.raises(roster.RosterError) as caught:
        _session(api).prepare(method, case["params"], now=NOW)
    _check_error(caught.value, case["error"])


@pytest.mark.parametrize("api,method,case", list(_cases("responses")))
def test_response(api, method, case):
    session = _session(api)._session
    body = case["body"].encode()
    if "error" in case:
        with pytest.raises(roster.RosterError) as caught:
            session.parse(method, case["status"], [], body)
        _check_error(caught.value, case["error"])
        return
    result = session.parse(method, case["status"], [], body)
    assert result == case["result"]
    _check_typed(method, result)


def _check_error(error, expected):
    assert error.error_code == expected["code"]
    if expected["code"] == "validation":
        assert isinstance(error, roster.ValidationError)
    if "parameter" in expected:
        assert error.parameter == expected["parameter"]
    if "rule" in expected:
        assert error.rule == expected["rule"]
    if "api_code" in expected:
        assert isinstance(error, roster.ApiError)
        assert error.code == expected["api_code"]
    if "kind" in expected:
        assert error.kind == expected["kind"]
        if expected["kind"] in _KIND_CLASS:
            assert isinstance(error, _KIND_CLASS[expected["kind"]])
    if "field_name" in expected:
        assert error.field_name == expected["field_name"]
    if "http_status" in expected:
        assert error.details.get("http_status") == expected["http_status"]
    if "status" in expected:
        assert isinstance(error, roster.HttpStatusError)
        assert error.status == expected["status"]
    # `error_count` (entries of Voximplant's `errors` list) is not part of the core's
    # ErrorDetails record, so no binding exposes it.


_KIND_CLASS = {
    "auth": roster.AuthError,
    "forbidden": roster.PermissionDeniedError,
    "not_found": roster.NotFoundError,
    "conflict": roster.ConflictError,
    "rate_limited": roster.RateLimitError,
}


def _check_typed(method, raw):
    """The generated result class reads the same answer: money as Decimal, datetimes UTC-aware,
    everything else as sent."""
    if "items" in raw:
        item_class = _LIST_ITEM[method]
        page = item_class._page(raw)
        assert len(page) == len(raw["items"])
        for typed, plain in zip(page, raw["items"]):
            _check_fields(typed, plain)
    else:
        _check_fields(getattr(_api, f"{method}Result")(raw), raw)


def _check_fields(typed, plain):
    for name, value in plain.items():
        if name not in type(typed)._fields:
            assert typed.extra[name] == value
            continue
        got = getattr(typed, name)
        if value is None:
            assert got is None
        elif isinstance(got, Decimal):
            assert got == Decimal(value)
        elif hasattr(got, "tzinfo") and hasattr(got, "hour"):
            assert got.utcoffset().total_seconds() == 0
            assert got.strftime("%Y-%m-%dT%H:%M:%SZ") == value
        elif isinstance(got, list) and got and isinstance(got[0], roster.Result):
            for t, p in zip(got, value):
                _check_fields(t, p)
        elif isinstance(got, roster.Result):
            _check_fields(got, value)
        else:
            assert got == value, name


_LIST_ITEM = {
    "GetUsers": roster.User,
    "GetSkills": roster.Skill,
    "GetQueues": roster.Queue,
    "GetApplications": roster.Application,
    "ListUsers": roster.VoisoUser,
}
