"""The default asyncio transport, on httpx (``pip install roster-sdk[async]``).

Cancellation is immediate and final. Each exchange runs in a task of its own and ``send``
waits for it with ``asyncio.wait``, which only waits: a cancellation of the caller always
raises ``CancelledError`` there, even when it lands just as the answer arrives (where
``asyncio.wait_for`` before Python 3.12 returned the answer and dropped the cancellation, so
the call went on retrying). The exchange is then cancelled and not waited for, so
``CancelledError`` reaches the caller at once and the retry loop, which never catches it, sends
nothing more. The per-attempt timeout is the same wait's limit (on top of httpx's own connect,
read, write and pool timeouts), so it cannot be confused with a cancellation either.

At most ``max_connections`` exchanges are inside httpx at once; the rest wait in a FIFO queue
here. httpx's pool would queue them too, but it rescans its whole queue against every
connection whenever a request starts, ends or is cancelled: with a few hundred concurrent calls
that is quadratic work which stalls the event loop (cancelling 200 calls took 0.6 to 2.8 s).
An attempt whose time runs out while it waits here was not sent (``not_sent``), so the core may
retry it even when it is a write.
"""

import asyncio
import collections
import ssl
from typing import Any, Deque, List, Optional

import httpx

from ._transport import INTERRUPTED, NOT_SENT, TIMED_OUT, Response, TransportFailure


def _retrieve(exchange: "asyncio.Future[Any]") -> None:
    """Marks an abandoned exchange's exception as seen (asyncio would log it otherwise)."""
    if not exchange.cancelled():
        exchange.exception()


class _Gate:
    """A first-come-first-served limit on concurrent exchanges. Cancelling a waiter is O(1) and
    never loses a slot: a waiter cancelled just after being let in passes its slot on."""

    def __init__(self, limit: int) -> None:
        self._free = limit
        self._waiters: "Deque[asyncio.Future[None]]" = collections.deque()

    async def acquire(self) -> None:
        if self._free > 0 and not self._waiters:
            self._free -= 1
            return
        waiter: "asyncio.Future[None]" = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        let_in = False
        try:
            await waiter
            let_in = True
        finally:
            if not let_in and waiter.done() and not waiter.cancelled():
                self.release()  # let in, but cancelled before it could run: pass the slot on

    def release(self) -> None:
        waiters = self._waiters
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():  # cancelled waiters are done: skip them
                waiter.set_result(None)
                return
        self._free += 1


class HttpxTransport:
    """Sends through one ``httpx.AsyncClient`` (connection pooling, keep-alive). TLS is verified
    against the system's roots or, with ``ca_file``, against that CA only.

    At most ``max_connections`` requests are in flight at once, each on a kept-alive connection;
    further calls wait their turn. The default, 20, is the number of connections httpx keeps
    alive by default: past it, httpx's default pool (100) opened a connection per request and
    closed it after the answer, a TLS handshake per request. Aborting an exchange costs httpx
    work in proportion to its pool, so a small pool also keeps mass cancellation quick. With
    your own ``client``, pass its pool size as ``max_connections``."""

    def __init__(
        self,
        ca_file: Optional[str] = None,
        *,
        client: Optional[httpx.AsyncClient] = None,
        max_connections: int = 20,
    ) -> None:
        if max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        if client is None:
            client = httpx.AsyncClient(
                verify=ssl.create_default_context(cafile=ca_file),
                # Keep alive every connection the pool may open.
                limits=httpx.Limits(max_connections=max_connections,
                                    max_keepalive_connections=max_connections),
            )
        self._client = client
        self._gate = _Gate(max_connections)

    async def _exchange(self, request: Any, limits: httpx.Timeout, entered: List[bool]) -> httpx.Response:
        await self._gate.acquire()
        try:
            entered.append(True)  # from here on the request may leave the machine
            return await self._client.request(
                request.method,
                request.url,
                headers=request.headers,
                content=request.body,
                timeout=limits,
            )
        finally:
            self._gate.release()

    async def send(self, request: Any) -> Response:
        timeout = request.timeout or None
        limits = httpx.Timeout(timeout, connect=request.connect_timeout or None)
        entered: List[bool] = []
        exchange = asyncio.ensure_future(self._exchange(request, limits, entered))
        exchange.add_done_callback(_retrieve)
        try:
            done, _ = await asyncio.wait((exchange,), timeout=timeout)
        finally:
            # Cancelled, or out of time: end this attempt now. A CancelledError passes on as it is.
            if not exchange.done():
                exchange.cancel()
        if not done:
            if not entered:
                raise TransportFailure(NOT_SENT, f"no connection free within {timeout} s")
            raise TransportFailure(TIMED_OUT, f"no answer within {timeout} s")
        try:
            answer = exchange.result()
        except (httpx.ConnectError, httpx.ConnectTimeout) as e:
            raise TransportFailure(NOT_SENT, f"cannot connect: {e}") from None
        except httpx.PoolTimeout as e:
            raise TransportFailure(NOT_SENT, f"no connection free within {timeout} s: {e!r}") from None
        except httpx.TimeoutException as e:
            raise TransportFailure(TIMED_OUT, f"no answer within {timeout} s: {e!r}") from None
        except httpx.TransportError as e:
            raise TransportFailure(INTERRUPTED, f"{type(e).__name__}: {e}") from None
        return Response(answer.status_code, answer.headers.multi_items(), answer.content)

    async def aclose(self) -> None:
        await self._client.aclose()
