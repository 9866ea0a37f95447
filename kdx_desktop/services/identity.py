"""Who issues a report: names, signer and recipients for a year (catalogue defaults + profile)."""

from __future__ import annotations

from ..core.catalog import Catalog
from ..core.report import Identity
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


def identity(catalog: Catalog, store: Store, org_code: str, year: int) -> Identity:
    """Catalogue names valid for ``year``, overridden by the organisation's saved profile."""
    org = catalog.org(org_code)
    p = org.period(year)
    dept = catalog.consolidator().period(year)
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
