"""What the generated result classes are made of.

A result wraps the plain data the native module returns (the core's JSON form: money as decimal
strings, datetimes as RFC 3339 UTC strings) and converts a field when it is read: ``Decimal``
for money, a UTC-aware ``datetime``, nested result objects for structures. Reading a page of
100 users therefore costs one wrapper per user, and only the fields a caller touches are
converted. Fields the spec does not name stay in ``extra``.
"""

import datetime as _dt
from decimal import Decimal
from typing import Any, Callable, Dict, Generic, Iterator, List, Optional, Type, TypeVar

T = TypeVar("T", bound="Result")

Converter = Callable[[Any], Any]


def _datetime(text: str) -> _dt.datetime:
    # The core always writes `YYYY-MM-DDTHH:MM:SSZ` (UTC); fromisoformat reads `Z` only from 3.11.
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    return _dt.datetime.fromisoformat(text)


DECIMAL: Converter = Decimal
DATETIME: Converter = _datetime
DATE: Converter = _dt.date.fromisoformat


def list_of(convert: Converter) -> Converter:
    def convert_list(items: List[Any]) -> List[Any]:
        return [convert(item) for item in items]

    return convert_list


class Field:
    """A typed field of a result class: reads the raw value and converts it."""

    __slots__ = ("name", "convert")

    def __init__(self, name: str, convert: Optional[Converter] = None) -> None:
        self.name = name
        self.convert = convert

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        value = obj._data.get(self.name)
        if value is None or self.convert is None:
            return value
        return self.convert(value)

    def __set__(self, obj: Any, value: Any) -> None:
        raise AttributeError(f"{self.name} is read-only")


def _plain(value: Any) -> Any:
    """A converted value with nested results turned into dicts."""
    if isinstance(value, Result):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class Result:
    """A typed result: attribute access per field, ``to_dict()``, ``extra`` for unknown fields."""

    __slots__ = ("_data",)
    _fields: "tuple[str, ...]" = ()

    def __init__(self, data: Dict[str, Any]) -> None:
        self._data = data

    def to_dict(self) -> Dict[str, Any]:
        """Every field present, converted (``Decimal``, ``datetime``, nested dicts), unknown
        fields as sent."""
        cls = type(self)
        out: Dict[str, Any] = {}
        for name, value in self._data.items():
            if name in cls._fields and value is not None:
                value = _plain(getattr(self, name))
            out[name] = value
        return out

    def to_json(self) -> Dict[str, Any]:
        """The result in the core's JSON form (money as decimal strings, RFC 3339 datetimes)."""
        return self._data

    @property
    def extra(self) -> Dict[str, Any]:
        """Fields the spec does not name, kept as the server sent them."""
        known = type(self)._fields
        return {k: v for k, v in self._data.items() if k not in known}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._data == self._data  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{name}={getattr(self, name)!r}"
            for name in type(self)._fields
            if self._data.get(name) is not None
        )
        return f"{type(self).__name__}({shown})"

    @classmethod
    def _page(cls: Type[T], data: Dict[str, Any]) -> "Page[T]":
        return Page(data, cls)


class Page(Generic[T]):
    """One page of a list method: ``items`` typed, with the server's ``total_count`` and ``count``."""

    __slots__ = ("items", "total_count", "count")

    def __init__(self, data: Dict[str, Any], item: Type[T]) -> None:
        self.items: List[T] = [item(d) for d in data.get("items") or ()]
        self.total_count: Optional[int] = data.get("total_count")
        self.count: Optional[int] = data.get("count")

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> T:
        return self.items[index]

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"items": [item.to_dict() for item in self.items]}
        if self.total_count is not None:
            out["total_count"] = self.total_count
        if self.count is not None:
            out["count"] = self.count
        return out

    def __repr__(self) -> str:
        return f"Page(items=<{len(self.items)}>, total_count={self.total_count}, count={self.count})"
