"""Self-tests of the fake OneBot v11 implementation, against a tiny stand-in bot.

The stand-in is a bare ``websockets`` server that plays the bot's side of the
reverse WebSocket, so the fake is checked without NoneBot or the real bot.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed

from tests.e2e.onebot import (
    ApiError,
    ConnectionLost,
    FakeOneBot,
    WaitTimeout,
    at,
    image,
    text,
)


class MiniBot:
    """The bot side of a reverse WebSocket: receives events, calls APIs."""

    def __init__(self) -> None:
        self.server: Server | None = None
        self.headers: Headers | None = None
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.raw: list[str] = []
        self.connection: ServerConnection | None = None
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._seq = itertools.count(1)
        self._tasks: set[asyncio.Task[None]] = set()
        self.echo_groups = False
        """Answer every group message event with send_group_msg of its text."""
        self.echo_results: list[tuple[str, dict[str, Any]]] = []

    @property
    def url(self) -> str:
        assert self.server is not None
        port = next(iter(self.server.sockets)).getsockname()[1]
        return f"ws://127.0.0.1:{port}/onebot/v11/ws"

    async def handle(self, ws: ServerConnection) -> None:
        self.connection = ws
        self.headers = ws.request.headers if ws.request is not None else None
        try:
            async for raw in ws:
                assert isinstance(raw, str)
                self.raw.append(raw)
                try:
                    frame = json.loads(raw)
                except ValueError:
                    continue
                if "post_type" in frame:
                    await self.events.put(frame)
                    if self.echo_groups and frame.get("message_type") == "group":
                        task = asyncio.create_task(self._echo(frame))
                        self._tasks.add(task)
                        task.add_done_callback(self._tasks.discard)
                elif (future := self._pending.pop(str(frame.get("echo")), None)) is not None:
                    future.set_result(frame)
        except ConnectionClosed:
            pass

    async def _echo(self, event: dict[str, Any]) -> None:
        echo = f"echo-{next(self._seq)}"
        plain = "".join(s["data"]["text"] for s in event["message"] if s["type"] == "text")
        response = await self.call(
            "send_group_msg",
            {"group_id": event["group_id"], "message": [text(f"echo: {plain}")]},
            echo=echo,
        )
        self.echo_results.append((echo, response))

    async def call(
        self, action: str, params: dict[str, Any] | None = None, *, echo: str | None = None
    ) -> dict[str, Any]:
        assert self.connection is not None
        echo = echo or str(next(self._seq))
        future = asyncio.get_running_loop().create_future()
        self._pending[echo] = future
        await self.connection.send(
            json.dumps({"action": action, "params": params or {}, "echo": echo})
        )
        return await asyncio.wait_for(future, 5)

    async def next_event(self, post_type: str | None = None) -> dict[str, Any]:
        while True:
            event = await asyncio.wait_for(self.events.get(), 5)
            if post_type is None or event["post_type"] == post_type:
                return event


@pytest.fixture
async def minibot() -> AsyncIterator[MiniBot]:
    bot = MiniBot()
    async with serve(bot.handle, "127.0.0.1", 0) as server:
        bot.server = server
        yield bot


@pytest.fixture
async def ob(minibot: MiniBot) -> AsyncIterator[FakeOneBot]:
    async with FakeOneBot(minibot.url, self_id=10000) as fake:
        await minibot.next_event("meta_event")
        yield fake


async def test_connect_headers_and_lifecycle(minibot: MiniBot) -> None:
    async with FakeOneBot(minibot.url, self_id=4242, access_token="s3cret"):
        event = await minibot.next_event()
    assert minibot.headers is not None
    assert minibot.headers["X-Self-ID"] == "4242"
    assert minibot.headers["X-Client-Role"] == "Universal"
    assert minibot.headers["Authorization"] == "Bearer s3cret"
    assert event["post_type"] == "meta_event"
    assert event["meta_event_type"] == "lifecycle"
    assert event["sub_type"] == "connect"
    assert event["self_id"] == 4242


async def test_no_token_no_authorization_header(minibot: MiniBot) -> None:
    async with FakeOneBot(minibot.url):
        await minibot.next_event()
    assert minibot.headers is not None
    assert "Authorization" not in minibot.headers


async def test_group_event_echo_round_trip(minibot: MiniBot, ob: FakeOneBot) -> None:
    minibot.echo_groups = True
    message_id = await ob.group_message(
        123, 456, [at(ob.self_id), text(" hello")], role="admin", card="Card"
    )
    event = await minibot.next_event("message")
    assert event["message_id"] == message_id
    assert event["message_type"] == "group"
    assert event["sub_type"] == "normal"
    assert event["group_id"] == 123
    assert event["user_id"] == 456
    assert event["self_id"] == ob.self_id
    assert event["message"] == [at(ob.self_id), text(" hello")]
    assert event["raw_message"] == f"[CQ:at,qq={ob.self_id}] hello"
    assert event["font"] == 0
    assert event["sender"]["role"] == "admin"
    assert event["sender"]["card"] == "Card"

    sent = await ob.reply_to_group(123)
    assert sent.action == "send_group_msg"
    assert sent.text == "echo:  hello"
    assert sent.segments == [text("echo:  hello")]

    for _ in range(50):
        if minibot.echo_results:
            break
        await asyncio.sleep(0.01)
    [(echo, response)] = minibot.echo_results
    assert response["echo"] == echo
    assert response["status"] == "ok"
    assert response["retcode"] == 0
    assert isinstance(response["data"]["message_id"], int)
    assert sent.call.echo == echo
    assert sent.call.response == response


async def test_role_none_and_private_event(minibot: MiniBot, ob: FakeOneBot) -> None:
    await ob.group_message(1, 2, "plain [text]", role=None)
    event = await minibot.next_event("message")
    assert "role" not in event["sender"]
    assert event["message"] == [text("plain [text]")]
    assert event["raw_message"] == "plain &#91;text&#93;"

    message_id = await ob.private_message(2, "hi", nickname="Alice")
    event = await minibot.next_event("message")
    assert event["message_type"] == "private"
    assert event["sub_type"] == "friend"
    assert event["message_id"] == message_id
    assert event["sender"]["nickname"] == "Alice"
    assert "group_id" not in event


async def test_events_parse_with_onebot_adapter(ob: FakeOneBot) -> None:
    adapter = pytest.importorskip("nonebot.adapters.onebot.v11")
    group = adapter.Adapter.json_to_event(
        ob.group_event(1, 2, [at(ob.self_id), text(" hi"), image("http://x/y.png")], role=None)
    )
    assert isinstance(group, adapter.GroupMessageEvent)
    assert group.get_plaintext() == " hi"
    assert group.sender.role is None
    private = adapter.Adapter.json_to_event(ob.private_event(2, "hi"))
    assert isinstance(private, adapter.PrivateMessageEvent)


async def test_message_normalisation(minibot: MiniBot, ob: FakeOneBot) -> None:
    await minibot.call(
        "send_msg",
        {"message_type": "group", "group_id": 7, "message": "a&#91;1&#93;[CQ:at,qq=5] b"},
    )
    await minibot.call(
        "send_msg", {"group_id": 7, "message": {"type": "text", "data": {"text": "x"}}}
    )
    await minibot.call("send_group_msg", {"group_id": 7, "message": "[CQ:x]", "auto_escape": True})
    await minibot.call("send_private_msg", {"user_id": 9, "message": [text("p")]})

    first = await ob.reply_to_group(7)
    assert first.segments == [text("a[1]"), at(5), text(" b")]
    assert first.text == "a[1] b"
    assert first.mentions(5)
    assert (await ob.reply_to_group(7)).text == "x"
    assert (await ob.reply_to_group(7)).text == "[CQ:x]"
    private = await ob.reply_to_user(9)
    assert private.chat_type == "private"
    assert private.text == "p"
    assert [s.action for s in ob.sends()] == [
        "send_msg",
        "send_msg",
        "send_group_msg",
        "send_private_msg",
    ]


async def test_forward_messages(minibot: MiniBot, ob: FakeOneBot) -> None:
    nodes = [
        {"type": "node", "data": {"name": "a", "uin": "1", "content": [text("one")]}},
        {"type": "node", "data": {"name": "b", "uin": "1", "content": "two"}},
    ]
    response = await minibot.call("send_group_forward_msg", {"group_id": 3, "messages": nodes})
    assert response["status"] == "ok"
    assert {"message_id", "forward_id"} <= response["data"].keys()
    await minibot.call("send_private_forward_msg", {"user_id": 4, "messages": nodes})

    sent = await ob.reply_to_group(3)
    assert sent.forward
    assert sent.text == "one\ntwo"
    assert sent.nodes == [[text("one")], [text("two")]]
    assert (await ob.reply_to_user(4)).text == "one\ntwo"


async def test_builtin_api_answers(minibot: MiniBot, ob: FakeOneBot) -> None:
    login = await minibot.call("get_login_info")
    assert login["data"]["user_id"] == ob.self_id

    ob.members[(5, 6)] = {"role": "owner", "card": "Boss"}
    ob.members[(5, 7)] = {"role": "admin"}
    owner = await minibot.call("get_group_member_info", {"group_id": 5, "user_id": 6})
    assert owner["data"]["role"] == "owner"
    assert owner["data"]["card"] == "Boss"
    stranger = await minibot.call("get_group_member_info", {"group_id": 5, "user_id": 99})
    assert stranger["data"]["role"] == "member"
    members = await minibot.call("get_group_member_list", {"group_id": 5})
    assert sorted(m["user_id"] for m in members["data"]) == [6, 7]
    info = await minibot.call("get_group_info", {"group_id": 5})
    assert info["data"]["group_id"] == 5

    ob.at_all_remain = {
        "can_at_all": False,
        "remain_at_all_count_for_group": 0,
        "remain_at_all_count_for_uin": 0,
    }
    remain = await minibot.call("get_group_at_all_remain", {"group_id": 5})
    assert remain["data"]["can_at_all"] is False
    for action in ("get_status", "get_version_info"):
        assert (await minibot.call(action))["status"] == "ok"

    sent = await minibot.call("send_group_msg", {"group_id": 5, "message": [text("m")]})
    got = await minibot.call("get_msg", {"message_id": sent["data"]["message_id"]})
    assert got["data"]["message"] == [text("m")]

    unknown = await minibot.call("no_such_action", echo="odd-echo")
    assert unknown["status"] == "failed"
    assert unknown["retcode"] == 1404
    assert unknown["data"] is None
    assert unknown["echo"] == "odd-echo"


async def test_on_api_overrides(minibot: MiniBot, ob: FakeOneBot) -> None:
    ob.on_api("get_login_info", lambda params: {"user_id": 1, "nickname": "over"})

    async def slow(params: dict[str, Any]) -> dict[str, Any]:
        await asyncio.sleep(0.05)
        return {"value": params["x"] * 2}

    def broken(params: dict[str, Any]) -> None:
        raise RuntimeError("nope")

    async def teapot(params: dict[str, Any]) -> None:
        raise ApiError("teapot", retcode=418)

    ob.on_api("custom_double", slow)
    ob.on_api("send_group_msg", broken)
    ob.on_api("teapot", teapot)

    assert (await minibot.call("get_login_info"))["data"]["nickname"] == "over"
    assert (await minibot.call("custom_double", {"x": 21}))["data"] == {"value": 42}
    failed = await minibot.call("send_group_msg", {"group_id": 1, "message": "x"})
    assert (failed["status"], failed["retcode"], failed["data"]) == ("failed", 100, None)
    teapot_answer = await minibot.call("teapot")
    assert (teapot_answer["status"], teapot_answer["retcode"]) == ("failed", 418)
    # The failed send is still recorded and can be waited for.
    assert (await ob.reply_to_group(1)).text == "x"


async def test_wait_call_cursor(minibot: MiniBot, ob: FakeOneBot) -> None:
    for user_id in (1, 2):
        await minibot.call("get_group_member_info", {"group_id": 8, "user_id": user_id})
    await minibot.call("get_status")

    first = await ob.wait_call("get_group_member_info")
    second = await ob.wait_call("get_group_member_info")
    assert (first.params["user_id"], second.params["user_id"]) == (1, 2)
    assert first.time <= second.time

    later = asyncio.create_task(
        ob.wait_call("get_group_member_info", lambda c: c.params["user_id"] == 4)
    )
    await minibot.call("get_group_member_info", {"group_id": 8, "user_id": 3})
    await minibot.call("get_group_member_info", {"group_id": 8, "user_id": 4})
    assert (await later).params["user_id"] == 4
    # The non-matching call skipped by the predicate is still there.
    assert (await ob.wait_call("get_group_member_info")).params["user_id"] == 3
    assert (await ob.wait_call("get_status")).action == "get_status"


async def test_wait_timeout_lists_seen_calls(minibot: MiniBot, ob: FakeOneBot) -> None:
    await minibot.call("get_status")
    with pytest.raises(WaitTimeout) as info:
        await ob.wait_call("send_group_msg", timeout=0.1)
    assert "send_group_msg" in str(info.value)
    assert "get_status" in str(info.value)
    with pytest.raises(AssertionError, match="group 77"):
        await ob.reply_to_group(77, timeout=0.1)


async def test_assert_no_reply(minibot: MiniBot, ob: FakeOneBot) -> None:
    await minibot.call("send_group_msg", {"group_id": 1, "message": "to one"})
    await ob.assert_no_reply(group_id=2, within=0.1)
    await ob.assert_no_reply(user_id=1, within=0.1)
    with pytest.raises(AssertionError, match="to one"):
        await ob.assert_no_reply(group_id=1, within=0.1)

    async def send_soon() -> None:
        await asyncio.sleep(0.05)
        await minibot.call("send_private_msg", {"user_id": 5, "message": "late"})

    task = asyncio.create_task(send_soon())
    with pytest.raises(AssertionError, match="late"):
        await ob.assert_no_reply(within=1.0)
    await task


async def test_bot_closing_connection(minibot: MiniBot, ob: FakeOneBot) -> None:
    waiting = asyncio.create_task(ob.reply_to_group(1, timeout=5))
    await asyncio.sleep(0.05)
    assert minibot.connection is not None
    await minibot.connection.close(1008, "bye")
    with pytest.raises(ConnectionLost, match="bye"):
        await waiting
    await ob.wait_closed(timeout=2)
    assert not ob.connected
    assert ob.close_code == 1008
    with pytest.raises(ConnectionLost):
        await ob.wait_call("get_status", timeout=5)
    with pytest.raises(ConnectionLost):
        await ob.group_message(1, 2, "after close")


async def test_dropped_connection_and_reconnect(minibot: MiniBot, ob: FakeOneBot) -> None:
    """`drop()` ends the connection without a closing handshake (the bot sees an abnormal
    close, code 1006); waiters fail; the same fake connects again and goes on recording."""
    waiting = asyncio.create_task(ob.reply_to_group(1, timeout=5))
    await asyncio.sleep(0.05)
    first = minibot.connection
    assert first is not None
    await ob.drop()
    with pytest.raises(ConnectionLost):
        await waiting
    assert not ob.connected
    await first.wait_closed()
    assert first.close_code == 1006  # no close frame: the network went away
    await ob.connect()
    assert (await minibot.next_event())["sub_type"] == "connect"
    assert minibot.connection is not first
    await minibot.call("send_group_msg", {"group_id": 1, "message": "again"})
    assert (await ob.reply_to_group(1)).text == "again"


async def test_malformed_frames_are_kept(minibot: MiniBot, ob: FakeOneBot) -> None:
    assert minibot.connection is not None
    await minibot.connection.send("not json")
    await minibot.connection.send(json.dumps({"echo": "x"}))
    await minibot.call("get_status")
    assert ob.bad_frames == ["not json", '{"echo": "x"}']
    await ob.send_raw("{broken")
    await ob.send_raw({"post_type": "notice", "notice_type": "custom"})
    await minibot.next_event("notice")
    assert "{broken" in minibot.raw


async def test_heartbeat(minibot: MiniBot) -> None:
    async with FakeOneBot(minibot.url, heartbeat_interval=0.05):
        assert (await minibot.next_event())["meta_event_type"] == "lifecycle"
        beat = await minibot.next_event()
    assert beat["meta_event_type"] == "heartbeat"
    assert beat["status"]["online"] is True
    assert beat["interval"] == 50


async def test_store_messages_off(minibot: MiniBot) -> None:
    async with FakeOneBot(minibot.url, store_messages=False) as fake:
        await minibot.next_event()
        message_id = await fake.group_message(1, 2, "x")
        sent = await minibot.call("send_group_msg", {"group_id": 1, "message": "y"})
        assert sent["status"] == "ok"
        for mid in (message_id, sent["data"]["message_id"]):
            assert (await minibot.call("get_msg", {"message_id": mid}))["status"] == "failed"
        assert fake.messages == {}
