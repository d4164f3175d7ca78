"""Files sent to the bot: admins import question banks and documents without a shell.

A feature registers the file types it takes (`register(feature, (".xlsx", …), handler)`).
Files come as a group upload (notice `group_upload`) or, in a private chat, as a message with a
`file` segment (NapCat, LLOneBot) or an `offline_file` notice (go-cqhttp style). Who may:
- in a group, the group's owner / admins and SUPERUSERS; anyone else's upload is ignored
  without a word — members share files in groups all the time;
- in a private chat, SUPERUSERS (the bank and the library serve every group); others are told.
The file is fetched with httpx (http/https only, size-limited while streaming) and handed to
the feature, whose one-line summary is the reply.
"""

from nonebot.plugin import PluginMetadata

__plugin_meta__ = PluginMetadata(
    name="文件导入",
    description="管理员在群里上传或私聊发送文件，导入题库和资料",
    usage="上传 .xlsx/.csv/.json 题库或资料文件",
    type="library",
)

from .service import Upload, UploadHandler, register

__all__ = ["Upload", "UploadHandler", "register"]

from . import handlers as handlers
