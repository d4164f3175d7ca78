"""Pushes go through the account that is in the group, one at a time, failures isolated."""

from __future__ import annotations

import asyncio

import pytest
from nonebot.adapters.onebot.v11 import ActionFailed, Bot, Message, MessageSegment
from nonebug import App


async def test_push_goes_through_the_account_in_the_group(app: App) -> None:
    from bot.outbox import send_to_group

    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id="10001")
        ctx.create_bot(base=Bot, self_id="10002")
        first_groups = [{"group_id": 1, "group_name": "甲"}]
        second_groups = [{"group_id": 2, "group_name": "乙"}]
        ctx.should_call_api("get_group_list", {}, first_groups)
        ctx.should_call_api("get_group_list", {}, second_groups)
        ctx.should_call_api(
            "send_group_msg",
            {"group_id": 2, "message": Message(MessageSegment.text("每日一题来了"))},
            {"message_id": 42},
        )
        delivery = await send_to_group("2", "每日一题来了")
    assert (delivery.ok, delivery.bot_id, delivery.message_id) == (True, "10002", "42")


async def test_no_account_in_the_group(app: App) -> None:
    from bot.outbox import send_to_group

    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id="10001")
        ctx.should_call_api("get_group_list", {}, [{"group_id": 1}])
        delivery = await send_to_group("999", "hello")
    assert (delivery.ok, delivery.error) == (False, "no bot in this group")


async def test_one_failure_does_not_stop_the_others(app: App) -> None:
    from bot.outbox import send_to_group

    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id="10001")
        ctx.should_call_api("get_group_list", {}, [{"group_id": 1}, {"group_id": 2}])
        ctx.should_call_api(
            "send_group_msg",
            {"group_id": 1, "message": Message(MessageSegment.text("a"))},
            exception=ActionFailed(retcode=120),
        )
        ctx.should_call_api(
            "send_group_msg",
            {"group_id": 2, "message": Message(MessageSegment.text("b"))},
            {"message_id": 2},
        )
        first, second = await asyncio.gather(send_to_group("1", "a"), send_to_group("2", "b"))
    assert (first.ok, second.ok) == (False, True)


async def test_a_send_without_answer_is_uncertain_not_failed(app: App) -> None:
    """No answer (a timeout): QQ may have posted it, so the caller is told it is uncertain;
    a refusal (ActionFailed) is a plain failure, safe to retry."""
    from nonebot.adapters.onebot.v11 import NetworkError

    from bot.outbox import send_to_group

    async with app.test_api() as ctx:
        ctx.create_bot(base=Bot, self_id="10001")
        ctx.should_call_api("get_group_list", {}, [{"group_id": 1}, {"group_id": 2}])
        ctx.should_call_api(
            "send_group_msg",
            {"group_id": 1, "message": Message(MessageSegment.text("a"))},
            exception=NetworkError("WebSocket call api send_group_msg timeout"),
        )
        ctx.should_call_api(
            "send_group_msg",
            {"group_id": 2, "message": Message(MessageSegment.text("b"))},
            exception=ActionFailed(retcode=120),
        )
        first = await send_to_group("1", "a")
        second = await send_to_group("2", "b")
    assert (first.ok, first.uncertain) == (False, True)
    assert (second.ok, second.uncertain) == (False, False)


async def test_a_push_waiting_on_a_dropped_connection_gives_up_at_once(app: App) -> None:
    """The answer of a call on a connection that dropped never comes: the push is given up
    as soon as the account is gone, not after the adapter's 30 s API timeout."""
    from bot import outbox

    async def no_answer() -> None:
        await asyncio.Event().wait()

    async with app.test_api() as ctx:
        bot = ctx.create_bot(base=Bot, self_id="10001")
        waiting = asyncio.ensure_future(outbox._unless_disconnected(bot, no_answer()))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # still connected: it waits
        ctx.connected_bot.discard(bot)
        bot.adapter.bot_disconnect(bot)
        with pytest.raises(outbox._Disconnected):
            await asyncio.wait_for(waiting, timeout=1)
