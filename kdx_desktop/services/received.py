"""A report as the Sở received it: any revision, read-only, with the files it carried.

The values come from the stored canonical ``data.json`` of the revision (``received_packages``),
decoded and recomputed by the same core as at the agency, so the form, the indicators and the
problems are the ones the agency saw. The package file itself is kept in the data folder
(``received/<package SHA-256>.zip``, written when it is imported) for the PDF it sent and its
evidence files; it is checked against the hash in the register each time it is read.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.file_names import report_stem
from ..core.text import TextError, clean_text
from ..fsutil import atomic_write_bytes
from ..store.repo import EXPORTED, Report
from .reporting import App, ReportState, UsageError, check_org_year

if TYPE_CHECKING:
    from ..province import ledger
    from ..province.importer import ValueChange

# The Sở's side (kdx_desktop.province) is imported inside the functions: the window of an agency's
# PC asks shows_received() at start and must not load it (tests/test_start_path.py).

RECEIVED_DIR = "received"
PDF_MEMBER = "report.pdf"
# The optional keys of data.json this module reads (absent from packages made before them).
REOPEN_REASON_KEY = "reopen_reason"
REVIEW_KEY = "review_answers"


def received_dir(data_dir: Path) -> Path:
    return data_dir / RECEIVED_DIR


def _stored_path(app: App, package_sha256: str) -> Path | None:
    if app.data_dir is None or not re.fullmatch(r"[0-9a-f]{64}", package_sha256):
        return None
    return received_dir(app.data_dir) / f"{package_sha256}.zip"


def keep_package(app: App, raw: bytes, package_sha256: str) -> None:
    """Keep the package file as received (:func:`atomic_write_bytes`: never half-written). Named
    by its hash, so keeping it again is a no-op. Raises ``OSError`` (the import then fails whole)."""
    path = _stored_path(app, package_sha256)
    if path is None or path.is_file():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, raw)


@dataclass(frozen=True)
class ReceivedReport:
    """One received revision, decoded: ``state`` is locked (nothing in it can be saved)."""

    row: ledger.Received
    state: ReportState
    data: dict[str, Any]
    revisions: list[ledger.Received] = field(default_factory=list)

    @property
    def reopen_reason(self) -> str | None:
        return reopen_reason_of(self.data)

    @property
    def attachments(self) -> list[dict[str, Any]]:
        raw = self.data.get("attachments")
        return [a for a in raw if isinstance(a, dict)] if isinstance(raw, list) else []

    def as_json(self) -> dict[str, Any]:
        r = self.row
        return {
            **self.state.as_json(),
            "status": "received",
            "received": {
                "revision": r.revision,
                "current": r.current,
                "verification_code": r.verification_code,
                "created_at": r.created_at,
                "received_at": r.received_at,
                "received_by": r.received_by,
                "file_name": r.file_name,
                "reopen_reason": self.reopen_reason,
                "voided": r.voided,
                "void_reason": r.void_reason,
                "revisions": [x.revision for x in self.revisions],
                "attachments": [
                    {"path": a.get("path"), "file_name": a.get("file_name"), "task_code": a.get("task_code")}
                    for a in self.attachments
                ],
            },
        }


def reopen_reason_of(data: dict[str, Any]) -> str | None:
    """Why the agency reopened its report before this revision (None in revision 1 and in packages
    made before the reason travelled)."""
    raw = data.get(REOPEN_REASON_KEY)
    return raw if isinstance(raw, str) and raw else None


THIS_ORG = "this_org"  # setting: the organisation this PC reports for (None: not chosen yet)


def this_org(app: App) -> str | None:
    return app.store.setting(THIS_ORG)


def shows_received(app: App, org_code: str, year: int) -> bool:
    """Whether this PC shows ``org_code``'s report for ``year`` as received: not on that agency's
    own PC, never the Sở's own report, and only once a package of it has been received (a PC
    with the agency's report typed in, like the demo data, keeps showing that)."""
    cat = app.catalog
    if this_org(app) == org_code or not cat.has_org(org_code) or cat.org(org_code).consolidates:
        return False
    return has_received(app, org_code, year)


def has_received(app: App, org_code: str, year: int) -> bool:
    row = app.store.db.execute(
        "SELECT 1 FROM received_packages WHERE org_code = ? AND year = ? LIMIT 1", [org_code, year]
    ).fetchone()
    return row is not None


def _pick(rows: list[ledger.Received], who: str, year: int, revision: int | None) -> ledger.Received:
    """``who``: the organisation as the message names it (Báo Quảng Ngãi (BQN))."""
    if not rows:
        raise UsageError(f"Sở chưa nhận báo cáo nào của {who} năm {year}.")
    if revision is None:
        cur = next((r for r in rows if r.current), None)
        return cur or rows[-1]
    found = [r for r in rows if r.revision == revision]
    if not found:
        have = ", ".join(str(r.revision) for r in rows)
        raise UsageError(f"Sở chưa nhận lần gửi {revision} của {who} năm {year} (đã nhận các lần: {have}).")
    return found[-1]


def load_received(app: App, org_code: str, year: int, revision: int | None = None) -> ReceivedReport:
    """The received revision ``revision`` (the current one by default) of ``org_code``/``year``."""
    from ..province import ledger
    from ..province.importer import previous_values, report_entries

    org = check_org_year(app.catalog, org_code, year)
    # A voided revision is shown when asked for by number (marked as voided), never by default.
    rows = ledger.revisions_of(app.store, org_code, year, voided=revision is not None)
    row = _pick(rows, org.label(year), year, revision)
    data = json.loads(ledger.data_json(app.store, row.id))
    entries = report_entries(app.catalog, data)
    state = ReportState(
        catalog=app.catalog,
        org=org,
        year=year,
        report=Report(0, org_code, year, EXPORTED, row.revision),
        entries=entries,
        prev=previous_values(app.catalog, data, org.kind),
        prev2=None,  # as the import re-checked it (province/importer.py)
    )
    state.recompute()
    return ReceivedReport(row=row, state=state, data=data, revisions=rows)


# -- the files it carried --------------------------------------------------------------------


class MissingPackage(UsageError):
    """The package file of a received revision is not (or no longer intact) in the data folder."""


def package_bytes(app: App, row: ledger.Received) -> bytes:
    """The package as received, checked against the register's hash."""
    from ..package.canonical import sha256_hex

    path = _stored_path(app, row.package_sha256)
    again = "Hãy nhập lại tệp gói (KDX nhận lại gói đã có mà không thay đổi gì) để xem các tệp."
    if path is None or not path.is_file():
        raise MissingPackage(f"Không có tệp gói “{row.file_name}” trong thư mục dữ liệu. {again}")
    raw = path.read_bytes()
    if sha256_hex(raw) != row.package_sha256:
        raise MissingPackage(f"Tệp gói “{row.file_name}” trong thư mục dữ liệu đã bị thay đổi. {again}")
    return raw


def member_bytes(app: App, row: ledger.Received, member: str) -> bytes:
    """One member of the received package (``report.pdf`` or ``attachments/…``), re-verified."""
    from ..package.safe_zip import IntakeRejected, read_package

    try:
        pkg = read_package(package_bytes(app, row))
    except IntakeRejected as exc:
        raise MissingPackage(f"Tệp gói “{row.file_name}” không còn nguyên vẹn: {exc.message}") from None
    if member not in pkg.members:
        raise UsageError(f"Gói “{row.file_name}” không có tệp “{member}”.")
    return pkg.members[member]


def _safe_file_name(name: str) -> str:
    try:
        name = clean_text(name, max_length=200)
    except TextError:
        name = "tep"
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(". ")
    return name or "tep"


def extract_member(app: App, row: ledger.Received, member: str, folder: Path | None = None) -> Path:
    """Write one member to ``folder`` (a new temporary folder by default) to open it with the PC's
    program; the name is the member's own file name, made safe for Windows."""
    raw = member_bytes(app, row, member)
    org = app.catalog.org(row.org_code) if app.catalog.has_org(row.org_code) else None
    stem = report_stem(
        org.abbreviation(row.year) if org is not None else row.org_code, row.year, row.revision
    )
    # The folder shows in the PDF viewer's title and its "save as": named as people name the report.
    target_dir = folder or Path(tempfile.mkdtemp(prefix=f"{stem}-"))
    target_dir.mkdir(parents=True, exist_ok=True)
    base = member.rsplit("/", 1)[-1]
    if member == PDF_MEMBER:
        base = f"{stem}.pdf"
    path = target_dir / _safe_file_name(base)
    path.write_bytes(raw)
    return path


# -- revision history ------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One received revision in the history, with what changed from the one before it."""

    row: ledger.Received
    reopen_reason: str | None
    changes: list[ValueChange]
    previous_revision: int | None

    def as_json(self) -> dict[str, Any]:
        r = self.row
        return {
            "revision": r.revision,
            "current": r.current,
            "verification_code": r.verification_code,
            "created_at": r.created_at,
            "received_at": r.received_at,
            "reopen_reason": self.reopen_reason,
            "voided": r.voided,
            "void_reason": r.void_reason,
            "previous_revision": self.previous_revision,
            "changes": [{"key": c.key, "label": c.label, "old": c.old, "new": c.new} for c in self.changes],
        }


def history(app: App, org_code: str, year: int) -> list[HistoryEntry]:
    """Every received revision (the voided ones too, marked), oldest first, each compared with the
    one received before it."""
    from ..province import ledger
    from ..province.importer import diff_entries, report_entries

    check_org_year(app.catalog, org_code, year)
    out: list[HistoryEntry] = []
    before: tuple[ledger.Received, dict[str, Any]] | None = None
    for row in ledger.revisions_of(app.store, org_code, year, voided=True):
        data = json.loads(ledger.data_json(app.store, row.id))
        entries = report_entries(app.catalog, data)
        changes = diff_entries(app.catalog, before[1], entries) if before else []
        out.append(HistoryEntry(row, reopen_reason_of(data), changes, before[0].revision if before else None))
        before = (row, entries)
    return out


def compare(app: App, org_code: str, year: int, old: int, new: int) -> list[ValueChange]:
    """What changed from received revision ``old`` to ``new``."""
    from ..province.importer import diff_entries

    a, b = load_received(app, org_code, year, old), load_received(app, org_code, year, new)
    return diff_entries(app.catalog, a.state.entries, b.state.entries)


__all__ = [
    "HistoryEntry",
    "MissingPackage",
    "ReceivedReport",
    "compare",
    "extract_member",
    "has_received",
    "history",
    "keep_package",
    "load_received",
    "member_bytes",
    "package_bytes",
    "received_dir",
    "reopen_reason_of",
]
