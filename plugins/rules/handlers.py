from __future__ import annotations

from nonebot import logger, on_notice
from nonebot.adapters import Bot, Event
from nonebot.adapters.onebot import v11
from nonebot.consts import CMD_ARG_KEY, PREFIX_KEY
from nonebot.exception import ActionFailed, NetworkError
from nonebot.matcher import current_bot
from nonebot.rule import Rule
from nonebot.typing import T_State

from bot import clock, outbox
from bot.branch import BranchView, branch_of, get_branch
from bot.commands import UsageError, command, intercept, usage_error
from bot.deps import ArgText, CurrentChat, clean_text
from bot.messages import plain, send_long
from bot.platform import Chat, member_info, platform_of, sender_name
from bot.roster import officers, person_of_account
from bot.settings.service import is_enabled

from . import (
    CONTENT,
    RECORDS,
    RULES,
    SET_RULES,
    SHOW_RULES,
    WELCOME,
    WORDS,
    config,
    messages,
    service,
    watch,
)
from .normalise import normalise

show_rules = command(RULES, SHOW_RULES)
set_rules = command(RULES, SET_RULES)
words = command(CONTENT, WORDS)
records = command(CONTENT, RECORDS)
RECORDS_SHOWN = 30


# --- rules


@show_rules.handle()
async def _(chat: CurrentChat) -> None:
    await show_rules.finish(plain(messages.rules(await service.rules_of(chat.chat_id))))


def _rules_text(state: T_State) -> str:
    """The argument with its lines kept (ArgText makes one line of it)."""
    arg = (state.get(PREFIX_KEY) or {}).get(CMD_ARG_KEY)
    text = arg.extract_plain_text() if arg is not None else ""
    lines = (clean_text(line) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


@set_rules.handle()
async def _(chat: CurrentChat, state: T_State) -> None:
    text = _rules_text(state)
    if not text:
        await usage_error(messages.RULES_EMPTY)
    if len(text) > config.rules_max_chars:
        await usage_error(messages.rules_too_long(len(text), config.rules_max_chars))
    await service.set_rules(chat.chat_id, text, chat.user_id)
    await set_rules.finish(plain(messages.rules_set(text)))


# --- welcome: NoneBot delivers a join as a notice, not a message, so it has its own matcher
# (notices only, after the message router's priority, like bot.uploads).


def _joined(event: Event) -> bool:
    return isinstance(event, v11.GroupIncreaseNoticeEvent) and event.user_id != event.self_id


joined = on_notice(rule=Rule(_joined), priority=11, block=False)


@joined.handle()
async def _(event: Event) -> None:
    assert isinstance(event, v11.GroupIncreaseNoticeEvent)
    group_id, user_id = str(event.group_id), str(event.user_id)
    if not await is_enabled(group_id, WELCOME):
        return
    if not await service.claim_welcome(group_id, user_id):
        return  # welcomed before (left and came back, or a repeated notice)
    text = messages.welcome(await service.rules_of(group_id), config.rules_welcome_lines)
    delivery = await outbox.send_to_group(group_id, text)
    if not delivery.ok and not delivery.uncertain:
        await service.release_welcome(group_id, user_id)


# --- content alerts: the switch


async def content_switched(group_id: str, enabled: bool, extra: str) -> str | None:
    """`开启 / 关闭 内容提醒`: the announcement to the group is the switch's reply."""
    if extra:
        raise UsageError(*messages.switch_extra(enabled))
    platform = platform_of(current_bot.get())
    branch = await branch_of(platform, group_id)
    await service.watch(group_id, platform, enabled)
    watch.watch_group(group_id, branch.id, enabled)
    if not enabled:
        return messages.ANNOUNCE_OFF
    lines = [messages.ANNOUNCE]
    listed = await service.branch_list(branch.id)
    if not listed.words:
        count = await service.seed_starter(branch.id, "starter")
        await reload_list()
        lines.append(messages.seeded(count))
    if listed.recall:
        lines.append(messages.ANNOUNCE_RECALL)
    else:
        lines.append(messages.ANNOUNCE_NO_RECALL)
    if not any(o.account_on(platform) for o in await officers(branch.id)):
        lines.append(messages.NO_OFFICER)
    return "\n".join(lines)


async def reload_list() -> None:
    """Rebuild the matcher when the list's version moved (here or in another process)."""
    version = await service.list_version()
    if version != watch.version():
        snap = await service.snapshot()
        watch.rebuild(snap.version, snap.words, snap.recall, snap.links)


# --- content alerts: the list (officers, private)


async def _branch(chat: Chat) -> BranchView | None:
    if chat.is_group:
        return await branch_of(chat.platform, chat.chat_id)
    person = await person_of_account(chat.platform, chat.user_id)
    return await get_branch(person.branch_id) if person else None


@words.handle()
async def _(chat: CurrentChat, arg: ArgText) -> None:
    branch = await _branch(chat)
    if branch is None:
        await words.finish(plain(messages.NO_BRANCH))
    action, _, rest = arg.partition(" ")
    if not action:
        listed = await service.branch_list(branch.id)
        if not listed.words and not listed.links:
            await words.finish(plain(messages.LIST_EMPTY))
        await words.finish(plain(messages.word_list(listed.words, listed.recall, listed.links)))
    category, _, tail = rest.strip().partition(" ")
    items = tail.split()
    try:
        match action:
            case "添加" | "删除" if not category or not items:
                await usage_error(
                    messages.ADD_WHAT if action == "添加" else messages.DELETE_WHAT,
                    messages.ADD_EXAMPLE if action == "添加" else messages.DELETE_EXAMPLE,
                )
            case "添加":
                added, already = await service.add_words(branch.id, category, items, chat.user_id)
                reply = messages.added(category, added, already)
            case "删除":
                reply = messages.deleted(
                    category, await service.delete_words(branch.id, category, items)
                )
            case "撤回" if category and items in (["开"], ["关"]):
                await service.set_recall(branch.id, category, items == ["开"])
                reply = messages.recall_set(category, items == ["开"])
            case "撤回":
                await usage_error(messages.RECALL_WHAT, "敏感词 撤回 赌博 开")
            case "链接" if category in ("开", "关") and not items:
                await service.set_links(branch.id, category == "开")
                reply = messages.links_set(category == "开")
            case "链接":
                await usage_error(messages.LINKS_WHAT, "敏感词 链接 开")
            case _:
                await usage_error(messages.UNKNOWN_ACTION.format(word=action[:10]))
    except service.ListError as e:
        await usage_error(messages.list_error(e.reason, e.value))
    await reload_list()
    await words.finish(plain(reply))


@records.handle()
async def _(bot: Bot, event: Event, chat: CurrentChat, arg: ArgText) -> None:
    if arg not in ("", "本月"):
        await usage_error(messages.RECORDS_ARG, "内容记录 本月")
    branch = await _branch(chat)
    if branch is None:
        await records.finish(plain(messages.NO_BRANCH))
    month = arg == "本月"
    since = clock.day_start(clock.month_start(clock.today())) if month else None
    views, counts = await service.matches(branch.id, since, RECORDS_SHOWN)
    text = messages.records(views, counts, month, RECORDS_SHOWN, config.rules_record_days)
    await send_long(bot, event, text, title="内容记录")


# --- content alerts: the messages. The check runs for every group message that is not a
# command: a dictionary lookup, and for a watched group one automaton pass. No database.

HIT = "_rules_hit"
FLOOD = "_rules_flood"

LIMITS = watch.Limits(
    same_count=config.rules_flood_same_count,
    same_seconds=config.rules_flood_same_seconds,
    burst_count=config.rules_flood_burst_count,
    burst_seconds=config.rules_flood_burst_seconds,
    quiet_seconds=config.rules_flood_quiet_seconds,
)


def _matches(bot: Bot, event: Event, state: T_State) -> bool:
    group_id = getattr(event, "group_id", None)
    if group_id is None or event.get_type() != "message":
        return False
    group = str(group_id)
    if not watch.watched(group):
        return False
    text = normalise(event.get_plaintext())
    hit = watch.find_normalised(group, text) or watch.find_link(group, event.get_plaintext())
    flood = watch.observe(group, event.get_user_id(), text, clock.now().timestamp(), LIMITS)
    if hit is None and flood is None:
        return False
    state[HIT], state[FLOOD] = hit, flood
    return True


matched = intercept("content alert", _matches)


@matched.handle()
async def _(bot: Bot, event: Event, state: T_State) -> None:
    hit: watch.Hit | None = state[HIT]
    group_id, user_id = str(getattr(event, "group_id", "")), event.get_user_id()
    branch_id = watch.branch_of(group_id)
    if branch_id is None:
        return
    if hit is None:
        await _flood(bot, event, branch_id, state[FLOOD])
        return
    action = "alerted"
    if hit.recall:
        action = await _recall(bot, group_id, event)
    now = clock.now()
    text = event.get_plaintext()
    card = sender_name(event) or user_id
    await service.record(
        branch_id=branch_id,
        group_id=group_id,
        user_id=user_id,
        card=card,
        text=text,
        category=hit.category,
        word=hit.word,
        action=action,
        at=now,
    )
    alert = messages.alert(
        group_id=group_id,
        card=card,
        user_id=user_id,
        text=text,
        category=hit.category,
        word=hit.word,
        action=action,
        at=now,
    )
    if action == "not_admin" and await service.tell_recall_refused(group_id):
        alert += "\n" + messages.RECALL_REFUSED
    if action == "recalled":
        await service.recall_works(group_id)
        await outbox.send_to_user(
            user_id, messages.recalled(group_id, hit.category), bot_id=bot.self_id
        )
    await _tell_officers(bot, branch_id, alert)


async def _flood(bot: Bot, event: Event, branch_id: int, kind: str) -> None:
    group_id, user_id = str(getattr(event, "group_id", "")), event.get_user_id()
    now, text, card = clock.now(), event.get_plaintext(), sender_name(event) or user_id
    category = messages.FLOOD_CATEGORY
    detail = messages.flood_detail(kind, LIMITS)
    await service.record(
        branch_id=branch_id,
        group_id=group_id,
        user_id=user_id,
        card=card,
        text=text,
        category=category,
        word=detail,
        action="alerted",
        at=now,
    )
    alert = messages.flood_alert(
        group_id=group_id, card=card, user_id=user_id, text=text, detail=detail, at=now
    )
    await _tell_officers(bot, branch_id, alert)


async def _tell_officers(bot: Bot, branch_id: int, alert: str) -> None:
    platform = platform_of(bot)
    for officer in await officers(branch_id):
        account = officer.account_on(platform)
        if account is not None:
            await outbox.send_to_user(account, alert, bot_id=bot.self_id)


async def _recall(bot: Bot, group_id: str, event: Event) -> str:
    info = await member_info(bot, group_id, bot.self_id)
    if str(info.get("role") or "") not in ("admin", "owner"):
        return "not_admin"
    message_id = getattr(event, "message_id", None)
    if not isinstance(bot, v11.Bot) or message_id is None:
        return "recall_failed"
    try:
        await bot.delete_msg(message_id=int(message_id))
    except (ActionFailed, NetworkError) as e:
        logger.warning(f"delete_msg in {group_id} failed: {e}")
        return "recall_failed"
    return "recalled"
