"""Prints a roster file of N agents (default 1000) over 8 skills and 4 queues, for benchmarks."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
skills = ["billing", "technical", "sales", "retention", "english", "spanish", "german", "vip"]
queues = {"billing": ["billing"], "tech": ["technical"], "sales": ["sales"], "vip": ["vip"]}
print('application = "bench"')
print("skills = [" + ", ".join(f'"{s}"' for s in skills) + "]")
for name, needs in queues.items():
    print(f'\n[[queue]]\nname = "{name}"\nauto_binding = false')
    print("skills = [" + ", ".join(f'"{s}"' for s in needs) + "]")
for i in range(n):
    team = list(queues)[i % 4]
    mine = sorted({queues[team][0], skills[4 + i % 3]} | ({"retention"} if i % 5 == 0 else set()))
    print(f'\n[[user]]\nname = "agent-{i:04d}"\ndisplay_name = "Agent {i}"')
    print("skills = [" + ", ".join(f'"{s}"' for s in mine) + "]")
    print(f'queues = ["{team}"]')
