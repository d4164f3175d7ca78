from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from pathlib import Path

from nonebot import get_driver, logger, require
from nonebot.adapters import Bot, Event
from nonebot.typing import T_State

from bot import app, clock
from bot.commands import UsageError, command, intercept, usage_error
from bot.deps import ArgText, CurrentChat, clean_text
from bot.members import display_names, remember
from bot.messages import clip, plain, send_long
from bot.outbox import send_to_group, send_to_user
from bot.platform import chat_of, sender_name
from bot.settings.service import is_enabled
from bot.uploads import Upload
from bot.uploads import register as register_upload

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
    service,
    sessions,
)
from .answers import NotAnAnswer, judge
from .bank import BankFileError, import_bank
from .jobs import parse_time, scan

require("nonebot_plugin_apscheduler")
from nonebot_plugin_apscheduler import scheduler

today_cmd = command(DAILY, TODAY)
answer_cmd = command(DAILY, ANSWER)
practice_cmd = command(QUIZ, PRACTICE)
challenge_cmd = command(QUIZ, CHALLENGE)
board_cmd = command(QUIZ, CHALLENGE_BOARD)
book_cmd = command(QUIZ, WRONG_BOOK)
review_cmd = command(QUIZ, WRONG_PRACTICE)
bank_cmd = command(QUIZ, BANK)


# 每日一题 -------------------------------------------------------------------------------------


@today_cmd.handle()
async def _(chat: CurrentChat) -> None:
    question = await service.daily_question(chat.chat_id)
    if question is None:
        await today_cmd.finish(plain(messages.no_question()))
    await today_cmd.finish(plain(messages.daily(question, clock.today())))


@answer_cmd.handle()
async def _(bot: Bot, event: Event, chat: CurrentChat, arg: ArgText) -> None:
    await remember(chat.chat_id, chat.user_id, sender_name(event))  # the day's first may be named
    question = await service.daily_question(chat.chat_id)
    if question is None:
        await answer_cmd.finish(plain(messages.no_question()))
    example = f"例：{messages.HOW_TO_ANSWER[question.kind]}"
    if not arg:
        await usage_error(
            f"请在「答」后面写上答案（今天是{question.kind}题）",
            messages.HOW_TO_ANSWER[question.kind],
        )
    try:
        result = await service.answer_daily(
            chat.chat_id, chat.user_id, arg, points=config.quiz_daily_points
        )
    except NotAnAnswer as e:
        await answer_cmd.finish(plain(f"{e}。{example}"))
    if result is None:  # pragma: no cover - daily_question() above created today's question
        await answer_cmd.finish(plain("今天的题还没出，先发「每日一题」看题"))
    first_name = None
    if not result.first_correct:
        first = await service.first_correct_user(chat.chat_id)
        if first is not None:
            first_name = (await display_names(bot, chat.chat_id, [first]))[first]
    await answer_cmd.finish(plain(messages.daily_result(result, first_name)))


async def _switch_daily(group_id: str, enabled: bool, arg: str) -> str | None:
    if not enabled:
        await service.clear_schedule(group_id)
        return "本群不再推送每日一题。"
    words = arg.split()
    push_time = parse_time(config.quiz_daily_default_time)
    if words and any(ch.isdigit() for ch in words[0]):
        push_time = parse_time(words.pop(0))
        if push_time is None:
            raise UsageError("推送时间要写成 24 小时制的 时:分", "开启 每日一题 08:30")
    known = set(await service.categories())
    unknown = [word for word in words if word not in known]
    if unknown:
        raise UsageError(
            f"题库里没有「{clip(unknown[0], 10)}」分类。现有：{'、'.join(sorted(known)) or '（题库为空）'}",
            "开启 每日一题 09:00 党史",
        )
    assert push_time is not None
    text = f"{push_time:%H:%M}"
    await service.set_schedule(group_id, text, words)
    only = f"，只出{'、'.join(words)}的题" if words else ""
    return f"每天 {text} 推送今日题目{only}。发「每日一题」随时看题。"


async def _describe_daily(group_id: str) -> str | None:
    schedule = await service.schedule_of(group_id)
    if schedule is None:
        return "不推送"
    push_time, wanted = schedule
    return f"每天 {push_time} 推送" + (f"，{'、'.join(wanted)}" if wanted else "")


async def _profile(group_id: str, user_id: str) -> list[str]:
    stats = await service.accuracy(group_id, user_id)
    lines = []
    for mode, label in (("daily", "每日一题"), ("practice", "练习")):
        right, total = stats.get(mode, (0, 0))
        if total:
            lines.append(f"{label}：答对 {right}/{total}（{round(100 * right / total)}%）")
    return lines


DAILY.on_switch = _switch_daily
DAILY.describe = _describe_daily
QUIZ.profile = _profile


def _render_push(question: service.QuestionView, late: bool) -> str:
    text = messages.daily(question, clock.today())
    return text + ("\n（推送晚了一些，抱歉）" if late else "")


async def _daily_enabled(group_id: str) -> bool:
    return await is_enabled(group_id, DAILY)


@scheduler.scheduled_job("interval", seconds=config.quiz_daily_scan_seconds, id="quiz_daily_push")
async def push_due_questions() -> None:
    await scan(timedelta(minutes=config.quiz_daily_grace_minutes), _daily_enabled, _render_push)


@get_driver().on_startup
async def _load_starter_bank() -> None:
    """A new install answers 每日一题 at once: the starter bank is loaded when the bank is empty."""
    if await service.bank_size():
        return
    folder = Path(config.quiz_starter_dir or app.ROOT / "data" / "questions")
    added = 0
    for path in sorted(await asyncio.to_thread(lambda: list(folder.glob("*.json")))):
        try:
            report = await import_bank(
                path.name,
                await asyncio.to_thread(path.read_bytes),
                skip_invalid=True,
                max_bytes=config.quiz_import_max_bytes,
                max_rows=config.quiz_import_max_rows,
                origin=f"starter:{path.name}",
            )
        except (BankFileError, OSError) as e:
            logger.warning(f"starter question bank {path} not loaded: {e}")
            continue
        added += report.added
    logger.info(f"题库为空，已载入入门题库：{added} 题（{folder}）")


async def _import_upload(upload: Upload, data: bytes) -> str | None:
    """An admin's question bank sent in chat: the same import as `python -m bot import-questions`."""
    try:
        report = await import_bank(
            upload.name,
            data,
            max_bytes=config.quiz_import_max_bytes,
            max_rows=config.quiz_import_max_rows,
            origin=f"upload:{upload.name}",
        )
    except BankFileError as e:
        return f"「{clip(upload.name, 30)}」没有导入：{e}"
    return f"「{clip(upload.name, 30)}」" + messages.import_report(report, cli=False)


register_upload(QUIZ, (".xlsx", ".csv", ".json"), _import_upload)


# Practice rounds -----------------------------------------------------------------------------


def _key(chat_kind: str, chat_id: str, user_id: str) -> sessions.Key:
    return (chat_kind, chat_id, user_id)


def _scope(chat_kind: str, chat_id: str) -> str:
    return chat_id if chat_kind == "group" else service.PRIVATE_SCOPE


async def _start(
    chat_kind: str,
    chat_id: str,
    user_id: str,
    mode: sessions.Mode,
    questions: list[service.QuestionView],
    total: int | None,
) -> str:
    round_ = sessions.Round(
        key=_key(chat_kind, chat_id, user_id),
        mode=mode,
        scope=_scope(chat_kind, chat_id),
        questions=questions,
        total=total,
    )
    sessions.start(round_, config.quiz_practice_timeout_minutes * 60, _timed_out)
    return messages.practice_question(round_.current, 1, total, mode)


async def _already(chat_kind: str, chat_id: str, user_id: str) -> str | None:
    round_ = sessions.get(_key(chat_kind, chat_id, user_id))
    if round_ is None:
        return None
    question = messages.practice_question(round_.current, round_.number, round_.total, round_.mode)
    return f"你正在答题，直接回复答案；发「结束」可以结束。\n{question}"


@practice_cmd.handle()
async def _(chat: CurrentChat, arg: ArgText) -> None:
    busy = await _already(chat.kind, chat.chat_id, chat.user_id)
    if busy:
        await practice_cmd.finish(plain(busy))
    count, category = config.quiz_practice_default_count, None
    known = await service.categories()
    for word in arg.split():
        if word.isdigit():
            count = int(word)
        elif word in known:
            category = word
        else:
            await usage_error(
                f"没有「{clip(word, 10)}」这个分类。现有：{'、'.join(known) or '（题库为空）'}"
            )
    if not 1 <= count <= config.quiz_practice_max_count:
        await usage_error(f"一轮可以练 1–{config.quiz_practice_max_count} 题", "答题 党史 10")
    questions = await service.practice_questions(count, category)
    if not questions:
        await practice_cmd.finish(plain(messages.no_question()))
    text = await _start(
        chat.kind, chat.chat_id, chat.user_id, "practice", questions, len(questions)
    )
    await practice_cmd.finish(plain(text))


@challenge_cmd.handle()
async def _(chat: CurrentChat) -> None:
    busy = await _already(chat.kind, chat.chat_id, chat.user_id)
    if busy:
        await challenge_cmd.finish(plain(busy))
    questions = await service.practice_questions(CHALLENGE_BATCH, None)
    if not questions:
        await challenge_cmd.finish(plain(messages.no_question()))
    text = await _start(chat.kind, chat.chat_id, chat.user_id, "challenge", questions, None)
    await challenge_cmd.finish(plain("挑战开始：一直答到第一次答错。\n" + text))


CHALLENGE_BATCH = 30


@review_cmd.handle()
async def _(chat: CurrentChat) -> None:
    busy = await _already(chat.kind, chat.chat_id, chat.user_id)
    if busy:
        await review_cmd.finish(plain(busy))
    book = await service.wrong_book(chat.user_id, limit=10)
    if not book:
        await review_cmd.finish(plain("错题本是空的 👍 发「答题」练习"))
    questions = [question for question, _ in book]
    text = await _start(chat.kind, chat.chat_id, chat.user_id, "review", questions, len(questions))
    await review_cmd.finish(plain(text))


@book_cmd.handle()
async def _(bot: Bot, event: Event, chat: CurrentChat) -> None:
    book = await service.wrong_book(chat.user_id)
    if not book:
        await book_cmd.finish(plain("错题本是空的 👍 发「答题」练习"))
    lines = [f"我的错题本（{len(book)}题，最近的在前）"]
    for number, (question, wrong_at) in enumerate(book, 1):
        when = clock.local_now(wrong_at)
        key = messages.shown_answer(question.kind, question.answer)
        lines.append(
            f"{number}. [{question.kind}] {clip(question.stem, 40)} 答案：{key}（{when.month}/{when.day}）"
        )
    lines.append("发「错题练习」再练一遍，之后答对两次就移出")
    await send_long(bot, event, "\n".join(lines), title="错题本")


@board_cmd.handle()
async def _(bot: Bot, chat: CurrentChat) -> None:
    rows = await service.challenge_board(chat.chat_id)
    if not rows:
        await board_cmd.finish(plain("本群还没有挑战成绩，发「挑战答题」试试"))
    names = await display_names(bot, chat.chat_id, [user for user, _ in rows])
    lines = ["🏆 挑战榜（连续答对题数）"]
    rank = 0
    previous = None
    for position, (user, best) in enumerate(rows, 1):
        rank = rank if best == previous else position
        previous = best
        lines.append(f"{rank}. {names[user]} {best}题")
    await board_cmd.finish(plain("\n".join(lines)))


@bank_cmd.handle()
async def _() -> None:
    kinds, categories = await service.bank_counts()
    total = sum(kinds.values())
    if not total:
        await bank_cmd.finish(plain(messages.no_question()))
    kind_text = "、".join(
        f"{kind}{kinds[kind]}" for kind in ("单选", "多选", "判断", "填空") if kinds.get(kind)
    )
    category_text = "、".join(
        f"{name}{count}" for name, count in sorted(categories.items(), key=lambda x: (-x[1], x[0]))
    )
    await bank_cmd.finish(
        plain(
            f"题库共 {total} 题\n按题型：{kind_text}\n按分类：{category_text}\n发「答题 分类名」按分类练习"
        )
    )


def _in_round(bot: Bot, event: Event, state: T_State) -> bool:
    """A message from a member who is in a practice round (commands never get here)."""
    if not sessions.get_any():
        return False
    chat = chat_of(bot, event)
    if chat is None or sessions.get(_key(chat.kind, chat.chat_id, chat.user_id)) is None:
        return False
    return bool(event.get_plaintext().strip())


round_answer = intercept("quiz round answer", _in_round)


@round_answer.handle()
async def _(bot: Bot, event: Event) -> None:
    chat = chat_of(bot, event)
    assert chat is not None
    round_ = sessions.get(_key(chat.kind, chat.chat_id, chat.user_id))
    if round_ is None:
        await round_answer.finish()
    text = clean_text(event.get_plaintext())[:200]
    async with round_.lock:
        if sessions.get(round_.key) is not round_:
            await round_answer.finish()
        reply = await _answer(round_, chat.user_id, text)
    await round_answer.finish(plain(reply))


async def _answer(round_: sessions.Round, user_id: str, text: str) -> str:
    round_.last_active = time.monotonic()
    if text in ("结束", "退出", "不答了", "结束答题"):
        sessions.stop(round_.key)
        return await _closing(round_)
    question = round_.current
    if text in ("跳过", "下一题", "不会"):
        skipped = "⏭ 已跳过，答案：" + messages.shown_answer(question.kind, question.answer)
        if (
            round_.mode == "challenge"
        ):  # a challenge runs until the first question not answered right
            sessions.stop(round_.key)
            return f"{skipped}\n{await _closing(round_)}"
        return await _advance(round_, skipped)
    try:
        judged = judge(question.kind, question.options, question.answer, text)
    except NotAnAnswer as e:
        return f"{e}；回复「跳过」或「结束」也可以"
    round_.answered += 1
    round_.right += judged.correct
    now = clock.now()
    round_.points += await service.record_practice(
        round_.scope,
        user_id,
        question.id,
        round_.mode,
        judged.correct,
        points=config.quiz_practice_points,
        daily_cap=config.quiz_practice_daily_cap,
        reference=f"{round_.mode}:{user_id}:{question.id}:{now.isoformat()}",
        at=now,
    )
    feedback = messages.feedback(question, judged.correct, judged.answer)
    if round_.mode == "challenge" and not judged.correct:
        sessions.stop(round_.key)
        return f"{feedback}\n{await _closing(round_)}"
    return await _advance(round_, feedback)


async def _advance(round_: sessions.Round, feedback: str) -> str:
    round_.index += 1
    if round_.mode == "challenge" and round_.index >= len(round_.questions):
        seen = {question.id for question in round_.questions}
        round_.questions += await service.practice_questions(CHALLENGE_BATCH, None, exclude=seen)
    if round_.index >= len(round_.questions):
        sessions.stop(round_.key)
        return f"{feedback}\n{await _closing(round_)}"
    following = messages.practice_question(round_.current, round_.number, round_.total, round_.mode)
    return f"{feedback}\n\n{following}"


async def _closing(round_: sessions.Round, *, timed_out: bool = False) -> str:
    if round_.mode == "challenge":
        run = round_.right
        if round_.scope == service.PRIVATE_SCOPE:
            return messages.challenge_over(run, run, False, timed_out=timed_out)
        best, new_best = await service.save_challenge(round_.scope, round_.key[2], run)
        return messages.challenge_over(run, best, new_best, timed_out=timed_out)
    return messages.summary(round_.right, round_.answered, round_.points, timed_out=timed_out)


async def _timed_out(round_: sessions.Round) -> None:
    kind, chat_id, _user = round_.key
    text = await _closing(round_, timed_out=True)
    if kind == "group":
        await send_to_group(chat_id, text)
    else:
        await send_to_user(chat_id, text)
