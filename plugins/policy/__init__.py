"""政策 · 看 · 资料 · 党费 — the study library: import, Chinese search, reading, dues."""

from nonebot import get_plugin_config, require
from nonebot.plugin import PluginMetadata

require("nonebot_plugin_orm")
require("bot.uploads")

from bot.features import CommandDoc, Feature, register

from .config import Config

__plugin_meta__ = PluginMetadata(
    name="政策查询",
    description="查政策条文、读学习资料、算党费",
    usage="政策 <关键词或编号> / 看 <编号> / 资料 [分类] / 党费 <月收入>",
    type="application",
    config=Config,
    supported_adapters={"~onebot.v11", "~onebot.v12", "~console"},
)

config = get_plugin_config(Config)

SEARCH = CommandDoc(
    name="政策",
    usage="政策 <关键词或编号>",
    summary="查党章党规和学习资料，列出最相关的5节（编号、出处、摘要）",
    examples=("政策 交党费", "政策 预备党员 转正", "政策 工资8000交多少党费"),
    aliases=("查政策",),
)
VIEW = CommandDoc(
    name="看",
    usage="看 <编号>",
    summary="看一节条文的全文（编号在「政策」的结果里）",
    examples=("看 1",),
)
LIBRARY = CommandDoc(
    name="资料",
    usage="资料 [分类]",
    summary="学习资料目录：全部分类和文档，或一类的各节编号",
    examples=("资料", "资料 党费"),
    aliases=("学习资料",),
)
DUES = CommandDoc(
    name="党费",
    usage="党费 <税后月收入>",
    summary="按规定比例算每月党费，并说明档次和依据",
    examples=("党费 6000", "党费 1.2万", "党费 六千元"),
)

IMPORT = CommandDoc(
    name="导入资料",
    usage="导入资料",
    summary="把你刚上传到群里的文档（.docx / .md / .txt）导入学习资料库（管理员）",
    examples=("导入资料",),
    admin=True,
    where="group",
)

POLICY = register(
    Feature(
        key="policy",
        name="政策",
        summary="查政策条文、读学习资料、算党费",
        commands=[SEARCH, VIEW, LIBRARY, DUES, IMPORT],
        aliases=("政策查询",),
        order=30,
    )
)

from . import cli as cli
from . import handlers as handlers
from . import jobs as jobs
from . import uploads as uploads

jobs.install()
