"""A forged high revision cannot lock an agency out: a revision far ahead of the last one received
waits for the officer's confirmation, and the Sở can void a received revision (kept, audited, no
longer current) so that the next genuine one imports."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path

import pytest
from cli_helpers import run
from hostile.make_corpus import Base
from hostile.packages import export_demo

from kdx_desktop.province import ledger
from kdx_desktop.services.intake import MAX_REVISION_STEP, check_paper, import_paths, status_board
from kdx_desktop.services.reporting import App, UsageError, open_app


@pytest.fixture(scope="module")
def base(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Base:
    pkgs = export_demo(demo_dir, tmp_path_factory.mktemp("void-export"), years=(2025,))
    return Base(pkgs[("BKT", 2025)].read_bytes())


def _revision(base: Base, n: int, note: str) -> bytes:
    d = copy.deepcopy(base.data)
    d["revision"] = n
    d["supersedes"] = base.manifest["data_sha256"]
    d["narrative"]["results"] = d["narrative"]["results"] + f" {note}"
    return base.pack(d)


@pytest.fixture
def inbox(base: Base, tmp_path: Path) -> dict[str, Path]:
    files = {
        "r1": base.raw,
        "forged": _revision(base, 999, "Gói giả mạo."),
        "r2": _revision(base, 2, "Bổ sung lần 2."),
    }
    out = {}
    for name, raw in files.items():
        p = tmp_path / f"{name}.zip"
        p.write_bytes(raw)
        out[name] = p
    return out


@pytest.fixture
def so(tmp_path: Path) -> App:
    (tmp_path / "so").mkdir()
    a = open_app(tmp_path / "so")
    yield a
    a.close()


def test_a_revision_far_ahead_waits_for_confirmation(so: App, inbox: dict[str, Path]) -> None:
    """Before: revision 999 was imported at once, and the genuine revision 2 then refused as older."""
    assert import_paths(so, [inbox["r1"]])[0].kind == "imported"
    held = import_paths(so, [inbox["forged"]])[0]
    assert held.refused and held.code == "revision.jump", held.line
    assert "lần 1" in held.message and "xác nhận" in held.message
    assert ledger.current(so.store, "BKT", 2025).revision == 1  # type: ignore[union-attr]
    # A step within the limit is not held.
    assert MAX_REVISION_STEP >= 2
    assert import_paths(so, [inbox["r2"]])[0].kind == "replaced"


def test_void_the_forged_revision_and_the_genuine_one_imports(so: App, inbox: dict[str, Path]) -> None:
    import_paths(so, [inbox["r1"]])
    forged = import_paths(so, [inbox["forged"]], accept_jump=True)[0]
    assert forged.kind == "replaced"
    refused = import_paths(so, [inbox["r2"]])[0]
    assert refused.kind == "older"  # the lock-out the void undoes

    from kdx_desktop.services.intake import void_revision

    row = void_revision(so, "BKT", 2025, 999, "Gói giả mạo: đơn vị xác nhận không gửi lần 999", user="can-bo")
    assert row.voided and row.void_reason.startswith("Gói giả mạo") and row.voided_by == "can-bo"  # type: ignore[union-attr]
    assert ledger.current(so.store, "BKT", 2025).revision == 1  # type: ignore[union-attr]
    kept = ledger.revisions_of(so.store, "BKT", 2025, voided=True)
    assert [r.revision for r in kept] == [1, 999]  # kept, not deleted
    assert [r.revision for r in ledger.revisions_of(so.store, "BKT", 2025)] == [1]
    audit = so.store.db.execute(
        "SELECT user, key, old_value, reason FROM audit WHERE action = 'void'"
    ).fetchall()
    assert audit == [("can-bo", "BKT/2025", f"r999 {forged.verification_code}", row.void_reason)]

    genuine = import_paths(so, [inbox["r2"]])[0]
    assert genuine.kind == "replaced" and genuine.replaced_revision == 1, genuine.line
    board_row = next(r for r in status_board(so, 2025).rows if r.org_code == "BKT")
    assert board_row.revision == 2 and board_row.revisions == 2  # the voided one is not counted
    # The paper of the genuine revision matches; the forged code is named as voided.
    assert check_paper(so, "BKT", 2025, genuine.verification_code or "").revision == 2
    from kdx_desktop.province.paper import PaperMismatch

    with pytest.raises(PaperMismatch, match="đã hủy"):
        check_paper(so, "BKT", 2025, forged.verification_code or "")
    # The voided package cannot come back in.
    again = import_paths(so, [inbox["forged"]], accept_jump=True)[0]
    assert again.refused and again.code == "revision.voided" and "đã bị Sở hủy" in again.message


def test_voiding_the_only_revision_leaves_nothing_current(so: App, inbox: dict[str, Path]) -> None:
    from kdx_desktop.services.intake import void_revision

    import_paths(so, [inbox["forged"]], accept_jump=True)
    void_revision(so, "BKT", 2025, 999, "gửi nhầm")
    assert ledger.current(so.store, "BKT", 2025) is None
    assert not next(r for r in status_board(so, 2025).rows if r.org_code == "BKT").received
    assert import_paths(so, [inbox["r1"]])[0].kind == "imported"


def test_void_refuses_what_it_cannot_do_and_changes_nothing(so: App, inbox: dict[str, Path]) -> None:
    from kdx_desktop.services.intake import void_revision

    import_paths(so, [inbox["r1"]])
    before = so.store.db.conn.total_changes
    for revision, reason, message in (
        (5, "lý do", "chưa nhận lần gửi 5"),
        (1, "   ", "Cần ghi lý do"),
        (1, "a\x00b", "ký tự điều khiển"),
    ):
        with pytest.raises(UsageError, match=message):
            void_revision(so, "BKT", 2025, revision, reason)
    assert so.store.db.conn.total_changes == before
    void_revision(so, "BKT", 2025, 1, "gửi nhầm")
    with pytest.raises(UsageError, match="đã bị hủy"):
        void_revision(so, "BKT", 2025, 1, "lần nữa")
    # The record of a void is append-only, like the audit.
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        so.store.db.execute("UPDATE voided_revisions SET reason = 'khác'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        so.store.db.execute("DELETE FROM voided_revisions")


def test_void_command(inbox: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "so-cli")
    assert run(capsys, "import", str(inbox["r1"]), "--data-dir", data)[0] == 0
    code, _out, err = run(capsys, "import", str(inbox["forged"]), "--data-dir", data)
    assert code == 1 and "chờ xác nhận" in err
    assert run(capsys, "import", str(inbox["forged"]), "--accept-jump", "--data-dir", data)[0] == 0
    args = ("--data-dir", data, "--org", "BKT", "--year", "2025")
    code, out, err = run(capsys, "void", *args, "--revision", "999", "--reason", "Gói giả mạo")
    assert code == 0, err
    assert "Đã hủy lần gửi 999" in out and "Sở đang dùng lần gửi 1" in out
    code, _out, err = run(capsys, "void", *args, "--revision", "999", "--reason", "lại")
    assert code == 2 and "đã bị hủy" in err
    code, _out, err = run(capsys, "void", *args, "--revision", "7", "--reason", "x")
    assert code == 2 and "chưa nhận lần gửi 7" in err
    code, _out, err = run(capsys, "void", *args, "--revision", "999")
    assert code == 2 and "--reason" in err
    assert run(capsys, "import", str(inbox["r2"]), "--data-dir", data)[0] == 0
