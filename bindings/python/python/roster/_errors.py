"""The exceptions of Roster, one class per stable error code of the core.

The Rust core describes every failure with a flat, secret-free record (``ErrorDetails``);
:func:`_from_details` picks the class here from its ``code`` and, for API errors, its ``kind``,
so the codes are the same as in the shared conformance vectors and in every other binding.
"""

from typing import Any, Dict, List, Optional


class RosterError(Exception):
    """Anything that went wrong between a call and its result.

    ``error_code`` is the core's stable code: ``validation``, ``api``, ``http_status``,
    ``decode``, ``auth``, ``config``, ``transport``, ``outcome_unknown`` or ``unknown_method``.
    No secret is ever part of the message or of ``details``.
    """

    error_code = "unknown"

    def __init__(self, message: str, details: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: Dict[str, Any] = dict(details or {})
        if "code" in self.details:
            self.error_code = self.details["code"]


class ValidationError(RosterError, ValueError):
    """A parameter broke a rule of the spec; nothing was sent."""

    error_code = "validation"

    @property
    def parameter(self) -> str:
        """The parameter's wire name (``user_name``), or several joined by ``/`` for a group rule."""
        return str(self.details.get("parameter", ""))

    @property
    def rule(self) -> str:
        """The rule's stable code: ``required``, ``pattern``, ``min_length``, ``exactly_one``, ..."""
        return str(self.details.get("rule", ""))


class ApiErrorEntry:
    """One entry of a multi-error answer: the entry's ``code`` (Voiso: the HTTP status), the
    server's ``msg`` and the ``field_name`` it is about, when the server named one."""

    __slots__ = ("code", "msg", "field_name")

    def __init__(self, code: int, msg: str, field_name: Optional[str] = None) -> None:
        self.code = code
        self.msg = msg
        self.field_name = field_name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiErrorEntry) and (other.code, other.msg, other.field_name) == (
            self.code, self.msg, self.field_name)

    def __hash__(self) -> int:
        return hash((self.code, self.msg, self.field_name))

    def __repr__(self) -> str:
        return f"ApiErrorEntry(code={self.code!r}, msg={self.msg!r}, field_name={self.field_name!r})"


class ApiError(RosterError):
    """The server answered with an error. ``code`` is the API's own error code (the first
    entry's, when the answer lists several); ``errors`` holds every entry."""

    error_code = "api"

    @property
    def code(self) -> int:
        return int(self.details.get("api_code", 0))

    @property
    def kind(self) -> str:
        """The named kind: ``auth``, ``forbidden``, ``not_found``, ``conflict``, ``rate_limited``, ..."""
        return str(self.details.get("api_kind", "other"))

    @property
    def msg(self) -> str:
        return str(self.details.get("msg", ""))

    @property
    def field_name(self) -> Optional[str]:
        return self.details.get("field_name")

    @property
    def http_status(self) -> Optional[int]:
        return self.details.get("http_status")

    @property
    def errors(self) -> List[ApiErrorEntry]:
        """Every entry of the answer in the server's order: Voximplant's ``errors`` list (the
        first entry is also ``code``/``msg``), or the one error when the answer has no list;
        Voiso's per-field messages."""
        return [ApiErrorEntry(int(e.get("code", 0)), str(e.get("msg", "")), e.get("field_name"))
                for e in self.details.get("errors") or ()]


class AuthError(ApiError):
    """The server refused the credentials or the token."""


class PermissionDeniedError(ApiError):
    """The key's roles may not call this method."""


class NotFoundError(ApiError):
    """A record the call names does not exist."""


class ConflictError(ApiError):
    """The record already exists (a duplicate name)."""


class RateLimitError(ApiError):
    """The server refused the call for load; it was retried as long as the policy allowed."""


class UnavailableError(ApiError):
    """The server asked to try again later."""


class InvalidArgumentError(ApiError):
    """The server rejected a parameter the client-side rules let through."""


class InsufficientFundsError(ApiError):
    """Not enough money for the transfer."""


class LimitExceededError(ApiError):
    """An account limit (such as the number of users) was reached."""


class HttpStatusError(RosterError):
    """A non-success HTTP status without an API error in the body (a gateway page, say)."""

    error_code = "http_status"

    @property
    def status(self) -> int:
        return int(self.details.get("http_status", 0))


class DecodeError(RosterError):
    """The answer could not be read (truncated, or not the expected JSON)."""

    error_code = "decode"


class CredentialsError(RosterError):
    """The credentials could not be used (unreadable key, bad credentials JSON)."""

    error_code = "auth"


class ConfigError(RosterError):
    """The client configuration is wrong (a bad base URL, missing credentials)."""

    error_code = "config"


class TransportError(RosterError):
    """The exchange failed and the retry policy gave up."""

    error_code = "transport"

    @property
    def transport_kind(self) -> str:
        """``not_sent``, ``timed_out`` or ``interrupted``."""
        return str(self.details.get("transport_kind", ""))


class OutcomeUnknownError(RosterError):
    """A write may or may not have been applied: its answer was lost and it could not be safely
    repeated or looked up. Check the state before trying again."""

    error_code = "outcome_unknown"

    @property
    def method(self) -> str:
        return str(self.details.get("method", ""))

    @property
    def request(self) -> str:
        """The request as sent, secrets redacted."""
        return str(self.details.get("request", ""))

    @property
    def cause(self) -> str:
        """The code of the failure that lost the answer."""
        return str(self.details.get("cause", ""))


class UnknownMethodError(RosterError):
    """A call by name named no method of this API."""

    error_code = "unknown_method"


_BY_CODE = {
    cls.error_code: cls
    for cls in (
        ValidationError,
        ApiError,
        HttpStatusError,
        DecodeError,
        CredentialsError,
        ConfigError,
        TransportError,
        OutcomeUnknownError,
        UnknownMethodError,
    )
}

_BY_API_KIND = {
    "auth": AuthError,
    "forbidden": PermissionDeniedError,
    "not_found": NotFoundError,
    "conflict": ConflictError,
    "rate_limited": RateLimitError,
    "unavailable": UnavailableError,
    "invalid_argument": InvalidArgumentError,
    "insufficient_funds": InsufficientFundsError,
    "limit_exceeded": LimitExceededError,
}


def _from_details(details: Dict[str, Any]) -> RosterError:
    """The exception for the core's error record (called by the native module)."""
    code = details.get("code")
    cls = _BY_CODE.get(code, RosterError) if isinstance(code, str) else RosterError
    if cls is ApiError:
        cls = _BY_API_KIND.get(details.get("api_kind", ""), ApiError)
    return cls(str(details.get("message", code)), details)
