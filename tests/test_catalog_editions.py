"""Catalogue editions end to end: an agency with exported 2024-2025 reports and a 2026 draft
installs edition 2; the Sở keeps both editions and imports packages of each."""

from __future__ import annotations

import copy
import hashlib
import json
import time
from pathlib import Path
from typing import Any

import pytest

from kdx_desktop.core.catalog import Catalog
from kdx_desktop.core.catalog_loader import parse_catalog
from kdx_desktop.services.editions import EditionRefused, edition_file, install, preview_install
from kdx_desktop.services.exporting import export_report
from kdx_desktop.services.intake import import_bytes
from kdx_desktop.services.reporting import App, load_state, open_app, reopen

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "resources" / "catalog" / "kdx-catalog.json"


def edition2_doc() -> dict[str, Any]:
    """Edition 2 as the Sở would make it: a 2026 target changed, a signer's title changed from
    2026, a new indicator of an existing type, and the radio-TV station closed at the end of
    2025 with the newspaper as its successor."""
    doc: dict[str, Any] = json.loads(BUNDLED.read_text("utf-8"))
    doc["edition"] = {
        "number": 2,
        "issuer": "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Ngãi",
        "issued": "2026-02-02",
        "years": {"from": 2023, "to": 2030},
        "province": "Quảng Ngãi",
    }
    pl1_3 = next(i for i in doc["indicators"] if i["source"] == "PL1-3")
    pl1_3["targets"]["2026"] = 25
    doc["indicators"].append(
        {
            "code": "x_ai",
            "source": "BS-1",
            "label": "Tỷ lệ cơ quan báo chí dùng nền tảng trí tuệ nhân tạo (bổ sung 2026)",
            "short_label": "Dùng nền tảng AI (bổ sung)",
            "unit": "%",
            "measure": "Cơ quan báo chí",
            "compute": {"type": "share", "condition": {"el": "ai_platform", "op": "==", "value": True}},
            "direction": "higher",
            "display": "percent",
            "applies_to": ["newspaper", "broadcaster", "magazine"],
            "targets": {"2026": 100},
        }
    )
    for o in doc["organisations"]:
        if o["code"] == "BKT":
            last = o["periods"][-1]
            last["to"] = 2025
            o["periods"].append(
                {**last, "from": 2026, "to": None, "signer_title": "Tổng Biên tập (kiêm Giám đốc)"}
            )
        if o["code"] == "PTTH":
            o["periods"][-1]["to"] = "2025-12-31"
            o["successor"] = "BKT"
    return doc


def as_catalog(doc: dict[str, Any]) -> Catalog:
    return parse_catalog(json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"))


def envelope(doc: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(edition_file(as_catalog(doc)))
    return result


def _files(result: Any) -> dict[str, str]:
    """The SHA-256 of each file an export wrote (package, PDF, workbook)."""
    return {
        p.suffix: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (result.package, result.pdf, result.xlsx)
    }


def test_installing_edition_2_keeps_exported_reports_and_moves_the_draft(
    agency: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before: dict[int, dict[str, str]] = {}
    stored: dict[int, Any] = {}
    verdicts = {}
    for year in (2024, 2025):
        res = export_report(agency, "BKT", year, tmp_path / f"out{year}")
        stored[year], before[year] = res, _files(res)
        verdicts[year] = [(r.code, r.status, r.value) for r in load_state(agency, "BKT", year).indicators]
    draft = load_state(agency, "BKT", 2026)
    assert "x_ai" not in {r.code for r in draft.indicators}

    raw = edition_file(as_catalog(edition2_doc()))
    preview = preview_install(agency, raw, "Tệp thử")
    text = "\n".join(preview.lines())
    assert "Danh mục lần ban hành 2 (ngày 02/02/2026)" in text and "Mã xác thực:" in text
    assert "Chỉ tiêu PL1-3 năm 2026: — → 25%." in text
    assert "Thêm chỉ tiêu BS-1" in text
    assert (
        "chức vụ người ký “Tổng Biên tập” → “Tổng Biên tập (kiêm Giám đốc)”" in text
        or "thêm giai đoạn" in text
    )
    # Another agency's organisation is not this agency's business.
    assert "PTTH" not in text
    install(agency, raw, "Tệp thử")
    assert agency.catalog.edition.number == 2
    # The edition comes days later: nothing made again may take the PC's clock.
    later = time.time() + 3 * 86400 + 3671
    monkeypatch.setattr(time, "time", lambda: later)

    again = open_app(agency.data_dir)  # type: ignore[arg-type]
    try:
        assert again.catalog.edition.number == 2 and set(again.editions) == {1, 2}
        for year in (2024, 2025):
            st = load_state(again, "BKT", year)
            assert st.catalog.edition.number == 1
            assert [(r.code, r.status, r.value) for r in st.indicators] == verdicts[year]
            # The files sent are untouched, and the report made again under its own edition is
            # the same package, PDF and workbook byte for byte (dated with the export's time).
            assert _files(stored[year]) == before[year]
            res = export_report(again, "BKT", year, tmp_path / f"again{year}")
            assert _files(res) == before[year]
        st26 = load_state(again, "BKT", 2026)
        assert st26.catalog.edition.number == 2
        results = {r.code: r for r in st26.indicators}
        assert "x_ai" in results and results["pl1_3"].target == 25
        # A reopened report moves to the newest edition and says so.
        reopen(again, "BKT", 2025, "Bổ sung số liệu theo danh mục mới")
        st25 = load_state(again, "BKT", 2025)
        assert st25.catalog.edition.number == 2
        assert "lần ban hành 2" in st25.edition_notice and "lần ban hành 1" in st25.edition_notice
    finally:
        again.close()


def _sở(tmp_path: Path, name: str) -> App:
    (tmp_path / name).mkdir()
    a = open_app(tmp_path / name)
    a.store.set_setting("this_org", "STTTT", user="test")
    return a


def test_the_department_validates_each_package_under_its_own_edition(agency: App, tmp_path: Path) -> None:
    old_pkg = export_report(agency, "BKT", 2024, tmp_path / "o").package.read_bytes()
    export_report(agency, "BKT", 2025, tmp_path / "o")
    raw = edition_file(as_catalog(edition2_doc()))
    install(agency, raw)
    reopen(agency, "BKT", 2025, "Gửi lại theo danh mục lần 2")
    new_pkg = export_report(agency, "BKT", 2025, tmp_path / "n").package.read_bytes()
    manifest_cat = json.loads(
        __import__("zipfile").ZipFile(__import__("io").BytesIO(new_pkg)).read("manifest.json")
    )["catalog"]
    assert manifest_cat["edition"] == 2 and len(manifest_cat["sha256"]) == 64

    only1 = _sở(tmp_path, "so1")
    try:
        assert import_bytes(only1, old_pkg, "a.zip").kind == "imported"
        refused = import_bytes(only1, new_pkg, "b.zip")
        assert refused.kind == "rejected" and refused.code == "catalog.edition_unknown"
        assert "lần ban hành 2, Sở chưa có lần ban hành này" in refused.message
    finally:
        only1.close()

    both = _sở(tmp_path, "so2")
    try:
        install(both, raw)
        assert import_bytes(both, old_pkg, "a.zip").kind == "imported"
        assert import_bytes(both, new_pkg, "b.zip").kind == "imported"
        # Across the merge: the station is expected for 2025, not for 2026; its successor is.
        assert "PTTH" in {o.code for o in both.catalog.expected_reporters(2025)}
        assert {o.code for o in both.catalog.expected_reporters(2026)} == {"BKT", "TCVN"}
        assert [o.code for o in both.catalog.predecessors("BKT")] == ["PTTH"]
    finally:
        both.close()


def test_an_old_package_without_an_edition_is_edition_1(agency: App, tmp_path: Path) -> None:
    from kdx_desktop.province.importer import package_edition

    assert (
        package_edition(agency.editions, {"id": agency.catalog.id, "version": "2026.1", "sha256": "0" * 64})
        is (agency.editions[1])
    )


def _count_editions(app: App) -> int:
    return len(app.store.catalog_editions())


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda e: {**e, "catalog": e["catalog"].replace('"2026": 25', '"2026": 10')},
            "đã bị sửa đổi hoặc hỏng",
        ),
        (lambda e: {**e, "format": "something"}, "không phải tệp danh mục KDX"),
        (lambda e: {**e, "format_version": 9}, "phiên bản KDX mới hơn"),
    ],
)
def test_a_tampered_or_foreign_file_is_refused_and_nothing_changes(
    agency: App, make: Any, message: str
) -> None:
    bad = make(envelope(edition2_doc()))
    with pytest.raises(EditionRefused, match=message):
        install(agency, json.dumps(bad, ensure_ascii=False).encode("utf-8"))
    assert _count_editions(agency) == 0 and agency.catalog.edition.number == 1


def _rehashed(doc_text: str) -> bytes:
    import hashlib

    from kdx_desktop.package.canonical import verification_code

    sha = hashlib.sha256(doc_text.encode("utf-8")).hexdigest()
    env = {
        "format": "kdx-catalog-edition",
        "format_version": 1,
        "edition": 2,
        "catalog_sha256": sha,
        "verification_code": verification_code(sha),
        "catalog": doc_text,
    }
    return json.dumps(env, ensure_ascii=False).encode("utf-8")


def test_older_foreign_and_malformed_editions_are_refused(agency: App) -> None:
    doc = edition2_doc()
    foreign = copy.deepcopy(doc)
    foreign["edition"]["province"] = "Gia Lai"
    with pytest.raises(EditionRefused, match="của tỉnh Gia Lai, không phải của tỉnh Quảng Ngãi"):
        install(agency, edition_file(as_catalog(foreign)))
    other = copy.deepcopy(doc)
    other["id"] = "ke-hoach-khac"
    with pytest.raises(EditionRefused, match="không phải danh mục của Kế hoạch này"):
        install(agency, edition_file(as_catalog(other)))
    broken = copy.deepcopy(doc)
    broken["indicators"][0]["compute"]["type"] = "median"
    with pytest.raises(EditionRefused, match="cách tính “median” không hợp lệ"):
        install(agency, _rehashed(json.dumps(broken, ensure_ascii=False)))
    assert _count_editions(agency) == 0

    install(agency, edition_file(as_catalog(doc)))
    with pytest.raises(EditionRefused, match="đã được cài đặt"):
        install(agency, edition_file(as_catalog(doc)))
    older = copy.deepcopy(doc)
    older["edition"]["number"] = 1
    older["title"] = older["title"] + " (sửa)"
    with pytest.raises(EditionRefused, match="không mới hơn lần 2"):
        install(agency, edition_file(as_catalog(older)))
    assert _count_editions(agency) == 1


def test_catalog_json_names_the_edition(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from cli_helpers import run

    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "d"), "catalog", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["edition"]["number"] == 1 and doc["edition"]["years"] == {"from": 2023, "to": 2030}

    f = tmp_path / "lan2.kdxdm"
    f.write_bytes(edition_file(as_catalog(edition2_doc())))
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "d"), "catalog", "install", str(f), "--dry-run")
    assert code == 0 and "Chưa cài đặt" in out
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "d"), "catalog", "install", str(f))
    assert code == 0 and "Đã cài đặt Danh mục lần ban hành 2" in out
    code, out, _ = run(capsys, "--data-dir", str(tmp_path / "d"), "catalog", "--json")
    assert json.loads(out)["edition"]["number"] == 2
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "d"), "catalog", "install", str(f))
    assert code == 2 and "đã được cài đặt" in err


def test_a_draft_follows_the_newest_edition_that_governs_its_year(agency: App) -> None:
    doc = edition2_doc()
    install(agency, edition_file(as_catalog(doc)))
    only_later = copy.deepcopy(doc)
    only_later["edition"].update(number=3, issued="2026-06-01", years={"from": 2026, "to": 2030})
    install(agency, edition_file(as_catalog(only_later)))
    assert agency.catalog.edition.number == 3
    assert load_state(agency, "BKT", 2026).catalog.edition.number == 3
    # Edition 3 governs 2026-2030 only: a 2025 draft stays under edition 2.
    assert not agency.store.find_report("BKT", 2025).locked  # type: ignore[union-attr]
    assert load_state(agency, "BKT", 2025).catalog.edition.number == 2


def test_consolidation_reads_each_package_under_its_own_edition(agency: App, tmp_path: Path) -> None:
    """Edition 2 drops the task status “Đang thực hiện” that a 2025 package of edition 1 holds:
    the Sở still consolidates 2025 (the package is read under edition 1)."""
    from kdx_desktop.services.intake import consolidate

    res = export_report(agency, "BKT", 2025, tmp_path / "o")
    assert b'"in_progress"' in __import__("zipfile").ZipFile(res.package).read("data.json")
    doc = edition2_doc()
    status = next(f for f in doc["task_fields"] if f["code"] == "status")
    status["choices"] = [c for c in status["choices"] if c["code"] != "in_progress"]
    sở = _sở(tmp_path, "so")
    try:
        install(sở, edition_file(as_catalog(doc)))
        assert import_bytes(sở, res.package.read_bytes(), "a.zip").kind == "imported"
        sở.store.save_profile("STTTT", 2025, {"signer_name": "Phạm Minh Đức"})  # its signer
        paths = consolidate(sở, 2025, tmp_path / "th")
        assert all(p.exists() and p.stat().st_size > 0 for p in paths)
    finally:
        sở.close()
