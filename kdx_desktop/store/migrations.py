"""Schema, declared explicitly in small named migrations (sqlite-utils ``Migrations``).

Rules: never edit a released migration, add a new one; every table is STRICT with its types,
NOT NULLs and foreign keys spelled out; ``db/schema.sql`` is the readable snapshot that a test
compares with the migrated schema.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from .database import MIGRATION_SET, RELEASED_MIGRATIONS, Database


@contextmanager
def _without_numpy() -> Iterator[None]:
    """sqlite-utils imports numpy and pandas at load time whenever they are installed, only to
    map their scalar types on insert, which KDX never does; on a PC that has them they cost more
    than the migration (numpy alone ~110 ms, ~17 MiB). Hidden only while sqlite-utils loads; they
    stay importable for any other code."""
    if "sqlite_utils" in sys.modules:
        yield
        return
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes "import name" raise ImportError
    try:
        yield
    finally:
        for name in hidden:
            if sys.modules.get(name) is None:
                del sys.modules[name]


with _without_numpy():
    import sqlite_utils
    from sqlite_utils.migrations import Migrations


def as_sqlite_utils(db: Database | sqlite_utils.Database) -> sqlite_utils.Database:
    """sqlite-utils' view of the store's connection (same connection, same transaction).
    No plugins: a third-party plugin installed on the PC must not hook KDX's connection, and
    looking for them scans every installed package."""
    if isinstance(db, sqlite_utils.Database):
        return db
    return sqlite_utils.Database(db.conn, execute_plugins=False, recursive_triggers=False)


class _KdxMigrations(Migrations):
    """sqlite-utils' ``Migrations`` accepting the store's :class:`Database` as well."""

    def pending(self, db: Any) -> list[Migrations._Migration]:
        return super().pending(as_sqlite_utils(db))

    def applied(self, db: Any) -> list[Migrations._AppliedMigration]:
        return super().applied(as_sqlite_utils(db))

    def apply(self, db: Any, *, stop_before: str | Iterable[str] | None = None) -> None:
        super().apply(as_sqlite_utils(db), stop_before=stop_before)


migrations = _KdxMigrations(MIGRATION_SET)


def _run_script(db: sqlite_utils.Database, script: str) -> None:
    """Run each statement of ``script`` inside the migration's transaction.

    (``executescript`` would COMMIT first and break the all-or-nothing migration.)
    """
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            db.execute(buf)
            buf = ""
    if buf.strip():
        raise ValueError("incomplete SQL statement in migration")


@migrations(name="0001_initial")
def _initial(db: sqlite_utils.Database) -> None:
    _run_script(
        db,
        """
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) STRICT;

        -- An organisation's own profile (names, signer, recipients), overriding the
        -- catalogue's defaults for reports from valid_from on.
        CREATE TABLE profiles (
            org_code TEXT NOT NULL,
            valid_from INTEGER NOT NULL,
            governing_body TEXT NOT NULL,
            name TEXT NOT NULL,
            abbreviation TEXT NOT NULL,
            place TEXT NOT NULL,
            signer_name TEXT NOT NULL,
            signer_prefix TEXT NOT NULL,
            signer_title TEXT NOT NULL,
            recipient TEXT NOT NULL,
            recipients_cc TEXT NOT NULL,
            email TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (org_code, valid_from)
        ) STRICT;

        CREATE TABLE reports (
            id INTEGER PRIMARY KEY,
            org_code TEXT NOT NULL,
            year INTEGER NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('draft', 'exported')),
            revision INTEGER NOT NULL CHECK (revision >= 1),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (org_code, year)
        ) STRICT;

        -- Every value of a report, addressed by key (see core/values.py). value is the
        -- canonical text; na=1 marks "not applicable".
        CREATE TABLE entries (
            report_id INTEGER NOT NULL REFERENCES reports(id),
            key TEXT NOT NULL,
            value TEXT,
            na INTEGER NOT NULL DEFAULT 0 CHECK (na IN (0, 1)),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (report_id, key),
            CHECK (na = 1 OR value IS NOT NULL)
        ) STRICT;

        CREATE TABLE revisions (
            report_id INTEGER NOT NULL REFERENCES reports(id),
            revision INTEGER NOT NULL,
            exported_at TEXT,
            data_sha256 TEXT,
            verification_code TEXT,
            package_name TEXT,
            reopened_at TEXT,
            reopened_by TEXT,
            reopen_reason TEXT,
            PRIMARY KEY (report_id, revision)
        ) STRICT;

        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id),
            task_code TEXT NOT NULL,
            file_name TEXT NOT NULL,
            stored_name TEXT NOT NULL UNIQUE,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            added_at TEXT NOT NULL,
            added_by TEXT NOT NULL
        ) STRICT;

        -- Append-only: who changed what, when, from what to what, and why.
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            action TEXT NOT NULL,
            report_id INTEGER REFERENCES reports(id),
            key TEXT,
            old_value TEXT,
            new_value TEXT,
            reason TEXT
        ) STRICT;

        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
        """,
    )


@migrations(name="0002_intake")
def _intake(db: sqlite_utils.Database) -> None:
    _run_script(
        db,
        """
        -- Packages received by the Sở (see kdx_desktop/intake/). Every accepted revision is
        -- kept; exactly one per organisation and year is current. data_json is the package's
        -- canonical data.json, so its SHA-256 is data_sha256 and the figures can be recomputed.
        CREATE TABLE received_packages (
            id INTEGER PRIMARY KEY,
            org_code TEXT NOT NULL,
            year INTEGER NOT NULL,
            revision INTEGER NOT NULL CHECK (revision >= 1),
            data_sha256 TEXT NOT NULL CHECK (length(data_sha256) = 64),
            verification_code TEXT NOT NULL,
            supersedes TEXT,
            file_name TEXT NOT NULL,
            package_sha256 TEXT NOT NULL,
            catalog_version TEXT NOT NULL,
            created_at TEXT NOT NULL,
            received_at TEXT NOT NULL,
            received_by TEXT NOT NULL,
            data_json TEXT NOT NULL,
            warnings INTEGER NOT NULL DEFAULT 0,
            current INTEGER NOT NULL DEFAULT 0 CHECK (current IN (0, 1)),
            conflict INTEGER NOT NULL DEFAULT 0 CHECK (conflict IN (0, 1)),
            conflict_note TEXT,
            paper_checked_by TEXT,
            paper_checked_at TEXT,
            UNIQUE (org_code, year, data_sha256),
            CHECK ((paper_checked_by IS NULL) = (paper_checked_at IS NULL))
        ) STRICT;

        CREATE UNIQUE INDEX received_packages_one_current
            ON received_packages(org_code, year) WHERE current = 1;
        CREATE INDEX received_packages_year ON received_packages(year, org_code);
        """,
    )


@migrations(name="0003_reviews")
def _reviews(db: sqlite_utils.Database) -> None:
    _run_script(
        db,
        """
        -- The Sở's review of a received revision (see kdx_desktop/services/review.py). side
        -- 'issued': written at the Sở, a draft until its file is written (issued_at), then fixed;
        -- side 'received': imported at the agency from that file. snapshot_json (agency) is the
        -- report's values when the review arrived, so an answer "by a change" can be seen.
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            side TEXT NOT NULL CHECK (side IN ('issued', 'received')),
            org_code TEXT NOT NULL,
            year INTEGER NOT NULL,
            revision INTEGER NOT NULL CHECK (revision >= 1),
            data_sha256 TEXT NOT NULL CHECK (length(data_sha256) = 64),
            verification_code TEXT NOT NULL,
            verdict TEXT CHECK (verdict IN ('accepted', 'needs_correction')),
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            issued_at TEXT,
            issued_by TEXT,
            review_sha256 TEXT,
            imported_at TEXT,
            snapshot_json TEXT,
            UNIQUE (side, org_code, year, revision),
            CHECK ((issued_at IS NULL) = (review_sha256 IS NULL))
        ) STRICT;

        -- One comment of a review: on a field key, an indicator, a task or the whole report
        -- (target 'report'). reply: the agency's answer in words (at the agency; at the Sở the
        -- answers are read from the next revision's data.json).
        CREATE TABLE review_comments (
            id INTEGER PRIMARY KEY,
            review_id INTEGER NOT NULL REFERENCES reviews(id),
            number INTEGER NOT NULL CHECK (number >= 1),
            target TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            reply TEXT,
            replied_at TEXT,
            replied_by TEXT,
            UNIQUE (review_id, number)
        ) STRICT;
        """,
    )


@migrations(name="0004_void")
def _void(db: sqlite_utils.Database) -> None:
    _run_script(
        db,
        """
        -- A received revision the Sở voided (a forged package, one sent by mistake): it stays in
        -- received_packages, no longer current, and this row says who voided it, when and why.
        -- Append-only like the audit: a void is undone only by importing the genuine revision.
        CREATE TABLE voided_revisions (
            received_id INTEGER PRIMARY KEY REFERENCES received_packages(id),
            voided_at TEXT NOT NULL,
            voided_by TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (length(reason) > 0)
        ) STRICT;

        CREATE TRIGGER voided_revisions_no_update BEFORE UPDATE ON voided_revisions
        BEGIN SELECT RAISE(ABORT, 'voided_revisions is append-only'); END;
        CREATE TRIGGER voided_revisions_no_delete BEFORE DELETE ON voided_revisions
        BEGIN SELECT RAISE(ABORT, 'voided_revisions is append-only'); END;
        """,
    )


@migrations(name="0005_signatures")
def _signatures(db: sqlite_utils.Database) -> None:
    _run_script(
        db,
        """
        -- What the Sở trusts for electronic signatures (kdx_desktop/signing/verify.py): root
        -- certificates of the certificate providers, and the CRLs it installed (kind 'crl').
        CREATE TABLE trust_store (
            sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
            kind TEXT NOT NULL CHECK (kind IN ('root', 'crl')),
            der BLOB NOT NULL,
            name TEXT NOT NULL,
            valid_to TEXT NOT NULL,
            added_at TEXT NOT NULL,
            added_by TEXT NOT NULL
        ) STRICT;

        -- The signature of a received package and its verdict. The evidence (the signed PDF and
        -- the manifest's CMS signature) is kept, so the verdict is re-checked when the trust
        -- store changes. No row: the package was not signed.
        CREATE TABLE package_signatures (
            received_id INTEGER PRIMARY KEY REFERENCES received_packages(id),
            source TEXT NOT NULL,
            signed_pdf BLOB NOT NULL,
            report_size INTEGER NOT NULL CHECK (report_size > 0),
            manifest BLOB NOT NULL,
            manifest_p7s BLOB,
            state TEXT NOT NULL CHECK (state IN ('trusted', 'untrusted', 'invalid')),
            signer TEXT,
            organisation TEXT,
            signed_at TEXT,
            bound INTEGER NOT NULL CHECK (bound IN (0, 1)),
            revocation TEXT NOT NULL CHECK (revocation IN ('checked', 'not checked')),
            notes TEXT NOT NULL DEFAULT '',
            checked_at TEXT NOT NULL
        ) STRICT;
        """,
    )


@migrations(name="0006_catalog_editions")
def _catalog_editions(db: sqlite_utils.Database) -> None:
    _run_script(
        db,
        """
        -- Every catalogue edition installed after the bundled one (edition 1), kept for ever:
        -- an exported report is judged again under its own edition, and the Sở validates a
        -- package under the edition it names. content is the edition's catalogue file.
        CREATE TABLE catalog_editions (
            edition INTEGER PRIMARY KEY CHECK (edition >= 2),
            catalog_id TEXT NOT NULL,
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            content BLOB NOT NULL,
            installed_at TEXT NOT NULL,
            installed_by TEXT NOT NULL
        ) STRICT;

        -- The edition a revision was exported under (NULL while it is a draft: a draft follows
        -- the newest edition). Revisions exported before editions existed were edition 1.
        ALTER TABLE revisions ADD COLUMN catalog_edition INTEGER;
        UPDATE revisions SET catalog_edition = 1 WHERE exported_at IS NOT NULL;
        """,
    )


@migrations(name="0007_arrival")
def _arrival(db: sqlite_utils.Database) -> None:
    _run_script(
        db,
        """
        -- The date (Vietnam time) a package reached the Sở: the day it was imported unless the
        -- officer gave an earlier one (a package that came by mail). On time or late is judged on
        -- it. NULL for packages received before this column existed: their received_at decides.
        ALTER TABLE received_packages ADD COLUMN arrived_on TEXT
            CHECK (arrived_on IS NULL OR arrived_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
        """,
    )


@migrations(name="0008_edition_signatures")
def _edition_signatures(db: sqlite_utils.Database) -> None:
    _run_script(
        db,
        """
        -- The Sở's electronic signature of an installed catalogue edition, as it was verified at
        -- install (kdx_desktop/services/editions.py): the detached CMS signature over exactly the
        -- edition's catalogue file (catalog_editions.content) is kept as evidence. No row: the
        -- edition was installed unsigned, after its verification code was compared by telephone.
        CREATE TABLE catalog_edition_signatures (
            edition INTEGER PRIMARY KEY REFERENCES catalog_editions(edition),
            signature BLOB NOT NULL,
            signer TEXT NOT NULL,
            organisation TEXT NOT NULL,
            signed_at TEXT,
            revocation TEXT NOT NULL CHECK (revocation IN ('checked', 'not checked')),
            checked_at TEXT NOT NULL
        ) STRICT;
        """,
    )


if tuple(m.name for m in migrations._migrations) != RELEASED_MIGRATIONS:
    raise RuntimeError("store/database.py RELEASED_MIGRATIONS must list the migrations above, in order")
