"""Type-checked by `mypy --strict` in scripts/test-python.sh: the generated stubs must type
every method, parameter, result field and error the way a user writes them."""

import asyncio
import datetime
from decimal import Decimal
from typing import Any, Dict, List, Optional

import roster


def sync_usage(vox: roster.Voximplant) -> List[str]:
    created: roster.AddUserResult = vox.users.add_user(
        user_name="jdoe", user_display_name="John Doe", user_password="S3cure!pass", application_id=1
    )
    user_id: Optional[int] = created.user_id
    page: roster.Page[roster.User] = vox.users.get_users(application_id=1, acd_status=["READY"])
    balance: Optional[Decimal] = page.items[0].balance
    created_at: Optional[datetime.datetime] = page.items[0].created
    vox.users.del_user(user_id="all")
    vox.users.transfer_money_to_user(user_id=[1, 2], amount=Decimal("1.5"))
    names = [u.user_name or "" for u in vox.users.iter_users(application_id=1)]
    skills = page.items[0].skills or []
    names += [s.skill_name or "" for s in skills]
    try:
        vox.skills.add_skill(skill_name="billing")
    except roster.ValidationError as e:
        names.append(e.parameter + e.rule)
    except roster.ApiError as e:
        names.append(f"{e.code} {e.msg} {e.field_name}")
    del user_id, balance, created_at
    return names


def settings_usage(path: str) -> int:
    retry = roster.Retry(max_attempts=2, base_backoff=0.1, deadline=0)
    events: List[str] = []

    def on_attempt(event: roster.AttemptEvent) -> None:
        events.append(f"{event.method} {event.number} {event.outcome}: {event}")

    def provider(force_refresh: bool) -> str:
        return "token" if not force_refresh else "fresh"

    vox = roster.Voximplant(path, retry=retry, on_attempt=on_attempt, env={"VOXIMPLANT_BASE_URL": "https://x"})
    vox2 = roster.Voximplant(token_provider=provider, timeout=5.0, seed=1, clock=lambda: 0, sleep=lambda s: None)
    vox.call("GetUsers", {"application_id": 1}, retry=roster.Retry(max_attempts=1))
    pages: roster.Pages[Dict[str, Any]] = vox2.pages("GetUsers", {"application_id": 1})
    batch: Optional[List[Dict[str, Any]]] = pages.next_page()
    try:
        vox.users.get_users()
    except roster.ApiError as e:
        entries: List[roster.ApiErrorEntry] = e.errors
        return sum(entry.code for entry in entries) + len(batch or [])
    return len(events)


async def async_settings_usage() -> int:
    async def provider(force_refresh: bool) -> bytes:
        return b"token"

    vox = roster.AsyncVoximplant(token_provider=provider, retry=roster.Retry(jitter=0.1))
    pages: roster.AsyncPages[Dict[str, Any]] = vox.pages("GetSkills")
    total = 0
    async for skill in pages:
        total += int(skill.get("skill_id") or 0)
    return total


async def async_usage(vox: roster.AsyncVoximplant, voiso: roster.AsyncVoiso) -> int:
    created = await vox.users.add_user(
        user_name="jdoe", user_display_name="John Doe", user_password="S3cure!pass", application_name="demo"
    )
    total = created.user_id or 0
    async for user in vox.users.iter_users(application_id=1):
        total += user.user_id or 0
    for agent in await voiso.users.list_users(email="a@example.com"):
        total += len(agent.assigned_teams or [])
    return total


if __name__ == "__main__":
    asyncio.run(async_usage(roster.AsyncVoximplant(token="t"), roster.AsyncVoiso("k")))
    print(sync_usage(roster.Voximplant(token="t")))
