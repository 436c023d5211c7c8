"""The default asyncio transport, on httpx (``pip install roster-sdk[async]``)."""

import asyncio
import ssl
from typing import Any, Optional

import httpx

from ._transport import INTERRUPTED, NOT_SENT, TIMED_OUT, Response, TransportFailure


class HttpxTransport:
    """Sends through one ``httpx.AsyncClient`` (connection pooling, keep-alive). TLS is verified
    against the system's roots or, with ``ca_file``, against that CA only."""

    def __init__(self, ca_file: Optional[str] = None, *, client: Optional[httpx.AsyncClient] = None) -> None:
        if client is None:
            client = httpx.AsyncClient(verify=ssl.create_default_context(cafile=ca_file))
        self._client = client

    async def send(self, request: Any) -> Response:
        timeout = request.timeout or None
        limits = httpx.Timeout(timeout, connect=request.connect_timeout or None)
        try:
            answer = await asyncio.wait_for(
                self._client.request(
                    request.method,
                    request.url,
                    headers=request.headers,
                    content=request.body,
                    timeout=limits,
                ),
                timeout,
            )
        except (httpx.ConnectError, httpx.ConnectTimeout) as e:
            raise TransportFailure(NOT_SENT, f"cannot connect: {e}") from None
        except (httpx.TimeoutException, asyncio.TimeoutError) as e:
            raise TransportFailure(TIMED_OUT, f"no answer within {timeout} s: {e!r}") from None
        except httpx.TransportError as e:
            raise TransportFailure(INTERRUPTED, f"{type(e).__name__}: {e}") from None
        return Response(answer.status_code, answer.headers.multi_items(), answer.content)

    async def aclose(self) -> None:
        await self._client.aclose()
