"""Every computation, checked against numbers worked out by hand from the demo data."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from kdx_desktop.core.catalog import Catalog
from kdx_desktop.core.compute import (
    CONTRIBUTES,
    MET,
    MISSING,
    NO_TARGET,
    NOT_APPLICABLE,
    NOT_MET,
    UnitData,
    compute_agency,
    compute_province,
    format_indicator_value,
    format_target,
)
from kdx_desktop.core.values import NA
from kdx_desktop.services.demo import AGENCY_DATA, DEPARTMENT_DATA
from kdx_desktop.services.reporting import App, load_state, set_values


def by_code(results):  # type: ignore[no-untyped-def]
    return {r.code: r for r in results}


@pytest.fixture
def demo_app(mem_app: App) -> App:
    from kdx_desktop.services.demo import fill_demo

    fill_demo(mem_app, current_year=2026)
    return mem_app


def test_city_rural_split_of_the_newspaper_2023(demo_app: App) -> None:
    r = by_code(load_state(demo_app, "BKT", 2023).indicators)["pl1_1"]
    # city 410 000 print + 1 200 000 IP = 1 610 000; rural 190 000 + 560 000 = 750 000
    assert r.value == Fraction(1_610_000 * 100, 2_360_000)
    ind = demo_app.catalog.indicator("pl1_1")
    assert format_indicator_value(ind, r.value) == "68,2%/31,8%"
    # The split binds the province as a whole: one agency's figure is a contribution, not judged.
    assert r.status == CONTRIBUTES
    assert (
        compute_province(
            demo_app.catalog,
            2023,
            [UnitData("BKT", "newspaper", dict(load_state(demo_app, "BKT", 2023).entries))],
            {},
        )[0].status
        == NOT_MET
    )


def test_broadcaster_split_counts_only_ip(demo_app: App) -> None:
    r = by_code(load_state(demo_app, "PTTH", 2024).indicators)["pl1_1"]
    assert r.value == Fraction(1_100_000 * 100, 1_900_000)  # 57,9% city
    assert r.status == CONTRIBUTES


def test_growth_uses_the_count_entered_once_then_last_years_report(demo_app: App) -> None:
    s23 = by_code(load_state(demo_app, "BKT", 2023).indicators)
    assert s23["pl1_3"].value == (Fraction(4650, 4200) - 1) * 100  # 2022 count entered once: +10,7%
    assert s23["pl1_3"].status == MET and s23["pl1_3"].prev_value is None
    s24 = by_code(load_state(demo_app, "BKT", 2024).indicators)
    assert s24["pl1_3"].value == (Fraction(5380, 4650) - 1) * 100  # 2023 from the 2023 report
    assert s24["pl1_3"].prev_value == pytest.approx(float((Fraction(4650, 4200) - 1) * 100), abs=1e-6)


def test_growth_below_target(demo_app: App) -> None:
    r = by_code(load_state(demo_app, "PTTH", 2023).indicators)["pl1_3"]
    assert r.value == (Fraction(8500, 7800) - 1) * 100  # 8,97% < 10%
    assert r.status == NOT_MET


def test_share_and_ratio_at_agency_level(demo_app: App) -> None:
    s = by_code(load_state(demo_app, "TCVN", 2025).indicators)
    assert s["pl1_9"].value == 100 and s["pl1_9"].status == CONTRIBUTES
    assert s["pl1_5"].value == 0 and s["pl1_5"].status == CONTRIBUTES  # group 3 is not "tự chủ"
    assert format_indicator_value(demo_app.catalog.indicator("pl1_5"), s["pl1_5"].value) == "Không"
    assert s["ii_6"].status == MET  # training binds each agency
    assert s["ii_6"].value == Fraction(11 * 100, 11)
    assert "ii_3" not in s  # security level concerns the e-press only


def test_no_target_for_years_the_plan_does_not_set(demo_app: App) -> None:
    s = by_code(load_state(demo_app, "BKT", 2024).indicators)
    assert s["ii_1"].status == NO_TARGET  # section II goals are for 2025 and 2030


def test_missing_and_not_applicable(catalog: Catalog) -> None:
    res = by_code(compute_agency(catalog, "newspaper", 2025, {"items_essential": 10}))
    assert res["pl1_3"].status == MISSING and res["pl1_3"].value is None
    res = by_code(
        compute_agency(
            catalog,
            "newspaper",
            2025,
            {"print_copies_city": NA, "print_copies_rural": NA, "ip_city": NA, "ip_rural": NA},
        )
    )
    assert res["pl1_1"].status == NOT_APPLICABLE
    res = by_code(
        compute_agency(catalog, "newspaper", 2025, {"items_essential": 10, "items_essential_prev": 0})
    )
    assert res["pl1_3"].value is None  # growth from zero cannot be computed


def test_two_of_three_meets_a_67_percent_target(catalog: Catalog) -> None:
    units = [
        UnitData("BKT", "newspaper", {"converged_status": "completed"}),
        UnitData("PTTH", "broadcaster", {"converged_status": "completed"}),
        UnitData("TCVN", "magazine", {"converged_status": "converting"}),
    ]
    r = by_code(compute_province(catalog, 2025, units, {}))["pl1_6"]
    assert r.value == Fraction(200, 3) and (r.count, r.of) == (2, 3)
    assert r.status == MET


def _province_2025(catalog: Catalog) -> dict:  # type: ignore[type-arg]
    def values(org: str, idx: int) -> dict:  # type: ignore[type-arg]
        out = {}
        kind = catalog.org(org).kind
        for code, triple in AGENCY_DATA[org].items():
            el = catalog.elements[code]
            if kind not in el.applies_to or triple[idx] in ("", None):
                continue
            from kdx_desktop.core.values import field_for_key, parse_input

            out[code] = parse_input(field_for_key(catalog, code), str(triple[idx]))
        return out

    units = [UnitData(o, catalog.org(o).kind, values(o, 2), values(o, 1)) for o in AGENCY_DATA]
    own = {
        "remote_people_reached": DEPARTMENT_DATA["remote_people_reached"][2],
        "remote_population": DEPARTMENT_DATA["remote_population"][2],
        "merged_model": True,
    }
    return by_code(compute_province(catalog, 2025, units, own))


def test_province_figures_2025_by_hand(catalog: Catalog) -> None:
    p = _province_2025(catalog)
    # PL1-1: city 350 000 + 7 800 print + 1 500 000 + 1 300 000 + 80 000 IP = 3 237 800;
    #        rural 225 000 + 4 200 + 950 000 + 1 050 000 + 38 000 = 2 267 200
    assert p["pl1_1"].value == Fraction(3_237_800 * 100, 5_505_000)
    assert format_indicator_value(catalog.indicator("pl1_1"), p["pl1_1"].value) == "58,8%/41,2%"
    assert p["pl1_1"].status == MET
    # PL1-3: (6 500 + 11 900 + 420) / (5 380 + 9 900 + 365) - 1 = 18 820 / 15 645 - 1 = 20,3%
    assert p["pl1_3"].value == (Fraction(18_820, 15_645) - 1) * 100 and p["pl1_3"].status == MET
    # PL1-5: groups 2, 2, 3 -> 2 of 3 autonomous, target 100% -> not met
    assert (p["pl1_5"].count, p["pl1_5"].of) == (2, 3) and p["pl1_5"].status == NOT_MET
    # PL1-8: only the newspaper has paid content: 1 of 3 = "1 (33,3%)", target 1
    assert (
        format_indicator_value(catalog.indicator("pl1_8"), p["pl1_8"].value, of=p["pl1_8"].of) == "1 (33,3%)"
    )
    assert p["pl1_8"].status == MET
    # PL1-2: the Sở's own facts: 187 000 / 187 000
    assert p["pl1_2"].value == 100 and p["pl1_2"].status == MET
    assert p["pl1_7"].value == 1 and p["pl1_7"].status == MET
    # II.5: revenue +21,9% (15 600,5/12 800), +21,4% (30 100/24 800), +7,8% (1 100/1 020) -> 2 of 3
    assert p["ii_5"].value == Fraction(200, 3)
    # II.6: trained 58 + 140 + 11 of 58 + 140 + 11 staff
    assert p["ii_6"].value == 100


def test_targets_print_as_the_plan_writes_them(catalog: Catalog) -> None:
    assert format_target(catalog.indicator("pl1_1"), 2024) == "62%/38%"
    assert format_target(catalog.indicator("ii_7"), 2025) == "5-10%"
    assert format_target(catalog.indicator("pl1_3"), 2026) == "—"


def test_values_from_the_store_match_direct_computation(demo_app: App) -> None:
    set_values(demo_app, "BKT", 2026, {"revenue": "1.000,5"})
    assert load_state(demo_app, "BKT", 2026).entries["revenue"] == Decimal("1000.5")


def test_a_year_past_the_yearly_targets_shows_the_way_to_the_next_goal(catalog) -> None:
    from fractions import Fraction

    from kdx_desktop.core.compute import NO_TARGET, IndicatorResult, next_goal
    from kdx_desktop.core.goals import towards

    ii_1 = catalog.indicator("ii_1")  # 70 % in 2025, 100 % in 2030
    assert next_goal(ii_1, 2026) == 2030 and next_goal(ii_1, 2025) == 2030 and next_goal(ii_1, 2030) is None

    def cells(
        code: str, value: Fraction | None, year: int, *, agency: bool = False
    ) -> tuple[str, str] | None:
        t = towards(
            catalog.indicator(code), IndicatorResult(code, value, False, None, NO_TARGET), year, agency=agency
        )
        return None if t is None else (t.aim, t.verdict)

    assert cells("ii_1", Fraction(200, 3), 2025) is None  # 2025 has its own target
    assert cells("ii_1", Fraction(200, 3), 2026) == (
        "Mục tiêu 2030: 100%",
        "Còn cách mục tiêu 2030: 33,3 điểm %",
    )
    assert cells("ii_1", Fraction(100), 2027) == ("Mục tiêu 2030: 100%", "Đã đạt mục tiêu 2030")
    # One agency's contribution to a goal of the whole province is not judged against it.
    assert cells("ii_1", Fraction(100), 2026, agency=True) == ("Mục tiêu 2030: 100%", "Tỉnh đánh giá")
    assert cells("ii_1", None, 2026) == ("Mục tiêu 2030: 100%", "Chưa đủ số liệu")
    # An indicator whose targets end in 2025 with no later goal in the plan: no number invented,
    # the last target the plan set is shown for reference and nothing is judged.
    assert cells("pl1_3", Fraction(10), 2026) == ("Chỉ tiêu 2025: 20%", "Không có chỉ tiêu sau 2025")
