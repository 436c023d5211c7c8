"""Client settings: credentials from a path, a dict, a JSON string or the environment, and the
retry and timeout settings handed to the core."""

import os
from typing import Any, Dict, Mapping, Optional, Union

from . import _native
from ._errors import ConfigError

CredentialsSource = Union[str, "os.PathLike[str]", Mapping[str, Any]]


class Retry:
    """How hard a call tries. Which failures are retried is not a setting: it follows from what
    the failure proves and from whether the method is safe to repeat (see the README).

    - ``max_attempts``: requests sent for one call, lookups included; 1 disables retries.
    - ``base_backoff``: the first backoff in seconds; each further retry doubles it.
    - ``max_backoff``: no backoff, and no delay the server asks for, is longer than this.
    - ``jitter``: the randomised share of each backoff, 0.0 to 1.0.
    - ``deadline``: the longest a whole call may take in seconds, retries included; None for
      no limit.
    """

    # A plain class rather than a dataclass: `dataclasses` alone would double `import roster`.
    __slots__ = ("max_attempts", "base_backoff", "max_backoff", "jitter", "deadline")

    def __init__(
        self,
        max_attempts: int = 4,
        base_backoff: float = 0.2,
        max_backoff: float = 10.0,
        jitter: float = 0.5,
        deadline: Optional[float] = 90.0,
    ) -> None:
        self.max_attempts = max_attempts
        self.base_backoff = base_backoff
        self.max_backoff = max_backoff
        self.jitter = jitter
        self.deadline = deadline

    def _values(self) -> "tuple[Any, ...]":
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Retry) and other._values() == self._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"Retry({shown})"


def policy(retry: Optional[Retry], timeout: float, connect_timeout: float) -> Dict[str, Any]:
    r = retry or Retry()
    if not 0.0 <= r.jitter <= 1.0:
        raise ConfigError(f"Retry.jitter must be between 0 and 1, got {r.jitter}")
    return {
        "max_attempts": r.max_attempts,
        "base_backoff": r.base_backoff,
        "max_backoff": r.max_backoff,
        "jitter_percent": round(r.jitter * 100),
        "deadline": r.deadline,
        "attempt_timeout": timeout,
        "connect_timeout": connect_timeout,
    }


def _seed(seed: Optional[int]) -> int:
    return int.from_bytes(os.urandom(8), "little") if seed is None else seed


def credentials_json(credentials: Optional[CredentialsSource]) -> str:
    """The text of a ``credentials.json``: given as a dict, as JSON text, as a path, or read from
    the file ``VOXIMPLANT_CREDENTIALS`` names."""
    if credentials is None:
        credentials = os.environ.get("VOXIMPLANT_CREDENTIALS")
        if not credentials:
            raise ConfigError(
                "no Voximplant credentials: pass credentials= (a path, a dict or JSON text), "
                "token=, or set VOXIMPLANT_CREDENTIALS to the path of credentials.json"
            )
    if isinstance(credentials, Mapping):
        import json

        return json.dumps(dict(credentials))
    if isinstance(credentials, str) and credentials.lstrip().startswith("{"):
        return credentials
    path = os.fspath(credentials)
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        raise ConfigError(f"cannot read the credentials file {path!r}: {e.strerror}") from None


def voximplant_session(
    credentials: Optional[CredentialsSource],
    token: Optional[str],
    base_url: Optional[str],
    settings: Dict[str, Any],
    seed: Optional[int],
) -> "_native.NativeSession":
    if token is not None:
        return _native.NativeSession.voximplant_token(token, base_url, settings, _seed(seed))
    return _native.NativeSession.voximplant_service_account(
        credentials_json(credentials), base_url, settings, _seed(seed)
    )


def voiso_session(
    api_key: Optional[str],
    base_url: Optional[str],
    settings: Dict[str, Any],
    seed: Optional[int],
) -> "_native.NativeSession":
    api_key = api_key or os.environ.get("VOISO_API_KEY")
    if not api_key:
        raise ConfigError("no Voiso API key: pass api_key= or set VOISO_API_KEY")
    base_url = base_url or os.environ.get("VOISO_BASE_URL")
    return _native.NativeSession.voiso(api_key, base_url, settings, _seed(seed))
