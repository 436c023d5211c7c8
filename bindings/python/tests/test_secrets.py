"""No secret reaches str() or repr() of anything the binding hands out."""

import json
import pathlib

import pytest

import roster

FIXTURES = pathlib.Path(__file__).resolve().parents[3] / "tests" / "fixtures"
PASSWORD = "S3cure!pass-Zq9"
TOKEN = "tok-very-secret-123"


def leaks(text, secrets):
    return [s for s in secrets if s in text]


def key_lines():
    creds = json.loads((FIXTURES / "credentials.json").read_text())
    return [line for line in creds["private_key"].splitlines() if len(line) > 20][:3]


def test_requests_clients_and_sessions():
    vox = roster.Voximplant(token=TOKEN)
    request = vox.prepare("AddUser", {"user_name": "jdoe", "user_display_name": "J",
                                      "user_password": PASSWORD, "application_id": 1})
    assert PASSWORD.encode().replace(b"!", b"%21") in request.body  # the transport gets the real value
    for text in (repr(request), str(request), request.to_curl(), repr(vox), repr(vox._session),
                 repr(vox.users)):
        assert leaks(text, [PASSWORD, TOKEN]) == []
        assert leaks(text, ["S3cure%21pass"]) == []


def test_service_account_key_never_shows():
    vox = roster.Voximplant(str(FIXTURES / "credentials.json"))
    request = vox.prepare("GetUsers", {"application_id": 1})
    texts = [repr(vox), repr(vox._session), repr(request), request.to_curl()]
    for text in texts:
        assert leaks(text, key_lines()) == []
        assert "Bearer ey" not in text


def test_voiso_key_never_shows():
    voiso = roster.Voiso("voiso-secret-key-777", base_url="https://cluster1.voiso.com")
    request = voiso.prepare("ListUsers", {})
    for text in (repr(voiso), repr(voiso._session), repr(request), request.to_curl()):
        assert "voiso-secret-key-777" not in text


@pytest.mark.parametrize("params", [
    {"user_name": "jdoe", "user_display_name": "J", "user_password": "short", "application_id": 1},
    {"user_name": "jdoe", "user_display_name": "J", "user_password": "has spaces In1!", "application_id": 1},
])
def test_validation_errors_do_not_echo_passwords(params):
    with pytest.raises(roster.ValidationError) as bad:
        roster.Voximplant(token=TOKEN).prepare("AddUser", params)
    error = bad.value
    assert error.parameter == "user_password"
    for text in (str(error), repr(error), json.dumps(error.details)):
        assert params["user_password"] not in text and TOKEN not in text


def test_outcome_unknown_carries_a_redacted_request():
    class Lost:
        def send(self, request):
            raise roster.TransportFailure("interrupted", "connection reset")

    vox = roster.Voximplant(token=TOKEN, transport=Lost())
    with pytest.raises(roster.OutcomeUnknownError) as unknown:
        vox.users.transfer_money_to_user(user_id=[1], amount="2", user_transaction_description=PASSWORD)
    error = unknown.value
    assert "TransferMoneyToUser" in error.request
    for text in (str(error), repr(error), error.request, json.dumps(error.details)):
        assert TOKEN not in text


def test_bad_credentials_do_not_echo_the_key():
    creds = json.loads((FIXTURES / "credentials.json").read_text())
    lines = creds["private_key"].splitlines()
    creds["private_key"] = "\n".join(lines[:1] + lines[2:])  # one line of the key missing
    with pytest.raises(roster.ConfigError) as bad:
        roster.Voximplant(creds)
    assert "`credentials` argument" in str(bad.value)
    for text in (str(bad.value), repr(bad.value), json.dumps(bad.value.details)):
        assert leaks(text, key_lines()) == []
