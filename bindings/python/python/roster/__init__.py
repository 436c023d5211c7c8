"""Roster for Python: typed, retrying clients for the Voximplant Management API and Voiso user
management, on Roster's Rust core.

>>> import roster
>>> vox = roster.Voximplant("credentials.json")                    # doctest: +SKIP
>>> vox.users.add_user(user_name="jdoe", user_display_name="John Doe",
...                    user_password="S3cure!pass", application_id=1)  # doctest: +SKIP
>>> for user in vox.users.iter_users(application_id=1):            # doctest: +SKIP
...     print(user.user_name, user.balance)

The asyncio clients (``AsyncVoximplant``, ``AsyncVoiso``) are imported on first use, so
``import roster`` stays cheap for blocking programs.
"""

from typing import TYPE_CHECKING, Any

from . import _api
from ._api import *  # noqa: F401,F403  (the generated result classes)
from ._client import Voiso, Voximplant
from ._config import Retry
from ._errors import (
    ApiError,
    ApiErrorEntry,
    AuthError,
    ConfigError,
    ConflictError,
    CredentialsError,
    DecodeError,
    HttpStatusError,
    InsufficientFundsError,
    InvalidArgumentError,
    LimitExceededError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    RosterError,
    TransportError,
    UnavailableError,
    UnknownMethodError,
    ValidationError,
)
from ._native import AttemptEvent, Request
from ._pages import AsyncPages, Pages
from ._results import Page, Result
from ._transport import Response, TransportFailure

__all__ = [
    "Voximplant",
    "Voiso",
    "AsyncVoximplant",
    "AsyncVoiso",
    "Retry",
    "Request",
    "AttemptEvent",
    "Pages",
    "AsyncPages",
    "Response",
    "TransportFailure",
    "HttpTransport",
    "HttpxTransport",
    "Page",
    "Result",
    "RosterError",
    "ValidationError",
    "ApiError",
    "ApiErrorEntry",
    "AuthError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "RateLimitError",
    "UnavailableError",
    "InvalidArgumentError",
    "InsufficientFundsError",
    "LimitExceededError",
    "HttpStatusError",
    "DecodeError",
    "CredentialsError",
    "ConfigError",
    "TransportError",
    "OutcomeUnknownError",
    "UnknownMethodError",
    *_api.__all__,
]

if TYPE_CHECKING:
    from ._aio import AsyncVoiso, AsyncVoximplant
    from ._http import HttpTransport
    from ._httpx import HttpxTransport

_LAZY = {
    "AsyncVoximplant": "._aio",
    "AsyncVoiso": "._aio",
    "HttpTransport": "._http",
    "HttpxTransport": "._httpx",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'roster' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
