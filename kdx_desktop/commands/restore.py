"""``restore FILE``: put a backup back, keeping the current database aside."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..safekeeping.backups import BackupError
from ..safekeeping.instance_lock import AlreadyRunning
from ..safekeeping.restoring import restore
from . import EXIT_NOT_ACCEPTABLE, EXIT_OK, add, data_dir, fail


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub,
        common,
        "restore",
        "khôi phục cơ sở dữ liệu từ một bản sao lưu (kiểm tra tệp trước; giữ lại cơ sở dữ liệu hiện tại)",
        run,
    )
    p.add_argument("file", metavar="TỆP", help="bản sao lưu (.sqlite3), ví dụ trong thư mục backups")


def run(args: argparse.Namespace) -> int:
    folder = data_dir(args)
    try:
        done = restore(folder, Path(args.file).expanduser())
    except (BackupError, AlreadyRunning) as exc:
        fail(str(exc))
        return EXIT_NOT_ACCEPTABLE
    print(f"Đã khôi phục từ {done.restored_from}")
    print(
        f"Dữ liệu khôi phục: {done.counts.get('reports', 0)} báo cáo, {done.counts.get('entries', 0)} giá trị, "
        f"{done.counts.get('audit', 0)} dòng nhật ký."
    )
    if done.safety_backup is not None:
        print(f"Bản sao lưu của dữ liệu trước khi khôi phục: {done.safety_backup.path}")
    if done.aside is not None:
        print(f"Cơ sở dữ liệu cũ được giữ lại tại: {done.aside}")
    return EXIT_OK
