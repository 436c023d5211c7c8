"""Must FAIL `mypy --strict` with exactly the errors marked below: proof the stubs are not Any."""


import roster


def misuse(vox: roster.Voximplant, avox: roster.AsyncVoximplant) -> None:
    vox.users.add_user(user_nme="jdoe", user_display_name="J", user_password="x", application_id=1)  # E: unexpected keyword
    vox.users.get_users(application_id="one")  # E: str for int
    vox.users.get_users(acd_status=["SLEEPING"])  # E: not an ACD status
    balance: int = vox.users.get_users().items[0].balance  # E: Decimal, not int
    vox.users.del_user(user_id="some")  # E: only "all" is a string
    for user in avox.users.iter_users():  # E: an async iterator
        pass
