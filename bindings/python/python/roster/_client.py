"""The blocking clients: ``roster.Voximplant`` and ``roster.Voiso``."""

import time
from typing import Any, Callable, Dict, Iterator, Optional

from . import _native
from ._api import VoisoGroups, VoximplantGroups
from ._config import Retry, retry_overrides
from ._pages import Pages
from ._surface import ClientBase, VoisoSetup, VoximplantSetup, Wrap
from ._transport import TransportFailure

_SEND, _SLEEP, _TOKEN = _native.SEND, _native.SLEEP, _native.TOKEN


class SyncClient(ClientBase):
    """Drives each call's state machine with a blocking transport, ``sleep`` (default
    ``time.sleep``) and the token provider; every decision is the core's."""

    def _run(self, handle: "_native.CallHandle") -> Any:
        now = self._clock
        step = handle.start(now())
        send = self._transport.send
        while True:
            kind, payload = step
            if kind == _SEND:
                try:
                    answer = send(payload)
                except TransportFailure as e:
                    step = handle.on_failure(e.kind, str(e), now())
                    continue
                step = handle.on_response(answer.status, answer.headers, answer.body, now())
            elif kind == _SLEEP:
                self._sleep(payload)
                step = handle.resume(now())
            elif kind == _TOKEN:
                step = handle.on_token(self._ask_token(payload), now())
            else:
                return payload

    def _ask_token(self, force_refresh: bool) -> Any:
        """The provider's token, or the exception it raised (the core then ends the call)."""
        provider = self._token_provider
        if provider is None:
            from ._errors import ConfigError

            return ConfigError("no token provider")
        try:
            return provider(force_refresh)
        except Exception as e:  # handed to the core, which ends the call with it
            return e

    def call(self, method: str, params: Optional[Dict[str, Any]] = None, *, retry: Optional[Retry] = None) -> Any:
        """Calls a method by name (``"GetUsers"`` or ``"get_users"``) with its wire parameters;
        returns the result in the core's JSON form (money as decimal strings). ``retry``
        changes the client's retry settings for this call."""
        params = {} if params is None else params  # [] or "" is refused, not read as {}
        return self._run(self._session.call(method, params, retry_overrides(retry)))

    def pages(self, method: str, params: Optional[Dict[str, Any]] = None, *,
              retry: Optional[Retry] = None) -> Pages[Dict[str, Any]]:
        """A list method by name, a page at a time (``next_page()``; see ``roster.Pages``):
        records in the core's JSON form. ``retry`` applies to each page's call."""
        params = {} if params is None else params  # [] or "" is refused, not read as {}
        return Pages(self, self._session.pager(method, params, retry_overrides(retry)))

    def _invoke(self, method: str, params: Dict[str, Any], wrap: Wrap) -> Any:
        return wrap(self._run(self._session.call(method, params)))

    def _iterate(self, method: str, params: Dict[str, Any], wrap: Wrap) -> Iterator[Any]:
        # A generator, so bad parameters raise at the first next(), as they always have.
        yield from Pages(self, self._session.pager(method, params), wrap)

    @staticmethod
    def _default_transport(ca_file: Optional[str]) -> Any:
        from ._http import HttpTransport

        return HttpTransport(ca_file)

    @staticmethod
    def _default_sleep() -> Callable[[float], Any]:
        return time.sleep

    def close(self) -> None:
        """Closes the transport's idle connections."""
        close = getattr(self._transport, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> "SyncClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class Voximplant(VoximplantGroups, VoximplantSetup, SyncClient):
    __doc__ = "The Voximplant Management API, blocking.\n\n" + (VoximplantSetup.__doc__ or "")


class Voiso(VoisoGroups, VoisoSetup, SyncClient):
    __doc__ = "Voiso user management, blocking.\n\n" + (VoisoSetup.__doc__ or "")
