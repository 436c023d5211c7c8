"""The asyncio clients: ``roster.AsyncVoximplant`` and ``roster.AsyncVoiso``.

The native steps are quick and release the GIL; all waiting (the exchange and the backoff)
is awaited, so the event loop is never blocked on I/O.
"""

import asyncio
import time
from typing import Any, AsyncIterator, Dict, Optional

from . import _native
from ._api import AsyncVoisoGroups, AsyncVoximplantGroups
from ._surface import ClientBase, VoisoSetup, VoximplantSetup, Wrap
from ._transport import TransportFailure

_SEND, _SLEEP = _native.SEND, _native.SLEEP


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


class AsyncClient(ClientBase):
    """Drives each call's state machine with an async transport and ``asyncio.sleep``."""

    async def _run(self, handle: "_native.CallHandle") -> Any:
        step = handle.start(_now_ms())
        send = self._transport.send
        while True:
            kind, payload = step
            if kind == _SEND:
                try:
                    answer = await send(payload)
                except TransportFailure as e:
                    step = handle.on_failure(e.kind, str(e), _now_ms())
                    continue
                step = handle.on_response(answer.status, answer.headers, answer.body, _now_ms())
            elif kind == _SLEEP:
                await asyncio.sleep(payload)
                step = handle.resume(_now_ms())
            else:
                return payload

    async def call(self, method: str, params: Optional[Dict[str, Any]] = None) -> Any:
        """Calls a method by name; returns the result in the core's JSON form."""
        return await self._run(self._session.call(method, params or {}))

    async def _invoke(self, method: str, params: Dict[str, Any], wrap: Wrap) -> Any:
        return wrap(await self._run(self._session.call(method, params)))

    async def _iterate(self, method: str, params: Dict[str, Any], wrap: Wrap) -> AsyncIterator[Any]:
        pager = self._session.pager(method, params)
        while True:
            handle = pager.next_call()
            if handle is None:
                return
            for item in await self._run(handle):
                yield wrap(item)

    @staticmethod
    def _default_transport(ca_file: Optional[str]) -> Any:
        try:
            from ._httpx import HttpxTransport
        except ImportError:
            raise ImportError(
                "the asyncio clients' default transport needs httpx: pip install 'roster-sdk[async]'"
            ) from None
        return HttpxTransport(ca_file)

    async def aclose(self) -> None:
        """Closes the transport's connections."""
        close = getattr(self._transport, "aclose", None)
        if close is not None:
            await close()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()


class AsyncVoximplant(AsyncVoximplantGroups, VoximplantSetup, AsyncClient):
    __doc__ = "The Voximplant Management API, asyncio.\n\n" + (VoximplantSetup.__doc__ or "")


class AsyncVoiso(AsyncVoisoGroups, VoisoSetup, AsyncClient):
    __doc__ = "Voiso user management, asyncio.\n\n" + (VoisoSetup.__doc__ or "")
