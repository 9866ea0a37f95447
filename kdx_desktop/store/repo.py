"""The store: reports, their entries, revisions and the audit trail.

One user action is one transaction that includes its audit rows, so a value can never exist
without the record of who entered it, nor the reverse.
"""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.report import DRAFT, EXPORTED, Change, Report
from ..errors import KdxError
from ..fsutil import fsync_dir as _fsync_dir
from ..system import files
from ..system.files import os_reason
from .connection import DatabaseUnavailable, connect, storage_problem, unavailable
from .database import Database, applied_migrations, known_migrations

log = logging.getLogger(__name__)


class StoreError(KdxError, RuntimeError):
    """A refusal by the store; the message is Vietnamese."""

    usage = True


class ReportLocked(StoreError):
    """The report was exported and is read-only until reopened."""


class NewerDatabase(StoreError):
    """The database was written by a newer KDX."""


class StorageFailure(StoreError):
    """The disk refused a write (full, I/O error, read-only); the transaction was rolled back."""


def now_iso() -> str:
    """Local time with its offset, e.g. ``2026-11-20T09:15:00+07:00``."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "không rõ"


@dataclass(frozen=True)
class EditionSignature:
    """How an installed catalogue edition was signed by the Sở (table catalog_edition_signatures):
    the detached CMS signature kept as evidence, and who signed it when (Vietnam time, ISO)."""

    signature: bytes
    signer: str
    organisation: str
    signed_at: str | None
    revocation: str  # "checked" or "not checked"
    checked_at: str = ""


class Store:
    """Access to one KDX database. Create with :func:`open_store`."""

    def __init__(self, db: Database, path: Path | None) -> None:
        self.db = db
        self.path = path

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._atomic():
            yield

    @contextmanager
    def _atomic(self) -> Iterator[None]:
        """``db.atomic()`` turning a disk failure into :class:`StorageFailure` (Vietnamese)."""
        try:
            with self.db.atomic():
                yield
        except sqlite3.Error as exc:
            message = storage_problem(exc)
            if message is None:
                raise
            raise StorageFailure(message) from exc

    # -- settings -------------------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str, *, user: str | None = None) -> None:
        with self._atomic():
            old = self.setting(key)
            self.db.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            self._audit("setting", None, key, old, value, None, user)

    # -- profiles -------------------------------------------------------------------
    def profile(self, org_code: str, year: int) -> dict[str, Any] | None:
        """The organisation's own profile valid for ``year`` (latest ``valid_from`` <= year)."""
        cur = self.db.execute(
            "SELECT * FROM profiles WHERE org_code = ? AND valid_from <= ? ORDER BY valid_from DESC LIMIT 1",
            [org_code, year],
        )
        found = _dicts(cur)
        return found[0] if found else None

    def save_profile(
        self, org_code: str, valid_from: int, fields: Mapping[str, str], *, user: str | None = None
    ) -> None:
        cols = (
            "governing_body name abbreviation place signer_name signer_prefix signer_title recipient recipients_cc email"
        ).split()
        row = {c: fields.get(c, "") for c in cols}
        with self._atomic():
            old = self.profile(org_code, valid_from)
            self.db.execute(
                f"INSERT OR REPLACE INTO profiles(org_code, valid_from, {', '.join(cols)}, updated_at) "
                f"VALUES (?, ?, {', '.join('?' for _ in cols)}, ?)",
                [org_code, valid_from, *row.values(), now_iso()],
            )
            self._audit("profile", None, f"profile.{org_code}.{valid_from}", _j(old), _j(row), None, user)

    # -- reports --------------------------------------------------------------------
    def find_report(self, org_code: str, year: int) -> Report | None:
        row = self.db.execute(
            "SELECT id, org_code, year, status, revision FROM reports WHERE org_code = ? AND year = ?",
            [org_code, year],
        ).fetchone()
        return Report(*row) if row else None

    def report(self, org_code: str, year: int) -> Report:
        """The report of ``org_code`` for ``year``, created (empty draft, revision 1) if missing."""
        found = self.find_report(org_code, year)
        if found:
            return found
        with self._atomic():
            ts = now_iso()
            cur = self.db.execute(
                "INSERT INTO reports(org_code, year, status, revision, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)",
                [org_code, year, DRAFT, ts, ts],
            )
            rid = int(cur.lastrowid or 0)
            self.db.execute("INSERT INTO revisions(report_id, revision) VALUES (?, 1)", [rid])
            self._audit("create_report", rid, None, None, f"{org_code}/{year}", None, None)
        return Report(rid, org_code, year, DRAFT, 1)

    def reports(self) -> list[Report]:
        rows = self.db.execute(
            "SELECT id, org_code, year, status, revision FROM reports ORDER BY year, org_code"
        )
        return [Report(*r) for r in rows.fetchall()]

    def entries(self, report_id: int) -> dict[str, Change]:
        rows = self.db.execute(
            "SELECT key, value, na FROM entries WHERE report_id = ?", [report_id]
        ).fetchall()
        return {k: (v, bool(na)) for k, v, na in rows}

    def require_editable(self, report: Report, doing: str) -> None:
        """Refuse (``ReportLocked``) to change ``report`` once exported. Call it inside the
        transaction that changes it: the status read there is the one the change commits against,
        so a report exported meanwhile (by the command line, say) is never edited behind the lock.
        ``doing`` completes the message: "… trước khi {doing}"."""
        status = self.db.execute("SELECT status FROM reports WHERE id = ?", [report.id]).fetchone()
        if status is None:
            raise StoreError(f"Báo cáo năm {report.year} không tồn tại.")
        if status[0] == EXPORTED:
            raise ReportLocked(
                f"Báo cáo năm {report.year} đã xuất và đang bị khóa; "
                f"hãy “Mở lại để sửa” (kèm lý do) trước khi {doing}."
            )

    def save_entries(
        self,
        report: Report,
        changes: Mapping[str, Change | None],
        *,
        action: str = "edit",
        reason: str | None = None,
        user: str | None = None,
    ) -> int:
        """Store ``changes`` (key -> (text, na), or None to clear) in one transaction with one
        audit row per changed key. Refused on a locked report. Returns how many keys changed."""
        with self._atomic():
            self.require_editable(report, "sửa")
            ts = now_iso()
            changed = 0
            for key, change in changes.items():
                # Only the keys being changed are read: the window saves one key per edit.
                row = self.db.execute(
                    "SELECT value, na FROM entries WHERE report_id = ? AND key = ?", [report.id, key]
                ).fetchone()
                old: Change | None = None if row is None else (row[0], bool(row[1]))
                if change is None or (change[0] is None and not change[1]):
                    if old is None:
                        continue
                    self.db.execute("DELETE FROM entries WHERE report_id = ? AND key = ?", [report.id, key])
                    self._audit(action, report.id, key, _show(old), None, reason, user, ts)
                else:
                    text, na = change
                    if old == (None if na else text, na):
                        continue
                    self.db.execute(
                        "INSERT INTO entries(report_id, key, value, na, updated_at) VALUES (?, ?, ?, ?, ?) "
                        "ON CONFLICT(report_id, key) DO UPDATE SET value = excluded.value, na = excluded.na, "
                        "updated_at = excluded.updated_at",
                        [report.id, key, None if na else text, int(na), ts],
                    )
                    self._audit(action, report.id, key, _show(old), _show((text, na)), reason, user, ts)
                changed += 1
            if changed:
                self.db.execute("UPDATE reports SET updated_at = ? WHERE id = ?", [ts, report.id])
            return changed

    # -- catalogue editions ----------------------------------------------------------

    def catalog_editions(self) -> list[tuple[int, bytes]]:
        """Every installed edition (number, catalogue file), oldest first (edition 1 is bundled)."""
        rows = self.db.execute("SELECT edition, content FROM catalog_editions ORDER BY edition").fetchall()
        return [(int(n), bytes(c)) for n, c in rows]

    def add_catalog_edition(
        self,
        edition: int,
        catalog_id: str,
        sha256: str,
        content: bytes,
        *,
        signed: EditionSignature | None = None,
        user: str | None = None,
    ) -> None:
        """Install one edition (with the Sở's signature when it was signed) and its audit row, in
        one transaction."""
        with self._atomic():
            ts = now_iso()
            self.db.execute(
                "INSERT INTO catalog_editions(edition, catalog_id, sha256, content, installed_at, installed_by) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [edition, catalog_id, sha256, content, ts, user or current_user()],
            )
            by = ""
            if signed is not None:
                self.db.execute(
                    "INSERT INTO catalog_edition_signatures(edition, signature, signer, organisation, signed_at, "
                    "revocation, checked_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        edition,
                        signed.signature,
                        signed.signer,
                        signed.organisation,
                        signed.signed_at,
                        signed.revocation,
                        ts,
                    ],
                )
                by = f" ký số bởi {signed.signer} ({signed.organisation})"
            self._audit(
                "install_catalog",
                None,
                None,
                None,
                f"{catalog_id} lần {edition} {sha256}{by}",
                None,
                user,
                ts,
            )

    def edition_signatures(self) -> dict[int, EditionSignature]:
        """The Sở's signature of each installed edition that was signed, by edition number."""
        rows = self.db.execute(
            "SELECT edition, signature, signer, organisation, signed_at, revocation, checked_at "
            "FROM catalog_edition_signatures"
        ).fetchall()
        return {int(r[0]): EditionSignature(bytes(r[1]), *r[2:]) for r in rows}

    def exported_edition(self, report: Report) -> int | None:
        """The catalogue edition the report's current revision was exported under (None: a draft)."""
        row = self.db.execute(
            "SELECT catalog_edition, exported_at FROM revisions WHERE report_id = ? AND revision = ?",
            [report.id, report.revision],
        ).fetchone()
        if row is None or row[1] is None:
            return None
        return int(row[0] or 1)

    def last_exported_edition(self, report: Report) -> int | None:
        """The edition of the latest exported revision (a reopened report's previous one)."""
        row = self.db.execute(
            "SELECT catalog_edition FROM revisions WHERE report_id = ? AND exported_at IS NOT NULL "
            "ORDER BY revision DESC LIMIT 1",
            [report.id],
        ).fetchone()
        return None if row is None else int(row[0] or 1)

    def mark_exported(
        self,
        report: Report,
        *,
        data_sha256: str,
        verification_code: str,
        package_name: str,
        user: str | None = None,
        exported_at: str | None = None,
        catalog_edition: int = 1,
    ) -> Report:
        """Lock ``report`` at its current revision, recording what was exported.

        ``exported_at`` is the package's ``created_at`` (so a re-export can rebuild the same data)."""
        with self._atomic():
            ts = exported_at or now_iso()
            self.db.execute(
                "UPDATE revisions SET exported_at = ?, data_sha256 = ?, verification_code = ?, package_name = ?, "
                "catalog_edition = ? WHERE report_id = ? AND revision = ?",
                [
                    ts,
                    data_sha256,
                    verification_code,
                    package_name,
                    catalog_edition,
                    report.id,
                    report.revision,
                ],
            )
            self.db.execute(
                "UPDATE reports SET status = ?, updated_at = ? WHERE id = ?", [EXPORTED, ts, report.id]
            )
            self._audit(
                "export", report.id, None, None, f"r{report.revision} {verification_code}", None, user, ts
            )
        return Report(report.id, report.org_code, report.year, EXPORTED, report.revision)

    def reopen(self, report: Report, reason: str, *, user: str | None = None) -> Report:
        """Unlock an exported report; the next export is revision N+1."""
        if not report.locked:
            raise StoreError(f"Báo cáo năm {report.year} chưa xuất nên không cần mở lại.")
        if not reason.strip():
            raise StoreError("Phải nêu lý do mở lại báo cáo.")
        with self._atomic():
            ts = now_iso()
            new_rev = report.revision + 1
            self.db.execute(
                "UPDATE revisions SET reopened_at = ?, reopened_by = ?, reopen_reason = ? WHERE report_id = ? AND revision = ?",
                [ts, user or current_user(), reason, report.id, report.revision],
            )
            self.db.execute("INSERT INTO revisions(report_id, revision) VALUES (?, ?)", [report.id, new_rev])
            self.db.execute(
                "UPDATE reports SET status = ?, revision = ?, updated_at = ? WHERE id = ?",
                [DRAFT, new_rev, ts, report.id],
            )
            self._audit("reopen", report.id, None, f"r{report.revision}", f"r{new_rev}", reason, user, ts)
        return Report(report.id, report.org_code, report.year, DRAFT, new_rev)

    def revisions(self, report_id: int) -> list[dict[str, Any]]:
        return _dicts(
            self.db.execute("SELECT * FROM revisions WHERE report_id = ? ORDER BY revision", [report_id])
        )

    # -- attachments ----------------------------------------------------------------
    def attachments(self, report_id: int) -> list[dict[str, Any]]:
        return _dicts(
            self.db.execute("SELECT * FROM attachments WHERE report_id = ? ORDER BY id", [report_id])
        )

    # -- audit ----------------------------------------------------------------------
    def audit_rows(self, report_id: int | None = None) -> list[dict[str, Any]]:
        sql = (
            "SELECT * FROM audit" + (" WHERE report_id = ?" if report_id is not None else "") + " ORDER BY id"
        )
        return _dicts(self.db.execute(sql, [report_id] if report_id is not None else []))

    def _audit(
        self,
        action: str,
        report_id: int | None,
        key: str | None,
        old: str | None,
        new: str | None,
        reason: str | None,
        user: str | None,
        at: str | None = None,
    ) -> None:
        self.db.execute(
            "INSERT INTO audit(at, user, action, report_id, key, old_value, new_value, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [at or now_iso(), user or current_user(), action, report_id, key, old, new, reason],
        )


def _dicts(cur: sqlite3.Cursor) -> list[dict[str, Any]]:
    """The cursor's rows as ``{column: value}``."""
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def _show(change: Change | None) -> str | None:
    if change is None:
        return None
    return "NA" if change[1] else change[0]


def _j(obj: object) -> str | None:
    import json

    return None if obj is None else json.dumps(obj, ensure_ascii=False, sort_keys=True)


# -- opening ------------------------------------------------------------------------


def open_store(path: Path, *, backup_dir: Path | None = None) -> Store:
    """Open (creating if needed) the database at ``path``, migrated to this version.

    Refuses a database written by a newer KDX; copies the database (SQLite backup API) into
    ``backup_dir`` before applying any migration to an existing one.
    """
    if _never_used(path):
        _create(path)
    existed = True
    db = connect(path)
    try:
        # One plain query decides whether there is anything to migrate, so the usual start
        # never imports sqlite-utils (see database.py).
        known = known_migrations()
        applied = applied_migrations(db)
        unknown = [n for n in applied if n not in known]
        if unknown:
            raise NewerDatabase(
                f"Cơ sở dữ liệu {path.name} được tạo bởi phiên bản KDX mới hơn (có thay đổi “{unknown[-1]}”). "
                "Hãy dùng phiên bản KDX mới nhất; dữ liệu không bị thay đổi."
            )
        pending = [n for n in known if n not in applied]
        if pending:
            if existed and applied:
                target_dir = backup_dir or path.parent / "backups"
                target_dir.mkdir(parents=True, exist_ok=True)
                stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
                copy = target_dir / f"truoc-nang-cap-{stamp}.sqlite3"
                backup_to(db, copy)
                log.info("database copied to %s before migrating %s", copy, pending)
            from .migrations import migrations

            migrations.apply(db)
    except sqlite3.Error as exc:
        db.close()
        refused = unavailable(exc, path)
        if refused is not None:
            raise refused from exc
        raise
    except BaseException:
        db.close()
        raise
    return Store(db, path)


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _never_used(path: Path) -> bool:
    """True when ``path`` holds no data at all: missing, empty, or a SQLite file without a single
    table and no ``-wal`` frames (what a first start killed before its schema leaves). Such a
    file is created again; anything else, however odd, is left to the damage checks."""
    if not path.exists() or path.stat().st_size == 0:
        wal = path.with_name(path.name + "-wal")
        return not (wal.exists() and wal.stat().st_size > 32)
    if path.stat().st_size > 64 * 1024:
        return False
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 32:
        return False
    try:
        conn = sqlite3.connect(_readonly_uri(path), uri=True)
        try:
            return bool(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0)
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def _readonly_uri(path: Path) -> str:
    """``file:`` URI opened read-only and immutable (nothing written, not even a lock). By hand:
    ``Path.as_uri()`` makes a Windows share's server a URI authority, which SQLite refuses."""
    from urllib.parse import quote

    posix = path.resolve().as_posix()
    return "file://" + quote(posix if posix.startswith("/") else "/" + posix) + "?mode=ro&immutable=1"


def _create(path: Path) -> None:
    """Create the database complete under a temporary name, then give it its real name: a kill
    or a full disk during the very first start leaves either no database (the next start creates
    it) or a whole one, never a file without tables. A leftover of an earlier attempt (and a
    never-used file at ``path``) is removed first."""
    import os

    from .migrations import migrations

    tmp = path.with_name(path.name + ".new")
    for p in (tmp, *_sidecars(tmp), path, *_sidecars(path)):
        files.remove(p)
    try:
        db = connect(tmp, check=False)
        try:
            migrations.apply(db)
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()  # the last connection folds the -wal into the file and removes it
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        files.replace(tmp, path)
        _fsync_dir(path.parent)
    except (sqlite3.Error, OSError) as exc:
        for p in (tmp, *_sidecars(tmp)):
            files.discard(p)
        if isinstance(exc, OSError):
            raise DatabaseUnavailable(
                f"Không tạo được cơ sở dữ liệu “{path}”: {os_reason(exc)}. Chưa có gì bị ghi. "
                "Hãy giải phóng dung lượng ổ đĩa hoặc chọn một thư mục dữ liệu ghi được, rồi mở lại KDX."
            ) from exc
        refused = unavailable(exc, path)
        if refused is None:
            raise
        raise refused from exc
    log.info("database %s created", path)


def open_memory_store() -> Store:
    """A fresh in-memory store (tests)."""
    import sqlite3

    from .migrations import migrations

    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA recursive_triggers=ON")  # as connect() does
    db = Database(conn)
    migrations.apply(db)
    return Store(db, None)


def backup_to(db: Database, target: Path) -> None:
    """A consistent copy of ``db`` at ``target`` via the backup API, verified (integrity and row
    counts), fsynced, then renamed. Raises :class:`StoreError` when the copy does not verify."""
    import os
    import sqlite3

    tmp = target.with_name(target.name + ".tmp")
    files.remove(tmp)
    dest = sqlite3.connect(str(tmp))
    try:
        db.conn.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
        # Verified before it gets its final name: a copy that is not whole is no backup.
        copy_ok = dest.execute("PRAGMA integrity_check").fetchall() == [("ok",)] and all(
            dest.execute(f'SELECT count(*) FROM "{t}"').fetchone()
            == db.execute(f'SELECT count(*) FROM "{t}"').fetchone()
            for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        )
    finally:
        dest.close()
    if not copy_ok:
        files.discard(tmp)
        raise StoreError(
            f"Bản sao lưu “{target.name}” không đạt kiểm tra nên dữ liệu chưa được nâng cấp; hãy thử lại."
        )
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    files.replace(tmp, target)
    _fsync_dir(target.parent)


__all__ = [
    "DRAFT",
    "EXPORTED",
    "NewerDatabase",
    "Report",
    "ReportLocked",
    "Store",
    "StoreError",
    "open_store",
]
