"""Every reply of the rules and content-alert feature."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot import clock

if TYPE_CHECKING:
    from .service import MatchView

# --- rules and welcome

RULES_EMPTY = "请在「设置群规」后面写上群规内容。"


def rules(text: str) -> str:
    return f"【本群群规】\n{text}"


def rules_too_long(length: int, limit: int) -> str:
    return f"群规太长了（{length}字），请控制在{limit}字以内。"


def rules_set(text: str) -> str:
    lines = text.count("\n") + 1
    return f"✅ 群规已更新（{len(text)}字，{lines}行）。新成员进群时会看到前几行；大家发「群规」可看全文。"


def welcome(rules_text: str, lines: int) -> str:
    head = [line for line in rules_text.splitlines() if line.strip()][:lines]
    return "\n".join(
        (
            "欢迎新同志加入本群！",
            "群规（节选）：",
            *head,
            "发「群规」看全文，发「帮助」看我能做什么；",
            "发「绑定 你的姓名」（如 绑定 张三）把QQ绑定到支部名册。",
        )
    )


# --- content alerts

ANNOUNCE = (
    "本群已开启「内容提醒」：命中支部词表（广告、刷单、兼职、赌博、贷款等）的消息"
    "会私聊报告给支委，其他聊天内容不查看、不保存。"
)
ANNOUNCE_RECALL = (
    "支部选定的类别在机器人是群管理员时会被撤回，并私聊告诉发送人原因。不会禁言或移出群。"
)
ANNOUNCE_NO_RECALL = "不会撤回消息，也不会禁言或移出群。"
NO_OFFICER = "注意：名册里还没有绑定QQ的支委，提醒暂时只记录、发不出去。请先导入名册并绑定。"
ANNOUNCE_OFF = "内容提醒已关闭，机器人不再查看本群消息。"


def seeded(count: int) -> str:
    return f"支部还没有词表，已放入入门词表（{count}个词），支委可私聊我「敏感词」查看和修改。"


NO_BRANCH = "私聊时找不到你的支部：请先在群里「绑定 你的姓名」，或在群里使用。"
LIST_EMPTY = "支部词表是空的。添加：敏感词 添加 <类别> <词…>"
ADD_WHAT = "请写上类别和词，词之间用空格隔开。"
ADD_EXAMPLE = "敏感词 添加 广告 代刷 兼职"
DELETE_WHAT = "请写上类别和要删除的词。"
DELETE_EXAMPLE = "敏感词 删除 广告 兼职"
RECALL_WHAT = "请写上类别和 开/关。"
UNKNOWN_ACTION = "「{word}」看不懂：可以是 添加、删除、撤回、链接。"
LINKS_WHAT = "请写 开 或 关。"


def links_set(on: bool) -> str:
    if on:
        return "✅ 开启内容提醒的群里，带链接的消息也会报告给支委（只提醒，不撤回）。"
    return "✅ 带链接的消息不再报告。"


def list_error(reason: str, value: str | int) -> str:
    match reason:
        case "too_many":
            return f"一次最多{value}个词，请分几次添加。"
        case "too_long":
            return f"词「{value}…」太长了，每个词最多{_max_word()}字。"
        case "too_short":
            return f"「{value}」去掉符号后不足两个字，容易误报，请写得具体些。"
        case "no_words":
            return "没有可用的词。"
        case "list_full":
            return f"支部词表最多{value}个词，请先删掉一些。"
        case "bad_category":
            return f"类别「{value}」不行：类别是1到8个字，如 广告、赌博。"
        case "no_category":
            return f"词表里没有类别「{value}」。"
    return reason


def _max_word() -> int:
    from . import config

    return config.rules_word_max_chars


def added(category: str, count: int, already: int) -> str:
    tail = f"，{already}个已在表里" if already else ""
    return f"✅ 「{category}」加入{count}个词{tail}。各群一分钟内生效。"


def deleted(category: str, count: int) -> str:
    if not count:
        return f"「{category}」里没有这些词，没有删除。"
    return f"✅ 从「{category}」删除{count}个词。各群一分钟内生效。"


def recall_set(category: str, on: bool) -> str:
    if on:
        return (
            f"✅ 「{category}」类消息将被撤回（机器人须是群管理员，否则只提醒），"
            "并私聊告诉发送人原因。"
        )
    return f"✅ 「{category}」类消息只提醒支委，不撤回。"


def word_list(words: dict[str, list[str]], recall: set[str], links: bool = False) -> str:
    lines = [f"支部词表（{sum(len(w) for w in words.values())}个词）："]
    for category, items in words.items():
        mark = "（撤回）" if category in recall else ""
        lines.append(f"【{category}】{mark}{' '.join(items)}")
    if links:
        lines.append("带链接的消息：报告")
    lines.append("添加/删除：敏感词 添加|删除 <类别> <词…>；撤回：敏感词 撤回 <类别> 开/关")
    return "\n".join(lines)


ACTIONS = {
    "alerted": "仅提醒",
    "recalled": "已撤回，并私聊告诉了发送人",
    "recall_failed": "撤回失败（消息可能已被撤回，或对方是管理员）",
    "not_admin": "未撤回：机器人不是本群管理员",
}


def alert(
    *,
    group_id: str,
    card: str,
    user_id: str,
    text: str,
    category: str,
    word: str,
    action: str,
    at: datetime,
) -> str:
    return "\n".join(
        (
            f"【内容提醒】群 {group_id} · {category}（命中「{word}」）",
            f"{card}（{user_id}）{_when(at)}：",
            text if len(text) <= 300 else text[:300] + "…",
            f"处理：{ACTIONS.get(action, action)}",
        )
    )


def _when(at: datetime) -> str:
    local = clock.local_now(at)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


RECALL_REFUSED = (
    "本群选了撤回的类别，但机器人不是群管理员，没法撤回，以后只提醒。"
    "设为管理员后即可撤回（这条只说一次）。"
)


def recalled(group_id: str, category: str) -> str:
    return (
        f"你在群 {group_id} 的一条消息命中了支部设定的「{category}」类内容，已被撤回。"
        "如有误会，请联系支委。"
    )


# --- the record

RECORDS_ARG = "「内容记录」后面只能写「本月」，或不写（看最近的记录）。"


def records(
    views: list[MatchView], counts: dict[str, int], month: bool, limit: int, days: int
) -> str:
    period = "本月" if month else f"最近{days}天内"
    if not counts:
        return f"{period}没有内容记录。"
    total = sum(counts.values())
    by_category = "，".join(f"{c} {n}" for c, n in sorted(counts.items(), key=lambda x: -x[1]))
    lines = [f"{period}内容记录 {total} 条（{by_category}）："]
    for v in views:
        text = v.text if len(v.text) <= 60 else v.text[:60] + "…"
        action = ACTIONS.get(v.action, v.action).split("，")[0]
        lines.append(
            f"{_when(v.at)} 群{v.group_id} {v.card}（{v.user_id}）【{v.category}·{v.word}】{action}：{text}"
        )
    if total > len(views):
        lines.append(f"只列出最新的 {limit} 条。")
    return "\n".join(lines)


# --- floods

FLOOD_CATEGORY = "刷屏"


def flood_detail(kind: str, limits: object) -> str:
    from .watch import Limits

    assert isinstance(limits, Limits)
    if kind == "same":
        return f"{_seconds(limits.same_seconds)}内同一内容{limits.same_count}次"
    return f"{_seconds(limits.burst_seconds)}内{limits.burst_count}条消息"


def _seconds(seconds: float) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return f"{int(seconds // 60)}分钟"
    return f"{seconds:g}秒"


def flood_alert(
    *, group_id: str, card: str, user_id: str, text: str, detail: str, at: datetime
) -> str:
    return "\n".join(
        (
            f"【刷屏提醒】群 {group_id}：{card}（{user_id}）{detail}",
            f"{_when(at)} 最后一条：{text if len(text) <= 100 else text[:100] + '…'}",
            "只提醒一次，不撤回、不禁言。",
        )
    )


def switch_extra(enabled: bool) -> tuple[str, str]:
    """`开启 内容提醒 <something>`: the reason and the example."""
    verb = "开启" if enabled else "关闭"
    return f"「{verb} 内容提醒」后面不用加内容。", f"{verb} 内容提醒"
