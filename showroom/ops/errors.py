"""Why a backup or restore said no; the CLI prints the message and exits non-zero."""
from __future__ import annotations

from showroom.errors import Conflict, DomainError


class BackupRefused(Conflict):
    """Nothing was written: the target has data, or the file is already there."""

    code = "backup-refused"


class BackupFailed(DomainError):
    """A tool or the database failed part-way; the temporary file was removed."""

    status = 500
    code = "backup-failed"
