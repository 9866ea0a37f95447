"""``set`` given the same field twice refuses the whole call (exit 2) and stores nothing,
instead of silently keeping the last value."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.cli_helpers import run


def dump(data_dir: Path) -> str:
    """Every row of the database: equal dumps mean nothing changed."""
    conn = sqlite3.connect(data_dir / "kdx.sqlite3")
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def demo(demo_dir: Path, tmp_path: Path) -> Path:
    d = tmp_path / "demo"
    shutil.copytree(demo_dir, d)
    return d


def staff_total(capsys: pytest.CaptureFixture[str], demo: Path) -> object:
    code, out, _ = run(capsys, "show", "--data-dir", str(demo), "--org", "BKT", "--year", "2026", "--json")
    assert code == 0
    return json.loads(out)["values"].get("staff_total")


SET = ("set", "--org", "BKT", "--year", "2026")


@pytest.mark.parametrize(
    "assignments",
    [
        ("staff_total=5", "staff_trained=3", "staff_total=7"),
        ("staff_total=5", "staff_total=5"),  # even the same value: the call is not what was meant
        ("staff_total=5", " staff_total =7"),  # spaces around the code do not make it another field
        ("staff_total=5", "staff_total="),  # a value, then a clear
    ],
)
def test_repeated_key_is_refused_and_nothing_is_stored(
    capsys: pytest.CaptureFixture[str], demo: Path, assignments: tuple[str, ...]
) -> None:
    before = dump(demo)
    shown = staff_total(capsys, demo)
    code, out, err = run(capsys, "--data-dir", str(demo), *SET, *assignments)
    assert code == 2 and out == ""
    assert err == (
        "Lỗi: Mã trường “staff_total” được nhập nhiều lần trong cùng một lệnh; "
        "mỗi mã chỉ được nhập một lần. Chưa lưu giá trị nào.\n"
    )
    assert dump(demo) == before
    assert staff_total(capsys, demo) == shown


def test_every_repeated_key_is_named(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    before = dump(demo)
    code, _, err = run(
        capsys,
        "--data-dir",
        str(demo),
        *SET,
        "staff_trained=3",
        "staff_total=5",
        "staff_trained=4",
        "staff_total=6",
        "staff_trained=5",
    )
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "“staff_trained”, “staff_total”" in err and "nhiều lần" in err
    assert dump(demo) == before


def test_without_the_repeat_the_same_call_is_stored(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    code, out, err = run(capsys, "--data-dir", str(demo), *SET, "staff_total=7", "staff_trained=3")
    assert code == 0 and err == "" and "Đã lưu" in out
    assert staff_total(capsys, demo) == 7


def test_refused_before_the_data_folder_is_touched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fresh = tmp_path / "chua-co"
    code, _, err = run(capsys, "--data-dir", str(fresh), *SET, "staff_total=1", "staff_total=2")
    assert code == 2 and "“staff_total”" in err
    assert not fresh.exists()
