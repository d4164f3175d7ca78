"""The fake implementation's answers to API calls: built-in handlers over tables a test may
fill (members, groups, @全体 quota, stored messages), and handlers a test installs."""

from __future__ import annotations

import functools
import inspect
import itertools
import time
from collections.abc import Awaitable, Callable
from typing import Any

from .codec import as_int
from .records import SEND_ACTIONS, ApiCall, ApiError, sent_of

ApiHandler = Callable[[dict[str, Any]], Any]
"""``handler(params) -> data``; may return an awaitable; raising fails the call."""

_FIRST_MESSAGE_ID = 1000


class ApiResponder:
    """Tables the built-in API handlers read (tests may fill them freely):

    * ``members[(group_id, user_id)]`` — member info dicts (``role``, ``card``,
      ``nickname``, ...); unknown members default to role ``"member"``.
    * ``groups[group_id]`` — extra fields for ``get_group_info``.
    * ``at_all_remain`` — the answer of ``get_group_at_all_remain``.
    """

    def __init__(self, self_id: int, nickname: str, *, store_messages: bool = True) -> None:
        self.self_id = self_id
        self.nickname = nickname
        self.store_messages = store_messages
        """Keep pushed and sent messages for ``get_msg`` (off for long load runs)."""
        self.members: dict[tuple[int, int], dict[str, Any]] = {}
        self.groups: dict[int, dict[str, Any]] = {}
        self.at_all_remain: dict[str, Any] = {
            "can_at_all": True,
            "remain_at_all_count_for_group": 10,
            "remain_at_all_count_for_uin": 10,
        }
        self.messages: dict[int, dict[str, Any]] = {}
        """Messages by id (events pushed and messages the bot sent), for get_msg."""
        self._message_ids = itertools.count(_FIRST_MESSAGE_ID)
        self._handlers: dict[str, ApiHandler] = {}
        self._install_builtin_handlers()

    def next_message_id(self) -> int:
        return next(self._message_ids)

    def on_api(self, action: str, handler: ApiHandler) -> None:
        """Answer ``action`` with ``handler(params)`` (sync or async).

        The return value becomes ``data``. Raising fails the call with
        ``retcode`` 100 (or :class:`ApiError`'s retcode). Replaces any
        built-in handler for that action.
        """
        self._handlers[action] = handler

    def answer(self, call: ApiCall) -> Awaitable[Any] | None:
        """Fill ``call.response``; or, for a slow (async) handler, return what to await and
        pass to :meth:`answer_later`."""
        handler = self._handlers.get(call.action)
        if handler is None:
            respond(call, None, error=ApiError(f"unknown action {call.action}", 1404))
            return None
        try:
            result = handler(call.params)
        except Exception as exc:  # any failure becomes a failed answer
            respond(call, None, error=exc)
            return None
        if inspect.isawaitable(result):
            return result
        respond(call, result)
        return None

    async def answer_later(self, call: ApiCall, pending: Awaitable[Any]) -> None:
        try:
            data = await pending
        except Exception as exc:  # any failure becomes a failed answer
            respond(call, None, error=exc)
        else:
            respond(call, data)

    def remember(self, event: dict[str, Any]) -> None:
        """Keep a pushed message event for ``get_msg``."""
        if not self.store_messages:
            return
        self.messages[int(event["message_id"])] = {
            "time": event["time"],
            "message_type": event["message_type"],
            "message_id": event["message_id"],
            "real_id": event["message_id"],
            "sender": event["sender"],
            "message": event["message"],
            **({"group_id": event["group_id"]} if "group_id" in event else {}),
        }

    # ------------------------------------------------------------ built-in handlers

    def _install_builtin_handlers(self) -> None:
        for action in SEND_ACTIONS:
            self._handlers[action] = functools.partial(self._api_send, action)
        self._handlers.update(
            {
                "get_login_info": lambda _: {"user_id": self.self_id, "nickname": self.nickname},
                "get_group_member_info": self._api_member_info,
                "get_group_member_list": self._api_member_list,
                "get_group_info": self._api_group_info,
                "get_group_list": lambda _: [self._group_info(gid) for gid in self._known_groups()],
                "get_group_at_all_remain": lambda _: dict(self.at_all_remain),
                "get_msg": self._api_get_msg,
                "delete_msg": self._api_delete_msg,
                "get_stranger_info": lambda p: {
                    "user_id": as_int(p.get("user_id")),
                    "nickname": f"user{p.get('user_id')}",
                    "sex": "unknown",
                    "age": 0,
                },
                "get_friend_list": lambda _: [],
                "can_send_image": lambda _: {"yes": True},
                "can_send_record": lambda _: {"yes": True},
                "get_status": lambda _: {"online": True, "good": True, "stat": {}},
                "get_version_info": lambda _: {
                    "app_name": "FakeOneBot",
                    "app_version": "1.0.0",
                    "protocol_version": "v11",
                },
            }
        )

    def _api_send(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        message_id = self.next_message_id()
        sent = sent_of(ApiCall(action, params, time.perf_counter()))
        answer: dict[str, Any] = {"message_id": message_id}
        message = sent.segments
        if sent.forward:
            answer["forward_id"] = f"fake-forward-{message_id}"
            message = [{"type": "forward", "data": {"id": answer["forward_id"]}}]
        if self.store_messages:
            stored: dict[str, Any] = {
                "time": int(time.time()),
                "message_type": sent.chat_type or "private",
                "message_id": message_id,
                "real_id": message_id,
                "sender": {"user_id": self.self_id, "nickname": self.nickname},
                "message": message,
            }
            if sent.group_id is not None:
                stored["group_id"] = sent.group_id
            self.messages[message_id] = stored
        return answer

    def _member(self, group_id: int, user_id: int) -> dict[str, Any]:
        info: dict[str, Any] = {
            "group_id": group_id,
            "user_id": user_id,
            "nickname": f"user{user_id}",
            "card": "",
            "sex": "unknown",
            "age": 0,
            "area": "",
            "join_time": 0,
            "last_sent_time": 0,
            "level": "1",
            "role": "member",
            "unfriendly": False,
            "title": "",
            "title_expire_time": 0,
            "card_changeable": True,
        }
        info.update(self.members.get((group_id, user_id), {}))
        return info

    def _api_member_info(self, params: dict[str, Any]) -> dict[str, Any]:
        group_id, user_id = as_int(params.get("group_id")), as_int(params.get("user_id"))
        if group_id is None or user_id is None:
            raise ApiError("group_id and user_id are required", retcode=1400)
        return self._member(group_id, user_id)

    def _api_member_list(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        group_id = as_int(params.get("group_id"))
        return [self._member(gid, uid) for gid, uid in self.members if gid == group_id]

    def _known_groups(self) -> list[int]:
        return sorted(set(self.groups) | {gid for gid, _ in self.members})

    def _group_info(self, group_id: int) -> dict[str, Any]:
        info: dict[str, Any] = {
            "group_id": group_id,
            "group_name": f"Group {group_id}",
            "member_count": sum(1 for gid, _ in self.members if gid == group_id),
            "max_member_count": 500,
        }
        info.update(self.groups.get(group_id, {}))
        return info

    def _api_group_info(self, params: dict[str, Any]) -> dict[str, Any]:
        group_id = as_int(params.get("group_id"))
        if group_id is None:
            raise ApiError("group_id is required", retcode=1400)
        return self._group_info(group_id)

    def _api_delete_msg(self, params: dict[str, Any]) -> None:
        """A recall: the message is gone for ``get_msg``; an unknown id fails, as on QQ."""
        message_id = as_int(params.get("message_id"))
        if message_id is None:
            raise ApiError("message_id is required", retcode=1400)
        if self.store_messages and self.messages.pop(message_id, None) is None:
            raise ApiError(f"message {message_id} not found", retcode=1404)

    def _api_get_msg(self, params: dict[str, Any]) -> dict[str, Any]:
        message_id = as_int(params.get("message_id"))
        if message_id is None or message_id not in self.messages:
            raise ApiError(f"message {params.get('message_id')!r} not found", retcode=1404)
        return self.messages[message_id]


def respond(call: ApiCall, data: Any, *, error: Exception | None = None) -> None:
    """Build the answer frame into ``call.response``."""
    if error is None:
        response: dict[str, Any] = {"status": "ok", "retcode": 0, "data": data}
    else:
        message = str(error) or type(error).__name__
        response = {
            "status": "failed",
            "retcode": error.retcode if isinstance(error, ApiError) else 100,
            "data": None,
            "message": message,
            "wording": message,
        }
    if call.echo is not None:
        response["echo"] = call.echo
    call.response = response
