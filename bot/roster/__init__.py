"""The roster (名册) of a branch: people with status, 党小组, office, dates, and the chat
accounts bound to them.

Filled by import (`python -m bot import-roster FILE --chat <群号>`, or the file uploaded to
the group by an admin or officer, or sent privately by a SUPERUSER with the group number in
the file name). Features ask `expected(branch_id, …)` for who is expected, `officers(…)`,
`person_of_account(…)`. Officers may use the branch's admin commands in every linked chat:
the core role check (`bot.platform.role_of`) asks `is_officer` for plain members.
"""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("nonebot_plugin_orm")
require("bot.branch")

from bot.platform import set_officer_check

__plugin_meta__ = PluginMetadata(
    name="名册",
    description="支部名册：人员、状态、党小组、职务和绑定的QQ；支委可用管理员命令",
    usage="名册 / 名册 未绑定；导入：上传名册表格，或 python -m bot import-roster",
    type="library",
)

from .service import (
    GROUP_LEADER,
    OFFICES,
    STATUSES,
    AccountRef,
    Counts,
    PersonView,
    counts,
    expected,
    is_officer,
    officers,
    person_of_account,
    scope_of,
)

set_officer_check(is_officer)

__all__ = [
    "GROUP_LEADER",
    "OFFICES",
    "STATUSES",
    "AccountRef",
    "Counts",
    "PersonView",
    "counts",
    "expected",
    "is_officer",
    "officers",
    "person_of_account",
    "scope_of",
]

from . import cli as cli
from . import handlers as handlers
from . import uploads as uploads
