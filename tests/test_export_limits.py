"""An agency cannot send what the Sở's import would refuse: the same limits on both sides."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kdx_desktop.package import limits
from kdx_desktop.services import attachments
from kdx_desktop.services.exporting import ExportRefused, export_report
from kdx_desktop.services.reporting import open_app


def test_an_oversized_package_is_refused_before_anything_is_written(
    demo_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "d"
    shutil.copytree(demo_dir, data)
    monkeypatch.setattr(limits, "DEFAULT_LIMITS", limits.Limits(max_package_bytes=10_000))
    app = open_app(data)
    try:
        with pytest.raises(ExportRefused, match="Sở chỉ nhận gói đến 9,8 KB"):
            export_report(app, "BKT", 2025, tmp_path / "out")
        assert not app.store.find_report("BKT", 2025).locked  # type: ignore[union-attr]
    finally:
        app.close()
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_evidence_files_stay_within_what_the_sở_accepts() -> None:
    assert attachments.MAX_BYTES <= limits.DEFAULT_LIMITS.max_member_bytes
    assert attachments.MAX_BYTES <= limits.DEFAULT_LIMITS.max_package_bytes // 2


def test_an_import_batch_is_refused_up_front_when_the_disk_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kdx_desktop.safekeeping import locations
    from kdx_desktop.services.intake import import_paths
    from kdx_desktop.services.reporting import UsageError

    pkg = tmp_path / "BaoCao_BQN_2025_lan1.zip"
    pkg.write_bytes(b"PK" + bytes(100))
    (tmp_path / "so").mkdir()
    app = open_app(tmp_path / "so")
    try:
        before = app.store.db.execute("SELECT count(*) FROM audit").fetchone()
        monkeypatch.setattr(locations, "free_bytes", lambda _p: 1024)
        with pytest.raises(UsageError, match="Không đủ chỗ trống để nhập các gói báo cáo"):
            import_paths(app, [pkg])
        assert app.store.db.execute("SELECT count(*) FROM audit").fetchone() == before
        assert not list((tmp_path / "so").glob("backups/*"))
    finally:
        app.close()


def test_export_on_a_full_disk_says_how_much_in_vietnamese_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kdx_desktop.fsutil import OutputError
    from kdx_desktop.safekeeping import locations
    from kdx_desktop.services import exporting

    monkeypatch.setattr(locations, "free_bytes", lambda _p: 1536 * 1024)
    with pytest.raises(OutputError) as caught:
        exporting.write_files(tmp_path / "out", {"a.pdf": b"x" * (2 * 1024 * 1024)})
    msg = str(caught.value)
    assert msg.startswith("Không đủ chỗ trống để ghi các tệp xuất") and "còn 1,5 MB" in msg
    assert str(tmp_path / "out") in msg and not list((tmp_path / "out").iterdir())
