"""One kind of error for people: every refusal KDX raises is a KdxError with its Vietnamese
message, and the window and the command line read it the same way."""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import kdx_desktop
from kdx_desktop.commands import EXIT_NOT_ACCEPTABLE, EXIT_USAGE, run_command
from kdx_desktop.core.values import InvalidValue
from kdx_desktop.errors import KdxError
from kdx_desktop.fsutil import OutputError
from kdx_desktop.safekeeping.backups import BackupError
from kdx_desktop.services.exporting import ExportRefused
from kdx_desktop.services.reporting import UsageError
from kdx_desktop.store.connection import DatabaseDamaged

ROOT = Path(__file__).resolve().parent.parent
# Errors that never reach a person: the self-test's own control flow, shown as its step lines.
INTERNAL = {"kdx_desktop.selftest.runner.Skip", "kdx_desktop.selftest.checks.CheckFailed"}


def _kdx_exception_classes() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(kdx_desktop.__path__, "kdx_desktop."):
        if info.name in ("kdx_desktop.__main__",) or ".forms." in info.name:
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == info.name:
                found[f"{info.name}.{name}"] = obj
    return found


def test_every_kdx_error_class_derives_from_the_one_base() -> None:
    classes = _kdx_exception_classes()
    assert len(classes) > 20  # the walk really found them
    strays = sorted(n for n, c in classes.items() if not issubclass(c, KdxError) and n not in INTERNAL)
    assert strays == []


def test_the_older_bases_still_catch() -> None:
    """Code that caught ValueError or OSError before still does."""
    assert isinstance(InvalidValue("a", "Số", "không phải số"), ValueError)
    assert isinstance(OutputError("Ổ đĩa đầy."), OSError)
    assert str(OutputError("Ổ đĩa đầy.")) == "Ổ đĩa đầy."


def test_message_and_problems() -> None:
    exc = ExportRefused("Chưa thể xuất báo cáo.", ["Lỗi R1 (a): thiếu", "Lỗi R2 (b): sai"])
    assert exc.message == "Chưa thể xuất báo cáo."
    assert exc.problems == ["Lỗi R1 (a): thiếu", "Lỗi R2 (b): sai"]
    assert str(exc) == "Chưa thể xuất báo cáo.\n- Lỗi R1 (a): thiếu\n- Lỗi R2 (b): sai"


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (UsageError("Không có tổ chức mã “X”."), EXIT_USAGE),
        (InvalidValue("staff_total", "Tổng số", "không phải số"), EXIT_USAGE),
        (OutputError("Không ghi được “a.pdf”: ổ đĩa đầy."), EXIT_USAGE),
        (DatabaseDamaged("Cơ sở dữ liệu hỏng."), EXIT_NOT_ACCEPTABLE),
        (BackupError("Không sao lưu được."), EXIT_NOT_ACCEPTABLE),
        (ExportRefused("Chưa thể xuất báo cáo.", ["Lỗi R1"]), EXIT_NOT_ACCEPTABLE),
    ],
)
def test_the_command_line_reads_every_kdx_error_one_way(
    exc: KdxError, status: int, capsys: pytest.CaptureFixture[str]
) -> None:
    def command(_args: argparse.Namespace) -> int:
        raise exc

    assert run_command(argparse.Namespace(func=command)) == status
    assert capsys.readouterr().err == f"Lỗi: {exc}\n"


def test_a_fault_that_is_not_a_kdx_error_is_not_hidden() -> None:
    def command(_args: argparse.Namespace) -> int:
        raise KeyError("bug")

    with pytest.raises(KeyError):
        run_command(argparse.Namespace(func=command))


def test_the_window_reads_every_kdx_error_one_way() -> None:
    from kdx_desktop.gui.messages import shown

    assert shown(ExportRefused("Chưa thể xuất.", ["Lỗi R1", "Lỗi R2"])) == (
        "Chưa thể xuất.",
        "• Lỗi R1\n• Lỗi R2",
    )
    assert shown(BackupError("Không sao lưu được.")) == ("Không sao lưu được.", "")
    assert shown(RuntimeError("bug")) == ("bug", "")
    # No part of the window probes an error for attributes: it asks shown() or the class.
    for path in (ROOT / "kdx_desktop" / "gui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "getattr" and node.args:
                first = node.args[0]
                assert not (isinstance(first, ast.Name) and first.id == "exc"), path
