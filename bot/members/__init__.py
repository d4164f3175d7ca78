"""Display names of group members, cached from events and the platform.

Boards and statistics show people by their group card (else nickname). Names seen in events
are remembered; names missing or older than a week are asked of the platform when shown.
A member without any known name is shown as 成员<last four digits>, never by full QQ number.
"""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("nonebot_plugin_orm")

__plugin_meta__ = PluginMetadata(
    name="群成员名称",
    description="群名片 / 昵称缓存，供排行榜和统计显示",
    usage="库插件，无命令",
    type="library",
)

from .service import display_names, fallback_name, remember, remember_many

__all__ = ["display_names", "fallback_name", "remember", "remember_many"]
