"""Realistic sample data: the three agencies for 2023-2025 (valid, warnings justified), the Sở's
province-level facts, and a half-filled draft for the current year."""

from __future__ import annotations

from typing import Any

from ..core.rules import WARNING
from ..core.values import justification_key
from ..core.vntime import today_in_vietnam
from .reporting import App, load_state, set_values

YEARS = (2023, 2024, 2025)

# Per agency: element -> (2023, 2024, 2025). "NA" marks not applicable.
AGENCY_DATA: dict[str, dict[str, tuple[Any, Any, Any]]] = {
    "BKT": {
        "staff_total": (62, 60, 58),
        "staff_trained": (40, 52, 58),
        "print_copies_city": (410000, 380000, 350000),
        "print_copies_rural": (190000, 210000, 225000),
        "ip_city": (1200000, 1350000, 1500000),
        "ip_rural": (560000, 720000, 950000),
        "items_essential": (4650, 5380, 6500),
        "items_positive": (1960, 2760, 4150),
        "digital_platforms": ("có", "có", "có"),
        "digital_platforms_list": ("Zalo OA\nYouTube\nFacebook",) * 2
        + ("Zalo OA\nYouTube\nFacebook\nTikTok",),
        "digital_platforms_domestic": ("có", "có", "có"),
        "ai_platform": ("không", "có", "có"),
        "ai_platform_name": (
            "",
            "Nền tảng phân tích dữ liệu báo chí của tỉnh",
            "Nền tảng phân tích dữ liệu báo chí của tỉnh",
        ),
        "security_level": (2, 3, 3),
        "security_decision": (
            "Quyết định số 86/QĐ-STTTT ngày 12/5/2021",
            "Quyết định số 125/QĐ-STTTT ngày 15/6/2024",
            "Quyết định số 125/QĐ-STTTT ngày 15/6/2024",
        ),
        "converged_status": ("converting", "completed", "completed"),
        "converged_year": ("", 2024, 2024),
        "autonomy_group": ("3", "2", "2"),
        "autonomy_decision": (
            "Quyết định số 412/QĐ-UBND ngày 20/7/2022",
            "Quyết định số 235/QĐ-UBND ngày 08/4/2024",
            "Quyết định số 235/QĐ-UBND ngày 08/4/2024",
        ),
        "state_ordered": ("có", "có", "có"),
        "revenue": ("10500", "12800", "15.600,5"),
        "paid_content": ("không", "không", "có"),
        "paid_content_since": ("", "", 2025),
    },
    "PTTH": {
        "staff_total": (145, 142, 140),
        "staff_trained": (70, 110, 140),
        "print_copies_city": ("NA", "NA", "NA"),
        "print_copies_rural": ("NA", "NA", "NA"),
        "ip_city": (900000, 1100000, 1300000),
        "ip_rural": (600000, 800000, 1050000),
        "items_essential": (8500, 9900, 11900),
        "items_positive": (3850, 5400, 8150),
        "digital_platforms": ("có", "có", "có"),
        "digital_platforms_list": ("YouTube\nFacebook\nZalo\nMyTV",) * 2
        + ("YouTube\nFacebook\nZalo\nMyTV\nVTVgo",),
        "digital_platforms_domestic": ("có", "có", "có"),
        "ai_platform": ("không", "không", "có"),
        "ai_platform_name": ("", "", "Hệ thống phân tích khán giả số"),
        "security_level": (3, 3, 3),
        "security_decision": ("Quyết định số 54/QĐ-STTTT ngày 02/3/2022",) * 3,
        "converged_status": ("not_started", "converting", "completed"),
        "converged_year": ("", "", 2025),
        "autonomy_group": ("4", "3", "2"),
        "autonomy_decision": (
            "",
            "Quyết định số 301/QĐ-UBND ngày 15/5/2024",
            "Quyết định số 188/QĐ-UBND ngày 10/3/2025",
        ),
        "state_ordered": ("có", "có", "có"),
        "revenue": ("22500", "24800", "30100"),
        "paid_content": ("không", "không", "không"),
        "paid_content_since": ("", "", ""),
    },
    "TCVN": {
        "staff_total": (12, 12, 11),
        "staff_trained": (5, 9, 11),
        "print_copies_city": (9000, 8400, 7800),
        "print_copies_rural": (3000, 3600, 4200),
        "ip_city": (45000, 60000, 80000),
        "ip_rural": (15000, 25000, 38000),
        "items_essential": (330, 365, 420),
        "items_positive": (310, 420, 560),
        "digital_platforms": ("không", "có", "có"),
        "digital_platforms_list": ("", "Facebook\nZalo", "Facebook\nZalo"),
        "digital_platforms_domestic": ("", "có", "có"),
        "ai_platform": ("không", "không", "không"),
        "converged_status": ("not_started", "not_started", "converting"),
        "autonomy_group": ("4", "4", "3"),
        "state_ordered": ("có", "có", "có"),
        "revenue": ("950", "1020", "1100"),
        "paid_content": ("không", "không", "không"),
        "relicensed": ("có", "có", "có"),
    },
}

# Counts of 2022, entered once in the 2023 report (there is no 2022 report in KDX).
PREV_2022 = {
    "BKT": {"items_essential_prev": 4200, "items_positive_prev": 1500, "revenue_prev": "9800"},
    "PTTH": {"items_essential_prev": 7800, "items_positive_prev": 3000, "revenue_prev": "21000"},
    "TCVN": {"items_essential_prev": 310, "items_positive_prev": 250, "revenue_prev": "900"},
}

DEPARTMENT_DATA = {
    "remote_people_reached": (152000, 171000, 187000),
    "remote_population": (185000, 186000, 187000),
    "merged_model": ("không", "không", "có"),
}

TASK_TEXT = {
    "T1": (
        "Ban hành Kế hoạch phát triển sản phẩm báo chí số năm {year}; ra mắt chuyên trang đa phương tiện.",
        "Kế hoạch số {n}/KH-{abbr}",
    ),
    "T4": (
        "Rà soát, lập danh mục nền tảng số đang ứng dụng trong sản xuất và phân phối nội dung.",
        "Danh mục số {n}/DM-{abbr}",
    ),
    "T5b": (
        "Triển khai các nội dung quy hoạch lĩnh vực báo chí theo Quyết định số 1425/QĐ-UBND.",
        "Kế hoạch số {n}/KH-{abbr}",
    ),
    "T6": (
        "Rà soát hiệu lực giấy phép hoạt động, chuyên trang, ấn phẩm; không có giấy phép hết hiệu lực.",
        "Giấy phép số {n}/GP-BTTTT",
    ),
    "T2": (
        "Tổ chức lớp tập huấn chuyển đổi số báo chí cho lãnh đạo, phóng viên các cơ quan báo chí tỉnh.",
        "Kế hoạch số {n}/KH-{abbr}",
    ),
    "T3": (
        "Chờ hướng dẫn của Bộ; đã phổ biến Sổ tay chuyển đổi số báo chí đến các cơ quan báo chí.",
        "Công văn số {n}/{abbr}-TTBCXB",
    ),
    "T5a": ("Hoàn thành báo cáo sơ kết 3 năm thực hiện Quy hoạch.", "Báo cáo số {n}/BC-{abbr}"),
    "T7": (
        "Kiểm tra hoạt động báo chí tại các cơ quan báo chí tỉnh; không phát hiện vi phạm nghiêm trọng.",
        "Kết luận số {n}/KL-{abbr}",
    ),
    "T8": (
        "Tham mưu Đề án sắp xếp, hợp nhất cơ quan báo chí, truyền thông tỉnh.",
        "Quyết định số {n}/QĐ-UBND",
    ),
}

NARRATIVE = {
    "results": "Năm {year}, {name} đã triển khai đồng bộ các nhiệm vụ chuyển đổi số báo chí theo Kế hoạch: "
    "tăng số lượng tin, bài phục vụ nhiệm vụ chính trị, mở rộng phân phối nội dung trên các nền tảng số, "
    "đào tạo, bồi dưỡng kỹ năng số cho đội ngũ phóng viên, biên tập viên.",
    "difficulties": "Kinh phí đầu tư hạ tầng công nghệ còn hạn chế; đội ngũ kỹ thuật mỏng; "
    "nguồn thu từ quảng cáo trên nền tảng số còn thấp; hạ tầng viễn thông ở vùng sâu, vùng xa chưa đồng bộ.",
    "proposals": "Đề nghị Ủy ban nhân dân tỉnh tăng kinh phí đặt hàng thông tin thiết yếu; "
    "đề nghị Sở hướng dẫn sử dụng nền tảng dùng chung cho các cơ quan báo chí.",
}

JUSTIFICATIONS = {
    "W02": "Nguyên nhân chưa đạt: kinh phí đầu tư hạn chế và lộ trình chuyển đổi kéo dài sang năm sau; "
    "đơn vị đã có kế hoạch khắc phục.",
    "W01": "Số liệu đã được kiểm tra lại: năm nay đơn vị mở thêm chuyên mục và tăng thời lượng phát sóng.",
    "W03": "Biến động do sắp xếp lại tổ chức bộ máy và thay đổi nguồn thu trong năm; số liệu đã được đối chiếu.",
    "R07": "Đơn vị đã liệt kê nền tảng trong phần thuyết minh.",
}


# Fictional signers, so that the demo reports print a complete signature block.
SIGNERS = {
    "BKT": "Nguyễn Văn Hùng",
    "PTTH": "Trần Thị Mai",
    "TCVN": "Lê Quang Vinh",
    "STTTT": "Phạm Minh Đức",
}


def _s(v: Any) -> str:
    return "" if v is None else str(v)


def fill_demo(app: App, *, current_year: int | None = None) -> int:
    """Write the sample data. Existing reports that are locked are left alone. Returns the count."""
    cat = app.catalog
    made = 0
    this_year = current_year or today_in_vietnam().year
    for org_code, data in AGENCY_DATA.items():
        org = cat.org(org_code)
        for idx, year in enumerate(YEARS):
            if _locked(app, org_code, year):
                continue
            raw = {
                k: _s(v[idx]) for k, v in data.items() if k in {e.code for e in cat.elements_for(org.kind)}
            }
            if year == YEARS[0]:
                raw.update({k: _s(v) for k, v in PREV_2022[org_code].items()})
            raw.update(_tasks_and_narrative(app, org_code, year))
            set_values(app, org_code, year, raw, action="demo", reason="Dữ liệu mẫu")
            _justify(app, org_code, year)
            made += 1
        if this_year not in YEARS and this_year in cat.years() and not _locked(app, org_code, this_year):
            # A draft in progress: a few sections filled, the rest still to do.
            last = {k: _s(v[-1]) for k, v in data.items()}
            keep = (
                "staff_total",
                "staff_trained",
                "digital_platforms",
                "digital_platforms_list",
                "ai_platform",
            )
            draft = {k: last[k] for k in keep if k in last}
            if "staff_trained" in draft and "staff_total" in draft:
                draft["staff_trained"] = draft["staff_total"]
            set_values(app, org_code, this_year, draft, action="demo", reason="Dữ liệu mẫu")
            made += 1
    dept = cat.consolidator()
    for idx, year in enumerate(YEARS):
        if _locked(app, dept.code, year):
            continue
        raw = {k: _s(v[idx]) for k, v in DEPARTMENT_DATA.items()}
        raw.update(_tasks_and_narrative(app, dept.code, year))
        set_values(app, dept.code, year, raw, action="demo", reason="Dữ liệu mẫu")
        _justify(app, dept.code, year)
        made += 1
    for org_code, signer in SIGNERS.items():
        if app.store.profile(org_code, YEARS[0]) is None:
            # Only the signer's name: the other (empty) fields keep the catalogue's names,
            # which change in 2025.
            app.store.save_profile(org_code, YEARS[0], {"signer_name": signer}, user="demo")
    if app.store.setting("this_org") is None:
        app.store.set_setting("this_org", dept.code)
    return made


def _locked(app: App, org: str, year: int) -> bool:
    rep = app.store.find_report(org, year)
    return rep is not None and rep.locked


def _tasks_and_narrative(app: App, org_code: str, year: int) -> dict[str, str]:
    cat = app.catalog
    org = cat.org(org_code)
    abbr = org.period(year).abbreviation
    out: dict[str, str] = {}
    for i, task in enumerate(cat.tasks_led_by(org.kind, year)):
        did, product = TASK_TEXT.get(task.code, ("Đã triển khai theo kế hoạch.", "Văn bản số {n}/{abbr}"))
        done = year < 2025 or i % 2 == 0
        out[f"task.{task.code}.status"] = "done" if done else "in_progress"
        out[f"task.{task.code}.done"] = did.format(year=year)
        out[f"task.{task.code}.product_number"] = product.format(n=30 + 7 * i + year % 100, abbr=abbr)
        out[f"task.{task.code}.product_date"] = f"{10 + i:02d}/0{3 + i % 6}/{year}"
    for code, text in NARRATIVE.items():
        out[f"narrative.{code}"] = text.format(year=year, name=org.name(year))
    return out


def _justify(app: App, org_code: str, year: int) -> None:
    state = load_state(app, org_code, year)
    raw = {
        justification_key(i.rule, i.field): JUSTIFICATIONS.get(
            i.rule, "Đơn vị đã kiểm tra và xác nhận số liệu."
        )
        for i in state.issues
        if i.severity == WARNING and not i.justification
    }
    if raw:
        set_values(app, org_code, year, raw, action="demo", reason="Dữ liệu mẫu")
