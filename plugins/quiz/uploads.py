"""Question banks sent in chat: an admin's file to a group, or a SUPERUSER's in private (the
core's uploads plugin checks who and fetches the file); the same import as
`python -m bot import-questions`."""

from __future__ import annotations

from bot.uploads import Upload
from bot.uploads import register as register_upload

from . import QUIZ, config, messages
from .bank import import_bank
from .bankfiles import BankFileError, looks_like_text_quiz


async def import_upload(upload: Upload, data: bytes) -> str | None:
    """Import one sent bank now; the reply says what happened. A .txt that is not a
    【习题N】 quiz is not ours (None: the next feature taking .txt is asked)."""
    if upload.suffix == ".txt" and not looks_like_text_quiz(data):
        return None
    try:
        report = await import_bank(
            upload.name,
            data,
            max_bytes=config.quiz_import_max_bytes,
            max_rows=config.quiz_import_max_rows,
            origin=f"upload:{upload.name}",
        )
    except BankFileError as e:
        return messages.upload_refused(upload.name, str(e))
    return messages.upload_imported(upload.name, report)


register_upload(QUIZ, (".xlsx", ".csv", ".json", ".txt"), import_upload)
