from __future__ import annotations

import uuid

from nonebot.adapters import Bot, Event

from bot import clock
from bot.branch import branch_of, find_branch
from bot.commands import command, usage_error
from bot.deps import ArgText, CallerRole, CurrentChat, clean_text
from bot.messages import plain, send_long
from bot.receipts.audience import (
    OutsideGroup,
    UnknownAudience,
    audience_words,
    confine,
    people_for,
    read_audience,
)
from bot.roster import counts, person_of_account, scope_of
from bot.when import ParseError, parse_moment

from . import CREATE, POLL, RESULTS, VOTE, config, desk, messages, parsing, service

create = command(POLL, CREATE)
vote = command(POLL, VOTE)
results = command(POLL, RESULTS)


def _ref(chat_id: str, platform: str, event: Event) -> str:
    """The command's message: a retried event makes the poll once."""
    message_id = getattr(event, "message_id", None)
    return f"{platform}:{chat_id}:{message_id if message_id is not None else uuid.uuid4().hex}"


@create.handle()
async def _(event: Event, chat: CurrentChat, role: CallerRole, arg: ArgText) -> None:
    try:
        draft = parsing.split(arg)
    except parsing.PollError as e:
        await usage_error(messages.problem(e), messages.problem_example(e))
    if len(draft.title) > config.poll_max_title_chars:
        await usage_error(
            messages.title_too_long(len(draft.title), config.poll_max_title_chars),
            messages.EXAMPLE,
        )
    for option in draft.options:
        if len(option) > config.poll_max_option_chars:
            await usage_error(
                messages.option_too_long(option, config.poll_max_option_chars), messages.EXAMPLE
            )
    if draft.anonymous and draft.changeable:
        await usage_error(messages.ANONYMOUS_UNCHANGEABLE, messages.ANONYMOUS_EXAMPLE)
    if draft.anonymous and draft.deadline is None:
        await usage_error(messages.ANONYMOUS_NEEDS_DEADLINE, messages.ANONYMOUS_EXAMPLE)
    now = clock.now()
    deadline = None
    if draft.deadline is not None:
        try:
            moment = parse_moment(draft.deadline, now, config.poll_deadline_time)
        except ParseError as e:
            await usage_error(messages.bad_deadline(e.reason), messages.EXAMPLE)
        if moment.content:
            await usage_error(
                messages.DEADLINE_LEFTOVER.format(rest=moment.content), messages.EXAMPLE
            )
        if moment.at <= now:
            await usage_error(messages.PAST.format(when=messages.at(moment.at)), messages.EXAMPLE)
        deadline = moment.at
    branch = await branch_of(chat.platform, chat.chat_id)
    roster = await counts(branch.id)
    if not roster.total:
        await create.finish(plain(messages.NO_ROSTER))
    groups = [g for g in roster.by_group if g]
    words = audience_words(draft.audience) if draft.audience is not None else None
    try:
        audience = read_audience(words, groups)
    except UnknownAudience as e:
        await usage_error(messages.unknown_audience(e.word, groups), messages.AUDIENCE_EXAMPLE)
    scope = await scope_of(chat.platform, chat.user_id, branch.id, role)
    if scope:  # a 党小组长 polls their own 党小组
        try:
            audience = confine(audience, scope)
        except OutsideGroup:
            await usage_error(messages.own_group_only(scope), messages.own_group_example(scope))
    people = await people_for(branch.id, audience)
    if not people:
        await create.finish(plain(messages.nobody(" ".join(words or []))))
    poll, _ = await service.create(
        branch.id,
        ref=_ref(chat.chat_id, chat.platform, event),
        author=f"{chat.platform}:{chat.user_id}",
        title=draft.title,
        options=draft.options,
        max_choices=draft.max_choices,
        anonymous=draft.anonymous,
        changeable=draft.changeable,
        deadline=deadline,
        audience=audience,
        group_id=chat.chat_id,
        now=now,
    )
    unreachable = sum(1 for p in people if not p.reachable)
    await create.finish(plain(messages.posted(poll, len(people), unreachable)))


@vote.handle()
async def _(chat: CurrentChat, arg: ArgText) -> None:
    ballot = parsing.ballot(arg) if arg else None
    result = await desk.cast(chat.platform, chat.group_id, chat.user_id, ballot, clock.now())
    poll = result.poll
    match result.outcome:
        case desk.Outcome.SILENT:
            await vote.finish()
        case desk.Outcome.VOTED:
            assert poll is not None
            assert result.vote is not None
            text = messages.voted(poll, result.vote)
        case desk.Outcome.NOT_BOUND:
            text = messages.NOT_BOUND
        case desk.Outcome.NOTHING_OPEN:
            text = messages.NOTHING_OPEN
        case desk.Outcome.NO_SUCH:
            number = ballot.number if ballot else None
            await usage_error(messages.no_such(number or 0), messages.VOTE_EXAMPLE)
        case desk.Outcome.NOT_FOR_YOU:
            assert poll is not None
            text = messages.not_for_you(poll)
        case desk.Outcome.CLOSED:
            assert poll is not None
            text = messages.closed(poll)
        case desk.Outcome.BAD_BALLOT:
            assert poll is not None
            await usage_error(
                messages.bad_ballot(poll, ballot.letters if ballot else None),
                messages.ballot_example(poll),
            )
    await vote.finish(plain(text))


@results.handle()
async def _(bot: Bot, event: Event, chat: CurrentChat, role: CallerRole, arg: ArgText) -> None:
    folded = clean_text(arg, fold=True).lstrip("#＃") if arg else ""
    if folded and not (folded.isdigit() and len(folded) <= 9):
        await usage_error(messages.RESULTS_USAGE, messages.RESULTS_EXAMPLE)
    if chat.group_id is not None:
        branch = await find_branch(chat.platform, chat.group_id)
        branch_id = branch.id if branch else None
    else:
        person = await person_of_account(chat.platform, chat.user_id)
        branch_id = person.branch_id if person else None
        if branch_id is None:
            await results.finish(plain(messages.NOT_ON_ROSTER))
    poll = None
    if branch_id is not None:
        poll = await (service.poll(int(folded)) if folded else service.latest(branch_id))
    if poll is None or poll.branch_id != branch_id:
        if folded:
            await usage_error(messages.no_such(int(folded)), messages.RESULTS_EXAMPLE)
        await results.finish(plain(messages.NO_POLL))
    now = clock.now()
    closed_now = not poll.is_open(now)
    people = await desk.expected_people(poll)
    tally = await service.tally(poll)
    if not role.is_admin and not closed_now:
        await results.finish(plain(messages.members_wait(poll)))
    if poll.anonymous and not closed_now:
        await results.finish(plain(messages.anonymous_pending(poll, tally.voters, len(people))))
    if chat.is_group or poll.anonymous or not role.is_admin:
        await results.finish(plain(messages.results(tally, len(people), closed_now)))
    scope = await scope_of(chat.platform, chat.user_id, poll.branch_id, role)
    names = {p.id: p for p in people if not scope or p.party_group == scope}
    text = messages.results(tally, len(people), closed_now, names, scope)
    await send_long(bot, event, text, title="投票结果")
    await results.finish()
