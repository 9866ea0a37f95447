"""Evidence files of a task (a scanned decision, a PDF plan): copied into the data folder, hashed,
listed with their size. No Qt: the window and any later command share this code.

A file is copied (never moved or linked) so the evidence survives when the original is deleted
or lives on a USB stick; the copy is written under a temporary name, flushed and renamed, so a
crash never leaves a half-copied file registered in the database.

A file attached by mistake is taken off its task by :func:`remove_attachment` (one transaction
with its audit row); its copy in the data folder is kept (see there why).
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

from ..core.numbers import format_size
from ..core.text import nfc
from ..fsutil import fsync_dir
from ..package.limits import DEFAULT_LIMITS
from ..package.names import name_refusal
from ..paths import attachments_dir
from ..store.repo import Report, ReportLocked, current_user, now_iso
from ..system import files
from .reporting import App, UsageError

# The Sở's import takes the same number (package/limits.py): any file attached, however well it
# compresses (a blank page scanned as BMP), is never taken for a zip bomb there.
MAX_BYTES = DEFAULT_LIMITS.max_attachment_bytes
_CHUNK = 1024 * 1024


class Attachment(NamedTuple):
    """One evidence file of a task, as listed to the officer."""

    id: int
    report_id: int
    task_code: str
    file_name: str  # the officer's original name (NFC)
    stored_name: str  # the ASCII name inside the attachments folder
    size: int  # bytes
    sha256: str
    added_at: str
    added_by: str

    def path(self, data_dir: Path) -> Path:
        return attachments_dir(data_dir) / self.stored_name


def _ascii_stem(name: str) -> str:
    """An ASCII file-name stem: accents dropped (đ → d), anything else becomes ``_``."""
    base = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    base = "".join(ch for ch in base if not unicodedata.combining(ch))
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._")
    return base[:60] or "tep"


def _data_dir(app: App) -> Path:
    if app.data_dir is None:
        raise UsageError("Không có thư mục dữ liệu để lưu tệp đính kèm.")
    return app.data_dir


def list_attachments(app: App, report_id: int, task_code: str | None = None) -> list[Attachment]:
    """The evidence files of a report (of one task when ``task_code`` is given), oldest first."""
    rows = app.store.attachments(report_id)
    out = [Attachment(**row) for row in rows]
    return [a for a in out if task_code is None or a.task_code == task_code]


def add_attachment(
    app: App, report: Report, task_code: str, source: Path, *, user: str | None = None
) -> Attachment:
    """Copy ``source`` into the data folder and register it for ``task_code`` of ``report``.

    Refused (nothing changed) on a locked report, an unknown task, a missing, empty or too large
    file, or a file already attached to the same task.
    """
    if not any(t.code == task_code for t in app.catalog.tasks):
        raise UsageError(f"Không có nhiệm vụ mã “{task_code}” trong danh mục.")
    fresh = app.store.find_report(report.org_code, report.year)
    if fresh is not None and fresh.locked:  # refused before copying a large file for nothing
        raise ReportLocked(
            f"Báo cáo năm {report.year} đã xuất và đang bị khóa; "
            "hãy “Mở lại để sửa” (kèm lý do) trước khi đính kèm tệp."
        )
    source = Path(source)
    if not source.is_file():
        raise UsageError(f"Không tìm thấy tệp “{source.name}”.")
    # The Sở's name rules, applied now with a message rather than at export or at the Sở.
    taken = [a.file_name for a in list_attachments(app, report.id, task_code)]
    refusal = name_refusal(nfc(source.name), taken)
    if refusal is not None:
        raise UsageError(f"Không đính kèm “{source.name}”: {refusal}.")
    size = source.stat().st_size
    if size == 0:
        raise UsageError(f"Tệp “{source.name}” rỗng (0 byte), không đính kèm.")
    if size > MAX_BYTES:
        raise UsageError(
            f"Tệp “{source.name}” có dung lượng {format_size(size)}, vượt giới hạn {format_size(MAX_BYTES)}."
        )
    folder = attachments_dir(_data_dir(app))
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".dang-chep-{os.getpid()}-{report.id}-{task_code}.tmp"
    import hashlib  # here, not at the top: the window imports this module at start, hashlib loads OpenSSL

    digest = hashlib.sha256()
    try:
        with open(source, "rb") as src, open(tmp, "wb") as dst:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
    except OSError:
        files.discard(tmp)
        raise
    sha = digest.hexdigest()
    if any(a.sha256 == sha for a in list_attachments(app, report.id, task_code)):
        files.discard(tmp)
        raise UsageError(f"Tệp “{source.name}” đã được đính kèm cho nhiệm vụ này.")
    stored = f"{report.org_code}_{report.year}_{task_code}_{sha[:16]}_{_ascii_stem(source.name)}"
    files.replace(tmp, folder / stored)
    fsync_dir(folder)
    file_name = nfc(source.name)
    who = user or current_user()
    at = now_iso()
    store = app.store
    with store.transaction():
        # Checked again where it counts, in the transaction: the report may have been exported
        # (by the command line, say) while the file was being copied. The copy then stays unused.
        store.require_editable(report, "đính kèm tệp")
        cur = store.db.execute(
            "INSERT INTO attachments(report_id, task_code, file_name, stored_name, size, sha256, added_at, added_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [report.id, task_code, file_name, stored, size, sha, at, who],
        )
        store._audit(
            "attach", report.id, f"task.{task_code}.attachment", None, f"{file_name} ({sha})", None, who, at
        )
    return Attachment(int(cur.lastrowid or 0), report.id, task_code, file_name, stored, size, sha, at, who)


def remove_attachment(app: App, report: Report, attachment_id: int, *, user: str | None = None) -> Attachment:
    """Take the evidence file ``attachment_id`` off ``report``: its row goes, with one audit row
    (``detach``, the file's name and hash as the old value), in one transaction.

    Refused (nothing changed) on a locked report or when the file is not (or no longer) one of
    ``report``'s. Returns what was removed.

    The copy in the data folder is deliberately left where it is, not deleted nor moved:
    a database backup taken before the removal (KDX takes them on its own) still lists the
    file under that very name, and restoring it must find the copy or the next export is refused
    for a missing evidence file; the copy also stays as evidence of what was attached, which the
    audit row names by its hash. Every attachment row has a copy of its own (the stored name holds
    the organisation, year, task and hash and is unique), so another report or task attaching
    the same file is never touched. Attaching the same file again simply rewrites that copy.
    """
    store = app.store
    who = user or current_user()
    at = now_iso()
    with store.transaction():
        store.require_editable(report, "gỡ tệp đính kèm")
        row = next(
            (r for r in store.attachments(report.id) if int(r["id"]) == int(attachment_id)),
            None,
        )
        if row is None:
            raise UsageError("Tệp đính kèm này không còn trong báo cáo (có thể đã được gỡ).")
        att = Attachment(**row)
        store.db.execute("DELETE FROM attachments WHERE id = ? AND report_id = ?", [att.id, report.id])
        store._audit(
            "detach",
            report.id,
            f"task.{att.task_code}.attachment",
            f"{att.file_name} ({att.sha256})",
            None,
            None,
            who,
            at,
        )
    return att


__all__ = ["MAX_BYTES", "Attachment", "add_attachment", "list_attachments", "remove_attachment"]
