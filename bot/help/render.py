"""The text of 帮助, built from the feature registry."""

from __future__ import annotations

import difflib

from bot.features import Feature, all_features, command_words


def overview() -> str:
    features = [f for f in all_features() if f.key != "help"]
    lines = ["党建学习助手 · 功能"]
    lines += [f"· {f.name}：{f.summary}" for f in features]
    first = features[0].name if features else "帮助"
    lines.append(f"发送「帮助 功能名」看用法，例：帮助 {first}")
    return "\n".join(lines)


def feature_help(feature: Feature) -> str:
    lines = [f"【{feature.name}】{feature.summary}"]
    for cmd in feature.commands:
        who = "（管理员）" if cmd.admin else ""
        where = {"group": "（群内）", "private": "（私聊）"}.get(cmd.where, "")
        alias = f"，也可发「{'」「'.join(cmd.aliases)}」" if cmd.aliases else ""
        lines.append(f"· {cmd.usage}{who}{where}：{cmd.summary}{alias}")
        lines.append(f"  例：{'　'.join(cmd.examples)}")
    if feature.switchable:
        hint = f" {feature.switch_hint}" if feature.switch_hint else ""
        state = "默认开启" if feature.default_enabled else "默认关闭"
        lines.append(
            f"管理员可发送「开启 {feature.name}{hint}」或「关闭 {feature.name}」（{state}）"
        )
    return "\n".join(lines)


def suggestion(word: str) -> str | None:
    """The known command closest to a mistyped one, if any is close."""
    known = command_words() + [f.name for f in all_features()]
    found = difflib.get_close_matches(word, known, n=1, cutoff=0.5)
    return found[0] if found else None


def feature_names() -> str:
    return "、".join(f.name for f in all_features())
