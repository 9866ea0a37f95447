"""Who issues a report: names, signer and recipients for a year (catalogue defaults + profile)."""

from __future__ import annotations

import datetime as dt

from ..core.catalog import Catalog
from ..core.report import Identity
from ..core.vntime import today_in_vietnam
from ..store.repo import Store

PROFILE_FIELDS = (
    ("governing_body", "Cơ quan chủ quản"),
    ("name", "Tên cơ quan"),
    ("abbreviation", "Chữ viết tắt (số văn bản)"),
    ("place", "Địa danh"),
    ("signer_prefix", "Thẩm quyền ký (KT., TM., ...)"),
    ("signer_title", "Chức vụ người ký"),
    ("signer_name", "Họ và tên người ký"),
    ("recipient", "Kính gửi"),
    ("recipients_cc", "Nơi nhận khác (mỗi dòng một nơi)"),
    ("email", "Hộp thư nhận báo cáo của Sở"),
)


SIGNATURE_FIELDS = ("signer_title", "signer_name")


def missing_for_signature(ident: Identity) -> list[str]:
    """Keys of :data:`PROFILE_FIELDS` the signature block needs and ``ident`` lacks: a report is
    not issued with an empty signature block."""
    return [key for key in SIGNATURE_FIELDS if not str(getattr(ident, key)).strip()]


def missing_signature_lines(ident: Identity) -> list[str]:
    """One Vietnamese line per missing signature field, saying where to fill it in."""
    labels = dict(PROFILE_FIELDS)
    return [
        f"{labels[k]}: chưa nhập (Tệp → Cài đặt cơ quan, hoặc lệnh profile)"
        for k in missing_for_signature(ident)
    ]


def identity(catalog: Catalog, store: Store, org_code: str, year: int, on: dt.date | None = None) -> Identity:
    """Who issues a report about ``year`` on the day ``on`` (today in Vietnam by default).

    The issuing body, its governing body, place, signer and recipients are those in force on the
    day the document is issued: a 2024 report issued in 2026 comes from the bodies of 2026 (the
    subject year stays in the title and tables). The organisation's saved profile overrides them."""
    org = catalog.org(org_code)
    day = on or today_in_vietnam()
    p = org.period_on(day)
    dept = catalog.consolidator().period_on(day)
    base = {
        "governing_body": p.governing_body,
        "name": p.name,
        "abbreviation": p.abbreviation,
        "place": p.place,
        "signer_name": "",
        "signer_prefix": p.signer_prefix,
        "signer_title": p.signer_title,
        "recipient": p.recipient,
        "recipients_cc": "",
        "email": dept.email,
    }
    prof = store.profile(org_code, year)
    if prof:
        for key in base:
            if prof.get(key):
                base[key] = prof[key]
    return Identity(org_code=org_code, kind=org.kind, year=year, header_template=p.header_template, **base)


__all__ = ["PROFILE_FIELDS", "Identity", "identity"]
