"""A GetUsers answer of N users as the server sends it with `with_skills` and `with_queues`:
the same deterministic shape as the core's Rust benchmark (core/benches/core.rs)."""


def get_users_body(n: int) -> bytes:
    users = []
    for i in range(n):
        users.append(
            '{"user_id":%d,"user_name":"agent%04d","user_display_name":"Agent Number %d",'
            '"user_active":true,"parent_accounting":false,"live_balance":%d.75,"balance":%d.5,'
            '"fixed_balance":0.0,"user_custom_data":"team=support;floor=2","frozen":false,'
            '"acd_status":"READY","acd_status_change_time":"2024-04-20 09:15:42",'
            '"created":"2023-01-05 10:00:00","modified":"2024-04-20 09:15:42",'
            '"applications":[{"application_id":10,"application_name":"support.acme.voximplant.com",'
            '"modified":"2024-01-01 00:00:00"}],'
            '"skills":[{"skill_id":1,"skill_name":"english"},{"skill_id":2,"skill_name":"billing"}],'
            '"acd_queues":[{"acd_queue_id":5,"acd_queue_name":"tier1","auto_link":true}]}'
            % (1000 + i, i, i, i, i)
        )
    return ('{"result":[%s],"total_count":%d,"count":%d}' % (",".join(users), n, n)).encode()
