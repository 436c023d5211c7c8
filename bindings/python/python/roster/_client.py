"""The blocking clients: ``roster.Voximplant`` and ``roster.Voiso``."""

import time
from typing import Any, Dict, Iterator, Optional

from . import _native
from ._api import VoisoGroups, VoximplantGroups
from ._surface import ClientBase, VoisoSetup, VoximplantSetup, Wrap
from ._transport import TransportFailure

_SEND, _SLEEP = _native.SEND, _native.SLEEP


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class SyncClient(ClientBase):
    """Drives each call's state machine with a blocking transport and ``time.sleep``."""

    def _run(self, handle: "_native.CallHandle") -> Any:
        step = handle.start(_now_ms())
        send = self._transport.send
        while True:
            kind, payload = step
            if kind == _SEND:
                try:
                    answer = send(payload)
                except TransportFailure as e:
                    step = handle.on_failure(e.kind, str(e), _now_ms())
                    continue
                step = handle.on_response(answer.status, answer.headers, answer.body, _now_ms())
            elif kind == _SLEEP:
                time.sleep(payload)
                step = handle.resume(_now_ms())
            else:
                return payload

    def call(self, method: str, params: Optional[Dict[str, Any]] = None) -> Any:
        """Calls a method by name (``"GetUsers"`` or ``"get_users"``) with its wire parameters;
        returns the result in the core's JSON form (money as decimal strings)."""
        return self._run(self._session.call(method, params or {}))

    def _invoke(self, method: str, params: Dict[str, Any], wrap: Wrap) -> Any:
        return wrap(self._run(self._session.call(method, params)))

    def _iterate(self, method: str, params: Dict[str, Any], wrap: Wrap) -> Iterator[Any]:
        pager = self._session.pager(method, params)
        while True:
            handle = pager.next_call()
            if handle is None:
                return
            for item in self._run(handle):
                yield wrap(item)

    @staticmethod
    def _default_transport(ca_file: Optional[str]) -> Any:
        from ._http import HttpTransport

        return HttpTransport(ca_file)

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
