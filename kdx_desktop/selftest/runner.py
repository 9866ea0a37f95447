"""``selftest``: prove that an installation works, end to end, in a temporary folder.

Each step does what a user's first day does — load the catalogue, create and migrate a database, fill
in the sample data, validate, export a report, read back the PDF, the workbook and the package — and
where Qt is present builds the main window offscreen and takes its picture. The user's own data folder
is never touched. A missing piece of the program (a module not shipped) is reported as a failed step
with a Vietnamese reason, never as a crash.
"""

from __future__ import annotations

import importlib
import logging
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..core.catalog import Catalog, Organisation
from ..core.catalog_loader import load_catalog
from ..core.text import nfc
from ..fsutil import describe_os_error
from ..paths import default_data_dir, is_portable
from ..services.reporting import App, ReportState
from ..system import files
from .checks import CheckFailed, pdffonts_unembedded, pdftotext, png_size, read_pdf, squash

log = logging.getLogger(__name__)

# What every agency report prints (REPORT-FORMAT.md): the check that Vietnamese text survived.
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
SAMPLE_YEAR = 2025  # the newest demo year: valid, so it can be exported
MIN_WINDOW_SIZE = (400, 300)


@dataclass(frozen=True)
class Step:
    """One line of the self-test: what was checked, whether it worked, and what was seen."""

    label: str
    ok: bool
    detail: str
    seconds: float = 0.0
    skipped: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "ok": self.ok,
            "skipped": self.skipped,
            "detail": self.detail,
            "seconds": round(self.seconds, 3),
        }


@dataclass
class SelftestResult:
    environment: dict[str, Any]
    steps: list[Step] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.steps)

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "environment": self.environment, "steps": [s.as_json() for s in self.steps]}


class Skip(Exception):
    """The step does not apply here (e.g. no Qt in this installation); it is not a failure."""


class _Context:
    """What one step hands to the next."""

    def __init__(self, work: Path, screenshot: Path | None) -> None:
        self.work = work
        self.screenshot = screenshot
        self.catalog: Catalog | None = None
        self.app: App | None = None
        self.org: Organisation | None = None
        self.state: ReportState | None = None
        self.files: dict[str, Path] = {}
        self.verification_code: str | None = None
        self.pdf_text: str | None = None

    def need(self, value: Any, what: str) -> Any:
        if value is None:
            raise CheckFailed(f"không chạy được vì bước “{what}” chưa thành công")
        return value


def environment() -> dict[str, Any]:
    """Facts about this installation, printed before the steps."""
    frozen = bool(getattr(sys, "frozen", False))
    return {
        "version": __version__,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "frozen": frozen,
        "portable": is_portable(),
        "default_data_dir": str(default_data_dir()),
    }


# -- the steps ---------------------------------------------------------------------------------


def _catalogue(ctx: _Context) -> str:
    cat = load_catalog()
    ctx.catalog = cat
    agencies = cat.press_agencies()
    if not agencies:
        raise CheckFailed("danh mục không có cơ quan báo chí nào")
    ctx.org = agencies[0]
    return (
        f"danh mục {cat.id} phiên bản {cat.version}: {len(cat.organisations)} tổ chức, "
        f"{len(cat.indicators)} chỉ tiêu, {len(cat.tasks)} nhiệm vụ"
    )


def _database(ctx: _Context) -> str:
    from ..services.reporting import open_app
    from ..store.migrations import migrations

    data = ctx.work / "du-lieu"
    data.mkdir()
    ctx.app = open_app(data, ctx.need(ctx.catalog, "Nạp danh mục"))
    db = ctx.app.store.db
    pending = migrations.pending(db)
    if pending:
        raise CheckFailed("còn bản nâng cấp chưa áp dụng: " + ", ".join(m.name for m in pending))
    check = db.execute("PRAGMA integrity_check").fetchone()[0]
    if check != "ok":
        raise CheckFailed(f"kiểm tra toàn vẹn cơ sở dữ liệu báo lỗi: {check}")
    mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    return f"{len(migrations.applied(db))} bản nâng cấp đã áp dụng, toàn vẹn: ok, nhật ký: {mode}"


def _demo(ctx: _Context) -> str:
    from ..services.demo import fill_demo

    app = ctx.need(ctx.app, "Tạo cơ sở dữ liệu")
    made = fill_demo(app, current_year=SAMPLE_YEAR + 1)
    return f"{made} báo cáo mẫu"


def _validate(ctx: _Context) -> str:
    from ..services.reporting import load_state

    app, org = ctx.need(ctx.app, "Tạo cơ sở dữ liệu"), ctx.need(ctx.org, "Nạp danh mục")
    state = load_state(app, org.code, SAMPLE_YEAR)
    s = state.summary()
    if not state.entries:
        raise CheckFailed(f"báo cáo mẫu {org.label(SAMPLE_YEAR)} {SAMPLE_YEAR} không có số liệu")
    if not state.can_export:
        raise CheckFailed(
            f"báo cáo mẫu {org.label(SAMPLE_YEAR)} {SAMPLE_YEAR} còn {s['errors']} lỗi chặn xuất"
        )
    computed = sum(1 for r in state.indicators if r.value is not None)
    ctx.state = state
    return (
        f"{org.label(SAMPLE_YEAR)} {SAMPLE_YEAR}: {len(state.entries)} giá trị, {computed} chỉ tiêu tính được, "
        f"{s['errors']} lỗi, {s['warnings']} cảnh báo"
    )


def _export(ctx: _Context) -> str:
    app, org = ctx.need(ctx.app, "Tạo cơ sở dữ liệu"), ctx.need(ctx.org, "Nạp danh mục")
    ctx.need(ctx.state, "Kiểm tra hợp lệ")
    exporting = _module("kdx_desktop.services.exporting", "xuất báo cáo")
    out = ctx.work / "xuat"
    out.mkdir()
    result = exporting.export_report(app, org.code, SAMPLE_YEAR, out)
    for suffix in (".zip", ".pdf", ".xlsx"):
        found = sorted(out.glob(f"*{suffix}"))
        if len(found) != 1:
            raise CheckFailed(f"thư mục xuất có {len(found)} tệp {suffix} (cần đúng 1)")
        ctx.files[suffix] = found[0]
    leftovers = sorted(p.name for p in out.iterdir() if p not in ctx.files.values())
    if leftovers:
        raise CheckFailed("thư mục xuất còn tệp thừa: " + ", ".join(leftovers))
    ctx.verification_code = getattr(result, "verification_code", None)
    sizes = ", ".join(f"{p.name} ({_kb(p)})" for p in ctx.files.values())
    return f"{sizes}; mã xác thực {ctx.verification_code or '?'}"


def _pdf(ctx: _Context) -> str:
    path = ctx.need(ctx.files.get(".pdf"), "Xuất báo cáo mẫu")
    facts = read_pdf(path.read_bytes())
    if facts.pages < 1:
        raise CheckFailed("PDF không có trang nào")
    if not facts.fonts:
        raise CheckFailed("PDF không có phông chữ nào")
    if facts.unembedded:
        raise CheckFailed("phông chữ chưa được nhúng: " + ", ".join(sorted(set(facts.unembedded))))
    poppler_unembedded = pdffonts_unembedded(path)
    if poppler_unembedded:
        raise CheckFailed("pdffonts báo phông chưa nhúng: " + ", ".join(poppler_unembedded))
    text = squash(facts.text)
    if squash(QUOC_HIEU) not in text:
        raise CheckFailed(f"không đọc lại được dòng chữ tiếng Việt “{QUOC_HIEU}” trong PDF")
    org = ctx.need(ctx.org, "Nạp danh mục")
    name = nfc(org.name(SAMPLE_YEAR))
    if squash(name) not in text:
        raise CheckFailed(f"không thấy tên cơ quan “{name}” trong PDF")
    code = ctx.verification_code
    if code and squash(code) not in text:
        raise CheckFailed(f"không thấy mã xác thực {code} trong PDF")
    second = pdftotext(path)
    if second is not None and squash(QUOC_HIEU) not in squash(second):
        raise CheckFailed(f"pdftotext không thấy dòng “{QUOC_HIEU}”")
    ctx.pdf_text = facts.text
    fonts = ", ".join(sorted({f.split("+", 1)[-1] for f in facts.fonts}))
    checked_by = "KDX và pdftotext" if second is not None else "KDX"
    return f"{facts.pages} trang, phông đã nhúng: {fonts}; chữ tiếng Việt đọc lại được ({checked_by})"


def _workbook(ctx: _Context) -> str:
    path = ctx.need(ctx.files.get(".xlsx"), "Xuất báo cáo mẫu")
    openpyxl = _module("openpyxl", "đọc sổ tính Excel")
    wb = openpyxl.load_workbook(path)
    try:
        numbers, vietnamese, cells = 0, 0, 0
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                for v in row:
                    if v is None:
                        continue
                    cells += 1
                    if isinstance(v, int | float) and not isinstance(v, bool):
                        numbers += 1
                    elif isinstance(v, str) and any(
                        ch in v.lower() for ch in "ăâđêôơưạảấầẩẫậếềểễệốồổỗộớờởỡợ"
                    ):
                        vietnamese += 1
        sheets = len(wb.worksheets)
    finally:
        wb.close()
    if not numbers:
        raise CheckFailed("sổ tính không có ô số nào")
    if not vietnamese:
        raise CheckFailed("sổ tính không có chữ tiếng Việt nào")
    return f"{sheets} trang tính, {cells} ô có dữ liệu ({numbers} ô số) mở lại được"


def _package(ctx: _Context) -> str:
    path = ctx.need(ctx.files.get(".zip"), "Xuất báo cáo mẫu")
    package = _module("kdx_desktop.package.writer", "gói nộp")
    verified = package.verify_package(path.read_bytes())
    manifest: dict[str, Any] = verified.manifest
    org = ctx.need(ctx.org, "Nạp danh mục")
    seen = (manifest.get("organisation", {}).get("code"), manifest.get("year"))
    if seen != (org.code, SAMPLE_YEAR):
        raise CheckFailed(
            f"gói ghi tổ chức hoặc năm khác báo cáo mẫu ({org.label(SAMPLE_YEAR)} năm {SAMPLE_YEAR})"
        )
    code = manifest.get("verification_code")
    if ctx.verification_code and code != ctx.verification_code:
        raise CheckFailed(f"mã xác thực trong gói ({code}) khác mã khi xuất ({ctx.verification_code})")
    return f"gói toàn vẹn: {len(manifest.get('files', []))} tệp thành phần, lần nộp {manifest.get('revision')}, mã {code}"


def _signature(ctx: _Context) -> str:
    """Sign the exported package with a throw-away certificate, then verify both signatures
    against that certificate's CA: pyHanko, python-pkcs11 and cryptography are all shipped."""
    import asyncio
    import io

    path = ctx.need(ctx.files.get(".zip"), "Xuất báo cáo mẫu")
    _module("pkcs11", "ký số bằng USB (PKCS#11)")
    throwaway = _module("kdx_desktop.signing.throwaway", "ký số")
    sign = _module("kdx_desktop.signing.sign", "ký số")
    signer, ca_der = throwaway.throwaway_signer()
    raw = path.read_bytes()
    res = sign.sign_package(raw, signer)
    from asn1crypto import cms, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
    from pyhanko_certvalidator import ValidationContext

    from ..package.format import MANIFEST
    from ..package.writer import verify_package
    from ..signing import MANIFEST_SIGNATURE

    root = x509.Certificate.load(ca_der)
    pkg = verify_package(res.package)
    sigs = PdfFileReader(io.BytesIO(res.pdf)).embedded_signatures
    if len(sigs) != 1:
        raise CheckFailed(f"PDF đã ký có {len(sigs)} chữ ký (cần 1)")
    st = validate_pdf_signature(sigs[0], ValidationContext(trust_roots=[root]))
    if not (st.intact and st.valid and st.trusted):
        raise CheckFailed("chữ ký trên PDF không hợp lệ với chứng thư thử nghiệm")
    if not res.pdf.startswith(pkg.members["report.pdf"]):
        raise CheckFailed("PDF đã ký không giữ nguyên báo cáo gốc")
    import zipfile

    with zipfile.ZipFile(io.BytesIO(res.package)) as zf:
        manifest = zf.read(MANIFEST)
    info = cms.ContentInfo.load(pkg.signatures[MANIFEST_SIGNATURE])
    vc = ValidationContext(trust_roots=[root])
    ok = asyncio.run(async_validate_detached_cms(manifest, info["content"], signer_validation_context=vc))
    if not (ok.intact and ok.valid and ok.trusted):
        raise CheckFailed("chữ ký trên tệp kê khai không hợp lệ với chứng thư thử nghiệm")
    _edition_signature(signer, ca_der)
    return (
        f"gói, PDF ({len(res.pdf) // 1024} KB) và danh mục ký bằng chứng thư thử nghiệm, kiểm tra lại hợp lệ"
    )


def _edition_signature(signer: Any, ca_der: bytes) -> None:
    """The catalogue signed as the Sở signs an edition, checked by the path an install takes
    (``verify_detached``): trusted as it is, refused with one byte changed."""
    import datetime as dt

    sign = _module("kdx_desktop.signing.sign", "ký số danh mục")
    verify = _module("kdx_desktop.signing.verify", "kiểm tra chữ ký số danh mục")
    source = load_catalog().source
    p7s = sign.sign_bytes(source, signer, at=dt.datetime.now(dt.UTC), what="tệp danh mục")
    trust = verify.Trust(roots=(ca_der,))
    if verify.verify_detached(source, p7s, trust, "danh mục").problem is not None:
        raise CheckFailed("chữ ký trên danh mục không hợp lệ với chứng thư thử nghiệm")
    try:
        verify.verify_detached(source.replace(b"2025", b"2026", 1), p7s, trust, "danh mục")
    except verify.SignatureRefused:
        return
    raise CheckFailed("danh mục bị sửa sau khi ký mà chữ ký vẫn được nhận")


def _window(ctx: _Context) -> str:
    try:
        importlib.import_module("PySide6.QtWidgets")
    except ImportError as exc:
        if ctx.screenshot is not None:
            raise CheckFailed(f"cần PySide6 để chụp cửa sổ nhưng không nạp được: {exc}") from exc
        raise Skip("bản cài đặt này không có PySide6 (chỉ dòng lệnh)") from exc
    # The window is built offscreen unless a display was asked for explicitly.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    shot = _module("kdx_desktop.gui.screenshot", "cửa sổ chính")
    app, org = ctx.need(ctx.app, "Tạo cơ sở dữ liệu"), ctx.need(ctx.org, "Nạp danh mục")
    data_dir = app.data_dir
    # The window opens the data folder itself (and may lock it): this connection must be closed.
    app.close()
    ctx.app = None
    png = ctx.screenshot or ctx.work / "cua-so-chinh.png"
    try:
        png.parent.mkdir(parents=True, exist_ok=True)
        shot.grab_main_window(data_dir, png, org=org.code, year=SAMPLE_YEAR)
    except OSError as exc:
        if ctx.screenshot is None:
            raise  # the temporary folder: unexpected, keep the whole traceback
        # An errno means the system refused the name; without one the message is already ours.
        raise CheckFailed(describe_os_error(exc, png) if exc.errno is not None else str(exc)) from exc
    if not png.exists():
        raise CheckFailed(f"không có ảnh chụp {png}")
    width, height = png_size(png.read_bytes())
    if width < MIN_WINDOW_SIZE[0] or height < MIN_WINDOW_SIZE[1]:
        raise CheckFailed(f"ảnh chụp cửa sổ quá nhỏ: {width}×{height}")
    where = f" → {png}" if ctx.screenshot is not None else ""
    return f"cửa sổ chính dựng được (offscreen), ảnh {width}×{height}{where}"


STEPS: tuple[tuple[str, Callable[[_Context], str]], ...] = (
    ("Nạp danh mục", _catalogue),
    ("Tạo cơ sở dữ liệu và áp dụng nâng cấp", _database),
    ("Điền dữ liệu mẫu", _demo),
    ("Kiểm tra hợp lệ", _validate),
    ("Xuất báo cáo mẫu (gói, PDF, Excel)", _export),
    ("Đọc lại PDF: chữ tiếng Việt, phông đã nhúng", _pdf),
    ("Mở lại sổ tính Excel", _workbook),
    ("Kiểm tra gói nộp", _package),
    ("Ký số và kiểm tra chữ ký (chứng thư thử nghiệm)", _signature),
    ("Dựng cửa sổ chính và chụp ảnh", _window),
)


def _module(name: str, what: str) -> Any:
    """Import a piece of KDX or a library; a missing one is a clear failure, not a crash."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        missing = getattr(exc, "name", None) or name
        raise CheckFailed(f"thiếu thành phần {what}: không nạp được mô-đun {missing}") from exc


def _kb(path: Path) -> str:
    from ..core.numbers import format_number

    return f"{format_number(path.stat().st_size / 1024, 1)} KB"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, CheckFailed):
        return str(exc)
    return f"lỗi {type(exc).__name__}: {exc}"


def run_selftest(
    *,
    screenshot: Path | None = None,
    on_step: Callable[[Step], None] | None = None,
    work_dir: Path | None = None,
) -> SelftestResult:
    """Run every step in a fresh temporary folder (deleted afterwards) and return what each found.

    ``screenshot``: where to save the main window's picture (PNG); without it the picture goes to the
    temporary folder. ``on_step`` is called after each step, so a caller can print as it goes.
    """
    result = SelftestResult(environment())
    # Removed by discard_tree, which never raises: a file of the run briefly held by a scanner
    # on Windows must not turn a passed self-test into a crash.
    tmp = tempfile.mkdtemp(prefix="kdx-selftest-", dir=work_dir)
    ctx = _Context(Path(tmp), screenshot.resolve() if screenshot else None)
    try:
        for label, func in STEPS:
            start = time.perf_counter()
            try:
                step = Step(label, True, func(ctx), time.perf_counter() - start)
            except Skip as exc:
                step = Step(label, True, str(exc), time.perf_counter() - start, skipped=True)
            except CheckFailed as exc:
                log.info("selftest step failed: %s: %s", label, exc)
                step = Step(label, False, _reason(exc), time.perf_counter() - start)
            except Exception as exc:
                # Unexpected: a defect of this installation, so the log keeps the whole traceback.
                log.warning("selftest step failed: %s", label, exc_info=True)
                step = Step(label, False, _reason(exc), time.perf_counter() - start)
            result.steps.append(step)
            if on_step is not None:
                on_step(step)
    finally:
        if ctx.app is not None:
            ctx.app.close()
        files.discard_tree(tmp)
    return result
