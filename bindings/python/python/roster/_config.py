"""Client settings in Python's idiom, handed to the core as they are.

Nothing here decides. Which source wins (an argument, then the environment, then the default),
whether credentials are a path or JSON text, how keys and tokens are trimmed and checked, the
retry defaults and which retry values are allowed: all of it is the core's one settings
resolver (``roster_core::settings``) and its ``RetryOverrides``, the same in every binding.
This module only turns Python values into what the core takes: credentials, tokens and keys
into bytes, :class:`Retry`'s seconds into the core's milliseconds.
"""

import os
from typing import Any, Callable, Dict, Mapping, Optional, Union

from . import _native
from ._errors import ConfigError

CredentialsSource = Union[str, bytes, bytearray, "os.PathLike[str]", "os.PathLike[bytes]", Mapping[str, Any]]
SecretText = Union[str, bytes, bytearray]
EnvSource = Union[Mapping[str, str], Callable[[str], Optional[str]]]


class Retry:
    """How hard a call tries. Which failures are retried is not a setting: it follows from what
    the failure proves and from whether the method is safe to repeat (see the README).

    Every field is optional: ``None`` keeps the core's default (shown in brackets), the same
    default in every binding. Durations are in seconds and must be whole milliseconds.

    - ``max_attempts`` [4]: requests sent for one call, lookups included; 1 disables retries.
    - ``base_backoff`` [0.2]: the first backoff; each further retry doubles it.
    - ``max_backoff`` [10]: no backoff is longer than this.
    - ``jitter`` [0.5]: the randomised share of each backoff, 0.0 to 1.0 in steps of 0.01.
    - ``deadline`` [90]: the longest a whole call may take, retries and sleeps included;
      **0 switches the deadline off**. (Before, ``deadline=None`` meant no limit; ``None`` now
      keeps the default like every other field.)
    - ``connect_timeout`` [10]: the longest connecting may take.
    - ``attempt_timeout`` [30]: the longest one exchange may take (shortened to what is left of
      the deadline). The client's ``timeout=`` and ``connect_timeout=`` set the same two.

    A value the core cannot take is a :class:`roster.ConfigError` naming the field, never
    rounded or clamped: ``max_attempts=0``, ``jitter=1.5``, ``attempt_timeout=0``, a negative
    or fractional-millisecond duration.
    """

    # A plain class rather than a dataclass: `dataclasses` alone would double `import roster`.
    __slots__ = ("max_attempts", "base_backoff", "max_backoff", "jitter", "deadline",
                 "connect_timeout", "attempt_timeout")

    def __init__(
        self,
        max_attempts: Optional[int] = None,
        base_backoff: Optional[float] = None,
        max_backoff: Optional[float] = None,
        jitter: Optional[float] = None,
        deadline: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        attempt_timeout: Optional[float] = None,
    ) -> None:
        self.max_attempts = max_attempts
        self.base_backoff = base_backoff
        self.max_backoff = max_backoff
        self.jitter = jitter
        self.deadline = deadline
        self.connect_timeout = connect_timeout
        self.attempt_timeout = attempt_timeout

    def _values(self) -> "tuple[Any, ...]":
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Retry) and other._values() == self._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__
                          if getattr(self, name) is not None)
        return f"Retry({shown})"

    def _overrides(self) -> Dict[str, int]:
        """The core's ``RetryOverrides``: the fields given, each in the core's unit."""
        out: Dict[str, int] = {}
        if self.max_attempts is not None:
            out["max_attempts"] = _whole("max_attempts", self.max_attempts)
        for name in ("base_backoff", "max_backoff", "deadline", "connect_timeout", "attempt_timeout"):
            value = getattr(self, name)
            if value is not None:
                out[name + "_ms"] = _scaled(name, value, 1000, "a whole number of milliseconds")
        if self.jitter is not None:
            out["jitter_percent"] = _scaled("jitter", self.jitter, 100, "a multiple of 0.01")
        return out


def _whole(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"retry.{name} must be a whole number, got {type(value).__name__}")
    if value < 0:
        raise ConfigError(f"retry.{name} must not be negative, got {value}")
    return value


def _scaled(name: str, value: Any, scale: int, exact: str) -> int:
    """``value * scale`` as an int, refused (never rounded) when it is not one."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"retry.{name} must be a number, got {type(value).__name__}")
    if value != value or value in (float("inf"), float("-inf")):
        raise ConfigError(f"retry.{name} must be a finite number, got {value}")
    if value < 0:
        raise ConfigError(f"retry.{name} must not be negative, got {value}")
    if isinstance(value, int):
        return value * scale
    scaled = value * scale
    whole = round(scaled)
    # Binary fractions: 0.3 s is 300.00000000000006 ms, which is meant as 300.
    if abs(scaled - whole) > 1e-6 * max(1.0, abs(scaled)):
        raise ConfigError(f"retry.{name} must be {exact}, got {value}")
    return int(whole)


def retry_overrides(
    retry: Optional[Retry],
    timeout: Optional[float] = None,
    connect_timeout: Optional[float] = None,
) -> Optional[Dict[str, int]]:
    """A client's or a call's overrides: ``retry`` and the ``timeout``/``connect_timeout``
    shorthands, which must not contradict it."""
    if retry is not None and not isinstance(retry, Retry):
        raise ConfigError(f"retry must be a roster.Retry, got {type(retry).__name__}")
    out = retry._overrides() if retry is not None else {}
    for name, field, value in (("timeout", "attempt_timeout", timeout),
                               ("connect_timeout", "connect_timeout", connect_timeout)):
        if value is None:
            continue
        if retry is not None and getattr(retry, field) is not None:
            raise ConfigError(f"give {name}= or retry.{field}, not both")
        out[field + "_ms"] = _scaled(name, value, 1000, "a whole number of milliseconds")
    return out or None


def _secret(name: str, value: Optional[SecretText]) -> Optional[bytes]:
    """A key or token as the caller gave it, as bytes (the core trims and checks it)."""
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, str):
        # A lone surrogate stays as the bytes Python holds; the core refuses them as not UTF-8.
        return value.encode("utf-8", "surrogatepass")
    raise ConfigError(f"{name} must be str or bytes, got {type(value).__name__}")


def _credentials(value: Optional[CredentialsSource]) -> Optional[bytes]:
    """Credentials as given: a path (``str`` or ``os.PathLike``), the JSON text (``str`` or
    ``bytes``) or a dict; the core tells a path from JSON and reads the file through the host."""
    if value is None:
        return None
    if isinstance(value, (str, bytes, bytearray)):
        return _secret("credentials", value)
    if isinstance(value, os.PathLike):
        return _secret("credentials", os.fspath(value))
    if isinstance(value, Mapping):
        import json

        try:
            return json.dumps(dict(value)).encode("utf-8", "surrogatepass")
        except (TypeError, ValueError):
            raise ConfigError("the credentials dict cannot be written as JSON "
                              "(the value is not shown)") from None
    raise ConfigError("credentials must be a path, JSON text, bytes or a dict, "
                      f"got {type(value).__name__}")


def _env(env: Optional[EnvSource]) -> Optional[Callable[[str], Optional[str]]]:
    if env is None or callable(env):
        return env
    if isinstance(env, Mapping):
        return env.get
    raise ConfigError(f"env must be a mapping or a callable, got {type(env).__name__}")


def voximplant_session(
    credentials: Optional[CredentialsSource],
    token: Optional[SecretText],
    token_provider: bool,
    base_url: Optional[str],
    overrides: Optional[Dict[str, int]],
    seed: Optional[int],
    env: Optional[EnvSource],
    read_file: Optional[Callable[[str], bytes]],
    on_attempt: Optional[Callable[[Any], Any]],
) -> "_native.NativeSession":
    return _native.NativeSession.open_voximplant(
        credentials=_credentials(credentials),
        token=_secret("token", token),
        token_provider=token_provider,
        base_url=base_url,
        retry=overrides,
        seed=seed,
        env=_env(env),
        read_file=read_file,
        on_attempt=on_attempt,
    )


def voiso_session(
    api_key: Optional[SecretText],
    base_url: Optional[str],
    overrides: Optional[Dict[str, int]],
    seed: Optional[int],
    env: Optional[EnvSource],
    read_file: Optional[Callable[[str], bytes]],
    on_attempt: Optional[Callable[[Any], Any]],
) -> "_native.NativeSession":
    return _native.NativeSession.open_voiso(
        api_key=_secret("api_key", api_key),
        base_url=base_url,
        retry=overrides,
        seed=seed,
        env=_env(env),
        read_file=read_file,
        on_attempt=on_attempt,
    )
