"""Settings reach the core's one resolver as the caller gave them, and Python keeps no policy:
credentials in every form, keys and tokens by the core's one rule, the environment and files
through the host hooks (and the real process by default), Retry translated field by field,
the attempt hook, the clock and the sleeper. (The shared scenarios prove the same decisions
for every binding; these tests prove the Python-only translation around them.)"""

import json
import os
import pathlib
from urllib.parse import urlsplit

import pytest

import roster

FIXTURES = pathlib.Path(__file__).resolve().parents[3] / "tests" / "fixtures"
CREDENTIALS = (FIXTURES / "credentials.json").read_text()
OK = b'{"result":[],"total_count":0,"count":0}'


def key_fragments():
    key = json.loads(CREDENTIALS)["private_key"]
    return [line[:16] for line in key.splitlines() if len(line) > 20 and not line.startswith("-----")]


def assert_secret_free(error, *secrets):
    texts = [str(error), repr(error), json.dumps(error.details)]
    for text in texts:
        for fragment in list(secrets) + key_fragments():
            assert fragment not in text, text
        assert "PRIVATE KEY" not in text


class Recording:
    """Answers every request with `answers` in turn (a 200 page by default) and keeps them."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.sent = []

    def send(self, request):
        self.sent.append(request)
        if self.answers:
            answer = self.answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return roster.Response(answer[0], [], answer[1])
        return roster.Response(200, [], OK)


def no_env(name):
    return None


def bearer(client):
    return dict(client.prepare("GetUsers", {"application_id": 1}).headers)["authorization"]


# ---- credentials, keys and tokens: every form reaches the core, nothing leaks -----------------

@pytest.mark.parametrize("form", ["path", "pathlike", "text", "bytes", "bom-bytes", "dict", "text-newline"])
def test_credentials_in_every_form_sign_a_token(form):
    given = {
        "path": str(FIXTURES / "credentials.json"),
        "pathlike": FIXTURES / "credentials.json",
        "text": CREDENTIALS,
        "bytes": CREDENTIALS.encode(),
        "bom-bytes": b"\xef\xbb\xbf" + CREDENTIALS.encode(),
        "dict": json.loads(CREDENTIALS),
        "text-newline": "\n" + CREDENTIALS + "\n",
    }[form]
    vox = roster.Voximplant(given, env=no_env)
    assert bearer(vox).startswith("Bearer eyJ")


@pytest.mark.parametrize("wrong", [
    lambda: json.loads(CREDENTIALS)["private_key"],                     # the key where a path goes
    lambda: CREDENTIALS.replace("{", "[", 1),                            # not JSON, not a path
    lambda: ("x" + CREDENTIALS).encode(),                                # bytes, not starting with {
    lambda: b"\xff\xfe" + CREDENTIALS.encode("utf-16-le"),               # not UTF-8
    lambda: CREDENTIALS[: len(CREDENTIALS) // 2],                        # truncated JSON
])
def test_credentials_given_wrong_are_a_config_error_that_never_shows_the_key(wrong):
    with pytest.raises(roster.ConfigError) as bad:
        roster.Voximplant(wrong(), env=no_env)
    assert "`credentials` argument" in str(bad.value)
    assert_secret_free(bad.value)


def test_a_key_or_token_read_from_a_file_loses_its_newline():
    # Issue 14 #2: the trailing newline of a file read whole used to reach the HTTP header.
    vox = roster.Voximplant(token="tok-123\n", env=no_env)
    assert bearer(vox) == "Bearer tok-123"
    voiso = roster.Voiso(b"\xef\xbb\xbfvoiso-key-9\r\n", base_url="https://v.test", env=no_env)
    assert dict(voiso.prepare("ListUsers", {}).headers)["authorization"] == "Bearer voiso-key-9"


@pytest.mark.parametrize("bad", ["tok 123", "tok\n123", "tok\u00e9", "", "\n"])
def test_a_token_that_cannot_go_in_a_header_is_refused_unseen(bad):
    with pytest.raises(roster.ConfigError) as refused:
        roster.Voximplant(token=bad, env=no_env)
    assert "`token` argument" in str(refused.value)
    if bad.strip():
        assert_secret_free(refused.value, bad.strip())


def test_settings_of_the_wrong_type_are_config_errors():
    with pytest.raises(roster.ConfigError, match="credentials must be"):
        roster.Voximplant(42, env=no_env)  # type: ignore[arg-type]
    with pytest.raises(roster.ConfigError, match="token must be str or bytes"):
        roster.Voximplant(token=42, env=no_env)  # type: ignore[arg-type]
    with pytest.raises(roster.ConfigError, match="seed"):
        roster.Voximplant(token="t", seed=-1)
    with pytest.raises(roster.ConfigError, match="not several"):
        roster.Voximplant(CREDENTIALS, token="t")


def test_a_lone_surrogate_in_a_setting_is_a_typed_error():
    with pytest.raises(roster.ConfigError, match="`base_url` argument"):
        roster.Voximplant(token="t", base_url="https://a\udcff.test")
    with pytest.raises(roster.ConfigError, match="not UTF-8") as bad:
        roster.Voximplant(token="tok\udcff", env=no_env)
    assert "\udcff" not in str(bad.value)


# ---- the environment and files: the core reads them through the host --------------------------

def test_the_environment_is_read_through_the_env_hook_only():
    env = {"VOXIMPLANT_CREDENTIALS": "/etc/roster/c.json", "VOXIMPLANT_BASE_URL": "https://env.test/prefix"}
    read = []

    def read_file(path):
        read.append(path)
        return CREDENTIALS.encode()

    vox = roster.Voximplant(env=env, read_file=read_file)
    request = vox.prepare("GetUsers", {"application_id": 1})
    assert request.url == "https://env.test/prefix/platform_api/GetUsers"
    assert read == ["/etc/roster/c.json"]
    voiso = roster.Voiso(env={"VOISO_API_KEY": "k3y\n", "VOISO_BASE_URL": "https://v.test/api"})
    request = voiso.prepare("ListUsers", {})
    assert urlsplit(request.url).path == "/api/user_management/v1/users"
    assert dict(request.headers)["authorization"] == "Bearer k3y"


def test_by_default_the_process_environment_and_files_are_read(monkeypatch, tmp_path):
    path = tmp_path / "credentials.json"
    path.write_text(CREDENTIALS)
    monkeypatch.setenv("VOXIMPLANT_CREDENTIALS", str(path))
    monkeypatch.setenv("VOXIMPLANT_BASE_URL", "https://proc.test")
    vox = roster.Voximplant()
    request = vox.prepare("GetUsers", {"application_id": 1})
    assert request.url == "https://proc.test/platform_api/GetUsers"
    assert dict(request.headers)["authorization"].startswith("Bearer eyJ")
    monkeypatch.setenv("VOXIMPLANT_CREDENTIALS", str(tmp_path / "missing.json"))
    with pytest.raises(roster.ConfigError) as missing:
        roster.Voximplant()
    assert "No such file or directory" in str(missing.value)
    assert "VOXIMPLANT_CREDENTIALS variable" in str(missing.value)
    monkeypatch.delenv("VOXIMPLANT_CREDENTIALS")
    with pytest.raises(roster.ConfigError, match="no Voximplant credentials"):
        roster.Voximplant()
    monkeypatch.setenv("VOISO_API_KEY", "from-env")
    monkeypatch.delenv("VOISO_BASE_URL", raising=False)
    assert dict(roster.Voiso().prepare("ListUsers", {}).headers)["authorization"] == "Bearer from-env"


def test_an_explicit_setting_wins_over_the_environment():
    env = {"VOXIMPLANT_BASE_URL": "https://env.test", "VOXIMPLANT_CREDENTIALS": "/nowhere.json"}
    vox = roster.Voximplant(token="t", base_url="https://arg.test", env=env)
    assert vox.prepare("GetUsers", {"application_id": 1}).url.startswith("https://arg.test/")


def test_a_failing_host_hook_raises_its_own_exception():
    class Boom(Exception):
        pass

    def env(name):
        raise Boom(name)

    with pytest.raises(Boom):
        roster.Voximplant(token="t", env=env)

    def read_file(path):
        raise Boom(path)

    with pytest.raises(Boom):
        roster.Voximplant("/etc/c.json", read_file=read_file, env=no_env)

    def unreadable(path):
        raise PermissionError(13, "Permission denied")

    with pytest.raises(roster.ConfigError, match="Permission denied"):
        roster.Voximplant("/etc/c.json", read_file=unreadable, env=no_env)


def test_a_base_url_password_is_never_shown():
    with pytest.raises(roster.ConfigError) as bad:
        roster.Voximplant(token="t", base_url="https://admin:Hunter2@127.0.0.1:9")
    assert_secret_free(bad.value, "Hunter2", "admin")


# ---- Retry: every field optional, seconds in, the core's milliseconds out ---------------------

def test_retry_fields_left_out_keep_the_core_defaults():
    t = Recording()
    vox = roster.Voximplant(token="t", transport=t, env=no_env)
    vox.call("GetUsers", {"application_id": 1})
    assert (t.sent[0].timeout, t.sent[0].connect_timeout) == (30.0, 10.0)
    assert repr(roster.Retry()) == "Retry()"


def test_retry_seconds_become_the_cores_milliseconds():
    sleeps = []
    t = Recording((502, b"x"), (502, b"x"), (502, b"x"))
    vox = roster.Voximplant(token="t", transport=t, sleep=sleeps.append, env=no_env, clock=lambda: 0,
                            retry=roster.Retry(base_backoff=0.3, max_backoff=0.5, jitter=0, attempt_timeout=1.5,
                                               connect_timeout=0.25))
    vox.call("GetUsers", {"application_id": 1})
    assert sleeps == [0.3, 0.5, 0.5]
    assert (t.sent[0].timeout, t.sent[0].connect_timeout) == (1.5, 0.25)
    vox = roster.Voximplant(token="t", transport=Recording(), env=no_env, timeout=2, connect_timeout=0.5)
    vox.call("GetUsers", {"application_id": 1})
    assert (vox.transport.sent[0].timeout, vox.transport.sent[0].connect_timeout) == (2.0, 0.5)


def test_deadline_zero_switches_the_deadline_off():
    slow = (200, b'{"error":{"code":416,"msg":"Too many requests, try again in 120 seconds"}}')
    for retry, sleeps_wanted in ((roster.Retry(deadline=0), [120.0]), (roster.Retry(), [])):
        sleeps = []
        vox = roster.Voximplant(token="t", transport=Recording(slow), sleep=sleeps.append, clock=lambda: 0,
                                env=no_env, retry=retry)
        if sleeps_wanted:
            vox.call("GetUsers", {"application_id": 1})
        else:
            with pytest.raises(roster.ApiError):  # 120 s is past the default 90 s deadline
                vox.call("GetUsers", {"application_id": 1})
        assert sleeps == sleeps_wanted


@pytest.mark.parametrize("retry,names", [
    (dict(max_attempts=0), "max_attempts"),
    (dict(jitter=1.5), "jitter_percent"),
    (dict(attempt_timeout=0), "attempt_timeout_ms"),
    (dict(connect_timeout=0), "connect_timeout_ms"),
    (dict(base_backoff=0.0005), "base_backoff"),
    (dict(jitter=0.333), "jitter"),
    (dict(deadline=-1), "deadline"),
    (dict(max_backoff=float("nan")), "max_backoff"),
    (dict(max_attempts=2.0), "max_attempts"),
    (dict(max_attempts=True), "max_attempts"),
    (dict(base_backoff="1"), "base_backoff"),
])
def test_invalid_retry_values_are_config_errors_naming_the_field(retry, names):
    with pytest.raises(roster.ConfigError, match=names):
        roster.Voximplant(token="t", retry=roster.Retry(**retry), env=no_env)
    vox = roster.Voximplant(token="t", transport=Recording(), env=no_env)
    with pytest.raises(roster.ConfigError, match=names):
        vox.call("GetUsers", {"application_id": 1}, retry=roster.Retry(**retry))
    assert vox.transport.sent == []


def test_timeout_and_retry_attempt_timeout_together_are_refused():
    with pytest.raises(roster.ConfigError, match="not both"):
        roster.Voximplant(token="t", timeout=5, retry=roster.Retry(attempt_timeout=5), env=no_env)


def test_a_per_call_retry_applies_on_top_of_the_clients():
    t = Recording((502, b"x"), (502, b"x"), (502, b"x"), (502, b"x"))
    vox = roster.Voximplant(token="t", transport=t, sleep=lambda s: None, env=no_env,
                            retry=roster.Retry(max_attempts=4, jitter=0))
    with pytest.raises(roster.HttpStatusError):
        vox.call("GetUsers", {"application_id": 1}, retry=roster.Retry(max_attempts=2))
    assert len(t.sent) == 2


# ---- the hooks ---------------------------------------------------------------------------------

def test_the_attempt_hook_sees_the_cores_text_of_every_attempt():
    events = []
    t = Recording(roster.TransportFailure("not_sent", "refused"), (200, OK))
    vox = roster.Voximplant(token="secret-tok", base_url="https://vox.test", transport=t, env=no_env,
                            sleep=lambda s: None, on_attempt=events.append)
    vox.call("GetUsers", {"application_id": 1})
    assert [str(e) for e in events] == [
        "GetUsers attempt 1 (call): POST https://vox.test/platform_api/GetUsers -> transport not_sent: refused",
        "GetUsers attempt 2 (call): POST https://vox.test/platform_api/GetUsers -> HTTP 200",
    ]
    e = events[1]
    assert (e.method, e.number, e.purpose, e.outcome) == ("GetUsers", 2, "call", "HTTP 200")
    assert "secret-tok" not in repr(e) + str(e)


def test_an_exception_of_the_attempt_hook_ends_the_call():
    def hook(event):
        raise KeyError("hook")

    t = Recording((502, b"x"), (200, OK))
    vox = roster.Voximplant(token="t", transport=t, env=no_env, on_attempt=hook)
    with pytest.raises(KeyError):
        vox.call("GetUsers", {"application_id": 1})
    assert len(t.sent) == 1


def test_the_clock_dates_the_deadline_and_the_tokens():
    now = [1_700_000_000_000]

    class Slow(Recording):
        def send(self, request):
            now[0] += 40_000
            return super().send(request)

    t = Slow((502, b"x"), (502, b"x"), (502, b"x"), (502, b"x"))
    vox = roster.Voximplant(token="t", transport=t, clock=lambda: now[0], sleep=lambda s: None, env=no_env,
                            retry=roster.Retry(deadline=100))
    with pytest.raises(roster.HttpStatusError):
        vox.call("GetUsers", {"application_id": 1})
    # 40 s per exchange on the virtual clock: the third exchange gets only what is left of 100 s.
    assert [r.timeout for r in t.sent] == [30.0, 30.0, 20.0]
    signed = roster.Voximplant(CREDENTIALS, clock=lambda: 1_700_000_000_000, env=no_env)
    payload = signed.prepare("GetUsers", {"application_id": 1})
    token = dict(payload.headers)["authorization"].split(".")[1]
    import base64

    claims = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    assert claims["iat"] == 1_700_000_000 - 10


def test_the_seed_is_the_core_sessions():
    def sleeps(seed):
        out = []
        t = Recording((500, b"e"), (500, b"e"), (500, b"e"))
        vox = roster.Voximplant(token="t", transport=t, sleep=out.append, seed=seed, env=no_env,
                                retry=roster.Retry(jitter=0.5, base_backoff=1))
        vox.call("GetUsers", {"application_id": 1})
        return [round(s * 1e9) // 1_000_000 for s in out]

    # The shared scenario 59-seeded-jitter-seed-7: the same sleeps in every binding.
    assert sleeps(7) == [639, 1350, 2901]
    assert sleeps(7) == sleeps(7) != sleeps(8)


def test_no_settings_logic_is_left_in_python():
    import roster._config as config

    source = pathlib.Path(config.__file__).read_text()
    for fragment in ("os.environ", "VOXIMPLANT_", "VOISO_", "open(", "startswith(\"{\")", "= 4,", "90.0"):
        assert fragment not in source, fragment
    assert os.path.basename(config.__file__) == "_config.py"
