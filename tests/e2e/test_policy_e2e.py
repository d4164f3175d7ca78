"""政策 over a real WebSocket: a fresh install answers at once; an import by another process
(the CLI, on the same database) is found by the running bot; bad input changes nothing."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import TOKEN, BotProcess, db_rows
from tests.e2e.onebot import FakeOneBot

GROUP = 6301
USER = 7301


def run_cli(bot: BotProcess, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot …` against the running bot's database, as an operator would."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SQLALCHEMY_", "LOCALSTORE_", "LOG_LEVEL"))
    }
    env.update(
        SQLALCHEMY_DATABASE_URL=bot.database_url,
        LOCALSTORE_DATA_DIR=str(bot.workdir / "data"),
        LOG_LEVEL="WARNING",
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=bot.workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def ask(ob: FakeOneBot, text: str, group: int = GROUP) -> str:
    await ob.group_message(group, USER, text)
    return (await ob.reply_to_group(group)).text


@pytest.fixture(scope="module")
def bot_env() -> dict[str, str]:
    return {"POLICY_PRELOAD": "true"}  # the default: the index is ready when the bot is


async def test_fresh_install_answers_policy_dues_at_once(running_bot: BotProcess) -> None:
    log = running_bot.log()
    assert re.search(r"政策资料库：检索就绪，\d+ 节", log.split("Application startup complete")[0])
    async with FakeOneBot(running_bot.url, access_token=TOKEN) as ob:
        answer = await ask(ob, "政策 党费")
        lines = answer.split("\n")
        assert lines[0] == "💡 算每月党费：发「党费 税后月收入」，如：党费 6000"
        assert lines[1].startswith("「党费」相关条文（共")
        assert answer.count("〔") == 5
        assert "【党费】" in answer
        assert lines[-1].startswith("发「看 编号」读全文，如：看 ")

        answer = await ask(ob, "政策 工资8000交多少党费")
        assert answer.startswith(
            "💡 按税后月收入8000元算，每月党费120元（1.5%）。发「党费 8000」看算法\n"
        )
        first = answer.split("\n")[3]
        assert first.startswith("〔")
        assert "工资多少交多少党费" in first
        number = first[1 : first.index("〕")]

        shown = await ask(ob, f"看 {number}")
        assert shown.startswith(
            f"〔{number}〕工资多少交多少党费：交纳比例和计算示例\n§ 三、工资8000元交多少党费"
        )
        assert "每月党费为8000×1.5%=120元" in shown

        dues = await ask(ob, "党费 8000")
        assert dues.split("\n")[0] == "税后月收入8000元：每月交党费120元"

        catalog_first = await ask(ob, "资料")
        assert catalog_first.startswith("📚 学习资料库：43篇，8类")
    rows = await db_rows(running_bot.database_url, "SELECT count(*) FROM policy_document")
    assert rows == [(43,)]


async def test_bad_input_over_the_wire(running_bot: BotProcess) -> None:
    group = GROUP + 1
    async with FakeOneBot(running_bot.url, access_token=TOKEN) as ob:
        before = await db_rows(running_bot.database_url, "SELECT stamp FROM policy_library")
        assert (await ask(ob, "政策", group)).startswith("请在「政策」后面写要查的内容")
        assert (await ask(ob, "政策 %*'\"\\", group)).startswith("「%*'\"\\」里没有可以查的字词")
        assert (await ask(ob, "政策 " + "党费%'" * 20, group)).startswith("要查的内容太长了")
        assert (await ask(ob, "政策 " + "党" * 5000, group)).startswith("消息太长了")
        assert (await ask(ob, "看 99999", group)).startswith("没有编号为 99999 的条文")
        assert (await ask(ob, "党费 -1", group)).startswith("收入不能是负数")
        sent = await ask(ob, "政策 [CQ:at,qq=all] 党费", group)
        assert "[CQ:at,qq=all]" in sent
        assert not ob.sends()[-1].of_type("at")
        after = await db_rows(running_bot.database_url, "SELECT stamp FROM policy_library")
        assert after == before


async def test_import_by_another_process_is_found_then_removed(
    running_bot: BotProcess, tmp_path: Path
) -> None:
    group = GROUP + 2
    doc = tmp_path / "学习" / "liangyou.md"
    doc.parent.mkdir(parents=True)
    doc.write_text(
        "# 支部读书班安排\n\n## 一、读书班什么时候开\n\n支部读书班每季度举办一次，学习原著选读。\n",
        encoding="utf-8",
    )
    async with FakeOneBot(running_bot.url, access_token=TOKEN) as ob:
        assert (await ask(ob, "政策 读书班", group)).startswith("没有找到和「读书班」相关的条文")
        imported = await asyncio.to_thread(run_cli, running_bot, "import-docs", str(tmp_path))
        assert imported.returncode == 0, imported.stdout + imported.stderr
        assert "新增：" in imported.stdout
        assert "共1个文件：新增1，更新0，未变0，失败0" in imported.stdout
        found = await ask(ob, "政策 读书班", group)
        assert "〔" in found
        assert "支部读书班安排" in found
        assert "【读书班】" in found

        listed = await asyncio.to_thread(run_cli, running_bot, "docs", "--category", "学习")
        line = next(line for line in listed.stdout.splitlines() if "《支部读书班安排》" in line)
        doc_id = line.split()[0]
        removed = await asyncio.to_thread(run_cli, running_bot, "remove-docs", doc_id)
        assert removed.returncode == 0, removed.stdout + removed.stderr
        assert "已删除" in removed.stdout
        assert (await ask(ob, "政策 读书班", group)).startswith("没有找到和「读书班」相关的条文")


async def test_broken_files_are_refused_and_change_nothing(
    running_bot: BotProcess, tmp_path: Path
) -> None:
    (tmp_path / "坏.docx").write_bytes(b"PK\x03\x04garbage")
    (tmp_path / "图片.md").write_bytes(bytes(range(256)) * 8)
    before = await db_rows(
        running_bot.database_url, "SELECT count(*), max(stamp) FROM policy_document, policy_library"
    )
    result = await asyncio.to_thread(run_cli, running_bot, "import-docs", str(tmp_path))
    assert result.returncode == 1
    assert "失败：" in result.stdout
    assert "不是有效的 Word 文档（.docx）" in result.stdout
    assert "不是文本文件（含二进制内容）" in result.stdout
    assert "共2个文件：新增0，更新0，未变0，失败2" in result.stdout
    after = await db_rows(
        running_bot.database_url, "SELECT count(*), max(stamp) FROM policy_document, policy_library"
    )
    assert after == before
