"""What the sync and async clients share: the native session, the transport, the host hooks
(clock, sleep, token provider), and the generated method groups (``vox.users``, ``vox.skills``,
...), whose methods hand each call to the client's ``_invoke`` (a result, or an awaitable of
one) and ``_iterate`` (an iterator, or an async one)."""

import time
from typing import Any, Callable, Dict, Generic, Optional, Type, TypeVar

from . import _config, _native
from ._errors import ConfigError

G = TypeVar("G")


class Group:
    """A view of the methods of one group, bound to a client."""

    __slots__ = ("_client",)

    def __init__(self, client: Any) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"


class GroupAccessor(Generic[G]):
    """``client.users``: makes the group view once per client and keeps it."""

    def __init__(self, group: Type[G]) -> None:
        self._group = group
        self._name = ""

    def __set_name__(self, owner: Any, name: str) -> None:
        self._name = "_group_" + name

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        view = obj.__dict__.get(self._name)
        if view is None:
            view = obj.__dict__[self._name] = self._group(obj)
        return view


Wrap = Callable[[Any], Any]
Clock = Callable[[], int]


def _system_clock() -> int:
    return time.time_ns() // 1_000_000


def _seed(seed: Optional[int]) -> Optional[int]:
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 1 << 64:
        raise ConfigError(f"seed must be a whole number from 0 to 2**64 - 1, got {seed!r}")
    return seed


class ClientBase:
    """A native session, a transport and the host's hooks; subclasses add the loop that drives
    calls (``_run``) and their default transport and sleep."""

    _session: "_native.NativeSession"
    _transport: Any
    _clock: Clock
    _sleep: Callable[[float], Any]
    _token_provider: Optional[Callable[[bool], Any]]

    def __init__(
        self,
        session: "_native.NativeSession",
        transport: Any,
        *,
        clock: Optional[Clock] = None,
        sleep: Optional[Callable[[float], Any]] = None,
        token_provider: Optional[Callable[[bool], Any]] = None,
    ) -> None:
        self._session = session
        self._transport = transport
        self._clock = clock if clock is not None else _system_clock
        self._sleep = sleep if sleep is not None else self._default_sleep()
        self._token_provider = token_provider

    @property
    def transport(self) -> Any:
        return self._transport

    def _now_ms(self) -> int:
        return self._clock()

    def prepare(self, method: str, params: Optional[Dict[str, Any]] = None, *, now: Optional[int] = None) -> "_native.Request":
        """The exact first request of a call, validated and signed, without sending it (a dry
        run); ``now`` (Unix seconds, default: the client's clock) dates the token. ``repr()``
        and ``to_curl()`` of the request redact every secret."""
        params = {} if params is None else params  # [] or "" is refused, not read as {}
        return self._session.prepare(method, params, self._clock() // 1000 if now is None else now)

    @staticmethod
    def _default_transport(ca_file: Optional[str]) -> Any:
        raise NotImplementedError

    @staticmethod
    def _default_sleep() -> Callable[[float], Any]:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<roster.{type(self).__name__} api={self._session.api}>"


def _setup(client: ClientBase, session: "_native.NativeSession", transport: Any, ca_file: Optional[str],
           clock: Optional[Clock], sleep: Optional[Callable[[float], Any]],
           token_provider: Optional[Callable[[bool], Any]]) -> None:
    if transport is not None and ca_file is not None:
        raise ConfigError("ca_file applies to the default transport; "
                          "configure trust in the custom transport instead")
    if token_provider is not None and not callable(token_provider):
        raise ConfigError(f"token_provider must be callable, got {type(token_provider).__name__}")
    ClientBase.__init__(
        client, session,
        transport if transport is not None else client._default_transport(ca_file),
        clock=clock, sleep=sleep, token_provider=token_provider,
    )


class VoximplantSetup(ClientBase):
    """Settings resolve as in every Roster binding (the core decides): the argument, then the
    environment, then the default.

    - ``credentials``: the service account's ``credentials.json`` as a path (``str`` or
      ``os.PathLike``), its JSON text (``str`` or ``bytes``) or a dict; default: the variable
      ``VOXIMPLANT_CREDENTIALS`` (a path, or the JSON itself).
    - ``token=``: a bearer token minted elsewhere (``str`` or ``bytes``), sent as is.
    - ``token_provider=``: ``provider(force_refresh) -> str | bytes`` (for the asyncio client it
      may be ``async``): asked before the first request and again, with ``force_refresh=True``,
      after the server refused a token (455/456). An exception it raises ends the call.
    - ``base_url``: default ``VOXIMPLANT_BASE_URL``, then ``https://api.voximplant.com``.
    - ``timeout``, ``connect_timeout`` (seconds) and ``retry=roster.Retry(...)``: see ``Retry``.
    - ``ca_file`` trusts a private CA (the emulator's) for the default transport;
      ``transport`` replaces it with any object that has ``send(request)``.
    - ``seed`` fixes the retry jitter (default: from the clock).
    - Hooks, for logging and tests: ``on_attempt(event)`` sees every attempt (a
      ``roster.AttemptEvent``, secrets redacted); ``clock()`` returns Unix time in
      milliseconds; ``sleep(seconds)`` waits between attempts; ``env`` (a mapping, or
      ``env(name) -> str | None``) and ``read_file(path) -> bytes`` replace the process's
      environment and file system for resolving the settings.
    """

    def __init__(
        self,
        credentials: Optional[_config.CredentialsSource] = None,
        *,
        token: Optional[_config.SecretText] = None,
        token_provider: Optional[Callable[[bool], Any]] = None,
        base_url: Optional[str] = None,
        ca_file: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        retry: Optional[_config.Retry] = None,
        transport: Any = None,
        seed: Optional[int] = None,
        on_attempt: Optional[Callable[[Any], Any]] = None,
        clock: Optional[Clock] = None,
        sleep: Optional[Callable[[float], Any]] = None,
        env: Optional[_config.EnvSource] = None,
        read_file: Optional[Callable[[str], bytes]] = None,
    ) -> None:
        session = _config.voximplant_session(
            credentials, token, token_provider is not None, base_url,
            _config.retry_overrides(retry, timeout, connect_timeout), _seed(seed),
            env, read_file, on_attempt,
        )
        _setup(self, session, transport, ca_file, clock, sleep, token_provider)


class VoisoSetup(ClientBase):
    """``api_key`` (``str`` or ``bytes``): default the variable ``VOISO_API_KEY``.
    ``base_url``: default ``VOISO_BASE_URL``, then ``https://cluster1.voiso.com``. The other
    settings and hooks are those of the Voximplant clients."""

    def __init__(
        self,
        api_key: Optional[_config.SecretText] = None,
        *,
        base_url: Optional[str] = None,
        ca_file: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        retry: Optional[_config.Retry] = None,
        transport: Any = None,
        seed: Optional[int] = None,
        on_attempt: Optional[Callable[[Any], Any]] = None,
        clock: Optional[Clock] = None,
        sleep: Optional[Callable[[float], Any]] = None,
        env: Optional[_config.EnvSource] = None,
        read_file: Optional[Callable[[str], bytes]] = None,
    ) -> None:
        session = _config.voiso_session(
            api_key, base_url, _config.retry_overrides(retry, timeout, connect_timeout),
            _seed(seed), env, read_file, on_attempt,
        )
        _setup(self, session, transport, ca_file, clock, sleep, None)
