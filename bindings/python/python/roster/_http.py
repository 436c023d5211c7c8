"""The default blocking transport: the standard library's ``http.client`` and ``ssl``.

Connections are kept alive and reused per host (a small pool, safe across threads). TLS is
verified against the system's roots or, with ``ca_file``, against that CA only (the emulator's).
Failures are reported as the core needs them: connecting (DNS, refused, TLS handshake, connect
timeout) is ``not_sent``; a timeout after sending is ``timed_out``; anything else after sending
is ``interrupted``.
"""

import http.client
import select
import socket
import ssl
import threading
from typing import Dict, List, Optional, Tuple, Union
from urllib.parse import urlsplit

from ._transport import INTERRUPTED, NOT_SENT, TIMED_OUT, Response, TransportFailure

_Connection = Union[http.client.HTTPConnection, http.client.HTTPSConnection]
_Key = Tuple[str, str, int]


class HttpTransport:
    """Blocking HTTP/1.1 with keep-alive. ``max_idle`` connections are kept per host."""

    def __init__(
        self,
        ca_file: Optional[str] = None,
        *,
        ssl_context: Optional[ssl.SSLContext] = None,
        max_idle: int = 4,
    ) -> None:
        self._ssl = ssl_context or ssl.create_default_context(cafile=ca_file)
        self._max_idle = max_idle
        self._idle: Dict[_Key, List[_Connection]] = {}
        self._lock = threading.Lock()

    def send(self, request: "object") -> Response:
        method = request.method  # type: ignore[attr-defined]
        url = urlsplit(request.url)  # type: ignore[attr-defined]
        key: _Key = (url.scheme, url.hostname or "", url.port or (443 if url.scheme == "https" else 80))
        path = url.path or "/"
        if url.query:
            path += "?" + url.query
        conn = self._checkout(key)
        if conn is None:
            conn = self._connect(key, request.connect_timeout)  # type: ignore[attr-defined]
        timeout = request.timeout or None  # type: ignore[attr-defined]
        try:
            assert conn.sock is not None
            conn.sock.settimeout(timeout)
            conn.request(method, path, body=request.body, headers=dict(request.headers))  # type: ignore[attr-defined]
            answer = conn.getresponse()
            body = answer.read()
        except socket.timeout as e:
            conn.close()
            raise TransportFailure(TIMED_OUT, f"no answer within {timeout} s: {e}") from None
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            raise TransportFailure(INTERRUPTED, f"{type(e).__name__}: {e}") from None
        if answer.will_close:
            conn.close()
        else:
            self._checkin(key, conn)
        return Response(answer.status, answer.getheaders(), body)

    def _connect(self, key: _Key, timeout: float) -> _Connection:
        scheme, host, port = key
        conn: _Connection
        if scheme == "https":
            conn = http.client.HTTPSConnection(host, port, timeout=timeout or None, context=self._ssl)
        else:
            conn = http.client.HTTPConnection(host, port, timeout=timeout or None)
        try:
            conn.connect()
        except (OSError, ssl.SSLError) as e:
            conn.close()
            raise TransportFailure(NOT_SENT, f"cannot connect to {host}:{port}: {e}") from None
        return conn

    def _checkout(self, key: _Key) -> Optional[_Connection]:
        with self._lock:
            idle = self._idle.get(key)
            while idle:
                conn = idle.pop()
                if _usable(conn):
                    return conn
                conn.close()
        return None

    def _checkin(self, key: _Key, conn: _Connection) -> None:
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if len(idle) < self._max_idle:
                idle.append(conn)
                return
        conn.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for conns in idle.values():
            for conn in conns:
                conn.close()


def _usable(conn: _Connection) -> bool:
    """An idle connection is reusable if the server has not closed it: a readable socket with
    nothing expected means EOF (or garbage), so sending on it would fail after the fact."""
    sock = conn.sock
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable
