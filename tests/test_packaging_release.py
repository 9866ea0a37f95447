"""The Windows release as the build script makes it: the whole dependency set pinned with hashes,
code signing ready but off by default, a zip with "/" in its entry names and nobody's data in it."""

from __future__ import annotations

import re
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import release_zip  # noqa: E402

LOCK = ROOT / "scripts" / "windows-requirements.txt"
BUILD = (ROOT / "scripts" / "build_windows.ps1").read_text("utf-8")


def locked() -> dict[str, tuple[str, str]]:
    text = LOCK.read_text("utf-8")
    found = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\\n\s+--hash=sha256:([0-9a-f]{64})$", text, re.M)
    return {name.lower().replace("_", "-"): (version, digest) for name, version, digest in found}


def test_the_lock_pins_every_requirement_with_a_hash() -> None:
    pins = locked()
    entries = [line for line in LOCK.read_text("utf-8").splitlines() if "==" in line]
    assert len(pins) == len(entries) >= 20  # every line parsed: name, version and hash
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    target = {"python_version": "3.12", "python_full_version": "3.12.0", "sys_platform": "win32"}
    for text in [*project["dependencies"], *project["optional-dependencies"]["build"]]:
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate(target):
            continue
        name = req.name.lower().replace("_", "-")
        assert name in pins, f"{req.name} is not in {LOCK.name}: run scripts/lock_windows.py"
        assert req.specifier.contains(pins[name][0]), (
            f"{req.name} {pins[name][0]} does not meet {req.specifier}"
        )


def test_the_build_installs_exactly_the_lock_and_signs_only_when_asked() -> None:
    assert "--require-hashes" in BUILD and "windows-requirements.txt" in BUILD
    assert "Compress-Archive" not in BUILD and "release_zip.py" in BUILD
    assert '[string]$SignThumbprint = ""' in BUILD  # off by default
    sign = BUILD.index("signtool sign")
    assert BUILD.rindex("if ($SignThumbprint)", 0, sign) < sign < BUILD.index("scripts\\release_zip.py dist")
    assert "/fd SHA256" in BUILD and "/tr $TimestampUrl" in BUILD and "signtool verify /pa" in BUILD


def test_the_release_zip_uses_forward_slashes(tmp_path: Path) -> None:
    folder = tmp_path / "KDX"
    (folder / "_internal" / "resources").mkdir(parents=True)
    (folder / "KDX.exe").write_bytes(b"MZ")
    (folder / "_internal" / "resources" / "kdx-catalog.json").write_text("{}")
    target = tmp_path / "KDX-1.0-windows-x64.zip"
    assert release_zip.make_zip(folder, target) == 2
    with zipfile.ZipFile(target) as z:
        assert sorted(z.namelist()) == ["KDX/KDX.exe", "KDX/_internal/resources/kdx-catalog.json"]


@pytest.mark.parametrize("leftover", ["KDX-data/kdx.sqlite3", "portable.txt", "_internal/x.sqlite3-wal"])
def test_the_release_zip_refuses_data_left_by_a_test_run(tmp_path: Path, leftover: str) -> None:
    folder = tmp_path / "KDX"
    (folder / leftover).parent.mkdir(parents=True, exist_ok=True)
    (folder / "KDX.exe").write_bytes(b"MZ")
    (folder / leftover).write_bytes(b"")
    with pytest.raises(ValueError, match="not part of a release"):
        release_zip.make_zip(folder, tmp_path / "r.zip")
    assert not (tmp_path / "r.zip").exists()


def test_the_windows_page_has_the_first_run_and_the_checklist() -> None:
    page = (ROOT / "docs" / "WINDOWS.md").read_text("utf-8")
    assert "docs/WINDOWS.md" in (ROOT / "README.md").read_text("utf-8")
    checklist = page[page.index("## The 30-minute checklist") :]
    for topic in (
        "Nguyễn Văn A", "Excel", "USB stick", "Mapped network drive", "Dark mode", "125 %", "150 %",
        "Antivirus", "onto `KDX.exe`", ".eml", "Outlook", "Thunderbird", "PowerShell 5.1",
    ):  # fmt: skip
        assert topic in checklist, topic
    assert "Windows 10 64-bit, version 1809" in page and "Run anyway" in page and "Smart App Control" in page


def test_every_test_the_windows_page_names_exists() -> None:
    page = (ROOT / "docs" / "WINDOWS.md").read_text("utf-8")
    named = set(re.findall(r"`(test_\w+)`", page))
    files = set(re.findall(r"(test_\w+\.py)", page))
    source = "\n".join(p.read_text("utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    assert named and files
    assert {n for n in named if f"def {n}(" not in source} == set()
    assert {f for f in files if not (ROOT / "tests" / f).exists()} == set()
