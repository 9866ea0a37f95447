"""The command line (no Qt): ``python main.py COMMAND …`` / ``kdx-cli COMMAND …``.

Exit status: 0 done; 1 the thing checked is not acceptable; 2 bad usage or a bad value
(nothing was changed). Errors go to stderr, one line each, in Vietnamese.
Each command lives in ``kdx_desktop/commands/<name>.py`` with ``register(sub, common)``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from . import __version__
from .commands import EXIT_OK, EXIT_USAGE, run_command
from .system import console

# Order = order in ``--help``.
COMMANDS = (
    "catalog",
    "demo",
    "set",
    "profile",
    "show",
    "validate",
    "export",
    "sign",
    "reopen",
    "verify",
    "import",
    "status",
    "review",
    "remind",
    "trust",
    "paper",
    "void",
    "consolidate",
    "backup",
    "restore",
    "selftest",
)
COMMAND_MODULES = {"import": "import_"}


# argparse's own words (the usage line, section titles, its refusals) in Vietnamese. argparse looks
# each one up through its module-level gettext alias when it prints, which is the hook used here;
# Python ships no Vietnamese catalogue for it. Words not listed stay as Python wrote them.
_VERSION_HELP = "show program's version number and exit"
_ARGPARSE_VI = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện trợ giúp này rồi thoát",
    _VERSION_HELP: "hiện phiên bản rồi thoát",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "có tham số không nhận ra: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "không có lựa chọn %(value)r (chọn một trong: %(choices)s)",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "expected one argument": "cần một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected at most one argument": "chỉ nhận nhiều nhất một giá trị",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ (%(type)s): %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn %(option)s không rõ: có thể là %(matches)s",
    "not allowed with argument %s": "không dùng được cùng tham số %s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "ignored explicit argument %r": "tham số %r bị bỏ qua",
}


def _vietnamese_argparse() -> None:
    english = argparse._  # type: ignore[attr-defined]
    if getattr(english, "kdx", False):
        return

    def translate(text: str) -> str:
        return _ARGPARSE_VI.get(text) or english(text)

    translate.kdx = True  # type: ignore[attr-defined]
    argparse._ = translate  # type: ignore[attr-defined]


class VietnameseParser(argparse.ArgumentParser):
    """argparse with Vietnamese usage errors and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"Lỗi cách dùng: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def command_modules() -> list[tuple[str, ModuleType]]:
    """Every command with its module, in ``--help`` order. A command whose module is missing is an
    error here, never a command silently left out of the parser and the documentation."""
    return [
        (name, importlib.import_module(f"kdx_desktop.commands.{COMMAND_MODULES.get(name, name)}"))
        for name in COMMANDS
    ]


def build_parser() -> argparse.ArgumentParser:
    _vietnamese_argparse()
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS so that --data-dir works before or after the command name.
    common.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS,
        help="thư mục dữ liệu (mặc định: thư mục dữ liệu của người dùng; hoặc biến KDX_DATA_DIR)",
    )
    parser = VietnameseParser(
        prog="kdx",
        description="KDX - báo cáo kết quả chuyển đổi số báo chí. Không có lệnh: mở cửa sổ ứng dụng.",
        parents=[common],
    )
    # The help given here: Python 3.11 writes its default in English without asking gettext.
    parser.add_argument(
        "--version", action="version", version=f"KDX {__version__}", help=_ARGPARSE_VI[_VERSION_HELP]
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=VietnameseParser)
    for _name, mod in command_modules():
        mod.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    console.setup_streams()
    logging.basicConfig(
        level=os.environ.get("KDX_LOG_LEVEL", "WARNING"), format="%(levelname)s %(name)s: %(message)s"
    )
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return run_command(args)
    except OSError as exc:
        if not console.reader_gone(exc):
            raise
        # The reader of the output went away (``kdx show … | head``, ``| more`` then q on
        # Windows): not a failure of KDX.
        console.stop_writing()
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
