from __future__ import annotations

from nonebot.adapters import Bot, Event
from nonebot.typing import T_State

from bot import clock
from bot.commands import UsageError, command, intercept, usage_error
from bot.deps import ArgText, CurrentChat, clean_text
from bot.members import display_names, remember
from bot.messages import plain, send_long
from bot.platform import chat_of, sender_name

from . import (
    ANSWER,
    BANK,
    CHALLENGE,
    CHALLENGE_BOARD,
    DAILY,
    PRACTICE,
    QUIZ,
    TODAY,
    WRONG_BOOK,
    WRONG_PRACTICE,
    config,
    messages,
    rounds,
    service,
    sessions,
)
from .answers import NotAnAnswer
from .push import parse_time

today = command(DAILY, TODAY)
answer = command(DAILY, ANSWER)
practice = command(QUIZ, PRACTICE)
challenge = command(QUIZ, CHALLENGE)
challenge_board = command(QUIZ, CHALLENGE_BOARD)
wrong_book = command(QUIZ, WRONG_BOOK)
wrong_practice = command(QUIZ, WRONG_PRACTICE)
bank = command(QUIZ, BANK)


# 每日一题 -------------------------------------------------------------------------------------


@today.handle()
async def _(chat: CurrentChat) -> None:
    question = await service.daily_question(chat.chat_id)
    if question is None:
        await today.finish(plain(messages.no_question()))
    await today.finish(plain(messages.daily(question, clock.today())))


@answer.handle()
async def _(bot: Bot, event: Event, chat: CurrentChat, arg: ArgText) -> None:
    await remember(chat.chat_id, chat.user_id, sender_name(event))  # the day's first may be named
    question = await service.daily_question(chat.chat_id)
    if question is None:
        await answer.finish(plain(messages.no_question()))
    if not arg:
        await usage_error(
            messages.answer_missing(question.kind), messages.HOW_TO_ANSWER[question.kind]
        )
    try:
        result = await service.answer_daily(
            chat.chat_id, chat.user_id, arg, points=config.quiz_daily_points
        )
    except NotAnAnswer as e:
        await answer.finish(plain(messages.not_an_answer(str(e), question.kind)))
    if result is None:  # pragma: no cover - daily_question() above created today's question
        await answer.finish(plain(messages.no_daily_yet()))
    first_name = None
    if not result.first_correct:
        first = await service.first_correct_user(chat.chat_id)
        if first is not None:
            first_name = (await display_names(bot, chat.chat_id, [first]))[first]
    await answer.finish(plain(messages.daily_result(result, first_name)))


async def _switch_daily(group_id: str, enabled: bool, arg: str) -> str | None:
    if not enabled:
        await service.clear_schedule(group_id)
        return messages.push_off()
    words = arg.split()
    push_time = parse_time(config.quiz_daily_default_time)
    if words and any(ch.isdigit() for ch in words[0]):
        push_time = parse_time(words.pop(0))
        if push_time is None:
            raise UsageError(messages.bad_push_time(), messages.PUSH_TIME_EXAMPLE)
    known = set(await service.categories())
    unknown = [word for word in words if word not in known]
    if unknown:
        raise UsageError(
            messages.unknown_push_category(unknown[0], known), messages.PUSH_CATEGORY_EXAMPLE
        )
    assert push_time is not None
    text = f"{push_time:%H:%M}"
    await service.set_schedule(group_id, text, words)
    return messages.push_on(text, words)


async def _describe_daily(group_id: str) -> str | None:
    return messages.push_schedule(await service.schedule_of(group_id))


async def _profile(group_id: str, user_id: str) -> list[str]:
    return messages.accuracy(await service.accuracy(group_id, user_id))


DAILY.on_switch = _switch_daily
DAILY.describe = _describe_daily
QUIZ.profile = _profile


# Practice rounds -----------------------------------------------------------------------------


@practice.handle()
async def _(chat: CurrentChat, arg: ArgText) -> None:
    busy = rounds.busy(chat.kind, chat.chat_id, chat.user_id)
    if busy:
        await practice.finish(plain(busy))
    count, category = config.quiz_practice_default_count, None
    known = await service.categories()
    for word in arg.split():
        if word.isdigit():
            count = int(word)
        elif word in known:
            category = word
        else:
            await usage_error(messages.unknown_category(word, known))
    if not 1 <= count <= config.quiz_practice_max_count:
        await usage_error(
            messages.practice_count(config.quiz_practice_max_count), messages.PRACTICE_EXAMPLE
        )
    questions = await service.practice_questions(count, category)
    if not questions:
        await practice.finish(plain(messages.no_question()))
    text = await rounds.start(
        chat.kind, chat.chat_id, chat.user_id, "practice", questions, len(questions)
    )
    await practice.finish(plain(text))


@challenge.handle()
async def _(chat: CurrentChat) -> None:
    busy = rounds.busy(chat.kind, chat.chat_id, chat.user_id)
    if busy:
        await challenge.finish(plain(busy))
    questions = await service.practice_questions(rounds.CHALLENGE_BATCH, None)
    if not questions:
        await challenge.finish(plain(messages.no_question()))
    text = await rounds.start(chat.kind, chat.chat_id, chat.user_id, "challenge", questions, None)
    await challenge.finish(plain(messages.challenge_start(text)))


@wrong_practice.handle()
async def _(chat: CurrentChat) -> None:
    busy = rounds.busy(chat.kind, chat.chat_id, chat.user_id)
    if busy:
        await wrong_practice.finish(plain(busy))
    book = await service.wrong_book(chat.user_id, limit=10)
    if not book:
        await wrong_practice.finish(plain(messages.empty_wrong_book()))
    questions = [question for question, _ in book]
    text = await rounds.start(
        chat.kind, chat.chat_id, chat.user_id, "review", questions, len(questions)
    )
    await wrong_practice.finish(plain(text))


@wrong_book.handle()
async def _(bot: Bot, event: Event, chat: CurrentChat) -> None:
    book = await service.wrong_book(chat.user_id)
    if not book:
        await wrong_book.finish(plain(messages.empty_wrong_book()))
    await send_long(bot, event, messages.wrong_book(book), title=WRONG_BOOK.name)


@challenge_board.handle()
async def _(bot: Bot, chat: CurrentChat) -> None:
    rows = await service.challenge_board(chat.chat_id)
    if not rows:
        await challenge_board.finish(plain(messages.no_challenge_yet()))
    names = await display_names(bot, chat.chat_id, [user for user, _ in rows])
    await challenge_board.finish(plain(messages.challenge_board(rows, names)))


@bank.handle()
async def _() -> None:
    kinds, categories = await service.bank_counts()
    if not sum(kinds.values()):
        await bank.finish(plain(messages.no_question()))
    await bank.finish(plain(messages.bank(kinds, categories)))


def _in_round(bot: Bot, event: Event, state: T_State) -> bool:
    """A message from a member who is in a practice round (commands never get here)."""
    if not sessions.get_any():
        return False
    chat = chat_of(bot, event)
    if chat is None or sessions.get(rounds.key(chat.kind, chat.chat_id, chat.user_id)) is None:
        return False
    return bool(event.get_plaintext().strip())


round_answer = intercept("quiz round answer", _in_round)


@round_answer.handle()
async def _(bot: Bot, event: Event) -> None:
    chat = chat_of(bot, event)
    assert chat is not None
    round_ = sessions.get(rounds.key(chat.kind, chat.chat_id, chat.user_id))
    if round_ is None:
        await round_answer.finish()
    text = clean_text(event.get_plaintext())[:200]
    async with round_.lock:
        if sessions.get(round_.key) is not round_:
            await round_answer.finish()
        reply = await rounds.answer(round_, chat.user_id, text)
    await round_answer.finish(plain(reply))
