"""The asyncio clients: ``roster.AsyncVoximplant`` and ``roster.AsyncVoiso``.

The native steps are quick and release the GIL; all waiting (the exchange and the backoff)
is awaited, so the event loop is never blocked on I/O.
"""

import asyncio
import inspect
from typing import Any, AsyncIterator, Callable, Dict, Optional

from . import _native
from ._api import AsyncVoisoGroups, AsyncVoximplantGroups
from ._config import Retry, retry_overrides
from ._pages import AsyncPages
from ._surface import ClientBase, VoisoSetup, VoximplantSetup, Wrap
from ._transport import TransportFailure

_SEND, _SLEEP, _TOKEN = _native.SEND, _native.SLEEP, _native.TOKEN


class AsyncClient(ClientBase):
    """Drives each call's state machine with an async transport, ``sleep`` (default
    ``asyncio.sleep``) and the token provider (sync or async); every decision is the core's.

    Cancellation is final: nothing here catches ``CancelledError``, so a cancelled call stops at
    the await it is in (the exchange or the backoff) and its state machine is dropped; no
    further attempt is sent. A transport that swallows a cancellation (returns an answer or
    raises ``TransportFailure`` although the call was cancelled) is caught on Python 3.11+,
    where the task counts cancellation requests: the call then raises ``CancelledError``.
    """

    async def _run(self, handle: "_native.CallHandle") -> Any:
        # 3.11+: the task's count of cancellation requests not yet handled.
        cancelling: Optional[Callable[[], int]] = getattr(asyncio.current_task(), "cancelling", None)
        floor = cancelling() if cancelling is not None else 0
        now = self._clock
        step = handle.start(now())
        send = self._transport.send
        while True:
            kind, payload = step
            if kind == _SEND:
                try:
                    answer = await send(payload)
                except TransportFailure as e:
                    if cancelling is not None and cancelling() > floor:
                        raise asyncio.CancelledError() from None
                    step = handle.on_failure(e.kind, str(e), now())
                    continue
                if cancelling is not None and cancelling() > floor:
                    raise asyncio.CancelledError()
                step = handle.on_response(answer.status, answer.headers, answer.body, now())
            elif kind == _SLEEP:
                await self._sleep(payload)
                step = handle.resume(now())
            elif kind == _TOKEN:
                step = handle.on_token(await self._ask_token(payload), now())
            else:
                return payload

    async def _ask_token(self, force_refresh: bool) -> Any:
        """The provider's token (awaited when it is async), or the exception it raised (the
        core then ends the call). A cancellation passes through."""
        provider = self._token_provider
        if provider is None:
            from ._errors import ConfigError

            return ConfigError("no token provider")
        try:
            token = provider(force_refresh)
            if inspect.isawaitable(token):
                token = await token
            return token
        except Exception as e:  # handed to the core, which ends the call with it
            return e

    async def call(self, method: str, params: Optional[Dict[str, Any]] = None, *,
                   retry: Optional[Retry] = None) -> Any:
        """Calls a method by name; returns the result in the core's JSON form. ``retry``
        changes the client's retry settings for this call."""
        params = {} if params is None else params  # [] or "" is refused, not read as {}
        return await self._run(self._session.call(method, params, retry_overrides(retry)))

    def pages(self, method: str, params: Optional[Dict[str, Any]] = None, *,
              retry: Optional[Retry] = None) -> AsyncPages[Dict[str, Any]]:
        """A list method by name, a page at a time (``await next_page()``; see
        ``roster.AsyncPages``): records in the core's JSON form. ``retry`` applies to each
        page's call."""
        params = {} if params is None else params  # [] or "" is refused, not read as {}
        return AsyncPages(self, self._session.pager(method, params, retry_overrides(retry)))

    async def _invoke(self, method: str, params: Dict[str, Any], wrap: Wrap) -> Any:
        return wrap(await self._run(self._session.call(method, params)))

    async def _iterate(self, method: str, params: Dict[str, Any], wrap: Wrap) -> AsyncIterator[Any]:
        async for item in AsyncPages(self, self._session.pager(method, params), wrap):
            yield item

    @staticmethod
    def _default_transport(ca_file: Optional[str]) -> Any:
        try:
            from ._httpx import HttpxTransport
        except ImportError:
            raise ImportError(
                "the asyncio clients' default transport needs httpx: pip install 'roster-sdk[async]'"
            ) from None
        return HttpxTransport(ca_file)

    @staticmethod
    def _default_sleep() -> Callable[[float], Any]:
        return asyncio.sleep

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
