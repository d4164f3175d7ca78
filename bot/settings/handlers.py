from __future__ import annotations

from bot.commands import UsageError, command, usage_error
from bot.deps import ArgText, CurrentChat
from bot.features import Feature, all_features, find_feature
from bot.messages import plain

from . import DISABLE, ENABLE, FEATURE, SHOW
from .service import group_switches, set_enabled

enable = command(FEATURE, ENABLE)
disable = command(FEATURE, DISABLE)
show = command(FEATURE, SHOW)


def _switchable() -> list[Feature]:
    return [f for f in all_features() if f.switchable]


def _names() -> str:
    return "、".join(f.name for f in _switchable()) or "（暂无）"


async def _switch(chat: CurrentChat, arg: str, enabled: bool) -> str:
    verb = "开启" if enabled else "关闭"
    name, _, rest = arg.partition(" ")
    if not name:
        await usage_error(f"请写上要{verb}的功能。可选：{_names()}")
    feature = find_feature(name)
    if feature is None or not feature.switchable:
        reason = "不能开关" if feature else "没有这个功能"
        await usage_error(f"「{name}」{reason}。可选：{_names()}")
    extra: str | None = None
    if feature.on_switch is not None:
        try:
            extra = await feature.on_switch(chat.chat_id, enabled, rest.strip())
        except UsageError as e:
            await usage_error(e.reason, e.example)
    elif rest.strip():
        await usage_error(f"「{verb} {feature.name}」后面不用加内容。", f"{verb} {feature.name}")
    await set_enabled(chat.chat_id, feature, enabled, chat.user_id)
    return f"已{verb}「{feature.name}」。" + (f"\n{extra}" if extra else "")


@enable.handle()
async def _(chat: CurrentChat, arg: ArgText) -> None:
    await enable.finish(plain(await _switch(chat, arg, True)))


@disable.handle()
async def _(chat: CurrentChat, arg: ArgText) -> None:
    await disable.finish(plain(await _switch(chat, arg, False)))


@show.handle()
async def _(chat: CurrentChat) -> None:
    features = _switchable()
    if not features:
        await show.finish(plain("本群还没有可以开关的功能。"))
    switches = await group_switches(chat.chat_id, features)
    lines = ["本群设置："]
    for feature in features:
        state = "开启" if switches[feature.key] else "关闭"
        detail = await feature.describe(chat.chat_id) if feature.describe else None
        lines.append(f"· {feature.name}：{state}" + (f"（{detail}）" if detail else ""))
    example = features[0].name
    lines.append(f"管理员可发送：开启 {example} / 关闭 {example}")
    await show.finish(plain("\n".join(lines)))
