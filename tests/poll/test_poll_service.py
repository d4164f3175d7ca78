"""The poll service without a bot: one ballot per person by constraint, also when many
arrive at once; changes only in 可改票 polls before the deadline; anonymous ballots hold no
person; the parser's refusals."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.clock import FixedClock

BRANCH = 7


async def _poll(clock: FixedClock, **kwargs):
    from plugins.poll import service

    kwargs.setdefault("deadline", clock.now() + timedelta(days=2))
    made, new = await service.create(
        BRANCH,
        ref=kwargs.pop("ref", "m1"),
        author="qq:1",
        title=kwargs.pop("title", "七一活动去哪里"),
        options=kwargs.pop("options", ["红色教育基地", "革命纪念馆", "党史馆"]),
        audience=None,
        group_id="1001",
        now=clock.now(),
        **kwargs,
    )
    assert new
    return made


async def _rows(sql: str) -> list[tuple]:
    from nonebot_plugin_orm import get_session
    from sqlalchemy import text

    async with get_session() as session:
        return [tuple(r) for r in await session.execute(text(sql))]


async def test_a_poll_is_a_receipt_subject_with_the_same_number(clock: FixedClock) -> None:
    from bot.receipts import POLL, subject
    from plugins.poll import service

    poll = await _poll(clock)
    found = await subject(poll.id)
    assert found is not None
    assert (found.kind, found.title, found.deadline) == (POLL, poll.title, poll.deadline)
    assert found.closed_at == poll.deadline == poll.closes_at
    again, new = await service.create(
        BRANCH, ref="m1", author="qq:1", title="x", options=["a", "b"], deadline=None,
        audience=None, group_id="1001", now=clock.now(),
    )  # fmt: skip
    assert (again, new) == (poll, False)
    assert await service.open_polls(BRANCH, clock.now()) == [poll]
    assert poll.letters == "ABC"


async def test_one_ballot_per_person_and_the_duplicate_is_told(clock: FixedClock) -> None:
    from plugins.poll import service
    from plugins.poll.service import Outcome

    poll = await _poll(clock)
    first = await service.vote(poll.id, 1, "A")
    assert (first.outcome, first.choices, first.voted_at) == (Outcome.NEW, "A", clock.now())
    clock.advance(timedelta(minutes=5))
    same = await service.vote(poll.id, 1, "A")
    assert (same.outcome, same.choices, same.voted_at) == (Outcome.ALREADY, "A", first.voted_at)
    other = await service.vote(poll.id, 1, "B")
    assert (other.outcome, other.choices) == (Outcome.KEPT, "A")
    tally = await service.tally(poll)
    assert (tally.counts, tally.voters, tally.named) == ([1, 0, 0], 1, [(1, "A")])


async def test_many_at_once_give_one_ballot_each(clock: FixedClock) -> None:
    from plugins.poll import service
    from plugins.poll.service import Outcome

    poll = await _poll(clock)
    people = list(range(1, 301))
    votes = await asyncio.gather(
        *(service.vote(poll.id, p, "ABC"[p % 3]) for p in people),
        *(service.vote(poll.id, p, "C") for p in people[::5]),
    )
    assert sum(v.outcome is Outcome.NEW for v in votes) == 300
    assert sum(v.outcome in (Outcome.ALREADY, Outcome.KEPT) for v in votes) == 60
    tally = await service.tally(poll)
    assert tally.voters == 300
    assert tally.counts == [100, 100, 100]
    assert await _rows(f"SELECT count(*) FROM poll_voter WHERE poll_id = {poll.id}") == [(300,)]


async def test_changeable_until_the_deadline(clock: FixedClock) -> None:
    from plugins.poll import service
    from plugins.poll.service import Outcome

    poll = await _poll(clock, changeable=True, max_choices=2)
    assert (await service.vote(poll.id, 1, "AB")).outcome is Outcome.NEW
    changed = await service.vote(poll.id, 1, "C")
    assert (changed.outcome, changed.choices, changed.previous) == (Outcome.CHANGED, "C", "AB")
    assert (await service.vote(poll.id, 1, "C")).outcome is Outcome.ALREADY
    assert (await service.tally(poll)).counts == [0, 0, 1]
    clock.advance(timedelta(days=2))
    assert (await service.vote(poll.id, 1, "A")).outcome is Outcome.CLOSED
    assert (await service.vote(poll.id, 2, "A")).outcome is Outcome.CLOSED
    assert (await service.tally(poll)).counts == [0, 0, 1]


async def test_anonymous_ballots_hold_no_person(clock: FixedClock) -> None:
    from plugins.poll import service
    from plugins.poll.service import Outcome

    poll = await _poll(clock, anonymous=True)
    for person, letters in ((11, "A"), (12, "B"), (13, "B")):
        assert (await service.vote(poll.id, person, letters)).outcome is Outcome.NEW
    again = await service.vote(poll.id, 12, "A")
    assert (again.outcome, again.choices) == (Outcome.ALREADY, None)
    assert await _rows("SELECT person_id, choices FROM poll_voter ORDER BY person_id") == [
        (11, None),
        (12, None),
        (13, None),
    ]
    columns = await _rows("SELECT * FROM poll_anonymousballot")
    assert sorted(c[2] for c in columns) == ["A", "B", "B"]
    assert all(len(c) == 3 and len(c[0]) == 32 for c in columns)  # random key, poll, choices
    tally = await service.tally(poll)
    assert (tally.counts, tally.voters, tally.named) == ([1, 2, 0], 3, [])
    with pytest.raises(ValueError, match="anonymous"):
        await _poll(clock, ref="m2", anonymous=True, changeable=True)


async def test_validity_of_letters(clock: FixedClock) -> None:
    from plugins.poll import service

    single = await _poll(clock)
    multi = await _poll(clock, ref="m2", max_choices=2)
    assert service.valid(single, "A")
    assert not service.valid(single, "AB")
    assert not service.valid(single, "Z")
    assert not service.valid(single, "")
    assert service.valid(multi, "AC")
    assert not service.valid(multi, "ABC")
    with pytest.raises(ValueError, match="letters"):
        await service.vote(single.id, 1, "1")


def test_the_parser() -> None:
    from plugins.poll.parsing import Ballot, PollError, Problem, ballot, split

    draft = split("学习主题 党章 党史 新思想 多选2 可改票 截止：周五 18点 对象 党员、第二党小组")
    assert draft.title == "学习主题"
    assert draft.options == ["党章", "党史", "新思想"]
    assert (draft.max_choices, draft.anonymous, draft.changeable) == (2, False, True)
    assert (draft.deadline, draft.audience) == ("周五 18点", "党员、第二党小组")
    assert split("标题 甲 乙 匿名 截止周五").deadline == "周五"
    assert split("标题 甲 乙 丙 多选").max_choices == 3
    for text, problem in [
        ("", Problem.NO_TITLE),
        ("标题 只有一个", Problem.TOO_FEW),
        ("标题 " + " ".join(f"项{n}" for n in range(27)), Problem.TOO_MANY),
        ("标题 甲 乙 甲", Problem.SAME_OPTION),
        ("标题 甲 乙 丙 多选5", Problem.BAD_MULTI),
        ("标题 甲 乙 多选1", Problem.BAD_MULTI),
        ("标题 甲 乙 截止", Problem.EMPTY_OPTION),
        ("标题 甲 乙 截止 周五 截止 周六", Problem.TWICE),
    ]:
        with pytest.raises(PollError) as raised:
            split(text)
        assert raised.value.problem is problem, text
    assert len(split("标题 " + " ".join(f"项{n}" for n in range(26))).options) == 26
    assert ballot("A") == Ballot(None, "A")
    assert ballot("ac") == Ballot(None, "AC")
    assert ballot("Ａ，Ｃ") == Ballot(None, "AC")
    assert ballot("3 B") == Ballot(3, "B")
    assert ballot("#3 b") == Ballot(3, "B")
    assert ballot("3") == Ballot(3, "")
    assert ballot("AA") == Ballot(None, "A")
    assert ballot("一下") is None
    assert ballot("A 吧") is None
