"""The feature registry: what each plugin offers, in one place.

A feature plugin declares its commands once (`Feature` + `CommandDoc`) and registers the
feature when it is loaded. `帮助` and `设置` read this registry and usage errors take their
examples from it, so help is never out of date.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

Where = Literal["group", "private", "any"]


@dataclass(frozen=True)
class CommandDoc:
    name: str
    """The command word, e.g. 签到."""
    usage: str
    """The command with its arguments, e.g. 签到 [今天学了什么]."""
    summary: str
    """What it does, one short line."""
    examples: tuple[str, ...]
    """Complete messages that work as they are; the first is shown with usage errors."""
    aliases: tuple[str, ...] = ()
    admin: bool = False
    """Only the group's owner / admins and SUPERUSERS may use it."""
    where: Where = "any"

    def __post_init__(self) -> None:
        if not self.examples:
            raise ValueError(f"command {self.name} needs at least one example")

    @property
    def words(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


SwitchHook = Callable[[str, bool, str], Awaitable[str | None]]
"""(group_id, enabled, extra argument) -> extra reply line; raises UsageError on a bad argument.
Called before the switch is stored, so a refused argument changes nothing."""

DescribeHook = Callable[[str], Awaitable[str | None]]
"""(group_id) -> detail shown next to the switch in 设置, e.g. the push time."""

ProfileHook = Callable[[str, str], Awaitable[list[str]]]
"""(group_id, user_id) -> lines for 我的, e.g. the daily question's accuracy."""


@dataclass
class Feature:
    key: str
    """Stable identifier stored in the database (ascii, never changes)."""
    name: str
    """The name members type: 开启 <name>, 帮助 <name>."""
    summary: str
    commands: list[CommandDoc] = field(default_factory=list)
    aliases: tuple[str, ...] = ()
    switchable: bool = True
    """Whether admins can switch it off per group (help and settings cannot)."""
    default_enabled: bool = True
    order: int = 50
    """Position in 帮助: lower first."""
    switch_hint: str = ""
    """Extra argument of 开启 <name>, e.g. [HH:MM]; empty when it takes none."""
    on_switch: SwitchHook | None = None
    describe: DescribeHook | None = None
    profile: ProfileHook | None = None

    @property
    def words(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


_features: dict[str, Feature] = {}


def register(feature: Feature) -> Feature:
    """Add a feature; its key, names and command words must not clash with another's."""
    taken = {
        word: other
        for other in _features.values()
        if other.key != feature.key
        for word in _all_words(other)
    }
    for word in _all_words(feature):
        if word in taken:
            raise ValueError(f"{feature.key}: {word!r} is already used by {taken[word].key}")
    _features[feature.key] = feature
    return feature


def _all_words(feature: Feature) -> set[str]:
    return set(feature.words) | {word for cmd in feature.commands for word in cmd.words}


def all_features() -> list[Feature]:
    return sorted(_features.values(), key=lambda f: (f.order, f.key))


def get_feature(key: str) -> Feature | None:
    return _features.get(key)


def find_feature(word: str) -> Feature | None:
    """The feature named `word` (name, alias or key), or the one that has a command `word`."""
    word = word.strip().lstrip("/／")
    for feature in all_features():
        if word in feature.words or word == feature.key:
            return feature
    for feature in all_features():
        if any(word in cmd.words for cmd in feature.commands):
            return feature
    return None


def command_words() -> list[str]:
    return [word for feature in all_features() for cmd in feature.commands for word in cmd.words]
