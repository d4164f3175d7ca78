"""Roster files sent in chat: a group admin's (or officer's) upload imports into the group's
branch; a SUPERUSER's file sent privately names the group in its file name
(`名册-123456789.xlsx`). Files whose first row is no roster header (a question bank) are
left to the next feature that takes the suffix."""

from __future__ import annotations

import re
from pathlib import PurePath

from bot.branch import FEATURE, branch_of
from bot.tables import TABLE_SUFFIXES, TableError, read_table
from bot.uploads import Upload
from bot.uploads import register as register_upload

from . import messages
from .importing import MAX_BYTES, MAX_ROWS, RosterFileError, import_roster, is_roster

_GROUP_IN_NAME = re.compile(r"(?<!\d)(\d{5,12})(?!\d)")


def _looks_like_roster(upload: Upload, data: bytes) -> bool:
    if len(data) > MAX_BYTES:
        return False
    try:
        table = read_table(upload.name, data, max_rows=MAX_ROWS, too_many="")
    except TableError:
        return False
    header = next((row for row in table if any(row)), None)
    return header is not None and is_roster([header])


async def import_upload(upload: Upload, data: bytes) -> str | None:
    """None when the file is no roster (so a question bank goes on to the quiz)."""
    if not _looks_like_roster(upload, data):
        return None
    chat_id = upload.group_id
    if chat_id is None:
        found = _GROUP_IN_NAME.search(PurePath(upload.name).stem)
        if found is None:
            return messages.PRIVATE_UPLOAD_NO_GROUP.format(name=upload.name)
        chat_id = found.group(1)
    branch = await branch_of(upload.platform, chat_id)
    try:
        report = await import_roster(branch.id, upload.name, data)
    except RosterFileError as e:
        return messages.file_refused(upload.name, str(e))
    return messages.import_report(report)


register_upload(FEATURE, TABLE_SUFFIXES, import_upload)
