"""Scenarios against the emulator over HTTPS with its own CA, through the blocking client and
its standard-library transport."""

import datetime as dt
import json
from decimal import Decimal

import pytest

import roster

FAST = roster.Retry(base_backoff=0.01, max_backoff=0.05)


@pytest.fixture
def vox(emulator):
    with roster.Voximplant(emulator.credentials, base_url=emulator.base_url,
                           ca_file=emulator.ca_file, retry=FAST, seed=7) as client:
        yield client


def test_onboarding_with_typed_results(vox, emulator):
    app = vox.applications.add_application(application_name="support")
    assert app.result == 1 and app.application_id > 0
    skill = vox.skills.add_skill(skill_name="billing")
    queue = vox.queues.add_queue(acd_queue_name="tier1", application_id=app.application_id,
                                 service_probability=Decimal("0.75"))
    created = vox.users.add_user(user_name="jdoe", user_display_name="John Doe",
                                 user_password="S3cure!pass", application_id=app.application_id)
    vox.skills.bind_skill(skill_id=[skill.skill_id], user_id=[created.user_id],
                          application_id=app.application_id)
    vox.queues.bind_user_to_queue(application_id=app.application_id, user_id=[created.user_id],
                                  acd_queue_id=[queue.acd_queue_id])
    page = vox.users.get_users(application_id=app.application_id, with_skills=True, with_queues=True)
    assert page.total_count == 1
    user = page.items[0]
    assert (user.user_id, user.user_name, user.user_display_name) == (created.user_id, "jdoe", "John Doe")
    assert [s.skill_name for s in user.skills] == ["billing"]
    assert [q.acd_queue_id for q in user.acd_queues] == [queue.acd_queue_id]
    assert isinstance(user.balance, Decimal)
    assert isinstance(user.created, dt.datetime) and user.created.utcoffset() == dt.timedelta(0)
    as_dict = user.to_dict()
    assert as_dict["skills"] == [{"skill_id": skill.skill_id, "skill_name": "billing"}]
    queues = vox.queues.get_queues(application_id=app.application_id)
    assert queues.items[0].service_probability == Decimal("0.75")


def test_auto_paging_yields_every_user_once(vox):
    for i in range(23):
        vox.users.add_user(user_name=f"pager-{i:02d}", user_display_name=f"P {i}",
                           user_password="S3cure!pass", application_name="sales")
    names = [u.user_name for u in vox.users.iter_users(application_name="sales", count=5)]
    assert len(names) == 24 and len(set(names)) == 24  # the fixture's rep-cyd and the 23 added
    assert {f"pager-{i:02d}" for i in range(23)} <= set(names)


def test_api_errors_are_typed(vox):
    with pytest.raises(roster.ConflictError) as dup:
        vox.users.add_user(user_name="agent-ann", user_display_name="Ann again",
                           user_password="S3cure!pass", application_id=1)
    assert dup.value.code == 118 and dup.value.error_code == "api"
    with pytest.raises(roster.NotFoundError) as missing:
        vox.users.set_user_info(user_id=987654, user_display_name="Nobody")
    assert missing.value.code == 117


def test_validation_fails_before_anything_is_sent(vox, emulator):
    with pytest.raises(roster.ValidationError) as bad:
        vox.users.add_user(user_name="Bad Name", user_display_name="x",
                           user_password="S3cure!pass", application_id=1)
    assert (bad.value.parameter, bad.value.rule) == ("user_name", "pattern")
    with pytest.raises(roster.ValidationError) as both:
        vox.users.add_user(user_name="okname", user_display_name="x", user_password="S3cure!pass",
                           application_id=1, application_name="demo")
    assert both.value.rule == "exactly_one"
    assert emulator.requests("AddUser") == []


def test_money_is_exact(vox):
    user = vox.users.get_users(user_name="agent-ann", application_id=1).items[0]
    before = user.balance
    done = vox.users.transfer_money_to_user(user_id=[user.user_id], amount=Decimal("0.10"),
                                            currency="USD")
    assert isinstance(done.balance, Decimal)
    after = vox.users.get_users(user_name="agent-ann", application_id=1).items[0].balance
    assert after - before == Decimal("0.10")


def test_call_by_name_returns_the_json_form(vox):
    answer = vox.call("get_users", {"application_id": 1, "user_name": "agent-ann"})
    assert answer["items"][0]["user_name"] == "agent-ann"
    assert isinstance(answer["items"][0]["balance"], str)
    with pytest.raises(roster.UnknownMethodError):
        vox.call("GetUserz", {})


def test_keep_alive_reuses_one_connection(vox):
    vox.users.get_users(application_id=1)
    (first,) = vox.transport._idle.values()
    conn = first[0]
    for _ in range(3):
        vox.users.get_users(application_id=1)
    (idle,) = vox.transport._idle.values()
    assert idle == [conn]


def test_tls_is_verified(emulator):
    client = roster.Voximplant(emulator.credentials, base_url=emulator.base_url,
                               retry=roster.Retry(max_attempts=1))
    with pytest.raises(roster.TransportError) as failed:
        client.users.get_users(application_id=1)
    assert failed.value.transport_kind == "not_sent"


def test_credentials_as_path_dict_json_or_environment(emulator, monkeypatch):
    text = open(emulator.credentials, encoding="utf-8").read()
    monkeypatch.setenv("VOXIMPLANT_CREDENTIALS", emulator.credentials)
    for source in (emulator.credentials, json.loads(text), text, None):
        client = roster.Voximplant(source, base_url=emulator.base_url, ca_file=emulator.ca_file)
        assert client.users.get_users(application_id=1).total_count == 2


def test_voiso_reads_its_quirks(emulator, monkeypatch):
    monkeypatch.setenv("VOISO_API_KEY", emulator.voiso_key)
    monkeypatch.setenv("VOISO_BASE_URL", emulator.base_url)
    voiso = roster.Voiso(ca_file=emulator.ca_file)
    users = voiso.users.list_users()
    first = next(u for u in users if u.id == 28982)
    assert first.assigned_teams == ["3623", "2481"]
    assert first.assigned_channels[0].value == "1234567890123"  # a string in the spec, sent as a 64-bit number
    with pytest.raises(roster.RosterError):
        roster.Voiso("wrong-key", base_url=emulator.base_url, ca_file=emulator.ca_file).users.list_users()
