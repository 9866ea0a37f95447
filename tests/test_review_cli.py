"""The Sở's desk through the command line only: read what arrived, chase, send back with
comments, and the agency's answers coming back in the next revision."""

from __future__ import annotations

import email
import json
import shutil
import zipfile
from email import policy
from pathlib import Path

import pytest
from cli_helpers import run
from printed import pdf_text
from printed import words as one_line


@pytest.fixture
def desk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Path]:
    """An agency's data folder (the demo data) that has exported BKT 2025, and a Sở's folder
    that imported it."""
    agency, so, out = tmp_path / "agency", tmp_path / "so", tmp_path / "out"
    assert run(capsys, "demo", "--data-dir", str(agency))[0] == 0
    assert (
        run(capsys, "export", "--org", "BKT", "--year", "2025", "--out", str(out), "--data-dir", str(agency))[
            0
        ]
        == 0
    )
    code, _, err = run(capsys, "import", str(out / "BaoCao_BQN_2025_lan1.zip"), "--data-dir", str(so))
    assert code == 0, err
    code, _, err = run(
        capsys,
        "profile",
        "--org",
        "STTTT",
        "--from",
        "2025",
        "signer_name=Phạm Minh Đức",
        "--data-dir",
        str(so),
    )
    assert code == 0, err
    return {"agency": agency, "so": so, "out": out, "tmp": tmp_path}


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def test_show_on_the_so_pc_is_the_received_report(
    desk: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    so = str(desk["so"])
    doc = _json(capsys, "show", "--org", "BKT", "--year", "2025", "--json", "--data-dir", so)
    assert doc["status"] == "received"
    rec = doc["received"]
    assert rec["revision"] == 1 and rec["current"] and len(rec["verification_code"]) == 14
    assert rec["received_at"] and rec["reopen_reason"] is None
    # The values the agency sent, not an empty draft of the Sở's own.
    mine = _json(
        capsys, "show", "--org", "BKT", "--year", "2025", "--json", "--data-dir", str(desk["agency"])
    )
    assert doc["values"] == mine["values"] and doc["values"]["staff_total"] == 58
    assert doc["summary"]["errors"] == 0
    code, out, _ = run(capsys, "show", "--org", "BKT", "--year", "2025", "--data-dir", so)
    assert "Đã nhận (chỉ xem), lần 1" in out.splitlines()[0] and rec["verification_code"] in out
    # A revision never received is refused, naming the ones that were.
    code, _, err = run(capsys, "show", "--org", "BKT", "--year", "2025", "--revision", "3", "--data-dir", so)
    assert code == 2 and "đã nhận các lần: 1" in err
    # Nothing received from PTTH: the Sở has no report of it to show as received.
    code, _, err = run(capsys, "show", "--org", "PTTH", "--year", "2025", "--revision", "1", "--data-dir", so)
    assert code == 2 and "chưa nhận" in err


def test_round_trip_with_commands_only(desk: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    so, agency, out, tmp = str(desk["so"]), str(desk["agency"]), desk["out"], desk["tmp"]
    base = ["--org", "BKT", "--year", "2025"]
    # The Sở: at least one comment is needed for "needs correction"; nothing to issue yet.
    code, _, err = run(capsys, "review", "export", *base, "--out", str(tmp / "r"), "--data-dir", so)
    assert code == 2 and "ít nhất một ý kiến" in err
    code, _, err = run(capsys, "review", "add", *base, "--on", "khong_co", "--text", "x", "--data-dir", so)
    assert code == 2 and "khong_co" in err
    for target, text in (
        ("staff_total", "Tổng số người chưa khớp với báo cáo nhân sự"),
        ("T1", "Nêu rõ số văn bản đã ban hành"),
        ("report", "Đề nghị kiểm tra lại toàn bộ số liệu"),
    ):
        assert run(capsys, "review", "add", *base, "--on", target, "--text", text, "--data-dir", so)[0] == 0
    code, _, err = run(capsys, "review", "accept", *base, "--data-dir", so)
    assert code == 2 and "3 ý kiến" in err
    drafts = _json(capsys, "show", *base, "--json", "--data-dir", so)["comments"]
    assert [(c["number"], c["target"], c["state"]) for c in drafts] == [
        (1, "staff_total", "draft"),
        (2, "T1", "draft"),
        (3, "report", "draft"),
    ]
    code, stdout, err = run(capsys, "review", "export", *base, "--out", str(tmp / "r"), "--data-dir", so)
    assert code == 0, err
    review_file = tmp / "r" / "GopY_BQN_2025_lan1.json"
    assert review_file.is_file() and "cần sửa, 3 ý kiến" in stdout
    code, _, err = run(capsys, "review", "add", *base, "--on", "report", "--text", "thêm", "--data-dir", so)
    assert code == 2 and "đã được phát hành" in err
    board = _json(capsys, "status", "--year", "2025", "--json", "--data-dir", so)
    bkt = next(r for r in board["organisations"] if r["org_code"] == "BKT")
    assert bkt["under_correction"] and bkt["review"].startswith("Cần sửa: 3 ý kiến") and bkt["needs_reminder"]
    # The consolidation still uses revision 1, and says it is under correction.
    code, stdout, err = run(
        capsys, "consolidate", "--year", "2025", "--out", str(tmp / "c"), "--data-dir", so
    )
    assert code == 0, err
    assert "số liệu của Báo Quảng Ngãi (lần gửi 1) đang được sửa theo góp ý của Sở" in stdout
    pdf = next((tmp / "c").glob("*.pdf"))
    text = one_line(pdf_text(pdf))
    assert "Số liệu của Báo Quảng Ngãi (lần gửi 1) đang được đơn vị sửa theo góp ý của Sở" in text
    # The reminder for a report to correct.
    code, _, err = run(
        capsys, "remind", "--year", "2025", "--org", "BKT", "--out", str(tmp / "m"), "--data-dir", so
    )
    assert code == 0, err
    msg = email.message_from_bytes((tmp / "m" / "SuaBaoCao_BQN_2025.eml").read_bytes(), policy=policy.default)
    assert "hoàn thiện báo cáo theo các ý kiến góp ý" in msg.get_content()

    # The agency: the review reopens the report, each comment shows with its state. It arrives
    # under the name an older KDX gave it: a review is read whatever its file name.
    old_name = review_file.with_name("KDX_GOPY_BKT_2025_r1.json")
    shutil.copyfile(review_file, old_name)
    code, stdout, err = run(capsys, "review", "import", str(old_name), "--data-dir", agency)
    assert code == 0, err
    assert "Báo cáo đã được mở lại; lần xuất tiếp theo là lần 2" in stdout
    doc = _json(capsys, "show", *base, "--json", "--data-dir", agency)
    assert doc["status"] == "draft" and doc["revision"] == 2
    assert [c["state"] for c in doc["comments"]] == ["open", "open", "open"]
    code, _, err = run(capsys, "export", *base, "--out", str(out), "--data-dir", agency)
    assert code == 1 and "Góp ý số 1 của Sở" in err and "chưa được trả lời" in err
    # Answers: a change for 1, words for 2 and 3.
    assert run(capsys, "set", *base, "staff_total=60", "staff_trained=60", "--data-dir", agency)[0] == 0
    assert (
        run(
            capsys,
            "review",
            "reply",
            *base,
            "--number",
            "2",
            "--text",
            "Đã bổ sung số văn bản",
            "--data-dir",
            agency,
        )[0]
        == 0
    )
    assert (
        run(
            capsys,
            "review",
            "reply",
            *base,
            "--number",
            "3",
            "--text",
            "Đã kiểm tra lại",
            "--data-dir",
            agency,
        )[0]
        == 0
    )
    doc = _json(capsys, "show", *base, "--json", "--data-dir", agency)
    assert [c["state"] for c in doc["comments"]] == ["answered", "answered", "answered"]
    assert doc["comments"][0]["changes"][0] == {
        "key": "staff_total",
        "label": doc["comments"][0]["target_label"],
        "old": "58",
        "new": "60",
    }
    code, _, err = run(capsys, "export", *base, "--out", str(out), "--data-dir", agency)
    assert code == 0, err
    # The same review file again changes nothing; after the new export it is about an older revision.
    code, stdout, _ = run(capsys, "review", "import", str(review_file), "--data-dir", agency)
    assert code == 0 and "không có gì thay đổi" in stdout
    with zipfile.ZipFile(out / "BaoCao_BQN_2025_lan2.zip") as zf:
        data = json.loads(zf.read("data.json"))
    assert data["reopen_reason"].startswith("Theo góp ý của Sở ngày ")
    assert [c["reply"] for c in data["review_answers"]["comments"]] == [
        None,
        "Đã bổ sung số văn bản",
        "Đã kiểm tra lại",
    ]
    assert data["review_answers"]["comments"][0]["changed"] == ["staff_total"]

    # The Sở: the next revision carries each answer and the changed values.
    assert run(capsys, "import", str(out / "BaoCao_BQN_2025_lan2.zip"), "--data-dir", so)[0] == 0
    doc = _json(capsys, "show", *base, "--json", "--data-dir", so)
    assert doc["received"]["revision"] == 2 and doc["received"]["reopen_reason"] == data["reopen_reason"]
    states = [(c["number"], c["state"], c["reply"], c["answered_in_revision"]) for c in doc["comments"]]
    assert states == [
        (1, "answered", None, 2),
        (2, "answered", "Đã bổ sung số văn bản", 2),
        (3, "answered", "Đã kiểm tra lại", 2),
    ]
    assert doc["comments"][0]["changes"][0]["old"] == "58" and doc["comments"][0]["changes"][0]["new"] == "60"
    code, stdout, _ = run(capsys, "show", *base, "--data-dir", so)
    assert "Lý do gửi lại: Theo góp ý của Sở" in stdout and "Trả lời: Đã bổ sung số văn bản" in stdout
    old = _json(capsys, "show", *base, "--revision", "1", "--json", "--data-dir", so)
    assert (
        old["received"]["revision"] == 1
        and not old["received"]["current"]
        and old["values"]["staff_total"] == 58
    )
    board = _json(capsys, "status", "--year", "2025", "--json", "--data-dir", so)
    bkt = next(r for r in board["organisations"] if r["org_code"] == "BKT")
    assert not bkt["under_correction"] and bkt["reopen_reason"] == data["reopen_reason"]
    # Accepting revision 2 and issuing it: the agency records it, nothing reopens.
    assert run(capsys, "review", "accept", *base, "--data-dir", so)[0] == 0
    assert run(capsys, "review", "export", *base, "--out", str(tmp / "r"), "--data-dir", so)[0] == 0
    code, stdout, err = run(
        capsys, "review", "import", str(tmp / "r" / "GopY_BQN_2025_lan2.json"), "--data-dir", agency
    )
    assert code == 0 and "Sở chấp nhận báo cáo" in stdout, err
    assert _json(capsys, "show", *base, "--json", "--data-dir", agency)["status"] == "exported"


def _review_doc(path: Path) -> dict:  # type: ignore[type-arg]
    return json.loads(path.read_bytes())  # type: ignore[no-any-return]


def test_review_for_another_agency_year_or_older_revision_is_refused(
    desk: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from kdx_desktop.package.canonical import canonical_json, sha256_hex

    so, agency, tmp = str(desk["so"]), str(desk["agency"]), desk["tmp"]
    base = ["--org", "BKT", "--year", "2025"]
    assert (
        run(capsys, "review", "add", *base, "--on", "report", "--text", "Kiểm tra lại", "--data-dir", so)[0]
        == 0
    )
    assert run(capsys, "review", "export", *base, "--out", str(tmp / "r"), "--data-dir", so)[0] == 0
    good = tmp / "r" / "GopY_BQN_2025_lan1.json"
    doc = _review_doc(good)

    def variant(name: str, **change: object) -> Path:
        d = json.loads(json.dumps(doc))
        d["review"].update(change)
        d["review_sha256"] = sha256_hex(canonical_json(d["review"]))
        p = tmp / name
        p.write_bytes(canonical_json(d))
        return p

    before = _json(capsys, "show", *base, "--json", "--data-dir", agency)
    cases = {
        variant("other-org.json", organisation={"code": "PTTH", "name": "x"}): "Máy này chưa xuất lần gửi 1",
        variant("other-year.json", year=2024): "chưa xuất lần gửi 1",
        variant("other-data.json", data_sha256="0" * 64): "khác với bản máy này đã xuất",
    }
    tampered = tmp / "tampered.json"
    tampered.write_bytes(good.read_bytes().replace("Kiểm tra lại".encode(), "Kiểm tra lai".encode()))
    cases[tampered] = "mã băm không khớp"
    hand_edited = tmp / "hand.json"
    hand_edited.write_bytes(json.dumps(doc, ensure_ascii=False, indent=1).encode())
    cases[hand_edited] = "dạng chuẩn"
    for path, words in cases.items():
        code, _, err = run(capsys, "review", "import", str(path), "--data-dir", agency)
        assert code == 2 and words in err, (path.name, err)
    assert _json(capsys, "show", *base, "--json", "--data-dir", agency) == before  # nothing changed
    # An older revision: the agency already reopened and exported revision 2 for another reason.
    assert run(capsys, "reopen", *base, "--reason", "Bổ sung số liệu", "--data-dir", agency)[0] == 0
    code, _, err = run(capsys, "review", "import", str(good), "--data-dir", agency)
    assert code == 2 and "cũ hơn báo cáo hiện tại (lần 2" in err
    # A PC set up for another agency refuses a review that is not its own.
    from kdx_desktop.services.reporting import open_app

    app = open_app(desk["agency"])
    try:
        app.store.set_setting("this_org", "PTTH")
    finally:
        app.close()
    code, _, err = run(capsys, "review", "import", str(good), "--data-dir", agency)
    assert code == 2 and "không phải cho" in err


def test_board_print_workbook_and_reminders(
    desk: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    so, tmp = str(desk["so"]), desk["tmp"]
    board = _json(capsys, "status", "--year", "2025", "--json", "--data-dir", so)
    ptth = next(r for r in board["organisations"] if r["org_code"] == "PTTH")
    assert ptth["overdue"] and ptth["days_late"] > 300 and ptth["lateness"].startswith("Quá hạn ")
    assert board["summary"]["overdue"] == 2
    pdf, xlsx = tmp / "b" / "board.pdf", tmp / "b" / "board.xlsx"
    code, _, err = run(
        capsys, "status", "--year", "2025", "--pdf", str(pdf), "--xlsx", str(xlsx), "--data-dir", so
    )
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF")
    ws = openpyxl.load_workbook(xlsx).active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = next(r for r in rows if r[0] == "Cơ quan")
    assert "Góp ý của Sở" in header and "Số ngày trễ" in header
    ptth_row = next(r for r in rows if r[0] and str(r[0]).startswith("Đài Phát thanh"))
    assert ptth_row[header.index("Số ngày trễ")] == ptth["days_late"]  # a number, not text
    code, _, err = run(capsys, "remind", "--year", "2025", "--out", str(tmp / "m"), "--data-dir", so)
    assert code == 0, err
    names = sorted(p.name for p in (tmp / "m").iterdir())
    assert names == [
        "DonDoc_PTTH_2025.eml",
        "DonDoc_PTTH_2025.pdf",
        "DonDoc_TCVN_2025.eml",
        "DonDoc_TCVN_2025.pdf",
    ]
    msg = email.message_from_bytes((tmp / "m" / "DonDoc_PTTH_2025.eml").read_bytes(), policy=policy.default)
    assert "svhttdl@quangngai.gov.vn" in str(msg["From"]) and "Sở Văn hóa, Thể thao và Du lịch" in str(
        msg["From"]
    )
    assert str(msg["Subject"]) == "Đôn đốc gửi báo cáo kết quả chuyển đổi số báo chí năm 2025"
    assert msg["X-Unsent"] == "1" and not msg.is_multipart()
    body = msg.get_content()
    assert body.startswith("Kính gửi: Đài Phát thanh - Truyền hình tỉnh Kon Tum,")
    assert f"đã quá hạn {ptth['days_late']} ngày (hạn gửi trước ngày 25/11/2025)" in body
    assert not list(msg.iter_attachments())
    code, _, err = run(
        capsys, "remind", "--year", "2025", "--org", "BKT", "--out", str(tmp / "m"), "--data-dir", so
    )
    assert code == 2 and "không cần nhắc" in err


def test_notes_travelling_in_data_json_are_checked_at_the_so() -> None:
    """The reason for a new revision and the answers to a review are optional (older packages have
    neither) and are checked like any text from outside when present."""
    import unicodedata

    from kdx_desktop.package.limits import IntakeRejected
    from kdx_desktop.province.importer import check_notes

    good = {
        "reopen_reason": "Theo góp ý của Sở",
        "review_answers": {
            "review_sha256": "a" * 64,
            "revision": 1,
            "comments": [
                {"number": 1, "target": "staff_total", "text": "Kiểm tra", "reply": None, "changed": []}
            ],
        },
    }
    check_notes({})  # a package made before the notes existed
    check_notes(good)
    bad_cases = [
        {"reopen_reason": "lý do\x00"},
        {"reopen_reason": unicodedata.normalize("NFD", "Theo góp ý của Sở")},
        {"reopen_reason": 3},
        {"review_answers": {**good["review_answers"], "review_sha256": "xyz"}},  # type: ignore[dict-item]
        {"review_answers": {**good["review_answers"], "comments": [{"number": "1", "changed": []}]}},  # type: ignore[dict-item]
        {
            "review_answers": {
                **good["review_answers"],
                "comments": [{"number": 1, "target": "a", "text": "b", "reply": "c\x07", "changed": []}],
            }
        },  # type: ignore[dict-item]
    ]
    for data in bad_cases:
        with pytest.raises(IntakeRejected) as exc:
            check_notes(data)
        assert exc.value.code == "data.notes" and "data.json" in exc.value.message
