"""Type-checked by `mypy --strict` in scripts/test-python.sh: the generated stubs must type
every method, parameter, result field and error the way a user writes them."""

import asyncio
import datetime
from decimal import Decimal
from typing import List, Optional

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
