"""Receipts: subjects people must confirm, who confirmed them, and nudges to the rest.

A core library plugin on plain ids (branch, person): notices, reminders that ask for a
receipt, study pushes and meetings create subjects here and read completion from here. It
does not import the roster; the caller says who is expected.
"""

from nonebot import require
from nonebot.plugin import PluginMetadata

require("nonebot_plugin_orm")

__plugin_meta__ = PluginMetadata(
    name="回执",
    description="需要确认的事项（通知、提醒、学习推送、会议）、谁已确认、对未确认者的催办",
    usage="库插件，无命令",
    type="library",
)

from .service import (
    MEETING,
    NOTICE,
    PRIVATE,
    REMINDER,
    STUDY,
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
    create_subject,
    due_for_reminder,
    due_for_summary,
    nudge,
    open_subjects,
    release_nudges,
    subject,
    subject_by_ref,
)

__all__ = [
    "MEETING",
    "NOTICE",
    "PRIVATE",
    "REMINDER",
    "STUDY",
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
    "create_subject",
    "due_for_reminder",
    "due_for_summary",
    "nudge",
    "open_subjects",
    "release_nudges",
    "subject",
    "subject_by_ref",
]
