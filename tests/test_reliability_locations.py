"""Data folder placement: network paths refused, removable drives reported, free space checked.

The Windows drive-type logic runs here with ``GetDriveTypeW`` replaced by a table."""

from __future__ import annotations

from pathlib import Path

import pytest

from kdx_desktop.core.numbers import format_size
from kdx_desktop.safekeeping import locations
from kdx_desktop.safekeeping.locations import (
    DRIVE_CDROM,
    DRIVE_FIXED,
    DRIVE_NO_ROOT_DIR,
    DRIVE_REMOTE,
    DRIVE_REMOVABLE,
    LOCAL,
    MISSING,
    NETWORK,
    OPTICAL,
    REMOVABLE,
    NotEnoughSpace,
    classify,
    ensure_free_space,
)

DRIVES = {"C:\\": DRIVE_FIXED, "D:\\": DRIVE_CDROM, "E:\\": DRIVE_REMOVABLE, "Z:\\": DRIVE_REMOTE}
asked: list[str] = []


def drive_type(root: str) -> int:
    asked.append(root)
    return DRIVES.get(root.upper(), DRIVE_NO_ROOT_DIR)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (r"C:\Users\van\AppData\Local\KDX", LOCAL),
        (r"c:\KDX-data", LOCAL),
        (r"\\maychu\chung\KDX", NETWORK),
        (r"//maychu/chung/KDX", NETWORK),
        (r"\\?\UNC\maychu\chung\KDX", NETWORK),
        (r"\\?\C:\KDX", LOCAL),
        (r"Z:\KDX", NETWORK),  # a mapped network drive looks like a letter
        (r"E:\KDX-data", REMOVABLE),
        (r"D:\KDX", OPTICAL),
        (r"Q:\KDX", MISSING),
    ],
)
def test_windows_drive_kinds(path: str, kind: str) -> None:
    loc = classify(Path(path), platform="win32", get_drive_type=drive_type)
    assert loc.kind == kind
    assert loc.refused == (kind in (NETWORK, OPTICAL, MISSING))
    if kind == LOCAL:
        assert loc.message is None
    else:
        assert loc.message and str(Path(path)) in loc.message


def test_unc_paths_are_refused_without_asking_the_drive_type() -> None:
    asked.clear()
    loc = classify(Path(r"\\maychu\chung\KDX"), platform="win32", get_drive_type=drive_type)
    assert loc.kind == NETWORK and asked == []
    assert "ổ mạng" in (loc.message or "") and "Hãy chọn một thư mục" in (loc.message or "")


def test_mapped_drive_asks_for_the_root_of_the_drive() -> None:
    asked.clear()
    classify(Path(r"Z:\KDX\data"), platform="win32", get_drive_type=drive_type)
    assert asked == ["Z:\\"]


@pytest.mark.parametrize(
    ("bus", "kind"),
    [(locations.BUS_USB, REMOVABLE), (locations.BUS_SD, REMOVABLE), (0x11, LOCAL), (None, LOCAL)],
)
def test_a_fixed_drive_on_a_usb_bus_is_removable(bus: int | None, kind: str) -> None:
    # GetDriveTypeW says "fixed" for many USB disks; the bus type (0x11 = NVMe) tells them apart.
    buses: list[str] = []

    def bus_type(root: str) -> int | None:
        buses.append(root)
        return bus

    loc = classify(Path(r"C:\KDX"), platform="win32", get_drive_type=drive_type, get_bus_type=bus_type)
    assert loc.kind == kind and buses == ["C:\\"]
    if kind == REMOVABLE:
        assert "USB" in (loc.message or "") or "thẻ SD" in (loc.message or "")


def test_removable_message_offers_to_move_to_the_pc() -> None:
    loc = classify(Path(r"E:\KDX-data"), platform="win32", get_drive_type=drive_type)
    assert "ổ đĩa rời" in (loc.message or "") and "chuyển dữ liệu về ổ đĩa của máy tính" in (
        loc.message or ""
    )
    assert not loc.refused


MOUNTS = """\
/dev/sda2 / ext4 rw,relatime 0 0
/dev/sda1 /boot/efi vfat rw 0 0
nas:/export/home /home/shared nfs4 rw,relatime 0 0
//server/share /mnt/so\\040tttt cifs rw 0 0
/dev/sdb1 /media/van/USB vfat rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/home/van/.local/share/KDX", LOCAL),
        ("/home/shared/KDX", NETWORK),
        ("/mnt/so tttt/KDX", NETWORK),  # mount point with an escaped space
        ("/media/van/USB/KDX", REMOVABLE),
        ("/tmp/KDX", LOCAL),
    ],
)
def test_linux_mount_kinds(path: str, kind: str) -> None:
    loc = locations.classify_posix(path, MOUNTS, block_removable=lambda dev: False)
    assert loc.kind == kind


def test_linux_removable_block_device_is_reported() -> None:
    loc = locations.classify_posix(
        "/data/KDX", "/dev/sdc1 /data ext4 rw 0 0\n", block_removable=lambda d: d == "/dev/sdc1"
    )
    assert loc.kind == REMOVABLE


def test_this_machine_temp_folder_is_local(tmp_path: Path) -> None:
    assert not classify(tmp_path).refused


def test_free_space_check_names_the_folder_and_sizes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locations, "free_bytes", lambda folder: 3 * 1024 * 1024 // 2)
    with pytest.raises(NotEnoughSpace) as err:
        ensure_free_space(tmp_path / "chua-co", 50 * 1024 * 1024, "tạo bản sao lưu")
    msg = str(err.value)
    assert "Không đủ chỗ trống để tạo bản sao lưu" in msg and "còn 1,5 MB" in msg and "50,0 MB" in msg
    ensure_free_space(tmp_path, 1024, "xuất báo cáo")  # enough: no error


def test_format_size() -> None:
    assert format_size(500) == "500 byte"
    assert format_size(1536) == "1,5 KB"
    assert format_size(5 * 1024**3) == "5,0 GB"
