"""Cancellation in the asyncio client: immediate and final.

200 concurrent `await vox.users.get_users(...)` calls retry against an emulator that answers
every GetUsers with 503; once every call has started its second attempt, at a random moment
within the next 100 ms (some calls mid-request, some asleep in their backoff), all of them are
cancelled. Repeated for 20 runs. The bar, per run:

- every task ends in CancelledError (not a result, not HttpStatusError) within 50 ms of the
  cancellation, as seen by a done callback on the task (so the time includes whatever the event
  loop runs first, the aborted exchanges' clean-up among it);
- the emulator's request log shows no attempt that started after the cancellation: each task
  tags its requests (`user_name=c<run>-<task>`), the transport wrapper counts the attempts each
  task had started when it was cancelled, and the log may hold at most that many per tag;
- the same client then completes a normal call.

Run: `bash bench/python/run.sh` (builds the wheel and the release emulator), or directly
`ROSTER_EMULATOR=target/release/roster-emulator python bench/python/cancel.py [--runs N]
[--tasks N]`. Exits non-zero when the bar is missed.
"""

import argparse
import asyncio
import collections
import json
import os
import random
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from typing import Any, Dict, List, Optional

import roster
from roster._httpx import HttpxTransport

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BAR_MS = 50.0
# Short backoffs keep every task busy (some mid-request, some asleep) when the cancel lands;
# enough attempts that a call which survived its cancellation would run on for seconds.
RETRY = roster.Retry(max_attempts=60, base_backoff=0.02, max_backoff=0.1, deadline=60)


class Emulator:
    def __init__(self, binary: str, tmp: str) -> None:
        self.ca = os.path.join(tmp, "ca.pem")
        self.credentials = os.path.join(tmp, "credentials.json")
        self.proc = subprocess.Popen(
            [binary, "--addr", "127.0.0.1:0", "--tls", "--ca-out", self.ca,
             "--credentials-out", self.credentials, "--request-log", "1000000",
             "--fixtures", os.path.join(REPO, "emulator", "fixtures", "example.json")],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().strip()
        if "listening on " not in line:
            self.proc.kill()
            raise RuntimeError(f"the emulator did not start: {line!r}")
        self.base_url = line.split("listening on ", 1)[1]
        self._ssl = ssl.create_default_context(cafile=self.ca)

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + "/_emulator/" + path, data=data, method=method,
                                     headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, context=self._ssl, timeout=30) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def get_users_per_tag(self) -> "collections.Counter[str]":
        log = self.admin("GET", "requests")
        entries = log["requests"] if isinstance(log, dict) else log
        return collections.Counter(e["params"].get("user_name", "") for e in entries
                                   if e.get("method") == "GetUsers")

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


class Counting:
    """The default httpx transport, counting the attempts each tag has started."""

    def __init__(self, inner: HttpxTransport) -> None:
        self.inner = inner
        self.started: "collections.Counter[str]" = collections.Counter()

    async def send(self, request: Any) -> roster.Response:
        body = request.body.decode() if request.body else ""
        tag = next((p.split("=", 1)[1] for p in (request.url.split("?", 1)[-1] + "&" + body).split("&")
                    if p.startswith("user_name=")), "")
        self.started[tag] += 1
        return await self.inner.send(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def one_run(vox: Any, counting: Counting, emu: Emulator, run: int, tasks: int,
                  rng: random.Random) -> Dict[str, Any]:
    emu.admin("POST", "faults", {"spec": "GetUsers=http503", "seed": run})
    tags = [f"c{run}-{i}" for i in range(tasks)]
    raised: Dict[int, float] = {}  # when CancelledError came out of the call, in the caller
    ended: Dict[int, float] = {}  # when the task's end was seen (its done callback ran)

    async def call(i: int, tag: str) -> Any:
        try:
            return await vox.users.get_users(application_id=1, user_name=tag)
        except asyncio.CancelledError:
            raised[i] = time.perf_counter()
            raise

    jobs = []
    for i, tag in enumerate(tags):
        job = asyncio.ensure_future(call(i, tag))
        job.add_done_callback(lambda _, i=i: ended.__setitem__(i, time.perf_counter()))
        jobs.append(job)
    # Mid-retry: once every task has had an answer (503) and started its second attempt, at a
    # random moment within the next 100 ms (some tasks are then mid-request, some asleep).
    give_up = time.perf_counter() + 10.0
    while min(counting.started[tag] for tag in tags) < 2 and time.perf_counter() < give_up:
        await asyncio.sleep(0.005)
    await asyncio.sleep(rng.uniform(0.0, 0.1))
    # Nothing below runs the event loop until every task has been cancelled.
    started_then = {tag: counting.started[tag] for tag in tags}
    cancelled_at = time.perf_counter()
    for job in jobs:
        job.cancel()
    _, pending = await asyncio.wait(jobs, timeout=2.0)
    outcomes: "collections.Counter[str]" = collections.Counter()
    for job in jobs:
        if not job.done():
            outcomes["still running after 2 s"] += 1
        elif job.cancelled():
            outcomes["CancelledError"] += 1
        elif job.exception() is not None:
            outcomes[type(job.exception()).__name__] += 1
        else:
            outcomes["returned"] += 1
    for _ in range(50):  # those that ignored the cancellation: cancel again until they stop
        if not pending:
            break
        for job in pending:
            job.cancel()
        _, pending = await asyncio.wait(pending, timeout=0.2)
    latencies = sorted((ended[i] - cancelled_at) * 1e3 for i in range(tasks) if i in ended)
    raised_ms = max(((raised[i] - cancelled_at) * 1e3 for i in raised), default=float("inf"))
    await asyncio.sleep(0.25)  # answers to requests already on the wire reach the log
    logged = emu.get_users_per_tag()
    late = sum(max(0, logged[tag] - started_then[tag]) for tag in tags)
    late_tasks = sum(1 for tag in tags if logged[tag] > started_then[tag])
    sent_late = sum(counting.started[tag] - started_then[tag] for tag in tags)
    emu.admin("POST", "faults", {"spec": "", "seed": 0})
    after = asyncio.ensure_future(vox.users.get_users(application_id=1))  # the same client, a normal call
    done, _ = await asyncio.wait([after], timeout=10)
    after_ok = bool(done) and after.exception() is None and after.result().total_count == 2
    if not done:
        after.cancel()
    return {
        "attempts": sum(logged[tag] for tag in tags),
        "outcomes": dict(outcomes),
        "max_ms": latencies[-1] if len(latencies) == tasks else float("inf"),
        "p50_ms": latencies[len(latencies) // 2] if latencies else float("inf"),
        "raised_ms": raised_ms,
        "late": late,
        "late_tasks": late_tasks,
        "sent_late": sent_late,
        "after_ok": after_ok,
    }


async def main_async(binary: str, runs: int, tasks: int, seed: int) -> bool:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        emu = Emulator(binary, tmp)
        try:
            counting = Counting(HttpxTransport(emu.ca))
            async with roster.AsyncVoximplant(emu.credentials, base_url=emu.base_url,
                                              transport=counting, retry=RETRY) as vox:
                await vox.users.get_users(application_id=1)  # warm: token, connections
                results = []
                print("ended: from cancel() to the task's end as seen by its done callback (the bar);"
                      "\nraised: to CancelledError coming out of the call in the caller's coroutine")
                print(f"{'run':>3} {'attempts':>8} {'cancelled':>9} {'other outcomes':<28} "
                      f"{'raised max':>10} {'ended p50':>9} {'ended max':>9} "
                      f"{'late attempts (tasks)':>22} {'after':>6}")
                for run in range(runs):
                    r = await one_run(vox, counting, emu, run, tasks, rng)
                    results.append(r)
                    other = ", ".join(f"{k} {v}" for k, v in r["outcomes"].items()
                                      if k != "CancelledError") or "-"
                    print(f"{run:>3} {r['attempts']:>8} {r['outcomes'].get('CancelledError', 0):>9} "
                          f"{other:<28} {r['raised_ms']:>7.2f} ms {r['p50_ms']:>6.2f} ms {r['max_ms']:>6.2f} ms "
                          f"{r['late']:>15} ({r['late_tasks']:>3}) {'ok' if r['after_ok'] else 'FAIL':>6}",
                          flush=True)
        finally:
            emu.close()
    max_ms = max(r["max_ms"] for r in results)
    late = sum(r["late"] for r in results)
    sent_late = sum(r["sent_late"] for r in results)
    not_cancelled = sum(tasks - r["outcomes"].get("CancelledError", 0) for r in results)
    bad_runs = sum(1 for r in results
                   if r["max_ms"] > BAR_MS or r["late"] or r["outcomes"].get("CancelledError", 0) != tasks
                   or not r["after_ok"])
    print(f"\nsummary: {runs} runs x {tasks} tasks (python {sys.version.split()[0]})")
    print(f"  tasks not ending in CancelledError: {not_cancelled}")
    print(f"  max latency cancel -> task ended in CancelledError: {max_ms:.2f} ms (bar <= {BAR_MS:.0f} ms); "
          f"-> raised in the caller: {max(r['raised_ms'] for r in results):.2f} ms")
    print(f"  attempts started after the cancellation: {late} in the emulator's log, "
          f"{sent_late} by the client's count (bar: 0)")
    print(f"  runs where the same client then failed a normal call: "
          f"{sum(1 for r in results if not r['after_ok'])}")
    print(f"  runs missing the bar: {bad_runs} of {runs}")
    return bad_runs == 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    binary = os.environ.get("ROSTER_EMULATOR") or os.path.join(REPO, "target", "release", "roster-emulator")
    if not os.path.exists(binary):
        print(f"no emulator at {binary}: set ROSTER_EMULATOR", file=sys.stderr)
        return 2
    print(f"## Cancellation: {args.tasks} concurrent calls cancelled mid-retry (503), {args.runs} runs; "
          f"python {sys.version.split()[0]}, emulator {binary}")
    ok = asyncio.run(main_async(binary, args.runs, args.tasks, args.seed))
    print("bar met" if ok else "bar MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
