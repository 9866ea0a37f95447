"""An agency cannot send what the Sở's import would refuse: the same limits on both sides."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kdx_desktop.intake import limits
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
