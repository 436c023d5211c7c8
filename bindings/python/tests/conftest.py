"""Shared fixtures: the emulator binary over HTTPS with its own CA.

`scripts/test-python.sh` builds the emulator and sets ROSTER_EMULATOR to its path; without it
the scenario tests are skipped (say so loudly), and with a broken binary they fail.
"""

import json
import os
import pathlib
import subprocess
import urllib.request
import ssl

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]


class Emulator:
    def __init__(self, base_url, ca_file, credentials, voiso_key):
        self.base_url = base_url
        self.ca_file = ca_file
        self.credentials = credentials
        self.voiso_key = voiso_key
        self._ssl = ssl.create_default_context(cafile=ca_file)

    def admin(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base_url + "/_emulator/" + path,
            data=data,
            method=method,
            headers={"content-type": "application/json"},
        )
        with urllib.request.urlopen(req, context=self._ssl, timeout=10) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def faults(self, spec, seed=1):
        self.admin("POST", "faults", {"spec": spec, "seed": seed})
        self._baseline = self.admin("GET", "faults")["counters"]

    def fired(self, kind):
        """How often a fault fired since the plan was last set (the emulator's counters are
        cumulative; dropped exchanges are missing from its request log, so count them here)."""
        return self.admin("GET", "faults")["counters"][kind] - self._baseline.get(kind, 0)

    def reset(self):
        self.faults("")
        self.admin("POST", "reset")
        self.admin("DELETE", "requests")

    def requests(self, method=None):
        log = self.admin("GET", "requests")
        entries = log["requests"] if isinstance(log, dict) else log
        if method is None:
            return entries
        return [e for e in entries if e.get("method") == method]


@pytest.fixture(scope="session")
def emulator_process(tmp_path_factory):
    binary = os.environ.get("ROSTER_EMULATOR")
    if not binary:
        pytest.skip("ROSTER_EMULATOR is not set (scripts/test-python.sh builds and sets it)")
    tmp = tmp_path_factory.mktemp("emulator")
    ca, creds, voiso = tmp / "ca.pem", tmp / "credentials.json", tmp / "voiso.key"
    proc = subprocess.Popen(
        [binary, "--addr", "127.0.0.1:0", "--tls", "--ca-out", str(ca),
         "--credentials-out", str(creds), "--voiso-key-out", str(voiso),
         "--fixtures", str(REPO / "emulator" / "fixtures" / "example.json")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = proc.stdout.readline().strip()
    prefix = "roster-emulator listening on "
    if not line.startswith(prefix):
        proc.kill()
        raise RuntimeError(f"the emulator did not start: {line!r}")
    emu = Emulator(line[len(prefix):], str(ca), str(creds), voiso.read_text().strip())
    yield emu
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def emulator(emulator_process):
    emulator_process.reset()
    yield emulator_process
    emulator_process.faults("")
