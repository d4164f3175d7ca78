"""Every reply text of 投票, 投 and 投票结果.

Real names appear only in `results(..., names=...)`, which the handler sends to officers in
private; group texts carry letters, options and counts.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.messages import clip
from bot.receipts.audience import STATUS_WORDS
from bot.receipts.messages import at
from bot.roster import PersonView

from .parsing import LETTERS, MAX_OPTIONS, PollError, Problem
from .service import Outcome, PollView, Tally, Vote

OPTION_CHARS = 20
NAMES_INLINE = 30

# --- 投票 ----------------------------------------------------------------------------------

EXAMPLE = "投票 七一活动去哪里 红色教育基地 革命纪念馆 截止 周五18点"
MULTI_EXAMPLE = "投票 学习主题 党章 党史 新思想 廉政 多选2"
ANONYMOUS_EXAMPLE = "投票 推荐优秀党员 张三 李四 王五 匿名 截止 周五18点"
AUDIENCE_EXAMPLE = "投票 小组学习时间 周三晚 周四晚 对象 预备党员"
NO_ROSTER = (
    "本支部还没有名册，不知道谁该投票。请先上传名册表格（姓名、QQ、状态、党小组…），再发起投票。"
)
DEADLINE_LEFTOVER = "截止时间后面多了「{rest}」，选项请写在截止时间前面。"
PAST = "截止时间{when}已经过了，请写一个以后的时间。"
ANONYMOUS_NEEDS_DEADLINE = "匿名投票要写截止时间：结果截止后才公布。"
ANONYMOUS_UNCHANGEABLE = "匿名投票不能改票：选票不记名，改不了。请去掉「可改票」。"


def problem(error: PollError) -> str:
    match error.problem:
        case Problem.NO_TITLE:
            return "请写上投票标题和选项，用空格隔开。"
        case Problem.TOO_FEW:
            return f"至少要两个选项（现在{error.detail}个），选项之间用空格隔开。"
        case Problem.TOO_MANY:
            return f"选项最多{MAX_OPTIONS}个（A–Z），现在{error.detail}个。"
        case Problem.SAME_OPTION:
            return f"选项「{error.detail}」写了两次。"
        case Problem.TWICE:
            return f"「{error.detail}」只能写一次。"
        case Problem.EMPTY_OPTION:
            return f"「{error.detail}」后面要写内容。"
        case Problem.BAD_MULTI:
            wanted, count = error.detail.split(":")
            return f"只有{count}个选项，不能多选{wanted}项：多选的项数要在2到{count}之间。"


def problem_example(error: PollError) -> str:
    return MULTI_EXAMPLE if error.problem is Problem.BAD_MULTI else EXAMPLE


def title_too_long(length: int, limit: int) -> str:
    return f"标题太长了（{length}字），请控制在{limit}字以内。"


def option_too_long(option: str, limit: int) -> str:
    return f"选项「{clip(option, 10)}」太长了，每个选项请控制在{limit}字以内。"


def bad_deadline(reason: str) -> str:
    return f"截止时间没看懂：{reason}"


def unknown_audience(word: str, groups: Sequence[str]) -> str:
    known = "、".join(groups) if groups else "本支部名册里没有党小组"
    return f"对象「{word}」既不是状态（{STATUS_WORDS}），也不是本支部的党小组（{known}）。"


def own_group_only(scope: str) -> str:
    return f"你是{scope}的党小组长，投票只能发给本党小组。"


def own_group_example(scope: str) -> str:
    return f"投票 小组学习时间 周三晚 周四晚 对象 {scope}"


def nobody(words: str) -> str:
    return f"名册里没有符合「对象 {words}」的人，投票没有发起。"


def label(poll: PollView) -> str:
    return f"投票 #{poll.id}"


def _audience(poll: PollView) -> str:
    audience = poll.audience
    if audience is None or not (audience.statuses or audience.party_groups):
        return "全体"
    return "、".join((*audience.party_groups, *audience.statuses))


def _example_letters(poll: PollView) -> str:
    return LETTERS[: min(2, poll.max_choices)]


def posted(poll: PollView, expected: int, unreachable: int) -> str:
    lines = [f"【{label(poll)}】{poll.title}"]
    lines.extend(f"{LETTERS[i]}. {option}" for i, option in enumerate(poll.options))
    rules = []
    if poll.max_choices > 1:
        rules.append(f"可多选，最多{poll.max_choices}项")
    if poll.anonymous:
        rules.append("匿名，截止后公布结果")
    if poll.changeable:
        rules.append("截止前可改票")
    if rules:
        lines.append("；".join(rules))
    if poll.deadline is not None:
        lines.append(f"截止：{at(poll.deadline)}")
    reach = f"，其中{unreachable}人未绑定QQ" if unreachable else ""
    lines.append(f"对象：{_audience(poll)}（{expected}人{reach}）")
    letters = _example_letters(poll)
    if poll.anonymous:
        lines.append(f"请私聊我「投 {poll.id} {letters}」投票（在群里投，大家看得到你的选择）。")
    else:
        lines.append(f"回复「投 {letters}」投票，也可私聊我「投 {poll.id} {letters}」。")
    return "\n".join(lines)


# --- 投 ------------------------------------------------------------------------------------

VOTE_EXAMPLE = "投 A"
NOT_BOUND = "你的QQ还没有绑定名册，投票记不到你名下。请先发送「绑定 你的姓名」，支委确认后再投。"
NOTHING_OPEN = "现在没有你可以投的投票。"


def _choices(poll: PollView, letters: str) -> str:
    return "、".join(
        f"{ch} {clip(poll.options[LETTERS.index(ch)], OPTION_CHARS)}"
        for ch in letters
        if ch in poll.letters
    )


def no_such(number: int) -> str:
    return f"本支部没有编号为 {number} 的投票。"


def not_for_you(poll: PollView) -> str:
    return f"{label(poll)} 不需要你投（对象：{_audience(poll)}）。"


def closed(poll: PollView) -> str:
    return f"{label(poll)} 已截止，不再收票。发送「投票结果 {poll.id}」看结果。"


def bad_ballot(poll: PollView, letters: str | None) -> str:
    """The reason a ballot does not fit the poll (the example follows)."""
    last = poll.letters[-1]
    if letters:
        unknown = [ch for ch in letters if ch not in poll.letters]
        if unknown:
            return f"{label(poll)} 没有选项 {''.join(unknown)}，选项是 A–{last}。"
        if poll.max_choices == 1:
            return f"{label(poll)} 只能选一项。"
        return f"{label(poll)} 最多选{poll.max_choices}项。"
    return f"请写选项字母（{label(poll)} 的选项是 A–{last}）。"


def ballot_example(poll: PollView) -> str:
    return f"投 {poll.id} {_example_letters(poll)}"


def voted(poll: PollView, vote: Vote) -> str:
    match vote.outcome:
        case Outcome.NEW if poll.anonymous:
            return f"✅ 已投票（{label(poll)}，匿名，截止后公布结果）"
        case Outcome.NEW:
            return f"✅ 已投票（{label(poll)}）：{_choices(poll, vote.choices or '')}"
        case Outcome.CHANGED:
            return (
                f"✅ 已改票（{label(poll)}）：{_choices(poll, vote.choices or '')}"
                f"（原来是 {vote.previous}）"
            )
        case Outcome.KEPT:
            return f"{label(poll)} 你已投过 {vote.choices}，本投票不能改票。如确需更改请联系支委。"
        case _:
            when = at(vote.voted_at) if vote.voted_at else ""
            if poll.anonymous or not vote.choices:
                return f"{label(poll)} 你已在{when}投过票，已记录，不用再发。"
            return f"{label(poll)} 你已在{when}投过 {vote.choices}，已记录，不用再发。"


# --- 投票结果 ------------------------------------------------------------------------------

RESULTS_USAGE = "「投票结果」后面只能跟投票编号。"
RESULTS_EXAMPLE = "投票结果 12"
NOT_ON_ROSTER = "私聊使用需要你在名册里且已绑定QQ；也可以在支部群里发送。"
NO_POLL = "本支部还没有投票。"


def anonymous_pending(poll: PollView, voters: int, expected: int) -> str:
    when = at(poll.deadline) if poll.deadline else at(poll.closes_at)
    return f"{label(poll)} 是匿名投票，{when}截止后公布结果。现在已投 {voters}/{expected} 人。"


def members_wait(poll: PollView) -> str:
    return f"{label(poll)} {at(poll.closes_at)}截止后公布结果。"


def results(
    tally: Tally,
    expected: int,
    closed_now: bool,
    names: dict[int, PersonView] | None = None,
    scope: str | None = None,
) -> str:
    """Counts per option and turnout; with `names` (officers, in private) who chose what —
    only the people in `names` (a 党小组长 sees their own 党小组's)."""
    poll = tally.poll
    state = "已截止" if closed_now else "进行中"
    lines = [f"{label(poll)}「{clip(poll.title, 40)}」结果（{state}）"]
    chose: dict[str, list[str]] = {ch: [] for ch in poll.letters}
    if names is not None:
        for person_id, letters in tally.named:
            person = names.get(person_id)
            if person is None:
                continue
            for ch in letters:
                if ch in chose:
                    chose[ch].append(person.name)
    for index, option in enumerate(poll.options):
        line = f"{LETTERS[index]}. {clip(option, OPTION_CHARS)}：{tally.counts[index]}票"
        who = chose[LETTERS[index]]
        if who:
            shown = "、".join(who[:NAMES_INLINE]) + ("…" if len(who) > NAMES_INLINE else "")
            line += f"（{shown}）"
        lines.append(line)
    lines.append(f"已投 {tally.voters}/{expected} 人")
    if scope and names is not None:
        lines.append(f"名单只列{scope}（你是该党小组的党小组长）")
    if names is None and not poll.anonymous:
        lines.append(f"谁投了什么：支委私聊我发送「投票结果 {poll.id}」。")
    return "\n".join(lines)
