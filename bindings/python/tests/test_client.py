"""The client without a network: a scripted transport stands in for the server."""

import datetime as dt
from decimal import Decimal
from urllib.parse import parse_qsl

import pytest

import roster

FAST = roster.Retry(base_backoff=0.001, max_backoff=0.002)
OK_USERS = b'{"result":[{"user_id":3,"user_name":"ann","balance":"12.30","created":"2024-04-20 09:15:42"}],"total_count":1,"count":1}'


class Scripted:
    """Answers from a script: a (status, body) pair, or a TransportFailure to raise."""

    def __init__(self, *script):
        self.script = list(script)
        self.sent = []

    def send(self, request):
        self.sent.append(request)
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        status, body = step
        return roster.Response(status, [("content-type", "application/json")], body)

    def form(self, i=-1):
        return dict(parse_qsl(self.sent[i].body.decode()))


def client(*script, **settings):
    transport = Scripted(*script)
    return roster.Voximplant(token="t0ken", transport=transport, retry=FAST, seed=1, **settings), transport


def test_keyword_arguments_become_wire_parameters():
    vox, t = client((200, b'{"result":1}'), (200, b'{"result":1,"balance":"1.10"}'))
    vox.users.del_user(user_id="all")
    assert t.form() == {"user_id": "all"}
    done = vox.users.transfer_money_to_user(user_id=(4, 5), amount=Decimal("1.10"), currency="USD")
    assert t.form() == {"user_id": "4;5", "amount": "1.10", "currency": "USD"}
    assert done.balance == Decimal("1.10")


def test_enums_lists_and_booleans():
    vox, t = client((200, OK_USERS))
    vox.users.get_users(application_id=1, acd_status=["READY", "IN_SERVICE"], with_skills=True)
    assert t.form() == {"application_id": "1", "acd_status": "READY;IN_SERVICE", "with_skills": "true"}


def test_typed_results():
    vox, _ = client((200, OK_USERS))
    user = vox.users.get_users(application_id=1)[0]
    assert user.balance == Decimal("12.30")
    assert user.created == dt.datetime(2024, 4, 20, 9, 15, 42, tzinfo=dt.timezone.utc)
    assert user.to_dict() == {"user_id": 3, "user_name": "ann", "balance": Decimal("12.30"),
                              "created": user.created}
    assert user.skills is None
    with pytest.raises(AttributeError):
        user.user_id = 4


def test_unknown_fields_are_kept():
    vox, _ = client((200, b'{"result":1,"user_id":9,"shard":"eu-2"}'))
    created = vox.users.add_user(user_name="jdoe", user_display_name="J", user_password="S3cure!pass",
                                 application_id=1)
    assert created.user_id == 9 and created.extra == {"shard": "eu-2"}


def test_a_refused_connection_is_retried_even_for_a_write():
    vox, t = client(roster.TransportFailure("not_sent", "refused"), (200, b'{"result":1,"user_id":2}'))
    created = vox.users.add_user(user_name="jdoe", user_display_name="J", user_password="S3cure!pass",
                                 application_id=1)
    assert created.user_id == 2
    assert [r.attempt for r in t.sent] == [1, 2]
    assert [dict(r.headers)["x-roster-attempt"] for r in t.sent] == ["1", "2"]


def test_an_ambiguous_failure_of_a_create_is_looked_up():
    vox, t = client(roster.TransportFailure("timed_out", "slow"),
                    (200, b'{"result":[{"user_id":77,"user_name":"jdoe"}],"total_count":1,"count":1}'))
    created = vox.users.add_user(user_name="jdoe", user_display_name="J", user_password="S3cure!pass",
                                 application_id=1)
    assert created.user_id == 77
    assert [r.api_method for r in t.sent] == ["AddUser", "GetUsers"]
    assert t.sent[1].purpose == "lookup"


def test_an_unrepeatable_write_is_not_resent():
    vox, t = client(roster.TransportFailure("interrupted", "reset"))
    with pytest.raises(roster.OutcomeUnknownError) as unknown:
        vox.users.transfer_money_to_user(user_id=[1], amount="5")
    assert len(t.sent) == 1
    assert unknown.value.cause == "transport"


def test_auto_paging_follows_the_pager():
    page1 = b'{"result":[{"user_id":1},{"user_id":2}],"total_count":3,"count":2}'
    page2 = b'{"result":[{"user_id":2},{"user_id":3}],"total_count":3,"count":2}'
    vox, t = client((200, page1), (200, page2))
    assert [u.user_id for u in vox.users.iter_users(application_id=1, count=2)] == [1, 2, 3]
    assert len(t.sent) == 2


def test_errors_map_to_classes():
    vox, _ = client((200, b'{"error":{"code":104,"msg":"forbidden"}}'))
    with pytest.raises(roster.PermissionDeniedError) as denied:
        vox.skills.get_skills()
    assert (denied.value.code, denied.value.kind, denied.value.error_code) == (104, "forbidden", "api")
    assert isinstance(denied.value, roster.ApiError) and isinstance(denied.value, roster.RosterError)


def test_bad_settings_and_credentials_are_typed():
    # The core's resolver names the source of every bad setting: a config error.
    with pytest.raises(roster.ConfigError, match="`credentials` argument"):
        roster.Voximplant({"account_id": 1, "key_id": "k", "private_key": "not a key"})
    with pytest.raises(roster.ConfigError, match="No such file or directory"):
        roster.Voximplant("/nonexistent/credentials.json")
    with pytest.raises(roster.ConfigError, match="`base_url` argument"):
        roster.Voximplant(token="t", base_url="not a url")


def test_the_default_transport_reports_a_refused_connection_as_not_sent():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    vox = roster.Voximplant(token="t", base_url=f"http://127.0.0.1:{port}", retry=roster.Retry(max_attempts=1))
    with pytest.raises(roster.TransportError) as failed:
        vox.users.get_users(application_id=1)
    assert failed.value.transport_kind == "not_sent"


def test_every_entry_of_a_multi_error_answer_is_exposed():
    body = (b'{"error":{"code":122,"msg":"Invalid user_name","field_name":"user_name"},'
            b'"errors":[{"code":122,"msg":"Invalid user_name","field_name":"user_name"},'
            b'{"code":463,"msg":"Password is too short"}]}')
    vox, _ = client((200, body))
    with pytest.raises(roster.ApiError) as failed:
        vox.users.add_user(user_name="jdoe", user_display_name="J", user_password="S3cure!pass",
                           application_id=1)
    assert failed.value.code == 122
    assert failed.value.errors == [roster.ApiErrorEntry(122, "Invalid user_name", "user_name"),
                                   roster.ApiErrorEntry(463, "Password is too short")]
    assert failed.value.errors[1].field_name is None
    vox, _ = client((200, b'{"error":{"code":104,"msg":"forbidden"}}'))
    with pytest.raises(roster.ApiError) as single:
        vox.skills.get_skills()
    assert single.value.errors == [roster.ApiErrorEntry(104, "forbidden")]  # the one entry


@pytest.mark.parametrize("params,parameter", [
    ({"user_display_name": "a\udcffb"}, "user_display_name"),
    ({"user_password": "S3cure!\udcffpass"}, "user_password"),
])
def test_a_lone_surrogate_is_a_validation_error_naming_the_parameter(params, parameter):
    vox, t = client()
    full = {"user_name": "jdoe", "user_display_name": "J", "user_password": "S3cure!pass",
            "application_id": 1, **params}
    for attempt in (lambda: vox.prepare("AddUser", full), lambda: vox.call("AddUser", full),
                    lambda: vox.users.add_user(**full)):
        with pytest.raises(roster.ValidationError) as bad:
            attempt()
        assert (bad.value.parameter, bad.value.rule) == (parameter, "type")
        assert "\udcff" not in str(bad.value) and "S3cure" not in str(bad.value)
        assert not isinstance(bad.value, UnicodeError)
    assert t.sent == []


def test_a_lone_surrogate_in_a_list_or_a_name_is_typed_too():
    vox, _ = client()
    with pytest.raises(roster.ValidationError) as bad:
        vox.prepare("GetUsers", {"application_id": 1, "user_name": ["ok", "b\udcff"]})
    assert bad.value.parameter == "user_name"
    with pytest.raises(roster.ValidationError) as bad:
        vox.prepare("GetUsers", {"application_id": 1, "x\udcff": 1})
    assert bad.value.parameter == "(parameters)"
    with pytest.raises(roster.UnknownMethodError):
        vox.call("Get\udcffUsers", {"application_id": 1})


def test_pages_a_page_at_a_time_by_the_cores_rules():
    page1 = b'{"result":[{"skill_id":1},{"skill_id":2}],"total_count":5,"count":2}'
    dupes = b'{"result":[{"skill_id":1},{"skill_id":2}],"total_count":5,"count":2}'
    page3 = b'{"result":[{"skill_id":2},{"skill_id":3}],"total_count":3,"count":2}'
    vox, t = client((200, page1), (502, b"bad gateway"), (502, b"bad gateway"), (502, b"bad gateway"),
                    (502, b"bad gateway"), (200, dupes), (200, page3))
    pages = vox.pages("GetSkills", {"count": 2})
    assert [s["skill_id"] for s in pages.next_page()] == [1, 2]
    with pytest.raises(roster.HttpStatusError):
        pages.next_page()  # four attempts, then the error; the place is kept
    # The same page again: one of duplicates (nothing new, skipped within this call), then more.
    assert [s["skill_id"] for s in pages.next_page()] == [3]
    assert pages.next_page() is None
    assert pages.next_page() is None
    offsets = [dict(parse_qsl(r.body.decode()))["offset"] for r in t.sent]
    assert offsets == ["0", "1", "1", "1", "1", "1", "2"]
