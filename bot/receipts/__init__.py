"""Receipts: subjects people must confirm, who confirmed them, and nudges to the rest.

A core library plugin. The service (`service.py`) works on plain ids (branch, person):
notices, reminders that ask for a receipt, study pushes and meetings create subjects there
and read completion from there; the caller says who is expected. The chat side (`desk.py`,
`handlers.py`, `jobs.py`) joins it with the roster: `收到` confirms, `回执` shows who has
not, `催办` nudges them privately; before a deadline the nudge goes out by itself and at the
deadline the officers get a summary.
"""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("nonebot_plugin_orm")
require("nonebot_plugin_apscheduler")
require("bot.branch")
require("bot.roster")

from bot.features import CommandDoc, Feature, register

from .config import Config

__plugin_meta__ = PluginMetadata(
    name="回执",
    description="需要确认的事项（通知、提醒、学习推送、会议）、谁已确认、对未确认者的催办",
    usage="收到 [编号] / 回执 [编号] / 催办 [编号]",
    type="library",
    config=Config,
)

CONFIRM = CommandDoc(
    name="收到",
    usage="收到 [编号]",
    summary="确认最新一条要回执的通知（或指定编号）；群里没有要确认的时候我不出声",
    examples=("收到", "收到 12"),
)
STATUS = CommandDoc(
    name="回执",
    usage="回执 [编号]",
    summary="已确认几人、应确认几人；名单只私聊给支委",
    examples=("回执", "回执 12"),
    admin=True,
)
CHASE = CommandDoc(
    name="催办",
    usage="催办 [编号]",
    summary="私聊提醒还没确认的人（每人每天最多一次）",
    examples=("催办 12",),
    admin=True,
)

FEATURE = register(
    Feature(
        key="receipts",
        name="回执",
        summary="通知和提醒的回执：收到、回执、催办",
        commands=[CONFIRM, STATUS, CHASE],
        switchable=False,
        order=35,
    )
)

from .service import (
    MEETING,
    NOTICE,
    OFFICER_PREFIX,
    POLL,
    PRIVATE,
    REMINDER,
    STUDY,
    Audience,
    Completion,
    Confirmation,
    Confirmed,
    NoSuchSubject,
    NudgeReport,
    Subject,
    SubjectClosed,
    claim_nudges,
    close_subject,
    completion,
    confirm,
    confirmed_by,
    create_subject,
    deliver_nudges,
    due_for_reminder,
    due_for_summary,
    move_subject,
    nudge,
    open_subjects,
    record_correction,
    release_nudges,
    subject,
    subject_by_ref,
)

__all__ = [
    "MEETING",
    "NOTICE",
    "OFFICER_PREFIX",
    "POLL",
    "PRIVATE",
    "REMINDER",
    "STUDY",
    "Audience",
    "Completion",
    "Confirmation",
    "Confirmed",
    "NoSuchSubject",
    "NudgeReport",
    "Subject",
    "SubjectClosed",
    "claim_nudges",
    "close_subject",
    "completion",
    "confirm",
    "confirmed_by",
    "create_subject",
    "deliver_nudges",
    "due_for_reminder",
    "due_for_summary",
    "move_subject",
    "nudge",
    "open_subjects",
    "record_correction",
    "release_nudges",
    "subject",
    "subject_by_ref",
]

from . import handlers as handlers
from . import jobs as jobs

jobs.install()
