"""Every rule: errors block export, warnings need a justification."""

from __future__ import annotations

import pytest

from kdx_desktop.core.catalog import Catalog
from kdx_desktop.core.compute import compute_agency
from kdx_desktop.core.rules import ERROR, WARNING, can_export, summary, validate
from kdx_desktop.core.values import NA, Value


def issues_of(
    catalog: Catalog, kind: str, year: int, entries: dict[str, Value], prev: dict[str, Value] | None = None
):  # type: ignore[no-untyped-def]
    inds = compute_agency(catalog, kind, year, entries, prev)
    return validate(catalog, kind, year, entries, inds, prev)


def codes(issues, field=None):  # type: ignore[no-untyped-def]
    return {(i.rule, i.field) for i in issues if field is None or i.field == field}


def test_required_values_are_errors(catalog: Catalog) -> None:
    iss = issues_of(catalog, "newspaper", 2025, {})
    assert ("E_REQUIRED", "staff_total") in codes(iss)
    assert ("E_REQUIRED", "task.T1.status") in codes(iss)
    assert ("E_REQUIRED", "narrative.results") in codes(iss)
    assert ("E_REQUIRED", "relicensed") not in codes(iss)  # magazines only
    assert not can_export(iss)


def test_not_applicable_satisfies_required(catalog: Catalog) -> None:
    iss = issues_of(catalog, "newspaper", 2025, {"print_copies_city": NA})
    assert ("E_REQUIRED", "print_copies_city") not in codes(iss)


def test_prev_counts_not_required_when_last_years_report_exists(catalog: Catalog) -> None:
    assert ("E_REQUIRED", "items_essential_prev") in codes(issues_of(catalog, "newspaper", 2025, {}))
    iss = issues_of(catalog, "newspaper", 2025, {}, prev={"items_essential": 100})
    assert ("E_REQUIRED", "items_essential_prev") not in codes(iss)


def test_r01_trained_above_total_is_an_error(catalog: Catalog) -> None:
    iss = issues_of(catalog, "newspaper", 2025, {"staff_total": 10, "staff_trained": 12})
    (r01,) = [i for i in iss if i.rule == "R01"]
    assert r01.severity == ERROR and r01.field == "staff_trained"
    assert r01.message == "Số người được đào tạo (12) không được lớn hơn tổng số cán bộ (10)."
    assert "R01" not in {
        i.rule for i in issues_of(catalog, "newspaper", 2025, {"staff_total": 10, "staff_trained": 10})
    }


def test_r02_r03_converged_newsroom_year(catalog: Catalog) -> None:
    iss = issues_of(catalog, "newspaper", 2025, {"converged_status": "completed"})
    assert ("R02", "converged_year") in codes(iss)
    iss = issues_of(catalog, "newspaper", 2025, {"converged_status": "completed", "converged_year": 2026})
    assert ("R03", "converged_year") in codes(iss) and ("R02", "converged_year") not in codes(iss)


def test_r04_r08_paid_content_year(catalog: Catalog) -> None:
    assert ("R08", "paid_content_since") in codes(
        issues_of(catalog, "newspaper", 2025, {"paid_content": True})
    )
    assert ("R04", "paid_content_since") in codes(
        issues_of(catalog, "newspaper", 2024, {"paid_content": True, "paid_content_since": 2025})
    )


def test_r05_people_reached_above_population(catalog: Catalog) -> None:
    iss = issues_of(catalog, "department", 2025, {"remote_people_reached": 10, "remote_population": 5})
    assert ("R05", "remote_people_reached") in codes(iss)


def test_r06_staff_total_zero(catalog: Catalog) -> None:
    assert ("R06", "staff_total") in codes(issues_of(catalog, "magazine", 2025, {"staff_total": 0}))


def test_r07_platforms_listed_is_a_warning(catalog: Catalog) -> None:
    (w,) = [i for i in issues_of(catalog, "magazine", 2025, {"digital_platforms": True}) if i.rule == "R07"]
    assert w.severity == WARNING


def test_w01_growth_out_of_range(catalog: Catalog) -> None:
    iss = issues_of(catalog, "newspaper", 2025, {"items_essential": 500, "items_essential_prev": 100})
    (w,) = [i for i in iss if i.rule == "W01"]
    assert w.field == "pl1_3" and "+400,0%" in w.message
    iss = issues_of(catalog, "newspaper", 2025, {"items_essential": 40, "items_essential_prev": 100})
    assert ("W01", "pl1_3") in codes(iss)


def test_w02_target_not_met_asks_for_the_reason(catalog: Catalog) -> None:
    iss = issues_of(catalog, "newspaper", 2025, {"items_essential": 105, "items_essential_prev": 100})
    (w,) = [i for i in iss if i.rule == "W02" and i.field == "pl1_3"]
    assert w.message == "Chưa đạt chỉ tiêu năm 2025: 5,0% so với chỉ tiêu 20%. Nêu nguyên nhân chưa đạt."


def test_w03_far_from_last_year(catalog: Catalog) -> None:
    iss = issues_of(catalog, "newspaper", 2025, {"staff_total": 100}, prev={"staff_total": 50})
    assert ("W03", "staff_total") in codes(iss)
    iss = issues_of(catalog, "newspaper", 2025, {"staff_total": 60}, prev={"staff_total": 50})
    assert ("W03", "staff_total") not in codes(iss)


def test_a_justified_warning_no_longer_blocks(catalog: Catalog) -> None:
    entries: dict[str, Value] = {"items_essential": 105, "items_essential_prev": 100}
    (w,) = [
        i for i in issues_of(catalog, "newspaper", 2025, entries) if i.rule == "W02" and i.field == "pl1_3"
    ]
    assert w.blocks_export
    entries[w.key] = "Thiếu phóng viên"
    (w,) = [
        i for i in issues_of(catalog, "newspaper", 2025, entries) if i.rule == "W02" and i.field == "pl1_3"
    ]
    assert w.justification == "Thiếu phóng viên" and not w.blocks_export


@pytest.mark.parametrize("org", ["BKT", "PTTH", "TCVN", "STTTT"])
def test_demo_reports_2023_2025_pass_with_every_warning_justified(org: str, mem_app) -> None:  # type: ignore[no-untyped-def]
    from kdx_desktop.services.demo import fill_demo
    from kdx_desktop.services.reporting import load_state

    fill_demo(mem_app, current_year=2026)
    for year in (2023, 2024, 2025):
        state = load_state(mem_app, org, year)
        assert summary(state.issues)["errors"] == 0, state.issues
        assert state.can_export
    assert not load_state(mem_app, org, 2026).can_export  # the current year is a draft in progress
