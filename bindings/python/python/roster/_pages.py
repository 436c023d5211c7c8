"""A listing a page at a time, by the core's paging rules (the same in every binding):

- ``next_page()`` returns the next batch of records not returned before, never an empty one: a
  page that brings nothing new (a step back over deleted records, a page of duplicates) is
  skipped within the same ``next_page()``;
- it returns ``None`` at the end (after a page shorter than the page size, at the reported
  ``total_count``, or after an empty first page), and ``None`` again after that, sending nothing;
- a failed page raises its error (after the call's own retries) and the pager keeps its place:
  the next ``next_page()`` asks for the same page again, with full retries.

Iterating a pager yields records one by one (``for user in pages``) and stops at the first
error; ``client.users.iter_users(...)`` and the other ``iter_*`` methods are built on it.
"""

from typing import Any, AsyncIterator, Callable, Generic, Iterator, List, Optional, TypeVar

from . import _native

T = TypeVar("T")


def _plain(item: Any) -> Any:
    return item


class Pages(Generic[T]):
    """The pages of a list method through a blocking client (``client.pages(...)``)."""

    __slots__ = ("_client", "_pager", "_wrap")

    def __init__(self, client: Any, pager: "_native.PagerHandle", wrap: Callable[[Any], T] = _plain) -> None:
        self._client = client
        self._pager = pager
        self._wrap = wrap

    def next_page(self) -> Optional[List[T]]:
        """The next batch of records not returned before, or ``None`` at the end; raises a
        failed page's error, after which the next call asks for that page again."""
        while True:
            call = self._pager.next_call()
            if call is None:
                return None
            items = self._client._run(call)
            if items is not None:
                wrap = self._wrap
                return items if wrap is _plain else [wrap(item) for item in items]

    @property
    def pages_requested(self) -> int:
        """Page requests started so far (each with its own retries)."""
        return self._pager.pages

    def __iter__(self) -> Iterator[T]:
        while True:
            batch = self.next_page()
            if batch is None:
                return
            yield from batch

    def __repr__(self) -> str:
        return f"<roster.Pages {self._pager!r}>"


class AsyncPages(Generic[T]):
    """The pages of a list method through an asyncio client (``client.pages(...)``): the same
    rules, with ``await pages.next_page()`` and ``async for``."""

    __slots__ = ("_client", "_pager", "_wrap")

    def __init__(self, client: Any, pager: "_native.PagerHandle", wrap: Callable[[Any], T] = _plain) -> None:
        self._client = client
        self._pager = pager
        self._wrap = wrap

    async def next_page(self) -> Optional[List[T]]:
        """The next batch of records not returned before, or ``None`` at the end; raises a
        failed page's error, after which the next call asks for that page again."""
        while True:
            call = self._pager.next_call()
            if call is None:
                return None
            items = await self._client._run(call)
            if items is not None:
                wrap = self._wrap
                return items if wrap is _plain else [wrap(item) for item in items]

    @property
    def pages_requested(self) -> int:
        """Page requests started so far (each with its own retries)."""
        return self._pager.pages

    async def __aiter__(self) -> AsyncIterator[T]:
        while True:
            batch = await self.next_page()
            if batch is None:
                return
            for item in batch:
                yield item

    def __repr__(self) -> str:
        return f"<roster.AsyncPages {self._pager!r}>"
