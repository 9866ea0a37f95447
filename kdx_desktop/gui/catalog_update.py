"""The catalogue editions in the window: Tệp → "Cập nhật danh mục" installs an edition sent by the
Sở, after showing who signed it (or the verification code to compare by telephone) and what
changes for this agency; at the Sở, Tệp → "Ghi danh mục ra bảng tính" and "Lập lần ban hành danh
mục" write the catalogue as a workbook and build a new edition from it, signed with the Sở's
certificate (the "Ký số" dialog) or not.

Every question and file choice here is one row of a table (:data:`QUESTIONS`, :data:`FILES`) read
by one builder each: the boxes differ only in their words and buttons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..core.catalog import Catalog
from ..core.file_names import catalogue_stem
from ..services.editions import EditionRefused, InstallPreview, install, preview_install, read_edition_path
from ..services.reporting import App
from .messages import _box, _localize, show_error, show_info
from .signing_dialog import Signed, SigningDialog

TITLE = "Cập nhật danh mục"
BUILD_TITLE = "Lập lần ban hành danh mục"
SIGN_TITLE = "Ký số tệp danh mục"
WORKBOOK_TITLE = "Ghi danh mục ra bảng tính"

# Answers of the build question.
SIGN, PLAIN = "sign", "plain"


@dataclass(frozen=True)
class Question:
    """A question box: its title and buttons (label, answer; the first is the default, the last
    is what Esc and closing the box answer)."""

    title: str
    buttons: tuple[tuple[str, str | None], ...]


QUESTIONS = {
    "install": Question(TITLE, (("Cài đặt", "yes"), ("Không", None))),
    "build": Question(
        BUILD_TITLE, (("Ký số và ghi tệp...", SIGN), ("Ghi tệp chưa ký...", PLAIN), ("Không", None))
    ),
}


def file_stem(catalog: Catalog) -> str:
    """``DanhMuc_SVHTTDL_lan2``: the Sở's abbreviation on the edition's day of issue, the edition."""
    issued = dt.date.fromisoformat(catalog.edition.issued)
    return catalogue_stem(catalog.consolidator().period_on(issued).abbreviation, catalog.edition.number)


def ask(parent: QWidget | None, which: str, text: str, details: str) -> str | None:
    """Ask question ``which`` of :data:`QUESTIONS`; the answer of the button pressed."""
    q = QUESTIONS[which]
    box = _box(parent, QMessageBox.Icon.Question, q.title, text, details)
    _localize(box)  # the "Chi tiết..." button; added before ours, which keep their own words
    answers = {}
    for n, (label, answer) in enumerate(q.buttons):
        last = n == len(q.buttons) - 1
        role = QMessageBox.ButtonRole.RejectRole if last else QMessageBox.ButtonRole.AcceptRole
        button = box.addButton(label, role)
        answers[id(button)] = answer
        if n == 0:
            box.setDefaultButton(button)
        if last:
            box.setEscapeButton(button)
    box.exec()
    clicked = box.clickedButton()
    return answers.get(id(clicked)) if clicked is not None else None


@dataclass(frozen=True)
class FileChoice:
    save: bool
    caption: str
    pattern: str


FILES = {
    "edition_in": FileChoice(False, "Chọn tệp danh mục do Sở gửi", "Tệp danh mục KDX (*.kdxdm)"),
    "workbook_out": FileChoice(True, WORKBOOK_TITLE, "Bảng tính (*.xlsx)"),
    "workbook_in": FileChoice(False, "Chọn bảng tính danh mục đã sửa", "Bảng tính (*.xlsx)"),
    "edition_out": FileChoice(True, "Ghi tệp danh mục", "Tệp danh mục KDX (*.kdxdm)"),
    "edition_to_sign": FileChoice(False, "Chọn tệp danh mục chưa ký số", "Tệp danh mục KDX (*.kdxdm)"),
}


def pick(parent: QWidget, which: str, suggested: str = "") -> Path | None:
    """The file chosen for ``which`` of :data:`FILES` (None: cancelled)."""
    f = FILES[which]
    dialog = QFileDialog.getSaveFileName if f.save else QFileDialog.getOpenFileName
    name, _ = dialog(parent, f.caption, suggested, f.pattern)
    return Path(name) if name else None


# -- at an agency (and at the Sở): install an edition ----------------------------------------


def confirm_install(parent: QWidget | None, preview: InstallPreview) -> bool:
    """The preview (edition, signature or verification code, changes) with "Cài đặt" / "Không"."""
    text = "\n".join(preview.head()) + (
        f"\n\n{len(preview.changes)} thay đổi liên quan đến đơn vị này (bấm “Chi tiết...” để xem). "
        "Cài đặt lần ban hành này?"
    )
    details = "\n".join(preview.lines()[len(preview.head()) :])
    return ask(parent, "install", text, details) == "yes"


def update_catalog(
    parent: QWidget,
    app: App,
    path: Path | None = None,
    *,
    confirm: Callable[[QWidget | None, InstallPreview], bool] = confirm_install,
) -> bool:
    """Choose an edition file, verify it, show the changes, install it. True when installed."""
    path = path or pick(parent, "edition_in")
    if path is None:
        return False
    label = f"Tệp “{path.name}”"
    try:
        preview = preview_install(app, read_edition_path(path), label)
        if not confirm(parent, preview):
            return False
        preview = install(app, read_edition_path(path), label)
    except EditionRefused as exc:
        show_error(parent, TITLE, str(exc))
        return False
    signed = "" if preview.signature is None else " (đã kiểm tra chữ ký số của Sở)"
    show_info(parent, TITLE, f"Đã cài đặt {preview.catalog.edition.label}{signed}.")
    return True


# -- at the Sở: the catalogue as a workbook, and a new edition built from it -------------------


def export_catalog_workbook(parent: QWidget, app: App, path: Path | None = None) -> bool:
    """Tệp → "Ghi danh mục ra bảng tính...": the catalogue in force as a workbook to edit."""
    from ..fsutil import atomic_write_bytes, describe_os_error
    from ..services.catalog_workbook import export_workbook

    path = path or pick(parent, "workbook_out", f"{file_stem(app.catalog)}.xlsx")
    if path is None:
        return False
    try:
        atomic_write_bytes(path, export_workbook(app.catalog))
    except OSError as exc:
        show_error(parent, WORKBOOK_TITLE, describe_os_error(exc, path))
        return False
    show_info(parent, WORKBOOK_TITLE, f"Đã ghi {app.catalog.edition.label} ra “{path.name}”.")
    return True


def confirm_build(parent: QWidget | None, summary: str, changes: list[str]) -> str | None:
    """The differences, with "Ký số và ghi tệp..." / "Ghi tệp chưa ký..." / "Không"."""
    return ask(parent, "build", summary, "\n".join(f"• {c}" for c in changes))


SignWith = Callable[[QWidget, Path, Callable[[Any], Signed]], Signed | None]


def sign_in_dialog(parent: QWidget, out: Path, action: Callable[[Any], Signed]) -> Signed | None:
    """The "Ký số" dialog (token or .p12, PIN) running ``action(signer)``; what it signed or None."""
    from PySide6.QtWidgets import QDialog

    intro = (
        f"Ký số tệp danh mục “{out.name}” bằng chứng thư số của Sở. Các đơn vị kiểm tra chữ ký này khi "
        "cài đặt: chứng thư phải cấp cho Sở."
    )
    dialog = SigningDialog(out, parent, action=action, intro=intro)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.result_
    finally:
        dialog.deleteLater()


def build_catalog_edition(
    parent: QWidget,
    app: App,
    workbook: Path | None = None,
    out: Path | None = None,
    *,
    confirm: Callable[[QWidget | None, str, list[str]], str | None] = confirm_build,
    sign_with: SignWith = sign_in_dialog,
) -> bool:
    """Tệp → "Lập lần ban hành danh mục...": check the edited workbook (a wrong cell is named by
    sheet, row and column), show the differences from the edition in force, then write the file,
    signed with the Sở's certificate when the officer chooses to (recommended: agencies check it)."""
    from ..fsutil import atomic_write_bytes, describe_os_error, read_file_at_most
    from ..package.canonical import verification_code
    from ..services.catalog_workbook import WorkbookProblem, build_from_workbook, read_workbook_path
    from ..services.editions import edition_file, signable_edition, signature_expected
    from ..signing import SigningError

    workbook = workbook or pick(parent, "workbook_in")
    if workbook is None:
        return False
    try:
        built = build_from_workbook(read_workbook_path(workbook, read_file_at_most), app.catalog)
    except WorkbookProblem as exc:
        show_error(parent, BUILD_TITLE, str(exc))
        return False
    new = built.catalog
    summary = (
        f"{new.edition.label}; nơi ban hành: {new.edition.issuer}.\n"
        f"{len(built.changes)} thay đổi so với {app.catalog.edition.label} (bấm “Chi tiết...” để xem).\n\n"
        "Ký số tệp bằng chứng thư số của Sở để các đơn vị kiểm tra được tệp do Sở ban hành; tệp chưa ký "
        "thì các đơn vị phải gọi điện đối chiếu mã xác thực."
    )
    how = confirm(parent, summary, built.changes)
    if how is None:
        return False
    raw = edition_file(new)
    expected = signature_expected(app)
    if how == PLAIN and expected:
        show_error(
            parent,
            BUILD_TITLE,
            f"Không ghi tệp chưa ký số: {expected}, nên các đơn vị sẽ từ chối tệp chưa ký. Hãy chọn “Ký số và "
            "ghi tệp...”.",
        )
        return False
    if how == SIGN:
        try:
            signable_edition(raw, app.catalog)  # before the PIN: would agencies accept it at all?
        except SigningError as exc:
            show_error(parent, BUILD_TITLE, exc.message)
            return False
    out = out or pick(parent, "edition_out", f"{file_stem(new)}.kdxdm")
    if out is None:
        return False
    code = verification_code(new.sha256)
    if how == PLAIN:
        try:
            atomic_write_bytes(out, raw)
        except OSError as exc:
            show_error(parent, BUILD_TITLE, describe_os_error(exc, out))
            return False
        show_info(
            parent,
            BUILD_TITLE,
            f"Đã ghi “{out.name}” (chưa ký số). Mã xác thực: {code}. In mã này trong công văn gửi các đơn vị "
            "để họ đối chiếu; cài lần ban hành này trên máy của Sở bằng Tệp → Cập nhật danh mục.",
        )
        return True

    return _sign_and_write(parent, app, raw, out, BUILD_TITLE, sign_with)


def _sign_and_write(
    parent: QWidget, app: App, raw: bytes, out: Path, title: str, sign_with: SignWith
) -> bool:
    """Sign the edition file ``raw`` in the Ký số dialog and write it to ``out``; say so."""
    from ..fsutil import atomic_write_bytes, describe_os_error
    from ..package.canonical import verification_code
    from ..services.editions import sign_edition

    code = ""

    def sign_and_write(signer: Any) -> Signed:
        from ..core.vntime import vn_datetime
        from ..fsutil import OutputError

        nonlocal code
        signed = sign_edition(raw, signer, app.catalog)
        try:
            atomic_write_bytes(out, signed.file)
        except OSError as exc:
            raise OutputError(describe_os_error(exc, out)) from None
        sig, code = signed.signature, verification_code(signed.catalog.sha256)
        who = f"{sig.signer} ({sig.organisation})" if sig.organisation else sig.signer
        return Signed([out], who, vn_datetime(sig.signed_at))

    done = sign_with(parent, out, sign_and_write)
    if done is None:
        return False
    show_info(
        parent,
        title,
        f"Đã ghi “{out.name}”, ký số bởi {done.signer}, lúc {done.when} (giờ Việt Nam). Mã xác thực: {code}.\n\n"
        "Gửi tệp này cho các đơn vị: KDX của họ kiểm tra chữ ký số khi cài đặt (máy cần có chứng thư gốc "
        "của nhà cung cấp chữ ký số của Sở: Tệp → Chứng thư số tin cậy). Cài lần ban hành này trên máy của "
        "Sở bằng Tệp → Cập nhật danh mục.",
    )
    return True


def sign_catalog_edition(
    parent: QWidget, app: App, path: Path | None = None, *, sign_with: SignWith = sign_in_dialog
) -> bool:
    """Tệp → "Ký số tệp danh mục...": sign an edition file built unsigned (the file is rewritten
    with the signature, atomically; its catalogue is unchanged)."""
    from ..services.editions import signable_edition
    from ..signing import SigningError

    path = path or pick(parent, "edition_to_sign")
    if path is None:
        return False
    try:
        raw = read_edition_path(path)
        signable_edition(raw, app.catalog)  # before the PIN is asked for
    except (EditionRefused, SigningError) as exc:
        show_error(parent, SIGN_TITLE, exc.message)
        return False
    return _sign_and_write(parent, app, raw, path, SIGN_TITLE, sign_with)
