"""The Sở's paper check: the code on the signed paper (typed, or its QR code scanned) against the
report received, in the service and through the ``paper`` command."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hostile.packages import dump

from kdx_desktop.agency.report_pdf import qr_payload
from kdx_desktop.province import ledger
from kdx_desktop.province.paper import PaperMismatch, read_paper
from kdx_desktop.services.exporting import export_report
from kdx_desktop.services.intake import check_paper, import_paths
from kdx_desktop.services.reporting import App, UsageError, open_app, reopen, set_values
from tests.cli_helpers import run


@pytest.fixture(scope="module")
def revisions(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """BKT's 2025 report sent twice: revision 1, then a corrected revision 2."""
    work = tmp_path_factory.mktemp("paper")
    agency = work / "agency"
    shutil.copytree(demo_dir, agency)
    app = open_app(agency)
    try:
        first = export_report(app, "BKT", 2025, work).package
        reopen(app, "BKT", 2025, "Sửa phần kết quả đạt được")
        set_values(app, "BKT", 2025, {"narrative.results": "Đã hoàn thành các nhiệm vụ năm 2025 (bản sửa)."})
        second = export_report(app, "BKT", 2025, work).package
    finally:
        app.close()
    return [first, second]


@pytest.fixture
def so(tmp_path: Path, revisions: list[Path]) -> Any:
    folder = tmp_path / "so"
    folder.mkdir()
    app = open_app(folder)
    outcomes = import_paths(app, revisions)
    assert [o.kind for o in outcomes] == ["imported", "replaced"], outcomes
    yield app
    app.close()


def received(app: App) -> list[ledger.Received]:
    return ledger.revisions_of(app.store, "BKT", 2025)


def test_the_code_typed_off_the_paper_marks_the_current_revision_checked(so: App) -> None:
    old, current = received(so)
    typed = current.verification_code.replace("-", " ").lower()  # as an officer may type it
    row = check_paper(so, "BKT", 2025, typed, user="van.thu")
    assert row.id == current.id and row.paper_checked and row.paper_checked_by == "van.thu"
    assert not ledger.by_id(so.store, old.id).paper_checked  # type: ignore[union-attr]
    audit = so.store.db.execute("SELECT action, new_value FROM audit WHERE action = 'paper_check'").fetchall()
    assert audit == [("paper_check", f"r2 {current.verification_code}")]


def test_a_scanned_qr_code_is_checked_against_the_full_fingerprint(so: App) -> None:
    current = received(so)[-1]
    scanned = f"KDX;BKT;2025;r{current.revision};{current.verification_code};{current.data_sha256}"
    assert check_paper(so, "BKT", 2025, scanned.swapcase()).paper_checked  # a scanner with Caps Lock on


def test_a_second_check_keeps_the_first(so: App) -> None:
    current = received(so)[-1]
    first = check_paper(so, "BKT", 2025, current.verification_code, user="van.thu.1")
    again = check_paper(so, "BKT", 2025, current.verification_code, user="van.thu.2")
    assert again.paper_checked_by == "van.thu.1" and again.paper_checked_at == first.paper_checked_at
    audit = so.store.db.execute("SELECT count(*) FROM audit WHERE action = 'paper_check'").fetchone()
    assert audit == (1,)


def test_the_paper_of_an_older_revision_is_refused_and_says_which_to_ask_for(so: App) -> None:
    old, current = received(so)
    before = dump(so)
    with pytest.raises(PaperMismatch) as exc:
        check_paper(so, "BKT", 2025, old.verification_code)
    assert f"lần gửi {old.revision}" in str(exc.value) and f"lần gửi {current.revision}" in str(exc.value)
    assert dump(so) == before  # nothing marked, nothing audited


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("AAAA-BBBB-CCCC", "không khớp"),  # well formed, but another report's
        ("R618-W8YZ", "không phải mã xác thực"),  # too short
        ("RUUU-W8YZ-Z8PX", "không phải mã xác thực"),  # U is not in the alphabet
        ("", "Chưa nhập"),
        ("R618-ƯY8Z-Z8PX", "bộ gõ tiếng Việt"),  # W typed with Unikey in Telex mode
        ("KDX;BKT;2025;r2;AAAA-BBBB-CCCC;" + "0" * 64, "không nhất quán"),  # a QR code edited by hand
        ("KDX;BKT;2025", "không đúng dạng"),
    ],
)
def test_what_is_not_the_report_received_is_refused_with_the_reason(so: App, typed: str, why: str) -> None:
    before = dump(so)
    with pytest.raises(PaperMismatch, match=why):
        check_paper(so, "BKT", 2025, typed)
    assert dump(so) == before


def test_a_qr_code_of_another_agency_is_refused(so: App) -> None:
    current = received(so)[-1]
    other = f"KDX;PTTH;2025;r1;{current.verification_code};{current.data_sha256}"
    with pytest.raises(PaperMismatch, match=r"\(PTTH\) năm 2025"):
        check_paper(so, "BKT", 2025, other)


def test_a_report_not_received_or_an_unknown_agency(so: App) -> None:
    with pytest.raises(PaperMismatch, match="chưa nhận"):
        check_paper(so, "PTTH", 2025, "AAAA-BBBB-CCCC")
    with pytest.raises(UsageError):
        check_paper(so, "XYZ", 2025, "AAAA-BBBB-CCCC")


def test_reading_forgives_what_people_type() -> None:
    assert read_paper(" r6l8-w8yz-z8px ").code == "R618-W8YZ-Z8PX"  # l for 1
    assert read_paper("R618 W8YZ Z8PX").code == "R618-W8YZ-Z8PX"
    assert read_paper("R618–W8YZ–Z8PX").code == "R618-W8YZ-Z8PX"  # en dashes from a word processor
    assert read_paper("0O00-0000-0000").code == "0000-0000-0000"  # O for 0


def test_the_printed_qr_payload_is_what_the_check_reads(so: App) -> None:
    """The QR code printed by the export (agency/report_pdf.py) is read back whole."""
    current = received(so)[-1]

    class Seal:
        revision = current.revision
        verification_code = current.verification_code
        data_sha256 = current.data_sha256

    reading = read_paper(qr_payload("BKT", 2025, Seal()))  # type: ignore[arg-type]
    assert (reading.org_code, reading.year, reading.revision, reading.data_sha256) == (
        "BKT",
        2025,
        current.revision,
        current.data_sha256,
    )


def test_the_paper_command(so: App, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = str(so.data_dir)
    old, current = received(so)
    so.close()

    def paper(*code: str) -> tuple[int, str, str]:
        return run(capsys, "paper", "--data-dir", data, "--org", "BKT", "--year", "2025", *code)

    code, out, err = paper("--code", old.verification_code)
    assert code == 1 and out == "" and "lần gửi 1" in err
    code, out, err = paper("--code", current.verification_code)
    assert code == 0 and f"khớp với lần gửi {current.revision}" in out and err == ""
    code, out, err = run(capsys, "status", "--data-dir", data, "--year", "2025")
    assert "đã đối chiếu bản giấy" in out
    code, out, err = paper("--code", current.verification_code)  # checked again: the first check stays
    assert code == 0 and out.startswith("Đã đối chiếu từ trước (")
    # When, in Vietnam time and Vietnamese writing (never an ISO time in UTC); whose, by name.
    assert re.search(r"lúc \d\d:\d\d ngày \d\d/\d\d/\d{4}, giờ Việt Nam", out), out
    assert not re.search(r"\d{4}-\d\d-\d\dT", out) and "(BKT)" not in out
    code, _out, err = paper()
    assert code == 2  # --code is required
