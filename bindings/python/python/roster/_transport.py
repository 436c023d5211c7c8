"""What a transport receives and returns.

A transport is any object with ``send(request) -> Response`` (``async def send`` for the
asyncio clients). It sends the request as given, within ``request.connect_timeout`` and
``request.timeout``, and returns whatever answer came, error statuses included: the core reads
them. When no answer came it raises :class:`TransportFailure` with the kind that says whether
the request may have reached the server, since that decides whether a write may be resent.
"""

from typing import Iterable, List, Tuple

NOT_SENT = "not_sent"
TIMED_OUT = "timed_out"
INTERRUPTED = "interrupted"


class Response:
    """An HTTP answer as the transport received it."""

    __slots__ = ("status", "headers", "body")

    def __init__(self, status: int, headers: Iterable[Tuple[str, str]], body: bytes) -> None:
        self.status = status
        self.headers: List[Tuple[str, str]] = list(headers)
        self.body = body

    def __repr__(self) -> str:
        return f"Response(status={self.status}, body=<{len(self.body)} bytes>)"


class TransportFailure(Exception):
    """No answer. ``kind``: ``not_sent`` only when nothing left the machine (DNS failure,
    connection refused, TLS handshake failure); ``timed_out`` or ``interrupted`` once the
    request may have been sent."""

    def __init__(self, kind: str, message: str) -> None:
        if kind not in (NOT_SENT, TIMED_OUT, INTERRUPTED):
            raise ValueError(f"unknown transport failure kind {kind!r}")
        super().__init__(message)
        self.kind = kind
