"""Roster for Python against json.loads and the vendor's client (voximplant-apiclient), side by
side in one run. Run it with `bash bench/python/run.sh` (builds the wheel, starts the emulator).

1. Parse: a 100-user GetUsers answer into result objects through the whole client (a stub
   transport returns the bytes), against `json.loads` of the same bytes (bar: at most 2x) and
   the vendor's `get_users` with its HTTP call stubbed to return the same bytes (bar: ours at
   least 100x faster per call). The vendor signs a new token per call; we sign once and cache.
2. End to end: sequential GetUsers over loopback HTTPS against the emulator, ours against the
   vendor's (each with its own default transport).
3. `import roster` in a fresh interpreter (bar: under 50 ms).
"""

import json
import os
import statistics
import subprocess
import sys
import time
from types import SimpleNamespace
from typing import Callable, List, Optional

import httpx

import roster
from fixture import get_users_body

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CREDENTIALS = os.path.join(REPO, "tests", "fixtures", "credentials.json")


def per_call(fn: Callable[[], object], seconds: float = 1.5, rounds: int = 5) -> float:
    """The median over `rounds` of the mean time per call, in seconds."""
    fn()
    n = 1
    while True:  # calibrate: enough calls for about seconds/rounds per round
        start = time.perf_counter()
        for _ in range(n):
            fn()
        took = time.perf_counter() - start
        if took > seconds / rounds / 4:
            break
        n *= 2
    n = max(1, int(n * (seconds / rounds) / took))
    samples: List[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        samples.append((time.perf_counter() - start) / n)
    return statistics.median(samples)


class Stub:
    def __init__(self, body: bytes) -> None:
        self.answer = roster.Response(200, [("content-type", "application/json")], body)

    def send(self, request: object) -> roster.Response:
        return self.answer


def vendor_client(credentials: str, endpoint: str = "api.voximplant.com"):
    from voximplant.apiclient import VoximplantAPI

    return VoximplantAPI(credentials, endpoint=endpoint)


REAL_POST = httpx.post


def stub_vendor_http(body: Optional[bytes]) -> None:
    """Replaces the vendor module's only HTTP call (`httpx.post`) with one returning `body`;
    `None` puts the real one back."""
    import voximplant.apiclient.client as vendor

    def post(url, data=None, headers=None, **kwargs):
        assert headers["Authorization"].startswith("Bearer ")
        return httpx.Response(200, headers={"content-type": "application/json"}, content=body)

    vendor.httpx = SimpleNamespace(post=post) if body is not None else httpx


def paired(a: Callable[[], object], b: Callable[[], object], rounds: int = 9) -> "tuple[float, float, float]":
    """Times `a` and `b` in alternating rounds, so both meet the same load on a shared machine;
    returns the median time per call of each and the median of the per-round ratios b / a."""
    ta, tb, ratios = [], [], []
    for _ in range(rounds):
        x = per_call(a, seconds=0.3, rounds=1)
        y = per_call(b, seconds=0.3, rounds=1)
        ta.append(x)
        tb.append(y)
        ratios.append(y / x)
    return statistics.median(ta), statistics.median(tb), statistics.median(ratios)


def fmt(seconds: float) -> str:
    return f"{seconds * 1e6:10.1f} us"


def parse_bench() -> None:
    print("\n## 1. Parse a GetUsers answer (stub transport, no network)")
    stub_vendor_http(b"")
    vendor = vendor_client(CREDENTIALS)
    for n in (100, 1):
        body = get_users_body(n)
        stub_vendor_http(body)
        ours = roster.Voximplant(CREDENTIALS, transport=Stub(body))
        page = ours.users.get_users(application_id=1, with_skills=True, with_queues=True)
        assert len(page.items) == n and page.items[-1].balance is not None
        theirs = vendor.get_users(application_id=1, with_skills=True, with_queues=True)
        assert len(theirs["result"]) == n
        t_json, t_ours, ratio = paired(
            lambda: json.loads(body),
            lambda: ours.users.get_users(application_id=1, with_skills=True, with_queues=True),
        )
        _, t_vendor, faster = paired(
            lambda: ours.users.get_users(application_id=1, with_skills=True, with_queues=True),
            lambda: vendor.get_users(application_id=1, with_skills=True, with_queues=True),
            rounds=5,
        )
        print(f"\n{n} user(s), {len(body)} bytes")
        print(f"  json.loads                      {fmt(t_json)}")
        print(f"  roster  users.get_users -> Page {fmt(t_ours)}   {ratio:5.2f} x json.loads (bar <= 2)")
        print(f"  vendor  get_users -> dict       {fmt(t_vendor)}   ours is {faster:6.1f} x faster (bar >= 100)")


def start_emulator(binary: str, tmp: str):
    ca, creds = os.path.join(tmp, "ca.pem"), os.path.join(tmp, "credentials.json")
    proc = subprocess.Popen(
        [binary, "--addr", "127.0.0.1:0", "--tls", "--ca-out", ca, "--credentials-out", creds],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    line = proc.stdout.readline().strip()
    if "listening on " not in line:
        proc.kill()
        raise RuntimeError(f"the emulator did not start: {line!r}")
    return proc, line.split("listening on ")[1], ca, creds


E2E_USERS = 20


def e2e_bench(binary: str) -> None:
    import tempfile

    print(f"\n## 2. End to end: sequential GetUsers over loopback HTTPS ({binary})")
    with tempfile.TemporaryDirectory() as tmp:
        proc, base_url, ca, creds = start_emulator(binary, tmp)
        try:
            stub_vendor_http(None)
            os.environ["REQUESTS_CA_BUNDLE"] = ca  # the vendor's way to trust a CA
            ours = roster.Voximplant(creds, base_url=base_url, ca_file=ca)
            theirs = vendor_client(creds, endpoint=base_url.split("://", 1)[1])
            for i in range(E2E_USERS):
                ours.users.add_user(user_name=f"agent{i:04d}", user_display_name=f"Agent {i}",
                                    user_password="S3cure!pass", application_id=1)
            assert ours.users.get_users(application_id=1).total_count == E2E_USERS
            assert theirs.get_users(application_id=1)["total_count"] == E2E_USERS
            print(f"  {E2E_USERS} users in the application; GetUsers returns them all")
            t_ours, t_vendor, faster = paired(
                lambda: ours.users.get_users(application_id=1),
                lambda: theirs.get_users(application_id=1),
                rounds=5,
            )
            print(f"  roster  {fmt(t_ours)} per call")
            print(f"  vendor  {fmt(t_vendor)} per call   ours is {faster:5.1f} x faster")
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def import_bench() -> None:
    print("\n## 3. import roster (fresh interpreter, median of 15)")

    def run(code: str) -> float:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        return float(out.stdout)

    timed = "import time; t = time.perf_counter(); {}; print(time.perf_counter() - t)"
    roster_t = statistics.median(run(timed.format("import roster")) for _ in range(15))
    json_t = statistics.median(run(timed.format("import json, decimal, datetime")) for _ in range(15))
    print(f"  import roster                   {roster_t * 1e3:7.2f} ms (bar < 50 ms)")
    print(f"  import json, decimal, datetime  {json_t * 1e3:7.2f} ms (for scale)")


if __name__ == "__main__":
    print(f"python {sys.version.split()[0]}, roster from {os.path.dirname(roster.__file__)}")
    parse_bench()
    emulator = os.environ.get("ROSTER_EMULATOR")
    if emulator:
        e2e_bench(emulator)
    else:
        print("\n## 2. skipped: set ROSTER_EMULATOR to the emulator binary")
    import_bench()
