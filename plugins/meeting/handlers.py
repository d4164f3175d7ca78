from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from nonebot.adapters import Bot, Event

from bot import clock, outbox
from bot.branch import branch_of
from bot.commands import Route, command, usage_error
from bot.deps import ArgText, CurrentChat, clean_text
from bot.messages import plain, send_long
from bot.once import TellOnce
from bot.platform import Chat
from bot.roster import PersonView, counts, person_of_account
from bot.when import ParseError, parse_moment

from . import (
    APPROVE,
    ARRIVE,
    CANCEL,
    CORRECT,
    FEATURE,
    LEAVE,
    MAKE_UP,
    MOVE,
    REFUSE,
    SCHEDULE,
    attendance,
    config,
    messages,
    service,
)
from .attendance import Arrival, Asked, Corrected, Decision, MadeUp
from .service import Change

schedule = command(FEATURE, SCHEDULE)
move = command(FEATURE, MOVE)
cancel = command(FEATURE, CANCEL)
arrive = command(FEATURE, ARRIVE)
leave = command(FEATURE, LEAVE)
approve = command(FEATURE, APPROVE)
refuse = command(FEATURE, REFUSE)
make_up = command(FEATURE, MAKE_UP)
correct = command(FEATURE, CORRECT)

_NUMBER = re.compile(r"[#＃]?(\d{1,9})")
QQ = "qq"


def _split(arg: str) -> tuple[int | None, str]:
    """The 编号 at the start of the argument (None when it is not one) and the rest."""
    first, _, rest = arg.partition(" ")
    found = _NUMBER.fullmatch(clean_text(first, fold=True))
    return (int(found.group(1)), rest.strip()) if found else (None, arg)


def _ref(chat: Chat, event: Event) -> str:
    """The command's message: a retried event schedules the meeting once."""
    message_id = getattr(event, "message_id", None)
    number = message_id if message_id is not None else uuid.uuid4().hex
    return f"{chat.platform}:{chat.chat_id}:{number}"


async def _branch(route: Route, chat: Chat) -> int:
    """The branch an officer's command is about: the group's, or in private their own."""
    if chat.is_group:
        return (await branch_of(chat.platform, chat.chat_id)).id
    person = await person_of_account(chat.platform, chat.user_id)
    if person is None:
        await route.finish(plain(messages.NOT_ON_ROSTER))
    return person.branch_id


async def _member(route: Route, chat: Chat, not_bound: str) -> PersonView:
    """The roster person of the caller, or finish saying how to bind."""
    person = await person_of_account(chat.platform, chat.user_id)
    if person is None:
        await route.finish(plain(not_bound))
    return person


@dataclass(frozen=True)
class _Time:
    starts_at: datetime
    ends_at: datetime
    rest: str
    notes: list[str]


async def _time(route: Route, text: str, example: str, now: datetime) -> _Time:
    """Start, end, the words after the time and the notes; or finish with the reason."""
    if not text:
        await usage_error(messages.NEED_TIME, example)
    try:
        moment = parse_moment(text, now, config.meeting_default_time)
    except ParseError as e:  # the reason carries its own examples
        await route.finish(plain(messages.bad_time(e.reason)))
    if moment.at <= now:
        await usage_error(messages.past(moment.at, now), example)
    # A meeting starts on the minute: `20分钟后` said at 05:46:46 is 06:06, not 06:06:46
    # (still after now: a relative time is at least a minute ahead).
    starts_at = moment.at.replace(second=0, microsecond=0)
    if starts_at <= now:
        starts_at = moment.at
    ends_at = moment.end or starts_at + timedelta(minutes=config.meeting_duration_minutes)
    if ends_at <= starts_at:
        await usage_error(messages.bad_end(ends_at, now), example)
    return _Time(starts_at, ends_at, moment.content, list(moment.notes))


# --- 会议 -------------------------------------------------------------------------------------


@schedule.handle()
async def _(bot: Bot, event: Event, chat: CurrentChat, arg: ArgText) -> None:
    number, rest = _split(arg) if arg else (None, "")
    if not arg:
        await _list(chat)
    if number is not None and not rest:
        await _detail(bot, event, chat, number)
    if not chat.is_group:
        await schedule.finish(plain(messages.NEED_GROUP_CHAT))
    # `会议 党员大会 周五15点` or glued, `会议 党员大会周五15点`
    kind = next((t for t in service.TYPES if arg.startswith(t)), None)
    if kind is None:
        await usage_error(messages.unknown_type(arg.partition(" ")[0]), messages.SCHEDULE_EXAMPLE)
    rest = arg[len(kind) :].strip()
    branch = await branch_of(chat.platform, chat.chat_id)
    roster = await counts(branch.id)
    if not roster.total:
        await schedule.finish(plain(messages.NO_ROSTER))
    party_group = ""
    if kind == service.GROUP_MEETING:
        groups = [g for g in roster.by_group if g]
        word, _, after = rest.partition(" ")
        if word in groups:
            party_group, rest = word, after
        else:
            me = await person_of_account(chat.platform, chat.user_id)
            if me is None or me.branch_id != branch.id or not me.party_group:
                await usage_error(messages.which_group(groups), messages.GROUP_EXAMPLE)
            party_group = me.party_group
    now = clock.now()
    when = await _time(schedule, rest.strip(), messages.SCHEDULE_EXAMPLE, now)
    topic = when.rest
    if len(topic) > config.meeting_topic_max_chars:
        await usage_error(messages.topic_too_long(len(topic), config.meeting_topic_max_chars))
    people = await service.people_for(branch.id, kind, party_group)
    if not people:
        await schedule.finish(plain(messages.nobody(kind)))
    made, _ = await service.schedule(
        branch.id,
        kind=kind,
        party_group=party_group,
        topic=topic,
        starts_at=when.starts_at,
        ends_at=when.ends_at,
        ref=_ref(chat, event),
        author=f"{chat.platform}:{chat.user_id}",
        origin=chat.chat_id,
        now=now,
    )
    unreachable = sum(1 for p in people if not p.reachable)
    await schedule.finish(
        plain(messages.scheduled(made, len(people), unreachable, when.notes, now))
    )


async def _list(chat: Chat) -> None:
    branch_id = await _branch(schedule, chat)
    now = clock.now()
    rows = [(m, await attendance.attendance(m)) for m in await service.listing(branch_id, now)]
    await schedule.finish(plain(messages.listing(rows, now)))


async def _detail(bot: Bot, event: Event, chat: Chat, number: int) -> None:
    branch_id = await _branch(schedule, chat)
    found = await service.meeting(number, branch_id)
    if found is None:
        await schedule.finish(plain(messages.no_meeting(number)))
    now = clock.now()
    present = await attendance.attendance(found)
    if chat.is_group:
        await schedule.finish(plain(messages.detail_counts(present, now)))
    await send_long(bot, event, messages.detail_private(present, now), title="会议")
    await schedule.finish()


@move.handle()
async def _(chat: CurrentChat, arg: ArgText) -> None:
    number, rest = _split(arg) if arg else (None, "")
    if number is None:
        await usage_error(messages.NUMBER_USAGE, messages.MOVE_EXAMPLE)
    branch_id = await _branch(move, chat)
    now = clock.now()
    when = await _time(move, rest, messages.MOVE_EXAMPLE, now)
    change, found = await service.move(number, branch_id, when.starts_at, when.ends_at, now)
    match change:
        case Change.NO_SUCH:
            text = messages.no_meeting(number)
        case Change.CANCELLED:
            assert found is not None
            text = messages.was_cancelled(found)
        case Change.STARTED:
            assert found is not None
            text = messages.started_cannot_move(found)
        case Change.DONE:
            assert found is not None
            text = messages.moved(found, now)
    await move.finish(plain(text))


@cancel.handle()
async def _(chat: CurrentChat, arg: ArgText) -> None:
    number, rest = _split(arg) if arg else (None, "")
    if number is None or rest:
        await usage_error(messages.NUMBER_USAGE, messages.CANCEL_EXAMPLE)
    branch_id = await _branch(cancel, chat)
    change, found = await service.cancel(number, branch_id, clock.now())
    match change:
        case Change.NO_SUCH:
            text = messages.no_meeting(number)
        case Change.CANCELLED:
            assert found is not None
            text = messages.was_cancelled(found)
        case Change.STARTED:
            assert found is not None
            text = messages.ended_cannot_cancel(found)
        case Change.DONE:
            assert found is not None
            text = messages.cancelled(found)
    await cancel.finish(plain(text))


# --- 到 -----------------------------------------------------------------------------------


_not_recorded = TellOnce()
"""(account, meeting) pairs told in a group that their 到 cannot be recorded: once is
informative, every time is noise."""


@arrive.handle()
async def _(chat: CurrentChat) -> None:
    # In a group, `到 了` is a bare 到 (or ordinary chat); the argument is not read.
    result = await attendance.arrive(chat.platform, chat.group_id, chat.user_id, clock.now())
    found = result.meeting
    match result.outcome:
        case Arrival.SILENT:
            await arrive.finish()
        case Arrival.PRESENT:
            assert found is not None
            assert result.confirmation is not None
            text = messages.arrived(found, result.confirmation)
        case Arrival.NOT_BOUND | Arrival.OTHER_BRANCH | Arrival.NOT_FOR_YOU:
            if chat.is_group and not _not_recorded.first((chat.user_id, found.id if found else 0)):
                await arrive.finish()  # told once already: 到 is ordinary chat too
            if result.outcome == Arrival.NOT_BOUND or found is None:
                text = messages.NOT_BOUND
            elif result.outcome == Arrival.OTHER_BRANCH:
                text = messages.other_branch(found)
            else:
                text = messages.not_for_you(found)
        case Arrival.NOT_YET:
            assert found is not None
            text = messages.not_yet(found)
        case Arrival.NOTHING:
            text = messages.nothing_near()
    await arrive.finish(plain(text))


# --- 请假, 批准, 不批准 ---------------------------------------------------------------------


@leave.handle()
async def _(bot: Bot, chat: CurrentChat, arg: ArgText) -> None:
    if not arg:
        await usage_error(messages.LEAVE_NEED_REASON, messages.LEAVE_EXAMPLE)
    if len(arg) > config.meeting_note_max_chars:
        await usage_error(messages.too_long("请假原因", len(arg), config.meeting_note_max_chars))
    person = await _member(leave, chat, messages.LEAVE_NOT_BOUND)
    now = clock.now()
    result = await attendance.ask_leave(person, arg, now)
    match result.outcome:
        case Asked.NO_MEETING:
            await leave.finish(plain(messages.NO_MEETING_FOR_LEAVE))
        case Asked.STARTED:
            assert result.meeting is not None
            await leave.finish(plain(messages.leave_started(result.meeting)))
        case Asked.PRESENT:
            assert result.meeting is not None
            await leave.finish(plain(messages.leave_present(result.meeting)))
        case Asked.ASKED:
            pass
    assert result.meeting is not None
    assert result.leave is not None
    text = messages.leave_asked(result.meeting, result.leave, result.new, now)
    officers = [
        user_id
        for officer in await attendance.officers_to_tell(person.branch_id, person.id)
        if (user_id := officer.account_on(QQ)) is not None
    ]
    if result.new and not officers:
        text += messages.NO_OFFICER_REACHABLE
    await leave.send(plain(text))
    if result.new:
        told = messages.leave_to_officer(result.meeting, result.leave, person, now)
        for user_id in officers:  # through the account that was asked: it reaches them
            await outbox.send_to_user(user_id, told, bot_id=bot.self_id)
    await leave.finish()


async def _decide(route: Route, bot: Bot, chat: Chat, arg: str, approve_: bool) -> None:
    number, rest = _split(arg) if arg else (None, "")
    if number is None or rest:
        await usage_error(messages.DECIDE_USAGE, route.doc.examples[0])
    branch_id = await _branch(route, chat)
    result = await attendance.decide_leave(
        number, branch_id, chat.user_id, approve=approve_, now=clock.now()
    )
    if result.outcome == Decision.NO_SUCH or result.leave is None:
        await route.finish(plain(messages.no_leave(number)))
    if result.outcome == Decision.ALREADY:
        await route.finish(plain(messages.already_decided(result.leave)))
    text = (
        messages.decided_counts(result.leave, approve_)
        if chat.is_group
        else messages.decided_private(result.leave, result.person, approve_)
    )
    await route.send(plain(text))
    user_id = result.person.account_on(QQ) if result.person else None
    if user_id is not None:
        await outbox.send_to_user(
            user_id,
            messages.decision_to_member(result.meeting, result.leave, approve_),
            bot_id=bot.self_id,
        )
    await route.finish()


@approve.handle()
async def _(bot: Bot, chat: CurrentChat, arg: ArgText) -> None:
    await _decide(approve, bot, chat, arg, True)


@refuse.handle()
async def _(bot: Bot, chat: CurrentChat, arg: ArgText) -> None:
    await _decide(refuse, bot, chat, arg, False)


# --- 补学 and 补登 ----------------------------------------------------------------------------


@make_up.handle()
async def _(chat: CurrentChat, arg: ArgText) -> None:
    number, note = _split(arg) if arg else (None, "")
    if number is None or not note:
        await usage_error(messages.MAKE_UP_USAGE, messages.MAKE_UP_EXAMPLE)
    if len(note) > config.meeting_note_max_chars:
        await usage_error(messages.too_long("心得", len(note), config.meeting_note_max_chars))
    person = await _member(make_up, chat, messages.MAKE_UP_NOT_BOUND)
    result = await attendance.make_up(person, number, note, clock.now())
    found = result.meeting
    match result.outcome:
        case MadeUp.NO_SUCH:
            text = messages.no_meeting(number)
        case MadeUp.NOT_FOR_YOU:
            assert found is not None
            text = messages.make_up_not_for_you(found)
        case MadeUp.CANCELLED:
            assert found is not None
            text = messages.was_cancelled(found)
        case MadeUp.NOT_ENDED:
            assert found is not None
            text = messages.make_up_not_ended(found)
        case MadeUp.ATTENDED:
            assert found is not None
            text = messages.make_up_attended(found)
        case MadeUp.RECORDED:
            assert found is not None
            text = messages.made_up(found, result.new, result.at)
    await make_up.finish(plain(text))


_PRESENT_WORDS = {"到": True, "出席": True, "参加": True, "请假": False}


@correct.handle()
async def _(chat: CurrentChat, arg: ArgText) -> None:
    number, rest = _split(arg) if arg else (None, "")
    words = rest.split()
    if number is None or len(words) != 2 or words[1] not in _PRESENT_WORDS:
        await usage_error(messages.CORRECT_USAGE, messages.CORRECT_EXAMPLE)
    name, present = words[0], _PRESENT_WORDS[words[1]]
    branch_id = await _branch(correct, chat)
    result = await attendance.correct(branch_id, number, name, present, chat.user_id, clock.now())
    found = result.meeting
    match result.outcome:
        case Corrected.NO_SUCH:
            text = messages.no_meeting(number)
        case Corrected.CANCELLED:
            assert found is not None
            text = messages.was_cancelled(found)
        case Corrected.NO_PERSON:
            text = messages.no_person(name)
        case Corrected.NOT_EXPECTED:
            assert found is not None
            text = messages.not_expected(found)
        case Corrected.WAS_PRESENT:
            assert found is not None
            text = messages.was_present(found)
        case Corrected.PRESENT | Corrected.LEAVE:
            assert found is not None
            assert result.person is not None
            text = (
                messages.corrected_counts(found, present, result.new)
                if chat.is_group
                else messages.corrected_private(found, result.person, present, result.new)
            )
    await correct.finish(plain(text))
