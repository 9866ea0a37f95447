"""``export`` and ``verify`` as an officer (or a script) uses them, on a copy of the demo data."""

from __future__ import annotations

import email
import json
import os
import shutil
import zipfile
from email.policy import default
from pathlib import Path

import pytest

from kdx_desktop.package.writer import verify_package
from tests.cli_helpers import run


@pytest.fixture
def data(demo_dir: Path, tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(demo_dir, d)
    return d


def test_export_verify_lock_reopen_and_next_revision(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, stdout, err = run(
        capsys, "--data-dir", str(data), "export", "--org", "BKT", "--year", "2025", "--out", str(out)
    )
    assert code == 0, err
    names = sorted(p.name for p in out.iterdir())
    assert names == ["BaoCao_BQN_2025_lan1.pdf", "BaoCao_BQN_2025_lan1.xlsx", "BaoCao_BQN_2025_lan1.zip"]
    pkg = verify_package((out / "BaoCao_BQN_2025_lan1.zip").read_bytes())
    for name in names:
        assert str(out / name) in stdout
    assert f"Mã xác thực: {pkg.verification_code}" in stdout

    code, stdout, _ = run(capsys, "verify", str(out / "BaoCao_BQN_2025_lan1.zip"))
    assert code == 0
    for piece in ("Báo Quảng Ngãi", "2025", "Lần gửi: 1", pkg.verification_code):
        assert piece in stdout

    # locked: the form's path and the command line refuse changes
    code, _, err = run(
        capsys, "--data-dir", str(data), "set", "--org", "BKT", "--year", "2025", "staff_total=60"
    )
    assert code == 2 and "khóa" in err
    code, stdout, _ = run(capsys, "--data-dir", str(data), "show", "--org", "BKT", "--year", "2025", "--json")
    assert json.loads(stdout)["status"] == "exported"

    # the same revision exported again: identical data
    again = tmp_path / "again"
    code, _, err = run(
        capsys, "--data-dir", str(data), "export", "--org", "BKT", "--year", "2025", "--out", str(again)
    )
    assert code == 0, err
    assert verify_package((again / "BaoCao_BQN_2025_lan1.zip").read_bytes()).data_bytes == pkg.data_bytes

    code, _, err = run(
        capsys, "--data-dir", str(data), "reopen", "--org", "BKT", "--year", "2025", "--reason", "Sửa số liệu"
    )
    assert code == 0, err
    code, _, err = run(
        capsys, "--data-dir", str(data), "set", "--org", "BKT", "--year", "2025", "revenue=16.000,5"
    )
    assert code == 0, err
    code, stdout, err = run(
        capsys, "--data-dir", str(data), "export", "--org", "BKT", "--year", "2025", "--out", str(out)
    )
    assert code == 0, err
    r2 = verify_package((out / "BaoCao_BQN_2025_lan2.zip").read_bytes())
    assert r2.revision == 2
    assert r2.supersedes == pkg.data_sha256
    assert r2.data["values"]["revenue"] == 16000.5
    assert (out / "BaoCao_BQN_2025_lan1.zip").exists()  # the earlier revision is kept


def test_invalid_report_exits_1_and_writes_nothing(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code, stdout, err = run(
        capsys, "--data-dir", str(data), "export", "--org", "BKT", "--year", "2026", "--out", str(out)
    )
    assert code == 1
    assert "chưa thể xuất" in err
    assert "Chưa nhập" in err  # the problems are listed
    assert list(out.iterdir()) == []
    code, stdout, _ = run(capsys, "--data-dir", str(data), "show", "--org", "BKT", "--year", "2026", "--json")
    assert json.loads(stdout)["status"] == "draft"


def test_unjustified_warning_blocks_export(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(
        capsys, "--data-dir", str(data), "set", "--org", "TCVN", "--year", "2025", "justification.W02.pl1_3="
    )
    assert code == 0
    out = tmp_path / "out"
    code, _, err = run(
        capsys, "--data-dir", str(data), "export", "--org", "TCVN", "--year", "2025", "--out", str(out)
    )
    assert code == 1
    assert "Cảnh báo chưa giải trình (PL1-3 " in err and "W02" not in err
    assert not out.exists() or list(out.iterdir()) == []


def test_read_only_folder_is_a_clear_refusal(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import tempfile

    # What a read-only folder (or a locked network share) answers, whoever runs the test.
    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    out = tmp_path / "ro"
    out.mkdir()
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    code, _, err = run(
        capsys, "--data-dir", str(data), "export", "--org", "BKT", "--year", "2025", "--out", str(out)
    )
    monkeypatch.undo()
    assert code == 2
    assert "quyền ghi" in err
    assert list(out.iterdir()) == []
    code, stdout, _ = run(capsys, "--data-dir", str(data), "show", "--org", "BKT", "--year", "2025", "--json")
    assert json.loads(stdout)["status"] == "draft"


def test_verify_rejects_a_damaged_package_naming_the_member(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert (
        run(capsys, "--data-dir", str(data), "export", "--org", "PTTH", "--year", "2025", "--out", str(out))[
            0
        ]
        == 0
    )
    path = out / "BaoCao_PTTH_2025_lan1.zip"
    raw = path.read_bytes()
    with zipfile.ZipFile(path) as zf:
        infos = {i.filename: i for i in zf.infolist()}
    for member in ("manifest.json", "data.json", "report.pdf", "report.xlsx"):
        info = infos[member]
        # the first byte of the member's compressed data, after its local header
        name_len = int.from_bytes(raw[info.header_offset + 26 : info.header_offset + 28], "little")
        extra_len = int.from_bytes(raw[info.header_offset + 28 : info.header_offset + 30], "little")
        pos = info.header_offset + 30 + name_len + extra_len + info.compress_size // 2
        damaged = bytearray(raw)
        damaged[pos] ^= 0x55
        bad = tmp_path / f"bad-{member}.zip"
        bad.write_bytes(bytes(damaged))
        code, _, err = run(capsys, "verify", str(bad))
        assert code == 1, member
        assert member in err
        assert bad.read_bytes() == bytes(damaged)  # verify changes nothing
    code, _, err = run(capsys, "verify", str(tmp_path / "missing.zip"))
    assert code == 2


def test_eml_draft_to_the_department(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, stdout, err = run(
        capsys,
        "--data-dir",
        str(data),
        "export",
        "--org",
        "TCVN",
        "--year",
        "2025",
        "--out",
        str(out),
        "--eml",
    )
    assert code == 0, err
    eml = out / "BaoCao_TCVN_2025_lan1.eml"
    assert str(eml) in stdout
    msg = email.message_from_bytes(eml.read_bytes(), policy=default)
    assert msg["To"] == "svhttdl@quangngai.gov.vn"
    assert msg["X-Unsent"] == "1"
    assert msg["Subject"] == (
        "Báo cáo kết quả chuyển đổi số báo chí năm 2025 - Tạp chí Văn nghệ Kon Tum (lần 1)"
    )
    body = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    pkg = verify_package((out / "BaoCao_TCVN_2025_lan1.zip").read_bytes())
    assert pkg.verification_code in body
    assert "Kính gửi: Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Ngãi" in body
    (att,) = list(msg.iter_attachments())
    assert att.get_filename() == "BaoCao_TCVN_2025_lan1.zip"
    assert att.get_content() == (out / "BaoCao_TCVN_2025_lan1.zip").read_bytes()


def test_full_disk_midway_leaves_nothing_and_no_lock(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    real_fsync, calls = os.fsync, []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:  # the second file cannot be flushed: the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    out = tmp_path / "out"
    code, _, err = run(
        capsys, "--data-dir", str(data), "export", "--org", "BKT", "--year", "2025", "--out", str(out)
    )
    monkeypatch.undo()
    assert code == 2
    assert "Ổ đĩa đã đầy" in err
    assert list(out.iterdir()) == []  # neither final files nor temporary ones
    code, stdout, _ = run(capsys, "--data-dir", str(data), "show", "--org", "BKT", "--year", "2025", "--json")
    assert json.loads(stdout)["status"] == "draft"


def test_out_is_a_file(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "a-file"
    target.write_text("x")
    code, _, err = run(
        capsys, "--data-dir", str(data), "export", "--org", "BKT", "--year", "2025", "--out", str(target)
    )
    assert code == 2
    assert "không phải thư mục" in err
    assert target.read_text() == "x"


def test_evidence_files_travel_in_the_package(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kdx_desktop.services.attachments import add_attachment
    from kdx_desktop.services.reporting import open_app

    src = tmp_path / "Quyết định 55.pdf"
    src.write_bytes(b"%PDF-1.4 evidence")
    app = open_app(data)
    report = app.store.report("BKT", 2025)
    add_attachment(app, report, "T1", src)
    app.close()
    out = tmp_path / "out"
    code, _, err = run(
        capsys, "--data-dir", str(data), "export", "--org", "BKT", "--year", "2025", "--out", str(out)
    )
    assert code == 0, err
    pkg = verify_package((out / "BaoCao_BQN_2025_lan1.zip").read_bytes())
    assert pkg.members["attachments/T1/Quyết định 55.pdf"] == b"%PDF-1.4 evidence"
    (entry,) = pkg.data["attachments"]
    assert entry["file_name"] == "Quyết định 55.pdf" and entry["task_code"] == "T1"
    # evidence changed behind KDX's back: the export refuses, naming the file
    stored = next((data / "attachments").iterdir())
    assert (
        run(capsys, "--data-dir", str(data), "reopen", "--org", "BKT", "--year", "2025", "--reason", "x")[0]
        == 0
    )
    stored.write_bytes(b"tampered")
    code, _, err = run(
        capsys, "--data-dir", str(data), "export", "--org", "BKT", "--year", "2025", "--out", str(out)
    )
    assert code == 1
    assert "Quyết định 55.pdf" in err
    assert not (out / "BaoCao_BQN_2025_lan2.zip").exists()


def test_verify_says_what_intact_proves_and_what_it_does_not(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hand-edited data.json with recomputed hashes is "intact": verify and the guide must say
    that this proves the file unchanged since it was closed, not who made it nor when."""
    from hostile.make_corpus import Base

    out = tmp_path / "out"
    assert (
        run(capsys, "--data-dir", str(data), "export", "--org", "BKT", "--year", "2025", "--out", str(out))[0]
        == 0
    )
    capsys.readouterr()
    base = Base(next(out.glob("*.zip")).read_bytes())
    forged = dict(base.data, created_at="2025-11-01T08:00:00+07:00")  # backdated, hashes recomputed
    path = tmp_path / "gia.zip"
    path.write_bytes(base.pack(forged))
    code, stdout, _ = run(capsys, "verify", str(path))
    assert code == 0 and "nguyên vẹn" in stdout  # integrity holds: that is all a hash can say
    assert "KHÔNG chứng minh ai đã lập gói" in stdout and "thời điểm lập" in stdout
    assert "bản giấy" in stdout and "chữ ký số" in stdout
    guide = (Path(__file__).resolve().parent.parent / "docs" / "huong-dan-su-dung.md").read_text("utf-8")
    assert "Gói điện tử chứng minh được gì" in guide and "không** chứng minh ai đã" in guide
