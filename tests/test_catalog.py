"""The catalogue against the plan's own numbers, and the loader's refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kdx_desktop.core.catalog import Catalog, CatalogError
from kdx_desktop.core.catalog_loader import parse_catalog
from kdx_desktop.core.catalog_specs import SplitSpec
from kdx_desktop.core.compute import format_target
from kdx_desktop.paths import resource_path

# Phụ lục 1 of the plan: (source, 2023, 2024, 2025) as the plan prints them.
PLAN_PL1 = {
    "PL1-1": ("65%/35%", "62%/38%", "60%/40%"),
    "PL1-2": ("80%", "92%", "100%"),
    "PL1-3": ("10%", "15%", "20%"),
    "PL1-4": ("30%", "40%", "50%"),
    # 33 % and 67 % of the province's three agencies are the fractions 1/3 and 2/3.
    "PL1-5": ("0%", "1/3 cơ quan (33%)", "100%"),
    "PL1-6": ("0%", "1/3 cơ quan (33%)", "2/3 cơ quan (67%)"),
    "PL1-7": ("—", "—", "1"),
    "PL1-8": ("0 (0%)", "0 (0%)", "1 (33%)"),  # as the plan writes it
    "PL1-9": ("100%", "100%", "100%"),
}
# Section II goals: source -> (2025, 2030)
PLAN_II = {
    "II.1": ("70%", "100%"),
    "II.2": ("50%", "90%"),
    "II.3": ("100%", "—"),
    "II.4": ("2/3 cơ quan (67%)", "100%"),
    "II.5": ("30%", "50%"),
    "II.6": ("100%", "—"),
    "II.7": ("5-10%", "—"),
}
PL1_UNITS = {
    "PL1-2": "Số người dân tiếp cận ít nhất 1 loại hình báo chí thiết yếu/tổng số dân vùng",
    "PL1-9": "Số lượng Tạp chí cấp lại giấy phép/Tổng số Tạp chí",
}


def raw_catalog() -> dict:
    return json.loads(resource_path("catalog", "kdx-catalog.json").read_text("utf-8"))


def test_every_annex_indicator_has_the_plans_targets(catalog: Catalog) -> None:
    by_source = {i.source: i for i in catalog.indicators}
    for source, expected in PLAN_PL1.items():
        ind = by_source[source]
        assert tuple(format_target(ind, y) for y in (2023, 2024, 2025)) == expected, source
    assert sorted(s for s in by_source if s.startswith("PL1")) == sorted(PLAN_PL1)


def test_every_section_ii_goal_has_its_2025_and_2030_targets(catalog: Catalog) -> None:
    by_source = {i.source: i for i in catalog.indicators}
    for source, expected in PLAN_II.items():
        assert (format_target(by_source[source], 2025), format_target(by_source[source], 2030)) == expected


def test_units_of_measure_are_the_plans_wording(catalog: Catalog) -> None:
    by_source = {i.source: i for i in catalog.indicators}
    for source, unit in PL1_UNITS.items():
        assert by_source[source].measure == unit


def test_tasks_of_annex_2_with_task_5_in_two_parts(catalog: Catalog) -> None:
    codes = [t.code for t in catalog.tasks]
    assert codes == ["T1", "T2", "T3", "T4", "T5a", "T5b", "T6", "T7", "T8"]
    t5 = [t for t in catalog.tasks if t.no == "5"]
    assert {t.lead for t in t5} == {"department", "press"}
    t1 = catalog.tasks[0]
    assert t1.product == "Xây dựng Kế hoạch hàng năm" and t1.timeframe == "2023-2025"
    assert catalog.tasks[4].timeframe == "Quý IV/2023"


def test_three_press_agencies_and_the_department(catalog: Catalog) -> None:
    press = {o.code: o.kind for o in catalog.press_agencies()}
    assert press == {"BKT": "newspaper", "PTTH": "broadcaster", "TCVN": "magazine"}
    dept = catalog.consolidator()
    assert dept.period(2024).name == "Sở Thông tin và Truyền thông"
    assert dept.period(2024).email  # the agencies' mail goes here


def test_names_have_validity_periods(catalog: Catalog) -> None:
    bkt = catalog.org("BKT")
    assert bkt.period(2024).name == "Báo Kon Tum"
    assert bkt.period(2025).name == "Báo Quảng Ngãi"
    assert bkt.period(2024).place == "Kon Tum"
    assert catalog.org("PTTH").period(2023).signer_title == "Giám đốc"


def test_deadline_is_before_25_november_read_literally(catalog: Catalog) -> None:
    d = catalog.deadline(2025)
    assert (d.month, d.day, d.inclusive) == (11, 25, False)
    assert d.label == "trước ngày 25 tháng 11 hằng năm"
    assert d.last_day(2025).isoformat() == "2025-11-24"


def test_every_label_is_nfc_and_has_vietnamese_diacritics(catalog: Catalog) -> None:
    import unicodedata

    labels = [e.label for e in catalog.elements.values()] + [i.label for i in catalog.indicators]
    for label in labels:
        assert unicodedata.normalize("NFC", label) == label
    assert any("ư" in lbl for lbl in labels) and any("ệ" in lbl for lbl in labels)


def test_each_press_kind_enters_what_its_indicators_need(catalog: Catalog) -> None:
    for kind in ("newspaper", "broadcaster", "magazine"):
        codes = {e.code for e in catalog.elements_for(kind)}
        for ind in catalog.indicators_for(kind):
            comp = ind.compute
            if isinstance(comp, SplitSpec):  # a broadcaster has no print run, but every kind has IP counts
                assert set(comp.city) & codes and set(comp.rural) & codes, (kind, ind.code)
                continue
            for r in comp.inputs:
                assert r in codes, (kind, ind.code, r)


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["indicators"][2].pop("targets"), "Chỉ tiêu “pl1_3”: thiếu trường “targets”"),
        (
            lambda d: d["indicators"][0]["compute"]["city"].append("nope"),
            "Chỉ tiêu “pl1_1”: tham chiếu chỉ số nhập liệu “nope”",
        ),
        (
            lambda d: d["data_elements"][0].update(type="money"),
            "Chỉ số nhập liệu “staff_total”: kiểu “money”",
        ),
        (lambda d: d["rules"][0].update(severity="fatal"), "Quy tắc “R01”: mức độ “fatal”"),
        (lambda d: d["rules"][0].update(field="ghost"), "Quy tắc “R01”: trường “ghost”"),
        (lambda d: d["organisations"].append(dict(d["organisations"][0])), "Tổ chức “BKT”: mã bị trùng"),
        (lambda d: d["organisations"][0].update(kind="blog"), "Tổ chức “BKT”: loại tổ chức “blog”"),
        (
            lambda d: d["organisations"][0]["periods"][0].update(to=2026),
            "Tổ chức “BKT”: các giai đoạn tên gọi chồng lấn",
        ),
        (lambda d: d["tasks"][0].update(lead="nobody"), "Nhiệm vụ “T1”: đơn vị chủ trì “nobody”"),
        (lambda d: d["indicators"][1].update(label="Tỷ le\u0302\u0323"), "không ở dạng Unicode NFC"),
        (lambda d: d["sections"][0]["elements"].append("ghost"), "Mục “chung”: chỉ số “ghost”"),
        (
            lambda d: d["indicators"][0]["compute"].update(type="median"),
            "Chỉ tiêu “pl1_1”: cách tính “median” không hợp lệ .chương trình này chỉ tính được: split, ratio",
        ),
        (lambda d: d["rules"][0].update(type="regex"), "Quy tắc “R01”: loại quy tắc “regex” không hợp lệ"),
        (lambda d: d["rules"][0].update(op="~"), "Quy tắc “R01”: phép so sánh “~”"),
        (lambda d: d["rules"][8].update(max="300"), "Quy tắc “W01”: trường “max” phải là một số"),
        (
            lambda d: d["indicators"][4]["compute"]["condition"].update(op="like"),
            "Chỉ tiêu “pl1_5”: điều kiện không hợp lệ",
        ),
    ],
)
def test_a_malformed_catalogue_is_refused_naming_the_entry(mutate, expected: str) -> None:  # type: ignore[no-untyped-def]
    doc = raw_catalog()
    mutate(doc)
    with pytest.raises(CatalogError, match=expected):
        parse_catalog(json.dumps(doc, ensure_ascii=False).encode("utf-8"))


def test_not_json_is_refused() -> None:
    with pytest.raises(CatalogError, match="không phải JSON"):
        parse_catalog(b"{not json")


def test_a_new_indicator_in_the_catalogue_needs_no_code(tmp_path: Path) -> None:
    doc = raw_catalog()
    doc["indicators"].append(
        {
            "code": "x_1",
            "source": "X.1",
            "label": "Chỉ tiêu thử",
            "short_label": "Thử",
            "unit": "%",
            "measure": "Cơ quan",
            "compute": {"type": "share", "condition": {"el": "ai_platform", "op": "==", "value": True}},
            "direction": "higher",
            "display": "percent",
            "applies_to": ["newspaper"],
            "targets": {"2026": 50},
        }
    )
    cat = parse_catalog(json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    assert cat.indicator("x_1").target(2026) == 50
    assert "x_1" in {i.code for i in cat.indicators_for("newspaper")}


def test_every_compute_and_rule_type_has_one_function_in_each_dispatch_table() -> None:
    """A type the reader accepts but the computation or validation cannot run would fail only
    when a report meets it; the tables and the readers must name the same types."""
    from kdx_desktop.core import compute, rules
    from kdx_desktop.core.catalog_specs import COMPUTE_READERS, RULE_READERS

    assert set(compute._AGENCY) == set(COMPUTE_READERS)
    assert set(compute._PROVINCE) == set(COMPUTE_READERS)
    assert set(rules._RUNNERS) == set(RULE_READERS)


def test_specifications_are_typed_records(catalog: Catalog) -> None:
    from fractions import Fraction

    from kdx_desktop.core.catalog_specs import CompareRule, FarFromPrevRule, ShareSpec

    pl1_5 = catalog.indicator("pl1_5").compute
    assert isinstance(pl1_5, ShareSpec) and pl1_5.condition.element == "autonomy_group"
    assert pl1_5.condition.op == "in" and pl1_5.inputs == ("autonomy_group",)
    rules = {r.code: r for r in catalog.rules}
    assert isinstance(rules["R01"].spec, CompareRule) and rules["R01"].type == "compare"
    assert rules["R03"].spec.right.year  # type: ignore[union-attr]
    w03 = rules["W03"].spec
    assert isinstance(w03, FarFromPrevRule) and w03.ratio == Fraction(1, 2)
