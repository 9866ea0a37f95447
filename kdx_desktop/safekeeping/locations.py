"""Where the data folder may live, and how much room it has.

SQLite's locking and flushing are only trustworthy on a local disk: on a network share a lost
connection or a second PC can silently corrupt the database, so a data folder on a network path
is refused. A removable drive (USB stick) works but is pulled out while writing far too often,
so the app offers to move the data to the PC. The platform calls are injectable so the Windows
drive-type logic is tested on any machine.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path, PureWindowsPath
from typing import NamedTuple

from ..core.numbers import format_size
from ..errors import KdxError
from ..fsutil import free_bytes

log = logging.getLogger(__name__)

LOCAL, NETWORK, REMOVABLE, OPTICAL, MISSING = "local", "network", "removable", "optical", "missing"

# GetDriveTypeW results (WinBase.h).
DRIVE_UNKNOWN, DRIVE_NO_ROOT_DIR, DRIVE_REMOVABLE, DRIVE_FIXED = 0, 1, 2, 3
DRIVE_REMOTE, DRIVE_CDROM, DRIVE_RAMDISK = 4, 5, 6

# File systems reached over a network (Linux /proc/mounts type column).
NETWORK_FS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smbfs",
        "smb3",
        "afs",
        "ncpfs",
        "coda",
        "ceph",
        "glusterfs",
        "lustre",
        "davfs",
        "fuse.sshfs",
        "fuse.glusterfs",
        "fuse.davfs2",
        "fuse.rclone",
    }
)


class Location(NamedTuple):
    """What kind of place ``path`` is on. ``detail`` names the share, drive or file system."""

    path: Path
    kind: str
    detail: str = ""

    @property
    def refused(self) -> bool:
        """True where KDX must not keep its database at all."""
        return self.kind in (NETWORK, OPTICAL, MISSING)

    @property
    def message(self) -> str | None:
        """Vietnamese explanation for anything but a local disk (None when local)."""
        where = f"“{self.path}”"
        if self.kind == NETWORK:
            return (
                f"Thư mục dữ liệu {where} nằm trên ổ mạng ({self.detail}). KDX không lưu dữ liệu trên ổ mạng vì "
                "mất kết nối hoặc một máy khác mở cùng lúc có thể làm hỏng cơ sở dữ liệu. "
                "Hãy chọn một thư mục trên ổ đĩa của máy này."
            )
        if self.kind == REMOVABLE:
            return (
                f"Thư mục dữ liệu {where} nằm trên ổ đĩa rời ({self.detail}). Rút ổ ra khi KDX đang ghi có thể "
                "làm mất dữ liệu. Nên chuyển dữ liệu về ổ đĩa của máy tính."
            )
        if self.kind == OPTICAL:
            return f"Thư mục dữ liệu {where} nằm trên đĩa CD/DVD (chỉ đọc). Hãy chọn một thư mục trên ổ đĩa của máy này."
        if self.kind == MISSING:
            return (
                f"Không tìm thấy ổ đĩa của thư mục dữ liệu {where}. Hãy cắm lại ổ đĩa hoặc chọn thư mục khác."
            )
        return None


# -- Windows ------------------------------------------------------------------------


def _windows_get_drive_type(root: str) -> int:  # pragma: no cover - Windows only
    import ctypes

    windll = getattr(ctypes, "windll")  # noqa: B009 - absent from non-Windows type stubs
    return int(windll.kernel32.GetDriveTypeW(root))


# STORAGE_BUS_TYPE values (winioctl.h) of disks that are plugged in and pulled out.
BUS_USB, BUS_SD, BUS_MMC = 0x07, 0x0C, 0x0D
UNPLUGGABLE_BUSES = {BUS_USB: "USB", BUS_SD: "thẻ SD", BUS_MMC: "thẻ nhớ"}


def _windows_bus_type(root: str) -> int | None:  # pragma: no cover - Windows only
    """The bus a drive's disk hangs on (IOCTL_STORAGE_QUERY_PROPERTY), or None if unknown.

    GetDriveTypeW calls many USB hard disks and some USB sticks "fixed" (it reports the
    removable-media bit, not the bus), so the bus is asked too. Assumption to check on a real
    PC: docs/WINDOWS.md."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.CreateFileW.restype = wintypes.HANDLE
    kernel32.CreateFileW.argtypes = [
        wintypes.LPCWSTR,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.LPVOID,
        wintypes.DWORD,
        wintypes.DWORD,
        wintypes.HANDLE,
    ]
    kernel32.DeviceIoControl.argtypes = [
        wintypes.HANDLE,
        wintypes.DWORD,
        wintypes.LPVOID,
        wintypes.DWORD,
        wintypes.LPVOID,
        wintypes.DWORD,
        ctypes.POINTER(wintypes.DWORD),
        wintypes.LPVOID,
    ]
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]

    class PropertyQuery(ctypes.Structure):  # STORAGE_PROPERTY_QUERY
        _fields_ = [
            ("PropertyId", wintypes.DWORD),  # StorageDeviceProperty = 0
            ("QueryType", wintypes.DWORD),  # PropertyStandardQuery = 0
            ("AdditionalParameters", ctypes.c_ubyte * 1),
        ]

    class DeviceDescriptor(ctypes.Structure):  # STORAGE_DEVICE_DESCRIPTOR
        _fields_ = [
            ("Version", wintypes.DWORD),
            ("Size", wintypes.DWORD),
            ("DeviceType", ctypes.c_ubyte),
            ("DeviceTypeModifier", ctypes.c_ubyte),
            ("RemovableMedia", ctypes.c_ubyte),
            ("CommandQueueing", ctypes.c_ubyte),
            ("VendorIdOffset", wintypes.DWORD),
            ("ProductIdOffset", wintypes.DWORD),
            ("ProductRevisionOffset", wintypes.DWORD),
            ("SerialNumberOffset", wintypes.DWORD),
            ("BusType", wintypes.DWORD),
            ("RawPropertiesLength", wintypes.DWORD),
            ("RawDeviceProperties", ctypes.c_ubyte * 1),
        ]

    invalid = wintypes.HANDLE(-1).value
    share_read_write, open_existing, ioctl_storage_query_property = 0x1 | 0x2, 3, 0x002D1400
    handle = kernel32.CreateFileW(
        "\\\\.\\" + root.rstrip("\\/"), 0, share_read_write, None, open_existing, 0, None
    )
    if handle in (None, invalid):
        return None
    try:
        query, desc, returned = PropertyQuery(0, 0), DeviceDescriptor(), wintypes.DWORD()
        ok = kernel32.DeviceIoControl(
            handle,
            ioctl_storage_query_property,
            ctypes.byref(query),
            ctypes.sizeof(query),
            ctypes.byref(desc),
            ctypes.sizeof(desc),
            ctypes.byref(returned),
            None,
        )
        return int(desc.BusType) if ok else None
    finally:
        kernel32.CloseHandle(handle)


def classify_windows(
    path: str, get_drive_type: Callable[[str], int], get_bus_type: Callable[[str], int | None] | None = None
) -> Location:
    """Kind of a Windows path: UNC shares are network paths; otherwise ask the drive type of
    its root (``C:\\``), so a mapped network drive (``Z:``) is recognised too; a "fixed" drive
    whose disk is on a USB or SD bus is removable all the same."""
    win = PureWindowsPath(path)
    drive = win.drive
    if drive.startswith("\\\\?\\") or drive.startswith("\\\\.\\"):
        rest = drive[4:]
        if rest.upper().startswith("UNC\\"):
            return Location(Path(path), NETWORK, "\\\\" + rest[4:])
        drive = rest  # \\?\C: is an ordinary drive
    elif drive.startswith("\\\\") or drive.startswith("//"):
        return Location(Path(path), NETWORK, drive)
    if not drive:
        return Location(Path(path), LOCAL, "")
    root = drive.rstrip("\\/") + "\\"
    kind = get_drive_type(root)
    if kind == DRIVE_REMOTE:
        return Location(Path(path), NETWORK, f"ổ mạng {drive}")
    if kind == DRIVE_REMOVABLE:
        return Location(Path(path), REMOVABLE, f"ổ {drive}")
    if kind == DRIVE_CDROM:
        return Location(Path(path), OPTICAL, f"ổ {drive}")
    if kind == DRIVE_NO_ROOT_DIR:
        return Location(Path(path), MISSING, f"ổ {drive}")
    bus = get_bus_type(root) if get_bus_type is not None else None
    if bus in UNPLUGGABLE_BUSES:
        return Location(Path(path), REMOVABLE, f"ổ {drive}, {UNPLUGGABLE_BUSES[bus]}")
    return Location(Path(path), LOCAL, f"ổ {drive}")


# -- Linux --------------------------------------------------------------------------


def _unescape_mount(field: str) -> str:
    # /proc/mounts escapes space, tab, newline and backslash as octal (\040 ...).
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and i + 4 <= len(field) and field[i + 1 : i + 4].isdigit():
            out.append(chr(int(field[i + 1 : i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def mount_of(path: str, mounts_text: str) -> tuple[str, str, str]:
    """(device, mount point, fs type) of the mount holding ``path`` (longest matching mount point)."""
    best = ("", "/", "")
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        dev, mnt, fstype = _unescape_mount(parts[0]), _unescape_mount(parts[1]), parts[2]
        prefix = mnt.rstrip("/") + "/"
        if (path == mnt or path.startswith(prefix) or mnt == "/") and len(mnt) >= len(best[1]):
            best = (dev, mnt, fstype)
    return best


def _linux_block_removable(device: str) -> bool:
    """True when ``device`` (e.g. /dev/sdb1) sits on a disk the kernel flags as removable."""
    if not device.startswith("/dev/"):
        return False
    try:
        sys_dev = Path("/sys/class/block", Path(device).name).resolve()
        disk = sys_dev.parent if (sys_dev / "partition").exists() else sys_dev
        return (disk / "removable").read_text().strip() == "1"
    except OSError:
        return False


def classify_posix(
    path: str, mounts_text: str, block_removable: Callable[[str], bool] = _linux_block_removable
) -> Location:
    dev, mnt, fstype = mount_of(path, mounts_text)
    if fstype in NETWORK_FS or fstype.startswith("nfs") or dev.startswith("//"):
        return Location(Path(path), NETWORK, f"{fstype} {dev}".strip())
    if mnt.startswith(("/media/", "/run/media/")) or block_removable(dev):
        return Location(Path(path), REMOVABLE, mnt)
    return Location(Path(path), LOCAL, mnt)


# -- entry point --------------------------------------------------------------------


def classify(
    path: Path,
    *,
    platform: str | None = None,
    get_drive_type: Callable[[str], int] | None = None,
    get_bus_type: Callable[[str], int | None] | None = None,
    mounts_text: str | None = None,
) -> Location:
    """What kind of place the data folder ``path`` is on (local, network, removable …).

    ``platform``/``get_drive_type``/``get_bus_type``/``mounts_text`` replace the real system
    calls in tests.
    """
    platform = platform or sys.platform
    text = str(path)
    if platform == "win32":
        if sys.platform == "win32":
            text = os.path.abspath(text)
        if get_drive_type is None:
            get_drive_type, get_bus_type = _windows_get_drive_type, get_bus_type or _windows_bus_type
        return classify_windows(text, get_drive_type, get_bus_type)
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return Location(Path(path), LOCAL, "")  # macOS and others: no /proc; assume local
        text = str(Path(path).resolve())
    return classify_posix(text, mounts_text)


# -- free space ---------------------------------------------------------------------


class NotEnoughSpace(KdxError, OSError):
    """Too little free space for an operation; the message is Vietnamese."""


def ensure_free_space(folder: Path, needed: int, what: str) -> None:
    """Raise :class:`NotEnoughSpace` unless ``folder``'s disk has ``needed`` bytes free.

    ``what`` completes the sentence “Không đủ chỗ trống để …”, e.g. ``"tạo bản sao lưu"``.
    """
    probe = Path(folder)
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    free = free_bytes(probe)
    if free < needed:
        raise NotEnoughSpace(
            f"Không đủ chỗ trống để {what}: ổ đĩa chứa “{folder}” còn {format_size(free)}, "
            f"cần ít nhất {format_size(needed)}. Hãy giải phóng dung lượng rồi thử lại."
        )
