"""Chasing the agencies: the status board printed (PDF) and as a workbook, and a reminder for
each agency that has not reported or must correct its report, as a mail draft (``.eml``) and as
a short letter (công văn) in the administrative format.

reportlab and openpyxl are imported inside the functions (they are not needed to start).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.file_names import reminder_stem
from ..core.vntime import vn_date
from ..signing.labels import signature_cell
from .status import Board, StatusRow

if TYPE_CHECKING:
    from ..core.report import Identity

BOARD_HEADERS = (
    "Cơ quan",
    "Đã nhận",
    "Lần gửi",
    "Mã xác thực",
    "Ngày lập",
    "Thời hạn",
    "Cảnh báo",
    "Đối chiếu bản giấy",
    "Chữ ký số",
    "Góp ý của Sở",
    "Lý do gửi lại",
    "Ghi chú",
)


REVIEW_COLUMN = BOARD_HEADERS.index("Góp ý của Sở")


def vn_day(iso: str | None) -> str:
    """The day of ``iso`` in Vietnam time, whatever the writer's zone (``27/11/2026``)."""
    return vn_date(iso)


def board_cells(r: StatusRow) -> list[str]:
    """The texts of one board row, the same on screen, in print and in the workbook."""
    if not r.received:
        note = "" if r.expected else "Không thuộc diện phải báo cáo"
        return [r.name, "Chưa nhận", "", "", "", r.lateness, "", "", "", "", "", note]
    paper = (
        f"Đã đối chiếu ({r.paper_checked_by}, {vn_day(r.paper_checked_at)})" if r.paper_checked else "Chưa"
    )
    note = (
        f"Xung đột: {r.conflict_note}"
        if r.conflict
        else ("" if r.expected else "Không thuộc diện phải báo cáo")
    )
    arrived = dt.date.fromisoformat(r.arrived_on).strftime("%d/%m/%Y") if r.arrived_on else ""
    return [
        r.name,
        f"Đã nhận {arrived}".strip(),  # the day it reached the Sở: on time or late is judged on it
        str(r.revision),
        r.verification_code or "",
        vn_day(r.first_created_at),  # the agency PC's clock, in Vietnam time: shown, decides nothing
        r.lateness,
        str(r.warnings),
        paper,
        signature_cell(r.signature, r.signature_policy),
        r.review,
        r.reopen_reason or "",
        note,
    ]


def summary_text(b: Board) -> str:
    s = b.summary()
    text = (
        f"Hạn gửi {b.deadline_text}: đã nhận {s['received']}/{s['expected']}, "
        f"{s['on_time']} đúng hạn, {s['late']} trễ hạn, {s['missing']} chưa gửi"
    )
    if s["overdue"]:
        text += f" ({s['overdue']} đã quá hạn)"
    text += f", {s['paper_checked']} đã đối chiếu bản giấy, {s['signed_trusted']} có chữ ký số tin cậy"
    if s["awaiting_signature"]:
        text += f", {s['awaiting_signature']} chưa ký số (chưa tính là đã nộp)"
    if s["under_correction"]:
        text += f", {s['under_correction']} đang sửa theo góp ý"
    return text + "."


def _title(b: Board) -> str:
    return f"Tình hình nhận báo cáo kết quả chuyển đổi số báo chí năm {b.year}"


def render_board_xlsx(b: Board, ident: Identity, *, today: dt.date) -> bytes:
    """The board as a workbook (one sheet, the columns of the screen, numbers as numbers)."""
    from openpyxl import Workbook

    from ..documents.xlsx_layout import Sheet, register_styles, safe_text

    wb = Workbook()
    wb.remove(wb.active)
    register_styles(wb)
    sh = Sheet(wb, "Tình hình nhận", [34, 11, 8, 18, 12, 22, 9, 24, 22, 26, 34, 26, 10])
    sh.title(
        [
            (f"{ident.name} - {_title(b)}", "bold"),
            (f"{summary_text(b)} Lập ngày {today.strftime('%d/%m/%Y')}.", "italic"),
        ]
    )
    sh.header([*BOARD_HEADERS, "Số ngày trễ"])
    for r in b.rows:
        cells: list[Any] = board_cells(r)
        cells[2] = r.revision if r.revision is not None else None
        cells[6] = r.warnings if r.received else None
        sh.add([*cells, r.days_late if (r.overdue or (r.received and not r.on_time)) else None])
    sh.print_setup(landscape=True)
    wb.properties.creator = "KDX"
    wb.properties.title = safe_text(_title(b))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render_board_pdf(b: Board, ident: Identity, *, today: dt.date, invariant: bool = False) -> bytes:
    """The board printed on A4: title, summary, then the table (the columns an officer reads)."""
    from reportlab.platypus import Paragraph, Spacer

    from ..documents.fonts import register_fonts
    from ..documents.pdf_layout import Footer, build_pdf, esc, grid, make_styles, upper

    st = make_styles(register_fonts())
    keep = (0, 2, 4, 5, 7, 9, 10)  # name, revision, date, timeliness, paper, review, reason
    head = [Paragraph(esc(BOARD_HEADERS[i]), st.cell_head) for i in keep]
    rows: list[list[Any]] = [head]
    for r in b.rows:
        cells = board_cells(r)
        rows.append([Paragraph(esc(cells[i]), st.cell if i in (0, 7, 9, 10) else st.cell_c) for i in keep])
    story = [
        Paragraph(esc(upper(ident.name)), st.para("who", 13, bold=True)),
        Spacer(1, 8),
        Paragraph(esc(upper(_title(b))), st.para("t", 14, bold=True, leading=18)),
        Paragraph(
            esc(f"(Lập ngày {today.strftime('%d/%m/%Y')})"), st.para("d", 12, italic=True, spaceAfter=8)
        ),
        Paragraph(esc(summary_text(b)), st.body),
        grid(rows, [30, 7, 16, 19, 17, 24, 26], st, middle_cols=(1, 2, 3)),
    ]
    missing = [r.name for r in b.rows if r.needs_reminder]
    if missing:
        story.append(Spacer(1, 6))
        story.append(Paragraph(esc("Cần đôn đốc: " + "; ".join(missing) + "."), st.body))
    footer = Footer(f"{ident.name} · {_title(b)} · lập ngày {today.strftime('%d/%m/%Y')}")
    return build_pdf(
        story, st, footer, title=_title(b), author=ident.name, subject=_title(b), invariant=invariant
    )


# -- reminders -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """What the Sở asks of one agency: to send its report (overdue or not yet), or to correct it."""

    row: StatusRow
    year: int
    deadline: dt.date
    to_address: str
    correction: bool

    @property
    def subject(self) -> str:
        if self.correction:
            return f"Đề nghị hoàn thiện báo cáo kết quả chuyển đổi số báo chí năm {self.year} theo góp ý"
        return f"Đôn đốc gửi báo cáo kết quả chuyển đổi số báo chí năm {self.year}"

    def paragraphs(self, sender: str) -> list[str]:
        r, y = self.row, self.year
        deadline = self.deadline.strftime("%d/%m/%Y")
        if self.correction:
            return [
                f"Ngày {vn_day(r.received_at)}, {sender} đã nhận Báo cáo kết quả thực hiện Kế hoạch chuyển đổi số và "
                f"phát triển báo chí năm {y} của {r.name} (lần gửi {r.revision}, mã xác thực {r.verification_code}). "
                f"Sau khi xem xét, {sender} đã gửi góp ý ({r.review}).",
                f"Đề nghị {r.name} hoàn thiện báo cáo theo các ý kiến góp ý (nhập tệp góp ý vào KDX, sửa số liệu "
                "hoặc trả lời từng ý kiến) và gửi lại gói báo cáo cùng bản giấy có chữ ký trong thời gian sớm nhất.",
            ]
        late = (
            f"Đến nay đã quá hạn {r.days_late} ngày (hạn gửi trước ngày {deadline}) nhưng {sender} chưa nhận được báo cáo "
            f"của {r.name}."
            if r.overdue
            else f"Hạn gửi báo cáo là trước ngày {deadline}; đến nay {sender} chưa nhận được báo cáo của {r.name}."
        )
        return [
            f"Thực hiện Kế hoạch chuyển đổi số và phát triển báo chí, các cơ quan báo chí gửi Báo cáo kết quả thực "
            f"hiện năm {y} về {sender} trước ngày {deadline}. {late}",
            f"Đề nghị {r.name} khẩn trương hoàn thành báo cáo trên phần mềm KDX, gửi gói báo cáo (tệp .zip) qua thư "
            "điện tử và gửi bản giấy có chữ ký, đóng dấu về Sở.",
        ]


def reminders(b: Board, addresses: dict[str, str]) -> list[Reminder]:
    """One reminder per agency that needs one (see :attr:`StatusRow.needs_reminder`)."""
    return [
        Reminder(r, b.year, b.deadline, addresses.get(r.org_code, ""), r.received and r.under_correction)
        for r in b.rows
        if r.needs_reminder
    ]


def reminder_eml(rem: Reminder, ident: Identity, *, when: dt.datetime | None = None) -> bytes:
    """The reminder as a mail draft from the Sở's mailbox (the catalogue's contact), no attachment."""
    from email.header import Header
    from email.mime.text import MIMEText
    from email.policy import compat32
    from email.utils import format_datetime, formataddr, make_msgid

    body = "\n\n".join(
        [f"Kính gửi: {rem.row.name},", *rem.paragraphs(ident.name), f"Trân trọng.\n{ident.name}"]
    )
    msg = MIMEText(body + "\n", "plain", "utf-8")
    if rem.to_address:
        msg["To"] = formataddr((str(Header(rem.row.name, "utf-8")), rem.to_address))
    if ident.email:
        msg["From"] = formataddr((str(Header(ident.name, "utf-8")), ident.email))
    # compat32 with an explicit Header, as the agency's mail (export/eml.py): the modern policy
    # drops spaces between encoded words of a long Vietnamese subject.
    msg["Subject"] = Header(rem.subject, "utf-8")  # type: ignore[assignment]
    msg["Date"] = format_datetime(when or dt.datetime.now().astimezone())
    msg["Message-ID"] = make_msgid(domain="kdx.local")
    msg["X-Unsent"] = "1"  # Outlook opens it as a draft to send
    return msg.as_bytes(policy=compat32.clone(linesep="\r\n"))


def render_reminder_pdf(rem: Reminder, ident: Identity, *, issued: dt.date, invariant: bool = False) -> bytes:
    """The reminder as a one-page official letter (công văn) of the Sở, Decree 30 layout."""
    from reportlab.platypus import Paragraph, Spacer

    from ..documents.fonts import register_fonts
    from ..documents.pdf_layout import Footer, Issuer, build_pdf, esc, header, make_styles, signature_block

    st = make_styles(register_fonts())
    issuer = Issuer.from_identity(ident)
    story: list[Any] = [
        *header(issuer, st, issued=issued, subject=rem.subject),
        Spacer(1, 18),
        Paragraph("Kính gửi: " + esc(rem.row.name), st.para("kg", 14, spaceAfter=12)),
    ]
    story += [Paragraph(esc(p), st.body) for p in rem.paragraphs(ident.name)]
    story.append(Paragraph(esc(f"{ident.name} đề nghị {rem.row.name} quan tâm thực hiện") + "./.", st.body))
    story += signature_block(Issuer(**{**issuer.__dict__, "recipients_cc": ""}), st)
    footer = Footer(f"{ident.name} · {rem.subject} · {rem.row.abbreviation or rem.row.name}")
    return build_pdf(
        story, st, footer, title=rem.subject, author=ident.name, subject=rem.subject, invariant=invariant
    )


def reminder_file_stem(rem: Reminder) -> str:
    """``DonDoc_BQN_2025`` / ``SuaBaoCao_BQN_2025`` (an older KDX: ``KDX_DonDoc_BKT_2025``)."""
    return reminder_stem(rem.row.abbreviation or rem.row.org_code, rem.year, correction=rem.correction)


__all__ = [
    "BOARD_HEADERS",
    "Reminder",
    "board_cells",
    "reminder_eml",
    "reminder_file_stem",
    "reminders",
    "render_board_pdf",
    "render_board_xlsx",
    "render_reminder_pdf",
    "summary_text",
]
