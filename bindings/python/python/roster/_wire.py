"""Parameter values the native module does not map to JSON by itself.

``str``, ``int``, ``float``, ``bool``, lists, tuples and dicts go straight across (a float is
refused for money, and when it is NaN or infinite: ``src/convert.rs``); everything else comes
here once per value and leaves as the text the core reads (or a list). A ``TypeError`` raised
here becomes a ``ValidationError`` naming the parameter (rule ``type``).
"""

import datetime as _dt
import decimal
import enum
from typing import Any, List, Union


def scalar(value: Any) -> Union[str, List[Any]]:
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise TypeError(f"a decimal parameter must be finite, got {value}")
        return format(value, "f")
    if isinstance(value, _dt.datetime):
        # The API's datetimes are UTC; a naive datetime is taken to be UTC already.
        if value.tzinfo is not None:
            value = value.astimezone(_dt.timezone.utc)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, (bytes, bytearray)):
        raise TypeError("bytes are not a parameter value; pass str")
    try:
        return list(value)
    except TypeError:
        raise TypeError(
            f"cannot send a {type(value).__name__} as a parameter value"
        ) from None
