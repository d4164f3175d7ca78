"""The reminder's own examples (帮助, the replies) read as the grammar in bot.when says."""

from __future__ import annotations

from tests.conftest import DEFAULT_NOW


def test_every_documented_example_reads() -> None:
    """The examples 帮助 shows, and those the replies suggest, all work as they are."""
    from bot.when import parse
    from plugins.reminder import EDIT, REMIND, messages

    shown = [*REMIND.examples, *messages.EXAMPLES, messages.PRIVATE_EXAMPLE]
    shown += [e.split(" ", 2)[2] for e in EDIT.examples]
    for example in shown:
        text = example.removeprefix("提醒 ").removeprefix("设提醒 ").replace(" @全体", "")
        parsed = parse(text, DEFAULT_NOW)
        assert parsed.schedule.next_after(DEFAULT_NOW) is not None, example
    assert parse("明天下午4点 支委会改到四点", DEFAULT_NOW).content == "支委会改到四点"
