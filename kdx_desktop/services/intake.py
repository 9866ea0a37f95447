"""The Sở's intake: import packages, one file at a time, all or nothing (CLI and window).

Per file the outcome is one of: imported, replaces revision N, already received (ignored),
older than revision N (refused), conflict (same revision, other content: refused and flagged
on the received one), or refused with a reason. A dry run computes the same outcomes and
writes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.text import printable
from ..core.values import Value
from ..core.vntime import today_in_vietnam, vietnam_date, vn_date
from ..errors import KdxError
from ..fsutil import OutputError, describe_os_error, os_reason, output_folder, read_file_at_most
from ..package.limits import package_too_large
from ..package.safe_zip import DEFAULT_LIMITS, IntakeRejected, Limits, SafePackage, read_package
from ..province import ledger
from ..province.importer import (
    CheckedReport,
    ValueChange,
    check_report,
    diff_entries,
    package_edition,
    report_entries,
)
from ..safekeeping.backups import BackupError, backup_before
from ..store.repo import StoreError
from .received import keep_package
from .reporting import App, UsageError, check_year

if TYPE_CHECKING:
    from ..signing.verify import SignatureResult, Trust

log = logging.getLogger(__name__)

IMPORTED, REPLACED, DUPLICATE, OLDER, CONFLICT, REJECTED, SIGNATURE_ADDED = (
    "imported",
    "replaced",
    "duplicate",
    "older",
    "conflict",
    "rejected",
    "signature_added",  # the same data arrived again, now signed: the signature joins the revision
)
REFUSED = {OLDER, CONFLICT, REJECTED}

# An agency's revisions go up by one per export; a few may never be sent (exported, then
# reopened before mailing). A revision further ahead of the last one received than this is held
# for the officer to confirm with the agency (``accept_jump``) before it is accepted: a forged
# "revision 999" would otherwise make every genuine revision "older" (refused).
MAX_REVISION_STEP = 5


class BackupFailed(KdxError, RuntimeError):
    """The safety copy before an import batch failed; nothing was imported (Vietnamese message)."""


@dataclass(frozen=True)
class ImportOutcome:
    """What happened (or, in a dry run, would happen) to one file."""

    file: str
    kind: str
    message: str  # the one Vietnamese line shown for this file
    code: str = ""  # machine code of a refusal (see safe_zip / importer)
    org_code: str | None = None
    year: int | None = None
    revision: int | None = None
    verification_code: str | None = None
    replaced_revision: int | None = None
    changes: tuple[ValueChange, ...] = field(default_factory=tuple)
    row_id: int | None = None
    signature: SignatureResult | None = None  # None: not checked (refused before)

    @property
    def refused(self) -> bool:
        return self.kind in REFUSED

    @property
    def line(self) -> str:
        return f"{self.file}: {self.message}"

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "result": self.kind,
            "code": self.code or None,
            "message": self.message,
            "organisation": self.org_code,
            "year": self.year,
            "revision": self.revision,
            "verification_code": self.verification_code,
            "replaced_revision": self.replaced_revision,
            "changes": [{"key": c.key, "old": c.old, "new": c.new} for c in self.changes],
            "signature": self.signature.as_json() if self.signature is not None else None,
        }


def stored_entries(app: App, row_id: int) -> dict[str, Value]:
    """The values of a received revision, decoded from its stored ``data.json``."""
    data = json.loads(ledger.data_json(app.store, row_id))
    try:  # under the edition it was checked under when it arrived
        made_under = package_edition(app.editions, data.get("catalog"))
    except IntakeRejected:
        made_under = app.catalog
    return report_entries(made_under, data)


def revision_diff(app: App, old_row: int, new_row: int) -> list[ValueChange]:
    """What changed between two received revisions (for the window and ``import``)."""
    return diff_entries(app.catalog, stored_entries(app, old_row), stored_entries(app, new_row))


def _day(iso: str) -> str:
    """``2026-11-26T20:30:00+00:00`` → ``27/11/2026``: the day in Vietnam."""
    return vn_date(iso)


def _who(rep: CheckedReport) -> str:
    # By name and document abbreviation, as the officers call it; never KDX's own code.
    return (
        f"{rep.org.label(rep.year)} năm {rep.year} lần {rep.revision} (mã xác thực {rep.verification_code})"
    )


def _keep(app: App, raw: bytes, package_sha256: str) -> None:
    """Keep the file of a package already recorded; a failure only means its files cannot be
    opened later (said then), so it does not change the outcome."""
    try:
        keep_package(app, raw, package_sha256)
    except OSError as exc:
        log.warning("package file not kept: %s", exc)


def _signature_phrase(sig: SignatureResult) -> str:
    if sig.state == "none":
        return "chưa ký số"
    who = f" bởi {sig.signer}" if sig.signer else ""
    where = f" (tệp {sig.source})" if sig.source not in ("", "package") else ""
    return f"{sig.label}{who}{where}"


def check_signature(
    app: App,
    pkg: SafePackage,
    rep: CheckedReport,
    raw: bytes,
    beside: Sequence[tuple[str, bytes]],
    trust: Trust | None,
) -> SignatureResult:
    """The verdict on the package's signature (see kdx_desktop/signing/verify.py); raises
    ``SignatureRefused`` when a signature breaks integrity or binding. An unsigned package with no
    signed PDF beside it never loads the signing libraries."""
    from ..package.format import MANIFEST, PDF
    from ..signing.verify import NO_SIGNATURE, verify_signatures

    if not pkg.signatures and not beside:
        return NO_SIGNATURE
    if PDF not in pkg.members:
        return NO_SIGNATURE
    from ..province.signatures import load_trust

    names = [rep.org.name(rep.year), rep.identity.get("name", "")]
    return verify_signatures(
        pkg.members[PDF],
        _manifest_bytes(raw, MANIFEST),
        pkg.signatures,
        trust if trust is not None else load_trust(app.store),
        org_names=[n for n in dict.fromkeys(names) if n],
        beside=beside,
    )


def _manifest_bytes(raw: bytes, name: str) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return zf.read(name)


def import_bytes(
    app: App,
    raw: bytes,
    file_name: str,
    *,
    dry_run: bool = False,
    user: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    accept_jump: bool = False,
    beside: Sequence[tuple[str, bytes]] = (),
    trust: Trust | None = None,
    received: dt.date | None = None,
) -> ImportOutcome:
    """Check and (unless ``dry_run``) record one package. ``received``: the day (Vietnam time)
    the package reached the Sở, when earlier than today (mail read late); on time or late is
    judged on it. ``accept_jump``: the officer confirmed a
    revision far ahead of the last one received (:data:`MAX_REVISION_STEP`). Never raises: whatever the file holds,
    it gets exactly one outcome. A fault the checks did not foresee (a value of a type nobody
    expected, a number too large for the arithmetic, a disk that refuses the write) refuses this
    file with its name; its transaction has rolled back, so the database is as before, and the
    batch goes on with the next file.

    ``beside``: signed PDFs found next to the package file (name, bytes), for a package signed
    with another tool; ``trust``: the trust store, when the caller loaded it once for a batch."""
    try:
        return _import_bytes(
            app,
            raw,
            file_name,
            dry_run=dry_run,
            user=user,
            limits=limits,
            accept_jump=accept_jump,
            beside=beside,
            trust=trust,
            received=received,
        )
    except StoreError as exc:  # the disk refused (full, read-only): Vietnamese message already
        log.warning("import %s: %s", file_name, exc)
        return ImportOutcome(file_name, REJECTED, f"từ chối: {exc}", "storage.failed")
    except Exception as exc:
        log.info("import %s: unexpected %s", file_name, type(exc).__name__, exc_info=True)
        return ImportOutcome(
            file_name,
            REJECTED,
            "từ chối: nội dung gói có chỗ không đọc được (lỗi không lường trước: "
            f"{type(exc).__name__}); tệp này không được nhập, các tệp khác vẫn được xử lý.",
            "intake.unexpected",
        )


def _import_bytes(
    app: App,
    raw: bytes,
    file_name: str,
    *,
    dry_run: bool,
    user: str | None,
    limits: Limits,
    accept_jump: bool,
    beside: Sequence[tuple[str, bytes]],
    trust: Trust | None,
    received: dt.date | None = None,
) -> ImportOutcome:
    try:
        pkg = read_package(raw, limits)
        rep = check_report(app.catalog, pkg, app.editions)
        if received is not None:
            check_received_after_made(received, rep.created_at)
    except IntakeRejected as exc:
        return ImportOutcome(file_name, REJECTED, f"từ chối: {exc.message}", exc.code)
    from ..signing.verify import SignatureRefused

    try:
        sig = check_signature(app, pkg, rep, raw, beside, trust)
    except SignatureRefused as exc:
        return ImportOutcome(
            file_name,
            REJECTED,
            f"từ chối: {exc.message}",
            exc.code,
            org_code=rep.org.code,
            year=rep.year,
            revision=rep.revision,
            verification_code=rep.verification_code,
        )
    base: dict[str, Any] = {
        "org_code": rep.org.code,
        "year": rep.year,
        "revision": rep.revision,
        "verification_code": rep.verification_code,
        "signature": sig,
    }
    try:
        return _record(
            app,
            raw,
            file_name,
            pkg,
            rep,
            base,
            dry_run=dry_run,
            user=user,
            accept_jump=accept_jump,
            received=received,
        )
    except OSError as exc:  # keeping the package file failed; nothing was recorded
        where = Path(exc.filename) if exc.filename else Path("received")
        return ImportOutcome(
            file_name,
            REJECTED,
            f"chưa nhập: không lưu được tệp gói vào thư mục dữ liệu. {describe_os_error(exc, where)}",
            "file.unwritable",
            **base,
        )


def _record(
    app: App,
    raw: bytes,
    file_name: str,
    pkg: Any,
    rep: CheckedReport,
    base: dict[str, Any],
    *,
    dry_run: bool,
    user: str | None,
    accept_jump: bool,
    received: dt.date | None = None,
) -> ImportOutcome:
    store = app.store
    sig: SignatureResult = base["signature"]

    def keep_signature(row_id: int) -> None:
        if sig.state != "none":
            from ..package.format import MANIFEST, PDF
            from ..province.signatures import record

            record(
                store, row_id, sig, report_size=len(pkg.members[PDF]), manifest=_manifest_bytes(raw, MANIFEST)
            )

    with store.transaction():
        rows = ledger.revisions_of(store, rep.org.code, rep.year, voided=True)
        cur = next((r for r in rows if r.current), None)
        same = next((r for r in rows if r.data_sha256 == rep.data_sha256), None)
        if same is not None and same.voided:
            return ImportOutcome(
                file_name,
                REJECTED,
                f"từ chối: {_who(rep)} đã bị Sở hủy ngày {_day(same.voided_at or '')} "
                f"(lý do: {same.void_reason}); gói này không được nhập lại",
                "revision.voided",
                **base,
            )
        last = max((r.revision for r in rows if not r.voided), default=0)
        if rep.revision - last > MAX_REVISION_STEP and not accept_jump:
            had = f"lần {last} là lần mới nhất Sở đã nhận" if last else "Sở chưa nhận lần nào"
            return ImportOutcome(
                file_name,
                REJECTED,
                f"chờ xác nhận (chưa nhập): {_who(rep)} vượt xa lần gửi trước ({had}). "
                "Hãy hỏi đơn vị đây có đúng là lần gửi của họ không (đối chiếu bản giấy), "
                "rồi nhập lại và xác nhận",
                "revision.jump",
                **base,
            )
        if same is not None and sig.state != "none":
            from ..province.signatures import has_package_signature, verdicts

            before = verdicts(store, [same.id]).get(same.id)
            if before is None or (sig.manifest_p7s is not None and not has_package_signature(store, same.id)):
                if not dry_run:
                    keep_signature(same.id)
                verb = "sẽ bổ sung" if dry_run else "đã bổ sung"
                return ImportOutcome(
                    file_name,
                    SIGNATURE_ADDED,
                    f"{verb} chữ ký số cho {_who(rep)} đã nhập ngày {_day(same.received_at)}: "
                    f"{_signature_phrase(sig)}",
                    row_id=same.id,
                    **base,
                )
        if same is not None:
            if not dry_run and pkg.package_sha256 == same.package_sha256:
                _keep(app, raw, same.package_sha256)  # a package imported before files were kept
            return ImportOutcome(
                file_name,
                DUPLICATE,
                f"đã có (bỏ qua): {_who(rep)} đã nhập ngày {_day(same.received_at)}",
                row_id=same.id,
                **base,
            )
        if cur is not None and rep.revision < cur.revision:
            return ImportOutcome(
                file_name,
                OLDER,
                f"cũ hơn lần {cur.revision} (từ chối): {_who(rep)}; Sở đang dùng lần {cur.revision}",
                "revision.older",
                **base,
            )
        if cur is not None and rep.revision == cur.revision:
            note = (
                f"Nhận được gói khác cùng lần {rep.revision} (mã xác thực {rep.verification_code}, "
                f"tệp {printable(Path(file_name).name)}); cần liên hệ đơn vị để xác định bản đúng."
            )
            if not dry_run:
                ledger.flag_conflict(store, cur.id, note, user=user)
            return ImportOutcome(
                file_name,
                CONFLICT,
                f"xung đột (từ chối, đã đánh dấu): {rep.org.label(rep.year)} năm {rep.year} lần {rep.revision} "
                f"đã nhận với mã xác thực {cur.verification_code}, gói này mang mã {rep.verification_code}",
                "revision.conflict",
                **base,
            )
        changes: tuple[ValueChange, ...] = ()
        gap_note = None  # told to the officer, not a conflict: a revision in between never arrived
        if cur is not None:
            changes = tuple(diff_entries(app.catalog, stored_entries(app, cur.id), rep.entries))
            if rep.supersedes is not None and rep.supersedes not in {r.data_sha256 for r in rows}:
                gap_note = f"Lần {rep.revision} thay cho một lần gửi mà Sở chưa nhận (Sở đang có lần {cur.revision})."
        row_id = None
        if not dry_run:
            row_id = ledger.insert(
                store,
                org_code=rep.org.code,
                year=rep.year,
                revision=rep.revision,
                data_sha256=rep.data_sha256,
                verification_code=rep.verification_code,
                supersedes=rep.supersedes,
                file_name=printable(Path(file_name).name[:200]),
                package_sha256=pkg.package_sha256,
                catalog_version=rep.catalog_version,
                created_at=rep.created_at,
                data=pkg.data_bytes.decode("utf-8"),
                warnings=rep.warnings,
                user=user,
                arrived_on=received,
            )
            # The package file is kept inside the transaction: if it cannot be written, the
            # record is rolled back and the file refused (a record without its file never exists).
            keep_package(app, raw, pkg.package_sha256)
            keep_signature(row_id)
    if cur is None:
        kind = IMPORTED
        msg = f"{'sẽ nhập' if dry_run else 'đã nhập'}: {_who(rep)}"
    else:
        kind = REPLACED
        verb = "sẽ thay thế" if dry_run else "thay thế"
        msg = f"{verb} lần {cur.revision}: {_who(rep)}; {len(changes)} giá trị thay đổi"
    if sig.state != "none":  # an unsigned package's line stays as it always was
        msg += f"; {_signature_phrase(sig)}"
    if gap_note:
        msg += f"; lưu ý: {gap_note}"
    return ImportOutcome(
        file_name,
        kind,
        msg,
        replaced_revision=cur.revision if cur else None,
        changes=changes,
        row_id=row_id,
        **base,
    )


def package_files(paths: Iterable[Path]) -> list[Path]:
    """Files to import: each file as given, and every ``*.zip`` inside a given folder (sorted)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() == ".zip"))
        else:
            out.append(p)
    return out


def _backup_before_import(app: App) -> None:
    """A verified copy of the database before a batch; without one, nothing is imported."""
    try:
        backup_before(app.store, "import")
    except BackupError as exc:
        raise BackupFailed(f"{exc} Chưa nhập tệp nào.") from exc


def import_paths(
    app: App,
    paths: Sequence[Path],
    *,
    dry_run: bool = False,
    user: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    accept_jump: bool = False,
    received: dt.date | None = None,
) -> list[ImportOutcome]:
    """Import every file (folders expanded); one outcome per file, in order. ``received``: the
    day they reached the Sở (Vietnam time; today when not given, never later than today)."""
    if received is not None:
        check_received_date(received)
    files = package_files(paths)
    if not files:
        where = " trong " + ", ".join(f"“{p}”" for p in paths) if paths else ""
        raise UsageError(f"Không có tệp gói (.zip) nào để nhập{where}.")
    if not dry_run:
        _check_space_for(app, files)
        _backup_before_import(app)
    out = []
    for path in files:
        name = str(path)
        try:
            size = path.stat().st_size
            if size > limits.max_package_bytes:
                too_large = package_too_large(size, limits)
                out.append(ImportOutcome(name, REJECTED, f"từ chối: {too_large.message}", too_large.code))
                continue
            raw = read_file_at_most(path, limits.max_package_bytes)
        except OSError as exc:
            out.append(
                ImportOutcome(
                    name, REJECTED, f"từ chối: không đọc được tệp ({os_reason(exc)}).", "file.unreadable"
                )
            )
            continue
        beside = signed_pdfs_beside(path, limits)
        outcome = import_bytes(
            app,
            raw,
            name,
            dry_run=dry_run,
            user=user,
            limits=limits,
            accept_jump=accept_jump,
            beside=beside,
            received=received,
        )
        log.info("import %s: %s", name, outcome.kind)
        out.append(outcome)
    return out


def signed_pdfs_beside(package: Path, limits: Limits = DEFAULT_LIMITS) -> list[tuple[str, bytes]]:
    """Signed PDFs next to ``package`` named for it (``BaoCao_BQN_2025_lan1.zip`` →
    ``BaoCao_BQN_2025_lan1*.pdf``, e.g. the ``…_ky-so.pdf`` KDX writes or ``…_signed.pdf`` of a
    provider's tool), in name order. Only files that hold a signature dictionary (``/ByteRange``)
    are returned: the unsigned PDF written at export is not a signature."""
    import re

    stem = re.sub(r"_ky-so$", "", package.stem, flags=re.I)
    pattern = re.compile(re.escape(stem) + r"([_\-. ].*)?\.pdf", re.I)
    out = []
    try:
        candidates = sorted(p for p in package.parent.iterdir() if pattern.fullmatch(p.name))
    except OSError:
        return []
    for p in candidates:
        try:
            if not p.is_file() or p.stat().st_size > limits.max_member_bytes:
                continue
            body = read_file_at_most(p, limits.max_member_bytes)
        except OSError:
            continue
        if b"/ByteRange" in body:
            out.append((p.name, body))
    return out


def check_received_date(received: dt.date) -> None:
    """A package cannot have reached the Sở after today (Vietnam time)."""

    today = today_in_vietnam()
    if received > today:
        raise UsageError(
            f"Ngày nhận {received.strftime('%d/%m/%Y')} sau ngày hôm nay ({today.strftime('%d/%m/%Y')}): "
            "hãy nhập ngày gói thực sự đến Sở."
        )


def check_received_after_made(received: dt.date, created_at: str) -> None:
    """A package cannot have reached the Sở before the agency made it (its date in Vietnam)."""
    made = vietnam_date(created_at)
    if received < made:
        raise IntakeRejected(
            "received.before_created",
            f"ngày nhận {received.strftime('%d/%m/%Y')} sớm hơn ngày cơ quan lập gói "
            f"({made.strftime('%d/%m/%Y')}, giờ Việt Nam): kiểm tra lại ngày nhận.",
        )


def _check_space_for(app: App, files: Sequence[Path]) -> None:
    """Refuse the batch up front when the data folder's disk cannot take it: each package's
    data is stored once (as JSON, smaller than the zip), plus a safety margin."""
    if app.data_dir is None:
        return
    from ..safekeeping.locations import NotEnoughSpace, ensure_free_space

    total = sum(p.stat().st_size for p in files if p.is_file())
    try:
        ensure_free_space(app.data_dir, total + 20 * 1024 * 1024, "nhập các gói báo cáo")
    except NotEnoughSpace as exc:
        raise UsageError(str(exc)) from None


def check_paper(
    app: App, org_code: str, year: int, typed: str, *, user: str | None = None
) -> ledger.Received:
    """The paper check: ``typed`` is the verification code read off the signed paper (typed, or the
    QR code as a scanner types it). When it is the current revision received from ``org_code`` for
    ``year``, that revision is marked checked (who and when, audited) and returned; a revision
    already checked is returned as it is, its first check kept. Otherwise
    :class:`~kdx_desktop.province.paper.PaperMismatch` says what the paper is, and nothing changes.
    The revisions are read and the mark made in one transaction: an import meanwhile cannot leave
    the mark on a revision that is no longer the current one."""
    from ..province.paper import match_paper, read_paper

    check_year(app.catalog, year)
    if not app.catalog.has_org(org_code):
        raise UsageError(f"Không có tổ chức mã “{org_code}” trong danh mục.")
    reading = read_paper(typed)
    name = app.catalog.org(org_code).label(year)
    with app.store.transaction():
        row = match_paper(
            reading,
            org_code,
            year,
            ledger.revisions_of(app.store, org_code, year, voided=True),
            name=name,
            name_of=app.catalog.org_label,
        )
        if row.paper_checked:
            return row
        return ledger.mark_paper_checked(app.store, row.id, user=user)


def void_revision(
    app: App, org_code: str, year: int, revision: int, reason: str, *, user: str | None = None
) -> ledger.Received:
    """Void the received revision ``revision`` of ``org_code``/``year`` (a forged or mistaken
    package): it is kept, with who voided it, when and ``reason`` (audited), is no longer current,
    and the newest revision not voided is current again. The next genuine revision then imports
    as usual. :class:`UsageError` (Vietnamese) when there is no such revision, it is already
    voided, or the reason is empty."""
    from ..core.text import TextError, clean_text

    check_year(app.catalog, year)
    if not app.catalog.has_org(org_code):
        raise UsageError(f"Không có tổ chức mã “{org_code}” trong danh mục.")
    try:
        why = clean_text(reason, max_length=500).strip()
    except TextError as exc:
        raise UsageError(f"Lý do hủy không hợp lệ: {exc}.") from None
    if not why:
        raise UsageError("Cần ghi lý do hủy lần gửi (ví dụ: “gói giả mạo, đơn vị xác nhận không gửi”).")
    with app.store.transaction():
        rows = [
            r for r in ledger.revisions_of(app.store, org_code, year, voided=True) if r.revision == revision
        ]
        live = [r for r in rows if not r.voided]
        if not live:
            if rows:
                raise UsageError(
                    f"Lần gửi {revision} của {app.catalog.org_label(org_code, year)} năm {year} đã bị hủy ngày "
                    f"{_day(rows[0].voided_at or '')}."
                )
            raise UsageError(
                f"Sở chưa nhận lần gửi {revision} của {app.catalog.org_label(org_code, year)} năm {year}."
            )
        done = [ledger.void(app.store, r.id, why, user=user) for r in live]
    log.info("voided %s/%s r%s", org_code, year, revision)
    return done[-1]


def mark_paper_checked(app: App, org_code: str, year: int, *, user: str | None = None) -> ledger.Received:
    """Record that the current revision of ``org_code``/``year`` matches the signed paper."""
    row = ledger.current(app.store, org_code, year)
    if row is None:
        raise UsageError(f"Sở chưa nhận báo cáo của {app.catalog.org_label(org_code, year)} năm {year}.")
    return ledger.mark_paper_checked(app.store, row.id, user=user)


__all__ = [
    "CONFLICT",
    "DUPLICATE",
    "IMPORTED",
    "OLDER",
    "REJECTED",
    "REPLACED",
    "ImportOutcome",
    "check_paper",
    "import_bytes",
    "import_paths",
    "mark_paper_checked",
    "own_data_gaps",
    "package_files",
    "revision_diff",
    "signed_pdfs_beside",
    "stored_entries",
    "void_revision",
]


def status_board(app: App, year: int, *, today: Any = None) -> Any:
    """The status board of ``year`` (see :mod:`kdx_desktop.province.status`), with the Sở's review
    of each current revision."""
    from ..province.status import board
    from .review import review_status

    check_year(app.catalog, year)
    b = board(app.catalog, app.store, year, today=today)
    current = ledger.current_for_year(app.store, year)
    rows = []
    for r in b.rows:
        rs = review_status(app, r.org_code, year, current.get(r.org_code))
        rows.append(dataclasses.replace(r, review=rs.label, under_correction=rs.under_correction))
    return dataclasses.replace(b, rows=rows)


def _short(title: str, words: int = 10) -> str:
    """A task's title cut to its first words: enough to recognise it in a list of what is missing."""
    parts = title.split()
    return " ".join(parts[:words]).rstrip(",;:") + ("…" if len(parts) > words else "")


def own_data_gaps(app: App, year: int) -> list[str]:
    """What of the Sở's own report for ``year`` is still missing, one Vietnamese line each: its
    province-level facts, the tasks it leads (printed "Chưa báo cáo"), its narrative sections
    and its signer. Said before consolidating, so nothing is left out unawares."""
    from ..core.values import NA
    from .identity import identity, missing_signature_lines
    from .reporting import load_state

    cat = app.catalog
    dept = cat.consolidator()
    state = load_state(app, dept.code, year)
    entries = state.entries
    out = [
        f"Số liệu của Sở: “{el.label}” chưa nhập"
        for el in cat.elements_for(dept.kind)
        if el.required and entries.get(el.code) is None
    ]
    out += [
        f"Nhiệm vụ {t.no}. {_short(t.title)}: chưa báo cáo tình trạng (sẽ in “Chưa báo cáo”)"
        for t in cat.tasks_led_by(dept.kind, year)
        if entries.get(f"task.{t.code}.status") is None
    ]
    out += [
        f"Thuyết minh “{n.label}”: chưa viết"
        for n in cat.narrative
        if entries.get(f"narrative.{n.code}") in (None, NA, "")
    ]
    return out + missing_signature_lines(identity(cat, app.store, dept.code, year))


def consolidate(app: App, year: int, out_dir: Path, *, issued: dt.date | None = None) -> list[Path]:
    """Write the consolidated workbook and PDF for ``year`` into ``out_dir`` (issued by the Sở,
    dated ``issued``, today in Vietnam by default). Refused (:class:`UsageError`) while the Sở's
    signer is not known: the report is not issued with an empty signature block."""
    from ..province.consolidate import consolidation
    from ..province.consolidated_report import write_consolidation
    from .identity import identity, missing_signature_lines

    check_year(app.catalog, year)
    ident = identity(app.catalog, app.store, app.catalog.consolidator().code, year)
    missing = missing_signature_lines(ident)
    if missing:
        raise UsageError("Chưa lập được báo cáo tổng hợp: chưa có người ký. " + "; ".join(missing) + ".")
    output_folder(out_dir, "báo cáo tổng hợp")  # as export does: the folder is created
    c = consolidation(app.catalog, app.store, year, app.editions)
    # The board with the Sở's reviews, so the report says whose figures are under correction.
    c = dataclasses.replace(c, board=status_board(app, year))
    when = issued or today_in_vietnam()
    try:
        return write_consolidation(c, ident, out_dir, issued=when)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, out_dir)) from exc
