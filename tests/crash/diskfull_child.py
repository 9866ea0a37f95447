"""Disk full under SQLite itself: ``RLIMIT_FSIZE`` makes every write past a byte offset fail.

Run as ``python diskfull_child.py DATA_DIR WHAT [STEP]`` (POSIX only). Before each trial the WAL
is emptied, so the save's writes start at offset 0 of the WAL; the limit then moves through every
frame of the write, one ``STEP`` at a time, from "the very first write fails" to "nothing fails".
For each trial it prints one JSON line: the limit, whether the operation failed and with what
message, and what a fresh connection finds afterwards. ``WHAT`` is ``save`` (set_values) or
``backup`` (backups.make_backup, whose copy is written by SQLite) or ``import`` (the package
given as 4th argument, with its backup first).
"""

from __future__ import annotations

import json
import resource
import signal
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crash.child import ORG, YEAR, save_of
from crash.dbdump import dump
from crash.harness import read_state


def main() -> None:
    data_dir, what = Path(sys.argv[1]), sys.argv[2]
    step = int(sys.argv[3]) if len(sys.argv) > 3 else 512
    package = Path(sys.argv[4]) if len(sys.argv) > 4 else None
    from kdx_desktop.safekeeping import backups
    from kdx_desktop.services.reporting import open_app, set_values

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    app = open_app(data_dir)
    db = data_dir / "kdx.sqlite3"
    set_values(app, ORG, YEAR, save_of(0, 0))  # the report exists before the trials
    if what == "import" and package is not None:
        # The package file the import keeps is written first; kept beforehand, so that the
        # limit hits the import's transaction (a failure to keep the file is tested per operation
        # in test_import_survives_a_failure_at_each_operation).
        import hashlib

        from kdx_desktop.services.received import keep_package

        raw = package.read_bytes()
        keep_package(app, raw, hashlib.sha256(raw).hexdigest())
    limit, trial = 0, 0
    while True:
        trial += 1
        app.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before_dump = dump(db)
        before_backups = (
            sorted(p.name for p in backups.backups_dir(data_dir).glob("*")) if what == "backup" else []
        )
        error: BaseException | None = None
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
        try:
            if what == "save":
                set_values(app, ORG, YEAR, save_of(trial, 0))
            elif what == "import":
                from kdx_desktop.services.intake import import_bytes

                assert package is not None  # one file's transaction (the batch backup is tested apart)
                outcome = import_bytes(app, package.read_bytes(), package.name)
                if outcome.refused:  # a disk failure is the file's refusal now, with its code
                    from kdx_desktop.store.repo import StorageFailure

                    raise (StorageFailure if outcome.code == "storage.failed" else RuntimeError)(
                        outcome.message
                    )
            else:
                backups.make_backup(data_dir, "manual", rotate_after=False)
        except Exception as exc:
            error = exc
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        state, edits, problems = read_state(db)
        out = {
            "limit": limit,
            "failed": error is not None,
            "error_type": type(error).__name__ if error else None,
            "message": str(error) if error else None,
            "in_transaction": app.store.db.conn.in_transaction,
            "state": state,
            "edits": edits,
            "problems": problems,
            "trial": trial,
            "unchanged": dump(db) == before_dump,
        }
        if what == "backup":
            after = sorted(p.name for p in backups.backups_dir(data_dir).glob("*"))
            out["new_files"] = sorted(set(after) - set(before_backups))
            out["new_files_ok"] = [_ok(backups.backups_dir(data_dir) / n) for n in out["new_files"]]
        print(json.dumps(out, ensure_ascii=False), flush=True)
        if error is None:
            break
        limit += step
    app.close()


def _ok(path: Path) -> bool:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return bool(conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)])
    finally:
        conn.close()


if __name__ == "__main__":
    main()
