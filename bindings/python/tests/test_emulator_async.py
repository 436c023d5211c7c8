"""Scenarios against the emulator through the asyncio clients and their httpx transport."""

import asyncio
from decimal import Decimal

import pytest

import roster


@pytest.fixture
async def avox(emulator):
    async with roster.AsyncVoximplant(emulator.credentials, base_url=emulator.base_url,
                                      ca_file=emulator.ca_file, seed=5) as client:
        yield client


async def test_create_then_page_with_async_for(avox):
    created = await asyncio.gather(*(
        avox.users.add_user(user_name=f"async-{i}", user_display_name=f"A {i}",
                            user_password="S3cure!pass", application_id=1)
        for i in range(12)
    ))
    assert len({c.user_id for c in created}) == 12
    seen = [u.user_name async for u in avox.users.iter_users(application_id=1, count=4)]
    assert sorted(seen) == sorted(["agent-ann", "agent-ben"] + [f"async-{i}" for i in range(12)])
    first = (await avox.users.get_users(application_id=1, user_name="agent-ann")).items[0]
    assert first.balance == Decimal("5.00")


async def test_errors_are_the_same_classes(avox):
    with pytest.raises(roster.ConflictError):
        await avox.users.add_user(user_name="agent-ben", user_display_name="Ben",
                                  user_password="S3cure!pass", application_id=1)
    with pytest.raises(roster.ValidationError) as bad:
        await avox.skills.add_skill(skill_name="")
    assert bad.value.parameter == "skill_name"


async def test_waiting_does_not_block_the_event_loop(avox, emulator):
    emulator.faults("GetUsers=delay:400")
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            await asyncio.sleep(0.02)
            ticks += 1

    task = asyncio.ensure_future(ticker())
    page = await avox.users.get_users(application_id=1)
    task.cancel()
    assert page.total_count == 2
    assert ticks >= 10  # about 20 ticks fit in the 400 ms the answer took


async def test_voiso_async(emulator):
    async with roster.AsyncVoiso(emulator.voiso_key, base_url=emulator.base_url,
                                 ca_file=emulator.ca_file) as voiso:
        users = await voiso.users.list_users(name="AG D")
    assert [u.id for u in users] == [28982]
