"""Posting a notice: a subject of the core receipt service, expecting roster people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.receipts import NOTICE, Audience, Subject, create_subject
from bot.receipts.audience import people_for
from bot.roster import PersonView

from . import config


@dataclass(frozen=True)
class Posted:
    subject: Subject
    new: bool
    """False: the same command was handled before (a retried event); nothing new was made."""
    people: list[PersonView]


async def post(
    branch_id: int,
    *,
    ref: str,
    author: str,
    content: str,
    deadline: datetime | None,
    audience: Audience | None,
    group_id: str,
    now: datetime,
) -> Posted:
    """Make the notice (once per `ref`, the command's message) and say who it expects. It
    takes receipts until some days after its deadline (late ones marked), or for some days
    when it has none."""
    closes_at = (
        deadline + timedelta(days=config.notice_open_days_after_deadline)
        if deadline is not None
        else now + timedelta(days=config.notice_open_days)
    )
    subject, new = await create_subject(
        branch_id,
        NOTICE,
        ref,
        content,
        created_by=author,
        deadline=deadline,
        closes_at=closes_at,
        audience=audience,
        origin=group_id,
        now=now,
    )
    return Posted(subject, new, await people_for(branch_id, subject.audience))
