"""``backup [--out FILE]``: a verified, consistent copy of the database (SQLite backup API)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..paths import db_path
from ..safekeeping.backups import BackupError, copy_database, make_backup
from ..safekeeping.dbcheck import SQLITE_MAGIC, inspect_database
from . import EXIT_NOT_ACCEPTABLE, EXIT_OK, EXIT_USAGE, add, data_dir, fail


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    p = add(
        sub,
        common,
        "backup",
        "sao lưu cơ sở dữ liệu (bản sao nhất quán, đã kiểm tra toàn vẹn và số dòng)",
        run,
    )
    p.add_argument(
        "--out",
        metavar="TỆP",
        help="nơi ghi bản sao lưu (mặc định: thư mục backups trong thư mục dữ liệu, có xoay vòng khoảng một năm)",
    )


def run(args: argparse.Namespace) -> int:
    folder = data_dir(args)
    db = db_path(folder)
    if not db.exists() or db.stat().st_size == 0:
        fail(f"Chưa có cơ sở dữ liệu trong thư mục “{folder}” nên không có gì để sao lưu.")
        return EXIT_NOT_ACCEPTABLE
    damage = inspect_database(db)
    if damage is not None:  # copying would open (and so write to) a damaged database
        fail(f"{damage.message} Không sao lưu tệp hỏng; hãy dùng lệnh restore với một bản sao lưu còn tốt.")
        return EXIT_NOT_ACCEPTABLE
    try:
        if args.out:
            out = Path(args.out).expanduser().resolve()
            if out.is_dir():
                fail(f"“{out}” là một thư mục; hãy ghi tên tệp, ví dụ {out / 'kdx-sao-luu.sqlite3'}.")
                return EXIT_USAGE
            if out.parent == db.parent and out.name.startswith(db.name):  # the database or its -wal/-shm
                fail(f"“{out}” là tệp của chính cơ sở dữ liệu đang dùng; hãy ghi bản sao lưu ra tệp khác.")
                return EXIT_USAGE
            if not _replaceable(out):
                fail(
                    f"Tệp “{out}” đã có và không phải cơ sở dữ liệu SQLite; KDX không ghi đè lên nó. "
                    "Hãy ghi tên tệp khác."
                )
                return EXIT_USAGE
            counts = copy_database(db, out)
        else:
            info = make_backup(folder, "manual")
            out, counts = info.path, info.counts or {}
    except BackupError as exc:
        fail(str(exc))
        return EXIT_NOT_ACCEPTABLE
    print(f"Đã sao lưu vào {out}")
    print(
        f"Đã kiểm tra: toàn vẹn, {counts.get('reports', 0)} báo cáo, {counts.get('entries', 0)} giá trị, "
        f"{counts.get('audit', 0)} dòng nhật ký."
    )
    return EXIT_OK


def _replaceable(out: Path) -> bool:
    """Whether ``--out`` may be written: a new name, or an earlier database copy (a document typed
    there by mistake must not be overwritten)."""
    try:
        with open(out, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError:
        return True  # a new name; or copy_database reports why it cannot be written
    return head in (b"", SQLITE_MAGIC)
