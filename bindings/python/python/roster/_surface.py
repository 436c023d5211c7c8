"""What the sync and async clients share: the native session, the transport, and the generated
method groups (``vox.users``, ``vox.skills``, ...), whose methods hand each call to the client's
``_invoke`` (a result, or an awaitable of one) and ``_iterate`` (an iterator, or an async one)."""

from typing import Any, Callable, Dict, Generic, Optional, Type, TypeVar

from . import _config, _native

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


class ClientBase:
    """A native session and a transport; subclasses add the loop that drives calls."""

    _session: "_native.NativeSession"
    _transport: Any

    def __init__(self, session: "_native.NativeSession", transport: Any) -> None:
        self._session = session
        self._transport = transport

    @property
    def transport(self) -> Any:
        return self._transport

    def prepare(self, method: str, params: Optional[Dict[str, Any]] = None, *, now: Optional[int] = None) -> "_native.Request":
        """The exact first request of a call, validated and signed, without sending it (a dry
        run). ``repr()`` and ``to_curl()`` of the request redact every secret."""
        import time

        return self._session.prepare(method, params or {}, int(time.time()) if now is None else now)

    @staticmethod
    def _default_transport(ca_file: Optional[str]) -> Any:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<roster.{type(self).__name__} api={self._session.api}>"


class VoximplantSetup(ClientBase):
    """``credentials``: the service account's ``credentials.json`` as a path, a dict or JSON
    text; by default the file ``VOXIMPLANT_CREDENTIALS`` names. Or ``token=``: a bearer token
    minted elsewhere. ``timeout`` bounds one attempt and ``connect_timeout`` its connecting, in
    seconds; ``retry`` bounds retries. ``ca_file`` trusts a private CA (the emulator's);
    ``transport`` replaces the default transport with any object that has ``send(request)``.
    ``seed`` fixes the retry jitter (for tests)."""

    def __init__(
        self,
        credentials: Optional[_config.CredentialsSource] = None,
        *,
        token: Optional[str] = None,
        base_url: Optional[str] = None,
        ca_file: Optional[str] = None,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        retry: Optional[_config.Retry] = None,
        transport: Any = None,
        seed: Optional[int] = None,
    ) -> None:
        settings = _config.policy(retry, timeout, connect_timeout)
        session = _config.voximplant_session(credentials, token, base_url, settings, seed)
        super().__init__(session, transport if transport is not None else self._default_transport(ca_file))


class VoisoSetup(ClientBase):
    """``api_key`` and ``base_url`` default to ``VOISO_API_KEY`` and ``VOISO_BASE_URL``. The
    other settings are those of the Voximplant clients."""

    def __init__(
        self,
        api_key: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        ca_file: Optional[str] = None,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        retry: Optional[_config.Retry] = None,
        transport: Any = None,
        seed: Optional[int] = None,
    ) -> None:
        settings = _config.policy(retry, timeout, connect_timeout)
        session = _config.voiso_session(api_key, base_url, settings, seed)
        super().__init__(session, transport if transport is not None else self._default_transport(ca_file))
