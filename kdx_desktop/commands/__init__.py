"""One module per command: ``register(sub, common)`` adds its parser, ``run(args)`` does it.

:func:`run_command` turns the refusals every command shares into exit statuses and one
Vietnamese line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import KdxError
from ..paths import DataDirError, resolve_data_dir
from ..safekeeping.locations import REMOVABLE, classify
from ..services.reporting import App, UsageError, open_app

if TYPE_CHECKING:
    from ..safekeeping.instance_lock import AlreadyRunning

EXIT_OK, EXIT_NOT_ACCEPTABLE, EXIT_USAGE = 0, 1, 2


def data_dir(args: argparse.Namespace) -> Path:
    """The data folder (created if missing), or :class:`UsageError` saying why it cannot be."""
    try:
        folder = resolve_data_dir(getattr(args, "data_dir", None))
    except DataDirError as exc:
        raise UsageError(str(exc)) from None
    # The window's rules for where the data may live hold for every command too: a network
    # share is refused, a removable drive is warned about (the window offers to move the data).
    place = classify(folder)
    if place.refused:
        raise UsageError(place.message or str(folder))
    if place.kind == REMOVABLE:
        print(f"Cảnh báo: {place.message}", file=sys.stderr)
    return folder


@contextmanager
def with_app(args: argparse.Namespace) -> Iterator[App]:
    """The data folder opened for this command: ``with with_app(args) as app:``.

    The command holds the data folder's instance lock while it runs, as the window does, so a
    command never works beside the window or another command on the same folder (a value
    ``set`` while an ``export`` runs would be acknowledged and not sent). A folder in use is
    refused with :class:`~kdx_desktop.safekeeping.instance_lock.AlreadyRunning` before anything
    is opened. In a process that already holds the lock (tests, the window's own process) it is
    reused and left held."""
    from ..safekeeping import instance_lock

    folder = data_dir(args)
    own = instance_lock.held_here(folder)
    try:
        lock = own or instance_lock.acquire(folder)
    except instance_lock.LockFailed as exc:
        raise UsageError(str(exc)) from None
    if own is None:
        from ..safekeeping.leftovers import remove_leftovers

        remove_leftovers(folder)  # a killed KDX's temporary files; the lock says none is running
    try:
        app = open_app(folder)
        try:
            yield app
        finally:
            app.close()
    finally:
        if own is None:
            lock.release()


def summary_line(s: dict[str, int]) -> str:
    """The closing line of ``show`` and ``validate``, from :meth:`ReportState.summary`."""
    return f"{s['errors']} lỗi, {s['warnings']} cảnh báo ({s['unjustified']} chưa giải trình)."


def _in_use(exc: AlreadyRunning) -> str:
    """The lock's message, said of a command rather than a window."""
    holder = exc.holder or {}
    who = f" (tiến trình {holder['pid']})" if holder.get("pid") else ""
    folder = exc.data_dir
    return (
        f"Thư mục dữ liệu “{folder}” đang được KDX dùng ở một cửa sổ hoặc một lệnh khác{who}. "
        "Hãy chờ lệnh kia xong, hoặc đóng cửa sổ KDX, rồi chạy lại."
    )


def fail(message: str) -> None:
    print(f"Lỗi: {message}", file=sys.stderr)


def run_command(args: argparse.Namespace) -> int:
    from ..safekeeping.instance_lock import AlreadyRunning

    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except AlreadyRunning as exc:
        fail(f"{_in_use(exc)} Lệnh chưa làm gì.")
        return EXIT_NOT_ACCEPTABLE
    except KdxError as exc:  # every refusal KDX explains, whichever command met it
        fail(str(exc))
        return EXIT_USAGE if exc.usage else EXIT_NOT_ACCEPTABLE


def add(
    sub: argparse._SubParsersAction,  # type: ignore[type-arg]
    common: argparse.ArgumentParser,
    name: str,
    help_text: str,
    func: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text, parents=[common])
    p.set_defaults(func=func)
    return p


def org_year(p: argparse.ArgumentParser) -> None:
    p.add_argument("--org", required=True, help="mã tổ chức (xem lệnh catalog)")
    p.add_argument("--year", required=True, type=int, help="năm báo cáo")
