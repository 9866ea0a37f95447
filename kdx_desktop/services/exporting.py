"""Export: validate, build ``data.json``, the PDF, the workbook and the package, write them
safely, lock the report. The same path for the window and the ``export`` command.

Everything is built in memory first; then the free space is checked, every file is written
under a temporary name and flushed to disk, and only then renamed to its final name. A crash,
a kill, a full disk or a read-only folder therefore never leaves a partial file at a final
name, and the report is locked only after its files exist.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..agency.eml import build_eml, mail_body, mail_subject
from ..core import file_names
from ..core.catalog import Organisation
from ..core.file_names import report_stem
from ..core.numbers import format_size
from ..core.values import field_for_key
from ..core.vntime import VIETNAM, vietnam_date
from ..errors import KdxError
from ..fsutil import OutputError, describe_os_error, output_folder, write_together
from ..package.canonical import (
    canonical_json,
    now_iso,
    sha256_hex,
    verification_code,
)
from ..package.data import Attachment, Seal, catalog_ref, report_data
from ..package.format import PDF, XLSX
from ..package.names import member_path
from ..package.writer import build_package
from ..paths import attachments_dir
from ..safekeeping.locations import NotEnoughSpace, ensure_free_space
from .identity import Identity, identity, missing_for_signature, missing_signature_lines
from .reporting import App, ReportState, load_state

log = logging.getLogger(__name__)

Progress = Callable[[int, str], None]


class ExportRefused(KdxError):
    """The report cannot be exported as it is; ``problems`` lists why (Vietnamese, one per line)."""

    def __init__(
        self, message: str, problems: list[str] | None = None, fields: list[str] | None = None
    ) -> None:
        super().__init__(message, problems=problems or [])
        self.fields = fields or []  # profile fields (Cài đặt cơ quan) to fill in first


@dataclass(frozen=True)
class ExportResult:
    package: Path
    pdf: Path
    xlsx: Path
    verification_code: str
    revision: int
    data_sha256: str
    manifest: dict[str, Any] = field(repr=False)
    eml: Path | None = None

    @property
    def paths(self) -> list[Path]:
        return [p for p in (self.package, self.pdf, self.xlsx, self.eml) if p is not None]


def _field_named(state: ReportState, key: str) -> str:
    """The field or indicator as the form labels it."""
    try:
        return field_for_key(state.catalog, key).label
    except KeyError:
        pass
    try:
        ind = state.catalog.indicator(key)
    except KeyError:
        return key
    return f"{ind.source} {ind.short_label}"


def blocking_problems(state: ReportState) -> list[str]:
    """Why ``state`` cannot be exported: errors, and warnings nobody has explained."""
    out = []
    for i in state.issues:
        if i.blocks_export:
            kind = "Lỗi" if i.severity == "error" else "Cảnh báo chưa giải trình"
            out.append(f"{kind} ({_field_named(state, i.field)}): {i.message}")  # the ids are in --json
    return out


def _stem(org: Organisation, year: int, revision: int) -> str:
    """``BaoCao_BQN_2025_lan1``: the files of one export are named with the organisation's
    document abbreviation of that year, never KDX's own code."""
    return report_stem(org.abbreviation(year), year, revision)


def _task_named(app: App, task_code: str) -> str:
    """``nhiệm vụ 6``: the plan's numbering (a code the catalogue no longer has is said as stored)."""
    task = next((t for t in app.catalog.tasks if t.code == task_code), None)
    return task.in_sentence if task is not None else "nhiệm vụ không còn trong danh mục"


def _attachments(app: App, state: ReportState) -> list[Attachment]:
    rows = app.store.attachments(state.report.id)
    if not rows:
        return []
    if app.data_dir is None:
        raise ExportRefused("Không tìm thấy thư mục tệp minh chứng.", [])
    folder, out = attachments_dir(app.data_dir), []
    used: set[str] = set()
    for row in rows:
        src = folder / str(row["stored_name"])
        try:
            content = src.read_bytes()
        except OSError:
            raise ExportRefused(
                f"Thiếu tệp minh chứng “{row['file_name']}” ({_task_named(app, str(row['task_code']))})."
            ) from None
        if sha256_hex(content) != row["sha256"]:
            raise ExportRefused(f"Tệp minh chứng “{row['file_name']}” đã bị thay đổi từ khi đính kèm.")
        # The Sở's rules for a member name (package/names.py): never a package it refuses.
        path = member_path(str(row["task_code"]), str(row["file_name"]), used)
        out.append(
            Attachment(
                path=path, file_name=str(row["file_name"]), task_code=str(row["task_code"]), content=content
            )
        )
    return out


def _previous_and_current(app: App, state: ReportState) -> tuple[str | None, dict[str, Any] | None]:
    revs = {int(r["revision"]): r for r in app.store.revisions(state.report.id)}
    prev = revs.get(state.report.revision - 1)
    cur = revs.get(state.report.revision)
    return (prev or {}).get("data_sha256"), cur


def travelling_notes(app: App, state: ReportState) -> dict[str, Any]:
    """What this revision tells the Sở beyond its values: why the report was reopened before it,
    and the answers to the Sở's review of the revision before (``data.json``'s optional keys)."""
    from .review import answers_for_export

    out: dict[str, Any] = {}
    if state.report.revision > 1:
        revs = {int(r["revision"]): r for r in app.store.revisions(state.report.id)}
        reason = (revs.get(state.report.revision - 1) or {}).get("reopen_reason")
        if reason:
            out["reopen_reason"] = str(reason)
    answers = answers_for_export(app, state.org.code, state.year)
    if answers is not None:
        out["review_answers"] = answers
    return out


def build_outputs(
    app: App,
    state: ReportState,
    ident: Identity,
    *,
    created_at: str,
    supersedes: str | None,
    notes: bool = True,
) -> tuple[dict[str, bytes], dict[str, Any]]:
    """{file name: bytes} for the package, PDF and workbook (built in memory), and the manifest.
    ``notes=False`` leaves out :func:`travelling_notes` (to rebuild a package exported before them)."""
    from ..agency.report_pdf import render_report
    from ..agency.report_xlsx import render_workbook

    rev = state.report.revision
    attachments = _attachments(app, state)
    extra = travelling_notes(app, state) if notes else None
    data = report_data(state, ident, attachments, created_at=created_at, supersedes=supersedes, extra=extra)
    data_sha = sha256_hex(canonical_json(data))
    seal = Seal(rev, verification_code(data_sha), data_sha)
    # Every file is dated with the export's recorded time, never the clock: a locked report made
    # again (a re-export, after a later catalogue edition) is the same PDF, workbook and package.
    when = dt.datetime.fromisoformat(created_at)
    pdf = render_report(state, ident, issued=vietnam_date(created_at), seal=seal, moment=when)
    xlsx = render_workbook(state, ident, seal=seal, created=when)
    files = {PDF: pdf, XLSX: xlsx, **{a.path: a.content for a in attachments}}
    zipped, manifest = build_package(
        data,
        files,
        org_code=state.org.code,
        org_name=ident.name,
        year=state.year,
        revision=rev,
        supersedes=supersedes,
        catalog=catalog_ref(state.catalog),
        app_version=__version__,
    )
    _check_receivable(zipped, len(files) + 2)
    stem = _stem(state.org, state.year, rev)
    return {f"{stem}.zip": zipped, f"{stem}.pdf": pdf, f"{stem}.xlsx": xlsx}, manifest


def _check_receivable(zipped: bytes, members: int) -> None:
    """Refuse, before anything is written, a package the Sở's import would refuse: its size, its
    number of members and what it makes when unpacked said plainly, then the Sở's own reader run
    on it (every other rule, the zip-bomb bounds among them), so the two can never disagree."""
    import io
    import zipfile

    from ..package.limits import DEFAULT_LIMITS as L
    from ..package.safe_zip import IntakeRejected, read_package

    advice = "Hãy bớt hoặc thu nhỏ tệp minh chứng."
    if len(zipped) > L.max_package_bytes or members > L.max_members:
        raise ExportRefused(
            f"Gói báo cáo quá lớn ({format_size(len(zipped))}, {members} thành phần): Sở chỉ nhận gói đến "
            f"{format_size(L.max_package_bytes)} và {L.max_members} thành phần. {advice}",
            [],
        )
    # Well-compressing scans can fit the package and still make more than the Sở unpacks.
    unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(zipped)).infolist())
    if unpacked > L.max_total_bytes:
        raise ExportRefused(
            f"Các tệp trong gói báo cáo khi giải nén có tổng dung lượng {format_size(unpacked)}: Sở chỉ "
            f"nhận đến {format_size(L.max_total_bytes)}. {advice}",
            [],
        )
    try:
        read_package(zipped, L)
    except IntakeRejected as exc:
        raise ExportRefused(f"Sở sẽ không nhận gói báo cáo vừa tạo: {exc.message}", []) from None


def write_files(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write the export's files into ``out_dir``, all old or all new (:func:`write_together`),
    after checking the folder and its free space. :class:`OutputError` says what and where."""
    out_dir = output_folder(out_dir, "các tệp xuất")
    need = sum(len(b) for b in files.values()) + 1024 * 1024
    try:
        ensure_free_space(out_dir, need, "ghi các tệp xuất")
    except NotEnoughSpace as exc:
        raise OutputError(str(exc)) from None
    except OSError as exc:
        raise OutputError(describe_os_error(exc, out_dir)) from None
    return write_together(out_dir, files)


def export_report(
    app: App,
    org: str,
    year: int,
    out_dir: Path,
    *,
    progress: Progress | None = None,
    eml: bool = False,
    user: str | None = None,
) -> ExportResult:
    """Export the report of ``org`` for ``year`` into ``out_dir`` and lock it at its revision.

    Raises :class:`ExportRefused` (nothing written) when the report has blocking problems, and
    :class:`~kdx_desktop.fsutil.OutputError` (nothing written) when the folder cannot take the
    files. A report already exported is written again only if its data is unchanged."""
    step = progress or (lambda pct, msg: None)
    # One write transaction from reading the values to locking the report: every other writer
    # (the window, each command, another PC's process) waits for it or is refused with a message,
    # so a value acknowledged as saved is either in this package or refused as locked, never
    # saved beside it. The files are written inside it and the lock comes last, so a failure
    # leaves nothing locked.
    with app.store.transaction():
        return _export_locked(app, org, year, out_dir, step, eml=eml, user=user)


def _export_locked(
    app: App, org: str, year: int, out_dir: Path, step: Progress, *, eml: bool, user: str | None
) -> ExportResult:
    step(5, "Kiểm tra số liệu")
    state = load_state(app, org, year)
    from .review import unanswered

    ident = identity(app.catalog, app.store, org, year)
    # The data's problems and the signature's in one refusal: everything to do, at once.
    problems = blocking_problems(state) + unanswered(app, org, year) + missing_signature_lines(ident)
    if problems:
        raise ExportRefused(
            f"Báo cáo của {state.org.label(year)} năm {year} chưa thể xuất: còn {len(problems)} vấn đề cần xử lý.",
            problems,
            missing_for_signature(ident),
        )
    supersedes, current = _previous_and_current(app, state)
    locked = bool(state.report.locked and current and current.get("exported_at"))
    created_at = str(current["exported_at"]) if locked and current else now_iso()
    # Names as of the day of issue (the export's own day, so a re-export rebuilds the same data).
    ident = identity(state.catalog, app.store, org, year, on=vietnam_date(created_at))
    step(20, "Lập báo cáo PDF, bảng tính và gói dữ liệu")
    files, manifest = build_outputs(app, state, ident, created_at=created_at, supersedes=supersedes)
    if locked and current and manifest["data_sha256"] != current.get("data_sha256"):
        # Exported before the reason and answers travelled in data.json: rebuilt without them.
        files, manifest = build_outputs(
            app, state, ident, created_at=created_at, supersedes=supersedes, notes=False
        )
    if locked and current and manifest["data_sha256"] != current.get("data_sha256"):
        raise ExportRefused(
            f"Báo cáo đã xuất lần {state.report.revision} (mã xác thực {current.get('verification_code')}) và dữ liệu "
            "tạo lại nay khác bản đã gửi (hồ sơ cơ quan hoặc phiên bản KDX đã thay đổi). Hãy mở lại báo cáo "
            "để xuất lần gửi mới.",
        )
    stem = _stem(state.org, year, state.report.revision)
    if eml:
        files[f"{stem}.eml"] = eml_bytes(ident, manifest, files[f"{stem}.zip"], f"{stem}.zip")
    step(70, "Ghi tệp")
    write_files(Path(out_dir), files)
    if not locked:
        step(90, "Khóa báo cáo")
        app.store.mark_exported(
            state.report,
            data_sha256=manifest["data_sha256"],
            verification_code=manifest["verification_code"],
            package_name=f"{stem}.zip",
            user=user,
            exported_at=created_at,
            catalog_edition=state.catalog.edition.number,
        )
    step(100, "Đã xuất xong")
    out = Path(out_dir)
    log.info("exported %s/%s r%s %s", org, year, state.report.revision, manifest["verification_code"])
    return ExportResult(
        package=out / f"{stem}.zip",
        pdf=out / f"{stem}.pdf",
        xlsx=out / f"{stem}.xlsx",
        eml=out / f"{stem}.eml" if eml else None,
        verification_code=manifest["verification_code"],
        revision=state.report.revision,
        data_sha256=manifest["data_sha256"],
        manifest=manifest,
    )


def eml_bytes(ident: Identity, manifest: dict[str, Any], package: bytes, package_file: str) -> bytes:
    """The mail draft to the Sở with ``package`` attached."""
    rev, year = int(manifest["revision"]), int(manifest["year"])
    return build_eml(
        to=ident.email,
        subject=mail_subject(ident.name, year, rev),
        body=mail_body(
            org_name=ident.name,
            year=year,
            revision=rev,
            verification_code=str(manifest["verification_code"]),
            package=package_file,
            recipient=ident.recipient,
            signer=ident.signer_name,
        ),
        attachment_name=package_file,
        attachment=package,
    )


def write_eml(app: App, result: ExportResult) -> Path:
    """Write the mail draft next to an exported package (the window's "Soạn thư gửi Sở")."""
    m = result.manifest
    ident = identity(
        app.catalog,
        app.store,
        str(m["organisation"]["code"]),
        int(m["year"]),
        on=vietnam_date(str(m["created_at"])),
    )
    path = result.package.with_suffix(".eml")
    try:
        raw = result.package.read_bytes()
    except OSError as exc:
        raise OutputError(describe_os_error(exc, result.package)) from None
    write_files(path.parent, {path.name: eml_bytes(ident, m, raw, result.package.name)})
    return path


@dataclass(frozen=True)
class DraftResult:
    pdf: Path
    xlsx: Path

    @property
    def paths(self) -> list[Path]:
        return [self.pdf, self.xlsx]


def draft_stem(abbreviation: str, year: int, when: dt.datetime) -> str:
    """``BaoCao_BQN_2025_BAN-NHAP_20261207-141503``: never the name of an issued report (no
    revision), and a new name for each print, so a draft open in a PDF viewer never blocks the
    next one."""
    return file_names.draft_stem(abbreviation, year, f"{when.astimezone(VIETNAM):%Y%m%d-%H%M%S}")


def export_draft(
    app: App, org: str, year: int, out_dir: Path, *, now: dt.datetime | None = None
) -> DraftResult:
    """Print the report as it stands, valid or not, for the director to read and correct: the PDF
    and the workbook marked ``BẢN NHÁP`` on every page, with no revision, no verification code,
    no QR code and no signature field. Nothing is locked, no revision is spent, no package is
    written; the file names say ``BAN-NHAP``."""
    from ..agency.report_pdf import render_report
    from ..agency.report_xlsx import render_workbook

    when = now or dt.datetime.now(VIETNAM)
    state = load_state(app, org, year)
    ident = identity(state.catalog, app.store, org, year, on=when.astimezone(VIETNAM).date())
    stem = draft_stem(state.org.abbreviation(year), year, when)
    files = {
        f"{stem}.pdf": render_report(state, ident, issued=None, seal=None, moment=when),
        f"{stem}.xlsx": render_workbook(state, ident, seal=None, created=when),
    }
    write_files(Path(out_dir), files)
    log.info("draft of %s/%s printed", org, year)
    out = Path(out_dir)
    return DraftResult(pdf=out / f"{stem}.pdf", xlsx=out / f"{stem}.xlsx")


__all__ = [
    "DraftResult",
    "ExportRefused",
    "ExportResult",
    "OutputError",
    "blocking_problems",
    "draft_stem",
    "export_draft",
    "export_report",
    "write_eml",
    "write_files",
]
