"""A ready-to-send mail (``.eml``) with the package attached, addressed to the Sở's mailbox.

Outlook opens a message carrying ``X-Unsent: 1`` as an editable draft (Thunderbird opens
it with "Edit as new"), so the officer only checks it and presses Send. Stdlib only.
"""

from __future__ import annotations

import datetime as dt
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import format_datetime, make_msgid


def mail_subject(org_name: str, year: int, revision: int) -> str:
    return f"Báo cáo kết quả chuyển đổi số báo chí năm {year} - {org_name} (lần {revision})"


def mail_body(
    *,
    org_name: str,
    year: int,
    revision: int,
    verification_code: str,
    package: str,
    recipient: str,
    signer: str,
) -> str:
    again = "" if revision == 1 else f" Báo cáo này thay thế lần gửi trước (lần {revision - 1})."
    return (
        f"Kính gửi: {recipient or 'Sở'},\n\n"
        f"{org_name} xin gửi Báo cáo kết quả thực hiện Kế hoạch chuyển đổi số và phát triển báo chí "
        f"năm {year} (lần gửi {revision}).{again}\n\n"
        f"Tệp đính kèm: {package} (gói dữ liệu KDX gồm báo cáo PDF, bảng tính và dữ liệu).\n"
        f"Mã xác thực: {verification_code} (trùng với mã in ở chân mỗi trang của bản giấy đã ký).\n\n"
        "Trân trọng.\n" + (f"{signer}\n" if signer else "") + f"{org_name}\n"
    )


def build_eml(
    *,
    to: str,
    subject: str,
    body: str,
    attachment_name: str,
    attachment: bytes,
    sender: str = "",
    when: dt.datetime | None = None,
) -> bytes:
    """The message as bytes (CRLF line ends, UTF-8 headers encoded for any mail program)."""
    # Built with the compat32 classes and an explicit Header: the modern policy folds a long
    # UTF-8 subject into encoded words that drop the space between two of them (“sốbáo”).
    msg = MIMEMultipart()
    if to:
        msg["To"] = to
    if sender:
        msg["From"] = sender
    msg["Subject"] = Header(subject, "utf-8")  # type: ignore[assignment]
    msg["Date"] = format_datetime(when or dt.datetime.now().astimezone())
    msg["Message-ID"] = make_msgid(domain="kdx.local")
    msg["X-Unsent"] = "1"
    msg.attach(MIMEText(body, "plain", "utf-8"))
    part = MIMEApplication(attachment, "zip")
    part.add_header("Content-Disposition", "attachment", filename=attachment_name)
    msg.attach(part)
    return msg.as_bytes(policy=compat32.clone(linesep="\r\n"))
