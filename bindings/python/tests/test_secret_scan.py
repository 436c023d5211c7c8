"""Every credential, in every wrong form a careless caller gives it, through the Python clients
(`roster.Voximplant`, `roster.AsyncVoximplant`, `roster.Voiso`, `roster.AsyncVoiso`): no
fragment of the private key, a token, a password or a Voiso key may appear anywhere the binding
shows text.

Searched: `str()`, `repr()`, the args, attributes and `details` of every exception and of every
exception in its `__cause__`/`__context__` chain; `repr()` of clients, their sessions and method
groups, pagers and prepared requests, and `to_curl()`; every attempt-hook record (`str`, `repr`,
its request); and every log record of every logger, captured at DEBUG from the root logger while
real calls go through the default transports (`http.client`; httpx, whose httpcore logs each
step of an exchange at DEBUG) to a local HTTP listener. The bearer tokens the listener received
(the JWTs minted from the service account included) count as secrets too.

The Rust scan (bindings/rust/tests/secret_scan.rs) is the reference for the forms; Python adds
its own: bytes, a byte-order mark, a dict, `os.PathLike`, the `env=` hook (a mapping and a
callable) and the real environment, `read_file=` returning the wrong file, and the key file
passed as the credentials path.
"""

import asyncio
import errno
import http.server
import json
import logging
import pathlib
import threading
import traceback
from urllib.parse import quote

import pytest

import roster

REPO = pathlib.Path(__file__).resolve().parents[3]
CREDENTIALS_FILE = REPO / "tests" / "fixtures" / "credentials.json"
KEY_FILE = REPO / "tests" / "fixtures" / "test-key.pem"
CREDENTIALS = CREDENTIALS_FILE.read_text(encoding="utf-8")
PEM = json.loads(CREDENTIALS)["private_key"]
TOKEN = "tok-SECRET-9f8e7d6c5b4a"
VOISO_KEY = "voiso-SECRET-0a1b2c3d4e"
PASSWORD = "Pw-SECRET-1!abc"
URL_PASSWORD = "url-SECRET-pw"
FAST = roster.Retry(max_attempts=2, base_backoff=0.001, max_backoff=0.002)


def key_fragments():
    """Slices of the PEM body (the first and last 12 characters of each full line)."""
    lines = [line for line in PEM.splitlines() if not line.startswith("-----") and len(line) >= 24]
    assert len(lines) > 10
    return [part for line in lines for part in (line[:12], line[-12:])]


# Every secret here holds "SECRET", so a truncated or partly redacted one is found too.
FRAGMENTS = key_fragments() + [
    "PRIVATE KEY", TOKEN, VOISO_KEY, PASSWORD, quote(PASSWORD, safe=""), URL_PASSWORD, "SECRET",
]


class Scan:
    """Collects leaks: any fragment of a secret in any text handed to it."""

    def __init__(self):
        self.leaks = []
        self.texts = 0
        self.forms = 0
        self.extra = set()  # secrets learnt on the way: the bearer tokens the listener saw

    def text(self, what, text):
        self.texts += 1
        for fragment in FRAGMENTS + sorted(self.extra):
            if fragment in text:
                at = text.index(fragment)
                self.leaks.append(f"{what} shows {fragment[:16]!r}…: {text[max(0, at - 60):at + 40]!r}")

    def error(self, what, error):
        """The exception, its args, attributes and details, and its cause/context chain."""
        seen, chain = set(), [error]
        while chain:
            e = chain.pop()
            if e is None or id(e) in seen:
                continue
            seen.add(id(e))
            name = f"{what}: {type(e).__name__}"
            self.text(f"{name} str", str(e))
            self.text(f"{name} repr", repr(e))
            self.text(f"{name} text", "".join(traceback.format_exception_only(type(e), e)))
            self.text(f"{name} args", repr(e.args) + " ".join(map(str, e.args)))
            self.text(f"{name} attributes", repr(getattr(e, "__dict__", {})))
            if isinstance(e, roster.RosterError):
                self.text(f"{name} details", json.dumps(e.details, default=str))
                self.text(f"{name} message", e.message)
            if isinstance(e, roster.OutcomeUnknownError):
                self.text(f"{name} request", e.request)
            chain += [e.__cause__, e.__context__]

    def client(self, what, client):
        self.text(f"{what} repr", repr(client))
        self.text(f"{what} str", str(client))
        self.text(f"{what} session", repr(client._session))
        self.text(f"{what} transport", repr(client.transport))
        for group in ("users", "skills", "queues", "applications"):
            if hasattr(client, group):
                self.text(f"{what} .{group}", repr(getattr(client, group)))

    def request(self, what, request):
        self.text(f"{what} repr", repr(request))
        self.text(f"{what} str", str(request))
        self.text(f"{what} curl", request.to_curl())

    def attempts(self, what, events):
        assert events, f"{what}: the attempt hook saw nothing"
        for event in events:
            self.text(f"{what} attempt str", str(event))
            self.text(f"{what} attempt repr", repr(event))
            self.text(f"{what} attempt request", repr(event.request))
            self.text(f"{what} attempt outcome", repr(event.outcome))

    def logs(self, what, records):
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        for record in records:
            self.text(f"{what} log {record.name}", formatter.format(record))
            self.text(f"{what} log {record.name} record", repr(record.__dict__))

    def bearer_tokens(self, listener):
        """The tokens the listener received are secrets from here on (the JWTs are signed
        with the service account's key)."""
        for auth in listener.authorizations:
            if auth.startswith("Bearer "):
                self.extra.add(auth[len("Bearer "):])

    def check(self, forms):
        """No leak, after scanning the number of forms the test meant to."""
        assert self.texts > 0
        assert self.forms == forms, f"scanned {self.forms} forms, meant {forms}"
        assert not self.leaks, f"{len(self.leaks)} leaks:\n" + "\n".join(self.leaks)
        print(f"secret scan: {forms} forms, {self.texts} texts, 0 leaks")


@pytest.fixture
def scan():
    return Scan()


@pytest.fixture(autouse=True)
def no_settings_from_the_environment(monkeypatch):
    """Only what a test sets: the runner's own variables must not decide a form's fate."""
    for name in ("VOXIMPLANT_CREDENTIALS", "VOXIMPLANT_BASE_URL", "VOISO_API_KEY", "VOISO_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def test_the_scanner_finds_what_it_looks_for():
    """A leak planted in each kind of output is found, so a clean scan means something."""

    def found(plant):
        probe = Scan()
        plant(probe)
        return bool(probe.leaks)

    def chained(probe):
        try:
            try:
                raise KeyError(VOISO_KEY[:14])
            except KeyError as inner:
                raise ValueError("outer") from inner
        except ValueError as e:
            probe.error("chained", e)

    def log_args(probe):
        probe.extra.add("eyJ.minted.jwt")
        record = logging.LogRecord("httpcore", logging.DEBUG, __file__, 1, "headers %r",
                                   ((b"authorization", b"Bearer eyJ.minted.jwt"),), None)
        probe.logs("log args", [record])

    assert found(lambda p: p.text("plain", f"token {TOKEN}"))
    assert found(lambda p: p.text("a key slice", "..." + key_fragments()[3] + "..."))
    assert found(lambda p: p.text("percent-encoded", "user_password=Pw-SECRET-1%21abc"))
    assert found(lambda p: p.text("a URL", "https://admin:url-SECRET-pw@h"))
    assert found(chained)
    assert found(log_args)
    assert not found(lambda p: p.text("clean", "Bearer [redacted] user_password=[redacted]"))


# A local HTTP listener: answers every method, keeps what it received.

ANSWERS = {
    "/platform_api/GetUsers": b'{"result":[],"total_count":0,"count":0}',
    "/platform_api/AddUser": b'{"result":1,"user_id":7}',
    "/platform_api/SetUserInfo": b'{"result":1}',
    "/user_management/v1/users": b"[]",
}


class Listener:
    def __init__(self):
        self.authorizations = []
        self.bodies = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self):
                length = int(self.headers.get("content-length") or 0)
                listener.bodies.append(self.rfile.read(length))
                listener.authorizations.append(self.headers.get("authorization") or "")
                body = ANSWERS.get(self.path.split("?")[0], b'{"result":1}')
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def logs(caplog):
    """Every record of every logger, from DEBUG up."""
    caplog.set_level(logging.DEBUG)
    return caplog


class Ok200:
    """Answers every request like the listener, without a network."""

    def send(self, request):
        path = "/" + request.url.split("/", 3)[3].split("?")[0]
        return roster.Response(200, [("content-type", "application/json")],
                               ANSWERS.get(path, b'{"result":1}'))


class AsyncOk200(Ok200):
    async def send(self, request):
        return Ok200.send(self, request)


class Lost:
    """No answer ever: nothing sent (`not_sent`) or lost after sending (`interrupted`)."""

    def __init__(self, kind):
        self.kind = kind

    def send(self, request):
        raise roster.TransportFailure(self.kind, f"connection reset by peer ({self.kind})")


def no_sleep(seconds):
    pass


def attempt(scan, what, make):
    """Runs `make()`; an exception is scanned and returned, a result returned as is."""
    try:
        return make()
    except Exception as e:  # noqa: BLE001  (every exception is scanned)
        scan.error(what, e)
        return e


# 1. Voximplant credentials: every wrong form, through every route.

WRONG_CREDENTIALS = {
    "the JSON with a BOM and junk after it": "\ufeff" + CREDENTIALS + "x",
    "the PEM key": PEM,
    "the PEM key on one line": PEM.replace("\n", ""),
    "the PEM key with escaped newlines": PEM.replace("\n", "\\n"),
    "the JSON with a misnamed field": CREDENTIALS.replace('"key_id"', '"kid"'),
    "half the JSON": CREDENTIALS[: len(CREDENTIALS) // 2],
    "a token where a path was expected": TOKEN,
    "the JSON with one key line missing": CREDENTIALS.replace(PEM.splitlines()[3] + "\\n", ""),
    "the JSON as a Python repr": repr(json.loads(CREDENTIALS)),
}


def credential_routes(text, monkeypatch):
    """(route, keyword arguments) for one form: as the argument (str, bytes, bytes with a BOM,
    os.PathLike where it can be a path), through `env=` (a mapping, a callable) and through the
    process's environment."""
    routes = [
        ("argument str", lambda: dict(credentials=text)),
        ("argument bytes", lambda: dict(credentials=text.encode())),
        ("argument bytes with a BOM", lambda: dict(credentials=b"\xef\xbb\xbf" + text.encode())),
        ("env= mapping", lambda: dict(env={"VOXIMPLANT_CREDENTIALS": text})),
        ("env= callable", lambda: dict(env=lambda name: text if name == "VOXIMPLANT_CREDENTIALS" else None)),
    ]
    if "\x00" not in text:
        routes.append(("os.PathLike", lambda: dict(credentials=pathlib.Path(text))))

        def from_environ():
            monkeypatch.setenv("VOXIMPLANT_CREDENTIALS", text)
            return {}

        routes.append(("os.environ", from_environ))
    return routes


@pytest.mark.parametrize("cls", ["Voximplant", "AsyncVoximplant"])
def test_wrong_credentials_never_show(cls, scan, monkeypatch, logs):
    client_class = getattr(roster, cls)
    refused = 0
    for form, text in WRONG_CREDENTIALS.items():
        scan.forms += 1
        for route, kwargs in credential_routes(text, monkeypatch):
            what = f"{cls} credentials {form} ({route})"
            transport = AsyncOk200() if cls.startswith("Async") else Ok200()
            made = attempt(scan, what, lambda: client_class(transport=transport, **kwargs()))
            monkeypatch.delenv("VOXIMPLANT_CREDENTIALS", raising=False)
            if isinstance(made, Exception):
                assert isinstance(made, (roster.ConfigError, roster.CredentialsError)), (what, made)
                refused += 1
            else:
                scan.client(what, made)
                scan.request(what, made.prepare("GetUsers", {"application_id": 1}))
    assert refused > 0
    scan.logs(cls, logs.records)
    scan.check(forms=len(WRONG_CREDENTIALS))


def test_files_that_are_not_the_credentials_never_show(scan, monkeypatch, logs):
    """A path to the PEM key file, a credentials path whose file holds the wrong thing (read by
    `read_file=`), and a reader whose OSError names the path (the PEM where a path was
    expected): only the reason is shown."""

    def raising(path):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", path)

    cases = {
        "the key file as the credentials path": dict(credentials=str(KEY_FILE)),
        "the key file as the credentials variable": dict(env={"VOXIMPLANT_CREDENTIALS": str(KEY_FILE)}),
        "credentials.json holding the PEM": dict(credentials="credentials.json",
                                                 read_file=lambda path: PEM.encode()),
        "credentials.json holding half the JSON": dict(
            credentials="/etc/roster/credentials.json",
            read_file=lambda path: CREDENTIALS[: len(CREDENTIALS) // 2].encode()),
        "credentials.json holding the JSON with junk": dict(
            env={"VOXIMPLANT_CREDENTIALS": "/srv/credentials.json"},
            read_file=lambda path: (CREDENTIALS + "}").encode()),
        "a reader whose OSError names the PEM": dict(credentials=PEM, read_file=raising),
        "a reader whose OSError names the token": dict(credentials=TOKEN, read_file=raising),
    }
    for form, kwargs in cases.items():
        scan.forms += 1
        for cls in (roster.Voximplant, roster.AsyncVoximplant):
            made = attempt(scan, f"{cls.__name__} {form}", lambda: cls(**kwargs))
            assert isinstance(made, (roster.ConfigError, roster.CredentialsError)), (form, made)
    scan.logs("files", logs.records)
    scan.check(forms=len(cases))


VALID_CREDENTIALS = {
    "a path": lambda: dict(credentials=str(CREDENTIALS_FILE)),
    "an os.PathLike": lambda: dict(credentials=CREDENTIALS_FILE),
    "the JSON text": lambda: dict(credentials=CREDENTIALS),
    "the JSON with a trailing newline": lambda: dict(credentials=CREDENTIALS + "\n"),
    "the JSON with a BOM": lambda: dict(credentials="\ufeff" + CREDENTIALS),
    "the JSON as bytes": lambda: dict(credentials=CREDENTIALS.encode()),
    "the JSON as bytes with a BOM": lambda: dict(credentials=b"\xef\xbb\xbf" + CREDENTIALS.encode()),
    "a dict": lambda: dict(credentials=json.loads(CREDENTIALS)),
    "the JSON in env=": lambda: dict(env={"VOXIMPLANT_CREDENTIALS": CREDENTIALS}),
    "a path in env=": lambda: dict(env={"VOXIMPLANT_CREDENTIALS": str(CREDENTIALS_FILE)}),
}


def test_valid_credentials_never_show_in_clients_requests_or_hooks(scan, monkeypatch, logs):
    """Every form that works: the client, a dry run, and a call's attempt records (the minted
    token is a secret too)."""
    for form, kwargs in VALID_CREDENTIALS.items():
        scan.forms += 1
        events = []
        vox = roster.Voximplant(transport=Ok200(), on_attempt=events.append, **kwargs())
        request = vox.prepare("GetUsers", {"application_id": 1})
        auth = dict(request.headers)["authorization"]
        assert auth.startswith("Bearer ey"), form  # signed with the key: the form was read
        scan.extra.add(auth[len("Bearer "):])
        scan.client(form, vox)
        scan.request(form, request)
        vox.call("GetUsers", {"application_id": 1})
        scan.attempts(form, events)
        scan.text(f"{form} pages", repr(vox.pages("GetUsers", {"application_id": 1})))
    scan.logs("valid credentials", logs.records)
    scan.check(forms=len(VALID_CREDENTIALS))


# 2. Tokens and keys with whitespace, a prefix or an inner space: trimmed or refused.

TOKENS = {
    "a trailing newline": TOKEN + "\n",
    "a trailing CRLF": TOKEN + "\r\n",
    "surrounding spaces and a BOM": "\ufeff " + TOKEN + " \t",
    "bytes with a newline": (TOKEN + "\n").encode(),
    "a Bearer prefix": "Bearer " + TOKEN,
    "an inner space": TOKEN + " x",
    "an inner newline": TOKEN[:8] + "\n" + TOKEN[8:],
    "a NUL": TOKEN + "\x00",
    "a non-ASCII letter": TOKEN + "é",
    "a lone surrogate": TOKEN + "\udcff",
}
VOISO_KEYS = {
    "a trailing newline": VOISO_KEY + "\n",
    "spaces around and after": " " + VOISO_KEY + " extra",
    "a Bearer prefix": "Bearer " + VOISO_KEY,
    "bytes with CRLF": (VOISO_KEY + "\r\n").encode(),
    "a tab inside": VOISO_KEY[:6] + "\t" + VOISO_KEY[6:],
}


def trimmed(value):
    if isinstance(value, bytes):
        value = value.decode()
    return value.strip("\ufeff \t\r\n")


def test_tokens_in_every_form_through_the_blocking_client(scan, listener, logs):
    """Accepted forms are trimmed and really sent through http.client; refused ones are a
    ConfigError that does not show them. A token provider's tokens pass the same rule."""
    for form, token in TOKENS.items():
        scan.forms += 1
        what = f"token with {form}"
        for how in ("token=", "token_provider"):
            events = []
            given = dict(token=token) if how == "token=" else dict(token_provider=lambda force: token)
            vox = attempt(scan, f"{what} ({how})", lambda: roster.Voximplant(
                base_url=listener.url, retry=FAST, on_attempt=events.append, **given))
            if isinstance(vox, Exception):
                assert how == "token=" and isinstance(vox, roster.ConfigError), (what, vox)
                continue
            scan.client(f"{what} ({how})", vox)
            if how == "token=":
                scan.request(what, vox.prepare("GetUsers", {"application_id": 1}))
            result = attempt(scan, f"{what} ({how}) call", lambda: vox.call("GetUsers", {"application_id": 1}))
            if isinstance(result, Exception):
                assert isinstance(result, (roster.ConfigError, roster.CredentialsError)), (what, result)
            else:
                assert listener.authorizations[-1] == "Bearer " + trimmed(token), what
                scan.attempts(what, events)
            vox.close()
    assert "Bearer " + TOKEN in listener.authorizations  # the trimmed forms went out
    scan.bearer_tokens(listener)
    scan.logs("tokens (http.client)", logs.records)
    scan.check(forms=len(TOKENS))


async def test_tokens_and_keys_through_the_asyncio_clients_and_httpx(scan, listener, logs):
    """The asyncio clients over httpx, whose httpcore logs every step at DEBUG: a key with a
    trailing newline once raised TransportError(interrupted) with the key in its text and in
    httpcore's log lines."""
    for form, token in TOKENS.items():
        scan.forms += 1
        what = f"async token with {form}"
        events = []
        vox = attempt(scan, what, lambda: roster.AsyncVoximplant(
            token=token, base_url=listener.url, retry=FAST, on_attempt=events.append))
        if isinstance(vox, Exception):
            assert isinstance(vox, roster.ConfigError), (what, vox)
        else:
            scan.client(what, vox)
            await vox.call("GetUsers", {"application_id": 1})
            assert listener.authorizations[-1] == "Bearer " + trimmed(token), what
            scan.attempts(what, events)
            await vox.aclose()

        async def provider(force):
            return token

        vox = roster.AsyncVoximplant(token_provider=provider, base_url=listener.url, retry=FAST)
        try:
            await vox.call("GetUsers", {"application_id": 1})
        except Exception as e:  # noqa: BLE001
            assert isinstance(e, (roster.ConfigError, roster.CredentialsError)), (what, e)
            scan.error(f"{what} (async token_provider)", e)
        await vox.aclose()
    for form, key in VOISO_KEYS.items():
        scan.forms += 1
        what = f"async Voiso key with {form}"
        for how, make in (
            ("argument", lambda: roster.AsyncVoiso(key, base_url=listener.url, retry=FAST)),
            ("env=", lambda: roster.AsyncVoiso(env={"VOISO_API_KEY": key if isinstance(key, str) else key.decode(),
                                                    "VOISO_BASE_URL": listener.url}, retry=FAST)),
        ):
            voiso = attempt(scan, f"{what} ({how})", make)
            if isinstance(voiso, Exception):
                assert isinstance(voiso, roster.ConfigError), (what, voiso)
                continue
            scan.client(what, voiso)
            scan.request(what, voiso.prepare("ListUsers", {}))
            await voiso.call("ListUsers", {})
            assert listener.authorizations[-1] == "Bearer " + trimmed(key), what
            await voiso.aclose()
    assert "Bearer " + TOKEN in listener.authorizations
    assert "Bearer " + VOISO_KEY in listener.authorizations
    # httpx and httpcore really logged the exchanges at DEBUG.
    assert any(r.name.startswith("httpcore") and r.levelno == logging.DEBUG for r in logs.records)
    assert any(r.name == "httpx" for r in logs.records)
    scan.bearer_tokens(listener)
    scan.logs("tokens (httpx)", logs.records)
    scan.check(forms=len(TOKENS) + len(VOISO_KEYS))


def test_voiso_keys_through_the_blocking_client(scan, listener, monkeypatch, logs):
    for form, key in VOISO_KEYS.items():
        scan.forms += 1
        what = f"Voiso key with {form}"
        text = key if isinstance(key, str) else key.decode()

        def from_environ():
            monkeypatch.setenv("VOISO_API_KEY", text)
            monkeypatch.setenv("VOISO_BASE_URL", listener.url)
            return roster.Voiso(retry=FAST)

        for how, make in (
            ("argument", lambda: roster.Voiso(key, base_url=listener.url, retry=FAST)),
            ("env=", lambda: roster.Voiso(env={"VOISO_API_KEY": text, "VOISO_BASE_URL": listener.url}, retry=FAST)),
            ("os.environ", from_environ),
        ):
            voiso = attempt(scan, f"{what} ({how})", make)
            monkeypatch.delenv("VOISO_API_KEY", raising=False)
            monkeypatch.delenv("VOISO_BASE_URL", raising=False)
            if isinstance(voiso, Exception):
                assert isinstance(voiso, roster.ConfigError), (what, voiso)
                continue
            scan.client(what, voiso)
            scan.request(what, voiso.prepare("ListUsers", {}))
            voiso.call("ListUsers", {})
            assert listener.authorizations[-1] == "Bearer " + trimmed(key), what
    assert "Bearer " + VOISO_KEY in listener.authorizations
    scan.bearer_tokens(listener)
    scan.logs("Voiso keys", logs.records)
    scan.check(forms=len(VOISO_KEYS))


# 3. A base URL with a user and a password (or a key in its query, or a key instead of it):
#    given, and from the environment.

def test_base_urls_with_a_password_never_show(scan, listener, monkeypatch, logs):
    port = listener.url.rsplit(":", 1)[1]
    urls = [
        f"https://admin:{URL_PASSWORD}@127.0.0.1:9",
        f"https://{URL_PASSWORD}@h/p",
        f"http://admin:{URL_PASSWORD}@127.0.0.1:{port}/prefix",
        f"http://:{URL_PASSWORD}@127.0.0.1:{port}",
        f"admin:{URL_PASSWORD}@api.test",
        f"https:/admin:{URL_PASSWORD}@api.test",
        f"https://admin:pa/{URL_PASSWORD}@api.test",
        f"https://admin:pa#{URL_PASSWORD}@api.test",
        f"https://admin:pa?{URL_PASSWORD}@api.test/p",
        f"https://admin:{URL_PASSWORD}@api.test:99999",
        f"https://admin:{URL_PASSWORD}@api .test",
        f"ftp://admin:{URL_PASSWORD}@api.test",
        # The legacy Voximplant key in a query, a fragment, and a key where the URL was expected
        # (a swapped variable): refused without being shown.
        f"https://api.voximplant.com/?account_id=1&api_key={TOKEN}",
        f"http://127.0.0.1:{port}/p?key={VOISO_KEY}",
        f"https://h/p#{URL_PASSWORD}",
        TOKEN,
        VOISO_KEY + "\n",
    ]
    clients = [
        ("Voximplant", roster.Voximplant, "VOXIMPLANT_BASE_URL", dict(token=TOKEN)),
        ("AsyncVoximplant", roster.AsyncVoximplant, "VOXIMPLANT_BASE_URL", dict(token=TOKEN)),
        ("Voiso", roster.Voiso, "VOISO_BASE_URL", dict(api_key=VOISO_KEY)),
        ("AsyncVoiso", roster.AsyncVoiso, "VOISO_BASE_URL", dict(api_key=VOISO_KEY)),
    ]
    for url in urls:
        scan.forms += 1
        for name, cls, variable, auth in clients:
            def from_environ():
                monkeypatch.setenv(variable, url)
                return cls(**auth)

            for how, make in (
                ("argument", lambda: cls(base_url=url, **auth)),
                ("env=", lambda: cls(env={variable: url}, **auth)),
                ("os.environ", from_environ),
            ):
                made = attempt(scan, f"{name} base URL ({how})", make)
                monkeypatch.delenv(variable, raising=False)
                assert isinstance(made, roster.ConfigError), (name, how, made)
    assert listener.bodies == []
    scan.logs("base URLs", logs.records)
    scan.check(forms=len(urls))


# A secret of the wrong type, or given where something else was expected.

def test_secrets_of_the_wrong_type_or_in_the_wrong_place_never_show(scan, logs):
    creds = json.loads(CREDENTIALS)

    class Unprintable:
        def __repr__(self):
            return TOKEN

    made = {
        "token as a dict": lambda: roster.Voximplant(token={"token": TOKEN}),
        "token as a list": lambda: roster.Voximplant(token=[TOKEN]),
        "api_key as a dict": lambda: roster.Voiso({"api_key": VOISO_KEY}),
        "api_key as an object whose repr is the key": lambda: roster.Voiso(Unprintable()),
        "credentials as a list": lambda: roster.Voximplant([CREDENTIALS]),
        "credentials as a dict with the key only": lambda: roster.Voximplant({"private_key": PEM}),
        "credentials as a dict with a value JSON cannot hold": lambda: roster.Voximplant(
            dict(creds, extra=Unprintable())),
        "credentials as a dict with a lone surrogate": lambda: roster.Voximplant(
            dict(creds, private_key=PEM + "\udcff")),
        "token and credentials both": lambda: roster.Voximplant(CREDENTIALS, token=TOKEN),
        "the PEM as ca_file": lambda: roster.Voximplant(token=TOKEN, ca_file=PEM),
        "the credentials JSON as ca_file": lambda: roster.Voximplant(token=TOKEN, ca_file=CREDENTIALS),
        "the key file as ca_file": lambda: roster.Voximplant(token=TOKEN, ca_file=str(KEY_FILE)),
        "the PEM as ca_file (asyncio)": lambda: roster.AsyncVoximplant(token=TOKEN, ca_file=PEM),
        "the key file as ca_file (asyncio)": lambda: roster.AsyncVoiso(VOISO_KEY, ca_file=str(KEY_FILE)),
    }
    for form, make in made.items():
        scan.forms += 1
        outcome = attempt(scan, form, make)
        assert isinstance(outcome, Exception), form
    providers = {
        "a token provider returning a dict": {"access_token": TOKEN},
        "a token provider returning a list": [TOKEN],
        "a token provider returning an object whose repr is the token": Unprintable(),
    }
    for form, returned in providers.items():
        scan.forms += 1
        vox = roster.Voximplant(token_provider=lambda force: returned, transport=Ok200())
        error = attempt(scan, form, lambda: vox.call("GetUsers", {"application_id": 1}))
        assert isinstance(error, roster.CredentialsError), (form, error)
    scan.logs("wrong types", logs.records)
    scan.check(forms=len(made) + len(providers))


# 4. A password parameter: dry runs, real calls, attempt records, refusals and lost answers.

WEAK_PASSWORDS = (PASSWORD + " ", "SECRETSECRET", "SECRET1!", PASSWORD + "\udcff", PASSWORD.encode(),
                  PASSWORD + "\n")
ADD_USER = {"user_name": "jdoe", "user_display_name": "J", "user_password": PASSWORD,
            "application_id": 1}


def test_a_password_parameter_never_shows(scan, listener, logs):
    events = []
    vox = roster.Voximplant(credentials=CREDENTIALS, base_url=listener.url, retry=FAST,
                            on_attempt=events.append)
    scan.forms += 1
    scan.request("AddUser dry run", vox.prepare("AddUser", ADD_USER))
    scan.request("SetUserInfo dry run", vox.prepare("SetUserInfo", {"user_id": 7, "user_password": PASSWORD}))
    assert vox.call("AddUser", ADD_USER)["user_id"] == 7
    vox.users.set_user_info(user_id=7, user_password=PASSWORD)
    assert quote(PASSWORD, safe="").encode() in listener.bodies[-1]  # the real value went out
    scan.attempts("AddUser through http.client", events)
    vox.close()

    # Refused passwords: the error names the parameter, never the value.
    for weak in WEAK_PASSWORDS:
        scan.forms += 1
        for how in ("prepare", "call"):
            error = attempt(scan, f"weak password {how}", lambda: getattr(vox, how)(
                "AddUser", dict(ADD_USER, user_password=weak)))
            assert isinstance(error, roster.ValidationError) and error.parameter == "user_password", error

    # Lost answers: a TransportError after retries, and an OutcomeUnknownError with the
    # (redacted) request.
    for kind in ("not_sent", "interrupted"):
        lost = roster.Voximplant(credentials=CREDENTIALS, transport=Lost(kind), retry=FAST,
                                 sleep=no_sleep, on_attempt=events.append)
        for method, params in (("AddUser", ADD_USER),
                               ("SetUserInfo", {"user_id": 7, "user_password": PASSWORD})):
            error = attempt(scan, f"{method} lost ({kind})", lambda: lost.call(method, params))
            assert isinstance(error, (roster.TransportError, roster.OutcomeUnknownError)), error
    scan.attempts("lost answers", events)

    # A closed port: the default transport's own failure.
    closed = roster.Voximplant(credentials=CREDENTIALS, base_url="http://127.0.0.1:9", retry=FAST)
    error = attempt(scan, "closed port", lambda: closed.call("AddUser", ADD_USER))
    assert isinstance(error, roster.TransportError), error
    scan.bearer_tokens(listener)
    scan.logs("password (http.client)", logs.records)
    scan.check(forms=1 + len(WEAK_PASSWORDS))


async def test_a_password_parameter_never_shows_through_httpx(scan, listener, logs):
    events = []
    vox = roster.AsyncVoximplant(credentials=json.loads(CREDENTIALS), base_url=listener.url,
                                 retry=FAST, on_attempt=events.append)
    scan.forms += 1
    scan.request("AddUser dry run (async)", vox.prepare("AddUser", ADD_USER))
    assert (await vox.users.add_user(**ADD_USER)).user_id == 7
    await vox.call("SetUserInfo", {"user_id": 7, "user_password": PASSWORD})
    assert quote(PASSWORD, safe="").encode() in listener.bodies[-1]
    scan.attempts("AddUser through httpx", events)
    await vox.aclose()
    error = None
    closed = roster.AsyncVoximplant(credentials=CREDENTIALS, base_url="http://127.0.0.1:9", retry=FAST)
    try:
        await closed.call("AddUser", ADD_USER)
    except roster.RosterError as e:
        error = e
        scan.error("closed port (async)", e)
    assert isinstance(error, roster.TransportError), error
    await closed.aclose()
    assert any(r.name.startswith("httpcore") for r in logs.records)
    scan.bearer_tokens(listener)
    assert scan.extra, "the listener saw no bearer token"
    scan.logs("password (httpx)", logs.records)
    scan.check(forms=1)
