"""The record of API calls and the helpers that wait for them.

Waiting helpers (``wait_call``, ``reply_to_group``, ``reply_to_user``) hand out each recorded
call at most once, oldest first, so consecutive waits return consecutive calls; calls that
arrived before the wait started count as long as no earlier wait returned them.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from .records import SEND_ACTIONS, ApiCall, ConnectionLost, Sent, WaitTimeout, chat_of, sent_of

_ANY_SEND: tuple[str] = ("send",)


@dataclass(eq=False)
class _Waiter:
    keys: tuple[Hashable, ...]
    predicate: Callable[[ApiCall], bool]
    future: asyncio.Future[ApiCall]
    description: str


class CallLog:
    def __init__(self) -> None:
        self.calls: list[ApiCall] = []
        self.closed: str | None = None
        """Why waiting is pointless (the connection closed), or None while it is open."""
        self._consumed: set[int] = set()
        self._buckets: dict[Hashable, list[int]] = {}
        self._bucket_start: dict[Hashable, int] = {}
        self._waiters: dict[Hashable, list[_Waiter]] = {}

    # ------------------------------------------------------------ recording

    def add(self, call: ApiCall) -> None:
        """Record a call (its `index` is set here) without handing it to a waiter yet."""
        call.index = len(self.calls)
        self.calls.append(call)
        for key in _keys_of(call):
            self._buckets.setdefault(key, []).append(call.index)

    def notify(self, call: ApiCall) -> None:
        """Hand a recorded call to the first waiter that wants it."""
        for key in _keys_of(call):
            for waiter in list(self._waiters.get(key, ())):
                if waiter.future.done():
                    continue
                try:
                    wanted = waiter.predicate(call)
                except Exception as exc:  # surfaced to the waiter
                    waiter.future.set_exception(exc)
                    continue
                if wanted:
                    self._consumed.add(call.index)
                    waiter.future.set_result(call)
                    return

    def close(self, reason: str) -> None:
        """The connection closed: every waiter, present and future, fails with `reason`."""
        self.closed = reason
        for waiters in self._waiters.values():
            for waiter in waiters:
                if not waiter.future.done():
                    waiter.future.set_exception(
                        ConnectionLost(self._closed_message(waiter.description))
                    )

    def sends(self) -> list[Sent]:
        """Every send call recorded so far, oldest first, consumed or not."""
        return [sent_of(call) for call in self.calls if call.action in SEND_ACTIONS]

    # -------------------------------------------------------------- waiting

    async def wait_call(
        self,
        action: str,
        predicate: Callable[[ApiCall], bool] | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> ApiCall:
        """The next not-yet-returned call of ``action`` (matching ``predicate``)."""
        description = f"a {action!r} call" + (" matching the predicate" if predicate else "")
        return await self._wait(
            (("action", action),), predicate or (lambda _: True), timeout, description
        )

    async def reply_to_group(self, group_id: int, timeout: float = 10.0) -> Sent:  # noqa: ASYNC109
        """The next not-yet-returned message the bot sent to group ``group_id``."""
        call = await self._wait(
            (("group", group_id),), lambda _: True, timeout, f"a message to group {group_id}"
        )
        return sent_of(call)

    async def reply_to_user(self, user_id: int, timeout: float = 10.0) -> Sent:  # noqa: ASYNC109
        """The next not-yet-returned private message the bot sent to ``user_id``."""
        call = await self._wait(
            (("private", user_id),), lambda _: True, timeout, f"a private message to {user_id}"
        )
        return sent_of(call)

    async def assert_no_reply(
        self, group_id: int | None = None, user_id: int | None = None, within: float = 1.0
    ) -> None:
        """Fail if a not-yet-returned send to the chat exists or arrives within ``within`` s.

        With ``group_id`` the group is watched, with ``user_id`` private
        messages to that user, with both either, with neither every send.
        """
        keys: list[Hashable] = []
        if group_id is not None:
            keys.append(("group", group_id))
        if user_id is not None:
            keys.append(("private", user_id))
        target = " or ".join(
            part
            for part in (
                f"group {group_id}" if group_id is not None else "",
                f"user {user_id}" if user_id is not None else "",
            )
            if part
        )
        description = f"a message to {target or 'anyone'}"
        try:
            call = await self._wait(
                tuple(keys) or (_ANY_SEND,), lambda _: True, within, description
            )
        except WaitTimeout:
            return
        sent = sent_of(call)
        raise AssertionError(
            f"expected no reply but the bot sent {description[2:]} via {call.action}: "
            f"{sent.text!r}\n  {call.describe()}"
        )

    async def _wait(
        self,
        keys: tuple[Hashable, ...],
        predicate: Callable[[ApiCall], bool],
        timeout: float,  # noqa: ASYNC109 - a per-wait deadline is the point
        description: str,
    ) -> ApiCall:
        found = self._find(keys, predicate)
        if found is not None:
            self._consumed.add(found.index)
            return found
        if self.closed is not None:
            raise ConnectionLost(self._closed_message(description))
        waiter = _Waiter(keys, predicate, asyncio.get_running_loop().create_future(), description)
        for key in keys:
            self._waiters.setdefault(key, []).append(waiter)
        try:
            return await asyncio.wait_for(waiter.future, timeout)
        except TimeoutError:
            raise WaitTimeout(
                f"timed out after {timeout}s waiting for {description}\n{self.seen()}"
            ) from None
        finally:
            for key in keys:
                waiters = self._waiters.get(key)
                if waiters is not None:
                    waiters.remove(waiter)
                    if not waiters:
                        del self._waiters[key]

    def _find(
        self, keys: Iterable[Hashable], predicate: Callable[[ApiCall], bool]
    ) -> ApiCall | None:
        """Oldest unconsumed recorded call in any of the buckets matching predicate."""
        best: ApiCall | None = None
        for key in keys:
            bucket = self._buckets.get(key, [])
            start = self._bucket_start.get(key, 0)
            while start < len(bucket) and bucket[start] in self._consumed:
                start += 1
            self._bucket_start[key] = start
            for index in itertools.islice(bucket, start, None):
                if best is not None and index >= best.index:
                    break
                if index not in self._consumed and predicate(self.calls[index]):
                    best = self.calls[index]
                    break
        return best

    def _closed_message(self, description: str) -> str:
        return f"{self.closed} while waiting for {description}\n{self.seen()}"

    def seen(self, limit: int = 30) -> str:
        """The last calls received, for failure messages."""
        if not self.calls:
            return "no API calls were received at all"
        shown = self.calls[-limit:]
        lines = [
            f"  {'(taken) ' if call.index in self._consumed else ''}{call.describe()}"
            for call in shown
        ]
        more = len(self.calls) - len(shown)
        header = f"API calls received ({len(self.calls)} total"
        header += f", last {len(shown)} shown):" if more else "):"
        return "\n".join([header, *lines])


def _keys_of(call: ApiCall) -> list[Hashable]:
    keys: list[Hashable] = [("action", call.action)]
    if call.action in SEND_ACTIONS:
        keys.append(_ANY_SEND)
        chat_type, group_id, user_id = chat_of(call)
        if chat_type == "group":
            keys.append(("group", group_id))
        elif chat_type == "private":
            keys.append(("private", user_id))
    return keys
