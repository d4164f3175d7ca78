"""The daily question as a service: one per group and day, no repeats, first answer counts."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.clock import FixedClock
from tests.quiz.conftest import load_questions


async def test_same_question_for_everyone_and_after_a_restart(clock: FixedClock) -> None:
    from plugins.quiz import service

    await load_questions()
    first = await service.daily_question("g1")
    assert first is not None
    # A "restart": nothing in memory matters, the day's question is in the database.
    again = [await service.daily_question("g1") for _ in range(3)]
    assert {q.id for q in again if q} == {first.id}
    concurrent = await asyncio.gather(*(service.daily_question("g2") for _ in range(10)))
    assert len({q.id for q in concurrent if q}) == 1


async def test_no_repeats_until_the_bank_is_used_up(clock: FixedClock) -> None:
    from plugins.quiz import service

    await load_questions()  # 4 questions
    seen = []
    for _ in range(4):
        question = await service.daily_question("g1")
        assert question is not None
        seen.append(question.id)
        clock.advance(timedelta(days=1))
    assert len(set(seen)) == 4
    fifth = await service.daily_question("g1")  # a new round starts
    assert fifth is not None
    assert fifth.id in seen


async def test_group_categories_choose_the_pool(clock: FixedClock) -> None:
    from plugins.quiz import service

    await load_questions()
    await service.set_schedule("g1", "09:00", ["党史"])
    for _ in range(3):
        question = await service.daily_question("g1")
        assert question is not None
        assert question.category == "党史"
        clock.advance(timedelta(days=1))


async def test_first_answer_counts_even_when_sent_at_once(clock: FixedClock) -> None:
    from plugins.quiz import service

    await load_questions()
    question = await service.daily_question("g1")
    assert question is not None
    right = question.answer.split("|")[0]
    wrong = {
        "单选": "A" if right != "A" else "C",
        "多选": "AB",
        "判断": "错" if right == "对" else "对",
        "填空": "不知道",
    }[question.kind]
    results = await asyncio.gather(
        *(service.answer_daily("g1", "u1", answer, points=5) for answer in [right, wrong] * 5)
    )
    counted = [r for r in results if r and r.counted]
    assert len(counted) == 1
    first = counted[0]
    assert all(r is not None and r.first_answer == first.first_answer for r in results)


async def test_first_correct_member_is_one_member(clock: FixedClock) -> None:
    from plugins.quiz import service

    await load_questions()
    question = await service.daily_question("g1")
    assert question is not None
    right = question.answer.split("|")[0]
    results = await asyncio.gather(
        *(service.answer_daily("g1", f"u{n}", right, points=5) for n in range(20))
    )
    firsts = [r for r in results if r and r.first_correct]
    assert len(firsts) == 1
    assert all(r is not None and r.judged.correct and r.points == 5 for r in results)
    assert await service.first_correct_user("g1") is not None


async def test_wrong_answers_fill_the_book_and_two_rights_empty_it(clock: FixedClock) -> None:
    from plugins.quiz import service

    await load_questions()
    question = (await service.practice_questions(1, "党史"))[0]
    await service.record_practice(
        "g1", "u1", question.id, "practice", False, points=1, daily_cap=20, reference="a"
    )
    assert [q.id for q, _ in await service.wrong_book("u1")] == [question.id]
    await service.record_practice(
        "g1", "u1", question.id, "review", True, points=1, daily_cap=20, reference="b"
    )
    assert await service.wrong_count("u1") == 1
    await service.record_practice(
        "g1", "u1", question.id, "review", True, points=1, daily_cap=20, reference="c"
    )
    assert await service.wrong_count("u1") == 0


async def test_challenge_keeps_the_best_run(clock: FixedClock) -> None:
    from plugins.quiz import service

    assert await service.save_challenge("g1", "u1", 3) == (3, True)
    clock.advance(timedelta(minutes=1))
    assert await service.save_challenge("g1", "u1", 2) == (3, False)
    clock.advance(timedelta(minutes=1))
    assert await service.save_challenge("g1", "u1", 5) == (5, True)
    assert await service.challenge_board("g1") == [("u1", 5)]


async def test_push_is_due_once_at_its_time(clock: FixedClock) -> None:
    from plugins.quiz import push, service

    await load_questions()
    clock.set(datetime(2026, 11, 30, 0, 0, tzinfo=UTC))  # 08:00 local
    await service.set_schedule("g1", "09:00", [])
    await service.set_schedule("g2", "07:00", [])  # set after 07:00 today: starts tomorrow
    grace = timedelta(minutes=120)
    assert await push.due_groups(clock.now(), grace) == []
    clock.set(datetime(2026, 11, 30, 1, 0, 5, tzinfo=UTC))  # 09:00:05 local
    due = await push.due_groups(clock.now(), grace)
    assert [group for group, _ in due] == ["g1"]
    assert await service.daily_question("g1") is not None
    claims = await asyncio.gather(*(push.claim_push("g1", clock.now()) for _ in range(5)))
    assert claims.count(True) == 1
    assert await push.due_groups(clock.now(), grace) == []
    clock.set(datetime(2026, 12, 1, 4, 0, tzinfo=UTC))  # next day 12:00: g1 missed beyond grace
    assert [group for group, _ in await push.due_groups(clock.now(), grace)] == []
    clock.set(datetime(2026, 12, 1, 0, 30, tzinfo=UTC))  # next day 08:30: g2 late within grace
    assert [group for group, _ in await push.due_groups(clock.now(), grace)] == ["g2"]
